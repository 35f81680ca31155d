//! The note picker overlay: the query, then the best matches with the
//! matched characters highlighted.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
    widgets::{Clear, Widget},
};

use super::{pane_block, put_line, theme};
use crate::{
    app::picker::Picker,
    search::{ItemKind, highlight_spans},
};

pub struct PickerOverlay<'a> {
    pub picker: &'a Picker,
}

impl Widget for PickerOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let p = self.picker;
        let width = area.width.saturating_sub(4).min(80);
        let height = area.height.saturating_sub(4).clamp(5, 22);
        let rect = Rect::new(
            area.x + (area.width - width) / 2,
            area.y + 1,
            width,
            height.min(area.height),
        );
        Clear.render(rect, buf);
        let title = format!(" Find · {} · {}/{} ", p.scope.label(), p.matched, p.total);
        pane_block(Line::from(title), true).render(rect, buf);
        let inner = crate::app::layout::note_text(rect);
        if inner.height < 2 {
            return;
        }
        let query = crate::text::sanitize_inline(&p.query);
        put_line(
            buf,
            inner.x,
            inner.y,
            inner.width,
            &[
                Span::styled("› ", theme::MARK),
                Span::raw(query.into_owned()),
                Span::styled("▏", theme::MARK),
            ],
            theme::TEXT,
        );
        let rows = usize::from(inner.height - 1);
        let offset = p.selected.saturating_sub(rows.saturating_sub(1));
        for (i, hit) in p.hits.iter().enumerate().skip(offset).take(rows) {
            let y = inner.y + 1 + u16::try_from(i - offset).unwrap_or(0);
            let (icon, base) = match hit.item.kind {
                ItemKind::Note => ("◆ ", theme::NOTE),
                ItemKind::Heading => ("§ ", theme::HEADING),
                ItemKind::Channel => ("@ ", theme::VIDEO),
            };
            if i == p.selected {
                buf.set_style(Rect::new(inner.x, y, inner.width, 1), theme::SELECTED);
            }
            let mut spans = vec![Span::styled(icon, theme::DIM)];
            spans.extend(highlight_spans(&hit.text, &hit.indices, base, theme::MATCH));
            put_line(buf, inner.x, y, inner.width, &spans, theme::TEXT);
        }
        if p.hits.is_empty() {
            put_line(
                buf,
                inner.x + 2,
                inner.y + 1,
                inner.width,
                &[Span::styled("No match", theme::DIM)],
                theme::TEXT,
            );
        }
    }
}
