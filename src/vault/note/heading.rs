//! A heading of a note, in 32 bytes: a vault of 100,000 generated notes
//! has 900,000 of them.

use serde::{Deserialize, Serialize};

use super::Packed;

/// A heading: its level, line, offset, and its text and anchor in one
/// allocation. Kept flat (not as a [`Packed`] beside the numbers, whose
/// padding made it 40 bytes); saved exactly as that layout was, so the
/// index cache's format is unchanged.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "SavedHeading")]
pub struct Heading {
    /// The plain text of the heading (markup removed), then its anchor
    /// (the normalised key of the text; `[[note#Heading]]` is matched
    /// against it), which starts at `anchor_start`.
    strings: Box<str>,
    anchor_start: u32,
    /// 1-based line in the file.
    pub line: u32,
    /// Byte offset of the heading line in [`super::Note::text`].
    offset: u32,
    /// 1..=6
    pub level: u8,
}

impl Heading {
    #[must_use]
    pub fn new(level: u8, text: &str, anchor: &str, line: u32, offset: usize) -> Self {
        Self {
            strings: [text, anchor].concat().into_boxed_str(),
            anchor_start: u32::try_from(text.len()).unwrap_or(u32::MAX),
            line,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
            level,
        }
    }

    /// A heading of `text` with the key of `text` as its anchor (what the
    /// loader makes of every heading it finds), both built in one string.
    #[must_use]
    pub fn keyed(level: u8, text: &str, line: u32, offset: usize) -> Self {
        let mut strings = String::with_capacity(2 * text.len());
        strings.push_str(text);
        crate::vault::key::push_key(text, &mut strings);
        Self {
            strings: strings.into_boxed_str(),
            anchor_start: u32::try_from(text.len()).unwrap_or(u32::MAX),
            line,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
            level,
        }
    }

    /// Plain text of the heading, markup removed.
    #[must_use]
    pub fn text(&self) -> &str {
        self.strings
            .get(..self.anchor_start as usize)
            .unwrap_or_default()
    }

    /// Normalised key of the text; `[[note#Heading]]` is matched against it.
    #[must_use]
    pub fn anchor(&self) -> &str {
        self.strings
            .get(self.anchor_start as usize..)
            .unwrap_or_default()
    }

    /// Whether the anchor is `key`. The lengths are compared first, from
    /// the string's own length: resolving a vault's `[[note#heading]]`
    /// links reads the text of only the headings whose anchor is as long
    /// (each other one would be a cache miss).
    #[must_use]
    pub fn anchor_is(&self, key: &str) -> bool {
        match self.strings.len().checked_sub(self.anchor_start as usize) {
            Some(len) if len != key.len() => false,
            _ => self.anchor() == key,
        }
    }

    /// Byte offset of the heading line in [`super::Note::text`].
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset as usize
    }
}

impl std::fmt::Debug for Heading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heading")
            .field("level", &self.level)
            .field("text", &self.text())
            .field("line", &self.line)
            .field("anchor", &self.anchor())
            .field("offset", &self.offset)
            .finish()
    }
}

/// A heading as the index cache holds it (the layout it had in memory
/// before it was flattened): level, the strings as a [`Packed`], line,
/// offset.
#[derive(Deserialize)]
struct SavedHeading {
    level: u8,
    strings: Packed<[u32; 1]>,
    line: u32,
    offset: u32,
}

impl From<SavedHeading> for Heading {
    fn from(saved: SavedHeading) -> Self {
        let Packed { text, ends: [end] } = saved.strings;
        Self {
            strings: text,
            anchor_start: end,
            line: saved.line,
            offset: saved.offset,
            level: saved.level,
        }
    }
}

/// [`SavedHeading`], borrowed, to write one without copying its text.
#[derive(Serialize)]
struct SavedHeadingRef<'a> {
    level: u8,
    strings: SavedStrings<'a>,
    line: u32,
    offset: u32,
}

/// A [`Packed`]`<[u32; 1]>`, borrowed.
#[derive(Serialize)]
struct SavedStrings<'a> {
    text: &'a str,
    ends: [u32; 1],
}

impl Serialize for Heading {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SavedHeadingRef {
            level: self.level,
            strings: SavedStrings {
                text: &self.strings,
                ends: [self.anchor_start],
            },
            line: self.line,
            offset: self.offset,
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_is_compares_as_the_anchor_does() {
        let h = Heading::keyed(2, "The Topic (2)", 1, 0);
        assert_eq!(h.anchor(), "the_topic_2");
        for key in [
            "the_topic_2",
            "the_topic_3",
            "the_topic",
            "",
            "the_topic_22",
        ] {
            assert_eq!(h.anchor_is(key), h.anchor() == key, "{key:?}");
        }
        let empty = Heading::keyed(1, "", 1, 0);
        assert!(empty.anchor_is("") && !empty.anchor_is("x"));
    }

    #[test]
    fn headings_are_32_bytes_and_keep_their_parts() {
        assert_eq!(size_of::<Heading>(), 32);
        let h = Heading::new(2, "Part One", "part one", 7, 120);
        assert_eq!(
            (h.level, h.text(), h.anchor(), h.line, h.offset()),
            (2, "Part One", "part one", 7, 120)
        );
        let empty = Heading::new(1, "", "", 1, 0);
        assert_eq!((empty.text(), empty.anchor()), ("", ""));
    }

    #[test]
    fn a_heading_is_saved_as_the_packed_layout_was() {
        let h = Heading::new(3, "Été", "ete", 12, 4_000);
        let bytes = postcard::to_stdvec(&h).expect("encodes");
        #[derive(Serialize)]
        struct Before {
            level: u8,
            strings: Packed<[u32; 1]>,
            line: u32,
            offset: u32,
        }
        let before = Before {
            level: 3,
            strings: Packed::new(&["Été", "ete"]),
            line: 12,
            offset: 4_000,
        };
        assert_eq!(bytes, postcard::to_stdvec(&before).expect("encodes"));
        let back: Heading = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back, h);
    }

    #[test]
    fn a_damaged_anchor_start_reads_as_empty_never_panics() {
        let saved = SavedHeading {
            level: 1,
            strings: Packed::new(&["é", ""]),
            line: 1,
            offset: 0,
        };
        let mut h = Heading::from(saved);
        h.anchor_start = 1; // inside `é`
        assert_eq!((h.text(), h.anchor()), ("", ""));
        h.anchor_start = 99;
        assert_eq!((h.text(), h.anchor()), ("", ""));
    }
}
