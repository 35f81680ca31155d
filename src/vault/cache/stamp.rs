//! What identifies one version of a file ([`FileStamp`]), and whether a
//! file is old enough to be trusted to the cache.

use std::{fs, path::Path, time::SystemTime};

use serde::{Deserialize, Serialize};

use super::RACY_MARGIN;

/// What identifies one version of a file, for validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FileStamp {
    pub size: u64,
    pub modified_secs: i64,
    pub modified_nanos: u32,
    pub changed_secs: i64,
    pub changed_nanos: u32,
    pub inode: u64,
    pub device: u64,
}

impl FileStamp {
    #[must_use]
    pub fn of(metadata: &fs::Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Self {
                size: metadata.len(),
                modified_secs: metadata.mtime(),
                modified_nanos: u32::try_from(metadata.mtime_nsec()).unwrap_or(0),
                changed_secs: metadata.ctime(),
                changed_nanos: u32::try_from(metadata.ctime_nsec()).unwrap_or(0),
                inode: metadata.ino(),
                device: metadata.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            let since = |time: std::io::Result<SystemTime>| {
                time.ok()
                    .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                    .unwrap_or_default()
            };
            let modified = since(metadata.modified());
            Self {
                size: metadata.len(),
                modified_secs: i64::try_from(modified.as_secs()).unwrap_or(i64::MAX),
                modified_nanos: modified.subsec_nanos(),
                ..Self::default()
            }
        }
    }

    /// True when the file was modified less than [`RACY_MARGIN`] before
    /// `load_started` (or after it): too fresh to cache.
    fn is_racy(&self, load_started: SystemTime) -> bool {
        let Ok(since_epoch) = load_started.duration_since(SystemTime::UNIX_EPOCH) else {
            return true;
        };
        let Some(limit) = since_epoch.checked_sub(RACY_MARGIN) else {
            return true;
        };
        let modified =
            i128::from(self.modified_secs) * 1_000_000_000 + i128::from(self.modified_nanos);
        modified >= i128::try_from(limit.as_nanos()).unwrap_or(i128::MAX)
    }
}

/// Whether a note read with `stamp` at a load started at `load_started`
/// may be saved.
#[must_use]
pub fn cacheable(stamp: &FileStamp, load_started: SystemTime) -> bool {
    !stamp.is_racy(load_started)
}

/// Stamps files one after another, each looked up by its folder's
/// descriptor when the folder is the last file's (a vault's files come
/// folder by folder, in path order): the kernel then looks up the file's
/// name alone instead of every folder of its path again. One per thread
/// (rayon's `map_init`).
#[derive(Debug, Default)]
pub struct Stamper {
    #[cfg(target_os = "linux")]
    folder: Option<(std::path::PathBuf, rustix::fd::OwnedFd)>,
}

impl Stamper {
    /// The stamp of the file at `path` (symlinks followed, as
    /// [`fs::metadata`] does): the same as [`FileStamp::of`] its metadata.
    pub fn stamp(&mut self, path: &Path) -> Option<FileStamp> {
        #[cfg(target_os = "linux")]
        if let Some(stamp) = self.stamp_in_folder(path) {
            return Some(stamp);
        }
        Some(FileStamp::of(&fs::metadata(path).ok()?))
    }

    #[cfg(target_os = "linux")]
    fn stamp_in_folder(&mut self, path: &Path) -> Option<FileStamp> {
        use rustix::fs::{AtFlags, Mode, OFlags, StatxFlags};
        let (folder, name) = (path.parent()?, path.file_name()?);
        if self.folder.as_ref().is_none_or(|(open, _)| open != folder) {
            self.folder = None;
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let descriptor = rustix::fs::open(folder, flags, Mode::empty()).ok()?;
            self.folder = Some((folder.to_path_buf(), descriptor));
        }
        let (_, descriptor) = self.folder.as_ref()?;
        let x =
            rustix::fs::statx(descriptor, name, AtFlags::empty(), StatxFlags::BASIC_STATS).ok()?;
        // As the standard library reads `statx`.
        Some(FileStamp {
            size: x.stx_size,
            modified_secs: x.stx_mtime.tv_sec,
            modified_nanos: x.stx_mtime.tv_nsec,
            changed_secs: x.stx_ctime.tv_sec,
            changed_nanos: x.stx_ctime.tv_nsec,
            inode: x.stx_ino,
            device: rustix::fs::makedev(x.stx_dev_major, x.stx_dev_minor),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_stamped_by_its_folder_has_the_stamp_of_its_metadata() {
        let dir = tempfile::tempdir().expect("dir");
        fs::create_dir(dir.path().join("sub")).expect("folder");
        let paths = ["a.md", "b.md", "sub/c.md", "d.md"].map(|p| dir.path().join(p));
        for (i, path) in paths.iter().enumerate() {
            fs::write(path, "x".repeat(i + 1)).expect("write");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&paths[0], dir.path().join("link.md")).expect("link");
        let mut stamper = Stamper::default();
        for path in paths
            .iter()
            .chain(cfg!(unix).then(|| dir.path().join("link.md")).iter())
        {
            let want = FileStamp::of(&fs::metadata(path).expect("metadata"));
            assert_eq!(stamper.stamp(path), Some(want), "{}", path.display());
        }
        assert_eq!(stamper.stamp(&dir.path().join("gone.md")), None);
    }
}
