//! A forward search that remembers its last answer, so that scanners
//! asking "where is the next `]]`?" from every `[[` of a line stay linear:
//! a line of 100,000 `[[` and no `]]` is searched once, not 100,000 times.

/// The next match of one search at or after a position, for positions that
/// only grow. Each byte of the haystack is searched at most once.
pub(crate) struct NextMatch<F> {
    find: F,
    /// The last answer: the search from `from` found a match at `at` (or
    /// none, `at` = `None`). It holds for every position in `from..=at`.
    last: Option<(usize, Option<usize>)>,
}

impl<F: Fn(&[u8]) -> Option<usize>> NextMatch<F> {
    /// `find` returns the offset of the first match in a slice.
    pub(crate) fn new(find: F) -> Self {
        Self { find, last: None }
    }

    /// Position of the first match in `haystack` at or after `from`.
    /// `haystack` must be the same on every call.
    pub(crate) fn at_or_after(&mut self, haystack: &[u8], from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.last
            && searched_from <= from
        {
            match found {
                None => return None,
                Some(at) if at >= from => return Some(at),
                Some(_) => {}
            }
        }
        let found = haystack
            .get(from..)
            .and_then(|rest| (self.find)(rest))
            .map(|at| from + at);
        self.last = Some((from, found));
        found
    }
}

/// A [`NextMatch`] for one byte.
pub(crate) fn next_byte(byte: u8) -> NextMatch<impl Fn(&[u8]) -> Option<usize>> {
    NextMatch::new(move |hay: &[u8]| memchr::memchr(byte, hay))
}

/// A [`NextMatch`] for either of two bytes.
pub(crate) fn next_byte2(a: u8, b: u8) -> NextMatch<impl Fn(&[u8]) -> Option<usize>> {
    NextMatch::new(move |hay: &[u8]| memchr::memchr2(a, b, hay))
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn answers_like_a_fresh_search_and_searches_each_byte_once() {
        let hay = b"ab]]cd]]ef";
        let searched = Cell::new(0);
        let mut next = NextMatch::new(|h: &[u8]| {
            searched.set(searched.get() + h.len());
            memchr::memmem::find(h, b"]]")
        });
        for from in 0..=hay.len() + 1 {
            let fresh = hay
                .get(from..)
                .and_then(|r| memchr::memmem::find(r, b"]]"))
                .map(|a| a + from);
            assert_eq!(next.at_or_after(hay, from), fresh, "from {from}");
        }
        assert!(searched.get() <= 2 * hay.len(), "{}", searched.get());
    }

    #[test]
    fn no_match_is_remembered() {
        let hay = vec![b'['; 10_000];
        let searched = Cell::new(0);
        let mut next = NextMatch::new(|h: &[u8]| {
            searched.set(searched.get() + h.len());
            memchr::memchr(b']', h)
        });
        for from in 0..hay.len() {
            assert_eq!(next.at_or_after(&hay, from), None);
        }
        assert_eq!(searched.get(), hay.len());
    }
}
