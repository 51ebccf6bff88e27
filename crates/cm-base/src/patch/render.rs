//! Rendering new YAML text: scalars and keys written plain when they read back unchanged, else
//! quoted; values in flow style; entries, list items and mappings as lines in the file's
//! indentation and line endings; and a whole new document.

use serde_json::{Map, Value as Json};

use super::layout::Doc;
use crate::path::Step;
use crate::yaml::{self, Node, Style, Value};

impl<'a> Doc<'a> {
    /// Lines to insert at `at`, each ending as the line before; at the end of a file that has
    /// no final line ending, the lines go on a new line and the file still ends without.
    pub(super) fn lines(&self, at: usize, lines: &[String]) -> String {
        let eol = self.eol_at(at);
        let body = lines.join(eol);
        if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with(['\n', '\r']) {
            format!("{eol}{body}")
        } else {
            format!("{body}{eol}")
        }
    }

    /// The lines of `key: value` at `indent`; a collection goes in block style beneath the key.
    pub(super) fn entry_lines(&self, key: &str, value: &Json, indent: usize) -> Vec<String> {
        let pad = " ".repeat(indent);
        let key = scalar_key(key);
        match value {
            Json::Object(map) if !map.is_empty() => {
                let mut lines = vec![format!("{pad}{key}:")];
                lines.extend(self.map_lines(map, indent + self.step, None));
                lines
            }
            Json::Array(items) if !items.is_empty() => {
                let mut lines = vec![format!("{pad}{key}:")];
                for item in items {
                    lines.extend(self.item_lines(item, indent + self.seq_indent, None));
                }
                lines
            }
            _ => vec![format!("{pad}{key}: {}", scalar(value, false, None))],
        }
    }

    /// The lines of one list item whose `-` stands at `dash`, in the style of `like` (the item
    /// before it) when there is one, else flow for a short flat mapping and block otherwise.
    pub(super) fn item_lines(&self, item: &Json, dash: usize, like: Option<&Node>) -> Vec<String> {
        let pad = " ".repeat(dash);
        let as_flow = match like {
            Some(node) => self.is_flow(node) || !matches!(node.value, Value::Map(_)),
            None => prefers_flow(item),
        };
        match item {
            Json::Object(map) if !as_flow && !map.is_empty() => {
                // Content stands where the previous item's does (`-   key:` keeps its spaces).
                let content = like.map_or(dash + 2, |n| (n.span.start.col - 1).max(dash + 2));
                let mut lines = self.map_lines(map, content, like);
                if let Some(first) = lines.first_mut() {
                    let gap = " ".repeat(content - dash - 1);
                    *first = format!("{pad}-{gap}{}", &first[content..]);
                }
                lines
            }
            // A scalar stands in block context here: `- |` would start a block scalar.
            _ => vec![format!("{pad}- {}", scalar(item, false, None))],
        }
    }

    /// A block mapping at `indent`; nested collections copy the style of the same key in `like`,
    /// else are flow when short and flat.
    fn map_lines(
        &self,
        map: &Map<String, Json>,
        indent: usize,
        like: Option<&Node>,
    ) -> Vec<String> {
        let pad = " ".repeat(indent);
        let mut lines = Vec::new();
        for (key, value) in map {
            let nested = matches!(value, Json::Object(m) if !m.is_empty())
                || matches!(value, Json::Array(a) if !a.is_empty());
            let as_flow = match like.and_then(|n| n.get(key)) {
                Some(node) if nested => self.is_flow(node),
                _ => prefers_flow(value),
            };
            if nested && !as_flow {
                lines.extend(self.entry_lines(key, value, indent));
            } else {
                lines.push(format!(
                    "{pad}{}: {}",
                    scalar_key(key),
                    scalar(value, false, None)
                ));
            }
        }
        lines
    }
}

