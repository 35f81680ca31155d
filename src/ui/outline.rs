//! The outline pane: folders, videos, notes and the open note's headings.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
    widgets::Widget,
};

use super::{pane_block, put_line, safe, truncate};
use crate::app::{App, Page, Pane, layout, outline::Row};

pub struct OutlinePane<'a> {
    pub app: &'a App,
}

impl OutlinePane<'_> {
    /// A row's marker, text and style.
    fn look(&self, row: &Row, current: bool) -> (&'static str, String, ratatui::style::Style) {
        let theme = &self.app.theme;
        let app = self.app;
        match row {
            Row::Folder { name, open, .. } => {
                (if *open { "▾ " } else { "▸ " }, name.clone(), theme.folder)
            }
            Row::Video { title, .. } => ("▶ ", title.clone(), theme.video),
            Row::Note {
                id, open: folded, ..
            } => {
                let open = app.page == Page::Note(*id);
                let style = if current || open {
                    theme.note_name_open
                } else {
                    theme.note_name
                };
                // A note with headings shows whether they are folded; the
                // open note without any shows ● (its name is bold anyway).
                let marker = match folded {
                    Some(true) => "▾ ",
                    Some(false) => "▸ ",
                    None if open => "● ",
                    None => "  ",
                };
                (marker, app.vault.note(*id).title.clone(), style)
            }
            Row::Heading { note, heading, .. } => {
                let text = app
                    .vault
                    .note(*note)
                    .headings
                    .get(*heading)
                    .map_or_else(String::new, |h| h.text().to_owned());
                let style = if current {
                    theme.heading_current
                } else {
                    theme.heading_name
                };
                (if current { "› " } else { "· " }, text, style)
            }
            Row::Listing { .. } => ("  ", "listing…".to_owned(), theme.dim),
            Row::File { path, .. } => ("  ", crate::vault::note::stem_of(path), theme.note_name),
        }
    }
}

impl Widget for OutlinePane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        let focused = app.focus == Pane::Outline;
        let count = app.vault.notes.len();
        let outline = &app.outline;
        let title = match &outline.filter {
            // The filter as typed (cut to the pane), and what it keeps.
            Some(filter) => {
                let room = usize::from(area.width.saturating_sub(14));
                let cursor = if outline.filter_editing { "▏" } else { "" };
                Line::from(vec![
                    Span::raw(" /"),
                    Span::styled(
                        format!("{}{cursor} ", truncate(&safe(filter), room)),
                        theme.pane_title_focus,
                    ),
                    Span::styled(format!("{} ", outline.filter_hits), theme.count),
                ])
            }
            // Before the walk is over the count is not known yet.
            None if outline.first_level.is_some() => Line::from(" Outline "),
            None => Line::from(vec![
                Span::raw(" Outline "),
                Span::styled(format!("{count} "), theme.count),
            ]),
        };
        pane_block(title, focused, &self.app.theme).render(area, buf);
        let inner = layout::inner(area);
        let width = usize::from(inner.width);
        for (row_index, row) in outline
            .rows
            .iter()
            .enumerate()
            .skip(outline.cursor.offset)
            .take(usize::from(inner.height))
        {
            let y = inner.y + u16::try_from(row_index - outline.cursor.offset).unwrap_or(0);
            let indent = "  ".repeat(usize::from(row.depth()));
            let current = outline.current == Some(row_index);
            let (marker, text, style) = self.look(row, current);
            let room = width.saturating_sub(indent.len() + 2);
            let spans = [
                Span::raw(indent),
                Span::styled(
                    marker,
                    if current {
                        theme.heading_current
                    } else {
                        theme.dim
                    },
                ),
                Span::styled(truncate(&safe(&text), room), style),
            ];
            if row_index == outline.cursor.selected {
                let sel = if focused {
                    theme.selected
                } else {
                    theme.selected_unfocused
                };
                buf.set_style(Rect::new(inner.x, y, inner.width, 1), sel);
            }
            put_line(buf, inner.x, y, inner.width, &spans, theme.text);
        }
        if outline.rows.is_empty() {
            let msg = if outline.filter.is_some() {
                "No note by that name"
            } else if app.load.done {
                "No notes"
            } else {
                "Loading…"
            };
            put_line(
                buf,
                inner.x + 1,
                inner.y,
                inner.width.saturating_sub(1),
                &[Span::styled(msg, theme.dim)],
                theme.text,
            );
        }
    }
}
