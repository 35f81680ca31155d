//! Walks the vault and reads notes in parallel, one parse pass per note.
//!
//! The walk never leaves the vault: a symlink is followed only when its
//! real path lies inside the vault's real path, and each real folder is
//! entered once, so symlink loops end.

use std::{
    collections::{HashMap, HashSet},
    fs,
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
    thread::JoinHandle,
    time::{Duration, Instant, SystemTime},
};

use rayon::prelude::*;

use super::{
    Note, Vault, VaultProblem,
    cache::{
        self, CacheReport, CacheState, FileStamp, IndexCache, SaveEntry, SavedNote, StoredEntry,
    },
    frontmatter,
    note::TitleSource,
    problem::{Problem, ProblemKind},
    scan,
    text_store::{self, MAX_NOTE_BYTES, TextError},
    time_format::TimeOptions,
    timestamp::VideoId,
};
use crate::text::sanitize_source;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot open vault {path}: {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open vault {path}: not a folder")]
    NotAFolder { path: String },
}

/// What the background loader tells the UI, in this order: `Found` once,
/// then `Notes` batches and `Problem`s, then `Done` (or `Failed` alone).
#[derive(Debug)]
pub enum LoadEvent {
    /// The walk is over: this many notes will come.
    Found { notes: usize },
    /// A batch of notes known by their front matter only (see
    /// [`read_title`]), in no particular order. Every note is announced
    /// this way first, so the whole vault's titles are searchable before
    /// the full parse is over.
    Titles(Vec<Note>),
    /// A batch of parsed notes, in no particular order. A note announced
    /// by `Titles` is replaced (matched by path).
    Notes(Vec<Note>),
    /// A problem that belongs to no note (a symlink leading out of the vault).
    Problem(VaultProblem),
    /// Every note has been sent.
    Done,
    /// The vault could not be opened at all.
    Failed(String),
}

/// A Markdown file found by the walk.
#[derive(Debug, Clone)]
pub struct FoundFile {
    pub path: PathBuf,
    /// Relative to the vault root, `/`-separated (a name that is not UTF-8
    /// shows with `�`).
    pub relative: String,
}

impl FoundFile {
    /// The real path, when `relative` cannot name the file (not UTF-8).
    fn disk_path(&self) -> Option<PathBuf> {
        self.path.to_str().is_none().then(|| self.path.clone())
    }
}

/// The result of walking a vault.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<FoundFile>,
    pub problems: Vec<VaultProblem>,
}

/// Lists every `.md` file of the vault, skipping hidden files and folders,
/// sorted by relative path.
pub fn walk(root: &Path) -> Result<Walk, LoadError> {
    let open_error = |source| LoadError::Open {
        path: root.display().to_string(),
        source,
    };
    let real_root = root.canonicalize().map_err(open_error)?;
    if !real_root.is_dir() {
        return Err(LoadError::NotAFolder {
            path: root.display().to_string(),
        });
    }
    let mut walk = Walk::default();
    let mut visited = HashSet::new();
    visited.insert(real_root.clone());
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, relative_dir)) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) => {
                walk.problems.push(VaultProblem {
                    path: relative_dir.clone(),
                    problem: Problem::new(
                        ProblemKind::Unreadable,
                        None,
                        format!("folder cannot be read: {error}"),
                    ),
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let relative = if relative_dir.is_empty() {
                name.clone()
            } else {
                format!("{relative_dir}/{name}")
            };
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let mut is_dir = file_type.is_dir();
            let mut is_file = file_type.is_file();
            if file_type.is_symlink() {
                let real = match path.canonicalize() {
                    Ok(real) => real,
                    Err(error) => {
                        let why = match error.kind() {
                            std::io::ErrorKind::NotFound => {
                                "symlink leads nowhere (its target is missing); skipped".to_owned()
                            }
                            _ if error.raw_os_error() == Some(40) => {
                                "symlink loop (it leads back to itself); skipped".to_owned()
                            }
                            _ => format!("symlink cannot be followed ({error}); skipped"),
                        };
                        walk.problems.push(VaultProblem {
                            path: relative,
                            problem: Problem::new(ProblemKind::SkippedSymlink, None, why),
                        });
                        continue;
                    }
                };
                if !real.starts_with(&real_root) {
                    walk.problems.push(VaultProblem {
                        path: relative,
                        problem: Problem::new(
                            ProblemKind::SkippedSymlink,
                            None,
                            "symlink leads out of the vault; not followed",
                        ),
                    });
                    continue;
                }
                is_dir = real.is_dir();
                is_file = real.is_file();
            }
            if is_dir {
                let real = path.canonicalize().unwrap_or_else(|_| path.clone());
                if visited.insert(real) {
                    stack.push((path, relative));
                } else if file_type.is_symlink() {
                    walk.problems.push(VaultProblem {
                        path: relative,
                        problem: Problem::new(
                            ProblemKind::SkippedSymlink,
                            None,
                            "symlink to a folder read already (a loop or a second way in); not followed",
                        ),
                    });
                }
            } else if is_file && super::note::is_note_file_name(&name) {
                // No `stat` here: reading the file gives its size and
                // time anyway, and 21,000 stats are a third of the walk.
                walk.files.push(FoundFile { path, relative });
            }
        }
    }
    walk.files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(walk)
}

