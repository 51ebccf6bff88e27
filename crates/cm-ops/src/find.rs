//! `cm find`: is this person already known here? A client found by name across spellings
//! (similarity-ranked, see [`cm_base::spelling`]), or by national id or phone number in any
//! digits, over open and closed cases.

use cm_base::spelling::{self, Name};
use cm_case::{Case, Client, Phase, Program};

use crate::output::{Cell, Table};
use crate::report::{PERSONAL_DATE_COLUMN, personal_cells};

/// How alike a name must be to the one asked for to be found: a name of the same words spelt
/// another way (`علي رضائي`, `Ali Rezaei` for `علی رضایی`) scores 0.9 or more; a first name alone
/// finds the full names that have it (1 less 0.1 for the word it lacks).
pub const NAME_THRESHOLD: f64 = 0.85;

/// How many of the best matches are shown unless every one is asked for (`--all`).
pub const BEST: usize = 10;

/// The columns of the listing, before those of the personal fields asked for.
pub const COLUMNS: &[&str] = &[
    "id",
    "program",
    "phase",
    "caseworker",
    "opened",
    "matched_by",
    "score",
];

cm_base::names!(
    /// What a case was found by.
    pub By {
        Name = "name",
        NationalId = "national_id",
        Phone = "phone",
    }
);

/// What the user asked for: a name, or a number (a national id or a phone number).
#[derive(Clone, Debug)]
pub enum Query {
    Name(Name),
    /// The digits of the number, and the phone number they make (see [`phone_key`]).
    Number {
        digits: String,
        phone: String,
    },
}

/// The fewest digits a number asked for may have: fewer would find by chance.
pub const FEWEST_DIGITS: usize = 5;

impl Query {
    /// The query `text` asks: a number when it has no letter (digits in any script, with
    /// spaces, `+`, `-` or parentheses), else a name. `None` when it asks for nothing that can
    /// be found: no letter and fewer than [`FEWEST_DIGITS`] digits.
    pub fn parse(text: &str) -> Option<Query> {
        if text.chars().any(char::is_alphabetic) {
            let name = Name::new(text);
            return (!name.is_empty()).then_some(Query::Name(name));
        }
        let digits = spelling::digits(text);
        (digits.len() >= FEWEST_DIGITS).then(|| Query::Number {
            phone: phone_key(&digits),
            digits,
        })
    }

    /// How well `client` matches, and by what; `None` when it does not.
    pub fn matches(&self, client: &Client) -> Option<(f64, By)> {
        match self {
            Query::Name(name) => {
                let score = name.similarity(&Name::new(client.name.as_deref()?));
                (score >= NAME_THRESHOLD).then_some((score, By::Name))
            }
            Query::Number { digits, phone } => {
                let same = |value: &Option<String>, key: fn(&str) -> String, wanted: &str| {
                    value.as_deref().is_some_and(|v| key(v) == wanted)
                };
                if same(&client.national_id, spelling::digits, digits) {
                    Some((1.0, By::NationalId))
                } else if same(&client.phone, |v| phone_key(&spelling::digits(v)), phone) {
                    Some((1.0, By::Phone))
                } else {
                    None
                }
            }
        }
    }
}

/// A phone number as it is compared: its digits without the international prefix (`00` or
/// `+`), Iran's country code (`98`) or the trunk `0`, so that `+98 912 000 0000` and
/// `0912 000 0000` are one number.
pub fn phone_key(digits: &str) -> String {
    let d = digits.strip_prefix("00").unwrap_or(digits);
    let d = match d.strip_prefix("98") {
        Some(rest) if rest.len() >= 10 => rest,
        _ => d,
    };
    d.trim_start_matches('0').to_string()
}

/// A case found, with what it sorts by.
pub struct Found {
    score: f64,
    id: Option<String>,
    display: String,
    cells: Vec<Cell>,
}

/// The row of `case` (read from the file shown as `display`) when it matches `query`, with a
/// cell for each personal field of `include`.
pub fn found(query: &Query, case: &Case, display: String, include: &[String]) -> Option<Found> {
    let (score, by) = query.matches(case.client.as_ref()?)?;
    let mut cells: Vec<Cell> = vec![
        case.id.as_deref().into(),
        case.program.map(Program::as_str).into(),
        case.phase.map(Phase::as_str).into(),
        case.caseworker.as_deref().into(),
        case.opened.into(),
        by.as_str().into(),
        Cell::Decimal(score, 2),
    ];
    cells.extend(personal_cells(case, include));
    Some(Found {
        score,
        id: case.id.clone(),
        display,
        cells,
    })
}

/// The listing of `found`, best match first (then by id and file): the [`BEST`] best, or every
/// one with `all`, with a column for each of `include`; and how many matches it leaves out.
pub fn table(mut found: Vec<Found>, all: bool, include: &[String]) -> (Table, usize) {
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| (&a.id, &a.display).cmp(&(&b.id, &b.display)))
    });
    let more = if all {
        0
    } else {
        found.len().saturating_sub(BEST)
    };
    found.truncate(found.len() - more);
    let header = COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(include.iter().cloned())
        .collect();
    let mut table = Table::with_header(header).dates(&["opened", PERSONAL_DATE_COLUMN]);
    for f in found {
        table.push(f.cells);
    }
    (table, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(name: &str, national_id: Option<&str>, phone: Option<&str>) -> Client {
        Client {
            name: Some(name.to_string()),
            national_id: national_id.map(str::to_string),
            phone: phone.map(str::to_string),
            ..Client::default()
        }
    }

    #[test]
    fn a_client_is_found_by_name_in_any_spelling_or_by_number_in_any_digits() {
        let maryam = client("مریم رضایی", Some("0012345678"), Some("0912 000 1111"));
        let by = |q: &str| {
            Query::parse(q)
                .and_then(|q| q.matches(&maryam))
                .map(|m| m.1)
        };
        for q in ["مريم رضائي", "Maryam Rezaei", "rezaei maryam", "مریم"] {
            assert_eq!(by(q), Some(By::Name), "{q}");
        }
        assert_eq!(by("۰۰۱۲۳۴۵۶۷۸"), Some(By::NationalId));
        assert_eq!(by("001-234-5678"), Some(By::NationalId));
        assert_eq!(by("+98 912 000 1111"), Some(By::Phone));
        assert_eq!(by("00989120001111"), Some(By::Phone));
        for q in ["Maryam Karimi", "زهرا رضایی", "0012345679", "912 000 1112"] {
            assert_eq!(by(q), None, "{q}");
        }
        assert!(Query::parse("123").is_none());
        assert!(Query::parse(" - ").is_none());
    }
}
