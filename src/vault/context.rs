//! "The sentence around it": the plain text that a link or timestamp
//! supports, for backlinks, the timestamps tab and the command line.

use std::{ops::Range, sync::LazyLock};

use memchr::memmem::Finder;

use super::next_match::{NextMatch, next_byte, next_byte2};

/// Longest context kept, in characters; longer sentences are cut at a word.
const MAX_CONTEXT_CHARS: usize = 300;

/// How far before and after its anchor a context is looked for, in bytes.
const CONTEXT_WINDOW_BYTES: usize = 4096;

/// The sentence of `text` that contains `range`, as plain text. A sentence
/// ends at `. `, `! `, `? ` or a line break; the anchor's own markup is
/// removed. Timestamps usually close the sentence they support
/// (`... services <a ...>[00:05:17]</a>.`), so a range that starts right
/// after a sentence end still belongs to the sentence before it.
#[must_use]
pub fn sentence_around(text: &str, range: Range<usize>) -> String {
    let start = floor_char_boundary(text, range.start.min(text.len()));
    let end = floor_char_boundary(text, range.end.min(text.len())).max(start);
    // Only so much of a line around the anchor is read: a context is cut
    // to a few hundred characters anyway, and a note with 100,000 anchors
    // on one long line must not cost 100,000 reads of the whole line.
    let window_start = ceil_char_boundary(text, start.saturating_sub(CONTEXT_WINDOW_BYTES));
    let window_end = floor_char_boundary(
        text,
        end.saturating_add(CONTEXT_WINDOW_BYTES).min(text.len()),
    );
    let line_start = text[window_start..start]
        .rfind('\n')
        .map_or(window_start, |i| window_start + i + 1);
    let line_end = text[end..window_end]
        .find('\n')
        .map_or(window_end, |i| end + i);
    let before = &text[line_start..start];
    let after = &text[end..line_end];

    let before_plain = plain(before);
    let after_plain = plain(after);
    let anchor_plain = plain(&text[start..end]);

    // Cut the text before the anchor at the last sentence end that has real
    // words after it, so `end. <a>` keeps the sentence that just ended.
    let trimmed_before = before_plain.trim_end();
    let mut cut = 0;
    for (i, _) in trimmed_before.match_indices(['.', '!', '?']) {
        let rest = &trimmed_before[i + 1..];
        if rest.starts_with(' ') && rest.trim().chars().count() > 1 {
            cut = i + 1;
        }
    }
    let sentence_before = before_plain[cut..].trim_start();
    let sentence_after = match after_plain
        .find(". ")
        .or_else(|| after_plain.find("! "))
        .or_else(|| after_plain.find("? "))
    {
        Some(i) => &after_plain[..=i],
        None => after_plain.as_str(),
    };
    let mut sentence = String::new();
    if is_timestamp_markup(&text[start..end]) {
        sentence.push_str(sentence_before.trim_end());
    } else {
        sentence.push_str(sentence_before);
        sentence.push_str(anchor_plain.trim());
    }
    sentence.push_str(sentence_after.trim_end());
    // Removed timestamps leave a space before the punctuation they preceded.
    let sentence = collapse_spaces(&sentence)
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" ;", ";");
    shorten(strip_block_markers(&sentence))
}

/// Drops the markers a line starts with: quote bars and callout titles
/// (`> [!info]`), bullets, numbers of ordered lists, heading hashes.
pub(crate) fn strip_block_markers(sentence: &str) -> &str {
    let mut rest = sentence.trim();
    loop {
        let before = rest;
        rest = rest.trim_start_matches(['>', '*', '-', '+', '#', ' ']);
        if let Some(after) = rest.strip_prefix("[!")
            && let Some(end) = after.find(']')
        {
            rest = &after[end + 1..];
        }
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            rest = &rest[digits + 1..];
        }
        if rest == before {
            return rest.trim();
        }
    }
}

