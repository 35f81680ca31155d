//! The notes' texts in one file in the cache folder, so that a text search
//! reads one file instead of 20,000 (a fresh search read every note again
//! through the checked reader: its floor was the time to open, check and
//! read every file, about 0.5 s on the real vault).
//!
//! One file per vault (`texts-HASH.bin` beside the index cache, named by
//! the same hash of the vault's canonical root). Layout: a header (magic,
//! the index's offset, length and CRC-32, under a CRC of its own), then the
//! texts one after the other, each as the checked reader decoded it, then
//! the index (postcard): the root, and per note its path, the
//! [`FileStamp`] of the file it was read from, and its text's offset,
//! length and CRC-32.
//!
//! **Never a stale text.** A text is used only when the note's file has
//! now the very stamp it had when the text was read (size, modification
//! and change times to the nanosecond, inode, device: `lstat` per note,
//! per search), the note in the index has that size and time, and the
//! text's CRC matches. Otherwise the file is read as before. A file
//! modified within [`RACY_MARGIN`](crate::vault::cache::RACY_MARGIN) of
//! the write, or whose stamp moved while it was read, is not stored. A
//! damaged header or index makes the whole file be ignored (and written
//! again); a damaged text, only that note be read from its file.
//!
//! **Written** by the full-text worker, off the UI thread, after a search
//! that had to read many notes from their files: streamed (a chunk of
//! notes read in parallel, written, dropped), to a temporary file renamed
//! over the old one; given up as soon as a newer search comes.

use std::{
    collections::HashMap,
    fs::{self, File},
    io::{self, BufWriter, Read, Seek, SeekFrom, Write},
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
    time::SystemTime,
};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::doc::{Doc, DocSource};
use crate::vault::{
    cache::{FileStamp, cacheable},
    text_store::read_back_under,
};

/// The first bytes of a text store; the digit is its format version.
const MAGIC: &[u8; 8] = b"vwtexts1";
/// Magic, index offset and length, index CRC, header CRC.
const HEADER_BYTES: usize = 32;
/// Notes read (in parallel) before their texts are written.
const WRITE_CHUNK: usize = 256;

/// Where a note's text lies in the file, and what file it was read from.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    stamp: FileStamp,
    offset: u64,
    len: u32,
    crc: u32,
}

#[derive(Serialize, Deserialize)]
struct Index {
    root: String,
    entries: Vec<(String, Entry)>,
}

/// An opened text store: its index in memory, its texts read on demand.
#[derive(Debug)]
pub struct TextStore {
    file: File,
    entries: HashMap<Box<str>, Entry>,
    /// The vault's canonical root.
    root: PathBuf,
}

/// The store file of the vault whose canonical root is `real_root`.
#[must_use]
pub fn file_for(dir: &Path, real_root: &Path) -> PathBuf {
    let digest = fnv1a(real_root.as_os_str().as_encoded_bytes());
    dir.join(format!("texts-{digest:016x}.bin"))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl TextStore {
    /// Opens the store of `real_root` in `dir`; `None` when there is none
    /// or its header or index is damaged or of another vault.
    #[must_use]
    pub fn open(dir: &Path, real_root: &Path) -> Option<Self> {
        let mut file = File::open(file_for(dir, real_root)).ok()?;
        let mut header = [0u8; HEADER_BYTES];
        file.read_exact(&mut header).ok()?;
        let word = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or([0; 8]));
        let half = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().unwrap_or([0; 4]));
        if &header[..8] != MAGIC || crc32fast::hash(&header[..28]) != half(28) {
            return None;
        }
        let (offset, len, crc) = (word(8), word(16), half(24));
        let file_len = file.metadata().ok()?.len();
        if offset.checked_add(len) != Some(file_len) || offset < HEADER_BYTES as u64 {
            return None;
        }
        file.seek(SeekFrom::Start(offset)).ok()?;
        let mut bytes = vec![0u8; usize::try_from(len).ok()?];
        file.read_exact(&mut bytes).ok()?;
        if crc32fast::hash(&bytes) != crc {
            return None;
        }
        let index: Index = postcard::from_bytes(&bytes).ok()?;
        if Path::new(&index.root) != real_root {
            return None;
        }
        let entries = index
            .entries
            .into_iter()
            .filter(|(_, e)| {
                e.offset
                    .checked_add(u64::from(e.len))
                    .is_some_and(|end| end <= offset)
            })
            .map(|(path, e)| (path.into_boxed_str(), e))
            .collect();
        Some(Self {
            file,
            entries,
            root: real_root.to_owned(),
        })
    }

    /// The vault's canonical root this store holds texts of.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How many of `docs` (of files) the store may answer, by the stamps
    /// of the index (without looking at the files): to tell whether it is
    /// worth writing again.
    #[must_use]
    pub fn covers(&self, docs: &[Doc]) -> usize {
        docs.iter()
            .filter(|d| match &d.source {
                DocSource::File {
                    relative,
                    size,
                    modified,
                    ..
                } => self
                    .entries
                    .get(&**relative)
                    .is_some_and(|e| same_version(&e.stamp, *size, *modified)),
                DocSource::Text(_) => true,
            })
            .count()
    }

    /// The text of a note read from `path`, when the store has it for the
    /// file as it is now and as the index knows it (see the module's doc).
    #[must_use]
    pub fn text(
        &self,
        relative: &str,
        path: &Path,
        size: u64,
        modified: Option<SystemTime>,
    ) -> Option<String> {
        let entry = self.entries.get(relative)?;
        if !same_version(&entry.stamp, size, modified) {
            return None;
        }
        let now = FileStamp::of(&fs::symlink_metadata(path).ok()?);
        if now != entry.stamp {
            return None;
        }
        let mut bytes = vec![0u8; entry.len as usize];
        read_at(&self.file, &mut bytes, entry.offset).ok()?;
        if crc32fast::hash(&bytes) != entry.crc {
            return None;
        }
        String::from_utf8(bytes).ok()
    }
}

