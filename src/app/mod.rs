//! The browser's state and its one entry point, [`App::update`]: an action
//! in, effects out. No I/O and no terminal here, so every behaviour can be
//! tested by feeding keys.

pub mod action;
pub mod effect;
pub mod find;
pub mod history;
pub mod keymap;
pub mod layout;
pub mod links;
pub mod note_view;
pub mod outline;
pub mod page;
pub mod picker;
pub mod texts;

use std::collections::HashMap;

use crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

pub use action::{Action, LinksTab, Motion, Pane};
pub use effect::Effect;
pub use page::{Dest, Page, View};
pub use texts::{NoteRead, NoteText};

use crate::markdown;
use history::{History, Location};
use keymap::{Context, Key};
use layout::AppLayout;
use links::{EntryAction, LinksPane};
use note_view::NoteView;
use outline::{Outline, Row};

use crate::vault::{LoadEvent, NoteId, Resolution, Severity, Vault};

/// Caches of rendered pages are dropped past this many entries.
const CACHE_LIMIT: usize = 48;
/// Lines scrolled by one step of the mouse wheel.
const WHEEL_LINES: usize = 3;
/// Lines kept above and below the link cursor when it scrolls into view.
const CURSOR_MARGIN: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Warning,
    Error,
}

/// A report on an effect, from `tui.rs` back to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub warning: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
}

/// How far the background load has come.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadProgress {
    /// Notes the walk found, once it is over.
    pub expected: Option<usize>,
    /// Notes fully parsed.
    pub loaded: usize,
    /// Bytes of the notes parsed so far.
    pub bytes: u64,
    /// Time since loading began, kept up to date by the event loop (the
    /// app itself reads no clock), for the rate shown while loading.
    pub elapsed: std::time::Duration,
    /// Notes announced by the title pass, by path, until loading is over:
    /// their parsed form replaces them in place, keeping their ids.
    pub announced: HashMap<String, NoteId>,
    pub done: bool,
    pub failed: Option<String>,
}

#[derive(Debug)]
pub struct App {
    pub vault: Vault,
    pub load: LoadProgress,
    pub page: Page,
    pub focus: Pane,
    /// Which of outline and links shares the screen with the note between
    /// 80 and 120 columns.
    pub side: Pane,
    /// The whole terminal.
    pub area: Rect,
    pub note: NoteView,
    pub outline: Outline,
    pub links: LinksPane,
    pub history: History,
    /// Scroll of the help overlay, when it is open.
    pub help: Option<usize>,
    pub message: Option<Message>,
    /// A `--open` name waiting for its note to arrive.
    pub pending_open: Option<String>,
    /// The jump picker or full-text search, when open.
    pub picker: Option<picker::Picker>,
    /// The matcher behind the picker. Notes go in as they load, channel
    /// pages when loading is done.
    pub search: crate::search::NoteSearch,
    /// The full-text worker, started on the first text search.
    pub fulltext: Option<crate::search::fulltext::FullText>,
    /// Notes opened this run, most recent first.
    pub recent: Vec<NoteId>,
    /// Find in the open note (`/`), when active.
    pub find: Option<find::Find>,
    /// The styles notes, pages and the screen are drawn in.
    pub theme: crate::theme::Theme,
    /// The channel pages are in the matcher.
    channels_searchable: bool,
    /// Texts of notes, read for the app by `tui.rs` (the app reads no file).
    pub texts: texts::NoteTexts,
    /// Where to put the reader once the open note's text arrives.
    arrival: Option<Arrival>,
    /// Effects that arose outside `update` (a note to read after a load
    /// event), handed out by the next call that returns effects.
    outbox: Vec<Effect>,
    cache: HashMap<(Page, u16), View>,
    empty: View,
}

/// The place in a note the reader is headed for, kept while its text is
/// being read (the view has no lines, headings or links until it comes).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Arrival {
    note: NoteId,
    scroll: usize,
    cursor: Option<usize>,
    heading: Option<usize>,
    /// A link of the note to put the cursor on (a followed backlink).
    link: Option<usize>,
    /// Text to find, shown at a source line (a full-text search hit).
    find: Option<(String, u32)>,
}

/// Notes up to which the outline is rebuilt with every loaded batch.
const OUTLINE_WHILE_LOADING: usize = 2_048;

