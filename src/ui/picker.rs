//! The picker overlay: the query, the best matches with the matched
//! characters highlighted and their kind marked, and (when wide enough) a
//! preview of the selected item. Reads only; the preview is rendered by
//! `app` when the selection changes.

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
    widgets::{Clear, Widget},
};
use unicode_width::UnicodeWidthStr;

use super::{pane_block, put_line, safe, truncate};
use crate::{
    app::{
        App,
        picker::{Mode, Picker, Rows},
    },
    search::{
        HEADING_SEPARATOR, Hit, ItemKind, SearchItem,
        fulltext::{Query, TextHit},
        highlight_spans,
    },
};

pub struct PickerOverlay<'a> {
    pub app: &'a App,
    pub picker: &'a Picker,
}

impl PickerOverlay<'_> {
    fn title(&self) -> String {
        let p = self.picker;
        match &p.rows {
            Rows::Jump(j) => {
                let running = if j.running { " · loading…" } else { "" };
                format!(
                    " Jump · {} (Tab) · {}/{}{running} ",
                    j.scope.label(),
                    j.matched,
                    j.total
                )
            }
            Rows::Text(t) => {
                let count = if p.query.is_empty() {
                    "type to search".to_owned()
                } else {
                    let heads = t.lines.iter().filter_map(|h| h.head);
                    let (notes, lines) = heads.fold((0, 0), |(n, l), g| (n + 1, l + g.lines));
                    let more = if t.truncated { "+" } else { "" };
                    format!(
                        "{notes}{more} {} · {lines}{more} {}",
                        plural(notes, "note", "notes"),
                        plural(lines, "line", "lines")
                    )
                };
                let running = if t.searching || !self.app.load.done {
                    " · searching…"
                } else {
                    ""
                };
                format!(" Search text · {count}{running} ")
            }
        }
    }

    /// One jump row: kind icon, highlighted text cut with `…`, and at the
    /// right, dim: what tells identical titles apart (always), then (without
    /// a preview) the channel and path.
    fn jump_row(&self, hit: &Hit, recent: bool, twin: bool, rect: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let (icon, base) = match hit.item.kind() {
            ItemKind::Note => ("◆ ", theme.note_name),
            ItemKind::Heading => ("§ ", theme.heading_name),
            ItemKind::Channel => ("@ ", theme.video),
        };
        let room = usize::from(rect.width).saturating_sub(2);
        let note = match hit.item {
            SearchItem::Note(id) => self.app.vault.get(id),
            _ => None,
        };
        // Two notes of one title: the channel (else the folder) is what
        // tells them apart, so it is kept at every width.
        let apart = note.filter(|_| twin).map(|n| match &n.channel {
            Some(channel) => format!("@ {channel}"),
            None => n
                .path
                .rsplit_once('/')
                .map_or_else(|| n.path.clone(), |(folder, _)| format!("{folder}/")),
        });
        let apart = apart.map(|a| truncate(&safe(&a), room / 2));
        let title_room = apart
            .as_ref()
            .map_or(room, |a| room.saturating_sub(a.width() + 2));
        let (text, indices) = fit_heading(&hit.text, &hit.indices, title_room);
        let (text, indices) = fit_end(&text, &indices, title_room);
        let mut spans = vec![Span::styled(icon, theme.dim)];
        spans.extend(highlight_spans(&text, &indices, base, theme.matched));
        put_line(buf, rect.x, rect.y, rect.width, &spans, theme.text);
        let mut beside = Vec::new();
        if recent {
            beside.push("recent".to_owned());
        }
        if let Some(apart) = &apart {
            beside.push(apart.clone());
        }
        // With a preview, its first line says where the note is.
        if self.app.picker_layout().preview.is_none()
            && let Some(note) = note
        {
            if let Some(channel) = note.channel.as_ref().filter(|_| apart.is_none()) {
                beside.push(channel.clone());
            }
            beside.push(note.path.clone());
        }
        if beside.is_empty() {
            return;
        }
        let used = 2 + text.width() + 2;
        let room = usize::from(rect.width).saturating_sub(used);
        if room < 8 && apart.is_none() {
            return;
        }
        let text = truncate(&safe(&beside.join(" · ")), room);
        let x = rect.x + rect.width - u16::try_from(text.width()).unwrap_or(0);
        put_line(
            buf,
            x,
            rect.y,
            rect.width,
            &[Span::styled(text, theme.dim)],
            theme.text,
        );
    }

    /// One text row. A note's head row: its title, whole when it fits,
    /// and how many of its lines match. A line row, indented under it: the
    /// line with every term highlighted, cut from its start when needed so
    /// the first match stays on screen.
    fn text_row(&self, hit: &TextHit, rect: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let room = usize::from(rect.width);
        if let Some(head) = hit.head {
            let title = self
                .app
                .vault
                .get(hit.note)
                .map_or("", |n| n.title.as_str());
            let count = format!("  {} {}", head.lines, plural(head.lines, "line", "lines"));
            let title = truncate(&safe(title), room.saturating_sub(2 + count.width()).max(1));
            let pad = room.saturating_sub(2 + title.width() + count.width());
            let spans = [
                Span::styled("◆ ", theme.dim),
                Span::styled(title, theme.note_name),
                Span::raw(" ".repeat(pad)),
                Span::styled(count, theme.dim),
            ];
            put_line(buf, rect.x, rect.y, rect.width, &spans, theme.text);
            return;
        }
        // Byte ranges index the snippet: it is sanitised span by span on the
        // way to the screen (`put_line`), not here.
        let snippet: &str = &hit.snippet;
        let first = hit.matched.first().cloned().unwrap_or(0..0);
        let (Some(before), Some(rest)) = (snippet.get(..first.start), snippet.get(first.start..))
        else {
            return;
        };
        let matched_width = snippet.get(first.clone()).map_or(0, UnicodeWidthStr::width);
        let after_room = rest.width().saturating_sub(matched_width).min(room / 4);
        let before_room = room.saturating_sub(4 + matched_width + after_room);
        let mut spans = vec![
            Span::raw("    "),
            Span::raw(crate::text::truncate_start(before, before_room)),
        ];
        let mut at = first.start;
        for range in &hit.matched {
            if let (Some(plain), Some(term)) =
                (snippet.get(at..range.start), snippet.get(range.clone()))
            {
                spans.push(Span::raw(plain));
                spans.push(Span::styled(term, theme.matched));
                at = range.end;
            }
        }
        spans.push(Span::raw(snippet.get(at..).unwrap_or("")));
        put_line(buf, rect.x, rect.y, rect.width, &spans, theme.text);
    }

    fn preview(&self, mut rect: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let Some(preview) = &self.picker.preview else {
            return;
        };
        // Text search: the terms are highlighted in the preview too.
        let terms = (self.picker.mode() == Mode::Text).then(|| Query::parse(&self.picker.query));
        if let Some(note) = preview.note().and_then(|id| self.app.vault.get(id)) {
            let place = match &note.channel {
                Some(channel) => format!("@ {channel} · {}", note.path),
                None => note.path.clone(),
            };
            let place = truncate(&safe(&place), usize::from(rect.width));
            put_line(
                buf,
                rect.x,
                rect.y,
                rect.width,
                &[Span::styled(place, theme.dim)],
                theme.text,
            );
            rect.y += 1;
            rect.height = rect.height.saturating_sub(1);
        }
        for (i, line) in preview
            .lines
            .iter()
            .take(usize::from(rect.height))
            .enumerate()
        {
            let y = rect.y + u16::try_from(i).unwrap_or(0);
            put_line(buf, rect.x, y, rect.width, &line.spans, line.style);
            if preview.mark == Some(i) {
                buf.set_style(Rect::new(rect.x, y, rect.width, 1), theme.preview_mark);
            }
            if let Some(query) = &terms {
                mark_terms(
                    buf,
                    Rect::new(rect.x, y, rect.width, 1),
                    query,
                    theme.matched,
                );
            }
        }
    }
}

