//! Wrapping styled text to a width.
//!
//! The renderer hands over a paragraph as [`Piece`]s (text + style + the
//! link-cursor target it belongs to) and gets back lines whose display width
//! never exceeds the pane, plus the exact display columns each target
//! occupies on each line. Doing this ourselves (instead of letting ratatui's
//! `Paragraph` wrap) is what makes link highlighting and scrolling exact.
//!
//! Widths are measured with `unicode-width`, the same measure ratatui uses,
//! so CJK, emoji and combining marks line up with what the buffer draws.
//! Long words are split between grapheme clusters, never inside one.

use std::{borrow::Cow, ops::Range};

use ratatui::{
    style::Style,
    text::{Line, Span},
};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::reading::ReadingRun;
use crate::text::{is_terminal_safe, sanitize_inline};

/// Text of a piece that forces a line break (`<br/>`, a hard break).
pub const LINE_BREAK: &str = "\n";

/// At narrow widths, indentation is cut so that at least this many columns
/// (or the whole width, if smaller) remain for text.
const MIN_TEXT_COLUMNS: usize = 4;

/// A run of text with one style, optionally part of a link-cursor target.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece<'a> {
    /// The text; `"\n"` ([`LINE_BREAK`]) alone means "break the line here".
    /// Any control character is made visible when spans are built.
    pub text: Cow<'a, str>,
    pub style: Style,
    /// Id of the target this text belongs to (an index chosen by the caller).
    pub target: Option<usize>,
    /// 1-based source line the text came from (0 when it has none).
    pub source_line: u32,
    /// A mark the renderer adds (the `?` of an unresolved link): drawn but
    /// not part of the text as read (find does not see it).
    pub marker: bool,
}

impl<'a> Piece<'a> {
    #[must_use]
    pub fn new(text: impl Into<Cow<'a, str>>, style: Style) -> Self {
        Self {
            text: text.into(),
            style,
            target: None,
            source_line: 0,
            marker: false,
        }
    }

    /// Marks the piece as drawn but not read (see [`Piece::marker`]).
    #[must_use]
    pub fn as_marker(mut self) -> Self {
        self.marker = true;
        self
    }

    #[must_use]
    pub fn with_target(mut self, target: Option<usize>) -> Self {
        self.target = target;
        self
    }

    #[must_use]
    pub fn at_line(mut self, source_line: u32) -> Self {
        self.source_line = source_line;
        self
    }

    #[must_use]
    pub fn line_break(source_line: u32) -> Self {
        Self::new(LINE_BREAK, Style::new()).at_line(source_line)
    }

    #[must_use]
    pub fn is_line_break(&self) -> bool {
        self.text == LINE_BREAK
    }
}

/// One output line with the targets on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WrappedLine {
    pub line: Line<'static>,
    /// (target id, display columns) for every target piece on this line,
    /// columns counted from the start of the line (indent included).
    pub targets: Vec<(usize, Range<u16>)>,
    /// Source line of the first text on the line (of the last text before
    /// it for a line without text).
    pub source_line: u32,
    /// The text as read, with where it is drawn (see `markdown::reading`).
    pub reading: Vec<ReadingRun>,
}

/// Starts the reading text of laid-out lines with a break, so that text
/// laid out separately (table cells, code lines) does not run together.
pub fn reading_break(lines: &mut [WrappedLine]) {
    if let Some(first) = lines.first_mut() {
        first.reading.insert(
            0,
            ReadingRun {
                line: 0,
                col: 0,
                text: "\n".to_owned(),
                shown: false,
            },
        );
    }
}

