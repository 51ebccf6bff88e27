//! Locating nodes and learning the file's layout: where each node starts and ends in the text
//! (byte offsets, the ends of quoted scalars, flow collections and block scalars, line starts and
//! line endings), and how the file indents its mappings and lists.

use crate::path::Step;
use crate::yaml::{self, Node, Style, Value};

/// The text being edited, with what the editor learnt of its layout.
pub(super) struct Doc<'a> {
    pub(super) text: &'a str,
    /// The parse of `text`.
    pub(super) tree: &'a Node,
    /// Where new keys are placed (a [`Rank`](super::Rank); see [`apply_text`](super::apply_text)).
    pub(super) rank: &'a dyn Fn(&[Step], &str) -> usize,
    /// The line ending of the file's first line, for new lines that have no line before them.
    pub(super) eol: &'static str,
    /// Spaces a nested mapping is indented by.
    pub(super) step: usize,
    /// Spaces a block list's `-` is indented by under its key (0 or 2, as the file does it).
    pub(super) seq_indent: usize,
}

impl<'a> Doc<'a> {
    pub(super) fn new(
        text: &'a str,
        tree: &'a Node,
        rank: &'a dyn Fn(&[Step], &str) -> usize,
    ) -> Doc<'a> {
        let eol = match text.find(['\n', '\r']) {
            Some(i) => line_break(&text[i..]),
            None => "\n",
        };
        let layout = Doc {
            text,
            tree,
            rank,
            eol,
            step: 2,
            seq_indent: 2,
        };
        // Learn the indentation from the first nested block mapping and block list.
        let indent_of = |map: bool| {
            tree.entries().iter().find_map(|e| {
                let v = &e.value;
                let kind = match &v.value {
                    Value::Map(m) => map && !m.is_empty(),
                    Value::Seq(s) => !map && !s.is_empty(),
                    _ => false,
                };
                (kind && !layout.is_flow(v) && v.span.start.line > e.key_span.start.line)
                    .then(|| v.span.start.col.saturating_sub(e.key_span.start.col))
            })
        };
        let step = indent_of(true).unwrap_or(2).max(1);
        let seq_indent = indent_of(false).unwrap_or(2);
        Doc {
            step,
            seq_indent,
            ..layout
        }
    }

    /// The byte offset of a position (positions count characters).
    pub(super) fn byte(&self, pos: yaml::Pos) -> usize {
        self.text
            .char_indices()
            .nth(pos.index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// The first character of a node in the source.
    fn first(&self, node: &Node) -> Option<char> {
        self.text[self.byte(node.span.start)..].chars().next()
    }

    /// The node is a collection written in flow style (`[...]` or `{...}`). A block list that
    /// does not indent its items (`key:` then `- {…}` beneath it, as PyYAML writes) starts
    /// where its first item starts, so that item's bracket is not the list's.
    pub(super) fn is_flow(&self, node: &Node) -> bool {
        node.style == Style::Collection
            && matches!(self.first(node), Some('[' | '{'))
            && match &node.value {
                Value::Seq(items) => items
                    .first()
                    .is_none_or(|i| i.span.start != node.span.start),
                _ => true,
            }
    }

    /// The quote a quoted scalar is written with.
    pub(super) fn quote_of(node: &Node) -> Option<char> {
        match node.style {
            Style::SingleQuoted => Some('\''),
            Style::DoubleQuoted => Some('"'),
            _ => None,
        }
    }

    /// Where the text of a node ends (after its last character, before any comment). What is
    /// inserted after a node goes on the line after the one on which its text ends.
    pub(super) fn end(&self, node: &Node) -> usize {
        let start = self.byte(node.span.start);
        match (node.style, &node.value) {
            (Style::Alias, _) => self.byte(node.span.end),
            (Style::SingleQuoted, _) => quoted_end(self.text, start, '\''),
            (Style::DoubleQuoted, _) => quoted_end(self.text, start, '"'),
            (Style::Collection, _) if self.is_flow(node) => flow_end(self.text, start),
            (Style::Collection, Value::Seq(items)) => items.last().map_or(start, |n| self.end(n)),
            (Style::Collection, Value::Map(entries)) => entries
                .last()
                .map_or(start, |e| self.end(&e.value).max(self.key_end(e))),
            (Style::Block, _) => self.block_end(node),
            _ if node.span.end.index <= node.span.start.index => start,
            // A plain scalar: its span may run on over the blank lines after it.
            _ => start + self.text[start..self.byte(node.span.end)].trim_end().len(),
        }
    }

    /// Where the text of a block scalar (`|` or `>`, with any indicators) ends: at the end of
    /// the last line its value needs. The value ends in its last content character, then line
    /// breaks (and the spaces of lines that hold only spaces); each of those line breaks ends
    /// one more line — with keep chomping (`+`), those of the blank lines after the scalar. New
    /// lines inserted after that leave the value as it is. A line break that the value has past
    /// the end of the file (the parser implies one there) is written by whoever adds a line.
    fn block_end(&self, node: &Node) -> usize {
        let start = self.byte(node.span.start);
        let end = self.byte(node.span.end).max(start);
        // A tag may have made the value something else than text: then only line breaks count.
        let value = node.as_str().unwrap_or_default();
        let content = value.trim_end_matches([' ', '\n']);
        // The line on which the value's trailing line breaks start, and those line breaks.
        let (mut at, tail) = if start == end {
            // No line of content, and something follows: the span is empty there, and all
            // before it may be the value's.
            return self.line_start(end).saturating_sub(1);
        } else if !content.is_empty() {
            // The span starts at the content.
            let text = self.text[start..end].trim_end_matches([' ', '\n', '\r']);
            (start + text.len(), &value[content.len()..])
        } else if matches!(self.first(node), Some('|' | '>')) {
            // No line of content up to the end of the file: the span starts at the indicator,
            // and the value's line breaks are those of the lines after it.
            (self.after_line(start), value)
        } else {
            // Content of spaces only: the span starts there, after the blank lines before it.
            (start, value.trim_start_matches('\n'))
        };
        for _ in 0..tail.matches('\n').count() - usize::from(tail.ends_with('\n')) {
            at = self.after_line(at);
        }
        self.text[at..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| at + i)
    }

    pub(super) fn key_end(&self, entry: &yaml::Entry) -> usize {
        let start = self.byte(entry.key_span.start);
        match self.text[start..].chars().next() {
            Some(q @ ('"' | '\'')) => quoted_end(self.text, start, q),
            _ => self.byte(entry.key_span.end),
        }
    }

    /// The column (0-based) of the `-` that introduces a block list item, when it stands on
    /// the item's first line.
    pub(super) fn dash_column(&self, item: &Node) -> Option<usize> {
        let start = self.byte(item.span.start);
        let prefix = &self.text[self.line_start(start)..start];
        let dash = prefix.rfind('-')?;
        prefix[dash + 1..]
            .trim()
            .is_empty()
            .then(|| prefix[..dash].chars().count())
    }

    /// The offset just after the line on which `at` lies (after its line ending).
    pub(super) fn after_line(&self, at: usize) -> usize {
        self.text[at..]
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| {
                at + i + line_break(&self.text[at + i..]).len()
            })
    }

    /// The start of the line on which `at` lies.
    pub(super) fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
    }

    /// The line ending of the line before the one on which `at` lies, or the file's when there
    /// is none. A new line ends like the line before it, so that a file mixing line endings
    /// keeps each where it is: a lone CR written before a line feed would join it into one CRLF
    /// line break, and a line would be lost.
    pub(super) fn eol_at(&self, at: usize) -> &'static str {
        let before = &self.text[..self.line_start(at)];
        LINE_BREAKS
            .into_iter()
            .find(|eol| before.ends_with(eol))
            .unwrap_or(self.eol)
    }
}

