//! What a note's word count counts, and how the scan counts it.
//!
//! A note's words are those of the lines the scan reads (not its front
//! matter, fenced code, blank lines or setext underlines), each line's
//! less the words of its timestamp anchors' markup (each anchor counted
//! alone; a line never below 0), less one for each ATX heading's `##`
//! (the note never below 0).
//!
//! Counted line by line, that is a call of the word count for every line
//! and every piece between two anchors, and those calls were half of its
//! cost. So the words of the whole body are counted at once (the loader
//! counts them in the pass that checks the text for control bytes), and
//! what the rule leaves out is taken off as the scan meets it: the words
//! of the lines it skips, of each anchor's markup, each heading's `##`.
//! Both give the same count unless a line's own count would go below 0,
//! which takes two anchors with no space between them (next to each
//! other, or around one word): such a line is counted alone, and a
//! heading line of that kind has the note counted line by line (whether
//! the note's count before it is 0 is not known from the body's count).

use std::ops::Range;

use super::words::{count_words, is_word_space};

/// The anchors of one line, as the scan skips them.
#[derive(Default)]
pub(super) struct LineAnchors {
    /// The words of their markup, each anchor counted alone.
    markup_words: u32,
    /// Where the last one ended in the line.
    last_end: Option<usize>,
    /// Whether two of them have no space between them.
    glued: bool,
}

impl LineAnchors {
    /// `line[markup]`, an anchor's markup of `words` words of its own,
    /// after every anchor skipped before it.
    pub(super) fn skip(&mut self, line: &str, markup: Range<usize>, words: u32) {
        if let Some(end) = self.last_end {
            // What lies between them is read once: linear in the line.
            let between = line.as_bytes().get(end..markup.start);
            if !between.is_some_and(|b| b.iter().any(|&b| is_word_space(b))) {
                self.glued = true;
            }
        }
        self.markup_words = self.markup_words.saturating_add(words);
        self.last_end = Some(markup.end);
    }
}

/// A heading line whose count may have gone below 0: the note is to be
/// counted again line by line.
#[derive(Debug)]
pub(super) struct CountByLines;

/// A note's words as the scan goes.
pub(super) enum Tally {
    /// Counted line by line: the rule as it reads, for a note of which
    /// [`Tally::Body`] cannot tell.
    Lines(u32),
    /// The body's words, less what the scan has left out so far.
    Body(i64),
}

impl Tally {
    /// The words of `text[body_start..]`; `text_words` is the count of
    /// the whole `text` when the caller has it (the front matter's are
    /// taken off then).
    pub(super) fn of_body(text: &str, body_start: usize, text_words: Option<u32>) -> Self {
        let body_start = body_start.min(text.len());
        let (head, body) = text.as_bytes().split_at(body_start);
        let words = match text_words {
            None => count_words(&text[body_start..]),
            Some(all) => {
                // A word the front matter's end and the body's start
                // share is counted once in `all`, and once in each.
                let shared = head.last().is_some_and(|&b| !is_word_space(b))
                    && body.first().is_some_and(|&b| !is_word_space(b));
                (all + u32::from(shared)).saturating_sub(count_words(&text[..body_start]))
            }
        };
        Self::Body(i64::from(words))
    }

    /// Text the scan does not read: lines of fenced code with their
    /// fences, blank lines, setext underlines.
    pub(super) fn skipped(&mut self, text: &str) {
        if let Self::Body(words) = self {
            *words -= i64::from(count_words(text));
        }
    }

    /// A line the scan read: `line` without its line end, `trimmed` the
    /// part of it scanned, `anchors` its anchors.
    pub(super) fn line(
        &mut self,
        line: &str,
        trimmed: &str,
        anchors: &LineAnchors,
        heading: bool,
    ) -> Result<(), CountByLines> {
        let markup = i64::from(anchors.markup_words);
        match self {
            Self::Lines(words) => {
                let here = (i64::from(count_words(trimmed)) - markup).max(0);
                *words = words.saturating_add(u32::try_from(here).unwrap_or(u32::MAX));
                if heading {
                    *words = words.saturating_sub(1);
                }
            }
            Self::Body(words) => {
                // Only a Unicode space trimmed (no ASCII one) can have
                // held words the line has and `trimmed` has not.
                let dropped = &line.as_bytes()[..line.len() - trimmed.len()];
                if !dropped.iter().all(|&b| is_word_space(b)) {
                    *words -= i64::from(count_words(line)) - i64::from(count_words(trimmed));
                }
                *words -= markup;
                if anchors.glued {
                    if heading {
                        return Err(CountByLines);
                    }
                    // The line counts 0, not below.
                    *words -= (i64::from(count_words(trimmed)) - markup).min(0);
                }
                if heading {
                    *words -= 1;
                }
            }
        }
        Ok(())
    }

    /// The note's count.
    pub(super) fn total(&self) -> u32 {
        match *self {
            Self::Lines(words) => words,
            Self::Body(words) => u32::try_from(words.max(0)).unwrap_or(u32::MAX),
        }
    }
}
