//! Note text on demand. The index keeps no text of notes read from disk
//! (see [`super::Note::text`]); opening a note reads its file back, decoded
//! and sanitised exactly as at load, and the last few texts stay cached.
//!
//! Every read of a note file, at load and after, goes through
//! [`open_note_file`]: it refuses anything that is not a regular file
//! (a named pipe would block the reader forever, a device could be
//! anything) without ever blocking, and reads at most [`MAX_NOTE_BYTES`].
//! Reading back also refuses a file whose real path has left the vault
//! (a note swapped for a symlink to a file elsewhere).

use std::{
    fs::File,
    io::Read,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::SystemTime,
};

use super::{NoteId, loader};

/// Texts kept after being read back: the open note, the notes around it in
/// history, and backlink sources.
const CACHED_TEXTS: usize = 64;

/// How much of a note is read, indexed and shown: 4 MiB, some forty times
/// the longest note of a 21,000-note vault. A larger file is cut there
/// (at a character boundary) and says so, so that memory and time stay
/// in proportion to what is shown.
pub const MAX_NOTE_BYTES: u64 = 4 * 1024 * 1024;

/// Why a note's text could not be read back. The message is what the
/// browser and `vidwiki show` print.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{path} is gone: the file no longer exists; restart vidwiki to reload the vault")]
    NotFound { path: String },
    #[error("cannot read {path}: permission denied")]
    PermissionDenied { path: String },
    #[error("{path} is not a regular file any more ({what}); not read")]
    NotARegularFile { path: String, what: &'static str },
    #[error("{path} now leads outside the vault (a symlink); not read")]
    OutsideVault { path: String },
    #[error("{path} changed on disk after the vault was loaded; restart vidwiki to read it again")]
    Changed { path: String },
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
}

impl TextError {
    /// The error for an I/O failure on the note `path`.
    #[must_use]
    pub fn from_io(path: &str, error: &std::io::Error) -> Self {
        let path = path.to_owned();
        match error.kind() {
            std::io::ErrorKind::NotFound => Self::NotFound { path },
            std::io::ErrorKind::PermissionDenied => Self::PermissionDenied { path },
            // `O_NOFOLLOW` on a symlink.
            _ if is_symlink_refusal(error) => Self::NotARegularFile {
                path,
                what: "a symlink",
            },
            _ => Self::Unreadable {
                path,
                reason: error.to_string(),
            },
        }
    }
}

#[cfg(unix)]
fn is_symlink_refusal(error: &std::io::Error) -> bool {
    // ELOOP is 40 on Linux, 62 on the BSDs and macOS.
    matches!(error.raw_os_error(), Some(40 | 62))
}

#[cfg(not(unix))]
fn is_symlink_refusal(_: &std::io::Error) -> bool {
    false
}

#[derive(Debug, Default)]
pub struct TextCache {
    recent: Mutex<Vec<(NoteId, Arc<str>)>>,
}

impl TextCache {
    pub fn get(&self, id: NoteId) -> Option<Arc<str>> {
        let mut recent = self.recent.lock().ok()?;
        let at = recent.iter().position(|(i, _)| *i == id)?;
        let entry = recent.remove(at);
        let text = Arc::clone(&entry.1);
        recent.push(entry);
        Some(text)
    }

    pub fn put(&self, id: NoteId, text: Arc<str>) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.retain(|(i, _)| *i != id);
            if recent.len() >= CACHED_TEXTS {
                recent.remove(0);
            }
            recent.push((id, text));
        }
    }

    /// Drops the cached text of one note (its index was replaced).
    pub fn forget(&self, id: NoteId) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.retain(|(i, _)| *i != id);
        }
    }
}

/// What a file is, in words, when it is not a regular file.
fn kind_of(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    if file_type.is_symlink() {
        return Some("a symlink");
    }
    Some("not a file")
}

/// An opened note file, checked to be a regular file, with its metadata.
pub struct NoteFile {
    file: File,
    pub metadata: std::fs::Metadata,
}

