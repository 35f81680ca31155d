//! The browser's warm start after its vault of heads: the bodies,
//! decoded a range of notes at a time on the loader's thread, and put in
//! place of their heads.

use std::{
    fs,
    io::{Read, Seek, SeekFrom},
};

use rayon::prelude::*;

use super::{
    super::{
        layout::{Extent, Header, Section},
        parts::{self, Counts},
        resolved::{Sectioned, resolve_lean_links},
    },
    Entry, LeanVault,
};
use crate::vault::{Note, NoteId, Vault};

/// What it takes to decode the bodies of a vault handed over by
/// [`LeanVault::hand_over`], a range of notes at a time. The resolved
/// section is not kept (tens of MB at 100,000 notes, beside every body):
/// each note's part of it is read again with its body, checked by the
/// CRC of its run of [`RESOLVED_RUN`] notes, taken while the section was
/// in memory.
pub struct LeanBodies {
    file: fs::File,
    header: Header,
    entries: Vec<Entry>,
    counts: Vec<Counts>,
    /// Each note's part of the resolved section: its offset in the
    /// section and its length.
    resolved: Vec<(u64, u32)>,
    /// The CRC of each run of [`RESOLVED_RUN`] notes' parts (from the
    /// first's start to the last's end).
    resolved_crcs: Vec<u32>,
    /// Each note's size, as its head gave it (its path, time and title
    /// are checked against the head by [`Vault::put_body`]).
    sizes: Vec<u64>,
    channels: usize,
    /// The bodies last read, and apart their parts of the resolved
    /// section, kept from one range to the next: read afresh each time
    /// (and copied body by body), they left the allocator's free lists in
    /// pieces.
    buffer: Vec<u8>,
    parts_buffer: Vec<u8>,
}

/// Notes in one checked run of the resolved section's parts.
const RESOLVED_RUN: usize = 512;

impl LeanVault {
    /// Everything but the notes' bodies, for the browser: every note's
    /// headings (the picker lists them), every note's backlinks, the
    /// topics without a note and the tree. False when a part is damaged
    /// or does not fit (load the full way instead).
    pub fn index_heads(&mut self) -> bool {
        self.fill_headings()
            && Sectioned::read(&self.resolved)
                .is_some_and(|s| self.vault.apply_lean_index(&s, &self.counts).is_ok())
    }

    /// The vault of heads (complete after [`LeanVault::index_heads`] but
    /// for the notes' own links, timestamps, front matter and problems),
    /// and what it takes to decode their bodies.
    #[must_use]
    pub fn hand_over(self) -> (Vault, LeanBodies) {
        let sizes = self.vault.notes.iter().map(|n| n.size).collect();
        let (resolved, resolved_crcs) = parts_of(&self.resolved, self.vault.notes.len());
        let bodies = LeanBodies {
            file: self.file,
            header: self.header,
            entries: self.entries,
            counts: self.counts,
            resolved,
            resolved_crcs,
            sizes,
            channels: self.vault.channels.len(),
            buffer: Vec::new(),
            parts_buffer: Vec::new(),
        };
        (self.vault, bodies)
    }
}

/// Where each of `notes` notes' parts lies in the resolved section
/// `bytes`, and the CRC of each run of [`RESOLVED_RUN`] of them (none
/// when the section does not split: every body is then parsed again).
fn parts_of(bytes: &[u8], notes: usize) -> (Vec<(u64, u32)>, Vec<u32>) {
    let Some(section) = Sectioned::read(bytes).filter(|s| s.notes() == notes) else {
        return (Vec::new(), Vec::new());
    };
    let base = bytes.as_ptr().addr();
    let spans: Option<Vec<(u64, u32)>> = (0..notes)
        .map(|i| {
            let part = section.part(i)?;
            let at = part.as_ptr().addr().checked_sub(base)?;
            Some((u64::try_from(at).ok()?, u32::try_from(part.len()).ok()?))
        })
        .collect();
    let Some(spans) = spans else {
        return (Vec::new(), Vec::new());
    };
    let crcs = spans
        .chunks(RESOLVED_RUN)
        .map(|run| {
            let (start, end) = run_extent(run);
            bytes
                .get(usize::try_from(start).unwrap_or(usize::MAX)..)
                .and_then(|b| b.get(..usize::try_from(end - start).ok()?))
                .map_or(0, crc32fast::hash)
        })
        .collect();
    (spans, crcs)
}

