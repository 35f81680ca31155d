//! A selection in a list and the first entry shown, for the outline and the
//! links pane: moving, clamping and wheel scrolling are written once here
//! (the picker keeps its selection at the bottom of what it shows; see
//! `Picker::offset`).

use super::{action::Motion, note_view};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    /// The selected entry.
    pub selected: usize,
    /// The first entry shown.
    pub offset: usize,
}

impl ListCursor {
    /// Moves the selection by `motion` in a list of `len` entries with
    /// `page` entries on screen.
    pub fn apply(&mut self, motion: Motion, len: usize, page: usize) {
        self.selected = note_view::apply(self.selected, motion, page, len.saturating_sub(1));
    }

    /// After any change: the selection inside the list, and the offset
    /// showing it with `margin` entries of context, never past the end.
    pub fn keep_visible(&mut self, len: usize, page: usize, margin: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.offset = note_view::ensure_visible(self.offset, self.selected, page, margin)
            .min(note_view::max_scroll(len, page));
    }

    /// The wheel scrolls the list by `lines` entries; the selection stays
    /// among the entries shown.
    pub fn scroll(&mut self, down: bool, lines: usize, len: usize, page: usize) {
        let max = note_view::max_scroll(len, page);
        self.offset = if down {
            (self.offset + lines).min(max)
        } else {
            self.offset.saturating_sub(lines)
        };
        self.selected = self
            .selected
            .clamp(self.offset, self.offset + page.max(1) - 1);
    }

    /// The entry shown `row` rows below the top of the list, with entries
    /// `height` rows tall; `None` below the last entry.
    #[must_use]
    pub fn entry_at(&self, row: usize, height: usize, len: usize) -> Option<usize> {
        let index = self.offset + row / height.max(1);
        (index < len).then_some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_stays_in_the_list_and_on_screen() {
        let mut c = ListCursor::default();
        c.apply(Motion::Bottom, 50, 10);
        assert_eq!(c.selected, 49);
        c.keep_visible(50, 10, 2);
        assert_eq!(c.offset, 40);
        c.apply(Motion::PageUp, 50, 10);
        c.keep_visible(50, 10, 2);
        assert_eq!((c.selected, c.offset), (40, 38));
        // The list shrinks under the cursor.
        c.keep_visible(5, 10, 2);
        assert_eq!((c.selected, c.offset), (4, 0));
    }

    #[test]
    fn the_wheel_moves_the_view_and_drags_the_selection() {
        let mut c = ListCursor::default();
        c.scroll(true, 3, 50, 10);
        assert_eq!((c.selected, c.offset), (3, 3));
        c.scroll(true, 100, 50, 10);
        assert_eq!((c.selected, c.offset), (40, 40));
        c.scroll(false, 3, 50, 10);
        assert_eq!((c.selected, c.offset), (40, 37));
        assert_eq!(c.entry_at(5, 2, 50), Some(39));
        assert_eq!(c.entry_at(40, 1, 50), None);
    }
}
