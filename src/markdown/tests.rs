//! Tests of the whole renderer. Notes are made by the real loader
//! (`vault::loader::parse_note`), so the renderer is tested against the
//! byte ranges it will meet in the app.

use ratatui::style::Modifier;

use super::*;
use crate::{
    theme::Theme,
    vault::{NoteId, Resolution},
};

const SPECIMEN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/notes/oecdobservatoryofpublicsec3116/publicprivate_partnerships_in_technology_and_innovation.md"
));

/// Renders a note made from bytes (its text is kept in memory).
fn render(note: &Note, width: u16) -> RenderedNote {
    super::render(note, note.text.as_deref().unwrap_or(""), width)
}

fn render_plain(note: &Note, width: u16) -> String {
    super::render_plain(note, note.text.as_deref().unwrap_or(""), width)
}

/// A note made by the real loader from text (its text stays in memory).
pub(crate) fn note_from(path: &str, text: &str) -> Note {
    crate::vault::loader::parse_note(path, text.as_bytes())
}

fn note(text: &str) -> Note {
    note_from("test.md", text)
}

fn lines_of(rendered: &RenderedNote) -> Vec<String> {
    plain_text(rendered)
        .split('\n')
        .map(str::to_owned)
        .collect()
}

/// Text of a target's first piece, read back from the rendered line.
fn target_text(rendered: &RenderedNote, target: &Target) -> String {
    target
        .pieces
        .iter()
        .map(|(line, columns)| {
            let mut out = String::new();
            let mut column = 0u16;
            for span in &rendered.lines[*line].spans {
                for g in unicode_segmentation::UnicodeSegmentation::graphemes(
                    span.content.as_ref(),
                    true,
                ) {
                    let w = u16::try_from(unicode_width::UnicodeWidthStr::width(g)).unwrap_or(0);
                    if column >= columns.start && column + w <= columns.end {
                        out.push_str(g);
                    }
                    column += w;
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("|")
}

fn assert_fits(rendered: &RenderedNote, width: u16, what: &str) {
    assert_eq!(rendered.lines.len(), rendered.source_lines.len(), "{what}");
    for (i, line) in rendered.lines.iter().enumerate() {
        assert!(
            line.width() <= usize::from(width),
            "{what}: line {i} is {} wide at width {width}: {:?}",
            line.width(),
            plain_text(rendered).split('\n').nth(i)
        );
        for span in &line.spans {
            assert!(
                crate::text::is_terminal_safe(&span.content),
                "{what}: {span:?}"
            );
        }
    }
    for target in &rendered.targets {
        for (line, columns) in &target.pieces {
            assert!(
                *line < rendered.lines.len(),
                "{what}: target line out of range"
            );
            assert!(
                usize::from(columns.end) <= rendered.lines[*line].width(),
                "{what}: {target:?}"
            );
        }
    }
}

#[test]
fn header_block_shows_title_channel_video_and_other_keys() {
    let n = note(
        "---\ntitle: My Title\nvideoId: HrwPuLTdHag\ntags: a, b\n---\n\nFrom: [[somechannel]] <br/> \n\nBody text.\n",
    );
    let r = render(&n, 60);
    let lines = lines_of(&r);
    assert_eq!(lines[0], "My Title");
    assert_eq!(lines[1], "somechannel · ▶ youtu.be/HrwPuLTdHag");
    assert_eq!(lines[2], "tags: a, b");
    assert_eq!(lines[3], "");
    assert_eq!(lines[4], "Body text.");
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(!plain_text(&r).contains("From:"));
    assert_eq!(r.source_lines[..4], [0, 0, 0, 0]);
    assert_eq!(r.source_lines[4], 9);
    assert!(
        r.lines[0].spans[0]
            .style
            .add_modifier
            .contains(Modifier::BOLD)
    );
    // The channel in the header is the target of the From: link.
    assert_eq!(r.targets[0].kind, TargetKind::Link(0));
    assert_eq!(r.targets[0].pieces, vec![(1, 0..11)]);
    assert_eq!(
        r.targets[1].kind,
        TargetKind::Url("https://youtu.be/HrwPuLTdHag".into())
    );
    assert_eq!(target_text(&r, &r.targets[1]), "▶ youtu.be/HrwPuLTdHag");
}

#[test]
fn from_line_with_more_text_keeps_the_rest() {
    let n = note("From: [[chan]] <br/>\nThe rest of the paragraph.\n");
    let lines = lines_of(&render(&n, 60));
    assert!(
        lines.contains(&"The rest of the paragraph.".to_owned()),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("From")));
}

#[test]
fn headings_are_distinct_and_positioned() {
    let n = note("# One\n\ntext\n\n## Two\n\n### Three\n\n#### Four\n");
    let r = render(&n, 40);
    let lines = lines_of(&r);
    let at = |h: usize| lines[r.headings[h].line].clone();
    assert_eq!(r.headings.len(), 4);
    assert_eq!(at(0), "One");
    assert_eq!(at(1), "▌ Two");
    assert_eq!(at(2), "▸ Three");
    assert_eq!(at(3), "› Four");
    assert!(r.headings.windows(2).all(|w| w[0].line < w[1].line));
    let h1 = r.lines[r.headings[0].line]
        .spans
        .iter()
        .find(|s| s.content == "One")
        .expect("span");
    assert!(h1.style.add_modifier.contains(Modifier::UNDERLINED));
    assert_eq!(r.source_lines[r.headings[1].line], 5);
}

#[test]
fn inline_styles() {
    let n = note("**bold** *it* ~~gone~~ `code`\n");
    let r = render(&n, 40);
    let line = r
        .lines
        .iter()
        .find(|l| l.spans.iter().any(|s| s.content == "bold"))
        .expect("line");
    let style_of = |text: &str| {
        line.spans
            .iter()
            .find(|s| s.content == text)
            .expect(text)
            .style
    };
    assert!(style_of("bold").add_modifier.contains(Modifier::BOLD));
    assert!(style_of("it").add_modifier.contains(Modifier::ITALIC));
    assert!(
        style_of("gone")
            .add_modifier
            .contains(Modifier::CROSSED_OUT)
    );
    assert_eq!(style_of("code"), Theme::dark().code);
}

#[test]
fn nested_lists_have_hanging_indents_and_tasks() {
    let n = note(
        "* first item that is long enough to wrap around\n  * nested item\n    1. one\n    2. two\n* [ ] open task\n* [x] done task\n",
    );
    let lines = lines_of(&render(&n, 24));
    let body: Vec<&str> = lines.iter().skip(2).map(String::as_str).collect();
    assert_eq!(
        body,
        [
            "• first item that is",
            "  long enough to wrap",
            "  around",
            "  ◦ nested item",
            "    1. one",
            "    2. two",
            "• [ ] open task",
            "• [x] done task",
        ]
    );
}

#[test]
fn quotes_and_callouts_in_any_case() {
    let n = note(
        "> plain quote\n\n> [!info] Custom title\n> inside\n\n> [!note]\n> gfm note\n\n> [!WARNING]\n> careful\n",
    );
    let lines = lines_of(&render(&n, 40));
    let body: Vec<&str> = lines.iter().skip(2).map(String::as_str).collect();
    assert_eq!(
        body,
        [
            "│ plain quote",
            "",
            "│ ℹ Custom title",
            "│ inside",
            "",
            "│ ℹ Note",
            "│ gfm note",
            "",
            "│ ⚠ Warning",
            "│ careful",
        ]
    );
}

#[test]
fn callout_title_may_hold_links_and_timestamps() {
    let n = note(concat!(
        "> [!NOTE] Cars [[grip]] at speed <a class=\"yt-timestamp\" data-t=\"00:06:57\">[00:06:57]</a>\n",
        "> body\n"
    ));
    let r = render(&n, 60);
    assert_eq!(
        lines_of(&r)[2..],
        ["│ ℹ Cars grip at speed ▶06:57", "│ body"]
    );
    assert_eq!(r.targets.len(), 2);
    let cars = r.lines[2]
        .spans
        .iter()
        .find(|s| s.content.contains("Cars"))
        .expect("title");
    assert_eq!(cars.style, Theme::dark().callout_info);
}

#[test]
fn lower_case_info_callout_without_title() {
    let lines = lines_of(&render(&note("> [!info]\n> Text here\n"), 40));
    assert_eq!(lines[2..], ["│ ℹ Info", "│ Text here"]);
}

#[test]
fn code_blocks_keep_indentation_expand_tabs_and_wrap_hard() {
    let n = note("```rust\nfn main() {\n\tlet x = 1;\n}\n```\n\n    indented code\n");
    let lines = lines_of(&render(&n, 14));
    assert_eq!(
        lines[2..],
        [
            "╭─ rust",
            "│ fn main() {",
            "│     let x = ",
            "│ 1;",
            "│ }",
            "╰─",
            "",
            "╭─",
            "│ indented cod",
            "│ e",
            "╰─"
        ]
    );
    let unclosed = render(&note("```\nnever closed\n"), 40);
    assert!(lines_of(&unclosed).contains(&"│ never closed".to_owned()));
}

#[test]
fn tables_are_boxed_and_shrink() {
    let n = note("| a | b |\n|---|--:|\n| x [[link]] | 12 |\n");
    let r = render(&n, 40);
    let lines = lines_of(&r);
    assert_eq!(
        lines[2..],
        [
            "┌────────┬────┐",
            "│ a      │  b │",
            "├────────┼────┤",
            "│ x link │ 12 │",
            "└────────┴────┘",
        ]
    );
    assert_eq!(target_text(&r, &r.targets[0]), "link");
    assert_eq!(r.targets[0].pieces, vec![(5, 4..8)]);
    let wide = format!("| a | b |\n|---|---|\n| {} | y |\n", "word ".repeat(20_000));
    let r = render(&note(&wide), 40);
    assert_fits(&r, 40, "wide table");
}

#[test]
fn piped_wiki_links_inside_table_rows_stay_links() {
    let n = note("| A | B |\n|---|---|\n| [[target | shown]] | x |\n");
    let r = render(&n, 40);
    let lines = lines_of(&r);
    assert_eq!(lines[5], "│ shown │ x │", "{lines:?}");
    assert_eq!(r.targets[0].kind, TargetKind::Link(0));
    assert_eq!(target_text(&r, &r.targets[0]), "shown");
    let mut unknown = n.clone();
    unknown.links.clear();
    assert_eq!(lines_of(&render(&unknown, 40))[5], "│ shown │ x │");
}

#[test]
fn rules_footnotes_images_and_math() {
    let n = note(
        "Text[^1] here.\n\n---\n\n![alt text](pic.png) and ![[diagram.png]]\n\n$$\nx^2\n$$\n\n[^1]: The note.\n",
    );
    let r = render(&n, 30);
    let lines = lines_of(&r);
    assert_eq!(lines[2], "Text[1] here.");
    assert_eq!(lines[4], "─".repeat(30));
    assert_eq!(lines[6], "🖼 alt text (pic.png) and 🖼");
    assert_eq!(lines[7], "diagram.png");
    assert!(lines.contains(&"  x^2".to_owned()), "{lines:?}");
    assert_eq!(lines.last().map(String::as_str), Some("[1] The note."));
    let kinds: Vec<_> = r.targets.iter().map(|t| t.kind.clone()).collect();
    assert_eq!(
        kinds,
        [TargetKind::Url("pic.png".into()), TargetKind::Link(0)]
    );
}

#[test]
fn wiki_link_text_and_styles_by_resolution() {
    let mut n = note("[[a]] [[b|Shown]] [[c#Part]] [[#Local]] [[d]] [[e]]\n");
    n.links[0].set_resolution(Resolution::Note {
        note: NoteId(1),
        heading: None,
        ambiguous: false,
    });
    n.links[4].set_resolution(Resolution::Unresolved);
    n.links[5].set_resolution(Resolution::Note {
        note: NoteId(2),
        heading: None,
        ambiguous: true,
    });
    let r = render(&n, 80);
    assert_eq!(lines_of(&r)[2], "a Shown c › Part Local d? e*");
    let texts: Vec<String> = r.targets.iter().map(|t| target_text(&r, t)).collect();
    assert_eq!(texts, ["a", "Shown", "c › Part", "Local", "d?", "e*"]);
    let kinds: Vec<_> = r.targets.iter().map(|t| t.kind.clone()).collect();
    assert_eq!(kinds, (0..6).map(TargetKind::Link).collect::<Vec<_>>());
    let span = |text: &str| {
        r.lines[2]
            .spans
            .iter()
            .find(|s| s.content == text)
            .unwrap_or_else(|| panic!("{text}: {:?}", r.lines[2]))
            .style
    };
    assert_eq!(span("a"), Theme::dark().link);
    assert_eq!(
        span("Shown"),
        Theme::dark().link,
        "pending looks like a link"
    );
    assert_eq!(span("d"), Theme::dark().unresolved_link);
    assert_eq!(span("e"), Theme::dark().ambiguous_link);
    // The marks are drawn apart from the link so they do not read as
    // punctuation, and are not part of the text as read.
    assert_eq!(span("?"), Theme::dark().warning);
    assert_eq!(span("*"), Theme::dark().warning);
    let read: String = r.reading.chars.iter().map(|c| c.ch).collect();
    assert!(read.contains("Local d e"), "{read:?}");
}

#[test]
fn links_unknown_to_the_model_render_without_target() {
    let mut n = note("see [[ghost]] now\n");
    n.links.clear();
    let r = render(&n, 40);
    assert_eq!(lines_of(&r)[2], "see ghost now");
    assert!(r.targets.is_empty());
}

#[test]
fn timestamp_chips_malformed_ones_and_clock_links() {
    let n = note(concat!(
        "A <a class=\"yt-timestamp\" data-t=\"00:05:17\">[00:05:17]</a>",
        "<a class=\"yt-timestamp\" data-t=\"01:38:35\">[01:38:35]</a>, ",
        "<a class=\"yt-timestamp\" data-t=\"1:71:04\">[1:71:04]</a> and [[00:01:07]].\n"
    ));
    assert_eq!(n.timestamps.len(), 4);
    let r = render(&n, 80);
    assert_eq!(lines_of(&r)[2], "A ▶05:17 ▶1:38:35, ⚠1:71:04 and ▶01:07.");
    let kinds: Vec<_> = r.targets.iter().map(|t| t.kind.clone()).collect();
    assert_eq!(kinds, (0..4).map(TargetKind::Timestamp).collect::<Vec<_>>());
    let texts: Vec<String> = r.targets.iter().map(|t| target_text(&r, t)).collect();
    assert_eq!(texts, ["▶05:17", "▶1:38:35", "⚠1:71:04", "▶01:07"]);
    assert_eq!(r.targets[0].pieces, vec![(2, 2..8)]);
    let span = |text: &str| {
        r.lines[2]
            .spans
            .iter()
            .find(|s| s.content == text)
            .expect("chip")
            .style
    };
    assert_eq!(span("1:71:04"), Theme::dark().refused_timestamp);
    // The sign is drawn apart, so it does not read as punctuation.
    assert_eq!(span("⚠"), Theme::dark().warning);
}

#[test]
fn a_note_read_as_minutes_says_so_and_its_chips_show_the_time_used() {
    let n = note(concat!(
        "---\ntitle: T\nvideoId: UTmFuSZfJ9U\n---\n",
        "A <a class=\"yt-timestamp\" data-t=\"42:34:00\">[42:34:00]</a> ",
        "<a class=\"yt-timestamp\" data-t=\"01:16:16\">[01:16:16]</a>\n"
    ));
    let lines = lines_of(&render(&n, 100));
    assert_eq!(
        lines[2],
        "◷ times read as MM:SS (this note writes MM:SS:FF: `42:34:00` cannot be hours)"
    );
    assert!(lines.contains(&"A ▶42:34 ▶01:16".to_owned()), "{lines:#?}");
    let literal = note("A <a class=\"yt-timestamp\" data-t=\"01:16:16\">[01:16:16]</a>\n");
    assert!(!render_plain(&literal, 100).contains("times read as"));
}

#[test]
fn anchors_in_any_case_and_quoting_become_chips() {
    let n = note(concat!(
        "<A CLASS=\"yt-timestamp\" DATA-T=\"00:05:17\">[x]</A> ",
        "<a class='yt-timestamp' data-t='1:00'>[y]</a> ",
        "<a class=yt-timestamp data-t=00:00:07>[z]</a>\n"
    ));
    assert_eq!(n.timestamps.len(), 3);
    let r = render(&n, 80);
    assert_eq!(lines_of(&r)[2], "▶05:17 ▶01:00 ▶00:07");
    assert_eq!(r.targets.len(), 3);
}

#[test]
fn chip_glued_to_a_link_gets_a_space() {
    let n = note("see [[x | ]]<a class=\"yt-timestamp\" data-t=\"00:50:59\">[00:50:59]</a>.\n");
    assert_eq!(lines_of(&render(&n, 40))[2], "see x ▶50:59.");
}

#[test]
fn timestamps_in_html_blocks() {
    let n = note(
        "<div>\nSee <a class=\"yt-timestamp\" data-t=\"00:00:05\">[00:00:05]</a> there<br>next\n</div>\n",
    );
    let r = render(&n, 80);
    assert_eq!(lines_of(&r)[2..], ["See ▶00:05 there", "next"]);
    assert_eq!(r.targets.len(), 1);
}

#[test]
fn targets_wrap_into_several_pieces_in_reading_order() {
    let n = note("aaaa [[long link text here]] [x](http://x.y) end\n");
    let r = render(&n, 12);
    assert_eq!(r.targets.len(), 2);
    assert_eq!(r.targets[0].kind, TargetKind::Link(0));
    assert_eq!(r.targets[0].pieces, vec![(2, 5..9), (3, 0..9), (4, 0..4)]);
    assert_eq!(r.targets[1].kind, TargetKind::Url("http://x.y".into()));
    assert_eq!(target_text(&r, &r.targets[1]), "x");
}

#[test]
fn br_breaks_lines_and_other_html_shows_text_only() {
    let n = note("one<br/>two <span class=\"x\">three</span> <img alt=\"pic\"> <sup>4</sup>\n");
    let lines = lines_of(&render(&n, 40));
    assert_eq!(lines[2..], ["one", "two three 🖼 pic 4"]);
}

#[test]
fn escape_from_entity_is_made_visible() {
    let n = note("bad &#27;[31m red and <b>&#27;</b>\n");
    let r = render(&n, 40);
    let text = plain_text(&r);
    assert!(text.contains("␛[31m"), "{text:?}");
    assert!(!text.contains('\u{1b}'));
    assert_fits(&r, 40, "escape");
}

#[test]
fn later_metadata_block_is_shown_as_rules_and_text() {
    let n = note("---\ntitle: T\n---\n\nBody.\n\n---\nkey: value\n---\n\nAfter.\n");
    let lines = lines_of(&render(&n, 20));
    assert_eq!(lines[0], "T");
    let body: Vec<&str> = lines.iter().skip(2).map(String::as_str).collect();
    let rule = "─".repeat(20);
    assert_eq!(
        body,
        [
            "Body.",
            "",
            rule.as_str(),
            "key: value",
            rule.as_str(),
            "",
            "After."
        ]
    );
}

#[test]
fn crlf_and_bom_input() {
    let text = "\u{feff}---\r\ntitle: Crlf\r\nvideoId: HrwPuLTdHag\r\n---\r\n\r\n## Head\r\nline one\r\nline two\r\n\r\n* item\r\n";
    let n = note(text);
    let r = render(&n, 40);
    let lines = lines_of(&r);
    assert_eq!(lines[0], "Crlf");
    assert_eq!(
        lines[3..],
        ["▌ Head", "", "line one line two", "", "• item"]
    );
    assert_eq!(
        r.headings,
        vec![HeadingPosition {
            heading: 0,
            line: 3
        }]
    );
    assert!(!plain_text(&r).contains('\r'));
}

#[test]
fn front_matter_at_top_is_hidden_even_when_the_loader_gave_no_body_start() {
    let mut n = note("---\ntitle: T\nx: 1\n---\nBody\n");
    n.body_start = 0;
    let text = render_plain(&n, 40);
    assert!(!text.contains("title: T"), "{text}");
    assert!(text.ends_with("Body"));
}

#[test]
fn degenerate_inputs_do_not_panic() {
    for text in [
        "",
        "---\ntitle: only front matter\n---",
        "[[|]]",
        "]] [[",
        "[[a|b|c]]",
        "<a class=\"yt-timestamp\" data-t=\"",
        "<a class=\"yt-timestamp\" data-t=\"1\">[1]",
        "> [!",
        "* * * [[x]]\n  > > - [ ] `",
        "|a|\n|-|\n|[[x|y]]|<br>|",
        "\u{feff}",
        "\r\n\r\n",
        "$$\n",
        "[^x]\n\n[^x]: > quote",
    ] {
        for width in [0, 1, 2, 5, 10, 80] {
            let r = render(&note(text), width);
            if width >= 10 {
                assert_fits(&r, width, text);
            }
        }
    }
}

#[test]
fn specimen_renders_as_expected() {
    let n = note_from(
        "publicprivate_partnerships_in_technology_and_innovation.md",
        SPECIMEN,
    );
    let r = render(&n, 100);
    assert_fits(&r, 100, "specimen");
    assert_eq!(r.headings.len(), n.headings.len());
    let timestamp_targets = r
        .targets
        .iter()
        .filter(|t| matches!(t.kind, TargetKind::Timestamp(_)))
        .count();
    assert_eq!(timestamp_targets, n.timestamps.len());
    let link_targets = r
        .targets
        .iter()
        .filter(|t| matches!(t.kind, TargetKind::Link(_)))
        .count();
    assert_eq!(link_targets, n.links.len());
    // Reading order: by first line, then column.
    let starts: Vec<(usize, u16)> = r
        .targets
        .iter()
        .map(|t| (t.pieces[0].0, t.pieces[0].1.start))
        .collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    insta::assert_snapshot!("specimen_100", plain_text(&r));
}

/// Every note of the shared corpus at three widths: no panic, nothing too wide.
#[test]
fn corpus_renders_within_width() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipping: no corpus at {}", root.display());
        return;
    }
    let mut stack = vec![root];
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let bytes = std::fs::read(&path).expect("readable corpus file");
                // The real loader: its byte ranges must match the renderer's.
                let n = crate::vault::loader::parse_note(&path.to_string_lossy(), &bytes);
                let what = path.to_string_lossy();
                for width in [40, 80, 200] {
                    let r = render(&n, width);
                    assert_fits(&r, width, &what);
                    assert_eq!(r.headings.len(), n.headings.len(), "{what}");
                    // Every timestamp and link of the model is a target, once.
                    let expected = (0..n.timestamps.len())
                        .map(TargetKind::Timestamp)
                        .chain((0..n.links.len()).map(TargetKind::Link));
                    for kind in expected {
                        let found = r.targets.iter().filter(|t| t.kind == kind).count();
                        assert_eq!(found, 1, "{what}: {kind:?} is a target {found} times");
                    }
                }
                count += 1;
            }
        }
    }
    assert!(count > 0);
}

