//! Find in the open note (`/`): an incremental, case-insensitive search of
//! the note's text as read. Every match is highlighted; `n`/`N` go to the
//! next and previous match while a find is active (they move the link
//! cursor otherwise); Esc clears it.
//!
//! Matches are found in the reading text the renderer records (see
//! `markdown::reading`): across soft wraps and inside wrapped table cells,
//! without the marks the renderer adds (`sales? involves` is found as
//! `sales involves`), any run of white space matching any other. Each match
//! is stored as the screen cells it covers, possibly on several lines, so
//! that `ui` can patch their styles.

use std::ops::Range;

use ratatui::text::Line;

use super::{App, Page, note_view};
use crate::markdown::reading::ReadingText;

/// Lines kept above and below the current match when it scrolls into view.
const MARGIN: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindMatch {
    /// Rendered line where the match starts.
    pub line: usize,
    /// Every (rendered line, display columns) the match covers.
    pub pieces: Vec<(usize, Range<u16>)>,
}

#[derive(Debug, Clone)]
pub struct Find {
    pub query: String,
    /// The query is being typed (the status bar shows `/query`).
    pub editing: bool,
    pub matches: Vec<FindMatch>,
    /// Index into `matches` of the current one.
    pub current: Option<usize>,
    /// The page and width the matches were found at.
    key: (Page, u16),
    /// Where the note was scrolled when the find started (Esc while typing
    /// goes back there).
    origin: usize,
}

impl Find {
    #[must_use]
    pub fn new(query: String, page: Page, width: u16) -> Self {
        Self {
            query,
            editing: true,
            matches: Vec::new(),
            current: None,
            key: (page, width),
            origin: 0,
        }
    }

    /// Finds the matches again in a page, keeping the current index when
    /// it still exists.
    pub fn refresh(&mut self, view: &super::View) {
        self.matches = find_in_view(view, &self.query);
        self.current = match self.current {
            Some(c) if c < self.matches.len() => Some(c),
            _ if self.matches.is_empty() => None,
            _ => Some(0),
        };
    }
}

