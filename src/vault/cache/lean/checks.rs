//! The checks every lean load makes before it trusts the cache: the file's
//! header and table read, the table against the walk, every file's stamp.

use std::{fs, io::Read, path::Path};

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

/// Whether the table speaks of exactly the walked `files`, in order, of
/// the vault at `real_root`, and the file holds a resolved index.
pub(super) fn same_files(
    table: &Table<'_>,
    header: &Header,
    real_root: &Path,
    files: &[FoundFile],
) -> bool {
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
