//! Loading untrusted YAML into a tree whose every node knows where it stands in the file.
//!
//! One parse per file gives the [`Node`] tree; from it come the JSON value the schema sees
//! ([`Node::to_json`]), the typed case the rules use, and the positions the diagnostics and the
//! edits use ([`Node::find`]). Reading many files, [`parse_json`] gives the JSON value and the
//! positions ([`Places`]) without the tree when the file is of the common form. The tree is built from saphyr's event stream by our own receiver so
//! that the hostile cases are bounded here, once: nesting deeper than [`MAX_DEPTH`], alias
//! expansion beyond [`MAX_ALIAS_NODES`], duplicate keys (reported with both places), keys that are
//! not plain scalars, and more than one document. When the parser itself fails, [`syntax`] looks
//! for the cause a person would name (a tab in the indentation, an unclosed bracket or quote, a
//! line indented wrongly, a missing `:`) and places the error there.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Span as RawSpan, Tag};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::path::Step;

pub mod common;

pub use common::Marks;
pub mod syntax;

/// Deepest nesting of sequences and mappings accepted; a case needs about six.
pub const MAX_DEPTH: usize = 64;
/// Most nodes that alias expansion may add to one file (guards against "billion laughs").
pub const MAX_ALIAS_NODES: usize = 10_000;

/// A position in the source text: line and column are 1-based, the column counts characters
/// (not bytes), and `index` is the 0-based character index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub index: usize,
}

/// The start (inclusive) and end (exclusive) of a node in the source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl From<RawSpan> for Span {
    fn from(s: RawSpan) -> Self {
        let pos = |m: saphyr_parser::Marker| Pos {
            line: m.line(),
            col: m.col() + 1,
            index: m.index(),
        };
        Span {
            start: pos(s.start),
            end: pos(s.end),
        }
    }
}

/// A YAML node with its place in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
    pub style: Style,
}

/// How a node is written. The editor needs it to find where a node's text ends: the span of a
/// block scalar starts at its content, and that of a quoted one may run on past the quote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    #[default]
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// A block scalar, `|` or `>`.
    Block,
    /// A mapping or a list (flow or block: the first character of its span tells).
    Collection,
    /// `*name`, standing for the anchored node.
    Alias,
}

/// The content of a node. Mappings keep their keys in file order, each key with its own span.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key as text (YAML keys of a case are plain scalars).
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// Why a file could not be loaded, with the place in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    pub pos: Pos,
    pub message: String,
    /// The remedy, when the cause is known ([`syntax::explain`]); a syntax error without one
    /// carries the parser's own words in `message`.
    pub help: Option<String>,
}

/// The families of load failure; each maps to one diagnostic code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadErrorKind {
    Syntax,
    /// A tab in the indentation, where YAML allows spaces only: the usual cause of a syntax
    /// error near it, so told in its place.
    TabIndentation,
    DuplicateKey,
    Limit,
}

impl Node {
    /// The entries of a mapping, or nothing.
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
    }

    /// The entry of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Follows `path` as far as it goes. Returns the deepest node reached, the entry that led to
    /// it when the last step taken was a key, and how many steps were taken.
    pub fn find<'a>(&'a self, path: &[Step]) -> (&'a Node, Option<&'a Entry>, usize) {
        let mut node = self;
        let mut via = None;
        for (taken, step) in path.iter().enumerate() {
            let next = match (step, &node.value) {
                (Step::Key(k), Value::Map(entries)) => entries
                    .iter()
                    .find(|e| &e.key == k)
                    .map(|e| (&e.value, Some(e))),
                (Step::Index(i), Value::Seq(items)) => items.get(*i).map(|n| (n, None)),
                _ => None,
            };
            match next {
                Some((n, e)) => {
                    node = n;
                    via = e;
                }
                None => return (node, via, taken),
            }
        }
        (node, via, path.len())
    }

    /// The JSON value the schema sees. Keys keep their text; non-finite floats (which JSON
    /// cannot hold) become their YAML spelling so that the schema reports a type error.
    pub fn to_json(&self) -> Json {
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(Json::Number)
                .unwrap_or_else(|| Json::String(f.to_string())),
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            Value::Map(entries) => entries.iter().map(|e| 1 + e.value.count()).sum(),
            _ => 0,
        }
    }
}

