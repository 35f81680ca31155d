//! Writing an index file (see the module above for its layout).

use std::{
    fs,
    io::{Seek, Write},
    path::{Path, PathBuf},
};

use super::{
    FileStamp, HEADER_BYTES, SaveEntry, SavedNote, Span, layout, layout::Section, parts, resolved,
};

/// The resolved section of a file being written.
#[derive(Clone, Copy)]
pub enum Resolved<'a> {
    /// Encoded already ([`resolved::Snapshot::encode`]).
    Encoded(&'a [u8]),
    /// Written a note's part at a time as the file is (see
    /// [`resolved::write_section`]): never whole in memory.
    Parts(&'a dyn resolved::SectionParts),
}

/// Writes an index file: the bodies streamed (a vault's notes are tens of
/// megabytes: their encodings are never all in memory at once), then the
/// heads, headings, resolved index and table, then the header, which holds
/// where each lies, in place at the start. The heads and headings are
/// spilled to the two files of `spills` as the bodies stream, then copied
/// after them: held in memory they were 15-30 MB of a cold start's peak
/// (real vault), beside the whole vault.
pub(super) fn write_index<'a>(
    file: fs::File,
    root: &Path,
    entries: impl Iterator<Item = SaveEntry<'a>> + Clone,
    resolved: Option<Resolved<'_>>,
    spills: &[PathBuf; 2],
) -> std::io::Result<()> {
    let mut writer = Writer::create(file, spills)?;
    // Where each note went, the rest of its table entry read again from
    // `entries` (the table's entries were a second list of every note).
    let mut placed = Vec::new();
    for entry in entries.clone() {
        let owned;
        let parts = match entry.note {
            SavedNote::Encoded(bytes) => {
                parts::Framed::split(bytes).ok_or_else(|| fail("frame"))?
            }
            SavedNote::Stored(stored) => parts::Framed {
                head: stored.head,
                headings: stored.headings,
                body: stored.note,
            },
            SavedNote::Parsed(note) => {
                owned = parts::encode(note).ok_or_else(|| fail("note"))?;
                parts::Framed::split(&owned).ok_or_else(|| fail("frame"))?
            }
        };
        placed.push(writer.put(&parts)?);
    }
    let table = entries
        .zip(&placed)
        .map(|(entry, placed)| placed.entry(entry.path, entry.stamp));
    writer.finish(root, placed.len(), table, resolved)
}

/// Writes `value` encoded (in `scratch`) to `out`.
fn put_encoded(
    value: &(impl serde::Serialize + ?Sized),
    scratch: &mut Vec<u8>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    encode_into(value, scratch).map_err(|_| fail("table"))?;
    out.write_all(scratch)
}

/// `value` encoded into `out`, emptied first (its memory reused).
pub(super) fn encode_into(
    value: &(impl serde::Serialize + ?Sized),
    out: &mut Vec<u8>,
) -> postcard::Result<()> {
    out.clear();
    *out = postcard::to_extend(value, std::mem::take(out))?;
    Ok(())
}

fn fail(what: &str) -> std::io::Error {
    std::io::Error::other(format!("the index does not encode: {what}"))
}

/// Where one note's parts were written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    head: Span,
    headings: Span,
    body: Span,
    body_crc: u32,
}

impl Placed {
    pub(super) fn entry(self, path: &str, stamp: FileStamp) -> layout::TableEntry<'_> {
        layout::TableEntry {
            path,
            stamp,
            head: self.head,
            headings: self.headings,
            body: self.body,
            body_crc: self.body_crc,
        }
    }
}

/// An index file being written: each note's body goes to the file as it
/// comes, its head and headings to the two spill files (copied after the
/// bodies by [`Writer::finish`]).
pub(super) struct Writer {
    out: std::io::BufWriter<fs::File>,
    /// Where the next body goes (from the start of the file).
    at: u64,
    heads: Counted<std::io::BufWriter<fs::File>>,
    headings: Counted<std::io::BufWriter<fs::File>>,
}

