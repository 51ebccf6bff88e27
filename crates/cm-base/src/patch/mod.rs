//! The surgical edit: a change to a case made as text, at the places the parser reports, so that
//! every other byte of the file — comments, key order, quoting, blank lines, line endings — stays
//! as it was and the git diff shows only the change.
//!
//! A change is said once, as a [`Change`] to the document. [`apply_json`] applies it to the
//! document's JSON value and [`apply_text`] to its text; the caller parses the new text again and
//! checks that both agree, so an edit that would change anything else is never written.
//!
//! What the editor can do is what the workflow needs: replace one scalar, add a key to a mapping
//! (after the key that precedes it in the contract's order), append an item to a list (creating
//! the key when it is absent), and remove a key with its whole value. A key is removed as whole
//! lines, from its own to the one its value ends on (with the comment at the end of that line);
//! so only a key that starts its line in a block mapping can be, not one inside `{...}` or after
//! a list item's `-`. The comments and blank lines around it stay, and a mapping that loses its
//! last key is written `{}`; a key added in the same edit right after it in the contract's order
//! takes its place (`cm reopen` moves `closure` into `episodes` so). Lines end where YAML ends
//! them: at `\n`, `\r\n` or a lone `\r` (as old Mac editors write), and each new line ends as the
//! line before it. New text copies the file's indentation and the style of its neighbours: an item
//! appended to a list of `{...}` items is written `{...}` too, a flow list (`[a, b]`) grows in
//! place, and so does a flow mapping (`{a: 1}`), its new key in the contract's order as in a block.
//! An empty list (`[]`, `~` or nothing) becomes a block list under its key. New scalars are written
//! plain when YAML reads them back unchanged, else double-quoted; a replaced scalar keeps its
//! quotes.

use serde_json::Value as Json;

use crate::path::Step;
use crate::yaml::{self, Node, Style, Value};

mod layout;
mod render;

use layout::Doc;
pub use render::{document, flow};
use render::{scalar, scalar_key};

/// One change to a case document.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Sets the value of a mapping key; the mapping must exist. A missing key is added.
    Set(Vec<Step>, Json),
    /// Appends an item to the list at a mapping key, creating the list when it is absent.
    Push(Vec<Step>, Json),
    /// Removes a key of a mapping, and its whole value; the key must be there.
    Remove(Vec<Step>),
}

impl Change {
    /// The mapping key the change is about, from the document's root.
    pub fn path(&self) -> &[Step] {
        let (Change::Set(path, _) | Change::Push(path, _) | Change::Remove(path)) = self;
        path
    }
}

/// The file has a shape the change cannot be made to (say, `history` is not a list).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EditError(pub String);

type Result<T> = std::result::Result<T, EditError>;

/// The mapping key a change is about, and the path of the mapping holding it.
fn split(path: &[Step]) -> Result<(&[Step], &str)> {
    match path.split_last() {
        Some((Step::Key(key), parent)) => Ok((parent, key)),
        _ => Err(EditError("a change must name a mapping key".to_string())),
    }
}

/// Applies `changes` to a document's JSON value.
pub fn apply_json(doc: &mut Json, changes: &[Change]) -> Result<()> {
    for change in changes {
        let path = change.path();
        let (parent_path, key) = split(path)?;
        let mut parent = &mut *doc;
        for step in parent_path {
            parent = match (step, parent) {
                (Step::Key(k), Json::Object(map)) => map.get_mut(k.as_ref()),
                (Step::Index(i), Json::Array(items)) => items.get_mut(*i),
                _ => None,
            }
            .ok_or_else(|| missing(parent_path))?;
        }
        let Json::Object(map) = parent else {
            return Err(missing(parent_path));
        };
        match change {
            Change::Set(_, value) => {
                map.insert(key.to_string(), value.clone());
            }
            Change::Push(_, item) => match map.get_mut(key) {
                None | Some(Json::Null) => {
                    map.insert(key.to_string(), Json::Array(vec![item.clone()]));
                }
                Some(Json::Array(items)) => items.push(item.clone()),
                Some(_) => return Err(not_a_list(path)),
            },
            // `shift_remove`: the keys after it keep their order, as they do in the text.
            Change::Remove(_) => {
                map.shift_remove(key).ok_or_else(|| not_there(path))?;
            }
        }
    }
    Ok(())
}

fn missing(path: &[Step]) -> EditError {
    EditError(format!("{} is not a mapping", crate::path::dotted(path)))
}

fn not_a_list(path: &[Step]) -> EditError {
    EditError(format!("{} is not a list", crate::path::dotted(path)))
}

fn not_there(path: &[Step]) -> EditError {
    EditError(format!(
        "{} is not there to remove",
        crate::path::dotted(path)
    ))
}

/// Where a key stands among the keys of the mapping at a path, in the order new keys are written
/// in: a key added to a mapping goes after the last key present that ranks before it.
pub type Rank<'a> = &'a dyn Fn(&[Step], &str) -> usize;

