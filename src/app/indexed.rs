//! A whole vault handed over by the loader (every note unchanged in the
//! index cache): the picker's items are built on the loader's thread, and
//! the UI thread swaps the finished vault and items in at once, as a burst
//! is swapped in, instead of taking in 21,000 notes and 178,000 items.
//!
//! On a warm start the vault handed over is made of the notes' heads
//! (titles, headings, backlinks, tree and channels from the cache, no
//! body decoded: about 100 ms for 21,000 notes), so loading is over as
//! soon as it is in; the bodies (each note's links, resolved from the
//! cache, its timestamps, front matter and problems) follow in
//! [`LoadEvent::Bodies`] batches and are put in place as a cold load's
//! parsed notes replace the announced ones. Until a note's body is in,
//! what needs it shows "resolving…" as during a cold load, and changes
//! (the watcher, `r`, `R`, the editor's) wait: see
//! [`super::LoadProgress::settled`].

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
        match self {
            Self::Indexed(indexed) => !indexed.heads,
            Self::Event(event) => matches!(event, LoadEvent::Done | LoadEvent::Failed(_)),
            Self::Walked(_) | Self::WalkIndex(_) => false,
        }
    }
}

/// The bodies still on their way after a vault of heads was taken in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bodies {
    /// The heads did not fit the walk and went in as a title pass: the
    /// bodies go in as a cold load's notes (matched by path).
    as_notes: bool,
    /// A body did not fit its head or came unresolved: the vault is
    /// finished again (resolved) once every body is in.
    refinish: bool,
}

/// A finished vault and the picker's items for it.
#[derive(Debug)]
pub struct IndexedVault {
    vault: Vault,
    search: crate::search::NoteSearch,
    /// Its notes are heads: their bodies follow.
    heads: bool,
}

impl IndexedVault {
    /// Builds the picker's items (every note, heading and channel page)
    /// for a finished vault: the heavy part of taking it in, done by
    /// whichever thread calls this.
    #[must_use]
    pub fn prepare(vault: Vault) -> Self {
        // Half of the notes on each core (loading is not over until they
        // are in: on one thread this was a fifth of a warm start); the
        // second half is copied once into the first's buffers.
        let search = crate::search::NoteSearch::new(std::sync::Arc::new(|| {}));
        search.push_vault_on_two_threads(&vault);
        let heads = vault.notes.iter().any(|n| !n.parsed);
        Self {
            vault,
            search,
            heads,
        }
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
    /// the open note, the outline and history stay as they are. A vault of
    /// heads may come instead of the walk (a warm start): it is then the
    /// walk, and replaces the first level as the walk's tree does. A vault
    /// that does not fit (not walked first, or notes already taken in) is
    /// taken in note by note, as `Notes` and `Done` would be.
    pub(super) fn on_indexed(&mut self, indexed: IndexedVault) {
        let IndexedVault {
            mut vault,
            search,
            heads,
        } = indexed;
        let untouched = !self.load.done && self.load.loaded == 0 && self.load.titled == 0;
        // A cold start's finished vault follows the title pass, whose
        // notes took the walk's places (its ids): swapped in as well.
        let titled_only = !self.load.done && self.load.loaded == 0 && !heads;
        // A warm start's heads come without the walk's paths before them
        // (the outline shows the first level until then): they are the
        // walk, swapped in at once.
        let unwalked = heads
            && untouched
            && !self.load.walked
            && self.vault.notes.is_empty()
            && self.load.announced.is_empty();
        let fits = unwalked
            || (self.load.walked
                && (untouched || titled_only)
                && vault.notes.len() == self.vault.notes.len()
                && self.vault.notes.len() == self.load.announced.len()
                && vault
                    .notes
                    .iter()
                    .zip(&self.vault.notes)
                    .all(|(new, old)| new.path == old.path));
        if !fits && heads {
            // Heads are titles: their bodies will come as notes.
            self.load.bodies = Some(Bodies {
                as_notes: true,
                refinish: false,
            });
            self.on_load(LoadEvent::Titles(std::mem::take(&mut vault.notes)));
            return;
        }
        if !fits {
            self.on_load(LoadEvent::Notes(std::mem::take(&mut vault.notes)));
            self.on_load(LoadEvent::Done);
            return;
        }
        // The open note, parsed early from the same file, keeps its text
        // and place; another is read again and found at the same line.
        let kept = self
            .open_note()
            .and_then(|id| Some((id, self.keep_open_text(id, &vault)?)));
        if let (None, Some(id)) = (&kept, self.open_note()) {
            self.keep_place(id);
        }
        vault.time_options = self.vault.time_options;
        // The walk's problems came as events, before the vault's own.
        let mut problems = std::mem::take(&mut self.vault.problems);
        problems.append(&mut vault.problems);
        vault.problems = problems;
        self.load.bodies = heads.then(Bodies::default);
        if heads {
            // The bodies to come are the progress shown meanwhile.
            self.load.bytes = 0;
            self.load.loaded = 0;
        } else {
            self.load.bytes = vault.notes.iter().map(|n| n.size).sum();
            self.load.loaded = vault.notes.len();
        }
        self.load.titles_done = true;
        if unwalked {
            // As the walk's tree would have: it replaces the first level,
            // the selection staying on its folder, or its note (the
            // outline is built again below, by `after_done`).
            self.load.walked = true;
            self.outline.first_level = None;
        }
        let old = std::mem::replace(&mut self.vault, vault);
        // Texts read while the notes were only announced are read again,
        // checked against the parsed notes' size and time.
        self.texts = texts::NoteTexts::default();
        if let Some((id, text)) = kept {
            self.texts.set(id, texts::NoteText::Ready(text));
        }
        let mut search = search;
        search.set_query(self.search.query());
        search.set_scope(self.search.scope());
        self.search = search;
        // Its items hold the channel pages already (`after_done` would
        // push them a second time).
        self.channels_searchable = true;
        // Notes announced by the walk alone, but 21,000 of them, with
        // their keys: half of this swap's time when freed here, so freed
        // on another thread (nothing is written or read by their drop).
        rayon::spawn(move || drop(old));
        self.after_done();
    }
}

impl App {
    /// Note `id` is known by its head only, its body on its way.
    #[must_use]
    pub fn body_pending(&self, id: NoteId) -> bool {
        self.load.bodies.is_some() && self.vault.get(id).is_some_and(|n| !n.parsed)
    }

