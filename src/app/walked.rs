//! The walk's paths made ready off the UI thread, in two parts: first
//! what the outline's first frame needs (every note named by its file,
//! and the folder tree), then, built while the UI thread draws it, the
//! notes' keys and the notes by path (for opening a note by name and for
//! the title pass to replace each note in place). Taking in 21,000 paths
//! one by one on the UI thread cost about 50 ms before the first frame
//! with the outline; now it only swaps them in. (A warm start the index
//! cache serves sends no walk's paths: its vault of heads takes their
//! place, see [`App::on_indexed`].)

use super::*;
use crate::vault::{Note, note::stem_in, resolve::KeyIndex, tree::TreeNode};

/// Every note the walk found, named by its file, in the walk's order (so
/// their ids are those the UI would give them), and the folder tree.
#[derive(Debug)]
pub struct WalkedVault {
    notes: Vec<Note>,
    tree: Vec<TreeNode>,
}

/// The keys the walk's notes answer to (their file names) and the notes
/// by path, which follow [`WalkedVault`].
#[derive(Debug)]
pub struct WalkIndex {
    keys: KeyIndex,
    announced: HashMap<String, NoteId>,
}

/// The walk's paths, distinct, in the walk's order. A path met twice is
/// announced once, as [`App::on_walk`] does; the walk's paths are sorted
/// and distinct, so only other lists pay for the check by path.
#[must_use]
fn distinct_paths(mut paths: Vec<String>) -> Vec<String> {
    if !paths.windows(2).all(|pair| pair[0] < pair[1]) {
        let mut seen = std::collections::HashSet::with_capacity(paths.len());
        paths.retain(|path| seen.insert(path.clone()));
    }
    paths
}

/// Makes the walk's paths ready on the loader's thread and hands them to
/// `send` in two parts: what the outline's first frame needs, then (while
/// the UI thread draws it) the keys and the notes by path. `first_sent` is
/// called between the two (for the start-up trace). False once `send`
/// fails (nobody listens).
pub fn send_walk(
    paths: Vec<String>,
    send: impl Fn(Loaded) -> bool,
    first_sent: impl FnOnce(),
) -> bool {
    let paths = distinct_paths(paths);
    if !send(Loaded::Walked(Box::new(WalkedVault::prepare(&paths)))) {
        return false;
    }
    first_sent();
    send(Loaded::WalkIndex(Box::new(WalkIndex::prepare(paths))))
}

impl WalkedVault {
    /// Called on the loader's thread with the walk's distinct paths (see
    /// [`distinct_paths`]). On that thread alone: rayon's pool is the
    /// loader's, and on a busy machine its other threads gained nothing.
    #[must_use]
    pub fn prepare(paths: &[String]) -> Self {
        let mut vault = Vault::default();
        vault.notes = paths.iter().map(|path| Note::empty(path)).collect();
        let tree = crate::vault::tree::build(&vault);
        Self {
            notes: vault.notes,
            tree,
        }
    }

    /// The paths again, for an app that cannot swap them in.
    fn into_paths(self) -> Vec<String> {
        self.notes.into_iter().map(|note| note.path).collect()
    }
}

impl WalkIndex {
    /// Called on the loader's thread with the same paths as
    /// [`WalkedVault::prepare`], once that is sent.
    #[must_use]
    pub fn prepare(paths: Vec<String>) -> Self {
        let mut keys = KeyIndex::default();
        for (i, path) in paths.iter().enumerate() {
            keys.insert_file_name(note_id(i), stem_in(path));
        }
        let announced = paths
            .into_iter()
            .enumerate()
            .map(|(i, path)| (path, note_id(i)))
            .collect();
        Self { keys, announced }
    }
}

fn note_id(index: usize) -> NoteId {
    NoteId(u32::try_from(index).unwrap_or(u32::MAX))
}

impl App {
    /// The walk's notes, made ready by the loader: swapped in when the app
    /// holds no note yet (a start, a rescan); otherwise taken in path by
    /// path, as [`LoadEvent::Paths`] is. Their keys and the notes by path
    /// follow ([`Self::on_walk_index`]).
    pub(super) fn on_walked(&mut self, walked: WalkedVault) {
        if !self.vault.notes.is_empty() || !self.load.announced.is_empty() {
            self.on_load(LoadEvent::Paths(walked.into_paths()));
            return;
        }
        self.vault.notes = walked.notes;
        self.vault.tree = walked.tree;
        self.vault.complete = false;
        self.after_walk();
        self.sync();
    }

    /// The walk's notes' keys and the notes by path, when the walk's notes
    /// were swapped in (otherwise [`Self::on_walk`] made them already).
    pub(super) fn on_walk_index(&mut self, index: WalkIndex) {
        if !self.load.announced.is_empty() || index.announced.len() != self.vault.notes.len() {
            return;
        }
        self.vault.keys = index.keys;
        self.load.announced = index.announced;
        let pending = self.pending_open.is_some();
        self.try_pending_open(false);
        if pending && self.pending_open.is_none() {
            // The note named at start (or the last one) opened: its
            // folders unfold in the outline now, not when loading is over.
            self.rebuild_outline();
        }
        self.sync();
    }
}
