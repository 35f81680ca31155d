//! The one way nearly every timestamp anchor of a vault is written,
//! recognised by comparing bytes: a real vault has three quarters of a
//! million of them, and the general reading (a search for the tag's end,
//! one for `</a>`, the tag's words counted) was a fifth of its parse.

use super::words::COMMON_ANCHOR;
use crate::vault::timestamp::Label;

/// `<a class="yt-timestamp" data-t="` + 8 + `">[` + 8 + `]</a>`.
pub(super) const CANONICAL_LEN: usize = COMMON_ANCHOR.len() + 8 + 3 + 8 + 5;

/// The words of a canonical anchor's markup alone (`<a`, `class="…"`,
/// `data-t="…">[…]</a>`), which a line's words do not count.
pub(super) const CANONICAL_WORDS: u32 = 3;

/// The `data-t` value (8 ASCII bytes) of the anchor `text` starts with, when that anchor
/// is written exactly `<a class="yt-timestamp" data-t="DD:DD:DD">[DD:DD:DD]</a>`
/// (each `D` a digit or `:`, the shown time any such 8 bytes); it is then
/// [`CANONICAL_LEN`] bytes long.
///
/// What the general reading finds for it, without its searches: the
/// tag's first `>` or `<` is the one after the value, and the first
/// `</a>` follows the shown time. Anything else, `None`: the general
/// reading takes it.
pub(super) fn canonical_anchor_value(text: &str) -> Option<[u8; 8]> {
    const OPENING: usize = COMMON_ANCHOR.len();
    // One array of the anchor's length: every part below is at a fixed
    // place in it, read with no bounds check and compared 8 bytes at a
    // time (byte by byte, this was a third of an anchor's cost).
    let bytes: &[u8; CANONICAL_LEN] = text.as_bytes().get(..CANONICAL_LEN)?.try_into().ok()?;
    let eight = |at: usize| {
        let mut word = [0; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        word
    };
    let value = eight(OPENING);
    let canonical = bytes[..OPENING] == *COMMON_ANCHOR.as_bytes()
        && bytes[OPENING + 8..OPENING + 11] == *b"\">["
        && bytes[OPENING + 19..] == *b"]</a>"
        && Label::is_clock(value)
        && Label::is_clock(eight(OPENING + 11));
    canonical.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_form_is_canonical() {
        let canonical = "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a>";
        assert_eq!(canonical.len(), CANONICAL_LEN);
        assert_eq!(super::super::count_words(canonical), CANONICAL_WORDS);
        assert_eq!(canonical_anchor_value(canonical), Some(*b"00:05:17"));
        assert_eq!(
            canonical_anchor_value(&format!("{canonical} and more")),
            Some(*b"00:05:17")
        );
        for other in [
            "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</A>",
            "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:1]</a>x",
            "<a class=\"yt-timestamp\" data-t=\"0:05:17\">[00:05:17]</a>",
            "<a class=\"yt-timestamp\" data-t=\"00:05 17\">[00:05:17]</a>",
            "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05<17]</a>",
            "<a class=\"yt-timestamp\" data-t=\"00:05:17\" >[00:05:17]</a>",
            "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a",
            "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17)</a>",
            "<a class=\"yt-timestamp\" data-t=\"00:05:1é\">[00:05:17]</a>",
            "",
        ] {
            assert_eq!(canonical_anchor_value(other), None, "{other:?}");
        }
    }
}
