//! A cheap upper bound of nucleo's fuzzy score, so that only the few items
//! that can reach the top of the list are scored exactly.
//!
//! nucleo scores an alignment of the needle in the haystack: every matched
//! char earns [`SCORE_MATCH`] plus a bonus (at most [`MAX_BONUS`], for a
//! word start after whitespace); the first char's bonus counts twice; a
//! char right after another matched char earns at least the bonus of the
//! first char of its run; and every gap costs at least [`GAP_START`]. Its
//! optimal matcher looks for the best alignment, which is the expensive
//! part (a matrix over haystack × needle). The bound below needs one pass
//! over the occurrences of the needle's first char:
//!
//! - a contiguous occurrence at `i` scores at most
//!   `16n + 2·bonus(i) + 10(n − 1)`;
//! - any other alignment starts at some occurrence of the first char and
//!   has a gap: at most `16n + 2·B₀ + 10(n − 1) − 3`, where `B₀` is the
//!   best bonus of any occurrence of the first char.
//!
//! The best items of a short query are contiguous at a word start, where
//! the bound is the exact score, so the top of the list is usually settled
//! without scoring anything else. Tests check the bound against nucleo on
//! random text and on every item of generated vaults.

use nucleo::{
    Matcher, Utf32Str,
    pattern::{Atom, AtomKind, Pattern},
};

/// Points for every matched char (nucleo's `SCORE_MATCH`).
const SCORE_MATCH: u32 = 16;
/// The largest bonus of [`nucleo::Config::DEFAULT`]: a word start after
/// whitespace (`bonus_boundary_white`).
const MAX_BONUS: u32 = 10;
/// The smallest cost of a gap (nucleo's `PENALTY_GAP_START`).
const GAP_START: u32 = 3;

/// nucleo's char classes for ASCII, in nucleo's order (word chars last).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Whitespace,
    NonWord,
    Delimiter,
    Lower,
    Upper,
    Number,
}

fn class(byte: u8) -> Class {
    match byte {
        b'a'..=b'z' => Class::Lower,
        b'A'..=b'Z' => Class::Upper,
        b'0'..=b'9' => Class::Number,
        _ if byte.is_ascii_whitespace() => Class::Whitespace,
        // `Config::DEFAULT.delimiter_chars`.
        b'/' | b',' | b':' | b';' | b'|' => Class::Delimiter,
        _ => Class::NonWord,
    }
}

/// The class of `byte` as a number below 6, for tables.
pub(super) fn class_index(byte: u8) -> u8 {
    class(byte) as u8
}

/// nucleo's `Config::bonus_for` with [`nucleo::Config::DEFAULT`].
fn bonus(prev: Class, class: Class) -> u32 {
    if class > Class::Delimiter {
        match prev {
            Class::Whitespace => return MAX_BONUS,
            Class::Delimiter => return 9,
            Class::NonWord => return 8,
            _ => {}
        }
    }
    if prev == Class::Lower && class == Class::Upper
        || prev != Class::Number && class == Class::Number
    {
        5
    } else if class == Class::Whitespace {
        MAX_BONUS
    } else if class == Class::NonWord {
        8
    } else {
        0
    }
}

/// The bonus of the char at `i` (the start of the text counts as after
/// whitespace, nucleo's `initial_char_class`).
pub(super) fn bonus_at(hay: &[u8], i: usize) -> u32 {
    let prev = i
        .checked_sub(1)
        .map_or(Class::Whitespace, |p| class(hay[p]));
    bonus(prev, class(hay[i]))
}

/// An upper bound of `Matcher::fuzzy_match(hay, needle)` for ASCII text,
/// `None` exactly when nucleo finds no match. `needle` is as nucleo keeps
/// it: lower case when `ignore_case`. For a one-char needle the bound is
/// the score.
#[must_use]
pub fn fuzzy_bound(hay: &[u8], needle: &[u8], ignore_case: bool) -> Option<u32> {
    fuzzy_estimate(hay, needle, ignore_case).map(|e| e.score)
}

