//! Tests of `scan.rs`, kept in their own file.

use super::*;
use crate::vault::problem::ProblemKind;

fn scan_text(text: &str) -> Found {
    scan(text, 0, 1)
}

#[test]
fn headings_atx_and_setext() {
    let s = scan_text("# One\ntext\n## Two ##\nSetext\n------\n####### not\n#nospace\n");
    let got: Vec<(u8, &str, u32)> = s
        .headings
        .iter()
        .map(|h| (h.level(), h.text(), h.line))
        .collect();
    assert_eq!(got, vec![(1, "One", 1), (2, "Two", 3), (2, "Setext", 4)]);
    assert_eq!(s.headings.get(1).expect("heading").anchor(), "two");
}

#[test]
fn a_rule_after_a_blank_line_is_not_a_heading() {
    let s = scan_text("Para\n\n---\n");
    assert!(s.headings.is_empty());
}

#[test]
fn wiki_link_shapes() {
    let s = scan_text(
        "[[a]] [[b | Shown]] [[c|d]] [[e#Head]] [[#Local]] ![[img.png]] [[f#H|t]] [[|x]] [[g\\|h]]",
    );
    let got: Vec<(&str, Option<&str>, Option<&str>, bool)> = s
        .links
        .iter()
        .map(|l| (l.target(), l.heading(), l.shown(), l.embed()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a", None, None, false),
            ("b", None, Some("Shown"), false),
            ("c", None, Some("d"), false),
            ("e", Some("Head"), None, false),
            ("", Some("Local"), None, false),
            ("img.png", None, None, true),
            ("f", Some("H"), Some("t"), false),
            ("g", None, Some("h"), false),
        ]
    );
    let text = "x ![[img.png]]";
    let s = scan_text(text);
    assert_eq!(&text[s.links[0].range()], "![[img.png]]");
}

#[test]
fn escaped_brackets_are_text() {
    let s = scan_text("\\[[not a link]] \\\\[[a link]]");
    let targets: Vec<&str> = s.links.iter().map(|l| l.target()).collect();
    assert_eq!(targets, vec!["a link"]);
}

#[test]
fn code_holds_no_links() {
    let s = scan_text("`[[no]]` [[yes]]\n```\n[[no]]\n```\n~~~~\n[[no]]\n~~~~\n``[[no]]``");
    let targets: Vec<&str> = s.links.iter().map(|l| l.target()).collect();
    assert_eq!(targets, vec!["yes"]);
}

#[test]
fn nested_and_broken_brackets() {
    let s = scan_text("[[A|[[B]]]] ]] [[ [[C]] [[unclosed");
    let targets: Vec<&str> = s.links.iter().map(|l| l.target()).collect();
    assert_eq!(targets, vec!["B", "C"]);
}

#[test]
fn timestamps_with_line_heading_and_range() {
    let text = "intro\n## Part\nClaim <a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a>, <a class=\"yt-timestamp\" data-t=\"1:38:35\">[1:38:35]</a>.";
    let s = scan_text(text);
    assert_eq!(s.timestamps.len(), 2);
    assert_eq!(s.timestamps[0].seconds(), Some(317));
    assert_eq!(s.timestamps[1].seconds(), Some(5915));
    assert_eq!(s.timestamps[0].line(), 3);
    assert_eq!(s.headings.section_of(&s.timestamps[0]), Some(0));
    assert_eq!(
        &text[s.timestamps[0].range()],
        "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a>"
    );
    assert_eq!(s.words, 3, "anchor markup is not counted as words");
}

#[test]
fn malformed_timestamps_are_kept_and_reported() {
    let s = scan_text(
        "a <a class=\"yt-timestamp\" data-t=\"11:71:94\">[11:71:94]</a> b <a class=\"yt-timestamp\" data-t=\"HH:MM:SS\">x</a>",
    );
    assert_eq!(s.timestamps.len(), 2);
    assert!(s.timestamps.iter().all(|t| t.seconds().is_none()));
    assert_eq!(s.timestamps[0].label, "11:71:94");
    assert_eq!(s.problems.len(), 2);
    assert_eq!(s.problems[0].kind, ProblemKind::MalformedTimestamp);
    assert_eq!(s.problems[0].line, Some(1));
}

