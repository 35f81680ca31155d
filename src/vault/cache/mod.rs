//! The persistent index: every parsed note of a vault, saved in the
//! platform's cache folder (never in the vault) so that the next load parses
//! only the files that changed.
//!
//! One file per vault, named by a hash of the vault's canonical path, in
//! `$VIDWIKI_CACHE_DIR` when set, else the platform's cache folder
//! (`$XDG_CACHE_HOME/vidwiki`, `~/.cache/vidwiki`, `~/Library/Caches/vidwiki`,
//! `%LOCALAPPDATA%\vidwiki`).
//!
//! Layout: a magic, [`FORMAT_VERSION`], the CRC-32 and the length of the
//! payload, the build that wrote it (see [`build`]), then the payload in postcard (serde's compact binary format):
//! the canonical root, and per file its path, its [`FileStamp`] and the note
//! encoded on its own. Notes are decoded only for files whose stamp still
//! matches, and an unchanged note's bytes are copied as they are into the
//! next save. A file whose magic, version, length, checksum, root or
//! encoding is wrong is ignored whole (and rewritten after the load); a note
//! that does not decode is parsed again. After the entries comes the
//! resolved index of exactly those notes ([`resolved`]: links, channels,
//! backlinks, topics, tree), used only by a load whose files are the
//! entries, in order, all unchanged; any other load resolves again.
//!
//! Validation per file: size, modification and change times (to the
//! nanosecond where the system keeps them), inode and device. A file whose
//! modification time is within [`RACY_MARGIN`] of the load is not cached
//! (it could change again within the clock's resolution unseen), so it is
//! parsed again next time.

use std::{
    collections::HashMap,
    fs,
    io::{Seek, Write},
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use serde::{Deserialize, Serialize};

use super::Note;

pub mod refresh;
pub mod resolved;
mod stamp;

pub use stamp::{FileStamp, cacheable};

/// Bumped whenever the layout or any type saved in it ([`Note`] and all it
/// holds) changes: a file of another version is ignored and rewritten.
pub const FORMAT_VERSION: u32 = 3;

const MAGIC: &[u8; 8] = b"VIDWIKIX";
/// Magic, version, checksum, payload length, build.
const HEADER_BYTES: usize = 8 + 4 + 4 + 8 + 8;

/// Files modified this close to the load are not trusted to the cache.
pub const RACY_MARGIN: Duration = Duration::from_secs(2);

/// The environment variable that puts the cache elsewhere (tests use it;
/// they must never write to the user's cache).
pub const CACHE_DIR_ENV: &str = "VIDWIKI_CACHE_DIR";

/// What the last open of a cache file found, for `check --timings` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheState {
    /// `--no-cache`: the cache was neither read nor written.
    #[default]
    Off,
    /// No cache file for this vault yet.
    Missing,
    /// The file was read and trusted (entry by entry).
    Valid,
    /// The file was there but ignored whole; the reason.
    Rejected(&'static str),
}

/// How a load used the cache.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheReport {
    pub state: CacheState,
    /// Notes taken from the cache.
    pub hits: usize,
    /// Notes read and parsed (new, changed, or not in the cache).
    pub parsed: usize,
    /// Cached files no longer in the vault.
    pub removed: usize,
    /// Reading and checking the cache file, stat-ing every note and
    /// decoding the unchanged ones.
    pub read: Duration,
    /// Writing the new cache file (zero when nothing changed).
    pub write: Duration,
    pub written: bool,
    /// Links, backlinks and the tree came from the cache too (every file
    /// unchanged), not from resolving the vault again.
    pub resolved: bool,
}

/// One line for `check --timings`.
impl std::fmt::Display for CacheReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        match self.state {
            CacheState::Off => return f.write_str("off (--no-cache)"),
            CacheState::Missing => f.write_str("none yet")?,
            CacheState::Valid => f.write_str("valid")?,
            CacheState::Rejected(why) => write!(f, "ignored ({why})")?,
        }
        write!(
            f,
            ": {} notes from it, {} parsed, {} removed; read {:.1} ms",
            self.hits,
            self.parsed,
            self.removed,
            ms(self.read)
        )?;
        if self.resolved {
            f.write_str("; links resolved from it")?;
        }
        if self.written {
            write!(f, ", written in {:.1} ms", ms(self.write))?;
        }
        Ok(())
    }
}