/// Word-wraps `pieces` to `width` columns. The first line starts with
/// `first_indent`, later lines with `hanging_indent` (a list marker and the
/// spaces under it, a quote bar, …). Spaces at a line break are dropped; a
/// word longer than a line is split between grapheme clusters. Styles and
/// target ids are kept. For `width >= 2` no line is wider than `width`.
#[must_use]
pub fn wrap(
    pieces: &[Piece<'_>],
    width: u16,
    first_indent: &[Span<'static>],
    hanging_indent: &[Span<'static>],
) -> Vec<WrappedLine> {
    layout(pieces, width, first_indent, hanging_indent, Mode::Words)
}

/// Like [`wrap`] but breaks anywhere (every space is kept): for code, where
/// leading spaces matter and words are not prose.
#[must_use]
pub fn wrap_hard(
    pieces: &[Piece<'_>],
    width: u16,
    first_indent: &[Span<'static>],
    hanging_indent: &[Span<'static>],
) -> Vec<WrappedLine> {
    layout(pieces, width, first_indent, hanging_indent, Mode::Anywhere)
}

/// Replaces tabs with spaces up to the next multiple of `tab_width` columns.
#[must_use]
pub fn expand_tabs(text: &str, tab_width: usize) -> Cow<'_, str> {
    if !text.contains('\t') {
        return Cow::Borrowed(text);
    }
    let tab_width = tab_width.max(1);
    let mut out = String::with_capacity(text.len() + 8);
    let mut column = 0;
    for grapheme in text.graphemes(true) {
        if grapheme == "\t" {
            let spaces = tab_width - column % tab_width;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push_str(grapheme);
            column += grapheme.width();
        }
    }
    Cow::Owned(out)
}

/// Display width of spans, as ratatui measures a line.
#[must_use]
pub fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(Span::width).sum()
}

/// Cuts spans so their total width is at most `max_width`, between graphemes.
#[must_use]
pub fn clamp_spans(spans: &[Span<'static>], max_width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::with_capacity(spans.len());
    let mut used = 0;
    for span in spans {
        let span_width = span.width();
        if used + span_width <= max_width {
            used += span_width;
            out.push(span.clone());
            continue;
        }
        let mut kept = String::new();
        for grapheme in span.content.graphemes(true) {
            let w = grapheme.width();
            if used + w > max_width {
                break;
            }
            used += w;
            kept.push_str(grapheme);
        }
        if !kept.is_empty() {
            out.push(Span::styled(kept, span.style));
        }
        break;
    }
    out
}

/// Puts `first`/`rest` in front of already laid-out lines (a table, a rule),
/// shifting their target columns accordingly.
#[must_use]
pub fn indent_lines(
    lines: Vec<WrappedLine>,
    first: &[Span<'static>],
    rest: &[Span<'static>],
) -> Vec<WrappedLine> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, mut wrapped)| {
            let width_of = |line: usize| {
                let indent = if line == 0 { first } else { rest };
                u16::try_from(spans_width(indent)).unwrap_or(u16::MAX)
            };
            for run in &mut wrapped.reading {
                run.col = run.col.saturating_add(width_of(i + run.line));
            }
            let indent = if i == 0 { first } else { rest };
            if indent.is_empty() {
                return wrapped;
            }
            let shift = u16::try_from(spans_width(indent)).unwrap_or(u16::MAX);
            let mut spans = indent.to_vec();
            spans.append(&mut wrapped.line.spans);
            wrapped.line.spans = spans;
            for (_, range) in &mut wrapped.targets {
                *range = range.start.saturating_add(shift)..range.end.saturating_add(shift);
            }
            wrapped
        })
        .collect()
}

/// Cuts indents that would leave too little room for text at this width.
/// Returns the indents to use and the columns left for text.
#[must_use]
pub fn fit_indents(
    first: &[Span<'static>],
    rest: &[Span<'static>],
    width: u16,
) -> (Vec<Span<'static>>, Vec<Span<'static>>, usize) {
    let width = usize::from(width);
    let max_indent = width - MIN_TEXT_COLUMNS.min(width);
    let indent_width = spans_width(first).max(spans_width(rest));
    if indent_width <= max_indent {
        return (first.to_vec(), rest.to_vec(), width - indent_width);
    }
    (
        clamp_spans(first, max_indent),
        clamp_spans(rest, max_indent),
        width - max_indent,
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Words,
    Anywhere,
}

/// Spaces where a line may break. No-break spaces are not among them.
fn is_break_space(c: char) -> bool {
    c == ' ' || (c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
}

fn layout(
    pieces: &[Piece<'_>],
    width: u16,
    first_indent: &[Span<'static>],
    hanging_indent: &[Span<'static>],
    mode: Mode,
) -> Vec<WrappedLine> {
    if pieces.is_empty() {
        return Vec::new();
    }
    let (first, rest, _) = fit_indents(first_indent, hanging_indent, width);
    // Sanitised once here: this is where note text becomes spans.
    let texts: Vec<Cow<'_, str>> = pieces
        .iter()
        .map(|p| {
            if p.is_line_break() {
                Cow::Borrowed(LINE_BREAK)
            } else {
                sanitize_inline(&p.text)
            }
        })
        .collect();
    let mut builder = LineBuilder::new(usize::from(width), pieces, &rest);
    builder.start_line(&first);
    match mode {
        Mode::Words => lay_out_words(&mut builder, pieces, &texts),
        Mode::Anywhere => lay_out_graphemes(&mut builder, pieces, &texts),
    }
    builder.finish()
}

/// A run of text inside one piece: (piece index, byte range in its text).
type Segment = (usize, Range<usize>);

fn lay_out_words(builder: &mut LineBuilder<'_, '_>, pieces: &[Piece<'_>], texts: &[Cow<'_, str>]) {
    let mut word: Vec<Segment> = Vec::new();
    let mut word_width = 0;
    let mut spaces: Vec<Segment> = Vec::new();
    let mut spaces_width = 0;
    for (index, text) in texts.iter().enumerate() {
        if pieces[index].is_line_break() {
            builder.place_word(texts, &word, word_width, &spaces, spaces_width);
            word.clear();
            word_width = 0;
            spaces.clear();
            spaces_width = 0;
            builder.break_line(pieces[index].source_line);
            continue;
        }
        let mut run_start = 0;
        let mut run_is_space = None;
        for (pos, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), 'x')))
        {
            let at_end = pos == text.len();
            let is_space = is_break_space(c);
            if run_is_space == Some(is_space) && !at_end {
                continue;
            }
            if let Some(was_space) = run_is_space
                && pos > run_start
            {
                let w = text[run_start..pos].width();
                if was_space {
                    if !word.is_empty() {
                        builder.place_word(texts, &word, word_width, &spaces, spaces_width);
                        word.clear();
                        word_width = 0;
                        spaces.clear();
                        spaces_width = 0;
                    }
                    spaces.push((index, run_start..pos));
                    spaces_width += w;
                } else {
                    word.push((index, run_start..pos));
                    word_width += w;
                }
            }
            run_start = pos;
            run_is_space = Some(is_space);
        }
    }
    builder.place_word(texts, &word, word_width, &spaces, spaces_width);
}

fn lay_out_graphemes(
    builder: &mut LineBuilder<'_, '_>,
    pieces: &[Piece<'_>],
    texts: &[Cow<'_, str>],
) {
    for (index, text) in texts.iter().enumerate() {
        if pieces[index].is_line_break() {
            builder.break_line(pieces[index].source_line);
            continue;
        }
        for grapheme in text.graphemes(true) {
            builder.push_grapheme(index, grapheme);
        }
    }
}

/// Builds lines one span at a time, merging adjacent text of one piece.
struct LineBuilder<'p, 'i> {
    width: usize,
    pieces: &'p [Piece<'p>],
    hanging_indent: &'i [Span<'static>],
    out: Vec<WrappedLine>,
    spans: Vec<Span<'static>>,
    run: String,
    run_piece: Option<usize>,
    column: usize,
    has_text: bool,
    targets: Vec<(usize, Range<u16>)>,
    source_line: u32,
    reading: Vec<ReadingRun>,
    /// Column where the last shown reading run ends.
    reading_end: usize,
}

impl<'p, 'i> LineBuilder<'p, 'i> {
    fn new(width: usize, pieces: &'p [Piece<'p>], hanging_indent: &'i [Span<'static>]) -> Self {
        Self {
            width,
            pieces,
            hanging_indent,
            out: Vec::new(),
            spans: Vec::new(),
            run: String::new(),
            run_piece: None,
            column: 0,
            has_text: false,
            targets: Vec::new(),
            source_line: pieces.first().map_or(0, |p| p.source_line),
            reading: Vec::new(),
            reading_end: usize::MAX,
        }
    }

    fn start_line(&mut self, indent: &[Span<'static>]) {
        self.spans.extend_from_slice(indent);
        self.column = spans_width(indent);
        self.has_text = false;
    }

    fn room(&self) -> usize {
        self.width.saturating_sub(self.column)
    }

    /// Places a word after the spaces before it, on this line if it fits,
    /// else on the next; splits it when no line could hold it.
    fn place_word(
        &mut self,
        texts: &[Cow<'_, str>],
        word: &[Segment],
        word_width: usize,
        spaces: &[Segment],
        spaces_width: usize,
    ) {
        if word.is_empty() {
            return;
        }
        if self.has_text {
            if spaces_width + word_width <= self.room() {
                for (index, range) in spaces {
                    self.push_text(*index, &texts[*index][range.clone()]);
                }
                for (index, range) in word {
                    self.push_text(*index, &texts[*index][range.clone()]);
                }
                return;
            }
            // The spaces dropped at the wrap are still read.
            if !spaces.is_empty() {
                self.read_unshown(" ");
            }
            self.new_line();
        }
        if word_width <= self.room() {
            for (index, range) in word {
                self.push_text(*index, &texts[*index][range.clone()]);
            }
            return;
        }
        for (index, range) in word {
            for grapheme in texts[*index][range.clone()].graphemes(true) {
                self.push_grapheme(*index, grapheme);
            }
        }
    }

    fn push_grapheme(&mut self, index: usize, grapheme: &str) {
        if self.has_text && grapheme.width() > self.room() {
            self.new_line();
        }
        self.push_text(index, grapheme);
    }

    fn push_text(&mut self, index: usize, text: &str) {
        if text.is_empty() {
            return;
        }
        let piece = &self.pieces[index];
        if self.run_piece != Some(index) {
            self.flush_run();
            self.run_piece = Some(index);
        }
        if !self.has_text {
            self.source_line = piece.source_line;
        }
        self.run.push_str(text);
        let start = self.column;
        self.column += text.width();
        self.has_text = true;
        if !piece.marker {
            let col = u16::try_from(start).unwrap_or(u16::MAX);
            match self.reading.last_mut() {
                Some(run) if run.shown && run.line == 0 && self.reading_end == start => {
                    run.text.push_str(text);
                }
                _ => self.reading.push(ReadingRun {
                    line: 0,
                    col,
                    text: text.to_owned(),
                    shown: true,
                }),
            }
            self.reading_end = self.column;
        }
        if let Some(target) = piece.target {
            let start = u16::try_from(start).unwrap_or(u16::MAX);
            let end = u16::try_from(self.column).unwrap_or(u16::MAX);
            match self.targets.last_mut() {
                Some((id, range)) if *id == target && range.end == start => range.end = end,
                _ => self.targets.push((target, start..end)),
            }
        }
    }

    fn flush_run(&mut self) {
        if let Some(index) = self.run_piece.take() {
            let content = std::mem::take(&mut self.run);
            debug_assert!(is_terminal_safe(&content), "unsafe span {content:?}");
            self.spans
                .push(Span::styled(content, self.pieces[index].style));
        }
    }

    fn break_line(&mut self, source_line: u32) {
        if !self.has_text {
            self.source_line = source_line;
        }
        self.read_unshown("\n");
        self.new_line();
    }

    /// Text that is read but not drawn here (a dropped space, a break).
    fn read_unshown(&mut self, text: &str) {
        self.reading.push(ReadingRun {
            line: 0,
            col: u16::try_from(self.column).unwrap_or(u16::MAX),
            text: text.to_owned(),
            shown: false,
        });
    }

    fn new_line(&mut self) {
        self.end_line();
        let indent = self.hanging_indent;
        self.start_line(indent);
    }

    fn end_line(&mut self) {
        self.flush_run();
        let mut spans = std::mem::take(&mut self.spans);
        let mut targets = std::mem::take(&mut self.targets);
        // Defence in depth: measuring pieces separately can differ from
        // measuring the joined span for rare sequences; never exceed width.
        if self.width >= 1 && spans_width(&spans) > self.width {
            spans = clamp_spans(&spans, self.width);
            let limit = u16::try_from(self.width).unwrap_or(u16::MAX);
            targets.retain_mut(|(_, range)| {
                range.end = range.end.min(limit);
                range.start < range.end
            });
        }
        self.out.push(WrappedLine {
            line: Line::from(spans),
            targets,
            source_line: self.source_line,
            reading: std::mem::take(&mut self.reading),
        });
    }

    fn finish(mut self) -> Vec<WrappedLine> {
        if self.has_text || self.out.is_empty() {
            self.end_line();
        }
        self.out
    }
}

#[cfg(test)]
pub(crate) mod tests;
