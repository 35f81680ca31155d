//! A note's headings: their strings in one buffer and a 20-byte record
//! each (a vault of 100,000 generated notes has 900,000 of them; one
//! allocation a heading was a quarter of the parse's).

use serde::{Deserialize, Serialize};

use super::record_list::{Builder, Entry, Record, RecordList};

/// A note's headings: every heading's text then its anchor one after the
/// other in one string, and each heading's [`HeadingRecord`]. Two
/// allocations a note however many headings it has.
///
/// `headings[i]` is the record (level, line, offset);
/// [`RecordList::get`] and [`RecordList::iter`] give the whole heading
/// with its strings.
pub type Headings = RecordList<HeadingRecord>;

/// One heading with its strings, borrowed from its note's [`Headings`];
/// its record's fields and methods are read through it.
pub type Heading<'a> = Entry<'a, HeadingRecord>;

/// A note's headings as the scan finds them.
pub type HeadingsBuilder = Builder<HeadingRecord>;

/// The numbers of one heading; its strings are in its note's
/// [`Headings`], starting where the previous heading's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadingRecord {
    /// Where the text ends and the anchor starts in the strings.
    anchor_start: u32,
    /// Where the anchor ends.
    end: u32,
    /// 1-based line in the file.
    pub line: u32,
    /// Byte offset of the heading line in [`super::Note::text`].
    offset: u32,
    /// 1..=6
    pub level: u8,
}

impl HeadingRecord {
    /// Byte offset of the heading line in [`super::Note::text`].
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset as usize
    }

    /// The heading's text in `strings` (its note's), the heading's strings
    /// starting at `start`; `""` when that is not a slice of it (a
    /// damaged cache). The index cache's lean outline reads saved
    /// headings with it.
    pub(crate) fn text_in<'a>(&self, strings: &'a str, start: u32) -> &'a str {
        strings
            .get(start as usize..self.anchor_start as usize)
            .unwrap_or_default()
    }

    /// Where the heading's strings end: the next one's start.
    pub(crate) fn end(&self) -> u32 {
        self.end
    }
}

impl Record for HeadingRecord {
    fn strings_end(&self) -> u32 {
        self.end
    }
}

impl<'a> Heading<'a> {
    /// Plain text of the heading, markup removed.
    #[must_use]
    pub fn text(&self) -> &'a str {
        self.record.text_in(self.strings, self.start)
    }

    /// Normalised key of the text; `[[note#Heading]]` is matched against it.
    #[must_use]
    pub fn anchor(&self) -> &'a str {
        self.part(self.record.anchor_start, self.record.end)
    }

    /// Whether the anchor is `key`. The lengths are compared first, from
    /// the record: resolving a vault's `[[note#heading]]` links reads the
    /// text of only the headings whose anchor is as long (each other one
    /// would be a cache miss).
    #[must_use]
    pub fn anchor_is(&self, key: &str) -> bool {
        match self.record.end.checked_sub(self.record.anchor_start) {
            Some(len) if len as usize != key.len() => false,
            _ => self.anchor() == key,
        }
    }
}

impl std::fmt::Debug for Heading<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heading")
            .field("level", &self.level)
            .field("text", &self.text())
            .field("line", &self.line)
            .field("anchor", &self.anchor())
            .field("offset", &self.offset)
            .finish()
    }
}

thread_local! {
    /// The key of the heading [`HeadingsBuilder::push_keyed`] adds, in a
    /// buffer each thread keeps (no allocation a heading).
    static KEY_SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

impl HeadingsBuilder {
    /// Adds a heading of `text` with the key of `text` as its anchor (what
    /// the loader makes of every heading it finds), both written straight
    /// into the strings.
    pub fn push_keyed(&mut self, level: u8, text: &str, line: u32, offset: usize) {
        // The key is built in a buffer of its own, then copied: built at
        // the end of the strings, its check as UTF-8 would run over every
        // heading before it (quadratic in a note's headings, and 7% of
        // the parse of a real vault).
        KEY_SCRATCH.with_borrow_mut(|scratch| {
            let key = crate::vault::key::key_in(text, scratch);
            self.push_with(level, text, line, offset, |strings| strings.push_str(key));
        });
    }

    /// The line of the last heading so far (a timestamp on it is in it:
    /// see [`Headings::section_of`]).
    #[must_use]
    pub fn last_line(&self) -> Option<u32> {
        self.records.last().map(|h| h.line)
    }

    /// Adds a heading (the scan's anchors are [`Self::push_keyed`]'s).
    pub fn push(&mut self, level: u8, text: &str, anchor: &str, line: u32, offset: usize) {
        self.push_with(level, text, line, offset, |s| s.push_str(anchor));
    }

    /// Adds a heading of `text` whose anchor `anchor` appends.
    fn push_with(
        &mut self,
        level: u8,
        text: &str,
        line: u32,
        offset: usize,
        anchor: impl FnOnce(&mut String),
    ) {
        self.strings.push_str(text);
        let anchor_start = self.strings_len();
        anchor(&mut self.strings);
        self.records.push(HeadingRecord {
            anchor_start,
            end: self.strings_len(),
            line,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
            level,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_is_compares_as_the_anchor_does() {
        let mut builder = HeadingsBuilder::default();
        builder.push_keyed(2, "The Topic (2)", 1, 0);
        builder.push_keyed(1, "", 1, 0);
        let headings = builder.take_exact();
        let h = headings.get(0).expect("heading");
        assert_eq!(h.anchor(), "the_topic_2");
        for key in [
            "the_topic_2",
            "the_topic_3",
            "the_topic",
            "",
            "the_topic_22",
        ] {
            assert_eq!(h.anchor_is(key), h.anchor() == key, "{key:?}");
        }
        let empty = headings.get(1).expect("heading");
        assert!(empty.anchor_is("") && !empty.anchor_is("x"));
    }

    #[test]
    fn a_record_is_20_bytes_and_headings_keep_their_parts() {
        assert_eq!(size_of::<HeadingRecord>(), 20);
        let mut builder = HeadingsBuilder::default();
        builder.push(2, "Part One", "part one", 7, 120);
        builder.push(1, "", "", 1, 0);
        builder.push(3, "Été", "ete", 12, 4_000);
        let headings = builder.take_exact();
        let parts: Vec<_> = headings
            .iter()
            .map(|h| (h.level, h.text(), h.anchor(), h.line, h.offset()))
            .collect();
        let expected = [
            (2, "Part One", "part one", 7, 120),
            (1, "", "", 1, 0),
            (3, "Été", "ete", 12, 4_000),
        ];
        assert_eq!(parts, expected);
        assert_eq!(headings.iter().rev().count(), 3);
        let bytes = postcard::to_stdvec(&headings).expect("encodes");
        let back: Headings = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back, headings);
    }

    #[test]
    fn damaged_ends_read_as_empty_never_a_panic() {
        let mut headings = Headings::default();
        headings.add(|h| h.push(1, "é", "", 1, 0));
        for (anchor_start, end) in [(1, 2), (99, 2), (1, 99), (u32::MAX, 0)] {
            headings.records[0].anchor_start = anchor_start;
            headings.records[0].end = end;
            let h = headings.get(0).expect("heading");
            assert_eq!((h.text(), h.anchor()), ("", ""), "{anchor_start} {end}");
            assert!(!h.anchor_is("x"));
        }
    }
}
