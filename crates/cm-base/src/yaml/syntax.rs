//! Why a YAML text does not parse, told so that a person understands it.
//!
//! The parser stops where it cannot go on, in its own words ("did not find expected key"), and
//! often a line after the mistake: a `[` left open on line 8 is only noticed at the `:` of line 9.
//! Here the text is read again with a rough model of YAML's layout — quotes, flow brackets,
//! comments, block scalars and the indentation of block lines — to find the likely cause where
//! it is: a `[`, `{`, `"` or `'` never closed (told at its opening), a line indented unlike the
//! keys around it, or a key without its `:`. When no cause is recognised the parser's own words
//! stand.
//!
//! Nothing of the text is quoted back: a case file holds personal data, so the messages name
//! lines, numbers of spaces and YAML's own characters only. Columns count characters, and the
//! text is read as characters, so no input can make this panic; it reads the text once, plus
//! once more for a tab in the indentation.

use std::collections::HashMap;

use super::Pos;

/// A cause found for a parser error: where it is, what it is and the remedy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub pos: Pos,
    pub message: String,
    pub help: String,
}

/// The cause of the parser error at `at` in `text`, when it is one of those a person makes
/// most: an unclosed `[`, `{`, `"` or `'`, a line indented unlike the keys around it, or a key
/// with no `:` after it.
pub fn explain(text: &str, at: Pos) -> Option<Explanation> {
    let chars: Vec<char> = text.chars().collect();
    let lines = split_lines(&chars);
    let scan = Scanner::run(&chars, &lines, at);
    if let Some((open, closed_after)) = scan.unclosed() {
        return Some(unclosed(open, closed_after));
    }
    if !scan.watched.is_empty() {
        // The parser stopped inside a bracket or a quote that is closed in time: something in
        // it is wrong, and the parser's words are the best there are.
        return None;
    }
    let last = lines.len();
    let at_end = at.line > last
        || (at.line == last
            && lines
                .last()
                .is_some_and(|&(start, end)| at.col > end - start));
    indentation(&scan.lines, at.line, at_end)
}

/// The tab in the indentation of the last line so indented up to the one after `line`: the
/// usual cause of a parser error there (the parser may stop at the line before the tab). Lines
/// are counted as in [`explain`].
pub fn tab_in_indentation(text: &str, line: usize) -> Option<Pos> {
    let chars: Vec<char> = text.chars().collect();
    split_lines(&chars)
        .iter()
        .enumerate()
        .take(line.saturating_add(1))
        .filter_map(|(n, &(start, end))| {
            let indent = chars[start..end]
                .iter()
                .take_while(|c| matches!(c, ' ' | '\t'))
                .position(|&c| c == '\t')?;
            Some(Pos {
                line: n + 1,
                col: indent + 1,
                index: start + indent,
            })
        })
        .next_back()
}

/// The lines of a text as YAML breaks them (`\n`, `\r\n` or a lone `\r`), as the character
/// ranges of their content. A text ending in a break has an empty last line, as the parser
/// counts them.
fn split_lines(chars: &[char]) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\n' => {
                lines.push((start, i));
                start = i + 1;
            }
            '\r' => {
                lines.push((start, i));
                if chars.get(i + 1) == Some(&'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push((start, chars.len()));
    lines
}

/// A bracket or a quote that is open.
#[derive(Clone, Copy, Debug)]
struct Open {
    ch: char,
    pos: Pos,
    /// The indentation its lines must go beyond: that of the key whose value it is (-1 at the
    /// top of the document).
    parent: isize,
    /// The first line begun inside it that is not indented beyond `parent`: YAML does not
    /// allow one, and it is what an opening not closed on its own line looks like.
    low: Option<usize>,
    id: usize,
}

impl Open {
    /// Takes note of line `number`, indented by `indent`, begun inside it.
    fn saw_line(&mut self, number: usize, indent: usize) {
        if self.low.is_none() && isize::try_from(indent).is_ok_and(|i| i <= self.parent) {
            self.low = Some(number);
        }
    }
}

/// A line that begins in block context (not inside a bracket, a quote or a block scalar).
#[derive(Clone, Debug, Default)]
struct Line {
    /// 1-based.
    number: usize,
    /// The index of its first character in the text.
    start: usize,
    indent: usize,
    /// The columns (0-based) of the `- ` indicators before its content.
    dashes: Vec<usize>,
    /// The column of its first token after the dashes; none for a blank or comment line.
    content: Option<usize>,
    /// Whether it has a `:` indicator outside brackets and quotes.
    colon: bool,
    /// Whether the lines after it may be indented more: it ends with `key:`, or is a bare `-`.
    opens: bool,
    /// Whether its content starts as a plain scalar (a key, or a word).
    plain: bool,
    /// `---` or `...`: a document begins or ends.
    marker: bool,
}

/// The text read once, as far as the structure goes.
struct Scanner<'a> {
    chars: &'a [char],
    /// The open flow brackets, innermost last.
    flows: Vec<Open>,
    quote: Option<Open>,
    /// Inside a block scalar (`|`, `>`): the indentation its lines go beyond, and that of its
    /// first line, which the others keep.
    block_scalar: Option<(isize, Option<usize>)>,
    lines: Vec<Line>,
    next_id: usize,
    stop: Pos,
    stopped: bool,
    /// The ids of the brackets and the quote open where the parser stopped, and of one opening
    /// right there, innermost last.
    watched: Vec<usize>,
    /// The brackets and quotes that may be told of: the watched ones and those open at the end
    /// of a line (one closed on its own line is not the cause); each as it was when it opened,
    /// and as it was when it was closed.
    tracked: HashMap<usize, (Open, Option<Open>)>,
    /// For a line at whose end a bracket or quote opened on it is open: the innermost one.
    left_open: HashMap<usize, usize>,
}

