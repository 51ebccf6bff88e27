//! Names as they are compared: one normaliser, so that `علي رضائي` (Arabic yeh and kaf, as many
//! keyboards and older databases write them) is `علی رضایی`, and one sound key, so that a name in
//! Latin script meets its Persian spelling (`Ali Rezaei`).
//!
//! - [`normalise`]: compatibility forms unfolded (NFKD), diacritics, tatweel and hamza dropped, the
//!   Arabic letters written as the Persian ones (yeh, kaf, teh marbuta, the alef forms), ZWNJ and
//!   every space one space, Persian and Arabic-Indic digits Latin, Latin case folded.
//! - [`sound`]: a key of the sounds both scripts write, the same for both. Persian writes the
//!   long vowels and not the short ones, so the key keeps each consonant by its sound (`ص`, `س`,
//!   `ث` and `s` are one), `و` and a Latin `ou`/`oo`/`u` between letters as `v`, `ی` and a Latin
//!   `i`, `ee` or `y` as `i` (as `y` at the start of a word), drops every other vowel, and hears a
//!   sound written twice once.
//! - [`similarity`]: how alike two names are, from 0 to 1, word by word, whatever the order of
//!   the words (`Rezaei Ali` is `Ali Rezaei`).
//!
//! No crate does this for Persian: transliteration crates romanise letter by letter and keep
//! Latin vowels, so a Persian and a Latin spelling do not meet. The likeness of two keys is the
//! mean of `strsim`'s Jaro-Winkler and Damerau-Levenshtein similarities.

use unicode_normalization::UnicodeNormalization;

