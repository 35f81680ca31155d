//! Drawing only: every widget borrows `&App` and reads it. Positions come
//! from [`crate::app::layout`], the same function the app uses.

mod help;
pub mod hyperlinks;
mod links;
mod note;
mod outline;
mod picker;
mod status;

use ratatui::{
    Frame,
    buffer::Buffer,
    layout::{Alignment, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{Block, BorderType, Borders, Paragraph, Widget},
};
use unicode_width::UnicodeWidthStr;

use crate::{
    app::{App, layout::Mode},
    theme::Theme,
};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    render(app, area, buf);
}

/// Draws the whole screen into a buffer. The layout comes from the area
/// given (never from the size the app last heard of: a resize can reach
/// the terminal before its event reaches the app), and is kept inside the
/// buffer, so no write can fall outside it.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    let layout = crate::app::layout::layout_with(area, app.focus, app.side, app.pane_widths());
    if layout.mode() == Mode::TooSmall {
        too_small(area, buf, &app.theme);
        return;
    }
    if let Some(tabs) = layout.tabs {
        pane_tabs(app, tabs, buf);
    }
    if let Some(r) = layout.outline {
        outline::OutlinePane { app }.render(r, buf);
    }
    if let Some(r) = layout.note {
        note::NotePane { app }.render(r, buf);
        hyperlinks::link_cells(app, crate::app::layout::note_text(r), buf);
    }
    if let Some(r) = layout.links {
        links::LinksPane { app }.render(r, buf);
    }
    status::StatusBar { app }.render(layout.status, buf);
    status::HintLine { app }.render(layout.hints, buf);
    if let Some(p) = &app.picker {
        picker::PickerOverlay { app, picker: p }.render(area, buf);
    }
    if let Some(scroll) = app.help {
        help::Help {
            scroll,
            theme: &app.theme,
            keymap: &app.keymap,
        }
        .render(area, buf);
    }
}

/// A pane's frame: rounded border, title in it, highlighted when focused.
fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    let (border, title_style) = if focused {
        (theme.border_focus, theme.pane_title_focus)
    } else {
        (theme.border, theme.pane_title)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(border)
        .title(title.style(title_style))
}

/// The narrow mode's tab line: one tab per pane.
fn pane_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let names = ["Outline", "Note", "Links"];
    for (i, (pane, cell)) in crate::app::layout::pane_tabs(area).into_iter().enumerate() {
        let name = names[i];
        let style = if app.focus == pane {
            theme.tab_active
        } else {
            theme.tab
        };
        buf.set_style(cell, style);
        Paragraph::new(Line::from(format!("{} {name}", i + 1)))
            .alignment(Alignment::Center)
            .style(style)
            .render(cell, buf);
    }
}

fn too_small(area: Rect, buf: &mut Buffer, theme: &Theme) {
    let lines = vec![
        Line::from(Span::styled("Terminal too small", theme.warning)),
        Line::from(format!("{}×{}, need 30×8", area.width, area.height)),
    ];
    let y = area.y + area.height.saturating_sub(2) / 2;
    let rect = Rect::new(area.x, y, area.width, area.height.min(2));
    Paragraph::new(lines)
        .alignment(Alignment::Center)
        .render(rect, buf);
}

pub use crate::text::truncate;

/// Text from a note entering the screen. It was sanitised where it entered
/// the model; it is sanitised again here, completely (controls made visible,
/// bidi controls dropped), so no path that forgot can reach the terminal.
/// Clean text (nearly all) is borrowed, not copied.
fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::sanitize_inline(text)
}

/// Writes a line of spans, clipped to `width` columns and to the buffer:
/// a position outside the buffer writes nothing (whatever size the caller
/// believed the screen to be).
fn put_line(buf: &mut Buffer, x: u16, y: u16, width: u16, spans: &[Span<'_>], base: Style) {
    let bounds = buf.area;
    if y < bounds.y || y >= bounds.bottom() || x < bounds.x || x >= bounds.right() {
        return;
    }
    let mut col = x;
    let end = x.saturating_add(width).min(bounds.right());
    for span in spans {
        if col >= end {
            break;
        }
        let (next, _) = buf.set_stringn(
            col,
            y,
            safe(&span.content),
            usize::from(end - col),
            base.patch(span.style),
        );
        col = next;
    }
}

/// Wraps plain text into at most `max` lines of `width` columns; the last
/// line ends with `…` when the text was longer.
fn wrap_lines(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let needed = current.width() + usize::from(!current.is_empty()) + word.width();
        // The last allowed line takes the rest and is cut with `…` below.
        if needed > width && !current.is_empty() && lines.len() + 1 < max {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() && max > 0 {
        lines.push(current);
    }
    lines.into_iter().map(|l| truncate(&l, width)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_lines_cuts_the_last_line() {
        assert_eq!(
            wrap_lines("aaa bbb ccc ddd", 7, 2),
            vec!["aaa bbb", "ccc ddd"]
        );
        assert_eq!(
            wrap_lines("aaa bbb ccc ddd eee", 7, 2),
            vec!["aaa bbb", "ccc dd…"]
        );
        assert_eq!(
            wrap_lines("→ averyveryverylongword", 8, 1),
            vec!["→ avery…"]
        );
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
