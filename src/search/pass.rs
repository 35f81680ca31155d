//! One matching pass: which candidates match the query, each with its
//! score or a bound of it ([`super::bound`]), in the candidates' order.
//!
//! The candidates are a range of items (a new query, items pushed since)
//! or the previous query's matches (the query grew), always in ascending
//! order, so the pass walks the store's arrays front to back: the masks,
//! flags and haystacks of 0.9 million items are read as streams, not
//! fetched one cache miss at a time.

use nucleo::{Matcher, pattern::Pattern};
use rayon::prelude::*;

use super::{
    Scope, bound,
    bound::Plans,
    ranking::Match,
    store::{self, RETIRED, Store, WIDE},
};

/// Items per task of a matching pass.
const CHUNK: usize = 4_096;

/// What a pass looks at: ascending item indices.
#[derive(Clone)]
pub(super) enum Candidates<'a> {
    Range(std::ops::Range<u32>),
    List(&'a [u32]),
}

impl Candidates<'_> {
    fn len(&self) -> usize {
        match self {
            Self::Range(range) => range.len(),
            Self::List(list) => list.len(),
        }
    }

    /// The `i`-th chunk of [`CHUNK`] candidates.
    fn chunk(&self, i: usize) -> Candidates<'_> {
        let from = i * CHUNK;
        let to = (from + CHUNK).min(self.len());
        match self {
            Self::Range(range) => {
                let start = range.start as usize;
                // Within a range of u32 indices: the conversions hold.
                Candidates::Range(
                    u32::try_from(start + from).unwrap_or(u32::MAX)
                        ..u32::try_from(start + to).unwrap_or(u32::MAX),
                )
            }
            Self::List(list) => Candidates::List(&list[from..to]),
        }
    }

    fn for_each(&self, mut f: impl FnMut(u32)) {
        match self {
            Self::Range(range) => range.clone().for_each(f),
            Self::List(list) => list.iter().for_each(|&idx| f(idx)),
        }
    }
}

thread_local! {
    /// One matcher per pool thread: a `Matcher` keeps scratch space that
    /// is costly to make per item.
    pub(super) static MATCHER: std::cell::RefCell<Matcher> =
        std::cell::RefCell::new(Matcher::new(nucleo::Config::DEFAULT));
}

/// The matches among `candidates`, in their order, appended to `out`
/// (which keeps its allocation from one pass to the next).
pub(super) fn run(
    store: &Store,
    pattern: &Pattern,
    scope: Scope,
    candidates: Candidates<'_>,
    pool: Option<&rayon::ThreadPool>,
    out: &mut Vec<Match>,
) {
    if pattern.atoms.is_empty() {
        // nucleo lists an empty query in push order; with a kind filter
        // its pattern was not empty, so the shorter text came first.
        let by_length = scope != Scope::All;
        candidates.for_each(|idx| {
            let flags = store.flags[idx as usize];
            if flags & RETIRED == 0 && scope.admits(store::kind_of(flags)) {
                let len = if by_length {
                    store.hot[idx as usize].len
                } else {
                    0
                };
                out.push(Match::new(0, len, idx, true));
            }
        });
        return;
    }
    let plans = Plans::new(pattern);
    let required = plans.required_chars();
    let letter = plans.single_letter().map(store::word_start_bit);
    let one = |matcher: &mut Matcher, idx: u32| {
        let hot = &store.hot[idx as usize];
        let flags = store.flags[idx as usize];
        if flags & RETIRED != 0
            || hot.mask & required != required
            || !scope.admits(store::kind_of(flags))
        {
            return None;
        }
        // One letter: its mask says it all (an ASCII item holds it).
        if let Some(at_word_start) = letter.filter(|_| flags & WIDE == 0) {
            let estimate = bound::one_letter(hot.mask & at_word_start != 0);
            return Some(Match::new(estimate.score, hot.len, idx, estimate.exact));
        }
        let estimate =
            store.with_haystack(idx, |hay| plans.estimate(pattern, hay, hot.mask, matcher))?;
        Some(Match::new(estimate.score, hot.len, idx, estimate.exact))
    };
    let chunk_matches = |chunk: Candidates<'_>, out: &mut Vec<Match>| {
        MATCHER.with_borrow_mut(|matcher| {
            chunk.for_each(|idx| out.extend(one(matcher, idx)));
        });
    };
    let total = candidates.len();
    if total <= CHUNK {
        chunk_matches(candidates, out);
        return;
    }
    let pass = || {
        // Chunks collected apart, then joined into `out` in one go.
        (0..total.div_ceil(CHUNK))
            .into_par_iter()
            .map(|i| {
                let mut found = Vec::new();
                chunk_matches(candidates.chunk(i), &mut found);
                found
            })
            .collect::<Vec<Vec<Match>>>()
    };
    let chunks = match pool {
        Some(pool) => pool.install(pass),
        None => pass(),
    };
    out.reserve(chunks.iter().map(Vec::len).sum());
    for chunk in &chunks {
        out.extend_from_slice(chunk);
    }
}
