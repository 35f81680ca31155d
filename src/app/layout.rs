//! Where everything goes on screen: a pure function of the terminal size and
//! a little state, shared by `ui` (to draw) and `app` (viewport sizes, mouse
//! hit-testing), so the two never disagree.

use ratatui::layout::{Constraint, Layout, Position, Rect};

use super::action::{LinksTab, Pane};

/// Below this the browser shows only "terminal too small".
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;
/// From this width on, all three panes are shown.
pub const WIDE: u16 = 120;
/// Below this width, one pane at a time with tabs.
pub const NARROW: u16 = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    TooSmall,
    /// One pane at a time, with a tab line on top.
    Narrow,
    /// A side pane (outline or links) and the note.
    Medium,
    /// Outline, note and links.
    Wide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AppLayout {
    pub mode: Option<Mode>,
    pub outline: Option<Rect>,
    pub note: Option<Rect>,
    pub links: Option<Rect>,
    /// The tab line of the narrow mode.
    pub tabs: Option<Rect>,
    pub status: Rect,
    pub hints: Rect,
    pub area: Rect,
}

impl AppLayout {
    #[must_use]
    pub fn mode(&self) -> Mode {
        self.mode.unwrap_or(Mode::TooSmall)
    }

    #[must_use]
    pub fn pane(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::Outline => self.outline,
            Pane::Note => self.note,
            Pane::Links => self.links,
        }
    }

    /// Panes on screen, left to right.
    #[must_use]
    pub fn visible(&self) -> Vec<Pane> {
        [Pane::Outline, Pane::Note, Pane::Links]
            .into_iter()
            .filter(|p| self.pane(*p).is_some())
            .collect()
    }

    /// The pane under a screen cell.
    #[must_use]
    pub fn pane_at(&self, col: u16, row: u16) -> Option<Pane> {
        let pos = Position::new(col, row);
        [Pane::Outline, Pane::Note, Pane::Links]
            .into_iter()
            .find(|p| self.pane(*p).is_some_and(|r| r.contains(pos)))
    }
}

/// The outline is never narrower than this (a resize or a saved width).
pub const OUTLINE_MIN: u16 = 14;
/// Columns the note pane keeps, whatever widths the side panes are given.
const NOTE_MIN: u16 = 40;

/// Widths asked for the side panes: the outline's from a resize (kept in
/// the state file) or the config's `[panes]`, the links pane's from the
/// config. `None` keeps the width that follows the terminal's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaneWidths {
    pub outline: Option<u16>,
    pub links: Option<u16>,
}

/// Lays out the screen at the panes' automatic widths (see
/// [`layout_with`]).
#[must_use]
pub fn layout(area: Rect, focus: Pane, side: Pane) -> AppLayout {
    layout_with(area, focus, side, PaneWidths::default())
}

/// The outline's automatic width in the wide and medium modes.
#[must_use]
pub fn auto_outline_width(width: u16) -> u16 {
    if width >= WIDE {
        (width * 22 / 100).clamp(24, 40)
    } else {
        (width * 30 / 100).clamp(24, 34)
    }
}

/// The links pane's width in the wide mode: the one asked for, or the
/// automatic one, leaving the note and the narrowest outline their room.
fn links_width(width: u16, asked: Option<u16>) -> u16 {
    let auto = (width * 26 / 100).clamp(30, 48);
    asked
        .unwrap_or(auto)
        .min(width.saturating_sub(NOTE_MIN + OUTLINE_MIN))
}

/// The widths the outline may take at a terminal width: from
/// [`OUTLINE_MIN`] to what leaves the note (and the links pane, when
/// shown) their room.
#[must_use]
pub fn outline_bounds(width: u16, links: Option<u16>) -> (u16, u16) {
    let others = if width >= WIDE {
        links_width(width, links) + NOTE_MIN
    } else {
        NOTE_MIN
    };
    let max = width.saturating_sub(others).max(OUTLINE_MIN);
    (OUTLINE_MIN, max)
}

/// The outline's width: the one asked for (kept within
/// [`outline_bounds`]), or the automatic one.
#[must_use]
pub fn outline_width(width: u16, widths: PaneWidths) -> u16 {
    let (min, max) = outline_bounds(width, widths.links);
    widths
        .outline
        .map_or_else(|| auto_outline_width(width).min(max), |w| w.clamp(min, max))
}

