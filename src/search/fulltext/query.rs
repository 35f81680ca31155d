//! Query parsing: terms, phrases and exclusions, and where they occur.

use std::ops::Range;

/// A parsed query: the terms every matching note holds, and those it must
/// not hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub(super) positive: Vec<Term>,
    pub(super) negative: Vec<Term>,
    /// Indices of `positive`, likely rarest first: a note is rejected as
    /// soon as one term is missing, and a missing term costs a whole pass
    /// over the note, so the term most likely missing goes first.
    pub(super) check_order: Vec<usize>,
    /// How much each positive term counts in ranking: its rarity among the
    /// titles searched (see [`Query::weigh`]); empty until weighed (then
    /// all terms count alike).
    pub(super) weights: Vec<u64>,
}

/// Weight of a term in 1/64ths of a nat of inverse document frequency,
/// plus a floor so that every term counts a little.
const WEIGHT_FLOOR: u64 = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Term {
    /// Lowered (ASCII) bytes.
    pub(super) needle: Vec<u8>,
    /// The term starts with a letter or digit, so it matches at a word's
    /// start only.
    word_start: bool,
    /// The needle's byte least common in text: candidates are found with
    /// `memchr2` on it (both cases), then checked.
    pivot: usize,
}

impl Term {
    fn new(text: &str) -> Self {
        let needle = text.as_bytes().to_ascii_lowercase();
        let word_start = text.chars().next().is_some_and(char::is_alphanumeric);
        let pivot = (0..needle.len())
            .max_by_key(|&i| rarity(needle[i]))
            .unwrap_or(0);
        Self {
            needle,
            word_start,
            pivot,
        }
    }

    /// The first match at or after `from` in `text`.
    pub(super) fn find(&self, text: &str, from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let n = self.needle.len();
        let p = self.needle[self.pivot];
        let (lower, upper) = (p, p.to_ascii_uppercase());
        let mut at_pivot = from + self.pivot;
        while at_pivot < bytes.len() {
            let found = at_pivot + memchr::memchr2(lower, upper, &bytes[at_pivot..])?;
            let at = found - self.pivot;
            at_pivot = found + 1;
            if at + n <= bytes.len()
                && bytes[at..at + n].eq_ignore_ascii_case(&self.needle)
                && text.is_char_boundary(at)
                && text.is_char_boundary(at + n)
                && (!self.word_start || !text[..at].ends_with(char::is_alphanumeric))
            {
                return Some(at);
            }
        }
        None
    }

    pub(super) fn occurs_in(&self, text: &str) -> bool {
        self.find(text, 0).is_some()
    }

    /// Every text this term matches is matched by `shorter` too (a term
    /// matches a prefix of a word, or anywhere).
    fn narrows(&self, shorter: &Self) -> bool {
        self.needle.starts_with(&shorter.needle) && self.word_start == shorter.word_start
    }
}

/// How rare a byte is in English text (higher is rarer): the pivot of a
/// term is its rarest byte, so `memchr` stops at fewer false candidates.
fn rarity(byte: u8) -> u8 {
    const COMMON: &[u8] = b" etaoinsrhldcumfpgwybvkxjqz";
    match COMMON.iter().position(|&c| c == byte.to_ascii_lowercase()) {
        Some(rank) => u8::try_from(rank).unwrap_or(u8::MAX),
        // Digits, punctuation and the bytes of other letters are rarer
        // than any ASCII letter.
        None => u8::MAX,
    }
}

impl Query {
    /// Parses `words "a phrase" !not !"not this"`. An unclosed quote runs
    /// to the end; empty terms are ignored.
    #[must_use]
    pub fn parse(query: &str) -> Self {
        let mut out = Self::default();
        let mut rest = query;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let negative = rest.starts_with('!');
            if negative {
                rest = &rest[1..];
            }
            let term;
            if let Some(quoted) = rest.strip_prefix('"') {
                let end = quoted.find('"').unwrap_or(quoted.len());
                term = &quoted[..end];
                rest = quoted.get(end + 1..).unwrap_or("");
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                term = &rest[..end];
                rest = &rest[end..];
            }
            if term.trim().is_empty() {
                continue;
            }
            let list = if negative {
                &mut out.negative
            } else {
                &mut out.positive
            };
            list.push(Term::new(term));
        }
        out.check_order = (0..out.positive.len()).collect();
        out.check_order.sort_by_key(|&i| {
            let t = &out.positive[i];
            std::cmp::Reverse((t.needle.len(), rarity(t.needle[t.pivot])))
        });
        out
    }

    /// Every note matching `self` matches `older` too (the query was typed
    /// on: a term grew, a term or an exclusion was added), so a search for
    /// `self` only needs to look at the notes that matched `older`.
    #[must_use]
    pub fn narrows(&self, older: &Self) -> bool {
        older
            .positive
            .iter()
            .all(|o| self.positive.iter().any(|n| n.narrows(o)))
            && older.negative.iter().all(|o| self.negative.contains(o))
    }

    /// Weighs each term by its rarity among `titles` (an inverse document
    /// frequency, `ln((N+1)/(n+1))` for a term in `n` of `N` titles): a
    /// title hit on a common word (`AI`) then counts far less than one on
    /// a rare one (`grail`). Titles are all in memory, so this costs one
    /// pass over them per term, not a read of every note.
    pub fn weigh<'t>(&mut self, titles: impl Iterator<Item = &'t str>) {
        let mut counts = vec![0u64; self.positive.len()];
        let mut total = 0u64;
        for title in titles {
            total += 1;
            for (count, term) in counts.iter_mut().zip(&self.positive) {
                *count += u64::from(term.occurs_in(title));
            }
        }
        self.weights = counts
            .into_iter()
            .map(|n| {
                #[allow(clippy::cast_precision_loss)]
                let idf = ((total + 1) as f64 / (n + 1) as f64).ln();
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let scaled = (idf * 64.0).round().max(0.0) as u64;
                scaled + WEIGHT_FLOOR
            })
            .collect();
    }

    /// The ranking weight of positive term `i`.
    pub(super) fn weight(&self, i: usize) -> u64 {
        self.weights.get(i).copied().unwrap_or(64 + WEIGHT_FLOOR)
    }

    /// True when a term occurs in `title` (such notes rank first, so they
    /// are searched first).
    pub(super) fn in_title(&self, title: &str) -> bool {
        self.positive.iter().any(|t| t.occurs_in(title))
    }

    /// True when the query has nothing to look for.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.positive.is_empty()
    }

    /// Byte ranges of the terms in `text` (for highlighting a line shown):
    /// in order, overlaps merged.
    #[must_use]
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for term in &self.positive {
            let mut from = 0;
            while let Some(at) = term.find(text, from) {
                ranges.push(at..at + term.needle.len());
                from = at + 1;
            }
        }
        ranges.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}
