//! Saving the index cache after a load: which notes go into the file as
//! they were stored, which as parsed now, and the resolved index with them.

use std::{collections::HashMap, path::Path, time::Instant};

use super::FoundFile;
use crate::vault::{
    Note, Vault,
    cache::{
        self, CacheReport, CacheState, FileStamp, IndexCache, SaveEntry, SavedNote, StoredEntry,
        resolved::SectionParts,
    },
};

/// [`save_index`] for a finished vault: its notes are those the save
/// encodes, and its resolved index is written from it when the save
/// needs it.
pub(super) fn save_with_resolved<'a>(
    cache: &IndexCache,
    real_root: &Path,
    taken: &HashMap<&str, StoredEntry<'a>>,
    fresh: &'a HashMap<usize, (FileStamp, Option<Vec<u8>>)>,
    vault: &'a Vault,
    report: &mut CacheReport,
) {
    let snapshot = || {
        let parts = cache::resolved::VaultParts::of(vault)?;
        Some(Box::new(parts) as Box<dyn SectionParts + 'a>)
    };
    save_index(
        cache,
        real_root,
        vault.notes.as_slice(),
        taken,
        fresh,
        |i| vault.notes.get(i),
        Some(&snapshot),
        report,
    );
}

/// The cache's entries of the files `taken(i)` (by index in `files`) says
/// the load took from it: the entries a save writes again as they are.
pub(super) fn taken_entries<'a>(
    files: &'a [FoundFile],
    entries: &HashMap<&str, StoredEntry<'a>>,
    taken: impl Fn(usize) -> bool,
) -> HashMap<&'a str, StoredEntry<'a>> {
    files
        .iter()
        .enumerate()
        .filter(|(i, _)| taken(*i))
        .filter_map(|(_, file)| {
            let path = file.relative.as_str();
            entries.get(path).map(|entry| (path, *entry))
        })
        .collect()
}

/// Saves the index after a load, when anything changed: notes taken from
/// the cache keep their stored bytes (`taken`), parsed ones their fresh
/// encoding or, without one, `parsed(i)` (`fresh`, by index in `files`).
/// `resolved(saved_whole)` gives the resolved index to save with them (it
/// is asked only when every file is saved, in `files` order) and whether
/// the file must be written for it even when no note changed.
#[allow(
    clippy::too_many_arguments,
    reason = "the parts of one save, each from another phase of the load"
)]
pub(super) fn save_index<'a>(
    cache: &IndexCache,
    real_root: &Path,
    files: &'a (impl SavedPaths + ?Sized),
    taken: &HashMap<&str, StoredEntry<'a>>,
    fresh: &'a HashMap<usize, (FileStamp, Option<Vec<u8>>)>,
    parsed: impl Fn(usize) -> Option<&'a Note>,
    resolved: Option<&dyn Fn() -> Option<Box<dyn SectionParts + 'a>>>,
    report: &mut CacheReport,
) {
    let unchanged = report.state == CacheState::Valid && fresh.is_empty() && report.removed == 0;
    // An unchanged file is written again only to add the resolved index
    // it lacks (the last save could not compute it).
    if unchanged && (report.resolved || resolved.is_none()) {
        return;
    }
    let started = Instant::now();
    // Gone through by the save (twice) as it writes: a list of them was
    // 17 MB at 100,000 notes, at the cold `check`'s peak.
    let parsed = &parsed;
    let save = (0..files.count()).filter_map(move |i| {
        let path = files.path(i);
        match fresh.get(&i) {
            Some((stamp, encoded)) => Some(SaveEntry {
                path,
                stamp: *stamp,
                note: match encoded {
                    Some(bytes) => SavedNote::Encoded(bytes),
                    None => SavedNote::Parsed(parsed(i)?),
                },
            }),
            None => taken.get(path).map(|entry| SaveEntry {
                path,
                stamp: entry.stamp,
                note: SavedNote::Stored(*entry),
            }),
        }
    });
    let resolved = resolved
        .filter(|_| save.clone().count() == files.count())
        .and_then(|snapshot| snapshot());
    if unchanged && resolved.is_none() {
        return;
    }
    // A cache that cannot be written costs the next load time, nothing else.
    let resolved = resolved.as_deref().map(cache::Resolved::Parts);
    report.written = cache.save(real_root, save, resolved).is_ok();
    report.write = started.elapsed();
}

/// The paths of the files a save is of, by index (the walk's order).
pub(super) trait SavedPaths {
    fn count(&self) -> usize;
    fn path(&self, i: usize) -> &str;
}

impl SavedPaths for [FoundFile] {
    fn count(&self) -> usize {
        self.len()
    }

    fn path(&self, i: usize) -> &str {
        &self[i].relative
    }
}

/// A finished vault's notes, each the walk's file of its index: the save
/// after a load reads their paths, so that the walk's files (20 MB at
/// 100,000 notes) go before the vault is finished (the load's peak).
impl SavedPaths for [Note] {
    fn count(&self) -> usize {
        self.len()
    }

    fn path(&self, i: usize) -> &str {
        &self[i].path
    }
}

impl<T> SavedPaths for Vec<T>
where
    [T]: SavedPaths,
{
    fn count(&self) -> usize {
        self.as_slice().count()
    }

    fn path(&self, i: usize) -> &str {
        self.as_slice().path(i)
    }
}
