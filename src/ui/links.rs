//! The links pane: a tab line (links, backlinks, timestamps) over a list.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Modifier,
    text::{Line, Span},
    widgets::Widget,
};

use super::{pane_block, put_line, safe, truncate, wrap_lines};
use crate::app::{
    App, LinksTab, Page, Pane, layout,
    links::{self, Entry, EntryKind},
};

pub struct LinksPane<'a> {
    pub app: &'a App,
}

impl LinksPane<'_> {
    /// One entry of the list at row `y`: its label, then its detail lines
    /// (a backlink's sentence is only detail, under its note's row).
    fn entry(&self, entry: &Entry, list: Rect, y: u16, selected: bool, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        let focused = app.focus == Pane::Links;
        let bottom = list.y + list.height;
        let width = usize::from(list.width);
        let height = u16::try_from(entry.height).unwrap_or(1).max(1);
        if selected {
            let sel = if focused {
                theme.selected
            } else {
                theme.selected_unfocused
            };
            // A timestamp's last row is a gap before the next one.
            let rows = if app.links.tab() == LinksTab::Timestamps {
                height.saturating_sub(1).max(1)
            } else {
                height
            };
            let rows = rows.min(bottom.saturating_sub(y));
            buf.set_style(Rect::new(list.x, y, list.width, rows), sel);
        }
        let marker = || {
            if selected {
                Span::styled("▌", theme.mark)
            } else {
                Span::raw(" ")
            }
        };
        let mut detail_lines = usize::from(height);
        let mut detail_y = y;
        if entry.kind != EntryKind::Context {
            let style = match entry.kind {
                _ if entry.missing => theme.missing,
                EntryKind::Group => theme.pane_link.add_modifier(Modifier::BOLD),
                _ => theme.pane_link,
            };
            let count = match entry.kind {
                EntryKind::Group => format!(" ×{}", entry.count),
                _ if entry.count > 1 => format!(" ×{}", entry.count),
                _ => String::new(),
            };
            let room = width.saturating_sub(2 + count.chars().count());
            let label = [
                marker(),
                Span::styled(truncate(&safe(&entry.label), room), style),
                Span::styled(count, theme.count),
            ];
            put_line(buf, list.x, y, list.width, &label, theme.text);
            detail_lines = detail_lines.saturating_sub(1).min(2);
            detail_y = y + 1;
        }
        if entry.detail.is_empty() || detail_lines == 0 {
            return;
        }
        for (k, text) in wrap_lines(&safe(&entry.detail), width.saturating_sub(3), detail_lines)
            .into_iter()
            .enumerate()
        {
            let dy = detail_y + u16::try_from(k).unwrap_or(0);
            if dy >= bottom {
                break;
            }
            put_line(
                buf,
                list.x,
                dy,
                list.width,
                &[marker(), Span::raw("  "), Span::styled(text, theme.dim)],
                theme.text,
            );
        }
    }

    /// The tab line: each tab's symbol and count, the same while loading
    /// and after, kept inside its cell with a space either side (a count
    /// too long for that is shortened: `12k`, then left out).
    fn tab_line(&self, area: Rect, inner: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        let counts = self.counts();
        for (i, (tab, cell)) in layout::links_tabs(area).into_iter().enumerate() {
            let symbol = ["→", "←", "◷"][i];
            let room = usize::from(cell.width.saturating_sub(2));
            let label = tab_label(symbol, counts[i], room);
            let style = if app.links.tab() == tab {
                theme.tab_active
            } else {
                theme.tab
            };
            buf.set_style(Rect::new(cell.x, inner.y, cell.width, 1), style);
            let label = truncate(&label, usize::from(cell.width));
            let pad = (usize::from(cell.width)
                .saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str())))
                / 2;
            put_line(
                buf,
                cell.x + u16::try_from(pad).unwrap_or(0),
                inner.y,
                cell.width,
                &[Span::raw(label)],
                style,
            );
        }
    }

    /// Counts shown in the tab line, from the vault (not the built list, which
    /// exists only for the current tab): targets linked, notes linking here
    /// (unknown until the vault has loaded), timestamps.
    fn counts(&self) -> [Option<usize>; 3] {
        let app = self.app;
        match app.page {
            Page::Note(id) => {
                let note = app.vault.note(id);
                let links = if app.links.tab() == LinksTab::Links {
                    app.links.entries.len()
                } else {
                    links::link_targets(&app.vault, id).len()
                };
                let backlinks = app.load.done.then(|| links::linking_notes(&app.vault, id));
                // A note known by its head: its links and timestamps are
                // on their way (its backlinks are known).
                let whole = !app.body_pending(id);
                [
                    whole.then_some(links),
                    backlinks,
                    whole.then_some(note.timestamps.len()),
                ]
            }
            _ => [Some(app.view().targets.len()), None, None],
        }
    }

    /// The pane's title: which tab, and on the backlinks tab their order.
    fn title(&self) -> String {
        match self.app.links.tab() {
            LinksTab::Links => " Links ".to_owned(),
            LinksTab::Backlinks => format!(" Backlinks {} ", self.app.links.sort.label()),
            LinksTab::Timestamps => " Timestamps ".to_owned(),
        }
    }
}

