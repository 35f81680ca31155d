//! Keeping the index cache up to date while the browser runs: the watcher
//! brings changed notes into the open vault, and this saves the index again
//! in the background (at most every [`SAVE_EVERY`], and once more on quit),
//! so that the next start finds every note, and the resolved index, warm.
//!
//! A save runs on its own thread: it parses the changed files, keeps the
//! stored bytes of the rest, and writes the file (see
//! [`crate::vault::loader::refresh_index`]); it builds no second vault.
//! The resolved index it writes is the browser's own
//! ([`ResolvedOffer`], made on the UI thread a slice at a time between
//! frames before the save starts), kept
//! only when the files saved are exactly the notes it was made from (else
//! it is dropped, as it spoke of other notes, until the next save, a
//! command's load or [`save_resolved`] saves one again): so the next start
//! after browsing with changes hands the heads over at once.

use std::{
    path::PathBuf,
    thread::JoinHandle,
    time::{Duration, Instant},
};

use std::collections::HashMap;

use super::{IndexCache, Resolved, SaveEntry, SavedNote, resolved::VaultParts};
use crate::vault::{NoteId, Vault, loader::refresh_index};

mod offer;
use offer::same_file;
pub use offer::{OfferCapture, Progress, ResolvedOffer, SLICE};

/// The least time between two background saves.
pub const SAVE_EVERY: Duration = Duration::from_secs(5);

/// Saves a vault's index after its notes changed, debounced.
#[derive(Debug)]
pub struct Refresher {
    dir: PathBuf,
    root: PathBuf,
    every: Duration,
    /// Notes changed since the last save started.
    dirty: bool,
    last: Option<Instant>,
    running: Option<JoinHandle<()>>,
    /// A save was started this session (the file lost its resolved index).
    saved: bool,
    /// The resolved offer of the save that is due, made a slice at a
    /// time between frames; the save starts once it is made.
    capture: Option<OfferCapture>,
    /// The longest a tick works on the offer ([`SLICE`]).
    slice: Duration,
}

impl Refresher {
    /// For the vault at `root`, with its cache in `dir`.
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>, root: impl Into<PathBuf>) -> Self {
        Self::every(dir, root, SAVE_EVERY)
    }

    /// With another least time between saves (tests).
    #[must_use]
    pub fn every(dir: impl Into<PathBuf>, root: impl Into<PathBuf>, every: Duration) -> Self {
        Self {
            dir: dir.into(),
            root: root.into(),
            every,
            dirty: false,
            last: None,
            running: None,
            saved: false,
            capture: None,
            slice: SLICE,
        }
    }

    /// With another longest slice of work on the offer per tick (tests:
    /// zero, a few notes per tick).
    #[must_use]
    pub fn slices_of(mut self, slice: Duration) -> Self {
        self.slice = slice;
        self
    }

    /// Notes of the vault changed on disk.
    pub fn changed(&mut self) {
        self.dirty = true;
    }

    /// Starts a save when notes changed, none is under way and the last
    /// one started long enough ago. Call often (every few frames while
    /// [`Self::capturing`]); returns whether a save started. `vault` is the
    /// browser's vault once loading is over (`None` before): the save keeps
    /// the resolved index made of it if that fits the files saved. That
    /// offer is made first, a slice of at most [`SLICE`] per call, so that
    /// no frame waits for it; a vault changed meanwhile starts it again,
    /// and one that keeps changing for [`SAVE_EVERY`] is saved without.
    pub fn tick(&mut self, vault: Option<&Vault>) -> bool {
        if let Some(capture) = &mut self.capture {
            let offer = match vault.map(|vault| (vault, capture.step(vault, self.slice))) {
                Some((_, Progress::Going)) => return false,
                Some((_, Progress::Done(offer))) => offer,
                Some((vault, Progress::Stale))
                    if capture.age() < SAVE_EVERY && capture.restart(vault) =>
                {
                    return false;
                }
                _ => None,
            };
            self.capture = None;
            self.start(offer);
            return true;
        }
        let busy = self.running.as_ref().is_some_and(|h| !h.is_finished());
        let recent = self.last.is_some_and(|t| t.elapsed() < self.every);
        if !self.dirty || busy || recent {
            return false;
        }
        match vault.and_then(OfferCapture::new) {
            Some(capture) => {
                self.capture = Some(capture);
                self.tick(vault)
            }
            None => {
                self.start(None);
                true
            }
        }
    }

    /// A save waits for its resolved offer, made a slice per
    /// [`Self::tick`]: the caller should tick again soon.
    #[must_use]
    pub fn capturing(&self) -> bool {
        self.capture.is_some()
    }

    fn start(&mut self, offer: Option<ResolvedOffer>) {
        self.dirty = false;
        self.saved = true;
        self.last = Some(Instant::now());
        let (dir, root) = (self.dir.clone(), self.root.clone());
        self.running = Some(std::thread::spawn(move || {
            let cache = IndexCache::in_dir(dir);
            // A save that fails costs the next start time, nothing else.
            let _ = refresh_index(&root, &cache, offer.as_ref());
        }));
    }

    /// On quit: waits for a save under way, and saves what changed since
    /// (so no change is left for the next start to parse), keeping the
    /// resolved index of `vault` if it fits (see [`Self::tick`]; made in
    /// one go here: the UI is gone).
    pub fn finish(&mut self, vault: Option<&Vault>) {
        if let Some(running) = self.running.take() {
            let _ = running.join();
        }
        if self.dirty || self.capture.is_some() {
            self.capture = None;
            self.start(vault.and_then(ResolvedOffer::of));
            if let Some(running) = self.running.take() {
                let _ = running.join();
            }
        }
    }

    /// Whether a save was started this session (the index file then has
    /// no resolved index: [`save_resolved`] could give it one).
    #[must_use]
    pub fn saved(&self) -> bool {
        self.saved
    }
}