/// Where index files are kept. Counts the cache files it opens, so tests
/// can tell that `--no-cache` read nothing.
#[derive(Debug)]
pub struct IndexCache {
    dir: PathBuf,
    opened: AtomicUsize,
}

impl IndexCache {
    /// A cache in `dir`.
    #[must_use]
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            opened: AtomicUsize::new(0),
        }
    }

    /// The cache of this user: `$VIDWIKI_CACHE_DIR`, else the platform's
    /// cache folder; `None` when the platform has none.
    #[must_use]
    pub fn from_env() -> Option<Self> {
        match std::env::var_os(CACHE_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Some(Self::in_dir(dir)),
            _ => directories::ProjectDirs::from("", "", "vidwiki")
                .map(|dirs| Self::in_dir(dirs.cache_dir())),
        }
    }

    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many times a cache file was opened for reading.
    #[must_use]
    pub fn opened(&self) -> usize {
        self.opened.load(Ordering::Relaxed)
    }

    /// The index file of the vault whose canonical root is `root`.
    #[must_use]
    pub fn file_for(&self, root: &Path) -> PathBuf {
        let digest = fnv1a(root.as_os_str().as_encoded_bytes());
        self.dir.join(format!("index-{digest:016x}.bin"))
    }

    /// Reads the index file of `root` (canonical). Never fails: a missing,
    /// unreadable or damaged file gives an empty index and says why.
    #[must_use]
    pub fn open(&self, root: &Path) -> Stored {
        self.opened.fetch_add(1, Ordering::Relaxed);
        match fs::read(self.file_for(root)) {
            Ok(bytes) => Stored::from_bytes(bytes, root),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Stored::empty(CacheState::Missing)
            }
            Err(_) => Stored::empty(CacheState::Rejected("the cache file cannot be read")),
        }
    }

    /// Writes the index of `root` atomically: a temporary file in the cache
    /// folder, renamed over the old one. `entries` in path order;
    /// `resolved`, a [`resolved::Snapshot`] of exactly those notes in that
    /// order, when there is one.
    pub fn save(
        &self,
        root: &Path,
        entries: &[SaveEntry<'_>],
        resolved: Option<&[u8]>,
    ) -> std::io::Result<()> {
        let payload = SavePayload {
            root: root.to_string_lossy().into_owned(),
            entries,
            resolved: resolved.map(SavedBytes),
        };
        create_private_dir(&self.dir)?;
        let target = self.file_for(root);
        let temp = self
            .dir
            .join(format!(".index-{}-{}.tmp", std::process::id(), unique()));
        let written = (|| {
            // The payload is streamed to the file (a vault's index is tens
            // of megabytes: no second copy in memory); the header, which
            // holds its checksum and length, is written last, in place.
            let mut file = fs::File::create(&temp)?;
            file.write_all(&[0; HEADER_BYTES])?;
            let mut out = Summing {
                inner: std::io::BufWriter::with_capacity(1 << 16, file),
                crc: crc32fast::Hasher::new(),
                len: 0,
            };
            postcard::to_io(&payload, &mut out).map_err(std::io::Error::other)?;
            let Summing { crc, len, inner } = out;
            let mut file = inner.into_inner().map_err(|e| e.into_error())?;
            file.seek(std::io::SeekFrom::Start(0))?;
            file.write_all(&header(crc.finalize(), len))?;
            drop(file);
            fs::rename(&temp, &target)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }
}

/// A writer that keeps the CRC-32 and the length of what goes through it.
struct Summing<W> {
    inner: W,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Write for Summing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.crc.update(&bytes[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Creates the cache folder readable by its owner only: the index holds
/// the titles and paths of the user's notes.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// A note to save: its path, the stamp of the file it was read from and
/// the note.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SaveEntry<'a> {
    pub path: &'a str,
    pub stamp: FileStamp,
    pub note: SavedNote<'a>,
}

/// A note to save, as encoded bytes or as the note itself (encoded while
/// the file is written, so that the encodings of a whole vault are never
/// in memory at once).
#[derive(Debug, Clone, Copy)]
pub enum SavedNote<'a> {
    /// Bytes from [`encode_note`] or from a [`StoredEntry`].
    Encoded(&'a [u8]),
    /// A note just as the parser made it.
    Parsed(&'a Note),
}

impl Serialize for SavedNote<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Encoded(bytes) => serializer.serialize_bytes(bytes),
            Self::Parsed(note) => {
                let bytes = encode_note(note)
                    .ok_or_else(|| serde::ser::Error::custom("a note does not encode"))?;
                serializer.serialize_bytes(&bytes)
            }
        }
    }
}

/// A note as the cache keeps it. Encoded before the vault reads its times
/// under other options: the cache holds what the parser made.
pub fn encode_note(note: &Note) -> Option<Vec<u8>> {
    let mut bytes = postcard::to_stdvec(note).ok()?;
    // Grown by doubling: a cold start holds every note's encoding until
    // the save, and the slack would be a third of it.
    bytes.shrink_to_fit();
    Some(bytes)
}

/// An index file as read: its entries borrow its bytes.
pub struct Stored {
    bytes: Vec<u8>,
    pub state: CacheState,
}

impl Stored {
    fn empty(state: CacheState) -> Self {
        Self {
            bytes: Vec::new(),
            state,
        }
    }

    fn from_bytes(bytes: Vec<u8>, root: &Path) -> Self {
        match check(&bytes, root) {
            Ok(()) => Self {
                bytes,
                state: CacheState::Valid,
            },
            Err(why) => Self::empty(CacheState::Rejected(why)),
        }
    }

    /// The entries by path (empty unless the file was valid).
    #[must_use]
    pub fn entries(&self) -> HashMap<&str, StoredEntry<'_>> {
        self.index().entries
    }

    /// The entries by path, their order, and the resolved index saved
    /// with them (all empty unless the file was valid).
    #[must_use]
    pub fn index(&self) -> StoredIndex<'_> {
        let empty = StoredIndex {
            entries: HashMap::new(),
            paths: Vec::new(),
            resolved: None,
        };
        if self.state != CacheState::Valid {
            return empty;
        }
        match postcard::from_bytes::<Payload<'_>>(&self.bytes[HEADER_BYTES..]) {
            Ok(payload) => {
                let paths = payload.entries.iter().map(|e| e.path).collect();
                let entries = payload
                    .entries
                    .into_iter()
                    .map(|e| {
                        (
                            e.path,
                            StoredEntry {
                                stamp: e.stamp,
                                note: e.note.0,
                            },
                        )
                    })
                    .collect();
                StoredIndex {
                    entries,
                    paths,
                    resolved: payload.resolved.map(|b| b.0),
                }
            }
            Err(_) => empty,
        }
    }
}

