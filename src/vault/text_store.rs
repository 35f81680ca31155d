//! Note text on demand. The index keeps no text of notes read from disk
//! (see [`super::Note::text`]); opening a note reads its file back, decoded
//! and sanitised exactly as at load, and the last few texts stay cached.

use std::{
    sync::{Arc, Mutex},
    time::SystemTime,
};

use super::{NoteId, loader};

/// Texts kept after being read back: the open note, the notes around it in
/// history, and backlink sources.
const CACHED_TEXTS: usize = 64;

/// Why a note's text could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path} changed on disk after the vault was loaded; restart vidwiki to read it again")]
    Changed { path: String },
}

#[derive(Debug, Default)]
pub struct TextCache {
    recent: Mutex<Vec<(NoteId, Arc<str>)>>,
}

impl TextCache {
    pub fn get(&self, id: NoteId) -> Option<Arc<str>> {
        let mut recent = self.recent.lock().ok()?;
        let at = recent.iter().position(|(i, _)| *i == id)?;
        let entry = recent.remove(at);
        let text = Arc::clone(&entry.1);
        recent.push(entry);
        Some(text)
    }

    pub fn put(&self, id: NoteId, text: Arc<str>) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.retain(|(i, _)| *i != id);
            if recent.len() >= CACHED_TEXTS {
                recent.remove(0);
            }
            recent.push((id, text));
        }
    }

    /// Drops the cached text of one note (its index was replaced).
    pub fn forget(&self, id: NoteId) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.retain(|(i, _)| *i != id);
        }
    }
}

/// Reads a note's file back. With the `expected` size and modification
/// time of the load, it fails when the file changed since, because the
/// index's byte ranges would no longer fit it.
pub fn read_back(
    path: &std::path::Path,
    relative: &str,
    expected: Option<(u64, Option<SystemTime>)>,
) -> Result<Arc<str>, TextError> {
    let unreadable = |error: std::io::Error| TextError::Unreadable {
        path: relative.to_owned(),
        reason: error.to_string(),
    };
    let changed_from = |len: u64, time: Option<SystemTime>| match expected {
        Some((size, modified)) => len != size || (modified.is_some() && time != modified),
        None => false,
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if changed_from(metadata.len(), metadata.modified().ok()) {
        return Err(TextError::Changed {
            path: relative.to_owned(),
        });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    if changed_from(bytes.len() as u64, metadata.modified().ok()) {
        return Err(TextError::Changed {
            path: relative.to_owned(),
        });
    }
    Ok(Arc::from(loader::decode(&bytes).as_ref()))
}
