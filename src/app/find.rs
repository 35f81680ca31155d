//! Find in the open note (`/`): an incremental, case-insensitive search of
//! the rendered lines' text. Every match is highlighted; `n`/`N` go to the
//! next and previous match while a find is active (they move the link
//! cursor otherwise); Esc clears it.
//!
//! Matches are found in what the reader sees (the rendered lines, span
//! texts joined), so markup never hides or shifts one, and are stored as
//! display columns so that `ui` can patch the cells' styles.

use std::ops::Range;

use ratatui::text::Line;
use unicode_width::UnicodeWidthChar;

use super::{App, Page, note_view};

/// Lines kept above and below the current match when it scrolls into view.
const MARGIN: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindMatch {
    /// Rendered line.
    pub line: usize,
    /// Display columns in that line.
    pub cols: Range<u16>,
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

    /// Finds the matches again in `lines`, keeping the current index when
    /// it still exists.
    pub fn refresh(&mut self, lines: &[Line<'_>]) {
        self.matches = find_matches(lines, &self.query);
        self.current = match self.current {
            Some(c) if c < self.matches.len() => Some(c),
            _ if self.matches.is_empty() => None,
            _ => Some(0),
        };
    }
}

/// Folds a character for case-insensitive comparison (one char for one, so
/// columns stay put; the rare characters whose lowercase is longer are
/// compared as they are).
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Every non-overlapping match of `query` in the lines, ignoring case.
#[must_use]
pub fn find_matches(lines: &[Line<'_>], query: &str) -> Vec<FindMatch> {
    let needle: Vec<char> = query.chars().map(fold).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut chars: Vec<(char, u16)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        chars.clear();
        let mut col: u16 = 0;
        for span in &line.spans {
            for c in span.content.chars() {
                chars.push((fold(c), col));
                let w = u16::try_from(c.width().unwrap_or(0)).unwrap_or(0);
                col = col.saturating_add(w);
            }
        }
        let mut at = 0;
        while at + needle.len() <= chars.len() {
            if chars[at..at + needle.len()]
                .iter()
                .zip(&needle)
                .all(|((c, _), n)| c == n)
            {
                let start = chars[at].1;
                let end = chars.get(at + needle.len()).map_or(col, |(_, c)| *c);
                out.push(FindMatch {
                    line: i,
                    cols: start..end.max(start + 1),
                });
                at += needle.len();
            } else {
                at += 1;
            }
        }
    }
    out
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
        f.matches = find_matches(&self.view().lines, &f.query);
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
            let lines = &self.cache.get(&key).map_or(&self.empty.lines, |v| &v.lines);
            f.refresh(lines);
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::text::Span;

    use super::*;

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
        let m = find_matches(&lines, "RUST");
        assert_eq!(
            m,
            vec![
                FindMatch {
                    line: 0,
                    cols: 4..8
                },
                FindMatch {
                    line: 0,
                    cols: 10..14
                },
                FindMatch {
                    line: 2,
                    cols: 5..9
                },
            ]
        );
        assert_eq!(find_matches(&lines, "e r").len(), 1, "across spans");
        assert!(find_matches(&lines, "").is_empty());
        assert_eq!(find_matches(&[Line::from("aaaa")], "aa").len(), 2);
    }
}
