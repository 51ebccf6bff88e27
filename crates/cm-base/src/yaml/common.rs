//! The YAML that case files are made of, read fast.
//!
//! A case file is almost always a block mapping of plain keys whose values are one-line plain or
//! quoted scalars, block lists, nested block mappings and one-line flow lists and mappings: the
//! YAML cm itself writes and people type. [`parse`] reads exactly that, line by line, and builds
//! the same [`Node`] tree, with the same spans, that the full parser's events build
//! ([`super::parse_general`]). Anything else — anchors, tags, block scalars, a scalar over
//! several lines, a quoted key, a tab, a carriage return, a control character, a document marker,
//! a duplicate key, a syntax error — it does not try to understand: it answers `None` and the full
//! parser reads the file, so every error and every rarer form is told as before. Tests hold the two
//! equal on every fixture, fuzz seed and generated case.
//!
//! The same reading gives, by [`parse_json`], the JSON value of the tree ([`Node::to_json`])
//! without the tree, and [`Marks`] of where each node starts: what reading many files wants.

use std::borrow::Cow;
use std::cell::RefCell;

use saphyr_parser::ScalarStyle;
use serde_json::Value as Json;

use super::{Entry, MAX_DEPTH, Node, Place, Pos, Span, Style, Value, key_text, scalar_value};
use crate::path::Step;

/// The tree of `text` when it is written in the common subset, else `None`.
pub fn parse(text: &str) -> Option<Node> {
    read::<Tree>(text).map(|(tree, _)| tree)
}

/// The JSON value of the tree of `text` ([`parse`], then [`Node::to_json`]) and the marks of
/// where its nodes start, when it is written in the common subset; else `None`.
pub fn parse_json(text: &str) -> Option<(Json, Marks)> {
    read::<ToJson>(text)
}

fn read<B: Build>(text: &str) -> Option<(B::Node, Marks)> {
    if !plain_characters(text.as_bytes()) {
        return None;
    }
    let reader = Reader::<B>::new(text);
    let first = reader.content_from(0)?;
    let line = &reader.lines[first];
    if line.indent != 0 || !reader.is_key(first, line.start) {
        return None;
    }
    let at = Loc {
        li: first,
        at: line.start,
    };
    let slot = reader.open(at);
    let (root, next) = reader.block_map(first, line.start, 0, 1)?;
    reader.close(slot, at);
    // The root mapping ends the file: anything after it is not of the subset.
    next.is_none().then(|| {
        let marks = Marks {
            marks: reader.marks.into_inner(),
            lines: if B::TREE { Vec::new() } else { reader.lines },
        };
        (root, marks)
    })
}

/// Whether `bytes` hold only characters the subset allows: no tab, no carriage return, no other
/// control character, no byte-order mark, none of the characters the full parser treats apart
/// (C1 controls, the line and paragraph separators, the non-characters U+FFFE and U+FFFF).
fn plain_characters(bytes: &[u8]) -> bool {
    // Without a branch per byte, so that it runs a word at a time.
    let control = bytes.iter().fold(false, |seen, &b| {
        seen | ((b < 0x20) & (b != b'\n')) | (b == 0x7f)
    });
    if control {
        return false;
    }
    // The characters set apart all start with one of three bytes.
    memchr::memchr3_iter(0xc2, 0xe2, 0xef, bytes).all(|i| {
        !matches!(
            bytes[i..],
            [0xc2, 0x80..=0x9f, ..]
                | [0xef, 0xbb, 0xbf, ..]
                | [0xef, 0xbf, 0xbe | 0xbf, ..]
                | [0xe2, 0x80, 0xa8 | 0xa9, ..]
        )
    })
}

/// Where each node of a document read by [`parse_json`] starts, without its tree: one mark per
/// node in document order — the root, then each entry or item before what its value holds —
/// with where its key starts (an item's is itself) and where its value does, as places in the
/// lines of the text, made positions only when asked for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    lines: Vec<Line>,
    marks: Vec<Mark>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Mark {
    key: Loc,
    value: Loc,
}

