//! The matches of one query, put in nucleo's order lazily: only as far as
//! the picker has asked (a screenful, then more as the selection moves
//! down), so a query that matches most of the vault costs a linear
//! selection, not a full sort, and exact scores only for the items that
//! can reach the shown part.
//!
//! Order: higher score first, then the shorter text, then the item pushed
//! first (nucleo's tie-breaks). Each match starts with an [`Estimate`]: its
//! score or an upper bound of it. A round picks the best few by their
//! current key (a linear `select_nth_unstable`), scores the bounded ones
//! exactly and sorts them; those whose exact key beats the best key left
//! outside can never be passed by anything else (an exact key is never
//! better than its bound), so they join the settled prefix.
//!
//! Scoring exactly is nucleo's matrix per item; where the pass's bounds
//! tie at the top of thousands of items (a gapped short word, `model con`
//! on 100,000 notes), each item of a round first gets a tighter bound
//! (`refine`, one pass over its bytes), and only those still ahead of
//! everything outside the round are scored exactly.

use rayon::prelude::*;

/// One match: where it ranks (see [`Match::rank_key`]) and whether `key`
/// holds the exact score or only a bound (and whether that bound was
/// refined already).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// `(!score) << 32 | length`: smaller is better.
    key: u64,
    pub idx: u32,
    exact: bool,
    refined: bool,
}

/// A match's score or bound, as the ranking's callers give it.
pub use super::bound::Estimate;

/// How the ranking learns more of a bounded match.
pub struct Scorer<'a> {
    /// The exact score.
    pub exact: &'a (dyn Fn(u32) -> u32 + Sync),
    /// A tighter bound (or the exact score), cheaper than `exact`.
    pub refine: &'a (dyn Fn(u32) -> Estimate + Sync),
}

impl Match {
    #[must_use]
    pub fn new(score: u32, len: u32, idx: u32, exact: bool) -> Self {
        Self {
            key: (u64::from(u32::MAX - score) << 32) | u64::from(len),
            idx,
            exact,
            refined: false,
        }
    }

    fn score(&self) -> u32 {
        u32::MAX - (self.key >> 32) as u32
    }

    /// Total order of the list: `(key, idx)`, unique per item.
    fn rank_key(&self) -> (u64, u32) {
        (self.key, self.idx)
    }

    fn len(&self) -> u32 {
        // The low half of the key.
        (self.key & u64::from(u32::MAX)) as u32
    }
}

/// Fewest matches a round settles; enough for a screen or two of rows.
const ROUND: usize = 256;
/// Bounded items scored on this thread below this many; above, in parallel.
const PARALLEL: usize = 2_048;

/// Every match of the current query and how far they are ordered.
#[derive(Debug, Default)]
pub struct Ranking {
    matches: Vec<Match>,
    /// `matches[..settled]` are final and in order.
    settled: usize,
    /// The matched items in ascending order (the order of the pass), which
    /// `matches` loses as it is ordered: the next query, if it grows this
    /// one, walks these front to back.
    ids: Vec<u32>,
}