/// Lays out the screen. `focus` picks the pane of the narrow mode; `side`
/// picks which of outline and links shares the medium mode with the note;
/// `widths` are the side panes' widths asked for (`None`: automatic). The
/// note keeps at least [`NOTE_MIN`] columns whatever they ask.
#[must_use]
pub fn layout_with(area: Rect, focus: Pane, side: Pane, widths: PaneWidths) -> AppLayout {
    let mut out = AppLayout {
        area,
        ..AppLayout::default()
    };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        out.mode = Some(Mode::TooSmall);
        return out;
    }
    let [main, status, hints] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    out.status = status;
    out.hints = hints;
    let w = area.width;
    if w >= WIDE {
        let outline = outline_width(w, widths);
        let links = links_width(w, widths.links);
        let [o, n, l] = Layout::horizontal([
            Constraint::Length(outline),
            Constraint::Fill(1),
            Constraint::Length(links),
        ])
        .areas(main);
        out.mode = Some(Mode::Wide);
        (out.outline, out.note, out.links) = (Some(o), Some(n), Some(l));
    } else if w >= NARROW {
        let side_width = if side == Pane::Links {
            widths
                .links
                .unwrap_or_else(|| auto_outline_width(w))
                .min(w.saturating_sub(NOTE_MIN))
        } else {
            outline_width(w, widths)
        };
        let [s, n] =
            Layout::horizontal([Constraint::Length(side_width), Constraint::Fill(1)]).areas(main);
        out.mode = Some(Mode::Medium);
        out.note = Some(n);
        if side == Pane::Links {
            out.links = Some(s);
        } else {
            out.outline = Some(s);
        }
    } else {
        let [tabs, pane] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(main);
        out.mode = Some(Mode::Narrow);
        out.tabs = Some(tabs);
        match focus {
            Pane::Outline => out.outline = Some(pane),
            Pane::Note => out.note = Some(pane),
            Pane::Links => out.links = Some(pane),
        }
    }
    out
}

