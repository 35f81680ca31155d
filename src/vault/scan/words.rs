//! Word counts of the scan: ASCII whitespace, in blocks the compiler
//! vectorises, counted around the timestamp anchors.

/// The opening of a timestamp anchor as the vault's notes write it, up
/// to the quote that opens its value.
pub(super) const COMMON_ANCHOR: &str = "<a class=\"yt-timestamp\" data-t=\"";

/// The words of a line less the words of its anchors' markup (each
/// counted alone), as `count_words(line) - Σ count_words(anchor)`, but
/// counted around the anchors: their bytes (a quarter of a vault) are
/// not read at all.
///
/// The words of a text are those of its pieces less one at each place a
/// piece that ends in a non-space meets one that starts with a non-space
/// (one word split in two). An anchor's markup starts with `<` and ends
/// with `>`: its own words cancel out, and it leaves only its join with
/// the text before it, and a non-space for the text after it to join.
#[derive(Default)]
pub(super) struct WordsAround {
    /// Where the text not counted yet starts.
    counted_to: usize,
    /// Words so far (a line of nothing but adjacent anchors goes below 0;
    /// the line counts 0 then).
    words: i64,
    /// Whether the text counted so far ends in a non-space.
    after_word: bool,
}

impl WordsAround {
    /// `line[markup]`, an anchor's markup from its `<` to its `>`, after
    /// every anchor skipped before.
    pub(super) fn skip(&mut self, line: &str, markup: std::ops::Range<usize>) {
        self.count_to(line, markup.start);
        self.words -= i64::from(self.after_word);
        self.after_word = true;
        self.counted_to = markup.end;
    }

    /// The count of the whole `line`.
    pub(super) fn finish(mut self, line: &str) -> u32 {
        self.count_to(line, line.len());
        u32::try_from(self.words.max(0)).unwrap_or(u32::MAX)
    }

    fn count_to(&mut self, line: &str, end: usize) {
        let piece = &line[self.counted_to..end];
        if let (Some(&first), Some(&last)) = (piece.as_bytes().first(), piece.as_bytes().last()) {
            let joined = self.after_word && !is_word_space(first);
            self.words += i64::from(count_words(piece)) - i64::from(joined);
            self.after_word = !is_word_space(last);
        }
        self.counted_to = end;
    }
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