/// The line breaks of YAML, the longest first.
const LINE_BREAKS: [&str; 3] = ["\r\n", "\n", "\r"];

/// The line break at the start of `s`, or nothing.
fn line_break(s: &str) -> &'static str {
    LINE_BREAKS
        .into_iter()
        .find(|eol| s.starts_with(eol))
        .unwrap_or("")
}

/// Where a quoted scalar starting at byte `start` ends (after its closing quote).
fn quoted_end(text: &str, start: usize, quote: char) -> usize {
    let mut chars = text[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                let after = start + 1 + i + 1;
                if quote == '\'' && text[after..].starts_with('\'') {
                    chars.next();
                } else {
                    return after;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// Where a flow collection starting at byte `start` ends (after its closing bracket). Brackets
/// inside quotes and comments do not count.
fn flow_end(text: &str, start: usize) -> usize {
    let mut depth = 0usize;
    let mut prev = ' ';
    let mut chars = text[start..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return start + i + 1;
                }
            }
            '"' | '\'' if prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':') => {
                let end = quoted_end(text, start + i, c);
                while chars.offset() < end - start {
                    chars.next();
                }
            }
            '#' if prev.is_whitespace() => {
                while chars.next().is_some_and(|(_, c)| !matches!(c, '\n' | '\r')) {}
                prev = '\n';
                continue;
            }
            _ => {}
        }
        prev = c;
    }
    text.len()
}