/// From the first part's start to the last's end (parts lie in order).
fn run_extent(run: &[(u64, u32)]) -> (u64, u64) {
    let start = run.first().map_or(0, |&(at, _)| at);
    let end = run
        .last()
        .map_or(0, |&(at, len)| at.saturating_add(u64::from(len)));
    (start, end.max(start))
}

impl LeanBodies {
    /// The parts of the resolved section of the notes of `range`, read
    /// from the file and checked run by run; `None` for those whose run
    /// does not read or check.
    fn resolved_parts(
        &mut self,
        range: std::ops::Range<usize>,
    ) -> Vec<Option<std::ops::Range<usize>>> {
        let section_at = self.header.extent(Section::Resolved).offset;
        let mut parts = vec![None; range.len()];
        self.parts_buffer.clear();
        let first_run = range.start / RESOLVED_RUN;
        let last_run = range.end.div_ceil(RESOLVED_RUN);
        for run in first_run..last_run {
            let notes = run * RESOLVED_RUN..((run + 1) * RESOLVED_RUN).min(self.resolved.len());
            let (Some(spans), Some(&crc)) = (
                self.resolved.get(notes.clone()),
                self.resolved_crcs.get(run),
            ) else {
                continue;
            };
            let (start, end) = run_extent(spans);
            let extent = Extent {
                offset: section_at.saturating_add(start),
                len: end - start,
                crc,
            };
            let Some(read) = read_appended(&mut self.file, extent, true, &mut self.parts_buffer)
            else {
                continue;
            };
            for (i, &(at, len)) in notes.zip(spans) {
                if !range.contains(&i) {
                    continue;
                }
                let from = at
                    .checked_sub(start)
                    .and_then(|from| usize::try_from(from).ok())
                    .and_then(|from| read.start.checked_add(from));
                parts[i - range.start] = from.and_then(|from| {
                    let to = from.checked_add(len as usize)?;
                    (to <= read.end).then_some(from..to)
                });
            }
        }
        parts
    }
}

impl LeanBodies {
    /// How many notes there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }

    /// Lets go of what decoding the notes from `at` on takes (their
    /// entries, sizes and parts of the resolved section), once they are
    /// decoded: a warm start that decodes its ranges from the last to the
    /// first frees these tables (some 7 MB at 100,000 notes) as it goes,
    /// for the next bodies to take, instead of holding them beside every
    /// body at its peak. The resolved section's checked runs are kept
    /// whole; [`Self::len`] is then `at` or a little more.
    pub fn release_from(&mut self, at: usize) {
        let at = at.next_multiple_of(RESOLVED_RUN).min(self.len());
        self.entries.truncate(at);
        self.entries.shrink_to_fit();
        self.sizes.truncate(at);
        self.sizes.shrink_to_fit();
        if self.resolved.len() > at {
            self.resolved.truncate(at);
            self.resolved.shrink_to_fit();
            self.resolved_crcs.truncate(at / RESOLVED_RUN);
            self.resolved_crcs.shrink_to_fit();
        }
    }

    /// The notes of `range` (ids are positions), whole but for their
    /// headings, which their heads have ([`Vault::put_body`] keeps them),
    /// their links resolved from the cache; `None` for a note whose body
    /// is damaged or does not fit its head (the caller parses its file
    /// instead).
    pub fn decode(&mut self, range: std::ops::Range<usize>) -> Vec<Option<Note>> {
        let range = range.start.min(self.len())..range.end.min(self.len());
        let resolved = self.resolved_parts(range.clone());
        let bodies = self.read(range.clone());
        let (sizes, counts, channels) = (&self.sizes, &self.counts, self.channels);
        let (buffer, parts_buffer) = (&self.buffer, &self.parts_buffer);
        // On the pool's threads: the heads were decoded and the picker's
        // items built there, and what those passes freed stays in those
        // threads' malloc arenas; bodies decoded on this thread grew its
        // own arena beside them instead (at 100,000 notes, some 60 MB of
        // the warm start's resident peak).
        range
            .into_par_iter()
            .zip(bodies)
            .zip(resolved)
            .map(|((i, body), resolved)| {
                let mut note = parts::decode_body(buffer.get(body?)?)?;
                // (Its path is checked against its head's by `put_body`.)
                let fits = parts::body_fits(&note, &note.path, sizes[i], counts.get(i).copied())
                    && resolve_lean_links(
                        parts_buffer.get(resolved?)?,
                        &mut note,
                        channels,
                        counts,
                    )
                    .is_ok();
                // The head handed over has these headings (as many, from
                // the same entry): freed here, on the thread that decoded
                // them, rather than carried to the UI beside the head's
                // (batches waiting there held tens of MB of copies).
                note.headings = Default::default();
                fits.then_some(note)
            })
            .collect()
    }

