//! Bringing a finished vault up to date with notes changed on disk, doing
//! work in proportion to the change, not to the vault: the changed note is
//! parsed again (by the caller, off the UI thread), its links resolved, and
//! only the links elsewhere that its keys or headings affect are resolved
//! again. Backlinks are patched in place. The tree is rebuilt only when a
//! title, path or set of notes changed (it is sorted by title), and a change
//! of a note's channel line falls back to [`Vault::finish`] (channel ids
//! are positions in a sorted list).

use std::collections::{HashMap, HashSet};

mod burst;
pub use burst::BurstChange;

use super::{
    Backlink, NoteId, Vault, WantedTopic, key::normalize_key, note::Note, resolve::Resolution,
};

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
    /// The topics without a note were counted from every link (a full
    /// update, or the first update, which builds the index of who asks
    /// for what).
    pub wanted_recounted: bool,
    /// Topics without a note whose counts were adjusted.
    pub wanted_keys: usize,
}

/// Who asks for each topic without a note: per key, each asking note with
/// its number of links to it and the target as it first wrote it; per
/// note, the keys it asks for. An update takes the contributions of the
/// notes it resolves again out and puts their new ones in, and moves only
/// those keys' entries in [`Vault::wanted`].
#[derive(Debug, Default, Clone)]
pub struct WantedIndex {
    by_key: HashMap<String, HashMap<NoteId, (usize, String)>>,
    by_source: HashMap<NoteId, Vec<String>>,
}

/// A topic's counts as [`Vault::wanted`] sorts them.
type Counts = (usize, usize);

impl WantedIndex {
    fn build(vault: &Vault) -> Self {
        let mut index = Self::default();
        for id in vault.ids() {
            index.contribute(vault, id, &mut HashMap::new());
        }
        index
    }

    fn counts(&self, key: &str) -> Option<Counts> {
        self.by_key
            .get(key)
            .map(|asking| (asking.len(), asking.values().map(|(links, _)| links).sum()))
    }

    /// Remembers a key's counts before its first change in this update.
    fn note_before(&self, key: &str, before: &mut HashMap<String, Option<Counts>>) {
        if !before.contains_key(key) {
            before.insert(key.to_owned(), self.counts(key));
        }
    }

    /// Takes out what `source` asked for.
    fn retract(&mut self, source: NoteId, before: &mut HashMap<String, Option<Counts>>) {
        for key in self.by_source.remove(&source).unwrap_or_default() {
            self.note_before(&key, before);
            if let Some(asking) = self.by_key.get_mut(&key) {
                asking.remove(&source);
                if asking.is_empty() {
                    self.by_key.remove(&key);
                }
            }
        }
    }

    /// Puts in what `source` asks for now (its unresolved links).
    fn contribute(
        &mut self,
        vault: &Vault,
        source: NoteId,
        before: &mut HashMap<String, Option<Counts>>,
    ) {
        if vault.is_removed(source) {
            return;
        }
        let mut asked: HashMap<String, (usize, String)> = HashMap::new();
        for link in &vault.note(source).links {
            if link.resolution().is_unresolved() {
                asked
                    .entry(normalize_key(link.target()))
                    .or_insert_with(|| (0, link.target().to_owned()))
                    .0 += 1;
            }
        }
        let keys: Vec<String> = asked.keys().cloned().collect();
        for (key, entry) in asked {
            self.note_before(&key, before);
            self.by_key.entry(key).or_default().insert(source, entry);
        }
        if !keys.is_empty() {
            self.by_source.insert(source, keys);
        }
    }

    /// Every topic, sorted as [`Vault::wanted`] is.
    fn all_topics(&self, vault: &Vault) -> Vec<WantedTopic> {
        let mut topics: Vec<WantedTopic> = self
            .by_key
            .keys()
            .filter_map(|key| self.topic(vault, key))
            .collect();
        topics.sort_by(WantedTopic::most_wanted_first);
        topics
    }

    /// The topic of a key as a full count would make it: the target as
    /// written by the asking note first in path order.
    fn topic(&self, vault: &Vault, key: &str) -> Option<WantedTopic> {
        let asking = self.by_key.get(key)?;
        let (_, (_, target)) = asking
            .iter()
            .min_by(|a, b| vault.note(*a.0).path.cmp(&vault.note(*b.0).path))?;
        Some(WantedTopic {
            key: key.to_owned(),
            target: target.clone(),
            links: asking.values().map(|(links, _)| links).sum(),
            notes: asking.len(),
        })
    }
}

/// Where a topic with these counts sits in [`Vault::wanted`] (most asking
/// notes first, then most links, then by key).
fn wanted_position(wanted: &[WantedTopic], (notes, links): Counts, key: &str) -> usize {
    wanted.partition_point(|w| {
        (
            std::cmp::Reverse(w.notes),
            std::cmp::Reverse(w.links),
            w.key.as_str(),
        ) < (std::cmp::Reverse(notes), std::cmp::Reverse(links), key)
    })
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
    [normalize_key(note.stem()), normalize_key(&note.title)]
        .into_iter()
        .filter(|k| !k.is_empty())
        .collect()
}

