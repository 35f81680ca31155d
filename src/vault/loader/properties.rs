use proptest::prelude::*;

use super::parse_note;

/// Pieces that make the scanner's life hard, glued in any order.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop::sample::select(vec![
            &b"---\n"[..],
            b"title: x\n",
            b"[[",
            b"]]",
            b"|",
            b"#",
            b"\\",
            b"`",
            b"```\n",
            b"\n",
            b"\r\n",
            b"<a class=\"yt-timestamp\" data-t=\"",
            b"00:05:17\">[00:05:17]</a>",
            b"</a>",
            b"From: ",
            b"e\xcc\x81",
            b"\xe6\x97\xa5\xe6\x9c\xac",
            b"\xf0\x9f\x98\x80",
            b"\xff\xfe",
            b"\x1b[2J",
            b"&#27;",
            b"word ",
            b"](",
            b")",
            b"[",
            b"\t",
            b"  \t",
            b"<a ",
            b"<!--",
            b"a: &a [x]\nb: *a\n",
            b"\xe2\x81\xa8",
            b"\xe2\x80\xae",
        ]),
        0..48,
    )
    .prop_map(|pieces| pieces.concat())
}

/// Property-test cases: `VIDWIKI_LONG_TESTS=1` runs a hundred times more.
fn cases(normal: u32) -> u32 {
    if std::env::var_os("VIDWIKI_LONG_TESTS").is_some() {
        normal * 100
    } else {
        normal
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]
    /// Every range the index keeps must slice the note's text: the
    /// renderer, contexts and the browser all index the text with them.
    #[test]
    fn ranges_always_slice_the_text(bytes in hostile_bytes()) {
        let note = parse_note("p/n.md", &bytes);
        let text = note.text.clone().unwrap_or_default();
        prop_assert!(crate::text::is_terminal_safe(&text.replace(['\r', '\t'], " ")));
        for link in &note.links {
            prop_assert!(text.get(link.range()).is_some(), "{:?}", link.range());
        }
        for stamp in &note.timestamps {
            prop_assert!(text.get(stamp.range()).is_some(), "{:?}", stamp.range());
            prop_assert!(note.headings.section_of(stamp).is_none_or(|h| (h as usize) < note.headings.len()));
        }
        for heading in &note.headings {
            prop_assert!(text.is_char_boundary(heading.offset()));
        }
        prop_assert!(text.is_char_boundary(note.body_start));
        for width in [1u16, 40, 80] {
            let _ = crate::markdown::render(&note, &text, width);
        }
    }
}
