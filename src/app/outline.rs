//! The outline pane: the vault's tree (folders, channel videos, notes) made
//! flat for display, with a note's headings under it when it is unfolded.
//!
//! Folding: folders fold as before; a note folds its headings. The open
//! note's headings are unfolded by default, so the outline is a table of
//! contents of what is being read, except when that would push the rest
//! of its folder far down: a channel's index note (its headings are the
//! videos the outline already lists as ▶ rows) and notes with more than
//! [`UNFOLDED_HEADINGS`] headings start folded. Other notes start folded.
//! `h`, `l` and `z` change that, and the choice holds for the session.
//!
//! A filter (`/` in the outline) keeps the notes whose title holds every
//! word typed, with the folders above them, all unfolded and without
//! headings; a folder whose name matches keeps all its notes.

use std::collections::HashSet;

use super::list_cursor::ListCursor;
use crate::vault::{NoteId, TreeNode, Vault};

/// Folders start folded in vaults larger than this.
const FOLD_ABOVE: usize = 400;
/// The open note's headings start folded when it has more than this.
pub const UNFOLDED_HEADINGS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Folder {
        path: String,
        name: String,
        depth: u16,
        open: bool,
    },
    /// A video of a channel index note (not followable: its notes are).
    Video { title: String, depth: u16 },
    Note {
        id: NoteId,
        depth: u16,
        /// Whether its headings are shown (`None`: it has none).
        open: Option<bool>,
    },
    /// A heading of the open note (index into its headings).
    Heading {
        note: NoteId,
        heading: usize,
        depth: u16,
    },
    /// Before the walk is over (see [`super::first_level`]): a folder's
    /// notes are not known yet ("listing…").
    Listing { depth: u16 },
    /// Before the walk is over: a note of the vault's root, by its path.
    File { path: String, depth: u16 },
}

impl Row {
    #[must_use]
    pub fn depth(&self) -> u16 {
        match self {
            Self::Folder { depth, .. }
            | Self::Video { depth, .. }
            | Self::Note { depth, .. }
            | Self::Heading { depth, .. }
            | Self::Listing { depth }
            | Self::File { depth, .. } => *depth,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub rows: Vec<Row>,
    pub cursor: ListCursor,
    /// The row of the heading being read (or of the open note).
    pub current: Option<usize>,
    pub(super) opened: HashSet<String>,
    pub(super) closed: HashSet<String>,
    /// Notes whose headings the reader unfolded or folded.
    pub(super) notes_unfolded: HashSet<NoteId>,
    pub(super) notes_folded: HashSet<NoteId>,
    /// The filter by name, when one is set (`/` in the outline).
    pub filter: Option<String>,
    /// The filter is being typed.
    pub filter_editing: bool,
    /// Notes the filter keeps (shown in the pane's title).
    pub filter_hits: usize,
    /// The vault's first level, shown until the walk's tree is in.
    pub first_level: Option<crate::vault::FirstLevel>,
}

/// What the rows are built for: the open note and the folding defaults.
struct Build<'a> {
    vault: &'a Vault,
    open: Option<NoteId>,
    fold_folders: bool,
}

impl Outline {
    /// Whether a note's headings are shown; `index` says the note is its
    /// channel's index note.
    fn note_unfolded(
        &self,
        id: NoteId,
        open: Option<NoteId>,
        headings: usize,
        index: bool,
    ) -> bool {
        if self.notes_folded.contains(&id) {
            false
        } else if self.notes_unfolded.contains(&id) {
            true
        } else {
            open == Some(id) && !index && headings <= UNFOLDED_HEADINGS
        }
    }

    /// Shows or hides a note's headings.
    pub fn set_note_unfolded(&mut self, id: NoteId, unfolded: bool) {
        if unfolded {
            self.notes_folded.remove(&id);
            self.notes_unfolded.insert(id);
        } else {
            self.notes_unfolded.remove(&id);
            self.notes_folded.insert(id);
        }
    }

    /// The row above `row` in the tree (its folder, video or note).
    #[must_use]
    pub fn parent_of(&self, row: usize) -> Option<usize> {
        let depth = self.rows.get(row)?.depth();
        self.rows[..row].iter().rposition(|r| r.depth() < depth)
    }

    pub(super) fn is_open(&self, path: &str, fold_default: bool) -> bool {
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
        let build = Build {
            vault,
            open,
            fold_folders: vault.notes.len() > FOLD_ABOVE,
        };
        let mut rows = Vec::new();
        let words = self.filter_words();
        if !words.is_empty() {
            let mut hits = 0;
            if vault.tree.is_empty() {
                for id in sorted_ids(vault) {
                    if title_matches(vault, id, &words) {
                        rows.push(Row::Note {
                            id,
                            depth: 0,
                            open: None,
                        });
                        hits += 1;
                    }
                }
            } else {
                hits = filtered(&vault.tree, vault, &words, false, 0, &mut rows);
            }
            self.filter_hits = hits;
        } else if let Some(first) = self.first_level.as_ref().filter(|_| vault.notes.is_empty()) {
            rows = self.first_level_rows(first);
        } else if vault.tree.is_empty() {
            // The tree is built when loading finishes; until then (and for a
            // vault without one) a flat list sorted by title.
            for id in sorted_ids(vault) {
                self.push_note(&mut rows, &build, id, 0, false);
            }
        } else {
            self.flatten(&vault.tree, &build, 0, &mut rows);
        }
        self.rows = rows;
        self.cursor.selected = before
            .and_then(|b| {
                let same = self.rows.iter().position(|r| same_row(r, &b));
                same.or_else(|| super::first_level::row_of_file(&self.rows, vault, &b))
            })
            .unwrap_or(self.cursor.selected)
            .min(self.rows.len().saturating_sub(1));
    }

