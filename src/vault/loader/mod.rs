//! Walks the vault and reads notes in parallel, one parse pass per note.
//!
//! The walk never leaves the vault: a symlink is followed only when its
//! real path lies inside the vault's real path, and each real folder is
//! entered once, so symlink loops end.

use std::path::PathBuf;

use super::{Note, VaultProblem};

mod folder_open;
mod load;
mod parse;
mod read;
mod refresh_index;
mod save;
mod spawn;
mod walk;
mod warm_start;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

pub use load::{LoadTimings, load, load_cached, load_timed};
pub use parse::{decode, parse_note};
pub use read::{DiskVault, FileRead, Source, read_note, read_title, read_walked};
pub use refresh_index::refresh_index;
pub use spawn::{spawn, spawn_cached, spawn_from, spawn_indexed};
pub use walk::{first_level, walk};

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

/// What the background loader tells the UI, in this order: `Found` and
/// `Paths` once, then `Titles` and `Notes` batches and `Problem`s, then `Done` (or `Failed` alone).
#[derive(Debug)]
pub enum LoadEvent {
    /// The walk is over: this many notes will come.
    Found { notes: usize },
    /// Right after `Found`: the vault path of every note the walk found,
    /// so the outline can show the folders and file names at once.
    Paths(Vec<String>),
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
    /// Just before `Done`, when every note came unchanged from the index
    /// cache: the links, backlinks and tree saved with them, for
    /// [`super::Vault::offer_resolved`] (then `finish` need not resolve).
    Resolved(Box<super::cache::resolved::ResolvedIndex>),
    /// Instead of `Notes`, `Resolved` and `Done` (see [`spawn_indexed`]):
    /// every note came unchanged from the index cache, and here is the
    /// vault finished, its notes in the order of the walk's `Paths`.
    Indexed(Box<super::Vault>),
    /// After an `Indexed` vault of heads (its notes not parsed: see
    /// [`spawn_indexed`]): the whole notes, by id, their links resolved
    /// when `resolved` (from the cache; else read and parsed again, the
    /// vault to be finished again once all are in). `Done` follows the
    /// last batch.
    Bodies {
        notes: Vec<(super::NoteId, super::Note)>,
        resolved: bool,
    },
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
