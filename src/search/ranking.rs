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

use rayon::prelude::*;

/// One match: where it ranks (see [`Match::rank_key`]) and whether `key`
/// holds the exact score or only a bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// `(!score) << 32 | length`: smaller is better.
    key: u64,
    pub idx: u32,
    exact: bool,
}

impl Match {
    #[must_use]
    pub fn new(score: u32, len: u32, idx: u32, exact: bool) -> Self {
        Self {
            key: (u64::from(u32::MAX - score) << 32) | u64::from(len),
            idx,
            exact,
        }
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
    /// `score(idx)` gives the exact score of a bounded match.
    pub fn ranked(
        &mut self,
        range: std::ops::Range<usize>,
        score: &(dyn Fn(u32) -> u32 + Sync),
        pool: Option<&rayon::ThreadPool>,
    ) -> &[Match] {
        let end = range.end.min(self.matches.len());
        self.settle_to(end, score, pool);
        let start = range.start.min(end);
        &self.matches[start..end]
    }

    fn settle_to(
        &mut self,
        want: usize,
        score: &(dyn Fn(u32) -> u32 + Sync),
        pool: Option<&rayon::ThreadPool>,
    ) {
        // Doubled after every round, so loose bounds cost O(n log n) at
        // worst, never a linear selection per settled item.
        let mut round_size = ROUND;
        while self.settled < want {
            let rest = &mut self.matches[self.settled..];
            let take = (2 * (want - self.settled)).max(round_size).min(rest.len());
            round_size = round_size.saturating_mul(2);
            if take < rest.len() {
                // rest[take] is the best of what stays outside.
                rest.select_nth_unstable_by_key(take, Match::rank_key);
            }
            let round = &mut rest[..take];
            let unscored = round.iter().filter(|m| !m.exact).count();
            let rescore = |m: &mut Match| {
                if !m.exact {
                    *m = Match::new(score(m.idx), m.len(), m.idx, true);
                }
            };
            if unscored >= PARALLEL {
                let all = |round: &mut [Match]| {
                    round.par_iter_mut().with_min_len(256).for_each(rescore);
                };
                match pool {
                    Some(pool) => pool.install(|| all(round)),
                    None => all(round),
                }
            } else {
                round.iter_mut().for_each(rescore);
            }
            round.sort_unstable_by_key(Match::rank_key);
            let final_count = match rest.get(take) {
                Some(outside) => {
                    let limit = outside.rank_key();
                    rest[..take].partition_point(|m| m.rank_key() < limit)
                }
                None => take,
            };
            self.settled += final_count;
            if take == 0 {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut ranking = Ranking::new(matches, Vec::new());
        let top: Vec<u32> = ranking
            .ranked(0..10, &exact, Some(&pool))
            .iter()
            .map(|m| m.idx)
            .collect();
        let want: Vec<u32> = expected[..10].iter().map(|&(_, i)| i).collect();
        assert_eq!(top, want);
        // Deeper pages continue the same order, down to the last match.
        let all: Vec<u32> = ranking
            .ranked(0..usize::MAX, &exact, Some(&pool))
            .iter()
            .map(|m| m.idx)
            .collect();
        let want: Vec<u32> = expected.iter().map(|&(_, i)| i).collect();
        assert_eq!(all, want);
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
        let order: Vec<u32> = ranking
            .ranked(0..4, &|_| 0, Some(&pool()))
            .iter()
            .map(|m| m.idx)
            .collect();
        assert_eq!(order, [2, 1, 3, 0]);
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
        let top = ranking.ranked(0..200, &score, Some(&pool()));
        assert!(top.iter().all(|m| m.idx < 300));
        assert!(scored.into_inner() <= 1_000);
    }
}