/// A place in a document that a finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The value at this path.
    At(Vec<Step>),
    /// The key that holds the value at this path (for whole sections and missing fields).
    KeyOf(Vec<Step>),
}

impl Place {
    /// The position of the place in `tree`. A path that does not exist (a missing field) points
    /// at the deepest part of it that does.
    pub fn locate(&self, tree: &Node) -> Pos {
        let (path, key) = self.parts();
        let (node, via, taken) = tree.find(path);
        match via {
            Some(entry) if key || taken < path.len() => entry.key_span.start,
            _ => node.span.start,
        }
    }

    /// The path, and whether the place is its key.
    pub(crate) fn parts(&self) -> (&[Step], bool) {
        match self {
            Place::At(p) => (p, false),
            Place::KeyOf(p) => (p, true),
        }
    }
}

/// Where the nodes of a document stand: its tree, or the marks of the fast reader.
#[derive(Clone, Debug, PartialEq)]
pub enum Places {
    Tree(Node),
    Marks(Marks),
}

impl Places {
    /// The position of `place` in the document `text`, whose JSON value is `json`.
    pub fn locate(&self, text: &str, json: &Json, place: &Place) -> Pos {
        match self {
            Places::Tree(tree) => place.locate(tree),
            Places::Marks(marks) => marks.locate(text, json, place),
        }
    }
}

/// A collection being built, with the span of its start.
enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
}

/// Parses one YAML document from `text`. An empty document is `Value::Null`. The common form of
/// a case file is read by [`common::parse`], anything else by the full parser
/// ([`parse_general`]); both give the same tree.
pub fn parse(text: &str) -> Result<Node, LoadError> {
    match common::parse(text) {
        Some(tree) => Ok(tree),
        None => parse_general(text),
    }
}

/// The JSON value of the YAML document in `text` ([`parse`], then [`Node::to_json`]) and where
/// its nodes stand: without building the tree when the fast reader reads it.
pub fn parse_json(text: &str) -> Result<(Json, Places), LoadError> {
    match common::parse_json(text) {
        Some((json, marks)) => Ok((json, Places::Marks(marks))),
        None => {
            let tree = parse_general(text)?;
            Ok((tree.to_json(), Places::Tree(tree)))
        }
    }
}

/// Parses one YAML document from `text` with the full parser (saphyr's events), whatever form
/// it is written in.
pub fn parse_general(text: &str) -> Result<Node, LoadError> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::default();
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| parser_error(text, &e))?;
        let done = builder
            .event(event, span.into())
            .map_err(|e| tab_or(text, e))?;
        if done {
            break;
        }
    }
    Ok(builder.root.unwrap_or(Node {
        span: Span::default(),
        value: Value::Null,
        style: Style::Plain,
    }))
}

/// The parser's error, placed at its cause when [`syntax`] finds one.
fn parser_error(text: &str, e: &saphyr_parser::ScanError) -> LoadError {
    let m = e.marker();
    let pos = within(
        text,
        Pos {
            line: m.line(),
            col: m.col() + 1,
            index: m.index(),
        },
    );
    // The parser has a nesting limit of its own, which flow collections (`[[[…`) reach before
    // the tree does: the same limit, said the same way.
    if e.info() == "recursion limit exceeded" {
        return error(
            LoadErrorKind::Limit,
            pos,
            &format!("nesting deeper than {MAX_DEPTH} levels"),
        );
    }
    if let Some(tab) = syntax::tab_in_indentation(text, pos.line) {
        return tab_error(tab);
    }
    match syntax::explain(text, pos) {
        Some(why) => LoadError {
            kind: LoadErrorKind::Syntax,
            pos: why.pos,
            message: why.message,
            help: Some(why.help),
        },
        None => error(LoadErrorKind::Syntax, pos, e.info()),
    }
}

