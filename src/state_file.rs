//! Reading and writing where the reader left off ([`SavedState`]): one
//! small JSON file per vault, named by a hash of the vault's canonical
//! path, in the platform's state folder (`$XDG_STATE_HOME/vidwiki` on
//! Linux, the local data folder elsewhere; `VIDWIKI_STATE_DIR` overrides
//! it). Never inside the vault. Writes are atomic: a temp file in the same
//! folder, then a rename.
//!
//! Two instances on one vault: the last to write wins, for the whole file
//! (each writes its own complete, consistent state; neither can leave a
//! half-written file behind).

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use crate::app::saved::{STATE_VERSION, SavedState};

/// The folder state files go in: `VIDWIKI_STATE_DIR` when set (tests use
/// it; they never touch the user's folders), else the platform's.
#[must_use]
pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("VIDWIKI_STATE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("", "", "vidwiki")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// FNV-1a, 64 bits: a hash that stays the same across builds and Rust
/// versions (the standard library's does not promise that), so a vault's
/// file keeps its name.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The state file of a vault (given by its canonical path) in `dir`.
#[must_use]
pub fn file_for(dir: &Path, vault: &Path) -> PathBuf {
    let name = vault.file_name().map_or_else(String::new, |n| {
        n.to_string_lossy()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect()
    });
    let hash = fnv1a(vault.as_os_str().as_encoded_bytes());
    dir.join(format!("vault-{name}-{hash:016x}.json"))
}

/// The vault's canonical path, as the state is keyed by it.
#[must_use]
pub fn canonical(vault: &Path) -> PathBuf {
    vault.canonicalize().unwrap_or_else(|_| vault.to_path_buf())
}

/// Why the state could not be used; said once in the status bar.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("saved state {0} is unreadable ({1}); starting afresh")]
    Corrupt(String, String),
    #[error("saved state {0} is from another version of vidwiki; starting afresh")]
    OtherVersion(String),
    #[error("cannot read saved state {0}: {1}")]
    Io(String, std::io::Error),
    #[error("the state folder {0} is inside the vault; state is not saved")]
    InsideVault(String),
    #[error("no folder for saved state on this system")]
    NoFolder,
}

/// Where a vault's state lives, checked to be outside the vault.
pub fn locate(vault: &Path) -> Result<PathBuf, StateError> {
    let dir = state_dir().ok_or(StateError::NoFolder)?;
    let vault = canonical(vault);
    let dir_canonical = canonical(&dir);
    if dir_canonical.starts_with(&vault) {
        return Err(StateError::InsideVault(dir.display().to_string()));
    }
    Ok(file_for(&dir, &vault))
}

/// Reads a state file: `None` when there is none yet. A file that is
/// corrupt or of another version is an error (to say once), never a panic.
pub fn load(file: &Path) -> Result<Option<SavedState>, StateError> {
    let shown = || file.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(StateError::Io(shown(), error)),
    };
    let state: SavedState = serde_json::from_slice(&bytes)
        .map_err(|error| StateError::Corrupt(shown(), error.to_string()))?;
    if state.version != STATE_VERSION {
        return Err(StateError::OtherVersion(shown()));
    }
    Ok(Some(state))
}

/// Writes a state file atomically: a temp file next to it, then a rename
/// (a reader sees the old file or the new one, never half of one).
pub fn save(file: &Path, state: &SavedState) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_vec(state).map_err(std::io::Error::other)?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        file.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut out = std::fs::File::create(&temp)?;
        out.write_all(&json)?;
        out.sync_all()
    })();
    if let Err(error) = written.and_then(|()| std::fs::rename(&temp, file)) {
        let _ = std::fs::remove_file(&temp);
        return Err(error);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vault_s_file_name_is_stable_and_tells_vaults_apart() {
        let dir = Path::new("/state");
        let a = file_for(dir, Path::new("/home/u/My Notes"));
        assert_eq!(a, file_for(dir, Path::new("/home/u/My Notes")));
        assert_ne!(a, file_for(dir, Path::new("/home/v/My Notes")));
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("vault-MyNotes-"), "{name}");
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c, "FNV-1a's known value");
    }

    #[test]
    fn state_round_trips_and_bad_files_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/vault-x.json");
        assert!(load(&file).unwrap().is_none(), "no file yet");
        let state = SavedState {
            version: STATE_VERSION,
            vault: "/v".into(),
            recent: vec!["a.md".into(), "b/c.md".into()],
            bookmarks: vec!["b/c.md".into()],
            ..SavedState::default()
        };
        save(&file, &state).unwrap();
        assert_eq!(load(&file).unwrap(), Some(state.clone()));
        let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temp file left: {leftovers:?}");
        std::fs::write(&file, b"{\"version\": 1, \"vault\": ").unwrap();
        assert!(matches!(load(&file), Err(StateError::Corrupt(..))));
        std::fs::write(&file, b"\xff\x00garbage").unwrap();
        assert!(matches!(load(&file), Err(StateError::Corrupt(..))));
        let old = SavedState {
            version: 0,
            ..state
        };
        std::fs::write(&file, serde_json::to_vec(&old).unwrap()).unwrap();
        assert!(matches!(load(&file), Err(StateError::OtherVersion(_))));
    }
}
