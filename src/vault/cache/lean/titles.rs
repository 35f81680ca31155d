//! The lean load of the command line's `search` (the jump picker's
//! ranking): every note's head and headings and the channels, which are
//! what its items are made of, checked as [`super::open`] checks them
//! (every file walked and stat-ed against the table). Unlike
//! [`super::open`], the notes are not entered in the vault's key index:
//! nothing looks a name up, and 21,000 keys normalised and hashed were a
//! tenth of the command's time.

use std::{path::Path, time::Instant};

use rayon::prelude::*;

use super::{
    LeanVault,
    checks::{entries_of, open_table, same_files, unchanged},
    read_section,
};
use crate::vault::{
    IndexCache, TimeOptions, Vault,
    cache::{
        layout::{Section, Table},
        parts,
        resolved::Sectioned,
    },
    loader::FoundFile,
};

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
    let mut timings = super::LeanTimings::default();
    let started = Instant::now();
    let (mut file, header, table_bytes) = open_table(real_root, cache)?;
    let table: Table<'_> = postcard::from_bytes(&table_bytes).ok()?;
    if !same_files(&table, &header, real_root, files) {
        return None;
    }
    timings.table = started.elapsed();
    // The stat of every file (which decides whether the cache may answer)
    // beside the decoding, as the browser's warm start does: on 2 cores
    // each took one while the other waited. A changed file wastes the
    // decoding, and the command loads the full way as before.
    let started = Instant::now();
    let (fresh, read) = rayon::join(
        || unchanged(files, &table),
        || {
            let heads = read_section(&mut file, header.extent(Section::Heads), true)?;
            let headings = read_section(&mut file, header.extent(Section::Headings), true)?;
            let resolved = read_section(&mut file, header.extent(Section::Resolved), true)?;
            // Head and headings of each note in one pass, straight into a
            // vector of the right size.
            let mut decoded = Vec::new();
            table
                .entries
                .par_iter()
                .map(|entry| {
                    let (mut note, counts) = parts::decode_head(entry.head.of(&heads)?)?;
                    let fits = note.path == entry.path
                        && note.size == entry.stamp.size
                        && parts::decode_headings_into(
                            &mut note,
                            counts,
                            entry.headings.of(&headings)?,
                        );
                    fits.then_some((note, counts))
                })
                .collect_into_vec(&mut decoded);
            Some((decoded, resolved))
        },
    );
    if !fresh {
        return None;
    }
    let (decoded, resolved) = read?;
    timings.stat = started.elapsed();
    let started = Instant::now();
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
    let entries = entries_of(&table);
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