/// How much of a file the title pass reads: the front matter is at the top.
const HEAD_BYTES: u64 = 2048;

/// The title pass: reads the head of a file and returns a note with its
/// front matter, title and video id, and nothing else (`parsed` false).
/// Two passes cost a second open of each file, but let every title reach
/// the picker in a fraction of the full parse's time.
#[must_use]
pub fn read_title(file: &FoundFile) -> Note {
    title_from_head(file, &read_head(&file.path, HEAD_BYTES).unwrap_or_default())
}

fn title_from_head(file: &FoundFile, head: &[u8]) -> Note {
    let text = decode(head);
    let split = frontmatter::split(&text);
    let front_matter = split
        .yaml
        .map(|yaml| frontmatter::parse(yaml, 2).0)
        .unwrap_or_default();
    let mut note = Note::empty(&file.relative);
    note.disk_path = file.disk_path();
    if let Some(title) = &front_matter.title {
        note.title.clone_from(title);
        note.title_source = TitleSource::FrontMatter;
    }
    note.video_id = front_matter.video_id.as_deref().and_then(VideoId::parse);
    note.front_matter = front_matter;
    // The head is a prefix of the file, so where its front matter ends is
    // where the file's does: a note opened before it is parsed already
    // hides its front matter.
    if split.yaml.is_some() {
        note.body_start = split.body_start;
    }
    note
}

/// Reads and parses one file; never fails: an unreadable file becomes a
/// note with a problem. The text is not kept (see [`Note::text`]).
#[must_use]
pub fn read_note(file: &FoundFile) -> Note {
    note_from_read(file, read_file(&file.path))
}

/// The first `limit` bytes of a file (a regular file: see
/// [`text_store::open_note_file`]).
fn read_head(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    text_store::open_note_file(path, "", false)
        .map_err(io_error)?
        .read_up_to(limit)
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
fn read_file(path: &Path) -> std::io::Result<FileRead> {
    let file = text_store::open_note_file(path, "", false).map_err(io_error)?;
    let modified = file.metadata.modified().ok();
    let size = file.len();
    let stamp = Some(FileStamp::of(&file.metadata));
    let bytes = file.read_up_to(MAX_NOTE_BYTES)?;
    Ok(FileRead {
        bytes,
        modified,
        size,
        stamp,
    })
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

fn note_from_read(file: &FoundFile, read: std::io::Result<FileRead>) -> Note {
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

/// A file's bytes as note text: invalid UTF-8 replaced, BOM removed,
/// control characters made visible. Reading a note back for display goes
/// through here too, so its ranges fit the text again.
#[must_use]
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    // `from_utf8` checks ASCII a word at a time; the lossy decoder walks
    // every byte. Nearly every note is valid, so try the fast check first.
    let decoded = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let without_bom = match &decoded {
        std::borrow::Cow::Borrowed(text) => {
            std::borrow::Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text))
        }
        std::borrow::Cow::Owned(text) => {
            std::borrow::Cow::Owned(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned())
        }
    };
    match without_bom {
        std::borrow::Cow::Borrowed(text) => sanitize_source(text),
        std::borrow::Cow::Owned(text) => {
            std::borrow::Cow::Owned(sanitize_source(&text).into_owned())
        }
    }
}

