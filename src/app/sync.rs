//! Keeping state consistent: the open page's view, the outline and links
//! panes, and selections after every update.

use super::*;

impl App {
    /// Draws with `theme` from now on: pages rendered in the old one are
    /// dropped and the open page is rendered again.
    pub fn set_theme(&mut self, theme: crate::theme::Theme) {
        self.theme = theme;
        self.cache.clear();
        self.sync();
    }

    /// Answers keys with `keymap` from now on (the defaults with a config's
    /// bindings merged in); help and hints show it.
    pub fn set_keymap(&mut self, keymap: keymap::Keymap) {
        self.keymap = keymap;
    }

    /// Renders the open page at the current width, once.
    pub(super) fn ensure_view(&mut self) {
        let key = (self.page, self.note_width());
        let text = match self.page {
            Page::Note(id) => {
                self.request_text(id);
                self.texts.get(id)
            }
            _ => None,
        };
        if !self.cache.contains_key(&key) {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            let view = page::render(
                &self.vault,
                self.page,
                key.1,
                !self.load.settled(),
                text,
                &self.theme,
                &self.bookmarks,
            );
            self.cache.insert(key, view);
        }
    }

    /// After every change: render what is shown, clamp scrolls, and make the
    /// outline follow the reader.
    pub(super) fn sync(&mut self) {
        self.ensure_view();
        if let Some(id) = self.open_note() {
            self.remember(id);
        }
        self.sync_find();
        let len = self.view().lines.len();
        let height = self.note_height();
        self.note.scroll = self.note.scroll.min(note_view::max_scroll(len, height));
        if self
            .note
            .cursor
            .is_some_and(|c| c >= self.view().targets.len())
        {
            self.note.cursor = None;
        }
        // The outline marks the heading being read (or the open note).
        self.outline.current = self.open_note().and_then(|id| {
            let heading = self.view().heading_at(self.note.scroll).map(|h| h.heading);
            self.outline.row_of(id, heading)
        });
        let rows = self.outline.rows.len();
        if self.focus != Pane::Outline
            && let Some(current) = self.outline.current
        {
            self.outline.cursor.selected = current;
        }
        let page = self.outline_height();
        self.outline.cursor.keep_visible(rows, page, 2);
        let rows = self.links_rows();
        self.links.keep_visible(rows);
        let cap = self.links_capacity();
        self.request_backlink_texts(cap);
    }

    /// The backlinks tab shows the sentence around each link, which needs
    /// the linking note's text: only the rows on screen ask for theirs (a
    /// note with hundreds of backlinks costs a screenful of reads, each on
    /// the event loop's workers, never here).
    pub(super) fn request_backlink_texts(&mut self, rows: usize) {
        if self.links.tab() != LinksTab::Backlinks {
            return;
        }
        let sources: Vec<NoteId> = self
            .links
            .entries
            .iter()
            .skip(self.links.cursor.offset)
            .take(rows)
            .filter_map(|e| match e.action {
                EntryAction::Backlink { source, .. } if e.waiting => Some(source),
                _ => None,
            })
            .collect();
        for source in sources {
            self.request_text(source);
        }
    }
}
