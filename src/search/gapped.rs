//! A tight upper bound of nucleo's fuzzy score for gapped alignments, for
//! the ranking to sort out the many items whose cheap bound
//! ([`super::bound::fuzzy_estimate`]) ties at the top without scoring each
//! one with nucleo's matrix.
//!
//! The cheap bound charges a gapped alignment one gap start (−3) and gives
//! every char after the first the largest bonus. On 100,000 generated
//! notes, `model con` left 14,000 items tied at that bound, with exact
//! scores spread over 60 points below it: every one was scored by nucleo.
//! This bound runs nucleo's own recurrence (the same gap penalties, the
//! same positional bonuses, the same saturation at zero) in one pass over
//! the bytes, relaxed where nucleo keeps a choice: a cell holds the larger
//! of its two candidates' scores *and* the larger of their run bonuses, so
//! it dominates every alignment nucleo can pick, and also the greedy
//! alignment nucleo falls back to on very long texts. Where the runs'
//! bonuses agree (most texts) it is nucleo's score.

use nucleo::{Matcher, Utf32Str, pattern::Pattern};

use super::bound::{Estimate, Plan, Plans, bonus_at, class_index, same_char};

/// Points for every matched char (nucleo's `SCORE_MATCH`).
const SCORE_MATCH: u32 = 16;
/// The least bonus of a char that continues a run (`BONUS_CONSECUTIVE`).
const CONSECUTIVE: u32 = 4;
/// Longest needle this bound takes (state on the stack); longer needles
/// are scored by nucleo.
pub const MAX_NEEDLE: usize = 32;

/// A fuzzy ASCII needle ready for [`GappedNeedle::bound`]: per byte
/// value, the needle chars it matches and its char class, and nucleo's
/// bonus per pair of classes (tables: the bound reads them at every
/// matching byte).
pub struct GappedNeedle {
    len: usize,
    /// Bit `j` of `at[b]`: byte `b` matches the needle's char `j`.
    at: [u32; 256],
    /// The bonus of a byte after another: `bonus[class[prev]][class[byte]]`.
    class: [u8; 256],
    bonus: [[u8; CLASSES]; CLASSES],
}

/// nucleo's char classes for ASCII (see [`super::bound`]).
const CLASSES: usize = 6;

impl GappedNeedle {
    /// The needle of a fuzzy ASCII atom's plan.
    pub(super) fn of(plan: &Plan) -> Option<Self> {
        match plan {
            Plan::Bound {
                needle,
                ignore_case,
            } => Self::new(needle, *ignore_case),
            Plan::Exact => None,
        }
    }

    /// `None` for an empty needle or one longer than [`MAX_NEEDLE`] (the
    /// caller scores those with nucleo). `needle` is lower case when
    /// `ignore_case`.
    #[must_use]
    pub fn new(needle: &[u8], ignore_case: bool) -> Option<Self> {
        if needle.is_empty() || needle.len() > MAX_NEEDLE {
            return None;
        }
        let mut at = [0; 256];
        let mut class = [0; 256];
        // One byte of each class, to read its bonus after another.
        let mut sample = [b' '; CLASSES];
        for byte in 0..=u8::MAX {
            for (j, &c) in needle.iter().enumerate() {
                if same_char(byte, c, ignore_case) {
                    at[usize::from(byte)] |= 1 << j;
                }
            }
            let of = class_index(byte);
            class[usize::from(byte)] = of;
            sample[usize::from(of)] = byte;
        }
        let mut bonus = [[0; CLASSES]; CLASSES];
        for (prev, row) in bonus.iter_mut().enumerate() {
            for (this, cell) in row.iter_mut().enumerate() {
                let pair = [sample[prev], sample[this]];
                *cell = u8::try_from(bonus_at(&pair, 1)).unwrap_or(u8::MAX);
            }
        }
        Some(Self {
            len: needle.len(),
            at,
            class,
            bonus,
        })
    }

