//! A [`Snapshot`] of a finished vault made a slice of notes at a time
//! ([`Capture::step`]). The browser makes the resolved offer of a
//! background save this way, on its UI thread between frames: made in one
//! go it paused the UI for 31–54 ms on the real vault. [`Snapshot::of_ordered`]
//! is the same capture made in one go.

use super::{
    PackedSaved, Resolutions, SavedChannel, SavedResolution, SavedTree, SavedWanted, Snapshot,
    entry_positions, save_tree, u32_of,
};
use crate::vault::{Backlink, NoteId, Vault, resolve::Resolution};

/// A snapshot under way: the notes' parts of the entries before `next`
/// are taken, then the topics without a note and the tree's folders a
/// slice at a time too; the channels last.
#[derive(Debug)]
pub struct Capture {
    /// `order[i]` is the id of the note of entry `i`.
    order: Vec<NoteId>,
    /// Vault id to entry position.
    entry_of: Vec<u32>,
    next: usize,
    resolutions: Resolutions,
    backlinks: Vec<Vec<Backlink>>,
    wanted: Vec<SavedWanted>,
    /// The tree's first nodes (each a folder with all it holds).
    tree: Vec<SavedTree>,
}

impl Capture {
    /// A capture of `vault` by entry: `order[i]` is the id of the note of
    /// entry `i`, every note once. `None` when the vault is not finished
    /// or `order` is not every note once. The caller must hand every step
    /// the same vault, unchanged (see [`Vault::revision`]).
    #[must_use]
    pub fn start(vault: &Vault, order: Vec<NoteId>) -> Option<Self> {
        let entry_of = entry_positions(vault, &order)?;
        Some(Self {
            entry_of,
            next: 0,
            resolutions: Resolutions::with_capacity(order.len()),
            backlinks: Vec::with_capacity(order.len()),
            wanted: Vec::with_capacity(vault.wanted.len()),
            tree: Vec::with_capacity(vault.tree.len()),
            order,
        })
    }

    /// The entries' ids, in entry order.
    #[must_use]
    pub fn order(&self) -> &[NoteId] {
        &self.order
    }

    /// How many entries are taken so far.
    #[must_use]
    pub fn taken(&self) -> usize {
        self.next
    }

    /// Every part is taken but the channels: [`Capture::finish`] is next.
    #[must_use]
    pub fn done(&self, vault: &Vault) -> bool {
        self.next == self.order.len()
            && self.wanted.len() == vault.wanted.len()
            && self.tree.len() == vault.tree.len()
    }

    /// Takes the links' resolutions and the backlinks of the next `n`
    /// entries; once every entry's are taken, the next `n` topics without
    /// a note; then the tree's next first nodes, about `n` nodes in all.
    pub fn step(&mut self, vault: &Vault, n: usize) {
        let entry_of = &self.entry_of;
        let at = |id: NoteId| entry_of[id.index()];
        if self.next < self.order.len() {
            let end = self.next.saturating_add(n).min(self.order.len());
            for &id in &self.order[self.next..end] {
                let note = vault.note(id);
                self.resolutions.push_note(
                    note.links
                        .iter()
                        .map(|l| PackedSaved::from(saved(l.resolution(), &at))),
                );
                self.backlinks.push(
                    vault
                        .backlinks(id)
                        .iter()
                        .map(|b| Backlink {
                            source: NoteId(at(b.source)),
                            link: b.link,
                            line: b.line,
                        })
                        .collect(),
                );
            }
            self.next = end;
        } else if self.wanted.len() < vault.wanted.len() {
            let from = self.wanted.len();
            let end = from.saturating_add(n).min(vault.wanted.len());
            self.wanted
                .extend(vault.wanted[from..end].iter().map(|w| SavedWanted {
                    key: w.key.clone(),
                    target: w.target.clone(),
                    links: u32_of(w.links),
                    notes: u32_of(w.notes),
                }));
        } else {
            // First nodes (a folder counts with all it holds) until `n`
            // nodes are taken, one at least.
            let mut left = n;
            while let Some(node) = vault.tree.get(self.tree.len()).filter(|_| left > 0) {
                let saved = save_tree(std::slice::from_ref(node), &at);
                left = left.saturating_sub(count(&saved));
                self.tree.extend(saved);
            }
        }
    }

    /// The snapshot, with the vault's channels; `None` until every other
    /// part is taken ([`Capture::done`]).
    #[must_use]
    pub fn finish(self, vault: &Vault) -> Option<Snapshot> {
        if !self.done(vault) {
            return None;
        }
        let entry_of = &self.entry_of;
        let at = |id: NoteId| entry_of[id.index()];
        Some(Snapshot {
            notes: u32_of(vault.notes.len()),
            channels: vault
                .channels
                .iter()
                .map(|c| SavedChannel {
                    name: c.name.clone(),
                    key: c.key.clone(),
                    notes: c.notes.iter().map(|&id| at(id)).collect(),
                    index_note: c.index_note.map(at),
                })
                .collect(),
            resolutions: self.resolutions,
            backlinks: self.backlinks,
            wanted: self.wanted,
            tree: self.tree,
        })
    }
}

/// How many nodes a saved tree has, all levels counted.
fn count(tree: &[SavedTree]) -> usize {
    tree.iter()
        .map(|node| match node {
            SavedTree::Folder { children, .. } | SavedTree::Video { children, .. } => {
                1 + count(children)
            }
            SavedTree::Note(_) => 1,
        })
        .sum()
}

/// A link's resolution as saved, its note an entry position.
pub(super) fn saved(resolution: Resolution, at: &impl Fn(NoteId) -> u32) -> SavedResolution {
    match resolution {
        Resolution::Pending => SavedResolution::Pending,
        Resolution::Note {
            note,
            heading,
            ambiguous,
        } => SavedResolution::Note {
            note: at(note),
            heading: heading.map(u32_of),
            ambiguous,
        },
        Resolution::Channel(c) => SavedResolution::Channel(c.0),
        Resolution::Unresolved => SavedResolution::Unresolved,
    }
}