impl App {
    /// A browser over a vault that is about to load; `open` names the note
    /// to open first (path, file name or title).
    #[must_use]
    pub fn new(vault: Vault, open: Option<String>, area: Rect) -> Self {
        let mut app = Self {
            vault,
            load: LoadProgress::default(),
            page: Page::Home,
            focus: Pane::Note,
            side: Pane::Outline,
            area,
            note: NoteView::default(),
            outline: Outline::default(),
            links: LinksPane::default(),
            history: History::default(),
            help: None,
            message: None,
            pending_open: open,
            picker: None,
            search: crate::search::NoteSearch::new(std::sync::Arc::new(|| {})),
            fulltext: None,
            recent: Vec::new(),
            find: None,
            theme: crate::theme::Theme::default(),
            channels_searchable: false,
            texts: texts::NoteTexts::default(),
            arrival: None,
            outbox: Vec::new(),
            cache: HashMap::new(),
            empty: View::default(),
        };
        for (id, note) in app.vault.ids().zip(&app.vault.notes) {
            app.search.push_note(id, note);
        }
        app.sync();
        app
    }

    /// A browser over a vault that is already loaded and finished (tests,
    /// and the command line's `load`).
    #[must_use]
    pub fn loaded(vault: Vault, open: Option<String>, area: Rect) -> Self {
        let mut app = Self::new(vault, open, area);
        app.load.loaded = app.vault.notes.len();
        app.on_load(LoadEvent::Done);
        app
    }

    // ----- reading state (for ui and tests) ---------------------------------

    #[must_use]
    pub fn layout(&self) -> AppLayout {
        layout::layout(self.area, self.focus, self.side)
    }

    /// The open page as rendered at the current width.
    #[must_use]
    pub fn view(&self) -> &View {
        self.cache
            .get(&(self.page, self.note_width()))
            .unwrap_or(&self.empty)
    }

    /// The open note, when the page is a note.
    #[must_use]
    pub fn open_note(&self) -> Option<NoteId> {
        match self.page {
            Page::Note(id) => Some(id),
            _ => None,
        }
    }