/// `1 line`, `2 lines`.
fn plural<'a>(n: u32, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Highlights the query's terms in one drawn row, as read from its cells
/// (so whatever the preview's spans were, the match is found as shown).
fn mark_terms(buf: &mut Buffer, row: Rect, query: &Query, matched: ratatui::style::Style) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(usize::from(row.width));
    for x in row.x..row.right() {
        starts.push((text.len(), x));
        if let Some(cell) = buf.cell((x, row.y)) {
            text.push_str(cell.symbol());
        }
    }
    for range in query.ranges(&text) {
        for &(at, x) in &starts {
            if range.contains(&at)
                && let Some(cell) = buf.cell_mut((x, row.y))
            {
                cell.set_style(matched);
            }
        }
    }
}

/// A heading item (`Note title › Heading`) too wide for `width`: the note
/// title is shortened with `…` so the heading stays readable. The match
/// indices (graphemes) are moved along; those inside the cut are dropped.
fn fit_heading(text: &str, indices: &[u32], width: usize) -> (String, Vec<u32>) {
    use unicode_segmentation::UnicodeSegmentation;
    let unchanged = || (text.to_owned(), indices.to_vec());
    if text.width() <= width {
        return unchanged();
    }
    let Some((title, heading)) = text.split_once(HEADING_SEPARATOR) else {
        return unchanged();
    };
    let tail = HEADING_SEPARATOR.width() + heading.width();
    let keep_width = width.saturating_sub(tail + 1).max(8);
    let graphemes: Vec<&str> = title.graphemes(true).collect();
    let mut keep = 0;
    let mut used = 0;
    for g in &graphemes {
        if used + g.width() > keep_width {
            break;
        }
        used += g.width();
        keep += 1;
    }
    if keep >= graphemes.len() {
        return unchanged();
    }
    let short = format!(
        "{}…{HEADING_SEPARATOR}{heading}",
        graphemes[..keep].concat()
    );
    let (keep, cut) = (
        u32::try_from(keep).unwrap_or(u32::MAX),
        u32::try_from(graphemes.len() - keep).unwrap_or(0),
    );
    let moved = indices
        .iter()
        .filter_map(|&i| match i {
            i if i < keep => Some(i),
            i if i < keep + cut => None,
            // One `…` stands for the cut graphemes.
            i => Some(i - cut + 1),
        })
        .collect();
    (short, moved)
}

