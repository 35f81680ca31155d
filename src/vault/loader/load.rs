//! Loading on the calling thread, with or without the index cache.

use std::{
    collections::HashMap,
    fs,
    path::Path,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant, SystemTime},
};

use rayon::prelude::*;

use super::{
    FoundFile, LoadError,
    read::{FileRead, note_from_read_ref, with_read_file},
    save::{save_with_resolved, taken_entries},
    walk::walk,
};
use crate::vault::{
    KeyIndex, Note, Vault,
    cache::{
        self, CacheReport, CacheState, FileStamp, IndexCache, StoredEntry,
        stream::BodyEntry as StreamedEntry,
    },
    resolve::NoteKeys,
    time_format::TimeOptions,
    tree::{NoteOrder, OrderKey},
};

/// Loads a whole vault on the calling thread (reading in parallel) and
/// finishes it. For the command line.
pub fn load(root: &Path) -> Result<Vault, LoadError> {
    load_timed(root, TimeOptions::default()).map(|(vault, _)| vault)
}

/// Where the time of a load went, for `vidwiki check --timings`.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadTimings {
    pub walk: Duration,
    /// Reading and parsing run together, file by file, on every core; the
    /// wall time of that phase is split by the share each had of the
    /// measured per-file time.
    pub read: Duration,
    pub parse: Duration,
    pub finish: crate::vault::FinishTimings,
    /// How the index cache was used (state `Off` without one).
    pub cache: CacheReport,
}

/// [`load`], with the time of each phase, reading times under `times`.
pub fn load_timed(root: &Path, times: TimeOptions) -> Result<(Vault, LoadTimings), LoadError> {
    let started = Instant::now();
    let walk = walk(root)?;
    let walked = started.elapsed();
    let read_nanos = AtomicU64::new(0);
    let parse_nanos = AtomicU64::new(0);
    let started = Instant::now();
    let kept = super::folder_open::KeptFolders::keep();
    // Each note's keys and order key are computed as it is parsed, on its
    // thread (where its title and path are in cache).
    let files = &walk.files;
    let (notes, keyed): (Vec<Note>, Vec<(NoteKeys, OrderKey)>) = files
        .par_iter()
        .enumerate()
        .map(|(i, file)| {
            let t0 = Instant::now();
            with_read_file(&file.path, |read| {
                let t1 = Instant::now();
                let note = note_from_read_ref(file, read);
                let keys = KeyIndex::keys_of(&note);
                let previous = i.checked_sub(1).map(|p| files[p].relative.as_str());
                let order = OrderKey::of(&note, previous);
                read_nanos.fetch_add(nanos(t1 - t0), Ordering::Relaxed);
                parse_nanos.fetch_add(nanos(t1.elapsed()), Ordering::Relaxed);
                (note, (keys, order))
            })
        })
        .unzip();
    drop(kept);
    let read_and_parse = started.elapsed();
    let (read, parse) = (read_nanos.into_inner(), parse_nanos.into_inner());
    let read_share = if read + parse == 0 {
        0.5
    } else {
        read as f64 / (read + parse) as f64
    };
    let mut vault = Vault::new(root);
    vault.time_options = times;
    vault.problems = walk.problems;
    let order = NoteOrder::from_keys(keyed.iter().map(|(_, order)| *order).collect());
    vault.take_keyed_notes(notes, keyed.iter().map(|(keys, _)| keys));
    drop(keyed);
    // The notes are the walk's, in its order: by path.
    let finish = vault.finish_ordered(true, Some(order));
    let timings = LoadTimings {
        walk: walked,
        read: read_and_parse.mul_f64(read_share),
        parse: read_and_parse.mul_f64(1.0 - read_share),
        finish,
        cache: CacheReport::default(),
    };
    Ok((vault, timings))
}

/// A note parsed in this load, with what the cache needs to keep it.
pub(super) struct Parsed {
    pub(super) note: Note,
    /// The stamp, when the note may be cached, and its encoding when it
    /// was asked for.
    pub(super) saved: Option<(FileStamp, Option<Vec<u8>>)>,
}