/// Whether a stamp is of the version of a file the index knows (its size
/// and modification time).
fn same_version(stamp: &FileStamp, size: u64, modified: Option<SystemTime>) -> bool {
    if stamp.size != size {
        return false;
    }
    let Some(modified) = modified else {
        return true;
    };
    modified
        .duration_since(SystemTime::UNIX_EPOCH)
        .is_ok_and(|d| {
            i64::try_from(d.as_secs()).is_ok_and(|s| s == stamp.modified_secs)
                && d.subsec_nanos() == stamp.modified_nanos
        })
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, buf, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// A text read for the store, with the stamp its file had before and
/// after the read.
fn read_for_store(real_root: &Path, doc: &Doc, started: SystemTime) -> Option<(FileStamp, String)> {
    let (
        DocSource::File {
            relative,
            size,
            modified,
            ..
        },
        Some(path),
    ) = (&doc.source, doc.file())
    else {
        return None;
    };
    let path = path.as_path();
    let before = FileStamp::of(&fs::symlink_metadata(path).ok()?);
    if !cacheable(&before, started) || !same_version(&before, *size, *modified) {
        return None;
    }
    let text = read_back_under(real_root, path, relative, Some((*size, *modified))).ok()?;
    let after = FileStamp::of(&fs::symlink_metadata(path).ok()?);
    (after == before).then(|| (before, text.to_string()))
}

/// Removes the temporary files of `target` (`texts-HASH.PID.N.tmp`) that
/// a write left behind when its process ended mid-write (the browser quit):
/// those whose process is gone. Another live process's (a second browser
/// on the same vault, writing now) and this process's stay. Where there is
/// no `/proc` to tell, only those older than a day go.
fn remove_abandoned(target: &Path) {
    let (Some(dir), Some(stem)) = (target.parent(), target.file_stem()) else {
        return;
    };
    let prefix = format!("{}.", stem.to_string_lossy());
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    let proc_known = Path::new("/proc/self").exists();
    for entry in listing.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix)?.strip_suffix(".tmp"))
            .and_then(|rest| rest.split_once('.'))
            .and_then(|(pid, n)| n.parse::<usize>().ok().and(pid.parse::<u32>().ok()))
        else {
            continue;
        };
        let abandoned = if proc_known {
            pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600)
        };
        if abandoned {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A number no other write of this process has used.
fn unique() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Writes the store of the vault at `real_root` with the texts of `docs`
/// (those read from files), as they are on disk now. Gives up, leaving the
/// old store, when `go_on` turns false; `Ok(true)` when written.
///
/// # Errors
/// When the cache folder or the file cannot be written.
pub fn write(
    dir: &Path,
    real_root: &Path,
    docs: &[Doc],
    go_on: &(dyn Fn() -> bool + Sync),
) -> io::Result<bool> {
    // As the index cache's: the notes' texts are readable by their owner
    // only.
    let mut folder = fs::DirBuilder::new();
    folder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
    folder.create(dir)?;
    let target = file_for(dir, real_root);
    remove_abandoned(&target);
    let temp = target.with_extension(format!("{}.{}.tmp", std::process::id(), unique()));
    let written = write_to(&temp, real_root, docs, go_on);
    match written {
        Ok(true) => match fs::rename(&temp, &target) {
            Ok(()) => Ok(true),
            Err(error) => {
                let _ = fs::remove_file(&temp);
                Err(error)
            }
        },
        other => {
            let _ = fs::remove_file(&temp);
            other
        }
    }
}

fn write_to(
    temp: &Path,
    real_root: &Path,
    docs: &[Doc],
    go_on: &(dyn Fn() -> bool + Sync),
) -> io::Result<bool> {
    let started = SystemTime::now();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(temp)?);
    out.write_all(&[0u8; HEADER_BYTES])?;
    let mut offset = HEADER_BYTES as u64;
    let mut entries = Vec::with_capacity(docs.len());
    for chunk in docs.chunks(WRITE_CHUNK) {
        if !go_on() {
            return Ok(false);
        }
        let texts: Vec<_> = chunk
            .par_iter()
            .map(|doc| read_for_store(real_root, doc, started))
            .collect();
        for (doc, read) in chunk.iter().zip(texts) {
            let (Some((stamp, text)), DocSource::File { relative, .. }) = (read, &doc.source)
            else {
                continue;
            };
            let Ok(len) = u32::try_from(text.len()) else {
                continue;
            };
            out.write_all(text.as_bytes())?;
            let crc = crc32fast::hash(text.as_bytes());
            entries.push((
                relative.to_string(),
                Entry {
                    stamp,
                    offset,
                    len,
                    crc,
                },
            ));
            offset += u64::from(len);
        }
    }
    let index = Index {
        root: real_root.to_string_lossy().into_owned(),
        entries,
    };
    let bytes = postcard::to_stdvec(&index).map_err(io::Error::other)?;
    out.write_all(&bytes)?;
    let mut header = [0u8; HEADER_BYTES];
    header[..8].copy_from_slice(MAGIC);
    header[8..16].copy_from_slice(&offset.to_le_bytes());
    header[16..24].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
    header[24..28].copy_from_slice(&crc32fast::hash(&bytes).to_le_bytes());
    let crc = crc32fast::hash(&header[..28]);
    header[28..].copy_from_slice(&crc.to_le_bytes());
    let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&header)?;
    file.sync_all()?;
    Ok(true)
}
