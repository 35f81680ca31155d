//! Reading files: the title pass, the full read, and the [`Source`] the
//! background loader reads through.

use std::path::{Path, PathBuf};

use super::{
    FoundFile, LoadError, Walk, folder_open,
    parse::{decode, parse, parse_note},
    walk::walk,
};
use crate::vault::{
    Note,
    cache::FileStamp,
    frontmatter,
    note::TitleSource,
    problem::{Problem, ProblemKind},
    text_store::{self, MAX_NOTE_BYTES, TextError},
    timestamp::VideoId,
};

/// How much of a file the title pass reads: the front matter is at the top.
pub(super) const HEAD_BYTES: u64 = 2048;

/// The title pass: reads the head of a file and returns a note with its
/// front matter, title and video id, and nothing else (`parsed` false).
/// Two passes cost a second open of each file, but let every title reach
/// the picker in a fraction of the full parse's time.
#[must_use]
pub fn read_title(file: &FoundFile) -> Note {
    title_from_head(file, &read_head(&file.path, HEAD_BYTES).unwrap_or_default())
}

pub(super) fn title_from_head(file: &FoundFile, head: &[u8]) -> Note {
    let text = decode(head);
    let split = frontmatter::split(&text);
    let front_matter = split
        .yaml
        .map(|yaml| frontmatter::parse(yaml, 2).0)
        .unwrap_or_default();
    let mut note = Note::empty(&file.relative);
    note.disk_path = file.disk_path();
    if let Some(title) = front_matter.title() {
        title.clone_into(&mut note.title);
        note.title_source = TitleSource::FrontMatter;
    }
    note.video_id = front_matter.video_id().and_then(VideoId::parse);
    note.front_matter = front_matter;
    // The head is a prefix of the file, so where its front matter ends is
    // where the file's does: a note opened before it is parsed already
    // hides its front matter.
    if split.yaml.is_some() {
        note.body_start = split.body_start;
    }
    note.channel = channel_in_head(&text, split.body_start);
    note
}

/// The channel a head names on its `From:` line (the first line of the
/// body that is not blank or a heading), read as the full parse reads it
/// but scanning that one line only: the home page lists channels before
/// the notes are parsed. A line cut off by the head's end is not trusted.
fn channel_in_head(text: &str, body_start: usize) -> Option<String> {
    let body = text.get(body_start..)?;
    let mut lines = body.split_inclusive('\n');
    let line = lines.find(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#')
    })?;
    if !line.ends_with('\n') || !line.trim_start().starts_with("From:") {
        return None;
    }
    crate::vault::scan::scan(line.trim_start(), 0, 1).channel
}

/// Reads and parses one file; never fails: an unreadable file becomes a
/// note with a problem. The text is not kept (see [`Note::text`]).
#[must_use]
pub fn read_note(file: &FoundFile) -> Note {
    note_from_read(file, read_file(&file.path))
}

/// The first `limit` bytes of a file the walk listed (a regular file:
/// see [`text_store::listed_note_file`]).
fn read_head(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    open_listed(path)?.read_up_to(limit)
}

/// A file the walk listed, opened through its folder (see
/// [`folder_open`]) and checked to be a regular file.
fn open_listed(path: &Path) -> std::io::Result<text_store::NoteFile> {
    text_store::listed_note_file(folder_open::open_walked(path)?).map_err(io_error)
}

/// Where the background loader gets its files: the disk, or in tests a
/// fake that can be as slow as a test needs (without any sleeping).
pub trait Source: Send + Sync + 'static {
    /// Every note file, sorted by path.
    fn list(&self) -> Result<Walk, LoadError>;
    /// The first `limit` bytes of a file (for the title pass).
    fn head(&self, file: &FoundFile, limit: u64) -> std::io::Result<Vec<u8>>;
    /// A whole file and its modification time.
    fn read(&self, file: &FoundFile) -> std::io::Result<(Vec<u8>, Option<std::time::SystemTime>)>;
    /// A file as a note is made of: at most [`MAX_NOTE_BYTES`], with its
    /// size on disk (by default, `read`'s bytes are the whole file).
    fn read_note_file(&self, file: &FoundFile) -> std::io::Result<FileRead> {
        self.read(file)
            .map(|(bytes, modified)| FileRead::whole(bytes, modified))
    }
}

/// A vault folder on disk, as a loader [`Source`].
#[derive(Debug, Clone)]
pub struct DiskVault(pub PathBuf);

impl Source for DiskVault {
    fn list(&self) -> Result<Walk, LoadError> {
        walk(&self.0)
    }

    fn head(&self, file: &FoundFile, limit: u64) -> std::io::Result<Vec<u8>> {
        read_head(&file.path, limit)
    }

    fn read(&self, file: &FoundFile) -> std::io::Result<(Vec<u8>, Option<std::time::SystemTime>)> {
        read_with_time(&file.path)
    }

    fn read_note_file(&self, file: &FoundFile) -> std::io::Result<FileRead> {
        read_file(&file.path)
    }
}

