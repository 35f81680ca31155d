//! Inline events: text and its styles, links, images, timestamps and
//! inline HTML, cut around the links and timestamps the model knows.

use super::*;

impl<'a> Renderer<'a> {
    /// The style text gets here: block base, emphasis, then the open link.
    pub(super) fn text_style(&self) -> Style {
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

    pub(super) fn current_target(&self) -> Option<usize> {
        self.links.iter().rev().find_map(|f| f.target)
    }

    pub(super) fn push_text(&mut self, text: Cow<'a, str>, offset: usize) {
        let text = restore_table_link_pipes(text);
        let look = self.text_style();
        self.push_piece(text, look, self.current_target(), offset);
    }

    pub(super) fn push_styled(&mut self, text: Cow<'a, str>, look: Style, offset: usize) {
        let look = self.text_style().patch(look);
        self.push_piece(text, look, self.current_target(), offset);
    }

    pub(super) fn push_piece(
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

    pub(super) fn push_break(&mut self, offset: usize) {
        self.last_was_chip = false;
        let line = self.line_of(offset);
        self.inline.push(Piece::line_break(line));
    }

    /// Text, unless the model knows a timestamp or link starting inside
    /// it: an anchor too mangled for pulldown-cmark to call it HTML (for
    /// example `<a class="yt="yt-timestamp" …>`) still becomes a chip.
    /// Text that is not the source verbatim (pulldown-cmark rewrote it)
    /// cannot be matched by offset and is shown as it is.
    pub(super) fn text_event(&mut self, text: Cow<'a, str>, range: Range<usize>) {
        if text.len() != range.len() {
            self.push_text(text, range.start);
            return;
        }
        for part in self.split_at_model_items(&text, range.start) {
            match part {
                Part::Text(r) => {
                    let piece = match &text {
                        Cow::Borrowed(s) => Cow::Borrowed(&s[r.clone()]),
                        Cow::Owned(s) => Cow::Owned(s[r.clone()].to_owned()),
                    };
                    self.push_text(piece, range.start + r.start);
                }
                Part::Item(item, at) => self.model_item(item, at),
            }
        }
    }

    /// Source `text` at `offset` cut around the links and timestamps of the
    /// model that start inside it (in order). Items whose ends do not fall
    /// on a character boundary of `text` are left as text.
    pub(super) fn split_at_model_items(&self, text: &str, offset: usize) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut start = 0;
        while start < text.len() || parts.is_empty() {
            let range = offset + start..offset + text.len();
            let item = self.model_item_in(&range).filter(|(_, r)| {
                text.is_char_boundary(r.start - offset)
                    && (r.end >= range.end || text.is_char_boundary(r.end - offset))
            });
            let Some((item, at)) = item else {
                parts.push(Part::Text(start..text.len()));
                break;
            };
            parts.push(Part::Text(start..at.start - offset));
            start = (at.end - offset).min(text.len());
            parts.push(Part::Item(item, at));
        }
        parts
    }

    /// An ordinary link or image opens a frame its inner events are drawn
    /// in; a wiki-link or embed is drawn from the model.
    pub(super) fn link_start(
        &mut self,
        link_type: LinkType,
        dest_url: &str,
        image: bool,
        range: Range<usize>,
    ) {
        if let LinkType::WikiLink { .. } = link_type {
            self.wiki_link(range, dest_url, image);
            return;
        }
        let url = sanitize_inline(dest_url).into_owned();
        let target = self.new_target(TargetKind::Url(url.clone()));
        self.links.push(LinkFrame {
            style: if image {
                self.theme.image
            } else {
                self.theme.url_link
            },
            target: Some(target),
            image_source: image.then_some(url),
        });
        if image {
            self.push_text(Cow::Borrowed("🖼 "), range.start);
        }
    }

    /// A `[[…]]` or `![[…]]` starting at `range.start`: a timestamp, a link
    /// of the model, or (unknown to the model) a plain link-styled text.
    pub(super) fn wiki_link(&mut self, range: Range<usize>, destination: &str, embed: bool) {
        if let Some(index) = self.timestamp_at(range.start) {
            let end = self.note.timestamps[index].range().end.max(range.end);
            self.timestamp_chip(index, range.start);
            self.skip = range.start..end;
            return;
        }
        let found = self
            .note
            .links
            .records()
            .binary_search_by_key(&range.start, |l| l.range().start)
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
    pub(super) fn link_piece(&mut self, index: usize, embed: bool, offset: usize) {
        let Some(link) = self.note.links.get(index) else {
            return;
        };
        let (look, mark) = link_look(self.theme, link.resolution());
        let shown = self.link_text(&link);
        let text = if link.embed() || embed {
            format!("🖼 {shown}")
        } else {
            shown
        };
        let target = self.new_target(TargetKind::Link(index));
        let look = self.text_style().patch(look);
        self.push_piece(Cow::Owned(text), look, Some(target), offset);
        if !mark.is_empty() {
            // The mark is drawn, not read: find matches `sales? involves`
            // as `sales involves`.
            // Drawn apart from the link's look (not underlined, in the
            // warning style) so that it does not read as punctuation.
            self.push_piece(
                Cow::Borrowed(mark),
                self.theme.warning,
                Some(target),
                offset,
            );
            if let Some(piece) = self.inline.last_mut() {
                piece.marker = true;
            }
        }
    }

    /// What a link reads as: its shown text; else, for a link written as a
    /// file name (`[[digital_decarbonization]]`) to a note, that note's
    /// title (with the heading it names); else its target as written (a
    /// `[[CPU]]` in a sentence stays `CPU`).
    pub(super) fn link_text(&self, link: &WikiLink) -> String {
        let slug = link.target().contains('_') && !link.target().contains(' ');
        if link.shown().is_none()
            && slug
            && let Resolution::Note { note, .. } = link.resolution()
            && let Some(title) = (self.titles)(note).filter(|t| !t.trim().is_empty())
        {
            let title = title.trim();
            return match &link.heading() {
                Some(h) => format!("{title} › {h}"),
                None => title.to_owned(),
            };
        }
        link.display_text()
    }

    /// The first link or timestamp of the model that starts inside `range`.
    pub(super) fn model_item_in(&self, range: &Range<usize>) -> Option<(ModelItem, Range<usize>)> {
        let note = self.note;
        let stamp = note
            .timestamps
            .partition_point(|t| t.range().start < range.start);
        let stamp = note
            .timestamps
            .get(stamp)
            .filter(|t| t.range().start < range.end)
            .map(|t| (ModelItem::Timestamp(stamp), t.range()));
        let link = note
            .links
            .records()
            .partition_point(|l| l.range().start < range.start);
        let link = note
            .links
            .get(link)
            .filter(|l| l.range().start < range.end && !self.absorbed.contains(&l.range().start))
            .map(|l| (ModelItem::Link(link), l.range()));
        match (stamp, link) {
            (Some(s), Some(l)) => Some(if s.1.start <= l.1.start { s } else { l }),
            (s, l) => s.or(l),
        }
    }

    pub(super) fn model_item(&mut self, item: ModelItem, range: Range<usize>) {
        match item {
            ModelItem::Timestamp(index) => self.timestamp_chip(index, range.start),
            ModelItem::Link(index) => self.link_piece(index, false, range.start),
        }
        self.skip = range;
    }

    /// Raw text (of an HTML block) starting at `offset`: entities decoded,
    /// whitespace collapsed, and links or timestamps the model found in it
    /// drawn as such (pulldown-cmark does not look inside HTML blocks).
    pub(super) fn html_text(&mut self, text: &str, offset: usize) {
        for part in self.split_at_model_items(text, offset) {
            match part {
                Part::Text(r) => {
                    let decoded = html::decode_entities(&text[r.clone()]);
                    let collapsed = collapse_whitespace(&decoded);
                    self.push_text(Cow::Owned(collapsed.into_owned()), offset + r.start);
                }
                Part::Item(item, at) => self.model_item(item, at),
            }
        }
    }

    pub(super) fn timestamp_at(&self, offset: usize) -> Option<usize> {
        self.note
            .timestamps
            .binary_search_by_key(&offset, |t| t.range().start)
            .ok()
    }

    /// `▶05:17`, or `⚠11:31:94` for a value that makes no sense. Chips in a
    /// row are kept apart by a space.
    pub(super) fn timestamp_chip(&mut self, index: usize, offset: usize) {
        let stamp = &self.note.timestamps[index];
        let (text, look, sign) = match stamp.seconds() {
            Some(seconds) => (
                format!("▶{}", format_clock(seconds)),
                self.theme.timestamp,
                "",
            ),
            // The sign in the warning style: it explains, it is not text.
            None => (
                stamp.label.text().trim().to_owned(),
                self.theme.refused_timestamp,
                "⚠",
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
        if !sign.is_empty() {
            self.push_piece(
                Cow::Borrowed(sign),
                self.theme.warning,
                Some(target),
                offset,
            );
        }
        self.push_piece(Cow::Owned(text), look, Some(target), offset);
        self.last_was_chip = true;
    }

    /// Inline HTML (one tag) or a line of block HTML: text is shown, tags
    /// are not; `<br>` breaks the line, `<img>` shows its alt text, a
    /// timestamp anchor becomes a chip.
    pub(super) fn html(&mut self, html: &str, offset: usize) {
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
                        let end = self.note.timestamps[index].range().end;
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
}

/// Style and trailing mark of a wiki-link, by where it leads.
pub(super) fn link_look(theme: &Theme, resolution: Resolution) -> (Style, &'static str) {
    match resolution {
        Resolution::Unresolved => (theme.unresolved_link, "?"),
        Resolution::Note {
            ambiguous: true, ..
        } => (theme.ambiguous_link, "*"),
        Resolution::Pending | Resolution::Note { .. } | Resolution::Channel(_) => (theme.link, ""),
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