/// Applies `changes` to `text`, whose parse is `tree`, and returns the new text. New keys are
/// placed by `rank`.
pub fn apply_text(text: &str, tree: &Node, changes: &[Change], rank: Rank<'_>) -> Result<String> {
    for (i, change) in changes.iter().enumerate() {
        for earlier in &changes[..i] {
            apart(earlier, change)?;
        }
    }
    let doc = Doc::new(text, tree, rank);
    let mut patches = Vec::new();
    let mut removals = Vec::new();
    for (order, change) in changes.iter().enumerate() {
        let path = change.path();
        let (parent_path, key) = split(path)?;
        // Whether a key of the same mapping is removed by these changes.
        let removed = |k: &str| {
            changes.iter().any(|c| {
                matches!(c, Change::Remove(_))
                    && split(c.path()).is_ok_and(|(p, other)| p == parent_path && other == k)
            })
        };
        let (parent, _, taken) = tree.find(parent_path);
        if taken < parent_path.len() || !matches!(parent.value, Value::Map(_)) {
            return Err(missing(parent_path));
        }
        // A new key goes after whatever else is written at the same place: an item appended to
        // the list that ends there belongs to that list.
        let order = match parent.entry(key) {
            Some(_) => order,
            None => changes.len() + order,
        };
        let mut add = |start: usize, end: usize, text: String| {
            patches.push(Patch {
                start,
                end,
                text,
                order,
            })
        };
        match (change, parent.entry(key)) {
            (Change::Set(_, value), Some(entry)) => {
                let (start, end) = doc.replace_scalar(&entry.value, path)?;
                let quote = Doc::quote_of(&entry.value);
                let new = scalar(value, doc.is_flow(parent), quote);
                let (end, new) = doc.keep_comment_column(start, end, new);
                add(start, end, new);
            }
            (Change::Set(_, value), None) => {
                doc.add_key(parent, parent_path, key, value, &removed, &mut add)?
            }
            (Change::Push(_, item), None) => doc.add_key(
                parent,
                parent_path,
                key,
                &Json::Array(vec![item.clone()]),
                &removed,
                &mut add,
            )?,
            (Change::Push(_, item), Some(entry)) => doc.push(entry, path, item, &mut add)?,
            (Change::Remove(_), None) => return Err(not_there(path)),
            (Change::Remove(_), Some(entry)) => {
                let (start, end) = doc.remove(parent, entry, path)?;
                // YAML reads a key with nothing under it as null, not as an empty mapping: a
                // mapping that loses its last key is written `{}` where that key was, unless
                // another change adds a key to it.
                let last = parent.entries().last() == Some(entry);
                let empty = match last && removes_all(changes, parent_path, parent) {
                    true => doc.empty_mapping(start, end),
                    false => String::new(),
                };
                removals.push((start, end, empty.clone()));
                match adds_to(changes, parent_path) {
                    true => add(start, end, String::new()),
                    false => add(start, end, empty),
                }
            }
        }
    }
    doc.reads_the_same_without(&mut removals, changes)?;
    for p in &patches {
        doc.can_insert_after_the_end(p.start)?;
    }
    // Text inserted where removed lines start goes before them: it ends what comes before (an
    // item appended to the list that the removed key follows, say).
    patches.sort_by_key(|p| (p.start, p.end > p.start, p.order));
    for pair in patches.windows(2) {
        if pair[0].end > pair[1].start {
            return Err(EditError("two changes overlap in the file".to_string()));
        }
    }
    let mut out = text.to_string();
    for p in patches.iter().rev() {
        out.replace_range(p.start..p.end, &p.text);
    }
    Ok(out)
}

/// Refuses two changes that would write the same lines: two to one key (an absent key would be
/// added twice), or one to a key inside a key that the other removes.
fn apart(a: &Change, b: &Change) -> Result<()> {
    let dotted = crate::path::dotted;
    if a.path() == b.path() {
        return Err(EditError(format!("{} is changed twice", dotted(a.path()))));
    }
    for (outer, inner) in [(a, b), (b, a)] {
        if matches!(outer, Change::Remove(_)) && inner.path().starts_with(outer.path()) {
            return Err(EditError(format!(
                "{} is removed, and {} inside it is changed",
                dotted(outer.path()),
                dotted(inner.path())
            )));
        }
    }
    Ok(())
}

/// Whether `changes` remove every key of the mapping `parent` (at the path `at`).
fn removes_all(changes: &[Change], at: &[Step], parent: &Node) -> bool {
    let removed = |key: &str| {
        changes.iter().any(|c| {
            matches!(c, Change::Remove(_))
                && split(c.path()).is_ok_and(|(p, k)| p == at && k == key)
        })
    };
    parent.entries().iter().all(|e| removed(&e.key))
}

/// Whether `changes` set or append to a key of the mapping at `at`: it keeps that key, whatever
/// else is removed.
fn adds_to(changes: &[Change], at: &[Step]) -> bool {
    changes
        .iter()
        .any(|c| !matches!(c, Change::Remove(_)) && split(c.path()).is_ok_and(|(p, _)| p == at))
}

/// Replace the bytes `start..end` by `text`.
struct Patch {
    start: usize,
    end: usize,
    text: String,
    /// Which change made it: insertions at one place keep the order of the changes.
    order: usize,
}

/// The edits themselves: which bytes of the text each change replaces, and by what.
impl<'a> Doc<'a> {
    /// Whether text may be inserted at `at`. A file whose last line holds only spaces, with no
    /// line break, may read differently once text is inserted after its last character that is
    /// not a space: the parser counts such a line as a line of a block scalar before it (one
    /// more line break of its value) only while the line ends the file, and without a line
    /// break. Inserted at the very end, the text gives the line its line break; before it, the
    /// line no longer follows the scalar.
    fn can_insert_after_the_end(&self, at: usize) -> Result<()> {
        let last_start = self.line_start(self.text.len());
        let last = &self.text[last_start..];
        if last.is_empty() || !last.trim().is_empty() || at < self.text.trim_end().len() {
            return Ok(());
        }
        let probe = if at == self.text.len() {
            format!("{}{}", self.text, self.eol_at(at))
        } else {
            self.text[..last_start].to_string()
        };
        if yaml::parse(&probe).is_ok_and(|tree| tree.to_json() == self.tree.to_json()) {
            return Ok(());
        }
        Err(EditError(
            "the file ends in a line of spaces without a line break, and the value before it \
             would read differently after the edit; delete the spaces at the end of the file, or \
             end its last line with a line break, and run the command again"
                .to_string(),
        ))
    }

    /// A replacement for the scalar at `start..end` that keeps a comment after it in its
    /// column, taking or giving spaces (at least one stays): returns the end of the range to
    /// replace and the text to put there.
    fn keep_comment_column(&self, start: usize, end: usize, new: String) -> (usize, String) {
        let rest = &self.text[end..self.after_line(end)];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if spaces == 0 || !rest[spaces..].starts_with('#') {
            return (end, new);
        }
        let old_width = self.text[start..end].chars().count() + spaces;
        let pad = old_width.saturating_sub(new.chars().count()).max(1);
        (end + spaces, format!("{new}{}", " ".repeat(pad)))
    }

    /// The byte range of a scalar to be replaced.
    fn replace_scalar(&self, node: &Node, path: &[Step]) -> Result<(usize, usize)> {
        let start = self.byte(node.span.start);
        let replaceable = match node.style {
            Style::SingleQuoted | Style::DoubleQuoted => true,
            Style::Plain => {
                node.span.start.line == node.span.end.line
                    && node.span.end.index > node.span.start.index
            }
            _ => false,
        };
        // An anchored value (`risk: &r high`) may stand for others (`*r`): replacing it would
        // change them, or leave them standing for nothing.
        let anchored = self.text[start..].starts_with('&');
        if !replaceable || anchored {
            // Only a scalar written on one line is replaced in place: a block has lines of its
            // own, and an alias stands for a value written elsewhere.
            let how = match node.style {
                _ if anchored => "carries an anchor (`&name`) that other values may stand for",
                Style::Alias => "is an alias (`*name`) of a value written elsewhere",
                Style::Block => "is written as a block (`|` or `>`)",
                _ => "is not written on one line",
            };
            let key = match path.last() {
                Some(Step::Key(key)) => scalar_key(key),
                _ => crate::path::dotted(path),
            };
            // The value is quoted as an example only when it is a plain one: an alias may stand
            // for a whole mapping, the client's, say.
            let value = match node.to_json() {
                Json::Object(_) | Json::Array(_) => "…".to_string(),
                plain => scalar(&plain, false, None),
            };
            return Err(EditError(format!(
                "{} {how}; write it on the line of its key (`{key}: {value}`) and run the command \
                 again",
                crate::path::dotted(path),
            )));
        }
        Ok((start, self.end(node)))
    }

