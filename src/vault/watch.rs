//! Watching the vault's folder for notes changed outside vidwiki, with
//! `notify-debouncer-full`: a burst of events (an editor's save dance, a
//! `git checkout` of thousands of files) comes out as one batch of note
//! paths after [`DEBOUNCE`] of quiet. What happened to each path is not
//! trusted from the event kinds (they differ per platform): the receiver
//! looks at the file (there: changed or added; gone: removed).

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    time::Duration,
};

use notify_debouncer_full::{
    DebounceEventResult, Debouncer, RecommendedCache, new_debouncer,
    notify::{
        EventKind, RecommendedWatcher, RecursiveMode,
        event::{AccessKind, AccessMode},
    },
};

use super::note::is_note_file_name;

/// Quiet time that ends a burst.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// A batch of notes touched on disk: paths relative to the vault root,
/// `/`-separated, sorted, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    pub paths: Vec<String>,
    /// Folders (vault paths) that went away or were renamed away: the
    /// notes under them got no events of their own.
    pub folders: Vec<String>,
}

/// The running watcher; dropping it stops watching.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watcher")
    }
}

/// The vault path of a file, when it is a note the loader would read
/// (`.md`, not hidden, inside the root).
#[must_use]
pub fn note_path(root: &Path, file: &Path) -> Option<String> {
    vault_path(root, file).filter(|path| is_note_file_name(path))
}

/// The vault path of any file or folder inside the root (hidden ones
/// excluded), `""` for the root itself.
fn vault_path(root: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for part in relative.components() {
        let part = part.as_os_str().to_str()?;
        if part.starts_with('.') {
            return None;
        }
        parts.push(part);
    }
    Some(parts.join("/"))
}

/// Folders deeper than this are not entered when a new folder is walked
/// (the loader's walk has the same kind of guard against loops).
const MAX_DEPTH: usize = 64;

/// The notes under a folder, as vault paths: a folder created (or moved in)
/// with its files in one instant gets an event for the folder only, as the
/// watch on it is set up after the files were written. Symlinked folders
/// are not followed (the receiver reads each note through the loader's
/// checks anyway).
#[must_use]
pub fn notes_under(root: &Path, folder: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![(folder.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < MAX_DEPTH && vault_path(root, &path).is_some() {
                    stack.push((path, depth + 1));
                }
            } else if let Some(note) = note_path(root, &path) {
                found.push(note);
            }
        }
    }
    found
}

/// What a batch of event paths touched: note files, and the notes under
/// folders that appeared; folders that are gone are passed on by name.
fn touched_by<'a>(roots: &[PathBuf], paths: impl Iterator<Item = &'a PathBuf>) -> Touched {
    let mut notes = BTreeSet::new();
    let mut folders = BTreeSet::new();
    for path in paths {
        let Some(root) = roots.iter().find(|r| path.starts_with(r)) else {
            continue;
        };
        if let Some(note) = note_path(root, path) {
            notes.insert(note);
            continue;
        }
        let Some(inside) = vault_path(root, path).filter(|p| !p.is_empty()) else {
            continue;
        };
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => notes.extend(notes_under(root, path)),
            Ok(_) => {}
            Err(_) => {
                folders.insert(inside);
            }
        }
    }
    Touched {
        paths: notes.into_iter().collect(),
        folders: folders.into_iter().collect(),
    }
}

