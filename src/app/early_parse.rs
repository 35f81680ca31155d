//! A note opened during a cold start's parse: the loader hands the whole
//! vault over at once when every note is parsed and finished (1.5 s and
//! more on a real vault), and until then a note is only its title and
//! its file's text. The note opened meanwhile is parsed on its own at
//! once (the [`Effect::ParseNote`] the watcher uses, off the UI thread),
//! so it shows rendered, with its timestamps and its headings in the
//! outline, its links resolved against what is known already (the walk's
//! file names and the title pass's titles). What cannot be known before
//! the whole vault is (a link nothing answers to yet, a heading of a note
//! not parsed, backlinks) says "resolving…". At the hand-over the full
//! vault's version takes its place, the text and the reader's place kept
//! (see [`App::keep_open_text`]).

use super::{
    editing::{NoteParse, Parsed},
    *,
};
use crate::vault::Resolution;

impl App {
    /// The open note `id` is only announced by a loading vault that will
    /// replace it by its parsed form: it is parsed on its own, once.
    pub(super) fn parse_early(&mut self, id: NoteId) {
        if self.load.done || self.load.bodies.is_some() || self.load.parsed_early.contains_key(&id)
        {
            return;
        }
        let Some(note) = self.vault.get(id) else {
            return;
        };
        if note.parsed
            || self.vault.is_removed(id)
            || self.load.announced.get(&note.path) != Some(&id)
        {
            return;
        }
        self.load.parsed_early.insert(id, false);
        let parse = NoteParse {
            note: id,
            path: note.path.clone(),
            file: self.vault.path_of(id),
        };
        self.outbox.push(Effect::ParseNote(parse));
    }

    /// A note parsed while the vault loads, which the load will replace
    /// (it is still announced): taken in as [`Self::parse_early`] says.
    /// `parsed` is given back when it is not such a note (a change to the
    /// vault as usual); an early parse answered after the hand-over is
    /// dropped (the vault handed over has the note already).
    pub(super) fn take_early(&mut self, parse: &NoteParse, parsed: Parsed) -> Option<Parsed> {
        let id = parse.note;
        let early = self.load.parsed_early.get(&id) == Some(&false);
        if early {
            self.load.parsed_early.insert(id, true);
        }
        if self.load.done
            || self.load.bodies.is_some()
            || self.load.announced.get(&parse.path) != Some(&id)
        {
            return (!early).then_some(parsed);
        }
        // A file gone is the load's to tell (its hand-over says so).
        let Parsed::Note(note) = parsed else {
            return None;
        };
        if note.path != parse.path {
            return None;
        }
        let open = self.page == Page::Note(id);
        // A place still on its way (the note's text is being read: a
        // heading, a line after `R`) stands; else the place on screen.
        let waiting = self.arrival.as_ref().is_some_and(|a| a.note == id);
        let place = (open && !waiting).then(|| self.anchor_of(id));
        if self.vault.note(id).title != note.title && self.load.title_items.contains(&id) {
            // The picker holds the title pass's title: its items are
            // pushed again once loading is over (as for a parsed note).
            self.load.retitled.insert(id);
        }
        self.vault.replace(id, *note);
        self.resolve_early(id);
        // Read again, checked against the parsed note's size and time;
        // the view shown stays until the text is in (no "Loading…" flash).
        self.texts.forget(id);
        if !open {
            self.cache.retain(|(page, _), _| *page != Page::Note(id));
        }
        self.rebuild_outline();
        if let Some(line) = place {
            let cursor = self.note.cursor;
            self.reopen_at_line(id, line);
            if let Some(arrival) = &mut self.arrival {
                arrival.cursor = cursor;
            }
        }
        self.refresh_links();
        self.sync();
        None
    }

    /// Resolves the links of note `id` (parsed early) against the vault
    /// as loaded so far. A link to a note known by its file name or title
    /// leads there; one that nothing answers to yet, or to a heading of a
    /// note not parsed yet, is left "resolving…" until the hand-over.
    fn resolve_early(&mut self, id: NoteId) {
        let vault = &self.vault;
        let resolutions: Vec<Resolution> = vault
            .note(id)
            .links
            .iter()
            .map(
                |link| match vault.resolve(Some(id), link.target(), link.heading()) {
                    Resolution::Note { note, heading, .. }
                        if heading.is_none()
                            && link.heading().is_some()
                            && !vault.note(note).parsed =>
                    {
                        Resolution::Pending
                    }
                    Resolution::Unresolved => Resolution::Pending,
                    known => known,
                },
            )
            .collect();
        let note = &mut self.vault.notes[id.index()];
        for (link, resolution) in note.links.iter_mut().zip(resolutions) {
            link.set_resolution(resolution);
        }
    }

    /// The open note `id` at the hand-over of a loading vault (`vault`,
    /// about to replace the one shown): when it was parsed early from the
    /// same file as the new vault's, its text (read already) is the new
    /// note's too, and renders to the same rows: it is kept, and so is the
    /// reader's place. `None` when it is to be read again.
    pub(super) fn keep_open_text(&self, id: NoteId, vault: &Vault) -> Option<std::sync::Arc<str>> {
        let (old, new) = (self.vault.get(id)?, vault.get(id)?);
        let same = old.parsed
            && new.parsed
            && old.path == new.path
            && (old.size, old.modified) == (new.size, new.modified);
        self.texts.ready(id).filter(|_| same).cloned()
    }

    /// Every title is in, and with them the channels: the links of the
    /// notes parsed early are resolved again (a channel, a note known by
    /// its title only, may answer now).
    pub(super) fn resolve_early_again(&mut self) {
        let early: Vec<NoteId> = self
            .load
            .parsed_early
            .iter()
            .filter(|&(&id, &answered)| answered && self.vault.get(id).is_some_and(|n| n.parsed))
            .map(|(&id, _)| id)
            .collect();
        for &id in &early {
            self.resolve_early(id);
            self.cache.retain(|(page, _), _| *page != Page::Note(id));
        }
        if !early.is_empty() {
            self.refresh_links();
        }
    }
}
