//! The walk: every `.md` file of the vault, without leaving it.
//!
//! As cheap as listing the folders: the kind of each entry comes from the
//! folder listing (no `stat`), only symlinks are resolved, and the
//! vault's folders are listed in parallel. Real folders are walked first;
//! a symlink to a folder is followed afterwards, in path order, unless the
//! folder it leads to was read already (so the result does not depend on
//! the order the file system lists entries in).

use std::{
    collections::HashSet,
    fs,
    path::{Path, PathBuf},
};

use rayon::prelude::*;

use super::{FoundFile, LoadError, Walk};
use crate::vault::{
    VaultProblem,
    problem::{Problem, ProblemKind},
};

/// Lists every `.md` file of the vault, skipping hidden files and folders,
/// sorted by relative path.
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
    let mut found = walk_folder(&real_root, root, String::new(), real_root.clone());
    let mut walk = Walk::default();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    loop {
        walk.files.append(&mut found.files);
        walk.problems.append(&mut found.problems);
        visited.extend(found.real_folders.drain(..));
        let Some(linked) = next_linked(&mut found.linked, &visited) else {
            break;
        };
        match linked {
            Ok(folder) => {
                let more = walk_folder(&real_root, &folder.path, folder.relative, folder.real);
                let linked = std::mem::take(&mut found.linked);
                found = more;
                found.linked.extend(linked);
            }
            Err(problem) => walk.problems.push(problem),
        }
    }
    walk.files
        .par_sort_unstable_by(|a, b| a.relative.cmp(&b.relative));
    // Folders are listed in parallel: the problems in path order, whatever
    // order they were met in.
    walk.problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walk)
}

/// The vault's first folder level, listed under the walk's rules (hidden
/// entries skipped, symlinks kept only inside the vault), for the outline
/// to show before the walk is over. A symlink to a folder is listed when
/// it leads to a hidden one (the walk follows it; a link to a folder the
/// walk reads anyway is a second way in, left out). A folder holding no
/// note is listed although the walk's tree will not show it. `None` when
/// the vault cannot be listed (the walk says why).
#[must_use]
pub fn first_level(root: &Path) -> Option<crate::vault::FirstLevel> {
    let real_root = root.canonicalize().ok()?;
    let mut folders = Vec::new();
    let mut notes = Vec::new();
    for entry in fs::read_dir(&real_root).ok()?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let is_note_name = crate::vault::note::is_note_file_name(&name);
        if file_type.is_dir() {
            folders.push(name.into_owned());
        } else if file_type.is_file() {
            if is_note_name {
                notes.push(name.into_owned());
            }
        } else if file_type.is_symlink()
            && let Ok(real) = entry.path().canonicalize()
            && let Ok(inside) = real.strip_prefix(&real_root)
        {
            if real.is_dir() {
                let hidden = inside
                    .components()
                    .any(|part| part.as_os_str().to_string_lossy().starts_with('.'));
                if hidden {
                    folders.push(name.into_owned());
                }
            } else if real.is_file() && is_note_name {
                notes.push(name.into_owned());
            }
        }
    }
    Some(crate::vault::FirstLevel::sorted(folders, notes))
}

/// A folder reached through a symlink, followed once the real folders
/// are walked.
#[derive(Debug)]
struct LinkedFolder {
    path: PathBuf,
    relative: String,
    real: PathBuf,
}

/// What walking one folder and the real folders below it found.
#[derive(Debug, Default)]
struct Found {
    files: Vec<FoundFile>,
    problems: Vec<VaultProblem>,
    /// The real path of every folder listed.
    real_folders: Vec<PathBuf>,
    linked: Vec<LinkedFolder>,
}

impl Found {
    /// What each folder found, in one: every vector sized once. (Merged
    /// two by two as the folders were walked, the files' vector grew and
    /// was copied again at each level: a fifth of the walk's time.)
    fn gather(parts: Vec<Self>) -> Self {
        let sum = |len: fn(&Self) -> usize| parts.iter().map(len).sum::<usize>();
        let mut all = Self {
            files: Vec::with_capacity(sum(|p| p.files.len())),
            problems: Vec::with_capacity(sum(|p| p.problems.len())),
            real_folders: Vec::with_capacity(sum(|p| p.real_folders.len())),
            linked: Vec::with_capacity(sum(|p| p.linked.len())),
        };
        for part in parts {
            all.files.extend(part.files);
            all.problems.extend(part.problems);
            all.real_folders.extend(part.real_folders);
            all.linked.extend(part.linked);
        }
        all
    }

