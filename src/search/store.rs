//! The flat store of every item's haystack and display text.

use nucleo::{Utf32Str, Utf32String};

use super::SearchItem;
use crate::vault::NoteId;

/// One item: what it points at, how to show it, and where its haystack is
/// in the [`Store`].
pub(super) struct Entry {
    pub(super) item: SearchItem,
    pub(super) display: Display,
    /// Start of the haystack in the store's ASCII or wide buffer.
    start: u32,
    /// Length of the haystack in chars (nucleo's length tie-break).
    pub(super) len: u32,
    /// Whether the haystack is in the wide (`char`) buffer.
    pub(super) wide: bool,
    /// Taken out of the search (its note was parsed again or removed): it
    /// keeps its place, so indices held elsewhere stay valid, but matches
    /// nothing.
    pub(super) retired: bool,
    /// The ASCII letters and digits in the haystack, and the letters that
    /// start a word in it (see [`char_mask`]): an item lacking a char of
    /// the query is passed over without a look at its text, and a
    /// one-letter query is answered from here alone.
    pub(super) mask: u64,
}

/// One bit per ASCII letter (either case) and digit: the chars a fuzzy
/// ASCII needle must find in a haystack.
#[must_use]
pub(super) fn char_bit(byte: u8) -> u64 {
    match byte {
        b'a'..=b'z' => 1 << (byte - b'a'),
        b'A'..=b'Z' => 1 << (byte - b'A'),
        b'0'..=b'9' => 1 << (26 + byte - b'0'),
        _ => 0,
    }
}

/// The bit of a letter (either case) that starts a word: first in the
/// text or after whitespace, where nucleo gives its largest bonus.
#[must_use]
pub(super) fn word_start_bit(byte: u8) -> u64 {
    if byte.is_ascii_alphabetic() {
        char_bit(byte) << 36
    } else {
        0
    }
}

/// The [`char_bit`]s and [`word_start_bit`]s of an ASCII haystack; every
/// bit for a wide one (nucleo may match its non-ASCII letters to an ASCII
/// needle, so it is never passed over).
pub(super) fn char_mask(haystack: Utf32Str<'_>) -> u64 {
    match haystack {
        Utf32Str::Ascii(bytes) => {
            let mut after_space = true;
            bytes.iter().fold(0, |mut mask, &b| {
                mask |= char_bit(b);
                if after_space {
                    mask |= word_start_bit(b);
                }
                after_space = b.is_ascii_whitespace();
                mask
            })
        }
        Utf32Str::Unicode(_) => u64::MAX,
    }
}

/// How to show an item's text. Most texts can be read back from nucleo's
/// own ASCII copy, so only the others keep a copy of their own: a vault of
/// 180,000 items saves a copy of every title and heading that way.
pub(super) enum Display {
    /// The haystack is the text (pure ASCII).
    Haystack,
    /// The haystack is the text with its one `›` matched as `>` at this
    /// byte offset.
    Separator(u32),
    /// Anything else keeps its text.
    Own(Box<str>),
}

impl Display {
    pub(super) fn of(text: &str) -> Self {
        if text.is_ascii() {
            return Self::Haystack;
        }
        let mut separators = text.match_indices('›');
        if let (Some((at, _)), None) = (separators.next(), separators.next())
            && text.chars().all(|c| c.is_ascii() || c == '›')
            && let Ok(at) = u32::try_from(at)
        {
            return Self::Separator(at);
        }
        Self::Own(text.into())
    }

