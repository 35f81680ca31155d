//! Where the reader left off, in a form that outlives the run: recent
//! notes, back and forward history, the last open note and its place, and
//! bookmarks, all by note path (ids are positions in one load). The app
//! only builds and takes this value; `tui` reads and writes it (see
//! `crate::state_file`), so the app stays free of I/O.

use serde::{Deserialize, Serialize};

use super::{editing::LineAnchor, history::Location, links::BacklinkSort, *};

/// Version of the saved form; a file of another version is ignored.
pub const STATE_VERSION: u32 = 1;

/// Places kept in each direction of history (the run keeps more).
const SAVED_HISTORY: usize = 100;

/// A place in a note: its path and the source line on screen (with that
/// line's text, to find it again if lines were added above it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPlace {
    pub path: String,
    pub line: u32,
    #[serde(default)]
    pub text: Option<String>,
    /// Rows of the line (as wrapped) above the top of the screen.
    #[serde(default)]
    pub rows: u32,
}

/// What is kept per vault between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedState {
    pub version: u32,
    /// The vault this was saved for (its canonical path), to tell files
    /// apart if two vaults' names ever hashed alike.
    pub vault: String,
    #[serde(default)]
    pub last: Option<SavedPlace>,
    /// Most recent first.
    #[serde(default)]
    pub recent: Vec<String>,
    /// Oldest first, as the back stack.
    #[serde(default)]
    pub back: Vec<String>,
    #[serde(default)]
    pub forward: Vec<String>,
    #[serde(default)]
    pub bookmarks: Vec<String>,
    /// The outline's width as the reader set it (absent in files from
    /// before it was kept: the automatic width).
    #[serde(default)]
    pub outline_width: Option<u16>,
    /// The reader's folding choices in the outline.
    #[serde(default)]
    pub folds: SavedFolds,
    /// The order of the backlinks (`s`).
    #[serde(default)]
    pub backlinks_sort: BacklinkSort,
}

/// Folders and notes the reader folded or unfolded in the outline (by
/// path; what was never touched keeps its default), sorted so that an
/// unchanged choice saves the same file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFolds {
    #[serde(default)]
    pub folders_open: Vec<String>,
    #[serde(default)]
    pub folders_closed: Vec<String>,
    #[serde(default)]
    pub notes_unfolded: Vec<String>,
    #[serde(default)]
    pub notes_folded: Vec<String>,
}

/// Folding choices kept of each kind (a vault has some thousands of
/// folders at most; the state file stays small).
const SAVED_FOLDS: usize = 5_000;

/// A set of folding choices as a sorted, bounded list.
fn sorted(paths: impl Iterator<Item = String>) -> Vec<String> {
    let mut paths: Vec<String> = paths.collect();
    paths.sort_unstable();
    paths.truncate(SAVED_FOLDS);
    paths
}

impl App {
    /// The state to save now (`tui` saves it when it changed, at most
    /// every few seconds, and on quit).
    #[must_use]
    pub fn snapshot(&self, vault: &str) -> SavedState {
        let path = |id: NoteId| {
            self.vault
                .get(id)
                .filter(|_| !self.vault.is_removed(id))
                .map(|n| n.path.clone())
        };
        let pages = |locations: &[Location]| -> Vec<String> {
            let mut paths: Vec<String> = locations
                .iter()
                .filter_map(|l| match l.page {
                    Page::Note(id) => path(id),
                    _ => None,
                })
                .collect();
            paths.dedup();
            let skip = paths.len().saturating_sub(SAVED_HISTORY);
            paths.split_off(skip)
        };
        let (back, forward) = self.history.stacks();
        // Before the vault has loaded, what was read at start-up stands.
        if !self.load.settled()
            && let Some(saved) = &self.saved
        {
            return SavedState {
                outline_width: self.outline_width,
                backlinks_sort: self.links.sort,
                ..saved.clone()
            };
        }
        SavedState {
            version: STATE_VERSION,
            vault: vault.to_owned(),
            last: self.open_note().and_then(|id| {
                let anchor = self.anchor_of(id);
                Some(SavedPlace {
                    path: path(id)?,
                    line: anchor.line,
                    text: anchor.text,
                    rows: anchor.rows,
                })
            }),
            recent: self.recent.iter().filter_map(|&id| path(id)).collect(),
            back: pages(back),
            forward: pages(forward),
            bookmarks: self.bookmarks.iter().filter_map(|&id| path(id)).collect(),
            outline_width: self.outline_width,
            folds: self.saved_folds(path),
            backlinks_sort: self.links.sort,
        }
    }

