//! A lean load from the index cache, for the command line's note commands
//! (`show`, `links`, `timestamps`, `search`): every file is still walked
//! and stat-ed, so an added, removed or changed note anywhere is seen, but
//! only the table, the heads and the channels are decoded; the bodies,
//! resolutions and backlinks of the notes a command shows are decoded when
//! it asks for them ([`LeanVault::fill`]), and the headings of every note
//! for the fuzzy search ([`LeanVault::fill_headings`]).
//!
//! The result is a [`Vault`] whose notes are known by their heads
//! (`parsed` false, as the loader's title pass leaves them) except the
//! filled ones, which are exactly as a full load makes them, with their
//! links resolved and their backlinks. Anything short of a cache that
//! speaks of exactly the vault's files, in order, all unchanged, with a
//! resolved index, gives `None`: the caller then loads the full way (which
//! parses what changed and saves the cache again). A part that does not
//! decode or fit makes [`LeanVault::fill`] return false, and the caller
//! does the same.

use std::{
    fs,
    io::{Read, Seek, SeekFrom},
    path::Path,
    time::{Duration, Instant},
};

use rayon::prelude::*;

use super::{
    FileStamp, IndexCache,
    layout::{Extent, HEADER_BYTES, Header, Section, Span, Table},
    parts::{self, Counts},
    resolved::Sectioned,
};
use crate::vault::{NoteId, TimeOptions, Vault, loader::walk};

/// Where each note's parts lie, from the table.
#[derive(Debug, Clone, Copy)]
struct Entry {
    headings: Span,
    body: Span,
    body_crc: u32,
}

/// Where the time of a lean load went (`cache_probe`).
#[derive(Debug, Clone, Copy, Default)]
pub struct LeanTimings {
    pub walk: Duration,
    /// Reading the table and checking it against the walk.
    pub table: Duration,
    pub stat: Duration,
    /// Reading and decoding the heads and the channels, building the vault.
    pub heads: Duration,
}

/// A vault known by its heads, with what it takes to fill in any note.
pub struct LeanVault {
    vault: Vault,
    file: fs::File,
    header: Header,
    entries: Vec<Entry>,
    counts: Vec<Counts>,
    resolved: Vec<u8>,
    pub timings: LeanTimings,
}

/// Reads one section of the file and checks its CRC (none for the bodies').
fn read_section(file: &mut fs::File, extent: Extent, checked: bool) -> Option<Vec<u8>> {
    let len = usize::try_from(extent.len).ok()?;
    let mut bytes = vec![0; len];
    file.seek(SeekFrom::Start(extent.offset)).ok()?;
    file.read_exact(&mut bytes).ok()?;
    (!checked || crc32fast::hash(&bytes) == extent.crc).then_some(bytes)
}

/// The lean load of the vault at `root`, when the cache speaks of exactly
/// its files, all unchanged, and holds their resolved index.
#[must_use]
pub fn open(root: &Path, times: TimeOptions, cache: &IndexCache) -> Option<LeanVault> {
    let mut timings = LeanTimings::default();
    let started = Instant::now();
    let walk = walk(root).ok()?;
    let real_root = root.canonicalize().ok()?;
    timings.walk = started.elapsed();

    let started = Instant::now();
    cache
        .opened
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut file = fs::File::open(cache.file_for(&real_root)).ok()?;
    let file_len = file.metadata().ok()?.len();
    let mut head = [0; HEADER_BYTES];
    file.read_exact(&mut head).ok()?;
    let header = Header::decode(&head, file_len).ok()?;
    let table_bytes = read_section(&mut file, header.extent(Section::Table), true)?;
    let table: Table<'_> = postcard::from_bytes(&table_bytes).ok()?;
    let same_files = table.root == real_root.to_string_lossy()
        && table.entries.len() == walk.files.len()
        && table
            .entries
            .iter()
            .zip(&walk.files)
            .all(|(entry, file)| entry.path == file.relative);
    if !same_files || header.extent(Section::Resolved).len == 0 {
        return None;
    }
    timings.table = started.elapsed();

    let started = Instant::now();
    let unchanged = walk
        .files
        .par_iter()
        .zip(&table.entries)
        .all(|(file, entry)| {
            fs::metadata(&file.path).is_ok_and(|m| FileStamp::of(&m) == entry.stamp)
        });
    if !unchanged {
        return None;
    }
    timings.stat = started.elapsed();

    let started = Instant::now();
    let heads = read_section(&mut file, header.extent(Section::Heads), true)?;
    let resolved = read_section(&mut file, header.extent(Section::Resolved), true)?;
    // Into one vector of the right size, written in place: collecting
    // `Option`s through rayon gathers chunks and copies them once more,
    // and a copy of 21,000 notes is megabytes of fresh pages.
    let mut notes = Vec::new();
    table
        .entries
        .par_iter()
        .map(|entry| {
            let (note, counts) = parts::decode_head(entry.head.of(&heads)?)?;
            (note.path == entry.path && note.size == entry.stamp.size).then_some((note, counts))
        })
        .collect_into_vec(&mut notes);
    let entries = table
        .entries
        .iter()
        .map(|e| Entry {
            headings: e.headings,
            body: e.body,
            body_crc: e.body_crc,
        })
        .collect();
    let mut vault = Vault::new(root);
    vault.time_options = times;
    vault.problems = walk.problems;
    vault.notes.reserve(notes.len());
    let mut counts = Vec::with_capacity(notes.len());
    for decoded in notes {
        let (note, note_counts) = decoded?;
        vault.add(note);
        counts.push(note_counts);
    }
    vault
        .apply_lean_channels(&Sectioned::read(&resolved)?)
        .ok()?;
    timings.heads = started.elapsed();
    Some(LeanVault {
        vault,
        file,
        header,
        entries,
        counts,
        resolved,
        timings,
    })
}