/// Reads and parses one file; keeps the file's stamp when it is old
/// enough to be trusted to the cache (see [`cache::RACY_MARGIN`]), and
/// encodes the note then if `encode` (when it will not be at hand at save
/// time).
pub(super) fn parse_for_cache(
    file: &FoundFile,
    read: std::io::Result<FileRead>,
    started: SystemTime,
    encode: bool,
) -> Parsed {
    parse_read_for_cache(file, read.as_ref(), started, encode)
}

/// [`parse_for_cache`] of a read borrowed (from [`with_read_file`]).
pub(super) fn parse_read_for_cache(
    file: &FoundFile,
    read: Result<&FileRead, &std::io::Error>,
    started: SystemTime,
    encode: bool,
) -> Parsed {
    let stamp = read.ok().and_then(|r| r.stamp);
    let note = note_from_read_ref(file, read);
    let saved = stamp
        .filter(|stamp| file.disk_path().is_none() && cache::cacheable(stamp, started))
        .and_then(|stamp| {
            if encode {
                Some((stamp, Some(cache::encode_note(&note)?)))
            } else {
                Some((stamp, None))
            }
        });
    Parsed { note, saved }
}

/// The cached note of a file, when the file is unchanged since.
pub(super) fn cached_note(
    entries: &HashMap<&str, StoredEntry<'_>>,
    file: &FoundFile,
) -> Option<Note> {
    if file.disk_path().is_some() {
        return None;
    }
    let entry = entries.get(file.relative.as_str())?;
    let stamp = FileStamp::of(&fs::metadata(&file.path).ok()?);
    entry.note_if_fresh(&file.relative, &stamp)
}

/// [`load_timed`] through the index cache: notes of unchanged files come
/// from it, the others are read and parsed, and the cache is saved again
/// when anything changed. Without a cache, exactly [`load_timed`].
// Long: phases in order (walk, cache lookup, parse misses, build, save) sharing their locals.
pub fn load_cached(
    root: &Path,
    times: TimeOptions,
    cache: Option<&IndexCache>,
) -> Result<(Vault, LoadTimings), LoadError> {
    let Some(cache) = cache else {
        return load_timed(root, times);
    };
    let load_started = SystemTime::now();
    let started = Instant::now();
    let walk = walk(root)?;
    let real_root = root.canonicalize().map_err(|source| LoadError::Open {
        path: root.display().to_string(),
        source,
    })?;
    let walked = started.elapsed();
    if times == TimeOptions::default() {
        return Ok(load_streamed(
            root,
            cache,
            walk,
            &real_root,
            load_started,
            walked,
        ));
    }

    let started = Instant::now();
    let stored = cache.open(&real_root);
    let index = stored.index();
    let entries = &index.entries;
    let mut notes: Vec<Option<Note>> = walk
        .files
        .par_iter()
        .map(|file| cached_note(entries, file))
        .collect();
    let mut report = CacheReport {
        state: stored.state,
        hits: notes.iter().filter(|n| n.is_some()).count(),
        read: started.elapsed(),
        ..CacheReport::default()
    };
    // Only entries this load took are saved again as they are.
    let taken = taken_entries(&walk.files, entries, |i| notes[i].is_some());
    report.removed = entries.len() - taken.len();

    // Under the default time options the vault keeps notes as parsed, and
    // they are encoded as the cache is written; under others the vault
    // reads their times again, so they are encoded now.
    let encode_now = times != TimeOptions::default();
    let (parsed, read, parse) = parse_misses(&walk.files, &notes, load_started, encode_now);
    report.parsed = parsed.len();
    let mut fresh = HashMap::with_capacity(parsed.len());
    for (i, Parsed { note, saved }) in parsed {
        notes[i] = Some(note);
        if let Some(saved) = saved {
            fresh.insert(i, saved);
        }
    }
    let mut vault = Vault::new(root);
    vault.time_options = times;
    vault.problems = walk.problems;
    vault.take_notes(gathered_in_place(notes));
    let snapshot = (report.parsed == 0 && report.removed == 0)
        .then(|| index.resolved_if_whole(walk.files.iter().map(|f| f.relative.as_str())))
        .flatten();
    let finish = finish_from_cache(&mut vault, snapshot, &mut report);
    save_with_resolved(cache, &real_root, &taken, &fresh, &vault, &mut report);
    let timings = LoadTimings {
        walk: walked,
        read,
        parse,
        finish,
        cache: report,
    };
    Ok((vault, timings))
}