    /// The lines to remove for the key of `entry` (at `path`) in the mapping `parent`: from the
    /// start of the key's line to after the line on which its value ends, so that a comment at
    /// the end of that line goes too, and its line break. Comment lines and blank lines before
    /// the key and after the value stay: they may be about what is around it.
    fn remove(&self, parent: &Node, entry: &yaml::Entry, path: &[Step]) -> Result<(usize, usize)> {
        let key = self.byte(entry.key_span.start);
        let start = self.line_start(key);
        let before = &self.text[start..key];
        if self.is_flow(parent) || !before.trim_start_matches(' ').is_empty() {
            return Err(self.cannot_remove(parent, before, path));
        }
        let end = self.after_line(self.end(&entry.value).max(self.key_end(entry)));
        Ok((start, end))
    }

    /// An empty mapping, `{}`, to replace the lines `start..end` of its last key: indented as
    /// the key was, and ending as its last line did.
    fn empty_mapping(&self, start: usize, end: usize) -> String {
        let line = &self.text[start..];
        let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
        let eol = &self.text[self.text[..end].trim_end_matches(['\n', '\r']).len()..end];
        format!("{indent}{{}}{eol}")
    }

    /// Why the key at `path` cannot be removed in place: only a key that starts its line, in a
    /// block mapping, has whole lines of its own to remove. `before` is what precedes it on its
    /// line.
    fn cannot_remove(&self, parent: &Node, before: &str, path: &[Step]) -> EditError {
        let dotted = crate::path::dotted;
        let (why, remedy) = if self.is_flow(parent) {
            let mapping = dotted(&path[..path.len() - 1]);
            (
                "is written inside a `{...}` mapping".to_string(),
                format!("write {mapping} as a block, one key to a line,"),
            )
        } else if before.trim_end().ends_with('-') {
            (
                "shares its line with the `-` of its list item".to_string(),
                "start the item with another of its keys, or write its keys on the lines below \
                 the `-`,"
                    .to_string(),
            )
        } else {
            (
                format!("shares its line with `{}`", before.trim()),
                "write it at the start of a line of its own".to_string(),
            )
        };
        EditError(format!(
            "{} {why}, so it cannot be removed in place; {remedy} and run the command again",
            dotted(path)
        ))
    }

    /// Whether the document reads as intended once the `removals` (ranges and their new text)
    /// are made. A block scalar (`|` or `>`) before a removed key would take in the lines after
    /// it: blank lines when it keeps them (`|+`), comment lines indented as far as its content.
    fn reads_the_same_without(
        &self,
        removals: &mut [(usize, usize, String)],
        changes: &[Change],
    ) -> Result<()> {
        if removals.is_empty() {
            return Ok(());
        }
        removals.sort_by_key(|r| r.0);
        let mut probe = self.text.to_string();
        for (start, end, new) in removals.iter().rev() {
            probe.replace_range(*start..*end, new);
        }
        let removes: Vec<Change> = changes
            .iter()
            .filter(|c| matches!(c, Change::Remove(_)))
            .cloned()
            .collect();
        let mut expected = self.tree.to_json();
        apply_json(&mut expected, &removes)?;
        if yaml::parse(&probe).is_ok_and(|tree| tree.to_json() == expected) {
            return Ok(());
        }
        let paths: Vec<String> = removes
            .iter()
            .map(|c| crate::path::dotted(c.path()))
            .collect();
        Err(EditError(format!(
            "removing {} would give the lines after it to a block scalar (`|` or `>`) written \
             before it, and change that value; delete the blank lines there, or start the \
             comments there at the beginning of their line, and run the command again",
            paths.join(" and ")
        )))
    }

    /// Adds `key: value` to the mapping `parent` (at the path `at`), which lacks the key.
    /// `removed` tells the keys of the mapping that the same edit removes: a key added after one
    /// of them takes its place, where its lines start (and the blank lines around them stay as
    /// they were).
    fn add_key(
        &self,
        parent: &Node,
        at: &[Step],
        key: &str,
        value: &Json,
        removed: &dyn Fn(&str) -> bool,
        add: &mut impl FnMut(usize, usize, String),
    ) -> Result<()> {
        let entries = parent.entries();
        let rank = |k: &str| (self.rank)(at, k);
        let before = entries.iter().rev().find(|e| rank(&e.key) < rank(key));
        if self.is_flow(parent) {
            // In the contract's order too: after the key that precedes it, else first.
            let entry = format!("{}: {}", scalar_key(key), flow(value));
            return match (before, entries.first()) {
                (Some(e), _) => {
                    let at = self.end(&e.value).max(self.key_end(e));
                    add(at, at, format!(", {entry}"));
                    Ok(())
                }
                (None, Some(first)) => {
                    let at = self.byte(first.key_span.start);
                    add(at, at, format!("{entry}, "));
                    Ok(())
                }
                (None, None) => Err(EditError(
                    "cannot add to an empty flow mapping (`{}`); write it as a block".to_string(),
                )),
            };
        }
        let Some(first) = entries.first() else {
            return Err(EditError("cannot add to an empty mapping".to_string()));
        };
        let mut lines = self.entry_lines(key, value, first.key_span.start.col - 1);
        let top_level = at.is_empty();
        let first_start = self.byte(first.key_span.start);
        let line_start = self.line_start(first_start);
        if let Some(e) = before.filter(|e| removed(&e.key)) {
            let at = self.line_start(self.byte(e.key_span.start));
            add(at, at, self.lines(at, &lines));
            return Ok(());
        }
        let at = match before {
            None if self.text[line_start..first_start].trim().is_empty() => line_start,
            Some(e) => self.after_line(self.end(&e.value).max(self.key_end(e))),
            None => self.after_line(self.end(parent)),
        };
        // Where the file parts its sections with blank lines, the new one is parted too: it goes
        // after the blank lines, with one of its own after it. (A blank line written before it
        // would be taken into a block scalar before it that keeps its blank lines, `|+`.) A key
        // of a mapping inside a section stays with its mapping: blank lines after it part it
        // from what follows (the next service of a list, say).
        let blank = |at: usize| {
            let line = &self.text[at..self.after_line(at)];
            line.ends_with(['\n', '\r']) && line.trim().is_empty()
        };
        let mut at = at;
        if top_level && at > 0 && blank(at) {
            while blank(at) {
                at = self.after_line(at);
            }
            if at < self.text.len() {
                lines.push(String::new());
            }
        }
        add(at, at, self.lines(at, &lines));
        Ok(())
    }

