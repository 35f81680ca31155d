//! "Did you mean": the titles closest to a name that matched nothing.

use super::{Vault, key::normalize_key};

impl Vault {
    /// Titles closest to a name, for "did you mean" messages: titles that
    /// share the most words with it, then by edit distance of the keys.
    #[must_use]
    pub fn closest_titles(&self, name: &str, limit: usize) -> Vec<String> {
        let key = normalize_key(name);
        let words: Vec<&str> = key.split('_').filter(|w| !w.is_empty()).collect();
        let mut scored: Vec<(usize, usize, &str)> = self
            .notes
            .iter()
            .map(|note| {
                let title_key = normalize_key(&note.title);
                let shared = words
                    .iter()
                    .filter(|w| title_key.split('_').any(|t| t == **w))
                    .count();
                (shared, edit_distance(&key, &title_key), note.title.as_str())
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2)));
        scored.dedup_by(|a, b| a.2 == b.2);
        scored
            .into_iter()
            .take(limit)
            .map(|(_, _, t)| t.to_owned())
            .collect()
    }
}

/// Levenshtein distance over chars, capped in cost by the inputs' length.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let old = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(old + 1);
            prev = old;
        }
    }
    row[b.len()]
}
