//! The status bar (vault, page, message, position) and the key hint line.

use ratatui::{buffer::Buffer, layout::Rect, style::Style, text::Span, widgets::Widget};
use unicode_width::UnicodeWidthStr;

use super::{put_line, safe, truncate};
use crate::{
    app::{App, MessageKind, Page, action::Action},
    vault::Severity,
};

/// Columns the note's path keeps beside a message.
const PATH_MIN: usize = 24;
/// Ends a message cut to fit the bar: where to read it whole.
const MORE: &str = " ?";

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
        // (A warm start's bodies, after the index, count as loading.)
        if !app.load.settled() {
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

/// The status bar's pieces at a width: the vault's name, the page's path
/// (cut from its start to `path_room`), the position, the message and the
/// room the message has beside the path.
struct BarParts {
    name: String,
    path: String,
    pos: String,
    message: Option<(String, Style)>,
    /// Columns left of the position for the name, the path and a message.
    left_room: usize,
}

impl StatusBar<'_> {
    fn parts(&self, width: usize) -> BarParts {
        let full_path = self.path();
        let (name, pos, left_room) = self.frame(width);
        let mut message = self.message();
        // A message too long for the bar takes the hint line instead (see
        // [`long_message`]): the bar keeps the whole path.
        if message.is_some() && self.overflows(width) {
            message = None;
        }
        // A message is what the user needs to read now: the path gives it
        // most of the room. But the path never goes: it keeps at least
        // PATH_MIN columns (or two fifths of the room, on wide screens).
        let path_room = if message.is_some() {
            (left_room * 2 / 5).max(PATH_MIN).min(left_room)
        } else {
            left_room
        };
        // Cut from the start: the file name is what tells notes apart.
        let path = if full_path.width() > path_room {
            format!(
                "{} ",
                crate::text::truncate_start(
                    safe(&full_path).trim_end(),
                    path_room.saturating_sub(1)
                )
            )
        } else {
            full_path
        };
        BarParts {
            name,
            path,
            pos,
            message,
            left_room,
        }
    }

    /// The open page's path, as the bar shows it uncut.
    fn path(&self) -> String {
        let app = self.app;
        match app.page {
            Page::Home => " home ".to_owned(),
            Page::Note(id) => format!(" {} ", app.vault.note(id).path),
            Page::Channel(c) => format!(" channel {} ", app.vault.channel(c).name),
        }
    }

    /// The vault's name (cut to a quarter of the bar), the position, and
    /// the columns left between them.
    fn frame(&self, width: usize) -> (String, String, usize) {
        let name = format!(" {} ", self.app.vault.name());
        let name = truncate(&safe(&name), (width / 4).max(6));
        let pos = format!(" {} ", self.position());
        let left_room = width.saturating_sub(pos.width() + name.width());
        (name, pos, left_room)
    }

    /// True when the app's message (not a find, which keeps the bar) does
    /// not fit beside the path at its narrowest.
    fn overflows(&self, width: usize) -> bool {
        let app = self.app;
        // In help the recent messages are listed whole; the hint line keeps
        // its keys there.
        if app.find.is_some() || app.message.is_none() || app.help.is_some() {
            return false;
        }
        let Some((text, _)) = self.message() else {
            return false;
        };
        let (_, _, left_room) = self.frame(width);
        let path_room = (left_room * 2 / 5).max(PATH_MIN).min(left_room);
        let room = left_room.saturating_sub(self.path().width().min(path_room) + 1);
        crate::text::sanitize_inline(&text).width() > room
    }
}

/// The app's message when it is too long for the status bar at `width`:
/// the hint line shows it instead of the keys, so that its end (often the
/// part that says what to do) is read, not cut.
fn long_message(app: &App, width: usize) -> Option<(String, Style)> {
    let bar = StatusBar { app };
    if !bar.overflows(width) {
        return None;
    }
    bar.message()
}

impl Widget for StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let app = self.app;
        buf.set_style(area, theme.status);
        let width = usize::from(area.width);
        let parts = self.parts(width);
        let BarParts {
            name,
            path,
            pos,
            message,
            ..
        } = parts;
        let pos_w = pos.width();
        let mut spans = vec![
            Span::styled(name, theme.status_name),
            Span::styled(path.clone(), theme.status_path),
        ];
        if let Some((text, style)) = message {
            let room = parts.left_room.saturating_sub(path.width() + 1);
            let text = crate::text::sanitize_inline(&text);
            spans.push(Span::styled(" ", theme.status));
            if app.find.is_some() && text.width() > room {
                // A long find query: its end, the cursor and the count are
                // what the reader needs while typing.
                spans.push(Span::styled(
                    crate::text::truncate_start(&text, room),
                    style,
                ));
            } else {
                spans.push(Span::styled(truncate(&text, room), style));
            }
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
        let width = usize::from(area.width);
        if let Some((text, style)) = long_message(self.app, width) {
            // Still too long for a whole line: its start, and `?` (the help
            // lists recent messages in full).
            let text = crate::text::sanitize_inline(&text);
            let room = width.saturating_sub(1);
            let mut spans = vec![Span::raw(" ")];
            if text.width() > room && room > MORE.width() + 4 {
                spans.push(Span::styled(truncate(&text, room - MORE.width()), style));
                spans.push(Span::styled(MORE, theme.hint_key));
            } else {
                spans.push(Span::styled(truncate(&text, room), style));
            }
            put_line(buf, area.x, area.y, area.width, &spans, theme.text);
            return;
        }
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