    /// The context keys are looked up in.
    #[must_use]
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            Context::Help
        } else if self.picker.is_some() {
            Context::Picker
        } else if self.find.as_ref().is_some_and(|f| f.editing) {
            Context::FindInput
        } else if self.find.is_some() && self.focus == Pane::Note {
            Context::Found
        } else {
            Context::of_pane(self.focus)
        }
    }

    /// Where a pane would be drawn if it were visible (its size does not
    /// depend on whether it is).
    fn pane_rect(&self, pane: Pane) -> Rect {
        let side = if pane == Pane::Note { self.side } else { pane };
        layout::layout(self.area, pane, side)
            .pane(pane)
            .unwrap_or_default()
    }

    fn note_width(&self) -> u16 {
        layout::note_text(self.pane_rect(Pane::Note)).width.max(1)
    }

    /// Lines of note text that fit in the note pane.
    #[must_use]
    pub fn note_height(&self) -> usize {
        usize::from(layout::note_text(self.pane_rect(Pane::Note)).height).max(1)
    }

    fn outline_height(&self) -> usize {
        usize::from(layout::inner(self.pane_rect(Pane::Outline)).height).max(1)
    }

    /// Entries of the links pane that fit at once.
    #[must_use]
    pub fn links_capacity(&self) -> usize {
        let rows = usize::from(layout::links_list(self.pane_rect(Pane::Links)).height);
        (rows / links::entry_height(self.links.tab())).max(1)
    }

    /// Where the reader is: the current location for history.
    #[must_use]
    pub fn location(&self) -> Location {
        Location {
            page: self.page,
            scroll: self.note.scroll,
            cursor: self.note.cursor,
        }
    }

    // ----- input -------------------------------------------------------------

    /// A key from the terminal: looked up in the key table, then handled.
    pub fn handle_key(&mut self, event: KeyEvent) -> Vec<Effect> {
        match keymap::lookup(self.context(), Key::from_event(event)) {
            Some(action) => self.update(action),
            None => Vec::new(),
        }
    }

    /// Carries out one action.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        match action {
            Action::Quit => effects.push(Effect::Quit),
            Action::Suspend => effects.push(Effect::Suspend),
            Action::ToggleHelp => self.help = if self.help.is_some() { None } else { Some(0) },
            Action::Escape if self.picker.is_some() => self.close_picker(),
            Action::Escape if self.find.is_some() => self.find_clear(),
            Action::Escape => {
                self.help = None;
                self.message = None;
            }
            Action::FocusNext => self.focus_to(match self.focus {
                Pane::Outline => Pane::Note,
                Pane::Note => Pane::Links,
                Pane::Links => Pane::Outline,
            }),
            Action::FocusPrev => self.focus_to(match self.focus {
                Pane::Outline => Pane::Links,
                Pane::Note => Pane::Outline,
                Pane::Links => Pane::Note,
            }),
            Action::Focus(pane) => self.focus_to(pane),
            Action::Move(motion) => self.move_in(motion),
            Action::NextHeading => self.jump_heading(true),
            Action::PrevHeading => self.jump_heading(false),
            Action::NextTarget => self.move_cursor(true),
            Action::PrevTarget => self.move_cursor(false),
            Action::Activate if self.picker.is_some() => self.pick(),
            Action::Activate => self.activate(&mut effects),
            Action::Back => self.go_back(),
            Action::Forward => self.go_forward(),
            Action::Home => self.navigate(Page::Home, None),
            Action::ShowLinks(tab) => {
                self.set_tab(tab);
                self.focus_to(Pane::Links);
            }
            Action::NextTab | Action::PrevTab => {
                let tabs = [LinksTab::Links, LinksTab::Backlinks, LinksTab::Timestamps];
                let i = tabs
                    .iter()
                    .position(|t| *t == self.links.tab())
                    .unwrap_or(0);
                let next = if action == Action::NextTab {
                    (i + 1) % 3
                } else {
                    (i + 2) % 3
                };
                self.set_tab(tabs[next]);
            }
            Action::ToggleLinksPane => {
                self.side = if self.side == Pane::Links {
                    Pane::Outline
                } else {
                    Pane::Links
                };
                if self.focus != Pane::Note {
                    self.focus = self.side;
                }
            }
            Action::OpenPicker => self.open_picker(picker::Mode::Jump),
            Action::OpenTextSearch => self.open_picker(picker::Mode::Text),
            Action::PickerInput(c) => self.edit_query(|q| q.push(c)),
            Action::PickerBackspace => self.edit_query(|q| {
                q.pop();
            }),
            Action::PickerScope => self.cycle_scope(),
            Action::PickerMode => self.toggle_picker_mode(),
            Action::FindStart => self.find_start(),
            Action::FindInput(c) => self.find_edit(|q| q.push(c)),
            Action::FindBackspace => self.find_edit(|q| {
                q.pop();
            }),
            Action::FindConfirm => self.find_confirm(),
            Action::FindNext => self.find_step(true),
            Action::FindPrev => self.find_step(false),
            Action::CopyTimestamp => self.copy_timestamp(false, &mut effects),
            Action::CopyTimestampMarkdown => self.copy_timestamp(true, &mut effects),
            Action::CopyVideo => self.copy_video(&mut effects),
            Action::OpenExternal => self.open_external(&mut effects),
            Action::Resize(w, h) => self.area = Rect::new(0, 0, w, h),
            Action::Click(col, row) => self.click(col, row, &mut effects),
            Action::Wheel(col, row, delta) => self.wheel(col, row, delta),
        }
        self.sync();
        effects.append(&mut self.outbox);
        effects
    }

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
    fn arrive(&mut self, arrival: Arrival) {
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
            self.set_cursor(t);
        }
        if let Some((text, line)) = arrival.find {
            self.find_at_line(text, line);
        }
    }

    /// Makes sure a note's text is known or on its way: notes made from
    /// bytes carry it; others are read by the event loop, asked for here.
    fn request_text(&mut self, id: NoteId) {
        if self.texts.get(id).is_some() {
            self.texts.touch(id);
            return;
        }
        let Some(note) = self.vault.get(id) else {
            return;
        };
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
    fn reading(&self, id: NoteId) -> bool {
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
            LoadEvent::Titles(batch) => {
                for note in batch {
                    let path = note.path.clone();
                    let id = self.vault.add(note);
                    self.search.push_title(id, self.vault.note(id));
                    self.load.announced.insert(path, id);
                }
                self.try_pending_open(false);
            }
            LoadEvent::Notes(batch) => {
                for note in batch {
                    self.load.bytes += note.size;
                    match self.load.announced.remove(&note.path) {
                        Some(id) => {
                            self.vault.replace(id, note);
                            // Read while only announced: read again with
                            // the parsed note's size and time to check.
                            self.texts.forget(id);
                            self.search.push_headings(id, self.vault.note(id));
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
                self.cache.retain(|(page, _), _| *page != Page::Home);
                // The flat list of a loading vault is sorted by title, which
                // costs more each batch; past the first screens of notes it
                // waits for the tree (a large vault is indexed within a
                // second), so loading is not slowed down by the outline.
                if self.vault.notes.len() <= OUTLINE_WHILE_LOADING {
                    self.rebuild_outline();
                }
            }
            LoadEvent::Problem(problem) => self.vault.problems.push(problem),
            LoadEvent::Done => {
                self.load.announced = HashMap::new();
                self.vault.finish();
                self.load.done = true;
                self.cache.clear();
                self.try_pending_open(true);
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
            }
            LoadEvent::Failed(why) => {
                self.load.done = true;
                self.error(format!("Cannot read the vault: {why}"));
                self.load.failed = Some(why);
            }
        }
        self.sync();
    }

    fn try_pending_open(&mut self, finished: bool) {
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

    // ----- messages ----------------------------------------------------------

    /// The outside world reports how an effect went (how a copy was made,
    /// why the browser could not be opened): shown in the status bar.
    pub fn notice(&mut self, notice: Notice) {
        if notice.warning {
            self.warn(notice.text);
        } else {
            self.info(notice.text);
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Info,
            text: text.into(),
        });
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Warning,
            text: text.into(),
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Error,
            text: text.into(),
        });
    }

    /// The open note's problems, for the status bar: the count and the
    /// worst one first.
    #[must_use]
    pub fn note_problems(&self) -> Option<(usize, Severity, String)> {
        let note = self.vault.get(self.open_note()?)?;
        let worst = note.problems.iter().max_by_key(|p| p.severity())?;
        Some((note.problems.len(), worst.severity(), worst.message.clone()))
    }

    // ----- navigation --------------------------------------------------------

    fn focus_to(&mut self, pane: Pane) {
        self.focus = pane;
        if pane != Pane::Note {
            self.side = pane;
        }
    }

    fn set_tab(&mut self, tab: LinksTab) {
        if self.links.tab() != tab {
            self.links.tab = Some(tab);
            self.links.selected = 0;
            self.links.offset = 0;
            self.refresh_links();
        }
    }

    /// Opens a page as following a link would (history is kept).
    pub fn open(&mut self, page: Page) {
        self.navigate(page, None);
        self.sync();
    }

    /// Opens a page, remembering where we were.
    fn navigate(&mut self, page: Page, heading: Option<usize>) {
        self.history.push(self.location());
        self.show(Location {
            page,
            scroll: 0,
            cursor: None,
        });
        if let Some(h) = heading {
            match &mut self.arrival {
                Some(arrival) => arrival.heading = Some(h),
                None => self.scroll_to_heading(h),
            }
        }
    }

    /// Shows a location without touching history.
    fn show(&mut self, to: Location) {
        let changed = to.page != self.page;
        self.page = to.page;
        self.note = NoteView {
            scroll: to.scroll,
            cursor: to.cursor,
        };
        self.arrival = None;
        if let Page::Note(id) = to.page {
            self.request_text(id);
            if self.reading(id) {
                self.arrival = Some(Arrival {
                    note: id,
                    scroll: to.scroll,
                    cursor: to.cursor,
                    heading: None,
                    link: None,
                    find: None,
                });
            }
        }
        if changed {
            if let Page::Note(id) = to.page {
                self.outline.reveal(&self.vault, id);
            }
            self.links.selected = 0;
            self.links.offset = 0;
            self.ensure_view();
            self.rebuild_outline();
            self.refresh_links();
        }
    }

    fn go_back(&mut self) {
        match self.history.back(self.location()) {
            Some(to) => self.show(to),
            None => self.info("Nothing to go back to"),
        }
    }

    fn go_forward(&mut self) {
        match self.history.forward(self.location()) {
            Some(to) => self.show(to),
            None => self.info("Nothing to go forward to"),
        }
    }

    fn scroll_to_heading(&mut self, heading: usize) {
        self.ensure_view();
        if let Some(h) = self.view().headings.iter().find(|h| h.heading == heading) {
            self.note.scroll = h.line;
        }
    }

    fn rebuild_outline(&mut self) {
        self.outline.rebuild(&self.vault, self.open_note());
    }

    fn refresh_links(&mut self) {
        self.ensure_view();
        let view = self
            .cache
            .get(&(self.page, self.note_width()))
            .unwrap_or(&self.empty);
        self.links.entries =
            links::entries(&self.vault, self.page, view, self.links.tab(), &self.texts);
    }

    // ----- moving ------------------------------------------------------------

    fn move_in(&mut self, motion: Motion) {
        if self.picker.is_some() {
            self.move_picker(motion);
            return;
        }
        if let Some(scroll) = self.help {
            self.help = Some(note_view::apply(scroll, motion, 10, usize::from(u16::MAX)));
            return;
        }
        match self.focus {
            Pane::Note => {
                let max = note_view::max_scroll(self.view().lines.len(), self.note_height());
                self.note.scroll =
                    note_view::apply(self.note.scroll, motion, self.note_height(), max);
            }
            Pane::Outline => {
                let max = self.outline.rows.len().saturating_sub(1);
                self.outline.selected =
                    note_view::apply(self.outline.selected, motion, self.outline_height(), max);
            }
            Pane::Links => {
                let max = self.links.entries.len().saturating_sub(1);
                self.links.selected =
                    note_view::apply(self.links.selected, motion, self.links_capacity(), max);
            }
        }
    }

    fn jump_heading(&mut self, forward: bool) {
        let top = self.note.scroll;
        let lines: Vec<usize> = self.view().headings.iter().map(|h| h.line).collect();
        let to = if forward {
            lines.iter().copied().find(|l| *l > top)
        } else {
            lines.iter().copied().rev().find(|l| *l < top)
        };
        match to {
            Some(line) => self.note.scroll = line,
            None if forward => self.info("No heading below"),
            None => self.note.scroll = 0,
        }
    }

    fn cursor_visible(&self) -> Option<usize> {
        let c = self.note.cursor?;
        let line = self.view().targets.get(c)?.first_line();
        (line >= self.note.scroll && line < self.note.scroll + self.note_height()).then_some(c)
    }

    /// Moves the link cursor through targets in reading order. From off
    /// screen it starts at the first (or last) visible target.
    fn move_cursor(&mut self, forward: bool) {
        let view = self.view();
        let count = view.targets.len();
        if count == 0 {
            self.info("No links on this page");
            return;
        }
        let (top, height) = (self.note.scroll, self.note_height());
        let next = match self.cursor_visible() {
            Some(c) if forward => (c + 1) % count,
            Some(c) => (c + count - 1) % count,
            None if forward => view
                .targets
                .iter()
                .position(|t| t.first_line() >= top)
                .unwrap_or(0),
            None => view
                .targets
                .iter()
                .rposition(|t| t.first_line() < top + height)
                .unwrap_or(count - 1),
        };
        self.set_cursor(next);
    }

    fn set_cursor(&mut self, target: usize) {
        let Some(t) = self.view().targets.get(target) else {
            return;
        };
        let (first, last) = (t.first_line(), t.pieces.last().map_or(0, |p| p.0));
        let height = self.note_height();
        let mut scroll = note_view::ensure_visible(self.note.scroll, last, height, CURSOR_MARGIN);
        scroll = note_view::ensure_visible(scroll, first, height, CURSOR_MARGIN);
        let max = note_view::max_scroll(self.view().lines.len(), height);
        self.note.scroll = scroll.min(max);
        self.note.cursor = Some(target);
    }

    // ----- following ---------------------------------------------------------

    fn activate(&mut self, effects: &mut Vec<Effect>) {
        match self.focus {
            Pane::Note => match self.cursor_visible() {
                Some(c) => {
                    let dest = self.view().targets[c].dest.clone();
                    self.follow(&dest, effects);
                }
                None => self.info("No link under the cursor: press n to pick one"),
            },
            Pane::Outline => self.activate_row(),
            Pane::Links => {
                let Some(entry) = self.links.entries.get(self.links.selected) else {
                    return;
                };
                match entry.action.clone() {
                    EntryAction::Target(dest) => {
                        if let Some(t) = self.view().targets.iter().position(|t| t.dest == dest) {
                            self.set_cursor(t);
                        }
                        self.follow(&dest, effects);
                    }
                    EntryAction::Backlink { source, link } => {
                        self.navigate(Page::Note(source), None);
                        if let Some(arrival) = &mut self.arrival {
                            arrival.link = Some(link);
                            return;
                        }
                        self.ensure_view();
                        if let Some(t) = self
                            .view()
                            .targets
                            .iter()
                            .position(|t| t.dest == Dest::Link(link))
                        {
                            self.set_cursor(t);
                        }
                    }
                }
            }
        }
    }

    fn activate_row(&mut self) {
        let Some(row) = self.outline.rows.get(self.outline.selected).cloned() else {
            return;
        };
        match row {
            Row::Folder { path, open, .. } => {
                self.outline.toggle(&path, open);
                self.rebuild_outline();
            }
            Row::Note { id, .. } => {
                if self.page != Page::Note(id) {
                    self.navigate(Page::Note(id), None);
                }
            }
            Row::Heading { note, heading, .. } => {
                if self.page == Page::Note(note) {
                    self.scroll_to_heading(heading);
                } else {
                    self.navigate(Page::Note(note), Some(heading));
                }
            }
            Row::Video { .. } => {}
        }
    }

    /// Follows a target of the open page.
    fn follow(&mut self, dest: &Dest, effects: &mut Vec<Effect>) {
        match dest {
            Dest::Link(i) => {
                let Some(link) = self
                    .open_note()
                    .and_then(|id| self.vault.note(id).links.get(*i))
                    .cloned()
                else {
                    return;
                };
                match (link.resolution, page::page_of(link.resolution)) {
                    (_, Some((page, heading))) => {
                        if page == self.page {
                            match heading {
                                Some(h) => {
                                    self.history.push(self.location());
                                    self.scroll_to_heading(h);
                                    self.note.cursor = None;
                                }
                                None => self.info("That link leads to this note"),
                            }
                        } else {
                            self.navigate(page, heading);
                        }
                        if let (Some(wanted), None) = (&link.heading, heading) {
                            self.warn(format!("No heading “{wanted}” in that note"));
                        }
                    }
                    (Resolution::Pending, _) => {
                        self.info("Still loading: links resolve once the vault is read")
                    }
                    _ => self.warn(format!(
                        "No note for “{}” yet: a topic without a note",
                        link.target
                    )),
                }
            }
            Dest::Timestamp(_) => {
                self.info("A timestamp: y copies its link, Y as Markdown, o opens it")
            }
            Dest::Url(url) => {
                if url.starts_with("https://") || url.starts_with("http://") {
                    effects.push(Effect::OpenUrl(url.clone()));
                    self.info(format!("Opening {url}"));
                } else {
                    self.warn("Only web links can be opened");
                }
            }
            Dest::Page(page) => self.navigate(*page, None),
            Dest::Missing(topic) => {
                self.warn(format!("No note for “{topic}” yet: a topic without a note"))
            }
        }
    }

    // ----- timestamps (issue 5) ----------------------------------------------

    /// The timestamp under the cursor, or selected in the timestamps tab.
    fn current_timestamp(&self) -> Option<usize> {
        if self.focus == Pane::Links
            && self.links.tab() == LinksTab::Timestamps
            && let Some(EntryAction::Target(Dest::Timestamp(i))) = self
                .links
                .entries
                .get(self.links.selected)
                .map(|e| &e.action)
        {
            return Some(*i);
        }
        match self.view().targets.get(self.cursor_visible()?)?.dest {
            Dest::Timestamp(i) => Some(i),
            _ => None,
        }
    }

    /// The URL of a timestamp, or why there is none.
    fn timestamp_url(&self, index: usize) -> Result<(String, String), String> {
        let note = self.vault.note(self.open_note().ok_or("Not a note")?);
        let ts = note.timestamps.get(index).ok_or("No such timestamp")?;
        let seconds = ts
            .seconds
            .ok_or_else(|| format!("“{}” is not a valid time: nothing to copy", ts.label))?;
        let video = note
            .video_id
            .as_ref()
            .ok_or("This note has no valid videoId: its timestamps have no link")?;
        Ok((
            video.url_at(seconds),
            crate::vault::timestamp::format_clock(seconds),
        ))
    }

    fn copy_timestamp(&mut self, markdown: bool, effects: &mut Vec<Effect>) {
        let Some(index) = self.current_timestamp() else {
            self.info("No timestamp under the cursor: press n to move to one");
            return;
        };
        match self.timestamp_url(index) {
            Ok((url, clock)) => {
                let text = if markdown {
                    let title = self
                        .open_note()
                        .map(|id| self.vault.note(id).title.clone())
                        .unwrap_or_default();
                    // Pasted into a shell or an editor: one plain line,
                    // no control, newline, bidi control or bracket.
                    let title = crate::text::clipboard_line(&title);
                    format!("[{title} @ {clock}]({url})")
                } else {
                    url
                };
                self.info(format!("Copied {text} (OSC 52)"));
                effects.push(Effect::Copy(text));
            }
            Err(why) => self.warn(why),
        }
    }

    fn copy_video(&mut self, effects: &mut Vec<Effect>) {
        match self
            .open_note()
            .and_then(|id| self.vault.note(id).video_id.clone())
        {
            Some(video) => {
                let url = video.url();
                self.info(format!("Copied {url} (OSC 52)"));
                effects.push(Effect::Copy(url));
            }
            None => self.warn("This page has no valid videoId"),
        }
    }

    fn open_external(&mut self, effects: &mut Vec<Effect>) {
        if let Some(index) = self.current_timestamp() {
            match self.timestamp_url(index) {
                Ok((url, _)) => {
                    self.info(format!("Opening {url}"));
                    effects.push(Effect::OpenUrl(url));
                }
                Err(why) => self.warn(why),
            }
            return;
        }
        match self
            .cursor_visible()
            .map(|c| self.view().targets[c].dest.clone())
        {
            Some(dest @ Dest::Url(_)) => self.follow(&dest, effects),
            _ => self.info("No timestamp or web link under the cursor"),
        }
    }

    // ----- mouse -------------------------------------------------------------

    fn click(&mut self, col: u16, row: u16, effects: &mut Vec<Effect>) {
        if self.help.is_some() {
            self.help = None;
            return;
        }
        if self.picker.is_some() {
            self.click_picker(col, row);
            return;
        }
        let layout = self.layout();
        if let Some(tabs) = layout.tabs.filter(|t| t.contains(Position::new(col, row))) {
            // Three equal tabs in the narrow mode's tab line.
            let third = (tabs.width / 3).max(1);
            let pane = match (col - tabs.x) / third {
                0 => Pane::Outline,
                1 => Pane::Note,
                _ => Pane::Links,
            };
            self.focus_to(pane);
            return;
        }
        let Some(pane) = layout.pane_at(col, row) else {
            return;
        };
        self.focus_to(pane);
        let rect = layout.pane(pane).unwrap_or_default();
        match pane {
            Pane::Note => {
                let text = layout::note_text(rect);
                if !text.contains(Position::new(col, row)) {
                    return;
                }
                let line = self.note.scroll + usize::from(row - text.y);
                if let Some(t) = self.view().target_at(line, col - text.x) {
                    self.note.cursor = Some(t);
                    let dest = self.view().targets[t].dest.clone();
                    self.follow(&dest, effects);
                }
            }
            Pane::Outline => {
                let inner = layout::inner(rect);
                if inner.contains(Position::new(col, row)) {
                    let i = self.outline.offset + usize::from(row - inner.y);
                    if i < self.outline.rows.len() {
                        self.outline.selected = i;
                        self.activate_row();
                    }
                }
            }
            Pane::Links => {
                let inner = layout::inner(rect);
                if row == inner.y {
                    // The tab line: which third was clicked.
                    let third = (inner.width / 3).max(1);
                    let tab = [LinksTab::Links, LinksTab::Backlinks, LinksTab::Timestamps];
                    self.set_tab(tab[usize::from(((col - inner.x) / third).min(2))]);
                    return;
                }
                let list = layout::links_list(rect);
                if list.contains(Position::new(col, row)) {
                    let i = self.links.offset
                        + usize::from(row - list.y) / links::entry_height(self.links.tab());
                    if i < self.links.entries.len() {
                        self.links.selected = i;
                        self.activate(effects);
                    }
                }
            }
        }
    }

    fn wheel(&mut self, col: u16, row: u16, delta: i8) {
        let down = delta > 0;
        let motion = if down { Motion::Down } else { Motion::Up };
        // Overlays take the wheel wherever the pointer is.
        if self.picker.is_some() || self.help.is_some() {
            for _ in 0..WHEEL_LINES {
                self.move_in(motion);
            }
            return;
        }
        let pane = self.layout().pane_at(col, row).unwrap_or(self.focus);
        match pane {
            Pane::Note => {
                let max = note_view::max_scroll(self.view().lines.len(), self.note_height());
                self.note.scroll = if down {
                    (self.note.scroll + WHEEL_LINES).min(max)
                } else {
                    self.note.scroll.saturating_sub(WHEEL_LINES)
                };
            }
            Pane::Outline => {
                let max = note_view::max_scroll(self.outline.rows.len(), self.outline_height());
                self.outline.offset = if down {
                    (self.outline.offset + WHEEL_LINES).min(max)
                } else {
                    self.outline.offset.saturating_sub(WHEEL_LINES)
                };
                self.outline.selected = self.outline.selected.clamp(
                    self.outline.offset,
                    self.outline.offset + self.outline_height() - 1,
                );
            }
            Pane::Links => {
                let max = self.links.entries.len().saturating_sub(1);
                self.links.selected = if down {
                    (self.links.selected + 1).min(max)
                } else {
                    self.links.selected.saturating_sub(1)
                };
            }
        }
    }

    // ----- keeping state consistent -----------------------------------------

    /// Renders the open page at the current width, once.
    fn ensure_view(&mut self) {
        let key = (self.page, self.note_width());
        let text = match self.page {
            Page::Note(id) => {
                self.request_text(id);
                self.texts.get(id)
            }
            _ => None,
        };
        if !self.cache.contains_key(&key) {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            let view = page::render(
                &self.vault,
                self.page,
                key.1,
                !self.load.done,
                text,
                &self.theme,
            );
            self.cache.insert(key, view);
        }
    }

    /// After every change: render what is shown, clamp scrolls, and make the
    /// outline follow the reader.
    fn sync(&mut self) {
        self.ensure_view();
        if let Some(id) = self.open_note() {
            self.remember(id);
        }
        self.sync_find();
        let len = self.view().lines.len();
        let height = self.note_height();
        self.note.scroll = self.note.scroll.min(note_view::max_scroll(len, height));
        if self
            .note
            .cursor
            .is_some_and(|c| c >= self.view().targets.len())
        {
            self.note.cursor = None;
        }
        // The outline marks the heading being read (or the open note).
        self.outline.current = self.open_note().and_then(|id| {
            let heading = self.view().heading_at(self.note.scroll).map(|h| h.heading);
            self.outline.row_of(id, heading)
        });
        let rows = self.outline.rows.len();
        if self.focus != Pane::Outline
            && let Some(current) = self.outline.current
        {
            self.outline.selected = current;
        }
        self.outline.selected = self.outline.selected.min(rows.saturating_sub(1));
        let oh = self.outline_height();
        self.outline.offset =
            note_view::ensure_visible(self.outline.offset, self.outline.selected, oh, 2)
                .min(note_view::max_scroll(rows, oh));
        let entries = self.links.entries.len();
        self.links.selected = self.links.selected.min(entries.saturating_sub(1));
        let cap = self.links_capacity();
        self.links.offset =
            note_view::ensure_visible(self.links.offset, self.links.selected, cap, 0)
                .min(note_view::max_scroll(entries, cap));
        self.request_backlink_texts(cap);
    }

    /// The backlinks tab shows the sentence around each link, which needs
    /// the linking note's text: only the rows on screen ask for theirs (a
    /// note with hundreds of backlinks costs a screenful of reads, each on
    /// the event loop's workers, never here).
    fn request_backlink_texts(&mut self, rows: usize) {
        if self.links.tab() != LinksTab::Backlinks {
            return;
        }
        let sources: Vec<NoteId> = self
            .links
            .entries
            .iter()
            .skip(self.links.offset)
            .take(rows)
            .filter_map(|e| match e.action {
                EntryAction::Backlink { source, .. } if e.waiting => Some(source),
                _ => None,
            })
            .collect();
        for source in sources {
            self.request_text(source);
        }
    }
}