impl Vault {
    /// Puts a note's new parsed form in place of the old one (same path,
    /// same id) and brings links, backlinks and the tree up to date.
    pub fn update_note(&mut self, id: NoteId, note: Note) -> UpdateWork {
        self.revised();
        let Some(old) = self.get(id) else {
            return UpdateWork::default();
        };
        let old_keys = keys_of(old);
        let title_changed = old.title != note.title;
        let channel_changed = old.channel != note.channel;
        self.unlink_backlinks_of(id);
        self.replace(id, note);
        self.removed.remove(&id);
        let new_keys = keys_of(self.note(id));
        if channel_changed {
            return self.full_update();
        }
        let moved: HashSet<String> = old_keys.symmetric_difference(&new_keys).cloned().collect();
        let work = self.resolve_around(id, &moved);
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
        let (title, stem) = (&self.note(id).title, self.note(id).stem());
        if let Some(&old) = self.removed.iter().find(|&&old| {
            !self.renamed.contains_key(&old)
                && (self.note(old).title == *title || self.note(old).stem() == stem)
        }) {
            self.renamed.insert(old, id);
        }
        if has_channel {
            return (id, self.full_update());
        }
        let keys = keys_of(self.note(id));
        let work = self.resolve_around(id, &keys);
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
        self.revised();
        let Some(old) = self.get(id) else {
            return UpdateWork::default();
        };
        let keys = keys_of(old);
        let had_channel = old.channel.is_some();
        self.unlink_backlinks_of(id);
        let note = self.notes[id.index()].clone();
        self.keys.remove(id, &note);
        self.notes[id.index()].links.clear();
        self.removed.insert(id);
        if had_channel {
            return self.full_update();
        }
        let work = self.resolve_around(id, &keys);
        UpdateWork {
            tree_rebuilt: self.rebuild_tree(),
            ..work
        }
    }

    /// Marks a note whose file is gone without resolving anything: for a
    /// burst of changes, after which [`Vault::finish`] resolves the whole
    /// vault once.
    pub fn mark_removed(&mut self, id: NoteId) {
        self.revised();
        let Some(note) = self.get(id).cloned() else {
            return;
        };
        self.keys.remove(id, &note);
        self.notes[id.index()].links.clear();
        self.removed.insert(id);
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
        self.revised();
        if old != new && self.is_removed(old) {
            self.renamed.insert(old, new);
        }
    }

    /// The note a path names, if it is in the vault and not removed.
    #[must_use]
    pub fn id_of_path(&self, path: &str) -> Option<NoteId> {
        self.keys
            .candidates(&normalize_key(super::note::stem_in(path)))
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
            wanted_keys: 0,
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
    fn resolve_around(&mut self, id: NoteId, moved_keys: &HashSet<String>) -> UpdateWork {
        let mut sources: Vec<NoteId> = vec![id];
        sources.extend(self.backlinks(id).iter().map(|b| b.source));
        if !moved_keys.is_empty() {
            // Every link whose target is a moved key: one pass over the
            // targets, no resolution, no allocation but the key.
            for source in self.ids() {
                if self.note(source).links.iter().any(|link| {
                    !link.target().is_empty() && moved_keys.contains(&normalize_key(link.target()))
                }) {
                    sources.push(source);
                }
            }
        }
        sources.sort_unstable();
        sources.dedup();
        let mut work = UpdateWork::default();
        let mut index = match self.wanted_index.take() {
            Some(index) => index,
            None => {
                work.wanted_recounted = true;
                WantedIndex::build(self)
            }
        };
        let mut before: HashMap<String, Option<Counts>> = HashMap::new();
        // The changed note's old links are gone already: what it asked
        // for is taken out by the index's own record.
        index.retract(id, &mut before);
        for &source in &sources {
            if self.is_removed(source) {
                continue;
            }
            index.retract(source, &mut before);
            if source != id {
                self.unlink_backlinks_of(source);
            }
            let resolved: Vec<Resolution> = self
                .note(source)
                .links
                .iter()
                .map(|link| self.resolve(Some(source), link.target(), link.heading()))
                .collect();
            work.notes_resolved += 1;
            work.links_resolved += resolved.len();
            for (link, resolution) in self.notes[source.index()].links.iter_mut().zip(resolved) {
                link.set_resolution(resolution);
            }
            self.link_backlinks_of(source);
            index.contribute(self, source, &mut before);
        }
        if self.backlinks.len() < self.notes.len() {
            self.backlinks.resize(self.notes.len(), Vec::new());
        }
        // The topics whose counts changed leave their place in the sorted
        // list and come back at their new one.
        if work.wanted_recounted {
            self.wanted = index.all_topics(self);
        } else {
            for (key, old) in &before {
                let new = index.counts(key);
                if *old == new {
                    // Asked for as much as before (a note resolved again
                    // around the change): only who wrote it first may differ.
                    if let Some(old) = *old
                        && let Some(topic) = index.topic(self, key)
                        && let at = wanted_position(&self.wanted, old, key)
                        && let Some(entry) = self.wanted.get_mut(at)
                        && entry.key == *key
                    {
                        *entry = topic;
                    }
                    continue;
                }
                work.wanted_keys += 1;
                if let Some(old) = *old {
                    let at = wanted_position(&self.wanted, old, key);
                    if self.wanted.get(at).is_some_and(|w| w.key == *key) {
                        self.wanted.remove(at);
                    }
                }
                if let Some(topic) = index.topic(self, key) {
                    let at = wanted_position(&self.wanted, (topic.notes, topic.links), key);
                    self.wanted.insert(at, topic);
                }
            }
        }
        self.wanted_index = Some(index);
        self.complete = true;
        work
    }

    /// Takes a note's links out of the backlinks of their targets.
    fn unlink_backlinks_of(&mut self, source: NoteId) {
        let targets: Vec<NoteId> = self
            .note(source)
            .links
            .iter()
            .filter_map(|l| l.resolution().note())
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
            .filter_map(|(i, link)| match link.resolution() {
                Resolution::Note { note, .. } if note != source => Some((
                    note,
                    Backlink {
                        source,
                        link: u32::try_from(i).unwrap_or(u32::MAX),
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

#[cfg(test)]
mod tests;
