//! The one parse pass of a note's bytes.

use crate::text::sanitize_source;
use crate::vault::{
    Note, frontmatter,
    note::TitleSource,
    problem::{Problem, ProblemKind},
    scan,
    timestamp::VideoId,
};

/// A file's bytes as note text: invalid UTF-8 replaced, BOM removed,
/// control characters made visible. Reading a note back for display goes
/// through here too, so its ranges fit the text again.
#[must_use]
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    // The lossy decoder walks every byte; nearly every note is valid, so a
    // check comes first: `simdutf8`'s, 32 bytes at a time whatever the
    // text (std's is quick on ASCII only, and notes are full of quotes
    // and dashes: it was a tenth of the parse).
    let decoded = match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let without_bom = match &decoded {
        std::borrow::Cow::Borrowed(text) => {
            std::borrow::Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text))
        }
        std::borrow::Cow::Owned(text) => {
            std::borrow::Cow::Owned(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned())
        }
    };
    match without_bom {
        std::borrow::Cow::Borrowed(text) => sanitize_source(text),
        std::borrow::Cow::Owned(text) => {
            std::borrow::Cow::Owned(sanitize_source(&text).into_owned())
        }
    }
}

/// [`decode`], with the words of the text it gives when it can count them
/// in the pass that checks the text for control characters (nearly every
/// note: valid UTF-8, none of them; see [`scan::words_if_clean`]).
fn decode_counting(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, Option<u32>) {
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some(words) = scan::words_if_clean(text) {
            return (std::borrow::Cow::Borrowed(text), Some(words));
        }
    }
    // Text to mend: decoded again, and its words counted by the scan.
    (decode(bytes), None)
}

thread_local! {
    /// The scan of each parse thread, whose vectors keep their capacity
    /// from note to note (see [`scan::Scan::take_exact`]).
    static SCRATCH: std::cell::RefCell<scan::Scan> = std::cell::RefCell::default();
}

/// Builds a note from a file's bytes: the one parse pass of the loader.
#[must_use]
pub fn parse_note(relative: &str, bytes: &[u8]) -> Note {
    parse(relative, bytes, true)
}

// Long: the one parse pass builds every field of a `Note` in one place.
pub(super) fn parse(relative: &str, bytes: &[u8], keep_text: bool) -> Note {
    let mut problems = Vec::new();
    let (text, text_words) = decode_counting(bytes);
    if matches!(&text, std::borrow::Cow::Owned(owned) if owned.contains('\u{fffd}'))
        && let Err(error) = std::str::from_utf8(bytes)
    {
        // Only a text that came out changed can have had bad bytes: the
        // second validation runs for those alone.
        let line = memchr::memchr_iter(b'\n', &bytes[..error.valid_up_to()]).count() + 1;
        problems.push(Problem::new(
            ProblemKind::InvalidUtf8,
            u32::try_from(line).ok(),
            "file is not valid UTF-8; bad bytes are shown as �",
        ));
    }
    let text: &str = &text;

    let split = frontmatter::split(text);
    let mut front_matter = match split.yaml {
        Some(yaml) => {
            let (fm, yaml_problems) = frontmatter::parse(yaml, 2);
            problems.extend(yaml_problems);
            fm
        }
        None => Default::default(),
    };
    front_matter.lines = split.lines.clone();
    if split.unclosed {
        problems.push(Problem::new(
            ProblemKind::UnclosedFrontMatter,
            Some(1),
            "front matter opened with `---` is never closed; the whole file is shown as text",
        ));
    }
    let body_start = split.body_start;
    // The front matter's lines are known: the body starts on the line after
    // its closing `---` (when that ends in a newline). Counted otherwise.
    let head = &text.as_bytes()[..body_start];
    let body_line = match &split.lines {
        Some(lines) if head.last() == Some(&b'\n') => lines.end.saturating_add(1),
        _ => u32::try_from(memchr::memchr_iter(b'\n', head).count() + 1).unwrap_or(1),
    };
    let found = SCRATCH.with_borrow_mut(|scratch| {
        scan::scan_counted(scratch, text, body_start, body_line, text_words);
        scan::Scan::take_exact(scratch)
    });
    problems.extend(found.problems);

    let (title, title_source) = match (
        front_matter.title(),
        found.headings.iter().find(|h| h.level() == 1),
    ) {
        (Some(title), _) => (title.to_owned(), TitleSource::FrontMatter),
        (None, Some(heading)) if !heading.text().is_empty() => {
            (heading.text().to_owned(), TitleSource::FirstHeading)
        }
        _ => (crate::vault::note::stem_of(relative), TitleSource::FileName),
    };
    if title_source != TitleSource::FrontMatter {
        problems.push(Problem::new(
            ProblemKind::MissingTitle,
            split.lines.as_ref().map(|l| l.start),
            format!("no `title` in the front matter; using `{title}`"),
        ));
    }
    let video_id = front_matter.video_id().and_then(VideoId::parse);
    match (front_matter.video_id(), &video_id) {
        (Some(raw), None) => problems.push(Problem::new(
            ProblemKind::InvalidVideoId,
            split.lines.as_ref().map(|l| l.start),
            format!(
                "videoId `{raw}` is not 11 characters of A-Z a-z 0-9 _ -; timestamps get no links"
            ),
        )),
        (None, _) if !found.timestamps.is_empty() => problems.push(Problem::new(
            ProblemKind::MissingVideoId,
            split.lines.as_ref().map(|l| l.start),
            "no `videoId` in the front matter; timestamps get no links",
        )),
        _ => {}
    }
    if let Some(problem) = bidi_problem(relative, &title, &found.links, text) {
        problems.push(problem);
    }
    problems.sort_by_key(|p| p.line.unwrap_or(0));
    Note {
        path: relative.to_owned(),
        disk_path: None,
        title,
        title_source,
        front_matter,
        video_id,
        channel: found.channel,
        headings: found.headings,
        links: found.links,
        markdown_links: found.markdown_links,
        timestamps: found.timestamps,
        time_reading: found.time_reading,
        size: bytes.len() as u64,
        words: found.words,
        problems,
        text: keep_text.then(|| text.into()),
        modified: None,
        body_start,
        parsed: true,
    }
}