    /// The filter's words, lowercased (none without a filter).
    fn filter_words(&self) -> Vec<String> {
        self.filter
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    fn flatten(&self, nodes: &[TreeNode], build: &Build<'_>, depth: u16, rows: &mut Vec<Row>) {
        // A channel folder lists its index note first and its videos after.
        let has_videos = nodes.iter().any(|n| matches!(n, TreeNode::Video { .. }));
        let index = has_videos
            .then(|| {
                nodes.iter().find_map(|n| match n {
                    TreeNode::Note(id) => Some(*id),
                    _ => None,
                })
            })
            .flatten();
        for node in nodes {
            match node {
                TreeNode::Folder {
                    name,
                    path,
                    children,
                } => {
                    let is_open = self.is_open(path, build.fold_folders);
                    rows.push(Row::Folder {
                        path: path.clone(),
                        name: name.clone(),
                        depth,
                        open: is_open,
                    });
                    if is_open {
                        self.flatten(children, build, depth + 1, rows);
                    }
                }
                TreeNode::Video {
                    title, children, ..
                } => {
                    rows.push(Row::Video {
                        title: title.clone(),
                        depth,
                    });
                    self.flatten(children, build, depth + 1, rows);
                }
                TreeNode::Note(id) => {
                    self.push_note(rows, build, *id, depth, index == Some(*id));
                }
            }
        }
    }

    /// A note's row, and its headings' when it is unfolded.
    fn push_note(
        &self,
        rows: &mut Vec<Row>,
        build: &Build<'_>,
        id: NoteId,
        depth: u16,
        index: bool,
    ) {
        let headings = &build.vault.note(id).headings;
        let unfolded = self.note_unfolded(id, build.open, headings.len(), index);
        rows.push(Row::Note {
            id,
            depth,
            open: (!headings.is_empty()).then_some(unfolded),
        });
        if unfolded {
            let top = headings.iter().map(|h| h.level()).min().unwrap_or(1);
            for (i, h) in headings.iter().enumerate() {
                rows.push(Row::Heading {
                    note: id,
                    heading: i,
                    depth: depth + 1 + u16::from(h.level().saturating_sub(top)),
                });
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
                .position(|r| matches!(r, Row::Heading { note: n, heading, .. } if *n == note && *heading == h))
                .map(|i| note_row + i)
                .or(Some(note_row)),
        }
    }
}

// ----- the outline's keys ---------------------------------------------------

impl super::App {
    /// `h`/`←`: fold the selected folder or note, or go up to the row
    /// above it in the tree (from a heading: fold its note, select it).
    pub(super) fn fold(&mut self) {
        let at = self.outline.cursor.selected;
        match self.outline.rows.get(at).cloned() {
            Some(Row::Folder {
                path, open: true, ..
            }) if self.outline.filter.is_none() => {
                self.outline.toggle(&path, true);
                self.rebuild_outline();
            }
            Some(Row::Note {
                id,
                open: Some(true),
                ..
            }) => {
                self.outline.set_note_unfolded(id, false);
                self.rebuild_outline();
            }
            Some(Row::Heading { note, .. }) => {
                self.outline.set_note_unfolded(note, false);
                self.rebuild_outline();
                if let Some(row) = self.outline.row_of(note, None) {
                    self.outline.cursor.selected = row;
                }
            }
            Some(_) => {
                if let Some(parent) = self.outline.parent_of(at) {
                    self.outline.cursor.selected = parent;
                }
            }
            None => {}
        }
    }

    /// `l`/`→`: unfold the selected folder or note; on one already
    /// unfolded, go to its first child; a note without headings opens.
    pub(super) fn unfold(&mut self) {
        let at = self.outline.cursor.selected;
        match self.outline.rows.get(at).cloned() {
            Some(Row::Folder {
                path, open: false, ..
            }) => {
                self.outline.toggle(&path, false);
                self.rebuild_outline();
            }
            Some(Row::Note {
                id,
                open: Some(false),
                ..
            }) => {
                self.outline.set_note_unfolded(id, true);
                self.rebuild_outline();
            }
            Some(Row::Note { open: None, .. }) => self.activate_row(),
            Some(Row::Folder { .. } | Row::Note { .. }) => {
                let depth = self.outline.rows[at].depth();
                if self
                    .outline
                    .rows
                    .get(at + 1)
                    .is_some_and(|r| r.depth() > depth)
                {
                    self.outline.cursor.selected = at + 1;
                }
            }
            _ => {}
        }
    }

    /// `z` (and so `za`): fold what is unfolded, unfold what is folded.
    pub(super) fn toggle_fold(&mut self) {
        match self.outline.rows.get(self.outline.cursor.selected) {
            Some(
                Row::Folder { open: true, .. }
                | Row::Note {
                    open: Some(true), ..
                }
                | Row::Heading { .. },
            ) => {
                self.fold();
            }
            Some(
                Row::Folder { open: false, .. }
                | Row::Note {
                    open: Some(false), ..
                },
            ) => {
                self.unfold();
            }
            _ => {}
        }
    }

    /// `/` in the outline: start typing a filter (the one set stays, to
    /// be edited).
    pub(super) fn outline_filter_start(&mut self) {
        self.outline.filter.get_or_insert_with(String::new);
        self.outline.filter_editing = true;
        self.focus_to(super::Pane::Outline);
    }

    /// A key of the find's table while the filter is typed: the same
    /// keys, acting on the filter (↑/↓ move through what it keeps).
    pub(super) fn outline_filter_key(&mut self, action: super::Action) {
        use super::{Action, Motion};
        match action {
            Action::FindInput(c) => self.outline_filter_edit(|q| q.push(c)),
            Action::FindBackspace => self.outline_filter_edit(|q| {
                q.pop();
            }),
            Action::FindConfirm => self.outline_filter_confirm(),
            Action::FindNext => self.move_in(Motion::Down),
            Action::FindPrev => self.move_in(Motion::Up),
            _ => {}
        }
    }

    fn outline_filter_edit(&mut self, edit: impl FnOnce(&mut String)) {
        if let Some(filter) = &mut self.outline.filter {
            edit(filter);
        }
        self.outline.cursor.selected = 0;
        self.rebuild_outline();
        self.select_first_note();
    }

    /// Enter: stop typing, keep the filter (an empty one is dropped).
    pub(super) fn outline_filter_confirm(&mut self) {
        self.outline.filter_editing = false;
        if self.outline.filter.as_deref().is_some_and(str::is_empty) {
            self.outline_filter_clear();
        }
    }

    /// Esc: the whole tree again, the selection on the row it was on.
    pub(super) fn outline_filter_clear(&mut self) {
        self.outline.filter = None;
        self.outline.filter_editing = false;
        if let Some(Row::Note { id, .. }) = self.outline.rows.get(self.outline.cursor.selected) {
            let id = *id;
            self.outline.reveal(&self.vault, id);
        }
        self.rebuild_outline();
    }

    fn select_first_note(&mut self) {
        if let Some(i) = self
            .outline
            .rows
            .iter()
            .position(|r| matches!(r, Row::Note { .. }))
        {
            self.outline.cursor.selected = i;
        }
    }
}

fn sorted_ids(vault: &Vault) -> Vec<NoteId> {
    let mut ids: Vec<NoteId> = vault.ids().filter(|&id| !vault.is_removed(id)).collect();
    ids.sort_by_cached_key(|id| vault.note(*id).title.to_lowercase());
    ids
}

/// Whether a note's title (or file name) holds every word.
fn title_matches(vault: &Vault, id: NoteId, words: &[String]) -> bool {
    let note = vault.note(id);
    let title = note.title.to_lowercase();
    let stem = note.stem().to_lowercase();
    words
        .iter()
        .all(|w| title.contains(w.as_str()) || stem.contains(w.as_str()))
}

/// The rows of `nodes` a filter keeps, all unfolded: notes that match
/// (every note under a folder whose name matches, `all`), and the folders
/// and videos above them. Returns the notes kept.
fn filtered(
    nodes: &[TreeNode],
    vault: &Vault,
    words: &[String],
    all: bool,
    depth: u16,
    rows: &mut Vec<Row>,
) -> usize {
    let mut hits = 0;
    for node in nodes {
        match node {
            TreeNode::Folder {
                name,
                path,
                children,
            } => {
                let lower = name.to_lowercase();
                let named = all || words.iter().all(|w| lower.contains(w.as_str()));
                let at = rows.len();
                let found = filtered(children, vault, words, named, depth + 1, rows);
                if found > 0 || named {
                    rows.insert(
                        at,
                        Row::Folder {
                            path: path.clone(),
                            name: name.clone(),
                            depth,
                            open: true,
                        },
                    );
                }
                hits += found;
            }
            TreeNode::Video {
                title, children, ..
            } => {
                let at = rows.len();
                let found = filtered(children, vault, words, all, depth + 1, rows);
                if found > 0 {
                    rows.insert(
                        at,
                        Row::Video {
                            title: title.clone(),
                            depth,
                        },
                    );
                }
                hits += found;
            }
            TreeNode::Note(id) => {
                if all || title_matches(vault, *id, words) {
                    rows.push(Row::Note {
                        id: *id,
                        depth,
                        open: None,
                    });
                    hits += 1;
                }
            }
        }
    }
    hits
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
