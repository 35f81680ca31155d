//! An index file written while a cold load parses its notes (the browser's
//! cold start): the notes are encoded by the parse's workers and written
//! block by block as they come, in the walk's order, so that the encodings
//! of the whole vault are never in memory together (held until a save
//! after the load, they were 60 MB of the real vault's cold peak, beside
//! the vault handed over), and the file is completed (heads, headings,
//! resolved index, table) once the vault is finished.

use std::{fs, path::Path, path::PathBuf};

use super::{
    FileStamp, IndexCache, create_private_dir, parts, unique,
    write::{Placed, Resolved, Writer},
};
use crate::vault::Note;

/// A note's parts as the index file holds them (framed), made on any
/// thread by [`encode`], written by [`IndexFill::put`].
#[derive(Debug)]
pub struct Encoded(Vec<u8>);

impl Encoded {
    /// Its length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Encodes a note for [`IndexFill::put`]; `None` when it does not encode
/// (the note is then left out of the file, and so is the resolved index).
#[must_use]
pub fn encode(note: &Note) -> Option<Encoded> {
    parts::encode(note).map(Encoded)
}

/// An index file being filled (see the module's documentation). Dropped
/// unfinished, it leaves nothing behind.
pub struct IndexFill {
    root: PathBuf,
    target: PathBuf,
    temp: PathBuf,
    spills: [PathBuf; 2],
    /// `None` once a write failed: the rest is skipped, nothing is saved.
    writer: Option<Writer>,
    /// The notes written, by their index in the walk, in that order.
    placed: Vec<(usize, FileStamp, Placed)>,
}

impl IndexCache {
    /// Starts filling the index file of the vault at `real_root` (its
    /// canonical path); `None` when the file cannot be made (the load goes
    /// on without it, as when a save fails).
    #[must_use]
    pub fn fill(&self, real_root: &Path) -> Option<IndexFill> {
        create_private_dir(&self.dir).ok()?;
        let name = |what: &str| {
            self.dir
                .join(format!(".{what}-{}-{}.tmp", std::process::id(), unique()))
        };
        let mut fill = IndexFill {
            root: real_root.to_path_buf(),
            target: self.file_for(real_root),
            temp: name("index"),
            spills: [name("heads"), name("headings")],
            writer: None,
            placed: Vec::new(),
        };
        let file = fs::File::create(&fill.temp).ok()?;
        fill.writer = Some(Writer::create(file, &fill.spills).ok()?);
        Some(fill)
    }
}

impl IndexFill {
    /// Writes note `i` of the walk (file `stamp`). Notes come in the
    /// walk's order, so that a warm start reads a batch of bodies at once.
    pub fn put(&mut self, i: usize, stamp: FileStamp, note: &Encoded) {
        let Some(writer) = &mut self.writer else {
            return;
        };
        let put = parts::Framed::split(&note.0)
            .ok_or_else(|| std::io::Error::other("the note does not frame"))
            .and_then(|parts| writer.put(&parts));
        match put {
            Ok(placed) => self.placed.push((i, stamp, placed)),
            Err(_) => self.writer = None,
        }
    }

    /// Completes the file and puts it in place of the vault's old one:
    /// `paths[i]` is the path of the walk's note `i`, and `resolved` (the
    /// finished vault's links, backlinks and tree, by the walk's order) is
    /// kept only when every note was written. True when it was saved.
    pub fn finish(mut self, paths: &[&str], resolved: Option<Resolved<'_>>) -> bool {
        let Some(writer) = self.writer.take() else {
            return false;
        };
        let table = self
            .placed
            .iter()
            .filter_map(|&(i, stamp, placed)| Some(placed.entry(paths.get(i)?, stamp)))
            .collect::<Vec<_>>();
        let resolved = resolved.filter(|_| table.len() == paths.len());
        writer
            .finish(&self.root, table.len(), table.into_iter(), resolved)
            .is_ok()
            && fs::rename(&self.temp, &self.target).is_ok()
    }
}

impl Drop for IndexFill {
    fn drop(&mut self) {
        // After a rename the temporary file is gone already.
        let _ = fs::remove_file(&self.temp);
        for path in &self.spills {
            let _ = fs::remove_file(path);
        }
    }
}
