//! The texts of notes, as far as the app knows them. The app reads no file:
//! it asks for a note's text with [`super::Effect::ReadNote`], `tui.rs`
//! reads it on a worker thread (giving up after a short time), and the
//! answer comes back through [`super::App::on_note_text`]. Until then the
//! note shows "Loading…", and a read that fails shows why.

use std::{
    collections::{HashMap, VecDeque},
    path::PathBuf,
    sync::Arc,
    time::SystemTime,
};

use crate::vault::{NoteId, Vault};

/// Texts kept after being read: the open note, the notes around it in
/// history and the backlink sources on screen. Past this, the least
/// recently used is dropped (and read again if it is needed again).
const KEPT_TEXTS: usize = 64;

/// A request to read one note's text back from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRead {
    pub note: NoteId,
    /// The vault's folder: the file must be inside it.
    pub root: PathBuf,
    /// The note's path in the vault, as shown.
    pub path: String,
    /// The file to read: `root/path`, or the real bytes of a name that is
    /// not UTF-8 (which `path` shows with `�`).
    pub disk_path: PathBuf,
    /// Size and modification time at load, which the file must still
    /// have (the index's byte ranges point into it); `None` while the note
    /// was only announced by the title pass and has no ranges yet.
    pub expected: Option<(u64, Option<SystemTime>)>,
}

impl NoteRead {
    /// The request for a note of a vault.
    #[must_use]
    pub fn of(vault: &Vault, id: NoteId) -> Self {
        let note = vault.note(id);
        Self {
            note: id,
            root: vault.root.clone(),
            path: note.path.clone(),
            disk_path: vault.path_of(id),
            expected: note.parsed.then_some((note.size, note.modified)),
        }
    }
}

/// What is known of one note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteText {
    /// Asked for; the answer has not come yet.
    Reading,
    Ready(Arc<str>),
    /// Could not be read: why, in words for the reader.
    Failed(String),
}

#[derive(Debug, Default)]
pub struct NoteTexts {
    known: HashMap<NoteId, NoteText>,
    /// Least recently used first.
    order: VecDeque<NoteId>,
}

impl NoteTexts {
    #[must_use]
    pub fn get(&self, id: NoteId) -> Option<&NoteText> {
        self.known.get(&id)
    }

    /// The text, when it has been read.
    #[must_use]
    pub fn ready(&self, id: NoteId) -> Option<&Arc<str>> {
        match self.known.get(&id) {
            Some(NoteText::Ready(text)) => Some(text),
            _ => None,
        }
    }

    /// Marks a note as used now (so it is dropped last).
    pub fn touch(&mut self, id: NoteId) {
        if let Some(at) = self.order.iter().position(|i| *i == id) {
            self.order.remove(at);
            self.order.push_back(id);
        }
    }

    pub fn set(&mut self, id: NoteId, text: NoteText) {
        if self.known.insert(id, text).is_none() {
            self.order.push_back(id);
        } else {
            self.touch(id);
        }
        while self.order.len() > KEPT_TEXTS {
            // Never drop a read that is still under way: its answer would
            // come back to nothing and the note would be asked for again.
            let Some(at) = self
                .order
                .iter()
                .position(|i| !matches!(self.known.get(i), Some(NoteText::Reading)))
            else {
                break;
            };
            if let Some(old) = self.order.remove(at) {
                self.known.remove(&old);
            }
        }
    }

    /// Forgets a note's text (the note was replaced by its parsed form).
    pub fn forget(&mut self, id: NoteId) {
        if self.known.remove(&id).is_some() {
            self.order.retain(|i| *i != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// app/ does no I/O: no module of it names a way to open or read a
    /// file (the banned words are assembled so this file does not name
    /// them either). `tests/app_reads_no_file.rs` checks that this list
    /// holds every file of app/.
    #[test]
    fn the_app_reads_no_file() {
        let sources = [
            ("action.rs", include_str!("action.rs")),
            ("copy.rs", include_str!("copy.rs")),
            ("disk_changes.rs", include_str!("disk_changes.rs")),
            ("early_parse.rs", include_str!("early_parse.rs")),
            ("editing.rs", include_str!("editing.rs")),
            ("effect.rs", include_str!("effect.rs")),
            ("find.rs", include_str!("find.rs")),
            ("first_level.rs", include_str!("first_level.rs")),
            ("history.rs", include_str!("history.rs")),
            ("indexed.rs", include_str!("indexed.rs")),
            ("keymap.rs", include_str!("keymap.rs")),
            ("keymap/tests.rs", include_str!("keymap/tests.rs")),
            ("layout.rs", include_str!("layout.rs")),
            ("links.rs", include_str!("links.rs")),
            ("list_cursor.rs", include_str!("list_cursor.rs")),
            ("loading.rs", include_str!("loading.rs")),
            ("messages.rs", include_str!("messages.rs")),
            ("mod.rs", include_str!("mod.rs")),
            ("mouse.rs", include_str!("mouse.rs")),
            ("navigation.rs", include_str!("navigation.rs")),
            ("note_view.rs", include_str!("note_view.rs")),
            ("outline.rs", include_str!("outline.rs")),
            ("page.rs", include_str!("page.rs")),
            ("page/tests.rs", include_str!("page/tests.rs")),
            ("picker/geometry.rs", include_str!("picker/geometry.rs")),
            ("picker/mod.rs", include_str!("picker/mod.rs")),
            ("picker/preview.rs", include_str!("picker/preview.rs")),
            ("picker/query_edit.rs", include_str!("picker/query_edit.rs")),
            ("picker/tests.rs", include_str!("picker/tests.rs")),
            (
                "picker/text_search.rs",
                include_str!("picker/text_search.rs"),
            ),
            ("saved.rs", include_str!("saved.rs")),
            ("sync.rs", include_str!("sync.rs")),
            ("texts.rs", include_str!("texts.rs")),
            ("walked.rs", include_str!("walked.rs")),
        ];
        let banned = [
            ["std::", "fs"].concat(),
            ["File", "::"].concat(),
            ["vault.", "text("].concat(),
            ["vault.", "context("].concat(),
            ["read_", "back"].concat(),
            ["text_", "store"].concat(),
        ];
        for (name, source) in sources {
            for word in &banned {
                assert!(!source.contains(word.as_str()), "app/{name} uses {word}");
            }
        }
    }

    #[test]
    fn least_recently_used_texts_go_first_but_reads_under_way_stay() {
        let mut texts = NoteTexts::default();
        texts.set(NoteId(0), NoteText::Reading);
        for i in 1..=KEPT_TEXTS as u32 {
            texts.set(NoteId(i), NoteText::Ready(Arc::from("x")));
        }
        assert_eq!(texts.get(NoteId(0)), Some(&NoteText::Reading));
        assert!(texts.get(NoteId(1)).is_none(), "the oldest ready text went");
        texts.touch(NoteId(2));
        texts.set(NoteId(999), NoteText::Failed("gone".into()));
        assert!(texts.get(NoteId(2)).is_some(), "touched, so kept");
        assert!(texts.get(NoteId(3)).is_none());
        texts.forget(NoteId(999));
        assert!(texts.get(NoteId(999)).is_none());
    }
}
