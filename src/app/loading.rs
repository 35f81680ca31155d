//! Loading: notes arriving from the loader, note texts read for the app,
//! and the `--open` note waited for.

use super::{AfterFrame, indexed::IndexedVault, *};

impl App {
    /// Effects that arose outside [`Self::update`]: at start, and after a
    /// load event or a note's text (the event loop runs them the same way).
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.outbox)
    }

    /// A note's text, read as [`Effect::ReadNote`] asked, or why it could
    /// not be (the file is gone, unreadable, not a regular file, or the
    /// read took too long and was abandoned).
    pub fn on_note_text(&mut self, read: &NoteRead, result: Result<std::sync::Arc<str>, String>) {
        let id = read.note;
        // An answer to an older question (the note's parsed form replaced
        // the announced one since) is dropped; the new one is on its way.
        if self.vault.get(id).is_none() || NoteRead::of(&self.vault, id) != *read {
            return;
        }
        let ready = result.is_ok();
        self.texts.set(
            id,
            match result {
                Ok(text) => NoteText::Ready(text),
                Err(why) => NoteText::Failed(why),
            },
        );
        self.cache.retain(|(page, _), _| *page != Page::Note(id));
        if let Some(p) = &mut self.picker
            && p.preview
                .as_ref()
                .is_some_and(|pv| pv.key.note() == Some(id))
        {
            p.preview = None;
            self.update_preview();
        }
        if self.page == Page::Note(id)
            && let Some(arrival) = self.arrival.take_if(|a| a.note == id)
            && ready
        {
            self.arrive(arrival);
        }
        self.refresh_links();
        self.sync();
    }

    /// Puts the reader where they were headed once the text is there.
    pub(super) fn arrive(&mut self, arrival: Arrival) {
        self.ensure_view();
        self.note.scroll = arrival.scroll;
        self.note.cursor = arrival.cursor;
        if let Some(h) = arrival.heading {
            self.scroll_to_heading(h);
        }
        if let Some(link) = arrival.link
            && let Some(t) = self
                .view()
                .targets
                .iter()
                .position(|t| t.dest == Dest::Link(link))
        {
            self.show_linking_line(t);
        }
        if let Some(anchor) = arrival.line.as_ref().filter(|a| a.line == 0) {
            self.note.scroll = anchor.rows as usize;
        } else if let Some(anchor) = arrival.line
            && let Some(row) = editing::row_of_source_line(
                self.view(),
                anchor.find_in(self.texts.ready(arrival.note).map(|t| &**t)),
            )
        {
            self.note.scroll = row + anchor.rows as usize;
        }
        if let Some((text, line)) = arrival.find {
            self.find_at_line(text, line);
        }
    }

    /// Makes sure a note's text is known or on its way: notes made from
    /// bytes carry it; others are read by the event loop, asked for here.
    pub(super) fn request_text(&mut self, id: NoteId) {
        if self.page == Page::Note(id) {
            self.parse_early(id);
        }
        if self.texts.get(id).is_some() {
            self.texts.touch(id);
            return;
        }
        let Some(note) = self.vault.get(id) else {
            return;
        };
        if self.vault.is_removed(id) {
            return;
        }
        if let Some(text) = &note.text {
            let text = NoteText::Ready(std::sync::Arc::clone(text));
            self.texts.set(id, text);
            return;
        }
        self.texts.set(id, NoteText::Reading);
        self.outbox
            .push(Effect::ReadNote(NoteRead::of(&self.vault, id)));
    }

    /// The open note's text is still being read.
    pub(super) fn reading(&self, id: NoteId) -> bool {
        !matches!(
            self.texts.get(id),
            Some(NoteText::Ready(_) | NoteText::Failed(_))
        )
    }

    /// An event from the background loader.
    pub fn on_load(&mut self, event: LoadEvent) {
        match event {
            LoadEvent::Found { notes } => {
                self.load.expected = Some(notes);
                // Grown once, not a hundred thousand times.
                self.vault.notes.reserve(notes);
                self.load.announced.reserve(notes);
            }
            LoadEvent::Paths(paths) => self.on_walk(paths),
            LoadEvent::Titles(batch) => {
                for note in batch {
                    // A note the walk announced by its path takes its title
                    // in place (the outline's row, by id, follows).
                    let id = match self.load.announced.get(&note.path) {
                        // A note opened and parsed on its own already (see
                        // `early_parse`) keeps its parsed form.
                        Some(&id) if self.vault.note(id).parsed => id,
                        Some(&id) => {
                            self.vault.replace(id, note);
                            id
                        }
                        None => {
                            let path = note.path.clone();
                            let id = self.vault.add(note);
                            self.load.announced.insert(path, id);
                            id
                        }
                    };
                    self.search.push_title(id, self.vault.note(id));
                    self.load.title_items.insert(id);
                    self.load.titled += 1;
                }
                self.try_pending_open(false);
                self.after_titles();
            }
            LoadEvent::Notes(batch) => {
                let before = self.load.loaded;
                for note in batch {
                    self.load.bytes += note.size;
                    match self.load.announced.remove(&note.path) {
                        Some(id) => {
                            self.keep_place(id);
                            let retitled = self.vault.note(id).title != note.title;
                            self.vault.replace(id, note);
                            // Read while only announced: read again with
                            // the parsed note's size and time to check.
                            self.texts.forget(id);
                            if !self.load.title_items.remove(&id) {
                                self.search.push_note(id, self.vault.note(id));
                            } else if retitled {
                                self.load.retitled.insert(id);
                            } else {
                                self.search.push_headings(id, self.vault.note(id));
                            }
                            self.cache.retain(|(page, _), _| *page != Page::Note(id));
                        }
                        None => {
                            let id = self.vault.add(note);
                            self.search.push_note(id, self.vault.note(id));
                        }
                    }
                    self.load.loaded += 1;
                }
                self.try_pending_open(false);
                self.after_titles();
                // The home page counts every link of the vault: drawn again
                // after every batch, that made a load of notes quadratic
                // (6% of a cold start's CPU before the cold start was
                // handed over whole). Past the first screens of notes its
                // counts follow every 2,048 notes (all of them at `Done`).
                if self.vault.notes.len() <= OUTLINE_WHILE_LOADING
                    || before / OUTLINE_WHILE_LOADING != self.load.loaded / OUTLINE_WHILE_LOADING
                {
                    self.cache.retain(|(page, _), _| *page != Page::Home);
                }
                // The flat list of a loading vault is sorted by title, which
                // costs more each batch; past the first screens of notes it
                // waits for the tree (a large vault is indexed within a
                // second), so loading is not slowed down by the outline.
                if self.vault.notes.len() <= OUTLINE_WHILE_LOADING {
                    self.rebuild_outline();
                }
            }
            LoadEvent::Problem(problem) => self.vault.problems.push(problem),
            LoadEvent::Resolved(index) => self.vault.offer_resolved(*index),
            LoadEvent::Indexed(vault) => self.on_indexed(IndexedVault::prepare(*vault)),
            LoadEvent::Bodies { notes, resolved } => self.on_bodies(notes, resolved),
            LoadEvent::Done if self.load.bodies.is_some() => self.after_bodies(),
            LoadEvent::Done => {
                self.vault.finish();
                self.after_done();
            }
            LoadEvent::Failed(why) => {
                self.load.done = true;
                self.error(format!("Cannot read the vault: {why}"));
                self.load.failed = Some(why);
            }
        }
        self.sync();
    }

    /// A frame was drawn: what waited for the index to be on screen
    /// starts (the text store's preparation, see `after_done`).
    pub fn after_frame(&mut self) {
        if std::mem::take(&mut self.load.after_frame) == AfterFrame::PrepareTextStore {
            self.prepare_fulltext();
        }
    }

    /// Loading is over and the vault finished: what waited for the whole
    /// index (channels in the picker, the saved lists, the outline's tree,
    /// the links pane, notes the watcher saw touched meanwhile).
    pub(super) fn after_done(&mut self) {
        self.load.announced = HashMap::new();
        self.load.title_items = std::collections::HashSet::new();
        let retitled = std::mem::take(&mut self.load.retitled);
        if !retitled.is_empty() {
            self.search.retire_notes(&retitled);
            for &id in retitled.iter().filter(|&&id| !self.vault.is_removed(id)) {
                self.search.push_note(id, self.vault.note(id));
            }
        }
        self.load.done = true;
        self.cache.clear();
        // On a warm start the bodies still come: the text store (which
        // reads every note's file when it is missing or stale) waits for
        // them rather than take the cores from them (`after_bodies` ends
        // here again). It also waits for the frame showing the index
        // (`after_frame`): started here, its worker took the cores from
        // the rest of this swap and from that frame.
        if self.load.settled() {
            self.load.after_frame = AfterFrame::PrepareTextStore;
        }
        self.try_pending_open(true);
        self.apply_saved();
        if !self.channels_searchable {
            self.channels_searchable = true;
            let injector = self.search.injector();
            for (i, channel) in self.vault.channels.iter().enumerate() {
                let Ok(i) = u32::try_from(i) else { break };
                // As in `push_vault`: a channel with a note is that note.
                if channel.index_note.is_none() {
                    injector.push_channel(crate::vault::ChannelId(i), channel);
                }
            }
        }
        self.refresh_text_search();
        self.rebuild_outline();
        self.refresh_links();
        if self.load.bodies.is_some() {
            // Changes wait for the bodies (see `after_bodies`).
            return;
        }
        let touched = std::mem::take(&mut self.load.touched);
        let folders = std::mem::take(&mut self.load.touched_folders);
        if !touched.is_empty() || !folders.is_empty() {
            self.on_disk_changes(crate::vault::watch::Touched {
                paths: touched.into_iter().collect(),
                folders: folders.into_iter().collect(),
            });
        }
    }

    /// The walk's paths: every note is in the vault at once, named by its
    /// file until its title comes, so the outline shows the folders and
    /// the home page the counts, and a note can be opened (its links say
    /// they are resolving until the index is complete).
    fn on_walk(&mut self, paths: Vec<String>) {
        for path in paths {
            if self.load.announced.contains_key(&path) {
                continue;
            }
            let id = self.vault.add(crate::vault::Note::empty(&path));
            self.load.announced.insert(path, id);
        }
        self.vault.tree = crate::vault::tree::build(&self.vault);
        self.after_walk();
    }

    /// Every note the walk found is in, with the folder tree: the home
    /// page counts them, the outline shows them, and a note named at
    /// start can be opened.
    pub(super) fn after_walk(&mut self) {
        self.load.walked = true;
        // The walk's tree replaces the first level (the selection stays
        // on its folder, or its note).
        self.outline.first_level = None;
        self.cache.retain(|(page, _), _| *page != Page::Home);
        self.try_pending_open(false);
        self.rebuild_outline();
    }

    /// Once every note has its title (the title pass, or a cached note),
    /// the tree is sorted by title and the channels are known from the
    /// notes' `From:` lines: the outline and the home page take them in
    /// before the full index is complete.
    fn after_titles(&mut self) {
        if !self.load.walked
            || self.load.titles_done
            || Some(self.load.titled + self.load.loaded) < self.load.expected
        {
            return;
        }
        self.load.titles_done = true;
        self.vault.collect_channels();
        self.resolve_early_again();
        self.vault.tree = crate::vault::tree::build(&self.vault);
        self.cache.retain(|(page, _), _| *page != Page::Home);
        self.rebuild_outline();
    }

    pub(super) fn try_pending_open(&mut self, finished: bool) {
        let Some(name) = self.pending_open.clone() else {
            return;
        };
        // While notes stream in, only the cheap lookup: suggestions are
        // worked out once, if the name still matches nothing at the end.
        let found = if finished {
            self.vault.find_note(&name)
        } else {
            self.vault.lookup(&name)
        };
        match found {
            Ok(id) => {
                self.pending_open = None;
                self.page = Page::Note(id);
                self.note = NoteView::default();
                if let Some(line) = self.pending_line.take() {
                    self.arrival = Some(Arrival {
                        note: id,
                        scroll: 0,
                        cursor: None,
                        heading: None,
                        link: None,
                        find: None,
                        line: Some(line),
                    });
                }
                self.outline.reveal(&self.vault, id);
                self.refresh_links();
            }
            Err(err) if finished => {
                self.pending_open = None;
                let hint = match &err {
                    crate::vault::FindError::NotFound { suggestions, .. }
                        if !suggestions.is_empty() =>
                    {
                        format!(" — did you mean “{}”?", suggestions[0])
                    }
                    crate::vault::FindError::Ambiguous { candidates, .. } => {
                        format!(": {}", candidates.join(", "))
                    }
                    crate::vault::FindError::NotFound { .. } => String::new(),
                };
                self.error(format!("{err}{hint}"));
            }
            Err(_) => {}
        }
    }
}