/// Where a run of characters on one line stands.
struct Run {
    number: usize,
    start: usize,
    indent: usize,
    /// The block line it belongs to, as an index into `lines`.
    line: Option<usize>,
}

impl<'a> Scanner<'a> {
    fn run(chars: &'a [char], lines: &[(usize, usize)], stop: Pos) -> Scanner<'a> {
        let mut scanner = Scanner {
            chars,
            flows: Vec::new(),
            quote: None,
            block_scalar: None,
            lines: Vec::new(),
            next_id: 0,
            stop,
            stopped: false,
            watched: Vec::new(),
            tracked: HashMap::new(),
            left_open: HashMap::new(),
        };
        for (n, &(start, end)) in lines.iter().enumerate() {
            scanner.line(n + 1, start, end);
        }
        scanner.reach(usize::MAX, 0);
        scanner
    }

    /// The innermost bracket or quote open where the parser stopped that is never closed, or
    /// closed only after a line that is not indented beyond its key (with that line). Not only
    /// the innermost: the parser may stop at a `[` opening inside a `{` left open before it.
    /// And in place of that one, the innermost one left open at the end of its line, when that
    /// is not closed in time either: in `{a: "b` the `{` is open because the quote is.
    fn unclosed(&self) -> Option<(Open, Option<usize>)> {
        let bad = |id: usize| {
            let &(open, closed) = self.tracked.get(&id)?;
            match closed {
                None => Some((open, None)),
                Some(closed) => closed.low.map(|low| (open, Some(low))),
            }
        };
        let found = self.watched.iter().rev().find_map(|&id| bad(id))?;
        let inner = self
            .left_open
            .get(&found.0.pos.line)
            .and_then(|&inner| bad(inner));
        Some(inner.unwrap_or(found))
    }

    /// Takes note of what is open at the end of line `number`.
    fn line_end(&mut self, number: usize) {
        if let Some(inner) = self.quote.or_else(|| self.flows.last().copied())
            && inner.pos.line == number
        {
            self.left_open.insert(number, inner.id);
        }
        if let Some(quote) = self.quote {
            self.tracked.entry(quote.id).or_insert((quote, None));
        }
        // Those around a tracked one are tracked already.
        for open in self.flows.iter().rev() {
            if self.tracked.contains_key(&open.id) {
                break;
            }
            self.tracked.insert(open.id, (*open, None));
        }
    }

    fn line(&mut self, number: usize, start: usize, end: usize) {
        self.reach(number, 1);
        let text = &self.chars[start..end];
        let indent = text.iter().take_while(|&&c| c == ' ').count();
        let blank = text.iter().all(|&c| matches!(c, ' ' | '\t'));
        let run = |line| Run {
            number,
            start,
            indent,
            line,
        };
        if self.quote.is_some() || !self.flows.is_empty() {
            // A comment line inside brackets may stand anywhere; a line of a quoted text may not.
            let comment = self.quote.is_none() && text.get(indent) == Some(&'#');
            if !blank && !comment {
                match (&mut self.quote, self.flows.last_mut()) {
                    (Some(open), _) | (None, Some(open)) => open.saw_line(number, indent),
                    (None, None) => {}
                }
            }
            self.chars_of(&run(None), start, end);
            self.line_end(number);
            return;
        }
        if let Some((parent, first)) = self.block_scalar {
            let inside = match first {
                Some(first) => indent >= first,
                None => isize::try_from(indent).is_ok_and(|i| i > parent),
            };
            if blank || inside {
                if !blank {
                    self.block_scalar = Some((parent, Some(first.unwrap_or(indent))));
                }
                return;
            }
            self.block_scalar = None;
        }
        let mut line = Line {
            number,
            start,
            indent,
            ..Line::default()
        };
        let marker = |m: &str| {
            text.len() >= 3
                && text.iter().take(3).copied().eq(m.chars())
                && text.get(3).is_none_or(|c| c.is_whitespace())
        };
        if marker("---") || marker("...") {
            line.marker = true;
            self.lines.push(line);
            return;
        }
        let mut i = start + indent;
        while i < end
            && self.chars[i] == '-'
            && (i + 1 == end || matches!(self.chars[i + 1], ' ' | '\t'))
        {
            line.dashes.push(i - start);
            i += 1;
            while i < end && matches!(self.chars[i], ' ' | '\t') {
                i += 1;
            }
        }
        if i < end && self.chars[i] != '#' {
            line.content = Some(i - start);
            line.plain = match self.chars[i] {
                '"' | '\'' | '[' | '{' | ']' | '}' | ',' | '|' | '>' | '&' | '!' | '*' | '%'
                | '@' | '`' => false,
                // `-2026`, `?x` and `:x` are words; `- `, `? ` and `: ` are not.
                '-' | '?' | ':' => i + 1 < end && !matches!(self.chars[i + 1], ' ' | '\t'),
                _ => true,
            };
        }
        line.opens = line.content.is_none() && !line.dashes.is_empty();
        let index = self.lines.len();
        self.lines.push(line);
        self.chars_of(&run(Some(index)), i, end);
        self.line_end(number);
    }

    /// Takes note of what is open where the parser stopped, once the reading gets there.
    fn reach(&mut self, line: usize, col: usize) {
        if self.stopped || (line, col) < (self.stop.line, self.stop.col) {
            return;
        }
        self.stopped = true;
        for open in self.flows.iter().chain(&self.quote) {
            self.watched.push(open.id);
            self.tracked.insert(open.id, (*open, None));
        }
    }

    /// Reads the characters `from..end` of a line.
    fn chars_of(&mut self, run: &Run, from: usize, end: usize) {
        let chars = self.chars;
        let mut at_start = true;
        let mut after_ws = true;
        let mut property = false;
        let mut after_closing = false;
        // Whether a value follows the last `:` of a block line.
        let mut colon: Option<bool> = None;
        let mut i = from;
        while i < end {
            let col = i - run.start;
            self.reach(run.number, col + 1);
            let c = chars[i];
            let next = chars.get(i + 1).copied().filter(|_| i + 1 < end);
            if let Some(quote) = self.quote {
                if quote.ch == '"' && c == '\\' {
                    i += 2;
                    continue;
                }
                if c == quote.ch {
                    if quote.ch == '\'' && next == Some('\'') {
                        i += 2;
                        continue;
                    }
                    self.quote = None;
                    self.closed(quote);
                    after_closing = true;
                    at_start = false;
                    after_ws = false;
                }
                i += 1;
                continue;
            }
            let in_flow = !self.flows.is_empty();
            let spaced = next.is_none_or(|n| matches!(n, ' ' | '\t'));
            if matches!(c, ' ' | '\t') {
                if property {
                    property = false;
                    at_start = true;
                }
                after_ws = true;
                i += 1;
                continue;
            }
            let mut value = true;
            match c {
                '#' if after_ws => break,
                '"' | '\'' if at_start => {
                    let parent = self.parent(run, col);
                    self.quote = Some(self.open(c, run, col, i, parent));
                }
                '[' | '{' if at_start || in_flow => {
                    let parent = self.parent(run, col);
                    let open = self.open(c, run, col, i, parent);
                    self.flows.push(open);
                    at_start = true;
                    after_ws = false;
                    i += 1;
                    colon = colon.map(|_| true);
                    continue;
                }
                ']' | '}' if in_flow => {
                    let opening = if c == ']' { '[' } else { '{' };
                    if self.flows.last().is_some_and(|o| o.ch == opening)
                        && let Some(open) = self.flows.pop()
                    {
                        self.closed(open);
                    }
                    after_closing = true;
                    // What follows is read as a new node, wrongly but as the parser reads it:
                    // in `{…}"` the quote opens a text.
                    at_start = true;
                    after_ws = false;
                    i += 1;
                    continue;
                }
                ',' if in_flow => {
                    at_start = true;
                    after_closing = false;
                    after_ws = false;
                    i += 1;
                    continue;
                }
                ':' if spaced
                    || (in_flow && (after_closing || next.is_some_and(|n| ",]}".contains(n)))) =>
                {
                    if !in_flow {
                        colon = Some(false);
                    }
                    at_start = true;
                    after_closing = false;
                    after_ws = false;
                    i += 1;
                    continue;
                }
                '-' | '?' if at_start && spaced => value = false,
                '|' | '>' if at_start && !in_flow => {
                    self.block_scalar = Some((self.parent(run, col), None));
                    colon = colon.map(|_| true);
                    break;
                }
                '&' | '!' if at_start => {
                    property = true;
                    at_start = false;
                    value = false;
                }
                _ => {
                    at_start = false;
                    value = !property;
                }
            }
            if value {
                colon = colon.map(|_| true);
            }
            after_closing = false;
            after_ws = false;
            i += 1;
        }
        if let Some(line) = run.line.and_then(|index| self.lines.get_mut(index)) {
            line.colon = colon.is_some();
            line.opens |= colon == Some(false);
        }
    }

    fn open(&mut self, ch: char, run: &Run, col: usize, index: usize, parent: isize) -> Open {
        self.next_id += 1;
        let open = Open {
            ch,
            pos: Pos {
                line: run.number,
                col: col + 1,
                index,
            },
            parent,
            low: None,
            id: self.next_id,
        };
        // The parser stops at a quote that it cannot read to its end.
        if (open.pos.line, open.pos.col) == (self.stop.line, self.stop.col) {
            self.watched.push(open.id);
            self.tracked.insert(open.id, (open, None));
        }
        open
    }

    /// A bracket or quote is closed: the lines begun inside it were inside the one around it,
    /// whose lines go beyond the same key.
    fn closed(&mut self, open: Open) {
        if let Some(low) = open.low {
            match (&mut self.quote, self.flows.last_mut()) {
                (Some(outer), _) | (None, Some(outer)) => {
                    outer.low = Some(outer.low.map_or(low, |l| l.min(low)));
                }
                (None, None) => {}
            }
        }
        if let Some(tracked) = self.tracked.get_mut(&open.id) {
            tracked.1 = Some(open);
        }
    }

    /// The indentation that the lines of a bracket, quote or block scalar opening at `col` must
    /// go beyond: that of its key, or of its `- `, or that of the bracket around it.
    fn parent(&self, run: &Run, col: usize) -> isize {
        let wide = |n: usize| isize::try_from(n).unwrap_or(isize::MAX);
        if let Some(outer) = self.flows.last() {
            return outer.parent;
        }
        let Some(line) = run.line.and_then(|index| self.lines.get(index)) else {
            return wide(run.indent) - 1;
        };
        match line.content {
            Some(content) if content != col => wide(content),
            _ => line
                .dashes
                .last()
                .map_or(wide(line.indent) - 1, |&dash| wide(dash)),
        }
    }
}

/// An opening never closed; or, for a bracket, closed only after line `closed_after`, which is
/// not indented beyond its key. (A quote that looks closed that late is closed by the quote that
/// was meant to open the next text.)
fn unclosed(open: Open, closed_after: Option<usize>) -> Explanation {
    if let Some(line) = closed_after.filter(|_| matches!(open.ch, '[' | '{')) {
        return Explanation {
            pos: open.pos,
            message: format!(
                "this `{}` goes on to line {line}, which is not indented more than its key",
                open.ch
            ),
            help: "close it on the line where it opens, or indent the lines inside it more than \
                   its key"
                .to_string(),
        };
    }
    let help = match open.ch {
        '[' => {
            "close the list with `]` on the same entry, or write it as a block list, one `- ` \
                item per line"
        }
        '{' => {
            "close the mapping with `}` on the same entry, or write it as a block mapping, one \
                `key: value` per line"
        }
        '"' => {
            "end the text with `\"` on the same line; a text may go on over more lines only if \
                they are indented more than its key"
        }
        _ => {
            "end the text with `'` on the same line; an apostrophe inside '…' is written twice: `''`"
        }
    };
    Explanation {
        pos: open.pos,
        message: format!("this `{}` is never closed", open.ch),
        help: help.to_string(),
    }
}

/// A level of block indentation that is open: a mapping's keys or a list's `- `.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Level {
    col: usize,
    list: bool,
}