/// [`fuzzy_bound`], and whether it is nucleo's score: where the needle
/// occurs whole right at a word start after whitespace (the start of the
/// text counts), that alignment scores the bound itself (every char
/// after the first takes the first one's bonus, the largest), so no
/// alignment scores more.
#[must_use]
pub fn fuzzy_estimate(hay: &[u8], needle: &[u8], ignore_case: bool) -> Option<Estimate> {
    let (&first, rest) = needle.split_first()?;
    if needle.len() > hay.len() {
        return None;
    }
    let same = |h: u8, n: u8| same_char(h, n, ignore_case);
    let n = u32::try_from(needle.len()).ok()?;
    let mut best_first = 0;
    let mut best_run: Option<u32> = None;
    // The first occurrence of the first char: the rest of the needle must
    // follow it (checked only when no whole occurrence proved it).
    let mut first_at = None;
    let mut at = 0;
    while let Some(found) = find(&hay[at..=hay.len() - needle.len()], first, ignore_case) {
        let i = at + found;
        first_at.get_or_insert(i);
        let b = bonus_at(hay, i);
        best_first = best_first.max(b);
        if best_run.is_none_or(|r| b > r)
            && hay[i + 1..i + needle.len()]
                .iter()
                .zip(rest)
                .all(|(&h, &c)| same(h, c))
        {
            best_run = Some(b);
        }
        if best_run == Some(MAX_BONUS) {
            break;
        }
        at = i + 1;
        if at + needle.len() > hay.len() {
            break;
        }
    }
    let first_at = first_at?;
    if best_run.is_none() && !is_subsequence(&hay[first_at + 1..], rest, ignore_case) {
        return None;
    }
    let base = SCORE_MATCH * n + MAX_BONUS * (n - 1);
    let gapped = (n > 1).then(|| (2 * best_first).saturating_sub(GAP_START));
    let run = best_run.map(|b| 2 * b);
    let extra = match (run, gapped) {
        (Some(r), Some(g)) => r.max(g),
        (Some(r), None) => r,
        (None, Some(g)) => g,
        // A one-char needle is always "contiguous" where it occurs.
        (None, None) => 2 * best_first,
    };
    Some(Estimate {
        score: base + extra,
        exact: n == 1 || best_run == Some(MAX_BONUS),
    })
}

/// Whether the text's byte `h` matches the needle's `n` (lower case
/// when `ignore_case`).
pub(super) fn same_char(h: u8, n: u8, ignore_case: bool) -> bool {
    h == n || ignore_case && h.to_ascii_lowercase() == n
}

/// Whether nucleo finds `needle` in `hay` at all (chars in order, either
/// case when `ignore_case`).
fn is_subsequence(hay: &[u8], needle: &[u8], ignore_case: bool) -> bool {
    if needle.len() > hay.len() {
        return false;
    }
    let mut from = 0;
    for &c in needle {
        match find(&hay[from..], c, ignore_case) {
            Some(at) => from += at + 1,
            None => return false,
        }
    }
    true
}

/// [`fuzzy_bound`] for a text where the needle's first char, a letter,
/// never starts a word (first in the text or after whitespace: the
/// item's [`super::store::word_start_bit`] is clear). Every occurrence of
/// it then has a bonus of at most 9 (after a delimiter), so any alignment
/// scores at most `16n + 10(n − 1) + 2·9`: only the match itself is
/// checked, not every occurrence. Such an item ranks below every
/// contiguous match at a word start, where the top of a short query's
/// list usually is, so it is seldom scored exactly.
#[must_use]
pub fn fuzzy_bound_off_word_start(hay: &[u8], needle: &[u8], ignore_case: bool) -> Option<u32> {
    let n = u32::try_from(needle.len()).ok()?;
    if n < 2 || !is_subsequence(hay, needle, ignore_case) {
        return None;
    }
    Some(SCORE_MATCH * n + MAX_BONUS * (n - 1) + 2 * (MAX_BONUS - 1))
}

/// The score of a one-letter query (any case) in an ASCII haystack that
/// holds the letter, from whether it holds it at a word start: there it
/// scores `16 + 2·10` exactly (the largest bonus, counted twice as the
/// first char); elsewhere its bonus is at most 9 (after a delimiter), so
/// `16 + 2·9` bounds it.
#[must_use]
pub fn one_letter(at_word_start: bool) -> Estimate {
    if at_word_start {
        Estimate {
            score: SCORE_MATCH + 2 * MAX_BONUS,
            exact: true,
        }
    } else {
        Estimate {
            score: SCORE_MATCH + 2 * (MAX_BONUS - 1),
            exact: false,
        }
    }
}

