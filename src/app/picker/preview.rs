//! The picker's preview: the selected note rendered beside the list, at
//! its heading or a little above the matching line.

use ratatui::text::Line;

use super::*;

/// What a preview shows; it is rebuilt when this changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewKey {
    Page(Page, Option<u32>),
    Line(crate::vault::NoteId, u32),
}

impl PreviewKey {
    /// The note previewed, if it is a note.
    #[must_use]
    pub fn note(self) -> Option<crate::vault::NoteId> {
        match self {
            Self::Page(Page::Note(note), _) | Self::Line(note, _) => Some(note),
            Self::Page(..) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Preview {
    pub key: PreviewKey,
    pub width: u16,
    /// Rows it was cut to (a taller terminal needs more).
    pub height: usize,
    /// Rendered lines from the top of the note, the heading or a little
    /// above the matching line.
    pub lines: Vec<Line<'static>>,
    /// Line of `lines` to mark (the matching line of a text hit).
    pub mark: Option<usize>,
}

impl Preview {
    /// The note previewed, if it is a note.
    #[must_use]
    pub fn note(&self) -> Option<crate::vault::NoteId> {
        match self.key {
            PreviewKey::Page(Page::Note(id), _) | PreviewKey::Line(id, _) => Some(id),
            PreviewKey::Page(..) => None,
        }
    }
}

impl App {
    /// Rebuilds the preview when the selection (or the width) changed;
    /// true when it did. Drawing only reads it.
    // Long: finding what to show, asking for its text and placing it are
    // one decision (each depends on the last), kept together on purpose.
    pub(in crate::app) fn update_preview(&mut self) -> bool {
        let Some(rect) = self.picker_layout().preview else {
            if let Some(p) = &mut self.picker {
                return p.preview.take().is_some();
            }
            return false;
        };
        let Some(p) = &self.picker else { return false };
        let key = match &p.rows {
            Rows::Jump(j) => j.hits.get(p.selected).map(|hit| {
                use crate::search::SearchItem;
                match hit.item {
                    SearchItem::Note(n) => PreviewKey::Page(Page::Note(n), None),
                    SearchItem::Heading(n, h) => PreviewKey::Page(Page::Note(n), Some(h)),
                    SearchItem::Channel(c) => {
                        PreviewKey::Page(Page::of_channel(&self.vault, c), None)
                    }
                }
            }),
            Rows::Text(t) => t
                .lines
                .get(p.selected)
                .map(|h| PreviewKey::Line(h.note, h.line)),
        };
        let width = rect.width.max(1);
        let height = usize::from(rect.height);
        if p.preview.as_ref().map(|pv| (pv.key, pv.width, pv.height))
            == key.map(|k| (k, width, height))
        {
            return false;
        }
        // A note's text is asked for like any other; until it comes the
        // preview shows "Loading…", and its arrival rebuilds the preview.
        let text = match key {
            Some(PreviewKey::Page(Page::Note(note), _) | PreviewKey::Line(note, _)) => {
                self.request_text(note);
                self.texts.get(note).cloned()
            }
            _ => None,
        };
        let preview = key.map(|key| {
            let page = match key {
                PreviewKey::Page(page, _) => page,
                PreviewKey::Line(note, _) => Page::Note(note),
            };
            let view = crate::app::page::render(
                &self.vault,
                page,
                width,
                !self.load.done,
                text.as_ref(),
                &self.theme,
                &self.bookmarks,
            );
            let (start, mark) = match key {
                PreviewKey::Page(_, Some(h)) => (
                    view.headings
                        .iter()
                        .find(|vh| vh.heading == h as usize)
                        .map_or(0, |vh| vh.line),
                    None,
                ),
                PreviewKey::Page(_, None) => (0, None),
                PreviewKey::Line(_, line) => {
                    let at = view
                        .source_lines
                        .iter()
                        .position(|&s| s >= line && s != 0)
                        .unwrap_or(0);
                    let start = at.saturating_sub(3);
                    (start, Some(at - start))
                }
            };
            Preview {
                key,
                width,
                height,
                lines: view
                    .lines
                    .into_iter()
                    .skip(start)
                    .take(usize::from(rect.height))
                    .collect(),
                mark,
            }
        });
        if let Some(p) = &mut self.picker {
            p.preview = preview;
        }
        true
    }
}
