//! Note → styled, wrapped lines (ratatui text types only).
//! TEMP: a plain stand-in until the renderer lands.

use crate::vault::{Note, timestamp::format_clock};

/// The note as plain text: links as their shown text, timestamps as `[05:17]`.
#[must_use]
pub fn render_plain(note: &Note, _width: u16) -> String {
    let body = note.body();
    let base = note.body_start;
    let mut pieces: Vec<(usize, usize, String)> = note
        .links
        .iter()
        .map(|l| (l.range.start, l.range.end, l.display_text()))
        .chain(note.timestamps.iter().map(|t| {
            let shown = t.seconds.map_or_else(|| t.label.clone(), format_clock);
            (t.range.start, t.range.end, format!("[{shown}]"))
        }))
        .collect();
    pieces.sort_by_key(|p| p.0);
    let mut out = format!("{}\n\n", note.title);
    let mut at = base;
    for (start, end, text) in pieces {
        if start < at {
            continue;
        }
        out.push_str(&body[at - base..start - base]);
        out.push_str(&text);
        at = end;
    }
    out.push_str(&body[at - base..]);
    out.replace("<br/>", "").replace("<br>", "")
}