#[test]
fn attributes_in_any_case_and_quoting_are_read() {
    let s = scan_text(
        "<A CLASS=\"yt-timestamp\" DATA-T=\"00:05:17\">x</A> <a class='yt-timestamp' data-t='1:00'>y</a> <a class=yt-timestamp data-t=00:00:07>z</a> <a class=\"yt-timestamp\" data-time=\"9\" data-t=\"8\">w</a>",
    );
    let got: Vec<Option<u32>> = s.timestamps.iter().map(|t| t.seconds()).collect();
    assert_eq!(got, vec![Some(317), Some(60), Some(7), Some(8)]);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn a_note_written_minutes_seconds_frames_is_read_so() {
    let s = scan_text(
        "<a class=\"yt-timestamp\" data-t=\"42:34:00\">[42:34:00]</a> and <a class=\"yt-timestamp\" data-t=\"01:16:16\">[01:16:16]</a> and [[43:00:00]]",
    );
    let got: Vec<Option<u32>> = s.timestamps.iter().map(|t| t.seconds()).collect();
    assert_eq!(got, vec![Some(2554), Some(76), Some(2580)]);
    assert!(s.time_reading.is_corrected());
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn clock_links_are_timestamps() {
    let s = scan_text("see [[00:01:07]] and [[note]]");
    assert_eq!(s.timestamps.len(), 1);
    assert_eq!(s.timestamps[0].seconds(), Some(67));
    assert_eq!(s.links.len(), 1);
}

#[test]
fn from_line_names_the_channel() {
    let s = scan_text("\nFrom: [[\u{2068}cleoabram\u{2069}]] <br/>\n\nText [[other]]");
    assert_eq!(s.channel.as_deref(), Some("\u{2068}cleoabram\u{2069}"));
    assert!(s.links[0].is_channel());
    assert!(!s.links[1].is_channel());
}

#[test]
fn markdown_links_in_headings() {
    let s = scan_text("### [Video title](https://www.youtube.com/watch?v=HrwPuLTdHag)\n- [[a]]");
    assert_eq!(s.headings.get(0).expect("heading").text(), "Video title");
    let link = s.markdown_links.get(0).expect("a Markdown link");
    assert_eq!(link.text(), "Video title");
    assert_eq!(link.url(), "https://www.youtube.com/watch?v=HrwPuLTdHag");
}

#[test]
fn words_are_counted_like_split_whitespace() {
    let long = "word ".repeat(100) + "and\ttabs\r\nand lines ";
    for text in [
        "",
        " ",
        "one",
        " two words ",
        "a\tb\nc  d",
        "é ü ß",
        "x",
        &long,
    ] {
        assert_eq!(
            count_words(text) as usize,
            text.split_ascii_whitespace().count(),
            "{text:?}"
        );
    }
    // Every length around the blocks of 16 and 64 bytes.
    let pattern = "ab c\td  e\n";
    let lengths = (0..200).chain([8159, 8160, 8161, 8193, 20_000]);
    for (len, pattern) in lengths.flat_map(|len| [(len, pattern), (len, " a")]) {
        // ` a` starts a word at every other byte: lanes fill to their limit.
        let text: String = pattern.chars().cycle().take(len).collect();
        assert_eq!(
            count_words(&text) as usize,
            text.split_ascii_whitespace().count(),
            "{len}"
        );
    }
}

#[test]
fn words_of_a_decoded_text_are_split_at_its_ascii_whitespace() {
    // Every ASCII byte, control characters among them, as the loader
    // leaves them: the count is the one at `\t`..=`\r` and spaces.
    let raw: Vec<u8> = (0..0x80u8).flat_map(|b| [b, b'x', b, b' ']).collect();
    let text = crate::vault::loader::decode(&raw);
    let words = text
        .as_bytes()
        .split(|&b| b == b' ' || (b'\t'..=b'\r').contains(&b))
        .filter(|word| !word.is_empty())
        .count();
    assert_eq!(count_words(&text) as usize, words);
}

#[test]
fn ranges_are_right_on_lines_indented_with_tabs() {
    // Found by the fuzz target: the offset of a tab-indented line
    // counted spaces only, so every range on it was off.
    let text = "x\n\t [[link]] <a class=\"yt-timestamp\" data-t=\"1:00\">[1:00]</a>\n";
    let s = scan_text(text);
    assert_eq!(&text[s.links[0].range()], "[[link]]");
    assert!(text[s.timestamps[0].range()].starts_with("<a class"));
}

#[test]
fn odd_input_does_not_panic() {
    for text in [
        "[",
        "[[",
        "]]",
        "<a ",
        "<a class=\"yt-timestamp\" data-t=\"",
        "`",
        "```",
        "\\",
        "[x](",
        "é[[é|é]]é",
        "#",
        "-\n-",
    ] {
        let _ = scan_text(text);
    }
}

#[test]
fn lines_are_split_as_split_inclusive_splits_them() {
    for text in [
        "",
        "\n",
        "\n\n",
        "a",
        "a\n",
        "a\nb",
        "a\r\nb\r\n",
        "é\nü\n\nlast",
        "no newline at all, but a long line of prose",
    ] {
        let ours: Vec<&str> = super::lines_inclusive(text).collect();
        let std: Vec<&str> = text.split_inclusive('\n').collect();
        assert_eq!(ours, std, "{text:?}");
    }
}

#[test]
fn the_case_blind_search_finds_what_a_comparison_at_every_byte_finds() {
    let naive = |haystack: &[u8], needle: &[u8]| {
        haystack
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
    };
    for haystack in [
        "",
        "d",
        "data-",
        "data-t",
        "<a class=\"yt-timestamp\" data-t=\"01:02\"",
        "<A CLASS=x DATA-T=1>",
        "dddddata-t",
        "data-tdata-t",
        "xdata-t",
        "Data-T",
        "é data-t é",
    ] {
        for needle in ["data-t", "d", "class", "yt-timestamp"] {
            assert_eq!(
                super::find_ignore_case(haystack.as_bytes(), needle.as_bytes()),
                naive(haystack.as_bytes(), needle.as_bytes()),
                "{haystack:?} {needle:?}"
            );
        }
    }
}

#[test]
fn last_double_open_is_rfind() {
    for text in [
        "", "[", "[[", "[[[", "a[[b", "[[x[", "x[y[[z[", "[a[b]c", "]]",
    ] {
        assert_eq!(
            super::last_double_open(text.as_bytes()),
            text.rfind("[["),
            "{text:?}"
        );
    }
}

#[test]
fn a_lines_words_are_its_words_less_its_anchors_markup() {
    // What the words of a line were before they were counted around its
    // anchors: all its words, less the words of each anchor alone (none
    // below zero). Lines of pieces in every order, anchors canonical and
    // not, with and without spaces around them.
    let pieces = [
        "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a>",
        "<a class=\"yt-timestamp\" data-t=\"1:05:17\">[1:05:17] two words</a>",
        "<A  data-t='3' class=\"yt-timestamp\">x y</A>",
        "<a class=\"yt-timestamp\" data-t=\"9\">",
        "word",
        " ",
        "\t",
        "é",
        "[[00:01:02]]",
    ];
    let mut lines = vec![String::new()];
    for _ in 0..4 {
        lines = lines
            .iter()
            .flat_map(|l| pieces.iter().map(move |p| format!("x{l}{p}")))
            .collect();
        for line in &lines {
            let found = scan_text(line);
            let markup: u32 = found
                .timestamps
                .iter()
                .map(|t| &line[t.range()])
                .filter(|text| text.starts_with('<'))
                .map(count_words)
                .sum();
            let expected = count_words(line).saturating_sub(markup);
            assert_eq!(found.words, expected, "{line:?}");
        }
    }
}

/// The words of `text` (body from `body_start`) counted line by line and
/// from the body's count, with the whole text's count given and not.
fn words_both_ways(text: &str, body_start: usize) -> (u32, u32, u32) {
    let mut scratch = Scan::default();
    let by_lines = scan_lines(&mut scratch, text, body_start, 1, Tally::Lines(0))
        .expect("by lines")
        .total();
    let scan = |text_words| {
        let mut scratch = Scan::default();
        scan_counted(&mut scratch, text, body_start, 1, text_words);
        scratch.words
    };
    (by_lines, scan(Some(count_words(text))), scan(None))
}

#[test]
fn the_body_count_less_what_is_left_out_is_the_count_line_by_line() {
    let stamp = "<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a>";
    let general = "<A data-t='3' class=\"yt-timestamp\">x y</A>";
    for text in [
        String::new(),
        "---\ntitle: T\n---\nbody words\n".to_owned(),
        format!("# {stamp}{stamp}\nword\n"),
        format!("{stamp}{stamp}\n# h\n"),
        format!("x {stamp}{stamp}{stamp} y\n"),
        format!("x {stamp},{general}.\n"),
        "```\ncode words\n```\nafter\n~~~\nnever closed\n".to_owned(),
        "Setext words\n===\n\u{a0}\n\u{a0} two words\n\u{3000}x y\n".to_owned(),
        "## \n# \n#\ta\n".to_owned(),
    ] {
        let (by_lines, given, counted) = words_both_ways(&text, 0);
        assert_eq!((given, counted), (by_lines, by_lines), "{text:?}");
    }
}

proptest::proptest! {
    #[test]
    fn the_word_counts_agree_on_any_note(
        lines in proptest::collection::vec(
            proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("<a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a>"),
                    proptest::strategy::Just("<a class=\"yt-timestamp\" data-t=\"1:05\">[1:05] two words</a>"),
                    proptest::strategy::Just("<a class=\"yt-timestamp\" data-t=\"9\">"),
                    proptest::strategy::Just("word"),
                    proptest::strategy::Just(" "),
                    proptest::strategy::Just("\t"),
                    proptest::strategy::Just("\u{a0}"),
                    proptest::strategy::Just("\u{3000}"),
                    proptest::strategy::Just("# "),
                    proptest::strategy::Just("#"),
                    proptest::strategy::Just("```"),
                    proptest::strategy::Just("~~~"),
                    proptest::strategy::Just("---"),
                    proptest::strategy::Just("==="),
                    proptest::strategy::Just("    "),
                    proptest::strategy::Just("[[00:01:02]]"),
                    proptest::strategy::Just("`"),
                    proptest::strategy::Just("é"),
                ],
                0..6,
            ),
            0..8,
        ),
        head_lines in 0usize..3,
    ) {
        let lines: Vec<String> = lines.iter().map(|parts| parts.concat()).collect();
        let text = lines.join("\n");
        // The body starts at a line's start, as the front matter's end is.
        let body_start = lines
            .iter()
            .take(head_lines)
            .map(|l| l.len() + 1)
            .sum::<usize>()
            .min(text.len());
        let (by_lines, given, counted) = words_both_ways(&text, body_start);
        proptest::prop_assert_eq!((given, counted), (by_lines, by_lines), "{:?}", text);
    }

    #[test]
    fn words_if_clean_counts_a_clean_text_and_refuses_any_other(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("word "),
                proptest::strategy::Just("\n"),
                proptest::strategy::Just("\r\n\t"),
                proptest::strategy::Just("\u{a0}°"),
                proptest::strategy::Just("\u{1b}"),
                proptest::strategy::Just("\u{7f}"),
                proptest::strategy::Just("\u{85}"),
                proptest::strategy::Just("\u{b}\u{c}"),
                proptest::strategy::Just("abcdefghijklmnopqrstuvwxyz0123456789"),
            ],
            0..40,
        ),
    ) {
        let text = parts.concat();
        let clean = matches!(
            crate::text::sanitize_source(&text),
            std::borrow::Cow::Borrowed(_)
        );
        let expected = clean.then(|| count_words(&text));
        proptest::prop_assert_eq!(words_if_clean(&text), expected, "{:?}", text);
    }
}

