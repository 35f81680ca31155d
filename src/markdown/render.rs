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
    table::{self, Cell, Table},
    wrap::{Piece, WrappedLine, expand_tabs, fit_indents, indent_lines, wrap, wrap_hard},
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

const TAB_WIDTH: usize = 4;

pub(crate) fn render_note(note: &Note, text: &str, width: u16, theme: &Theme) -> RenderedNote {
    let base = parse_start(note, text);
    let source = protect_table_link_pipes(&text[base..]);
    let mut renderer = Renderer::new(note, text, width, theme);
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

/// Stands in for `|` inside `[[…|…]]` on table rows while parsing.
const PROTECTED_PIPE: char = '\u{1a}';

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
fn restore_table_link_pipes(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.contains(PROTECTED_PIPE) {
        Cow::Owned(text.replace(PROTECTED_PIPE, "|"))
    } else {
        text
    }
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
    fn new(note: &'a Note, text: &'a str, width: u16, theme: &'a Theme) -> Self {
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        let mut renderer = Self {
            theme,
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
        if let Some(link) = note.links.iter().find(|l| l.is_channel) {
            renderer.absorbed = renderer.line_range(link.range.start);
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

    /// Title, channel and video link, other front-matter keys, a blank line.
    fn header(&mut self) {
        let note = self.note;
        let title = if note.title.trim().is_empty() {
            &note.stem
        } else {
            &note.title
        };
        self.emit_pieces(
            &[Piece::new(title.as_str(), self.theme.note_title)],
            &[],
            &[],
        );

        let mut pieces = Vec::new();
        let channel_link = note.links.iter().position(|l| l.is_channel);
        let channel_name = note
            .channel
            .clone()
            .or_else(|| channel_link.map(|i| note.links[i].display_text()));
        if let Some(name) = channel_name.filter(|n| !n.trim().is_empty()) {
            match channel_link {
                Some(index) => {
                    let (link_style, mark) = link_look(self.theme, note.links[index].resolution);
                    let target = self.new_target(TargetKind::Link(index));
                    let text = format!("{}{mark}", name.trim());
                    pieces.push(Piece::new(text, link_style).with_target(Some(target)));
                }
                None => pieces.push(Piece::new(name, self.theme.note_dim)),
            }
        }
        if let Some(video) = &note.video_id {
            if !pieces.is_empty() {
                pieces.push(Piece::new(" · ", self.theme.note_dim));
            }
            let target = self.new_target(TargetKind::Url(video.url()));
            let text = format!("▶ youtu.be/{video}");
            pieces.push(Piece::new(text, self.theme.video_link).with_target(Some(target)));
        }
        self.emit_pieces(&pieces, &[], &[]);

        let hanging = [Span::raw("  ")];
        for (key, value) in &note.front_matter.fields {
            if key == "title" || key == "videoId" {
                continue;
            }
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            let pieces = [
                Piece::new(format!("{key}: "), self.theme.front_matter),
                Piece::new(value, self.theme.front_matter),
            ];
            self.emit_pieces(&pieces, &[], &hanging);
        }
        // A note whose times are not read as written says so, once: its
        // chips show the times used, not the ones written.
        if let Some(reading) = note.time_reading.explain() {
            self.emit_pieces(
                &[Piece::new(format!("◷ {reading}"), self.theme.note_dim)],
                &[],
                &hanging,
            );
        }
        // The blank line closing the header belongs to the header (line 0).
        self.main.lines.push(Line::default());
        self.main.source_lines.push(0);
    }

    // ----- events -------------------------------------------------------

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.metadata.is_some() {
            self.metadata_event(event);
            return;
        }
        if self.code.is_some() {
            self.code_event(event);
            return;
        }
        if is_inline(&event)
            && (self.absorbed.contains(&range.start) || self.skip.contains(&range.start))
        {
            // Text that runs on past a skipped anchor keeps its tail.
            if let Event::Text(text) = &event
                && self.skip.contains(&range.start)
                && range.end > self.skip.end
                && text.len() == range.len()
            {
                let tail_start = self.skip.end - range.start;
                if let Some(tail) = text.get(tail_start..) {
                    let tail = tail.to_owned();
                    self.text_event(Cow::Owned(tail), self.skip.end..range.end);
                }
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => self.text_event(cow(text), range),
            Event::Code(code) => self.push_styled(cow(code), self.theme.code, range.start),
            Event::InlineMath(math) => self.push_styled(cow(math), self.theme.code, range.start),
            Event::DisplayMath(math) => self.display_math(&math, range.start),
            Event::InlineHtml(html) | Event::Html(html) => self.html(&html, range.start),
            Event::FootnoteReference(label) => {
                let text = format!("[{label}]");
                self.push_styled(Cow::Owned(text), self.theme.footnote, range.start);
            }
            Event::SoftBreak => {
                let ends_title = self
                    .callout_title
                    .as_ref()
                    .is_some_and(|t| t.range.contains(&range.start));
                if ends_title {
                    self.push_break(range.start);
                } else {
                    self.push_text(Cow::Borrowed(" "), range.start);
                }
            }
            Event::HardBreak => self.push_break(range.start),
            Event::Rule => {
                self.open_block(range.start);
                self.rule(range.start);
            }
            Event::TaskListMarker(done) => {
                let (text, look) = if done {
                    ("[x] ", self.theme.task_done)
                } else {
                    ("[ ] ", self.theme.task_open)
                };
                self.push_styled(Cow::Borrowed(text), look, range.start);
            }
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        let line = self.line_of(range.start);
        match tag {
            Tag::Paragraph => self.open_block(range.start),
            Tag::Heading { level, .. } => {
                self.open_block(range.start);
                let index = self
                    .note
                    .headings
                    .binary_search_by_key(&line, |h| h.line)
                    .ok();
                self.heading = Some(HeadingState {
                    level: level as u8,
                    index,
                });
            }
            Tag::BlockQuote(kind) => {
                self.open_block(range.start);
                self.block_quote(kind, range.start);
            }
            Tag::CodeBlock(kind) => {
                self.open_block(range.start);
                let fenced = matches!(kind, CodeBlockKind::Fenced(_));
                self.code = Some(CodeState {
                    text: String::new(),
                    first_line: line + u32::from(fenced),
                });
            }
            Tag::HtmlBlock => self.open_block(range.start),
            Tag::List(start) => {
                self.open_block(range.start);
                self.lists.push(start);
            }
            Tag::Item => {
                self.open_block(range.start);
                let depth = self.lists.len();
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}. ");
                        *number = number.saturating_add(1);
                        marker
                    }
                    _ => ["• ", "◦ ", "▪ "][depth.saturating_sub(1) % 3].to_owned(),
                };
                self.containers.push(Container::Item {
                    marker,
                    marker_style: self.theme.list_marker,
                    marker_pending: true,
                });
            }
            Tag::FootnoteDefinition(label) => {
                self.open_block(range.start);
                self.footnote_depth += 1;
                let marker = format!("[{}] ", sanitize_inline(&label));
                self.containers.push(Container::Item {
                    marker,
                    marker_style: self.theme.footnote,
                    marker_pending: true,
                });
            }
            Tag::Table(alignments) => {
                self.open_block(range.start);
                self.table = Some(TableState {
                    table: Table {
                        alignments,
                        ..Table::default()
                    },
                    row: Vec::new(),
                    in_head: false,
                });
            }
            Tag::TableHead => {
                if let Some(table) = &mut self.table {
                    table.in_head = true;
                    table.row.clear();
                }
            }
            Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.row.clear();
                }
            }
            Tag::TableCell => self.inline.clear(),
            Tag::Emphasis => self.emphasis.push(self.theme.emphasis),
            Tag::Strong => self.emphasis.push(self.theme.strong),
            Tag::Strikethrough => self.emphasis.push(self.theme.strikethrough),
            Tag::Superscript | Tag::Subscript => self.emphasis.push(Style::new()),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                if let LinkType::WikiLink { .. } = link_type {
                    self.wiki_link(range, &dest_url, false);
                } else {
                    let url = sanitize_inline(&dest_url).into_owned();
                    let target = self.new_target(TargetKind::Url(url));
                    self.links.push(LinkFrame {
                        style: self.theme.url_link,
                        target: Some(target),
                        image_source: None,
                    });
                }
            }
            Tag::Image {
                link_type,
                dest_url,
                ..
            } => {
                if let LinkType::WikiLink { .. } = link_type {
                    self.wiki_link(range, &dest_url, true);
                } else {
                    let url = sanitize_inline(&dest_url).into_owned();
                    let target = self.new_target(TargetKind::Url(url.clone()));
                    self.links.push(LinkFrame {
                        style: self.theme.image,
                        target: Some(target),
                        image_source: Some(url),
                    });
                    self.push_text(Cow::Borrowed("🖼 "), range.start);
                }
            }
            Tag::MetadataBlock(_) => {
                // Only a block at the very top is front matter; a later
                // `---` pair is the author's text between two rules.
                let hidden = self.text[..range.start]
                    .trim_start_matches('\u{feff}')
                    .is_empty();
                if !hidden {
                    self.open_block(range.start);
                    self.rule(range.start);
                    self.sink().need_blank = false;
                }
                self.metadata = Some(MetadataState {
                    hidden,
                    text: String::new(),
                    line: line + 1,
                });
            }
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.open_block(range.start)
            }
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => {
                if self.flush_inline(false).is_some() {
                    self.sink().need_blank = true;
                }
            }
            TagEnd::Heading(_) => {
                let first_line = self.flush_inline(true);
                if let Some(HeadingState {
                    index: Some(heading),
                    ..
                }) = self.heading.take()
                {
                    let line = first_line.unwrap_or(self.sink().lines.len());
                    self.sink().headings.push(HeadingPosition { heading, line });
                }
                self.heading = None;
                self.sink().need_blank = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_inline(false);
                if let Some(pos) = self
                    .containers
                    .iter()
                    .rposition(|c| matches!(c, Container::Quote { .. }))
                {
                    self.containers.truncate(pos);
                }
                self.sink().need_blank = true;
            }
            TagEnd::List(_) => {
                self.flush_inline(false);
                self.lists.pop();
                if self.lists.is_empty() {
                    self.sink().need_blank = true;
                }
            }
            TagEnd::Item | TagEnd::FootnoteDefinition => {
                self.flush_inline(false);
                if let Some(Container::Item {
                    marker_pending: true,
                    ..
                }) = self.containers.last()
                {
                    // An empty item still shows its marker.
                    self.emit_pieces(&[Piece::new("", Style::new())], &[], &[]);
                }
                if let Some(pos) = self
                    .containers
                    .iter()
                    .rposition(|c| matches!(c, Container::Item { .. }))
                {
                    self.containers.truncate(pos);
                }
                if tag == TagEnd::FootnoteDefinition {
                    self.sink().need_blank = true;
                    self.footnote_depth = self.footnote_depth.saturating_sub(1);
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(table) = &mut self.table {
                    table.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.table.header = std::mem::take(&mut table.row);
                    table.in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    let row = std::mem::take(&mut table.row);
                    table.table.rows.push(row);
                }
            }
            TagEnd::Table => self.finish_table(),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {
                self.emphasis.pop();
            }
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::Image => {
                if let Some(frame) = self.links.pop()
                    && let Some(source) = frame.image_source.filter(|s| !s.is_empty())
                {
                    let text = format!(" ({source})");
                    self.inline.push(
                        Piece::new(text, self.theme.note_dim)
                            .with_target(frame.target)
                            .at_line(self.line_of(range.start)),
                    );
                }
            }
            TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => {}
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                if self.flush_inline(false).is_some() {
                    self.sink().need_blank = true;
                }
            }
        }
    }

    // ----- inline pieces ------------------------------------------------

    /// The style text gets here: block base, emphasis, then the open link.
    fn text_style(&self) -> Style {
        let mut look = if let Some(heading) = &self.heading {
            self.theme.heading(heading.level)
        } else if self.table.as_ref().is_some_and(|t| t.in_head) {
            self.theme.table_header
        } else if matches!(
            self.containers.last(),
            Some(Container::Quote { callout: false, .. })
        ) {
            self.theme.quote_text
        } else {
            Style::new()
        };
        for patch in &self.emphasis {
            look = look.patch(*patch);
        }
        if let Some(frame) = self.links.last() {
            look = look.patch(frame.style);
        }
        look
    }

    fn current_target(&self) -> Option<usize> {
        self.links.iter().rev().find_map(|f| f.target)
    }

    fn push_text(&mut self, text: Cow<'a, str>, offset: usize) {
        let text = restore_table_link_pipes(text);
        let look = self.text_style();
        self.push_piece(text, look, self.current_target(), offset);
    }

    fn push_styled(&mut self, text: Cow<'a, str>, look: Style, offset: usize) {
        let look = self.text_style().patch(look);
        self.push_piece(text, look, self.current_target(), offset);
    }

    fn push_piece(
        &mut self,
        text: Cow<'a, str>,
        look: Style,
        target: Option<usize>,
        offset: usize,
    ) {
        if text.is_empty() {
            return;
        }
        let line = self.line_of(offset);
        let mut look = look;
        if let Some(title) = &mut self.callout_title
            && title.range.contains(&offset)
        {
            look = look.patch(title.look);
            if let Some(icon) = title.icon.take() {
                self.inline.push(Piece::new(icon, title.look).at_line(line));
            }
        }
        self.last_was_chip = false;
        self.inline
            .push(Piece::new(text, look).with_target(target).at_line(line));
    }

    fn push_break(&mut self, offset: usize) {
        self.last_was_chip = false;
        let line = self.line_of(offset);
        self.inline.push(Piece::line_break(line));
    }

    /// Text, unless the model knows a timestamp or link starting inside
    /// it: an anchor too mangled for pulldown-cmark to call it HTML (for
    /// example `<a class="yt="yt-timestamp" …>`) still becomes a chip.
    fn text_event(&mut self, text: Cow<'a, str>, range: Range<usize>) {
        let mut text = text;
        let mut range = range;
        loop {
            let item = if text.len() == range.len() {
                self.model_item_in(&range).filter(|(_, r)| {
                    text.is_char_boundary(r.start - range.start)
                        && (r.end >= range.end || text.is_char_boundary(r.end - range.start))
                })
            } else {
                None
            };
            let Some((item, stamp)) = item else {
                self.push_text(text, range.start);
                return;
            };
            let cut = stamp.start - range.start;
            let resume = stamp.end.saturating_sub(range.start);
            let (before, after) = match &text {
                Cow::Borrowed(s) => (Cow::Borrowed(&s[..cut]), s.get(resume..).map(Cow::Borrowed)),
                Cow::Owned(s) => (
                    Cow::Owned(s[..cut].to_owned()),
                    s.get(resume..).map(|t| Cow::Owned(t.to_owned())),
                ),
            };
            self.push_text(before, range.start);
            self.model_item(item, stamp.clone());
            match after {
                Some(after) if !after.is_empty() => {
                    text = after;
                    range = stamp.end..range.end;
                }
                _ => return,
            }
        }
    }

    /// A `[[…]]` or `![[…]]` starting at `range.start`: a timestamp, a link
    /// of the model, or (unknown to the model) a plain link-styled text.
    fn wiki_link(&mut self, range: Range<usize>, destination: &str, embed: bool) {
        if let Some(index) = self.timestamp_at(range.start) {
            let end = self.note.timestamps[index].range.end.max(range.end);
            self.timestamp_chip(index, range.start);
            self.skip = range.start..end;
            return;
        }
        let found = self
            .note
            .links
            .binary_search_by_key(&range.start, |l| l.range.start)
            .ok();
        let Some(index) = found else {
            self.links.push(LinkFrame {
                style: self.theme.link,
                target: None,
                image_source: None,
            });
            if embed {
                self.push_text(Cow::Borrowed("🖼 "), range.start);
            }
            // A piped link protected in a table row: show the shown text.
            if let Some((_, shown)) = destination.rsplit_once(PROTECTED_PIPE) {
                let shown = shown.trim().to_owned();
                self.push_text(Cow::Owned(shown), range.start);
                self.skip = range;
                self.links.pop();
            }
            return;
        };
        self.link_piece(index, embed, range.start);
        self.skip = range;
    }

    /// A wiki-link of the model, drawn from the model: shown text, mark and
    /// style by resolution, one target.
    fn link_piece(&mut self, index: usize, embed: bool, offset: usize) {
        let link: &WikiLink = &self.note.links[index];
        let (look, mark) = link_look(self.theme, link.resolution);
        let shown = link.display_text();
        let text = if link.embed || embed {
            format!("🖼 {shown}{mark}")
        } else {
            format!("{shown}{mark}")
        };
        let target = self.new_target(TargetKind::Link(index));
        let look = self.text_style().patch(look);
        self.push_piece(Cow::Owned(text), look, Some(target), offset);
    }

    /// The first link or timestamp of the model that starts inside `range`.
    fn model_item_in(&self, range: &Range<usize>) -> Option<(ModelItem, Range<usize>)> {
        let note = self.note;
        let stamp = note
            .timestamps
            .partition_point(|t| t.range.start < range.start);
        let stamp = note
            .timestamps
            .get(stamp)
            .filter(|t| t.range.start < range.end)
            .map(|t| (ModelItem::Timestamp(stamp), t.range.clone()));
        let link = note.links.partition_point(|l| l.range.start < range.start);
        let link = note
            .links
            .get(link)
            .filter(|l| l.range.start < range.end && !self.absorbed.contains(&l.range.start))
            .map(|l| (ModelItem::Link(link), l.range.clone()));
        match (stamp, link) {
            (Some(s), Some(l)) => Some(if s.1.start <= l.1.start { s } else { l }),
            (s, l) => s.or(l),
        }
    }

    fn model_item(&mut self, item: ModelItem, range: Range<usize>) {
        match item {
            ModelItem::Timestamp(index) => self.timestamp_chip(index, range.start),
            ModelItem::Link(index) => self.link_piece(index, false, range.start),
        }
        self.skip = range;
    }

    /// Raw text (of an HTML block) starting at `offset`: entities decoded,
    /// whitespace collapsed, and links or timestamps the model found in it
    /// drawn as such (pulldown-cmark does not look inside HTML blocks).
    fn html_text(&mut self, text: &str, offset: usize) {
        let mut text = text;
        let mut offset = offset;
        loop {
            let range = offset..offset + text.len();
            let item = self.model_item_in(&range).filter(|(_, r)| {
                text.is_char_boundary(r.start - offset)
                    && (r.end >= range.end || text.is_char_boundary(r.end - offset))
            });
            let before = item
                .as_ref()
                .map_or(text, |(_, r)| &text[..r.start - offset]);
            let decoded = html::decode_entities(before);
            let collapsed = collapse_whitespace(&decoded);
            if !collapsed.is_empty() {
                self.push_text(Cow::Owned(collapsed.into_owned()), offset);
            }
            let Some((item, item_range)) = item else {
                return;
            };
            self.model_item(item, item_range.clone());
            if item_range.end >= range.end {
                return;
            }
            text = &text[item_range.end - offset..];
            offset = item_range.end;
        }
    }

    fn timestamp_at(&self, offset: usize) -> Option<usize> {
        self.note
            .timestamps
            .binary_search_by_key(&offset, |t| t.range.start)
            .ok()
    }

    /// `▶05:17`, or `⚠11:31:94` for a value that makes no sense. Chips in a
    /// row are kept apart by a space.
    fn timestamp_chip(&mut self, index: usize, offset: usize) {
        let stamp = &self.note.timestamps[index];
        let (text, look) = match stamp.seconds {
            Some(seconds) => (format!("▶{}", format_clock(seconds)), self.theme.timestamp),
            None => (
                format!("⚠{}", stamp.label.trim()),
                self.theme.refused_timestamp,
            ),
        };
        // Chips in a row (`</a><a …>`) or glued to a word get a space.
        let glued = self.inline.last().is_some_and(|p| {
            !p.is_line_break()
                && p.text
                    .chars()
                    .next_back()
                    .is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | '[' | '{'))
        });
        if self.last_was_chip || glued {
            self.push_text(Cow::Borrowed(" "), offset);
        }
        let target = self.new_target(TargetKind::Timestamp(index));
        let look = self.text_style().patch(look);
        self.push_piece(Cow::Owned(text), look, Some(target), offset);
        self.last_was_chip = true;
    }

    /// Inline HTML (one tag) or a line of block HTML: text is shown, tags
    /// are not; `<br>` breaks the line, `<img>` shows its alt text, a
    /// timestamp anchor becomes a chip.
    fn html(&mut self, html: &str, offset: usize) {
        for (at, fragment) in html::fragments(html) {
            let at = offset + at;
            match fragment {
                Fragment::Text(text) => {
                    if self.skip.contains(&at) {
                        let end = self.skip.end;
                        if let Some(tail) = text.get(end - at..) {
                            self.html_text(tail, end);
                        }
                    } else {
                        self.html_text(text, at);
                    }
                }
                Fragment::Tag(tag) => {
                    if self.skip.contains(&at) {
                        continue;
                    }
                    // The model decides what is a timestamp (it may accept a
                    // mangled class such as `class="yt="yt-timestamp"`).
                    let anchor = !tag.closing && tag.name.eq_ignore_ascii_case("a");
                    if let Some(index) = self.timestamp_at(at).filter(|_| anchor) {
                        let end = self.note.timestamps[index].range.end;
                        self.timestamp_chip(index, at);
                        self.skip = at..end.max(at + tag.raw.len());
                        continue;
                    }
                    match html::effect(&tag) {
                        TagEffect::LineBreak => {
                            let is_br = tag.name.eq_ignore_ascii_case("br");
                            let after_text = self.inline.last().is_some_and(|p| !p.is_line_break());
                            if is_br || after_text {
                                self.push_break(at);
                            }
                        }
                        TagEffect::Image { alt, src } => {
                            let target = (!src.is_empty()).then(|| {
                                self.new_target(TargetKind::Url(sanitize_inline(&src).into_owned()))
                            });
                            let text = if src.is_empty() {
                                format!("🖼 {alt}")
                            } else {
                                format!("🖼 {alt} ({src})")
                            };
                            let look = self.text_style().patch(self.theme.image);
                            self.push_piece(Cow::Owned(text), look, target, at);
                        }
                        // Not in the model: the anchor's text shows as is.
                        TagEffect::TimestampStart | TagEffect::Nothing => {}
                    }
                }
            }
        }
    }

    // ----- blocks -------------------------------------------------------

    /// Before a block starts: text of a tight list item goes out first, and
    /// the blank line owed by the previous block is drawn outside this one.
    fn open_block(&mut self, offset: usize) {
        self.flush_inline(false);
        if self.sink().need_blank && !self.sink().lines.is_empty() {
            let line = self.line_of(offset);
            self.blank_line(line);
        }
        self.sink().need_blank = false;
    }

    fn blank_line(&mut self, source_line: u32) {
        let (_, mut rest) = self.prefixes();
        // Keep quote bars, drop trailing indentation.
        while rest.last().is_some_and(|s| s.content.trim().is_empty()) {
            rest.pop();
        }
        if let Some(last) = rest.last_mut() {
            last.content = Cow::Owned(last.content.trim_end().to_owned());
        }
        let (first, _, _) = fit_indents(&rest, &[], self.width);
        let sink = self.sink();
        sink.lines.push(Line::from(first));
        sink.source_lines.push(source_line);
        sink.need_blank = false;
    }

    /// Prefix spans of the open containers for a block's first line and for
    /// its other lines.
    fn prefixes(&self) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
        let mut first = Vec::new();
        let mut rest = Vec::new();
        for container in &self.containers {
            match container {
                Container::Quote { bar, .. } => {
                    first.push(Span::styled("│ ", *bar));
                    rest.push(Span::styled("│ ", *bar));
                }
                Container::Item {
                    marker,
                    marker_style,
                    marker_pending,
                } => {
                    let spaces = " ".repeat(unicode_width::UnicodeWidthStr::width(marker.as_str()));
                    if *marker_pending {
                        first.push(Span::styled(marker.clone(), *marker_style));
                    } else {
                        first.push(Span::raw(spaces.clone()));
                    }
                    rest.push(Span::raw(spaces));
                }
            }
        }
        (first, rest)
    }

    /// Wraps the collected inline pieces as one block. Returns the index of
    /// its first line, or `None` when there was nothing to show (unless
    /// `keep_empty`: a heading always gets its line).
    fn flush_inline(&mut self, keep_empty: bool) -> Option<usize> {
        if self.table.is_some() {
            return None;
        }
        let pieces = std::mem::take(&mut self.inline);
        self.last_was_chip = false;
        let blank = pieces
            .iter()
            .all(|p| !p.is_line_break() && p.text.trim().is_empty());
        if blank && !keep_empty {
            return None;
        }
        let (marker, look) = match &self.heading {
            Some(h) => (heading_marker(h.level), self.theme.heading_marker),
            None => ("", Style::new()),
        };
        let pieces = if pieces.is_empty() {
            vec![Piece::new("", Style::new())]
        } else {
            pieces
        };
        let first_extra = [Span::styled(marker, look)];
        let rest_extra = [Span::raw(" ".repeat(marker.chars().count()))];
        let (first_extra, rest_extra): (&[Span<'static>], &[Span<'static>]) = if marker.is_empty() {
            (&[], &[])
        } else {
            (&first_extra, &rest_extra)
        };
        self.emit_pieces(&pieces, first_extra, rest_extra)
    }

    /// Wraps pieces under the container prefixes (plus extra indents) and
    /// appends them.
    fn emit_pieces(
        &mut self,
        pieces: &[Piece<'_>],
        first_extra: &[Span<'static>],
        rest_extra: &[Span<'static>],
    ) -> Option<usize> {
        if pieces.is_empty() {
            return None;
        }
        let (mut first, mut rest) = self.prefixes();
        first.extend_from_slice(first_extra);
        rest.extend_from_slice(rest_extra);
        let lines = wrap(pieces, self.width, &first, &rest);
        self.emit(lines)
    }

    /// Appends laid-out lines (after the blank line owed, if any) and
    /// records where their targets are.
    fn emit(&mut self, lines: Vec<WrappedLine>) -> Option<usize> {
        if lines.is_empty() {
            return None;
        }
        if self.sink().need_blank && !self.sink().lines.is_empty() {
            self.blank_line(lines[0].source_line);
        }
        for container in &mut self.containers {
            if let Container::Item { marker_pending, .. } = container {
                *marker_pending = false;
            }
        }
        let sink = self.sink();
        sink.need_blank = false;
        let first = sink.lines.len();
        for wrapped in lines {
            let index = sink.lines.len();
            for (target, columns) in wrapped.targets {
                if let Some(target) = sink.targets.get_mut(target) {
                    target.pieces.push((index, columns));
                }
            }
            sink.lines.push(wrapped.line);
            sink.source_lines.push(wrapped.source_line);
        }
        Some(first)
    }

    fn rule(&mut self, offset: usize) {
        let (first, rest) = self.prefixes();
        let (first, _, room) = fit_indents(&first, &rest, self.width);
        let mut spans = first;
        spans.push(Span::styled("─".repeat(room), self.theme.rule));
        let line = self.line_of(offset);
        self.emit(vec![WrappedLine {
            line: Line::from(spans),
            targets: Vec::new(),
            source_line: line,
        }]);
        self.sink().need_blank = true;
    }

    /// A quote, or a callout: `> [!info] Title` in any case. pulldown-cmark
    /// knows only five GFM kinds without a title, so the rest is read here.
    fn block_quote(&mut self, kind: Option<BlockQuoteKind>, offset: usize) {
        let callout = match kind {
            Some(kind) => Some((gfm_kind_name(kind).to_owned(), None)),
            None => self.detect_callout(offset),
        };
        let bar = callout.as_ref().map_or(self.theme.quote_bar, |(kind, _)| {
            callout_look(self.theme, kind).1
        });
        self.containers.push(Container::Quote {
            bar,
            callout: callout.is_some(),
        });
        let Some((kind, title)) = callout else {
            return;
        };
        let (icon, look, label) = callout_look(self.theme, &kind);
        match title {
            // The rest of the marker line is the title: rendered as inline
            // Markdown (it may hold links and timestamps), in the callout's
            // style, after the icon, and ended by a line break.
            Some(range) => {
                self.callout_title = Some(CalloutTitle {
                    range,
                    look,
                    icon: Some(format!("{icon} ")),
                });
            }
            None => {
                let text = format!("{icon} {label}");
                let line = self.line_of(offset);
                self.emit_pieces(&[Piece::new(text, look).at_line(line)], &[], &[]);
            }
        }
    }

    /// Reads `> [!kind] optional title` at the start of a quote. The marker
    /// is skipped; returns the kind and the byte range of the title, if the
    /// line has one.
    fn detect_callout(&mut self, offset: usize) -> Option<(String, Option<Range<usize>>)> {
        let line = self.line_range(offset);
        let source = &self.text[offset.min(line.end)..line.end];
        let after_bar = source.trim_start().strip_prefix('>')?.trim_start();
        let inner = after_bar.strip_prefix("[!")?;
        let close = inner.find(']')?;
        let kind = &inner[..close];
        if kind.is_empty()
            || !kind
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return None;
        }
        // `after_bar` is a suffix of the line: the marker starts there.
        let marker_start = line.end - after_bar.len();
        let title = inner[close + 1..]
            .trim_start_matches(['+', '-'])
            .trim_start();
        let title_start = line.end - title.len();
        if title.trim().is_empty() {
            self.skip = marker_start..line.end;
            return Some((kind.to_lowercase(), None));
        }
        self.skip = marker_start..title_start;
        Some((kind.to_lowercase(), Some(title_start..line.end)))
    }

    fn code_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = self.code.take() {
                    self.code_lines(&code.text, code.first_line);
                    self.sink().need_blank = true;
                }
            }
            _ => {}
        }
    }

    /// Code (and display math): not reflowed; long lines are broken at the
    /// pane edge, tabs expanded, indentation kept.
    fn code_lines(&mut self, code: &str, first_line: u32) {
        let code = code.strip_suffix('\n').unwrap_or(code);
        if code.is_empty() {
            return;
        }
        let (first, rest) = self.prefixes();
        let gutter = Span::raw("  ");
        let mut lines = Vec::new();
        for (i, source) in code.split('\n').enumerate() {
            let source = source.strip_suffix('\r').unwrap_or(source);
            let expanded = expand_tabs(source, TAB_WIDTH);
            let number = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
            let piece = Piece::new(expanded.as_ref(), self.theme.code).at_line(number);
            let mut first_indent = if i == 0 { first.clone() } else { rest.clone() };
            first_indent.push(gutter.clone());
            let mut rest_indent = rest.clone();
            rest_indent.push(gutter.clone());
            lines.extend(wrap_hard(&[piece], self.width, &first_indent, &rest_indent));
        }
        self.emit(lines);
    }

    fn display_math(&mut self, math: &str, offset: usize) {
        if self.table.is_some() {
            self.push_styled(Cow::Owned(math.to_owned()), self.theme.code, offset);
            return;
        }
        self.flush_inline(false);
        let line = self.line_of(offset);
        self.code_lines(math.trim_matches('\n'), line);
    }

    fn metadata_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(text) => {
                if let Some(metadata) = &mut self.metadata {
                    metadata.text.push_str(&text);
                }
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                let Some(metadata) = self.metadata.take() else {
                    return;
                };
                if metadata.hidden {
                    return;
                }
                let mut pieces = Vec::new();
                for (i, line) in metadata.text.lines().enumerate() {
                    if i > 0 {
                        pieces.push(Piece::line_break(metadata.line));
                    }
                    let number = metadata
                        .line
                        .saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                    pieces.push(Piece::new(line.to_owned(), Style::new()).at_line(number));
                }
                self.emit_pieces(&pieces, &[], &[]);
                let end = self.text.len().min(
                    self.line_starts
                        .get(metadata.line as usize)
                        .copied()
                        .unwrap_or(0),
                );
                self.rule(end);
            }
            _ => {}
        }
    }

    fn finish_table(&mut self) {
        let Some(state) = self.table.take() else {
            return;
        };
        let (first, rest) = self.prefixes();
        let (first, rest, room) = fit_indents(&first, &rest, self.width);
        let lines = table::lay_out(&state.table, room, self.theme);
        let lines = indent_lines(lines, &first, &rest);
        self.emit(lines);
        self.sink().need_blank = true;
    }

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
        }
    }
}

