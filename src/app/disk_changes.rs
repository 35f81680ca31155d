//! Changes seen on disk while the browser runs: notes touched (from the
//! watcher), notes added, a burst applied to a copy of the vault off the
//! UI thread, the walk made once the watcher is up, and a rescan of the
//! whole vault (`R`). The reader's place is kept through each (see
//! [`super::editing`] for the anchoring).

use super::{
    editing::{BURST, BatchBuilt, BatchJob, NewNote, NoteParse, Parsed, sanitize},
    *,
};
use crate::vault::update::Change;

impl App {
    /// Notes touched on disk (a batch from the watcher): each known note
    /// is parsed again, each new one parsed and added, off the UI thread.
    pub fn on_disk_changes(&mut self, touched: crate::vault::watch::Touched) {
        if !self.load.settled() {
            // The load may have read these files before the change: they
            // are looked at again when it is done.
            self.load.touched.extend(touched.paths);
            self.load.touched_folders.extend(touched.folders);
            return;
        }
        if let Some(deferred) = &mut self.burst {
            // A burst is being applied to a copy of the vault: these wait
            // for it, and are looked at in the vault it makes.
            deferred.paths.extend(touched.paths);
            deferred.folders.extend(touched.folders);
            return;
        }
        let mut paths = touched.paths;
        // A folder gone (or renamed away) had its notes' events swallowed:
        // each of them is looked at (and found gone).
        for folder in &touched.folders {
            let prefix = format!("{folder}/");
            paths.extend(
                self.vault
                    .ids()
                    .filter(|&id| !self.vault.is_removed(id))
                    .map(|id| &self.vault.note(id).path)
                    .filter(|path| path.starts_with(&prefix))
                    .cloned(),
            );
        }
        paths.sort_unstable();
        paths.dedup();
        if paths.len() > BURST {
            let jobs = paths
                .into_iter()
                .map(|path| BatchJob {
                    note: self.vault.id_of_path(&path),
                    file: self.vault.root.join(&path),
                    path,
                })
                .collect::<Vec<_>>();
            self.info(format!("Updating 0/{} notes…", page::thousands(jobs.len())));
            self.burst = Some(crate::vault::watch::Touched::default());
            self.outbox.push(Effect::ParseBatch(jobs));
            return;
        }
        for path in paths {
            let file = self.vault.root.join(&path);
            match self.vault.id_of_path(&path) {
                Some(id) => self.outbox.push(Effect::ParseNote(NoteParse {
                    note: id,
                    path,
                    file: self.vault.path_of(id),
                })),
                None => self
                    .outbox
                    .push(Effect::ParseNewNote(NewNote { path, file })),
            }
        }
    }

    /// [`Self::on_disk_changes`], with the effects it leads to.
    pub fn on_disk_changes_effects(
        &mut self,
        touched: crate::vault::watch::Touched,
    ) -> Vec<Effect> {
        self.on_disk_changes(touched);
        self.take_effects()
    }

    /// A note that appeared on disk, parsed: added to the vault, the
    /// picker and the outline; links that wanted it now lead to it.
    pub fn on_new_note(&mut self, new: &NewNote, parsed: Parsed) {
        if self.waits_for_bodies(&new.path) {
            return;
        }
        let Parsed::Note(note) = parsed else { return };
        if let Some(deferred) = &mut self.burst {
            deferred.paths.push(new.path.clone());
            return;
        }
        if self.vault.id_of_path(&new.path).is_some() || note.path != new.path {
            return;
        }
        let (id, _) = self.vault.add_note(*note);
        self.follow_renames();
        self.search.push_note(id, self.vault.note(id));
        self.cache.clear();
        self.rebuild_outline();
        self.refresh_links();
        self.sync();
    }

    /// How far the parse of a burst has come, for the status bar.
    pub fn on_batch_progress(&mut self, done: usize, total: usize) {
        self.info(format!(
            "Updating {}/{} notes…",
            page::thousands(done),
            page::thousands(total)
        ));
    }

