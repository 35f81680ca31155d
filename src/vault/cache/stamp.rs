//! What identifies one version of a file ([`FileStamp`]), and whether a
//! file is old enough to be trusted to the cache.

use std::{fs, time::SystemTime};

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
