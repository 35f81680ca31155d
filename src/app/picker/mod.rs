//! The jump picker (Ctrl-P / Ctrl-K) and full-text search (Ctrl-F): one
//! overlay with two modes. Jump mode matches every note, heading and channel
//! page by name through `crate::search` (nucleo); text mode searches the
//! text of every note on a background worker (`crate::search::fulltext`).
//!
//! Both stay live while the vault loads: notes go into the matcher as their
//! batches arrive, and the loop ticks the matcher every pass while the
//! picker is open. The picker never changes the page while open, so Esc
//! leaves everything as it was; Enter goes through history, so Back returns.

mod geometry;
mod preview;
pub mod query_edit;
mod text_search;

pub use geometry::{PickerLayout, layout};
pub use preview::{Preview, PreviewKey};

use super::{App, Page, Pane, find::Find, note_view};
use crate::search::{
    Hit, Scope,
    fulltext::{self, FullText, Message, TextHit},
};

/// Hits kept for display in jump mode; the list never shows more at once.
pub const SHOWN: u32 = 200;
/// Recently opened notes remembered (this run).
pub const RECENT: usize = 50;
/// From this terminal width on, the picker shows a preview beside the list.
pub const PREVIEW_WIDTH: u16 = 100;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Notes, headings and channels by name.
    #[default]
    Jump,
    /// Lines of every note's text.
    Text,
}

/// The picker: the query, the selection and the rows of its mode.
#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub query: String,
    /// Where typing goes in the query (a byte offset).
    pub cursor: usize,
    pub selected: usize,
    pub rows: Rows,
    pub preview: Option<Preview>,
    /// Results changed and the rows must be rebuilt.
    pub(super) stale: bool,
}

/// The rows of each mode, with what only that mode has.
#[derive(Debug, Clone)]
pub enum Rows {
    Jump(JumpRows),
    Text(TextRows),
}

impl Default for Rows {
    fn default() -> Self {
        Self::Jump(JumpRows::default())
    }
}

/// Jump mode: notes, headings and channels by name.
#[derive(Debug, Clone, Default)]
pub struct JumpRows {
    pub scope: Scope,
    /// The rows shown, best first (recent notes first when the query is
    /// empty).
    pub hits: Vec<Hit>,
    /// How many leading rows of `hits` are recently opened notes.
    pub recent: usize,
    pub matched: u32,
    pub total: u32,
    /// The matcher is still working or notes are still coming.
    pub running: bool,
    /// How many matches are fetched (with highlights): [`SHOWN`] at first,
    /// more as the selection goes down the list.
    fetched: u32,
}

/// Text mode: lines of every note's text.
#[derive(Debug, Clone, Default)]
pub struct TextRows {
    /// Matching lines in the order found.
    pub lines: Vec<TextHit>,
    /// The search stopped at its limit.
    pub truncated: bool,
    /// The search of `generation` has not finished.
    pub searching: bool,
    pub generation: u64,
}

impl Picker {
    #[must_use]
    pub fn mode(&self) -> Mode {
        match self.rows {
            Rows::Jump(_) => Mode::Jump,
            Rows::Text(_) => Mode::Text,
        }
    }

    /// The rows of jump mode, if that is the mode.
    #[must_use]
    pub fn jump(&self) -> Option<&JumpRows> {
        match &self.rows {
            Rows::Jump(j) => Some(j),
            Rows::Text(_) => None,
        }
    }

    /// The rows of text mode, if that is the mode.
    #[must_use]
    pub fn text(&self) -> Option<&TextRows> {
        match &self.rows {
            Rows::Text(t) => Some(t),
            Rows::Jump(_) => None,
        }
    }

    /// Jump mode's hits (none in text mode).
    #[must_use]
    pub fn hits(&self) -> &[Hit] {
        match &self.rows {
            Rows::Jump(j) => &j.hits,
            Rows::Text(_) => &[],
        }
    }

    /// Text mode's lines (none in jump mode).
    #[must_use]
    pub fn lines(&self) -> &[TextHit] {
        match &self.rows {
            Rows::Text(t) => &t.lines,
            Rows::Jump(_) => &[],
        }
    }

    /// The engine of the mode is still at work.
    #[must_use]
    pub fn busy(&self) -> bool {
        match &self.rows {
            Rows::Jump(j) => j.running,
            Rows::Text(t) => t.searching,
        }
    }