    /// Where the checked bytes of the bodies of `range` lie in the
    /// buffer: read at once when they lie together in the file (the cache
    /// writes them in order), else one by one, one after the other.
    fn read(&mut self, range: std::ops::Range<usize>) -> Vec<Option<std::ops::Range<usize>>> {
        let bodies_at = self.header.extent(Section::Bodies).offset;
        let entries = &self.entries[range];
        let start = entries.iter().map(|e| e.body.start).min().unwrap_or(0);
        let end = entries
            .iter()
            .map(|e| e.body.start.saturating_add(e.body.len))
            .max()
            .unwrap_or(0);
        let total: u64 = entries.iter().map(|e| e.body.len).sum();
        let together = end.saturating_sub(start) <= total.saturating_mul(2);
        let block = together
            .then(|| {
                let extent = Extent {
                    offset: bodies_at.saturating_add(start),
                    len: end.saturating_sub(start),
                    crc: 0,
                };
                self.buffer.clear();
                read_appended(&mut self.file, extent, false, &mut self.buffer)
            })
            .flatten();
        let buffer = &self.buffer;
        let checked = |range: std::ops::Range<usize>, entry: &Entry| {
            (crc32fast::hash(buffer.get(range.clone())?) == entry.body_crc).then_some(range)
        };
        if block.is_some() {
            return entries
                .iter()
                .map(|e| {
                    let from = usize::try_from(e.body.start - start).ok()?;
                    let len = usize::try_from(e.body.len).ok()?;
                    checked(from..from.checked_add(len)?, e)
                })
                .collect();
        }
        self.buffer.clear();
        entries
            .iter()
            .map(|e| {
                let extent = Extent {
                    offset: bodies_at.saturating_add(e.body.start),
                    len: e.body.len,
                    crc: e.body_crc,
                };
                read_appended(&mut self.file, extent, true, &mut self.buffer)
            })
            .collect()
    }
}

/// Reads `extent` of the file to the end of `buffer`, checking its CRC
/// when `checked`; where it lies in the buffer, `None` (the buffer as it
/// was) when it does not read or check.
fn read_appended(
    file: &mut fs::File,
    extent: Extent,
    checked: bool,
    buffer: &mut Vec<u8>,
) -> Option<std::ops::Range<usize>> {
    let len = usize::try_from(extent.len).ok()?;
    let from = buffer.len();
    let to = from.checked_add(len)?;
    buffer.resize(to, 0);
    let read = file.seek(SeekFrom::Start(extent.offset)).is_ok()
        && file.read_exact(&mut buffer[from..]).is_ok()
        && (!checked || crc32fast::hash(&buffer[from..]) == extent.crc);
    if !read {
        buffer.truncate(from);
    }
    read.then_some(from..to)
}

impl Vault {
    /// Puts the body of a note handed over by its head in place (the same
    /// file: path, size, time, title and name checked, so its keys and
    /// everything built from its head stay true). A body without headings
    /// (as [`LeanBodies::decode`] gives them) takes the head's. False,
    /// changing nothing, when the note is not that head.
    pub fn put_body(&mut self, id: NoteId, mut note: Note) -> bool {
        self.read_times(&mut note);
        let Some(slot) = self.notes.get_mut(id.index()) else {
            return false;
        };
        let same = !slot.parsed
            && note.parsed
            && slot.path == note.path
            && slot.size == note.size
            && slot.modified == note.modified
            && slot.title == note.title
            && slot.stem() == note.stem()
            && !self.removed.contains(&id);
        if same {
            // The head's own strings and headings stay (equal to the
            // body's): the body's copies are freed at once, where the
            // head's, freed instead, left holes the allocator kept (at
            // 100,000 notes, tens of MB of the warm start's peak).
            if note.headings.is_empty() || slot.headings == note.headings {
                note.headings = std::mem::take(&mut slot.headings);
            }
            note.path = std::mem::take(&mut slot.path);
            note.title = std::mem::take(&mut slot.title);
            if slot.channel == note.channel {
                note.channel = slot.channel.take();
            }
            *slot = note;
        }
        same
    }
}

