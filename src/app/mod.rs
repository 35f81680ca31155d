//! The browser's state and its one entry point, [`App::update`]: an action
//! in, effects out. No I/O and no terminal here, so every behaviour can be
//! tested by feeding keys.

pub mod action;
mod disk_changes;
pub mod editing;
pub mod effect;
pub mod find;
mod first_level;
pub mod history;
pub mod keymap;
pub mod layout;
pub mod links;
pub mod list_cursor;
pub mod messages;
pub mod note_view;
pub mod outline;
pub mod page;
pub mod picker;
pub mod saved;
pub mod texts;

mod copy;
mod early_parse;
mod indexed;
mod loading;
mod mouse;
mod navigation;
mod sync;
mod walked;

use std::collections::HashMap;

use crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

pub use action::{Action, LinksTab, Motion, Pane};
pub use copy::{CopyFormat, DEFAULT_MARKDOWN};
pub use effect::Effect;
pub use indexed::{IndexedVault, Loaded};
pub use page::{Dest, Page, View};
pub use texts::{NoteRead, NoteText};
pub use walked::{WalkIndex, WalkedVault, send_walk};

use crate::markdown;
use history::{History, Location};
use keymap::{Context, Key};
use layout::AppLayout;
use links::{EntryAction, LinksPane};
use note_view::NoteView;
use outline::{Outline, Row};
use picker::query_edit::Cursor as _;

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
pub enum Notice {
    /// It went as asked (how a copy was made).
    Info(String),
    /// It went wrong or only partly (why the browser could not be opened).
    Warning(String),
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
    /// Notes the watcher saw touched while loading, taken in once the
    /// load is done (the load may have read them before the change).
    pub touched: std::collections::BTreeSet<String>,
    /// Folders the watcher saw go away while loading.
    pub touched_folders: std::collections::BTreeSet<String>,
    /// The walk's paths are in (every note, named by its file).
    pub walked: bool,
    /// Notes the title pass announced.
    pub titled: usize,
    /// The announced notes whose title is in the picker (the title pass
    /// pushed it): their parsed form adds only its headings; a note the
    /// walk alone announced adds its title too (on a warm start with a
    /// changed note the cache's notes come before any title).
    pub title_items: std::collections::HashSet<NoteId>,
    /// Notes whose parse found another title than the title pass (a
    /// note titled by its first heading): their items are pushed again,
    /// all in one pass over the picker's items, once loading is done.
    pub retitled: std::collections::HashSet<NoteId>,
    /// Every note has its title: the tree and channels were built from them.
    pub titles_done: bool,
    pub done: bool,
    pub failed: Option<String>,
    /// The notes' bodies are on their way after a vault of heads was
    /// handed over (see [`indexed`]): changes wait until they are in.
    pub bodies: Option<indexed::Bodies>,
    /// What waits for the next frame drawn (see [`App::after_frame`]).
    pub after_frame: AfterFrame,
    /// Notes opened while only announced, parsed on their own (see
    /// [`early_parse`]): true once the answer came.
    pub parsed_early: HashMap<NoteId, bool>,
}

/// Work that waits for the next frame drawn (see [`App::after_frame`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AfterFrame {
    #[default]
    Nothing,
    /// Loading is over: the text store is to be made fresh.
    PrepareTextStore,
}

