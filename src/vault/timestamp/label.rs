//! A timestamp's `data-t` value as written, in eight bytes: a vault of
//! 100,000 notes has three and a half million timestamps.

use std::{
    collections::HashMap,
    fmt,
    sync::{LazyLock, Mutex, PoisonError},
};

/// A `data-t` value as written. Almost every value is a short time
/// (`00:05:17`), written with the sixteen characters of [`ALPHABET`]: up
/// to [`Label::PACKED`] of them are packed four bits a character with
/// their length. Any other value is kept once per process in a table of
/// interned texts and named by its index there: such values are rare (a
/// few hundred in a real vault of 750,000 timestamps), and so repeat.
/// A value longer than [`Label::CAPACITY`] bytes (only ever garbage) is
/// cut at a character boundary and marked with `…` first.
///
/// Layout: the low four bits of the little-endian word are the packed
/// length, or [`Label::INTERNED`]; the other 60 bits hold the characters
/// or the index.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Label([u8; 8]);

/// The characters a packed label is written with, one a nibble.
const ALPHABET: [u8; 16] = *b"0123456789:. ]-,";

/// Each byte's nibble in [`ALPHABET`], or [`NOT_PACKED`]: a label is
/// packed as its note is decoded, millions of times at 100,000 notes.
const NIBBLE: [u8; 256] = {
    let mut table = [NOT_PACKED; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};
const NOT_PACKED: u8 = 0xFF;

impl Label {
    /// The longest value kept whole.
    const CAPACITY: usize = 15;
    /// The most characters a label packs: four bits each after the
    /// length's four, the length 15 standing for an interned label.
    const PACKED: usize = 14;
    /// The length nibble of an interned label.
    const INTERNED: u64 = 0xF;

    #[must_use]
    pub fn new(text: &str) -> Self {
        Self::packed(text).unwrap_or_else(|| Self::interned(&cut(text)))
    }

    /// [`Label::new`] of eight bytes that are each a digit or `:` (the
    /// value of a canonical anchor, three quarters of a million in a real
    /// vault), packed without a table: those characters are the first
    /// eleven of [`ALPHABET`], in order from `0`.
    #[must_use]
    pub fn clock(text: [u8; 8]) -> Self {
        if !Self::is_clock(text) {
            return Self::new(std::str::from_utf8(&text).unwrap_or_default());
        }
        let mut word = 8u64;
        for (i, byte) in text.iter().enumerate() {
            word |= u64::from(byte - b'0') << (4 * (i + 1));
        }
        Self(word.to_le_bytes())
    }

    /// Whether each of the eight bytes is a digit or `:` (`0x30..=0x3A`),
    /// as [`Label::clock`] packs them: its high half is 3 and its low half
    /// at most 10, which adding 5 to each low half tells without a carry
    /// out of it, the eight at once.
    #[must_use]
    pub fn is_clock(text: [u8; 8]) -> bool {
        const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
        const LOW: u64 = 0x0f0f_0f0f_0f0f_0f0f;
        const THREES: u64 = 0x3030_3030_3030_3030;
        const FIVES: u64 = 0x0505_0505_0505_0505;
        const SIXTEENS: u64 = 0x1010_1010_1010_1010;
        let word = u64::from_le_bytes(text);
        word & HIGH == THREES && ((word & LOW) + FIVES) & SIXTEENS == 0
    }

    fn packed(text: &str) -> Option<Self> {
        if text.len() > Self::PACKED {
            return None;
        }
        let mut word = text.len() as u64;
        for (i, byte) in text.bytes().enumerate() {
            let nibble = NIBBLE[usize::from(byte)];
            if nibble == NOT_PACKED {
                return None;
            }
            word |= u64::from(nibble) << (4 * (i + 1));
        }
        Some(Self(word.to_le_bytes()))
    }

    fn interned(text: &str) -> Self {
        let index = u64::from(intern(text));
        Self(((index << 4) | Self::INTERNED).to_le_bytes())
    }

    /// The value as written (cut when it was longer than 15 bytes).
    #[must_use]
    pub fn text(self) -> LabelText {
        let word = u64::from_le_bytes(self.0);
        let len = (word & 0xF) as usize;
        if len as u64 == Self::INTERNED {
            return LabelText::Interned(interned_text((word >> 4) as u32));
        }
        let mut bytes = [0; Self::PACKED];
        for (i, byte) in bytes.iter_mut().enumerate().take(len) {
            *byte = ALPHABET[((word >> (4 * (i + 1))) & 0xF) as usize];
        }
        LabelText::Packed {
            bytes,
            len: len as u8,
        }
    }
}

impl Label {
    /// The three fields of a label written `DD:DD:DD` (two digits each),
    /// read from its nibbles without making its text: nearly every label
    /// of a vault is one, and the loader reads each as its note is parsed.
    #[must_use]
    pub fn two_digit_fields(self) -> Option<[u32; 3]> {
        const COLON: u64 = 10;
        let word = u64::from_le_bytes(self.0);
        if word & 0xF != 8 {
            return None;
        }
        let nibble = |i: u32| (word >> (4 * (i + 1))) & 0xF;
        if nibble(2) != COLON || nibble(5) != COLON {
            return None;
        }
        let two = |i: u32| {
            let (tens, ones) = (nibble(i), nibble(i + 1));
            (tens < 10 && ones < 10).then(|| u32::try_from(tens * 10 + ones).unwrap_or(0))
        };
        Some([two(0)?, two(3)?, two(6)?])
    }
}

/// `text` cut to [`Label::CAPACITY`] bytes at a character boundary and
/// marked with `…` when longer.
fn cut(text: &str) -> String {
    if text.len() <= Label::CAPACITY {
        return text.to_owned();
    }
    let mut end = Label::CAPACITY - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The interned texts: each distinct one once, kept for the life of the
/// process (so a label reads its text without a lock held by the caller).
/// At most [`MAX_INTERNED`] of them; past that a new value is kept as `…`.
struct Interned {
    ids: HashMap<&'static str, u32>,
    texts: Vec<&'static str>,
}

const MAX_INTERNED: usize = 1 << 20;

static INTERNED: LazyLock<Mutex<Interned>> = LazyLock::new(|| {
    Mutex::new(Interned {
        ids: HashMap::from([("…", 0)]),
        texts: vec!["…"],
    })
});

fn intern(text: &str) -> u32 {
    let mut table = INTERNED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&id) = table.ids.get(text) {
        return id;
    }
    if table.texts.len() >= MAX_INTERNED {
        return 0;
    }
    let id = u32::try_from(table.texts.len()).unwrap_or(0);
    let kept: &'static str = Box::leak(text.to_owned().into_boxed_str());
    table.texts.push(kept);
    table.ids.insert(kept, id);
    id
}

fn interned_text(id: u32) -> &'static str {
    let table = INTERNED.lock().unwrap_or_else(PoisonError::into_inner);
    table.texts.get(id as usize).copied().unwrap_or("…")
}

