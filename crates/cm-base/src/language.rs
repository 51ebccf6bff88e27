//! The languages of the documents cm writes for people (`--lang`, `[workspace].language`), and
//! how each writes its numbers. CSV and JSON keys stay English whatever the language.

crate::names!(
    /// A language of the documents: English, or Persian (right to left, Persian digits).
    pub Language {
        En = "en",
        Fa = "fa",
    }
);

impl Language {
    /// Whether the language is written right to left.
    pub fn rtl(self) -> bool {
        self == Language::Fa
    }

    /// `text` with its Latin digits in the language's own, and the decimal point its
    /// separator: `12.5` is `۱۲٫۵` in Persian.
    pub fn digits(self, text: &str) -> String {
        match self {
            Language::En => text.to_string(),
            Language::Fa => text
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                    '.' => '٫',
                    _ => c,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_writes_its_own_digits() {
        assert_eq!(Language::Fa.digits("1405-08-09, 12.5"), "۱۴۰۵-۰۸-۰۹, ۱۲٫۵");
        assert_eq!(Language::En.digits("12.5"), "12.5");
    }
}