    /// A burst applied to a copy of the vault off the UI thread: the copy
    /// is swapped in (a move), the picker's items of the notes it changed
    /// replaced, the outline and pages made again, and the open note shown
    /// again at the same line, or at its new path when it was renamed (a
    /// folder renamed by git). Changes seen meanwhile are taken in now.
    /// The vault it replaces is handed back, to be dropped off the UI
    /// thread too.
    #[must_use = "the old vault is dropped off the UI thread"]
    pub fn on_batch_built(&mut self, built: BatchBuilt) -> Vault {
        let Some(deferred) = self.burst.take() else {
            // A rescan started meanwhile: its load wins.
            return *built.vault;
        };
        let open = self.open_note().filter(|&id| !self.vault.is_removed(id));
        let line = open.map(|id| self.anchor_of(id));
        let old = std::mem::replace(&mut self.vault, *built.vault);
        let total = built.changes.len();
        // The picker's items of changed and removed notes go in one pass.
        let retired: std::collections::HashSet<NoteId> = built
            .changes
            .iter()
            .filter_map(|change| match *change {
                Change::Changed(id) | Change::Removed(id) => Some(id),
                Change::Added(_) => None,
            })
            .collect();
        self.search.retire_notes(&retired);
        for change in &built.changes {
            match *change {
                Change::Changed(id) | Change::Added(id) => {
                    self.texts.forget(id);
                    self.search.push_note(id, self.vault.note(id));
                }
                Change::Removed(id) => self.texts.forget(id),
            }
        }
        self.cache.clear();
        self.follow_renames();
        // The open note, at its new path when it went with its folder.
        let moved = open.and_then(|id| {
            self.vault
                .is_removed(id)
                .then(|| self.vault.renamed_to(id))
                .flatten()
        });
        let shown = moved.or(open.filter(|&id| !self.vault.is_removed(id)));
        if let Some(new) = moved {
            self.page = Page::Note(new);
        }
        self.rebuild_outline();
        if let (Some(id), Some(line)) = (shown, line) {
            self.reopen_at_line(id, line);
        }
        match (open, moved) {
            (Some(old_id), Some(new)) => self.info(format!(
                "Updated {} notes; {} moved to {}",
                page::thousands(total),
                sanitize(&old.note(old_id).path),
                sanitize(&self.vault.note(new).path)
            )),
            (Some(id), None) if self.vault.is_removed(id) => self.warn(format!(
                "{} was removed or renamed",
                sanitize(&self.vault.note(id).path)
            )),
            _ => self.info(format!("Updated {} notes", page::thousands(total))),
        }
        self.refresh_links();
        self.sync();
        if !deferred.paths.is_empty() || !deferred.folders.is_empty() {
            self.on_disk_changes(deferred);
        }
        old
    }

    /// The vault's files as found by a walk made once the watcher was up
    /// (path and modification time): a file created, changed or removed
    /// between the start-up walk and the watcher's start had no event, so
    /// what differs from the vault is taken in as if the watcher had seen
    /// it. A note whose time is not known is not compared by time.
    pub fn on_rewalk(&mut self, found: Vec<(String, Option<std::time::SystemTime>)>) {
        if !self.load.done {
            return;
        }
        let known: HashMap<&str, Option<std::time::SystemTime>> = self
            .vault
            .ids()
            .filter(|&id| !self.vault.is_removed(id))
            .map(|id| {
                let note = self.vault.note(id);
                (note.path.as_str(), note.modified)
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut paths: Vec<String> = Vec::new();
        for (path, modified) in &found {
            match known.get(path.as_str()) {
                None => paths.push(path.clone()),
                Some(&Some(was)) if modified.is_some_and(|now| now != was) => {
                    paths.push(path.clone());
                }
                Some(_) => {}
            }
            seen.insert(path.as_str());
        }
        paths.extend(
            known
                .keys()
                .filter(|path| !seen.contains(*path))
                .map(|path| (*path).to_owned()),
        );
        if paths.is_empty() {
            return;
        }
        paths.sort_unstable();
        self.on_disk_changes(crate::vault::watch::Touched {
            paths,
            folders: Vec::new(),
        });
    }

    /// The watcher could not start: said once; `r` and `R` still work.
    pub fn watch_failed(&mut self, why: &str) {
        self.warn(format!(
            "Not watching the vault for changes ({}); r and R read it again",
            sanitize(why)
        ));
    }

    /// `R`: the whole vault read again in the background, as at start-up;
    /// the open note is opened again at the same line when it arrives.
    /// Note ids are positions in the new load: history, recent notes and
    /// bookmarks are kept by path meanwhile.
    pub(super) fn rescan(&mut self) {
        if !self.load.settled() {
            self.info("The vault is still loading");
            return;
        }
        if let Some(id) = self.open_note()
            && !self.vault.is_removed(id)
        {
            self.pending_open = Some(self.vault.note(id).path.clone());
            self.pending_line = Some(self.anchor_of(id));
        }
        // A burst under way is overtaken by the load.
        self.burst = None;
        // Lists of notes by path, to be notes again when the load is done.
        self.saved = Some(self.snapshot(""));
        let mut vault = Vault::new(self.vault.root.clone());
        vault.time_options = self.vault.time_options;
        self.vault = vault;
        self.load = LoadProgress::default();
        self.search = crate::search::NoteSearch::new(std::sync::Arc::new(|| {}));
        self.fulltext = None;
        self.picker = None;
        self.find = None;
        self.channels_searchable = false;
        self.texts = texts::NoteTexts::default();
        self.cache.clear();
        self.arrival = None;
        self.history = History::default();
        self.recent.clear();
        self.bookmarks.clear();
        self.page = Page::Home;
        self.note = NoteView::default();
        self.outline = Outline::default();
        self.rebuild_outline();
        self.refresh_links();
        self.outbox.push(Effect::Rescan);
        self.info("Rescanning the vault…");
    }
}