impl Ranking {
    /// The matches of a pass, in ascending item order. `ids` is a buffer
    /// to reuse (its contents are dropped).
    #[must_use]
    pub fn new(matches: Vec<Match>, mut ids: Vec<u32>) -> Self {
        ids.clear();
        ids.extend(matches.iter().map(|m| m.idx));
        // Already in order, every score exact (an empty query in push
        // order): nothing to order. A query's matches fail the first test
        // within a few items.
        let settled =
            if matches.is_sorted_by_key(Match::rank_key) && matches.iter().all(|m| m.exact) {
                matches.len()
            } else {
                0
            };
        Self {
            matches,
            settled,
            ids,
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.matches.len()
    }

    /// The buffers, for the next ranking to reuse: no fresh pages to fault
    /// in for every keystroke.
    #[must_use]
    pub fn into_buffers(self) -> (Vec<Match>, Vec<u32>) {
        (self.matches, self.ids)
    }

    /// Adds matches (items pushed after the query, so after every current
    /// one); the order starts over.
    pub fn extend(&mut self, more: &[Match]) {
        if more.is_empty() {
            return;
        }
        self.ids.extend(more.iter().map(|m| m.idx));
        self.matches.extend_from_slice(more);
        self.settled = 0;
    }

    /// The matches of ranks `range` (clamped), ordering as far as needed.
    /// `score` tells more of a bounded match.
    pub fn ranked(
        &mut self,
        range: std::ops::Range<usize>,
        score: &Scorer<'_>,
        pool: Option<&rayon::ThreadPool>,
    ) -> &[Match] {
        let end = range.end.min(self.matches.len());
        self.settle_to(end, score, pool);
        let start = range.start.min(end);
        &self.matches[start..end]
    }

    fn settle_to(&mut self, want: usize, score: &Scorer<'_>, pool: Option<&rayon::ThreadPool>) {
        // Doubled after every round, so loose bounds cost O(n log n) at
        // worst, never a linear selection per settled item.
        let mut round_size = ROUND;
        // The key of an item scored exactly with enough exact keys before
        // it: nothing whose bound ranks after it can reach the top. (On
        // 100,000 notes `model con` has 14,000 matches tied at their bound
        // and 40,000 below: only the tied ones are refined.)
        let mut threshold = None;
        while self.settled < want {
            let rest = &mut self.matches[self.settled..];
            let need = want - self.settled;
            // With a threshold, every match that can still rank before it,
            // up to the round's size: the threshold rises as rounds grow.
            let wanted = (2 * need).max(round_size);
            let take = match threshold {
                Some(threshold) => rest
                    .iter()
                    .filter(|m| m.rank_key() <= threshold)
                    .count()
                    .clamp(need, wanted),
                None => wanted,
            }
            .min(rest.len());
            round_size = round_size.saturating_mul(2);
            if take < rest.len() {
                // rest[take] is the best of what stays outside.
                rest.select_nth_unstable_by_key(take, Match::rank_key);
            }
            let limit = rest.get(take).map(Match::rank_key);
            let (round, _) = rest.split_at_mut(take);
            // Tighter bounds first, then exact scores for the first few,
            // until those first few are all exact (an item's exact score
            // only falls below its bound).
            let refine = |m: &mut Match| {
                if !m.exact && !m.refined {
                    let tighter = (score.refine)(m.idx);
                    if tighter.exact || tighter.score < m.score() {
                        *m = Match::new(tighter.score, m.len(), m.idx, tighter.exact);
                    }
                    m.refined = true;
                }
            };
            for_each(round, &refine, pool);
            let front = need.min(take);
            loop {
                round.sort_unstable_by_key(Match::rank_key);
                if round[..front].iter().all(|m| m.exact) {
                    break;
                }
                let rescore = |m: &mut Match| {
                    if !m.exact {
                        *m = Match::new((score.exact)(m.idx), m.len(), m.idx, true);
                    }
                };
                for_each(&mut round[..front], &rescore, pool);
            }
            // Final: the exact ones before everything outside.
            let final_count = round
                .iter()
                .take_while(|m| m.exact && limit.is_none_or(|limit| m.rank_key() < limit))
                .count();
            if final_count < need && limit.is_some() {
                // The need-th best exact key of everything scored so far
                // (this round's and earlier rounds').
                let mut exact: Vec<(u64, u32)> = rest
                    .iter()
                    .filter(|m| m.exact)
                    .map(Match::rank_key)
                    .collect();
                if exact.len() >= need {
                    let (_, &mut key, _) = exact.select_nth_unstable(need - 1);
                    threshold = Some(threshold.map_or(key, |t: (u64, u32)| t.min(key)));
                }
            }
            self.settled += final_count;
            if take == 0 {
                break;
            }
        }
    }
}

/// `f` on every match of a round that is not exact yet: in parallel when
/// there are many.
fn for_each(
    round: &mut [Match],
    f: &(dyn Fn(&mut Match) + Sync),
    pool: Option<&rayon::ThreadPool>,
) {
    let bounded = round.iter().filter(|m| !m.exact).count();
    if bounded >= PARALLEL {
        let all = |round: &mut [Match]| {
            round.par_iter_mut().with_min_len(256).for_each(f);
        };
        match pool {
            Some(pool) => pool.install(|| all(round)),
            None => all(round),
        }
    } else {
        round.iter_mut().for_each(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scorer whose refinement is the exact score itself.
    fn exactly(exact: &(dyn Fn(u32) -> u32 + Sync), run: impl FnOnce(&Scorer<'_>)) {
        let refine = |idx| Estimate {
            score: exact(idx),
            exact: true,
        };
        run(&Scorer {
            exact,
            refine: &refine,
        });
    }

    fn pool() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool")
    }

    #[test]
    fn bounded_matches_end_where_their_exact_score_puts_them() {
        // Exact scores: idx % 97; bounds: 100 for the odd ones.
        let exact = |idx: u32| idx % 97;
        let matches: Vec<Match> = (0..5_000)
            .map(|i| {
                if i % 2 == 1 {
                    Match::new(100, 10, i, false)
                } else {
                    Match::new(exact(i), 10, i, true)
                }
            })
            .collect();
        let mut expected: Vec<(u32, u32)> = (0..5_000).map(|i| (exact(i), i)).collect();
        expected.sort_by_key(|&(s, i)| (std::cmp::Reverse(s), i));
        let pool = pool();
        // Refined to a bound halfway, or straight to the score.
        let halfway = |idx| Estimate {
            score: (exact(idx) + 100) / 2,
            exact: false,
        };
        let exact_refine = |idx| Estimate {
            score: exact(idx),
            exact: true,
        };
        for refine in [&halfway as &(dyn Fn(u32) -> Estimate + Sync), &exact_refine] {
            let scorer = Scorer {
                exact: &exact,
                refine,
            };
            let mut ranking = Ranking::new(matches.clone(), Vec::new());
            let top: Vec<u32> = ranking
                .ranked(0..10, &scorer, Some(&pool))
                .iter()
                .map(|m| m.idx)
                .collect();
            let want: Vec<u32> = expected[..10].iter().map(|&(_, i)| i).collect();
            assert_eq!(top, want);
            // Deeper pages continue the same order, down to the last match.
            let all: Vec<u32> = ranking
                .ranked(0..usize::MAX, &scorer, Some(&pool))
                .iter()
                .map(|m| m.idx)
                .collect();
            let want: Vec<u32> = expected.iter().map(|&(_, i)| i).collect();
            assert_eq!(all, want);
        }
    }

    #[test]
    fn ties_go_to_the_shorter_then_the_earlier() {
        let matches = vec![
            Match::new(5, 9, 0, true),
            Match::new(5, 3, 1, true),
            Match::new(7, 20, 2, true),
            Match::new(5, 3, 3, true),
        ];
        let mut ranking = Ranking::new(matches, Vec::new());
        exactly(&|_| 0, |scorer| {
            let order: Vec<u32> = ranking
                .ranked(0..4, scorer, Some(&pool()))
                .iter()
                .map(|m| m.idx)
                .collect();
            assert_eq!(order, [2, 1, 3, 0]);
        });
    }

    #[test]
    fn settling_the_top_scores_few_items() {
        // Every item is bounded at 10 but only scores 10 when idx < 300:
        // the first page must not score all 100,000.
        let scored = std::sync::atomic::AtomicUsize::new(0);
        let score = |idx: u32| {
            scored.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if idx < 300 { 10 } else { 1 }
        };
        let matches = (0..100_000).map(|i| Match::new(10, 5, i, false)).collect();
        let mut ranking = Ranking::new(matches, Vec::new());
        exactly(&score, |scorer| {
            let top = ranking.ranked(0..200, scorer, Some(&pool()));
            assert!(top.iter().all(|m| m.idx < 300));
        });
        assert!(scored.into_inner() <= 1_000);
    }

    #[test]
    fn tied_bounds_are_refined_before_anything_is_scored_exactly() {
        // 20,000 items tied at the pass's bound 200; their tighter bounds
        // are the exact scores plus one, spread over 100..200. Only the
        // items that a refined bound keeps near the top are scored.
        let exact = |idx: u32| 100 + (idx * 7_919) % 100;
        let scored = std::sync::atomic::AtomicUsize::new(0);
        let count = |idx: u32| {
            scored.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            exact(idx)
        };
        let refine = |idx| Estimate {
            score: exact(idx) + 1,
            exact: false,
        };
        let matches = (0..20_000).map(|i| Match::new(200, 5, i, false)).collect();
        let mut ranking = Ranking::new(matches, Vec::new());
        let scorer = Scorer {
            exact: &count,
            refine: &refine,
        };
        let top: Vec<u32> = ranking
            .ranked(0..200, &scorer, Some(&pool()))
            .iter()
            .map(|m| m.idx)
            .collect();
        let mut want: Vec<(u32, u32)> = (0..20_000).map(|i| (exact(i), i)).collect();
        want.sort_by_key(|&(s, i)| (std::cmp::Reverse(s), i));
        let want: Vec<u32> = want[..200].iter().map(|&(_, i)| i).collect();
        assert_eq!(top, want);
        assert!(scored.into_inner() <= 2_000, "scored most of the tie");
    }
}
