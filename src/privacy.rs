//! Which fields of a case are personal (DESIGN §2): `client.*` but `client.sex`,
//! `consent.share_with`, every `note`, `text`, `strengths` and `needs`, and the free-form `extra`
//! (an agency may keep anything there). Their values leave the files only when the user names
//! them with `--include`.

use crate::yaml::Step;

/// Keys that are personal wherever they stand.
pub const PERSONAL_KEYS: &[&str] = &["note", "text", "strengths", "needs"];

/// The personal fields, as `--include` names them.
pub const PERSONAL_FIELDS: &[&str] = &[
    "client.name",
    "client.birth_date",
    "client.national_id",
    "client.phone",
    "client.address",
    "client.household_size",
    "client.guardian",
    "consent.share_with",
    "note",
    "text",
    "strengths",
    "needs",
    "extra",
];

/// Whether the value at `keys` (the keys from the root of the case, list indexes left out) is
/// personal.
pub fn is_personal(keys: &[&str]) -> bool {
    match keys {
        ["client"] | ["extra", ..] | ["consent", "share_with", ..] => true,
        ["client", field, ..] if *field != "sex" => true,
        _ => keys.iter().any(|k| PERSONAL_KEYS.contains(k)),
    }
}

/// Whether the value at `path` in a case is personal (list indexes do not matter). Diagnostics
/// name such a value's place but never quote it: their output ends up in CI logs.
pub fn is_personal_at(path: &[Step]) -> bool {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
        .collect();
    is_personal(&keys)
}

/// Whether the value at `keys` may be shown: it is not personal, or `include` names it.
pub fn may_show(keys: &[&str], include: &[String]) -> bool {
    !is_personal(keys)
        || include.iter().any(|field| {
            let named: Vec<&str> = field.split('.').collect();
            keys.starts_with(&named) || (named.len() == 1 && keys.contains(&named[0]))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_fields() {
        assert!(is_personal(&["client", "name"]));
        assert!(!is_personal(&["client", "sex"]));
        assert!(is_personal(&["consent", "share_with"]));
        assert!(!is_personal(&["consent", "given"]));
        assert!(is_personal(&["reviews", "note"]));
        assert!(is_personal(&["plan", "goals", "text"]));
        assert!(is_personal(&["extra", "paper_file"]));
        assert!(!is_personal(&["plan", "goals", "status"]));
    }

    #[test]
    fn include_names_a_field_or_a_key_everywhere() {
        let include = ["client.phone".to_string(), "note".to_string()];
        assert!(may_show(&["client", "phone"], &include));
        assert!(!may_show(&["client", "name"], &include));
        assert!(may_show(&["reviews", "note"], &include));
        assert!(may_show(&["closure", "note"], &include));
        assert!(!may_show(&["plan", "goals", "text"], &include));
        assert!(may_show(&["risk"], &[]));
    }
}