impl LoadProgress {
    /// Loading is done and every note is whole: what reads notes' links,
    /// timestamps or backlinks' lines, or changes the vault, may go on.
    #[must_use]
    pub fn settled(&self) -> bool {
        self.done && self.bodies.is_none()
    }
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
    /// The outline's width as the reader set it (`<`, `>`, a drag of its
    /// border; kept across runs), `None` for the automatic width.
    pub outline_width: Option<u16>,
    /// The outline's border is being dragged with the mouse.
    dragging: bool,
    pub note: NoteView,
    pub outline: Outline,
    pub links: LinksPane,
    pub history: History,
    /// Scroll of the help overlay, when it is open.
    pub help: Option<usize>,
    pub message: Option<Message>,
    /// Recent messages and when the current one goes.
    pub messages: messages::MessageLog,
    /// A `--open` name waiting for its note to arrive.
    pub pending_open: Option<String>,
    /// The source line to show the pending note at (a rescan keeps the
    /// reader's place).
    pending_line: Option<editing::LineAnchor>,
    /// The jump picker or full-text search, when open.
    pub picker: Option<picker::Picker>,
    /// The matcher behind the picker. Notes go in as they load, channel
    /// pages when loading is done.
    pub search: crate::search::NoteSearch,
    /// The full-text worker, started on the first text search.
    pub fulltext: Option<crate::search::fulltext::FullText>,
    /// Where the full-text worker keeps the notes' texts (the index
    /// cache's folder); `None` (tests, `--no-cache`): read from the files.
    pub fulltext_dir: Option<std::path::PathBuf>,
    /// Notes opened, most recent first (this run's, then earlier runs').
    pub recent: Vec<NoteId>,
    /// Bookmarked notes (`m`), in the order they were marked.
    pub bookmarks: Vec<NoteId>,
    /// State saved by an earlier run, waiting for the vault to load.
    saved: Option<saved::SavedState>,
    /// Find in the open note (`/`), when active.
    pub find: Option<find::Find>,
    /// The styles notes, pages and the screen are drawn in.
    pub theme: crate::theme::Theme,
    /// The key bindings in force: the defaults, with the config's merged in.
    pub keymap: keymap::Keymap,
    /// How timestamp links are copied (config `[copy]`).
    pub copy_format: CopyFormat,
    /// Widths of the side panes chosen in the config.
    pub pane_widths: layout::PaneWidths,
    /// Timestamps and web links are drawn as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// The channel pages are in the matcher.
    channels_searchable: bool,
    /// Texts of notes, read for the app by `tui.rs` (the app reads no file).
    pub texts: texts::NoteTexts,
    /// Where to put the reader once the open note's text arrives.
    arrival: Option<Arrival>,
    /// Effects that arose outside `update` (a note to read after a load
    /// event), handed out by the next call that returns effects.
    outbox: Vec<Effect>,
    /// A burst is being applied off the UI thread (to a copy of the vault,
    /// swapped in when done): the changes seen meanwhile, taken in after.
    burst: Option<crate::vault::watch::Touched>,
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
    /// A source line to put at the top (the place kept when the note was
    /// parsed again).
    line: Option<editing::LineAnchor>,
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
            outline_width: None,
            dragging: false,
            note: NoteView::default(),
            outline: Outline::default(),
            links: LinksPane::default(),
            history: History::default(),
            help: None,
            message: None,
            messages: messages::MessageLog::default(),
            pending_open: open,
            pending_line: None,
            picker: None,
            search: crate::search::NoteSearch::new(std::sync::Arc::new(|| {})),
            fulltext: None,
            fulltext_dir: None,
            recent: Vec::new(),
            bookmarks: Vec::new(),
            saved: None,
            find: None,
            theme: crate::theme::Theme::default(),
            keymap: keymap::Keymap::default(),
            copy_format: CopyFormat::default(),
            pane_widths: layout::PaneWidths::default(),
            hyperlinks: false,
            channels_searchable: false,
            texts: texts::NoteTexts::default(),
            arrival: None,
            outbox: Vec::new(),
            burst: None,
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

    /// The side panes' widths in force: the outline's as the reader
    /// resized it, else as the config asks; the links pane's from the
    /// config.
    #[must_use]
    pub fn pane_widths(&self) -> layout::PaneWidths {
        layout::PaneWidths {
            outline: self.outline_width.or(self.pane_widths.outline),
            links: self.pane_widths.links,
        }
    }

    #[must_use]
    pub fn layout(&self) -> AppLayout {
        layout::layout_with(self.area, self.focus, self.side, self.pane_widths())
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
        } else if self.find.as_ref().is_some_and(|f| f.editing) || self.outline.filter_editing {
            // The outline's filter is typed like a find (Enter keeps it,
            // Esc drops it, ↑/↓ move through what it keeps).
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
        layout::layout_with(self.area, pane, side, self.pane_widths())
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
        self.links
            .fitting(self.links.cursor.offset, self.links_rows())
    }

    /// Rows of the links pane's list.
    fn links_rows(&self) -> usize {
        usize::from(layout::links_list(self.pane_rect(Pane::Links)).height)
    }

