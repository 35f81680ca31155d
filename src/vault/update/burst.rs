//! A burst (thousands of notes changed at once, as by a `git checkout`):
//! applied to a copy of the vault off the UI thread, which the UI thread
//! then swaps in, so that the reader never waits for the whole update.

#[allow(
    clippy::wildcard_imports,
    reason = "the burst is a part of the update and uses its helpers"
)]
use super::*;

/// One note of a burst, as read again off the UI thread.
#[derive(Debug, Clone)]
pub struct BurstChange {
    /// The note it was in the vault, if it was (else it is new).
    pub note: Option<NoteId>,
    /// Its path in the vault.
    pub path: String,
    /// Its new parsed form; `None`: the file is gone.
    pub parsed: Option<Note>,
}

impl Vault {
    /// A copy of the notes and what is not rebuilt by [`Vault::finish`]
    /// (the key index, problems, removed and renamed notes), for a burst
    /// to be applied to off the UI thread; the cache of texts starts empty
    /// and the derived indexes are left for `finish` to make.
    #[must_use]
    pub fn snapshot(&self) -> Vault {
        let mut copy = self.begin_snapshot();
        self.continue_snapshot(&mut copy, usize::MAX);
        copy
    }

    /// [`Vault::snapshot`] without the notes, which
    /// [`Vault::continue_snapshot`] copies a bounded number at a time (the
    /// UI thread copies a slice per turn of its loop; the vault does not
    /// change meanwhile, as changes wait for the burst).
    #[must_use]
    pub fn begin_snapshot(&self) -> Vault {
        Vault {
            root: self.root.clone(),
            notes: Vec::with_capacity(self.notes.len()),
            keys: self.keys.clone(),
            problems: self.problems.clone(),
            time_options: self.time_options,
            removed: self.removed.clone(),
            renamed: self.renamed.clone(),
            ..Vault::default()
        }
    }

    /// Copies up to `count` more notes into a snapshot begun by
    /// [`Vault::begin_snapshot`]; true when every note is in.
    pub fn continue_snapshot(&self, copy: &mut Vault, count: usize) -> bool {
        let from = copy.notes.len().min(self.notes.len());
        let to = from.saturating_add(count).min(self.notes.len());
        copy.notes.extend_from_slice(&self.notes[from..to]);
        to == self.notes.len()
    }

    /// Applies a burst of changes (a `git checkout`): each note put in
    /// place, added or marked removed without resolving anything, removed
    /// notes matched to added ones as renames (a folder renamed), then the
    /// whole vault resolved once. Meant for a [`Vault::snapshot`] on a
    /// worker thread: the UI swaps the result in. What changed, for the
    /// picker and the open note.
    pub fn apply_burst(&mut self, burst: Vec<BurstChange>) -> Vec<Change> {
        let mut changes = Vec::with_capacity(burst.len());
        for change in burst {
            match (change.note, change.parsed) {
                (Some(id), parsed)
                    if self
                        .get(id)
                        .is_some_and(|n| n.path == change.path && !self.is_removed(id)) =>
                {
                    match parsed {
                        Some(note) => {
                            self.replace(id, note);
                            changes.push(Change::Changed(id));
                        }
                        None => {
                            self.mark_removed(id);
                            changes.push(Change::Removed(id));
                        }
                    }
                }
                (None, Some(note))
                    if note.path == change.path && self.id_of_path(&change.path).is_none() =>
                {
                    changes.push(Change::Added(self.add(note)));
                }
                _ => {}
            }
        }
        self.recognise_renames(&changes);
        self.backlinks.resize(self.notes.len(), Vec::new());
        self.finish();
        changes
    }

    /// Each added note takes the place of a removed one (not yet renamed)
    /// with the same title and file name, else the same title, else the
    /// same file name: a note moved with its folder keeps both. One pass
    /// over the removed notes and one over the added, with lookups.
    fn recognise_renames(&mut self, changes: &[Change]) {
        if self.removed.is_empty() {
            return;
        }
        let mut removed: Vec<NoteId> = self
            .removed
            .iter()
            .copied()
            .filter(|id| !self.renamed.contains_key(id))
            .collect();
        // The lowest id first: the same choice in every run.
        removed.sort_unstable();
        let mut by_both: HashMap<(&str, &str), Vec<NoteId>> = HashMap::new();
        let mut by_title: HashMap<&str, Vec<NoteId>> = HashMap::new();
        let mut by_stem: HashMap<&str, Vec<NoteId>> = HashMap::new();
        for &id in removed.iter().rev() {
            let note = self.note(id);
            by_both
                .entry((note.title.as_str(), note.stem()))
                .or_default()
                .push(id);
            by_title.entry(note.title.as_str()).or_default().push(id);
            by_stem.entry(note.stem()).or_default().push(id);
        }
        let mut taken: HashSet<NoteId> = HashSet::new();
        let mut found = Vec::new();
        for change in changes {
            let Change::Added(new) = *change else {
                continue;
            };
            let note = self.note(new);
            let mut pick = |list: Option<&mut Vec<NoteId>>| {
                let list = list?;
                while let Some(old) = list.pop() {
                    if taken.insert(old) {
                        return Some(old);
                    }
                }
                None
            };
            let old = pick(by_both.get_mut(&(note.title.as_str(), note.stem())))
                .or_else(|| pick(by_title.get_mut(note.title.as_str())))
                .or_else(|| pick(by_stem.get_mut(note.stem())));
            if let Some(old) = old {
                found.push((old, new));
            }
        }
        for (old, new) in found {
            self.renamed.insert(old, new);
        }
    }
}