/// The text area inside the note pane's border, with one column of padding
/// on each side.
#[must_use]
pub fn note_text(pane: Rect) -> Rect {
    let inner = inner(pane);
    Rect {
        x: inner.x.saturating_add(1),
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// Inside a bordered pane.
#[must_use]
pub fn inner(pane: Rect) -> Rect {
    Rect {
        x: pane.x.saturating_add(1),
        y: pane.y.saturating_add(1),
        width: pane.width.saturating_sub(2),
        height: pane.height.saturating_sub(2),
    }
}

/// The list area of the links pane: inside the border, below its tab line.
#[must_use]
pub fn links_list(pane: Rect) -> Rect {
    let inner = inner(pane);
    Rect {
        y: inner.y.saturating_add(2),
        height: inner.height.saturating_sub(2),
        ..inner
    }
}

/// Three cells across the first row of `line`, equal but for the last,
/// which takes what the division leaves: the links pane's tab line and
/// the narrow mode's pane tabs.
#[must_use]
pub fn thirds(line: Rect) -> [Rect; 3] {
    let third = line.width / 3;
    let height = line.height.min(1);
    [
        Rect::new(line.x, line.y, third, height),
        Rect::new(line.x + third, line.y, third, height),
        Rect::new(line.x + third * 2, line.y, line.width - third * 2, height),
    ]
}

/// The narrow mode's tab line, one cell per pane.
#[must_use]
pub fn pane_tabs(tabs: Rect) -> [(Pane, Rect); 3] {
    let [a, b, c] = thirds(tabs);
    [(Pane::Outline, a), (Pane::Note, b), (Pane::Links, c)]
}

/// The links pane's tab line (inside the border, above the list), one
/// cell per tab.
#[must_use]
pub fn links_tabs(pane: Rect) -> [(LinksTab, Rect); 3] {
    let [a, b, c] = thirds(inner(pane));
    [
        (LinksTab::Links, a),
        (LinksTab::Backlinks, b),
        (LinksTab::Timestamps, c),
    ]
}

/// The item of a tab line under a screen cell.
#[must_use]
pub fn tab_at<T: Copy>(tabs: &[(T, Rect)], col: u16, row: u16) -> Option<T> {
    tabs.iter()
        .find(|(_, cell)| cell.contains(Position::new(col, row)))
        .map(|(item, _)| *item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_by_width() {
        let l = layout(Rect::new(0, 0, 120, 40), Pane::Note, Pane::Outline);
        assert_eq!(l.mode(), Mode::Wide);
        assert_eq!(l.visible(), vec![Pane::Outline, Pane::Note, Pane::Links]);
        let l = layout(Rect::new(0, 0, 100, 30), Pane::Note, Pane::Links);
        assert_eq!(l.visible(), vec![Pane::Note, Pane::Links]);
        let l = layout(Rect::new(0, 0, 60, 20), Pane::Links, Pane::Outline);
        assert_eq!(l.visible(), vec![Pane::Links]);
        assert_eq!(
            layout(Rect::new(0, 0, 29, 20), Pane::Note, Pane::Outline).mode(),
            Mode::TooSmall
        );
        assert_eq!(
            layout(Rect::new(0, 0, 40, 7), Pane::Note, Pane::Outline).mode(),
            Mode::TooSmall
        );
    }

    #[test]
    fn the_outline_width_is_kept_within_bounds_and_the_note_keeps_room() {
        let area = Rect::new(0, 0, 120, 40);
        let auto = layout(area, Pane::Note, Pane::Outline);
        assert_eq!(auto.outline.unwrap().width, 26);
        let wide = layout_with(area, Pane::Note, Pane::Outline, outline(45));
        assert_eq!(wide.outline.unwrap().width, 45);
        assert_eq!(wide.note.unwrap().x, 45);
        let huge = layout_with(area, Pane::Note, Pane::Outline, outline(500));
        assert!(huge.note.unwrap().width >= NOTE_MIN, "{huge:?}");
        let tiny = layout_with(area, Pane::Note, Pane::Outline, outline(1));
        assert_eq!(tiny.outline.unwrap().width, OUTLINE_MIN);
        // Between 80 and 120 columns the outline takes its width, the links
        // pane keeps its own.
        let medium = Rect::new(0, 0, 90, 30);
        let o = layout_with(medium, Pane::Note, Pane::Outline, outline(40));
        assert_eq!(o.outline.unwrap().width, 40);
        let l = layout_with(medium, Pane::Note, Pane::Links, outline(40));
        assert_eq!(l.links.unwrap().width, auto_outline_width(90));
        assert_eq!(outline_bounds(80, None), (OUTLINE_MIN, 40));
        // The config's links width is kept, and the outline's bounds
        // leave it its room.
        let links = PaneWidths {
            outline: Some(500),
            links: Some(50),
        };
        let both = layout_with(area, Pane::Note, Pane::Outline, links);
        assert_eq!(both.links.unwrap().width, 50);
        assert_eq!(both.note.unwrap().width, NOTE_MIN);
    }

    fn outline(width: u16) -> PaneWidths {
        PaneWidths {
            outline: Some(width),
            links: None,
        }
    }

    #[test]
    fn tab_cells_cover_the_line_and_are_found_by_column() {
        let pane = Rect::new(10, 5, 32, 20);
        let tabs = links_tabs(pane);
        let widths: Vec<u16> = tabs.iter().map(|(_, r)| r.width).collect();
        assert_eq!(widths, [10, 10, 10]);
        assert_eq!(tabs[0].1.x, 11);
        assert_eq!(tab_at(&tabs, 11, 6), Some(LinksTab::Links));
        assert_eq!(tab_at(&tabs, 30, 6), Some(LinksTab::Backlinks));
        assert_eq!(tab_at(&tabs, 40, 6), Some(LinksTab::Timestamps));
        // The border and the rows below the tab line are not tabs.
        assert_eq!(tab_at(&tabs, 10, 6), None);
        assert_eq!(tab_at(&tabs, 20, 7), None);
        let narrow = pane_tabs(Rect::new(0, 0, 31, 1));
        assert_eq!(narrow[2].1.width, 11);
        assert_eq!(tab_at(&narrow, 30, 0), Some(Pane::Links));
    }
}