/// [`load_cached`] under the default time options (the notes kept are
/// then the notes as parsed, and are encoded again for a save): the index
/// file is not read whole but its bodies a piece at a time (see
/// [`cache::stream`]), so it never sits beside the decoded notes.
fn load_streamed(
    root: &Path,
    cache: &IndexCache,
    mut walk: super::Walk,
    real_root: &Path,
    load_started: SystemTime,
    walked: Duration,
) -> (Vault, LoadTimings) {
    let started = Instant::now();
    let stored = cache.open_streamed(real_root);
    let table = stored.table();
    let wanted: Vec<(usize, &str, StreamedEntry)> = walk
        .files
        .iter()
        .enumerate()
        .filter(|(_, file)| file.disk_path().is_none())
        .filter_map(|(i, file)| {
            let path = file.relative.as_str();
            table.get(i, path).map(|entry| (i, path, entry))
        })
        .collect();
    let mut notes: Vec<Option<Note>> = Vec::with_capacity(walk.files.len());
    notes.resize_with(walk.files.len(), || None);
    // Notes taken from the cache, with their stamps (for a save).
    let mut fresh = HashMap::with_capacity(walk.files.len());
    stored.decode_in_pieces(&wanted, |piece| {
        let decoded: Vec<(usize, Note, FileStamp)> = piece
            .par_iter()
            .filter_map(|(i, path, entry)| {
                let note = cache::stream::fresh_note(&walk.files[*i].path, path, entry)?;
                Some((*i, note, entry.stamp))
            })
            .collect();
        for (i, note, stamp) in decoded {
            notes[i] = Some(note);
            fresh.insert(i, (stamp, None));
        }
    });
    let hits = fresh.len();
    let mut report = CacheReport {
        state: stored.state,
        hits,
        removed: table.len() - hits,
        read: started.elapsed(),
        ..CacheReport::default()
    };

    let (parsed, read, parse) = parse_misses(&walk.files, &notes, load_started, false);
    report.parsed = parsed.len();
    let changed = parsed.iter().any(|(_, p)| p.saved.is_some());
    for (i, Parsed { note, saved }) in parsed {
        notes[i] = Some(note);
        if let Some(saved) = saved {
            fresh.insert(i, saved);
        }
    }
    let whole = report.parsed == 0
        && report.removed == 0
        && stored.resolved_fits(&table, walk.files.iter().map(|f| f.relative.as_str()));
    // The table is let go before the notes are gathered and the resolved
    // index decoded (the load's peak): at 100,000 notes it is tens of MB.
    drop(wanted);
    drop(table);
    // The walk's files go before the load's peak (19 MB at 100,000
    // notes): a save reads their paths from the notes.
    let files = walk.files.len();
    walk.files = Vec::new();
    if whole {
        // Every note unchanged, the cache's files: nothing is saved (see
        // below), so the stamps (10 MB at 100,000 notes) go too.
        fresh = HashMap::new();
    }
    // The resolved index is decoded before the notes' keys are indexed:
    // its section's bytes are let go as it decodes, so they never sit
    // beside the key index (the warm load's peak).
    let snapshot = if whole {
        stored.into_resolved()
    } else {
        drop(stored);
        None
    };
    let mut vault = Vault::new(root);
    vault.problems = walk.problems;
    vault.take_notes(gathered_in_place(notes));
    let finish = finish_from_cache(&mut vault, snapshot, &mut report);
    // As [`save_index`] decides: an unchanged file is written again only
    // to add the resolved index it lacks, which needs every note saved.
    // A whole vault whose resolved index did not apply (it never fails
    // for a file this program wrote) is resolved, not saved again.
    let unchanged = report.state == CacheState::Valid && !changed && report.removed == 0;
    if !whole && !(unchanged && (report.resolved || fresh.len() != files)) {
        let taken = HashMap::new();
        save_with_resolved(cache, real_root, &taken, &fresh, &vault, &mut report);
    }
    let timings = LoadTimings {
        walk: walked,
        read,
        parse,
        finish,
        cache: report,
    };
    (vault, timings)
}