/// The cause of an error at line `stop` among the block lines: the line there indented unlike
/// any level open around it, or the line before it a key without `:`. `at_end` says the parser
/// stopped at the end of the text, so that the last line is the one before the stop.
fn indentation(lines: &[Line], stop: usize, at_end: bool) -> Option<Explanation> {
    let before = |l: &&Line| l.number < stop || (at_end && l.number <= stop);
    let mut levels: Vec<Level> = Vec::new();
    let mut opens = true;
    // The last line that is not the continuation of a plain text, and whether it stood at a
    // level that was open already (beside other keys).
    let mut last: Option<(&Line, bool)> = None;
    // The first line of the document, which sets the indentation of its top keys.
    let mut first: Option<&Line> = None;
    for line in lines.iter().filter(before) {
        if line.marker {
            levels.clear();
            opens = true;
            last = None;
            first = None;
            continue;
        }
        if line.content.is_none() {
            continue;
        }
        let beside = match levels.last() {
            Some(top) if line.indent > top.col => {
                if !opens {
                    // A plain text going on over more lines.
                    continue;
                }
                false
            }
            Some(_) => {
                let list = !line.dashes.is_empty();
                while levels.last().is_some_and(|t| {
                    t.col > line.indent || (t.col == line.indent && t.list && !list)
                }) {
                    levels.pop();
                }
                levels.last().is_some_and(|t| t.col == line.indent)
            }
            None => false,
        };
        push_levels(&mut levels, line);
        opens = line.opens;
        last = Some((line, beside));
        first.get_or_insert(line);
    }
    let target = lines
        .iter()
        .find(|l| l.number == stop && l.content.is_some() && !l.marker)
        .filter(|_| !at_end);
    let Some(target) = target else {
        // The parser stopped at a blank line or at the end: only the line before can be told.
        return match last {
            Some((line, true)) if no_colon(line) && line.dashes.is_empty() => {
                Some(missing_colon(line))
            }
            _ => None,
        };
    };
    let list = !target.dashes.is_empty();
    let accepted = match levels.last() {
        None => true,
        Some(top) if target.indent > top.col => opens || (!list && !target.colon),
        Some(_) => levels.iter().any(|l| l.col == target.indent),
    };
    let (last, beside) = last?;
    if !accepted {
        let deeper = levels.last().is_some_and(|top| target.indent > top.col);
        let under = last
            .dashes
            .is_empty()
            .then_some(last.indent)
            .or(last.content);
        if deeper && no_colon(last) && target.colon && under.is_some_and(|c| target.indent >= c) {
            // `client` then `  name: …`: the key above has lost its colon.
            return Some(missing_colon(last));
        }
        if let Some(first) = first.filter(|first| target.indent < first.indent) {
            // Less indented than the top keys: the first line is the one indented wrongly.
            return Some(bad_indent(first, target.indent));
        }
        return Some(bad_indent(target, nearest(target, &levels)));
    }
    if !no_colon(last) {
        return None;
    }
    let missing = if last.dashes.is_empty() {
        beside || (target.indent == last.indent && target.colon && target.dashes.is_empty())
    } else {
        Some(target.indent) == last.content && target.colon
    };
    missing.then(|| missing_colon(last))
}

