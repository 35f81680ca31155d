//! The closing searches of one line that are not a single forward search.

use super::count_run;

/// The closing searches of one line that are not a single forward search:
/// bracket pairs and backtick runs, each found in one pass over the line
/// the first time a `[` or a backtick asks.
#[derive(Default)]
pub(super) struct LineSearches {
    /// `(open, close)` of every `[` that a `]` closes, by open position.
    brackets: Option<Vec<(usize, usize)>>,
    /// Start of every run of backticks, by run length, in order.
    backtick_runs: Option<std::collections::HashMap<usize, Vec<usize>>>,
}

impl LineSearches {
    /// The `]` that closes the `[` at `open`, counting nested pairs.
    pub(super) fn closing_bracket(&mut self, bytes: &[u8], open: usize) -> Option<usize> {
        let pairs = self.brackets.get_or_insert_with(|| {
            let mut pairs = Vec::new();
            let mut stack = Vec::new();
            for i in memchr::memchr2_iter(b'[', b']', bytes) {
                if bytes[i] == b'[' {
                    stack.push(i);
                } else if let Some(open) = stack.pop() {
                    pairs.push((open, i));
                }
            }
            pairs.sort_unstable();
            pairs
        });
        pairs
            .binary_search_by_key(&open, |&(o, _)| o)
            .ok()
            .map(|at| pairs[at].1)
    }

    /// Start of the first run of exactly `len` backticks at or after `from`.
    pub(super) fn backtick_run(&mut self, bytes: &[u8], from: usize, len: usize) -> Option<usize> {
        let runs = self.backtick_runs.get_or_insert_with(|| {
            let mut runs: std::collections::HashMap<usize, Vec<usize>> =
                std::collections::HashMap::new();
            let mut i = 0;
            while let Some(skip) = memchr::memchr(b'`', &bytes[i..]) {
                let start = i + skip;
                let run = count_run(&bytes[start..], b'`');
                runs.entry(run).or_default().push(start);
                i = start + run;
            }
            runs
        });
        let starts = runs.get(&len)?;
        starts.get(starts.partition_point(|&s| s < from)).copied()
    }
}