    fn skipped_symlink(&mut self, relative: String, why: impl Into<String>) {
        self.problems.push(VaultProblem {
            path: relative,
            problem: Problem::new(ProblemKind::SkippedSymlink, None, why),
        });
    }
}

/// The linked folder to follow next (the first by path), or the problem
/// of one that leads to a folder read already.
fn next_linked(
    linked: &mut Vec<LinkedFolder>,
    visited: &HashSet<PathBuf>,
) -> Option<Result<LinkedFolder, VaultProblem>> {
    let first = (0..linked.len()).min_by(|&a, &b| linked[a].relative.cmp(&linked[b].relative))?;
    let folder = linked.swap_remove(first);
    if visited.contains(&folder.real) {
        return Some(Err(VaultProblem {
            path: folder.relative,
            problem: Problem::new(
                ProblemKind::SkippedSymlink,
                None,
                "symlink to a folder read already (a loop or a second way in); not followed",
            ),
        }));
    }
    Some(Ok(folder))
}

/// Lists `dir` (whose real path is `real`), and the real folders below it
/// in parallel.
fn walk_folder(real_root: &Path, dir: &Path, relative_dir: String, real: PathBuf) -> Found {
    Found::gather(walk_folder_parts(real_root, dir, relative_dir, real))
}

/// [`walk_folder`], what each folder found apart (the caller's order of
/// them does not matter: the walk sorts what it found).
fn walk_folder_parts(
    real_root: &Path,
    dir: &Path,
    relative_dir: String,
    real: PathBuf,
) -> Vec<Found> {
    let mut found = Found::default();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            found.problems.push(VaultProblem {
                path: relative_dir,
                problem: Problem::new(
                    ProblemKind::Unreadable,
                    None,
                    format!("folder cannot be read: {error}"),
                ),
            });
            return vec![found];
        }
    };
    let mut folders = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let name = file_name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        // From the listing itself (`d_type`): no `stat` per entry.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let is_note_name = crate::vault::note::is_note_file_name(&name);
        if file_type.is_file() && !is_note_name {
            continue;
        }
        let relative = if relative_dir.is_empty() {
            name.into_owned()
        } else {
            let mut relative = String::with_capacity(relative_dir.len() + 1 + name.len());
            relative.push_str(&relative_dir);
            relative.push('/');
            relative.push_str(&name);
            relative
        };
        if file_type.is_dir() {
            let real = real.join(entry.file_name());
            folders.push((entry.path(), relative, real));
        } else if file_type.is_file() {
            // No `stat` here: reading the file gives its size and time
            // anyway, and 21,000 stats are a third of the walk.
            found.files.push(FoundFile {
                path: path_in(dir, &file_name),
                relative,
            });
        } else if file_type.is_symlink() {
            follow_symlink(real_root, entry.path(), relative, is_note_name, &mut found);
        }
    }
    found.real_folders.push(real);
    let mut parts: Vec<Found> = folders
        .into_par_iter()
        .flat_map_iter(|(path, relative, real)| walk_folder_parts(real_root, &path, relative, real))
        .collect();
    parts.push(found);
    parts
}

/// `dir/name` (as `DirEntry::path` gives it), made in one allocation
/// rather than grown from a copy of `dir`: one for each of the vault's
/// files.
fn path_in(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + 1 + name.len());
    path.push(dir);
    path.push(name);
    path
}

