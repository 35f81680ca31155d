//! The note commands served by a lean load of the index cache (see
//! [`crate::vault::cache::lean`]): the vault known by its notes' heads,
//! and the bodies, resolutions and backlinks decoded only for the notes a
//! command prints. The output is the same as after a full load: every
//! command below reads nothing else of the vault.

use std::{path::Path, process::ExitCode};

use super::{Command, TimestampFormat, note_commands, search, with_note};
use crate::vault::{
    IndexCache, NoteId, TimeOptions,
    cache::lean::{
        self, LeanVault,
        one_note::{self, OneNote},
    },
};

/// Runs `command` from a lean load; `None` when the command is not one of
/// these or the cache cannot answer it (the caller loads the full way).
pub fn run(
    root: &Path,
    times: TimeOptions,
    cache: &IndexCache,
    command: &Command,
) -> Option<ExitCode> {
    let named = match command {
        Command::Show { note, .. }
        | Command::Links { note, .. }
        | Command::Timestamps { note, .. } => Some(note.as_str()),
        Command::Search { text: false, .. } => None,
        _ => return None,
    };
    let real_root = root.canonicalize().ok()?;
    let Some(name) = named else {
        let Command::Search {
            query,
            kind,
            limit,
            json,
            ..
        } = command
        else {
            return None;
        };
        // The cache read, its files stat-ed, the outline decoded and
        // ranked while the vault is walked (the walk runs on one thread);
        // the result is printed only if the walk lists the cache's files.
        let mut store = None;
        let (walk, early) = rayon::join(
            || crate::vault::loader::walk(root),
            || {
                lean::titles::read_early(&real_root, cache, &mut store, |outline| {
                    search::ranked(outline, query, *kind, *limit)
                })
            },
        );
        let walk = walk.ok()?;
        let (outline, hits) = early?.confirmed(&real_root, &walk.files)?;
        let code = search::print(&outline, query, hits, *json);
        // The process ends: nothing to free piece by piece.
        std::mem::forget(outline);
        std::mem::forget(store);
        std::mem::forget(walk);
        return Some(code);
    };
    // A note named by its path: only it and the notes next to it decoded,
    // and every file the cache names stat-ed, while the vault is walked;
    // used only if the walk lists the cache's files.
    let mut store = None;
    let (walk, early) = rayon::join(
        || crate::vault::loader::walk(root),
        || one_note::read_early(root, &real_root, times, cache, name, &mut store),
    );
    let walk = walk.ok()?;
    let found = early.map_or(OneNote::Unfit, |early| {
        early.confirmed(&real_root, &walk.files)
    });
    let with_sources = matches!(command, Command::Links { .. });
    let (mut lean, id) = match found {
        OneNote::Opened(lean, id) => (*lean, id),
        OneNote::Unfit => return None,
        OneNote::NotAPath => {
            let lean = lean::open_walked(root, &real_root, &walk.files, times, cache)?;
            let Ok(id) = lean.vault().find_note(name) else {
                return Some(with_note(lean.vault(), name, |_| ExitCode::SUCCESS));
            };
            (lean, id)
        }
    };
    lean.keep_problems(walk.problems);
    std::mem::forget(walk.files);
    if !fill(&mut lean, id, with_sources) {
        return None;
    }
    let vault = lean.vault();
    let code = match command {
        Command::Show { width, .. } => note_commands::show(vault, id, *width),
        Command::Links { json, .. } => note_commands::links(vault, id, *json),
        Command::Timestamps { json, format, .. } => {
            let format = if *json {
                TimestampFormat::Json
            } else {
                *format
            };
            note_commands::timestamps(vault, id, format)
        }
        _ => return None,
    };
    std::mem::forget(lean.into_vault());
    Some(code)
}

/// Fills note `id` in (with the notes that link to it, when
/// `with_sources`, whose lines and sentences `links` prints); false when
/// a part of the cache does not fit (load the full way).
fn fill(lean: &mut LeanVault, id: NoteId, with_sources: bool) -> bool {
    if !lean.fill(&[id]) {
        return false;
    }
    if !with_sources {
        return true;
    }
    let sources: Vec<NoteId> = lean
        .vault()
        .backlinks(id)
        .iter()
        .map(|b| b.source)
        .collect();
    lean.fill(&sources)
}