/// `name` as names are compared (see the module's documentation).
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = true; // no space at the start
    for c in name.nfkd() {
        let c = match c {
            // Arabic letters written as the Persian ones (NFKD has split the hamza and the madda
            // off `ئ`, `ۀ`, `أ`, `آ`, `ؤ`: they are marks, dropped below).
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' | 'ە' => 'ه',
            'ٱ' => 'ا',
            // Persian and Arabic-Indic digits as Latin ones.
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            // Tatweel, hamza and the marks of vowels and of other letters.
            'ـ' | 'ء' => continue,
            c if is_mark(c) => continue,
            // ZWNJ, and anything that separates words, as one space.
            '\u{200C}' | '\u{200D}' | '-' | '_' | '.' | ',' | '،' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether `c` is a combining mark: the Arabic vowel signs and the marks NFKD splits off letters
/// (the madda of `آ`, the accent of `é`).
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The sound key of `name`: its words' consonants, in either script the same (see the module's
/// documentation), one space between words.
pub fn sound(name: &str) -> String {
    normalise(name)
        .split(' ')
        .map(word_sound)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Names that end in a `ی` read as `a` (alef maqsura): `Mostafa`, `Kobra`, `Musa`. Any other
/// final `ی` is the vowel `i` (`Rezaei`, `Mahdi`), which no rule can tell from this one.
const ENDS_IN_A: &[&str] = &[
    "مصطفی",
    "مرتضی",
    "مجتبی",
    "کبری",
    "صغری",
    "عظمی",
    "موسی",
    "عیسی",
    "یحیی",
    "هدی",
];

/// The sound key of one normalised word.
fn word_sound(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if ENDS_IN_A.contains(&word) {
        chars.pop();
        chars.push('ا');
    }
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let first = i == 0;
        let last = i + 1 == chars.len();
        // A Latin letter doubled (`ss` of Hassan) is written once in Persian.
        if c.is_ascii_alphabetic() && i > 0 && chars[i - 1] == c {
            i += 1;
            continue;
        }
        let (key, width) = match (c, next) {
            // Latin digraphs first.
            ('s', Some('h')) => (Some('S'), 2),
            ('c', Some('h')) => (Some('C'), 2),
            ('k', Some('h')) => (Some('X'), 2),
            ('z', Some('h')) => (Some('J'), 2),
            ('g', Some('h')) => (Some('q'), 2),
            ('p', Some('h')) => (Some('f'), 2),
            ('t', Some('h')) => (Some('t'), 2),
            // A long `u`, written with `و` in Persian; word-final it is a vowel of either.
            ('o', Some('u')) | ('o', Some('o')) if i + 2 < chars.len() => (Some('v'), 2),
            ('u', _) if !first && !last => (Some('v'), 1),
            ('w', _) | ('v', _) => (Some('v'), 1),
            // A long `i`, written with `ی` in Persian (`ee` of Rezaee too); `y` and `ی` are a
            // consonant at the start of a word, else that vowel.
            ('e', Some('e')) => (Some('i'), 2),
            ('i', _) => (Some('i'), 1),
            ('y', _) | ('ی', _) => (Some(if first { 'y' } else { 'i' }), 1),
            ('و', _) => (Some('v'), 1),
            ('a' | 'e' | 'o' | 'u' | 'ا' | 'ع', _) => (None, 1),
            ('c', _) | ('k', _) | ('ک', _) => (Some('k'), 1),
            ('q', _) | ('غ', _) | ('ق', _) => (Some('q'), 1),
            ('x', _) | ('خ', _) => (Some('X'), 1),
            ('ب', _) => (Some('b'), 1),
            ('پ', _) => (Some('p'), 1),
            ('ت', _) | ('ط', _) => (Some('t'), 1),
            ('ث', _) | ('س', _) | ('ص', _) => (Some('s'), 1),
            ('ج', _) => (Some('j'), 1),
            ('چ', _) => (Some('C'), 1),
            ('ح', _) | ('ه', _) => (Some('h'), 1),
            ('د', _) => (Some('d'), 1),
            ('ذ', _) | ('ز', _) | ('ض', _) | ('ظ', _) => (Some('z'), 1),
            ('ر', _) => (Some('r'), 1),
            ('ژ', _) => (Some('J'), 1),
            ('ش', _) => (Some('S'), 1),
            ('ف', _) => (Some('f'), 1),
            ('گ', _) => (Some('g'), 1),
            ('ل', _) => (Some('l'), 1),
            ('م', _) => (Some('m'), 1),
            ('ن', _) => (Some('n'), 1),
            (c, _) if c.is_ascii_alphanumeric() => (Some(c), 1),
            // Any other letter as it is: a name in a script the key does not know still meets
            // itself.
            (c, _) => (Some(c), 1),
        };
        // A sound written twice is heard once (`یی` of رضایی, `ii` of Rezaii).
        if key.is_some() && out.chars().last() != key {
            out.extend(key);
        }
        i += width;
    }
    out
}

/// The words of a name that are compared: a name has a few; a text of hundreds is not a name,
/// and its first words are enough to tell it.
const MAX_WORDS: usize = 8;

/// A name ready to be compared with many: the sound keys of its words (see [`sound`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Name {
    words: Vec<String>,
}

impl Name {
    pub fn new(name: &str) -> Name {
        Name {
            words: sound(name)
                .split(' ')
                .filter(|w| !w.is_empty())
                .take(MAX_WORDS)
                .map(str::to_string)
                .collect(),
        }
    }

    /// The sound keys of its words, in the order written.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// How alike this name and `other` are, from 0 (nothing alike) to 1 (the same): the words
    /// of the two paired one to one, the most alike pair first, by [`word_likeness`] of their
    /// sound keys; the mean of the pairs, but at most 0.1 above the least alike pair (every word
    /// must be alike, not most), less 0.1 for each word the shorter name lacks. A compound
    /// written as two words in one name and as one in the other (`حسن‌زاده`, `Hassanzadeh`)
    /// is one word: two neighbouring words of the longer name are also compared joined.
    pub fn similarity(&self, other: &Name) -> f64 {
        let (short, long) = if self.words.len() <= other.words.len() {
            (&self.words, &other.words)
        } else {
            (&other.words, &self.words)
        };
        let mut best = paired(short, long);
        for i in 1..long.len().min(MAX_WORDS) {
            if long.len() == short.len() {
                break;
            }
            let mut joined = long.clone();
            let second = joined.remove(i);
            joined[i - 1].push_str(&second);
            best = best.max(paired(short, &joined));
        }
        best
    }
}

/// [`Name::similarity`] of the words `short` and `long` as they are, `long` the longer.
fn paired(short: &[String], long: &[String]) -> f64 {
    if short.is_empty() {
        return 0.0;
    }
    let mut pairs: Vec<(f64, usize, usize)> = short
        .iter()
        .enumerate()
        .flat_map(|(i, w)| {
            long.iter()
                .enumerate()
                .map(move |(j, v)| (word_likeness(w, v), i, j))
        })
        .collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut used_short, mut used_long) = (0u16, 0u16);
    let (mut total, mut least) = (0.0, 1.0f64);
    for (score, i, j) in pairs {
        let (i, j) = (1u16 << i, 1u16 << j);
        if used_short & i == 0 && used_long & j == 0 {
            used_short |= i;
            used_long |= j;
            total += score;
            least = least.min(score);
        }
    }
    let mean = (total / short.len() as f64).min(least + 0.1);
    let missing = (long.len() - short.len()) as f64 * 0.1;
    (mean - missing).max(0.0)
}

/// How alike two sound keys of words are, from 0 to 1: the mean of their Jaro-Winkler
/// similarity, which forgives a letter lost in a long word, and of their normalised
/// Damerau-Levenshtein similarity, which does not forgive a letter in a short one (`Hasan` and
/// `Hossein`, `Akbari` and `Karimi` are other names, not other spellings).
fn word_likeness(a: &str, b: &str) -> f64 {
    (strsim::jaro_winkler(a, b) + strsim::normalized_damerau_levenshtein(a, b)) / 2.0
}