/// An index file's content, borrowing its bytes.
pub struct StoredIndex<'a> {
    pub entries: HashMap<&'a str, StoredEntry<'a>>,
    /// The entries' paths in file order (the order of the notes the
    /// resolved index speaks of).
    pub paths: Vec<&'a str>,
    resolved: Option<&'a [u8]>,
}

impl StoredIndex<'_> {
    /// The resolved index, when the vault's files (`paths`, in the order
    /// their notes were added) are exactly the entries, in the same order.
    /// The caller must also have found every one of them unchanged.
    #[must_use]
    pub fn resolved_if_whole<'p>(
        &self,
        paths: impl ExactSizeIterator<Item = &'p str>,
    ) -> Option<resolved::Snapshot> {
        let bytes = self.resolved?;
        if paths.len() != self.paths.len() || !paths.zip(&self.paths).all(|(a, b)| a == *b) {
            return None;
        }
        resolved::Snapshot::decode(bytes)
    }

    /// Whether the file holds a resolved index at all.
    #[must_use]
    pub fn has_resolved(&self) -> bool {
        self.resolved.is_some()
    }
}

/// One cached file.
#[derive(Debug, Clone, Copy)]
pub struct StoredEntry<'a> {
    pub stamp: FileStamp,
    /// The encoded note.
    pub note: &'a [u8],
}

impl StoredEntry<'_> {
    /// The cached note for the file at `path` with stamp `now`, when the
    /// file is unchanged and the note decodes and agrees with it.
    #[must_use]
    pub fn note_if_fresh(&self, path: &str, now: &FileStamp) -> Option<Note> {
        if self.stamp != *now {
            return None;
        }
        let note: Note = postcard::from_bytes(self.note).ok()?;
        (note.path == path && note.size == now.size && note.parsed).then_some(note)
    }
}

/// What [`Payload`] reads, as written.
#[derive(Serialize)]
struct SavePayload<'a> {
    root: String,
    entries: &'a [SaveEntry<'a>],
    resolved: Option<SavedBytes<'a>>,
}