/// A tab's label in at most `room` columns: the symbol and the count, the
/// count shortened (`12k`) or left out when it does not fit.
fn tab_label(symbol: &str, count: Option<usize>, room: usize) -> String {
    let Some(n) = count else {
        return symbol.to_owned();
    };
    let mut forms = vec![n.to_string()];
    if n >= 1000 {
        forms.push(format!("{}k", n / 1000));
    }
    forms
        .into_iter()
        .map(|c| format!("{symbol} {c}"))
        .find(|l| l.chars().count() <= room)
        .unwrap_or_else(|| symbol.to_owned())
}

impl Widget for LinksPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        let focused = app.focus == Pane::Links;
        pane_block(Line::from(self.title()), focused, &self.app.theme).render(area, buf);
        let inner = layout::inner(area);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        self.tab_line(area, inner, buf);
        let list = layout::links_list(area);
        let entries = &app.links.entries;
        if entries.is_empty() {
            let msg = match (app.links.tab(), app.page) {
                (_, Page::Note(_)) if app.links_wait_for_bodies() => "resolving…",
                // A cold start hands the parsed notes over all at once: a
                // note opened before then is only its file's text so far.
                (_, Page::Note(id)) if !app.load.done && !app.vault.note(id).parsed => "resolving…",
                (LinksTab::Backlinks, Page::Note(_)) if !app.load.done => "resolving…",
                (LinksTab::Backlinks, Page::Note(_)) => "No note links here",
                (LinksTab::Timestamps, Page::Note(_)) => "No timestamps",
                (LinksTab::Links, _) => "No links",
                _ => "Only notes have these",
            };
            put_line(
                buf,
                list.x + 1,
                list.y,
                list.width.saturating_sub(1),
                &[Span::styled(msg, theme.dim)],
                theme.text,
            );
            return;
        }
        let mut y = list.y;
        for (i, entry) in entries.iter().enumerate().skip(app.links.cursor.offset) {
            if y >= list.y + list.height {
                break;
            }
            self.entry(entry, list, y, i == app.links.cursor.selected, buf);
            y = y.saturating_add(u16::try_from(entry.height.max(1)).unwrap_or(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tab_label;

    #[test]
    fn tab_labels_shorten_their_count_to_fit() {
        assert_eq!(tab_label("→", Some(105), 5), "→ 105");
        assert_eq!(tab_label("←", Some(1234), 6), "← 1234");
        assert_eq!(tab_label("←", Some(1234), 5), "← 1k");
        assert_eq!(tab_label("←", Some(5678), 6), "← 5678");
        assert_eq!(tab_label("←", Some(1234), 5), "← 1k");
        assert_eq!(tab_label("←", Some(12_345), 5), "← 12k");
        assert_eq!(tab_label("◷", Some(123_456), 5), "◷");
        assert_eq!(tab_label("◷", None, 5), "◷");
    }
}
