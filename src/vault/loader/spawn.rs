//! Loading on a background thread, in batches sent to the UI.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    thread::JoinHandle,
    time::SystemTime,
};

use rayon::prelude::*;

use super::{
    LoadEvent,
    load::{cached_note, parse_for_cache, parse_read_for_cache},
    read::{
        DiskVault, HEAD_BYTES, Source, note_from_read, read_file, read_title, title_from_head,
        with_read_file,
    },
    save::save_index,
    walk::walk,
    warm_start::warm_on_the_pool,
};
use crate::vault::{
    Note, Vault,
    cache::{
        self, CacheReport, FileStamp, IndexCache,
        fill::{Encoded, encode},
        resolved::{ResolvedIndex, SectionParts, Snapshot},
    },
};

/// How many notes go in one message to the UI: small enough that the first
/// notes show at once, large enough that a 100,000-note vault is not 100,000
/// messages.
const BATCH: usize = 256;

/// Tells the UI how many notes the walk found and what it could not read;
/// the files to load, or `None` once nobody listens.
fn announce(walk: super::Walk, send: &impl Fn(LoadEvent) -> bool) -> Option<Vec<super::FoundFile>> {
    let found = send(LoadEvent::Found {
        notes: walk.files.len(),
    });
    (found && announce_paths(&walk.files, walk.problems, send)).then_some(walk.files)
}

/// The walk's paths and problems, after `Found` (see [`announce`]), of
/// `files` the caller keeps; false once nobody listens.
fn announce_paths(
    files: &[super::FoundFile],
    problems: Vec<super::VaultProblem>,
    send: &impl Fn(LoadEvent) -> bool,
) -> bool {
    let paths = files.iter().map(|f| f.relative.clone()).collect();
    if !send(LoadEvent::Paths(paths)) {
        return false;
    }
    for problem in problems {
        send(LoadEvent::Problem(problem));
    }
    true
}

/// A batch handed over (`Ok`), or the receiver gone (`Err`, which stops a
/// parallel pass at its next batch).
fn delivered(sent: bool) -> Result<(), ()> {
    if sent { Ok(()) } else { Err(()) }
}

/// Loads a vault on a background thread, sending events to `send` as notes
/// are read. `send` returns false when the receiver is gone, which stops the
/// load early (quitting during loading is instant).
pub fn spawn(
    root: PathBuf,
    send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static,
) -> JoinHandle<()> {
    spawn_from(DiskVault(root), send)
}

/// [`spawn`] over any [`Source`].
pub fn spawn_from(
    source: impl Source,
    send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let walk = match source.list() {
            Ok(walk) => walk,
            Err(error) => {
                send(LoadEvent::Failed(error.to_string()));
                return;
            }
        };
        let Some(files) = announce(walk, &send) else {
            return;
        };
        let _kept = super::folder_open::KeptFolders::keep();
        // `send` fails once the receiver is gone (the user quit): every
        // pass stops at its next batch then.
        let titles = files
            .par_chunks(BATCH * 4)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|file| {
                        title_from_head(file, &source.head(file, HEAD_BYTES).unwrap_or_default())
                    })
                    .collect::<Vec<_>>()
            })
            .try_for_each(|batch| delivered(send(LoadEvent::Titles(batch))));
        if titles.is_err() {
            return;
        }
        let parsed = files
            .par_chunks(BATCH)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|file| note_from_read(file, source.read_note_file(file)))
                    .collect::<Vec<_>>()
            })
            .try_for_each(|batch| delivered(send(LoadEvent::Notes(batch))));
        if parsed.is_ok() {
            send(LoadEvent::Done);
        }
    })
}

/// [`spawn`] through the index cache: the notes of unchanged files go to
/// the UI first, in `Notes` batches (they are complete, so they need no
/// title pass); the other files then go as with [`spawn`] (`Titles`, then
/// `Notes`), and `Done`. The same events, so the UI cannot tell the
/// difference but for speed. The cache is saved after `Done`, when
/// anything changed.
pub fn spawn_cached(
    root: PathBuf,
    cache: IndexCache,
    send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static,
) -> JoinHandle<()> {
    spawn_through_cache(root, cache, send, false)
}

