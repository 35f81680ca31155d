//! Writing an index file (see the module above for its layout).

use std::{
    fs,
    io::{Seek, Write},
    path::{Path, PathBuf},
};

use super::{HEADER_BYTES, SaveEntry, SavedNote, Span, layout, layout::Section, parts};

/// Writes an index file: the bodies streamed (a vault's notes are tens of
/// megabytes: their encodings are never all in memory at once), then the
/// heads, headings, resolved index and table, then the header, which holds
/// where each lies, in place at the start. The heads and headings are
/// spilled to the two files of `spills` as the bodies stream, then copied
/// after them: held in memory they were 15-30 MB of a cold start's peak
/// (real vault), beside the whole vault.
pub(super) fn write_index(
    file: fs::File,
    root: &Path,
    entries: &[SaveEntry<'_>],
    resolved: Option<&[u8]>,
    spills: &[PathBuf; 2],
) -> std::io::Result<()> {
    let fail = |what: &str| std::io::Error::other(format!("the index does not encode: {what}"));
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    out.write_all(&[0; HEADER_BYTES])?;
    let mut at = HEADER_BYTES as u64;
    let mut header = layout::Header::default();
    let mut table = Vec::with_capacity(entries.len());
    let [mut heads, mut headings] = [0, 1].map(|_| Spill::default());
    let [heads_path, headings_path] = spills;
    // Read back after: opened for both.
    let spill_file = |path: &Path| {
        fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map(std::io::BufWriter::new)
    };
    let mut heads_file = spill_file(heads_path)?;
    let mut headings_file = spill_file(headings_path)?;
    for entry in entries {
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
        let span = |start: usize, bytes: &[u8]| Span {
            start: start as u64,
            len: bytes.len() as u64,
        };
        table.push(layout::TableEntry {
            path: entry.path,
            stamp: entry.stamp,
            head: span(heads.len, parts.head),
            headings: span(headings.len, parts.headings),
            body: Span {
                start: at - HEADER_BYTES as u64,
                len: parts.body.len() as u64,
            },
            body_crc: crc32fast::hash(parts.body),
        });
        out.write_all(parts.body)?;
        at += parts.body.len() as u64;
        heads.write(&mut heads_file, parts.head)?;
        headings.write(&mut headings_file, parts.headings)?;
    }
    header.sections[Section::Bodies as usize] = layout::Extent {
        offset: HEADER_BYTES as u64,
        len: at - HEADER_BYTES as u64,
        crc: 0,
    };
    for (section, spill, spilled) in [
        (Section::Heads, heads, heads_file),
        (Section::Headings, headings, headings_file),
    ] {
        let mut spilled = spilled.into_inner().map_err(|e| e.into_error())?;
        spilled.seek(std::io::SeekFrom::Start(0))?;
        let copied = std::io::copy(&mut spilled, &mut out)?;
        if copied != spill.len as u64 {
            return Err(fail("a spilled section"));
        }
        header.sections[section as usize] = layout::Extent {
            offset: at,
            len: copied,
            crc: spill.crc.finalize(),
        };
        at += copied;
    }
    let root = root.to_string_lossy();
    let table = postcard::to_stdvec(&layout::Table {
        root: &root,
        entries: table,
    })
    .map_err(|_| fail("table"))?;
    for (section, bytes) in [
        (Section::Resolved, resolved.unwrap_or_default()),
        (Section::Table, table.as_slice()),
    ] {
        header.sections[section as usize] = layout::Extent {
            offset: at,
            len: bytes.len() as u64,
            crc: crc32fast::hash(bytes),
        };
        out.write_all(bytes)?;
        at += bytes.len() as u64;
    }
    let mut file = out.into_inner().map_err(|e| e.into_error())?;
    file.seek(std::io::SeekFrom::Start(0))?;
    file.write_all(&header.encode())?;
    Ok(())
}

/// A section written to a spill file: its length and running CRC.
#[derive(Default)]
struct Spill {
    len: usize,
    crc: crc32fast::Hasher,
}

impl Spill {
    fn write(&mut self, file: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
        file.write_all(bytes)?;
        self.crc.update(bytes);
        self.len += bytes.len();
        Ok(())
    }
}
