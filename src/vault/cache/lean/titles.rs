//! The lean load of the command line's `search` (the jump picker's
//! ranking): every note's head and headings and the channels, which are
//! what its items are made of, checked as [`super::open`] checks them
//! (every file walked and stat-ed against the table). Unlike
//! [`super::open`], the notes are not entered in the vault's key index:
//! nothing looks a name up, and 21,000 keys normalised and hashed were a
//! tenth of the command's time.

use std::{fs, path::Path, time::Instant};

use rayon::prelude::*;

use super::{LeanVault, checks::entries_of, read_section};
use crate::vault::{
    IndexCache, TimeOptions, Vault,
    cache::{
        layout::{Header, Section, Table},
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
    super::open_checked(real_root, files, cache, |table, file, header, _| {
        decode(root, table, file, header, times)
    })
}

/// Every note's head and headings, in one pass straight into a vector of
/// the right size, and the channels (the table checked against the walk
/// already).
fn decode(
    root: &Path,
    table: &Table<'_>,
    mut file: fs::File,
    header: Header,
    times: TimeOptions,
) -> Option<LeanVault> {
    let started = Instant::now();
    let heads = read_section(&mut file, header.extent(Section::Heads), true)?;
    let headings = read_section(&mut file, header.extent(Section::Headings), true)?;
    let resolved = read_section(&mut file, header.extent(Section::Resolved), true)?;
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
