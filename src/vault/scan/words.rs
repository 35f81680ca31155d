//! Word counts of the scan: ASCII whitespace, in blocks the compiler
//! vectorises (see [`super::tally`] for what of a note is counted).

/// The opening of a timestamp anchor as the vault's notes write it, up
/// to the quote that opens its value.
pub(super) const COMMON_ANCHOR: &str = "<a class=\"yt-timestamp\" data-t=\"";

/// The ASCII whitespace [`count_words`] splits at, in a note's text.
pub(super) fn is_word_space(b: u8) -> bool {
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
    count_bytes_words(text.as_bytes())
}

/// 1 for ASCII whitespace in a note's text, else 0, without branches.
fn space(b: u8) -> u8 {
    u8::from(is_word_space(b))
}

/// [`count_words`] of a text as read from its file, checked in the same
/// pass for what [`crate::text::sanitize_source`] would replace: `None`
/// when it may hold a control character other than `\t`, `\n` and `\r`
/// (the caller sanitises it then, and counts the words of what comes
/// out). Both read every byte of every note: one vector loop does both
/// at once, in blocks of 32 pairs as [`count_words`]'s widest blocks.
#[must_use]
pub(crate) fn words_if_clean(text: &str) -> Option<u32> {
    use crate::text::{has_del_or_c1, is_c0_control};
    const LANES: usize = 32;
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return Some(0);
    };
    if is_c0_control(first) != 0 || has_del_or_c1(bytes) {
        return None;
    }
    let add = |lanes: &[u8; LANES]| lanes.iter().map(|&c| u32::from(c)).sum::<u32>();
    let (before, after) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let mut starts = u32::from(space(first) ^ 1);
    let mut lanes = [0u8; LANES];
    let mut blocks = 0;
    let blocks_before = before.chunks_exact(LANES);
    let done = before.len() - blocks_before.remainder().len();
    for (a, b) in blocks_before.zip(after.chunks_exact(LANES)) {
        // Below the space, a note holds line ends and little else: a
        // block with nothing below it but `\n` is clean (half the tests
        // of the exact check), and only a block with a tab or `\r` (or
        // a control) is checked exactly.
        let mut below_space = 0;
        for i in 0..LANES {
            lanes[i] += space(a[i]) & (space(b[i]) ^ 1);
            below_space |= u8::from(b[i] < b' ') & u8::from(b[i] != b'\n');
        }
        if below_space != 0 && b.iter().fold(0, |any, &b| any | is_c0_control(b)) != 0 {
            return None;
        }
        blocks += 1;
        if blocks == u8::MAX {
            starts += add(&lanes);
            lanes = [0; LANES];
            blocks = 0;
        }
    }
    starts += add(&lanes);
    // Fewer than 32 pairs are left: the words that start in them are
    // those of the bytes from `done` on, less a word at `done` itself.
    if bytes[done + 1..].iter().any(|&b| is_c0_control(b) != 0) {
        return None;
    }
    let rest = &bytes[done..];
    Some(starts + count_bytes_words(rest) - u32::from(space(rest[0]) ^ 1))
}

/// [`count_words`] of bytes that need not start at a character.
fn count_bytes_words(bytes: &[u8]) -> u32 {
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
    /// The pairs of the last 16 of `before` and `after` that are not
    /// among their first `counted` (at least `len - 16`): one block that
    /// ends at the end, the pairs counted already masked out, instead of
    /// up to 15 pairs one at a time (a loop at every line of a vault).
    fn last_block(before: &[u8], after: &[u8], counted: usize) -> u32 {
        /// `MASKS[k..k + 16]` keeps the last `k` of 16 pairs.
        const MASKS: [u8; 32] = {
            let mut masks = [0; 32];
            let mut i = 16;
            while i < 32 {
                masks[i] = 1;
                i += 1;
            }
            masks
        };
        let from = before.len() - 16;
        let (a, b) = (&before[from..], &after[from..]);
        let mask = &MASKS[before.len() - counted..][..16];
        let mut count = 0u8;
        for i in 0..16 {
            count += space(a[i]) & (space(b[i]) ^ 1) & mask[i];
        }
        u32::from(count)
    }
    let (before, after) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let mut starts = u32::from(space(first) ^ 1);
    let (large, large_done) = lanes(before, after);
    let (small, small_done) = blocks::<16>(&before[large_done..], &after[large_done..]);
    starts += large + small;
    let done = large_done + small_done;
    if done == before.len() {
        return starts;
    }
    if before.len() >= 16 {
        return starts + last_block(before, after, done);
    }
    for (&a, &b) in before[done..].iter().zip(&after[done..]) {
        starts += u32::from(space(a) & (space(b) ^ 1));
    }
    starts
}