/// Builds a note from a file's bytes: the one parse pass of the loader.
#[must_use]
pub fn parse_note(relative: &str, bytes: &[u8]) -> Note {
    parse(relative, bytes, true)
}

fn parse(relative: &str, bytes: &[u8], keep_text: bool) -> Note {
    let mut problems = Vec::new();
    let text = decode(bytes);
    if matches!(&text, std::borrow::Cow::Owned(owned) if owned.contains('\u{fffd}'))
        && let Err(error) = std::str::from_utf8(bytes)
    {
        // Only a text that came out changed can have had bad bytes: the
        // second validation runs for those alone.
        let line = memchr::memchr_iter(b'\n', &bytes[..error.valid_up_to()]).count() + 1;
        problems.push(Problem::new(
            ProblemKind::InvalidUtf8,
            u32::try_from(line).ok(),
            "file is not valid UTF-8; bad bytes are shown as �",
        ));
    }
    let text: &str = &text;

    let split = frontmatter::split(text);
    let mut front_matter = match split.yaml {
        Some(yaml) => {
            let (fm, yaml_problems) = frontmatter::parse(yaml, 2);
            problems.extend(yaml_problems);
            fm
        }
        None => Default::default(),
    };
    front_matter.lines = split.lines.clone();
    if split.unclosed {
        problems.push(Problem::new(
            ProblemKind::UnclosedFrontMatter,
            Some(1),
            "front matter opened with `---` is never closed; the whole file is shown as text",
        ));
    }
    let body_start = split.body_start;
    let body_line =
        u32::try_from(memchr::memchr_iter(b'\n', &text.as_bytes()[..body_start]).count() + 1)
            .unwrap_or(1);
    let found = scan::scan(text, body_start, body_line);
    problems.extend(found.problems);

    let stem = super::note::stem_of(relative);
    let (title, title_source) = match (
        &front_matter.title,
        found.headings.iter().find(|h| h.level == 1),
    ) {
        (Some(title), _) => (title.clone(), TitleSource::FrontMatter),
        (None, Some(heading)) if !heading.text.is_empty() => {
            (heading.text.clone(), TitleSource::FirstHeading)
        }
        _ => (stem.clone(), TitleSource::FileName),
    };
    if title_source != TitleSource::FrontMatter {
        problems.push(Problem::new(
            ProblemKind::MissingTitle,
            split.lines.as_ref().map(|l| l.start),
            format!("no `title` in the front matter; using `{title}`"),
        ));
    }
    let video_id = front_matter.video_id.as_deref().and_then(VideoId::parse);
    match (&front_matter.video_id, &video_id) {
        (Some(raw), None) => problems.push(Problem::new(
            ProblemKind::InvalidVideoId,
            split.lines.as_ref().map(|l| l.start),
            format!(
                "videoId `{raw}` is not 11 characters of A-Z a-z 0-9 _ -; timestamps get no links"
            ),
        )),
        (None, _) if !found.timestamps.is_empty() => problems.push(Problem::new(
            ProblemKind::MissingVideoId,
            split.lines.as_ref().map(|l| l.start),
            "no `videoId` in the front matter; timestamps get no links",
        )),
        _ => {}
    }
    if let Some(problem) = bidi_problem(relative, &title, &found.links) {
        problems.push(problem);
    }
    problems.sort_by_key(|p| p.line.unwrap_or(0));
    Note {
        path: relative.to_owned(),
        disk_path: None,
        stem,
        title,
        title_source,
        front_matter,
        video_id,
        channel: found.channel,
        // Vectors grown by pushing keep up to twice their length; a vault
        // holds hundreds of thousands of these entries, so trim them.
        headings: shrunk(found.headings),
        links: shrunk(found.links),
        markdown_links: shrunk(found.markdown_links),
        timestamps: shrunk(found.timestamps),
        time_reading: found.time_reading,
        size: bytes.len() as u64,
        words: found.words,
        problems,
        text: keep_text.then(|| text.into()),
        modified: None,
        body_start,
        parsed: true,
    }
}