/// Adds the levels a block line opens: its `- ` and, for a key, its mapping.
fn push_levels(levels: &mut Vec<Level>, line: &Line) {
    let mut push = |level: Level| {
        if levels.last() != Some(&level) {
            levels.push(level);
        }
    };
    if line.dashes.is_empty() {
        push(Level {
            col: line.indent,
            list: false,
        });
        return;
    }
    for &col in &line.dashes {
        push(Level { col, list: true });
    }
    if let Some(col) = line.content.filter(|_| line.colon) {
        push(Level { col, list: false });
    }
}

/// A line whose content is a plain word with no `:` after it.
fn no_colon(line: &Line) -> bool {
    line.content.is_some() && line.plain && !line.colon
}

fn missing_colon(line: &Line) -> Explanation {
    let col = line.content.unwrap_or(line.indent);
    Explanation {
        pos: Pos {
            line: line.number,
            col: col + 1,
            index: line.start + col,
        },
        message: "this line has no `:` after its key".to_string(),
        help: "put `:` and a space between a key and its value: `key: value`".to_string(),
    }
}

/// The open level `line` most likely belongs to: the nearest of its kind (keys or `- ` items),
/// the deeper of two as near.
fn nearest(line: &Line, levels: &[Level]) -> usize {
    let list = !line.dashes.is_empty();
    let same_kind = levels.iter().filter(|l| l.list == list);
    let candidates: Vec<&Level> = if same_kind.clone().next().is_some() {
        same_kind.collect()
    } else {
        levels.iter().collect()
    };
    candidates
        .iter()
        .map(|l| l.col)
        .min_by_key(|&col| (col.abs_diff(line.indent), std::cmp::Reverse(col)))
        .unwrap_or(0)
}

