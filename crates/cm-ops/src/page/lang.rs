//! The labels of the pages, one catalogue per language: a TOML file of `[page]` words,
//! `[figures]` (a metric, or the group of a dotted one), `[values]` (what a figure is broken
//! down by, its measures, and the values of a case's closed lists) and `[print]` (the words of
//! the case documents). A third language is one more file and one line here.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use cm_base::language::Language;

/// The catalogue files, by language.
const FILES: &[(Language, &str)] = &[
    (Language::En, include_str!("lang/en.toml")),
    (Language::Fa, include_str!("lang/fa.toml")),
];

/// The labels of one language.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    page: HashMap<String, String>,
    figures: HashMap<String, String>,
    values: HashMap<String, String>,
    print: HashMap<String, String>,
}

impl Catalogue {
    /// The catalogue of `language`, read once.
    pub fn of(language: Language) -> &'static Catalogue {
        static READ: OnceLock<Vec<(Language, Catalogue)>> = OnceLock::new();
        let all = READ.get_or_init(|| {
            FILES
                .iter()
                .map(|(language, text)| {
                    let catalogue = toml::from_str(text).unwrap_or_else(|e| {
                        panic!("the {language} catalogue of the pages is not valid: {e}")
                    });
                    (*language, catalogue)
                })
                .collect()
        });
        all.iter()
            .find(|(l, _)| *l == language)
            .map(|(_, c)| c)
            .expect("every language has its catalogue")
    }

    /// A word of the page; the key itself when the catalogue lacks it (a test holds every
    /// catalogue to the keys of English).
    pub fn page<'a>(&'a self, key: &'a str) -> &'a str {
        self.page.get(key).map_or(key, String::as_str)
    }

    /// Every word of the page, for the template.
    pub fn page_words(&self) -> &HashMap<String, String> {
        &self.page
    }

    /// A word of the case documents; the key itself when the catalogue lacks it.
    pub fn print<'a>(&'a self, key: &'a str) -> &'a str {
        self.print.get(key).map_or(key, String::as_str)
    }

    /// Every word of the case documents, for the templates.
    pub fn print_words(&self) -> &HashMap<String, String> {
        &self.print
    }

    /// The name of a figure or of a group of figures.
    pub fn figure<'a>(&'a self, key: &'a str) -> &'a str {
        self.figures.get(key).map_or(key, String::as_str)
    }

    /// The name of what a figure is broken down by, or of one of its measures.
    pub fn value<'a>(&'a self, key: &'a str) -> &'a str {
        self.values.get(key).map_or(key, String::as_str)
    }

    /// Whether `part` names what a figure is broken down by (a program, a reason, a bin), not
    /// one of its measures (a median, a share) or its total.
    pub fn is_breakdown(&self, part: &str) -> bool {
        self.values.contains_key(part) && !MEASURES.contains(&part)
    }

    /// Every key of the catalogue, as `page.KEY`, `figures.KEY` and `values.KEY`.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = [
            ("page", &self.page),
            ("figures", &self.figures),
            ("values", &self.values),
            ("print", &self.print),
        ]
        .iter()
        .flat_map(|(table, map)| map.keys().map(move |k| format!("{table}.{k}")))
        .collect();
        keys.sort();
        keys
    }
}

/// The parts of a dotted figure that are its measures, not a breakdown.
const MEASURES: &[&str] = &[
    "total",
    "median",
    "mean",
    "within_deadline",
    "within_response_days",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_label_of_english() {
        let english = Catalogue::of(Language::En).keys();
        for (language, _) in FILES {
            assert_eq!(Catalogue::of(*language).keys(), english, "{language}");
        }
        assert_eq!(FILES.len(), <Language as cm_base::names::Names>::ALL.len());
    }
}