/// Folds a character for case-insensitive comparison (one char for one;
/// the rare characters whose lowercase is longer are compared as they
/// are). All white space folds to a plain space.
fn fold(c: char) -> char {
    if c.is_whitespace() {
        return ' ';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Folded characters with runs of white space collapsed to one space,
/// each with the index of the character it came from.
fn folded(chars: impl Iterator<Item = char>) -> (Vec<char>, Vec<usize>) {
    let mut out = Vec::new();
    let mut from = Vec::new();
    for (i, c) in chars.enumerate() {
        let f = fold(c);
        if f == ' ' && out.last() == Some(&' ') {
            continue;
        }
        out.push(f);
        from.push(i);
    }
    (out, from)
}

/// Every match of `query` in a page: its recorded reading text, or, for a
/// generated page, its lines.
#[must_use]
pub fn find_in_view(view: &super::View, query: &str) -> Vec<FindMatch> {
    match &view.reading {
        Some(reading) => find_matches(reading, query),
        None => find_matches(&ReadingText::from_lines(&view.lines), query),
    }
}

/// Every non-overlapping match of `query` in the lines, ignoring case.
#[must_use]
pub fn find_in_lines(lines: &[Line<'_>], query: &str) -> Vec<FindMatch> {
    find_matches(&ReadingText::from_lines(lines), query)
}

/// Every non-overlapping match of `query` in a reading text, ignoring case
/// and how white space runs. Linear (Knuth–Morris–Pratt), so a hostile
/// note and query cannot make typing slow.
#[must_use]
pub fn find_matches(reading: &ReadingText, query: &str) -> Vec<FindMatch> {
    let (needle, _) = folded(query.chars());
    if needle.is_empty() || needle == [' '] {
        return Vec::new();
    }
    let (hay, from) = folded(reading.chars.iter().map(|c| c.ch));
    // failure[i]: length of the longest proper border of needle[..=i].
    let mut failure = vec![0usize; needle.len()];
    let mut k = 0;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = failure[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        failure[i] = k;
    }
    let mut out = Vec::new();
    let mut matched = 0;
    for (i, &c) in hay.iter().enumerate() {
        while matched > 0 && c != needle[matched] {
            matched = failure[matched - 1];
        }
        if c == needle[matched] {
            matched += 1;
        }
        if matched == needle.len() {
            let start = from[i + 1 - needle.len()];
            let end = from.get(i + 1).copied().unwrap_or(reading.chars.len());
            if let Some(found) = cells_of(reading, start..end) {
                out.push(found);
            }
            matched = 0;
        }
    }
    out
}

/// The screen cells of reading characters `range` (the drawn ones).
fn cells_of(reading: &ReadingText, range: Range<usize>) -> Option<FindMatch> {
    let mut pieces: Vec<(usize, Range<u16>)> = Vec::new();
    for c in &reading.chars[range] {
        if c.width == 0 {
            continue;
        }
        let line = c.line as usize;
        let cols = c.col..c.col.saturating_add(c.width);
        match pieces.last_mut() {
            Some((l, r)) if *l == line && r.end == cols.start => r.end = cols.end,
            _ => pieces.push((line, cols)),
        }
    }
    Some(FindMatch {
        line: pieces.first()?.0,
        pieces,
    })
}

impl App {
    /// `/`: starts typing a find in the open page.
    pub(super) fn find_start(&mut self) {
        let mut find = Find::new(String::new(), self.page, self.note_width());
        find.origin = self.note.scroll;
        self.find = Some(find);
    }

    pub(super) fn find_edit(&mut self, edit: impl FnOnce(&mut String)) {
        self.ensure_view();
        let Some(mut f) = self.find.take() else {
            return;
        };
        edit(&mut f.query);
        f.matches = find_in_view(self.view(), &f.query);
        // The first match at or below where the find started.
        f.current = f
            .matches
            .iter()
            .position(|m| m.line >= f.origin)
            .or(if f.matches.is_empty() { None } else { Some(0) });
        let (found, origin) = (f.current.is_some(), f.origin);
        self.find = Some(f);
        if found {
            self.show_current_match();
        } else {
            self.note.scroll = origin;
        }
    }

    /// Enter: keep the matches and go back to reading.
    pub(super) fn find_confirm(&mut self) {
        if let Some(f) = &mut self.find {
            f.editing = false;
            if f.query.is_empty() {
                self.find = None;
            } else if f.matches.is_empty() {
                let query = f.query.clone();
                self.find = None;
                self.info(format!("Not found: {query}"));
            }
        }
    }

    /// Esc: while typing, cancels and scrolls back; after, clears.
    pub(super) fn find_clear(&mut self) {
        if let Some(f) = self.find.take()
            && f.editing
        {
            self.note.scroll = f.origin;
        }
    }

    /// `n`/`N` while a find is active.
    pub(super) fn find_step(&mut self, forward: bool) {
        let Some(f) = &mut self.find else { return };
        let count = f.matches.len();
        if count == 0 {
            return;
        }
        f.current = Some(match f.current {
            Some(c) if forward => (c + 1) % count,
            Some(c) => (c + count - 1) % count,
            None => 0,
        });
        self.show_current_match();
    }

    fn show_current_match(&mut self) {
        let Some(line) = self
            .find
            .as_ref()
            .and_then(|f| f.matches.get(f.current?))
            .map(|m| m.line)
        else {
            return;
        };
        let height = self.note_height();
        let max = note_view::max_scroll(self.view().lines.len(), height);
        self.note.scroll =
            note_view::ensure_visible(self.note.scroll, line, height, MARGIN).min(max);
    }

    /// After every change: a find belongs to its page, and its matches are
    /// found again when the page is drawn at another width.
    pub(super) fn sync_find(&mut self) {
        let key = (self.page, self.note_width());
        let Some(f) = &mut self.find else { return };
        if f.key.0 != self.page {
            self.find = None;
        } else if f.key != key {
            f.key = key;
            let view = self.cache.get(&key).unwrap_or(&self.empty);
            f.refresh(view);
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::text::Span;

    use super::*;

    fn one(line: usize, cols: Range<u16>) -> FindMatch {
        FindMatch {
            line,
            pieces: vec![(line, cols)],
        }
    }

    #[test]
    fn matches_ignore_case_and_span_borders_in_display_columns() {
        let lines = vec![
            Line::from(vec![
                Span::raw("The "),
                Span::raw("Rust"),
                Span::raw("y rust"),
            ]),
            Line::from("nothing"),
            Line::from("日本 rust"),
        ];
        let m = find_in_lines(&lines, "RUST");
        assert_eq!(m, vec![one(0, 4..8), one(0, 10..14), one(2, 5..9)]);
        assert_eq!(find_in_lines(&lines, "e r").len(), 1, "across spans");
        assert!(find_in_lines(&lines, "").is_empty());
        assert_eq!(find_in_lines(&[Line::from("aaaa")], "aa").len(), 2);
        assert_eq!(
            find_in_lines(&[Line::from("aabaabaaab")], "aaab").len(),
            1,
            "a partial match that fails restarts inside itself"
        );
    }

    #[test]
    fn search_work_is_linear_in_the_text() {
        // A needle that almost matches everywhere: quadratic search would
        // compare ~n*m characters; this returns at once.
        let hay = "a".repeat(200_000);
        let needle = format!("{}b", "a".repeat(5_000));
        assert!(find_in_lines(&[Line::from(hay)], &needle).is_empty());
    }
}