/// Whether an event can mean a change: a file opened, read or closed
/// without writing is not one (the loader's own reads and the note texts
/// read for the screen make such events for every file).
fn changes(kind: EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Starts watching `root` (recursively). `send` gets each batch; it
/// returns false once nobody listens. An error says why watching cannot
/// run (too many folders for inotify, a file system without events).
pub fn spawn(
    root: &Path,
    send: impl Fn(Touched) -> bool + Send + 'static,
) -> Result<Watcher, String> {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let roots: [PathBuf; 2] = [root.to_path_buf(), canonical.clone()];
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let touched = touched_by(
            &roots,
            events
                .iter()
                .filter(|e| changes(e.event.kind))
                .flat_map(|e| e.event.paths.iter()),
        );
        if !touched.paths.is_empty() || !touched.folders.is_empty() {
            let _ = send(touched);
        }
    })
    .map_err(|e| e.to_string())?;
    debouncer
        .watch(&canonical, RecursiveMode::Recursive)
        .map_err(|e| e.to_string())?;
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_notes_the_loader_reads_count() {
        let root = Path::new("/v");
        assert_eq!(
            note_path(root, Path::new("/v/a/b.md")),
            Some("a/b.md".into())
        );
        assert_eq!(note_path(root, Path::new("/v/B.MD")), Some("B.MD".into()));
        assert_eq!(note_path(root, Path::new("/v/.git/x.md")), None);
        assert_eq!(note_path(root, Path::new("/v/a/.b.md.swp")), None);
        assert_eq!(note_path(root, Path::new("/v/a/b.txt")), None);
        assert_eq!(note_path(root, Path::new("/w/b.md")), None);
    }

    #[test]
    fn reading_a_file_is_no_change() {
        use notify_debouncer_full::notify::event::{CreateKind, ModifyKind};
        assert!(!changes(EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!changes(EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes(EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes(EventKind::Create(CreateKind::File)));
        assert!(changes(EventKind::Modify(ModifyKind::Any)));
    }

    #[test]
    fn a_new_folder_brings_its_notes_and_a_gone_one_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("new/deep")).unwrap();
        std::fs::write(root.join("new/a.md"), "# A\n").unwrap();
        std::fs::write(root.join("new/deep/b.md"), "# B\n").unwrap();
        std::fs::write(root.join("new/c.txt"), "x").unwrap();
        std::fs::create_dir_all(root.join("new/.git")).unwrap();
        std::fs::write(root.join("new/.git/d.md"), "x").unwrap();
        let events = [root.join("new"), root.join("old"), root.join("x.md")];
        let touched = touched_by(std::slice::from_ref(&root), events.iter());
        assert_eq!(touched.paths, ["new/a.md", "new/deep/b.md", "x.md"]);
        assert_eq!(touched.folders, ["old"], "gone, and not a note's name");
    }

    /// A folder made with a note in it at once: the note arrives (the
    /// folder's event is walked), waiting with a timeout, no sleeps.
    #[test]
    fn a_note_written_with_its_new_folder_reaches_the_receiver() {
        let dir = tempfile::tempdir().unwrap();
        let (send, receive) = std::sync::mpsc::channel();
        let _watcher = spawn(dir.path(), move |t| send.send(t).is_ok()).unwrap();
        std::fs::create_dir_all(dir.path().join("fresh/inner")).unwrap();
        std::fs::write(dir.path().join("fresh/inner/n.md"), "# N\n").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while !seen.iter().any(|p| p == "fresh/inner/n.md") {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let batch = receive.recv_timeout(left).expect("a batch within 10 s");
            seen.extend(batch.paths);
        }
    }

    /// The watcher thread delivers a batch for a file written (waiting on
    /// the channel with a timeout, no sleeps).
    #[test]
    fn a_written_note_reaches_the_receiver() {
        let dir = tempfile::tempdir().unwrap();
        let (send, receive) = std::sync::mpsc::channel();
        let _watcher = spawn(dir.path(), move |t| send.send(t).is_ok()).unwrap();
        std::fs::write(dir.path().join("new.md"), "# New\n").unwrap();
        std::fs::write(dir.path().join("ignored.txt"), "x").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while !seen.iter().any(|p| p == "new.md") {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let batch = receive.recv_timeout(left).expect("a batch within 10 s");
            seen.extend(batch.paths);
        }
        assert!(seen.iter().all(|p| p.ends_with(".md")), "{seen:?}");
    }
}