    /// Appends `item` to the list held by `entry`.
    fn push(
        &self,
        entry: &yaml::Entry,
        path: &[Step],
        item: &Json,
        add: &mut impl FnMut(usize, usize, String),
    ) -> Result<()> {
        let list = &entry.value;
        let empty = match &list.value {
            Value::Null => true,
            Value::Seq(items) => items.is_empty(),
            _ => return Err(not_a_list(path)),
        };
        if empty {
            // `key: []`, `key: ~` or `key:` becomes `key:` and a block list beneath it.
            let key_end = self.key_end(entry);
            let colon = key_end + self.text[key_end..].find(':').unwrap_or(0);
            let value_end = self.end(list).max(colon + 1);
            add(key_end, value_end, ":".to_string());
            let indent = entry.key_span.start.col - 1 + self.seq_indent;
            let lines = self.item_lines(item, indent, None);
            let at = self.after_line(value_end);
            add(at, at, self.lines(at, &lines));
            return Ok(());
        }
        let Value::Seq(items) = &list.value else {
            return Err(not_a_list(path));
        };
        let last = &items[items.len() - 1];
        let last_end = self.end(last);
        if self.is_flow(list) {
            let close = self.end(list) - 1;
            if !self.text[last_end..close].contains(['\n', '\r']) {
                add(last_end, last_end, format!(", {}", flow(item)));
            } else {
                // One item per line: the new one goes on a line of its own, with a comma after
                // it when the items have one (`[\n  a,\n  b,\n]`); comments stay on their line.
                let at = self.after_line(last_end);
                let comma = self.text[last_end..at].trim_start().starts_with(',');
                if !comma {
                    add(last_end, last_end, ",".to_string());
                }
                let pad = " ".repeat(last.span.start.col - 1);
                let line = format!("{pad}{}{}", flow(item), if comma { "," } else { "" });
                add(at, at, self.lines(at, &[line]));
            }
            return Ok(());
        }
        let dash = self.dash_column(last).unwrap_or(list.span.start.col - 1);
        let lines = self.item_lines(item, dash, Some(last));
        let at = self.after_line(last_end);
        add(at, at, self.lines(at, &lines));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::at;
    use serde_json::json;

    /// The order of new keys the tests use: the case's (its top-level keys, then those of
    /// `closure`).
    fn rank(_: &[Step], key: &str) -> usize {
        const ORDER: &[&str] = &[
            "id",
            "program",
            "opened",
            "caseworker",
            "risk",
            "phase",
            "model",
            "client",
            "consent",
            "assessment",
            "plan",
            "services",
            "reviews",
            "closure",
            "episodes",
            "history",
            "extra",
            "date",
            "reason",
            "domains",
            "note",
        ];
        ORDER.iter().position(|k| *k == key).unwrap_or(ORDER.len())
    }

    /// Applies `changes` to `before` and checks the result against `after` and against the
    /// JSON the changes make.
    fn edit(before: &str, changes: &[Change]) -> String {
        let tree = yaml::parse(before).unwrap();
        let after = apply_text(before, &tree, changes, &rank).unwrap();
        let mut expected = tree.to_json();
        apply_json(&mut expected, changes).unwrap();
        assert_eq!(yaml::parse(&after).unwrap().to_json(), expected, "{after}");
        after
    }

    fn remove(before: &str, path: Vec<Step>) -> String {
        edit(before, &[Change::Remove(path)])
    }

    /// A key goes with its whole value, whatever it is, and with a comment at the end of the
    /// line on which the value ends; the comment lines and blank lines around it stay.
    #[test]
    fn removes_a_key_and_its_whole_value() {
        let before = "id: X\n# the closure\nclosure:\n  date: 2026-03-01  # c\n  reason: moved\n\n# the history\nhistory:\n  - {phase: intake}\n";
        assert_eq!(
            remove(before, at!["closure"]),
            "id: X\n# the closure\n\n# the history\nhistory:\n  - {phase: intake}\n"
        );
        assert_eq!(
            remove(before, at!["history"]),
            "id: X\n# the closure\nclosure:\n  date: 2026-03-01  # c\n  reason: moved\n\n# the history\n"
        );
        assert_eq!(
            remove(before, at!["closure", "date"]),
            "id: X\n# the closure\nclosure:\n  reason: moved\n\n# the history\nhistory:\n  - {phase: intake}\n"
        );
        assert_eq!(
            remove(
                "services:\n  - id: S1\n    note: x\n\n  - id: S2\n",
                at!["services", 0, "note"]
            ),
            "services:\n  - id: S1\n\n  - id: S2\n"
        );
        let list = "id: X\nreviews:\n- date: 2026-01-01\n  note: x\n- {date: 2026-02-01}\n  # old\nhistory: []\n";
        assert_eq!(
            remove(list, at!["reviews"]),
            "id: X\n  # old\nhistory: []\n"
        );
        assert_eq!(
            remove(
                "risk: \"high\"   # since May\nphase: planning\n",
                at!["risk"]
            ),
            "phase: planning\n"
        );
        assert_eq!(
            remove("id: X\nnote:\nrisk: low\n", at!["note"]),
            "id: X\nrisk: low\n"
        );
        assert_eq!(
            remove("id: X\nnote: # none\n  # yet\nrisk: low\n", at!["note"]),
            "id: X\n  # yet\nrisk: low\n"
        );
        assert_eq!(
            remove(
                "id: X\nextra: {a: 1,\n  b: [2]}  # c\nrisk: low\n",
                at!["extra"]
            ),
            "id: X\nrisk: low\n"
        );
        assert_eq!(
            remove(
                "id: X\nnote: a long\n  plain text\n\nrisk: low\n",
                at!["note"]
            ),
            "id: X\n\nrisk: low\n"
        );
    }

    /// A block scalar goes with all its lines, and with the blank lines it keeps (`|+`), which
    /// are its own; the blank lines after one that does not keep them stay.
    #[test]
    fn removes_a_block_scalar_value() {
        for header in BLOCK_HEADERS {
            let before = format!(
                "id: X\nnote: {header}  # c\n  Seen at home.\n\n    With a cane.\n\n# after\nrisk: low\n"
            );
            let expected = match header.contains('+') {
                true => "id: X\n# after\nrisk: low\n",
                false => "id: X\n\n# after\nrisk: low\n",
            };
            for eol in ["\n", "\r\n", "\r"] {
                let after = remove(&before.replace('\n', eol), at!["note"]);
                assert_eq!(after, expected.replace('\n', eol), "{header}");
            }
        }
    }

    /// The lines around the removed ones keep their line endings.
    #[test]
    fn removes_a_key_in_a_file_of_crlf_lines() {
        let before =
            "id: X\r\nclosure:\r\n  date: 2026-03-01\r\n  reason: moved  # c\r\nhistory: []\r\n";
        assert_eq!(
            remove(before, at!["closure", "reason"]),
            "id: X\r\nclosure:\r\n  date: 2026-03-01\r\nhistory: []\r\n"
        );
        assert_eq!(remove(before, at!["closure"]), "id: X\r\nhistory: []\r\n");
    }

    /// The line before the removed ones keeps its line ending: the file ends with one now.
    #[test]
    fn removes_the_last_key_of_a_file_without_a_final_line_ending() {
        assert_eq!(remove("id: X\nrisk: low", at!["risk"]), "id: X\n");
        assert_eq!(remove("id: X\r\nrisk: low  # c", at!["risk"]), "id: X\r\n");
        assert_eq!(
            remove(
                "id: X\nclosure:\n  reason: moved\n  note: |\n    x",
                at!["closure"]
            ),
            "id: X\n"
        );
        assert_eq!(
            remove(
                "id: X\nclosure:\n  reason: moved\n  note: >-\n    x",
                at!["closure", "note"]
            ),
            "id: X\nclosure:\n  reason: moved\n"
        );
    }

    /// YAML reads a key with nothing under it as null: a mapping that loses its last key is
    /// written `{}`, where the key was; unless another change adds one.
    #[test]
    fn a_mapping_that_loses_its_last_key_is_written_empty() {
        assert_eq!(
            remove(
                "id: X\nclosure:\n  # c\n  reason: moved\nhistory: []\n",
                at!["closure", "reason"]
            ),
            "id: X\nclosure:\n  # c\n  {}\nhistory: []\n"
        );
        assert_eq!(remove("id: X", at!["id"]), "{}");
        assert_eq!(
            remove(
                "services:\n  -\n    id: S1  # c\nid: X\n",
                at!["services", 0, "id"]
            ),
            "services:\n  -\n    {}\nid: X\n"
        );
        let both = edit(
            "closure:\n  date: 2026-03-01\n  reason: moved\r\nhistory: []\n",
            &[
                Change::Remove(at!["closure", "date"]),
                Change::Remove(at!["closure", "reason"]),
            ],
        );
        assert_eq!(both, "closure:\n  {}\r\nhistory: []\n");
        let replaced = edit(
            "closure:\n  date: 2026-03-01\nhistory: []\n",
            &[
                Change::Remove(at!["closure", "date"]),
                Change::Set(at!["closure", "reason"], json!("moved")),
            ],
        );
        assert_eq!(replaced, "closure:\n  reason: moved\nhistory: []\n");
    }

    /// A removal and other changes in one call: an item appended to the list the removed key
    /// follows, a key added where the removed one was.
    #[test]
    fn removes_a_key_with_other_changes() {
        let before = "id: X\nhistory:\n  - {phase: intake}\nclosure:\n  date: 2026-03-01\n";
        let after = edit(
            before,
            &[
                Change::Remove(at!["closure"]),
                Change::Push(at!["history"], json!({"phase": "assessment"})),
            ],
        );
        assert_eq!(
            after,
            "id: X\nhistory:\n  - {phase: intake}\n  - {phase: assessment}\n"
        );
        let before = "id: X\nclosure:\n  date: 2026-03-01\nhistory:\n  - {phase: closed}\n";
        let after = edit(
            before,
            &[
                Change::Push(at!["history"], json!({"phase": "planning"})),
                Change::Set(at!["phase"], json!("planning")),
                Change::Remove(at!["closure"]),
                Change::Set(at!["reviews"], json!([])),
            ],
        );
        assert_eq!(
            after,
            "id: X\nphase: planning\nreviews: []\nhistory:\n  - {phase: closed}\n  - {phase: planning}\n"
        );
    }

    /// A key added after a key the same edit removes takes its place: the blank lines around
    /// the removed key stay as they were, and none is added.
    #[test]
    fn a_key_added_after_a_removed_one_takes_its_place() {
        let before = "id: X\n\nclosure:\n  date: 2026-03-01\n\nhistory:\n  - {phase: closed}\n";
        let after = edit(
            before,
            &[
                Change::Remove(at!["closure"]),
                Change::Push(at!["episodes"], json!({"opened": "2026-01-01"})),
            ],
        );
        assert_eq!(
            after,
            "id: X\n\nepisodes:\n  - {opened: 2026-01-01}\n\nhistory:\n  - {phase: closed}\n"
        );
    }

    #[test]
    fn refuses_removals_it_cannot_make() {
        let text = "id: X\nclosure: {date: 2026-03-01, reason: moved}\nservices:\n  - id: S1\n    note: x\nextra: !!map\n  ? a\n  : 1\n";
        let tree = yaml::parse(text).unwrap();
        let refusal = |changes: &[Change]| apply_text(text, &tree, changes, &rank).unwrap_err().0;
        let remove = |path: Vec<Step>| refusal(&[Change::Remove(path)]);
        assert_eq!(remove(at!["risk"]), "risk is not there to remove");
        assert_eq!(
            apply_json(&mut tree.to_json(), &[Change::Remove(at!["risk"])])
                .unwrap_err()
                .0,
            "risk is not there to remove"
        );
        assert_eq!(remove(at!["id", "x"]), "id is not a mapping");
        assert_eq!(
            remove(at!["closure", "date"]),
            "closure.date is written inside a `{...}` mapping, so it cannot be removed in place; \
             write closure as a block, one key to a line, and run the command again"
        );
        assert_eq!(
            remove(at!["services", 0, "id"]),
            "services[0].id shares its line with the `-` of its list item, so it cannot be \
             removed in place; start the item with another of its keys, or write its keys on the \
             lines below the `-`, and run the command again"
        );
        assert_eq!(
            remove(at!["extra", "a"]),
            "extra.a shares its line with `?`, so it cannot be removed in place; write it at the \
             start of a line of its own and run the command again"
        );
        let twice = [
            Change::Remove(at!["closure"]),
            Change::Set(at!["closure"], json!(1)),
        ];
        assert_eq!(refusal(&twice), "closure is changed twice");
        let inside = [
            Change::Set(at!["closure", "note"], json!("x")),
            Change::Remove(at!["closure"]),
        ];
        assert_eq!(
            refusal(&inside),
            "closure is removed, and closure.note inside it is changed"
        );
    }

    /// Lines after a removed key that would become a block scalar's before it: the blank lines
    /// of one that keeps them (`|+`), a comment indented as far as its content.
    #[test]
    fn refuses_a_removal_that_would_change_a_block_scalar_before_it() {
        for text in [
            "note: |+\n  x\nrisk: low\n\nid: X\n",
            "note: |\n  x\nrisk: low\n  # c\nid: X\n",
        ] {
            let tree = yaml::parse(text).unwrap();
            let e = apply_text(text, &tree, &[Change::Remove(at!["risk"])], &rank).unwrap_err();
            assert_eq!(
                e.0,
                "removing risk would give the lines after it to a block scalar (`|` or `>`) \
                 written before it, and change that value; delete the blank lines there, or start \
                 the comments there at the beginning of their line, and run the command again"
            );
        }
        assert_eq!(
            remove("note: |+\n  x\nrisk: low\n# c\n\nid: X\n", at!["risk"]),
            "note: |+\n  x\n# c\n\nid: X\n"
        );
    }

    /// Found by the property test: `|` and `>` read back in flow context but start a block
    /// scalar in a block mapping or list, and so does a key.
    #[test]
    fn block_scalar_indicators_are_quoted_in_block_context() {
        let before = "reviews:\n- date: 2026-01-01\n  note: x\nhistory: []\n";
        let item = json!({"date": "2026-02-01", "note": "|", "goals": {">": 1}});
        let after = edit(before, &[Change::Push(at!["reviews"], item)]);
        assert!(
            after
                .ends_with("- date: 2026-02-01\n  note: \"|\"\n  goals: {\">\": 1}\nhistory: []\n"),
            "{after}"
        );
        let after = edit("id: X\n", &[Change::Push(at!["notes"], json!(">"))]);
        assert_eq!(after, "id: X\nnotes:\n  - \">\"\n");
    }

    /// Found by the fuzzer: a list whose items are not indented under its key, each item a
    /// flow mapping, as PyYAML writes it (`cm review` panicked on it).
    #[test]
    fn appends_to_a_list_that_does_not_indent_its_flow_items() {
        let before =
            "reviews:\n- {date: 2026-01-01, by: a}\n- {date: 2026-02-01, by: a}\nhistory: []\n";
        let item = json!({"date": "2026-03-01", "by": "a"});
        let after = edit(before, &[Change::Push(at!["reviews"], item.clone())]);
        assert_eq!(
            after,
            "reviews:\n- {date: 2026-01-01, by: a}\n- {date: 2026-02-01, by: a}\n- {date: 2026-03-01, by: a}\nhistory: []\n"
        );
        let before = "goals:\n- [G1, 1]\n";
        let after = edit(before, &[Change::Push(at!["goals"], json!(["G2", 0]))]);
        assert_eq!(after, "goals:\n- [G1, 1]\n- [G2, 0]\n");
    }

    /// Found by the property test: an item appended to the list that ends where a new key is
    /// added stays in its list.
    #[test]
    fn an_item_appended_where_a_key_is_added_stays_in_its_list() {
        let before = "id: X\nhistory:\n  - {phase: intake}\n";
        let after = edit(
            before,
            &[
                Change::Push(at!["zz"], json!(1)),
                Change::Push(at!["history"], json!({"phase": "assessment"})),
            ],
        );
        assert_eq!(
            after,
            "id: X\nhistory:\n  - {phase: intake}\n  - {phase: assessment}\nzz:\n  - 1\n"
        );
    }

    #[test]
    fn two_changes_to_one_key_are_refused() {
        let tree = yaml::parse("id: X\n").unwrap();
        let changes = [
            Change::Set(at!["closure"], json!({})),
            Change::Set(at!["closure"], json!({"date": "2026-01-01"})),
        ];
        let e = apply_text("id: X\n", &tree, &changes, &rank).unwrap_err();
        assert_eq!(e.0, "closure is changed twice");
    }

    #[test]
    fn replaces_a_scalar_keeping_quotes_and_comment() {
        let before = "risk: \"high\"   # since May\nphase: 'planning' # x\nid: X\n";
        let after = edit(
            before,
            &[
                Change::Set(at!["risk"], json!("medium")),
                Change::Set(at!["phase"], json!("implementation")),
            ],
        );
        assert_eq!(
            after,
            "risk: \"medium\" # since May\nphase: 'implementation' # x\nid: X\n"
        );
    }

    #[test]
    fn appends_to_a_block_list_of_flow_items_before_trailing_comments() {
        let before = "history:\n  - {date: 2026-01-01, phase: intake, by: a}\n  # old\nextra: {}\n";
        let item = json!({"date": "2026-02-01", "phase": "assessment", "by": "a"});
        let after = edit(before, &[Change::Push(at!["history"], item)]);
        assert_eq!(
            after,
            "history:\n  - {date: 2026-01-01, phase: intake, by: a}\n  - {date: 2026-02-01, phase: assessment, by: a}\n  # old\nextra: {}\n"
        );
    }

    #[test]
    fn appends_a_block_item_like_the_one_before() {
        let before = "reviews:\n- date: 2026-01-01\n  domains:\n    income: 2\n  note: |\n    text\n\nhistory: []\n";
        let item = json!({"date": "2026-02-01", "domains": {"income": 3}});
        let after = edit(before, &[Change::Push(at!["reviews"], item)]);
        assert_eq!(
            after,
            "reviews:\n- date: 2026-01-01\n  domains:\n    income: 2\n  note: |\n    text\n- date: 2026-02-01\n  domains:\n    income: 3\n\nhistory: []\n"
        );
    }

    #[test]
    fn grows_a_flow_list_in_place() {
        let one_line = "history: [{phase: intake, note: 'a ] it''s'}]  # c ]\n";
        let after = edit(
            one_line,
            &[Change::Push(at!["history"], json!({"phase": "assessment"}))],
        );
        assert_eq!(
            after,
            "history: [{phase: intake, note: 'a ] it''s'}, {phase: assessment}]  # c ]\n"
        );
        let lines = "history: [\n    {phase: intake},  # [\n  ]\n";
        let after = edit(
            lines,
            &[Change::Push(at!["history"], json!({"phase": "assessment"}))],
        );
        assert_eq!(
            after,
            "history: [\n    {phase: intake},  # [\n    {phase: assessment},\n  ]\n"
        );
        let no_comma = "history: [\n    {phase: intake}  # c\n  ]\n";
        let after = edit(
            no_comma,
            &[Change::Push(at!["history"], json!({"phase": "assessment"}))],
        );
        assert_eq!(
            after,
            "history: [\n    {phase: intake},  # c\n    {phase: assessment}\n  ]\n"
        );
    }

    #[test]
    fn an_empty_list_becomes_a_block_list() {
        for empty in ["reviews: []  # none yet", "reviews: ~", "reviews:"] {
            let before = format!("{empty}\r\nid: X\r\n");
            let item = json!({"date": "2026-02-01", "by": "a", "domains": {"income": 3}});
            let after = edit(&before, &[Change::Push(at!["reviews"], item)]);
            let comment = if empty.contains('#') {
                "  # none yet"
            } else {
                ""
            };
            assert_eq!(
                after,
                format!(
                    "reviews:{comment}\r\n  - date: 2026-02-01\r\n    by: a\r\n    domains: {{income: 3}}\r\nid: X\r\n"
                )
            );
        }
    }

    #[test]
    fn a_new_key_goes_in_the_order_of_the_contract() {
        let before =
            "id: X\nservices:\n  - id: S1\n\n# the history\nhistory:\n  - {phase: intake}\n";
        let after = edit(
            before,
            &[
                Change::Push(at!["reviews"], json!({"date": "2026-02-01"})),
                Change::Set(
                    at!["closure"],
                    json!({"date": "2026-03-01", "reason": "moved"}),
                ),
            ],
        );
        assert_eq!(
            after,
            "id: X\nservices:\n  - id: S1\n\nreviews:\n  - {date: 2026-02-01}\n\nclosure:\n  date: 2026-03-01\n  reason: moved\n\n# the history\nhistory:\n  - {phase: intake}\n"
        );
        let nested = edit(
            "closure:\n  domains: {income: 3}\nhistory: []\n",
            &[
                Change::Set(at!["closure", "date"], json!("2026-03-01")),
                Change::Set(at!["closure", "note"], json!("moved away")),
            ],
        );
        assert_eq!(
            nested,
            "closure:\n  date: 2026-03-01\n  domains: {income: 3}\n  note: moved away\nhistory: []\n"
        );
    }

    /// A flow mapping grows in place, each new key where the contract puts it: after the key
    /// that precedes it, or first.
    #[test]
    fn a_new_key_of_a_flow_mapping_goes_in_the_order_of_the_contract() {
        let after = edit(
            "closure: {reason: moved, note: 'x'}  # c\nhistory: []\n",
            &[
                Change::Set(at!["closure", "domains"], json!({"income": 3})),
                Change::Set(at!["closure", "date"], json!("2026-03-01")),
                Change::Set(at!["closure", "zz"], json!(1)),
            ],
        );
        assert_eq!(
            after,
            "closure: {date: 2026-03-01, reason: moved, domains: {income: 3}, note: 'x', zz: 1}  # c\nhistory: []\n"
        );
    }

    /// A key added at the end of a mapping inside a section goes before the blank lines that
    /// part it from the next item; one after a block scalar that keeps its blank lines goes
    /// after them, which are the scalar's.
    #[test]
    fn a_key_of_an_item_stays_with_its_item() {
        let before = "services:\n  - id: S1\n    date: 2026-01-01\n\n  - id: S2\nhistory: []\n";
        let after = edit(
            before,
            &[Change::Set(at!["services", 0, "note"], json!("moved"))],
        );
        assert_eq!(
            after,
            "services:\n  - id: S1\n    date: 2026-01-01\n    note: moved\n\n  - id: S2\nhistory: []\n"
        );
        let kept = "services:\n  - id: S1\n    date: |+\n      x\n\n  - id: S2\n";
        let after = edit(
            kept,
            &[Change::Set(at!["services", 0, "note"], json!("moved"))],
        );
        assert_eq!(
            after,
            "services:\n  - id: S1\n    date: |+\n      x\n\n    note: moved\n  - id: S2\n"
        );
    }

    #[test]
    fn a_file_without_a_final_line_ending_keeps_it_that_way() {
        let after = edit(
            "history:\n  - {phase: intake}",
            &[Change::Push(at!["history"], json!({"phase": "assessment"}))],
        );
        assert_eq!(
            after,
            "history:\n  - {phase: intake}\n  - {phase: assessment}"
        );
    }

    #[test]
    fn refuses_shapes_it_cannot_edit() {
        let text = "extra: {p: &p planning}\nhistory: 3\nrisk: >-\n  high\nphase: *p\n";
        let tree = yaml::parse(text).unwrap();
        let refusal = |change: Change| apply_text(text, &tree, &[change], &rank).unwrap_err().0;
        let push = Change::Push(at!["history"], json!({}));
        assert_eq!(refusal(push), "history is not a list");
        assert_eq!(
            refusal(Change::Set(at!["risk"], json!("low"))),
            "risk is written as a block (`|` or `>`); write it on the line of its key \
             (`risk: high`) and run the command again"
        );
        assert_eq!(
            refusal(Change::Set(at!["phase"], json!("closed"))),
            "phase is an alias (`*name`) of a value written elsewhere; write it on the line of \
             its key (`phase: planning`) and run the command again"
        );
    }

    /// YAML ends a line at `\n`, `\r\n` or a lone `\r` (as old Mac editors write), and so does
    /// the editor: a file of CR lines is edited like any other, and every line it adds ends in
    /// CR.
    #[test]
    fn a_file_of_cr_lines_keeps_them() {
        let before = "id: X\r# c\rhistory: [\r    {phase: intake},  # [\r  ]\r\rreviews: []\rservices:\r  - {id: S1}\r\rclosure: {date: 2026-01-01}\r";
        let after = edit(
            before,
            &[
                Change::Set(at!["risk"], json!("low")),
                Change::Push(at!["history"], json!({"phase": "assessment"})),
                Change::Push(at!["reviews"], json!({"date": "2026-02-01"})),
                Change::Push(at!["services"], json!({"id": "S2"})),
                Change::Set(at!["closure", "reason"], json!("moved")),
            ],
        );
        assert_eq!(
            after,
            "id: X\rrisk: low\r# c\rhistory: [\r    {phase: intake},  # [\r    {phase: assessment},\r  ]\r\rreviews:\r  - {date: 2026-02-01}\rservices:\r  - {id: S1}\r  - {id: S2}\r\rclosure: {date: 2026-01-01, reason: moved}\r"
        );
        let after = edit(
            "history:\r  - {phase: intake}",
            &[Change::Push(at!["history"], json!({"phase": "assessment"}))],
        );
        assert_eq!(
            after,
            "history:\r  - {phase: intake}\r  - {phase: assessment}"
        );
    }

    /// In a file that mixes line endings, a new line ends as the line before it does; it never
    /// puts a lone CR before a line feed, which would join them into one CRLF line break.
    #[test]
    fn a_new_line_ends_as_the_line_before_it() {
        let before = "id: X\rhistory:\n  - {phase: intake}\n\nreviews:\r\n  - {date: 2026-01-01}\r\nextra: {}";
        let after = edit(
            before,
            &[
                Change::Push(at!["history"], json!({"phase": "assessment"})),
                Change::Push(at!["reviews"], json!({"date": "2026-02-01"})),
                Change::Set(at!["closure"], json!({"reason": "moved"})),
            ],
        );
        assert_eq!(
            after,
            "id: X\rhistory:\n  - {phase: intake}\n  - {phase: assessment}\n\nreviews:\r\n  - {date: 2026-01-01}\r\n  - {date: 2026-02-01}\r\nclosure:\r\n  reason: moved\r\nextra: {}"
        );
    }

    /// Every kind of block scalar: literal or folded, each chomping, with an indentation
    /// indicator or not (before or after the chomping one).
    const BLOCK_HEADERS: &[&str] = &[
        "|", ">", "|-", ">-", "|+", ">+", "|2", ">2", "|2-", "|-2", ">2-", ">-2", "|2+", "|+2",
        ">2+", ">+2",
    ];

    /// The length of the blank lines at the start of `rest` that a block scalar written with
    /// `header` keeps: with `+`, those that end in a line break.
    fn kept(header: &str, rest: &str) -> usize {
        let blank = rest.len() - rest.trim_start_matches([' ', '\n']).len();
        match header.contains('+') {
            true => rest[..blank].rfind('\n').map_or(0, |i| i + 1),
            false => 0,
        }
    }

    /// A block scalar that ends the list an item is appended to keeps its value: with `+` the
    /// blank lines after it are the value's, and the item goes after them; else it goes right
    /// after the scalar's last line. At the end of a file without a final line break, the item
    /// goes on a line of its own (the line break the scalar implies is written) and the file
    /// still ends without one. With blank lines after the scalar or none, the list at the end of
    /// the file or followed by a key, and every kind of line ending.
    #[test]
    fn an_item_appended_after_a_block_scalar_keeps_its_value() {
        let item = json!({"date": "2026-02-01", "by": "a"});
        let new = "  - date: 2026-02-01\n    by: a\n";
        for header in BLOCK_HEADERS {
            let head = format!(
                "reviews:\n  - date: 2026-01-01\n    note: {header}\n      Seen at home.\n        With a cane.\n      Doing well.\n"
            );
            for blanks in ["", "\n", "\n   \n"] {
                for tail in ["", "history: []\n"] {
                    for final_break in [true, false] {
                        let mut before = format!("{head}{blanks}{tail}");
                        if !final_break {
                            // Without its last line break, an empty last line is no line.
                            if before.ends_with("\n\n") {
                                continue;
                            }
                            before.pop();
                        }
                        let at = head.len().min(before.len())
                            + kept(header, &before[head.len().min(before.len())..]);
                        let expected = if at == before.len() && !before.ends_with('\n') {
                            format!("{before}\n{}", new.trim_end())
                        } else {
                            format!("{}{new}{}", &before[..at], &before[at..])
                        };
                        for eol in ["\n", "\r\n", "\r"] {
                            let before = before.replace('\n', eol);
                            let push = Change::Push(at!["reviews"], item.clone());
                            let after = edit(&before, &[push]);
                            assert_eq!(after, expected.replace('\n', eol), "{before:?}");
                        }
                    }
                }
            }
        }
    }

    /// The same where the block scalar is a list item itself, has no content at all, or ends a
    /// mapping that a key is added after.
    #[test]
    fn what_follows_a_kept_block_scalar_goes_after_its_blank_lines() {
        let push = |before: &str| edit(before, &[Change::Push(at!["needs"], json!("work"))]);
        assert_eq!(
            push("needs:\n  - |+\n    rent\n\nid: X\n"),
            "needs:\n  - |+\n    rent\n\n  - work\nid: X\n"
        );
        assert_eq!(
            push("needs:\n  - |+\n\n\nid: X\n"),
            "needs:\n  - |+\n\n\n  - work\nid: X\n"
        );
        assert_eq!(push("needs:\n  - |+\n\n"), "needs:\n  - |+\n\n  - work\n");
        assert_eq!(push("needs:\n  - |+\n  "), "needs:\n  - |+\n  \n  - work");
        // A last line of spaces without a line break is a line of the value when it is
        // indented as far as the content, else not.
        assert_eq!(
            push("needs:\n  - |+\n    rent\n    "),
            "needs:\n  - |+\n    rent\n    \n  - work"
        );
        assert_eq!(
            push("needs:\n  - |+\n    rent\n  "),
            "needs:\n  - |+\n    rent\n  - work\n  "
        );
        assert_eq!(push("needs:\n  - |\n"), "needs:\n  - |\n  - work\n");
        assert_eq!(push("needs:\n  - >-"), "needs:\n  - >-\n  - work");
        let after = edit(
            "id: X\nreviews:\n  - note: >+\n      x\n\n\n",
            &[Change::Set(at!["closure"], json!({"reason": "moved"}))],
        );
        assert_eq!(
            after,
            "id: X\nreviews:\n  - note: >+\n      x\n\n\nclosure:\n  reason: moved\n"
        );
    }

    /// A new key goes after the blank lines that part it from what comes before: a blank line
    /// written before it would be taken into a block scalar there that keeps its blank lines
    /// (here one followed by a line the scalar does not take, of a tab).
    #[test]
    fn a_new_key_is_parted_after_the_blank_lines() {
        let after = edit(
            "id: X\nreviews:\n  - note: |+\n      x\n\t\nhistory: []\n",
            &[Change::Set(at!["closure"], json!({"reason": "moved"}))],
        );
        assert_eq!(
            after,
            "id: X\nreviews:\n  - note: |+\n      x\n\t\nclosure:\n  reason: moved\n\nhistory: []\n"
        );
    }

    /// A file that ends in a line of spaces without a line break, after a block scalar: the
    /// parser reads that line as one more line break of the value, but only while it ends the
    /// file without one. With `+` the value keeps it once the line is ended; else no edit after
    /// the scalar can keep the value, and the edit is refused with what to change.
    #[test]
    fn spaces_ending_the_file_after_a_block_scalar() {
        let push = Change::Push(at!["needs"], json!("work"));
        let after = edit(
            "needs:\n  - |+\n    rent\n    ",
            std::slice::from_ref(&push),
        );
        assert_eq!(after, "needs:\n  - |+\n    rent\n    \n  - work");
        for header in ["|", ">", "|2"] {
            let before = format!("needs:\n  - {header}\n    rent\n    ");
            let tree = yaml::parse(&before).unwrap();
            let e = apply_text(&before, &tree, std::slice::from_ref(&push), &rank).unwrap_err();
            assert_eq!(
                e.0,
                "the file ends in a line of spaces without a line break, and the value before it \
                 would read differently after the edit; delete the spaces at the end of the \
                 file, or end its last line with a line break, and run the command again"
            );
        }
    }
}
