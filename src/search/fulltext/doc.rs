//! The documents a search reads: notes' texts in memory or their files.

use std::{path::PathBuf, sync::Arc, time::SystemTime};

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
    /// was indexed (then it is skipped). `real_root` is a vault root
    /// already resolved (`(root, root.canonicalize())`), used when it is
    /// this note's.
    pub(super) fn text(&self, real_root: Option<&(PathBuf, PathBuf)>) -> Option<Arc<str>> {
        match &self.source {
            DocSource::Text(text) => Some(Arc::clone(text)),
            DocSource::File {
                root,
                path,
                relative,
                size,
                modified,
            } => {
                let expected = Some((*size, *modified));
                match real_root {
                    Some((known, real)) if known == root => {
                        read_back_under(real, path, relative, expected).ok()
                    }
                    _ => read_back(root, path, relative, expected).ok(),
                }
            }
        }
    }
}

/// The vault root of the first document read from disk, with its real
/// path: resolved once per search instead of once per file.
pub(super) fn real_root<'a>(mut docs: impl Iterator<Item = &'a Doc>) -> Option<(PathBuf, PathBuf)> {
    docs.find_map(|d| match &d.source {
        DocSource::File { root, .. } => {
            let real = root.canonicalize().ok()?;
            Some((root.clone(), real))
        }
        DocSource::Text(_) => None,
    })
}