/// Bytes written as bytes (read back as a [`Blob`]).
struct SavedBytes<'a>(&'a [u8]);

impl Serialize for SavedBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

#[derive(Deserialize)]
struct Payload<'a> {
    /// Checked by [`check`] before the entries are read.
    _root: String,
    #[serde(borrow)]
    entries: Vec<PayloadEntry<'a>>,
    #[serde(borrow)]
    resolved: Option<Blob<'a>>,
}

#[derive(Deserialize)]
struct PayloadEntry<'a> {
    path: &'a str,
    stamp: FileStamp,
    #[serde(borrow)]
    note: Blob<'a>,
}

/// Bytes borrowed as bytes (written by [`SavedNote`]).
struct Blob<'a>(&'a [u8]);

impl<'de: 'a, 'a> Deserialize<'de> for Blob<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'de [u8]>::deserialize(deserializer).map(Blob)
    }
}

fn header(crc: u32, len: u64) -> [u8; HEADER_BYTES] {
    let mut header = [0; HEADER_BYTES];
    header[..8].copy_from_slice(MAGIC);
    header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[12..16].copy_from_slice(&crc.to_le_bytes());
    header[16..24].copy_from_slice(&len.to_le_bytes());
    header[24..32].copy_from_slice(&build().to_le_bytes());
    header
}

/// What made the notes of a cache file: [`FORMAT_VERSION`], the crate's
/// version, the encoding of a sample note as this build parses it (a
/// field added to [`Note`], or a parser that reads the sample otherwise,
/// changes it even when nobody bumped the version) and the size and time
/// of the running program (any rebuild or upgrade, whose parser may read
/// notes otherwise). A cache file of another build is ignored: its notes
/// are parsed again.
fn build() -> u64 {
    static BUILD: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *BUILD.get_or_init(|| {
        const SAMPLE: &str = "---\ntitle: Sample\nvideoId: HrwPuLTdHag\nother: value\n---\n\n# Sample\n\nFrom: [[Channel]]\n\n## Part\n\n[[Target#Part|shown]] ![[embed]] [text](https://example.com)\n<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a> <a class=\"yt-timestamp\" data-t=\"1:71:04\">[1:71:04]</a>\n";
        let sample = super::loader::parse_note("folder/sample.md", SAMPLE.as_bytes());
        let mut parts = FORMAT_VERSION.to_le_bytes().to_vec();
        parts.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
        parts.extend(encode_note(&sample).unwrap_or_default());
        if let Some(program) = std::env::current_exe()
            .ok()
            .and_then(|exe| fs::metadata(exe).ok())
        {
            let stamp = FileStamp::of(&program);
            parts.extend_from_slice(&stamp.size.to_le_bytes());
            parts.extend_from_slice(&stamp.modified_secs.to_le_bytes());
            parts.extend_from_slice(&stamp.modified_nanos.to_le_bytes());
        }
        fnv1a(&parts)
    })
}

/// Checks an index file's header, checksum and root.
fn check(bytes: &[u8], root: &Path) -> Result<(), &'static str> {
    if bytes.len() < HEADER_BYTES || &bytes[..8] != MAGIC {
        return Err("not a vidwiki index file");
    }
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default());
    if word(8) != FORMAT_VERSION {
        return Err("made by another version of vidwiki");
    }
    let length = u64::from_le_bytes(bytes[16..24].try_into().unwrap_or_default());
    if u64::from_le_bytes(bytes[24..32].try_into().unwrap_or_default()) != build() {
        return Err("made by another build of vidwiki");
    }
    let payload = &bytes[HEADER_BYTES..];
    if payload.len() as u64 != length {
        return Err("cut short or too long");
    }
    if crc32fast::hash(payload) != word(12) {
        return Err("damaged (checksum)");
    }
    #[derive(Deserialize)]
    struct RootOnly {
        root: String,
    }
    match postcard::take_from_bytes::<RootOnly>(payload) {
        Ok((head, _)) if head.root == root.to_string_lossy() => Ok(()),
        Ok(_) => Err("made for another vault"),
        Err(_) => Err("damaged (encoding)"),
    }
}

/// FNV-1a, 64 bits: a hash that stays the same across Rust versions, for
/// the file name (the root inside the file is what is checked).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A number no other save of this process has used (two loads of one
/// vault in one process may save at once).
fn unique() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests;
