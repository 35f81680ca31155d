//! The links pane: a tab line (links, backlinks, timestamps) over a list.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
    widgets::Widget,
};

use super::{pane_block, put_line, safe, truncate, wrap_lines};
use crate::app::{App, LinksTab, Page, Pane, layout, links::entry_height};

pub struct LinksPane<'a> {
    pub app: &'a App,
}

impl LinksPane<'_> {
    /// One entry of the list at row `y`: its label, then its detail lines.
    fn entry(
        &self,
        entry: &crate::app::links::Entry,
        list: Rect,
        y: u16,
        selected: bool,
        buf: &mut Buffer,
    ) {
        let theme = &self.app.theme;
        let app = self.app;
        let focused = app.focus == Pane::Links;
        let height = entry_height(app.links.tab());
        let width = usize::from(list.width);
        if selected {
            let sel = if focused {
                theme.selected
            } else {
                theme.selected_unfocused
            };
            let rows = u16::try_from(
                height.saturating_sub(usize::from(app.links.tab() != LinksTab::Links)),
            )
            .unwrap_or(1);
            buf.set_style(Rect::new(list.x, y, list.width, rows.max(1)), sel);
        }
        let marker = if selected {
            Span::styled("▌", theme.mark)
        } else {
            Span::raw(" ")
        };
        let style = if entry.missing {
            theme.missing
        } else {
            theme.pane_link
        };
        let room = width.saturating_sub(2);
        let label = [
            marker.clone(),
            Span::styled(truncate(&safe(&entry.label), room), style),
        ];
        put_line(buf, list.x, y, list.width, &label, theme.text);
        let detail_lines = height.saturating_sub(1).min(2);
        let detail_lines = if app.links.tab() == LinksTab::Links {
            1
        } else {
            detail_lines
        };
        for (k, text) in wrap_lines(&safe(&entry.detail), width.saturating_sub(3), detail_lines)
            .into_iter()
            .enumerate()
        {
            let dy = y + 1 + u16::try_from(k).unwrap_or(0);
            if dy >= list.y + list.height {
                break;
            }
            let m = if selected {
                Span::styled("▌", theme.mark)
            } else {
                Span::raw(" ")
            };
            put_line(
                buf,
                list.x,
                dy,
                list.width,
                &[m, Span::raw("  "), Span::styled(text, theme.dim)],
                theme.text,
            );
        }
    }

    /// The tab line: each tab's name (shortened to fit) and count.
    fn tab_line(&self, area: Rect, inner: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        let third = inner.width / 3;
        let counts = self.counts();
        // The longest names that fit in a third of the pane, with a margin.
        let names = [
            ["Links", "Backlinks", "Timestamps"],
            ["Links", "Back", "Times"],
            ["→", "←", "◷"],
        ]
        .into_iter()
        .find(|names| {
            names.iter().zip(counts).all(|(name, n)| {
                name.chars().count() + n.map_or(0, |n| n.to_string().len() + 1) < usize::from(third)
            })
        })
        .unwrap_or(["→", "←", "◷"]);
        for (i, (tab, cell)) in layout::links_tabs(area).into_iter().enumerate() {
            let name = names[i];
            let (x, width) = (cell.x, cell.width);
            let label = match counts[i] {
                Some(n) => format!("{name} {n}"),
                None => name.to_owned(),
            };
            let style = if app.links.tab() == tab {
                theme.tab_active
            } else {
                theme.tab
            };
            buf.set_style(Rect::new(x, inner.y, width, 1), style);
            let label = truncate(&label, usize::from(width));
            let pad = (usize::from(width)
                .saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str())))
                / 2;
            put_line(
                buf,
                x + u16::try_from(pad).unwrap_or(0),
                inner.y,
                width,
                &[Span::raw(label)],
                style,
            );
        }
    }

    /// Counts shown in the tab line, from the vault (not the built list, which
    /// exists only for the current tab).
    fn counts(&self) -> [Option<usize>; 3] {
        let app = self.app;
        match app.page {
            Page::Note(id) => {
                let note = app.vault.note(id);
                let current = app.links.entries.len();
                let links = if app.links.tab() == LinksTab::Links {
                    current
                } else {
                    note.links.len()
                };
                [
                    Some(links),
                    Some(app.vault.backlinks(id).len()),
                    Some(note.timestamps.len()),
                ]
            }
            _ => [Some(app.view().targets.len()), None, None],
        }
    }
}

impl Widget for LinksPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        let focused = app.focus == Pane::Links;
        pane_block(Line::from(" Links "), focused, &self.app.theme).render(area, buf);
        let inner = layout::inner(area);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        self.tab_line(area, inner, buf);
        let list = layout::links_list(area);
        let height = entry_height(app.links.tab());
        let entries = &app.links.entries;
        if entries.is_empty() {
            let msg = match (app.links.tab(), app.page) {
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
        let fits = usize::from(list.height) / height;
        for (i, entry) in entries
            .iter()
            .enumerate()
            .skip(app.links.cursor.offset)
            .take(fits)
        {
            let y = list.y + u16::try_from((i - app.links.cursor.offset) * height).unwrap_or(0);
            self.entry(entry, list, y, i == app.links.cursor.selected, buf);
        }
    }
}