/// The browser's loader: [`spawn_cached`], except that when every note is
/// unchanged the whole vault is built and finished on the loader's thread
/// (links, backlinks and tree from the cache's resolved index, or resolved
/// here when it has none, which is then saved for the next start) and
/// handed over in one [`LoadEvent::Indexed`] after the walk's events,
/// instead of 21,000 notes for the UI thread to take in and finish. When
/// the cache holds the resolved index, the vault of the notes' heads is
/// handed over without the walk's paths before it (`Found`, the walk's
/// problems, then `Indexed`): see [`hand_over_heads`].
pub fn spawn_indexed(
    root: PathBuf,
    cache: IndexCache,
    send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static,
) -> JoinHandle<()> {
    spawn_through_cache(root, cache, send, true)
}

#[allow(
    clippy::too_many_lines,
    reason = "the cached load's phases in order; to split with the index cache work (issue 15)"
)]
fn spawn_through_cache(
    root: PathBuf,
    cache: IndexCache,
    send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static,
    hand_over: bool,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let load_started = SystemTime::now();
        // On one of the pool's threads too (see [`warm_on_the_pool`]): its
        // list, freed once the notes have their paths, is then memory the
        // bodies take again, not a hole of some 18 MB at 100,000 notes in
        // this thread's malloc arena.
        let walk = match rayon::scope(|_| walk(&root)) {
            Ok(walk) => walk,
            Err(error) => {
                send(LoadEvent::Failed(error.to_string()));
                return;
            }
        };
        let Ok(real_root) = root.canonicalize() else {
            send(LoadEvent::Failed(format!(
                "cannot open vault {}",
                root.display()
            )));
            return;
        };
        let super::Walk { files, problems } = walk;
        if !send(LoadEvent::Found { notes: files.len() }) {
            return;
        }
        let (files, problems) = if hand_over {
            match warm_on_the_pool(&root, &real_root, files, problems, &cache, &send) {
                Some(walked) => walked,
                None => return,
            }
        } else {
            (files, problems)
        };
        if !announce_paths(&files, problems, &send) {
            return;
        }
        let stored = cache.open(&real_root);
        let index = stored.index();
        let entries = &index.entries;
        let hits = if hand_over {
            // Every note decoded first: when none changed, the whole vault
            // is built here and handed over.
            let notes: Vec<Option<Note>> = files
                .par_iter()
                .map(|file| cached_note(entries, file))
                .collect();
            if notes.iter().all(Option::is_some) && entries.len() == files.len() {
                let offer = index
                    .resolved_if_whole(files.iter().map(|f| f.relative.as_str()))
                    .map(|snapshot| ResolvedIndex {
                        paths: files.iter().map(|f| f.relative.clone()).collect(),
                        snapshot,
                    });
                let had_resolved = offer.is_some();
                // The cache file is let go before the vault is finished and
                // the picker's items are built (peak memory).
                drop(index);
                drop(stored);
                let notes = notes.into_iter().flatten().collect();
                let vault = whole_vault(&root, notes, offer);
                if !had_resolved {
                    // The browser's own starts then hand over the notes'
                    // heads (which needs the resolved index) without a
                    // command having run first. Saved here, before the
                    // hand-over, while the UI holds only the walk's notes
                    // (saved beside the UI's vault, it went to 293 MB).
                    cache::refresh::save_resolved(&cache, &vault);
                }
                send(LoadEvent::Indexed(vault));
                return;
            }
            if notes.iter().all(Option::is_none) {
                // A cold start (no cache, or every note changed): built
                // here too, from the notes parsed.
                drop(index);
                drop(stored);
                hand_over_parsed(&root, &real_root, &files, &cache, load_started, &send);
                return;
            }
            // Some note changed: the unchanged ones go as they are, the
            // others below, as without the hand-over.
            send_decoded(notes, &send)
        } else {
            // Unchanged notes, decoded and sent batch by batch; the indexes
            // of the files they came from are kept for the save.
            files
                .par_chunks(BATCH)
                .enumerate()
                .map(|(chunk_at, chunk)| {
                    let mut found = Vec::new();
                    let mut batch = Vec::new();
                    for (i, file) in chunk.iter().enumerate() {
                        if let Some(note) = cached_note(entries, file) {
                            found.push(chunk_at * BATCH + i);
                            batch.push(note);
                        }
                    }
                    if batch.is_empty() || send(LoadEvent::Notes(batch)) {
                        Ok(found)
                    } else {
                        Err(())
                    }
                })
                .collect::<Result<Vec<Vec<usize>>, ()>>()
        };
        let Ok(hits) = hits else {
            return;
        };
        let mut is_hit = vec![false; files.len()];
        for i in hits.into_iter().flatten() {
            is_hit[i] = true;
        }
        let misses: Vec<usize> = (0..files.len()).filter(|&i| !is_hit[i]).collect();
        let titles = misses.par_chunks(BATCH * 4).try_for_each(|chunk| {
            let batch = chunk.iter().map(|&i| read_title(&files[i])).collect();
            delivered(send(LoadEvent::Titles(batch)))
        });
        if titles.is_err() {
            return;
        }
        let parsed = misses
            .par_chunks(BATCH)
            .map(|chunk| {
                let mut saved = Vec::new();
                let mut batch = Vec::with_capacity(chunk.len());
                for &i in chunk {
                    let file = &files[i];
                    let parsed = parse_for_cache(file, read_file(&file.path), load_started, true);
                    if let Some(entry) = parsed.saved {
                        saved.push((i, entry));
                    }
                    batch.push(parsed.note);
                }
                if send(LoadEvent::Notes(batch)) {
                    Ok(saved)
                } else {
                    Err(())
                }
            })
            .collect::<Result<Vec<_>, ()>>();
        let Ok(parsed) = parsed else {
            return;
        };
        let removed = entries.len() - (files.len() - misses.len());
        let snapshot = (misses.is_empty() && removed == 0)
            .then(|| index.resolved_if_whole(files.iter().map(|f| f.relative.as_str())))
            .flatten();
        if let Some(snapshot) = snapshot {
            send(LoadEvent::Resolved(Box::new(ResolvedIndex {
                paths: files.iter().map(|f| f.relative.clone()).collect(),
                snapshot,
            })));
        }
        send(LoadEvent::Done);
        let fresh: HashMap<usize, (FileStamp, Option<Vec<u8>>)> =
            parsed.into_iter().flatten().collect();
        let taken = super::save::taken_entries(&files, entries, |i| is_hit[i]);
        let mut report = CacheReport {
            state: stored.state,
            hits: taken.len(),
            parsed: misses.len(),
            removed: entries.len() - taken.len(),
            ..CacheReport::default()
        };
        save_index(
            &cache,
            &real_root,
            &files,
            &taken,
            &fresh,
            |_| None,
            None,
            &mut report,
        );
    })
}