/// Text wider than `width` cut at its end with `…`; match indices
/// (graphemes) past the cut are dropped.
fn fit_end(text: &str, indices: &[u32], width: usize) -> (String, Vec<u32>) {
    use unicode_segmentation::UnicodeSegmentation;
    if text.width() <= width {
        return (text.to_owned(), indices.to_vec());
    }
    let mut out = String::new();
    let mut used = 0;
    let mut kept = 0u32;
    for g in text.graphemes(true) {
        if used + g.width() + 1 > width {
            break;
        }
        used += g.width();
        kept += 1;
        out.push_str(g);
    }
    out.push('…');
    (out, indices.iter().copied().filter(|&i| i < kept).collect())
}

/// Titles (ignoring case) that more than one note among `hits` has.
fn twin_titles(hits: &[Hit]) -> std::collections::HashSet<String> {
    let mut seen = std::collections::HashSet::new();
    let mut twins = std::collections::HashSet::new();
    for hit in hits {
        if let SearchItem::Note(_) = hit.item {
            let key = hit.text.to_lowercase();
            if !seen.insert(key.clone()) {
                twins.insert(key);
            }
        }
    }
    twins
}

/// A wide character cut in half by the overlay's edge leaves the other
/// half to the terminal, which blanks it: a strip of the pane below
/// that no longer matches the buffer. The halves outside are blanked
/// in the buffer too, so both agree.
fn seal_edges(frame: Rect, buf: &mut Buffer) {
    let bounds = buf.area;
    for y in frame.y..frame.bottom().min(bounds.bottom()) {
        if frame.x > bounds.x {
            let cell = &mut buf[(frame.x - 1, y)];
            if cell.symbol().width() > 1 {
                cell.set_symbol(" ");
            }
        }
        let right = frame.right();
        if right < bounds.right() && right > bounds.x {
            let lead = buf[(right - 1, y)].symbol().width();
            let cell = &mut buf[(right, y)];
            if lead <= 1 && cell.symbol().is_empty() {
                cell.set_symbol(" ");
            }
        }
    }
}

