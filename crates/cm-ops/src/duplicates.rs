//! Clients known twice: the same national id in two cases (`duplicate-client`), or names alike
//! with the same sex and birth (`possible-duplicate`). One finder for `cm validate`, `cm new` and
//! `cm report duplicates`.
//!
//! Not every pair of 100,000 cases is compared: cases are put in blocks by the sex, the year of
//! birth and the first two letters of the sound key of each word of the name (see
//! [`cm_base::spelling`]), and only cases that share a block are compared; those with a full
//! birth date only with the same date or a year alone. A pair confirmed to be two people
//! (`not_duplicate_of` in either case) is not reported.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use cm_base::spelling::{self, Name};
use cm_case::{Case, Phase, Program, Sex};
use serde::{Deserialize, Serialize};

use crate::output::{Cell, Table};

/// How alike two names must be, with the same sex and birth, for the clients to be possibly one
/// person: the threshold `cm find` finds a name with (see [`crate::find::NAME_THRESHOLD`]).
pub const THRESHOLD: f64 = crate::find::NAME_THRESHOLD;

/// What of a client tells whether two cases are of one person.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Person {
    pub id: Option<String>,
    pub open: bool,
    program: Option<Program>,
    phase: Option<Phase>,
    /// The digits of the national id.
    national_id: Option<String>,
    name: Name,
    sex: Option<Sex>,
    birth_date: Option<NaiveDate>,
    birth_year: Option<i32>,
    not_duplicate_of: Vec<String>,
}

impl Person {
    pub fn of(case: &Case) -> Person {
        let client = case.client.clone().unwrap_or_default();
        Person {
            id: case.id.clone(),
            open: case.is_open(),
            program: case.program,
            phase: case.phase,
            national_id: client
                .national_id
                .as_deref()
                .map(spelling::digits)
                .filter(|d| !d.is_empty()),
            name: client.name.as_deref().map(Name::new).unwrap_or_default(),
            sex: client.sex,
            birth_date: client.birth_date,
            birth_year: client.year_of_birth(),
            not_duplicate_of: case.not_duplicate_of.clone(),
        }
    }

    /// A client whom nothing but the name and the sex tells (no birth, no national id): the
    /// sex and the sound of the name's words, in the order of the alphabet. `cm import` skips a
    /// row whose client has the same as a case or an earlier row, so that importing a file
    /// again adds nothing; `cm validate` does not warn of them (too many namesakes).
    pub fn bare_name(&self) -> Option<(Sex, Vec<String>)> {
        if self.birth_year.is_some() || self.national_id.is_some() || self.name.is_empty() {
            return None;
        }
        let mut words = self.name.words().to_vec();
        words.sort_unstable();
        Some((self.sex?, words))
    }

    /// What a client who may be this one shares with it, as text: the national id, and each
    /// block of [`blocks`]; any two clients [`Index::matches`] pairs share one. The register of
    /// `cm new` finds the few cases to compare with by them.
    pub fn keys(&self) -> Vec<String> {
        let blocks = blocks(self)
            .into_iter()
            .map(|(sex, year, word)| format!("block {} {year} {word}", sex.as_str()));
        self.national_id
            .iter()
            .map(|nid| format!("national_id {nid}"))
            .chain(blocks)
            .collect()
    }

    /// Whether this case or `other` records that their clients are two people.
    fn known_apart(&self, other: &Person) -> bool {
        let names = |p: &Person, q: &Person| {
            q.id.as_ref()
                .is_some_and(|id| p.not_duplicate_of.contains(id))
        };
        names(self, other) || names(other, self)
    }

    /// Whether the two were born on one day, as far as their files say: by the same date when
    /// both have one, else by the same year; `None` when they were not, or it is not known.
    fn same_birth(&self, other: &Person) -> Option<By> {
        match (self.birth_date, other.birth_date) {
            (Some(a), Some(b)) => (a == b).then_some(By::NameAndBirthDate),
            _ => (self.birth_year.is_some() && self.birth_year == other.birth_year)
                .then_some(By::NameAndBirthYear),
        }
    }

    /// How alike the two clients are, when they may be one person: the same sex (and known),
    /// the same birth, names at least [`THRESHOLD`] alike.
    fn likeness(&self, other: &Person) -> Option<(By, f64)> {
        if self.sex.is_none() || self.sex != other.sex {
            return None;
        }
        let by = self.same_birth(other)?;
        let score = self.name.similarity(&other.name);
        (score >= THRESHOLD).then_some((by, score))
    }
}

