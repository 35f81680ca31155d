//! A note as the cache stores it, in three parts that decode apart:
//!
//! - the **head**: what names the note and finds it (path, title,
//!   where the title came from, video id, channel, size, time) and how
//!   many headings and links it has, so that a lean load knows every note
//!   without decoding its body;
//! - its **headings** alone, for the fuzzy search (titles and headings of
//!   every note) without the rest of the body;
//! - the **body**: the whole [`Note`] as serde encodes it.
//!
//! Every part goes through serde (postcard) with the types of [`Note`]'s
//! own fields, named by field, never by type: a field whose type changes
//! changes its encoding with it (and [`super::FORMAT_VERSION`] or the
//! build check then refuses older files).

use crate::vault::Note;

/// The three parts of a freshly encoded note, framed in one buffer:
/// `head length (u32 LE) | headings length (u32 LE) | head | headings | body`.
pub(super) struct Framed<'a> {
    pub head: &'a [u8],
    pub headings: &'a [u8],
    pub body: &'a [u8],
}

impl<'a> Framed<'a> {
    /// The parts of a buffer from [`encode`]; `None` when it is not one.
    pub(super) fn split(bytes: &'a [u8]) -> Option<Self> {
        let word = |at: usize| -> Option<usize> {
            let b = bytes.get(at..at + 4)?;
            usize::try_from(u32::from_le_bytes(b.try_into().ok()?)).ok()
        };
        let (head_len, headings_len) = (word(0)?, word(4)?);
        let rest = bytes.get(8..)?;
        let (head, rest) = rest.split_at_checked(head_len)?;
        let (headings, body) = rest.split_at_checked(headings_len)?;
        Some(Self {
            head,
            headings,
            body,
        })
    }
}

/// Encodes a note's three parts into one framed buffer.
pub(super) fn encode(note: &Note) -> Option<Vec<u8>> {
    let head = postcard::to_stdvec(&(
        &note.path,
        &note.title,
        &note.title_source,
        &note.video_id,
        &note.channel,
        &note.size,
        &note.modified,
        counts(note)?,
    ))
    .ok()?;
    let headings = postcard::to_stdvec(&note.headings).ok()?;
    let mut bytes = Vec::with_capacity(8 + head.len() + headings.len() + 256);
    bytes.extend_from_slice(&u32::try_from(head.len()).ok()?.to_le_bytes());
    bytes.extend_from_slice(&u32::try_from(headings.len()).ok()?.to_le_bytes());
    bytes.extend_from_slice(&head);
    bytes.extend_from_slice(&headings);
    postcard::to_extend(note, bytes).ok()
}

/// How many headings and links a note has (a head tells them, so that
/// resolutions and backlinks pointing into notes whose body was not
/// decoded can still be checked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub headings: u32,
    pub links: u32,
}

fn counts(note: &Note) -> Option<Counts> {
    Some(Counts {
        headings: u32::try_from(note.headings.len()).ok()?,
        links: u32::try_from(note.links.len()).ok()?,
    })
}

/// A note known by its head only (`parsed` false, as the loader's title
/// pass leaves one), with its counts.
pub(super) fn decode_head(bytes: &[u8]) -> Option<(Note, Counts)> {
    let mut note = Note::empty("");
    let counts: Counts;
    (
        note.path,
        note.title,
        note.title_source,
        note.video_id,
        note.channel,
        note.size,
        note.modified,
        counts,
    ) = postcard::from_bytes(bytes).ok()?;
    Some((note, counts))
}

/// Puts a note's decoded headings in place (for the fuzzy search), when
/// they are as many as its head said.
pub(super) fn decode_headings_into(note: &mut Note, counts: Counts, bytes: &[u8]) -> bool {
    match postcard::from_bytes(bytes) {
        Ok(headings) => {
            note.headings = headings;
            note.headings.len() == counts.headings as usize
        }
        Err(_) => false,
    }
}

/// The whole note.
pub(super) fn decode_body(bytes: &[u8]) -> Option<Note> {
    postcard::from_bytes(bytes).ok()
}

/// Whether a decoded body agrees with its head and its file: the same
/// path, size and counts, and parsed.
pub(super) fn body_fits(note: &Note, path: &str, size: u64, counts: Option<Counts>) -> bool {
    note.path == path
        && note.size == size
        && note.parsed
        && counts.is_none_or(|c| self::counts(note) == Some(c))
}
