//! The persistent index: every parsed note of a vault, saved in the
//! platform's cache folder (never in the vault) so that the next load parses
//! only the files that changed.
//!
//! One file per vault, named by a hash of the vault's canonical path, in
//! `$VIDWIKI_CACHE_DIR` when set, else the platform's cache folder
//! (`$XDG_CACHE_HOME/vidwiki`, `~/.cache/vidwiki`, `~/Library/Caches/vidwiki`,
//! `%LOCALAPPDATA%\vidwiki`).
//!
//! Layout ([`layout`]): a header (magic, [`FORMAT_VERSION`], the build that
//! wrote it, see [`build`], and the offset, length and CRC-32 of each
//! section, itself under a CRC), then the sections, each postcard (serde's
//! compact binary format) and read apart: the **bodies** (each note whole,
//! with its own CRC-32), the **heads** and the **headings** of every note
//! ([`parts`]), the **resolved index** ([`resolved`]: links, channels,
//! backlinks, topics, tree, the per-note parts decodable one by one) and
//! last the **table**: the canonical root and per file its path, its
//! [`FileStamp`], where its parts lie and its body's CRC. A full load reads
//! the file whole and decodes the bodies of files whose stamp still
//! matches (an unchanged note's bytes are copied as they are into the next
//! save); a lean load ([`lean`]) reads the table and the heads and decodes
//! only the bodies it needs. A file whose magic, version, build, header,
//! checksum of a section, root or encoding is wrong is ignored whole (and
//! rewritten after the load); a note whose body does not match its CRC or
//! does not decode is parsed again. The resolved index is used only by a
//! load whose files are the entries, in order, all unchanged; any other
//! load resolves again.
//!
//! Validation per file: size, modification and change times (to the
//! nanosecond where the system keeps them), inode and device. A file whose
//! modification time is within [`RACY_MARGIN`] of the load is not cached
//! (it could change again within the clock's resolution unseen), so it is
//! parsed again next time.