    /// Where the reader is: the current location for history.
    #[must_use]
    pub fn location(&self) -> Location {
        Location {
            page: self.page,
            scroll: self.note.scroll,
            cursor: self.note.cursor,
            list: Some((self.links.tab(), self.links.cursor.selected)),
        }
    }

    // ----- input -------------------------------------------------------------

    /// A key from the terminal: looked up in the key table, then handled.
    pub fn handle_key(&mut self, event: KeyEvent) -> Vec<Effect> {
        match self.keymap.lookup(self.context(), Key::from_event(event)) {
            Some(action) => self.update(action),
            None => Vec::new(),
        }
    }

    /// Carries out one action.
    // Long: one arm per action, each a call or two; splitting the match
    // would only hide which action does what.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per action, each a call or two"
    )]
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        let (page_before, serial_before) = (self.page, self.messages.serial());
        match action {
            Action::Quit => effects.push(Effect::Quit),
            Action::Suspend => effects.push(Effect::Suspend),
            Action::ToggleHelp => self.help = if self.help.is_some() { None } else { Some(0) },
            Action::Escape if self.picker.is_some() => self.close_picker(),
            Action::Escape
                if self.outline.filter.is_some()
                    && (self.outline.filter_editing || self.focus == Pane::Outline) =>
            {
                self.outline_filter_clear();
            }
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
            Action::NextTab => self.set_tab(self.links.tab().next()),
            Action::PrevTab => self.set_tab(self.links.tab().previous()),
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
            Action::PickerInput(c) => self.edit_query(|mut q| q.insert(c)),
            Action::PickerBackspace => self.edit_query(|mut q| q.backspace()),
            Action::PickerEdit(edit) => self.edit_query(|mut q| q.apply(edit)),
            Action::PickerScope => self.cycle_scope(),
            Action::PickerMode => self.toggle_picker_mode(),
            action @ (Action::FindInput(_)
            | Action::FindBackspace
            | Action::FindConfirm
            | Action::FindNext
            | Action::FindPrev)
                if self.outline.filter_editing =>
            {
                self.outline_filter_key(action);
            }
            Action::OutlineFilter => self.outline_filter_start(),
            Action::Fold => self.fold(),
            Action::Unfold => self.unfold(),
            Action::ToggleFold => self.toggle_fold(),
            Action::ResizeOutline(by) => self.resize_outline(by),
            Action::Drag(col, row) => self.drag(col, row),
            Action::Release => self.dragging = false,
            Action::SortBacklinks => self.sort_backlinks(),
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
            Action::Edit => self.edit(&mut effects),
            Action::Reload => self.reload(),
            Action::Rescan => self.rescan(),
            Action::ToggleBookmark => self.toggle_bookmark(),
            Action::Resize(w, h) => {
                self.area = Rect::new(0, 0, w, h);
                // The preview is laid out for the old size (or was none).
                self.update_preview();
            }
            Action::Click(col, row) => self.click(col, row, &mut effects),
            Action::Wheel(col, row, delta) => self.wheel(col, row, delta),
        }
        self.expire_on_navigation(page_before, serial_before);
        self.sync();
        effects.append(&mut self.outbox);
        effects
    }

    // ----- messages ----------------------------------------------------------

    /// The outside world reports how an effect went (how a copy was made,
    /// why the browser could not be opened): shown in the status bar.
    pub fn notice(&mut self, notice: Notice) {
        match notice {
            Notice::Info(text) => self.info(text),
            Notice::Warning(text) => self.warn(text),
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.show_message(MessageKind::Info, text.into());
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.show_message(MessageKind::Warning, text.into());
    }

    fn error(&mut self, text: impl Into<String>) {
        self.show_message(MessageKind::Error, text.into());
    }

    /// The open note's problems, for the status bar: the count and the
    /// worst one first.
    #[must_use]
    pub fn note_problems(&self) -> Option<(usize, Severity, String)> {
        let note = self.vault.get(self.open_note()?)?;
        let worst = note.problems.iter().max_by_key(|p| p.severity())?;
        Some((note.problems.len(), worst.severity(), worst.message.clone()))
    }
}
