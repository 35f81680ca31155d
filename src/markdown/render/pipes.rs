//! Pipes of wiki-links inside table rows.

use std::borrow::Cow;

/// Stands in for `|` inside `[[…|…]]` on table rows while parsing.
pub(super) const PROTECTED_PIPE: char = '\u{1a}';

/// In a table row, the `|` of `[[target | shown]]` would split the cell (as
/// in GFM) although authors mean a link, as Obsidian and Quartz read it.
/// Such pipes are swapped for a one-byte stand-in before parsing, so byte
/// offsets do not move. Notes never hold a raw U+001A (the loader makes
/// control characters visible), so the stand-in cannot clash with text.
pub(crate) fn protect_table_link_pipes(text: &str) -> Cow<'_, str> {
    if !text.contains("[[") || !text.contains('|') {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('|') && line.contains("[[") {
            let mut inside = false;
            let bytes = line.as_bytes();
            for i in 0..bytes.len() {
                if bytes[i..].starts_with(b"[[") {
                    inside = true;
                } else if bytes[i..].starts_with(b"]]") {
                    inside = false;
                } else if inside && bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
                    let buffer = out.get_or_insert_with(|| text.to_owned());
                    let at = line_start + i;
                    buffer.replace_range(at..=at, "\u{1a}");
                }
            }
        }
        line_start += line.len();
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// Text of a link the model does not know shows its pipes again.
pub(super) fn restore_table_link_pipes(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.contains(PROTECTED_PIPE) {
        Cow::Owned(text.replace(PROTECTED_PIPE, "|"))
    } else {
        text
    }
}
