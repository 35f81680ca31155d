//! The event walker: pulldown-cmark events (with byte offsets) → wrapped,
//! styled lines, link-cursor targets and heading positions.
//!
//! Shape (after helix's Markdown renderer): inline events collect
//! [`Piece`]s for the current block; a block end wraps them with the prefix
//! of the open containers (quote bars, list markers and their hanging
//! indents) and appends the lines to a [`Sink`]. Footnote definitions go to
//! a second sink appended at the end, so they always read as end notes.
//!
//! Wiki-links and timestamps are matched to the note model by the byte
//! offset where they start; the model decides what they are and where they
//! lead, the renderer only how they look. Matched links are drawn from the
//! model, and the events inside them are skipped by offset range.
//!
//! The walker is spread over `events.rs` (dispatch), `inline.rs`,
//! `blocks.rs`, `callouts.rs` and `pipes.rs`, all one `impl Renderer`.
//!
//! Code blocks are wrapped hard (anywhere, spaces kept) rather than clipped:
//! in a note browser, losing the end of a line is worse than a broken line.

use std::{borrow::Cow, ops::Range};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};
use ratatui::{
    style::Style,
    text::{Line, Span},
};

use super::{
    HeadingPosition, RenderedNote, Target, TargetKind, html,
    html::{Fragment, TagEffect},
    reading::ReadingText,
    table::{self, Cell, Table},
    wrap::{
        Piece, WrappedLine, expand_tabs, fit_indents, indent_lines, reading_break, wrap, wrap_hard,
    },
};
use crate::{
    text::sanitize_inline,
    theme::Theme,
    vault::{
        note::{Note, WikiLink},
        resolve::Resolution,
        timestamp::format_clock,
    },
};

mod blocks;
mod callouts;
mod events;
mod inline;
mod pipes;

use inline::link_look;
use pipes::{PROTECTED_PIPE, protect_table_link_pipes, restore_table_link_pipes};

const TAB_WIDTH: usize = 4;

pub(crate) fn render_note(
    note: &Note,
    text: &str,
    width: u16,
    theme: &Theme,
    titles: &super::Titles<'_>,
) -> RenderedNote {
    let base = parse_start(note, text);
    let source = protect_table_link_pipes(&text[base..]);
    let mut renderer = Renderer::new(note, text, width, theme, titles);
    renderer.header();
    let parser = Parser::new_ext(&source, parser_options()).into_offset_iter();
    for (event, range) in parser {
        renderer.event(event, range.start + base..range.end + base);
    }
    renderer.finish()
}

pub(crate) fn parser_options() -> Options {
    Options::ENABLE_WIKILINKS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
}

/// Where parsing starts: after a BOM, and after the front matter when the
/// loader found one (so the renderer and the index agree on what it is).
fn parse_start(note: &Note, text: &str) -> usize {
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let body = note.body_start;
    let front_matter_before_body = body > bom
        && text.is_char_boundary(body)
        && (text[bom..].starts_with("---") || text[bom..].starts_with("+++"));
    if front_matter_before_body { body } else { bom }
}

/// Lines and targets built so far, for the body or for the footnotes.
#[derive(Default)]
struct Sink {
    lines: Vec<Line<'static>>,
    source_lines: Vec<u32>,
    targets: Vec<Target>,
    headings: Vec<HeadingPosition>,
    reading: ReadingText,
    /// A blank line goes before the next block.
    need_blank: bool,
}

/// An open block that prefixes every line inside it.
enum Container {
    Quote {
        bar: Style,
        callout: bool,
    },
    /// A list item or footnote definition: marker on its first line, then
    /// spaces of the same width (the hanging indent).
    Item {
        marker: String,
        marker_style: Style,
        marker_pending: bool,
    },
}

/// A stretch of source text (relative byte range) or a link or timestamp
/// of the model (absolute byte range), in reading order.
enum Part {
    Text(Range<usize>),
    Item(ModelItem, Range<usize>),
}

/// A link or timestamp of the note model.
#[derive(Clone, Copy)]
enum ModelItem {
    Timestamp(usize),
    Link(usize),
}

/// An open link or image whose inner events are rendered in its style.
struct LinkFrame {
    style: Style,
    target: Option<usize>,
    /// For `![alt](src)`: the `src` shown after the alt text.
    image_source: Option<String>,
}

/// The title of a callout written on its marker line.
struct CalloutTitle {
    range: Range<usize>,
    look: Style,
    /// Put in front of the first piece of the title.
    icon: Option<String>,
}

struct HeadingState {
    level: u8,
    index: Option<usize>,
}