/// The first position of `c` in `hay` (either case when `ignore_case`).
fn find(hay: &[u8], c: u8, ignore_case: bool) -> Option<usize> {
    if ignore_case && c.is_ascii_lowercase() {
        memchr::memchr2(c, c.to_ascii_uppercase(), hay)
    } else {
        memchr::memchr(c, hay)
    }
}

/// How one atom of a pattern is evaluated.
pub(super) enum Plan {
    /// A fuzzy ASCII needle: bound first, score later.
    Bound { needle: Vec<u8>, ignore_case: bool },
    /// Anything else is scored by nucleo at once (substring, prefix and
    /// suffix atoms are linear; negations only filter).
    Exact,
}

impl Plan {
    fn of(atom: &Atom) -> Self {
        let Utf32Str::Ascii(needle) = atom.needle_text() else {
            return Self::Exact;
        };
        if atom.negative || atom.kind != AtomKind::Fuzzy || needle.is_empty() {
            return Self::Exact;
        }
        // Smart case: nucleo keeps the needle lower case when it ignores
        // case, and ignores case exactly when the typed text had no capital.
        let ignore_case = !needle.iter().any(u8::is_ascii_uppercase);
        Self::Bound {
            needle: needle.to_vec(),
            ignore_case,
        }
    }
}

/// A pattern with a plan per atom.
pub struct Plans {
    pub(super) plans: Vec<Plan>,
    /// Per atom, its needle for [`super::gapped`]'s bound.
    pub(super) gapped: Vec<Option<super::gapped::GappedNeedle>>,
}

/// An item's score, or a bound of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Estimate {
    pub score: u32,
    /// Whether `score` is nucleo's score (not only a bound).
    pub exact: bool,
}

impl Plans {
    #[must_use]
    pub fn new(pattern: &Pattern) -> Self {
        let plans: Vec<Plan> = pattern.atoms.iter().map(Plan::of).collect();
        Self {
            gapped: plans.iter().map(super::gapped::GappedNeedle::of).collect(),
            plans,
        }
    }

    /// The [`super::store::char_bit`]s every match must have: the letters
    /// and digits of the fuzzy ASCII needles (an item whose mask lacks one
    /// cannot match, in either case).
    #[must_use]
    pub fn required_chars(&self) -> u64 {
        self.plans
            .iter()
            .filter_map(|plan| match plan {
                Plan::Bound { needle, .. } => Some(needle),
                Plan::Exact => None,
            })
            .flatten()
            .fold(0, |mask, &b| mask | super::store::char_bit(b))
    }

    /// The letter of a query that is one lower-case ASCII letter (fuzzy,
    /// any case): its matches and their scores follow from each item's
    /// [`super::store::char_mask`] alone (see [`one_letter`]).
    #[must_use]
    pub fn single_letter(&self) -> Option<u8> {
        match self.plans.as_slice() {
            [
                Plan::Bound {
                    needle,
                    ignore_case: true,
                },
            ] => match needle.as_slice() {
                [c] if c.is_ascii_lowercase() => Some(*c),
                _ => None,
            },
            _ => None,
        }
    }

    /// nucleo's score of `hay`, as `pattern.score`, but each fuzzy ASCII
    /// atom whose [`fuzzy_estimate`] is exact (a whole occurrence at a
    /// word start) is taken from there instead of nucleo's matrix: in a
    /// query of two words the first is often such, and the ranking scores
    /// many items exactly. `mask` is the item's [`super::store::char_mask`].
    pub fn score(
        &self,
        pattern: &Pattern,
        hay: Utf32Str<'_>,
        mask: u64,
        matcher: &mut Matcher,
    ) -> Option<u32> {
        let mut score = 0;
        for (atom, plan) in pattern.atoms.iter().zip(&self.plans) {
            if let (
                Plan::Bound {
                    needle,
                    ignore_case,
                },
                Utf32Str::Ascii(bytes),
            ) = (plan, hay)
                && (mask & super::store::word_start_bit(needle[0]) != 0
                    || !needle[0].is_ascii_alphabetic())
                && let Some(estimate) = fuzzy_estimate(bytes, needle, *ignore_case)
                && estimate.exact
            {
                score += estimate.score;
                continue;
            }
            score += u32::from(atom.score(hay, matcher)?);
        }
        Some(score)
    }