impl Marks {
    /// The position of `place` in the document `text`, whose JSON value is `json` (these marks
    /// read with it): where [`Place::locate`] finds it in the tree.
    pub fn locate(&self, text: &str, json: &Json, place: &Place) -> Pos {
        // The number of marks of a node: its own and those of everything it holds.
        fn size(json: &Json) -> usize {
            1 + match json {
                Json::Object(map) => map.values().map(size).sum(),
                Json::Array(items) => items.iter().map(size).sum(),
                _ => 0,
            }
        }
        let (path, key) = place.parts();
        let (mut node, mut slot, mut keyed) = (json, 0, false);
        let mut taken = 0;
        for step in path {
            let mut child = slot + 1;
            let next = match (step, node) {
                (Step::Key(k), Json::Object(map)) => map
                    .iter()
                    .find(|(name, value)| {
                        *name == k || {
                            child += size(value);
                            false
                        }
                    })
                    .map(|(_, value)| (value, true)),
                (Step::Index(i), Json::Array(items)) => items.get(*i).map(|value| {
                    child += items[..*i].iter().map(size).sum::<usize>();
                    (value, false)
                }),
                _ => None,
            };
            let Some((value, by_key)) = next else { break };
            (node, slot, keyed) = (value, child, by_key);
            taken += 1;
        }
        let Some(mark) = self.marks.get(slot) else {
            return Pos::default();
        };
        let at = if keyed && (key || taken < path.len()) {
            mark.key
        } else {
            mark.value
        };
        pos(&self.lines, text.as_bytes(), at)
    }
}

/// The position of `at` in the text of `bytes`, whose lines are `lines`.
fn pos(lines: &[Line], bytes: &[u8], at: Loc) -> Pos {
    let Some(line) = lines.get(at.li) else {
        return Pos::default();
    };
    let col = if line.ascii {
        at.at - line.start
    } else {
        bytes.get(line.start..at.at).map_or(0, chars)
    };
    Pos {
        line: at.li + 1,
        col: col + 1,
        index: line.chars_before + col,
    }
}

/// What the reader makes of what it reads: the tree, or the JSON value (and the marks).
trait Build: Default {
    type Node;
    type Map;
    type Seq: Default;
    /// Whether the nodes have spans (the tree); else the reader keeps marks.
    const TREE: bool;
    fn scalar(value: Value, span: Span, style: Style) -> Self::Node;
    /// A mapping to fill.
    fn new_map(&self) -> Self::Map;
    /// Adds an entry to `map`; false when `map` has `key` already.
    fn insert(&self, map: &mut Self::Map, key: String, key_span: Span, value: Self::Node) -> bool;
    fn push(seq: &mut Self::Seq, item: Self::Node);
    fn map(&self, map: Self::Map, span: Span) -> Self::Node;
    fn seq(seq: Self::Seq, span: Span) -> Self::Node;
    /// Moves the end of `node`'s span.
    fn end_at(node: &mut Self::Node, end: Pos);
}

/// The tree of [`Node`]s.
#[derive(Default)]
struct Tree;

impl Build for Tree {
    type Node = Node;
    type Map = Vec<Entry>;
    type Seq = Vec<Node>;
    const TREE: bool = true;

    fn scalar(value: Value, span: Span, style: Style) -> Node {
        Node { span, value, style }
    }

    fn new_map(&self) -> Vec<Entry> {
        Vec::new()
    }

    fn insert(&self, map: &mut Vec<Entry>, key: String, key_span: Span, value: Node) -> bool {
        if map.iter().any(|e| e.key == key) {
            return false;
        }
        map.push(Entry {
            key,
            key_span,
            value,
        });
        true
    }

    fn push(seq: &mut Vec<Node>, item: Node) {
        seq.push(item);
    }

    fn map(&self, map: Vec<Entry>, span: Span) -> Node {
        Node {
            span,
            value: Value::Map(map),
            style: Style::Collection,
        }
    }

    fn seq(seq: Vec<Node>, span: Span) -> Node {
        Node {
            span,
            value: Value::Seq(seq),
            style: Style::Collection,
        }
    }

