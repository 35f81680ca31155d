//! The walk's files kept small while a warm start's bodies come: only a
//! body that does not decode needs its file again, and at 100,000 notes
//! the walk's list (two paths a file) was ~20 MB held the whole phase.

use std::path::{Path, PathBuf};

use super::FoundFile;

/// Every file's relative path in one buffer; its full path is the root
/// joined with it, except for the few (names not UTF-8) kept whole.
pub(super) struct WalkedPaths {
    root: PathBuf,
    joined: String,
    ends: Vec<usize>,
    /// `(index, path)` of the files whose path is not `root/relative`.
    others: Vec<(usize, PathBuf)>,
}

impl WalkedPaths {
    pub(super) fn of(root: &Path, files: Vec<FoundFile>) -> Self {
        let mut joined = String::with_capacity(files.iter().map(|f| f.relative.len()).sum());
        let mut ends = Vec::with_capacity(files.len());
        let mut others = Vec::new();
        for (i, file) in files.into_iter().enumerate() {
            joined.push_str(&file.relative);
            ends.push(joined.len());
            if file.path.strip_prefix(root).ok() != Some(Path::new(&file.relative)) {
                others.push((i, file.path));
            }
        }
        Self {
            root: root.to_path_buf(),
            joined,
            ends,
            others,
        }
    }

    /// The file at `i` as the walk found it.
    pub(super) fn file(&self, i: usize) -> Option<FoundFile> {
        let end = *self.ends.get(i)?;
        let start = i.checked_sub(1).map_or(0, |before| self.ends[before]);
        let relative = self.joined.get(start..end)?.to_owned();
        let path = match self.others.binary_search_by_key(&i, |(at, _)| *at) {
            Ok(at) => self.others[at].1.clone(),
            Err(_) => self.root.join(&relative),
        };
        Some(FoundFile { path, relative })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_every_file_as_walked() {
        let root = Path::new("/vault");
        let files = vec![
            FoundFile {
                path: root.join("a/b.md"),
                relative: "a/b.md".to_owned(),
            },
            FoundFile {
                path: PathBuf::from("/elsewhere/odd.md"),
                relative: "odd\u{fffd}.md".to_owned(),
            },
            FoundFile {
                path: root.join("c.md"),
                relative: "c.md".to_owned(),
            },
        ];
        let kept = WalkedPaths::of(root, files.clone());
        for (i, file) in files.iter().enumerate() {
            let back = kept.file(i).unwrap();
            assert_eq!((&back.path, &back.relative), (&file.path, &file.relative));
        }
        assert!(kept.file(3).is_none());
    }
}