    pub(super) fn text(&self, haystack: Utf32Str<'_>) -> String {
        let ascii = match haystack {
            Utf32Str::Ascii(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Utf32Str::Unicode(chars) => chars.iter().collect(),
        };
        match self {
            Self::Haystack => ascii,
            Self::Separator(at) => {
                let at = *at as usize;
                match (ascii.get(..at), ascii.get(at + 1..)) {
                    (Some(head), Some(tail)) => format!("{head}›{tail}"),
                    _ => ascii,
                }
            }
            Self::Own(text) => text.to_string(),
        }
    }
}

/// nucleo's copy of a text for matching. nucleo has a separate, faster
/// path for pure-ASCII text (byte haystacks, no per-char case folding or
/// normalisation), and in an English vault the ` › ` of heading items is usually their only
/// non-ASCII character. So when `›` is the only one, it is matched as `>`:
/// one char for one, so grapheme indices and nucleo's length tie-break are
/// unchanged, and both are punctuation followed by a space, so scores are
/// too.
pub(super) fn haystack(text: &str) -> Utf32String {
    const SEPARATOR: char = '›';
    if !text.is_ascii() && text.chars().all(|c| c.is_ascii() || c == SEPARATOR) {
        Utf32String::from(text.replace(SEPARATOR, ">"))
    } else {
        Utf32String::from(text)
    }
}

/// Every item's haystack in two flat buffers: one allocation for the
/// whole vault instead of one per item. ASCII haystacks (nearly all of
/// them) take a byte a char.
#[derive(Default)]
pub(super) struct Store {
    pub(super) entries: Vec<Entry>,
    ascii: Vec<u8>,
    wide: Vec<char>,
    /// Entries retired so far.
    pub(super) retired: u32,
}

impl Store {
    pub(super) fn push(&mut self, item: SearchItem, display: Display, haystack: Utf32Str<'_>) {
        let (start, wide) = match haystack {
            Utf32Str::Ascii(bytes) => {
                let start = self.ascii.len();
                self.ascii.extend_from_slice(bytes);
                (start, false)
            }
            Utf32Str::Unicode(chars) => {
                let start = self.wide.len();
                self.wide.extend_from_slice(chars);
                (start, true)
            }
        };
        // Past 4 GiB of titles the item is dropped rather than mislabelled.
        let (Ok(start), Ok(len)) = (u32::try_from(start), u32::try_from(haystack.len())) else {
            return;
        };
        self.entries.push(Entry {
            item,
            display,
            start,
            len,
            wide,
            retired: false,
            mask: char_mask(haystack),
        });
    }

    /// Retires every live title and heading item of note `id` (one pass
    /// over the items, no reallocation); how many were retired.
    pub(super) fn retire_note(&mut self, id: NoteId) -> u32 {
        let mut count = 0;
        for entry in &mut self.entries {
            if !entry.retired && entry.item.note_id() == Some(id) {
                entry.retired = true;
                count += 1;
            }
        }
        self.retired += count;
        count
    }

    /// [`Self::retire_note`] for many notes in one pass (a burst: one pass
    /// per note would be quadratic).
    pub(super) fn retire_notes(&mut self, ids: &std::collections::HashSet<NoteId>) -> u32 {
        let mut count = 0;
        for entry in &mut self.entries {
            if !entry.retired && entry.item.note_id().is_some_and(|id| ids.contains(&id)) {
                entry.retired = true;
                count += 1;
            }
        }
        self.retired += count;
        count
    }

    pub(super) fn haystack(&self, idx: u32) -> Utf32Str<'_> {
        let entry = &self.entries[idx as usize];
        let range = entry.start as usize..(entry.start + entry.len) as usize;
        if entry.wide {
            Utf32Str::Unicode(&self.wide[range])
        } else {
            Utf32Str::Ascii(&self.ascii[range])
        }
    }

    pub(super) fn len(&self) -> u32 {
        u32::try_from(self.entries.len()).unwrap_or(u32::MAX)
    }

    /// Moves every item of `other` to the end of this store.
    pub(super) fn append(&mut self, other: &mut Self) {
        let (Ok(ascii), Ok(wide)) = (
            u32::try_from(self.ascii.len()),
            u32::try_from(self.wide.len()),
        ) else {
            return;
        };
        self.entries
            .extend(other.entries.drain(..).map(|mut entry| {
                entry.start += if entry.wide { wide } else { ascii };
                entry
            }));
        self.ascii.append(&mut other.ascii);
        self.wide.append(&mut other.wide);
        self.retired += std::mem::take(&mut other.retired);
    }
}