    /// Rows in the list.
    #[must_use]
    pub fn len(&self) -> usize {
        match &self.rows {
            Rows::Jump(j) => j.hits.len(),
            Rows::Text(t) => t.lines.len(),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first row shown in a list of `rows` rows: keeps the selection
    /// on screen (a pure function, shared by drawing and the mouse).
    #[must_use]
    pub fn offset(&self, rows: usize) -> usize {
        self.selected.saturating_sub(rows.saturating_sub(1))
    }
}

impl App {
    /// The picker's layout in the current terminal.
    #[must_use]
    pub fn picker_layout(&self) -> PickerLayout {
        layout(self.area)
    }

    fn picker_rows(&self) -> usize {
        usize::from(self.picker_layout().list.height).max(1)
    }

    /// Fresh rows for a mode; jump mode takes the matcher's scope.
    fn empty_rows(&self, mode: Mode) -> Rows {
        match mode {
            Mode::Jump => Rows::Jump(JumpRows {
                scope: self.search.scope(),
                ..JumpRows::default()
            }),
            Mode::Text => Rows::Text(TextRows::default()),
        }
    }

    pub(super) fn open_picker(&mut self, mode: Mode) {
        self.search.set_query("");
        // Each opening starts at "all": a scope chosen last time would
        // silently hide notes (or open one at a heading).
        self.search.set_scope(Scope::default());
        self.picker = Some(Picker {
            rows: self.empty_rows(mode),
            stale: true,
            ..Picker::default()
        });
        self.help = None;
        self.tick_search();
    }

    /// Switches between jump and text mode, keeping the query.
    pub(super) fn toggle_picker_mode(&mut self) {
        let Some(mode) = self.picker.as_ref().map(Picker::mode) else {
            return;
        };
        let rows = self.empty_rows(match mode {
            Mode::Jump => Mode::Text,
            Mode::Text => Mode::Jump,
        });
        let Some(p) = &mut self.picker else { return };
        p.rows = rows;
        p.selected = 0;
        p.stale = true;
        self.query_changed();
    }

    pub(super) fn close_picker(&mut self) {
        self.picker = None;
        if let Some(ft) = &mut self.fulltext {
            ft.cancel();
        }
    }

    pub(super) fn cycle_scope(&mut self) {
        let Some(p) = &mut self.picker else { return };
        let Rows::Jump(j) = &mut p.rows else { return };
        j.scope = j.scope.next();
        let scope = j.scope;
        p.selected = 0;
        p.stale = true;
        self.search.set_scope(scope);
        self.tick_search();
    }

    pub(super) fn edit_query(&mut self, edit: impl FnOnce((&mut String, &mut usize))) {
        let Some(p) = &mut self.picker else { return };
        let before = p.query.len();
        edit((&mut p.query, &mut p.cursor));
        if p.query.len() == before {
            // The cursor moved: nothing to search again.
            return;
        }
        p.selected = 0;
        p.stale = true;
        self.query_changed();
    }

    /// Hands the query to the engine of the current mode.
    pub(super) fn query_changed(&mut self) {
        let Some(p) = &mut self.picker else { return };
        match &mut p.rows {
            Rows::Jump(_) => self.search.set_query(&p.query),
            Rows::Text(t) => {
                t.lines.clear();
                t.truncated = false;
                if p.query.is_empty() {
                    t.searching = false;
                    if let Some(ft) = &mut self.fulltext {
                        ft.cancel();
                    }
                } else {
                    let ft = text_search::fulltext_worker(
                        &mut self.fulltext,
                        self.fulltext_dir.as_ref(),
                    );
                    t.generation = ft.search_vault(&self.vault, &p.query);
                    t.searching = true;
                }
            }
        }
        self.tick_search();
    }

    /// Picks up the engines' latest results; true when they changed. The
    /// event loop calls this every pass while the picker is open.
    pub fn tick_search(&mut self) -> bool {
        let Some(p) = &mut self.picker else {
            return false;
        };
        let changed = match &mut p.rows {
            Rows::Jump(j) => {
                let changed = self.search.tick() || p.stale;
                if changed {
                    p.stale = false;
                    if j.scope == Scope::Bookmarks {
                        bookmark_rows(j, &p.query, &self.bookmarks, &self.vault);
                    } else {
                        rebuild_jump_rows(j, &p.query, &mut self.search, &self.recent, &self.vault);
                    }
                }
                let running = self.search.running() || !self.load.done;
                let changed = changed || running != j.running;
                j.running = running;
                changed
            }
            Rows::Text(t) => {
                let mut changed = std::mem::take(&mut p.stale);
                while let Some(message) = self.fulltext.as_ref().and_then(FullText::try_recv) {
                    changed |= take_message(t, message);
                }
                changed
            }
        };
        if let Some(p) = &mut self.picker {
            p.selected = p.selected.min(p.len().saturating_sub(1));
        }
        // A rebuilt preview (the terminal was resized) must be drawn too.
        self.update_preview() || changed
    }

    /// True while the engines may still change the picker's results.
    #[must_use]
    pub fn search_running(&self) -> bool {
        self.picker.as_ref().is_some_and(|p| match &p.rows {
            Rows::Jump(j) => j.running || self.search.running(),
            Rows::Text(t) => t.searching,
        })
    }

    /// Waits until the engines are done (tests): ticks nucleo until idle
    /// and blocks on the text worker until its `Done`. Never sleeps.
    pub fn settle_search(&mut self) {
        self.search.settle();
        let Some(p) = &mut self.picker else { return };
        p.stale = true;
        if let Rows::Text(t) = &mut p.rows
            && t.searching
        {
            while let Some(message) = self.fulltext.as_ref().and_then(FullText::recv) {
                take_message(t, message);
                if !t.searching {
                    break;
                }
            }
        }
        self.tick_search();
    }

    pub(super) fn move_picker(&mut self, motion: super::Motion) {
        let rows = self.picker_rows();
        if let Some(p) = &mut self.picker {
            let max = p.len().saturating_sub(1);
            p.selected = note_view::apply(p.selected, motion, rows, max);
            // Near the end of what was fetched, fetch the next matches.
            if let Rows::Jump(j) = &mut p.rows {
                let fetched = u32::try_from(j.hits.len()).unwrap_or(u32::MAX);
                if p.selected + 2 * rows >= j.hits.len() && fetched < j.matched {
                    j.fetched = j.fetched.max(SHOWN) + SHOWN;
                    p.stale = true;
                }
            }
        }
        self.tick_search();
    }

    /// A click while the picker is open: a row of the list opens it, a
    /// click outside the picker closes it (as Esc does).
    pub(super) fn click_picker(&mut self, col: u16, row: u16) {
        let layout = self.picker_layout();
        let at = ratatui::layout::Position::new(col, row);
        if layout.list.contains(at) {
            let rows = self.picker_rows();
            if let Some(p) = &mut self.picker {
                let index = p.offset(rows) + usize::from(row - layout.list.y);
                if index < p.len() {
                    p.selected = index;
                    self.pick();
                }
            }
        } else if !layout.frame.contains(at) {
            self.close_picker();
        }
    }

    /// Opens the selected row. The picker closes in any case.
    pub(super) fn pick(&mut self) {
        let Some(p) = self.picker.take() else { return };
        if let Some(ft) = &mut self.fulltext {
            ft.cancel();
        }
        match &p.rows {
            Rows::Jump(j) => {
                if let Some(hit) = j.hits.get(p.selected) {
                    self.open_item(hit.item);
                }
            }
            Rows::Text(t) => {
                if let Some(hit) = t.lines.get(p.selected) {
                    self.open_line(hit);
                }
            }
        }
        self.focus = Pane::Note;
    }

    fn open_item(&mut self, item: crate::search::SearchItem) {
        use crate::search::SearchItem;
        let heading = match item {
            SearchItem::Heading(_, h) => Some(h as usize),
            SearchItem::Note(_) | SearchItem::Channel(_) => None,
        };
        match item {
            SearchItem::Note(note) | SearchItem::Heading(note, _)
                if self.page == Page::Note(note) =>
            {
                self.history.push(self.location());
                match heading {
                    Some(h) => self.scroll_to_heading(h),
                    None => self.note.scroll = 0,
                }
            }
            SearchItem::Note(note) | SearchItem::Heading(note, _) => {
                self.navigate(Page::Note(note), heading);
            }
            SearchItem::Channel(channel) => {
                self.navigate(Page::of_channel(&self.vault, channel), None);
            }
        }
    }

    /// Opens a note at a matching line, with the match highlighted (as a
    /// find in the note, so `n`/`N` go on to the next ones).
    fn open_line(&mut self, hit: &TextHit) {
        if self.page == Page::Note(hit.note) {
            self.history.push(self.location());
        } else {
            self.navigate(Page::Note(hit.note), None);
        }
        // The note's text is still being read: the find waits for it.
        if let Some(arrival) = &mut self.arrival {
            arrival.find = Some((hit.text.clone(), hit.line));
            return;
        }
        self.find_at_line(hit.text.clone(), hit.line);
    }

    /// Finds `text` in the open note and shows the match at or after a
    /// source line.
    pub(super) fn find_at_line(&mut self, text: String, source_line: u32) {
        self.ensure_view();
        let line = self
            .view()
            .source_lines
            .iter()
            .position(|&s| s >= source_line && s != 0);
        let mut find = Find::new(text, self.page, self.note_width());
        find.editing = false;
        find.refresh(self.view());
        if let Some(line) = line {
            find.current = find
                .matches
                .iter()
                .position(|m| m.line >= line)
                .or(find.current);
            let target = find
                .current
                .and_then(|c| find.matches.get(c))
                .map_or(line, |m| m.line);
            let height = self.note_height();
            let max = note_view::max_scroll(self.view().lines.len(), height);
            self.note.scroll = target.saturating_sub(height / 3).min(max);
        }
        self.find = (!find.matches.is_empty()).then_some(find);
    }

    /// Remembers an opened note for the picker's empty query.
    pub(super) fn remember(&mut self, id: crate::vault::NoteId) {
        if self.recent.first() == Some(&id) {
            return;
        }
        self.recent.retain(|r| *r != id);
        self.recent.insert(0, id);
        self.recent.truncate(RECENT);
    }
}

/// Jump mode's rows: the matcher's best hits, after the recent notes when
/// the query is empty (those are left out of the rest, so none shows twice).
fn rebuild_jump_rows(
    p: &mut JumpRows,
    query: &str,
    search: &mut crate::search::NoteSearch,
    recent: &[crate::vault::NoteId],
    vault: &crate::vault::Vault,
) {
    let hits = search.results(0, p.fetched.max(SHOWN));
    (p.matched, p.total) = search.counts();
    p.recent = 0;
    if !query.is_empty() || p.scope == Scope::Headings || recent.is_empty() {
        p.hits = hits;
        return;
    }
    // An empty query matches everything with the same score, so a recent
    // note's row is simply its title.
    let mut rows: Vec<Hit> = recent
        .iter()
        .filter_map(|id| {
            let note = vault.get(*id)?;
            Some(Hit {
                item: crate::search::SearchItem::note(*id),
                text: note.title.clone(),
                indices: Vec::new(),
                score: 0,
            })
        })
        .collect();
    p.recent = rows.len();
    let is_recent =
        |h: &Hit| matches!(h.item, crate::search::SearchItem::Note(n) if recent.contains(&n));
    rows.extend(hits.into_iter().filter(|h| !is_recent(h)));
    p.hits = rows;
}

/// The bookmarks scope: bookmarked notes whose title holds every word of
/// the query (case aside), in the order they were marked. Few enough to
/// filter directly, and so never cut off by the matcher's first page.
fn bookmark_rows(
    p: &mut JumpRows,
    query: &str,
    bookmarks: &[crate::vault::NoteId],
    vault: &crate::vault::Vault,
) {
    p.recent = 0;
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    p.hits = bookmarks
        .iter()
        .filter_map(|&id| {
            let note = vault.get(id)?;
            let title = note.title.to_lowercase();
            words.iter().all(|w| title.contains(w)).then(|| Hit {
                item: crate::search::SearchItem::note(id),
                text: note.title.clone(),
                indices: Vec::new(),
                score: 0,
            })
        })
        .collect();
    p.matched = u32::try_from(p.hits.len()).unwrap_or(u32::MAX);
    p.total = u32::try_from(bookmarks.len()).unwrap_or(u32::MAX);
}

/// Takes one message of the text worker; true when the rows changed. Each
/// chunk's notes are merged into the ranked rows (a note's head row, then
/// its lines), so the list is ranked at every moment.
fn take_message(p: &mut TextRows, message: Message) -> bool {
    match message {
        Message::Notes { generation, notes } if generation == p.generation => {
            p.truncated |= fulltext::merge_rows(&mut p.lines, notes, fulltext::LIMIT);
            true
        }
        Message::Done {
            generation,
            truncated,
        } if generation == p.generation => {
            p.searching = false;
            p.truncated |= truncated;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
