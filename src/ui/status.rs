//! The status bar (vault, page, message, position) and the key hint line.

use ratatui::{buffer::Buffer, layout::Rect, style::Style, text::Span, widgets::Widget};
use unicode_width::UnicodeWidthStr;

use super::{put_line, safe, truncate};
use crate::{
    app::{App, MessageKind, Page, action::Action},
    vault::Severity,
};

pub struct StatusBar<'a> {
    pub app: &'a App,
}

impl StatusBar<'_> {
    fn position(&self) -> String {
        let app = self.app;
        let len = app.view().lines.len();
        let height = app.note_height();
        let pct = if len <= height {
            "All".to_owned()
        } else if app.note.scroll == 0 {
            "Top".to_owned()
        } else if app.note.scroll + height >= len {
            "Bot".to_owned()
        } else {
            format!(
                "{}%",
                app.note.scroll * 100 / len.saturating_sub(height).max(1)
            )
        };
        format!("{}/{} {pct}", (app.note.scroll + 1).min(len.max(1)), len)
    }

    /// The middle segment: a message, else load progress, else the note's
    /// problems.
    fn message(&self) -> Option<(String, Style)> {
        let theme = &self.app.theme;
        let app = self.app;
        if let Some(f) = &app.find {
            let count = match (f.current, f.matches.len()) {
                (_, 0) if f.query.is_empty() => String::new(),
                (_, 0) => "  no match".to_owned(),
                (Some(c), n) => format!("  {}/{n}", c + 1),
                (None, n) => format!("  {n} matches"),
            };
            let cursor = if f.editing { "▏" } else { "" };
            return Some((format!("/{}{cursor}{count}", f.query), theme.status_info));
        }
        if let Some(m) = &app.message {
            let style = match m.kind {
                MessageKind::Info => theme.status_info,
                MessageKind::Warning => theme.status_warning,
                MessageKind::Error => theme.status_error,
            };
            let icon = match m.kind {
                MessageKind::Info => "",
                MessageKind::Warning => "⚠ ",
                MessageKind::Error => "✖ ",
            };
            return Some((format!("{icon}{}", m.text), style));
        }
        if !app.load.done {
            return Some((progress(&app.load), theme.status_loading));
        }
        if let Some((count, severity, first)) = app.note_problems() {
            let style = if severity == Severity::Error {
                theme.status_error
            } else {
                theme.status_warning
            };
            let more = if count > 1 {
                format!(" (+{} more)", count - 1)
            } else {
                String::new()
            };
            return Some((format!("⚠ {first}{more}"), style));
        }
        None
    }
}

impl Widget for StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        buf.set_style(area, theme.status);
        let name = format!(" {} ", app.vault.name());
        let path = match app.page {
            Page::Home => " home ".to_owned(),
            Page::Note(id) => format!(" {} ", app.vault.note(id).path),
            Page::Channel(c) => format!(" channel {} ", app.vault.channel(c).name),
        };
        let pos = format!(" {} ", self.position());
        let width = usize::from(area.width);
        let pos_w = pos.width();
        let name = truncate(&safe(&name), (width / 4).max(6));
        let left_room = width.saturating_sub(pos_w + name.width());
        let message = self.message();
        // A message is what the user needs to read now: the path gives it
        // most of the room.
        let path_room = if message.is_some() {
            (left_room / 4).max(12)
        } else {
            left_room
        };
        let path = truncate(&safe(&path), path_room);
        let mut spans = vec![
            Span::styled(name, theme.status_name),
            Span::styled(path.clone(), theme.status_path),
        ];
        if let Some((text, style)) = message {
            let room = left_room.saturating_sub(path.width() + 1);
            spans.push(Span::styled(" ", theme.status));
            spans.push(Span::styled(
                truncate(&crate::text::sanitize_inline(&text), room),
                style,
            ));
        }
        put_line(buf, area.x, area.y, area.width, &spans, theme.status);
        let x = area.x + area.width.saturating_sub(u16::try_from(pos_w).unwrap_or(0));
        put_line(
            buf,
            x,
            area.y,
            area.width,
            &[Span::styled(pos, theme.status_position)],
            theme.status,
        );
    }
}

pub struct HintLine<'a> {
    pub app: &'a App,
}

impl Widget for HintLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let mut spans = vec![Span::raw(" ")];
        let mut used = 1;
        // Text search has no scope: Tab does nothing there.
        let text_search =
            (self.app.picker.as_ref()).is_some_and(|p| p.mode() == crate::app::picker::Mode::Text);
        let hidden: &[Action] = if text_search {
            &[Action::PickerScope]
        } else {
            &[]
        };
        for (key, desc) in self.app.keymap.hints_except(self.app.context(), hidden) {
            let w = key.width() + desc.width() + 3;
            if used + w > usize::from(area.width) {
                break;
            }
            used += w;
            spans.push(Span::styled(key, theme.hint_key));
            spans.push(Span::styled(format!(" {desc}  "), theme.hint_description));
        }
        put_line(buf, area.x, area.y, area.width, &spans, theme.text);
    }
}

/// `▰▰▰▱▱ 12,345/21,273 notes · 98 MB · 41k notes/s` while loading.
fn progress(load: &crate::app::LoadProgress) -> String {
    let Some(expected) = load.expected else {
        return "Reading the vault…".to_owned();
    };
    const CELLS: usize = 10;
    let filled = (load.loaded * CELLS)
        .checked_div(expected)
        .unwrap_or(0)
        .min(CELLS);
    let bar: String = "▰".repeat(filled) + &"▱".repeat(CELLS - filled);
    let mut text = format!(
        "{bar} {}/{} notes · {:.0} MB",
        load.loaded,
        expected,
        load.bytes as f64 / 1e6
    );
    let seconds = load.elapsed.as_secs_f64();
    if seconds > 0.05 && load.loaded > 0 {
        let rate = load.loaded as f64 / seconds;
        text.push_str(&if rate >= 1000.0 {
            format!(" · {:.0}k notes/s", rate / 1000.0)
        } else {
            format!(" · {rate:.0} notes/s")
        });
    }
    text
}