/// The browser's cold start (no note unchanged in the cache): the title
/// pass as without the cache (every title in the picker at once), then
/// every note read and parsed on the loader's cores, and the vault built
/// and finished here as `check` loads it, handed over in one
/// [`LoadEvent::Indexed`] (the UI thread took in 21,000 notes batch by
/// batch, then resolved them, while the loader competed for the cores).
/// The index file is filled as the notes are parsed (see [`fill_blocks`])
/// and completed after the hand-over, with the resolved index, so that the
/// next start hands the notes' heads over.
fn hand_over_parsed(
    root: &Path,
    real_root: &Path,
    files: &[super::FoundFile],
    cache: &IndexCache,
    load_started: SystemTime,
    send: &(impl Fn(LoadEvent) -> bool + Sync),
) {
    // The folders kept open are closed at the end (after the hand-over,
    // which must not wait for the pool's threads to let them go).
    let _kept = super::folder_open::KeptFolders::keep();
    let titles = files.par_chunks(BATCH * 4).try_for_each(|chunk| {
        delivered(send(LoadEvent::Titles(
            chunk.iter().map(read_title).collect(),
        )))
    });
    if titles.is_err() {
        return;
    }
    let (blocks, written) = std::sync::mpsc::sync_channel(2);
    std::thread::scope(|scope| {
        // The file is written beside the parse, a block at a time; with no
        // file to fill (the cache's folder cannot be made) nothing is
        // encoded.
        let writer = cache.fill(real_root).map(|mut fill| {
            scope.spawn(move || {
                for (i, stamp, note) in written.into_iter().flatten() {
                    fill.put(i, stamp, &note);
                }
                fill
            })
        });
        let notes = fill_blocks(files, load_started, writer.is_some().then_some(&blocks));
        drop(blocks);
        let mut vault = Vault::new(root);
        vault.take_notes(notes);
        // The notes are the walk's, in its order: by path.
        vault.finish_in(true);
        // Only what the file needs is taken from the vault before it goes;
        // it is encoded after the hand-over, off the way to the first
        // frame of the index.
        let snapshot = writer.is_some().then(|| Snapshot::of(&vault)).flatten();
        if !send(LoadEvent::Indexed(Box::new(vault))) {
            return;
        }
        // Written a note's part at a time into the file: never encoded whole.
        let resolved = snapshot
            .as_ref()
            .map(|s| cache::Resolved::Parts(s as &dyn SectionParts));
        if let Some(Ok(fill)) = writer.map(|w| w.join()) {
            let paths: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
            fill.finish(&paths, resolved);
        }
    });
}

