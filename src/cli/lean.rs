//! The note commands served by a lean load of the index cache (see
//! [`crate::vault::cache::lean`]): the vault known by its notes' heads,
//! and the bodies, resolutions and backlinks decoded only for the notes a
//! command prints. The output is the same as after a full load: every
//! command below reads nothing else of the vault.

use std::{path::Path, process::ExitCode};

use super::{Command, TimestampFormat, note_commands, search, with_note};
use crate::vault::{IndexCache, NoteId, TimeOptions, cache::lean::LeanVault};

/// Runs `command` from a lean load; `None` when the command is not one of
/// these or the cache cannot answer it (the caller loads the full way).
pub fn run(
    root: &Path,
    times: TimeOptions,
    cache: &IndexCache,
    command: &Command,
) -> Option<ExitCode> {
    let lean_command = matches!(
        command,
        Command::Show { .. }
            | Command::Links { .. }
            | Command::Timestamps { .. }
            | Command::Search { text: false, .. }
    );
    if !lean_command {
        return None;
    }
    let mut lean = crate::vault::cache::lean::open(root, times, cache)?;
    let code = match command {
        Command::Show { note, width, .. } => {
            let id = match find(&mut lean, note, false) {
                Found::Note(id) => id,
                Found::Answered(code) => return Some(code),
                Found::Unfit => return None,
            };
            note_commands::show(lean.vault(), id, *width)
        }
        Command::Links { note, json, .. } => {
            let id = match find(&mut lean, note, true) {
                Found::Note(id) => id,
                Found::Answered(code) => return Some(code),
                Found::Unfit => return None,
            };
            note_commands::links(lean.vault(), id, *json)
        }
        Command::Timestamps {
            note, json, format, ..
        } => {
            let id = match find(&mut lean, note, false) {
                Found::Note(id) => id,
                Found::Answered(code) => return Some(code),
                Found::Unfit => return None,
            };
            let format = if *json {
                TimestampFormat::Json
            } else {
                *format
            };
            note_commands::timestamps(lean.vault(), id, format)
        }
        Command::Search {
            query,
            kind,
            limit,
            json,
            ..
        } => {
            if !lean.fill_headings() {
                return None;
            }
            search::run(lean.vault(), query, *kind, *limit, *json)
        }
        _ => return None,
    };
    // As after a full load: the process ends, nothing to free note by note.
    std::mem::forget(lean.into_vault());
    Some(code)
}

enum Found {
    Note(NoteId),
    /// The name matched no single note: told as a full load tells it.
    Answered(ExitCode),
    /// A part of the cache did not fit: load the full way.
    Unfit,
}

/// The note a command names, filled in (with the notes that link to it,
/// when `with_sources`, whose lines and sentences `links` prints).
fn find(lean: &mut LeanVault, name: &str, with_sources: bool) -> Found {
    let Ok(id) = lean.vault().find_note(name) else {
        return Found::Answered(with_note(lean.vault(), name, |_| ExitCode::SUCCESS));
    };
    if !lean.fill(&[id]) {
        return Found::Unfit;
    }
    if with_sources {
        let sources: Vec<NoteId> = lean
            .vault()
            .backlinks(id)
            .iter()
            .map(|b| b.source)
            .collect();
        if !lean.fill(&sources) {
            return Found::Unfit;
        }
    }
    Found::Note(id)
}