/// The bidirectional controls (U+202A–U+202E, U+2066–U+2069): they can
/// reorder what a terminal shows around them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One warning for a note whose name, title or links hold bidi controls.
/// They are neutralised for display; names that hold them still resolve
/// (a real vault has a channel folder wrapped in U+2068/U+2069).
fn bidi_problem(path: &str, title: &str, links: &[super::WikiLink]) -> Option<Problem> {
    let has = |s: &str| s.chars().any(is_bidi_control);
    let mut places = Vec::new();
    if has(path) {
        places.push("file name".to_owned());
    }
    if has(title) {
        places.push("title".to_owned());
    }
    let links_with = links
        .iter()
        .filter(|l| {
            has(&l.target)
                || l.shown.as_deref().is_some_and(has)
                || l.heading.as_deref().is_some_and(has)
        })
        .count();
    if links_with > 0 {
        places.push(format!("{links_with} link(s)"));
    }
    (!places.is_empty()).then(|| {
        Problem::new(
            ProblemKind::BidiControl,
            None,
            format!(
                "{} contains bidi control characters (U+202A–U+202E, U+2066–U+2069), shown neutralised",
                places.join(", ")
            ),
        )
    })
}

fn shrunk<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

/// Loads a whole vault on the calling thread (reading in parallel) and
/// finishes it. For the command line.
pub fn load(root: &Path) -> Result<Vault, LoadError> {
    load_timed(root, TimeOptions::default()).map(|(vault, _)| vault)
}

/// Where the time of a load went, for `vidwiki check --timings`.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadTimings {
    pub walk: Duration,
    /// Reading and parsing run together, file by file, on every core; the
    /// wall time of that phase is split by the share each had of the
    /// measured per-file time.
    pub read: Duration,
    pub parse: Duration,
    pub finish: super::FinishTimings,
    /// How the index cache was used (state `Off` without one).
    pub cache: CacheReport,
}

/// [`load`], with the time of each phase, reading times under `times`.
pub fn load_timed(root: &Path, times: TimeOptions) -> Result<(Vault, LoadTimings), LoadError> {
    let started = Instant::now();
    let walk = walk(root)?;
    let walked = started.elapsed();
    let read_nanos = AtomicU64::new(0);
    let parse_nanos = AtomicU64::new(0);
    let started = Instant::now();
    let notes: Vec<Note> = walk
        .files
        .par_iter()
        .map(|file| {
            let t0 = Instant::now();
            let bytes = read_file(&file.path);
            let t1 = Instant::now();
            let note = note_from_read(file, bytes);
            read_nanos.fetch_add(nanos(t1 - t0), Ordering::Relaxed);
            parse_nanos.fetch_add(nanos(t1.elapsed()), Ordering::Relaxed);
            note
        })
        .collect();
    let read_and_parse = started.elapsed();
    let (read, parse) = (read_nanos.into_inner(), parse_nanos.into_inner());
    let read_share = if read + parse == 0 {
        0.5
    } else {
        read as f64 / (read + parse) as f64
    };
    let mut vault = Vault::new(root);
    vault.time_options = times;
    vault.problems = walk.problems;
    vault.notes.reserve(notes.len());
    for note in notes {
        vault.add(note);
    }
    let finish = vault.finish_timed();
    let timings = LoadTimings {
        walk: walked,
        read: read_and_parse.mul_f64(read_share),
        parse: read_and_parse.mul_f64(1.0 - read_share),
        finish,
        cache: CacheReport::default(),
    };
    Ok((vault, timings))
}

/// A note parsed in this load, with what the cache needs to keep it.
struct Parsed {
    note: Note,
    /// The stamp, when the note may be cached, and its encoding when it
    /// was asked for.
    saved: Option<(FileStamp, Option<Vec<u8>>)>,
}

/// Reads and parses one file; keeps the file's stamp when it is old
/// enough to be trusted to the cache (see [`cache::RACY_MARGIN`]), and
/// encodes the note then if `encode` (when it will not be at hand at save
/// time).
fn parse_for_cache(
    file: &FoundFile,
    read: std::io::Result<FileRead>,
    started: SystemTime,
    encode: bool,
) -> Parsed {
    let stamp = read.as_ref().ok().and_then(|r| r.stamp);
    let note = note_from_read(file, read);
    let saved = stamp
        .filter(|stamp| file.disk_path().is_none() && cache::cacheable(stamp, started))
        .and_then(|stamp| {
            if encode {
                Some((stamp, Some(cache::encode_note(&note)?)))
            } else {
                Some((stamp, None))
            }
        });
    Parsed { note, saved }
}

