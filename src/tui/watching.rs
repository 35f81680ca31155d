//! The vault watcher for the event loop: started off the UI thread, its
//! batches taken in by the loop.

use std::{path::PathBuf, sync::mpsc};

use crate::app::App;

/// The vault watcher, started on a thread of its own: setting it up walks
/// the vault's folders (and the debouncer notes every file's id), which
/// neither the first frame nor the load should wait for. Batches that
/// come while the vault loads are kept by the app and taken in after.
pub(super) struct WatchStart {
    /// The vault and the sender of batches, until the watcher is started:
    /// after the walk, whose folder listing it would slow down (two more
    /// walks of the vault, the debouncer's with a `stat` per file, on the
    /// same cores).
    deferred: Option<(PathBuf, mpsc::Sender<crate::vault::watch::Touched>)>,
    ready: mpsc::Receiver<Result<crate::vault::watch::Watcher, String>>,
    send_ready: mpsc::Sender<Result<crate::vault::watch::Watcher, String>>,
    /// Kept alive while the loop runs: dropping it stops watching.
    watcher: Option<crate::vault::watch::Watcher>,
    pub touched: mpsc::Receiver<crate::vault::watch::Touched>,
    root: PathBuf,
    /// The watcher is up and the vault not yet walked again since.
    rewalk: bool,
    /// The walk made once the watcher was up: paths and times.
    rewalked: Option<mpsc::Receiver<Found>>,
}

/// The vault's notes as a walk finds them: path and modification time.
type Found = Vec<(String, Option<std::time::SystemTime>)>;

/// Every note file under `root` with its modification time (a stat per
/// file, no read).
fn walk_with_times(root: &std::path::Path) -> Found {
    let Ok(walk) = crate::vault::loader::walk(root) else {
        return Vec::new();
    };
    walk.files
        .into_iter()
        .map(|file| {
            let modified = std::fs::metadata(&file.path)
                .and_then(|m| m.modified())
                .ok();
            (file.relative, modified)
        })
        .collect()
}

impl WatchStart {
    /// The watcher for `root`, started by [`Self::poll`] once loading is
    /// over (on a warm start, once the bodies are in too: its set-up's
    /// walks and the walk made after it, beside the bodies, were some of
    /// the 100,000-note start's peak memory).
    pub fn spawn(root: PathBuf) -> Self {
        let (send_touched, touched) = mpsc::channel();
        let (send_ready, ready) = mpsc::channel();
        let walked_root = root.clone();
        Self {
            deferred: Some((root, send_touched)),
            ready,
            send_ready,
            watcher: None,
            touched,
            root: walked_root,
            rewalk: false,
            rewalked: None,
        }
    }

    fn start(&mut self, app: &App, loaded: bool) {
        if !(loaded || app.load.settled()) {
            return;
        }
        let Some((root, send_touched)) = self.deferred.take() else {
            return;
        };
        let send_ready = self.send_ready.clone();
        std::thread::spawn(move || {
            let started =
                crate::vault::watch::spawn(&root, move |batch| send_touched.send(batch).is_ok());
            let _ = send_ready.send(started);
        });
    }

    /// Takes the watcher when it is up; without one (too many folders for
    /// inotify, a file system without events) the app says so once and
    /// `r` still works. True when the app was told.
    /// Once the watcher is up and the vault loaded, the vault is walked
    /// again on a thread (paths and times, no reads): what changed between
    /// the start-up walk and the watcher's start had no event.
    pub fn poll(&mut self, app: &mut App, loaded: bool) -> bool {
        self.start(app, loaded);
        if self.rewalk && app.load.done {
            self.rewalk = false;
            let (send, found) = mpsc::channel();
            let root = self.root.clone();
            std::thread::spawn(move || {
                let _ = send.send(walk_with_times(&root));
            });
            self.rewalked = Some(found);
        }
        if let Some(found) = self.rewalked.as_ref().and_then(|r| r.try_recv().ok()) {
            self.rewalked = None;
            app.on_rewalk(found);
            return true;
        }
        match self.ready.try_recv() {
            Ok(Ok(watcher)) => {
                self.watcher = Some(watcher);
                self.rewalk = true;
                false
            }
            Ok(Err(why)) => {
                app.watch_failed(&why);
                true
            }
            Err(_) => false,
        }
    }
}
