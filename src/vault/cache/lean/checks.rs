//! The checks every lean load makes before it trusts the cache: the file's
//! header and table read, the table against the walk, every file's stamp.

use std::{
    fs,
    io::Read,
    path::Path,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use rayon::prelude::*;

use super::{Entry, read_section};
use crate::vault::{
    IndexCache,
    cache::{
        FileStamp,
        layout::{HEADER_BYTES, Header, Section, Table},
    },
    loader::FoundFile,
};

/// The cache file of the vault at `real_root` opened and its table checked
/// against the walked `files` ([`same_files`]), then handed to `then` with
/// the file and its header (the table borrows from the bytes read here, so
/// it is lent, not returned). `None` when any of it fails.
pub(super) fn with_checked_table<T>(
    real_root: &Path,
    cache: &IndexCache,
    files: &[FoundFile],
    then: impl FnOnce(fs::File, Header, &Table<'_>) -> Option<T>,
) -> Option<T> {
    let (file, header, bytes) = open_table(real_root, cache)?;
    let table = checked_table(&bytes, &header, real_root, files)?;
    then(file, header, &table)
}

/// The table in `bytes` (of the file whose header is `header`), when it
/// speaks of exactly the walked `files` ([`same_files`]).
pub(super) fn checked_table<'b>(
    bytes: &'b [u8],
    header: &Header,
    real_root: &Path,
    files: &[FoundFile],
) -> Option<Table<'b>> {
    let table: Table<'b> = postcard::from_bytes(bytes).ok()?;
    same_files(&table, header, real_root, files).then_some(table)
}

/// `decode` run beside the `stat` of every file against its entry
/// ([`unchanged`]): on 2 cores most of a lean load's decoding runs on one
/// thread, and the `stat`s fill the other core meanwhile. `decode` is told
/// through its flag as soon as a file is found changed (it may stop at its
/// next step: the work is lost, the caller loads the full way). What it
/// decoded, and the `stat`s' time, only if every file is unchanged.
pub(super) fn decoded_beside_stat<T: Send>(
    files: &[FoundFile],
    table: &Table<'_>,
    decode: impl FnOnce(&AtomicBool) -> Option<T> + Send,
) -> Option<(T, Duration)> {
    let changed = AtomicBool::new(false);
    let ((unchanged, stat), decoded) = rayon::join(
        || {
            let started = Instant::now();
            let unchanged = unchanged(files, table);
            changed.store(!unchanged, Ordering::Relaxed);
            (unchanged, started.elapsed())
        },
        || decode(&changed),
    );
    Some((decoded.filter(|_| unchanged)?, stat))
}

/// The cache file of the vault at `real_root`, opened, its header read
/// and checked, and its table's bytes (checked by their CRC).
pub(super) fn open_table(
    real_root: &Path,
    cache: &IndexCache,
) -> Option<(fs::File, Header, Vec<u8>)> {
    cache
        .opened
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut file = fs::File::open(cache.file_for(real_root)).ok()?;
    let file_len = file.metadata().ok()?.len();
    let mut head = [0; HEADER_BYTES];
    file.read_exact(&mut head).ok()?;
    let header = Header::decode(&head, file_len).ok()?;
    let table = read_section(&mut file, header.extent(Section::Table), true)?;
    Some((file, header, table))
}

/// A cache's table read before the walk ended, with whether every file it
/// names was found unchanged by the table's own paths ([`unchanged_at`]):
/// worth anything only once the walk lists exactly the table's files
/// ([`TableSeenEarly::fits`]).
pub(super) struct TableSeenEarly<'s> {
    pub(super) header: Header,
    pub(super) table: Table<'s>,
    pub(super) unchanged: bool,
}

impl TableSeenEarly<'_> {
    /// Whether the walked `files` of the vault at `real_root` are the
    /// table's and every one of them was found unchanged.
    pub(super) fn fits(&self, real_root: &Path, files: &[FoundFile]) -> bool {
        self.unchanged && same_files(&self.table, &self.header, real_root, files)
    }
}

/// Whether the table speaks of exactly the walked `files`, in order, of
/// the vault at `real_root`, and the file holds a resolved index.
fn same_files(table: &Table<'_>, header: &Header, real_root: &Path, files: &[FoundFile]) -> bool {
    table.root == real_root.to_string_lossy()
        && table.entries.len() == files.len()
        && table
            .entries
            .iter()
            .zip(files)
            .all(|(entry, file)| entry.path == file.relative)
        && header.extent(Section::Resolved).len > 0
}

/// Whether every file has the stamp the table keeps for it (one `stat`
/// each, on every core).
pub(super) fn unchanged(files: &[FoundFile], table: &Table<'_>) -> bool {
    files.par_iter().zip(&table.entries).all(|(file, entry)| {
        fs::metadata(&file.path).is_ok_and(|m| FileStamp::of(&m) == entry.stamp)
    })
}

/// [`unchanged`] with each file named by the table (under `real_root`, the
/// vault's canonical path) instead of by a walk: it can run before the
/// walk is over. Only worth anything once the walk is found to list the
/// table's files ([`same_files`]): each is then the file the walk found
/// (the same names under the same folder).
pub(super) fn unchanged_at(real_root: &Path, table: &Table<'_>) -> bool {
    table.entries.par_iter().all(|entry| {
        fs::metadata(real_root.join(entry.path)).is_ok_and(|m| FileStamp::of(&m) == entry.stamp)
    })
}

/// Where each note's parts lie, from the table.
pub(super) fn entries_of(table: &Table<'_>) -> Vec<Entry> {
    table
        .entries
        .iter()
        .map(|e| Entry {
            headings: e.headings,
            body: e.body,
            body_crc: e.body_crc,
        })
        .collect()
}
