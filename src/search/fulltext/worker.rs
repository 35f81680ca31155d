//! The background worker: jobs in, chunks of matches out, newer jobs win.

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    thread,
    time::SystemTime,
};

use rayon::prelude::*;

use crate::vault::Vault;

use super::{
    LIMIT,
    doc::{Doc, Reader, real_root},
    query::Query,
    results::{Message, NoteMatches},
    store::{self, TextStore},
};

/// Notes scanned in the first chunk; each next chunk is twice as big (up to
/// [`CHUNK_MAX`]), so the first results come early and later chunks pay
/// little for the hand-over.
const CHUNK_FIRST: usize = 256;
const CHUNK_MAX: usize = 4096;

struct Job {
    generation: u64,
    query: String,
    docs: Arc<[Doc]>,
    /// Only make the text store fresh (no search).
    prepare: bool,
}

/// A cheap sign of a vault's notes changing: their number, sizes, times,
/// body starts, titles' lengths and in-memory texts. The documents of the
/// last search are reused while it stays the same, so a keystroke does not
/// rebuild 20k of them on the UI thread.
fn fingerprint(vault: &Vault) -> u64 {
    vault
        .notes
        .iter()
        .fold(vault.notes.len() as u64, |h, note| {
            let time = note
                .modified
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64);
            let text = note.text.as_ref().map_or(0, |t| t.as_ptr() as u64);
            let parts = [
                note.size,
                time,
                note.body_start as u64,
                note.title.len() as u64,
                text,
            ];
            parts.iter().fold(h, |h, &x| {
                (h ^ x).wrapping_mul(0x0100_0000_01b3).rotate_left(5)
            })
        })
}

/// The background full-text searcher: one worker thread, fed jobs, sending
/// [`Message`]s back. Dropping it ends the worker.
pub struct FullText {
    jobs: mpsc::Sender<Job>,
    results: mpsc::Receiver<Message>,
    latest: Arc<AtomicU64>,
    generation: u64,
    /// The documents of the vault's last search, by its fingerprint.
    docs: Option<(u64, Arc<[Doc]>)>,
}

impl std::fmt::Debug for FullText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FullText")
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl FullText {
    /// Starts the worker. `notify` is called after each message is sent
    /// (from the worker thread): keep it tiny.
    #[must_use]
    pub fn spawn(notify: Arc<dyn Fn() + Send + Sync>) -> Self {
        Self::with_store(notify, None)
    }

    /// [`FullText::spawn`], keeping the notes' texts in a text store in
    /// `store_dir` (the index cache's folder; see [`super::store`]).
    #[must_use]
    pub fn with_store(notify: Arc<dyn Fn() + Send + Sync>, store_dir: Option<PathBuf>) -> Self {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (result_tx, results) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let worker_latest = Arc::clone(&latest);
        let texts = Texts {
            dir: store_dir,
            store: None,
        };
        thread::spawn(move || worker(&job_rx, &result_tx, &worker_latest, &*notify, texts));
        Self {
            jobs,
            results,
            latest,
            generation: 0,
            docs: None,
        }
    }

    /// Starts a new search, cancelling any running one; returns its
    /// generation. Messages of older generations may still arrive: compare.
    pub fn search(&mut self, docs: impl Into<Arc<[Doc]>>, query: &str) -> u64 {
        self.send(docs.into(), query, false)
    }

    fn send(&mut self, docs: Arc<[Doc]>, query: &str, prepare: bool) -> u64 {
        self.generation += 1;
        self.latest.store(self.generation, Ordering::Release);
        // A send fails only if the worker is gone; then nothing comes back
        // and the search simply shows no results.
        let _ = self.jobs.send(Job {
            generation: self.generation,
            query: query.to_owned(),
            docs,
            prepare,
        });
        self.generation
    }

    /// Searches every note of the vault (see [`FullText::search`]); the
    /// documents are built again only when the notes changed.
    pub fn search_vault(&mut self, vault: &Vault, query: &str) -> u64 {
        let docs = self.docs_of(vault);
        self.search(docs, query)
    }

    /// Makes the text store hold the vault's notes as they are now (in the
    /// background; a search cancels it). Its generation ends with a
    /// [`Message::Done`].
    pub fn prepare_vault(&mut self, vault: &Vault) -> u64 {
        let docs = self.docs_of(vault);
        self.send(docs, "", true)
    }

    fn docs_of(&mut self, vault: &Vault) -> Arc<[Doc]> {
        let print = fingerprint(vault);
        match &self.docs {
            Some((known, docs)) if *known == print => Arc::clone(docs),
            _ => {
                // Collected straight into the shared slice: `Vec::into`
                // copied it, both alive at once (the warm start's peak).
                let docs: Arc<[Doc]> = Doc::shared(vault);
                self.docs = Some((print, Arc::clone(&docs)));
                docs
            }
        }
    }

    /// The vault was loaded again: its notes may differ even where their
    /// sizes and times do not, so the next search builds its documents
    /// afresh and looks at every note (not only those that matched the
    /// same query before).
    pub fn forget_documents(&mut self) {
        self.docs = None;
    }

    /// Cancels the running search (the picker closed).
    pub fn cancel(&mut self) {
        self.generation += 1;
        self.latest.store(self.generation, Ordering::Release);
    }

    /// The generation of the newest search.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// A message, if one is waiting.
    #[must_use]
    pub fn try_recv(&self) -> Option<Message> {
        self.results.try_recv().ok()
    }

    /// Waits for the next message (tests); `None` if the worker is gone.
    #[must_use]
    pub fn recv(&self) -> Option<Message> {
        self.results.recv().ok()
    }
}

