//! The case fields a column of a spreadsheet can fill, in one table: where each goes in the
//! case file, what it is, how its cells are read, and the headers that name it.

use super::sheet::Sheet;

/// How the cells of a field are read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// Text as it is: a name, a phone, a roster id (which the rules check).
    Text,
    /// One of these names.
    OneOf(&'static [&'static str]),
    /// A day, in the entry's calendar and format.
    Date,
    /// A year, Solar Hijri with `calendar = "persian"`.
    Year,
    /// A whole number.
    Count,
    /// A national id, its lost leading zeros put back with `digits`.
    NationalId,
    /// Yes or no: `true` or `false` (or `yes`, `no`).
    Flag,
    /// Organisation ids, separated by commas (each through the entry's `values`).
    Organisations,
    /// A score of 1 to 5.
    Score,
}

/// The programs, the risks and the sexes, as the case file writes them (a test holds them to
/// the model's names).
pub const PROGRAMS: &[&str] = &[
    "child-protection",
    "disability",
    "female-headed-household",
    "older-person",
    "general",
];
pub const RISKS: &[&str] = &["low", "medium", "high", "critical"];
pub const SEXES: &[&str] = &["female", "male", "other", "unknown"];

/// The field of every domain's score: `assessment.domains.income` and the like.
pub const DOMAINS: &str = "assessment.domains.*";

/// What the name of a domain's score begins with: [`DOMAINS`] without its `*`.
pub const DOMAIN: &str = "assessment.domains.";

/// The hints of a date's map entry.
const DATE_HINTS: &[&str] = &[
    r#"calendar = "persian"    # or "gregorian""#,
    r#"format = "%Y/%m/%d""#,
];

/// The field a map's entry `name` fills, and for a domain's score, the domain; `None` when no
/// field has this name.
pub fn field(name: &str) -> Option<(&'static Field, Option<&str>)> {
    if let Some(domain) = name.strip_prefix(DOMAIN) {
        let field = FIELDS.iter().find(|f| f.path == DOMAINS)?;
        return Some((field, Some(domain)));
    }
    FIELDS.iter().find(|f| f.path == name).map(|f| (f, None))
}

/// A case field a column can fill: its place in the case file, what it is, and the headers
/// that name it (Latin ones compared without case; Persian ones as offices write them).
pub struct Field {
    pub path: &'static str,
    pub what: &'static str,
    /// The other keys of a map entry that are worth filling in for it, as comments.
    pub hints: &'static [&'static str],
    /// Its values are a closed set (`sex`, `program`, `caseworker`): the template lists the
    /// column's own values in a table to fill in.
    pub closed: bool,
    /// Every case needs it, from a column or a default.
    pub required: bool,
    /// How its cells are read.
    pub kind: Kind,
    headers: &'static [&'static str],
}

