//! Where each pulldown-cmark event goes: block starts and ends open and
//! close containers and states; inline events go to `inline.rs`.

use super::*;

impl<'a> Renderer<'a> {
    pub(super) fn event(&mut self, event: Event<'a>, range: Range<usize>) {
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

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per pulldown-cmark tag: the whole dispatch reads in one place, each arm short"
    )]
    pub(super) fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        let line = self.line_of(range.start);
        match tag {
            Tag::Paragraph
            | Tag::HtmlBlock
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.open_block(range.start),
            Tag::Heading { level, .. } => {
                self.open_block(range.start);
                let index = self
                    .note
                    .headings
                    .records()
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
                let (fenced, language) = match &kind {
                    CodeBlockKind::Fenced(info) => (
                        true,
                        super::super::highlight::language(info).map(str::to_owned),
                    ),
                    CodeBlockKind::Indented => (false, None),
                };
                self.code = Some(CodeState {
                    text: String::new(),
                    first_line: line + u32::from(fenced),
                    language,
                });
            }
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
            } => self.link_start(link_type, &dest_url, false, range),
            Tag::Image {
                link_type,
                dest_url,
                ..
            } => self.link_start(link_type, &dest_url, true, range),
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
        }
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per pulldown-cmark tag: the whole dispatch reads in one place, each arm short"
    )]
    pub(super) fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::HtmlBlock
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
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
        }
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
