//! The one way nearly every timestamp anchor of a vault is written,
//! recognised by comparing bytes: a real vault has three quarters of a
//! million of them, and the general reading (a search for the tag's end,
//! one for `</a>`, the tag's words counted) was a fifth of its parse.

use super::words::COMMON_ANCHOR;

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
    let bytes = text.as_bytes().get(..CANONICAL_LEN)?;
    let (opening, rest) = bytes.split_at(COMMON_ANCHOR.len());
    let (value, rest) = rest.split_at(8);
    let (between, rest) = rest.split_at(3);
    let (shown, closing) = rest.split_at(8);
    let clock = |part: &[u8]| part.iter().all(|b| (b'0'..=b':').contains(b));
    let canonical = opening == COMMON_ANCHOR.as_bytes()
        && between == b"\">["
        && closing == b"]</a>"
        && clock(value)
        && clock(shown);
    if !canonical {
        return None;
    }
    value.try_into().ok()
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