    /// The links pane of the open note needs bodies that are not in yet:
    /// its own links and timestamps, or, on the backlinks tab, the lines
    /// of the links in the notes that link here.
    #[must_use]
    pub fn links_wait_for_bodies(&self) -> bool {
        match self.page {
            Page::Note(id) => {
                self.body_pending(id)
                    || (self.load.bodies.is_some() && self.links.tab() == LinksTab::Backlinks)
            }
            _ => false,
        }
    }

    /// A note read again (or made) while the vault is of heads: it is
    /// read again once every body is in (`after_bodies`), as a change the
    /// watcher saw while loading. True when it waits.
    pub(super) fn waits_for_bodies(&mut self, path: &str) -> bool {
        let waits = self.load.bodies.is_some();
        if waits {
            self.load.touched.insert(path.to_owned());
        }
        waits
    }

    /// A batch of bodies for the heads taken in (see [`Bodies`]): each is
    /// put in place of its head, as a cold load's parsed notes are.
    pub(super) fn on_bodies(&mut self, notes: Vec<(NoteId, crate::vault::Note)>, resolved: bool) {
        let Some(bodies) = &mut self.load.bodies else {
            return;
        };
        if bodies.as_notes {
            let notes = notes.into_iter().map(|(_, note)| note).collect();
            self.on_load(LoadEvent::Notes(notes));
            return;
        }
        bodies.refinish |= !resolved;
        let mut misfit = false;
        for (id, note) in notes {
            self.load.loaded += 1;
            self.load.bytes += note.size;
            self.keep_place(id);
            if !self.vault.put_body(id, note) {
                misfit = true;
                continue;
            }
            // Read while only a head: read again with the whole note's
            // size and time to check.
            self.texts.forget(id);
            self.cache.retain(|(page, _), _| *page != Page::Note(id));
        }
        if let Some(bodies) = &mut self.load.bodies {
            bodies.refinish |= misfit;
        }
        // (The home page, which says it is loading, is drawn again once
        // every body is in: its counts and lists read every note.)
        self.refresh_links();
    }

    /// Every body is in (`Done` after them): the vault is whole, and what
    /// waited for it goes on. A vault whose bodies did not all fit is
    /// resolved again (its notes are right: only the cache's resolutions
    /// could not be trusted).
    pub(super) fn after_bodies(&mut self) {
        let Some(bodies) = self.load.bodies.take() else {
            return;
        };
        if bodies.as_notes {
            self.vault.finish();
            self.after_done();
            return;
        }
        // A note whose body did not fit its head is read again from its
        // file once the vault is whole (as a change seen while loading).
        let heads: Vec<String> = self
            .vault
            .notes
            .iter()
            .filter(|n| !n.parsed)
            .map(|n| n.path.clone())
            .collect();
        if bodies.refinish || !heads.is_empty() {
            self.vault.finish();
        }
        self.load.touched.extend(heads);
        self.cache.clear();
        self.refresh_links();
        self.after_done();
    }
}
