//! The documents a search reads: notes' texts in memory or their files.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::SystemTime,
};

use super::store::TextStore;

use crate::vault::{
    NoteId, Vault,
    text_store::{read_back, read_back_under},
};

/// One note to search. Its text is in memory for notes made from bytes;
/// for notes of a vault on disk the worker reads the file (the index keeps
/// no text), so the UI thread never does.
#[derive(Clone, Debug)]
pub struct Doc {
    pub note: NoteId,
    pub source: DocSource,
    /// Where the body starts (front matter is not searched).
    pub body_start: usize,
    /// The note's title (a term found there ranks the note first).
    pub title: Arc<str>,
}

#[derive(Clone, Debug)]
pub enum DocSource {
    Text(Arc<str>),
    File {
        /// The vault: a file that leads out of it is not read.
        root: PathBuf,
        path: PathBuf,
        relative: String,
        size: u64,
        modified: Option<SystemTime>,
    },
}

impl Doc {
    #[must_use]
    pub fn of(vault: &Vault, id: NoteId) -> Self {
        let note = vault.note(id);
        let source = match &note.text {
            Some(text) => DocSource::Text(Arc::clone(text)),
            None => DocSource::File {
                root: vault.root.clone(),
                path: vault.path_of(id),
                relative: note.path.clone(),
                size: note.size,
                modified: note.modified,
            },
        };
        Self {
            note: id,
            source,
            body_start: note.body_start,
            title: Arc::from(note.title.as_str()),
        }
    }

    /// Every note of the vault, in path order.
    #[must_use]
    pub fn all(vault: &Vault) -> Vec<Self> {
        vault.ids().map(|id| Self::of(vault, id)).collect()
    }

    /// The note's text; `None` when its file cannot be read back as it
    /// was indexed (then it is skipped). From the text store when it has
    /// the file as it is now, else from the file through the checked
    /// reader.
    pub(super) fn text(&self, reader: &Reader) -> Option<Text> {
        match &self.source {
            DocSource::Text(text) => Some(Text::Shared(Arc::clone(text))),
            DocSource::File {
                root,
                path,
                relative,
                size,
                modified,
            } => {
                if let Some(store) = &reader.store
                    && let Some(text) = store.text(relative, path, *size, *modified)
                {
                    reader.from_store.fetch_add(1, Ordering::Relaxed);
                    return Some(Text::Own(text));
                }
                reader.from_files.fetch_add(1, Ordering::Relaxed);
                let expected = Some((*size, *modified));
                let text = match &reader.real_root {
                    Some((known, real)) if known == root => {
                        read_back_under(real, path, relative, expected).ok()
                    }
                    _ => read_back(root, path, relative, expected).ok(),
                };
                text.map(Text::Shared)
            }
        }
    }
}

/// A note's text, shared (in memory, or read back) or read from the store.
pub(super) enum Text {
    Shared(Arc<str>),
    Own(String),
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Self::Shared(text) => text,
            Self::Own(text) => text,
        }
    }
}

/// How one search reads its documents: the vault's real root, resolved
/// once per search instead of once per file, and the text store if any;
/// counts where the texts came from (to tell when the store is worth
/// writing again).
#[derive(Default)]
pub(super) struct Reader {
    /// `(root, root.canonicalize())` of the first document read from disk.
    pub(super) real_root: Option<(PathBuf, PathBuf)>,
    pub(super) store: Option<Arc<TextStore>>,
    pub(super) from_store: AtomicUsize,
    pub(super) from_files: AtomicUsize,
}

impl Reader {
    pub(super) fn new<'a>(
        docs: impl Iterator<Item = &'a Doc>,
        store: Option<Arc<TextStore>>,
    ) -> Self {
        Self {
            real_root: real_root(docs),
            store,
            ..Self::default()
        }
    }
}

/// The vault root of the first document read from disk, with its real
/// path.
pub(super) fn real_root<'a>(mut docs: impl Iterator<Item = &'a Doc>) -> Option<(PathBuf, PathBuf)> {
    docs.find_map(|d| match &d.source {
        DocSource::File { root, .. } => {
            let real = root.canonicalize().ok()?;
            Some((root.clone(), real))
        }
        DocSource::Text(_) => None,
    })
}