mod properties;

#[test]
fn a_link_written_as_a_file_name_reads_as_the_note_title() {
    let mut n = note(
        "See [[digital_decarbonization]], [[digital_decarbonization#Scope]], [[CPU]] and [[no_such_note]].\n",
    );
    for link in n.links.iter_mut().take(3) {
        link.set_resolution(Resolution::Note {
            note: NoteId(7),
            heading: None,
            ambiguous: false,
        });
    }
    n.links[3].set_resolution(Resolution::Unresolved);
    let titles = |id: NoteId| (id == NoteId(7)).then(|| "Digital decarbonization".to_owned());
    let text = n.text.clone().unwrap_or_default();
    let r = super::render_with_titles(&n, &text, 120, &Theme::dark(), &titles);
    assert_eq!(
        lines_of(&r)[2],
        "See Digital decarbonization, Digital decarbonization › Scope, CPU and no_such_note?."
    );
}

#[test]
fn code_blocks_are_framed_labelled_and_coloured_by_language() {
    let n = note("```python\ndef f(x):\n    return x  # done\n```\n");
    let r = render(&n, 60);
    assert_eq!(
        lines_of(&r)[2..],
        ["╭─ python", "│ def f(x):", "│     return x  # done", "╰─"]
    );
    let colours: std::collections::HashSet<_> = r.lines[3..5]
        .iter()
        .flat_map(|l| l.spans.iter().skip(1))
        .map(|s| s.style.fg)
        .collect();
    assert!(colours.len() > 1, "highlighted: {colours:?}");
    // The no-colour theme keeps code plain (and framed).
    let plain = super::render_with(&n, n.text.as_deref().unwrap_or(""), 60, &Theme::no_color());
    assert!(
        plain
            .lines
            .iter()
            .flat_map(|l| &l.spans)
            .all(|s| s.style.fg.is_none())
    );
    assert_eq!(lines_of(&plain)[2], "╭─ python");
    // Find reads the code, not the frame.
    let read: String = r.reading.chars.iter().map(|c| c.ch).collect();
    assert!(
        read.contains("def f(x):") && !read.contains('│'),
        "{read:?}"
    );
}
