//! The charts of the pages: horizontal bars drawn with plotters' SVG backend, one bar per series
//! in each row (one series, or several side by side: a baseline and a latest mean, open cases
//! and the most allowed), text left to the browser (so Persian is shaped and set right to left as
//! the page's own text).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use cm_base::language::Language;

/// The height of one bar, in pixels, and the room between rows.
const BAR: u32 = 20;
const GAP: u32 = 10;
/// The width of a chart.
const WIDTH: u32 = 560;
/// The room for the names of the rows.
const NAMES: u32 = 190;

/// The colour of each series, in order: told apart by people who do not see red and green
/// apart, and in grey when printed.
pub const COLOURS: [&str; 4] = ["#2e6da4", "#e08a2c", "#7a7a7a", "#5aa35a"];

/// One row of a chart: its name, and per series the value and the value as shown (none: no bar).
pub struct Row<'a> {
    pub name: &'a str,
    pub cells: Vec<Option<(f64, &'a str)>>,
}

/// A bar chart of `rows`, as an SVG element, on a scale to `most` (default: the largest value).
/// The bars run from the names' side: right to left in Persian.
pub fn bars(rows: &[Row<'_>], most: Option<f64>, language: Language) -> String {
    let series = rows.iter().map(|r| r.cells.len()).max().unwrap_or(1).max(1) as u32;
    let row_height = BAR * series + GAP;
    let height = row_height * rows.len().max(1) as u32 + 20;
    let largest = rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten().map(|(v, _)| *v))
        .fold(0.0, f64::max);
    let most = most.unwrap_or(largest).max(largest);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let rtl = language.rtl();
        let (names, plot) = if rtl {
            let (plot, names) = root.split_horizontally(WIDTH - NAMES);
            (names, plot)
        } else {
            root.split_horizontally(NAMES)
        };
        let style = ("sans-serif", 14).into_font().color(&BLACK);
        let (name_x, name_side) = if rtl {
            (NAMES as i32 - 8, HPos::Right)
        } else {
            (8, HPos::Left)
        };
        let plot_width = (WIDTH - NAMES) as i32 - 70;
        for (i, row) in rows.iter().enumerate() {
            let top = (row_height * i as u32 + 10) as i32;
            let middle = top + (BAR * series) as i32 / 2;
            let _ = names.draw(&Text::new(
                row.name.to_string(),
                (name_x, middle),
                style.clone().pos(Pos::new(name_side, VPos::Center)),
            ));
            for (s, cell) in row.cells.iter().enumerate() {
                let Some((value, shown)) = cell else { continue };
                let length = if most > 0.0 {
                    (value.max(0.0) / most * f64::from(plot_width)).round() as i32
                } else {
                    0
                };
                let (from, to) = if rtl {
                    (plot_width + 60 - length, plot_width + 60)
                } else {
                    (10, 10 + length)
                };
                let bar_top = top + (BAR * s as u32) as i32 + 2;
                let _ = plot.draw(&Rectangle::new(
                    [
                        (from, bar_top),
                        (to.max(from + 1), bar_top + BAR as i32 - 4),
                    ],
                    colour(s).filled(),
                ));
                let (label_x, label_side) = if rtl {
                    (from - 6, HPos::Right)
                } else {
                    (to + 6, HPos::Left)
                };
                let _ = plot.draw(&Text::new(
                    shown.to_string(),
                    (label_x, bar_top + BAR as i32 / 2 - 2),
                    style.clone().pos(Pos::new(label_side, VPos::Center)),
                ));
            }
        }
        let _ = root.present();
    }
    svg
}

/// The colour of series `s`, as plotters has it.
fn colour(s: usize) -> RGBColor {
    let hex = COLOURS[s % COLOURS.len()];
    let part = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    RGBColor(part(1), part(3), part(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_per_value_with_its_number() {
        let rows = [
            Row {
                name: "Low",
                cells: vec![Some((3.0, "3"))],
            },
            Row {
                name: "High",
                cells: vec![Some((12.0, "12"))],
            },
        ];
        let svg = bars(&rows, None, Language::En);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(svg.contains(">\n12\n<") || svg.contains(">12<"), "{svg}");
        let persian = bars(
            &[Row {
                name: "کم",
                cells: vec![Some((3.0, "۳"))],
            }],
            None,
            Language::Fa,
        );
        assert!(persian.contains("۳"), "{persian}");
    }

    #[test]
    fn several_series_side_by_side_and_no_bar_for_no_value() {
        let rows = [Row {
            name: "income",
            cells: vec![Some((1.5, "1.5")), None, Some((3.0, "3.0"))],
        }];
        let svg = bars(&rows, Some(5.0), Language::En);
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(svg.contains("#2E6DA4") || svg.contains("#2e6da4"), "{svg}");
        assert!(svg.contains("#7A7A7A") || svg.contains("#7a7a7a"), "{svg}");
    }
}
