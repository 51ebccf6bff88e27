//! Small text helpers shared by the settings reader, the diagnostics and the tables.

use unicode_width::UnicodeWidthStr;

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
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
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
    fn suggests_near_words_only() {
        let known = ["caseworker", "calendar", "currency"];
        assert_eq!(suggest("casewroker", known), Some("caseworker"));
        assert_eq!(suggest("calender", known), Some("calendar"));
        assert_eq!(suggest("zzz", known), None);
    }
}