/// How many notes are parsed between two writes to the index file.
const FILL_BLOCK: usize = 1024;

/// A block's notes for the index file: walk index, stamp, encoded note.
type FilledBlock = Vec<(usize, FileStamp, Encoded)>;

/// Every note of `files` read and parsed on the loader's cores, in the
/// walk's order, a block at a time; with `blocks` (the index file's
/// writer), each block's notes that may be cached go to it encoded, in
/// order.
fn fill_blocks(
    files: &[super::FoundFile],
    load_started: SystemTime,
    blocks: Option<&std::sync::mpsc::SyncSender<FilledBlock>>,
) -> Vec<Note> {
    let mut notes = Vec::with_capacity(files.len());
    for (b, block) in files.chunks(FILL_BLOCK).enumerate() {
        let (mut parsed, encoded): (Vec<Note>, Vec<_>) = block
            .par_iter()
            .enumerate()
            .map(|(j, file)| {
                with_read_file(&file.path, |read| {
                    let parsed = parse_read_for_cache(file, read, load_started, false);
                    let encoded =
                        parsed
                            .saved
                            .filter(|_| blocks.is_some())
                            .and_then(|(stamp, _)| {
                                Some((b * FILL_BLOCK + j, stamp, encode(&parsed.note)?))
                            });
                    (parsed.note, encoded)
                })
            })
            .unzip();
        notes.append(&mut parsed);
        if let Some(blocks) = blocks {
            // A writer gone (it cannot fail) costs the next start time only.
            let _ = blocks.send(encoded.into_iter().flatten().collect());
        }
    }
    notes
}

/// Sends notes decoded from the cache in batches; the indexes (in the
/// walk's order) of those there were.
fn send_decoded(
    notes: Vec<Option<Note>>,
    send: &impl Fn(LoadEvent) -> bool,
) -> Result<Vec<Vec<usize>>, ()> {
    let found: Vec<usize> = (0..notes.len()).filter(|&i| notes[i].is_some()).collect();
    let mut batch = Vec::with_capacity(BATCH);
    for note in notes.into_iter().flatten() {
        batch.push(note);
        if batch.len() == BATCH && !send(LoadEvent::Notes(std::mem::take(&mut batch))) {
            return Err(());
        }
    }
    if !batch.is_empty() && !send(LoadEvent::Notes(batch)) {
        return Err(());
    }
    Ok(vec![found])
}

/// Every note came unchanged from the cache (and no file was removed):
/// the vault, built in the walk's order (so its ids are those the walk's
/// paths were given) and finished, from the cache's resolved index when it
/// has one (`offer`), else resolved here. (A resolved index worked out
/// here is not saved: writing the cache while the UI takes the vault in
/// went past the memory budget; `vidwiki check` or any other command
/// saves it.)
fn whole_vault(
    root: &std::path::Path,
    notes: Vec<Note>,
    offer: Option<ResolvedIndex>,
) -> Box<Vault> {
    let mut vault = Vault::new(root);
    vault.notes.reserve(notes.len());
    for note in notes {
        vault.add(note);
    }
    if let Some(offer) = offer {
        vault.offer_resolved(offer);
    }
    // Resolved here when the offer does not fit (or none was made).
    vault.finish();
    Box::new(vault)
}
