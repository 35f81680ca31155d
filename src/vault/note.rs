//! One note as the loader leaves it: its text and everything the single
//! parse pass found in it.

use std::{ops::Range, sync::Arc};

use serde::{Deserialize, Serialize};

use super::{
    problem::Problem,
    resolve::Resolution,
    time_format::{self, TimeOptions, TimeReading},
    timestamp::{Label, VideoId},
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

/// The YAML block at the top of a note. Every key is kept, in file order,
/// with its value as text, so nothing the author wrote is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    /// `videoId` exactly as written (may be invalid; see [`Note::video_id`]).
    pub video_id: Option<String>,
    pub fields: Vec<(String, String)>,
    /// Lines of the file the block spans (1-based, inclusive of `---`).
    pub lines: Option<Range<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 1..=6
    pub level: u8,
    /// Plain text of the heading, markup removed.
    pub text: String,
    /// 1-based line in the file.
    pub line: u32,
    /// Normalised key of the text; `[[note#Heading]]` is matched against it.
    pub anchor: String,
    /// Byte offset of the heading line in [`Note::text`].
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WikiLink {
    /// The target as written, trimmed, without the `#heading` part. Empty for
    /// `[[#Heading]]` (a heading of the same note).
    pub target: String,
    /// The `#heading` part, trimmed, without `#`.
    pub heading: Option<String>,
    /// The text after `|`, trimmed; `None` when absent or empty.
    pub shown: Option<String>,
    /// `![[...]]`
    pub embed: bool,
    /// True for the link of the `From: [[channel]]` line.
    pub is_channel: bool,
    /// 1-based line in the file.
    pub line: u32,
    /// Byte range of the whole `[[...]]` (with the `!` of an embed) in [`Note::text`].
    pub range: Range<usize>,
    /// Filled in when the vault is finished; `Pending` until then. Not
    /// saved with the note: resolution depends on the whole vault, so the
    /// cache keeps it apart, with the notes it was computed from (see
    /// `cache::resolved`).
    #[serde(skip)]
    pub resolution: Resolution,
}

impl WikiLink {
    /// What a reader sees: the shown text, else the target (with its heading).
    #[must_use]
    pub fn display_text(&self) -> String {
        if let Some(shown) = &self.shown {
            return shown.clone();
        }
        match (&self.heading, self.target.is_empty()) {
            (Some(h), true) => h.clone(),
            (Some(h), false) => format!("{} › {h}", self.target),
            (None, _) => self.target.clone(),
        }
    }
}

/// An ordinary Markdown link `[text](url)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkdownLink {
    pub text: String,
    pub url: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamp {
    /// The `data-t` value as written (or the text of a `[[00:01:07]]` link).
    pub label: Label,
    /// `None` when the value makes no sense; such a timestamp is shown as
    /// text and is never copied.
    pub seconds: Option<u32>,
    /// 1-based line in the file.
    pub line: u32,
    /// Index into [`Note::headings`] of the section it sits in (`u32`:
    /// timestamps are the most numerous things in a vault).
    pub heading: Option<u32>,
    /// Byte range of the whole anchor `<a ...>...</a>` in [`Note::text`].
    pub range: Range<usize>,
}

/// Saved to and read from the index cache (`super::cache`) with serde: a
/// change to this struct or to any type in it must bump
/// `cache::FORMAT_VERSION`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Note {
    /// Path relative to the vault root, `/`-separated. A name that is not
    /// UTF-8 shows here with `�` (see `disk_path`).
    pub path: String,
    /// The file's real path, kept only when its name is not UTF-8 (so
    /// `path` cannot name it); the file is read by this one.
    /// Never cached (such a note is parsed again at each load).
    #[serde(skip)]
    pub disk_path: Option<std::path::PathBuf>,
    /// File name without `.md`.
    pub stem: String,
    pub title: String,
    pub title_source: TitleSource,
    pub front_matter: FrontMatter,
    /// The checked video id, when the front matter has a valid one.
    pub video_id: Option<VideoId>,
    /// The name in the `From: [[channel]]` line, as written.
    pub channel: Option<String>,
    pub headings: Vec<Heading>,
    pub links: Vec<WikiLink>,
    pub markdown_links: Vec<MarkdownLink>,
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
    let mut name = path.rsplit('/').next().unwrap_or(path);
    while let Some(stem) = without_md(name) {
        name = stem;
    }
    name.to_owned()
}

impl Note {
    /// A note known only by its path: titled by its file name, with
    /// nothing found in it yet (`parsed` false). The loader's title pass
    /// and tests start from here.
    #[must_use]
    pub fn empty(path: &str) -> Self {
        let stem = stem_of(path);
        Self {
            path: path.to_owned(),
            disk_path: None,
            title: stem.clone(),
            stem,
            title_source: TitleSource::FileName,
            front_matter: FrontMatter::default(),
            video_id: None,
            channel: None,
            headings: Vec::new(),
            links: Vec::new(),
            markdown_links: Vec::new(),
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

    /// Folder of the note relative to the vault root (`""` at the root).
    #[must_use]
    pub fn folder(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(folder, _)| folder)
    }

    /// Index of the heading whose anchor is the key of `text`.
    #[must_use]
    pub fn find_heading(&self, text: &str) -> Option<usize> {
        let key = super::key::normalize_key(text);
        self.headings.iter().position(|h| h.anchor == key)
    }
}