impl Widget for PickerOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.app.theme;
        let p = self.picker;
        let layout = crate::app::picker::layout(area);
        // One column either side is cleared too: a single column of the
        // note's text between the overlay's border and the pane's read as
        // part of the overlay (a strip of letters down its right edge).
        let margin = Rect {
            x: layout.frame.x.saturating_sub(1).max(area.x),
            width: layout.frame.width + 2,
            ..layout.frame
        }
        .intersection(area);
        Clear.render(margin, buf);
        seal_edges(margin, buf);
        pane_block(Line::from(self.title()), true, &self.app.theme).render(layout.frame, buf);
        if layout.list.height == 0 {
            return;
        }
        let prompt = match p.mode() {
            Mode::Jump => "› ",
            Mode::Text => "/ ",
        };
        // The query with a block cursor where typing goes; a query wider
        // than the row keeps its cursor in view.
        let at = p.cursor.min(p.query.len());
        let (before, after) = p.query.split_at(if p.query.is_char_boundary(at) {
            at
        } else {
            p.query.len()
        });
        let before = crate::text::sanitize_inline(before);
        let after = crate::text::sanitize_inline(after);
        let room = usize::from(layout.query.width).saturating_sub(prompt.width() + 1);
        let before = crate::text::truncate_start(&before, room);
        let mut chars = after.chars();
        let under = chars
            .next()
            .map_or_else(|| " ".to_owned(), |c| c.to_string());
        let cursor = theme.text.add_modifier(ratatui::style::Modifier::REVERSED);
        put_line(
            buf,
            layout.query.x,
            layout.query.y,
            layout.query.width,
            &[
                Span::styled(prompt, theme.mark),
                Span::raw(before),
                Span::styled(under, cursor),
                Span::raw(chars.as_str().to_owned()),
            ],
            theme.text,
        );
        let list = layout.list;
        let rows = usize::from(list.height);
        let offset = p.offset(rows);
        let twins = twin_titles(p.hits());
        for row in 0..rows {
            let i = offset + row;
            if i >= p.len() {
                break;
            }
            let y = list.y + u16::try_from(row).unwrap_or(0);
            let rect = Rect::new(list.x, y, list.width, 1);
            if i == p.selected {
                buf.set_style(rect, theme.selected);
            }
            match &p.rows {
                Rows::Jump(j) => {
                    let hit = &j.hits[i];
                    let twin = twins.contains(&hit.text.to_lowercase());
                    self.jump_row(hit, i < j.recent, twin, rect, buf);
                }
                Rows::Text(t) => self.text_row(&t.lines[i], rect, buf),
            }
        }
        if p.is_empty() {
            let text = match (p.mode(), p.query.is_empty()) {
                (Mode::Text, true) => "Type to search the text of every note",
                _ if p.busy() => "Searching…",
                _ => "No match",
            };
            put_line(
                buf,
                list.x + 2,
                list.y,
                list.width.saturating_sub(2),
                &[Span::styled(text, theme.dim)],
                theme.text,
            );
        }
        if let Some(preview) = layout.preview {
            for y in preview.y..preview.bottom() {
                put_line(
                    buf,
                    preview.x.saturating_sub(2),
                    y,
                    1,
                    &[Span::styled("│", theme.border)],
                    ratatui::style::Style::default(),
                );
            }
            self.preview(preview, buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_headings_shorten_the_note_title_and_keep_indices() {
        let text = "Building trust in partnerships › Why trust";
        // `trust` in the title (9..14) and in the heading (37..42).
        let indices: Vec<u32> = (9..14).chain(37..42).collect();
        let (short, moved) = fit_heading(text, &indices, 30);
        assert_eq!(short, "Building trust in… › Why trust");
        let chars: Vec<char> = short.chars().collect();
        let picked: String = moved.iter().map(|&i| chars[i as usize]).collect();
        assert_eq!(picked, "trusttrust");
        let (same, kept) = fit_heading(text, &indices, 80);
        assert_eq!((same.as_str(), kept), (text, indices));
    }
}
