//! Property tests of the renderer: any mix of the pieces notes are made
//! of renders without panic and within its width.

use proptest::prelude::*;

use super::*;

fn palette_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "[[",
            "]]",
            "|",
            "#",
            "---",
            "\r\n",
            "\n",
            "\n\n",
            "<a class=\"yt-timestamp\" data-t=\"",
            "00:05:17\">[00:05:17]</a>",
            "`",
            "```",
            "*",
            "**",
            ">",
            "> [!info]",
            "|---|",
            "- ",
            "1. ",
            "e\u{301}",
            "日本語",
            "😀",
            "\t",
            "word",
            " ",
            "  ",
            "$$",
            "<br/>",
            "[^1]",
            "[^1]: ",
            "&#27;",
            "![",
            "](",
            ")",
            "~~",
            "<div>",
            "    ",
            "[ ] ",
            "\u{feff}",
        ]),
        0..60,
    )
    .prop_map(|parts| parts.concat())
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
    #![proptest_config(ProptestConfig::with_cases(cases(192)))]
    #[test]
    fn render_never_panics_and_fits(text in palette_text(), width in 0u16..120) {
        let r = render(&note(&text), width);
        if width >= 10 {
            assert_fits(&r, width, &text);
        }
    }
}