    /// An upper bound of `Matcher::fuzzy_match(hay, needle)` for an ASCII
    /// text nucleo matches; `None` when the needle's first char is
    /// missing. nucleo's recurrence (see the module) visits every byte for
    /// every needle char; here a gap's cost is taken from its length
    /// (3 for the first skipped byte, 1 for every other, saturating at
    /// zero: `max(0, M(q) + q − i − 1)` for a char matched at `q` and the
    /// next one at `i`), so only the bytes that match a needle char are
    /// visited. (A needle char with nothing matched before it is let
    /// start from zero, as a saturated score would: a text nucleo does
    /// not match may get a bound, which the ranking never asks for.)
    #[must_use]
    pub fn bound(&self, hay: &[u8]) -> Option<u32> {
        const NONE: u32 = u32::MAX;
        let n = self.len;
        if n > hay.len() || u32::try_from(hay.len()).is_err() {
            return None;
        }
        // Per needle char j: its latest match (position, score, run
        // bonus), and the best `M(q) + q` of its earlier ones.
        let mut last_at = [NONE; MAX_NEEDLE];
        let mut last_score = [0_u32; MAX_NEEDLE];
        let mut last_run = [0_u32; MAX_NEEDLE];
        let mut earlier = [0_u32; MAX_NEEDLE];
        let start = hay.iter().position(|&h| self.at[usize::from(h)] & 1 != 0)?;
        let mut best = None;
        // The start of the text counts as after whitespace.
        let mut prev_class = start
            .checked_sub(1)
            .map_or(self.class[usize::from(b' ')], |p| {
                self.class[usize::from(hay[p])]
            });
        for (i, &h) in (0_u32..).zip(hay).skip(start) {
            let this_class = self.class[usize::from(h)];
            let mut chars = self.at[usize::from(h)];
            let bonus = u32::from(self.bonus[usize::from(prev_class)][usize::from(this_class)]);
            prev_class = this_class;
            // The highest needle char first, so that j − 1 still holds
            // the earlier bytes' state.
            while chars != 0 {
                let j = (u32::BITS - 1 - chars.leading_zeros()) as usize;
                chars &= !(1 << j);
                let (score, run) = if j == 0 {
                    (SCORE_MATCH + 2 * bonus, bonus)
                } else {
                    let before = j - 1;
                    let at = last_at[before];
                    let mut from = earlier[before];
                    if at != NONE && at + 2 <= i {
                        from = from.max(last_score[before].saturating_add(at));
                    }
                    let after_gap = from.saturating_sub(i + 1) + SCORE_MATCH + bonus;
                    if at != NONE && at + 1 == i {
                        let consecutive = last_run[before].max(CONSECUTIVE).max(bonus);
                        let score = last_score[before] + SCORE_MATCH + consecutive;
                        (score.max(after_gap), consecutive)
                    } else {
                        (after_gap, bonus)
                    }
                };
                if last_at[j] != NONE {
                    earlier[j] = earlier[j].max(last_score[j].saturating_add(last_at[j]));
                }
                (last_at[j], last_score[j], last_run[j]) = (i, score, run);
                if j == n - 1 {
                    best = Some(best.map_or(score, |b: u32| b.max(score)));
                }
            }
        }
        best
    }
}

