//! Pushing items into a [`NoteSearch`](super::NoteSearch) from any
//! thread: the loader's title pass and full parse, the live vault.

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
};

use nucleo::Utf32String;

use super::{
    HEADING_SEPARATOR, SearchItem,
    store::{Display, Store, haystack},
};
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
        let text = text.as_ref();
        self.push_entry(item, Display::of(text), &haystack(text));
    }

    fn push_entry(&self, item: SearchItem, display: Display, haystack: &Utf32String) {
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(item, display, haystack.slice(..));
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
        let ascii_title = note.title.is_ascii();
        for (i, heading) in note.headings.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let item = SearchItem::heading(id, i);
            if ascii_title && heading.text().is_ascii() {
                // The common case, built in one allocation: the haystack is
                // the shown text with `>` for `›` (see [`haystack`]).
                let mut text = String::with_capacity(note.title.len() + 3 + heading.text().len());
                text.push_str(&note.title);
                text.push_str(" > ");
                text.push_str(heading.text());
                let display = u32::try_from(note.title.len() + 1).map_or_else(
                    |_| Display::Own(text.replace(" > ", HEADING_SEPARATOR).into()),
                    Display::Separator,
                );
                self.push_entry(item, display, &Utf32String::from(text));
            } else {
                self.push(
                    item,
                    format!("{}{HEADING_SEPARATOR}{}", note.title, heading.text()),
                );
            }
        }
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
        for (id, note) in vault.ids().zip(&vault.notes) {
            self.push_note(id, note);
        }
        for (i, channel) in vault.channels.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            if channel.index_note.is_none() {
                self.push_channel(ChannelId(i), channel);
            }
        }
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