/// A label's text, read out of it: dereferences to `str`.
#[derive(Clone, Copy)]
pub enum LabelText {
    Packed { bytes: [u8; Label::PACKED], len: u8 },
    Interned(&'static str),
}

impl std::ops::Deref for LabelText {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            // Only ever bytes of `ALPHABET`, all ASCII.
            Self::Packed { bytes, len } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Self::Interned(text) => text,
        }
    }
}

impl fmt::Display for LabelText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for LabelText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

// As a string, read back without allocating (from the index cache, whose
// bytes it borrows): a vault has millions of labels.
impl serde::Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl<'de> serde::Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Label;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp label")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Label, E> {
                Ok(Label::new(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text(), f)
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        *self.text() == **other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_eight_bytes() {
        assert_eq!(size_of::<Label>(), 8);
        assert_eq!(align_of::<Label>(), 1);
    }

    #[test]
    fn times_pack_and_read_back_as_written() {
        for text in [
            "",
            "0",
            "00:05:17",
            "1:38:35",
            "11:71:94",
            "00:01:02:03",
            "1.5, 2-3 ]:",
        ] {
            let label = Label::new(text);
            assert!(Label::packed(text).is_some(), "{text:?} not packed");
            assert_eq!(&*label.text(), text);
            assert_eq!(label, text);
            assert_eq!(label.to_string(), text);
        }
        // Fourteen characters pack; fifteen do not, but still read back.
        assert!(Label::packed("12345678901234").is_some());
        assert!(Label::packed("123456789012345").is_none());
        assert_eq!(&*Label::new("123456789012345").text(), "123456789012345");
    }

    #[test]
    fn clocks_pack_as_their_text_does() {
        let bytes = b"0123456789:x";
        for text in ["00:05:17", "99:99:99", "::::::::", "1:2:3:45", "0123456x"] {
            let text: [u8; 8] = text.as_bytes().try_into().expect("8 bytes");
            let from_text = Label::new(std::str::from_utf8(&text).expect("ASCII"));
            assert_eq!(Label::clock(text), from_text);
        }
        // Every byte of the alphabet's digits and colon at every place.
        for (i, &b) in bytes.iter().enumerate() {
            let mut text = *b"00:00:00";
            text[i % 8] = b;
            let from_text = Label::new(std::str::from_utf8(&text).expect("ASCII"));
            assert_eq!(Label::clock(text), from_text);
        }
    }

    #[test]
    fn clock_bytes_are_digits_and_colons_only() {
        for b in 0..=u8::MAX {
            for at in [0, 3, 7] {
                let mut text = *b"012:5901";
                text[at] = b;
                assert_eq!(
                    Label::is_clock(text),
                    (b'0'..=b':').contains(&b),
                    "{b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn two_digit_fields_are_read_only_from_dd_dd_dd() {
        assert_eq!(Label::new("00:05:17").two_digit_fields(), Some([0, 5, 17]));
        assert_eq!(
            Label::new("99:71:94").two_digit_fields(),
            Some([99, 71, 94])
        );
        for other in [
            "",
            "5:17",
            "1:38:35",
            "00:05:170",
            "00:05.17",
            "00-05:17",
            " 0:05:17",
            "HH:MM:SS",
        ] {
            assert_eq!(Label::new(other).two_digit_fields(), None, "{other:?}");
        }
    }

    #[test]
    fn other_values_are_interned_once_and_read_back() {
        let a = Label::new("HH:MM:SS");
        let b = Label::new("HH:MM:SS");
        assert_eq!(a, b, "the same text, the same index");
        assert_ne!(a, Label::new("HH:MM:SX"));
        assert_eq!(&*a.text(), "HH:MM:SS");
        assert_eq!(&*Label::new("https://youtu.be/").text(), "https://yout…");
        assert_eq!(&*Label::new("é").text(), "é");
    }

    #[test]
    fn long_values_are_cut_safely() {
        let long = Label::new("this is far too long for a time");
        assert!(long.text().ends_with('…'));
        assert!(long.text().len() <= 15);
        let multibyte = Label::new("ééééééééééééé");
        assert!(multibyte.text().starts_with("éééééé"));
        assert!(multibyte.text().ends_with('…'));
        let digits = Label::new("12345678901234567890");
        assert_eq!(&*digits.text(), "123456789012…");
    }

    #[test]
    fn equal_labels_are_equal_however_made() {
        let packed = Label::new("00:05:17");
        let decoded: Label =
            postcard::from_bytes(&postcard::to_stdvec(&packed).expect("encodes")).expect("decodes");
        assert_eq!(packed, decoded);
        let odd = Label::new("5 min");
        let decoded: Label =
            postcard::from_bytes(&postcard::to_stdvec(&odd).expect("encodes")).expect("decodes");
        assert_eq!(odd, decoded);
        assert_eq!(Label::default(), Label::new(""));
    }
}