    fn end_at(node: &mut Node, end: Pos) {
        node.span.end = end;
    }
}

/// The JSON value, as [`Node::to_json`] makes it of the tree. The entries of the mappings being
/// read wait on one stack, each mapping made at its end with room for exactly its entries.
#[derive(Default)]
struct ToJson {
    entries: RefCell<Vec<(String, Json)>>,
}

impl Build for ToJson {
    type Node = Json;
    /// Where the mapping's entries start on the stack.
    type Map = usize;
    type Seq = Vec<Json>;
    const TREE: bool = false;

    fn scalar(value: Value, _: Span, _: Style) -> Json {
        match value {
            Value::Str(text) => Json::String(text),
            value => Node {
                span: Span::default(),
                value,
                style: Style::Plain,
            }
            .to_json(),
        }
    }

    fn new_map(&self) -> usize {
        self.entries.borrow().len()
    }

    fn insert(&self, start: &mut usize, key: String, _: Span, value: Json) -> bool {
        let mut entries = self.entries.borrow_mut();
        if entries[*start..].iter().any(|(k, _)| *k == key) {
            return false;
        }
        entries.push((key, value));
        true
    }

    fn push(seq: &mut Vec<Json>, item: Json) {
        seq.push(item);
    }

    fn map(&self, start: usize, _: Span) -> Json {
        Json::Object(self.entries.borrow_mut().drain(start..).collect())
    }

    fn seq(seq: Vec<Json>, _: Span) -> Json {
        Json::Array(seq)
    }

    fn end_at(_: &mut Json, _: Pos) {}
}

/// Byte `at` of line `li`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Loc {
    li: usize,
    at: usize,
}

/// One line of the text.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    /// Byte offsets of its first character and of its end (its line feed, or the text's end).
    start: usize,
    end: usize,
    /// The character index of its first character.
    chars_before: usize,
    ascii: bool,
    /// Leading spaces.
    indent: usize,
    /// Holds nothing but spaces, or a comment.
    empty: bool,
}

struct Reader<'a, B> {
    text: &'a str,
    bytes: &'a [u8],
    lines: Vec<Line>,
    /// The marks of the nodes read so far, in document order (when not building the tree).
    marks: RefCell<Vec<Mark>>,
    build: B,
}