/// The cached note of a file, when the file is unchanged since.
fn cached_note(entries: &HashMap<&str, StoredEntry<'_>>, file: &FoundFile) -> Option<Note> {
    if file.disk_path().is_some() {
        return None;
    }
    let entry = entries.get(file.relative.as_str())?;
    let stamp = FileStamp::of(&fs::metadata(&file.path).ok()?);
    entry.note_if_fresh(&file.relative, &stamp)
}

/// Saves the index after a load, when anything changed: notes taken from
/// the cache keep their stored bytes (`taken`), parsed ones their fresh
/// encoding or, without one, `parsed(i)` (`fresh`, by index in `files`).
fn save_index<'a>(
    cache: &IndexCache,
    real_root: &Path,
    files: &'a [FoundFile],
    taken: &HashMap<&str, StoredEntry<'a>>,
    fresh: &'a HashMap<usize, (FileStamp, Option<Vec<u8>>)>,
    parsed: impl Fn(usize) -> Option<&'a Note>,
    report: &mut CacheReport,
) {
    if report.state == CacheState::Valid && fresh.is_empty() && report.removed == 0 {
        return;
    }
    let started = Instant::now();
    let save: Vec<SaveEntry<'_>> = files
        .iter()
        .enumerate()
        .filter_map(|(i, file)| {
            let path = file.relative.as_str();
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
                    note: SavedNote::Encoded(entry.note),
                }),
            }
        })
        .collect();
    // A cache that cannot be written costs the next load time, nothing else.
    report.written = cache.save(real_root, &save).is_ok();
    report.write = started.elapsed();
}