    /// nucleo's score of `hay` (as `pattern.score`) or an upper bound of
    /// it; `None` exactly when the pattern does not match. `mask` is the
    /// item's [`super::store::char_mask`].
    pub fn estimate(
        &self,
        pattern: &Pattern,
        hay: Utf32Str<'_>,
        mask: u64,
        matcher: &mut Matcher,
    ) -> Option<Estimate> {
        let mut score = 0;
        let mut exact = true;
        for (atom, plan) in pattern.atoms.iter().zip(&self.plans) {
            match (plan, hay) {
                (
                    Plan::Bound {
                        needle,
                        ignore_case,
                    },
                    Utf32Str::Ascii(bytes),
                ) => {
                    let first = needle[0];
                    // From three chars on, the shortcut's flat bound
                    // (every occurrence after a delimiter) ties too many
                    // items above the gapped ones at a word start (`con`
                    // in `economy`: 86 against 85), which the ranking
                    // then refines one by one: the occurrences are read.
                    let off_word_start = needle.len() == 2
                        && first.is_ascii_alphabetic()
                        && mask & super::store::word_start_bit(first) == 0;
                    let estimate = if off_word_start {
                        Estimate {
                            score: fuzzy_bound_off_word_start(bytes, needle, *ignore_case)?,
                            exact: false,
                        }
                    } else {
                        fuzzy_estimate(bytes, needle, *ignore_case)?
                    };
                    score += estimate.score;
                    exact &= estimate.exact;
                }
                _ => score += u32::from(atom.score(hay, matcher)?),
            }
        }
        Some(Estimate { score, exact })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nucleo::{
        Config, Utf32String,
        pattern::{CaseMatching, Normalization},
    };
    use proptest::prelude::*;

    fn check(hay: &str, query: &str) {
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let plans = Plans::new(&pattern);
        let hay = Utf32String::from(hay);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let exact = pattern.score(hay.slice(..), &mut matcher);
        let mask = super::super::store::char_mask(hay.slice(..));
        let estimate = plans.estimate(&pattern, hay.slice(..), mask, &mut matcher);
        assert_eq!(exact.is_some(), estimate.is_some(), "{hay:?} {query:?}");
        if exact.is_some() {
            let score = plans.score(&pattern, hay.slice(..), mask, &mut matcher);
            assert_eq!(score, exact, "{hay:?} {query:?}");
        }
        if let (Some(exact), Some(estimate)) = (exact, estimate) {
            assert!(
                estimate.score >= exact,
                "{hay:?} {query:?}: {estimate:?} < {exact}"
            );
            if estimate.exact {
                assert_eq!(estimate.score, exact, "{hay:?} {query:?}");
            }
        }
    }

    #[test]
    fn contiguous_at_a_word_start_is_exact() {
        let pattern = Pattern::parse("pub", CaseMatching::Smart, Normalization::Smart);
        let hay = Utf32String::from("Why public money");
        let mut matcher = Matcher::new(Config::DEFAULT);
        let exact = pattern.score(hay.slice(..), &mut matcher).unwrap();
        let bound = fuzzy_bound(b"Why public money", b"pub", true).unwrap();
        assert_eq!(bound, exact);
    }

    #[test]
    fn a_whole_occurrence_at_a_word_start_is_exact() {
        for (hay, needle) in [
            ("Why public money", "pub"),
            ("pub", "pub"),
            ("x pu-b", "pu-b"),
            ("Model Context", "context"),
        ] {
            let estimate = fuzzy_estimate(hay.as_bytes(), needle.as_bytes(), true).unwrap();
            assert!(estimate.exact, "{hay} {needle}");
            let mut matcher = Matcher::new(Config::DEFAULT);
            let pattern = Pattern::parse(needle, CaseMatching::Smart, Normalization::Smart);
            let exact = pattern.score(Utf32String::from(hay).slice(..), &mut matcher);
            assert_eq!(Some(estimate.score), exact, "{hay} {needle}");
        }
        // Inside a word, after punctuation or gapped: only a bound.
        for (hay, needle) in [("republic", "pub"), ("x-pub", "pub"), ("p u b", "pub")] {
            let estimate = fuzzy_estimate(hay.as_bytes(), needle.as_bytes(), true).unwrap();
            assert!(!estimate.exact, "{hay} {needle}");
        }
    }

    #[test]
    fn known_cases() {
        for (hay, query) in [
            ("Publicprivate partnerships", "pu"),
            ("a", "a"),
            ("ab", "ab"),
            ("xAyB", "ab"),
            ("xAyB", "AB"),
            ("foo/bar:baz", "fbb"),
            ("123abc", "3a"),
            ("camelCaseWord", "cw"),
            ("  spaced  out ", "so"),
            ("p", "pu"),
            ("up", "pu"),
            ("Rust ownership > Borrowing", "rust borrow"),
            ("Rust ownership > Borrowing", "own !x ^rust"),
            // The first letter never starts a word: the shortcut bound.
            ("upup/pu", "pu"),
            ("x-pub", "pub"),
            ("camelPub", "pub"),
            ("up", "Pu"),
        ] {
            check(hay, query);
        }
    }

    /// The one-letter answer from the item's mask, against nucleo.
    fn check_one_letter(hay: &str, letter: u8) {
        let query = char::from(letter).to_string();
        let pattern = Pattern::parse(&query, CaseMatching::Smart, Normalization::Smart);
        let plans = Plans::new(&pattern);
        assert_eq!(plans.single_letter(), Some(letter));
        let hay = Utf32String::from(hay);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let exact = pattern.score(hay.slice(..), &mut matcher);
        let mask = super::super::store::char_mask(hay.slice(..));
        let holds = mask & super::super::store::char_bit(letter) != 0;
        assert_eq!(exact.is_some(), holds, "{hay:?} {query:?}");
        if let Some(exact) = exact {
            let estimate = one_letter(mask & super::super::store::word_start_bit(letter) != 0);
            assert!(estimate.score >= exact, "{hay:?} {query:?}");
            if estimate.exact {
                assert_eq!(estimate.score, exact, "{hay:?} {query:?}");
            }
        }
    }

    #[test]
    fn one_letter_known_cases() {
        for hay in [
            "Public",
            "a public",
            "re-public",
            "x/p",
            "camelPub",
            "up",
            "",
            "  p",
        ] {
            check_one_letter(hay, b'p');
        }
        assert_eq!(
            Plans::new(&Pattern::parse(
                "P",
                CaseMatching::Smart,
                Normalization::Smart
            ))
            .single_letter(),
            None
        );
        assert_eq!(
            Plans::new(&Pattern::parse(
                "7",
                CaseMatching::Smart,
                Normalization::Smart
            ))
            .single_letter(),
            None
        );
        assert_eq!(
            Plans::new(&Pattern::parse(
                "pu",
                CaseMatching::Smart,
                Normalization::Smart
            ))
            .single_letter(),
            None
        );
    }

    proptest! {
        #[test]
        fn one_letter_from_the_mask_bounds_nucleo(
            hay in "[a-cA-C0-9 /_.>\t-]{0,40}",
            letter in "[a-c]",
        ) {
            check_one_letter(&hay, letter.as_bytes()[0]);
        }

        #[test]
        fn off_word_start_bounds_nucleo(
            hay in "[a-cpuA-C0-9/_.>-]{0,40}",
            query in "[a-cpuA-C]{2,5}",
        ) {
            // No whitespace: only the first char can start a word.
            check(&hay, &query);
            check(&format!("-{hay}"), &query);
        }

        #[test]
        fn bounds_nucleo_with_punctuation_in_the_query(
            hay in "[a-cA-C0-9 /_.>:-]{0,40}",
            query in "[a-cA-C0-9/_.:-]{1,5}( [a-c/-]{1,3})?",
        ) {
            check(&hay, &query);
        }

        #[test]
        fn bounds_nucleo_on_random_text(
            hay in "[a-cA-C0-9 /_.>-]{0,40}",
            query in "[a-cA-C0-9 ]{1,6}",
        ) {
            check(&hay, &query);
        }
    }
}