impl<'a, B: Build> Reader<'a, B> {
    fn new(text: &'a str) -> Reader<'a, B> {
        let bytes = text.as_bytes();
        let mut lines = Vec::with_capacity(bytes.len() / 24);
        let mut start = 0;
        let mut chars_before = 0;
        loop {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            let line = &bytes[start..end];
            let ascii = line.is_ascii();
            let indent = line.iter().take_while(|&&b| b == b' ').count();
            let empty = indent == line.len() || line[indent] == b'#';
            lines.push(Line {
                start,
                end,
                chars_before,
                ascii,
                indent,
                empty,
            });
            chars_before += if ascii { line.len() } else { chars(line) } + 1;
            if end == bytes.len() {
                break;
            }
            start = end + 1;
        }
        let marks = if B::TREE {
            Vec::new()
        } else {
            Vec::with_capacity(bytes.len() / 24)
        };
        Reader {
            text,
            bytes,
            lines,
            marks: RefCell::new(marks),
            build: B::default(),
        }
    }

    /// The position of byte `at` of line `li`.
    fn pos(&self, li: usize, at: usize) -> Pos {
        pos(&self.lines, self.bytes, Loc { li, at })
    }

    /// The span `make` gives, when the tree is built (a JSON value has none).
    fn span(&self, make: impl FnOnce() -> Span) -> Span {
        if B::TREE { make() } else { Span::default() }
    }

    /// The span from `start` to `end`.
    fn span_of(&self, start: Loc, end: Loc) -> Span {
        self.span(|| Span {
            start: self.pos(start.li, start.at),
            end: self.pos(end.li, end.at),
        })
    }

    /// Opens the mark of a node (an entry, an item, the root) that starts at `at`, before the
    /// marks of what it holds; returns its number, for [`Reader::close`].
    fn open(&self, at: Loc) -> usize {
        if B::TREE {
            return 0;
        }
        let mut marks = self.marks.borrow_mut();
        marks.push(Mark { key: at, value: at });
        marks.len() - 1
    }

    /// Closes mark `slot`: its value starts at `value`.
    fn close(&self, slot: usize, value: Loc) {
        if !B::TREE
            && let Some(mark) = self.marks.borrow_mut().get_mut(slot)
        {
            mark.value = value;
        }
    }

    /// Where the full parser ends what runs to the end of the text: at the start of the line
    /// after it, as if the text ended with a line break whether it does or not.
    fn end_of_text(&self) -> Pos {
        let last = self.lines.len() - 1;
        let end = self.pos(last, self.lines[last].end);
        if end.col == 1 {
            end
        } else {
            Pos {
                line: last + 2,
                col: 1,
                index: end.index,
            }
        }
    }

    /// The first line from `li` on that holds something.
    fn content_from(&self, li: usize) -> Option<usize> {
        (li..self.lines.len()).find(|&i| !self.lines[i].empty)
    }

    /// Whether line `li` at byte `at` starts a list item: `-` and a space.
    fn is_item(&self, li: usize, at: usize) -> bool {
        self.bytes[at] == b'-' && at + 1 < self.lines[li].end && self.bytes[at + 1] == b' '
    }

    /// The end of the key at byte `at` (its `:`), when one is written there.
    fn key_end(&self, li: usize, at: usize) -> Option<usize> {
        let end = self.lines[li].end;
        let first = *self.bytes.get(at)?;
        if at >= end || !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        let mut k = at + 1;
        while k < end && is_key_byte(self.bytes[k]) {
            k += 1;
        }
        (k < end && self.bytes[k] == b':' && (k + 1 == end || self.bytes[k + 1] == b' '))
            .then_some(k)
    }

    /// The key written at byte `at` of line `li`, as the core schema reads it, its span and its
    /// `:`, when there is one.
    fn key(&self, li: usize, at: usize) -> Option<(String, Span, usize)> {
        let colon = self.key_end(li, at)?;
        let text = &self.text[at..colon];
        let key = if only_text(text) {
            text.to_string()
        } else {
            key_text(scalar_value(Cow::Borrowed(text), ScalarStyle::Plain, None)?)?
        };
        let span = self.span_of(Loc { li, at }, Loc { li, at: colon });
        Some((key, span, colon))
    }

    fn is_key(&self, li: usize, at: usize) -> bool {
        self.key_end(li, at).is_some()
    }

    /// The rest of line `li` from byte `at` holds nothing but spaces and perhaps a comment after
    /// one.
    fn rest_empty(&self, li: usize, at: usize) -> bool {
        let end = self.lines[li].end;
        let mut i = at;
        while i < end && self.bytes[i] == b' ' {
            i += 1;
        }
        i == end || (self.bytes[i] == b'#' && i > at)
    }

    /// A block mapping whose first key is at byte `at` of line `li`, its keys at column `indent`.
    /// Returns the mapping and the line that follows it.
    fn block_map(
        &self,
        mut li: usize,
        mut at: usize,
        indent: usize,
        depth: usize,
    ) -> Option<(B::Node, Option<usize>)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = Loc { li, at };
        let mut map = self.build.new_map();
        loop {
            let (key, key_span, colon) = self.key(li, at)?;
            let slot = self.open(Loc { li, at });
            let (value, value_at, next) = if self.rest_empty(li, colon + 1) {
                self.value_below(li, colon, indent, depth)?
            } else {
                let v = colon + 1 + count_spaces(&self.bytes[colon + 1..self.lines[li].end]);
                let value = self.inline(li, v, depth)?;
                (value, Loc { li, at: v }, self.content_from(li + 1))
            };
            self.close(slot, value_at);
            if !self.build.insert(&mut map, key, key_span, value) {
                return None;
            }
            let Some(n) = next else {
                let span = self.span(|| Span {
                    start: self.pos(start.li, start.at),
                    end: self.end_of_text(),
                });
                return Some((self.build.map(map, span), None));
            };
            let line = &self.lines[n];
            if line.indent < indent {
                let span = self.span_of(
                    start,
                    Loc {
                        li: n,
                        at: line.start + line.indent,
                    },
                );
                return Some((self.build.map(map, span), Some(n)));
            }
            if line.indent > indent {
                return None;
            }
            li = n;
            at = line.start + line.indent;
        }
    }