#[cfg(test)]
mod tests {
    use super::{super::tests::write, *};
    use crate::vault::{
        TimeOptions,
        cache::{IndexCache, lean::open_walked_indexed, resolved::u32_of},
        loader::walk,
    };

    /// A vault of `notes` notes (`n{i}.md`, its text `text(i)`) loaded once
    /// through a cache (filling it), then opened lean and handed over: the
    /// vault's folder, its heads and its bodies to decode.
    fn handed_over(
        notes: usize,
        text: impl Fn(usize) -> String,
    ) -> (tempfile::TempDir, Vault, LeanBodies) {
        let vault = tempfile::tempdir().expect("a vault");
        let cache_dir = tempfile::tempdir().expect("a cache");
        let cache = IndexCache::in_dir(cache_dir.path());
        for i in 0..notes {
            write(vault.path(), &format!("n{i}.md"), &text(i), 0);
        }
        let root = vault.path();
        crate::vault::load_cached(root, TimeOptions::default(), Some(&cache))
            .expect("fills the cache");
        let walked = walk(root).expect("walks");
        let real_root = root.canonicalize().expect("a folder");
        let times = TimeOptions::default();
        let (heads, bodies) = open_walked_indexed(root, &real_root, &walked.files, times, &cache)
            .expect("unchanged: lean")
            .hand_over();
        (vault, heads, bodies)
    }

    /// The bodies of a vault handed over, decoded in ranges that do not
    /// fall on the resolved section's checked runs, put in place of their
    /// heads (which keep their headings), make the notes a full load
    /// makes, links resolved alike.
    #[test]
    fn bodies_decoded_across_runs_and_put_in_place_are_the_full_loads_notes() {
        let notes = RESOLVED_RUN * 2 + 77;
        let (vault, mut heads, mut bodies) = handed_over(notes, |i| {
            let (next, far) = ((i + 1) % notes, (i + 7) % notes);
            format!(
                "# Note {i}\n\n## Part {i}\n\n[[n{next}]] [[n{far}#Part {far}]] [[nowhere]]\n\n### Deep {i}\n"
            )
        });
        assert_eq!(bodies.len(), notes);
        for start in (0..bodies.len()).step_by(300) {
            for (i, body) in (start..).zip(bodies.decode(start..start + 300)) {
                let body = body.expect("decodes and fits");
                assert!(body.headings.is_empty(), "the head has them");
                assert!(heads.put_body(NoteId(u32_of(i)), body));
            }
        }
        let full = crate::vault::load(vault.path()).expect("loads");
        assert_eq!(heads.notes.len(), full.notes.len());
        for (a, b) in heads.notes.iter().zip(&full.notes) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
        // Links to notes, to headings and to nowhere: resolved apart.
        let kinds: std::collections::HashSet<String> = full.notes[0]
            .links
            .iter()
            .map(|l| format!("{:?}", l.resolution()))
            .collect();
        assert_eq!(kinds.len(), 3);
    }

    /// Decoded from the last range to the first, each range's tables let
    /// go once it is decoded (as the warm start does), every body still
    /// decodes, fits and is the full load's note.
    #[test]
    fn bodies_decoded_backwards_and_released_as_they_go_are_the_full_loads_notes() {
        let notes = RESOLVED_RUN * 3 + 41;
        let (vault, mut heads, mut bodies) = handed_over(notes, |i| {
            let next = (i + 1) % notes;
            format!("# Note {i}\n\n## Part {i}\n\n[[n{next}#Part {next}]] [[nowhere]]\n")
        });
        let step = RESOLVED_RUN * 2;
        for start in (0..notes).step_by(step).rev() {
            for (i, body) in (start..).zip(bodies.decode(start..start + step)) {
                assert!(heads.put_body(NoteId(u32_of(i)), body.expect("decodes and fits")));
            }
            bodies.release_from(start);
            assert!(bodies.len() <= start.next_multiple_of(RESOLVED_RUN));
        }
        assert!(bodies.is_empty());
        let full = crate::vault::load(vault.path()).expect("loads");
        for (a, b) in heads.notes.iter().zip(&full.notes) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
    }
}
