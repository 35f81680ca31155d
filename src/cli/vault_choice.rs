//! Which folder is the vault: the command line's VAULT or `--vault`, the
//! config file's, `notes` when it exists, or the current folder when it
//! holds Markdown.

use std::path::PathBuf;

use super::{Cli, Command, DEFAULT_VAULT};

impl Cli {
    /// The vault folder: a VAULT argument (after the command, or before
    /// it), else --vault (or `VIDWIKI_VAULT`), else `notes` when it exists,
    /// else the current folder when it holds Markdown. `Err` says how to
    /// name a vault when none of these is one.
    pub fn vault_dir(&self) -> Result<PathBuf, String> {
        self.vault_dir_or(None)
    }

    /// [`Self::vault_dir`], with the config file's `vault` tried after the
    /// command line's and before `notes`.
    pub fn vault_dir_or(&self, configured: Option<&PathBuf>) -> Result<PathBuf, String> {
        let named = self
            .command
            .as_ref()
            .and_then(Command::vault_dir)
            .or(self.vault_dir.as_ref())
            .or(self.vault.dir.as_ref())
            .or(configured);
        if let Some(dir) = named {
            return Ok(dir.clone());
        }
        let default = PathBuf::from(DEFAULT_VAULT);
        if default.is_dir() {
            return Ok(default);
        }
        let here = PathBuf::from(".");
        if holds_markdown(&here) {
            return Ok(here);
        }
        Err(format!(
            "no vault here: there is no `{DEFAULT_VAULT}` folder and the current folder \
             holds no Markdown notes; name the vault: `vidwiki PATH`, \
             `vidwiki check PATH`, `--vault PATH` or VIDWIKI_VAULT=PATH"
        ))
    }
}

/// True when `dir` or one of its folders (one level down: a vault of
/// channel folders) holds a `.md` file. Looks at a bounded number of
/// entries, so a huge home folder answers quickly.
#[must_use]
pub fn holds_markdown(dir: &std::path::Path) -> bool {
    const LOOKED_AT: usize = 10_000;
    let is_md = |path: &std::path::Path| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut folders = Vec::new();
    for entry in entries.flatten().take(LOOKED_AT) {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_file() && is_md(&path) {
            return true;
        }
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if kind.is_dir() && !hidden {
            folders.push(path);
        }
    }
    folders.iter().any(|folder| {
        std::fs::read_dir(folder).is_ok_and(|entries| {
            entries
                .flatten()
                .take(LOOKED_AT)
                .any(|e| e.file_type().is_ok_and(|k| k.is_file()) && is_md(&e.path()))
        })
    })
}