    /// The value of a key whose line ends at its `:` (byte `colon` of line `li`): a list or a
    /// mapping on the lines below, or nothing. Returns it, where it starts and the line that
    /// follows it.
    fn value_below(
        &self,
        li: usize,
        colon: usize,
        indent: usize,
        depth: usize,
    ) -> Option<(B::Node, Loc, Option<usize>)> {
        let next = self.content_from(li + 1);
        let at = Loc { li, at: colon };
        let null = || B::scalar(Value::Null, self.span_of(at, at), Style::Plain);
        let Some(n) = next else {
            return Some((null(), at, None));
        };
        let line = &self.lines[n];
        let first = line.start + line.indent;
        if line.indent > indent {
            if self.is_item(n, first) {
                self.block_seq(n, line.indent, false, depth + 1)
            } else if self.is_key(n, first) {
                let (map, next) = self.block_map(n, first, line.indent, depth + 1)?;
                Some((map, Loc { li: n, at: first }, next))
            } else {
                None
            }
        } else if line.indent == indent && self.is_item(n, first) {
            self.block_seq(n, line.indent, true, depth + 1)
        } else {
            Some((null(), at, Some(n)))
        }
    }

    /// A block list whose items' `-` are at column `indent`, the first on line `li`;
    /// `indentless` when it is the value of a key at that same column. Returns the list, where it
    /// starts and the line that follows it.
    fn block_seq(
        &self,
        mut li: usize,
        indent: usize,
        indentless: bool,
        depth: usize,
    ) -> Option<(B::Node, Loc, Option<usize>)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut start = None;
        let mut seq = B::Seq::default();
        loop {
            let line = &self.lines[li];
            let dash = line.start + indent;
            if !self.is_item(li, dash) {
                return None;
            }
            let at = dash + 1 + count_spaces(&self.bytes[dash + 1..line.end]);
            if self.rest_empty(li, at) {
                return None;
            }
            let item_at = Loc { li, at };
            let slot = self.open(item_at);
            let (item, next) = if self.is_key(li, at) {
                // The item's keys stand in its first key's column (the line's start is spaces
                // and `-`, so bytes are characters).
                self.block_map(li, at, at - line.start, depth + 1)?
            } else {
                let item = self.inline(li, at, depth)?;
                (item, self.content_from(li + 1))
            };
            self.close(slot, item_at);
            // An indentless list starts where its first item does.
            let first = if indentless {
                item_at
            } else {
                Loc { li, at: dash }
            };
            let start = *start.get_or_insert(first);
            B::push(&mut seq, item);
            let Some(n) = next else {
                let span = self.span(|| Span {
                    start: self.pos(start.li, start.at),
                    end: self.end_of_text(),
                });
                return Some((B::seq(seq, span), start, None));
            };
            let line = &self.lines[n];
            let first = line.start + line.indent;
            if line.indent == indent && self.is_item(n, first) {
                li = n;
                continue;
            }
            if line.indent < indent || (line.indent == indent && indentless) {
                let span = self.span_of(start, Loc { li: n, at: first });
                return Some((B::seq(seq, span), start, Some(n)));
            }
            return None;
        }
    }

    /// A value written on one line from byte `at` of line `li` to the line's end (a comment
    /// aside): a scalar, or a flow list or mapping of scalars.
    fn inline(&self, li: usize, at: usize, depth: usize) -> Option<B::Node> {
        let (mut node, end) = match self.bytes[at] {
            b'[' | b'{' => self.flow(li, at, depth + 1)?,
            b'"' | b'\'' => self.quoted(li, at)?,
            _ => {
                return self
                    .plain(li, at, false)
                    .filter(|&(_, end)| self.rest_empty(li, end))
                    .map(|(node, _)| node);
            }
        };
        if !self.rest_empty(li, end) {
            return None;
        }
        // The full parser ends a quoted scalar or a flow collection where it has looked for a
        // `:` after it: at the end of its line, past the spaces and comment there.
        if B::TREE {
            B::end_at(&mut node, self.pos(li, self.lines[li].end));
        }
        Some(node)
    }

    /// A plain scalar from byte `at` of line `li`; `flow` inside `[…]` or `{…}`. Returns it and
    /// the byte after it.
    fn plain(&self, li: usize, at: usize, flow: bool) -> Option<(B::Node, usize)> {
        let end = self.lines[li].end;
        let bytes = self.bytes;
        let first = bytes[at];
        let next = bytes.get(at + 1).copied().filter(|_| at + 1 < end);
        if matches!(
            first,
            b',' | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
                | b'?'
                | b':'
        ) || (first == b'-' && matches!(next, None | Some(b' ')))
        {
            return None;
        }
        let mut i = at;
        let mut last = at;
        while i < end {
            let b = bytes[i];
            match b {
                b' ' if i + 1 < end && bytes[i + 1] == b'#' => break,
                b',' | b']' | b'}' if flow => break,
                b'[' | b']' | b'{' | b'}' => return None,
                b':' | b'#' if flow => return None,
                b':' if i + 1 == end || bytes[i + 1] == b' ' => return None,
                _ => {}
            }
            if b != b' ' {
                last = i + 1;
            }
            i += 1;
        }
        let text = &self.text[at..last];
        let value = if only_text(text) {
            Value::Str(text.to_string())
        } else {
            scalar_value(Cow::Borrowed(text), ScalarStyle::Plain, None)?
        };
        let span = self.span_of(Loc { li, at }, Loc { li, at: last });
        Some((B::scalar(value, span, Style::Plain), last))
    }

    /// A quoted scalar that opens at byte `at` of line `li` and closes on the same line. Returns
    /// it and the byte after its closing quote.
    fn quoted(&self, li: usize, at: usize) -> Option<(B::Node, usize)> {
        let end = self.lines[li].end;
        let bytes = self.bytes;
        let quote = bytes[at];
        let mut text = String::new();
        let mut run = at + 1;
        let mut i = at + 1;
        loop {
            // To the next quote or backslash.
            i += memchr::memchr2(quote, b'\\', &bytes[i..end])?;
            let b = bytes[i];
            if b == quote {
                if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') && i + 1 < end {
                    text.push_str(&self.text[run..=i]);
                    i += 2;
                    run = i;
                    continue;
                }
                break;
            }
            if quote == b'"' && b == b'\\' {
                let escaped = match bytes.get(i + 1).filter(|_| i + 1 < end)? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'n' => '\n',
                    b't' => '\t',
                    _ => return None,
                };
                text.push_str(&self.text[run..i]);
                text.push(escaped);
                i += 2;
                run = i;
                continue;
            }
            // A backslash in single quotes is itself.
            i += 1;
        }
        text.push_str(&self.text[run..i]);
        let style = if quote == b'"' {
            Style::DoubleQuoted
        } else {
            Style::SingleQuoted
        };
        let span = self.span_of(Loc { li, at }, Loc { li, at: i + 1 });
        Some((B::scalar(Value::Str(text), span, style), i + 1))
    }

    /// A flow list or mapping that opens at byte `at` of line `li` and closes on the same line.
    /// Returns it and the byte after its closing bracket.
    fn flow(&self, li: usize, at: usize, depth: usize) -> Option<(B::Node, usize)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let end = self.lines[li].end;
        let bytes = self.bytes;
        let is_map = bytes[at] == b'{';
        let close = if is_map { b'}' } else { b']' };
        let skip = |i: usize| i + count_spaces(&bytes[i..end]);
        let mut seq = B::Seq::default();
        let mut map = self.build.new_map();
        let mut i = skip(at + 1);
        if i < end && bytes[i] == close {
            i += 1;
        } else {
            loop {
                if i >= end {
                    return None;
                }
                let slot = self.open(Loc { li, at: i });
                if is_map {
                    let (key, key_span, colon) = self.key(li, i)?;
                    let v = skip(colon + 1);
                    let (value, after) = self.flow_item(li, v, depth)?;
                    self.close(slot, Loc { li, at: v });
                    if !self.build.insert(&mut map, key, key_span, value) {
                        return None;
                    }
                    i = skip(after);
                } else {
                    let (item, after) = self.flow_item(li, i, depth)?;
                    self.close(slot, Loc { li, at: i });
                    B::push(&mut seq, item);
                    i = skip(after);
                }
                match bytes.get(i).filter(|_| i < end)? {
                    b',' => i = skip(i + 1),
                    &b if b == close => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let span = self.span_of(Loc { li, at }, Loc { li, at: i });
        let node = if is_map {
            self.build.map(map, span)
        } else {
            B::seq(seq, span)
        };
        Some((node, i))
    }

    /// An item of a flow collection, from byte `at` of line `li`.
    fn flow_item(&self, li: usize, at: usize, depth: usize) -> Option<(B::Node, usize)> {
        if at >= self.lines[li].end {
            return None;
        }
        match self.bytes[at] {
            b'"' | b'\'' => self.quoted(li, at),
            b'[' | b'{' => self.flow(li, at, depth + 1),
            _ => self.plain(li, at, true),
        }
    }
}

/// Whether the plain scalar `text` can be nothing but text, without asking the core schema.
/// Without a digit it is no number, so it is text unless it is one of the schema's words (`~`,
/// `null`, `true`, `false` as they may be written) or begins as `.inf` and `.nan` do. With one,
/// it is none of the words, and text when it has a character that no number is written with
/// (an id, a phone number), or a sign inside it that no number has (a date: a sign of a number
/// comes first, second after a `+`, or after its exponent's `e`). Saves trying to read it as a
/// number.
fn only_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !bytes.iter().any(u8::is_ascii_digit) {
        let word = matches!(
            text,
            "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        );
        return !word && !matches!(bytes.first(), None | Some(b'.' | b'+' | b'-'));
    }
    let foreign = |&b: &u8| !(b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    let inner_sign = |i: usize| {
        i >= 2 && matches!(bytes[i], b'+' | b'-') && !matches!(bytes[i - 1], b'e' | b'E')
    };
    bytes.iter().any(u8::is_ascii_digit)
        && (bytes.iter().any(foreign) || (0..bytes.len()).any(inner_sign))
        && !(bytes.starts_with(b"0x") || bytes.starts_with(b"0o"))
}

/// The characters of UTF-8 `bytes` (those that do not continue one).
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

fn count_spaces(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|&&b| b == b' ').count()
}

/// The bytes a key of the subset is made of after its first: letters, digits, `_`, `-`, `.`.
fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `only_text` calls text the core schema reads as text; it leaves the words and the
    /// numbers to the core schema.
    #[test]
    fn only_text_is_what_the_core_schema_reads_as_text() {
        let samples = "intake|a.karimi|Null|nulls|~|~x|null|NULL|nUll|True|TRUE|tRue|false|FALSE|\
            no|off|inf|nan|infinity|.inf|.Inf|-.inf|+.INF|.nan|.NaN|.x|+x|-x|-|+|_|x-y|0x1f|0o17|\
            +12|-12|12|1.5|1e3|2026-11-01|THR-2026-0001|0912 345 6789|1_000|0x|e|E|y|Y";
        for text in samples.split('|') {
            let core = scalar_value(Cow::Borrowed(text), ScalarStyle::Plain, None);
            if only_text(text) {
                assert_eq!(core, Some(Value::Str(text.to_string())), "{text}");
            }
        }
        for words in "null ~ true FALSE .inf -.inf .nan 12 1e3".split(' ') {
            assert!(!only_text(words), "{words}");
        }
        assert!(only_text("intake") && only_text("nulls") && only_text("THR-2026-0001"));
    }
}
