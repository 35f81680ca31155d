//! The help overlay, generated from the key table.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
    widgets::{Clear, Widget},
};
use unicode_width::UnicodeWidthStr;

use super::{pane_block, put_line};
use crate::{
    app::{Message, MessageKind, keymap},
    markdown::wrap::{Piece, wrap},
    theme::Theme,
};

pub struct Help<'a> {
    pub scroll: usize,
    pub theme: &'a Theme,
    /// The bindings in force (the defaults with the config's merged in).
    pub keymap: &'a keymap::Keymap,
    /// Recent messages, newest first: read here in full.
    pub messages: &'a [Message],
}

/// Messages shown at the top of the help.
const MESSAGES_SHOWN: usize = 5;

/// The lines of the help text: the recent messages (wrapped whole), the
/// keys, the signs and the mouse.
#[must_use]
pub fn lines_with(
    width: u16,
    theme: &Theme,
    keymap: &keymap::Keymap,
    messages: &[Message],
) -> Vec<Line<'static>> {
    // The key column takes at most two fifths of a narrow overlay.
    let key_col = (usize::from(width) * 2 / 5).clamp(8, 20);
    let mut out = Vec::new();
    if !messages.is_empty() {
        out.push(Line::from(Span::styled(
            "Recent messages (newest first)",
            theme.help_section,
        )));
        for m in messages.iter().take(MESSAGES_SHOWN) {
            let (icon, style) = match m.kind {
                MessageKind::Info => ("· ", theme.text),
                MessageKind::Warning => ("⚠ ", theme.warning),
                MessageKind::Error => ("✖ ", theme.missing),
            };
            let pieces = [Piece::new(m.text.as_str(), theme.text)];
            let first = [Span::raw("  "), Span::styled(icon, style)];
            let rest = [Span::raw("    ")];
            out.extend(
                wrap(&pieces, width, &first, &rest)
                    .into_iter()
                    .map(|w| w.line),
            );
        }
    }
    for (context, bindings) in keymap.help_sections() {
        if bindings.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(Line::from(Span::styled(
            context.title(),
            theme.help_section,
        )));
        for b in bindings {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            let keys = keys.join(" ");
            let keys = super::truncate(&keys, key_col.saturating_sub(1));
            let pad = key_col.saturating_sub(keys.width());
            out.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(keys, theme.help_key),
                Span::raw(" ".repeat(pad.max(1))),
                Span::raw(b.desc),
            ]));
        }
    }
    legend(&mut out, width, key_col, theme);
    out
}

/// What the glyphs on screen mean, and what the mouse does.
fn legend(out: &mut Vec<Line<'static>>, width: u16, key_col: usize, theme: &Theme) {
    let glyphs: [(&str, ratatui::style::Style, &str); 12] = [
        (
            "name?",
            theme.warning,
            "a link to a note that does not exist",
        ),
        (
            "name*",
            theme.warning,
            "a link whose name fits several notes",
        ),
        (
            "▶05:17",
            theme.timestamp,
            "a timestamp: y copies its link, o opens it",
        ),
        (
            "⚠11:31:94",
            theme.refused_timestamp,
            "a timestamp that makes no sense",
        ),
        ("◷", theme.dim, "times not read as written (header)"),
        (
            "◆ § @",
            theme.dim,
            "a note, a heading, a channel (picker, lists)",
        ),
        ("●", theme.mark, "the note open (outline)"),
        ("·", theme.dim, "a heading of the open note (outline)"),
        (
            "▌ ▸ ›",
            theme.heading_marker,
            "headings of level 2, 3, 4 and deeper",
        ),
        (
            "→ ← ◷",
            theme.dim,
            "links, backlinks, timestamps (links pane)",
        ),
        ("▶ youtu.be", theme.video_link, "the note's video (header)"),
        ("✂", theme.note_dim, "the note was cut at load (too large)"),
    ];
    out.push(Line::default());
    out.push(Line::from(Span::styled("Signs", theme.help_section)));
    for (glyph, style, meaning) in glyphs {
        let shown = super::truncate(glyph, key_col.saturating_sub(1));
        let pad = key_col.saturating_sub(shown.width());
        // `name?`: the name as a link, the mark in its own style.
        let mut spans = vec![Span::raw("  ")];
        match glyph.strip_prefix("name") {
            Some(mark) => {
                spans.push(Span::styled("name", theme.link));
                spans.push(Span::styled(mark, style));
            }
            None => spans.push(Span::styled(shown, style)),
        }
        spans.push(Span::raw(" ".repeat(pad.max(1))));
        spans.push(Span::raw(meaning));
        out.push(Line::from(spans));
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled("Mouse", theme.help_section)));
    let mouse = "A click opens a link, an outline row, a list entry or a picker row; \
                 the wheel scrolls the pane under the pointer; a click outside an \
                 overlay closes it.";
    let first = [Span::raw("  ")];
    out.extend(
        wrap(&[Piece::new(mouse, theme.text)], width, &first, &first)
            .into_iter()
            .map(|w| w.line),
    );
}

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let width = area.width.saturating_sub(4).min(72);
        let height = area.height.saturating_sub(2).min(40);
        let rect = Rect::new(
            area.x + (area.width - width) / 2,
            area.y + (area.height - height) / 2,
            width,
            height,
        );
        Clear.render(rect, buf);
        let block = pane_block(Line::from(" Keys — ? or Esc closes "), true, self.theme);
        block.render(rect, buf);
        let inner = crate::app::layout::note_text(rect);
        let all = lines_with(inner.width, self.theme, self.keymap, self.messages);
        let scroll = self
            .scroll
            .min(all.len().saturating_sub(usize::from(inner.height)));
        for (i, line) in all
            .iter()
            .skip(scroll)
            .take(usize::from(inner.height))
            .enumerate()
        {
            let y = inner.y + u16::try_from(i).unwrap_or(0);
            put_line(buf, inner.x, y, inner.width, &line.spans, line.style);
        }
    }
}
