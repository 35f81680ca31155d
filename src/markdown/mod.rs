//! Note → styled, wrapped lines (ratatui text types only).
//!
//! [`render`] turns a [`Note`] into lines no wider than the pane, with a
//! header block (title, channel, video, other front-matter keys), the body
//! rendered from Markdown, and footnotes at the end. Alongside the lines it
//! returns where every link-cursor stop and every heading landed, so the UI
//! can highlight exact cells and jump to sections without re-parsing.
//!
//! - `render.rs`: the pulldown-cmark event walker;
//! - `wrap.rs`: styled word wrapping with hanging indents (pure);
//! - `html.rs`: inline/block HTML and timestamp anchors;
//! - `table.rs`: box-drawn tables that shrink to the pane;
//!
//! Every style comes from the [`Theme`] passed in (see `crate::theme`).

pub mod highlight;
mod html;
pub mod reading;
mod render;
mod table;
pub mod wrap;

#[cfg(test)]
mod tests;

use std::ops::Range;

use ratatui::text::Line;

use crate::{theme::Theme, vault::note::Note};

/// A note laid out for one pane width.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderedNote {
    pub lines: Vec<Line<'static>>,
    /// Link-cursor stops in reading order: every wiki-link, timestamp and URL link.
    pub targets: Vec<Target>,
    /// Where each heading of the note starts: index into note.headings + rendered line.
    pub headings: Vec<HeadingPosition>,
    /// For each rendered line, the 1-based source line of the note it came from (header lines: 0).
    pub source_lines: Vec<u32>,
    /// The text as read, with where each character is drawn (for find).
    pub reading: reading::ReadingText,
}

/// One link-cursor stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    /// Every (rendered line, display-column range) the target occupies (a
    /// wrapped link has several). Columns count from the left edge of the
    /// line, indentation included.
    pub pieces: Vec<(usize, Range<u16>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetKind {
    /// Index into `note.links`.
    Link(usize),
    /// Index into `note.timestamps` (also for malformed ones: the app
    /// decides they cannot be copied).
    Timestamp(usize),
    /// An ordinary `[text](url)` link or image source, sanitised; also the
    /// video link of the header (`https://youtu.be/ID`).
    Url(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadingPosition {
    /// Index into `note.headings`.
    pub heading: usize,
    /// Index into [`RenderedNote::lines`].
    pub line: usize,
}

/// [`render_with`] in the default theme (for the CLI, benches and probes,
/// where styles are dropped or do not matter).
#[must_use]
pub fn render(note: &Note, text: &str, width: u16) -> RenderedNote {
    render_with(note, text, width, &Theme::default())
}

/// Lays out `note`, whose text is `text` (see `Vault::text`), for a pane
/// `width` columns wide, in the styles of `theme`. No line is wider than
/// `width` (for `width >= 10`; narrower panes are served as well as they
/// can be). Never panics, whatever the note holds, even when `text` does
/// not match the note.
#[must_use]
pub fn render_with(note: &Note, text: &str, width: u16, theme: &Theme) -> RenderedNote {
    render_with_titles(note, text, width, theme, &|_| None)
}

/// The title of a note of the vault, for links written without shown
/// text (`[[digital_decarbonization]]` reads as the note's title).
pub type Titles<'t> = dyn Fn(crate::vault::NoteId) -> Option<String> + 't;

/// [`render_with`], showing an unaliased link to a note by that note's
/// title (from `titles`).
#[must_use]
pub fn render_with_titles(
    note: &Note,
    text: &str,
    width: u16,
    theme: &Theme,
    titles: &Titles<'_>,
) -> RenderedNote {
    let mut rendered = render::render_note(note, text, width, theme, titles);
    // A note cut at load says so where its shown text ends.
    if let Some(cut) = note
        .problems
        .iter()
        .find(|p| p.kind == crate::vault::ProblemKind::NoteTooLarge)
    {
        let last_line = rendered.source_lines.last().copied().unwrap_or(0);
        for line in wrap::wrap(
            &[wrap::Piece::new(
                format!("✂ {}", cut.message),
                theme.note_dim,
            )],
            width,
            &[],
            &[],
        ) {
            rendered.lines.push(line.line);
            rendered.source_lines.push(last_line);
        }
    }
    rendered
}

/// Plain text (no styles) of `render(note, text, width)`, lines joined
/// with '\n'.
#[must_use]
pub fn render_plain(note: &Note, text: &str, width: u16) -> String {
    plain_text(&render(note, text, width))
}

/// The text of rendered lines without styles, one line per `\n`.
#[must_use]
pub fn plain_text(rendered: &RenderedNote) -> String {
    let mut out = String::new();
    for (i, line) in rendered.lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for span in &line.spans {
            out.push_str(&span.content);
        }
    }
    out
}