/// A file as read for a note: at most [`MAX_NOTE_BYTES`] of it.
#[derive(Debug, Default)]
pub struct FileRead {
    pub bytes: Vec<u8>,
    pub modified: Option<std::time::SystemTime>,
    /// The size on disk; more than `bytes` holds when the file was cut.
    pub size: u64,
    /// The open file's stamp, for the index cache (`None` from a fake).
    pub stamp: Option<FileStamp>,
}

impl FileRead {
    /// A whole file's bytes.
    #[must_use]
    pub fn whole(bytes: Vec<u8>, modified: Option<std::time::SystemTime>) -> Self {
        let size = bytes.len() as u64;
        Self {
            bytes,
            modified,
            size,
            stamp: None,
        }
    }
}

/// Reads a note file: at most [`MAX_NOTE_BYTES`], with its modification
/// time and size from the open file. Anything but a regular file is
/// refused without blocking.
pub(super) fn read_file(path: &Path) -> std::io::Result<FileRead> {
    read_file_into(path, Vec::new())
}

/// [`read_file`] into `buffer` (its memory reused).
fn read_file_into(path: &Path, mut buffer: Vec<u8>) -> std::io::Result<FileRead> {
    let file = open_listed(path)?;
    let modified = file.metadata.modified().ok();
    let size = file.len();
    let stamp = Some(FileStamp::of(&file.metadata));
    file.read_up_to_into(MAX_NOTE_BYTES, &mut buffer)?;
    Ok(FileRead {
        bytes: buffer,
        modified,
        size,
        stamp,
    })
}

/// Reads every walked file as a full load does (on the loader's threads,
/// through their open folders, into each thread's buffer) without parsing
/// it: the reading part of a load, for the `read_floor` probe. The bytes
/// read.
#[must_use]
pub fn read_walked(files: &[FoundFile]) -> u64 {
    use rayon::prelude::*;
    let _kept = folder_open::KeptFolders::keep();
    files
        .par_iter()
        .map(|file| with_read_file(&file.path, |read| read.map_or(0, |r| r.bytes.len() as u64)))
        .sum()
}

thread_local! {
    /// Each loading thread's read buffer: the bytes of a file are dropped
    /// once it is parsed, so one buffer a thread serves every file (fresh
    /// memory for each cost page faults, and the freed buffers left holes
    /// between the notes' own allocations).
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A buffer larger than this is not kept for the next file.
const KEPT_BUFFER_BYTES: usize = 256 << 10;

/// Reads a file into this thread's buffer and gives the read to `parse`;
/// the buffer is kept for the next file.
pub(super) fn with_read_file<T>(
    path: &Path,
    parse: impl FnOnce(Result<&FileRead, &std::io::Error>) -> T,
) -> T {
    let buffer = READ_BUFFER.take();
    match read_file_into(path, buffer) {
        Ok(read) => {
            let result = parse(Ok(&read));
            if read.bytes.capacity() <= KEPT_BUFFER_BYTES {
                READ_BUFFER.set(read.bytes);
            }
            result
        }
        Err(error) => parse(Err(&error)),
    }
}

/// A refusal of [`text_store::open_note_file`] as an I/O error, for the
/// `Unreadable` problem of a note.
fn io_error(error: TextError) -> std::io::Error {
    match error {
        TextError::NotFound { .. } => std::io::Error::from(std::io::ErrorKind::NotFound),
        TextError::PermissionDenied { .. } => {
            std::io::Error::from(std::io::ErrorKind::PermissionDenied)
        }
        TextError::NotARegularFile { what, .. } => {
            std::io::Error::other(format!("not a regular file but {what}"))
        }
        other => std::io::Error::other(other.to_string()),
    }
}

fn read_with_time(path: &Path) -> std::io::Result<(Vec<u8>, Option<std::time::SystemTime>)> {
    read_file(path).map(|read| (read.bytes, read.modified))
}

pub(super) fn note_from_read(file: &FoundFile, read: std::io::Result<FileRead>) -> Note {
    note_from_read_ref(file, read.as_ref())
}

/// [`note_from_read`] of a read borrowed (from [`with_read_file`]).
pub(super) fn note_from_read_ref(
    file: &FoundFile,
    read: Result<&FileRead, &std::io::Error>,
) -> Note {
    let mut note = match read {
        Ok(read) => {
            let mut note = parse(&file.relative, &read.bytes, false);
            note.modified = read.modified;
            if read.size > read.bytes.len() as u64 {
                note.size = read.size;
                note.problems.insert(
                    0,
                    Problem::new(
                        ProblemKind::NoteTooLarge,
                        None,
                        format!(
                            "note is {:.1} MB; only its first {} MB are indexed and shown",
                            read.size as f64 / 1e6,
                            MAX_NOTE_BYTES / (1024 * 1024)
                        ),
                    ),
                );
            }
            note
        }
        Err(error) => {
            let mut note = parse_note(&file.relative, b"");
            note.text = None;
            note.problems.insert(
                0,
                Problem::new(
                    ProblemKind::Unreadable,
                    None,
                    format!("cannot read file: {error}"),
                ),
            );
            note
        }
    };
    note.disk_path = file.disk_path();
    note
}