/// Saves the resolved index of a finished vault into its index file when
/// the file has none and its entries are exactly the vault's notes: the
/// same paths, and each note read from a file of the entry's size and
/// modification time (a note the watcher has not brought in yet, or one
/// changed since the file was written, stops it). Returns whether it
/// wrote. The file is rewritten with its entries' bytes as they are.
///
/// It reads the whole file back while the vault is in memory: the browser
/// does not call it on quit, since a cold start's peak went from 249 to
/// 385 MB on the real vault (the loader's own save overlapping). The
/// browser's loader calls it on a warm start that found no resolved
/// index, before it hands the vault over (the UI then holds only the
/// walk's notes); commands' loads save it too.
pub fn save_resolved(cache: &IndexCache, vault: &Vault) -> bool {
    let Ok(real_root) = vault.root.canonicalize() else {
        return false;
    };
    let stored = cache.open(&real_root);
    let index = stored.index();
    if !vault.complete || index.has_resolved() || index.paths.len() != vault.notes.len() {
        return false;
    }
    let by_path: HashMap<&str, NoteId> = vault
        .ids()
        .map(|id| (vault.note(id).path.as_str(), id))
        .collect();
    let mut order = Vec::with_capacity(index.paths.len());
    let mut save = Vec::with_capacity(index.paths.len());
    for &path in &index.paths {
        let (Some(&id), Some(entry)) = (by_path.get(path), index.entries.get(path)) else {
            return false;
        };
        let note = vault.note(id);
        let same_file = note.disk_path.is_none()
            && note.parsed
            && same_file(note.size, note.modified, &entry.stamp);
        if !same_file {
            return false;
        }
        order.push(id);
        save.push(SaveEntry {
            path,
            stamp: entry.stamp,
            note: SavedNote::Stored(*entry),
        });
    }
    // Written from the vault as the file is: never a copy of it whole.
    let Some(parts) = VaultParts::ordered(vault, order) else {
        return false;
    };
    cache
        .save(
            &real_root,
            save.iter().copied(),
            Some(Resolved::Parts(&parts)),
        )
        .is_ok()
}

#[cfg(test)]
mod tests {
    use std::{fs, time::SystemTime};

    use super::*;
    use crate::vault::{TimeOptions, load_cached};

