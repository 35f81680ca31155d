//! OSC 8 hyperlinks: timestamps and web links of the note become clickable
//! in terminals that support them (config `hyperlinks`).
//!
//! ratatui has no notion of links, so the cells of a link on screen are
//! rewritten after the note is drawn: the first cell of each piece carries
//! the whole piece wrapped in `ESC ] 8 ; ; URL ESC \` … `ESC ] 8 ; ; ESC \`
//! with its width forced to the piece's, and the cells it covers are
//! skipped by the diff. Only URLs made of printable ASCII URL characters,
//! starting with `http://` or `https://`, are written: timestamp links are
//! built from a validated videoId, web links come sanitised from the note
//! and are checked again here.

use std::num::NonZeroU16;

use ratatui::{
    buffer::{Buffer, CellDiffOption},
    layout::Rect,
};
use unicode_width::UnicodeWidthStr;

use crate::app::App;

/// Rewrites the link cells of the note's text area `text`.
pub fn link_cells(app: &App, text: Rect, buf: &mut Buffer) {
    if !app.hyperlinks {
        return;
    }
    let view = app.view();
    let scroll = app.note.scroll;
    let rows = scroll..scroll + usize::from(text.height);
    for target in &view.targets {
        let Some(url) = app.target_url(&target.dest).filter(|u| is_safe_url(u)) else {
            continue;
        };
        for (line, columns) in &target.pieces {
            if !rows.contains(line) {
                continue;
            }
            let y = text.y + u16::try_from(line - scroll).unwrap_or(u16::MAX);
            let start = text.x.saturating_add(columns.start);
            let end = text.x.saturating_add(columns.end).min(text.right());
            wrap_cells(buf, y, start..end, &url);
        }
    }
}

/// Wraps the cells `columns` of row `y` in one link, when they are plain
/// single-width cells of one style (anything else is left as drawn).
fn wrap_cells(buf: &mut Buffer, y: u16, columns: std::ops::Range<u16>, url: &str) {
    let Some(width) = NonZeroU16::new(columns.len().try_into().unwrap_or(0)) else {
        return;
    };
    if y >= buf.area.bottom() || columns.end > buf.area.right() || columns.start < buf.area.x {
        return;
    }
    let first = buf[(columns.start, y)].clone();
    let mut text = String::new();
    for x in columns.clone() {
        let cell = &buf[(x, y)];
        let symbol = cell.symbol();
        if symbol.width() != 1 || cell.style() != first.style() || symbol.contains('\u{1b}') {
            return;
        }
        text.push_str(symbol);
    }
    buf[(columns.start, y)]
        .set_symbol(&format!("\u{1b}]8;;{url}\u{1b}\\{text}\u{1b}]8;;\u{1b}\\"))
        .set_diff_option(CellDiffOption::ForcedWidth(width));
    for x in columns.start + 1..columns.end {
        buf[(x, y)].set_diff_option(CellDiffOption::Skip);
    }
}

/// A URL that can go inside an OSC 8 sequence: `http(s)://`, then only
/// printable ASCII other than space, `"`, `<`, `>`, `\`, `^`, backquote,
/// `{`, `|` and `}`, at most 2,000 bytes.
#[must_use]
pub fn is_safe_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2_000
        && url
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_web_urls_are_linked() {
        assert!(is_safe_url("https://youtu.be/dQw4w9WgXcQ?t=61"));
        assert!(is_safe_url(
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=61s"
        ));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url("https://a.example/\u{1b}]8;;x"));
        assert!(!is_safe_url("https://a.example/\u{7}"));
        assert!(!is_safe_url("https://a.example/a b"));
        assert!(!is_safe_url("https://a.example/é"));
        assert!(!is_safe_url("file:///etc/passwd"));
    }

    #[test]
    fn a_piece_becomes_one_link_cell_and_skipped_cells() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        buf.set_string(0, 0, "ab▶05:17cd", ratatui::style::Style::new());
        wrap_cells(&mut buf, 0, 2..8, "https://youtu.be/dQw4w9WgXcQ?t=317");
        assert_eq!(
            buf[(2, 0)].symbol(),
            "\u{1b}]8;;https://youtu.be/dQw4w9WgXcQ?t=317\u{1b}\\▶05:17\u{1b}]8;;\u{1b}\\"
        );
        assert_eq!(
            buf[(2, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::new(6).unwrap())
        );
        assert!((3..8).all(|x| buf[(x, 0)].diff_option == CellDiffOption::Skip));
        assert_eq!(buf[(8, 0)].symbol(), "c");
        // What reaches the terminal: the link once, the text once.
        let empty = Buffer::empty(buf.area);
        let written: String = empty
            .diff(&buf)
            .iter()
            .map(|(_, _, c)| c.symbol())
            .collect();
        assert_eq!(written.matches("▶05:17").count(), 1, "{written:?}");
    }
}
