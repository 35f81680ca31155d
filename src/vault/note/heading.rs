//! A note's headings: their texts in one buffer and a 20-byte record
//! each (a vault of 100,000 generated notes has 900,000 of them; one
//! allocation a heading was a quarter of the parse's). A heading's anchor
//! (the key of its text) is not kept but made again when asked for: only
//! a hash of it is, to find the heading a `[[note#heading]]` names (the
//! anchors were 4.8 MB of a real vault's 12.7 MB of headings).

use std::{borrow::Cow, hash::BuildHasher};

use serde::{Deserialize, Serialize};

use super::record_list::{Builder, Entry, Record, RecordList};
use crate::vault::key::key_of;

/// A hash of an anchor, the same in every process (the index cache keeps
/// it): foldhash with a fixed seed, cut to 32 bits (a collision only
/// costs making one more anchor).
#[must_use]
pub fn anchor_hash(anchor: &str) -> u32 {
    let hash = foldhash::fast::FixedState::with_seed(0x7669_6477_696b_6921).hash_one(anchor);
    // The low half of the hash: foldhash mixes every bit into it.
    hash as u32
}

/// A note's headings: every heading's text one after the other in one
/// string, and each heading's [`HeadingRecord`]. Two allocations a note
/// however many headings it has.
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

/// The numbers of one heading; its text is in its note's [`Headings`],
/// starting where the previous heading's ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadingRecord {
    /// Where the text ends in the strings.
    end: u32,
    /// [`anchor_hash`] of the anchor.
    anchor_hash: u32,
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
            .get(start as usize..self.end as usize)
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

    /// Normalised key of the text; `[[note#Heading]]` is matched against
    /// it. Made from the text at each call.
    #[must_use]
    pub fn anchor(&self) -> Cow<'a, str> {
        key_of(self.text())
    }

    /// Whether the anchor is `key`, whose [`anchor_hash`] is `hash`. The
    /// hashes are compared first, from the record: resolving a vault's
    /// `[[note#heading]]` links makes the anchor of only the headings
    /// whose hash is the key's.
    #[must_use]
    pub fn anchor_is(&self, key: &str, hash: u32) -> bool {
        self.record.anchor_hash == hash && self.anchor() == key
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
    /// Adds a heading of `text`, whose anchor is the key of `text` (what
    /// the loader makes of every heading it finds): the text is written
    /// into the strings, the key's hash into the record.
    pub fn push_keyed(&mut self, level: u8, text: &str, line: u32, offset: usize) {
        // The key is built in a buffer each thread keeps, and only hashed.
        let hash = KEY_SCRATCH
            .with_borrow_mut(|scratch| anchor_hash(crate::vault::key::key_in(text, scratch)));
        self.push_hashed(level, text, hash, line, offset);
    }

    /// The line of the last heading so far (a timestamp on it is in it:
    /// see [`Headings::section_of`]).
    #[must_use]
    pub fn last_line(&self) -> Option<u32> {
        self.records.last().map(|h| h.line)
    }

    /// Adds a heading of `text` whose anchor's hash is `hash`.
    fn push_hashed(&mut self, level: u8, text: &str, hash: u32, line: u32, offset: usize) {
        self.strings.push_str(text);
        self.records.push(HeadingRecord {
            end: self.strings_len(),
            anchor_hash: hash,
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
            assert_eq!(
                h.anchor_is(key, anchor_hash(key)),
                h.anchor() == key,
                "{key:?}"
            );
        }
        // A hash alike is not enough: the anchor made again decides.
        assert!(!h.anchor_is("the_topic_3", anchor_hash("the_topic_2")));
        let empty = headings.get(1).expect("heading");
        assert!(empty.anchor_is("", anchor_hash("")) && !empty.anchor_is("x", anchor_hash("x")));
    }

    #[test]
    fn a_record_is_20_bytes_and_headings_keep_their_parts() {
        assert_eq!(size_of::<HeadingRecord>(), 20);
        let mut builder = HeadingsBuilder::default();
        builder.push_keyed(2, "Part One", 7, 120);
        builder.push_keyed(1, "", 1, 0);
        builder.push_keyed(3, "Été", 12, 4_000);
        let headings = builder.take_exact();
        let parts: Vec<_> = headings
            .iter()
            .map(|h| (h.level, h.text(), h.anchor(), h.line, h.offset()))
            .collect();
        let expected = [
            (2, "Part One", "part_one".into(), 7, 120),
            (1, "", "".into(), 1, 0),
            (3, "Été", key_of("Été"), 12, 4_000),
        ];
        assert_eq!(parts, expected);
        assert!(
            (headings.iter()).all(|h| h.record.anchor_hash == anchor_hash(&h.anchor())),
            "the hash is the anchor's"
        );
        assert_eq!(headings.iter().rev().count(), 3);
        let bytes = postcard::to_stdvec(&headings).expect("encodes");
        let back: Headings = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back, headings);
    }

    #[test]
    fn damaged_ends_read_as_empty_never_a_panic() {
        let mut headings = Headings::default();
        headings.add(|h| h.push_keyed(1, "é", 1, 0));
        for end in [1, 99, u32::MAX] {
            headings.records[0].end = end;
            let h = headings.get(0).expect("heading");
            assert_eq!((h.text(), h.anchor()), ("", "".into()), "{end}");
            assert!(!h.anchor_is("x", anchor_hash("x")));
        }
    }
}
