//! The walk: every `.md` file of the vault, without leaving it.

use std::{collections::HashSet, fs, path::Path};

use super::{FoundFile, LoadError, Walk};
use crate::vault::{
    VaultProblem,
    problem::{Problem, ProblemKind},
};

/// Lists every `.md` file of the vault, skipping hidden files and folders,
/// sorted by relative path.
// Long: one loop over folder entries; its symlink cases must stay in order.
pub fn walk(root: &Path) -> Result<Walk, LoadError> {
    let open_error = |source| LoadError::Open {
        path: root.display().to_string(),
        source,
    };
    let real_root = root.canonicalize().map_err(open_error)?;
    if !real_root.is_dir() {
        return Err(LoadError::NotAFolder {
            path: root.display().to_string(),
        });
    }
    let mut walk = Walk::default();
    let mut visited = HashSet::new();
    visited.insert(real_root.clone());
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, relative_dir)) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) => {
                walk.problems.push(VaultProblem {
                    path: relative_dir.clone(),
                    problem: Problem::new(
                        ProblemKind::Unreadable,
                        None,
                        format!("folder cannot be read: {error}"),
                    ),
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let relative = if relative_dir.is_empty() {
                name.clone()
            } else {
                format!("{relative_dir}/{name}")
            };
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let mut is_dir = file_type.is_dir();
            let mut is_file = file_type.is_file();
            if file_type.is_symlink() {
                let real = match path.canonicalize() {
                    Ok(real) => real,
                    Err(error) => {
                        let why = match error.kind() {
                            std::io::ErrorKind::NotFound => {
                                "symlink leads nowhere (its target is missing); skipped".to_owned()
                            }
                            _ if error.raw_os_error() == Some(40) => {
                                "symlink loop (it leads back to itself); skipped".to_owned()
                            }
                            _ => format!("symlink cannot be followed ({error}); skipped"),
                        };
                        walk.problems.push(VaultProblem {
                            path: relative,
                            problem: Problem::new(ProblemKind::SkippedSymlink, None, why),
                        });
                        continue;
                    }
                };
                if !real.starts_with(&real_root) {
                    walk.problems.push(VaultProblem {
                        path: relative,
                        problem: Problem::new(
                            ProblemKind::SkippedSymlink,
                            None,
                            "symlink leads out of the vault; not followed",
                        ),
                    });
                    continue;
                }
                is_dir = real.is_dir();
                is_file = real.is_file();
            }
            if is_dir {
                let real = path.canonicalize().unwrap_or_else(|_| path.clone());
                if visited.insert(real) {
                    stack.push((path, relative));
                } else if file_type.is_symlink() {
                    walk.problems.push(VaultProblem {
                        path: relative,
                        problem: Problem::new(
                            ProblemKind::SkippedSymlink,
                            None,
                            "symlink to a folder read already (a loop or a second way in); not followed",
                        ),
                    });
                }
            } else if is_file && crate::vault::note::is_note_file_name(&name) {
                // No `stat` here: reading the file gives its size and
                // time anyway, and 21,000 stats are a third of the walk.
                walk.files.push(FoundFile { path, relative });
            }
        }
    }
    walk.files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(walk)
}
