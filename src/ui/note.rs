//! The note pane: the open page's rendered lines, with the link cursor.

use ratatui::{
    buffer::Buffer,
    layout::{Margin, Rect},
    text::{Line, Span},
    widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget},
};

use super::{pane_block, put_line, safe, truncate};
use crate::app::{App, Page, Pane, layout};

pub struct NotePane<'a> {
    pub app: &'a App,
}

impl NotePane<'_> {
    fn title(&self) -> String {
        let vault = &self.app.vault;
        match self.app.page {
            Page::Home => format!("⌂ {}", vault.name()),
            Page::Note(id) => vault.get(id).map_or_else(String::new, |n| n.title.clone()),
            Page::Channel(c) => vault
                .channels
                .get(c.0 as usize)
                .map_or_else(String::new, |c| format!("Channel · {}", c.name)),
        }
    }
}

impl Widget for NotePane<'_> {
    // Long: draws the note pane's parts in order with shared geometry.
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        let focused = app.focus == Pane::Note;
        let room = usize::from(area.width.saturating_sub(6));
        let title = Line::from(format!(" {} ", truncate(&safe(&self.title()), room)));
        pane_block(title, focused, &self.app.theme).render(area, buf);
        let text = layout::note_text(area);
        let view = app.view();
        let scroll = app.note.scroll;
        for (row, line) in view
            .lines
            .iter()
            .skip(scroll)
            .take(usize::from(text.height))
            .enumerate()
        {
            let y = text.y + u16::try_from(row).unwrap_or(0);
            let spans: &[Span<'_>] = &line.spans;
            put_line(buf, text.x, y, text.width, spans, line.style);
        }
        if view.lines.is_empty() && !app.load.done {
            put_line(
                buf,
                text.x,
                text.y,
                text.width,
                &[Span::styled("Loading…", theme.dim)],
                theme.text,
            );
        }
        mark_linking_line(app, area, text, buf);
        if let Some(find) = &app.find {
            let rows = scroll..scroll + usize::from(text.height);
            for (i, m) in find.matches.iter().enumerate() {
                if !rows.contains(&m.line) || m.cols.start >= text.width {
                    continue;
                }
                let y = text.y + u16::try_from(m.line - scroll).unwrap_or(0);
                let width = m.cols.end.min(text.width) - m.cols.start;
                let style = if find.current == Some(i) {
                    theme.find_current
                } else {
                    theme.find_match
                };
                buf.set_style(Rect::new(text.x + m.cols.start, y, width, 1), style);
            }
        }
        if let Some(target) = app.note.cursor.and_then(|c| view.targets.get(c)) {
            let style = if focused {
                theme.cursor
            } else {
                theme.selected
            };
            for (line, cols) in &target.pieces {
                if *line < scroll || *line >= scroll + usize::from(text.height) {
                    continue;
                }
                let y = text.y + u16::try_from(line - scroll).unwrap_or(0);
                let x = text.x + cols.start.min(text.width);
                let width = cols
                    .end
                    .min(text.width)
                    .saturating_sub(cols.start.min(text.width));
                buf.set_style(Rect::new(x, y, width, 1), style);
            }
        }
        let height = usize::from(text.height);
        if view.lines.len() > height {
            let mut state = ScrollbarState::new(view.lines.len().saturating_sub(height))
                .position(scroll)
                .viewport_content_length(height);
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .track_symbol(Some("│"))
                .track_style(if focused {
                    theme.border_focus
                } else {
                    theme.border
                })
                .thumb_style(if focused {
                    theme.mark
                } else {
                    theme.pane_title
                })
                .render(area.inner(Margin::new(0, 1)), buf, &mut state);
        }
    }
}

/// The lines of the link a followed backlink came from, marked until the
/// next navigation: shaded, with a bar in the padding left of them.
fn mark_linking_line(app: &App, area: Rect, text: Rect, buf: &mut Buffer) {
    let Some(link) = app.note.highlight else {
        return;
    };
    let view = app.view();
    let Some(target) = view
        .targets
        .iter()
        .find(|t| t.dest == crate::app::Dest::Link(link))
    else {
        return;
    };
    let scroll = app.note.scroll;
    let rows = scroll..scroll + usize::from(text.height);
    let mut lines: Vec<usize> = target.pieces.iter().map(|p| p.0).collect();
    lines.dedup();
    for line in lines.into_iter().filter(|l| rows.contains(l)) {
        let y = text.y + u16::try_from(line - scroll).unwrap_or(0);
        buf.set_style(Rect::new(text.x, y, text.width, 1), app.theme.preview_mark);
        if text.x > area.x + 1 {
            let bar = [Span::styled("▌", app.theme.mark)];
            put_line(buf, text.x - 1, y, 1, &bar, app.theme.text);
        }
    }
}