#[test]
fn words_if_clean_finds_a_control_at_every_place_of_the_blocks() {
    // Blocks with tabs and carriage returns (checked exactly) and blocks
    // with newlines only (not).
    for base in ["ab c\td  e\r\n".repeat(10), "ab c d  e\n".repeat(10)] {
        assert_eq!(words_if_clean(&base), Some(count_words(&base)));
        for control in ['\u{0}', '\u{1f}', '\u{b}', '\u{7f}', '\u{80}', '\u{9f}'] {
            for at in 0..=base.len() {
                let mut text = base.clone();
                text.insert(at, control);
                assert_eq!(words_if_clean(&text), None, "{at} {control:?}");
            }
        }
    }
}

#[test]
fn a_backtick_run_is_the_first_of_its_length_from_where_it_is_asked() {
    let naive = |bytes: &[u8], from: usize, len: usize| {
        let mut i = 0;
        while i < bytes.len() {
            let run = count_run(&bytes[i..], b'`');
            if run == 0 {
                i += 1;
                continue;
            }
            if run == len && i >= from {
                return Some(i);
            }
            i += run;
        }
        None
    };
    for line in ["", "`", "a`b``c`d```e``f`", "```", "`` ` `` ` ```x``` `"] {
        let mut searches = LineSearches::default();
        for from in 0..=line.len() {
            for len in 1..4 {
                assert_eq!(
                    searches.backtick_run(line.as_bytes(), from, len),
                    naive(line.as_bytes(), from, len),
                    "{line:?} {from} {len}"
                );
            }
        }
    }
}