    fn write_note(dir: &std::path::Path, name: &str, text: &str, age: u64) {
        let path = dir.join(name);
        fs::write(&path, text).expect("write note");
        let file = fs::File::options().write(true).open(&path).expect("open");
        let when = SystemTime::now() - Duration::from_secs(3600 + age);
        file.set_modified(when).expect("set time");
    }

    /// Ticks until the save starts (its offer made a slice per tick);
    /// false when a tick starts no save and none waits for its offer.
    fn saved_after_slices(refresher: &mut Refresher, vault: &Vault) -> bool {
        loop {
            if refresher.tick(Some(vault)) {
                return true;
            }
            if !refresher.capturing() {
                return false;
            }
        }
    }

    #[test]
    fn a_change_is_saved_in_the_background_and_the_next_load_is_warm() {
        let vault = tempfile::tempdir().expect("vault");
        let cache_dir = tempfile::tempdir().expect("cache");
        write_note(vault.path(), "a.md", "# Alpha\n\n[[b]]\n", 0);
        write_note(vault.path(), "b.md", "# Beta\n", 0);
        let cache = IndexCache::in_dir(cache_dir.path());
        load_cached(vault.path(), TimeOptions::default(), Some(&cache)).expect("loads");

        let mut refresher = Refresher::every(cache_dir.path(), vault.path(), Duration::MAX);
        assert!(!refresher.tick(None), "nothing changed: no save");
        write_note(vault.path(), "b.md", "# Beta two\n\n[[a]]\n", 5);
        refresher.changed();
        assert!(refresher.tick(None));
        refresher.changed();
        assert!(!refresher.tick(None), "the next save waits its turn");
        refresher.finish(None);

        let (loaded, timings) =
            load_cached(vault.path(), TimeOptions::default(), Some(&cache)).expect("loads");
        assert_eq!((timings.cache.hits, timings.cache.parsed), (2, 0));
        assert!(!timings.cache.resolved, "the notes changed: resolved again");
        let b = loaded.find_note("b.md").expect("b");
        assert_eq!(loaded.note(b).title, "Beta two");
        let a = loaded.find_note("a.md").expect("a");
        assert_eq!(loaded.backlinks(a).len(), 1);
    }

    #[test]
    fn a_background_save_keeps_the_browser_s_resolved_index_when_it_speaks_of_the_files_saved() {
        let vault = tempfile::tempdir().expect("vault");
        let cache_dir = tempfile::tempdir().expect("cache");
        write_note(vault.path(), "a.md", "# Alpha\n\n[[b]] and [[gone]]\n", 0);
        write_note(vault.path(), "b.md", "# Beta\n", 0);
        fs::create_dir(vault.path().join("sub")).expect("a folder");
        write_note(vault.path(), "sub/c.md", "# Gamma\n\n[[a#Alpha]]\n", 0);
        let cache = IndexCache::in_dir(cache_dir.path());
        load_cached(vault.path(), TimeOptions::default(), Some(&cache)).expect("loads");
        let lean = |cache: &IndexCache| {
            crate::vault::cache::lean::open(vault.path(), TimeOptions::default(), cache).is_some()
        };
        assert!(lean(&cache), "a command's load saved the resolved index");

        // The browser's vault, brought up to date by the watcher: as a
        // full load of the changed files.
        write_note(vault.path(), "b.md", "# Beta two\n\n[[sub/c]] [[a]]\n", 5);
        let browser = crate::vault::load(vault.path()).expect("loads");
        let mut refresher = Refresher::every(cache_dir.path(), vault.path(), Duration::MAX);
        refresher.changed();
        assert!(saved_after_slices(&mut refresher, &browser));
        refresher.finish(None);
        assert!(lean(&cache), "the next start hands the heads over at once");
        let (loaded, timings) =
            load_cached(vault.path(), TimeOptions::default(), Some(&cache)).expect("loads");
        assert_eq!((timings.cache.hits, timings.cache.parsed), (3, 0));
        assert!(
            timings.cache.resolved,
            "the resolved index came from the cache"
        );
        let full = crate::vault::load(vault.path()).expect("loads");
        for id in full.ids() {
            let (got, want) = (loaded.note(id), full.note(id));
            assert_eq!(got.path, want.path);
            let links =
                |n: &crate::vault::Note| n.links.iter().map(|l| l.resolution()).collect::<Vec<_>>();
            assert_eq!(links(got), links(want), "{}", want.path);
            assert_eq!(loaded.backlinks(id), full.backlinks(id), "{}", want.path);
        }
        assert_eq!(loaded.wanted.len(), full.wanted.len());

        // An offer made from notes the files no longer are is not kept.
        let stale = crate::vault::load(vault.path()).expect("loads");
        write_note(vault.path(), "a.md", "# Alpha\n\nno links now\n", 9);
        refresher.changed();
        refresher.finish(Some(&stale));
        assert!(!lean(&cache), "the resolved index spoke of other notes");
        let (loaded, timings) =
            load_cached(vault.path(), TimeOptions::default(), Some(&cache)).expect("loads");
        assert_eq!(timings.cache.parsed, 0, "the change itself was saved");
        assert!(!timings.cache.resolved);
        let b = loaded.find_note("b.md").expect("b");
        let a = loaded.find_note("a.md").expect("a");
        assert!(loaded.backlinks(b).is_empty(), "a links to b no more");
        assert_eq!(loaded.backlinks(a).len(), 2, "b and c link to a");
    }