impl Plans {
    /// A bound of `hay`'s score as tight as it comes without nucleo's
    /// matrix, for a match whose [`Self::estimate`] was not exact: each
    /// fuzzy ASCII atom bounded by [`fuzzy_bound_gapped`]
    /// (or exact, as in [`Self::score`]), any other atom scored.
    pub fn tighten(
        &self,
        pattern: &Pattern,
        hay: Utf32Str<'_>,
        mask: u64,
        matcher: &mut Matcher,
    ) -> Option<Estimate> {
        let mut estimate = Estimate {
            score: 0,
            exact: true,
        };
        for (i, (atom, plan)) in pattern.atoms.iter().zip(&self.plans).enumerate() {
            let bound = match (plan, hay) {
                (
                    Plan::Bound {
                        needle,
                        ignore_case,
                    },
                    Utf32Str::Ascii(bytes),
                ) => {
                    let exact = (mask & super::store::word_start_bit(needle[0]) != 0
                        || !needle[0].is_ascii_alphabetic())
                    .then(|| super::bound::fuzzy_estimate(bytes, needle, *ignore_case))
                    .flatten()
                    .filter(|e| e.exact);
                    exact.or_else(|| {
                        let gapped = self.gapped.get(i)?.as_ref()?;
                        let score = gapped.bound(bytes)?;
                        Some(Estimate {
                            score,
                            exact: false,
                        })
                    })
                }
                _ => None,
            };
            let atom_estimate = match bound {
                Some(bound) => bound,
                None => Estimate {
                    score: u32::from(atom.score(hay, matcher)?),
                    exact: true,
                },
            };
            estimate.score += atom_estimate.score;
            estimate.exact &= atom_estimate.exact;
        }
        Some(estimate)
    }
}

#[cfg(test)]
mod tests {
    use nucleo::{
        Config, Matcher, Utf32Str,
        pattern::{Atom, AtomKind, CaseMatching, Normalization},
    };
    use proptest::prelude::*;

    use super::*;

    /// The cost of a gap's first skipped char and of every further one.
    const GAP_START: u32 = 3;
    const GAP_EXTENSION: u32 = 1;

    /// The bound byte by byte, as nucleo's recurrence runs (every state
    /// moved on at every byte): the model [`GappedNeedle::bound`] must
    /// agree with.
    fn reference_bound(hay: &[u8], needle: &[u8], ignore_case: bool) -> Option<u32> {
        let n = needle.len();
        if n == 0 || n > MAX_NEEDLE || n > hay.len() {
            return None;
        }
        // Per needle char j, after the current byte:
        // `matched[j]`: best score with needle[j] matched at this byte (`None`:
        //   it is not), with `run[j]` the largest run bonus of those alignments;
        // `gap[j]`: best score with needle[j] matched before, the bytes since
        //   skipped (penalties paid). Zero when nothing matched: nucleo's
        //   saturated scores never go below it.
        let mut matched = [None::<u32>; MAX_NEEDLE];
        let mut run = [0_u32; MAX_NEEDLE];
        let mut gap = [0_u32; MAX_NEEDLE];
        let mut best = None;
        let start = hay
            .iter()
            .position(|&h| same_char(h, needle[0], ignore_case))?;
        for (i, &h) in hay.iter().enumerate().skip(start) {
            let bonus = bonus_at(hay, i);
            // Backwards, so that j − 1 still holds the previous byte's state.
            for j in (0..n).rev() {
                let skipped = match matched[j] {
                    Some(m) => m
                        .saturating_sub(GAP_START)
                        .max(gap[j].saturating_sub(GAP_EXTENSION)),
                    None => gap[j].saturating_sub(GAP_EXTENSION),
                };
                let here = if same_char(h, needle[j], ignore_case) {
                    if j == 0 {
                        Some((SCORE_MATCH + 2 * bonus, bonus))
                    } else {
                        let after_gap = (gap[j - 1] + SCORE_MATCH + bonus, bonus);
                        Some(match matched[j - 1] {
                            Some(previous) => {
                                let consecutive = run[j - 1].max(CONSECUTIVE).max(bonus);
                                let score = previous + SCORE_MATCH + consecutive;
                                (score.max(after_gap.0), consecutive)
                            }
                            None => after_gap,
                        })
                    }
                } else {
                    None
                };
                gap[j] = skipped;
                matched[j] = here.map(|(score, _)| score);
                if let Some((_, bonus)) = here {
                    run[j] = bonus;
                }
            }
            if let Some(score) = matched[n - 1] {
                best = Some(best.map_or(score, |b: u32| b.max(score)));
            }
        }
        best
    }

