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
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use rayon::prelude::*;

mod bodies;
mod checks;
pub use bodies::LeanBodies;
use checks::{decoded_beside_stat, entries_of, with_checked_table};
pub mod one_note;
pub mod titles;

use super::{
    IndexCache,
    layout::{Extent, Header, Section, Span, Table},
    parts::{self, Counts},
    resolved::Sectioned,
};
use crate::vault::{
    KeyIndex, NoteId, TimeOptions, Vault,
    loader::{FoundFile, walk},
};

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
    let started = Instant::now();
    let walk = walk(root).ok()?;
    let real_root = root.canonicalize().ok()?;
    let walked = started.elapsed();
    let mut lean = open_walked(root, &real_root, &walk.files, times, cache)?;
    lean.vault.problems = walk.problems;
    lean.timings.walk = walked;
    Some(lean)
}

/// [`open`] after a walk made by the caller (the browser's loader, which
/// has sent the walk's paths and problems already: they are not in the
/// vault); `real_root` is the vault's canonical path.
#[must_use]
pub fn open_walked(
    root: &Path,
    real_root: &Path,
    files: &[FoundFile],
    times: TimeOptions,
    cache: &IndexCache,
) -> Option<LeanVault> {
    open_checked(real_root, files, cache, |table, file, header, _| {
        decode_heads(root, table, file, header, times)
    })
}

/// [`open_walked`], then [`LeanVault::index_heads`] (the browser's warm
/// start): the headings, backlinks and tree are decoded while the files
/// are still being stat-ed.
#[must_use]
pub fn open_walked_indexed(
    root: &Path,
    real_root: &Path,
    files: &[FoundFile],
    times: TimeOptions,
    cache: &IndexCache,
) -> Option<LeanVault> {
    open_checked(real_root, files, cache, |table, file, header, changed| {
        let mut lean = decode_heads(root, table, file, header, times)?;
        // A changed file found by the `stat`s stops the decoding at its
        // next step: the browser's warm start shows the walk's outline
        // only once this open has failed.
        (!changed.load(Ordering::Relaxed) && lean.index_heads()).then_some(lean)
    })
}

/// The table read and checked against the walk, then two things at once
/// (on a 2-core machine most of the decoding runs on one thread, with
/// steps that cannot be split, and the `stat` of every file fills the
/// other core meanwhile): every file stat-ed against its entry, and the
/// vault decoded by `decode` (told through its flag when a file is found
/// changed). `None` unless every file is unchanged and all of it fits (the
/// work done on a changed vault is then lost: such a load goes the full
/// way anyway).
pub(super) fn open_checked(
    real_root: &Path,
    files: &[FoundFile],
    cache: &IndexCache,
    decode: impl FnOnce(&Table<'_>, fs::File, Header, &AtomicBool) -> Option<LeanVault> + Send,
) -> Option<LeanVault> {
    let started = Instant::now();
    with_checked_table(real_root, cache, files, |file, header, table| {
        let table_time = started.elapsed();
        let (mut lean, stat) =
            decoded_beside_stat(files, table, |changed| decode(table, file, header, changed))?;
        lean.timings.table = table_time;
        lean.timings.stat = stat;
        Some(lean)
    })
}

/// The vault of every note's head, from the heads and the resolved
/// sections (the table checked against the walk already).
fn decode_heads(
    root: &Path,
    table: &Table<'_>,
    mut file: fs::File,
    header: Header,
    times: TimeOptions,
) -> Option<LeanVault> {
    let mut timings = LeanTimings::default();
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
            // The keys too, on every core: only their inserts are in turn.
            let keys = KeyIndex::keys_of(&note);
            (note.path == entry.path && note.size == entry.stamp.size)
                .then_some((note, counts, keys))
        })
        .collect_into_vec(&mut notes);
    let entries = entries_of(table);
    let mut vault = Vault::new(root);
    vault.time_options = times;
    vault.notes.reserve(notes.len());
    vault.keys.reserve(notes.len());
    let mut counts = Vec::with_capacity(notes.len());
    for decoded in notes {
        let (note, note_counts, keys) = decoded?;
        vault.add_keyed(note, keys);
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

#[cfg(test)]
mod tests {
    use std::{fs, time::Duration};

    use super::*;

    pub(super) fn write(dir: &Path, name: &str, text: &str, age: u64) {
        let path = dir.join(name);
        fs::write(&path, text).expect("writes");
        let when = std::time::SystemTime::now() - Duration::from_secs(3600 + age);
        let file = fs::File::options().write(true).open(&path).expect("opens");
        file.set_modified(when).expect("sets the time");
    }

    #[test]
    fn the_indexed_open_is_the_open_then_its_index_and_refuses_a_changed_file() {
        let vault = tempfile::tempdir().expect("a vault");
        let cache_dir = tempfile::tempdir().expect("a cache");
        let cache = IndexCache::in_dir(cache_dir.path());
        write(vault.path(), "a.md", "# Alpha\n\n## One\n\n[[b]]\n", 0);
        write(vault.path(), "b.md", "# Beta\n\n[[a#One]] [[nowhere]]\n", 0);
        crate::vault::load_cached(vault.path(), TimeOptions::default(), Some(&cache))
            .expect("fills the cache");
        let walked = walk(vault.path()).expect("walks");
        let real_root = vault.path().canonicalize().expect("a folder");
        let open = |indexed: bool| {
            let args = (vault.path(), real_root.as_path(), walked.files.as_slice());
            let times = TimeOptions::default();
            if indexed {
                open_walked_indexed(args.0, args.1, args.2, times, &cache)
            } else {
                open_walked(args.0, args.1, args.2, times, &cache)
            }
        };
        let mut plain = open(false).expect("unchanged: lean");
        assert!(plain.index_heads());
        let indexed = open(true).expect("unchanged: lean");
        let (a, b) = (plain.vault(), indexed.vault());
        assert_eq!(a.notes.len(), 2);
        for id in a.ids() {
            assert_eq!(a.note(id).headings, b.note(id).headings);
            assert_eq!(a.backlinks(id), b.backlinks(id));
        }
        assert_eq!(a.wanted.len(), b.wanted.len());
        assert!(!b.backlinks(b.find_note("a.md").expect("a")).is_empty());

        // Same size, another time: the stat beside the decoding sees it.
        write(vault.path(), "b.md", "# Beta\n\n[[a#One]] [[nowhere]]\n", 7);
        assert!(open(true).is_none() && open(false).is_none());
    }
}
