//! Opening a walked file by its name in its folder. Opened by its whole
//! path, every file cost the kernel a look-up of each folder from the
//! root down (`path_openat`, `__d_lookup_rcu`: a fifteenth of a full
//! load); the walk's files come folder by folder, so each loading thread
//! keeps its last folder open and opens the next file of that folder by
//! its name alone (`openat`).
//!
//! The result is the file opening the whole path gives: a symlink is
//! followed as before, and when the folder cannot be opened the whole
//! path is opened instead (so an error says what it said before). Folders
//! are kept open only while a load reads (see [`KeptFolders`]): a single
//! read opens the whole path, and no folder stays open after a load (it
//! would keep a removable drive busy).

use std::{
    fs::File,
    io,
    path::Path,
    sync::atomic::{AtomicUsize, Ordering},
};

/// How many loads are reading through kept folders.
static READING_LOADS: AtomicUsize = AtomicUsize::new(0);

/// While one lives, the loading threads keep their last folder open;
/// when the last one goes, every kept folder is closed.
pub(super) struct KeptFolders(());

impl KeptFolders {
    pub(super) fn keep() -> Self {
        READING_LOADS.fetch_add(1, Ordering::AcqRel);
        Self(())
    }
}

impl Drop for KeptFolders {
    fn drop(&mut self) {
        if READING_LOADS.fetch_sub(1, Ordering::AcqRel) == 1 {
            imp::close_folders();
        }
    }
}

/// Opens `path` for reading without blocking (`O_NONBLOCK`: a named pipe
/// put where a note was opens at once), through this thread's open
/// folder when `path` is in it, a load keeps folders open and this is one
/// of the pool's threads (whose folders [`KeptFolders`] closes; a note
/// read on another thread during a load opens the whole path).
pub(super) fn open_walked(path: &Path) -> io::Result<File> {
    let keep = READING_LOADS.load(Ordering::Acquire) > 0 && rayon::current_thread_index().is_some();
    imp::open_walked(path, keep)
}

#[cfg(unix)]
mod imp {
    use std::{cell::RefCell, ffi::OsString, fs::File, io, os::fd::OwnedFd, path::Path};

    use rustix::fs::{CWD, Mode, OFlags, openat};

    thread_local! {
        /// This thread's last folder: its path and an open handle.
        static FOLDER: RefCell<Option<(OsString, OwnedFd)>> = const { RefCell::new(None) };
    }

    const FILE_FLAGS: OFlags = OFlags::RDONLY
        .union(OFlags::CLOEXEC)
        .union(OFlags::NONBLOCK);

    pub(super) fn open_walked(path: &Path, keep_folder: bool) -> io::Result<File> {
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return open_whole(path);
        };
        if !keep_folder || folder.as_os_str().is_empty() {
            // A folder kept by a load that is over goes now.
            FOLDER.with_borrow_mut(Option::take);
            return open_whole(path);
        }
        FOLDER.with_borrow_mut(|open| {
            // Compared as bytes: `Path`'s equality parses components.
            if open.as_ref().is_none_or(|(at, _)| at != folder.as_os_str()) {
                *open = None;
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                match openat(CWD, folder, flags, Mode::empty()) {
                    Ok(handle) => *open = Some((folder.as_os_str().to_owned(), handle)),
                    Err(_) => return open_whole(path),
                }
            }
            let Some((_, handle)) = open.as_ref() else {
                return open_whole(path);
            };
            Ok(File::from(openat(handle, name, FILE_FLAGS, Mode::empty())?))
        })
    }

    fn open_whole(path: &Path) -> io::Result<File> {
        Ok(File::from(openat(CWD, path, FILE_FLAGS, Mode::empty())?))
    }

    pub(super) fn close_folders() {
        rayon::broadcast(|_| FOLDER.with_borrow_mut(Option::take));
        FOLDER.with_borrow_mut(Option::take);
    }

    /// The folder this thread keeps open.
    #[cfg(test)]
    pub(super) fn kept_folder() -> Option<OsString> {
        FOLDER.with_borrow(|open| open.as_ref().map(|(at, _)| at.clone()))
    }
}

#[cfg(not(unix))]
mod imp {
    use std::{fs::File, io, path::Path};

    pub(super) fn open_walked(path: &Path, _: bool) -> io::Result<File> {
        File::open(path)
    }

    pub(super) fn close_folders() {}
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn read(path: &Path) -> io::Result<String> {
        let mut text = String::new();
        open_walked(path)?.read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn files_of_one_folder_then_another_are_those_their_paths_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (folder, name) in [("a", "1.md"), ("a", "2.md"), ("b", "1.md")] {
            std::fs::create_dir_all(dir.path().join(folder)).expect("folder");
            std::fs::write(
                dir.path().join(folder).join(name),
                format!("{folder}/{name}"),
            )
            .expect("writes");
        }
        // On one of the pool's threads, as a load reads.
        rayon::scope(|_| {
            let kept = KeptFolders::keep();
            for (folder, name) in [("a", "1.md"), ("a", "2.md"), ("b", "1.md"), ("a", "1.md")] {
                let path = dir.path().join(folder).join(name);
                assert_eq!(read(&path).expect("reads"), format!("{folder}/{name}"));
                #[cfg(unix)]
                assert_eq!(imp::kept_folder(), Some(dir.path().join(folder).into()));
            }
            let missing = read(&dir.path().join("a/none.md")).expect_err("missing");
            assert_eq!(missing.kind(), io::ErrorKind::NotFound);
            let no_folder = read(&dir.path().join("none/x.md")).expect_err("missing");
            assert_eq!(no_folder.kind(), io::ErrorKind::NotFound);
            drop(kept);
            // Another test's load may still keep folders; this thread's
            // goes at its next read at the latest.
            if READING_LOADS.load(Ordering::Acquire) == 0 {
                #[cfg(unix)]
                assert_eq!(imp::kept_folder(), None);
            }
        });
    }

    #[test]
    fn a_thread_outside_the_pool_keeps_no_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("n.md"), "n").expect("writes");
        let _kept = KeptFolders::keep();
        std::thread::spawn(move || {
            assert_eq!(read(&dir.path().join("n.md")).expect("reads"), "n");
            #[cfg(unix)]
            assert_eq!(imp::kept_folder(), None);
        })
        .join()
        .expect("reads on its thread");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_and_a_named_pipe_opens_without_blocking() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("real.md"), "real").expect("writes");
        std::os::unix::fs::symlink(dir.path().join("real.md"), dir.path().join("link.md"))
            .expect("link");
        let pipe = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        let made = made.is_ok_and(|status| status.success());
        // On one of the pool's threads, as a load reads.
        rayon::scope(|_| {
            let _kept = KeptFolders::keep();
            assert_eq!(read(&dir.path().join("link.md")).expect("reads"), "real");
            if !made {
                eprintln!("skipped the named pipe: mkfifo is not available");
                return;
            }
            let file = open_walked(&pipe).expect("opens at once");
            assert!(file.metadata().expect("metadata").file_type().is_fifo());
            assert_eq!(imp::kept_folder(), Some(dir.path().into()));
        });
    }
}
