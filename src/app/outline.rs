//! The outline pane: the vault's tree (folders, channel videos, notes) made
//! flat for display, with the open note's headings under it.

use std::collections::HashSet;

use super::list_cursor::ListCursor;
use crate::vault::{NoteId, TreeNode, Vault};

/// Folders start folded in vaults larger than this.
const FOLD_ABOVE: usize = 400;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Folder {
        path: String,
        name: String,
        depth: u16,
        open: bool,
    },
    /// A video of a channel index note (not followable: its notes are).
    Video {
        title: String,
        depth: u16,
    },
    Note {
        id: NoteId,
        depth: u16,
    },
    /// A heading of the open note (index into its headings).
    Heading {
        note: NoteId,
        heading: usize,
        depth: u16,
    },
}

impl Row {
    #[must_use]
    pub fn depth(&self) -> u16 {
        match self {
            Self::Folder { depth, .. }
            | Self::Video { depth, .. }
            | Self::Note { depth, .. }
            | Self::Heading { depth, .. } => *depth,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub rows: Vec<Row>,
    pub cursor: ListCursor,
    /// The row of the heading being read (or of the open note).
    pub current: Option<usize>,
    opened: HashSet<String>,
    closed: HashSet<String>,
}

impl Outline {
    fn is_open(&self, path: &str, fold_default: bool) -> bool {
        if self.closed.contains(path) {
            false
        } else {
            self.opened.contains(path) || !fold_default
        }
    }

    /// Folds or unfolds a folder.
    pub fn toggle(&mut self, path: &str, now_open: bool) {
        if now_open {
            self.opened.remove(path);
            self.closed.insert(path.to_owned());
        } else {
            self.closed.remove(path);
            self.opened.insert(path.to_owned());
        }
    }

    /// Unfolds every folder above a note so it can be seen.
    pub fn reveal(&mut self, vault: &Vault, id: NoteId) {
        let Some(note) = vault.get(id) else { return };
        let folder = note.folder();
        let mut path = String::new();
        for part in folder.split('/').filter(|p| !p.is_empty()) {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            self.closed.remove(&path);
            self.opened.insert(path.clone());
        }
    }

    /// Rebuilds the rows for the vault and the open note, keeping the
    /// selection on the same row where it still exists.
    pub fn rebuild(&mut self, vault: &Vault, open: Option<NoteId>) {
        let before = self.rows.get(self.cursor.selected).cloned();
        let fold_default = vault.notes.len() > FOLD_ABOVE;
        let mut rows = Vec::new();
        if vault.tree.is_empty() {
            // The tree is built when loading finishes; until then (and for a
            // vault without one) a flat list sorted by title.
            let mut ids: Vec<NoteId> = vault.ids().collect();
            ids.sort_by_cached_key(|id| vault.note(*id).title.to_lowercase());
            for id in ids {
                push_note(&mut rows, vault, id, 0, open);
            }
        } else {
            self.flatten(&vault.tree, vault, 0, open, fold_default, &mut rows);
        }
        self.rows = rows;
        self.cursor.selected = before
            .and_then(|b| self.rows.iter().position(|r| same_row(r, &b)))
            .unwrap_or(self.cursor.selected)
            .min(self.rows.len().saturating_sub(1));
    }

    fn flatten(
        &self,
        nodes: &[TreeNode],
        vault: &Vault,
        depth: u16,
        open: Option<NoteId>,
        fold: bool,
        rows: &mut Vec<Row>,
    ) {
        for node in nodes {
            match node {
                TreeNode::Folder {
                    name,
                    path,
                    children,
                } => {
                    let is_open = self.is_open(path, fold);
                    rows.push(Row::Folder {
                        path: path.clone(),
                        name: name.clone(),
                        depth,
                        open: is_open,
                    });
                    if is_open {
                        self.flatten(children, vault, depth + 1, open, fold, rows);
                    }
                }
                TreeNode::Video {
                    title, children, ..
                } => {
                    rows.push(Row::Video {
                        title: title.clone(),
                        depth,
                    });
                    self.flatten(children, vault, depth + 1, open, fold, rows);
                }
                TreeNode::Note(id) => push_note(rows, vault, *id, depth, open),
            }
        }
    }

    /// Index of the row of a note, or of one of its headings.
    #[must_use]
    pub fn row_of(&self, note: NoteId, heading: Option<usize>) -> Option<usize> {
        let note_row = self
            .rows
            .iter()
            .position(|r| matches!(r, Row::Note { id, .. } if *id == note))?;
        match heading {
            None => Some(note_row),
            Some(h) => self.rows[note_row..]
                .iter()
                .position(|r| matches!(r, Row::Heading { heading, .. } if *heading == h))
                .map(|i| note_row + i)
                .or(Some(note_row)),
        }
    }
}

fn push_note(rows: &mut Vec<Row>, vault: &Vault, id: NoteId, depth: u16, open: Option<NoteId>) {
    rows.push(Row::Note { id, depth });
    if open == Some(id) {
        let headings = &vault.note(id).headings;
        let top = headings.iter().map(|h| h.level).min().unwrap_or(1);
        for (i, h) in headings.iter().enumerate() {
            rows.push(Row::Heading {
                note: id,
                heading: i,
                depth: depth + 1 + u16::from(h.level.saturating_sub(top)),
            });
        }
    }
}

fn same_row(a: &Row, b: &Row) -> bool {
    match (a, b) {
        (Row::Folder { path: x, .. }, Row::Folder { path: y, .. })
        | (Row::Video { title: x, .. }, Row::Video { title: y, .. }) => x == y,
        (Row::Note { id: x, .. }, Row::Note { id: y, .. }) => x == y,
        (
            Row::Heading {
                note: n,
                heading: h,
                ..
            },
            Row::Heading {
                note: m,
                heading: g,
                ..
            },
        ) => n == m && h == g,
        _ => false,
    }
}