/// How alike the names `a` and `b` are, from 0 to 1 (see [`Name::similarity`]), whatever the
/// order of their words.
pub fn similarity(a: &str, b: &str) -> f64 {
    Name::new(a).similarity(&Name::new(b))
}

/// The digits of `text`, in Latin digits whatever digits it is written in (`۰۰۱۲-۳۴۵` and
/// `0012 345` are `0012345`): how national ids and phone numbers are compared.
pub fn digits(text: &str) -> String {
    normalise(text)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spellings of one name: each pair must be the same name.
    const SAME: &[(&str, &str)] = &[
        ("علي رضائي", "علی رضایی"),
        ("علی‌رضا", "علی رضا"),
        ("فاطمة", "فاطمه"),
        ("كريمي", "کریمی"),
        ("آمنه", "امنه"),
        ("مسئله", "مسیله"),
        ("ﻋﻠﯽ", "علی"),
        ("خانۀ", "خانه"),
        ("مَریَم", "مریم"),
        ("محـــمد", "محمد"),
        ("۱۲۳٤", "1234"),
        ("MARYAM  Rezaei", "maryam rezaei"),
        ("José", "jose"),
    ];

    #[test]
    fn spellings_of_one_name_normalise_alike() {
        for (a, b) in SAME {
            assert_eq!(normalise(a), normalise(b), "{a} / {b}");
        }
        assert_eq!(normalise("  علی \u{200C} رضایی "), "علی رضایی");
        assert_eq!(digits("۰۰۱۲-۳۴۵"), "0012345");
        assert_eq!(digits("+98 (912) ٠٠٠ 0000"), "989120000000");
    }

    /// A Persian name and its Latin spellings: the same sound key.
    const ACROSS: &[(&str, &[&str])] = &[
        ("مریم رضایی", &["Maryam Rezaei", "Mariam Rezayi"]),
        ("معصومه موسوی", &["Masoumeh Mousavi", "Masoomeh Musavi"]),
        ("علی رضایی", &["Ali Rezaei"]),
        ("حمید صالحی", &["Hamid Salehi"]),
        ("فاطمه حسینی", &["Fatemeh Hosseini", "Fatemeh Hoseini"]),
        ("محمد احمدی", &["Mohammad Ahmadi", "Mohamad Ahmadi"]),
        ("زهرا کریمی", &["Zahra Karimi"]),
        ("نرگس مرادی", &["Narges Moradi"]),
        ("شیرین قاسمی", &["Shirin Ghasemi"]),
        ("یوسف خدیجه", &["Yousef Khadijeh"]),
        ("وحید", &["Vahid"]),
        ("مصطفی کبری", &["Mostafa Kobra"]),
        ("مرتضی موسوی", &["Morteza Mousavi"]),
        ("یحیی", &["Yahya"]),
    ];

    #[test]
    fn a_latin_spelling_meets_the_persian_one() {
        for (persian, latin) in ACROSS {
            for l in *latin {
                let score = similarity(persian, l);
                assert!(
                    score >= 0.9,
                    "{persian} / {l}: {score} ({} / {})",
                    sound(persian),
                    sound(l)
                );
            }
        }
        assert_eq!(sound("Hassan"), sound("حسن"));
        assert!(similarity("رضایی علی", "Ali Rezaei") > 0.95);
        // A compound written as one word or two.
        assert!(similarity("اعظم حسن\u{200C}زاده", "Azam Hassanzadeh") > 0.95);
        assert!(similarity("علیرضا کریمی", "Ali Reza Karimi") > 0.95);
    }

    /// Other people: each pair must not be taken for one name.
    const OTHER: &[(&str, &str)] = &[
        ("مریم رضایی", "مریم کریمی"),
        ("علی رضایی", "حسن رضایی"),
        ("Zahra Karimi", "Sara Ahmadi"),
        ("نرگس مرادی", "Narges Mousavi"),
        ("فاطمه حسینی", "فرشته حسنی"),
        // One word the same, the other near in letters: twins, perhaps, not one person.
        ("Kobra Akbari", "Kobra Karimi"),
        ("امیر اکبری", "مجید اکبری"),
        ("Mohsen Karimi", "حسین کریمی"),
    ];

    #[test]
    fn other_people_are_not_taken_for_one() {
        for (a, b) in OTHER {
            let score = similarity(a, b);
            // Below the threshold `cm find` and `possible-duplicate` use.
            assert!(
                score < 0.85,
                "{a} / {b}: {score} ({} / {})",
                sound(a),
                sound(b)
            );
        }
    }
}
