//! Small text helpers shared by the settings reader, the diagnostics and the tables.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

/// `s` with every control character written as an escape (`\u{1b}`, `\n`): text from a case
/// file, shown on a terminal or in a CI log, can then neither drive the terminal (colours,
/// window titles, clearing the screen) nor forge a line of output. The bidirectional embedding,
/// override and isolate controls (U+202A–U+202E, U+2066–U+2069) are escaped too: they reorder
/// what is shown, so that `THR-2026-\u{202e}2100` would read as `THR-2026-0012`. The marks that
/// Persian text needs (ZWNJ, LRM, RLM) stay as they are.
pub fn printable(s: &str) -> Cow<'_, str> {
    escape_controls(s, false)
}

/// [`printable`], keeping line breaks: for a text made of lines.
pub fn printable_lines(s: &str) -> Cow<'_, str> {
    escape_controls(s, true)
}

fn escape_controls(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let escaped = |c: char| (c.is_control() || is_bidi_control(c)) && !(keep_newlines && c == '\n');
    if !s.chars().any(escaped) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                c if escaped(c) => c.escape_default().to_string(),
                c => c.to_string(),
            })
            .collect(),
    )
}

/// The bidirectional embedding, override and isolate controls.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The 1-based line and character column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The candidate closest to `word`, when it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest(word, candidates, 0.8).into_iter().next()
}

/// The candidates at least `likeness` like `word` (Jaro-Winkler, 0 to 1, letters compared as
/// they are), the likest first, ties in the candidates' order, each once.
pub fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    likeness: f64,
) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= likeness)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut seen = std::collections::HashSet::new();
    scored
        .into_iter()
        .filter(|(_, c)| seen.insert(*c))
        .map(|(_, c)| c)
        .collect()
}

/// `s` with Persian (`۳`) and Arabic-Indic (`٣`) digits as Latin ones, and the minus sign
/// (`−`) as `-`: a number typed on a Persian keyboard reads as the same number.
pub fn latin_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '−' => '-',
            c => c,
        })
        .collect()
}

/// How many terminal columns `s` takes (Persian letters one each, combining marks none).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Line `n` (1-based) of `text`, without its line ending.
pub fn line(text: &str, n: usize) -> Option<&str> {
    text.split('\n')
        .nth(n.checked_sub(1)?)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// `bytes` in lowercase hexadecimal, two digits each.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `word` as one word of a shell command line: as it is when it needs no quoting, else in single
/// quotes (a `'` in it written `'\''`).
pub fn shell_word(word: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=,+@".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(format!("'{}'", word.replace('\'', "'\\''")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "a: 1\nنام: x\n";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (2, 6));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            printable("s.ahmadi\u{1b}]0;x\u{7}"),
            "s.ahmadi\\u{1b}]0;x\\u{7}"
        );
        assert_eq!(printable("a\nb\u{9b}c"), "a\\nb\\u{9b}c");
        assert_eq!(printable_lines("a\nb\u{1b}"), "a\nb\\u{1b}");
        assert!(matches!(printable("مریم"), Cow::Borrowed(_)));
        assert_eq!(printable("THR-2026-\u{202e}2100"), "THR-2026-\\u{202e}2100");
        assert_eq!(printable("a\u{2066}b\u{2069}"), "a\\u{2066}b\\u{2069}");
        // ZWNJ, LRM and RLM are Persian's own: kept.
        let persian = "می\u{200c}خواهم \u{200e}THR\u{200f}";
        assert!(matches!(printable(persian), Cow::Borrowed(_)));
    }

    #[test]
    fn suggests_near_words_only() {
        let known = ["caseworker", "calendar", "currency"];
        assert_eq!(suggest("casewroker", known), Some("caseworker"));
        assert_eq!(suggest("calender", known), Some("calendar"));
        assert_eq!(suggest("zzz", known), None);
    }

    #[test]
    fn a_shell_word_is_quoted_only_when_it_must_be() {
        assert_eq!(shell_word("emdad-housing"), "emdad-housing");
        assert_eq!(shell_word("Tehran Bar clinic"), "'Tehran Bar clinic'");
        assert_eq!(shell_word("Women's centre"), "'Women'\\''s centre'");
        assert_eq!(shell_word(""), "''");
    }
}