/// Whether UTF-8 `bytes` hold a bidirectional control (U+202A–U+202E,
/// U+2066–U+2069: they can reorder what a terminal shows around them),
/// read from the bytes: each is `E2 80 AA..=AE` or `E2 81 A6..=A9`, so
/// only the `E2` bytes are looked at (the curly quotes and dashes of a
/// vault's link texts are `E2` too: decoding their characters showed in
/// profiles).
fn has_bidi_control(bytes: &[u8]) -> bool {
    memchr::memchr_iter(0xe2, bytes).any(|at| {
        matches!(
            bytes.get(at + 1..at + 3),
            Some([0x80, 0xaa..=0xae] | [0x81, 0xa6..=0xa9])
        )
    })
}

/// One warning for a note whose name, title or links hold bidi controls.
/// They are neutralised for display; names that hold them still resolve
/// (a real vault has a channel folder wrapped in U+2068/U+2069). `text`
/// is the note's, which the links were read from.
fn bidi_problem(
    path: &str,
    title: &str,
    links: &crate::vault::Links,
    text: &str,
) -> Option<Problem> {
    let has = |s: &str| has_bidi_control(s.as_bytes());
    let mut places = Vec::new();
    if has(path) {
        places.push("file name".to_owned());
    }
    if has(title) {
        places.push("title".to_owned());
    }
    // A link's parts are pieces of its source: a source with no bidi
    // control (nearly all) is searched once, not part by part.
    let links_with = links
        .iter()
        .filter(|l| {
            text.as_bytes().get(l.range()).is_none_or(has_bidi_control)
                && (has(l.target()) || l.shown().is_some_and(has) || l.heading().is_some_and(has))
        })
        .count();
    if links_with > 0 {
        places.push(format!("{links_with} link(s)"));
    }
    (!places.is_empty()).then(|| {
        Problem::new(
            ProblemKind::BidiControl,
            None,
            format!(
                "{} contains bidi control characters (U+202A–U+202E, U+2066–U+2069), shown neutralised",
                places.join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_bidi_control(c: char) -> bool {
        matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }

    #[test]
    fn the_body_starts_on_the_line_after_the_front_matter() {
        let mut compared = 0;
        for text in [
            "---\ntitle: T\n---\nbody\n",
            "---\r\ntitle: T\r\n\r\n---\r\n# H\n",
            "---\ntitle: T\n...\n\n\nbody",
            "---\ntitle: T\n---",
            "---\ntitle: T\n",
            "no front matter\n",
            "",
        ] {
            let split = frontmatter::split(text);
            let head = &text.as_bytes()[..split.body_start];
            let counted = memchr::memchr_iter(b'\n', head).count() + 1;
            if head.last() == Some(&b'\n')
                && let Some(lines) = &split.lines
            {
                assert_eq!(lines.end as usize + 1, counted, "{text:?}");
                compared += 1;
            }
        }
        // The three closed blocks that end in a newline.
        assert_eq!(compared, 3);
    }

    #[test]
    fn links_with_bidi_controls_are_counted_in_any_part() {
        let bidi = |text: &str| {
            parse_note("n.md", text.as_bytes())
                .problems
                .iter()
                .find(|p| p.kind == ProblemKind::BidiControl)
                .map(|p| p.message.clone())
        };
        let text = "---\ntitle: T\n---\n[[a\u{2068}b]] [[c|\u{202e}d]] [[e#\u{2066}f]] [[g]] \u{202e} [[\u{201c}h\u{201d}]]\n";
        let message = bidi(text).expect("a bidi problem");
        assert!(message.starts_with("3 link(s) contains"), "{message}");
        // Outside every link, none is counted.
        assert_eq!(
            bidi("---\ntitle: T\n---\n\u{202e} [[g]] [[h|\u{201c}i\u{201d}]]\n"),
            None
        );
    }

    #[test]
    fn bidi_controls_are_found_from_their_bytes() {
        // Every character of the blocks around them, alone and amid text
        // with other `E2` characters (quotes, dashes).
        for c in ('\u{2000}'..='\u{20ff}').chain(['a', '\u{e2}', '\u{1e2}']) {
            for text in [c.to_string(), format!("\u{201c}a{c}\u{2014}b\u{201d}")] {
                assert_eq!(
                    has_bidi_control(text.as_bytes()),
                    text.chars().any(is_bidi_control),
                    "{text:?}"
                );
            }
        }
    }
}