/// Finishes a vault loaded through the cache: when every file is unchanged
/// and they are the cache's files (then `snapshot` is what was saved with
/// them), the links, backlinks and tree saved with those notes are theirs;
/// else they are resolved.
fn finish_from_cache(
    vault: &mut Vault,
    snapshot: Option<cache::resolved::Snapshot>,
    report: &mut CacheReport,
) -> crate::vault::FinishTimings {
    let started = Instant::now();
    let identity: Vec<crate::vault::NoteId> = vault.ids().collect();
    report.resolved = snapshot.is_some_and(|s| vault.apply_resolved(s, &identity).is_ok());
    if report.resolved {
        crate::vault::FinishTimings {
            resolve: started.elapsed(),
            ..Default::default()
        }
    } else {
        // A note for every file of the walk, in its order: by path.
        vault.finish_in(true)
    }
}

/// Reads and parses the files whose note is still `None`, in parallel
/// (see [`parse_for_cache`]); with the wall time of that phase split into
/// reading and parsing by the share each had of the time measured per file.
fn parse_misses(
    files: &[FoundFile],
    notes: &[Option<Note>],
    load_started: SystemTime,
    encode: bool,
) -> (Vec<(usize, Parsed)>, Duration, Duration) {
    let started = Instant::now();
    let misses: Vec<usize> = (0..files.len()).filter(|&i| notes[i].is_none()).collect();
    let read_nanos = AtomicU64::new(0);
    let parse_nanos = AtomicU64::new(0);
    let kept = super::folder_open::KeptFolders::keep();
    let parsed: Vec<(usize, Parsed)> = misses
        .par_iter()
        .map(|&i| {
            let file = &files[i];
            let t0 = Instant::now();
            with_read_file(&file.path, |read| {
                let t1 = Instant::now();
                let parsed = parse_read_for_cache(file, read, load_started, encode);
                read_nanos.fetch_add(nanos(t1 - t0), Ordering::Relaxed);
                parse_nanos.fetch_add(nanos(t1.elapsed()), Ordering::Relaxed);
                (i, parsed)
            })
        })
        .collect();
    drop(kept);
    let read_and_parse = started.elapsed();
    let (read, parse) = (read_nanos.into_inner(), parse_nanos.into_inner());
    let read_share = if read + parse == 0 {
        0.5
    } else {
        read as f64 / (read + parse) as f64
    };
    (
        parsed,
        read_and_parse.mul_f64(read_share),
        read_and_parse.mul_f64(1.0 - read_share),
    )
}

impl Vault {
    /// Adds the notes of a whole load, as [`Vault::add`] one by one would,
    /// but keeps `notes` as the vault's own vector: moving them over one
    /// by one held two vectors of every note at once.
    pub(super) fn take_notes(&mut self, notes: Vec<Note>) {
        if !self.notes.is_empty() {
            for note in notes {
                self.add(note);
            }
            return;
        }
        // The keys (a normalisation of every stem and title) on every
        // core; only the inserts into the one index are in turn.
        let keys: Vec<NoteKeys> = notes.par_iter().map(KeyIndex::keys_of).collect();
        self.take_keyed_notes(notes, &keys);
    }

    /// [`Vault::take_notes`] with each note's keys already computed (by
    /// the thread that parsed it, while its title was in that core's cache).
    pub(super) fn take_keyed_notes<'k>(
        &mut self,
        mut notes: Vec<Note>,
        keys: impl IntoIterator<Item = &'k NoteKeys, IntoIter: ExactSizeIterator>,
    ) {
        if !self.notes.is_empty() {
            for (note, keys) in notes.into_iter().zip(keys) {
                self.add_keyed(note, keys);
            }
            return;
        }
        for note in &mut notes {
            self.read_times(note);
        }
        self.keys.insert_all(0, keys.into_iter());
        self.notes = notes;
        self.complete = false;
        self.pending_resolved = None;
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The notes of `notes` that are there, in their vector: an `Option<Note>`
/// is as large as a `Note`, and `filter_map` is collected in place (unlike
/// `flatten`, which copied every note to a second vector: 39 MB at 100,000
/// notes, the warm `check`'s peak). Proved by a test.
#[allow(
    clippy::filter_map_identity,
    reason = "`flatten` is not collected in place"
)]
pub(super) fn gathered_in_place(notes: Vec<Option<Note>>) -> Vec<Note> {
    notes.into_iter().filter_map(|note| note).collect()
}
