//! Block quotes and callouts (`> [!note] Title`, GFM alerts).

use super::*;

impl<'a> Renderer<'a> {
    /// A quote, or a callout: `> [!info] Title` in any case. pulldown-cmark
    /// knows only five GFM kinds without a title, so the rest is read here.
    pub(super) fn block_quote(&mut self, kind: Option<BlockQuoteKind>, offset: usize) {
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
    pub(super) fn detect_callout(
        &mut self,
        offset: usize,
    ) -> Option<(String, Option<Range<usize>>)> {
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
