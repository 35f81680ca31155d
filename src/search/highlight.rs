//! Turns a hit's match indices into styled spans.
//!
//! nucleo reports indices into its grapheme-reduced copy of the text (it
//! keeps only the first char of each grapheme), so the display string must be
//! walked grapheme by grapheme, one index per grapheme, exactly as helix's
//! picker does. Walking chars or bytes would drift after the first combining
//! mark, emoji sequence or CJK character.

use std::borrow::Cow;

use ratatui::{style::Style, text::Span};
use unicode_segmentation::UnicodeSegmentation;

/// Splits `text` into spans: graphemes whose index is in `indices` get
/// `matched`, the rest `base`. Runs of the same style share one span.
///
/// `indices` should be sorted and deduplicated (as [`super::Hit::indices`]
/// is); unsorted input is sorted here rather than trusted. Indices past the
/// end of the text are ignored, so a stale hit can never panic the draw.
#[must_use]
pub fn highlight_spans(
    text: &str,
    indices: &[u32],
    base: Style,
    matched: Style,
) -> Vec<Span<'static>> {
    let indices: Cow<'_, [u32]> = if indices.is_sorted() {
        Cow::Borrowed(indices)
    } else {
        let mut sorted = indices.to_vec();
        sorted.sort_unstable();
        Cow::Owned(sorted)
    };
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    let mut next = indices.iter().copied().peekable();
    for (i, grapheme) in text.graphemes(true).enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        while next.next_if(|&n| n < i).is_some() {}
        let is_matched = next.peek() == Some(&i);
        if is_matched != run_matched && !run.is_empty() {
            spans.push(styled(std::mem::take(&mut run), run_matched, base, matched));
        }
        run_matched = is_matched;
        run.push_str(grapheme);
    }
    if !run.is_empty() {
        spans.push(styled(run, run_matched, base, matched));
    }
    spans
}

fn styled(text: String, is_matched: bool, base: Style, matched: Style) -> Span<'static> {
    Span::styled(text, if is_matched { matched } else { base })
}

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Modifier};

    use super::*;

    fn base() -> Style {
        Style::default()
    }

    fn hit() -> Style {
        Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD)
    }

    /// The spans as `(text, matched)` pairs, for short assertions.
    fn parts(text: &str, indices: &[u32]) -> Vec<(String, bool)> {
        highlight_spans(text, indices, base(), hit())
            .into_iter()
            .map(|s| (s.content.into_owned(), s.style == hit()))
            .collect()
    }

    fn p(text: &str, matched: bool) -> (String, bool) {
        (text.to_owned(), matched)
    }

    #[test]
    fn ascii_runs_are_merged() {
        assert_eq!(
            parts("public sector", &[0, 1, 2, 7]),
            vec![
                p("pub", true),
                p("lic ", false),
                p("s", true),
                p("ector", false)
            ]
        );
    }

    #[test]
    fn no_indices_is_one_plain_span() {
        assert_eq!(parts("plain", &[]), vec![p("plain", false)]);
    }

    #[test]
    fn empty_text_gives_no_spans() {
        assert!(parts("", &[0, 3]).is_empty());
    }

    #[test]
    fn cjk_counts_one_index_per_character() {
        assert_eq!(
            parts("日本語のノート", &[1, 2, 6]),
            vec![
                p("日", false),
                p("本語", true),
                p("のノー", false),
                p("ト", true)
            ]
        );
    }

    #[test]
    fn combining_marks_stay_with_their_base() {
        // "e" + U+0301 is one grapheme: index 3 is the whole "é".
        assert_eq!(
            parts("cafe\u{301} au lait", &[3, 5]),
            vec![
                p("caf", false),
                p("e\u{301}", true),
                p(" ", false),
                p("a", true),
                p("u lait", false)
            ]
        );
    }

    #[test]
    fn emoji_sequences_are_one_grapheme() {
        // A ZWJ family and a skin-tone thumbs-up: one index each.
        let text = "👨\u{200d}👩\u{200d}👧 👍🏽 ok";
        assert_eq!(
            parts(text, &[0, 2, 5]),
            vec![
                p("👨\u{200d}👩\u{200d}👧", true),
                p(" ", false),
                p("👍🏽", true),
                p(" o", false),
                p("k", true)
            ]
        );
    }

    #[test]
    fn out_of_range_and_unsorted_indices_never_panic() {
        assert_eq!(
            parts("ab", &[9, 1, 1, u32::MAX]),
            vec![p("a", false), p("b", true)]
        );
    }

    #[test]
    fn text_is_kept_whole() {
        let text = "Publicprivate partnerships… › Public sector innovation trends";
        let joined: String = highlight_spans(text, &[0, 5, 30, 40], base(), hit())
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(joined, text);
    }
}