cm_base::names!(
    /// Why two cases may be of one client.
    pub By {
        NationalId = "national_id",
        NameAndBirthDate = "name+birth_date",
        NameAndBirthYear = "name+birth_year",
    }
);

/// Two cases that may be of one client: indexes into the people compared, `first` before
/// `second`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub first: usize,
    pub second: usize,
    pub by: By,
    /// 1 for a national id; the likeness of the names otherwise.
    pub score: f64,
}

/// Every pair of `people` that may be one client, ordered by the second, then the first: each
/// later case with the same national id paired with the first that has it and is not known
/// apart from it, and each pair of
/// names alike with the same sex and birth (unless they share a national id already, or have
/// different ones). Pairs known apart are left out.
pub fn pairs<P: Borrow<Person>>(people: &[P]) -> Vec<Pair> {
    let mut found = Vec::new();
    // The cases of each national id so far, in order.
    let mut with: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let p = p.borrow();
        if let Some(nid) = p.national_id.as_deref() {
            let earlier = with.entry(nid).or_default();
            if let Some(&first) = earlier
                .iter()
                .find(|&&e| !people[e].borrow().known_apart(p))
            {
                found.push(Pair {
                    first,
                    second: i,
                    by: By::NationalId,
                    score: 1.0,
                });
            }
            earlier.push(i);
        }
    }
    for (first, second) in candidates(people) {
        let (a, b) = (people[first].borrow(), people[second].borrow());
        // Two national ids tell the clients apart, or together (reported above).
        if a.national_id.is_some() && b.national_id.is_some() {
            continue;
        }
        if let Some((by, score)) = a.likeness(b).filter(|_| !a.known_apart(b)) {
            found.push(Pair {
                first,
                second,
                by,
                score,
            });
        }
    }
    found.sort_by_key(|p| (p.second, p.first));
    found
}

/// The cases of `known` whose client may be `new`'s (at `cm new`, before the case is written):
/// each pair with `first` the index in `known` and `second` its length, those by the national
/// id first, then the most alike names. Every case with the same national id is paired, not
/// only the first.
pub fn matches(known: &[Person], new: &Person) -> Vec<Pair> {
    Index::new(known.to_vec()).matches(new)
}

/// People indexed to be compared with one more, again and again (`cm new`, each row of
/// `cm import`): by national id, and by the blocks [`pairs`] compares within, so that a client
/// is compared with the few who may be them, not with every case.
#[derive(Debug, Default)]
pub struct Index {
    people: Vec<Person>,
    by_id: HashMap<String, Vec<usize>>,
    blocks: HashMap<(Sex, i32, String), Vec<usize>>,
}

impl Index {
    pub fn new(people: Vec<Person>) -> Index {
        let mut index = Index::default();
        for person in people {
            index.add(person);
        }
        index
    }

    /// Adds `person`; its index is the number of people before it.
    pub fn add(&mut self, person: Person) {
        let i = self.people.len();
        if let Some(nid) = &person.national_id {
            self.by_id.entry(nid.clone()).or_default().push(i);
        }
        for key in blocks(&person) {
            let (sex, year, word) = key;
            self.blocks
                .entry((sex, year, word.to_string()))
                .or_default()
                .push(i);
        }
        self.people.push(person);
    }

    /// [`matches`] of `new` among the people indexed.
    pub fn matches(&self, new: &Person) -> Vec<Pair> {
        let mut candidates: Vec<usize> = new
            .national_id
            .as_ref()
            .and_then(|nid| self.by_id.get(nid))
            .into_iter()
            .flatten()
            .copied()
            .chain(blocks(new).into_iter().flat_map(|(sex, year, word)| {
                self.blocks
                    .get(&(sex, year, word.to_string()))
                    .into_iter()
                    .flatten()
                    .copied()
            }))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut found: Vec<Pair> = candidates
            .into_iter()
            .filter(|&first| !self.people[first].known_apart(new))
            .filter_map(|first| {
                let k = &self.people[first];
                let (by, score) = match (&k.national_id, &new.national_id) {
                    (Some(a), Some(b)) => (a == b).then_some((By::NationalId, 1.0))?,
                    _ => k.likeness(new)?,
                };
                Some(Pair {
                    first,
                    second: self.people.len(),
                    by,
                    score,
                })
            })
            .collect();
        found.sort_by(|a, b| {
            let by_id = |p: &Pair| p.by != By::NationalId;
            (by_id(a).cmp(&by_id(b)))
                .then(b.score.total_cmp(&a.score))
                .then(a.first.cmp(&b.first))
        });
        found
    }
}

