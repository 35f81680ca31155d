//! The full-text side of the picker (`Ctrl-F`): the worker started on
//! first use, the text store made fresh after a load, and a search run
//! again when the vault was loaded again.

use super::{App, Mode};
use crate::search::fulltext::FullText;

impl App {
    /// With a text store, has the worker make it hold the notes as they
    /// are now (after a load; in the background, a search stops it), so
    /// that the first text search reads one file, not every note.
    pub(in crate::app) fn prepare_fulltext(&mut self) {
        if self.fulltext_dir.is_some() && !self.vault.notes.is_empty() {
            fulltext_worker(&mut self.fulltext, self.fulltext_dir.as_ref())
                .prepare_vault(&self.vault);
        }
    }

    /// Re-runs a text search (the vault was loaded, or loaded again).
    pub(in crate::app) fn refresh_text_search(&mut self) {
        if let Some(ft) = &mut self.fulltext {
            ft.forget_documents();
        }
        if self
            .picker
            .as_ref()
            .is_some_and(|p| p.mode() == Mode::Text && !p.query.is_empty())
        {
            self.query_changed();
        }
    }
}

/// The full-text worker, started if not yet (with the text store in
/// `store` when there is one).
pub(super) fn fulltext_worker<'a>(
    fulltext: &'a mut Option<FullText>,
    store: Option<&std::path::PathBuf>,
) -> &'a mut FullText {
    fulltext.get_or_insert_with(|| FullText::with_store(std::sync::Arc::new(|| {}), store.cloned()))
}