    fn fuzzy_bound_gapped(hay: &[u8], needle: &[u8], ignore_case: bool) -> Option<u32> {
        let fast = GappedNeedle::new(needle, ignore_case).and_then(|g| g.bound(hay));
        assert_eq!(
            fast,
            reference_bound(hay, needle, ignore_case),
            "{hay:?} {needle:?}"
        );
        fast
    }

    /// nucleo's score of one fuzzy atom (smart case), and the bound.
    fn both(hay: &str, needle: &str) -> (Option<u32>, Option<u32>) {
        let atom = Atom::new(
            needle,
            CaseMatching::Smart,
            Normalization::Smart,
            AtomKind::Fuzzy,
            false,
        );
        let mut matcher = Matcher::new(Config::DEFAULT);
        let exact = atom
            .score(Utf32Str::Ascii(hay.as_bytes()), &mut matcher)
            .map(u32::from);
        let ignore_case = !needle.bytes().any(|b| b.is_ascii_uppercase());
        let lower = needle.to_ascii_lowercase();
        let needle = if ignore_case {
            lower.as_bytes()
        } else {
            needle.as_bytes()
        };
        (
            exact,
            fuzzy_bound_gapped(hay.as_bytes(), needle, ignore_case),
        )
    }

    fn check(hay: &str, needle: &str) {
        let (exact, bound) = both(hay, needle);
        match (exact, bound) {
            (Some(exact), Some(bound)) => {
                assert!(bound >= exact, "{hay:?} {needle:?}: {bound} < {exact}");
            }
            (None, _) => {}
            (Some(exact), None) => panic!("{hay:?} {needle:?}: no bound for {exact}"),
        }
    }

    #[test]
    fn a_gap_to_a_word_start_is_charged_its_length() {
        // The cheap bound says 85 (one gap start); the gap is four long.
        let (exact, bound) = both("Coslo neux", "con");
        assert_eq!((exact, bound), (Some(82), Some(82)));
        for (hay, needle) in [
            ("Model Context", "con"),
            ("economy", "con"),
            ("eCOnomy notes", "con"),
            ("a/b:c d", "abcd"),
            ("x86_64 2024", "864"),
            ("camelCaseWord", "cw"),
        ] {
            check(hay, needle);
        }
    }

    #[test]
    fn no_first_char_no_bound() {
        assert_eq!(fuzzy_bound_gapped(b"noc", b"con", true), None);
        assert_eq!(fuzzy_bound_gapped(b"CON", b"con", false), None);
        assert_eq!(fuzzy_bound_gapped(b"co", b"con", true), None);
        let long = "c".repeat(MAX_NEEDLE + 1);
        assert_eq!(
            fuzzy_bound_gapped(long.as_bytes(), long.as_bytes(), true),
            None
        );
    }

    /// On generated titles the bound is nucleo's score for most items: it
    /// only exceeds it where two alignments' runs differ.
    #[test]
    fn the_bound_is_mostly_exact_on_title_like_text() {
        let words = ["Coslo", "neux", "model", "economy", "con", "Context", "nec"];
        let mut state = 0x2545_f491_u64;
        let (mut total, mut equal) = (0, 0);
        for _ in 0..2_000 {
            let mut hay = String::new();
            for _ in 0..6 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                hay.push_str(words[usize::try_from(state % 7).unwrap_or(0)]);
                hay.push(' ');
            }
            if let (Some(exact), Some(bound)) = both(&hay, "con") {
                assert!(bound >= exact, "{hay:?}");
                total += 1;
                equal += usize::from(bound == exact);
            }
        }
        assert!(total > 1_000 && equal * 10 >= total * 9, "{equal}/{total}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn bounds_nucleo_on_random_text(
            hay in "[a-cA-C0-9 /_.>:-]{0,48}",
            needle in "[a-cA-C0-9/_.:-]{1,6}",
        ) {
            check(&hay, &needle);
        }

        #[test]
        fn bounds_nucleo_on_word_like_text(
            hay in "([Cc]o?n?[a-z]{0,3}[ /-]){0,8}",
            needle in "[cCon]{2,5}",
        ) {
            check(&hay, &needle);
        }
    }
}
