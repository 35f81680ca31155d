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
        if let Some(outline) = layout
            .outline
            .filter(|_| layout.mode() != layout::Mode::Narrow)
            && on_border(outline, col, row)
        {
            self.dragging = true;
            return;
        }
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
                    let len = self.outline.rows.len();
                    let cursor = self.outline.cursor;
                    if let Some(i) = cursor.entry_at(usize::from(row - inner.y), 1, len) {
                        self.outline.cursor.selected = i;
                        // A click on a note's ▸/▾ folds or unfolds it.
                        let depth = self.outline.rows[i].depth();
                        let marker = inner.x.saturating_add(depth.saturating_mul(2));
                        let on_marker = col == marker || col == marker.saturating_add(1);
                        if on_marker
                            && matches!(self.outline.rows[i], Row::Note { open: Some(_), .. })
                        {
                            self.toggle_fold();
                        } else {
                            self.activate_row();
                        }
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
                if list.contains(Position::new(col, row))
                    && let Some(i) = self.links.entry_at(usize::from(row - list.y))
                {
                    self.links.cursor.selected = i;
                    self.activate(effects);
                }
            }
        }
    }

    /// The mouse moved with its button held: a drag of the outline's
    /// border sets its width.
    pub(super) fn drag(&mut self, col: u16, _row: u16) {
        if !self.dragging {
            return;
        }
        if let Some(outline) = self.layout().outline {
            let (min, max) = layout::outline_bounds(self.area.width, self.pane_widths.links);
            let width = col.saturating_sub(outline.x).saturating_add(1);
            self.outline_width = Some(width.clamp(min, max));
        }
    }

    /// `<` and `>`: the outline narrower or wider.
    pub(super) fn resize_outline(&mut self, by: i16) {
        let width = self.area.width;
        if width < layout::NARROW {
            self.info("The outline has a width of its own from 80 columns on");
            return;
        }
        let (min, max) = layout::outline_bounds(width, self.pane_widths.links);
        let now = layout::outline_width(width, self.pane_widths());
        let to = now.saturating_add_signed(by).clamp(min, max);
        self.outline_width = Some(to);
        if to == now {
            self.info(format!(
                "The outline is as {} as it gets here",
                if by < 0 { "narrow" } else { "wide" }
            ));
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
                let (len, page) = (self.outline.rows.len(), self.outline_height());
                self.outline.cursor.scroll(down, WHEEL_LINES, len, page);
            }
            Pane::Links => {
                let (len, page) = (self.links.entries.len(), self.links_capacity());
                self.links.cursor.apply(motion, len, page);
            }
        }
    }
}

/// Whether a cell is on the border between the outline and the note: the
/// outline's right edge or the column after it (the note's left edge), in
/// the rows of the pane.
fn on_border(outline: Rect, col: u16, row: u16) -> bool {
    let edge = outline.right().saturating_sub(1);
    (col == edge || col == edge + 1) && row >= outline.y && row < outline.bottom()
}