/// The blocks `person` is in: the sex, the year of birth, and the first two letters of the
/// sound of each word — a word spelt another way, or written joined to the next (`حسن‌زاده`,
/// `Hassanzadeh`), still meets its twin. None without a sex or a year.
fn blocks(person: &Person) -> Vec<(Sex, i32, &str)> {
    let (Some(sex), Some(year)) = (person.sex, person.birth_year) else {
        return Vec::new();
    };
    let mut words: Vec<&str> = person.name.words().iter().map(|w| prefix(w, 2)).collect();
    words.sort_unstable();
    words.dedup();
    words.into_iter().map(|w| (sex, year, w)).collect()
}

/// The columns of `cm report duplicates`: no name, no national id, only how the two cases met.
pub const COLUMNS: &[&str] = &[
    "case",
    "program",
    "phase",
    "other",
    "other_program",
    "other_phase",
    "matched_by",
    "score",
];

/// `cm report duplicates`: one row per pair of cases that may be of one client, the later case
/// first, in the order of `people`.
pub fn table(people: &[Person]) -> Table {
    let mut table = Table::new(COLUMNS);
    let text = |s: Option<String>| s.map_or(Cell::Empty, Cell::Text);
    for pair in pairs(people) {
        let (later, first) = (&people[pair.second], &people[pair.first]);
        table.push(vec![
            text(later.id.clone()),
            text(later.program.map(|p| p.to_string())),
            text(later.phase.map(|p| p.to_string())),
            text(first.id.clone()),
            text(first.program.map(|p| p.to_string())),
            text(first.phase.map(|p| p.to_string())),
            Cell::Text(pair.by.to_string()),
            Cell::Decimal(pair.score, 2),
        ]);
    }
    table
}

