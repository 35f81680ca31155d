//! The closing searches of one line that are not a single forward search.

use super::count_run;

/// The closing searches of one line that are not a single forward search:
/// bracket pairs and backtick runs, each found in one pass over the line
/// the first time a `[` or a backtick asks.
#[derive(Default)]
pub(super) struct LineSearches {
    /// Whether the line's bracket pairs are in the [`Brackets`].
    brackets_found: bool,
    /// `(length, start)` of every run of backticks, in order: by length,
    /// then by start (a sorted list, not a map of lists: a line holds a
    /// few runs, and a map hashed each and allocated a list for each
    /// length, a thousand instructions a line with a code span).
    backtick_runs: Option<Vec<(usize, usize)>>,
}

/// The bracket pairs of a line, in vectors a scan keeps from line to line
/// (for their memory: a line with a `[` is found in most notes).
#[derive(Debug, Default)]
pub(super) struct Brackets {
    /// `(open, close)` of every `[` that a `]` closes, by open position.
    pairs: Vec<(usize, usize)>,
    /// The `[`s not closed yet, while the pairs are found.
    open: Vec<usize>,
}

impl LineSearches {
    /// The `]` that closes the `[` at `open`, counting nested pairs; the
    /// line's pairs are found in `brackets` at the first call.
    pub(super) fn closing_bracket(
        &mut self,
        bytes: &[u8],
        open: usize,
        brackets: &mut Brackets,
    ) -> Option<usize> {
        if !self.brackets_found {
            self.brackets_found = true;
            brackets.pairs.clear();
            brackets.open.clear();
            for i in memchr::memchr2_iter(b'[', b']', bytes) {
                if bytes[i] == b'[' {
                    brackets.open.push(i);
                } else if let Some(open) = brackets.open.pop() {
                    brackets.pairs.push((open, i));
                }
            }
            brackets.pairs.sort_unstable();
        }
        let pairs = &brackets.pairs;
        pairs
            .binary_search_by_key(&open, |&(o, _)| o)
            .ok()
            .map(|at| pairs[at].1)
    }

    /// Start of the first run of exactly `len` backticks at or after `from`.
    pub(super) fn backtick_run(&mut self, bytes: &[u8], from: usize, len: usize) -> Option<usize> {
        let runs = self.backtick_runs.get_or_insert_with(|| {
            let mut runs = Vec::new();
            let mut i = 0;
            while let Some(skip) = memchr::memchr(b'`', &bytes[i..]) {
                let start = i + skip;
                let run = count_run(&bytes[start..], b'`');
                runs.push((run, start));
                i = start + run;
            }
            runs.sort_unstable();
            runs
        });
        // The first run of `len` backticks that starts at `from` or after.
        let at = runs.partition_point(|&run| run < (len, from));
        runs.get(at)
            .filter(|&&(run, _)| run == len)
            .map(|&(_, start)| start)
    }
}
