//! An index file opened for a full load without being read whole: the
//! table and the resolved index are read (and checked), the heads and
//! headings are not read at all (a full load decodes each note from its
//! body), and the bodies are read a piece at a time in the order of the
//! walk, each piece dropped once its notes are decoded. Read whole, the
//! file sat beside every decoded note until the end of the load: at
//! 100,000 notes that was 294 MB of a peak of 906.

use std::{
    fs,
    io::{Read, Seek, SeekFrom},
    path::Path,
    sync::{OnceLock, atomic::Ordering},
};

use super::{
    CacheState, FileStamp, IndexCache, StoredEntry, check_root,
    layout::{Extent, HEADER_BYTES, Header, Section, Span, Table},
    resolved,
};
use crate::vault::{Note, resolve::KeyMap};

/// How many bytes of bodies are read at a time (two pieces are held at
/// once: one decoded, the next read meanwhile).
const PIECE_BYTES: u64 = 4 << 20;

/// An index file opened by [`IndexCache::open_streamed`].
pub struct StreamedIndex {
    file: Option<fs::File>,
    header: Header,
    table: Vec<u8>,
    resolved: Vec<u8>,
    pub state: CacheState,
}

/// Where a file's note lies in the bodies, from the table.
#[derive(Debug, Clone, Copy)]
pub struct BodyEntry {
    pub stamp: FileStamp,
    body: Span,
    body_crc: u32,
}

/// The table of a [`StreamedIndex`]: its paths in file order (the order
/// of the notes the resolved index speaks of) and each one's entry (`None`
/// when its body lies outside the bodies). The file was written in the
/// walk's order, so the walk's `i`th file is found at place `i`; only a
/// vault whose files changed needs the entries by path, made then.
pub struct StreamedTable<'a> {
    paths: Vec<&'a str>,
    bodies: Vec<Option<BodyEntry>>,
    by_path: OnceLock<KeyMap<&'a str, usize>>,
}

impl StreamedTable<'_> {
    /// The entry of the file at `path`, the `place`th of the walk.
    #[must_use]
    pub fn get(&self, place: usize, path: &str) -> Option<BodyEntry> {
        if self.paths.get(place).is_some_and(|p| *p == path) {
            return self.bodies[place];
        }
        let by_path = self.by_path.get_or_init(|| {
            let mut by_path = KeyMap::default();
            by_path.reserve(self.paths.len());
            for (i, path) in self.paths.iter().enumerate() {
                if self.bodies[i].is_some() {
                    by_path.insert(*path, i);
                }
            }
            by_path
        });
        by_path.get(path).and_then(|&i| self.bodies[i])
    }

    /// How many entries (those whose body lies inside the bodies).
    #[must_use]
    pub fn len(&self) -> usize {
        self.bodies.iter().filter(|b| b.is_some()).count()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl IndexCache {
    /// Opens the index file of `root` (canonical) for a full load. Never
    /// fails: a missing, unreadable or damaged file gives an empty index
    /// and says why, as [`IndexCache::open`] does.
    #[must_use]
    pub fn open_streamed(&self, root: &Path) -> StreamedIndex {
        self.opened.fetch_add(1, Ordering::Relaxed);
        match fs::File::open(self.file_for(root)) {
            Ok(file) => StreamedIndex::read(file, root)
                .unwrap_or_else(|why| StreamedIndex::empty(CacheState::Rejected(why))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                StreamedIndex::empty(CacheState::Missing)
            }
            Err(_) => StreamedIndex::empty(CacheState::Rejected("the cache file cannot be read")),
        }
    }
}

/// Reads one section and checks its CRC.
fn read_section(file: &fs::File, extent: Extent) -> Option<Vec<u8>> {
    let bytes = read_span(file, extent.offset, extent.len)?;
    (crc32fast::hash(&bytes) == extent.crc).then_some(bytes)
}

/// Reads `len` bytes at `offset` into a buffer that is not zeroed first
/// (zeroing each piece cost a third of reading it).
fn read_span(mut file: &fs::File, offset: u64, len: u64) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
    file.seek(SeekFrom::Start(offset)).ok()?;
    file.take(len).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 == len).then_some(bytes)
}

impl StreamedIndex {
    fn empty(state: CacheState) -> Self {
        Self {
            file: None,
            header: Header::default(),
            table: Vec::new(),
            resolved: Vec::new(),
            state,
        }
    }