/// [`load_timed`] through the index cache: notes of unchanged files come
/// from it, the others are read and parsed, and the cache is saved again
/// when anything changed. Without a cache, exactly [`load_timed`].
pub fn load_cached(
    root: &Path,
    times: TimeOptions,
    cache: Option<&IndexCache>,
) -> Result<(Vault, LoadTimings), LoadError> {
    let Some(cache) = cache else {
        return load_timed(root, times);
    };
    let load_started = SystemTime::now();
    let started = Instant::now();
    let walk = walk(root)?;
    let real_root = root.canonicalize().map_err(|source| LoadError::Open {
        path: root.display().to_string(),
        source,
    })?;
    let walked = started.elapsed();

    let started = Instant::now();
    let stored = cache.open(&real_root);
    let entries = stored.entries();
    let mut notes: Vec<Option<Note>> = walk
        .files
        .par_iter()
        .map(|file| cached_note(&entries, file))
        .collect();
    let mut report = CacheReport {
        state: stored.state,
        hits: notes.iter().filter(|n| n.is_some()).count(),
        read: started.elapsed(),
        ..CacheReport::default()
    };
    // Only entries this load took are saved again as they are.
    let taken: HashMap<&str, StoredEntry<'_>> = walk
        .files
        .iter()
        .zip(&notes)
        .filter(|(_, note)| note.is_some())
        .filter_map(|(file, _)| {
            let path = file.relative.as_str();
            entries.get(path).map(|entry| (path, *entry))
        })
        .collect();
    report.removed = entries.len() - taken.len();

    let started = Instant::now();
    let misses: Vec<usize> = (0..walk.files.len())
        .filter(|&i| notes[i].is_none())
        .collect();
    // Under the default time options the vault keeps notes as parsed, and
    // they are encoded as the cache is written; under others the vault
    // reads their times again, so they are encoded now.
    let encode_now = times != TimeOptions::default();
    let read_nanos = AtomicU64::new(0);
    let parse_nanos = AtomicU64::new(0);
    let parsed: Vec<(usize, Parsed)> = misses
        .par_iter()
        .map(|&i| {
            let file = &walk.files[i];
            let t0 = Instant::now();
            let read = read_file(&file.path);
            let t1 = Instant::now();
            let parsed = parse_for_cache(file, read, load_started, encode_now);
            read_nanos.fetch_add(nanos(t1 - t0), Ordering::Relaxed);
            parse_nanos.fetch_add(nanos(t1.elapsed()), Ordering::Relaxed);
            (i, parsed)
        })
        .collect();
    let read_and_parse = started.elapsed();
    report.parsed = parsed.len();
    let mut fresh = HashMap::with_capacity(parsed.len());
    for (i, Parsed { note, saved }) in parsed {
        notes[i] = Some(note);
        if let Some(saved) = saved {
            fresh.insert(i, saved);
        }
    }
    let mut vault = Vault::new(root);
    vault.time_options = times;
    vault.problems = walk.problems;
    vault.notes.reserve(notes.len());
    for note in notes.into_iter().flatten() {
        vault.add(note);
    }
    let finish = vault.finish_timed();
    save_index(
        cache,
        &real_root,
        &walk.files,
        &taken,
        &fresh,
        |i| vault.notes.get(i),
        &mut report,
    );
    let (read, parse) = (read_nanos.into_inner(), parse_nanos.into_inner());
    let read_share = if read + parse == 0 {
        0.5
    } else {
        read as f64 / (read + parse) as f64
    };
    let timings = LoadTimings {
        walk: walked,
        read: read_and_parse.mul_f64(read_share),
        parse: read_and_parse.mul_f64(1.0 - read_share),
        finish,
        cache: report,
    };
    Ok((vault, timings))
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// How many notes go in one message to the UI: small enough that the first
/// notes show at once, large enough that a 100,000-note vault is not 100,000
/// messages.
const BATCH: usize = 256;

/// Loads a vault on a background thread, sending events to `send` as notes
/// are read. `send` returns false when the receiver is gone, which stops the
/// load early (quitting during loading is instant).
pub fn spawn(
    root: PathBuf,
    send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static,
) -> JoinHandle<()> {
    spawn_from(DiskVault(root), send)
}

/// [`spawn`] over any [`Source`].
pub fn spawn_from(
    source: impl Source,
    send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let walk = match source.list() {
            Ok(walk) => walk,
            Err(error) => {
                send(LoadEvent::Failed(error.to_string()));
                return;
            }
        };
        if !send(LoadEvent::Found {
            notes: walk.files.len(),
        }) {
            return;
        }
        for problem in walk.problems {
            send(LoadEvent::Problem(problem));
        }
        // `send` fails once the receiver is gone (the user quit): every
        // pass stops at its next batch then.
        let titles = walk
            .files
            .par_chunks(BATCH * 4)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|file| {
                        title_from_head(file, &source.head(file, HEAD_BYTES).unwrap_or_default())
                    })
                    .collect::<Vec<_>>()
            })
            .try_for_each(|batch| {
                if send(LoadEvent::Titles(batch)) {
                    Ok(())
                } else {
                    Err(())
                }
            });
        if titles.is_err() {
            return;
        }
        let parsed = walk
            .files
            .par_chunks(BATCH)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|file| note_from_read(file, source.read_note_file(file)))
                    .collect::<Vec<_>>()
            })
            .try_for_each(|batch| {
                if send(LoadEvent::Notes(batch)) {
                    Ok(())
                } else {
                    Err(())
                }
            });
        if parsed.is_ok() {
            send(LoadEvent::Done);
        }
    })
}