/// The pairs of `people` that share a block — the same sex, year of birth and the beginning of
/// a word of the name — each once, the earlier first; in a block, a case with a full birth date meets only
/// those with the same date or without one.
fn candidates<P: Borrow<Person>>(people: &[P]) -> Vec<(usize, usize)> {
    let mut blocks: HashMap<(Sex, i32, &str), Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        for key in self::blocks(p.borrow()) {
            blocks.entry(key).or_default().push(i);
        }
    }
    let mut pairs = HashSet::new();
    for members in blocks.values() {
        // By date within the block: those without a date meet every one.
        let mut by_date: HashMap<Option<NaiveDate>, Vec<usize>> = HashMap::new();
        for &i in members {
            by_date
                .entry(people[i].borrow().birth_date)
                .or_default()
                .push(i);
        }
        let undated = by_date.get(&None).cloned().unwrap_or_default();
        for (date, same) in &by_date {
            for (k, &a) in same.iter().enumerate() {
                for &b in &same[k + 1..] {
                    pairs.insert((a.min(b), a.max(b)));
                }
                if date.is_some() {
                    for &b in &undated {
                        pairs.insert((a.min(b), a.max(b)));
                    }
                }
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    pairs
}

/// The first `n` characters of `word` (all of a shorter one).
fn prefix(word: &str, n: usize) -> &str {
    word.char_indices()
        .nth(n)
        .map_or(word, |(at, _)| &word[..at])
}

#[cfg(test)]
mod tests {
    use super::*;
    use cm_case::{Client, Phase};

    fn case(
        id: &str,
        name: &str,
        sex: Sex,
        born: (Option<&str>, Option<i32>),
        nid: Option<&str>,
    ) -> Case {
        Case {
            id: Some(id.to_string()),
            phase: Some(Phase::Intake),
            client: Some(Client {
                name: Some(name.to_string()),
                sex: Some(sex),
                birth_date: born.0.map(|d| d.parse().unwrap()),
                birth_year: born.1,
                national_id: nid.map(str::to_string),
                ..Client::default()
            }),
            ..Case::default()
        }
    }

    fn found(cases: &[Case]) -> Vec<(usize, usize, By)> {
        let people: Vec<Person> = cases.iter().map(Person::of).collect();
        pairs(&people)
            .into_iter()
            .map(|p| (p.first, p.second, p.by))
            .collect()
    }

    #[test]
    fn alike_names_of_the_same_sex_and_birth_are_paired() {
        use Sex::*;
        let d = (Some("1980-03-01"), None);
        let cases = [
            case("A-2026-0001", "مریم رضایی", Female, d, None),
            case("A-2026-0002", "Maryam Rezaei", Female, d, None),
            // Another birth date, another sex, another name: apart.
            case(
                "A-2026-0003",
                "Maryam Rezaei",
                Female,
                (Some("1980-03-02"), None),
                None,
            ),
            case("A-2026-0004", "Maryam Rezaei", Male, d, None),
            case("A-2026-0005", "Maryam Karimi", Female, d, None),
            // Only the year known: meets those born that year.
            case(
                "A-2026-0006",
                "مريم رضائي",
                Female,
                (None, Some(1980)),
                None,
            ),
        ];
        assert_eq!(
            found(&cases),
            [
                (0, 1, By::NameAndBirthDate),
                (0, 5, By::NameAndBirthYear),
                (1, 5, By::NameAndBirthYear),
                (2, 5, By::NameAndBirthYear)
            ]
        );
    }

    #[test]
    fn a_national_id_in_any_digits_pairs_later_cases_with_the_first() {
        use Sex::*;
        let none = (None, None);
        let cases = [
            case("A-2026-0001", "Ali", Male, none, Some("0012345678")),
            case("A-2026-0002", "Hassan", Male, none, Some("۰۰۱۲۳۴۵۶۷۸")),
            case("A-2026-0003", "Reza", Male, none, Some("001-234-5678")),
            case("A-2026-0004", "Ali", Male, none, Some("0012345679")),
        ];
        assert_eq!(
            found(&cases),
            [(0, 1, By::NationalId), (0, 2, By::NationalId)]
        );
    }

    #[test]
    fn a_new_client_is_matched_against_every_known_case() {
        use Sex::*;
        let d = (Some("1980-03-01"), None);
        let known: Vec<Person> = [
            case("A-2026-0001", "مریم رضایی", Female, d, Some("0012345678")),
            case(
                "A-2026-0002",
                "Maryam Rezaei",
                Female,
                (None, Some(1980)),
                None,
            ),
            case("A-2026-0003", "Maryam Karimi", Female, d, None),
            case("A-2026-0004", "Ali", Male, (None, None), Some("۰۰۱۲۳۴۵۶۷۸")),
        ]
        .iter()
        .map(Person::of)
        .collect();
        let new = |nid: Option<&str>, apart: &[&str]| {
            let mut c = case("A-2026-0005", "مريم رضائي", Female, d, nid);
            c.not_duplicate_of = apart.iter().map(|s| s.to_string()).collect();
            let found = matches(&known, &Person::of(&c));
            found.iter().map(|p| (p.first, p.by)).collect::<Vec<_>>()
        };
        // Without a national id, by the name: the date meets a date and a year.
        assert_eq!(
            new(None, &[]),
            [(0, By::NameAndBirthDate), (1, By::NameAndBirthYear)]
        );
        // With one, the national id decides between two that have one.
        assert_eq!(
            new(Some("0012345678"), &[]),
            [
                (0, By::NationalId),
                (3, By::NationalId),
                (1, By::NameAndBirthYear)
            ]
        );
        assert_eq!(new(None, &["A-2026-0001"]), [(1, By::NameAndBirthYear)]);
    }

    #[test]
    fn a_pair_known_apart_is_not_reported() {
        let d = (Some("1980-03-01"), None);
        let mut second = case("A-2026-0002", "Maryam Rezaei", Sex::Female, d, Some("1"));
        let first = case("A-2026-0001", "مریم رضایی", Sex::Female, d, Some("1"));
        assert_eq!(found(&[first.clone(), second.clone()]).len(), 1);
        second.not_duplicate_of = vec!["A-2026-0001".to_string()];
        assert!(found(&[first.clone(), second.clone()]).is_empty());
        // A third with that id, known apart from the first only: paired with the second.
        let mut third = second.clone();
        third.id = Some("A-2026-0003".to_string());
        assert_eq!(found(&[first, second, third]), [(1, 2, By::NationalId)]);
    }
}
