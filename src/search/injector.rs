//! Pushing items into a [`NoteSearch`](super::NoteSearch) from any
//! thread: the loader's title pass and full parse, the live vault.

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
};

use super::{SearchItem, store::Store};
use crate::vault::{Channel, ChannelId, Note, NoteId, Vault};

/// What injectors and the search share: items pushed but not yet taken.
pub(super) struct Inbox {
    pub(super) items: Mutex<Store>,
    pub(super) notify: Arc<dyn Fn() + Send + Sync>,
}

impl Inbox {
    pub(super) fn take(&self) -> Store {
        std::mem::take(&mut *self.items.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }
}

/// Pushes items into a [`NoteSearch`] from any thread (a loader, say).
///
/// Cheap to clone. While one is alive, [`NoteSearch::running`] stays true;
/// drop it when loading is done. After [`NoteSearch::restart`], pushes
/// through an older injector are silently ignored, so a loader of the
/// previous vault cannot leak stale items into the new one.
#[derive(Clone)]
pub struct SearchInjector {
    pub(super) inbox: Arc<Inbox>,
}

impl fmt::Debug for SearchInjector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchInjector")
            .field("injected", &self.injected())
            .finish()
    }
}

impl SearchInjector {
    /// Pushes one item with the text it is matched on and shown as. The
    /// typed helpers below build the texts; this is for them, tests and
    /// benchmarks.
    pub fn push(&self, item: SearchItem, text: impl AsRef<str>) {
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_text(item, text.as_ref());
        (self.inbox.notify)();
    }

    /// Pushes a note (its title) and each of its headings
    /// (`Note title › Heading`).
    pub fn push_note(&self, id: NoteId, note: &Note) {
        self.push_title(id, note);
        self.push_headings(id, note);
    }

    /// Pushes a note by its title only (the loader's title pass).
    pub fn push_title(&self, id: NoteId, note: &Note) {
        self.push(SearchItem::note(id), note.title.as_str());
    }

    /// Pushes the headings of a note whose title is already in.
    pub fn push_headings(&self, id: NoteId, note: &Note) {
        if note.headings.is_empty() {
            return;
        }
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_headings(id, note);
        (self.inbox.notify)();
    }

    /// Pushes a channel page (its name).
    pub fn push_channel(&self, id: ChannelId, channel: &Channel) {
        self.push(SearchItem::channel(id), channel.name.as_str());
    }

    /// Pushes every note with its headings, then every channel page.
    ///
    /// Channels that have an index note are skipped: a link to such a
    /// channel opens that note, which is already listed, so the picker
    /// would show the same destination twice.
    pub fn push_vault(&self, vault: &Vault) {
        self.push_store(Store::of_vault(vault));
    }

    /// [`Self::push_vault`] built by two threads, a half of the notes
    /// each (a vault handed over whole: the UI waits for its items).
    pub fn push_vault_on_two_threads(&self, vault: &Vault) {
        self.push_store(Store::of_vault_on_two_threads(vault));
    }

    fn push_store(&self, mut store: Store) {
        // Built apart, then taken in one lock (and one notify).
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .append(&mut store);
        (self.inbox.notify)();
    }

    /// How many items wait for the search to take them.
    #[must_use]
    pub fn injected(&self) -> u32 {
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}
