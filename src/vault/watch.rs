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
    notify::{RecommendedWatcher, RecursiveMode},
};

use super::note::is_note_file_name;

/// Quiet time that ends a burst.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// A batch of notes touched on disk: paths relative to the vault root,
/// `/`-separated, sorted, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    pub paths: Vec<String>,
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
    let relative = file.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for part in relative.components() {
        let part = part.as_os_str().to_str()?;
        if part.starts_with('.') {
            return None;
        }
        parts.push(part);
    }
    let path = parts.join("/");
    is_note_file_name(&path).then_some(path)
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
        let paths: BTreeSet<String> = events
            .iter()
            .flat_map(|e| e.event.paths.iter())
            .filter_map(|p| roots.iter().find_map(|r| note_path(r, p)))
            .collect();
        if !paths.is_empty() {
            let _ = send(Touched {
                paths: paths.into_iter().collect(),
            });
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
