//! Blocks: the header, container prefixes, wrapping a finished block into
//! lines, rules, code, math, front matter and tables.

use super::*;

impl<'a> Renderer<'a> {
    /// Title, channel and video link, other front-matter keys, a blank line.
    pub(super) fn header(&mut self) {
        let note = self.note;
        let title = if note.title.trim().is_empty() {
            note.stem()
        } else {
            note.title.as_str()
        };
        self.emit_pieces(&[Piece::new(title, self.theme.note_title)], &[], &[]);

        let mut pieces = Vec::new();
        let channel_link = note.links.iter().position(|l| l.is_channel());
        let channel_name = note.channel.clone().or_else(|| {
            channel_link
                .and_then(|i| note.links.get(i))
                .map(|l| l.display_text())
        });
        if let Some(name) = channel_name.filter(|n| !n.trim().is_empty()) {
            match channel_link {
                Some(index) => {
                    let (link_style, mark) = link_look(self.theme, note.links[index].resolution());
                    let target = self.new_target(TargetKind::Link(index));
                    let text = name.trim().to_owned();
                    pieces.push(Piece::new(text, link_style).with_target(Some(target)));
                    if !mark.is_empty() {
                        pieces.push(
                            Piece::new(mark, self.theme.warning)
                                .with_target(Some(target))
                                .as_marker(),
                        );
                    }
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
        for (key, value) in note.front_matter.fields() {
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

    /// Before a block starts: text of a tight list item goes out first, and
    /// the blank line owed by the previous block is drawn outside this one.
    pub(super) fn open_block(&mut self, offset: usize) {
        self.flush_inline(false);
        if self.sink().need_blank && !self.sink().lines.is_empty() {
            let line = self.line_of(offset);
            self.blank_line(line);
        }
        self.sink().need_blank = false;
    }

    pub(super) fn blank_line(&mut self, source_line: u32) {
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
    pub(super) fn prefixes(&self) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
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
    pub(super) fn flush_inline(&mut self, keep_empty: bool) -> Option<usize> {
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
    pub(super) fn emit_pieces(
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
    pub(super) fn emit(&mut self, lines: Vec<WrappedLine>) -> Option<usize> {
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
        sink.reading.push_gap();
        for wrapped in lines {
            let index = sink.lines.len();
            for run in &wrapped.reading {
                sink.reading.push_run(index, run);
            }
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

    pub(super) fn rule(&mut self, offset: usize) {
        let (first, rest) = self.prefixes();
        let (first, _, room) = fit_indents(&first, &rest, self.width);
        let mut spans = first;
        spans.push(Span::styled("─".repeat(room), self.theme.rule));
        let line = self.line_of(offset);
        self.emit(vec![WrappedLine {
            line: Line::from(spans),
            targets: Vec::new(),
            source_line: line,
            reading: Vec::new(),
        }]);
        self.sink().need_blank = true;
    }

    pub(super) fn code_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = self.code.take() {
                    self.code_block(&code.text, code.first_line, code.language.as_deref());
                    self.sink().need_blank = true;
                }
            }
            _ => {}
        }
    }

    /// A code block: framed by a bar on its left, with its language label
    /// on the line above and, for a known language, syntax colours (not in
    /// the no-colour theme). Lines are broken at the pane edge as in
    /// [`Self::code_lines`].
    pub(super) fn code_block(&mut self, code: &str, first_line: u32, language: Option<&str>) {
        let code = code.strip_suffix('\n').unwrap_or(code);
        if code.is_empty() {
            return;
        }
        let expanded: Vec<String> = code
            .split('\n')
            .map(|l| expand_tabs(l.strip_suffix('\r').unwrap_or(l), TAB_WIDTH).into_owned())
            .collect();
        // The no-colour theme has no foreground for code: keep it plain.
        let colours = self.theme.code.fg.is_some();
        let highlighted = language.filter(|_| colours).and_then(|l| {
            super::super::highlight::highlight(&expanded.join("\n"), l, self.theme.code)
        });
        let border = self.theme.table_border;
        let (first, rest) = self.prefixes();
        let label = match language {
            Some(l) => format!("╭─ {}", sanitize_inline(l)),
            None => "╭─".to_owned(),
        };
        let mut lines = Vec::new();
        let mut top = first.clone();
        top.push(Span::styled(label, border));
        let (top, _, _) = fit_indents(&top, &[], self.width);
        lines.push(WrappedLine {
            line: Line::from(crate::markdown::wrap::clamp_spans(
                &top,
                usize::from(self.width),
            )),
            targets: Vec::new(),
            source_line: first_line.saturating_sub(1),
            reading: Vec::new(),
        });
        let mut indent = rest.clone();
        indent.push(Span::styled("│ ", border));
        for (i, text) in expanded.iter().enumerate() {
            let number = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
            let pieces: Vec<Piece<'_>> = match highlighted.as_ref().and_then(|h| h.get(i)) {
                Some(runs) if !runs.is_empty() => runs
                    .iter()
                    .map(|(style, text)| Piece::new(text.as_str(), *style).at_line(number))
                    .collect(),
                _ => vec![Piece::new(text.as_str(), self.theme.code).at_line(number)],
            };
            let mut wrapped = wrap_hard(&pieces, self.width, &indent, &indent);
            reading_break(&mut wrapped);
            lines.extend(wrapped);
        }
        let mut bottom = rest;
        bottom.push(Span::styled("╰─", border));
        let last = first_line.saturating_add(u32::try_from(expanded.len()).unwrap_or(u32::MAX));
        lines.push(WrappedLine {
            line: Line::from(crate::markdown::wrap::clamp_spans(
                &bottom,
                usize::from(self.width),
            )),
            targets: Vec::new(),
            source_line: last,
            reading: Vec::new(),
        });
        self.emit(lines);
    }

    /// Code (and display math): not reflowed; long lines are broken at the
    /// pane edge, tabs expanded, indentation kept.
    pub(super) fn code_lines(&mut self, code: &str, first_line: u32) {
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
            let mut wrapped = wrap_hard(&[piece], self.width, &first_indent, &rest_indent);
            reading_break(&mut wrapped);
            lines.extend(wrapped);
        }
        self.emit(lines);
    }

    pub(super) fn display_math(&mut self, math: &str, offset: usize) {
        if self.table.is_some() {
            self.push_styled(Cow::Owned(math.to_owned()), self.theme.code, offset);
            return;
        }
        self.flush_inline(false);
        let line = self.line_of(offset);
        self.code_lines(math.trim_matches('\n'), line);
    }

    pub(super) fn metadata_event(&mut self, event: Event<'a>) {
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

    pub(super) fn finish_table(&mut self) {
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
}

fn heading_marker(level: u8) -> &'static str {
    match level {
        1 => "",
        2 => "▌ ",
        3 => "▸ ",
        _ => "› ",
    }
}