fn is_timestamp_markup(s: &str) -> bool {
    let clock_link = s
        .strip_prefix("[[")
        .and_then(|s| s.strip_suffix("]]"))
        .is_some_and(super::timestamp::looks_like_clock);
    s.starts_with('<') || clock_link
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Removes inline markup: tags, `**`, `__`, backticks, and wiki-link
/// brackets (keeping the shown text).
///
/// Linear in `s`: each "where does it close?" question is answered by a
/// [`NextMatch`] that searches every byte once, so a line of `[` or `<a `
/// with nothing closing them costs no more than any other line.
#[must_use]
pub fn plain(s: &str) -> String {
    plain_or_same(s).into_owned()
}

/// [`plain`], borrowing `s` when it holds no markup (most headings and
/// link texts of a vault: the loader then copies them once, not twice).
#[must_use]
pub fn plain_or_same(s: &str) -> std::borrow::Cow<'_, str> {
    let bytes = s.as_bytes();
    // Most headings hold no markup: then there is nothing to take out (and
    // no searchers to build, once per heading of the vault).
    if !bytes.iter().any(|&b| is_markup_start(b)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut close_anchor = NextMatch::new(|hay: &[u8]| CLOSE_ANCHOR.find(hay));
    let mut tag_stop = next_byte2(b'>', b'<');
    let mut tag_close = next_byte(b'>');
    let mut close_link = NextMatch::new(|hay: &[u8]| CLOSE_LINK.find(hay));
    let mut link_middle = NextMatch::new(|hay: &[u8]| LINK_MIDDLE.find(hay));
    let mut bracket = next_byte2(b'[', b']');
    let mut paren = next_byte(b')');
    let mut at = 0;
    while let Some(c) = s[at..].chars().next() {
        // Text up to the next byte that may start markup goes out whole
        // (every other character is pushed as it is below): a character
        // at a time, this loop was most of the cost of a heading.
        let run = bytes[at..]
            .iter()
            .position(|&b| is_markup_start(b))
            .unwrap_or(bytes.len() - at);
        if run > 0 {
            out.push_str(&s[at..at + run]);
            at += run;
            continue;
        }
        let rest = &s[at..];
        if c == '<' {
            // A timestamp inside the sentence is markup, not words.
            if rest.len() > 3
                && rest.as_bytes()[..3].eq_ignore_ascii_case(b"<a ")
                && let Some(tag_end) = tag_stop.at_or_after(bytes, at + 1)
                && bytes[tag_end] == b'>'
                && s[at..tag_end].contains("yt-timestamp")
                && let Some(close) = close_anchor.at_or_after(bytes, tag_end)
            {
                at = close + 4;
                continue;
            }
            if let Some(end) = tag_close.at_or_after(bytes, at) {
                let tag = &s[at..=end];
                if tag.len() > 2
                    && (tag.as_bytes()[1].is_ascii_alphabetic() || tag.as_bytes()[1] == b'/')
                {
                    at = end + 1;
                    continue;
                }
            }
        }
        if rest.starts_with("[[")
            && let Some(end) = close_link.at_or_after(bytes, at + 2)
        {
            let inner = &s[at + 2..end];
            // By `memchr`: std's character search showed in profiles.
            let shown = split_at_byte(inner, b'|').map_or(inner, |(_, shown)| shown);
            let shown = split_at_byte(shown, b'#').map_or(shown, |(t, h)| {
                if t.is_empty() {
                    h
                } else if memchr::memchr(b'|', shown.as_bytes()).is_some() {
                    shown
                } else {
                    t
                }
            });
            out.push_str(shown.trim());
            at = end + 2;
            continue;
        }
        if c == '['
            && let Some(close) = link_middle.at_or_after(bytes, at)
            && let Some(end) = paren.at_or_after(bytes, close)
            && bracket.at_or_after(bytes, at + 1) == Some(close)
        {
            out.push_str(&s[at + 1..close]);
            at = end + 1;
            continue;
        }
        if rest.starts_with("**") || rest.starts_with("__") || rest.starts_with("~~") {
            at += 2;
            continue;
        }
        // `*Acquired*`, `_word_`: a single mark that opens or closes
        // emphasis (touching a word on one side only). `5 * 3` and
        // `snake_case` keep theirs.
        if (c == '*' || c == '_') && is_emphasis_mark(s, at) {
            at += 1;
            continue;
        }
        if c == '`' || c == '\r' {
            at += 1;
            continue;
        }
        out.push(c);
        at += c.len_utf8();
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `byte` may start markup [`plain`] takes out; every other
/// character it keeps as it is.
fn is_markup_start(byte: u8) -> bool {
    matches!(byte, b'<' | b'[' | b'*' | b'_' | b'~' | b'`' | b'\r')
}

/// `s.split_once(char::from(byte))` for an ASCII `byte`.
fn split_at_byte(s: &str, byte: u8) -> Option<(&str, &str)> {
    memchr::memchr(byte, s.as_bytes()).map(|at| (&s[..at], &s[at + 1..]))
}

// Searchers built once: `plain` runs for every heading with markup of a
// vault, and building a `memmem` finder costs more than its search there.
static CLOSE_ANCHOR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("</a>"));
static CLOSE_LINK: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("]]"));
static LINK_MIDDLE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("]("));

