//! A whole vault handed over by the loader (every note unchanged in the
//! index cache): the picker's items are built on the loader's thread, and
//! the UI thread swaps the finished vault and items in at once, as a burst
//! is swapped in, instead of taking in 21,000 notes and 178,000 items.

use super::*;

/// A loader's event on its way to the app; [`LoadEvent::Indexed`] made
/// ready off the UI thread first (see [`Loaded::prepare`]).
#[derive(Debug)]
pub enum Loaded {
    Event(LoadEvent),
    Indexed(Box<IndexedVault>),
    /// The walk's paths made ready, in two parts (see [`super::walked`]).
    Walked(Box<super::walked::WalkedVault>),
    WalkIndex(Box<super::walked::WalkIndex>),
}

impl Loaded {
    /// Called on the loader's thread: a finished vault gets its picker's
    /// items built there; other events pass as they are.
    #[must_use]
    pub fn prepare(event: LoadEvent) -> Self {
        match event {
            LoadEvent::Indexed(vault) => Self::Indexed(Box::new(IndexedVault::prepare(*vault))),
            event => Self::Event(event),
        }
    }

    /// Loading is over with this one.
    #[must_use]
    pub fn finishes(&self) -> bool {
        matches!(
            self,
            Self::Indexed(_) | Self::Event(LoadEvent::Done | LoadEvent::Failed(_))
        )
    }
}

/// A finished vault and the picker's items for it.
#[derive(Debug)]
pub struct IndexedVault {
    vault: Vault,
    search: crate::search::NoteSearch,
}

impl IndexedVault {
    /// Builds the picker's items (every note, heading and channel page)
    /// for a finished vault: the heavy part of taking it in, done by
    /// whichever thread calls this.
    #[must_use]
    pub fn prepare(vault: Vault) -> Self {
        // One by one, as the UI thread pushed them: built on every core
        // (`par_chunks` into stores joined after) the peak went 15 MB up.
        let search = crate::search::NoteSearch::new(std::sync::Arc::new(|| {}));
        search.push_vault(&vault);
        Self { vault, search }
    }
}

impl App {
    /// A message from the loader (see [`Loaded`]).
    pub fn on_loaded(&mut self, loaded: Loaded) {
        match loaded {
            Loaded::Event(event) => self.on_load(event),
            Loaded::Walked(walked) => self.on_walked(*walked),
            Loaded::WalkIndex(index) => self.on_walk_index(*index),
            Loaded::Indexed(indexed) => {
                self.on_indexed(*indexed);
                self.sync();
            }
        }
    }

    /// Takes a finished vault in. Its notes are those the walk announced,
    /// in the same order (the loader built it so): they keep their ids, so
    /// the open note, the outline and history stay as they are. A vault
    /// that does not fit (not walked first, or notes already taken in) is
    /// taken in note by note, as `Notes` and `Done` would be.
    pub(super) fn on_indexed(&mut self, indexed: IndexedVault) {
        let IndexedVault { mut vault, search } = indexed;
        let fits = self.load.walked
            && !self.load.done
            && self.load.loaded == 0
            && self.load.titled == 0
            && vault.notes.len() == self.vault.notes.len()
            && self.vault.notes.len() == self.load.announced.len()
            && vault
                .notes
                .iter()
                .zip(&self.vault.notes)
                .all(|(new, old)| new.path == old.path);
        if !fits {
            self.on_load(LoadEvent::Notes(std::mem::take(&mut vault.notes)));
            self.on_load(LoadEvent::Done);
            return;
        }
        if let Some(id) = self.open_note() {
            self.keep_place(id);
        }
        vault.time_options = self.vault.time_options;
        // The walk's problems came as events, before the vault's own.
        let mut problems = std::mem::take(&mut self.vault.problems);
        problems.append(&mut vault.problems);
        vault.problems = problems;
        self.load.bytes = vault.notes.iter().map(|n| n.size).sum();
        self.load.loaded = vault.notes.len();
        self.load.titles_done = true;
        let old = std::mem::replace(&mut self.vault, vault);
        // Texts read while the notes were only announced are read again,
        // checked against the parsed notes' size and time.
        self.texts = texts::NoteTexts::default();
        let mut search = search;
        search.set_query(self.search.query());
        search.set_scope(self.search.scope());
        self.search = search;
        // Notes announced by the walk alone: cheap to free here.
        drop(old);
        self.after_done();
    }
}