use std::{
    collections::HashMap,
    fs,
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use serde::Deserialize;

use super::Note;

pub mod fill;
mod layout;
pub mod lean;
mod parts;
pub mod refresh;
pub mod resolved;
mod stamp;
pub mod stream;
mod write;

pub use write::Resolved;

use layout::{HEADER_BYTES, Section, Span};

pub use stamp::{FileStamp, cacheable};

/// Bumped whenever the layout or any type saved in it ([`Note`] and all it
/// holds) changes: a file of another version is ignored and rewritten.
pub const FORMAT_VERSION: u32 = 10;

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
    /// folder, renamed over the old one. `entries` in path order (gone
    /// through twice: for the notes, then for the table, so that no list
    /// of them is made);
    /// `resolved`, the resolved index of exactly those notes in that
    /// order ([`resolved::Snapshot::encode`], or its parts written as the
    /// file is), when there is one.
    pub fn save<'a>(
        &self,
        root: &Path,
        entries: impl Iterator<Item = SaveEntry<'a>> + Clone,
        resolved: Option<Resolved<'_>>,
    ) -> std::io::Result<()> {
        create_private_dir(&self.dir)?;
        let target = self.file_for(root);
        let temp = self
            .dir
            .join(format!(".index-{}-{}.tmp", std::process::id(), unique()));
        let spill = |what: &str| {
            self.dir
                .join(format!(".{what}-{}-{}.tmp", std::process::id(), unique()))
        };
        let spills = [spill("heads"), spill("headings")];
        let written = (|| {
            let file = fs::File::create(&temp)?;
            write::write_index(file, root, entries, resolved, &spills)?;
            fs::rename(&temp, &target)
        })();
        for path in &spills {
            let _ = fs::remove_file(path);
        }
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
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
#[derive(Debug, Clone, Copy)]
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
    /// Bytes from [`encode_note`].
    Encoded(&'a [u8]),
    /// The parts of a note as a cache file holds them.
    Stored(StoredEntry<'a>),
    /// A note just as the parser made it.
    Parsed(&'a Note),
}

/// A note as the cache keeps it (its head, headings and body, framed in one
/// buffer: see [`parts`]). Encoded before the vault reads its times under
/// other options: the cache holds what the parser made.
pub fn encode_note(note: &Note) -> Option<Vec<u8>> {
    let mut bytes = parts::encode(note)?;
    // Grown by doubling: a cold start holds every note's encoding until
    // the save, and the slack would be a third of it.
    bytes.shrink_to_fit();
    Some(bytes)
}

/// An index file as read whole: its entries borrow its bytes.
pub struct Stored {
    bytes: Vec<u8>,
    header: layout::Header,
    pub state: CacheState,
}

impl Stored {
    fn empty(state: CacheState) -> Self {
        Self {
            bytes: Vec::new(),
            header: layout::Header::default(),
            state,
        }
    }

    fn from_bytes(bytes: Vec<u8>, root: &Path) -> Self {
        match check(&bytes, root) {
            Ok(header) => Self {
                bytes,
                header,
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
        let section = |s: Section| self.header.checked(&self.bytes, s);
        let (Some(table), Some(heads), Some(headings), Some(bodies), Some(resolved)) = (
            section(Section::Table),
            section(Section::Heads),
            section(Section::Headings),
            section(Section::Bodies),
            section(Section::Resolved),
        ) else {
            return empty;
        };
        let Ok(table) = postcard::from_bytes::<layout::Table<'_>>(table) else {
            return empty;
        };
        let paths = table.entries.iter().map(|e| e.path).collect();
        let entries = table
            .entries
            .iter()
            .filter_map(|e| {
                Some((
                    e.path,
                    StoredEntry {
                        stamp: e.stamp,
                        head: e.head.of(heads)?,
                        headings: e.headings.of(headings)?,
                        note: e.body.of(bodies)?,
                        body_crc: e.body_crc,
                    },
                ))
            })
            .collect();
        StoredIndex {
            entries,
            paths,
            resolved: (!resolved.is_empty()).then_some(resolved),
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
    /// The note's parts (see [`parts`]).
    pub head: &'a [u8],
    pub headings: &'a [u8],
    /// The encoded note, whole.
    pub note: &'a [u8],
    /// The CRC-32 of `note`.
    pub body_crc: u32,
}

impl StoredEntry<'_> {
    /// The cached note for the file at `path` with stamp `now`, when the
    /// file is unchanged and the note's bytes are intact, decode and agree
    /// with it.
    #[must_use]
    pub fn note_if_fresh(&self, path: &str, now: &FileStamp) -> Option<Note> {
        if self.stamp != *now || crc32fast::hash(self.note) != self.body_crc {
            return None;
        }
        let note = parts::decode_body(self.note)?;
        parts::body_fits(&note, path, now.size, None).then_some(note)
    }
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

/// Checks an index file's header, the checksums of its sections (each
/// body's own is checked when it is decoded) and its root.
fn check(bytes: &[u8], root: &Path) -> Result<layout::Header, &'static str> {
    let header = layout::Header::decode(bytes, bytes.len() as u64)?;
    for section in [
        Section::Heads,
        Section::Headings,
        Section::Resolved,
        Section::Table,
    ] {
        if header.checked(bytes, section).is_none() {
            return Err("damaged (checksum)");
        }
    }
    let table = header
        .checked(bytes, Section::Table)
        .ok_or("damaged (checksum)")?;
    check_root(table, root)?;
    Ok(header)
}

/// Whether a table was made for the vault at `root`.
fn check_root(table: &[u8], root: &Path) -> Result<(), &'static str> {
    #[derive(Deserialize)]
    struct RootOnly<'a> {
        root: &'a str,
    }
    match postcard::take_from_bytes::<RootOnly<'_>>(table) {
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
