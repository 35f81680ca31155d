//! Bringing a finished vault up to date with notes changed on disk, doing
//! work in proportion to the change, not to the vault: the changed note is
//! parsed again (by the caller, off the UI thread), its links resolved, and
//! only the links elsewhere that its keys or headings affect are resolved
//! again. Backlinks are patched in place. The tree is rebuilt only when a
//! title, path or set of notes changed (it is sorted by title), and a change
//! of a note's channel line falls back to [`Vault::finish`] (channel ids
//! are positions in a sorted list).

use std::collections::HashSet;

use super::{Backlink, NoteId, Vault, key::normalize_key, note::Note, resolve::Resolution};

/// The work an update did, so tests can assert it was incremental.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateWork {
    /// Notes whose links were resolved again.
    pub notes_resolved: usize,
    /// Links resolved again.
    pub links_resolved: usize,
    /// The outline's tree was rebuilt.
    pub tree_rebuilt: bool,
    /// Everything was resolved again (a channel changed).
    pub full: bool,
    /// The topics without a note were counted again (a pass over links,
    /// without resolving any).
    pub wanted_recounted: bool,
}

/// What a change did to the set of notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A note's new parsed form, in place.
    Changed(NoteId),
    /// A note new to the vault, with its new id.
    Added(NoteId),
    /// A note whose file is gone (its id stays, marked removed).
    Removed(NoteId),
}

/// The keys a note answers to.
fn keys_of(note: &Note) -> HashSet<String> {
    [normalize_key(&note.stem), normalize_key(&note.title)]
        .into_iter()
        .filter(|k| !k.is_empty())
        .collect()
}

fn has_unresolved(note: &Note) -> bool {
    note.links.iter().any(|l| l.resolution.is_unresolved())
}

impl Vault {
    /// Puts a note's new parsed form in place of the old one (same path,
    /// same id) and brings links, backlinks and the tree up to date.
    pub fn update_note(&mut self, id: NoteId, note: Note) -> UpdateWork {
        let Some(old) = self.get(id) else {
            return UpdateWork::default();
        };
        let old_keys = keys_of(old);
        let title_changed = old.title != note.title;
        let channel_changed = old.channel != note.channel;
        let had_unresolved = has_unresolved(old);
        self.unlink_backlinks_of(id);
        self.replace(id, note);
        self.removed.remove(&id);
        let new_keys = keys_of(self.note(id));
        if channel_changed {
            return self.full_update();
        }
        let moved: HashSet<String> = old_keys.symmetric_difference(&new_keys).cloned().collect();
        let work = self.resolve_around(id, &moved, had_unresolved);
        UpdateWork {
            tree_rebuilt: title_changed && self.rebuild_tree(),
            ..work
        }
    }

    /// Adds a note that appeared on disk.
    pub fn add_note(&mut self, note: Note) -> (NoteId, UpdateWork) {
        let has_channel = note.channel.is_some();
        let id = self.add(note);
        self.backlinks.resize(self.notes.len(), Vec::new());
        // A rename is a removal and an addition: the removed note with the
        // same title (or file name) went here.
        let (title, stem) = (&self.note(id).title, &self.note(id).stem);
        if let Some(&old) = self.removed.iter().find(|&&old| {
            !self.renamed.contains_key(&old)
                && (self.note(old).title == *title || self.note(old).stem == *stem)
        }) {
            self.renamed.insert(old, id);
        }
        if has_channel {
            return (id, self.full_update());
        }
        let keys = keys_of(self.note(id));
        let work = self.resolve_around(id, &keys, false);
        (
            id,
            UpdateWork {
                tree_rebuilt: self.rebuild_tree(),
                ..work
            },
        )
    }

    /// Marks a note whose file is gone: it answers to no key, links to it
    /// become topics without a note, and it leaves the tree. Its id stays
    /// (ids are positions), so history and open pages can say what it was.
    pub fn remove_note(&mut self, id: NoteId) -> UpdateWork {
        let Some(old) = self.get(id) else {
            return UpdateWork::default();
        };
        let keys = keys_of(old);
        let had_channel = old.channel.is_some();
        let had_unresolved = has_unresolved(old);
        self.unlink_backlinks_of(id);
        let note = self.notes[id.index()].clone();
        self.keys.remove(id, &note);
        self.notes[id.index()].links.clear();
        self.removed.insert(id);
        if had_channel {
            return self.full_update();
        }
        let work = self.resolve_around(id, &keys, had_unresolved);
        UpdateWork {
            tree_rebuilt: self.rebuild_tree(),
            ..work
        }
    }

    /// A note's file is gone (and its id is kept only as a tombstone).
    #[must_use]
    pub fn is_removed(&self, id: NoteId) -> bool {
        self.removed.contains(&id)
    }

