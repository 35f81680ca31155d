//! The text of a rendered note as it is read, with where each character
//! sits on screen.
//!
//! Find (`/`) must match across soft wraps and inside wrapped table cells,
//! and must not see the marks the renderer adds (the `?` of an unresolved
//! link, the `*` of an ambiguous one). Recovering that from the drawn lines
//! is guesswork (a table row interleaves its cells line by line), so the
//! renderer records it while it lays text out: every run of note text gets
//! its (line, column) and the spaces a wrap dropped are kept as characters
//! with no cell.

use ratatui::text::Line;
use unicode_width::UnicodeWidthChar;

/// A run of read text laid out on one line (as the wrapper records it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadingRun {
    /// Line relative to the line the run is attached to (a table row puts
    /// the runs of all its wrapped cell lines on its first line, in reading
    /// order).
    pub line: usize,
    /// Display column where the run starts.
    pub col: u16,
    pub text: String,
    /// False for text that is read but not drawn (spaces dropped at a wrap,
    /// the gap between cells).
    pub shown: bool,
}

/// One character of the reading text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingChar {
    pub ch: char,
    /// Rendered line.
    pub line: u32,
    pub col: u16,
    /// Display width on screen; 0 for a character that is not drawn.
    pub width: u16,
}

/// The reading text of a page, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadingText {
    pub chars: Vec<ReadingChar>,
}

impl ReadingText {
    /// Appends a run attached to rendered line `base`, shifting its columns
    /// by `shift`.
    pub fn push_run(&mut self, base: usize, run: &ReadingRun) {
        let line = u32::try_from(base + run.line).unwrap_or(u32::MAX);
        let mut col = run.col;
        for ch in run.text.chars() {
            let width = if run.shown {
                u16::try_from(ch.width().unwrap_or(0)).unwrap_or(0)
            } else {
                0
            };
            self.chars.push(ReadingChar {
                ch,
                line,
                col,
                width,
            });
            col = col.saturating_add(width);
        }
    }

    /// A break between blocks (read as white space, not drawn).
    pub fn push_gap(&mut self) {
        if self.chars.last().is_some_and(|c| c.ch != '\n') {
            self.chars.push(ReadingChar {
                ch: '\n',
                line: 0,
                col: 0,
                width: 0,
            });
        }
    }

    /// Moves every character down by `lines` (footnotes appended below the
    /// body).
    pub fn shift_lines(&mut self, lines: usize) {
        let lines = u32::try_from(lines).unwrap_or(u32::MAX);
        for c in &mut self.chars {
            c.line = c.line.saturating_add(lines);
        }
    }

    pub fn append(&mut self, mut other: Self) {
        self.push_gap();
        self.chars.append(&mut other.chars);
    }

    /// For a page drawn without a renderer's record (generated pages): each
    /// line's text as it is, lines apart.
    #[must_use]
    pub fn from_lines(lines: &[Line<'_>]) -> Self {
        let mut out = Self::default();
        for (i, line) in lines.iter().enumerate() {
            let mut col: u16 = 0;
            let number = u32::try_from(i).unwrap_or(u32::MAX);
            for span in &line.spans {
                for ch in span.content.chars() {
                    let width = u16::try_from(ch.width().unwrap_or(0)).unwrap_or(0);
                    out.chars.push(ReadingChar {
                        ch,
                        line: number,
                        col,
                        width,
                    });
                    col = col.saturating_add(width);
                }
            }
            out.push_gap();
        }
        out
    }
}
