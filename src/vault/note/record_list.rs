//! A list of small records whose strings share one buffer: a note's
//! wiki-links, headings and Markdown links (a vault of 100,000 generated
//! notes has 1.3 million links and 900,000 headings; one allocation each
//! was over half of the parse's allocations).

use serde::{Deserialize, Serialize};

/// A record of a [`RecordList`]: its strings end at [`Self::strings_end`]
/// and start where the previous record's end (0 for the first).
pub trait Record {
    fn strings_end(&self) -> u32;
}

/// Every record's strings one after the other in `strings`, and the
/// records: two allocations however many records there are.
///
/// `list[i]` is the record alone; [`Self::get`] and [`Self::iter`] give
/// it with its strings ([`Entry`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordList<R> {
    pub(super) strings: Box<str>,
    pub(super) records: Box<[R]>,
}

impl<R> Default for RecordList<R> {
    fn default() -> Self {
        Self {
            strings: Box::default(),
            records: Box::default(),
        }
    }
}

/// One record with its strings, borrowed from its list; the record's
/// fields and methods are read through it.
pub struct Entry<'a, R> {
    pub(super) strings: &'a str,
    pub(super) start: u32,
    pub(super) record: &'a R,
}

impl<R> Clone for Entry<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Entry<'_, R> {}

impl<R> std::ops::Deref for Entry<'_, R> {
    type Target = R;

    fn deref(&self) -> &R {
        self.record
    }
}

impl<'a, R> Entry<'a, R> {
    /// `strings[from..to]`; `""` when that is not a slice of them (a
    /// damaged cache), never a panic.
    pub(super) fn part(&self, from: u32, to: u32) -> &'a str {
        self.strings
            .get(from as usize..to as usize)
            .unwrap_or_default()
    }
}

/// Where record `i`'s strings start: where the one before ends.
pub(super) fn start_of<R: Record>(records: &[R], i: usize) -> u32 {
    i.checked_sub(1)
        .and_then(|before| records.get(before))
        .map_or(0, Record::strings_end)
}

impl<R: Record> RecordList<R> {
    #[must_use]
    pub fn len(&self) -> usize {
        self.records.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every record alone, in order.
    #[must_use]
    pub fn records(&self) -> &[R] {
        &self.records
    }

    /// Record `i` with its strings.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Entry<'_, R>> {
        Some(Entry {
            strings: &self.strings,
            start: start_of(&self.records, i),
            record: self.records.get(i)?,
        })
    }

    /// Every record with its strings, in order.
    #[must_use]
    pub fn iter(&self) -> Iter<'_, R> {
        Iter {
            list: self,
            front: 0,
            back: self.records.len(),
        }
    }

    /// Every record alone, to change its numbers and flags.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, R> {
        self.records.iter_mut()
    }

    /// Drops every record.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Adds to the list through a builder (for tests and hand-made
    /// notes; the scan builds its lists in builders).
    pub fn add(&mut self, add: impl FnOnce(&mut Builder<R>))
    where
        R: Clone,
    {
        let list = std::mem::take(self);
        let mut builder = Builder {
            strings: list.strings.into_string(),
            records: list.records.into_vec(),
        };
        add(&mut builder);
        *self = builder.take_exact();
    }
}

impl<'a, R: Record> IntoIterator for &'a RecordList<R> {
    type Item = Entry<'a, R>;
    type IntoIter = Iter<'a, R>;

    fn into_iter(self) -> Iter<'a, R> {
        self.iter()
    }
}

/// [`RecordList::iter`].
pub struct Iter<'a, R> {
    list: &'a RecordList<R>,
    front: usize,
    back: usize,
}

impl<'a, R: Record> Iterator for Iter<'a, R> {
    type Item = Entry<'a, R>;

    fn next(&mut self) -> Option<Entry<'a, R>> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.list.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.back - self.front;
        (len, Some(len))
    }
}

impl<R: Record> DoubleEndedIterator for Iter<'_, R> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.list.get(self.back)
    }
}

impl<R: Record> ExactSizeIterator for Iter<'_, R> {}

impl<R> std::ops::Index<usize> for RecordList<R> {
    type Output = R;

    fn index(&self, i: usize) -> &R {
        &self.records[i]
    }
}

impl<R> std::ops::IndexMut<usize> for RecordList<R> {
    fn index_mut(&mut self, i: usize) -> &mut R {
        &mut self.records[i]
    }
}

impl<R: Record> std::fmt::Debug for RecordList<R>
where
    for<'a> Entry<'a, R>: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A [`RecordList`] being built (by the scan, from note to note: its
/// capacity is kept), then copied out at exactly its size.
#[derive(Debug)]
pub struct Builder<R> {
    pub(super) strings: String,
    pub(super) records: Vec<R>,
}

impl<R> Default for Builder<R> {
    fn default() -> Self {
        Self {
            strings: String::new(),
            records: Vec::new(),
        }
    }
}

impl<R: Record + Clone> Builder<R> {
    /// Where the strings end so far, as a record keeps it.
    pub(super) fn strings_len(&self) -> u32 {
        u32::try_from(self.strings.len()).unwrap_or(u32::MAX)
    }

    /// How many records so far.
    #[must_use]
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    pub fn clear(&mut self) {
        self.strings.clear();
        self.records.clear();
    }

    /// The list so far, each part in an allocation of exactly its size;
    /// the builder is left empty with its capacity.
    pub fn take_exact(&mut self) -> RecordList<R> {
        let list = RecordList {
            strings: self.strings.as_str().into(),
            records: self.records.as_slice().into(),
        };
        self.clear();
        list
    }
}
