//! The lean load of the command line's `search` (the jump picker's
//! ranking): every note's title, path and headings and the channels,
//! which are what its items are made of, checked as [`super::open`]
//! checks them (every file walked and stat-ed against the table).
//!
//! Unlike [`super::open`], no [`crate::vault::Vault`] is built: the
//! titles, paths and heading texts are borrowed from the cache's bytes as
//! they are decoded (each checked as UTF-8 once, by the decoding), so the
//! load makes no note, no string per title or heading and no key; 21,000
//! notes built, each with its strings, were most of the command's time
//! (and of its page faults). The ranking reads the result through
//! [`crate::search::outline::Outline`].

use std::{path::Path, time::SystemTime};

use serde::{
    Deserialize, Deserializer,
    de::{DeserializeSeed, SeqAccess, Visitor},
};

use super::{checks, read_section};
use crate::vault::{
    Channel, IndexCache, TitleSource,
    cache::{
        layout::{Header, Section, Table},
        parts::Counts,
        resolved::{Sectioned, lean_channels},
    },
    loader::FoundFile,
};

/// The parts of the cache file `search` reads (the table, heads,
/// headings and resolved sections, each checked by its CRC): read while
/// the vault is walked, since reading them needs nothing of the walk (the
/// table is checked against it after), so that the walk and the reading
/// share the two cores instead of following each other.
pub struct Prefetched {
    header: Header,
    table: Vec<u8>,
    heads: Vec<u8>,
    headings: Vec<u8>,
    resolved: Vec<u8>,
}

/// Reads what [`outline`] decodes from the cache file of the vault at
/// `real_root` (its canonical path); `None` when any of it cannot be read
/// or fails its CRC.
#[must_use]
pub fn prefetch(real_root: &Path, cache: &IndexCache) -> Option<Prefetched> {
    let (mut file, header, table) = checks::open_table(real_root, cache)?;
    let heads = read_section(&mut file, header.extent(Section::Heads), true)?;
    let headings = read_section(&mut file, header.extent(Section::Headings), true)?;
    let resolved = read_section(&mut file, header.extent(Section::Resolved), true)?;
    Some(Prefetched {
        header,
        table,
        heads,
        headings,
        resolved,
    })
}

/// A note of a [`LeanOutline`].
#[derive(Debug, Clone, Copy)]
pub struct OutlineNote<'a> {
    pub path: &'a str,
    pub title: &'a str,
    /// Its headings in [`LeanOutline::headings`].
    headings: (u32, u32),
}

/// A heading of a [`LeanOutline`]: its plain text and 1-based line.
#[derive(Debug, Clone, Copy)]
pub struct OutlineHeading<'a> {
    pub text: &'a str,
    pub line: u32,
}

/// What `search` ranks and prints of a vault, borrowed from the cache's
/// bytes: the notes in the vault's order (the table's, which is the
/// walk's), every heading of every note, and the channels.
pub struct LeanOutline<'a> {
    pub notes: Vec<OutlineNote<'a>>,
    pub headings: Vec<OutlineHeading<'a>>,
    pub channels: Vec<Channel>,
}

impl<'a> LeanOutline<'a> {
    /// The headings of note `note`, in order.
    #[must_use]
    pub fn headings_of(&self, note: usize) -> &[OutlineHeading<'a>] {
        let (start, end) = self.notes[note].headings;
        self.headings
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// The outline of the vault of `files` (walked by the caller; `real_root`
/// is the vault's canonical path) from what [`prefetch`] read: the table
/// checked against the walk, then the notes decoded beside the `stat` of
/// every file (as [`super::open`] checks them). `None` when the cache
/// cannot answer (load the full way).
#[must_use]
pub fn outline<'a>(
    real_root: &Path,
    files: &[FoundFile],
    prefetched: &'a Prefetched,
) -> Option<LeanOutline<'a>> {
    let table = checks::checked_table(&prefetched.table, &prefetched.header, real_root, files)?;
    let (outline, _) =
        checks::decoded_beside_stat(files, &table, |_| decode(&table, prefetched))?;
    Some(outline)
}

/// A head as [`crate::vault::cache::parts`] writes it, its strings
/// borrowed: path, stem, title, title source, video id, channel, size,
/// time, counts.
type HeadIn<'a> = (
    &'a str,
    &'a str,
    &'a str,
    TitleSource,
    Option<&'a str>,
    Option<&'a str>,
    u64,
    Option<SystemTime>,
    Counts,
);

/// A heading as [`crate::vault::Heading`] is saved, its strings borrowed.
#[derive(Deserialize)]
struct HeadingIn<'a> {
    _level: u8,
    #[serde(borrow)]
    strings: StringsIn<'a>,
    line: u32,
    _offset: u32,
}

/// The heading's text then its anchor, with where the text ends.
#[derive(Deserialize)]
struct StringsIn<'a> {
    text: &'a str,
    ends: [u32; 1],
}

/// Decodes one note's saved headings onto the end of a list (no vector
/// per note); the value is how many there were.
struct HeadingsInto<'v, 'a>(&'v mut Vec<OutlineHeading<'a>>);

impl<'de> DeserializeSeed<'de> for HeadingsInto<'_, 'de> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for HeadingsInto<'_, 'de> {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a note's headings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut count = 0;
        while let Some(heading) = seq.next_element::<HeadingIn<'de>>()? {
            let StringsIn { text, ends: [end] } = heading.strings;
            // As `Heading::text` reads it: an end that does not fit gives "".
            let text = text.get(..end as usize).unwrap_or_default();
            self.0.push(OutlineHeading {
                text,
                line: heading.line,
            });
            count += 1;
        }
        Ok(count)
    }
}

/// Every note's path, title and headings, in one pass (the table checked
/// against the walk already), and the channels; `None` when a part does
/// not decode or does not fit its entry.
fn decode<'a>(table: &Table<'_>, prefetched: &'a Prefetched) -> Option<LeanOutline<'a>> {
    let mut notes = Vec::with_capacity(table.entries.len());
    // Real notes have a few headings each: one growth or two at most.
    let mut headings = Vec::with_capacity(table.entries.len() * 8);
    for entry in &table.entries {
        let head: HeadIn<'a> = postcard::from_bytes(entry.head.of(&prefetched.heads)?).ok()?;
        let (path, _, title, _, _, _, size, _, counts) = head;
        if path != entry.path || size != entry.stamp.size {
            return None;
        }
        let start = u32::try_from(headings.len()).ok()?;
        let part = entry.headings.of(&prefetched.headings)?;
        let mut decoder = postcard::Deserializer::from_bytes(part);
        let count = HeadingsInto(&mut headings)
            .deserialize(&mut decoder)
            .ok()?;
        if count != counts.headings as usize {
            return None;
        }
        let end = u32::try_from(headings.len()).ok()?;
        notes.push(OutlineNote {
            path,
            title,
            headings: (start, end),
        });
    }
    let channels = lean_channels(&Sectioned::read(&prefetched.resolved)?, notes.len()).ok()?;
    Some(LeanOutline {
        notes,
        headings,
        channels,
    })
}
