//! The notes' parts of a resolved section decoded into one list of every
//! link's resolution (with each note's start in it) instead of a list a
//! note. At 100,000 notes the 100,000 small lists, decoded on every core,
//! were left as holes in the threads' heaps once applied (a process does
//! not give those back), at the peak of a load from the cache; one list
//! is one allocation, given back whole.

use rayon::prelude::*;
use serde::{
    Deserializer,
    de::{self, DeserializeSeed, SeqAccess, Visitor},
};

use super::PackedSaved;
use crate::vault::{Backlink, NoteId};

/// Every note's resolutions, note after note: note `i`'s are
/// `resolutions[starts[i]..starts[i + 1]]`.
#[derive(Debug, Default)]
pub(super) struct Resolutions {
    resolutions: Vec<PackedSaved>,
    starts: Vec<u32>,
}

impl Resolutions {
    /// Room for `notes` notes (none yet).
    pub(super) fn with_capacity(notes: usize) -> Self {
        let mut starts = Vec::with_capacity(notes + 1);
        starts.push(0);
        Self {
            resolutions: Vec::new(),
            starts,
        }
    }

    /// Adds the next note's resolutions.
    pub(super) fn push_note(&mut self, note: impl Iterator<Item = PackedSaved>) {
        self.resolutions.extend(note);
        self.starts.push(super::u32_of(self.resolutions.len()));
    }

    /// How many notes.
    pub(super) fn notes(&self) -> usize {
        self.starts.len() - 1
    }

    /// Note `i`'s resolutions (`i` < [`Self::notes`]).
    pub(super) fn of_note(&self, i: usize) -> &[PackedSaved] {
        let (start, end) = (self.starts[i] as usize, self.starts[i + 1] as usize);
        &self.resolutions[start..end]
    }

    /// Decodes each note's parts (`(resolutions, backlinks)`, as
    /// [`super::Snapshot::encode`] wrote them) on every core, the
    /// resolutions straight into their place in the one list; `None` when
    /// any part does not decode.
    pub(super) fn decode(per_note: &[&[u8]]) -> Option<(Self, Vec<Vec<Backlink>>)> {
        // Each part starts with its count of resolutions.
        let mut starts = Vec::with_capacity(per_note.len() + 1);
        starts.push(0_u32);
        let mut total = 0_u32;
        for bytes in per_note {
            // Each resolution takes a byte at least: a count past that is
            // refused before the list is made that long.
            let count = leading_length(bytes).filter(|&n| n <= bytes.len() as u64)?;
            let count = u32::try_from(count).ok()?;
            total = total.checked_add(count)?;
            starts.push(total);
        }
        let placeholder = PackedSaved::from(super::SavedResolution::Pending);
        let mut resolutions = vec![placeholder; total as usize];
        let mut slices: Vec<&mut [PackedSaved]> = Vec::with_capacity(per_note.len());
        let mut rest = resolutions.as_mut_slice();
        for pair in starts.windows(2) {
            let (slice, later) = rest.split_at_mut((pair[1] - pair[0]) as usize);
            slices.push(slice);
            rest = later;
        }
        let damaged = std::sync::atomic::AtomicBool::new(false);
        let mut backlinks = Vec::with_capacity(per_note.len());
        slices
            .into_par_iter()
            .zip(per_note.par_iter())
            .map(|(slice, bytes)| {
                let mut deserializer = postcard::Deserializer::from_bytes(bytes);
                Parts(slice)
                    .deserialize(&mut deserializer)
                    .unwrap_or_else(|_| {
                        damaged.store(true, std::sync::atomic::Ordering::Relaxed);
                        Vec::new()
                    })
            })
            .collect_into_vec(&mut backlinks);
        if damaged.into_inner() {
            return None;
        }
        Some((
            Self {
                resolutions,
                starts,
            },
            backlinks,
        ))
    }
}

/// The length a postcard sequence starts with (a LEB128 varint).
fn leading_length(bytes: &[u8]) -> Option<u64> {
    let mut value = 0_u64;
    for (i, &byte) in bytes.iter().take(10).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// A note's parts: its resolutions written into the slice (exactly as
/// many as it holds), its backlinks returned in the vault's form (sources
/// still entry positions).
struct Parts<'s>(&'s mut [PackedSaved]);

impl<'de> DeserializeSeed<'de> for Parts<'_> {
    type Value = Vec<Backlink>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_tuple(2, self)
    }
}

impl<'de> Visitor<'de> for Parts<'_> {
    type Value = Vec<Backlink>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a note's resolutions and backlinks")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let missing = || de::Error::custom("a note's part is cut short");
        seq.next_element_seed(IntoSlice(self.0))?
            .ok_or_else(missing)?;
        let backlinks: Vec<(u32, u32, u32)> = seq.next_element()?.ok_or_else(missing)?;
        // In place: a backlink is the three numbers saved.
        Ok(backlinks
            .into_iter()
            .map(|(source, link, line)| Backlink {
                source: NoteId(source),
                link,
                line,
            })
            .collect())
    }
}

/// A sequence of exactly as many resolutions as the slice holds, written
/// into it.
struct IntoSlice<'s>(&'s mut [PackedSaved]);

impl<'de> DeserializeSeed<'de> for IntoSlice<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for IntoSlice<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a note's resolutions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for slot in self.0.iter_mut() {
            *slot = seq
                .next_element()?
                .ok_or_else(|| de::Error::custom("fewer resolutions than counted"))?;
        }
        if seq.next_element::<PackedSaved>()?.is_some() {
            return Err(de::Error::custom("more resolutions than counted"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{super::SavedResolution, *};

    fn part(resolutions: &[SavedResolution], backlinks: &[(u32, u32, u32)]) -> Vec<u8> {
        postcard::to_stdvec(&(resolutions, backlinks)).expect("encodes")
    }

    #[test]
    fn every_note_s_parts_decode_into_one_list_in_their_places() {
        let note = |n| SavedResolution::Note {
            note: n,
            heading: None,
            ambiguous: false,
        };
        let parts = [
            part(&[note(1), SavedResolution::Unresolved], &[(2, 0, 7)]),
            part(&[], &[]),
            part(&[SavedResolution::Channel(3)], &[(0, 1, 9), (0, 0, 4)]),
        ];
        let per_note: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let (flat, backlinks) = Resolutions::decode(&per_note).expect("decodes");
        assert_eq!(flat.notes(), 3);
        let of = |i| -> Vec<SavedResolution> {
            flat.of_note(i)
                .iter()
                .map(|r| SavedResolution::from(*r))
                .collect()
        };
        assert_eq!(of(0), [note(1), SavedResolution::Unresolved]);
        assert!(of(1).is_empty());
        assert_eq!(of(2), [SavedResolution::Channel(3)]);
        let sources: Vec<Vec<(u32, u32, u32)>> = backlinks
            .iter()
            .map(|list| list.iter().map(|b| (b.source.0, b.link, b.line)).collect())
            .collect();
        assert_eq!(
            sources,
            [vec![(2, 0, 7)], vec![], vec![(0, 1, 9), (0, 0, 4)]]
        );

        // A count no part could hold is refused before any list is made.
        let huge = [0xff, 0xff, 0xff, 0xff, 0x0f, 0];
        assert!(Resolutions::decode(&[huge.as_slice()]).is_none());

        // A part cut anywhere is refused, never half read.
        let whole = &parts[2];
        for cut in 0..whole.len() {
            let per_note = [parts[0].as_slice(), &whole[..cut]];
            assert!(Resolutions::decode(&per_note).is_none(), "cut at {cut}");
        }
    }
}