/// A symlink inside the vault: a note file is kept, a folder is followed
/// later (see [`walk`]), anything else is reported.
fn follow_symlink(
    real_root: &Path,
    path: PathBuf,
    relative: String,
    is_note_name: bool,
    found: &mut Found,
) {
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
            found.skipped_symlink(relative, why);
            return;
        }
    };
    if !real.starts_with(real_root) {
        found.skipped_symlink(relative, "symlink leads out of the vault; not followed");
        return;
    }
    if real.is_dir() {
        found.linked.push(LinkedFolder {
            path,
            relative,
            real,
        });
    } else if real.is_file() && is_note_name {
        found.files.push(FoundFile { path, relative });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for file in files {
            let path = dir.path().join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("folders");
            fs::write(path, "# note\n").expect("writes");
        }
        dir
    }

    fn relatives(walk: &Walk) -> Vec<&str> {
        walk.files.iter().map(|f| f.relative.as_str()).collect()
    }

    #[test]
    fn every_note_of_every_folder_sorted_by_path_hidden_and_other_files_left_out() {
        let mut files = vec!["top.md", "notes.txt", ".hidden/h.md", "a/.h.md"];
        let names: Vec<String> = (0..40)
            .flat_map(|c| [format!("c{c:02}/v.md"), format!("c{c:02}/sub/w.md")])
            .collect();
        files.extend(names.iter().map(String::as_str));
        let dir = vault(&files);
        let walk = walk(dir.path()).expect("walks");
        let mut expected: Vec<&str> = names.iter().map(String::as_str).collect();
        expected.push("top.md");
        expected.sort_unstable();
        assert_eq!(relatives(&walk), expected);
        for file in &walk.files {
            assert_eq!(file.path, dir.path().join(&file.relative));
        }
        assert!(walk.problems.is_empty(), "{:?}", walk.problems);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_met_through_a_symlink_first_is_still_read_under_its_real_path() {
        use std::os::unix::fs::symlink;
        let dir = vault(&["zz_real/n.md", ".kept/k.md"]);
        // Listed (and sorted) before the real folder it leads to.
        symlink(dir.path().join("zz_real"), dir.path().join("aa_link")).expect("link");
        symlink(dir.path().join(".kept"), dir.path().join("kept_link")).expect("link");
        symlink(dir.path().join("zz_real/n.md"), dir.path().join("alias.md")).expect("link");
        let walk = walk(dir.path()).expect("walks");
        assert_eq!(
            relatives(&walk),
            ["alias.md", "kept_link/k.md", "zz_real/n.md"],
            "a hidden folder is read through a link to it, a real one under its own path"
        );
        let problems: Vec<(&str, &str)> = walk
            .problems
            .iter()
            .map(|p| (p.path.as_str(), p.problem.message.as_str()))
            .collect();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, "aa_link");
        assert!(problems[0].1.contains("read already"), "{problems:?}");
    }

    /// The first level of the tree the outline shows for the walk's notes
    /// (as the app builds it from the walk's paths): its folders, then its
    /// notes, in the tree's own order.
    fn walked_first_level(walk: &Walk) -> crate::vault::FirstLevel {
        use crate::vault::{Note, TreeNode, Vault, tree};
        let vault = Vault {
            notes: walk
                .files
                .iter()
                .map(|f| Note::empty(&f.relative))
                .collect(),
            ..Vault::default()
        };
        let mut first = crate::vault::FirstLevel::default();
        for node in tree::build(&vault) {
            match node {
                TreeNode::Folder { name, .. } => first.folders.push(name),
                TreeNode::Note(id) => first.notes.push(vault.note(id).path.clone()),
                TreeNode::Video { .. } => {}
            }
        }
        first
    }

    #[test]
    fn the_first_level_is_the_walks_root_in_the_trees_order() {
        let dir = vault(&[
            "b.md",
            "A.md",
            "notes.txt",
            ".hidden/h.md",
            ".top.md",
            "zeta/n.md",
            "Alpha/deep/n.md",
            "alpha2/n.md",
            "beta/n.md",
        ]);
        let first = first_level(dir.path()).expect("lists");
        assert_eq!(first.folders, ["Alpha", "alpha2", "beta", "zeta"]);
        assert_eq!(first.notes, ["A.md", "b.md"]);
        assert_eq!(first, walked_first_level(&walk(dir.path()).expect("walks")));
        assert_eq!(first_level(&dir.path().join("missing")), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_first_levels_symlinks_follow_the_walks_rules() {
        use std::os::unix::fs::symlink;
        let dir = vault(&["real/n.md", ".kept/k.md", "inner/x.md"]);
        let outside = tempfile::tempdir().expect("temp dir");
        fs::write(outside.path().join("o.md"), "# o\n").expect("writes");
        let link = |to: &Path, name: &str| symlink(to, dir.path().join(name)).expect("link");
        link(&dir.path().join("real"), "a_second_way_in");
        link(&dir.path().join(".kept"), "kept_link");
        link(&dir.path().join("real/n.md"), "alias.md");
        link(outside.path(), "out");
        link(&outside.path().join("o.md"), "out.md");
        link(&dir.path().join("nowhere"), "broken");
        let first = first_level(dir.path()).expect("lists");
        assert_eq!(first.folders, ["inner", "kept_link", "real"]);
        assert_eq!(first.notes, ["alias.md"]);
        assert_eq!(first, walked_first_level(&walk(dir.path()).expect("walks")));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_name_that_is_not_utf8_keeps_its_real_path() {
        use std::os::unix::ffi::OsStrExt;
        let dir = vault(&["ok.md"]);
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.md");
        fs::write(dir.path().join(name), "# n\n").expect("writes");
        let walk = walk(dir.path()).expect("walks");
        assert_eq!(relatives(&walk), ["bad\u{fffd}.md", "ok.md"]);
        assert_eq!(walk.files[0].path, dir.path().join(name));
    }
}
