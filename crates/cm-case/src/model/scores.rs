//! Scores: domain scores or goal attainments, in one small sorted vector.

use serde::{Deserialize, Serialize};

/// Domain name → score (1..5) or goal id → attainment (−2..+2), sorted by name like a map, in
/// one small vector: a review scores a handful, and a tree node per review would take more
/// memory than the rest of the case (listings keep every case in memory).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores(Vec<(String, i64)>);

impl Scores {
    pub fn new() -> Scores {
        Scores::default()
    }

    pub fn get(&self, name: &str) -> Option<&i64> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    /// Sets the score of `name`, replacing the one it had.
    pub fn insert(&mut self, name: String, score: i64) {
        match self.find(&name) {
            Ok(i) => self.0[i].1 = score,
            Err(i) => self.0.insert(i, (name, score)),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &i64)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }
}

impl Extend<(String, i64)> for Scores {
    fn extend<I: IntoIterator<Item = (String, i64)>>(&mut self, items: I) {
        for (name, score) in items {
            self.insert(name, score);
        }
    }
}

impl FromIterator<(String, i64)> for Scores {
    fn from_iter<I: IntoIterator<Item = (String, i64)>>(items: I) -> Scores {
        let mut scores = Scores::new();
        scores.extend(items);
        scores.0.shrink_to_fit();
        scores
    }
}

impl<'a> IntoIterator for &'a Scores {
    type Item = (&'a String, &'a i64);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, i64)>,
        fn(&'a (String, i64)) -> (&'a String, &'a i64),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}