/// `e` at its place in `text`; a syntax error with a tab in the indentation up to the line
/// after it is told as that tab.
fn tab_or(text: &str, e: LoadError) -> LoadError {
    let pos = within(text, e.pos);
    if e.kind == LoadErrorKind::Syntax
        && let Some(tab) = syntax::tab_in_indentation(text, pos.line)
    {
        return tab_error(tab);
    }
    LoadError { pos, ..e }
}

fn tab_error(pos: Pos) -> LoadError {
    error(
        LoadErrorKind::TabIndentation,
        pos,
        "a tab in the indentation; YAML indents with spaces only",
    )
}

/// `pos`, or the end of the last line when the parser places something past the end of the
/// file (it does at the end of a file without a final line break, and for an empty key there):
/// a diagnostic names a line that an editor can jump to. Lines end as YAML ends them: `\n`,
/// `\r\n` or a lone `\r`.
pub fn within(text: &str, pos: Pos) -> Pos {
    let bytes = text.as_bytes();
    let newlines = memchr::memchr_iter(b'\n', bytes).count();
    // Lone carriage returns only add lines: counted only when the line feeds are not enough.
    if pos.line <= 1 + newlines {
        return pos;
    }
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    let last = 1 + newlines + lone_cr;
    if pos.line <= last {
        return pos;
    }
    let tail = text.rfind(['\n', '\r']).map_or(text, |i| &text[i + 1..]);
    Pos {
        line: last,
        col: tail.chars().count() + 1,
        index: text.chars().count(),
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    documents: usize,
    root: Option<Node>,
}

impl Builder {
    /// Takes one event; returns true when the stream is over.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, LoadError> {
        match event {
            Event::StreamEnd => return Ok(true),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(error(
                        LoadErrorKind::Syntax,
                        span.start,
                        "a case file holds one YAML document; found a second one here",
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let Some(value) = scalar_value(text, style, tag.as_ref()) else {
                    return Err(error(
                        LoadErrorKind::Syntax,
                        span.start,
                        "this value does not fit its YAML tag",
                    ));
                };
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                };
                self.complete(Node { span, value, style }, anchor)?;
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(error(LoadErrorKind::Syntax, span.start, "unknown alias"));
                };
                self.alias_nodes += target.count();
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(error(
                        LoadErrorKind::Limit,
                        span.start,
                        &format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes; \
                             refusing a possible alias bomb"
                        ),
                    ));
                }
                let mut node = target.clone();
                node.span = span;
                node.style = Style::Alias;
                self.complete(node, 0)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(error(
                        LoadErrorKind::Limit,
                        span.start,
                        &format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq {
                            start: span,
                            anchor,
                            items: Vec::new(),
                        }
                    } else {
                        Frame::Map {
                            start: span,
                            anchor,
                            entries: Vec::new(),
                            key: None,
                        }
                    });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq {
                        start,
                        anchor,
                        items,
                    }) => (
                        Node {
                            span: Span {
                                start: start.start,
                                end: span.end,
                            },
                            value: Value::Seq(items),
                            style: Style::Collection,
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    }) => (
                        Node {
                            span: Span {
                                start: start.start,
                                end: span.end,
                            },
                            value: Value::Map(entries),
                            style: Style::Collection,
                        },
                        anchor,
                    ),
                    None => return Ok(false),
                };
                self.complete(node, anchor)?;
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
        Ok(false)
    }

    /// A node is finished: record its anchor and hand it to its parent.
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), LoadError> {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some((key, key_span)) => entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                }),
                None => {
                    let Some(text) = key_text(node.value) else {
                        return Err(error(
                            LoadErrorKind::Syntax,
                            node.span.start,
                            "a mapping key must be plain text, not a list or mapping",
                        ));
                    };
                    if let Some(first) = entries.iter().find(|e| e.key == text) {
                        return Err(error(
                            LoadErrorKind::DuplicateKey,
                            node.span.start,
                            &format!(
                                "duplicate key `{}`; it was first given at line {}",
                                crate::path::key_name(&text),
                                first.key_span.start.line
                            ),
                        ));
                    }
                    *key = Some((text, node.span));
                }
            },
        }
        Ok(())
    }
}

