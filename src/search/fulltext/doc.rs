//! The documents a search reads: notes' texts in memory or their files.

use std::{
    path::{Path, PathBuf},
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
    /// The file's path is `root` joined with `relative` (not kept: at 100k
    /// notes the documents are built at once, and each path was a copy).
    File {
        /// The vault (one for every document): a file that leads out of it
        /// is not read.
        root: Arc<Path>,
        relative: Box<str>,
        /// The real path, when `relative` cannot name the file (not UTF-8).
        disk_path: Option<Box<Path>>,
        size: u64,
        modified: Option<SystemTime>,
    },
}

impl Doc {
    #[must_use]
    pub fn of(vault: &Vault, id: NoteId) -> Self {
        Self::of_under(vault, &Arc::from(vault.root.as_path()), id)
    }

    fn of_under(vault: &Vault, root: &Arc<Path>, id: NoteId) -> Self {
        let note = vault.note(id);
        let source = match &note.text {
            Some(text) => DocSource::Text(Arc::clone(text)),
            None => DocSource::File {
                root: Arc::clone(root),
                relative: note.path.as_str().into(),
                disk_path: note.disk_path.as_deref().map(Box::from),
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
        Self::each(vault).collect()
    }

    /// Every note of the vault, in path order, in one allocation (their
    /// count is known: no vector grown then copied).
    #[must_use]
    pub fn shared(vault: &Vault) -> Arc<[Self]> {
        Self::each(vault).collect()
    }

    fn each(vault: &Vault) -> impl Iterator<Item = Self> + '_ {
        let root = Arc::from(vault.root.as_path());
        vault.ids().map(move |id| Self::of_under(vault, &root, id))
    }

    /// The note's file, for a note of a vault on disk.
    #[must_use]
    pub fn file(&self) -> Option<PathBuf> {
        match &self.source {
            DocSource::File {
                root,
                relative,
                disk_path,
                ..
            } => Some(match disk_path {
                Some(path) => path.to_path_buf(),
                None => root.join(Path::new(&**relative)),
            }),
            DocSource::Text(_) => None,
        }
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
                relative,
                size,
                modified,
                ..
            } => {
                let path = self.file()?;
                if let Some(store) = &reader.store
                    && let Some(text) = store.text(relative, &path, *size, *modified)
                {
                    reader.from_store.fetch_add(1, Ordering::Relaxed);
                    return Some(Text::Own(text));
                }
                reader.from_files.fetch_add(1, Ordering::Relaxed);
                let expected = Some((*size, *modified));
                let text = match &reader.real_root {
                    Some((known, real)) if known.as_path() == &**root => {
                        read_back_under(real, &path, relative, expected).ok()
                    }
                    _ => read_back(root, &path, relative, expected).ok(),
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
            Some((root.to_path_buf(), real))
        }
        DocSource::Text(_) => None,
    })
}
