//! A note's headings: their texts in one buffer and a 16-byte record
//! each (a vault of 100,000 generated notes has 900,000 of them; one
//! allocation a heading was a quarter of the parse's). A heading's anchor
//! (the key of its text) is not kept but made again when asked for: only
//! a hash of it is, to find the heading a `[[note#heading]]` names (the
//! anchors were 4.8 MB of a real vault's 12.7 MB of headings).

use std::{borrow::Cow, hash::BuildHasher};

use serde::{Deserialize, Serialize};

use super::{
    bits::{Bits, Field, Packing},
    record_list::{Builder, Entry, Record, RecordList},
};
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

/// Where each number of a heading sits in its 96 bits. As for a
/// timestamp (see `timestamp::field`), the widths hold every value of a
/// note the loader reads: its text is below 2^24 bytes, and its headings'
/// texts, each made from a line of it, together too.
mod field {
    use super::Field;
    /// Where the text ends in the strings (the next heading's starts).
    pub(super) const END: Field = Field::new(0, 24);
    /// Byte offset of the heading line in the note's text.
    pub(super) const OFFSET: Field = END.then(24);
    /// 1..=6
    pub(super) const LEVEL: Field = OFFSET.then(3);
    /// [`super::anchor_hash`] of the anchor.
    pub(super) const ANCHOR_HASH: Field = LEVEL.then(32);
}

/// The numbers of one heading, in 16 bytes; its text is in its note's
/// [`Headings`], starting where the previous heading's ends.
///
/// Past the bounds of [`field`] (only in a text built by hand, above
/// 16 MB), an offset is kept as 0 and an end as the largest one kept (the
/// text then reads as `""`), never a panic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadingRecord {
    /// End, offset, level and the anchor's hash, at the places [`field`]
    /// gives.
    packed: Bits<3>,
    /// 1-based line in the file.
    pub line: u32,
}

impl HeadingRecord {
    /// Byte offset of the heading line in [`super::Note::text`].
    #[must_use]
    pub fn offset(&self) -> usize {
        self.packed.get(field::OFFSET) as usize
    }

    /// 1..=6
    #[must_use]
    pub fn level(&self) -> u8 {
        // Three bits: the cast keeps them.
        self.packed.get(field::LEVEL) as u8
    }

    /// The heading's text in `strings` (its note's), the heading's strings
    /// starting at `start`; `""` when that is not a slice of it (a
    /// damaged cache). The index cache's lean outline reads saved
    /// headings with it.
    pub(crate) fn text_in<'a>(&self, strings: &'a str, start: u32) -> &'a str {
        strings
            .get(start as usize..self.end() as usize)
            .unwrap_or_default()
    }

    /// Where the heading's strings end: the next one's start.
    pub(crate) fn end(&self) -> u32 {
        self.packed.get(field::END)
    }
}

impl Record for HeadingRecord {
    fn strings_end(&self) -> u32 {
        self.end()
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
        self.record.packed.get(field::ANCHOR_HASH) == hash && self.anchor() == key
    }
}

impl std::fmt::Debug for Heading<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heading")
            .field("level", &self.level())
            .field("text", &self.text())
            .field("line", &self.line)
            .field("anchor", &self.anchor())
            .field("offset", &self.offset())
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
        let packed = (Packing::default())
            .with(field::END, self.strings_len().min(field::END.max()))
            .with(field::OFFSET, field::OFFSET.fit(offset).unwrap_or(0))
            .with(field::LEVEL, u32::from(level).min(field::LEVEL.max()))
            .with(field::ANCHOR_HASH, hash)
            .bits();
        self.records.push(HeadingRecord { packed, line });
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
    fn a_record_is_16_bytes_and_headings_keep_their_parts() {
        assert_eq!(size_of::<HeadingRecord>(), 16);
        let mut builder = HeadingsBuilder::default();
        builder.push_keyed(2, "Part One", 7, 120);
        builder.push_keyed(1, "", 1, 0);
        builder.push_keyed(3, "Été", 12, 4_000);
        let headings = builder.take_exact();
        let parts: Vec<_> = headings
            .iter()
            .map(|h| (h.level(), h.text(), h.anchor(), h.line, h.offset()))
            .collect();
        let expected = [
            (2, "Part One", "part_one".into(), 7, 120),
            (1, "", "".into(), 1, 0),
            (3, "Été", key_of("Été"), 12, 4_000),
        ];
        assert_eq!(parts, expected);
        assert!(
            (headings.iter()).all(|h| h.packed.get(field::ANCHOR_HASH) == anchor_hash(&h.anchor())),
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
        for end in [1, 99, field::END.max()] {
            headings.records[0].packed.set(field::END, end);
            let h = headings.get(0).expect("heading");
            assert_eq!((h.text(), h.anchor()), ("", "".into()), "{end}");
            assert!(!h.anchor_is("x", anchor_hash("x")));
        }
    }

    #[test]
    fn what_does_not_fit_is_kept_safely() {
        let mut builder = HeadingsBuilder::default();
        builder.push_keyed(6, "Six", 3, field::OFFSET.max() as usize);
        builder.push_keyed(9, "Far", 4, 1 << 24);
        let headings = builder.take_exact();
        let parts: Vec<_> = (headings.iter())
            .map(|h| (h.level(), h.text(), h.line, h.offset()))
            .collect();
        let last = field::OFFSET.max() as usize;
        assert_eq!(parts, [(6, "Six", 3, last), (7, "Far", 4, 0)]);
    }
}