// Long: the job loop: narrowing, chunking and cancellation share its state.
fn worker(
    jobs: &mpsc::Receiver<Job>,
    results: &mpsc::Sender<Message>,
    latest: &AtomicU64,
    notify: &(dyn Fn() + Send + Sync),
    mut texts: Texts,
) {
    let send = |message: Message| {
        let ok = results.send(message).is_ok();
        notify();
        ok
    };
    let mut last: Option<LastSearch> = None;
    while let Ok(mut job) = jobs.recv() {
        // Only the newest waiting job matters.
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let generation = job.generation;
        let current = || latest.load(Ordering::Acquire) == generation;
        if !current() {
            continue;
        }
        let real_root = real_root(job.docs.iter());
        let store = texts.open(real_root.as_ref());
        if job.prepare {
            if let Some((_, real)) = &real_root {
                texts.prepare(real, store.as_deref(), &job.docs, &current);
            }
            if current()
                && !send(Message::Done {
                    generation,
                    truncated: false,
                })
            {
                return;
            }
            continue;
        }
        let mut query = Query::parse(&job.query);
        // Rarity over all the notes (before any narrowing below).
        query.weigh(job.docs.iter().map(|d| &*d.title));
        let searched = job.docs.len();
        let docs = in_search_order(&job.docs, &query, last.as_ref());
        let reader = Reader {
            real_root,
            store,
            ..Reader::default()
        };
        let mut matched_notes = vec![false; searched];
        let mut matched = 0;
        let mut cancelled = false;
        let mut rest = docs.as_slice();
        let mut chunk = CHUNK_FIRST;
        while !rest.is_empty() {
            if !current() {
                cancelled = true;
                break;
            }
            let (now, later) = rest.split_at(chunk.min(rest.len()));
            rest = later;
            chunk = (chunk * 2).min(CHUNK_MAX);
            let mut notes: Vec<NoteMatches> = now
                .par_iter()
                .filter_map(|doc| {
                    if current() {
                        query.scan(doc, &reader)
                    } else {
                        None
                    }
                })
                .collect();
            if notes.is_empty() {
                continue;
            }
            matched += notes.len();
            for m in &notes {
                if let Some(seen) = matched_notes.get_mut(m.note.index()) {
                    *seen = true;
                }
            }
            notes.sort_unstable_by_key(NoteMatches::rank);
            notes.truncate(LIMIT);
            if !send(Message::Notes { generation, notes }) {
                return;
            }
        }
        if cancelled || !current() {
            continue;
        }
        last = Some(LastSearch {
            query,
            docs: Arc::clone(&job.docs),
            matched: matched_notes,
        });
        if !send(Message::Done {
            generation,
            truncated: matched > LIMIT,
        }) {
            return;
        }
        // Many notes read from their files: the store is missing or stale;
        // written now, while the user reads the results (a new search
        // stops it).
        if reader.from_files.load(Ordering::Relaxed) > stale_limit(searched)
            && let Some((_, real)) = &reader.real_root
        {
            texts.write(real, &job.docs, &current);
        }
    }
}

