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

use rayon::prelude::*;
use serde::{
    Deserializer,
    de::{DeserializeSeed, SeqAccess, Visitor},
};

use super::{
    checks::{self, TableSeenEarly},
    read_section,
};
use crate::vault::{
    Channel, HeadingRecord, IndexCache, TitleSource,
    cache::{
        layout::{Header, Section, Table, TableEntry},
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

/// Reads what [`read_early`] decodes from the cache file of the vault at
/// `real_root` (its canonical path); `None` when any of it cannot be read
/// or fails its CRC.
fn prefetch(real_root: &Path, cache: &IndexCache) -> Option<Prefetched> {
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
    /// Its headings in its run's.
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
/// walk's), every heading of every note, and the channels. The notes are
/// decoded in runs of [`RUN`] on every core, each run into its own lists
/// (never copied into one).
pub struct LeanOutline<'a> {
    runs: Vec<Run<'a>>,
    notes: usize,
    pub channels: Vec<Channel>,
}

/// Notes per run of the decoding.
const RUN: usize = 1024;

/// [`RUN`] notes (fewer in the last run) and their headings.
struct Run<'a> {
    notes: Vec<OutlineNote<'a>>,
    headings: Vec<OutlineHeading<'a>>,
}

impl<'a> LeanOutline<'a> {
    #[must_use]
    pub fn note_count(&self) -> usize {
        self.notes
    }

    /// Note `note` (panics past the end, as a vault's `note` does).
    #[must_use]
    pub fn note(&self, note: usize) -> &OutlineNote<'a> {
        &self.runs[note / RUN].notes[note % RUN]
    }

    /// The headings of note `note`, in order.
    #[must_use]
    pub fn headings_of(&self, note: usize) -> &[OutlineHeading<'a>] {
        let run = &self.runs[note / RUN];
        let (start, end) = run.notes[note % RUN].headings;
        run.headings
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// What the reading side of the lean load found while the walk was still
/// going: the table, the outline, the result of `then` on it, and whether
/// every file the table names is unchanged. Worth anything only once the
/// walk is found to list exactly the table's files ([`Early::confirmed`]).
pub struct Early<'s, R> {
    seen: TableSeenEarly<'s>,
    outline: LeanOutline<'s>,
    then: R,
}

/// Reads the cache file of the vault at `real_root` (its canonical path)
/// into `store` ([`prefetch`]), decodes its table, then at once: every
/// file the table names stat-ed against its entry, and the outline
/// decoded and handed to `then` (the ranking of `search`). Nothing here
/// needs the walk (which runs meanwhile on the other core: on 2 cores the
/// walk, the reading, the `stat`s, the decoding and the ranking then share
/// both instead of following each other). `None` when the cache cannot
/// answer.
#[must_use]
pub fn read_early<'s, R: Send>(
    real_root: &Path,
    cache: &IndexCache,
    store: &'s mut Option<Prefetched>,
    then: impl FnOnce(&LeanOutline<'s>) -> R + Send,
) -> Option<Early<'s, R>> {
    let prefetched: &'s Prefetched = store.insert(prefetch(real_root, cache)?);
    let table: Table<'s> = postcard::from_bytes(&prefetched.table).ok()?;
    // The decoding and ranking on this thread, the `stat`s (which split
    // best) taken up by the other as soon as the walk leaves it free.
    let (decoded, unchanged) = rayon::join(
        || {
            let outline = decode(&table, prefetched)?;
            let then = then(&outline);
            Some((outline, then))
        },
        || checks::unchanged_at(real_root, &table),
    );
    let (outline, then) = decoded?;
    Some(Early {
        seen: TableSeenEarly {
            header: prefetched.header,
            table,
            unchanged,
        },
        outline,
        then,
    })
}

impl<'s, R> Early<'s, R> {
    /// The outline and what `then` made of it, when the walked `files` of
    /// the vault at `real_root` are the table's and every one of them was
    /// found unchanged; `None` otherwise (load the full way).
    #[must_use]
    pub fn confirmed(self, real_root: &Path, files: &[FoundFile]) -> Option<(LeanOutline<'s>, R)> {
        self.seen
            .fits(real_root, files)
            .then_some((self.outline, self.then))
    }
}

/// The outline of the vault of `files` (walked by the caller; `real_root`
/// is the vault's canonical path), read into `store`: [`read_early`] then
/// [`Early::confirmed`]. `None` when the cache cannot answer.
#[must_use]
pub fn outline<'s>(
    real_root: &Path,
    files: &[FoundFile],
    cache: &IndexCache,
    store: &'s mut Option<Prefetched>,
) -> Option<LeanOutline<'s>> {
    let early = read_early(real_root, cache, store, |_| ())?;
    early
        .confirmed(real_root, files)
        .map(|(outline, ())| outline)
}

/// A head as [`crate::vault::cache::parts`] writes it, its strings
/// borrowed: path, title, title source, video id, channel, size, time,
/// counts.
type HeadIn<'a> = (
    &'a str,
    &'a str,
    TitleSource,
    Option<&'a str>,
    Option<&'a str>,
    u64,
    Option<SystemTime>,
    Counts,
);

/// Decodes one note's saved headings (a [`crate::vault::Headings`]: its
/// strings, then its records) onto the end of a list (no vector per
/// note); the value is how many there were.
struct HeadingsInto<'v, 'a>(&'v mut Vec<OutlineHeading<'a>>);