/// [`spawn`] through the index cache: the notes of unchanged files go to
/// the UI first, in `Notes` batches (they are complete, so they need no
/// title pass); the other files then go as with [`spawn`] (`Titles`, then
/// `Notes`), and `Done`. The same events, so the UI cannot tell the
/// difference but for speed. The cache is saved after `Done`, when
/// anything changed.
#[allow(
    clippy::too_many_lines,
    reason = "the cached load's phases in order; to split with the index cache work (issue 15)"
)]
pub fn spawn_cached(
    root: PathBuf,
    cache: IndexCache,
    send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let load_started = SystemTime::now();
        let walk = match walk(&root) {
            Ok(walk) => walk,
            Err(error) => {
                send(LoadEvent::Failed(error.to_string()));
                return;
            }
        };
        let Ok(real_root) = root.canonicalize() else {
            send(LoadEvent::Failed(format!(
                "cannot open vault {}",
                root.display()
            )));
            return;
        };
        if !send(LoadEvent::Found {
            notes: walk.files.len(),
        }) {
            return;
        }
        for problem in walk.problems {
            send(LoadEvent::Problem(problem));
        }
        let files = walk.files;
        let stored = cache.open(&real_root);
        let entries = stored.entries();
        // Unchanged notes, decoded and sent batch by batch; the indexes of
        // the files they came from are kept for the save.
        let hits = files
            .par_chunks(BATCH)
            .enumerate()
            .map(|(chunk_at, chunk)| {
                let mut found = Vec::new();
                let mut batch = Vec::new();
                for (i, file) in chunk.iter().enumerate() {
                    if let Some(note) = cached_note(&entries, file) {
                        found.push(chunk_at * BATCH + i);
                        batch.push(note);
                    }
                }
                if batch.is_empty() || send(LoadEvent::Notes(batch)) {
                    Ok(found)
                } else {
                    Err(())
                }
            })
            .collect::<Result<Vec<Vec<usize>>, ()>>();
        let Ok(hits) = hits else {
            return;
        };
        let mut is_hit = vec![false; files.len()];
        for i in hits.into_iter().flatten() {
            is_hit[i] = true;
        }
        let misses: Vec<usize> = (0..files.len()).filter(|&i| !is_hit[i]).collect();
        let titles = misses.par_chunks(BATCH * 4).try_for_each(|chunk| {
            let batch = chunk.iter().map(|&i| read_title(&files[i])).collect();
            if send(LoadEvent::Titles(batch)) {
                Ok(())
            } else {
                Err(())
            }
        });
        if titles.is_err() {
            return;
        }
        let parsed = misses
            .par_chunks(BATCH)
            .map(|chunk| {
                let mut saved = Vec::new();
                let mut batch = Vec::with_capacity(chunk.len());
                for &i in chunk {
                    let file = &files[i];
                    let parsed = parse_for_cache(file, read_file(&file.path), load_started, true);
                    if let Some(entry) = parsed.saved {
                        saved.push((i, entry));
                    }
                    batch.push(parsed.note);
                }
                if send(LoadEvent::Notes(batch)) {
                    Ok(saved)
                } else {
                    Err(())
                }
            })
            .collect::<Result<Vec<_>, ()>>();
        let Ok(parsed) = parsed else {
            return;
        };
        send(LoadEvent::Done);
        let fresh: HashMap<usize, (FileStamp, Option<Vec<u8>>)> =
            parsed.into_iter().flatten().collect();
        let taken: HashMap<&str, StoredEntry<'_>> = files
            .iter()
            .zip(&is_hit)
            .filter(|(_, hit)| **hit)
            .filter_map(|(file, _)| {
                let path = file.relative.as_str();
                entries.get(path).map(|entry| (path, *entry))
            })
            .collect();
        let mut report = CacheReport {
            state: stored.state,
            hits: taken.len(),
            parsed: misses.len(),
            removed: entries.len() - taken.len(),
            ..CacheReport::default()
        };
        save_index(
            &cache,
            &real_root,
            &files,
            &taken,
            &fresh,
            |_| None,
            &mut report,
        );
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECIMEN: &str = "notes/oecdobservatoryofpublicsec3116/publicprivate_partnerships_in_technology_and_innovation.md";

    #[test]
    fn specimen_note_has_what_the_issue_says() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SPECIMEN);
        let bytes = fs::read(path).expect("specimen in notes/");
        let note = parse_note("x/specimen.md", &bytes);
        assert_eq!(
            note.title,
            "Publicprivate partnerships in technology and innovation"
        );
        assert_eq!(
            note.video_id.as_ref().map(VideoId::as_str),
            Some("HrwPuLTdHag")
        );
        assert_eq!(
            note.channel.as_deref(),
            Some("oecdobservatoryofpublicsec3116")
        );
        assert_eq!(note.headings.len(), 5);
        assert_eq!(note.links.len(), 6);
        assert_eq!(note.timestamps.len(), 40);
        assert_eq!(note.timestamps[0].seconds, Some(317));
        assert!(note.problems.is_empty(), "{:?}", note.problems);
    }

    #[test]
    fn bom_crlf_and_missing_front_matter() {
        let note = parse_note("a/b.md", b"\xef\xbb\xbf# Heading title\r\n\r\ntext <a class=\"yt-timestamp\" data-t=\"1:00\">[1:00]</a>");
        assert_eq!(note.title, "Heading title");
        assert_eq!(note.title_source, TitleSource::FirstHeading);
        let kinds: Vec<ProblemKind> = note.problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![ProblemKind::MissingTitle, ProblemKind::MissingVideoId]
        );
        assert_eq!(note.timestamps[0].seconds, Some(60));
    }

    #[test]
    fn invalid_utf8_and_escape_bytes_are_made_safe() {
        let note = parse_note(
            "bad.md",
            b"---\ntitle: T\x1b[2J\n---\nok \xff\xfe bytes \x1b]52;c;eA==\x07",
        );
        assert!(crate::text::is_terminal_safe(
            note.text.as_deref().unwrap_or_default()
        ));
        assert!(crate::text::is_terminal_safe(&note.title));
        assert_eq!(note.problems[0].kind, ProblemKind::InvalidUtf8);
        assert_eq!(note.problems[0].line, Some(4));
    }

    #[test]
    fn the_title_pass_agrees_with_the_full_parse() {
        let text = b"---\ntitle: T\nvideoId: HrwPuLTdHag\n---\n\n# H\nbody [[x]]";
        let file = FoundFile {
            path: PathBuf::from("unused"),
            relative: "a/x.md".to_owned(),
        };
        let stub = title_from_head(&file, text);
        let full = parse_note("a/x.md", text);
        assert!(!stub.parsed && full.parsed);
        assert_eq!(stub.title, full.title);
        assert_eq!(stub.body_start, full.body_start);
        assert_eq!(stub.video_id, full.video_id);
        assert!(stub.links.is_empty() && stub.text.is_none());
    }

    #[test]
    fn title_falls_back_to_file_name() {
        let note = parse_note("folder/my_note.md", b"");
        assert_eq!(note.title, "my_note");
        assert_eq!(note.title_source, TitleSource::FileName);
        assert_eq!(note.folder(), "folder");
    }

    #[test]
    fn invalid_video_id_is_an_error() {
        let note = parse_note("n.md", b"---\ntitle: T\nvideoId: nope\n---\n");
        assert_eq!(note.problems[0].kind, ProblemKind::InvalidVideoId);
        assert!(note.video_id.is_none());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::parse_note;

    /// Pieces that make the scanner's life hard, glued in any order.
    fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop::sample::select(vec![
                &b"---\n"[..],
                b"title: x\n",
                b"[[",
                b"]]",
                b"|",
                b"#",
                b"\\",
                b"`",
                b"```\n",
                b"\n",
                b"\r\n",
                b"<a class=\"yt-timestamp\" data-t=\"",
                b"00:05:17\">[00:05:17]</a>",
                b"</a>",
                b"From: ",
                b"e\xcc\x81",
                b"\xe6\x97\xa5\xe6\x9c\xac",
                b"\xf0\x9f\x98\x80",
                b"\xff\xfe",
                b"\x1b[2J",
                b"&#27;",
                b"word ",
                b"](",
                b")",
                b"[",
                b"\t",
                b"  \t",
                b"<a ",
                b"<!--",
                b"a: &a [x]\nb: *a\n",
                b"\xe2\x81\xa8",
                b"\xe2\x80\xae",
            ]),
            0..48,
        )
        .prop_map(|pieces| pieces.concat())
    }

    /// Property-test cases: `VIDWIKI_LONG_TESTS=1` runs a hundred times more.
    fn cases(normal: u32) -> u32 {
        if std::env::var_os("VIDWIKI_LONG_TESTS").is_some() {
            normal * 100
        } else {
            normal
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(256)))]
        /// Every range the index keeps must slice the note's text: the
        /// renderer, contexts and the browser all index the text with them.
        #[test]
        fn ranges_always_slice_the_text(bytes in hostile_bytes()) {
            let note = parse_note("p/n.md", &bytes);
            let text = note.text.clone().unwrap_or_default();
            prop_assert!(crate::text::is_terminal_safe(&text.replace(['\r', '\t'], " ")));
            for link in &note.links {
                prop_assert!(text.get(link.range.clone()).is_some(), "{:?}", link.range);
            }
            for stamp in &note.timestamps {
                prop_assert!(text.get(stamp.range.clone()).is_some(), "{:?}", stamp.range);
                prop_assert!(stamp.heading.is_none_or(|h| (h as usize) < note.headings.len()));
            }
            for heading in &note.headings {
                prop_assert!(text.is_char_boundary(heading.offset));
            }
            prop_assert!(text.is_char_boundary(note.body_start));
            for width in [1u16, 40, 80] {
                let _ = crate::markdown::render(&note, &text, width);
            }
        }
    }
}
