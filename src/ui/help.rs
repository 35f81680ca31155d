//! The help overlay, generated from the key table.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
    widgets::{Clear, Widget},
};
use unicode_width::UnicodeWidthStr;

use super::{pane_block, put_line};
use crate::{app::keymap, theme::Theme};

pub struct Help<'a> {
    pub scroll: usize,
    pub theme: &'a Theme,
    /// The bindings in force (the defaults with the config's merged in).
    pub keymap: &'a keymap::Keymap,
}

/// The lines of the help text.
#[must_use]
pub fn lines(width: u16, theme: &Theme, keymap: &keymap::Keymap) -> Vec<Line<'static>> {
    // The key column takes at most two fifths of a narrow overlay.
    let key_col = (usize::from(width) * 2 / 5).clamp(8, 20);
    let mut out = Vec::new();
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
    out
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
        let all = lines(inner.width, self.theme, self.keymap);
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