/// The `*` or `_` at byte `at` of `s` opens or closes emphasis: a word
/// character on exactly one side.
fn is_emphasis_mark(s: &str, at: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let before = word(s[..at].chars().next_back());
    let after = word(s[at + 1..].chars().next());
    before != after
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        let space = c.is_whitespace();
        if !(space && last_space) {
            out.push(if space { ' ' } else { c });
        }
        last_space = space;
    }
    out
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_CONTEXT_CHARS {
        return crate::text::sanitize_inline(s).into_owned();
    }
    let cut: String = s.chars().take(MAX_CONTEXT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", crate::text::sanitize_inline(cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(text: &str, needle: &str) -> String {
        let start = text.find(needle).expect("needle in text");
        let closing = if needle.starts_with("[[") {
            "]]"
        } else {
            "</a>"
        };
        let end = text[start..]
            .find(closing)
            .map_or(text.len(), |e| start + e + closing.len());
        sentence_around(text, start..end)
    }

    #[test]
    fn plain_keeps_the_text_between_markup_whole() {
        for (text, expected) in [
            ("Plain text, é and 日本", "Plain text, é and 日本"),
            (
                "Defining \"Dinosaur\" and [[the_x | The Connection]]",
                "Defining \"Dinosaur\" and The Connection",
            ),
            (
                "**Bold** and _em_ and snake_case",
                "Bold and em and snake_case",
            ),
            ("é [link](url) ~~x~~ `code` a~b\r", "é link x code a~b"),
            ("[[a#Head]] [[#Local]] [[b#H|Shown]]", "a Local Shown"),
            (
                "<a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a> Intro <b>x</b>",
                " Intro x",
            ),
            ("[unclosed and 5 * 3 <", "[unclosed and 5 * 3 <"),
        ] {
            assert_eq!(plain_or_same(text), expected, "{text:?}");
        }
    }

    #[test]
    fn timestamp_after_the_sentence_it_supports() {
        let text = "First one. The claim is here <a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a>. Next sentence.";
        assert_eq!(around(text, "<a class"), "The claim is here.");
    }

    #[test]
    fn link_in_the_middle_keeps_its_shown_text() {
        let text = "Intro. PPPs are crucial for [[public_sector_innovation | public sector innovation]] by enabling governments. More.";
        assert_eq!(
            around(text, "[[public"),
            "PPPs are crucial for public sector innovation by enabling governments."
        );
    }

    #[test]
    fn single_emphasis_marks_go_and_other_stars_stay() {
        assert_eq!(
            plain("the *Acquired* podcast, _really_ ~~old~~ 5 * 3 snake_case 2*3"),
            "the Acquired podcast, really old 5 * 3 snake_case 2*3"
        );
    }

    #[test]
    fn bullets_and_bold_are_plain() {
        let text = "* **Agile way of working** <a class=\"yt-timestamp\" data-t=\"00:17:31\">[00:17:31]</a>.\n* next";
        assert_eq!(around(text, "<a class"), "Agile way of working.");
    }

    #[test]
    fn quote_callout_and_list_markers_are_dropped() {
        let stamp = "<a class=\"yt-timestamp\" data-t=\"00:02:00\">[00:02:00]</a>";
        for line in [
            format!("> The report is launched {stamp}."),
            format!("> [!info] The report is launched {stamp}."),
            format!("1. The report is launched {stamp}."),
            format!("  - The report is launched {stamp}."),
        ] {
            assert_eq!(
                around(&line, "<a class"),
                "The report is launched.",
                "{line}"
            );
        }
    }

    #[test]
    fn long_sentences_are_cut_at_a_word() {
        let text = format!("{} <a>[1]</a>", "word ".repeat(200));
        let context = around(&text, "<a>");
        assert!(context.ends_with('…'));
        assert!(context.chars().count() <= MAX_CONTEXT_CHARS + 1);
    }

    #[test]
    fn a_wide_character_after_a_lone_angle_bracket_does_not_panic() {
        // Found by the fuzz target: `rest[..3]` cut inside U+2068.
        assert_eq!(plain("<\u{2068}x"), "<\u{2068}x");
        assert_eq!(plain("<é"), "<é");
    }

    #[test]
    fn ranges_out_of_bounds_do_not_panic() {
        assert_eq!(sentence_around("héllo", 2..99), "héllo");
        assert_eq!(sentence_around("", 0..0), "");
    }
}