/// `line` is indented unlike the lines around it, which are indented by `expected`.
fn bad_indent(line: &Line, expected: usize) -> Explanation {
    let list = !line.dashes.is_empty();
    let indented = |n: usize| match n {
        0 => "not indented".to_string(),
        1 => "indented by 1 space".to_string(),
        n => format!("indented by {n} spaces"),
    };
    let spaces = |n: usize| match n {
        1 => "1 space".to_string(),
        n => format!("{n} spaces"),
    };
    let what = if list { "the `- ` items" } else { "the keys" };
    let message = format!(
        "this line is {}; {what} around it are {}",
        indented(line.indent),
        indented(expected)
    );
    let fix = match expected {
        0 => "take its indentation away".to_string(),
        e => format!("indent it by {}", spaces(e)),
    };
    let help = if list {
        format!("{fix}, like the other items of the list")
    } else {
        format!(
            "{fix} to put it beside them; a line is indented more only under a key ending in `:`"
        )
    };
    Explanation {
        pos: Pos {
            line: line.number,
            col: line.indent + 1,
            index: line.start + line.indent,
        },
        message,
        help,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{LoadErrorKind, parse};

    /// Where and how `yaml::parse` tells the error in `text`: line, column, message.
    fn told(text: &str) -> (usize, usize, String) {
        let e = parse(text).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::Syntax, "{text:?}: {e:?}");
        (e.pos.line, e.pos.col, e.message)
    }

    fn at(line: usize, col: usize, message: &str) -> (usize, usize, String) {
        (line, col, message.to_string())
    }

    #[test]
    fn an_unclosed_bracket_is_told_where_it_opens() {
        // The parser stops at the `:` of line 4.
        let text = "id: X\nplan:\n  goals: [G1, G2\n  next: x\nrisk: low\n";
        assert_eq!(told(text), at(3, 10, "this `[` is never closed"));
        let text = "id: X\nconsent: {given: true, date: 2026-03-02\nphase: intake\n";
        assert_eq!(told(text), at(2, 10, "this `{` is never closed"));
        // In a list, at the end of the text, with or without a last line break.
        let text = "history:\n  - {date: 2026-03-02, by: x\n  - {date: 2026-03-05, by: y}\n";
        assert_eq!(told(text), at(2, 5, "this `{` is never closed"));
        for text in ["a: 1\nb: [x, y\n", "a: 1\nb: [x, y"] {
            assert_eq!(told(text), at(2, 4, "this `[` is never closed"), "{text:?}");
        }
        // The parser stops at the second `{`; the first is the one left open.
        let text = "c: {a: [1, 2}\nd: 1\n";
        assert_eq!(told(text), at(1, 8, "this `[` is never closed"));
    }

    #[test]
    fn a_bracket_closed_too_late_names_the_line() {
        let text = "id: X\nconsent: {given: true,\ndate: 2026-03-02}\n";
        assert_eq!(
            told(text),
            at(
                2,
                10,
                "this `{` goes on to line 3, which is not indented more than its key"
            )
        );
        // The parser stops at the `]` itself.
        let text = "consent:\n  share_with: [\n]\nx: 1\n";
        assert_eq!(
            told(text),
            at(
                2,
                15,
                "this `[` goes on to line 3, which is not indented more than its key"
            )
        );
    }

    #[test]
    fn the_deepest_opening_left_open_on_its_line_is_told() {
        // The `{` runs on only because the quote in it does.
        let text = "history:\n  - {date: 2026-03-02, \"phase: intake, by: x}\n  - {note: \"y\"}\n";
        assert_eq!(told(text), at(2, 24, "this `\"` is never closed"));
        // A bracket closed in time inside one that is not is no cause.
        let text = "a: [x, {b: 1,\n    c: 2}, y\nnext: z\n";
        assert_eq!(told(text), at(1, 4, "this `[` is never closed"));
        // After a closed bracket the parser reads a quote as opening a text.
        let text = "history:\n  - {date: 2026-03-02}\"\n  - {date: 2026-03-05}\n";
        assert_eq!(told(text), at(2, 23, "this `\"` is never closed"));
    }

    #[test]
    fn an_unclosed_quote_is_told_where_it_opens() {
        // Columns count characters: the quote is the 6th character of a Persian line.
        let text = "نام: مریم\nnote: \"خانه\nphase: intake\n";
        assert_eq!(told(text), at(2, 7, "this `\"` is never closed"));
        // Closed, in the parser's eyes, by the quote that opens the next text.
        let text = "client:\n  note: 'abc\n  phase: 'intake'\n  x: 1\n";
        assert_eq!(told(text), at(2, 9, "this `'` is never closed"));
        // Inside an unclosed bracket, the quote is the innermost.
        let text = "goals: [\"G1, G2]\nnext: x\n";
        assert_eq!(told(text), at(1, 9, "this `\"` is never closed"));
        assert_eq!(told("a: 1\nb: \"x"), at(2, 4, "this `\"` is never closed"));
    }

    #[test]
    fn a_line_indented_unlike_its_neighbours_names_the_indentation() {
        let one_more = "client:\n  name: A\n   sex: female\n";
        assert_eq!(
            told(one_more),
            at(
                3,
                4,
                "this line is indented by 3 spaces; the keys around it are indented by 2 spaces"
            )
        );
        let one_less = "client:\n  name: A\n sex: female\nphase: intake\n";
        assert_eq!(
            told(one_less),
            at(
                3,
                2,
                "this line is indented by 1 space; the keys around it are indented by 2 spaces"
            )
        );
        let under_a_value = "program: general\n  risk: medium\n";
        assert_eq!(
            told(under_a_value),
            at(
                2,
                3,
                "this line is indented by 2 spaces; the keys around it are not indented"
            )
        );
        let item = "history:\n  - a: 1\n   - b: 2\n";
        assert_eq!(
            told(item),
            at(
                3,
                4,
                "this line is indented by 3 spaces; the `- ` items around it are indented by 2 \
                 spaces"
            )
        );
        // Less indented than the top keys: the first line is the one out of place.
        let first = " id: X\nprogram: general\n";
        assert_eq!(
            told(first),
            at(
                1,
                2,
                "this line is indented by 1 space; the keys around it are not indented"
            )
        );
        let in_item = "history:\n  - a: 1\n    b: 2\n   c: 3\n";
        assert_eq!(
            told(in_item),
            at(
                4,
                4,
                "this line is indented by 3 spaces; the keys around it are indented by 4 spaces"
            )
        );
    }

    #[test]
    fn a_key_without_colon_is_told_on_its_own_line() {
        let missing = "id: X\nrisk medium\nphase: intake\n";
        let expected = at(2, 1, "this line has no `:` after its key");
        assert_eq!(told(missing), expected);
        // At the end of the text (the parser stops past it), with a comment after it.
        assert_eq!(told("id: X\nrisk medium # low?\n"), expected);
        assert_eq!(told("id: X\nrisk medium"), expected);
        // Before the lines of its own mapping.
        assert_eq!(told("id: X\nclient\n  name: A\n"), expected);
        // In a list item.
        let item = "services:\n  - id: S1\n    goal G1\n    kind: x\n";
        assert_eq!(told(item), at(3, 5, "this line has no `:` after its key"));
        let item = "services:\n  - goal G1\n    kind: x\n";
        assert_eq!(told(item), at(2, 5, "this line has no `:` after its key"));
    }

    #[test]
    fn comments_block_texts_and_words_hide_no_opening() {
        // The quote and brackets of a block text, a comment and a word are not openings: the
        // cause found is the indentation of the last line.
        let text = "note: |\n  it's [ \"here {\n\n  more\nother: it's \"so\" # a [ {\nc:\n  a: 1\n   b: 2\n";
        assert_eq!(told(text).0, 8);
        assert!(
            told(text)
                .2
                .starts_with("this line is indented by 3 spaces")
        );
        // A block text ends at a line indented less than its first line.
        let text = "note: >-\n    first line\n   \" second\nnext: x\n";
        assert_eq!(told(text), at(3, 4, "this `\"` is never closed"));
        // A multi-line bracket indented well is no cause.
        let text = "goals: [G1,\n  G2]\nc:\n  a: 1\n b: 2\n";
        assert_eq!(told(text).0, 5);
        // Nor an apostrophe written twice in a single-quoted text.
        let text = "a: 'it''s'\nb: 'x\nc: 1\n";
        assert_eq!(told(text), at(2, 4, "this `'` is never closed"));
    }

    #[test]
    fn other_errors_keep_the_parsers_words() {
        for text in [
            "note: \"a \\q b\"\n",
            "c: [a, b]]\n",
            "c:\n  note: [a, b: c: d]\n",
            "items:\n  - a\n  -b: 1\n",
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.help, None, "{text:?}: {e:?}");
            assert!(!e.message.contains("this"), "{text:?}: {e:?}");
        }
    }

    #[test]
    fn lines_end_as_the_parser_ends_them() {
        for text in ["a: 1\rb: [x\rc: 2\r", "a: 1\r\nb: [x\r\nc: 2\r\n"] {
            assert_eq!(told(text), at(2, 4, "this `[` is never closed"), "{text:?}");
        }
    }

    #[test]
    fn nothing_of_the_text_is_quoted() {
        for text in [
            "SECRET: [SECRET\nSECRET: SECRET\n",
            "SECRET: \"SECRET\nSECRET: SECRET\n",
            "a:\n  SECRET: SECRET\n   SECRET: SECRET\n",
            "SECRET: SECRET\nSECRET SECRET\nSECRET: SECRET\n",
        ] {
            let e = parse(text).unwrap_err();
            let help = e.help.unwrap_or_default();
            assert!(!help.is_empty(), "{text:?}");
            assert!(
                !e.message.contains("SECRET") && !help.contains("SECRET"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn any_text_at_any_place_is_explained_or_not_without_a_panic() {
        let texts = [
            "",
            "\n",
            "\r",
            "[",
            "\"",
            "'",
            "- ",
            "-",
            "---",
            "a: |",
            "a: |\n",
            "\"\\",
            "'''",
            "a:\n- - - [",
            "نام: «مریم\nx",
            "a: [\u{0}\n\u{feff}b",
        ];
        for text in texts {
            let lines = text.split(['\n', '\r']).count();
            for line in [0, 1, 2, lines, lines + 1, usize::MAX] {
                for col in [0, 1, 2, 5, usize::MAX] {
                    let found = explain(
                        text,
                        Pos {
                            line,
                            col,
                            index: 0,
                        },
                    );
                    if let Some(found) = found {
                        assert!(found.pos.line >= 1 && found.pos.line <= lines, "{text:?}");
                        assert!(found.pos.col >= 1, "{text:?}");
                    }
                }
            }
            let _ = parse(text);
        }
    }

    #[test]
    fn a_tab_in_the_indentation_is_found_up_to_the_next_line() {
        let text = "a:\n  b: 1\n\tc: 2\nd:\n\t e: 3\n";
        let tab = |line| tab_in_indentation(text, line).map(|p| (p.line, p.col));
        assert_eq!(tab(1), None);
        assert_eq!(tab(2), Some((3, 1)));
        assert_eq!(tab(9), Some((5, 1)));
        assert_eq!(
            tab_in_indentation("a: 1\n  \t b: 2", 1).map(|p| p.col),
            Some(3)
        );
        assert_eq!(tab_in_indentation("a: x\ty\n", 1), None);
    }

    /// Every text one keystroke away from a case: an error at a line and column of the text.
    #[test]
    fn every_slip_of_a_key_is_told_at_a_place_of_the_file() {
        let case = "id: CM-2026-0001\nrisk: medium\nclient:\n  name: مریم\n  note: 'a \"b\"'\n\
                    consent: {given: true, date: 2026-03-02}\nnote: |\n  it's [x\nhistory:\n  \
                    - {date: 2026-03-02, by: s.ahmadi} # done\n  - date: 2026-03-09\n    by: x\n";
        assert!(parse(case).is_ok());
        let chars: Vec<char> = case.chars().collect();
        let slips = [
            None,
            Some('['),
            Some('{'),
            Some('"'),
            Some('\''),
            Some(' '),
            Some(':'),
        ];
        for i in 0..=chars.len() {
            for slip in slips.iter().chain([&Some('\n'), &Some('\r'), &Some('-')]) {
                let mut text = chars.clone();
                match slip {
                    None if i < text.len() => {
                        text.remove(i);
                    }
                    None => continue,
                    Some(c) => text.insert(i, *c),
                }
                let text: String = text.into_iter().collect();
                let Err(e) = parse(&text) else { continue };
                let lines = text.split('\n').count() + text.matches('\r').count();
                assert!(e.pos.line >= 1 && e.pos.line <= lines, "{text:?}: {e:?}");
                assert!(
                    e.pos.col >= 1 && !e.message.contains("مریم"),
                    "{text:?}: {e:?}"
                );
            }
        }
    }
}