    /// Where a removed note went, when its new file was recognised.
    #[must_use]
    pub fn renamed_to(&self, id: NoteId) -> Option<NoteId> {
        self.renamed.get(&id).copied()
    }

    /// Records that removed note `old` is `new` under another name.
    pub fn mark_renamed(&mut self, old: NoteId, new: NoteId) {
        if old != new && self.is_removed(old) {
            self.renamed.insert(old, new);
        }
    }

    /// The note a path names, if it is in the vault and not removed.
    #[must_use]
    pub fn id_of_path(&self, path: &str) -> Option<NoteId> {
        let stem = super::note::stem_of(path);
        self.keys
            .candidates(&normalize_key(&stem))
            .iter()
            .copied()
            .find(|&id| self.note(id).path == path && !self.is_removed(id))
    }

    fn full_update(&mut self) -> UpdateWork {
        let links = self.notes.iter().map(|n| n.links.len()).sum();
        self.finish();
        UpdateWork {
            notes_resolved: self.notes.len(),
            links_resolved: links,
            tree_rebuilt: true,
            full: true,
            wanted_recounted: true,
        }
    }

    fn rebuild_tree(&mut self) -> bool {
        self.tree = super::tree::build(self);
        true
    }

    /// Resolves the links of `id`, the links of notes that link to it (a
    /// heading's index may have moved), and, when keys appeared or
    /// vanished, every link that names one of them; patches backlinks and
    /// the topics without a note.
    fn resolve_around(
        &mut self,
        id: NoteId,
        moved_keys: &HashSet<String>,
        had_unresolved: bool,
    ) -> UpdateWork {
        let mut sources: Vec<NoteId> = vec![id];
        sources.extend(self.backlinks(id).iter().map(|b| b.source));
        if !moved_keys.is_empty() {
            // Every link whose target is a moved key: one pass over the
            // targets, no resolution, no allocation but the key.
            for source in self.ids() {
                if self.note(source).links.iter().any(|link| {
                    !link.target.is_empty() && moved_keys.contains(&normalize_key(&link.target))
                }) {
                    sources.push(source);
                }
            }
        }
        sources.sort_unstable();
        sources.dedup();
        let mut work = UpdateWork::default();
        for &source in &sources {
            if self.is_removed(source) {
                continue;
            }
            if source != id {
                self.unlink_backlinks_of(source);
            }
            let resolved: Vec<Resolution> = self
                .note(source)
                .links
                .iter()
                .map(|link| self.resolve(Some(source), &link.target, link.heading.as_deref()))
                .collect();
            work.notes_resolved += 1;
            work.links_resolved += resolved.len();
            for (link, resolution) in self.notes[source.index()].links.iter_mut().zip(resolved) {
                link.resolution = resolution;
            }
            self.link_backlinks_of(source);
        }
        if self.backlinks.len() < self.notes.len() {
            self.backlinks.resize(self.notes.len(), Vec::new());
        }
        // Topics without a note are counted per distinct asking note over
        // the whole vault: counted again only when a link's being
        // unresolved may have changed (keys moved, or unresolved links here).
        let unresolved_here = self
            .get(id)
            .is_some_and(|n| n.links.iter().any(|l| l.resolution.is_unresolved()));
        if !moved_keys.is_empty() || had_unresolved || unresolved_here {
            self.wanted = self.backlinks_and_wanted().1;
            work.wanted_recounted = true;
        }
        self.complete = true;
        work
    }

    /// Takes a note's links out of the backlinks of their targets.
    fn unlink_backlinks_of(&mut self, source: NoteId) {
        let targets: Vec<NoteId> = self
            .note(source)
            .links
            .iter()
            .filter_map(|l| l.resolution.note())
            .collect();
        for target in targets {
            if let Some(list) = self.backlinks.get_mut(target.index()) {
                list.retain(|b| b.source != source);
            }
        }
    }

    /// Adds a note's resolved links to the backlinks of their targets,
    /// keeping each list in source path order.
    fn link_backlinks_of(&mut self, source: NoteId) {
        let entries: Vec<(NoteId, Backlink)> = self
            .note(source)
            .links
            .iter()
            .enumerate()
            .filter_map(|(i, link)| match link.resolution {
                Resolution::Note { note, .. } if note != source => Some((
                    note,
                    Backlink {
                        source,
                        link: i,
                        line: link.line,
                    },
                )),
                _ => None,
            })
            .collect();
        if self.backlinks.len() < self.notes.len() {
            self.backlinks.resize(self.notes.len(), Vec::new());
        }
        for (target, backlink) in entries {
            let path = self.notes[source.index()].path.as_str();
            let notes = &self.notes;
            let list = &mut self.backlinks[target.index()];
            let at = list.partition_point(|b| {
                let other = notes[b.source.index()].path.as_str();
                other < path || (other == path && b.link < backlink.link)
            });
            list.insert(at, backlink);
        }
    }
}