impl Writer {
    /// Starts `file` (the header's room, filled in by `finish`), with the
    /// two spill files of `spills` made or emptied.
    pub(super) fn create(file: fs::File, spills: &[PathBuf; 2]) -> std::io::Result<Self> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        out.write_all(&[0; HEADER_BYTES])?;
        // Read back after: opened for both.
        let spill_file = |path: &Path| {
            fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(path)
                .map(|file| Counted::new(std::io::BufWriter::new(file)))
        };
        let [heads_path, headings_path] = spills;
        Ok(Self {
            out,
            at: HEADER_BYTES as u64,
            heads: spill_file(heads_path)?,
            headings: spill_file(headings_path)?,
        })
    }

    /// Writes one note's parts.
    pub(super) fn put(&mut self, parts: &parts::Framed<'_>) -> std::io::Result<Placed> {
        let span = |start: u64, bytes: &[u8]| Span {
            start,
            len: bytes.len() as u64,
        };
        let placed = Placed {
            head: span(self.heads.len, parts.head),
            headings: span(self.headings.len, parts.headings),
            body: Span {
                start: self.at - HEADER_BYTES as u64,
                len: parts.body.len() as u64,
            },
            body_crc: crc32fast::hash(parts.body),
        };
        self.out.write_all(parts.body)?;
        self.at += parts.body.len() as u64;
        self.heads.write_all(parts.head)?;
        self.headings.write_all(parts.headings)?;
        Ok(placed)
    }

    /// The heads and headings copied after the bodies, then the resolved
    /// index and the table (`count` entries of `table`, in the walk's
    /// order; each written as it comes) and the header.
    pub(super) fn finish<'t>(
        self,
        root: &Path,
        count: usize,
        table: impl Iterator<Item = layout::TableEntry<'t>>,
        resolved: Option<Resolved<'_>>,
    ) -> std::io::Result<()> {
        let Self {
            mut out,
            mut at,
            heads,
            headings,
        } = self;
        let mut header = layout::Header::default();
        header.sections[Section::Bodies as usize] = layout::Extent {
            offset: HEADER_BYTES as u64,
            len: at - HEADER_BYTES as u64,
            crc: 0,
        };
        for (section, spill) in [(Section::Heads, heads), (Section::Headings, headings)] {
            let (len, crc) = (spill.len, spill.crc.finalize());
            let mut spilled = spill.out.into_inner().map_err(|e| e.into_error())?;
            spilled.seek(std::io::SeekFrom::Start(0))?;
            let copied = std::io::copy(&mut spilled, &mut out)?;
            if copied != len {
                return Err(fail("a spilled section"));
            }
            header.sections[section as usize] = layout::Extent {
                offset: at,
                len: copied,
                crc,
            };
            at += copied;
        }
        let mut counted = Counted::new(&mut out);
        match resolved {
            None => {}
            Some(Resolved::Encoded(bytes)) => counted.write_all(bytes)?,
            Some(Resolved::Parts(parts)) => resolved::write_section(parts, &mut counted)?,
        }
        let (len, crc) = (counted.len, counted.crc.finalize());
        header.sections[Section::Resolved as usize] = layout::Extent {
            offset: at,
            len,
            crc,
        };
        at += len;
        // A table's fields one after the other: its root, then its
        // entries as a sequence (their count, then each).
        let mut counted = Counted::new(&mut out);
        // Each encoded whole first: postcard writes a field at a time.
        let mut scratch = Vec::new();
        put_encoded(&*root.to_string_lossy(), &mut scratch, &mut counted)?;
        put_encoded(&count, &mut scratch, &mut counted)?;
        let mut written = 0;
        for entry in table {
            put_encoded(&entry, &mut scratch, &mut counted)?;
            written += 1;
        }
        if written != count {
            return Err(fail("table"));
        }
        header.sections[Section::Table as usize] = layout::Extent {
            offset: at,
            len: counted.len,
            crc: counted.crc.finalize(),
        };
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.seek(std::io::SeekFrom::Start(0))?;
        file.write_all(&header.encode())?;
        Ok(())
    }
}

/// A writer that counts and checksums what goes through it: a section's
/// length and CRC for the header, known once it is written.
pub(super) struct Counted<W> {
    pub(super) out: W,
    pub(super) len: u64,
    crc: crc32fast::Hasher,
}

impl<W> Counted<W> {
    pub(super) fn new(out: W) -> Self {
        Self {
            out,
            len: 0,
            crc: crc32fast::Hasher::new(),
        }
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.crc.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{Note, loader::parse_note};

    fn stamp(n: u64) -> FileStamp {
        FileStamp {
            size: n,
            modified_secs: 1_700_000_000 + n as i64,
            modified_nanos: 7,
            changed_secs: 1_700_000_000,
            changed_nanos: 9,
            inode: 40 + n,
            device: 3,
        }
    }

    #[test]
    fn the_table_written_entry_by_entry_is_the_table_encoded_whole() {
        let dir = tempfile::tempdir().expect("dir");
        let notes: Vec<Note> = ["a.md", "sub/b.md", "c.md"]
            .iter()
            .map(|path| parse_note(path, b"# T\n\n[[x]] ## no\n\n## H\n"))
            .collect();
        let entries = notes.iter().enumerate().map(|(i, note)| SaveEntry {
            path: &note.path,
            stamp: stamp(i as u64),
            note: SavedNote::Parsed(note),
        });
        let file = dir.path().join("index");
        let spills = [dir.path().join("h"), dir.path().join("hh")];
        let resolved = Resolved::Encoded(b"resolved bytes");
        write_index(
            fs::File::create(&file).expect("file"),
            Path::new("/the/root"),
            entries,
            Some(resolved),
            &spills,
        )
        .expect("writes");
        let bytes = fs::read(&file).expect("reads");
        let header = layout::Header::decode(&bytes, bytes.len() as u64).expect("header");
        let section = |s| header.checked(&bytes, s).expect("checksum holds");
        assert_eq!(section(Section::Resolved), b"resolved bytes");
        let table = section(Section::Table);
        let decoded: layout::Table<'_> = postcard::from_bytes(table).expect("decodes");
        assert_eq!(decoded.root, "/the/root");
        let paths: Vec<&str> = decoded.entries.iter().map(|e| e.path).collect();
        assert_eq!(paths, ["a.md", "sub/b.md", "c.md"]);
        assert!(
            decoded
                .entries
                .iter()
                .enumerate()
                .all(|(i, e)| e.stamp == stamp(i as u64))
        );
        assert_eq!(postcard::to_stdvec(&decoded).expect("encodes"), table);
    }
}