/// Style and trailing mark of a wiki-link, by where it leads.
fn link_look(theme: &Theme, resolution: Resolution) -> (Style, &'static str) {
    match resolution {
        Resolution::Unresolved => (theme.unresolved_link, "?"),
        Resolution::Note {
            ambiguous: true, ..
        } => (theme.ambiguous_link, "*"),
        Resolution::Pending | Resolution::Note { .. } | Resolution::Channel(_) => (theme.link, ""),
    }
}

fn heading_marker(level: u8) -> &'static str {
    match level {
        1 => "",
        2 => "▌ ",
        3 => "▸ ",
        _ => "› ",
    }
}

fn gfm_kind_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

/// Icon, style and default title of a callout kind (lower-case).
fn callout_look(theme: &Theme, kind: &str) -> (&'static str, Style, &'static str) {
    match kind {
        "note" => ("ℹ", theme.callout_info, "Note"),
        "info" | "todo" => ("ℹ", theme.callout_info, "Info"),
        "abstract" | "summary" | "tldr" => ("≡", theme.callout_info, "Summary"),
        "tip" | "hint" => ("✦", theme.callout_tip, "Tip"),
        "success" | "check" | "done" => ("✔", theme.callout_tip, "Success"),
        "important" => ("!", theme.callout_important, "Important"),
        "question" | "help" | "faq" => ("?", theme.callout_warning, "Question"),
        "warning" | "attention" => ("⚠", theme.callout_warning, "Warning"),
        "caution" => ("⚠", theme.callout_danger, "Caution"),
        "danger" | "error" | "failure" | "fail" | "bug" => ("✖", theme.callout_danger, "Danger"),
        "example" => ("▸", theme.callout_other, "Example"),
        "quote" | "cite" => ("❝", theme.callout_other, "Quote"),
        _ => ("▸", theme.callout_other, "Note"),
    }
}

/// Events that belong to a paragraph's text (as opposed to block structure).
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Html(_) | Event::Rule => false,
    }
}

fn cow(text: CowStr<'_>) -> Cow<'_, str> {
    match text {
        CowStr::Borrowed(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// Block HTML keeps its source line breaks and indentation; as text they
/// are just spaces.
fn collapse_whitespace(text: &str) -> Cow<'_, str> {
    let needs = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_whitespace() && w[1].is_ascii_whitespace())
        || text.contains(['\n', '\r', '\t']);
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    Cow::Owned(out)
}
