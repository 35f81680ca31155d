//! Word counts of the scan: ASCII whitespace, in blocks the compiler
//! vectorises, and the words of the common timestamp anchor.

/// The opening of a timestamp anchor as the vault's notes write it, up
/// to the quote that opens its value, and the words it holds.
pub(super) const COMMON_ANCHOR: &str = "<a class=\"yt-timestamp\" data-t=\"";
pub(super) const COMMON_ANCHOR_WORDS: u32 = 3;

/// [`count_words`] of a text that is `rest` after a part of `before`
/// words that ends in a non-space (a word that `rest` may go on).
pub(super) fn count_words_after(before: u32, rest: &str) -> u32 {
    let goes_on = rest.bytes().next().is_some_and(|b| !is_word_space(b));
    before + count_words(rest) - u32::from(goes_on)
}

/// The ASCII whitespace [`count_words`] splits at, in a note's text.
fn is_word_space(b: u8) -> bool {
    b <= b' '
}

/// Counts runs of non-space bytes. ASCII whitespace only: a byte loop is
/// several times faster than `split_whitespace`, and a word count does not
/// need Unicode's rarer spaces.
///
/// `text` is a note's text as [`crate::vault::loader::decode`] leaves it:
/// its only bytes below the space are `\t`, `\n` and `\r` (every other
/// control character is replaced by its picture), so "at most a space" is
/// exactly the ASCII whitespace (`\v` and `\f` too were they there), in one
/// comparison a byte.
pub(super) fn count_words(text: &str) -> u32 {
    /// 1 for ASCII whitespace in a note's text, else 0, without branches.
    fn space(b: u8) -> u8 {
        u8::from(is_word_space(b))
    }
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    // A word starts wherever a space is followed by a non-space. Counting
    // pairs in fixed blocks into a byte lets the compiler use vector
    // instructions: this runs over every byte of a vault.
    // Counts per lane over blocks of 32 pairs, added up every 255 blocks
    // (before a lane can overflow) rather than at each block; then blocks
    // of 16 (most lines and anchor texts are short: the byte loop is left
    // at most 15 pairs).
    const LANES: usize = 32;
    fn lanes(before: &[u8], after: &[u8]) -> (u32, usize) {
        let add = |lanes: &[u8; LANES]| lanes.iter().map(|&c| u32::from(c)).sum::<u32>();
        let mut starts = 0;
        let mut lanes = [0u8; LANES];
        let mut blocks = 0;
        let blocks_before = before.chunks_exact(LANES);
        let done = before.len() - blocks_before.remainder().len();
        for (a, b) in blocks_before.zip(after.chunks_exact(LANES)) {
            for i in 0..LANES {
                lanes[i] += space(a[i]) & (space(b[i]) ^ 1);
            }
            blocks += 1;
            if blocks == u8::MAX {
                starts += add(&lanes);
                lanes = [0; LANES];
                blocks = 0;
            }
        }
        (starts + add(&lanes), done)
    }
    fn blocks<const BLOCK: usize>(before: &[u8], after: &[u8]) -> (u32, usize) {
        let mut starts = 0;
        let blocks_before = before.chunks_exact(BLOCK);
        let done = before.len() - blocks_before.remainder().len();
        for (a, b) in blocks_before.zip(after.chunks_exact(BLOCK)) {
            let mut count = 0u8;
            for i in 0..BLOCK {
                count += space(a[i]) & (space(b[i]) ^ 1);
            }
            starts += u32::from(count);
        }
        (starts, done)
    }
    let (before, after) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let mut starts = u32::from(space(first) ^ 1);
    let (large, done) = lanes(before, after);
    let (before, after) = (&before[done..], &after[done..]);
    let (small, done) = blocks::<16>(before, after);
    starts += large + small;
    for (&a, &b) in before[done..].iter().zip(&after[done..]) {
        starts += u32::from(space(a) & (space(b) ^ 1));
    }
    starts
}