/// The last search that ran to its end.
struct LastSearch {
    query: Query,
    /// The documents it searched (the same `Arc` while the vault's notes
    /// are unchanged).
    docs: Arc<[Doc]>,
    /// Which of them matched (by note index).
    matched: Vec<bool>,
}

/// The notes a search looks at, in the order it looks: typing on narrows
/// the query, so only the notes that matched before can match now (when
/// the documents are the very same ones: a vault read again, even with
/// every note's size and time alike, searches all its notes); notes with a term in their title rank
/// first, so they are searched first and the first results shown are the
/// best ones.
fn in_search_order<'d>(
    all: &'d Arc<[Doc]>,
    query: &Query,
    last: Option<&LastSearch>,
) -> Vec<&'d Doc> {
    let mut docs: Vec<&Doc> = all.iter().collect();
    if let Some(last) = last
        && Arc::ptr_eq(&last.docs, all)
        && query.narrows(&last.query)
    {
        docs.retain(|d| last.matched.get(d.note.index()).copied().unwrap_or(true));
    }
    let (mut titled, others): (Vec<&Doc>, Vec<&Doc>) =
        docs.into_iter().partition(|d| query.in_title(&d.title));
    titled.extend(others);
    titled
}

/// Notes the store may miss before it is written again (2%): a few
/// changed notes are read from their files, a stale store is not kept.
fn stale_limit(notes: usize) -> usize {
    notes / 50
}

/// The worker's text store: where it lives, and the one opened.
struct Texts {
    dir: Option<PathBuf>,
    store: Option<Arc<TextStore>>,
}

impl Texts {
    /// The store of the vault at `real_root`, opened if not yet.
    fn open(&mut self, real_root: Option<&(PathBuf, PathBuf)>) -> Option<Arc<TextStore>> {
        let (dir, (_, real)) = (self.dir.as_ref()?, real_root?);
        if self.store.as_ref().is_none_or(|s| s.root() != real) {
            self.store = TextStore::open(dir, real).map(Arc::new);
        }
        self.store.clone()
    }

    /// Writes the store when it is missing or misses more than
    /// [`stale_limit`] of `docs` (by the index's stamps).
    fn prepare(
        &mut self,
        real: &Path,
        store: Option<&TextStore>,
        docs: &[Doc],
        go_on: &(dyn Fn() -> bool + Sync),
    ) {
        let missing = store.map(|s| docs.len() - s.covers(docs));
        if missing.is_none_or(|n| n > stale_limit(docs.len())) {
            self.write(real, docs, go_on);
        }
    }

    /// Writes the store again from `docs` and opens it. A folder that
    /// cannot be written is not tried again.
    fn write(&mut self, real: &Path, docs: &[Doc], go_on: &(dyn Fn() -> bool + Sync)) {
        let Some(dir) = self.dir.clone() else { return };
        // The old file is replaced: let it go first.
        self.store = None;
        match store::write(&dir, real, docs, go_on) {
            Ok(_) => self.store = TextStore::open(&dir, real).map(Arc::new),
            Err(_) => self.dir = None,
        }
    }
}
