//! The lean load of the command line's `search` (the jump picker's
//! ranking): every note's head and headings and the channels, which are
//! what its items are made of, checked as [`super::open`] checks them
//! (every file walked and stat-ed against the table). Unlike
//! [`super::open`], the notes are not entered in the vault's key index:
//! nothing looks a name up, and 21,000 keys normalised and hashed were a
//! tenth of the command's time.

use std::{fs, path::Path, time::Instant};

use rayon::prelude::*;

use super::{
    LeanVault,
    checks::{self, entries_of},
    read_section,
};
use crate::vault::{
    IndexCache, TimeOptions, Vault,
    cache::{
        layout::{Header, Section, Table},
        parts,
        resolved::Sectioned,
    },
    loader::FoundFile,
};

/// The parts of the cache file `search` reads (the table, heads,
/// headings and resolved sections, each checked by its CRC): read while
/// the vault is walked, since reading them needs nothing of the walk (the
/// table is checked against it after), so that the walk and the reading
/// share the two cores instead of following each other.
pub struct Prefetched {
    file: fs::File,
    header: Header,
    table: Vec<u8>,
    sections: Sections,
}

/// Reads what [`open_prefetched`] decodes from the cache file of the vault
/// at `real_root` (its canonical path); `None` when any of it cannot be
/// read or fails its CRC.
#[must_use]
pub fn prefetch(real_root: &Path, cache: &IndexCache) -> Option<Prefetched> {
    let (mut file, header, table) = checks::open_table(real_root, cache)?;
    let heads = read_section(&mut file, header.extent(Section::Heads), true)?;
    let headings = read_section(&mut file, header.extent(Section::Headings), true)?;
    let resolved = read_section(&mut file, header.extent(Section::Resolved), true)?;
    Some(Prefetched {
        file,
        header,
        table,
        sections: Sections {
            heads,
            headings,
            resolved,
        },
    })
}

/// The vault of `files` (walked by the caller; `real_root` is the vault's
/// canonical path) with every note's head and headings; `None` when the
/// cache cannot answer (load the full way).
#[must_use]
pub fn open(
    root: &Path,
    real_root: &Path,
    files: &[FoundFile],
    times: TimeOptions,
    cache: &IndexCache,
) -> Option<LeanVault> {
    open_prefetched(root, real_root, files, times, prefetch(real_root, cache)?)
}

/// [`open`] from the parts [`prefetch`] read: the table checked against
/// the walked `files`, then the notes decoded beside the `stat` of every
/// file (as [`super::open`] checks them).
#[must_use]
pub fn open_prefetched(
    root: &Path,
    real_root: &Path,
    files: &[FoundFile],
    times: TimeOptions,
    prefetched: Prefetched,
) -> Option<LeanVault> {
    let started = Instant::now();
    let Prefetched {
        file,
        header,
        table,
        sections,
    } = prefetched;
    let table = checks::checked_table(&table, &header, real_root, files)?;
    let table_time = started.elapsed();
    let (mut lean, stat) = checks::decoded_beside_stat(files, &table, |_| {
        decode(root, &table, file, header, times, sections)
    })?;
    lean.timings.table = table_time;
    lean.timings.stat = stat;
    Some(lean)
}

/// The sections [`decode`] reads.
struct Sections {
    heads: Vec<u8>,
    headings: Vec<u8>,
    resolved: Vec<u8>,
}

/// Every note's head and headings, in one pass straight into a vector of
/// the right size, and the channels (the table checked against the walk
/// already).
fn decode(
    root: &Path,
    table: &Table<'_>,
    file: fs::File,
    header: Header,
    times: TimeOptions,
    sections: Sections,
) -> Option<LeanVault> {
    let started = Instant::now();
    let Sections {
        heads,
        headings,
        resolved,
    } = sections;
    let mut decoded = Vec::new();
    table
        .entries
        .par_iter()
        .map(|entry| {
            let (mut note, counts) = parts::decode_head(entry.head.of(&heads)?)?;
            let fits = note.path == entry.path
                && note.size == entry.stamp.size
                && parts::decode_headings_into(&mut note, counts, entry.headings.of(&headings)?);
            fits.then_some((note, counts))
        })
        .collect_into_vec(&mut decoded);
    let mut vault = Vault::new(root);
    vault.time_options = times;
    vault.notes.reserve(decoded.len());
    let mut counts = Vec::with_capacity(decoded.len());
    for note in decoded {
        let (mut note, note_counts) = note?;
        vault.read_times(&mut note);
        vault.notes.push(note);
        counts.push(note_counts);
    }
    vault
        .apply_lean_channels(&Sectioned::read(&resolved)?)
        .ok()?;
    let timings = super::LeanTimings {
        heads: started.elapsed(),
        ..super::LeanTimings::default()
    };
    Some(LeanVault {
        vault,
        file,
        header,
        entries: entries_of(table),
        counts,
        resolved,
        timings,
    })
}
