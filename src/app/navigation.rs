//! Navigation: focus, pages and history, moving in panes, and following
//! links and rows.

use super::*;

impl App {
    pub(super) fn focus_to(&mut self, pane: Pane) {
        self.focus = pane;
        if pane != Pane::Note {
            self.side = pane;
        }
    }

    pub(super) fn set_tab(&mut self, tab: LinksTab) {
        if self.links.tab() != tab {
            self.links.tab = tab;
            self.links.cursor.selected = 0;
            self.links.cursor.offset = 0;
            self.refresh_links();
        }
    }

    /// Opens a page as following a link would (history is kept).
    pub fn open(&mut self, page: Page) {
        self.navigate(page, None);
        self.sync();
    }

    /// Opens a page, remembering where we were.
    pub(super) fn navigate(&mut self, page: Page, heading: Option<usize>) {
        self.history.push(self.location());
        self.show(Location {
            page,
            scroll: 0,
            cursor: None,
            list: None,
        });
        if let Some(h) = heading {
            match &mut self.arrival {
                Some(arrival) => arrival.heading = Some(h),
                None => self.scroll_to_heading(h),
            }
        }
    }

    /// Shows a location without touching history.
    pub(super) fn show(&mut self, to: Location) {
        let changed = to.page != self.page;
        self.page = to.page;
        self.note = NoteView {
            scroll: to.scroll,
            cursor: to.cursor,
            highlight: None,
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
                    line: None,
                });
            }
        }
        if changed {
            if let Page::Note(id) = to.page {
                self.outline.reveal(&self.vault, id);
            }
            self.links.cursor.selected = 0;
            self.links.cursor.offset = 0;
            self.ensure_view();
            self.rebuild_outline();
            self.refresh_links();
        }
        // Back (or forward) to a page: its links list as it was left.
        if let Some((tab, selected)) = to.list {
            self.set_tab(tab);
            self.links.cursor.selected = selected;
        }
    }

    pub(super) fn go_back(&mut self) {
        match self.history.back(self.location()) {
            Some(to) => self.show(to),
            None => self.info("Nothing to go back to"),
        }
    }

    pub(super) fn go_forward(&mut self) {
        match self.history.forward(self.location()) {
            Some(to) => self.show(to),
            None => self.info("Nothing to go forward to"),
        }
    }

    pub(super) fn scroll_to_heading(&mut self, heading: usize) {
        self.ensure_view();
        if let Some(h) = self.view().headings.iter().find(|h| h.heading == heading) {
            self.note.scroll = h.line;
        }
    }

    /// After notes were renamed on disk (a note or a folder moved), the
    /// places that named them by id (history, recent notes, bookmarks)
    /// lead to their new names instead of the removed page.
    pub(super) fn follow_renames(&mut self) {
        let vault = &self.vault;
        let renamed_to = |id| vault.is_removed(id).then(|| vault.renamed_to(id)).flatten();
        self.history.follow_renames(renamed_to);
        for id in self.recent.iter_mut().chain(self.bookmarks.iter_mut()) {
            if let Some(new) = renamed_to(*id) {
                *id = new;
            }
        }
        let mut seen = std::collections::HashSet::new();
        self.recent.retain(|id| seen.insert(*id));
        let mut seen = std::collections::HashSet::new();
        self.bookmarks.retain(|id| seen.insert(*id));
    }

    pub(super) fn rebuild_outline(&mut self) {
        self.outline.rebuild(&self.vault, self.open_note());
    }

    pub(super) fn refresh_links(&mut self) {
        self.ensure_view();
        let view = self
            .cache
            .get(&(self.page, self.note_width()))
            .unwrap_or(&self.empty);
        self.links.entries = if self.links_wait_for_bodies() {
            Vec::new()
        } else {
            links::entries(
                &self.vault,
                self.page,
                view,
                self.links.tab(),
                &self.texts,
                self.links.sort,
            )
        };
    }

    // ----- moving ------------------------------------------------------------

    pub(super) fn move_in(&mut self, motion: Motion) {
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
                let (len, page) = (self.outline.rows.len(), self.outline_height());
                self.outline.cursor.apply(motion, len, page);
            }
            Pane::Links => {
                let (len, page) = (self.links.entries.len(), self.links_capacity());
                self.links.cursor.apply(motion, len, page);
            }
        }
    }

    pub(super) fn jump_heading(&mut self, forward: bool) {
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

    pub(super) fn cursor_visible(&self) -> Option<usize> {
        let c = self.note.cursor?;
        let line = self.view().targets.get(c)?.first_line();
        (line >= self.note.scroll && line < self.note.scroll + self.note_height()).then_some(c)
    }

    /// The target under the current match of a find (`/` then Enter on a
    /// home page entry follows that entry): one the match overlaps, else
    /// the first on the match's line.
    pub(super) fn target_at_match(&self) -> Option<usize> {
        let find = self.find.as_ref()?;
        let found = find.matches.get(find.current?)?;
        let targets = &self.view().targets;
        // A match may cover several lines (across a wrap): a target
        // overlapping any of its pieces is under it.
        let on_line = |t: &page::ViewTarget, overlap: bool| {
            t.pieces.iter().any(|(line, cols)| {
                if overlap {
                    found.pieces.iter().any(|(at, span)| {
                        at == line && cols.start < span.end && span.start < cols.end
                    })
                } else {
                    *line == found.line
                }
            })
        };
        targets
            .iter()
            .position(|t| on_line(t, true))
            .or_else(|| targets.iter().position(|t| on_line(t, false)))
    }

    /// Moves the link cursor through targets in reading order. From off
    /// screen it starts at the first (or last) visible target.
    pub(super) fn move_cursor(&mut self, forward: bool) {
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

    pub(super) fn set_cursor(&mut self, target: usize) {
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

    /// The cursor on the link a followed backlink came from, its line a
    /// third of the way down the pane, where the eye looks first (not at
    /// the bottom edge, as moving the cursor onto it would leave it).
    pub(super) fn show_linking_line(&mut self, target: usize) {
        self.set_cursor(target);
        let Some(line) = self
            .view()
            .targets
            .get(target)
            .map(page::ViewTarget::first_line)
        else {
            return;
        };
        let height = self.note_height();
        let max = note_view::max_scroll(self.view().lines.len(), height);
        self.note.scroll = line.saturating_sub(height / 3).min(max);
    }

    // ----- following ---------------------------------------------------------

    pub(super) fn activate(&mut self, effects: &mut Vec<Effect>) {
        match self.focus {
            Pane::Note => match self.target_at_match().or_else(|| self.cursor_visible()) {
                Some(c) => {
                    let dest = self.view().targets[c].dest.clone();
                    self.follow(&dest, effects);
                }
                None => {
                    let key = self
                        .keymap
                        .key_for(keymap::Context::Note, Action::NextTarget)
                        .unwrap_or_else(|| "n".to_owned());
                    self.info(format!("No link under the cursor: press {key} to pick one"));
                }
            },
            Pane::Outline => self.activate_row(),
            Pane::Links => {
                let Some(entry) = self.links.entries.get(self.links.cursor.selected) else {
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
                        self.note.highlight = Some(link);
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
                            self.show_linking_line(t);
                        }
                    }
                }
            }
        }
    }

    pub(super) fn activate_row(&mut self) {
        let Some(row) = self.outline.rows.get(self.outline.cursor.selected).cloned() else {
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
            Row::File { path, .. } => self.open_once_walked(path),
            Row::Video { .. } | Row::Listing { .. } => {}
        }
    }

    /// Follows a target of the open page.
    pub(super) fn follow(&mut self, dest: &Dest, effects: &mut Vec<Effect>) {
        match dest {
            Dest::Link(_) if self.open_note().is_some_and(|id| self.body_pending(id)) => {
                self.info("Still loading: links resolve once the vault is read");
            }
            Dest::Link(i) => {
                let Some((resolution, wanted, target)) = self
                    .open_note()
                    .and_then(|id| self.vault.note(id).links.get(*i))
                    .map(|l| {
                        (
                            l.resolution(),
                            l.heading().map(str::to_owned),
                            l.target().to_owned(),
                        )
                    })
                else {
                    return;
                };
                match (resolution, page::page_of(resolution)) {
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
                        if let (Some(wanted), None) = (&wanted, heading) {
                            self.warn(format!("No heading “{wanted}” in that note"));
                        }
                    }
                    (Resolution::Pending, _) => {
                        self.info("Still loading: links resolve once the vault is read")
                    }
                    _ => self.warn(format!(
                        "No note for “{}” yet: a topic without a note",
                        target
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
}