    fn read(mut file: fs::File, root: &Path) -> Result<Self, &'static str> {
        let unreadable = "the cache file cannot be read";
        let file_len = file.metadata().map_err(|_| unreadable)?.len();
        let mut head = vec![0; usize::try_from(file_len.min(HEADER_BYTES as u64)).unwrap_or(0)];
        file.read_exact(&mut head).map_err(|_| unreadable)?;
        let header = Header::decode(&head, file_len)?;
        let damaged = "damaged (checksum)";
        let table = read_section(&file, header.extent(Section::Table)).ok_or(damaged)?;
        check_root(&table, root)?;
        let resolved = read_section(&file, header.extent(Section::Resolved)).ok_or(damaged)?;
        Ok(Self {
            file: Some(file),
            header,
            table,
            resolved,
            state: CacheState::Valid,
        })
    }

    /// The table's entries (empty unless the file was valid).
    #[must_use]
    pub fn table(&self) -> StreamedTable<'_> {
        let table = (self.state == CacheState::Valid)
            .then(|| postcard::from_bytes::<Table<'_>>(&self.table).ok())
            .flatten();
        let Some(table) = table else {
            return StreamedTable {
                paths: Vec::new(),
                bodies: Vec::new(),
                by_path: OnceLock::new(),
            };
        };
        let bodies = self.header.extent(Section::Bodies).len;
        StreamedTable {
            paths: table.entries.iter().map(|e| e.path).collect(),
            bodies: table
                .entries
                .iter()
                .map(|e| {
                    let inside = e
                        .body
                        .start
                        .checked_add(e.body.len)
                        .is_some_and(|end| end <= bodies);
                    inside.then_some(BodyEntry {
                        stamp: e.stamp,
                        body: e.body,
                        body_crc: e.body_crc,
                    })
                })
                .collect(),
            by_path: OnceLock::new(),
        }
    }

    /// Whether the vault's files (`paths`, in the order their notes were
    /// added) are exactly the table's, in the same order, and the file
    /// holds a resolved index for them. The caller must also have found
    /// every one of them unchanged before taking it
    /// ([`StreamedIndex::into_resolved`]).
    #[must_use]
    pub fn resolved_fits<'p>(
        &self,
        table: &StreamedTable<'_>,
        mut paths: impl ExactSizeIterator<Item = &'p str>,
    ) -> bool {
        !self.resolved.is_empty()
            && paths.len() == table.paths.len()
            && paths.by_ref().zip(&table.paths).all(|(a, b)| a == *b)
    }

    /// The resolved index, decoded, with everything else of the file let
    /// go first: the table (borrowed from it) must be dropped already, and
    /// the section's bytes go as soon as it is decoded, so that neither
    /// sits beside the decoded index and every note at the load's peak.
    #[must_use]
    pub fn into_resolved(self) -> Option<resolved::Snapshot> {
        let Self {
            file,
            table,
            resolved,
            ..
        } = self;
        drop((file, table));
        resolved::Snapshot::decode(&resolved)
    }

    /// Decodes the notes of `wanted` (each a file's place, its path and
    /// its entry, in the order of the walk), reading their bodies a piece
    /// at a time: `decode(piece)` gets the entries of a piece with, for
    /// each, a [`StoredEntry`] whose body lies in the piece's bytes; the
    /// bytes are dropped after. An entry
    /// whose piece cannot be read is left out (its note is parsed again).
    pub fn decode_in_pieces(
        &self,
        wanted: &[(usize, &str, BodyEntry)],
        decode: impl FnMut(&[(usize, &str, StoredEntry<'_>)]),
    ) {
        self.decode_in_pieces_of(PIECE_BYTES, wanted, decode);
    }

    /// [`StreamedIndex::decode_in_pieces`], `piece_bytes` at a time. The
    /// next piece is read on another thread while this one is decoded (at
    /// most two pieces are held at once).
    fn decode_in_pieces_of(
        &self,
        piece_bytes: u64,
        wanted: &[(usize, &str, BodyEntry)],
        mut decode: impl FnMut(&[(usize, &str, StoredEntry<'_>)]),
    ) {
        let Some(file) = &self.file else {
            return;
        };
        let bodies = self.header.extent(Section::Bodies);
        let pieces = pieces_of(piece_bytes, wanted);
        std::thread::scope(|scope| {
            // A rendezvous: the reader holds the piece it read until this
            // thread is done with the one before.
            let (send, receive) = std::sync::mpsc::sync_channel(0);
            let spans: Vec<(u64, u64)> = pieces.iter().map(|p| (p.1, p.2)).collect();
            scope.spawn(move || {
                for (start, end) in spans {
                    let bytes = read_span(file, bodies.offset + start, end - start);
                    if send.send(bytes).is_err() {
                        break;
                    }
                }
            });
            for (piece, start, _) in &pieces {
                let Ok(bytes) = receive.recv() else {
                    break;
                };
                let Some(bytes) = bytes else {
                    continue;
                };
                let entries: Vec<(usize, &str, StoredEntry<'_>)> = wanted[piece.clone()]
                    .iter()
                    .filter_map(|&(i, path, entry)| {
                        let from = usize::try_from(entry.body.start - start).ok()?;
                        let note = bytes.get(from..from + usize::try_from(entry.body.len).ok()?)?;
                        let stored = StoredEntry {
                            stamp: entry.stamp,
                            head: &[],
                            headings: &[],
                            note,
                            body_crc: entry.body_crc,
                        };
                        Some((i, path, stored))
                    })
                    .collect();
                decode(&entries);
            }
        });
    }
}

/// Splits `wanted` into pieces: each the longest run of entries whose
/// bodies lie within `piece_bytes` (one entry at least), with the start
/// and end of its bytes in the bodies.
fn pieces_of(
    piece_bytes: u64,
    wanted: &[(usize, &str, BodyEntry)],
) -> Vec<(std::ops::Range<usize>, u64, u64)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    while at < wanted.len() {
        let first = wanted[at].2.body.start;
        let (mut start, mut end) = (first, first);
        let mut taken = 0;
        for (_, _, entry) in &wanted[at..] {
            let (s, e) = (entry.body.start, entry.body.start + entry.body.len);
            if taken > 0 && e.max(end) - s.min(start) > piece_bytes {
                break;
            }
            start = start.min(s);
            end = end.max(e);
            taken += 1;
        }
        pieces.push((at..at + taken, start, end));
        at += taken;
    }
    pieces
}

/// The cached note of `entry` for the file at `path`, when the file on
/// disk still has the entry's stamp (see [`StoredEntry::note_if_fresh`]).
#[must_use]
pub fn fresh_note(path: &Path, relative: &str, entry: &StoredEntry<'_>) -> Option<Note> {
    let stamp = FileStamp::of(&fs::metadata(path).ok()?);
    entry.note_if_fresh(relative, &stamp)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::vault::{TimeOptions, load_cached, loader};

    #[test]
    fn bodies_read_a_piece_at_a_time_give_every_note_as_parsed() {
        let vault = tempfile::tempdir().expect("vault dir");
        for i in 0..5 {
            let path = vault.path().join(format!("n{i}.md"));
            let text = format!(
                "---\ntitle: Note {i}\n---\n\n# Note {i}\n\nSee [[n{}]].\n",
                i + 1
            );
            fs::write(&path, text).expect("write");
            let file = fs::File::options().write(true).open(&path).expect("open");
            file.set_modified(SystemTime::now() - Duration::from_secs(3600))
                .expect("time");
        }
        let cache_dir = tempfile::tempdir().expect("cache dir");
        let cache = IndexCache::in_dir(cache_dir.path());
        load_cached(vault.path(), TimeOptions::default(), Some(&cache)).expect("fills");
        let stored = cache.open_streamed(&vault.path().canonicalize().expect("real"));
        assert_eq!(stored.state, CacheState::Valid);
        let table = stored.table();
        let walk = loader::walk(vault.path()).expect("walks");
        let wanted: Vec<(usize, &str, BodyEntry)> = walk
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    i,
                    f.relative.as_str(),
                    table.get(i, &f.relative).expect("entry"),
                )
            })
            .collect();
        for (piece_bytes, expected_pieces) in [(1, 5), (PIECE_BYTES, 1)] {
            let mut pieces = 0;
            let mut decoded = Vec::new();
            stored.decode_in_pieces_of(piece_bytes, &wanted, |piece| {
                pieces += 1;
                for (i, path, entry) in piece {
                    let note = fresh_note(&walk.files[*i].path, path, entry).expect("fresh");
                    decoded.push((*i, note));
                }
            });
            assert_eq!(pieces, expected_pieces);
            assert_eq!(decoded.len(), 5);
            for (i, note) in decoded {
                let parsed = loader::read_note(&walk.files[i]);
                assert_eq!(format!("{note:?}"), format!("{parsed:?}"), "{i}");
            }
        }
    }
}