impl LeanVault {
    /// The vault as far as it is filled in.
    #[must_use]
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    #[must_use]
    pub fn into_vault(self) -> Vault {
        self.vault
    }

    /// Decodes the bodies of `ids` (those not decoded yet), with their
    /// links' resolutions and their backlinks. False when any part is
    /// damaged or does not fit (the vault may then be half filled: load
    /// the full way instead).
    pub fn fill(&mut self, ids: &[NoteId]) -> bool {
        let mut wanted: Vec<NoteId> = ids
            .iter()
            .copied()
            .filter(|id| self.vault.get(*id).is_some_and(|n| !n.parsed))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let bodies_at = self.header.extent(Section::Bodies).offset;
        let mut bodies = Vec::with_capacity(wanted.len());
        for &id in &wanted {
            let Some(entry) = self.entries.get(id.index()) else {
                return false;
            };
            let extent = Extent {
                offset: bodies_at.saturating_add(entry.body.start),
                len: entry.body.len,
                crc: entry.body_crc,
            };
            let Some(bytes) = read_section(&mut self.file, extent, true) else {
                return false;
            };
            bodies.push(bytes);
        }
        let vault = &self.vault;
        let counts = &self.counts;
        let decoded: Option<Vec<_>> = wanted
            .par_iter()
            .zip(&bodies)
            .map(|(&id, bytes)| {
                let head = vault.note(id);
                let note = parts::decode_body(bytes)?;
                parts::body_fits(
                    &note,
                    &head.path,
                    head.size,
                    counts.get(id.index()).copied(),
                )
                .then_some(note)
            })
            .collect();
        let Some(decoded) = decoded else {
            return false;
        };
        let Some(section) = Sectioned::read(&self.resolved) else {
            return false;
        };
        for (&id, note) in wanted.iter().zip(decoded) {
            self.vault.replace(id, note);
            if self
                .vault
                .apply_lean_note(&section, id, &self.counts)
                .is_err()
            {
                return false;
            }
        }
        true
    }

    /// Decodes the headings of every note (for the fuzzy search, which
    /// lists them). False when they are damaged or do not fit.
    pub fn fill_headings(&mut self) -> bool {
        let Some(bytes) = read_section(&mut self.file, self.header.extent(Section::Headings), true)
        else {
            return false;
        };
        let (entries, counts) = (&self.entries, &self.counts);
        self.vault
            .notes
            .par_iter_mut()
            .enumerate()
            .all(|(i, note)| {
                if note.parsed {
                    return true;
                }
                let (Some(entry), Some(&counts)) = (entries.get(i), counts.get(i)) else {
                    return false;
                };
                entry
                    .headings
                    .of(&bytes)
                    .is_some_and(|part| parts::decode_headings_into(note, counts, part))
            })
    }
}
