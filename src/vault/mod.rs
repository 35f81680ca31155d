//! The vault: every note of a folder tree, the links between them, and the
//! tree the outline shows. Knows nothing of the UI.

mod backlinks;
pub mod cache;
mod closest;
pub mod context;
pub mod finish;
pub mod frontmatter;
pub mod key;
pub mod loader;
pub(crate) mod next_match;
pub mod note;
pub mod problem;
pub mod resolve;
pub mod scan;
mod target_memo;
pub mod text_store;
pub mod time_format;
pub mod timestamp;
pub mod tree;
pub mod update;
pub mod watch;

use std::{
    collections::{HashMap, HashSet},
    path::{Path, PathBuf},
};

pub use cache::{CacheReport, CacheState, IndexCache};
pub use finish::FinishTimings;
pub use loader::{LoadError, LoadEvent, LoadTimings, load, load_cached, load_timed};
pub use note::{
    FrontMatter, Heading, HeadingRecord, Headings, LinkRecord, Links, MarkdownLink,
    MarkdownLinkRecord, MarkdownLinks, Note, NoteId, Timestamp, TitleSource, WikiLink,
};
pub use problem::{Problem, ProblemKind, Severity};
pub use resolve::{ChannelId, KeyIndex, Resolution};
pub use text_store::TextError;
pub use time_format::{TimeFormat, TimeOptions, TimeReading};
pub use timestamp::VideoId;
pub use tree::{FirstLevel, TreeNode};

use key::normalize_key;

/// A channel: the name in notes' `From: [[...]]` lines. When no note answers
/// to its name, links to it open a generated page listing its notes.
#[derive(Debug, Clone)]
pub struct Channel {
    /// The name as first written in a `From:` line.
    pub name: String,
    pub key: String,
    /// Notes whose `From:` line names this channel, sorted by title.
    pub notes: Vec<NoteId>,
    /// The note that answers to the channel's name (its index note), if any.
    pub index_note: Option<NoteId>,
}

/// A link pointing at a note, seen from the note it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    pub source: NoteId,
    /// Index into the source note's `links` (a `u32`: a vault holds a
    /// million backlinks; see [`Backlink::link`]).
    pub link: u32,
    pub line: u32,
}

impl Backlink {
    /// Index into the source note's `links`.
    #[must_use]
    pub fn link(&self) -> usize {
        self.link as usize
    }
}

/// A target that no note answers to, with how many links ask for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedTopic {
    pub key: String,
    /// The target as first written.
    pub target: String,
    /// Links that ask for it.
    pub links: usize,
    /// Distinct notes that ask for it.
    pub notes: usize,
}

/// A problem of the vault that belongs to no note (a symlink leading out).
#[derive(Debug, Clone)]
pub struct VaultProblem {
    pub path: String,
    pub problem: Problem,
}

#[derive(Debug, Default)]
pub struct Vault {
    pub root: PathBuf,
    pub notes: Vec<Note>,
    pub keys: KeyIndex,
    pub channels: Vec<Channel>,
    channel_keys: resolve::KeyMap<String, ChannelId>,
    /// Backlinks per note, in source path order.
    pub backlinks: Vec<Vec<Backlink>>,
    /// Topics without a note, most wanted first.
    pub wanted: Vec<WantedTopic>,
    pub problems: Vec<VaultProblem>,
    pub tree: Vec<TreeNode>,
    /// True once every note is loaded and every link resolved.
    pub complete: bool,
    /// How notes' times are read; notes added later follow it too.
    pub time_options: time_format::TimeOptions,
    texts: text_store::TextCache,
    /// Notes whose file went away while the vault was open (see
    /// [`update`]): ids are positions, so they stay, answering to nothing.
    removed: HashSet<NoteId>,
    /// Removed notes whose file was recognised under a new name.
    renamed: HashMap<NoteId, NoteId>,
    /// A resolved index from the cache for the next [`Vault::finish`].
    pending_resolved: Option<Box<cache::resolved::ResolvedIndex>>,
    /// The last finish took the resolved index from the cache.
    resolved_from_cache: bool,
    /// Who asks for each topic without a note, so that an update adjusts
    /// the counts of the keys it touched (see [`update`]); built on the
    /// first update after [`Vault::finish`].
    wanted_index: Option<update::WantedIndex>,
    /// This state of this vault (see [`Vault::revision`]).
    revision: Revision,
}

