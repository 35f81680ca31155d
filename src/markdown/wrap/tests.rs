//! Tests of `wrap.rs`, kept in their own file.

use proptest::prelude::*;

use super::*;

/// The text of wrapped lines, for assertions (shared with other tests).
pub(crate) fn plain(lines: &[WrappedLine]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.line.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn wraps_words_and_keeps_styles_across_pieces() {
    let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
    let pieces = [
        Piece::new("hello wide ", Style::new()),
        Piece::new("world", bold),
        Piece::new(", again", Style::new()),
    ];
    let lines = wrap(&pieces, 12, &[], &[]);
    assert_eq!(plain(&lines), ["hello wide", "world, again"]);
    assert_eq!(lines[1].line.spans[0].style, bold);
}

#[test]
fn hanging_indent_and_target_columns() {
    let pieces = [
        Piece::new("see ", Style::new()),
        Piece::new("a long link", Style::new()).with_target(Some(7)),
    ];
    let lines = wrap(&pieces, 10, &[Span::raw("• ")], &[Span::raw("  ")]);
    assert_eq!(plain(&lines), ["• see a", "  long", "  link"]);
    assert_eq!(lines[0].targets, [(7, 6..7)]);
    assert_eq!(lines[1].targets, [(7, 2..6)]);
    assert_eq!(lines[2].targets, [(7, 2..6)]);
}

#[test]
fn long_words_split_between_graphemes_with_wide_chars() {
    let pieces = [Piece::new("日本語のテキストe\u{301}e\u{301}", Style::new())];
    let lines = wrap(&pieces, 5, &[], &[]);
    for line in &lines {
        assert!(line.line.width() <= 5, "{:?}", plain(&lines));
    }
    assert_eq!(plain(&lines).concat(), "日本語のテキストe\u{301}e\u{301}");
}

#[test]
fn line_breaks_and_control_characters() {
    let pieces = [
        Piece::new("a\u{1b}b", Style::new()),
        Piece::line_break(3),
        Piece::new("c", Style::new()).at_line(4),
    ];
    let lines = wrap(&pieces, 20, &[], &[]);
    assert_eq!(plain(&lines), ["a␛b", "c"]);
    assert_eq!(lines[1].source_line, 4);
}

#[test]
fn hard_wrap_keeps_spaces_and_tabs_expand() {
    assert_eq!(expand_tabs("a\tb\t\tc", 4), "a   b       c");
    let lines = wrap_hard(&[Piece::new("  ab cd ef", Style::new())], 4, &[], &[]);
    assert_eq!(plain(&lines), ["  ab", " cd ", "ef"]);
}

#[test]
fn indent_is_cut_when_the_pane_is_too_narrow() {
    let indent = [Span::raw("│ │ │ │ ")];
    let lines = wrap(
        &[Piece::new("abcdefgh", Style::new())],
        10,
        &indent,
        &indent,
    );
    for line in &lines {
        assert!(line.line.width() <= 10);
    }
    assert!(lines.iter().all(|l| l.line.width() > 0));
}

fn palette() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a",
            "word",
            " ",
            "  ",
            "日本",
            "😀",
            "e\u{301}",
            "\t",
            "x-y",
            "\u{a0}",
            "ﷺ",
            "\u{200b}",
            "longwordwithoutanyspaces",
        ]),
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn never_wider_and_no_text_lost(
        texts in prop::collection::vec(palette(), 1..5),
        width in 2u16..60,
        indent in 0usize..6,
    ) {
        let pieces: Vec<Piece<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Piece::new(t.as_str(), Style::new()).with_target(Some(i)))
            .collect();
        let first = [Span::raw("-".repeat(indent))];
        let rest = [Span::raw(" ".repeat(indent))];
        let lines = wrap(&pieces, width, &first, &rest);
        for line in &lines {
            prop_assert!(line.line.width() <= usize::from(width), "{:?}", plain(&lines));
        }
        let expected: String = texts
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let got: String = plain(&lines)
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let expected: String = expected.chars().filter(|c| *c != '-').collect();
        prop_assert_eq!(got, expected);
    }
}
