//! Loading the saved state at start and saving it while the browser runs:
//! when it changed, at most every [`SAVE_EVERY`], and on quit.

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use crate::{
    app::{App, Notice, saved::SavedState},
    state_file,
};

/// Least time between two writes of the state file.
const SAVE_EVERY: Duration = Duration::from_secs(3);

pub(super) struct StateKeeper {
    file: PathBuf,
    vault: String,
    saved: Option<SavedState>,
    checked: Instant,
    /// A write failed: said once, then no more tries this run.
    failed: bool,
}

impl StateKeeper {
    /// Reads the vault's state into the app; a problem is said once in
    /// the status bar and the run goes on without it (or, for a file
    /// that cannot be placed, without saving).
    pub fn start(root: &Path, app: &mut App, home: bool) -> Option<Self> {
        let file = match state_file::locate(root) {
            Ok(file) => file,
            Err(error) => {
                app.notice(Notice::Warning(error.to_string()));
                return None;
            }
        };
        let saved = match state_file::load(&file) {
            Ok(state) => state,
            Err(error) => {
                app.notice(Notice::Warning(error.to_string()));
                None
            }
        };
        if let Some(state) = saved.clone() {
            app.restore(state, home);
        }
        Some(Self {
            file,
            vault: state_file::canonical(root).display().to_string(),
            saved,
            checked: Instant::now(),
            failed: false,
        })
    }

    /// Saves the state if it changed and the last check is long enough
    /// ago (or `now`, on quit).
    pub fn tick(&mut self, app: &mut App, now: bool) {
        if self.failed || (!now && self.checked.elapsed() < SAVE_EVERY) {
            return;
        }
        self.checked = Instant::now();
        let state = app.snapshot(&self.vault);
        if self.saved.as_ref() == Some(&state) {
            return;
        }
        match state_file::save(&self.file, &state) {
            Ok(()) => self.saved = Some(state),
            Err(error) => {
                self.failed = true;
                app.notice(Notice::Warning(format!(
                    "Cannot save where you left off in {}: {error}",
                    self.file.display()
                )));
            }
        }
    }
}
