//! One renderer for every listing: a header and rows of text cells, written as an aligned table
//! (for people), CSV (RFC 4180, UTF-8, for spreadsheets and scripts) or JSON (an array of
//! objects keyed by the CSV header). An empty cell means "not applicable": it is empty in CSV
//! and `null` in JSON, never 0.

use std::io::{self, Write};

use clap::ValueEnum;
use comfy_table::{ContentArrangement, LineStyle, Table as Grid, TableStyle};
use serde_json::{Map, Value as Json};

/// Columns separated by spaces, the header underlined: quiet enough to scan by eye.
const TABLE_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// The output formats of listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

impl Format {
    /// The format asked for, else a table on a terminal and CSV when piped.
    pub fn pick(asked: Option<Format>, terminal: bool) -> Format {
        asked.unwrap_or(if terminal { Format::Table } else { Format::Csv })
    }
}

/// Rows of text under a header.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: Vec<&'static str>) -> Table {
        Table {
            header,
            rows: Vec::new(),
        }
    }

    /// Writes the table in `format`; `bom` puts a UTF-8 byte-order mark before CSV.
    pub fn write(&self, out: &mut dyn Write, format: Format, bom: bool) -> io::Result<()> {
        match format {
            Format::Table => {
                let mut grid = Grid::new();
                grid.load_style(TABLE_STYLE)
                    .set_content_arrangement(ContentArrangement::Disabled)
                    .set_header(self.header.clone());
                for row in &self.rows {
                    grid.add_row(row.clone());
                }
                writeln!(out, "{grid}")
            }
            Format::Csv => {
                if bom {
                    out.write_all("\u{feff}".as_bytes())?;
                }
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(&self.header)?;
                for row in &self.rows {
                    csv.write_record(row)?;
                }
                csv.flush()
            }
            Format::Json => {
                let rows: Vec<Json> = self
                    .rows
                    .iter()
                    .map(|row| {
                        let object: Map<String, Json> = self
                            .header
                            .iter()
                            .zip(row)
                            .map(|(k, v)| {
                                let v = if v.is_empty() {
                                    Json::Null
                                } else {
                                    Json::String(v.clone())
                                };
                                (k.to_string(), v)
                            })
                            .collect();
                        Json::Object(object)
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(vec!["id", "name"]);
        t.rows.push(vec!["A-1".into(), "مریم, \"M\"".into()]);
        t.rows.push(vec!["A-2".into(), String::new()]);
        t
    }

    #[test]
    fn csv_quotes_as_rfc_4180() {
        let mut out = Vec::new();
        sample().write(&mut out, Format::Csv, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}id,name\nA-1,\"مریم, \"\"M\"\"\"\nA-2,\n"
        );
    }

    #[test]
    fn json_uses_the_header_and_null_for_empty() {
        let mut out = Vec::new();
        sample().write(&mut out, Format::Json, false).unwrap();
        let v: Json = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[1]["name"], Json::Null);
        assert_eq!(v[0]["id"], "A-1");
    }
}