/// Names one state of one vault: every vault made draws a new number, and
/// so does every change to its notes or their links. Work done over a
/// vault a slice at a time between frames (the resolved offer of a
/// background save) checks between slices that it still reads one state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision(u64);

impl Default for Revision {
    fn default() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Self(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Vault {
    /// The vault's state now: any change to its notes or links since
    /// gives another.
    #[must_use]
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// Called by every change to the notes or their links.
    fn revised(&mut self) {
        self.revision = Revision::default();
    }

    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            ..Self::default()
        }
    }

    /// The vault's name: its folder name.
    #[must_use]
    pub fn name(&self) -> String {
        let canonical = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        canonical.file_name().map_or_else(
            || canonical.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    #[must_use]
    pub fn note(&self, id: NoteId) -> &Note {
        &self.notes[id.index()]
    }

    #[must_use]
    pub fn get(&self, id: NoteId) -> Option<&Note> {
        self.notes.get(id.index())
    }

    pub fn ids(&self) -> impl Iterator<Item = NoteId> + use<> {
        (0..u32::try_from(self.notes.len()).unwrap_or(u32::MAX)).map(NoteId)
    }

    #[must_use]
    pub fn channel(&self, id: ChannelId) -> &Channel {
        &self.channels[id.0 as usize]
    }

    /// Adds a loaded note; it can be opened and linked to at once.
    pub fn add(&mut self, note: Note) -> NoteId {
        let keys = KeyIndex::keys_of(&note);
        self.add_keyed(note, keys)
    }

    /// [`Vault::add`] with the note's keys computed already
    /// ([`KeyIndex::keys_of`]): a loader computes them on every core.
    pub(crate) fn add_keyed(
        &mut self,
        mut note: Note,
        keys: impl std::borrow::Borrow<resolve::NoteKeys>,
    ) -> NoteId {
        self.read_times(&mut note);
        self.revised();
        let id = NoteId(u32::try_from(self.notes.len()).unwrap_or(u32::MAX));
        self.keys.insert_keys(id, keys.borrow());
        self.notes.push(note);
        self.complete = false;
        self.pending_resolved = None;
        id
    }

    /// Puts the parsed form of a note in place of the one the title pass
    /// announced, keeping its id (and so every link and search item to it).
    pub fn replace(&mut self, id: NoteId, mut note: Note) {
        self.revised();
        self.read_times(&mut note);
        let Some(slot) = self.notes.get_mut(id.index()) else {
            return;
        };
        if slot.title != note.title || slot.stem() != note.stem() {
            self.keys.remove(id, slot);
            self.keys.insert(id, &note);
        }
        *slot = note;
        self.texts.forget(id);
        self.complete = false;
        self.pending_resolved = None;
    }

    /// The loader reads times with the default options; a vault with other
    /// options (`--literal-times`) reads them again as notes arrive.
    fn read_times(&self, note: &mut Note) {
        if self.time_options != time_format::TimeOptions::default() {
            note.read_times(self.time_options);
        }
    }

    /// Whether the last [`Vault::finish`] took links, backlinks and the
    /// tree from the index cache (so the cache already holds them).
    #[must_use]
    pub fn resolved_from_cache(&self) -> bool {
        self.resolved_from_cache
    }

    /// Backlinks of a note (empty until the vault is complete).
    #[must_use]
    pub fn backlinks(&self, id: NoteId) -> &[Backlink] {
        self.backlinks.get(id.index()).map_or(&[], Vec::as_slice)
    }

    /// Counts for reports and the home page: a share of the notes on each
    /// core (every link's record is read, a cache miss for each note).
    #[must_use]
    pub fn stats(&self) -> VaultStats {
        use rayon::prelude::*;
        let notes = self
            .notes
            .par_iter()
            .map(VaultStats::of_note)
            .reduce(VaultStats::default, VaultStats::plus);
        VaultStats {
            notes: self.notes.len(),
            channels: self.channels.len(),
            ..notes
        }
    }

    /// Finds a note named on the command line: a path in the vault (with or
    /// without `.md`), a file name or a title, by the link rules. A name
    /// that matches nothing comes back with the closest titles.
    pub fn find_note(&self, name: &str) -> Result<NoteId, FindError> {
        self.lookup(name).map_err(|error| match error {
            FindError::NotFound { name, .. } => FindError::NotFound {
                suggestions: self.closest_titles(&name, 5),
                name,
            },
            ambiguous => ambiguous,
        })
    }

    /// [`Vault::find_note`] without suggestions: a path or key lookup only,
    /// cheap enough to retry as notes stream in.
    pub fn lookup(&self, name: &str) -> Result<NoteId, FindError> {
        let wanted = name.trim().trim_start_matches("./").replace('\\', "/");
        let with_md = if note::is_note_file_name(&wanted) {
            wanted.clone()
        } else {
            format!("{wanted}.md")
        };
        let candidates = self
            .keys
            .candidates(&normalize_key(note::stem_in(&with_md)));
        if let Some(&id) = candidates.iter().find(|&&id| self.note(id).path == with_md) {
            return Ok(id);
        }
        match candidates {
            [] => Err(FindError::NotFound {
                name: name.to_owned(),
                suggestions: Vec::new(),
            }),
            [one] => Ok(*one),
            many => {
                let mut paths: Vec<String> =
                    many.iter().map(|&id| self.note(id).path.clone()).collect();
                paths.sort();
                Err(FindError::Ambiguous {
                    name: name.to_owned(),
                    candidates: paths,
                })
            }
        }
    }

    /// The text of a note: kept in memory for notes made from bytes, else
    /// read back from its file (and cached). All the note's ranges index it.
    pub fn text(&self, id: NoteId) -> Result<std::sync::Arc<str>, TextError> {
        let note = self.note(id);
        if let Some(text) = &note.text {
            return Ok(std::sync::Arc::clone(text));
        }
        if let Some(text) = self.texts.get(id) {
            return Ok(text);
        }
        if !note.parsed {
            // Announced by the title pass, not parsed yet: there are no
            // ranges to keep in step with, and the parsed note will replace
            // this one, so the text is read (with every check) but not cached.
            return text_store::read_back(&self.root, &self.path_of(id), &note.path, None);
        }
        let text = text_store::read_back(
            &self.root,
            &self.path_of(id),
            &note.path,
            Some((note.size, note.modified)),
        )?;
        self.texts.put(id, std::sync::Arc::clone(&text));
        Ok(text)
    }

    /// The sentence around a byte range of a note (a link or a timestamp),
    /// as plain text; empty when the text cannot be read back.
    #[must_use]
    pub fn context(&self, id: NoteId, range: std::ops::Range<usize>) -> String {
        self.text(id)
            .map(|text| context::sentence_around(&text, range))
            .unwrap_or_default()
    }

    /// The file of a note: the root of the vault joined with its path
    /// (or its real path, for a name that is not UTF-8).
    #[must_use]
    pub fn path_of(&self, id: NoteId) -> PathBuf {
        let note = self.note(id);
        match &note.disk_path {
            Some(path) => path.clone(),
            None => self.root.join(Path::new(&note.path)),
        }
    }
}

/// Why a name given on the command line names no single note.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    #[error("no note named `{name}`")]
    NotFound {
        name: String,
        suggestions: Vec<String>,
    },
    #[error("`{name}` names several notes")]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VaultStats {
    pub notes: usize,
    pub channels: usize,
    pub links: usize,
    pub resolved: usize,
    pub ambiguous: usize,
    pub unresolved: usize,
    pub timestamps: usize,
    pub headings: usize,
    pub bytes: u64,
}

impl VaultStats {
    /// One note's counts (its links' by their records alone).
    fn of_note(note: &Note) -> Self {
        let mut stats = Self {
            links: note.links.len(),
            timestamps: note.timestamps.len(),
            headings: note.headings.len(),
            bytes: note.size,
            ..Self::default()
        };
        for link in note.links.records() {
            match link.resolution() {
                Resolution::Note { ambiguous, .. } => {
                    stats.resolved += 1;
                    stats.ambiguous += usize::from(ambiguous);
                }
                Resolution::Channel(_) => stats.resolved += 1,
                Resolution::Unresolved => stats.unresolved += 1,
                Resolution::Pending => {}
            }
        }
        stats
    }

    /// The counts of two sets of notes together.
    fn plus(self, other: Self) -> Self {
        Self {
            notes: self.notes + other.notes,
            channels: self.channels + other.channels,
            links: self.links + other.links,
            resolved: self.resolved + other.resolved,
            ambiguous: self.ambiguous + other.ambiguous,
            unresolved: self.unresolved + other.unresolved,
            timestamps: self.timestamps + other.timestamps,
            headings: self.headings + other.headings,
            bytes: self.bytes + other.bytes,
        }
    }
}