/// Every field a map may fill, in the order of the case file.
pub const FIELDS: &[Field] = &[
    Field {
        path: "program",
        what: "the program: child-protection, disability, female-headed-household, older-person, general (required)",
        hints: &[
            r#"values = { "زنان سرپرست خانوار" = "female-headed-household" }"#,
            r#"default = "general""#,
        ],
        closed: true,
        required: true,
        kind: Kind::OneOf(PROGRAMS),
        headers: &["program", "برنامه"],
    },
    Field {
        path: "opened",
        what: "the day the case was opened (required)",
        hints: DATE_HINTS,
        closed: false,
        required: true,
        kind: Kind::Date,
        headers: &["opened", "date", "تاریخ پذیرش", "تاریخ تشکیل پرونده"],
    },
    Field {
        path: "caseworker",
        what: "who holds the case, a roster id (required)",
        hints: &[r#"values = { "سارا احمدی" = "s.ahmadi" }"#],
        closed: true,
        required: true,
        kind: Kind::Text,
        headers: &["caseworker", "case_worker", "مددکار"],
    },
    Field {
        path: "risk",
        what: "the risk at intake: low, medium, high, critical (default medium)",
        hints: &[r#"values = { "زیاد" = "high" }"#],
        closed: true,
        required: false,
        kind: Kind::OneOf(RISKS),
        headers: &["risk", "خطر", "سطح خطر"],
    },
    Field {
        path: "client.name",
        what: "the client's full name, in any script (required)",
        hints: &[],
        closed: false,
        required: true,
        kind: Kind::Text,
        headers: &[
            "name",
            "client",
            "full_name",
            "نام",
            "نام و نام خانوادگی",
            "نام مددجو",
        ],
    },
    Field {
        path: "client.sex",
        what: "female, male, other, unknown (required)",
        hints: &[r#"values = { "زن" = "female", "مرد" = "male" }"#],
        closed: true,
        required: true,
        kind: Kind::OneOf(SEXES),
        headers: &["sex", "gender", "جنسیت", "جنس"],
    },
    Field {
        path: "client.birth_date",
        what: "the date of birth",
        hints: DATE_HINTS,
        closed: false,
        required: false,
        kind: Kind::Date,
        headers: &["birth_date", "date_of_birth", "dob", "born", "تاریخ تولد"],
    },
    Field {
        path: "client.birth_year",
        what: "the year of birth, when the day is not known",
        hints: &[r#"calendar = "persian"    # a Solar Hijri year"#],
        closed: false,
        required: false,
        kind: Kind::Year,
        headers: &["birth_year", "year_of_birth", "سال تولد"],
    },
    Field {
        path: "client.national_id",
        what: "the national id; `digits = 10` puts back the leading zeros a spreadsheet lost",
        hints: &["digits = 10"],
        closed: false,
        required: false,
        kind: Kind::NationalId,
        headers: &["national_id", "nid", "national_code", "کد ملی", "شماره ملی"],
    },
    Field {
        path: "client.phone",
        what: "the phone number",
        hints: &[],
        closed: false,
        required: false,
        kind: Kind::Text,
        headers: &[
            "phone",
            "mobile",
            "telephone",
            "تلفن",
            "تلفن همراه",
            "موبایل",
            "شماره تماس",
        ],
    },
    Field {
        path: "client.address",
        what: "the address",
        hints: &[],
        closed: false,
        required: false,
        kind: Kind::Text,
        headers: &["address", "نشانی", "آدرس"],
    },
    Field {
        path: "client.household_size",
        what: "the number of people in the household",
        hints: &[],
        closed: false,
        required: false,
        kind: Kind::Count,
        headers: &["household_size", "بعد خانوار", "تعداد اعضای خانوار"],
    },
    Field {
        path: "client.guardian",
        what: "who decides when the client cannot",
        hints: &[],
        closed: false,
        required: false,
        kind: Kind::Text,
        headers: &["guardian", "سرپرست", "قیم"],
    },
    Field {
        path: "consent.given",
        what: "the client's first decision about consent: true (given) or false (refused)",
        hints: &[r#"values = { "بله" = "true", "خیر" = "false" }"#],
        closed: true,
        required: false,
        kind: Kind::Flag,
        headers: &["consent", "consent_given", "رضایت", "رضایت نامه"],
    },
    Field {
        path: "consent.date",
        what: "the day of that decision (without it, the decision counts from the start)",
        hints: DATE_HINTS,
        closed: false,
        required: false,
        kind: Kind::Date,
        headers: &["consent_date", "تاریخ رضایت"],
    },
    Field {
        path: "consent.share_with",
        what: "the organisations the client allowed their data to go to, separated by commas",
        hints: &[r#"values = { "بهزیستی" = "behzisti", "کمیته امداد" = "emdad" }    # each one"#],
        closed: false,
        required: false,
        kind: Kind::Organisations,
        headers: &["share_with", "تبادل اطلاعات با"],
    },
    Field {
        path: "assessment.date",
        what: "the day of the assessment, when the row scores its domains",
        hints: DATE_HINTS,
        closed: false,
        required: false,
        kind: Kind::Date,
        headers: &["assessment_date", "تاریخ ارزیابی"],
    },
    Field {
        path: DOMAINS,
        what: "the score of a domain at the assessment, 1 to 5: one entry for each domain, named after `assessment.domains.`",
        hints: &[],
        closed: false,
        required: false,
        kind: Kind::Score,
        headers: &[],
    },
    Field {
        path: "household",
        what: "the household, HH-…, shared by the cases of one family",
        hints: &[],
        closed: false,
        required: false,
        kind: Kind::Text,
        headers: &["household", "household_id", "کد خانوار"],
    },
    Field {
        path: "note",
        what: "a note for the intake entry of the history",
        hints: &[],
        closed: false,
        required: false,
        kind: Kind::Text,
        headers: &["note", "notes", "توضیحات", "یادداشت"],
    },
];

/// The header of `sheet` that names `field` at `path`, if one does: the path
/// (`client.name`), its last part (`name`), or one of the field's usual headers, compared
/// without case, spaces around, or the difference between spaces, `-` and `_`.
pub fn header_for(sheet: &Sheet, field: &Field, path: &str) -> Option<usize> {
    let key = |s: &str| {
        s.trim()
            .to_lowercase()
            .replace([' ', '-'], "_")
            .replace('\u{200c}', " ")
    };
    let last = path.rsplit('.').next().unwrap_or(path);
    let names: Vec<String> = [path, last]
        .into_iter()
        .chain(field.headers.iter().copied())
        .map(key)
        .collect();
    sheet.header.iter().position(|h| names.contains(&key(h)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cm_base::names::Names;
    use cm_case::{Program, Risk, Sex};

    fn names<T: Names>() -> Vec<&'static str> {
        T::ALL.iter().map(|v| v.as_str()).collect()
    }

    #[test]
    fn the_closed_sets_are_the_models() {
        assert_eq!(PROGRAMS, names::<Program>());
        assert_eq!(RISKS, names::<Risk>());
        assert_eq!(SEXES, names::<Sex>());
    }
}
