//! The outline before the walk is over: the vault's first folder level
//! (its folders and the notes at its root), listed by the event loop
//! before the first frame, well under a millisecond where the walk takes
//! tens. Folders show folded unless the reader (or the saved state) opened
//! them, and an open one says "listing…" until the walk's tree replaces the
//! first level. The folding choices are kept by path, so they hold in the
//! tree, as does the selection (on the same folder, or note). A root
//! note chosen before the walk opens once the walk is in.

use super::{
    App,
    outline::{Outline, Row},
};
use crate::vault::{FirstLevel, Vault};

impl Outline {
    /// The first level's rows, in the tree's order.
    pub(super) fn first_level_rows(&self, first: &FirstLevel) -> Vec<Row> {
        let mut rows = Vec::with_capacity(first.folders.len() + first.notes.len());
        for name in &first.folders {
            // Folded by default: whether the vault is large enough for its
            // folders to start folded is known once the walk is in.
            let open = self.is_open(name, true);
            rows.push(Row::Folder {
                path: name.clone(),
                name: name.clone(),
                depth: 0,
                open,
            });
            if open {
                rows.push(Row::Listing { depth: 1 });
            }
        }
        for path in &first.notes {
            rows.push(Row::File {
                path: path.clone(),
                depth: 0,
            });
        }
        rows
    }
}

/// Where a first level's row went in the walk's rows: a root note's row
/// is that note's (by path).
pub(super) fn row_of_file(rows: &[Row], vault: &Vault, before: &Row) -> Option<usize> {
    let Row::File { path, .. } = before else {
        return None;
    };
    rows.iter().position(|row| {
        matches!(row, Row::Note { id, .. } if vault.get(*id).is_some_and(|note| note.path == *path))
    })
}

impl App {
    /// The vault's first level, listed before the loader's walk is over:
    /// the outline shows it until the walk's tree is in. Too late (the
    /// walk is in, or the app holds notes) it is dropped.
    pub fn on_first_level(&mut self, first: FirstLevel) {
        if self.load.walked || !self.vault.notes.is_empty() {
            return;
        }
        self.outline.first_level = Some(first);
        self.rebuild_outline();
    }

    /// Enter on a root note before the walk is over: it opens once the
    /// walk is in (as a note named at start does).
    pub(super) fn open_once_walked(&mut self, path: String) {
        self.pending_open = Some(path);
        self.pending_line = None;
    }
}
