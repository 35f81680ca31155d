//! The mouse: clicks and the wheel, mapped to panes through the shared layout.

use super::*;

impl App {
    pub(super) fn click(&mut self, col: u16, row: u16, effects: &mut Vec<Effect>) {
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
            if let Some(pane) = layout::tab_at(&layout::pane_tabs(tabs), col, row) {
                self.focus_to(pane);
            }
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
                    if let Some(tab) = layout::tab_at(&layout::links_tabs(rect), col, row) {
                        self.set_tab(tab);
                    }
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

    pub(super) fn wheel(&mut self, col: u16, row: u16, delta: i8) {
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
}