    /// The outline's folding choices by path (notes gone are left out).
    fn saved_folds(&self, path: impl Fn(NoteId) -> Option<String>) -> SavedFolds {
        let outline = &self.outline;
        SavedFolds {
            folders_open: sorted(outline.opened.iter().cloned()),
            folders_closed: sorted(outline.closed.iter().cloned()),
            notes_unfolded: sorted(outline.notes_unfolded.iter().filter_map(|&id| path(id))),
            notes_folded: sorted(outline.notes_folded.iter().filter_map(|&id| path(id))),
        }
    }

    /// Takes in the state saved by an earlier run (before the vault
    /// loads). Without `--open`, and unless `home`, the last note opens
    /// again at its line; lists are filled in when the vault has loaded.
    pub fn restore(&mut self, state: SavedState, home: bool) {
        if !home
            && self.pending_open.is_none()
            && let Some(last) = &state.last
        {
            self.pending_open = Some(last.path.clone());
            self.pending_line = Some(LineAnchor {
                line: last.line,
                text: last.text.clone(),
                rows: last.rows,
            });
        }
        if state.outline_width.is_some() {
            self.outline_width = state.outline_width;
        }
        self.links.sort = state.backlinks_sort;
        // Folders are known by path: their choices hold at once.
        let folds = &state.folds;
        self.outline
            .opened
            .extend(folds.folders_open.iter().cloned());
        self.outline
            .closed
            .extend(folds.folders_closed.iter().cloned());
        self.saved = Some(state);
    }

    /// The vault has loaded: saved paths become notes again (paths that
    /// name no note any more are dropped).
    pub(super) fn apply_saved(&mut self) {
        let Some(saved) = self.saved.take() else {
            return;
        };
        let id = |path: &String| self.vault.id_of_path(path);
        let location = |id: NoteId| Location {
            page: Page::Note(id),
            scroll: 0,
            cursor: None,
            list: None,
        };
        let back: Vec<Location> = saved.back.iter().filter_map(id).map(location).collect();
        let forward: Vec<Location> = saved.forward.iter().filter_map(id).map(location).collect();
        let mut recent: Vec<NoteId> = saved.recent.iter().filter_map(id).collect();
        let bookmarks: Vec<NoteId> = saved.bookmarks.iter().filter_map(id).collect();
        // This run's own folding comes first.
        for note in saved.folds.notes_unfolded.iter().filter_map(id) {
            if !self.outline.notes_folded.contains(&note) {
                self.outline.notes_unfolded.insert(note);
            }
        }
        for note in saved.folds.notes_folded.iter().filter_map(id) {
            if !self.outline.notes_unfolded.contains(&note) {
                self.outline.notes_folded.insert(note);
            }
        }
        // This run's own reading comes first.
        for r in std::mem::take(&mut self.recent).into_iter().rev() {
            recent.retain(|x| *x != r);
            recent.insert(0, r);
        }
        self.recent = recent;
        self.history.prepend(back, forward);
        for b in bookmarks {
            if !self.bookmarks.contains(&b) {
                self.bookmarks.push(b);
            }
        }
        self.cache.retain(|(page, _), _| *page != Page::Home);
    }

    /// `m`: bookmark the open note, or take its bookmark away.
    pub(super) fn toggle_bookmark(&mut self) {
        let Some(id) = self.open_note() else {
            self.info("Open a note to bookmark it");
            return;
        };
        let title = crate::text::sanitize_inline(&self.vault.note(id).title).into_owned();
        if let Some(at) = self.bookmarks.iter().position(|b| *b == id) {
            self.bookmarks.remove(at);
            self.info(format!("Bookmark removed: {title}"));
        } else {
            self.bookmarks.push(id);
            self.info(format!("Bookmarked: {title} (Ctrl-P, Tab to bookmarks)"));
        }
        self.cache.retain(|(page, _), _| *page != Page::Home);
        if let Some(p) = &mut self.picker {
            p.stale = true;
        }
    }
}