    #[test]
    fn the_offer_made_over_many_ticks_is_made_again_when_the_vault_changes_meanwhile() {
        let vault = tempfile::tempdir().expect("vault");
        let cache_dir = tempfile::tempdir().expect("cache");
        for i in 0..600 {
            let text = format!(
                "# Note {i}\n\n[[n{:03}]] [[topic {}]]\n",
                (i + 1) % 600,
                i % 5
            );
            write_note(vault.path(), &format!("n{i:03}.md"), &text, 0);
        }
        let cache = IndexCache::in_dir(cache_dir.path());
        load_cached(vault.path(), TimeOptions::default(), Some(&cache)).expect("loads");
        write_note(vault.path(), "n000.md", "# Note zero\n\n[[n001]]\n", 5);
        let mut browser = crate::vault::load(vault.path()).expect("loads");
        let mut refresher = Refresher::every(cache_dir.path(), vault.path(), Duration::MAX)
            .slices_of(Duration::ZERO);
        refresher.changed();
        // 256 notes per tick at most: checked, then taken.
        assert!(!refresher.tick(Some(&browser)));
        assert!(!refresher.tick(Some(&browser)));
        assert!(refresher.capturing());
        // The vault changes (here: finished again) between two slices.
        let before = browser.revision();
        browser.finish();
        assert_ne!(browser.revision(), before);
        let mut ticks = 0;
        while !refresher.tick(Some(&browser)) {
            assert!(refresher.capturing(), "made again, not given up");
            ticks += 1;
        }
        // The tick that found the change, then from the first note: 600
        // checked, then taken, 256 a slice; the 5 topics; the tree's 600
        // notes, 256 a slice (the last saving).
        assert_eq!(
            ticks,
            1 + 3 + 3 + 1 + 2,
            "started again from the first note"
        );
        refresher.finish(None);
        let (loaded, timings) =
            load_cached(vault.path(), TimeOptions::default(), Some(&cache)).expect("loads");
        assert_eq!((timings.cache.hits, timings.cache.parsed), (600, 0));
        assert!(timings.cache.resolved, "the save kept the offer");
        let zero = loaded.find_note("n000.md").expect("n000");
        assert_eq!(loaded.note(zero).title, "Note zero");
    }

    #[test]
    fn without_a_change_quitting_saves_nothing() {
        let vault = tempfile::tempdir().expect("vault");
        let cache_dir = tempfile::tempdir().expect("cache");
        write_note(vault.path(), "a.md", "# Alpha\n", 0);
        let mut refresher = Refresher::new(cache_dir.path(), vault.path());
        refresher.finish(None);
        assert_eq!(fs::read_dir(cache_dir.path()).expect("dir").count(), 0);
    }
}
