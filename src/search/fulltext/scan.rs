//! Matching one note against a query: its matching lines and snippets.

use std::ops::Range;

use crate::vault::NoteId;

use super::{
    PER_NOTE,
    doc::{Doc, Reader},
    query::Query,
    results::{NoteMatches, TextHit},
};

/// Characters of a line kept before the match in a snippet.
const BEFORE: usize = 40;
/// Longest snippet, in characters (before the ellipses).
pub(super) const SNIPPET: usize = 160;

impl Query {
    /// The note's matches, or `None` when it does not match.
    // Long: one pass over a note's lines, kept in one loop for speed.
    pub(super) fn scan(&self, doc: &Doc, reader: &Reader) -> Option<NoteMatches> {
        if self.positive.is_empty() {
            return None;
        }
        let text = doc.text(reader)?;
        let text: &str = &text;
        let body_start = (doc.body_start..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        let body = &text[body_start..];
        // Cheap rejections first: a missing term, then an excluded one.
        if !self
            .check_order
            .iter()
            .all(|&i| self.positive[i].occurs_in(body))
            || self.negative.iter().any(|t| t.occurs_in(body))
        {
            return None;
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut counts = Vec::with_capacity(self.positive.len());
        for term in &self.positive {
            let before = found.len();
            let mut from = 0;
            while let Some(at) = term.find(body, from) {
                found.push((body_start + at, term.needle.len()));
                from = at + term.needle.len();
            }
            counts.push(found.len() - before);
        }
        found.sort_unstable();
        let bytes = text.as_bytes();
        let mut line = 1 + count_newlines(&bytes[..body_start]);
        let mut counted = body_start;
        let mut line_end = 0;
        let mut lines = 0u32;
        let mut hits = Vec::new();
        let mut in_heading = vec![false; self.positive.len()];
        for &(at, len) in &found {
            if at < line_end && lines > 0 {
                continue;
            }
            lines += 1;
            line += count_newlines(&bytes[counted..at]);
            counted = at;
            let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            let line_text = &text[start..line_end];
            if is_heading(line_text) {
                for (seen, term) in in_heading.iter_mut().zip(&self.positive) {
                    *seen |= term.occurs_in(line_text);
                }
            }
            if hits.len() < PER_NOTE {
                let mut hit = snippet(doc.note, line, line_text, at - start..at - start + len);
                hit.matched = self.ranges(&hit.snippet);
                hits.push(hit);
            }
        }
        // Each term counts by its rarity (`weight`): where it occurs (the
        // title most, then a heading) and how dense it is in the body
        // (occurrences per 10 kB, on a log scale; short notes count as 1 kB
        // so a one-line note does not outrank a note about the topic). A
        // note titled with a common word (`AI`) that names `grail` once
        // ranks below a note about the holy grail.
        // A term denser than the rarest one counts little more than it (a
        // note full of `AI` that names `grail` once is not about both).
        let body_len = body.len().max(1_000) as u64;
        let log_density = |count: usize| {
            let density = count as u64 * 10_000 / body_len;
            u64::from(64 - density.leading_zeros()).min(8)
        };
        let rarest = counts.iter().map(|&c| log_density(c)).min().unwrap_or(0);
        // Where a term stands (title, heading) counts by its weight relative
        // to the query's rarest term, squared: a title full of the common
        // word is worth little next to the rare words in the body.
        let top = (0..self.positive.len())
            .map(|i| self.weight(i))
            .max()
            .unwrap_or(1)
            .max(1);
        let mut score = 0u64;
        for (i, term) in self.positive.iter().enumerate() {
            let weight = self.weight(i);
            let log_density = log_density(counts[i]).min(rarest + 1);
            let title = if term.occurs_in(&doc.title) { 8 } else { 0 };
            let heading = if in_heading[i] { 4 } else { 0 };
            let placed = weight * weight / top * (title + heading);
            score = score.saturating_add(placed + weight * log_density);
        }
        Some(NoteMatches {
            note: doc.note,
            score,
            lines,
            hits,
        })
    }
}

fn is_heading(line: &str) -> bool {
    let rest = line.trim_start().trim_start_matches('#');
    rest.len() < line.trim_start().len() && rest.starts_with(' ')
}

fn count_newlines(bytes: &[u8]) -> u32 {
    u32::try_from(memchr::memchr_iter(b'\n', bytes).count()).unwrap_or(u32::MAX)
}

/// Builds the hit for a match at `range` of `line_text` (its `matched`
/// holds that match only; [`Query::scan`] puts every term's there).
fn snippet(note: NoteId, line: u32, line_text: &str, range: Range<usize>) -> TextHit {
    let line_text = line_text.trim_end_matches('\r');
    let range = range.start.min(line_text.len())..range.end.min(line_text.len());
    let matched_text = line_text[range.clone()].replace('\t', " ");
    // What is shown around the match is the line as a reader sees it:
    // timestamp anchors, tags, emphasis marks and link brackets go, and so
    // do list and quote markers at the start of the line.
    let line_start = line_text.len() - line_text.trim_start().len();
    // A match inside a link or a tag: the text is split where that markup
    // opens, so each side is read whole (no `[[` or `|target` left over).
    let split = markup_open_before(&line_text[..range.start]).unwrap_or(range.start);
    let raw_before = &line_text[line_start.min(split)..split];
    let mut before = crate::vault::context::strip_block_markers(&readable(raw_before)).to_owned();
    // Stripping trims: give back the space that parts the text from the match.
    if !before.is_empty() && raw_before.ends_with(char::is_whitespace) {
        before.push(' ');
    }
    let (matched_text_shown, after) = if split < range.start {
        (String::new(), readable(&line_text[split..]))
    } else {
        (matched_text.clone(), readable(&line_text[range.end..]))
    };
    let before_chars = before.chars().count();
    let mut out = String::new();
    if before_chars > BEFORE {
        out.push('…');
        out.extend(before.chars().skip(before_chars - BEFORE));
    } else {
        out.push_str(&before);
    }
    let offset = out.len();
    out.push_str(&matched_text_shown);
    let room = SNIPPET.saturating_sub(out.chars().count());
    let after_chars = after.chars().count();
    out.extend(after.chars().take(room));
    if after_chars > room {
        out.push('…');
    }
    let matched = std::iter::once(offset..offset + matched_text_shown.len()).collect();
    debug_assert!(crate::text::is_terminal_safe(&out));
    TextHit {
        note,
        line,
        snippet: out,
        matched,
        text: matched_text,
        head: None,
    }
}

/// Where a wiki-link (`[[`) or a tag (`<`) that is still open at the end of
/// `before` starts (the match is inside it).
fn markup_open_before(before: &str) -> Option<usize> {
    let link = before.rfind("[[").filter(|&i| !before[i..].contains("]]"));
    let tag = before.rfind('<').filter(|&i| !before[i..].contains('>'));
    link.into_iter().chain(tag).min()
}

/// A piece of a line as a reader sees it (see `context::plain`), on one
/// line, tabs as spaces.
fn readable(text: &str) -> String {
    let plain = crate::vault::context::plain(text);
    // Removed markup leaves runs of spaces behind: one is enough.
    let mut out = String::with_capacity(plain.len());
    let mut last_space = false;
    for c in plain.chars() {
        let space = c.is_whitespace();
        if !(space && last_space) {
            out.push(if space { ' ' } else { c });
        }
        last_space = space;
    }
    out
}