struct CodeState {
    text: String,
    first_line: u32,
    /// The fence's language label (`rust` of ```` ```rust ````).
    language: Option<String>,
}

struct TableState<'a> {
    table: Table<'a>,
    row: Vec<Cell<'a>>,
    in_head: bool,
}

struct MetadataState {
    /// The front matter at the top: never shown.
    hidden: bool,
    text: String,
    line: u32,
}

struct Renderer<'a> {
    theme: &'a Theme,
    titles: &'a super::Titles<'a>,
    note: &'a Note,
    text: &'a str,
    width: u16,
    line_starts: Vec<usize>,
    main: Sink,
    footnotes: Sink,
    footnote_depth: usize,
    containers: Vec<Container>,
    /// Next number of each open list (`None` for bullets).
    lists: Vec<Option<u64>>,
    inline: Vec<Piece<'a>>,
    emphasis: Vec<Style>,
    links: Vec<LinkFrame>,
    /// Inline events starting in this range are already drawn (a matched
    /// wiki-link, a timestamp anchor).
    skip: Range<usize>,
    /// The `From: [[channel]]` line, shown in the header instead.
    absorbed: Range<usize>,
    heading: Option<HeadingState>,
    callout_title: Option<CalloutTitle>,
    code: Option<CodeState>,
    table: Option<TableState<'a>>,
    metadata: Option<MetadataState>,
    last_was_chip: bool,
}

impl<'a> Renderer<'a> {
    fn new(
        note: &'a Note,
        text: &'a str,
        width: u16,
        theme: &'a Theme,
        titles: &'a super::Titles<'a>,
    ) -> Self {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let mut renderer = Self {
            theme,
            titles,
            note,
            text,
            width,
            line_starts,
            main: Sink::default(),
            footnotes: Sink::default(),
            footnote_depth: 0,
            containers: Vec::new(),
            lists: Vec::new(),
            inline: Vec::new(),
            emphasis: Vec::new(),
            links: Vec::new(),
            skip: 0..0,
            absorbed: 0..0,
            heading: None,
            callout_title: None,
            code: None,
            table: None,
            metadata: None,
            last_was_chip: false,
        };
        if let Some(link) = note.links.iter().find(|l| l.is_channel()) {
            renderer.absorbed = renderer.line_range(link.range().start);
        }
        renderer
    }

    /// 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> u32 {
        let line = self.line_starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// Byte range of the whole source line holding `offset`, newline included.
    fn line_range(&self, offset: usize) -> Range<usize> {
        // From the line starts, not by searching the text: a quote nested
        // 10,000 deep asks for its line 10,000 times.
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self
            .line_starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        start..end
    }

    fn sink(&mut self) -> &mut Sink {
        if self.footnote_depth > 0 {
            &mut self.footnotes
        } else {
            &mut self.main
        }
    }

    fn new_target(&mut self, kind: TargetKind) -> usize {
        let targets = &mut self.sink().targets;
        targets.push(Target {
            kind,
            pieces: Vec::new(),
        });
        targets.len() - 1
    }

    // ----- header -------------------------------------------------------

    // ----- events -------------------------------------------------------

    // ----- inline pieces ------------------------------------------------

    // ----- blocks -------------------------------------------------------

    fn finish(mut self) -> RenderedNote {
        self.flush_inline(false);
        let mut out = std::mem::take(&mut self.main);
        let notes = std::mem::take(&mut self.footnotes);
        if !notes.lines.is_empty() {
            let room = usize::from(self.width).min(20);
            out.lines.push(Line::default());
            out.source_lines.push(0);
            out.lines
                .push(Line::from(Span::styled("─".repeat(room), self.theme.rule)));
            out.source_lines.push(0);
            let shift = out.lines.len();
            let mut reading = notes.reading;
            reading.shift_lines(shift);
            out.reading.append(reading);
            out.lines.extend(notes.lines);
            out.source_lines.extend(notes.source_lines);
            out.targets
                .extend(notes.targets.into_iter().map(|mut target| {
                    for (line, _) in &mut target.pieces {
                        *line += shift;
                    }
                    target
                }));
            out.headings.extend(notes.headings.into_iter().map(|mut h| {
                h.line += shift;
                h
            }));
        }
        let last_line = out.lines.len().saturating_sub(1);
        for heading in &mut out.headings {
            heading.line = heading.line.min(last_line);
        }
        out.targets.retain(|t| !t.pieces.is_empty());
        RenderedNote {
            lines: out.lines,
            targets: out.targets,
            headings: out.headings,
            source_lines: out.source_lines,
            reading: out.reading,
        }
    }
}

fn cow(text: CowStr<'_>) -> Cow<'_, str> {
    match text {
        CowStr::Borrowed(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}