impl NoteFile {
    /// The file's size on disk.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.metadata.len()
    }

    /// True for an empty file.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads at most `limit` bytes; a file cut short is cut at a line's
    /// end when one is near, else at a UTF-8 character boundary (so the
    /// cut adds no `�`).
    pub fn read_up_to(self, limit: u64) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.read_up_to_into(limit, &mut bytes)?;
        Ok(bytes)
    }

    /// [`NoteFile::read_up_to`] into `bytes` (cleared first), so that a
    /// loader reading thousands of files reuses one buffer a thread
    /// instead of taking fresh memory (and its page faults) for each.
    pub fn read_up_to_into(mut self, limit: u64, bytes: &mut Vec<u8>) -> std::io::Result<()> {
        bytes.clear();
        let told = usize::try_from(self.len().min(limit)).unwrap_or(0);
        let limit_bytes = usize::try_from(limit).unwrap_or(usize::MAX);
        // The size the open file told and one byte more, asked in one
        // call: `read_to_end` through a `Take` knows no size, and reads
        // 8 KB, then 16 KB... (a third more read calls over a vault), and
        // reading exactly the size told takes a second call to see the
        // end. A read that stops short of what was asked, having reached
        // the size told, is at the file's end (a regular file is read to
        // its end in one call); one that fills the extra byte found a file
        // that grew, read on to its end (as is a file whose file system
        // tells no size).
        let asked = told.saturating_add(1).min(limit_bytes);
        bytes.reserve(asked);
        bytes.resize(asked, 0);
        let mut filled = 0;
        let mut at_end = false;
        while filled < asked {
            match self.file.read(&mut bytes[filled..]) {
                Ok(0) => {
                    at_end = true;
                    break;
                }
                Ok(read) => {
                    filled += read;
                    if filled >= told && filled < asked {
                        at_end = true;
                        break;
                    }
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        bytes.truncate(filled);
        if !at_end {
            (&mut self.file)
                .take(limit - filled as u64)
                .read_to_end(bytes)?;
        }
        if bytes.len() as u64 >= limit && self.metadata.len() > limit {
            let lead = (bytes.len().saturating_sub(4)..bytes.len())
                .rev()
                .find(|&i| bytes[i] & 0xC0 != 0x80);
            if let Some(lead) = lead {
                let width = match bytes[lead] {
                    0xF0.. => 4,
                    0xE0.. => 3,
                    0xC0.. => 2,
                    _ => 1,
                };
                if lead + width > bytes.len() {
                    bytes.truncate(lead);
                }
            }
            // Better still at a line's end, so the shown text does not stop
            // in the middle of a tag or a link.
            let tail = bytes.len().saturating_sub(64 * 1024);
            if let Some(newline) = memchr::memrchr(b'\n', &bytes[tail..]) {
                bytes.truncate(tail + newline + 1);
            }
        }
        Ok(())
    }
}

/// Opens a note file for reading without ever blocking: on Unix with
/// `O_NONBLOCK` (a named pipe opens at once instead of waiting for a
/// writer) and `O_NOFOLLOW` when `no_follow` (a symlink put in place of
/// a checked path is refused), then checks on the open file that it is a
/// regular file. A special file is refused before it is opened, so that
/// opening a device has no effect.
pub fn open_note_file(path: &Path, relative: &str, no_follow: bool) -> Result<NoteFile, TextError> {
    let io = |error: std::io::Error| TextError::from_io(relative, &error);
    let seen = if no_follow {
        std::fs::symlink_metadata(path)
    } else {
        std::fs::metadata(path)
    }
    .map_err(io)?;
    if let Some(what) = kind_of(seen.file_type()) {
        return Err(TextError::NotARegularFile {
            path: relative.to_owned(),
            what,
        });
    }
    open_checked(path, relative, no_follow)
}

/// [`open_note_file`] for a file the walk listed, opened already (by
/// the loader, without blocking, through its folder): the walk saw it as
/// a regular file (from the listing's file type, or by following its
/// symlink), which is what the `stat` before opening checks, so that
/// second look-up of the path is left out (it was a twentieth of a full
/// load). The open file is still checked to be a regular file.
pub fn listed_note_file(file: File) -> Result<NoteFile, TextError> {
    checked(file, "")
}

/// Opens without blocking (see [`open_note_file`]) and checks the open
/// file is a regular one.
fn open_checked(path: &Path, relative: &str, no_follow: bool) -> Result<NoteFile, TextError> {
    let io = |error: std::io::Error| TextError::from_io(relative, &error);
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK and O_NOFOLLOW, spelt out: no libc dependency.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let (nonblock, nofollow) = (0o4000, 0o400000);
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let (nonblock, nofollow) = (0x0004, 0x0100);
        options.custom_flags(nonblock | if no_follow { nofollow } else { 0 });
    }
    checked(options.open(path).map_err(io)?, relative)
}

/// An open file, checked to be a regular one.
fn checked(file: File, relative: &str) -> Result<NoteFile, TextError> {
    let metadata = file
        .metadata()
        .map_err(|error| TextError::from_io(relative, &error))?;
    if let Some(what) = kind_of(metadata.file_type()) {
        return Err(TextError::NotARegularFile {
            path: relative.to_owned(),
            what,
        });
    }
    Ok(NoteFile { file, metadata })
}

/// The real path of a note, checked to lie inside the vault's real path.
fn inside_real_root(real_root: &Path, path: &Path, relative: &str) -> Result<PathBuf, TextError> {
    let io = |error: std::io::Error| TextError::from_io(relative, &error);
    let real = path.canonicalize().map_err(io)?;
    if real.starts_with(real_root) {
        Ok(real)
    } else {
        Err(TextError::OutsideVault {
            path: relative.to_owned(),
        })
    }
}

/// Reads a note's file back. With the `expected` size and modification
/// time of the load, it fails when the file changed since, because the
/// index's byte ranges would no longer fit it. `root` is the vault: a
/// file whose real path is not inside it is refused, as is anything but
/// a regular file.
pub fn read_back(
    root: &Path,
    path: &Path,
    relative: &str,
    expected: Option<(u64, Option<SystemTime>)>,
) -> Result<Arc<str>, TextError> {
    let real_root = root
        .canonicalize()
        .map_err(|error| TextError::from_io(relative, &error))?;
    read_back_under(&real_root, path, relative, expected)
}

/// [`read_back`] with the vault's real root (`root.canonicalize()`)
/// already known: a search that reads every note resolves it once, not
/// once a file.
pub fn read_back_under(
    real_root: &Path,
    path: &Path,
    relative: &str,
    expected: Option<(u64, Option<SystemTime>)>,
) -> Result<Arc<str>, TextError> {
    let real = inside_real_root(real_root, path, relative)?;
    // The real path has no symlink left in it: one found there now was
    // swapped in since the check, and is refused.
    let file = open_note_file(&real, relative, true)?;
    if let Some((size, modified)) = expected {
        let time = file.metadata.modified().ok();
        if file.len() != size || (modified.is_some() && time != modified) {
            return Err(TextError::Changed {
                path: relative.to_owned(),
            });
        }
    }
    let bytes = file
        .read_up_to(MAX_NOTE_BYTES)
        .map_err(|error| TextError::from_io(relative, &error))?;
    Ok(Arc::from(loader::decode(&bytes).as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tests run as root, where `chmod 000` denies nothing: the wording of
    /// each error is checked from the I/O error it comes from.
    #[test]
    fn io_errors_say_what_happened() {
        use std::io::{Error, ErrorKind};
        let denied = TextError::from_io("a.md", &Error::from(ErrorKind::PermissionDenied));
        assert!(matches!(denied, TextError::PermissionDenied { .. }));
        assert_eq!(denied.to_string(), "cannot read a.md: permission denied");
        assert!(!denied.to_string().contains("changed"));
        assert!(matches!(
            TextError::from_io("a.md", &Error::from(ErrorKind::NotFound)),
            TextError::NotFound { .. }
        ));
        #[cfg(target_os = "linux")]
        assert!(matches!(
            TextError::from_io("a.md", &Error::from_raw_os_error(40)),
            TextError::NotARegularFile { .. }
        ));
        assert!(matches!(
            TextError::from_io("a.md", &Error::other("disk on fire")),
            TextError::Unreadable { .. }
        ));
    }

    #[test]
    fn a_cut_file_is_cut_between_characters() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("n.md");
        std::fs::write(&path, "aé".repeat(10)).expect("write");
        for limit in 1..30 {
            let file = open_note_file(&path, "n.md", true).expect("opens");
            let bytes = file.read_up_to(limit).expect("reads");
            assert!(std::str::from_utf8(&bytes).is_ok(), "{limit}");
            assert!(bytes.len() as u64 <= limit);
        }
    }

    #[test]
    fn a_file_that_grew_or_shrank_after_it_was_opened_is_read_to_its_end() {
        // The size the open file told is read with one byte more: a file
        // that grew since fills that byte and is read on to its end.
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("n.md");
        for (before, after) in [(10, 11), (10, 5000), (0, 3), (5000, 10), (10, 0)] {
            std::fs::write(&path, vec![b'a'; before]).expect("write");
            let file = open_note_file(&path, "n.md", true).expect("opens");
            assert_eq!(file.len(), before as u64);
            let now: Vec<u8> = (0..after).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .and_then(|mut f| {
                    use std::io::Write;
                    f.set_len(0)?;
                    f.write_all(&now)
                })
                .expect("rewrites");
            let mut buffer = Vec::new();
            file.read_up_to_into(MAX_NOTE_BYTES, &mut buffer)
                .expect("reads");
            assert_eq!(buffer, now, "{before} -> {after}");
        }
    }

    #[test]
    fn a_file_is_read_whole_into_a_reused_buffer_whatever_its_size() {
        // Around the 8 and 16 KB reads of `read_to_end`, and a buffer that
        // held a larger file before.
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("n.md");
        let mut buffer = b"left from a larger file".repeat(2000);
        for len in [0, 1, 8191, 8192, 8193, 24_575, 24_577, 40_000, 3] {
            let text: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::write(&path, &text).expect("write");
            let file = open_note_file(&path, "n.md", true).expect("opens");
            file.read_up_to_into(MAX_NOTE_BYTES, &mut buffer)
                .expect("reads");
            assert_eq!(buffer, text, "{len}");
        }
    }
}