/// A new document: a block mapping whose nested collections are written in block style, except
/// short flat ones inside lists (`- {date: …, phase: intake, by: …}`), with `\n` line endings.
pub fn document(doc: &Map<String, Json>) -> String {
    let empty = Node {
        span: yaml::Span::default(),
        value: Value::Null,
        style: Style::Plain,
    };
    let layout = Doc {
        text: "",
        tree: &empty,
        rank: &|_, _| 0,
        eol: "\n",
        step: 2,
        seq_indent: 2,
    };
    let mut out = String::new();
    for (key, value) in doc {
        for line in layout.entry_lines(key, value, 0) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Short mappings of plain values read best on one line: `{date: …, phase: …, by: …}`.
fn prefers_flow(value: &Json) -> bool {
    let flat = match value {
        Json::Object(m) => m.values().all(|v| !v.is_object() && !v.is_array()),
        Json::Array(a) => a.iter().all(|v| !v.is_object() && !v.is_array()),
        _ => true,
    };
    flat && flow(value).chars().count() <= 80
}

/// A value in flow style, on one line.
pub fn flow(value: &Json) -> String {
    match value {
        Json::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar_key(k), flow(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Json::Array(items) => {
            let inner: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", inner.join(", "))
        }
        _ => scalar(value, true, None),
    }
}

/// A mapping key as YAML text: plain when it reads back as itself both in a flow mapping and at
/// the start of a block mapping's line (where `|`, `- x` or `? x` mean something else).
pub(super) fn scalar_key(key: &str) -> String {
    let block_key = || {
        yaml::parse(&format!("{key}: 0"))
            .is_ok_and(|tree| matches!(tree.entries(), [entry] if entry.key == key))
    };
    if plain_reads_back(key, true) && block_key() {
        key.to_string()
    } else {
        Json::String(key.to_string()).to_string()
    }
}

/// A scalar as YAML text: plain when YAML reads it back as the same string (and no YAML 1.1
/// reader would take it for a boolean), else in `quote` (the quotes the old value had) or
/// double quotes. `flow` says whether it stands inside `[...]`/`{...}`.
pub(super) fn scalar(value: &Json, flow_context: bool, quote: Option<char>) -> String {
    let s = match value {
        Json::String(s) => s,
        Json::Array(_) | Json::Object(_) => return flow(value),
        other => return other.to_string(),
    };
    match quote {
        None if plain_reads_back(s, flow_context) => s.clone(),
        Some('\'') if !s.chars().any(char::is_control) => format!("'{}'", s.replace('\'', "''")),
        // A JSON string is a valid YAML double-quoted scalar.
        _ => Json::String(s.clone()).to_string(),
    }
}

fn plain_reads_back(s: &str, flow_context: bool) -> bool {
    const YAML11_WORDS: &[&str] = &["y", "n", "yes", "no", "on", "off"];
    if s.is_empty()
        || s.chars().any(|c| c.is_control())
        || YAML11_WORDS.contains(&s.to_ascii_lowercase().as_str())
    {
        return false;
    }
    let (text, path) = if flow_context {
        (format!("[{s}]"), [Step::Index(0)])
    } else {
        (format!("k: {s}"), [Step::from("k")])
    };
    match yaml::parse(&text) {
        Ok(tree) => {
            let (node, _, taken) = tree.find(&path);
            taken == 1
                && node.as_str() == Some(s)
                && tree.to_json().as_array().is_none_or(|a| a.len() == 1)
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        let plain = |s: &str| scalar(&json!(s), false, None);
        assert_eq!(plain("مریم رضایی"), "مریم رضایی");
        assert_eq!(plain("2026-03-02"), "2026-03-02");
        assert_eq!(plain("0012345678"), "\"0012345678\"");
        assert_eq!(plain("yes"), "\"yes\"");
        assert_eq!(plain("a # b"), "\"a # b\"");
        assert_eq!(plain("key: value"), "\"key: value\"");
        assert_eq!(plain("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(plain(""), "\"\"");
        assert_eq!(scalar(&json!("a, b"), true, None), "\"a, b\"");
        assert_eq!(scalar(&json!("it's"), false, Some('\'')), "'it''s'");
    }
}
