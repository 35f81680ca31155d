//! One note as the loader leaves it: its text and everything the single
//! parse pass found in it.

use std::sync::Arc;

mod bits;
mod front_matter;
mod heading;
mod links;
mod markdown_links;
pub(crate) mod packed_resolution;
mod record_list;
mod timestamp;
pub use front_matter::FrontMatter;
pub use heading::{Heading, HeadingRecord, Headings, HeadingsBuilder};
pub use links::{LinkRecord, Links, LinksBuilder, WikiLink};
pub use markdown_links::{MarkdownLink, MarkdownLinkRecord, MarkdownLinks, MarkdownLinksBuilder};
pub use timestamp::Timestamp;

use serde::{Deserialize, Serialize};

use super::{
    problem::Problem,
    time_format::{self, TimeOptions, TimeReading},
    timestamp::VideoId,
};

/// Index of a note in [`super::Vault::notes`]; stable for the life of a vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoteId(pub u32);

impl NoteId {
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where the title came from, in the order docs/format.md gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TitleSource {
    FrontMatter,
    FirstHeading,
    FileName,
}

/// Saved to and read from the index cache (`super::cache`) with serde: a
/// change to this struct or to any type in it must bump
/// `cache::FORMAT_VERSION`.
#[derive(Clone, Serialize, Deserialize)]
pub struct Note {
    /// Path relative to the vault root, `/`-separated. A name that is not
    /// UTF-8 shows here with `�` (see `disk_path`).
    pub path: String,
    /// The file's real path, kept only when its name is not UTF-8 (so
    /// `path` cannot name it); the file is read by this one.
    /// Never cached (such a note is parsed again at each load).
    #[serde(skip)]
    pub disk_path: Option<std::path::PathBuf>,
    pub title: String,
    pub title_source: TitleSource,
    pub front_matter: FrontMatter,
    /// The checked video id, when the front matter has a valid one.
    pub video_id: Option<VideoId>,
    /// The name in the `From: [[channel]]` line, as written.
    pub channel: Option<String>,
    pub headings: Headings,
    pub links: Links,
    pub markdown_links: MarkdownLinks,
    pub timestamps: Vec<Timestamp>,
    /// How the note's three-field times are read (`HH:MM:SS` or `MM:SS:FF`).
    pub time_reading: TimeReading,
    /// Size of the file on disk in bytes.
    pub size: u64,
    pub words: u32,
    pub problems: Vec<Problem>,
    /// The whole file as text: BOM removed, invalid UTF-8 replaced, control
    /// characters made visible (see `crate::text`). All ranges index this.
    ///
    /// Kept in memory only for notes made from bytes (`parse_note`). Notes
    /// read from a vault leave it `None`: a real vault's text is as large
    /// as the rest of the index twice over, so [`super::Vault::text`] reads
    /// it back from the file when a note is opened (and checks that the
    /// file has not changed, so every range still fits).
    #[serde(skip)]
    pub text: Option<Arc<str>>,
    /// Modification time of the file when it was read, to notice a change.
    pub modified: Option<std::time::SystemTime>,
    /// Byte offset in `text` where the body starts (after the front matter).
    pub body_start: usize,
    /// False for a note known only by its front matter so far (the
    /// loader's title pass); its headings, links and timestamps come later.
    pub parsed: bool,
}

/// As `derive(Debug)` wrote it when the stem was a field (the parse
/// probe's fingerprint hashes this form).
impl std::fmt::Debug for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Note")
            .field("path", &self.path)
            .field("disk_path", &self.disk_path)
            .field("stem", &self.stem())
            .field("title", &self.title)
            .field("title_source", &self.title_source)
            .field("front_matter", &self.front_matter)
            .field("video_id", &self.video_id)
            .field("channel", &self.channel)
            .field("headings", &self.headings)
            .field("links", &self.links)
            .field("markdown_links", &self.markdown_links)
            .field(
                "timestamps",
                &timestamp::WithSections {
                    stamps: &self.timestamps,
                    headings: &self.headings,
                },
            )
            .field("time_reading", &self.time_reading)
            .field("size", &self.size)
            .field("words", &self.words)
            .field("problems", &self.problems)
            .field("text", &self.text)
            .field("modified", &self.modified)
            .field("body_start", &self.body_start)
            .field("parsed", &self.parsed)
            .finish()
    }
}

/// Whether a file name is a note's: it ends in `.md` in any case, so
/// `Note.MD` (as some tools and case-insensitive file systems write it)
/// is a note too.
#[must_use]
pub fn is_note_file_name(name: &str) -> bool {
    without_md(name).is_some()
}

/// `name` without its `.md` (any case), if it has one.
fn without_md(name: &str) -> Option<&str> {
    let cut = name.len().checked_sub(3)?;
    let ext = name.get(cut..)?;
    ext.eq_ignore_ascii_case(".md").then(|| &name[..cut])
}

/// The file name of a note path, without `.md` (any case).
#[must_use]
pub fn stem_of(path: &str) -> String {
    stem_in(path).to_owned()
}

/// The folder of a note path relative to the vault root (`""` at the
/// root), borrowed from it.
#[must_use]
pub fn folder_in(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// [`stem_of`], borrowed from the path.
#[must_use]
pub fn stem_in(path: &str) -> &str {
    let mut name = path.rsplit('/').next().unwrap_or(path);
    while let Some(stem) = without_md(name) {
        name = stem;
    }
    name
}

impl Note {
    /// A note known only by its path: titled by its file name, with
    /// nothing found in it yet (`parsed` false). The loader's title pass
    /// and tests start from here.
    #[must_use]
    pub fn empty(path: &str) -> Self {
        Self {
            path: path.to_owned(),
            disk_path: None,
            title: stem_of(path),
            title_source: TitleSource::FileName,
            front_matter: FrontMatter::default(),
            video_id: None,
            channel: None,
            headings: Headings::default(),
            links: Links::default(),
            markdown_links: MarkdownLinks::default(),
            timestamps: Vec::new(),
            time_reading: TimeReading::default(),
            size: 0,
            words: 0,
            problems: Vec::new(),
            text: None,
            modified: None,
            body_start: 0,
            parsed: false,
        }
    }

    /// Reads the note's times again under `options` (the parse reads them
    /// with the defaults): seconds, reading and timestamp problems.
    pub fn read_times(&mut self, options: TimeOptions) {
        let (reading, problems) = time_format::settle(&mut self.timestamps, options);
        self.time_reading = reading;
        self.problems
            .retain(|p| p.kind != super::problem::ProblemKind::MalformedTimestamp);
        self.problems.extend(problems);
        self.problems.sort_by_key(|p| p.line.unwrap_or(0));
    }

    /// File name without `.md` (read from the path: kept apart, it was
    /// 7 MB at 100,000 notes).
    #[must_use]
    pub fn stem(&self) -> &str {
        stem_in(&self.path)
    }

    /// Folder of the note relative to the vault root (`""` at the root).
    #[must_use]
    pub fn folder(&self) -> &str {
        folder_in(&self.path)
    }

    /// Index of the heading whose anchor is the key of `text`.
    #[must_use]
    pub fn find_heading(&self, text: &str) -> Option<usize> {
        let key = super::key::key_of(text);
        let hash = heading::anchor_hash(&key);
        self.headings.iter().position(|h| h.anchor_is(&key, hash))
    }
}