impl<'de> DeserializeSeed<'de> for HeadingsInto<'_, 'de> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_struct("Headings", &["strings", "records"], self)
    }
}

impl<'de> Visitor<'de> for HeadingsInto<'_, 'de> {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a note's headings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let missing = || serde::de::Error::custom("a note's headings cut short");
        let strings: &'de str = seq.next_element()?.ok_or_else(missing)?;
        seq.next_element_seed(RecordsInto(self.0, strings))?
            .ok_or_else(missing)
    }
}

/// The records of [`HeadingsInto`], each heading's text read from the
/// note's strings.
struct RecordsInto<'v, 'a>(&'v mut Vec<OutlineHeading<'a>>, &'a str);

impl<'de> DeserializeSeed<'de> for RecordsInto<'_, 'de> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RecordsInto<'_, 'de> {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a note's heading records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let (out, strings) = (self.0, self.1);
        let (mut count, mut start) = (0, 0);
        while let Some(heading) = seq.next_element::<HeadingRecord>()? {
            // As `Heading::text` reads it: ends that do not fit give "".
            out.push(OutlineHeading {
                text: heading.text_in(strings, start),
                line: heading.line,
            });
            start = heading.end();
            count += 1;
        }
        Ok(count)
    }
}

/// Every note's path, title and headings (the table checked against the
/// walk already), in runs on every core, and the channels; `None` when a
/// part does not decode or does not fit its entry.
fn decode<'a>(table: &Table<'_>, prefetched: &'a Prefetched) -> Option<LeanOutline<'a>> {
    let mut runs = Vec::new();
    table
        .entries
        .par_chunks(RUN)
        .map(|entries| decode_run(entries, prefetched))
        .collect_into_vec(&mut runs);
    let runs: Vec<Run<'a>> = runs.into_iter().collect::<Option<_>>()?;
    let notes = table.entries.len();
    let channels = lean_channels(&Sectioned::read(&prefetched.resolved)?, notes).ok()?;
    Some(LeanOutline {
        runs,
        notes,
        channels,
    })
}

/// One run of notes of [`decode`].
fn decode_run<'a>(entries: &[TableEntry<'_>], prefetched: &'a Prefetched) -> Option<Run<'a>> {
    let mut notes = Vec::with_capacity(entries.len());
    // Real notes have a few headings each: one growth or two at most.
    let mut headings = Vec::with_capacity(entries.len() * 8);
    for entry in entries {
        let head: HeadIn<'a> = postcard::from_bytes(entry.head.of(&prefetched.heads)?).ok()?;
        let (path, title, _, _, _, size, _, counts) = head;
        if path != entry.path || size != entry.stamp.size {
            return None;
        }
        let start = u32::try_from(headings.len()).ok()?;
        let part = entry.headings.of(&prefetched.headings)?;
        let mut decoder = postcard::Deserializer::from_bytes(part);
        let count = HeadingsInto(&mut headings).deserialize(&mut decoder).ok()?;
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
    Some(Run { notes, headings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        search::outline::Outline,
        vault::{TimeOptions, cache::lean::tests::write, loader::walk},
    };

    /// Every note's title, path and headings (text and line), and every
    /// channel's name and whether it has a note, as `outline` tells them.
    fn described(outline: &dyn Outline) -> Vec<String> {
        let mut lines = Vec::new();
        for n in 0..outline.note_count() {
            lines.push(format!("{}\t{}", outline.path(n), outline.title(n)));
            for h in 0..outline.heading_count(n) {
                let (text, line) = (outline.heading(n, h), outline.heading_line(n, h));
                lines.push(format!("  {line}: {text}"));
            }
        }
        for c in 0..outline.channel_count() {
            let name = outline.channel_name(c);
            lines.push(format!("channel {name} {}", outline.channel_has_note(c)));
        }
        lines
    }

    #[test]
    fn the_outline_is_the_full_loads_and_a_changed_file_refuses_it() {
        let vault = tempfile::tempdir().expect("a vault");
        let cache_dir = tempfile::tempdir().expect("a cache");
        let cache = IndexCache::in_dir(cache_dir.path());
        let root = vault.path();
        std::fs::create_dir(root.join("north")).expect("a folder");
        write(
            root,
            "north/north.md",
            "# North\n\nThe channel's page.\n",
            0,
        );
        write(
            root,
            "north/a.md",
            "---\ntitle: Älpha\n---\n\nFrom: [[north]] <br/>\n\n# Top\n\n## Öne **bold**\n\n### Two\n",
            0,
        );
        write(root, "b.md", "From: [[south]]\n\n## Only [link](x)\n", 0);
        write(root, "c.md", "no heading at all\n", 0);
        let (full, _) =
            crate::vault::load_cached(root, TimeOptions::default(), Some(&cache)).expect("loads");
        let walked = walk(root).expect("walks");
        let real_root = root.canonicalize().expect("a folder");
        let mut store = None;
        let lean = outline(&real_root, &walked.files, &cache, &mut store).expect("unchanged: lean");
        let expected = described(&full);
        assert!(
            expected.iter().any(|l| l.contains("Öne bold")),
            "{expected:?}"
        );
        assert!(
            expected
                .iter()
                .any(|l| l.starts_with("channel south false"))
        );
        assert_eq!(described(&lean), expected);

        // Same size, another time: the stat beside the decoding sees it.
        write(root, "c.md", "no heading at all\n", 7);
        assert!(outline(&real_root, &walked.files, &cache, &mut None).is_none());
    }
}