/// The value of a scalar written `text` in `style` with `tag`, as YAML's core schema reads it
/// (`None` when it does not fit its tag).
fn scalar_value(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Cow<'_, Tag>>,
) -> Option<Value> {
    Some(
        match Scalar::parse_from_cow_and_metadata(text, style, tag)? {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(b),
            Scalar::Integer(i) => Value::Int(i),
            Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
            Scalar::String(s) => Value::Str(s.into_owned()),
        },
    )
}

/// A mapping key's text: a scalar's, as the core schema read it (`1.0` is `1`, `~` is `null`),
/// and `None` for a list or a mapping.
fn key_text(value: Value) -> Option<String> {
    Some(match value {
        Value::Str(s) => s,
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Null => "null".to_string(),
        Value::Seq(_) | Value::Map(_) => return None,
    })
}

fn error(kind: LoadErrorKind, pos: Pos, message: &str) -> LoadError {
    LoadError {
        kind,
        pos,
        message: message.to_string(),
        help: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_at_the_end_names_the_last_line() {
        // The parser places this error on line 4 of a file of three lines.
        for text in [
            "a:\n  - b: 1\n  ph",
            "a:\r\n  - b: 1\r\n  ph",
            "a:\r  - b: 1\r  ph",
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!((e.pos.line, e.pos.col), (3, 5), "{text:?}: {e:?}");
        }
    }

    #[test]
    fn keeps_positions_in_characters() {
        let node = parse("name: مریم\nage: 7\n").unwrap();
        let age = node.get("age").unwrap();
        assert_eq!((age.span.start.line, age.span.start.col), (2, 6));
        assert_eq!(age.value, Value::Int(7));
        let name = node.entry("name").unwrap();
        assert_eq!((name.key_span.start.line, name.key_span.start.col), (1, 1));
    }

    #[test]
    fn dates_and_quoted_numbers_stay_strings() {
        let node = parse("opened: 2026-03-02\nid: \"0012\"\n").unwrap();
        assert_eq!(node.to_json()["opened"], "2026-03-02");
        assert_eq!(node.to_json()["id"], "0012");
    }

    #[test]
    fn duplicate_key_names_both_lines() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.kind, LoadErrorKind::DuplicateKey);
        assert_eq!(err.pos.line, 3);
        assert!(err.message.contains("line 1"));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let block: String = (0..10_000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        assert_eq!(parse(&block).unwrap_err().kind, LoadErrorKind::Limit);
        let flow = "[".repeat(100_000);
        assert!(parse(&flow).is_err());
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert_eq!(parse(&text).unwrap_err().kind, LoadErrorKind::Limit);
    }

    #[test]
    fn find_follows_a_path_as_far_as_it_goes() {
        let node = parse("services:\n  - id: S1\n    goal: G9\n").unwrap();
        let path = [
            Step::Key("services".into()),
            Step::Index(0),
            Step::Key("goal".into()),
        ];
        let (found, via, taken) = node.find(&path);
        assert_eq!(taken, 3);
        assert_eq!(found.span.start.line, 3);
        assert_eq!(via.unwrap().key, "goal");
        let (_, _, taken) = node.find(&[Step::Key("plan".into())]);
        assert_eq!(taken, 0);
    }
}
