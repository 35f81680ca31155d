//! The masks of an item's text that let a matching pass pass it over
//! without reading the text: which ASCII letters and digits it holds,
//! and which letters start one of its words.

use nucleo::Utf32Str;

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
        Utf32Str::Ascii(bytes) => ascii_mask(bytes),
        Utf32Str::Unicode(_) => u64::MAX,
    }
}

/// Per byte: its [`char_bit`] and, apart, its [`word_start_bit`].
const BITS: [(u64, u64); 256] = {
    let mut table = [(0, 0); 256];
    let mut b = 0;
    while b < 256 {
        #[allow(clippy::cast_possible_truncation)]
        let byte = b as u8;
        let bit = match byte {
            b'a'..=b'z' => 1 << (byte - b'a'),
            b'A'..=b'Z' => 1 << (byte - b'A'),
            b'0'..=b'9' => 1 << (26 + byte - b'0'),
            _ => 0,
        };
        let start = if byte.is_ascii_alphabetic() {
            bit << 36
        } else {
            0
        };
        table[b] = (bit, start);
        b += 1;
    }
    table
};

/// [`char_mask`] of ASCII bytes, without a branch a byte (a table; a
/// CLI `search` computes it over 13 MB of titles and headings).
pub(super) fn ascii_mask(bytes: &[u8]) -> u64 {
    let mut mask = 0;
    // All ones after whitespace (and at the start), else zero.
    let mut after_space = u64::MAX;
    for &b in bytes {
        let (bit, start) = BITS[b as usize];
        mask |= bit | (start & after_space);
        after_space = 0u64.wrapping_sub(u64::from(b.is_ascii_whitespace()));
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table gives what a byte-by-byte reading gives: the chars, and the
    /// letters after any ASCII whitespace or at the start.
    #[test]
    fn the_mask_table_reads_as_the_chars_do() {
        let texts = [
            "",
            "Model Context",
            "a\tb\nc\rd\x0ce f",
            "  9lives › Zed_z-Q",
            "x1 y2 Z3 ~a !b",
        ];
        for text in texts {
            let mut expected = 0;
            let mut after_space = true;
            for &b in text.as_bytes() {
                expected |= char_bit(b);
                if after_space {
                    expected |= word_start_bit(b);
                }
                after_space = b.is_ascii_whitespace();
            }
            assert_eq!(ascii_mask(text.as_bytes()), expected, "{text:?}");
        }
        for b in 0..=255u8 {
            assert_eq!(ascii_mask(&[b]), char_bit(b) | word_start_bit(b), "{b}");
        }
    }
}
