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
}

impl WatchStart {
    /// The watcher for `root`, started by [`Self::poll`] once the walk's
    /// paths are in (or loading is over).
    pub fn spawn(root: PathBuf) -> Self {
        let (send_touched, touched) = mpsc::channel();
        let (send_ready, ready) = mpsc::channel();
        Self {
            deferred: Some((root, send_touched)),
            ready,
            send_ready,
            watcher: None,
            touched,
        }
    }

    fn start(&mut self, app: &App) {
        if !(app.load.walked || app.load.done) {
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
    pub fn poll(&mut self, app: &mut App) -> bool {
        self.start(app);
        match self.ready.try_recv() {
            Ok(Ok(watcher)) => {
                self.watcher = Some(watcher);
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
