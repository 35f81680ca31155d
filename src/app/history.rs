//! Back and forward, like a web browser: each entry is a page with the
//! scroll position and link cursor it was left at.

use super::{action::LinksTab, page::Page};
use crate::vault::NoteId;

/// Entries kept in each direction.
const LIMIT: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub page: Page,
    pub scroll: usize,
    pub cursor: Option<usize>,
    /// The links pane's tab and selected entry when the page was left,
    /// so that Back returns to the link that was followed.
    pub list: Option<(LinksTab, usize)>,
}

#[derive(Debug, Default, Clone)]
pub struct History {
    back: Vec<Location>,
    forward: Vec<Location>,
}

impl History {
    /// Leaves `current` for a new page: it goes on the back stack, and the
    /// forward stack is dropped.
    pub fn push(&mut self, current: Location) {
        self.back.push(current);
        if self.back.len() > LIMIT {
            self.back.remove(0);
        }
        self.forward.clear();
    }

    /// Goes back from `current`; `None` at the start.
    pub fn back(&mut self, current: Location) -> Option<Location> {
        let to = self.back.pop()?;
        self.forward.push(current);
        Some(to)
    }

    /// Goes forward from `current`; `None` at the end.
    pub fn forward(&mut self, current: Location) -> Option<Location> {
        let to = self.forward.pop()?;
        self.back.push(current);
        Some(to)
    }

    /// The back stack (oldest first) and the forward stack (the next
    /// place last), for saving.
    #[must_use]
    pub fn stacks(&self) -> (&[Location], &[Location]) {
        (&self.back, &self.forward)
    }

    /// Entries of notes that were renamed lead to their new names
    /// (`renamed_to` gives the new id of a removed note, if it has one).
    pub fn follow_renames(&mut self, renamed_to: impl Fn(NoteId) -> Option<NoteId>) {
        for location in self.back.iter_mut().chain(self.forward.iter_mut()) {
            if let Page::Note(id) = location.page
                && let Some(new) = renamed_to(id)
            {
                location.page = Page::Note(new);
            }
        }
    }

    /// History from an earlier run, put before this run's (back) and
    /// after it (forward).
    pub fn prepend(&mut self, back: Vec<Location>, forward: Vec<Location>) {
        let mut older = back;
        older.append(&mut self.back);
        let skip = older.len().saturating_sub(LIMIT);
        self.back = older.split_off(skip);
        if self.forward.is_empty() {
            self.forward = forward;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(scroll: usize) -> Location {
        Location {
            page: Page::Home,
            scroll,
            cursor: None,
            list: None,
        }
    }

    #[test]
    fn back_and_forward_restore_positions() {
        let mut h = History::default();
        assert_eq!(h.back(at(0)), None);
        h.push(at(1));
        h.push(at(2));
        assert_eq!(h.back(at(3)), Some(at(2)));
        assert_eq!(h.back(at(2)), Some(at(1)));
        assert_eq!(h.forward(at(1)), Some(at(2)));
        h.push(at(5));
        // A new place drops what was ahead.
        assert_eq!(h.forward(at(5)), None);
    }
}
