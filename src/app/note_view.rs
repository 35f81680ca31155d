//! The note pane's state: where it is scrolled to and which target (link or
//! timestamp) the link cursor is on. Pure scroll helpers live here.

use super::action::Motion;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoteView {
    /// First visible rendered line.
    pub scroll: usize,
    /// Index into the view's targets.
    pub cursor: Option<usize>,
    /// A link of the note (index into its links) whose lines are marked
    /// until the next navigation: the one a followed backlink came from.
    pub highlight: Option<usize>,
}

/// The largest useful scroll: the last line at the bottom of the viewport.
#[must_use]
pub fn max_scroll(len: usize, height: usize) -> usize {
    len.saturating_sub(height.max(1))
}

/// Applies a motion to a scroll offset (or a selection, with `height` the
/// page size), clamped to `0..=max`.
#[must_use]
pub fn apply(pos: usize, motion: Motion, height: usize, max: usize) -> usize {
    let page = height.max(1);
    let half = (page / 2).max(1);
    let to = match motion {
        Motion::Down => pos.saturating_add(1),
        Motion::Up => pos.saturating_sub(1),
        Motion::PageDown => pos.saturating_add(page.saturating_sub(1).max(1)),
        Motion::PageUp => pos.saturating_sub(page.saturating_sub(1).max(1)),
        Motion::HalfDown => pos.saturating_add(half),
        Motion::HalfUp => pos.saturating_sub(half),
        Motion::Top => 0,
        Motion::Bottom => max,
    };
    to.min(max)
}

/// The scroll offset that shows `line`, moving as little as possible;
/// `margin` lines of context are kept above and below when there is room.
#[must_use]
pub fn ensure_visible(scroll: usize, line: usize, height: usize, margin: usize) -> usize {
    let height = height.max(1);
    let margin = margin.min(height.saturating_sub(1) / 2);
    if line < scroll + margin {
        line.saturating_sub(margin)
    } else if line + margin >= scroll + height {
        (line + margin + 1).saturating_sub(height)
    } else {
        scroll
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn motions_clamp() {
        assert_eq!(apply(0, Motion::Up, 10, 50), 0);
        assert_eq!(apply(49, Motion::PageDown, 10, 50), 50);
        assert_eq!(apply(20, Motion::HalfUp, 10, 50), 15);
        assert_eq!(apply(20, Motion::Bottom, 10, 50), 50);
        assert_eq!(apply(3, Motion::Down, 10, 0), 0);
    }

    #[test]
    fn ensure_visible_moves_minimally() {
        assert_eq!(ensure_visible(0, 5, 10, 2), 0);
        assert_eq!(ensure_visible(0, 9, 10, 2), 2);
        assert_eq!(ensure_visible(20, 5, 10, 2), 3);
        assert_eq!(ensure_visible(20, 25, 10, 2), 20);
        assert_eq!(ensure_visible(0, 3, 1, 2), 3);
    }
}
