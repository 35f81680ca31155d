//! The browser's warm start from the index cache: the vault of the notes'
//! heads handed over at once, then their bodies in batches.

use std::path::Path;

use rayon::prelude::*;

use super::{
    LoadEvent,
    read::{note_from_read, read_file},
    walk::walk,
};
use crate::vault::{
    NoteId, TimeOptions,
    cache::{IndexCache, lean},
};

/// How many notes' bodies go in one message after a vault of heads was
/// handed over: each batch is put in place between two frames.
const BODIES_BATCH: usize = 1024;

/// The browser's warm start when the cache serves it (every note
/// unchanged, the resolved index there): the heads, with their tree, come
/// instead of the walk's paths (the outline shows the first level until
/// then; making the walk's notes, tree and keys and drawing them took a
/// third of the cores' time before the heads were in, for a tree replaced
/// at once), then the bodies ([`hand_over_heads`]). `None` when done, else
/// the walk back, to load another way.
///
/// Run on one of the pool's threads, the caller waiting: what the heads
/// phase frees (the sections read, the picker's items built in halves)
/// stays in the malloc arenas of the threads that decode the bodies next,
/// which take it again, instead of a hole of tens of MB in this thread's
/// arena that nothing allocates in afterwards.
pub(super) fn warm_on_the_pool(
    root: &Path,
    real_root: &Path,
    files: Vec<super::FoundFile>,
    problems: Vec<super::VaultProblem>,
    cache: &IndexCache,
    send: &(impl Fn(LoadEvent) -> bool + Sync),
) -> Option<(Vec<super::FoundFile>, Vec<super::VaultProblem>)> {
    rayon::scope(|_| {
        let Some(heads) =
            lean::open_walked_indexed(root, real_root, &files, TimeOptions::default(), cache)
        else {
            return Some((files, problems));
        };
        for problem in problems {
            send(LoadEvent::Problem(problem));
        }
        hand_over_heads(heads, root, files, send);
        None
    })
}

/// The browser's warm start when every note is unchanged and the cache
/// holds the resolved index: the vault of the notes' heads (titles,
/// headings, backlinks, tree, channels: every note findable and every
/// backlink known, opened by [`lean::open_walked_indexed`]) is handed over
/// at once, from the table, heads, headings and resolved sections alone;
/// the bodies (each note's links, resolved from the cache, its timestamps,
/// front matter, problems) follow in batches, then `Done`.
fn hand_over_heads(
    heads: lean::LeanVault,
    root: &Path,
    files: Vec<super::FoundFile>,
    send: &impl Fn(LoadEvent) -> bool,
) {
    // Not kept through the bodies: only a damaged body needs its file,
    // found by walking again (at 100,000 notes the walk's list was ~20
    // MB, and kept small ~6 MB, beside every body at the peak). Freed
    // here, before the picker's items are built.
    drop(files);
    let (vault, mut bodies) = heads.hand_over();
    if !send(LoadEvent::Indexed(Box::new(vault))) {
        return;
    }
    let mut damaged = Vec::new();
    // From the last notes to the first, each range's tables let go once
    // decoded (see `LeanBodies::release_from`).
    for start in (0..bodies.len()).step_by(BODIES_BATCH).rev() {
        let decoded = bodies.decode(start..start.saturating_add(BODIES_BATCH));
        bodies.release_from(start);
        let mut notes = Vec::with_capacity(decoded.len());
        for (i, note) in (start..).zip(decoded) {
            match note {
                Some(note) => notes.push((note_id(i), note)),
                None => damaged.push(i),
            }
        }
        if !send(LoadEvent::Bodies {
            notes,
            resolved: true,
        }) {
            return;
        }
    }
    drop(bodies);
    // A body that does not decode: its file is parsed again (unchanged,
    // so the same note), and the vault resolved again once it is in. The
    // walk again lists the files in the same order (sorted); a file
    // added or gone since makes a parsed note that does not fit its head,
    // which is read again once the vault is whole.
    if !damaged.is_empty() {
        let files = walk(root).map(|w| w.files).unwrap_or_default();
        let notes = damaged
            .par_iter()
            .filter_map(|&i| {
                let file = files.get(i)?;
                Some((note_id(i), note_from_read(file, read_file(&file.path))))
            })
            .collect();
        if !send(LoadEvent::Bodies {
            notes,
            resolved: false,
        }) {
            return;
        }
    }
    send(LoadEvent::Done);
}

fn note_id(i: usize) -> NoteId {
    NoteId(u32::try_from(i).unwrap_or(u32::MAX))
}
