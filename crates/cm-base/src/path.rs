//! Paths into a case document (`services[1].goal`), as steps of keys and indices, and how a path
//! and a key are named in messages.
//!
//! A key is named as written only when it looks like one; text typed where a key belongs may be
//! personal (see [`key_name`]).

use std::borrow::Cow;

/// One step of a path into the tree: a mapping key or a sequence index. A key the program
/// names (`at!["services", i, "goal"]`) is borrowed, not copied: the rules make many paths.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Key(Cow<'static, str>),
    Index(usize),
}

/// Builds a path of [`Step`]s: `at!["services", 1, "goal"]`.
#[macro_export]
macro_rules! at {
    ($($step:expr),* $(,)?) => { vec![$($crate::path::Step::from($step)),*] };
}

impl From<&'static str> for Step {
    fn from(s: &'static str) -> Step {
        Step::Key(Cow::Borrowed(s))
    }
}

impl From<&String> for Step {
    fn from(s: &String) -> Step {
        Step::Key(Cow::Owned(s.clone()))
    }
}

impl From<String> for Step {
    fn from(s: String) -> Step {
        Step::Key(Cow::Owned(s))
    }
}

impl From<usize> for Step {
    fn from(i: usize) -> Step {
        Step::Index(i)
    }
}

/// A path as a person reads it: `services[1].goal`, or `the case` for the root. A key that does
/// not look like one is shown as `…` (see [`key_name`]).
pub fn dotted(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(&key_name(k)),
            Step::Key(k) => {
                out.push('.');
                out.push_str(&key_name(k));
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        "the case".to_string()
    } else {
        out
    }
}

/// The keys of `path`, list indexes left out.
pub fn keys_of(path: &[Step]) -> Vec<&str> {
    path.iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k.as_ref()),
            Step::Index(_) => None,
        })
        .collect()
}

/// A key as it may be named in a message: as written when it looks like a key (a letter, then
/// letters, digits and `_ . -`, at most 40 in all, as every key of the schema, every domain name
/// and every goal id does), else `…`, since text typed where a key belongs (`Leila Mousavi
/// 0041819098:`, a phone number) may be personal.
pub fn key_name(key: &str) -> Cow<'_, str> {
    let looks_like_a_key = key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if looks_like_a_key {
        Cow::Borrowed(key)
    } else {
        Cow::Borrowed("…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_named_only_when_it_looks_like_one() {
        for key in ["mental_health", "G1", "client", "paper_file"] {
            assert_eq!(key_name(key), key);
        }
        for key in [
            "Leila Mousavi 0041819098",
            "09123058874",
            "+98 912",
            "مریم",
            "",
        ] {
            assert_eq!(key_name(key), "…", "{key}");
        }
    }

    #[test]
    fn paths_read_as_written() {
        let path: Vec<Step> = at!["services", 1, "goal"];
        assert_eq!(dotted(&path), "services[1].goal");
        assert_eq!(dotted(&[]), "the case");
        let path: Vec<Step> = at!["extra", "09123058874"];
        assert_eq!(dotted(&path), "extra.…");
    }
}
