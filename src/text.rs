//! Text that came from a note is untrusted: it may carry raw control bytes, or
//! entities such as `&#27;` that decode to them. Every such character is
//! replaced by a visible stand-in before it can reach the terminal, so no byte
//! of a note can ever act as a control sequence.

use std::borrow::Cow;

/// True for characters that a terminal could interpret: C0 controls, DEL and
/// the C1 range (U+0080..=U+009F, which some terminals treat as 8-bit CSI).
#[must_use]
pub fn is_terminal_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// True for the invisible Unicode controls that reorder text around them
/// (bidirectional embeddings, overrides and isolates, and the directional
/// marks). A title carrying U+202E would show its neighbours backwards, so
/// they are dropped wherever text is shown (they have no width, so layout
/// is unchanged). Names that contain them still resolve: only display and
/// output drop them, never the index.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
    )
}

/// The visible stand-in for a control character: the Unicode "control
/// picture" for C0 and DEL (ESC shows as `␛`), U+FFFD for the C1 range.
fn stand_in(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Sanitises note text at load time. Line structure survives: `\n`, `\r`
/// and `\t` are kept so that the Markdown parser still sees lines and
/// indentation; everything else that could drive a terminal is replaced.
#[must_use]
pub fn sanitize_source(text: &str) -> Cow<'_, str> {
    // Almost every note is clean; a byte scan proves it without decoding.
    if !has_control_bytes(text) {
        return Cow::Borrowed(text);
    }
    sanitize_keeping(text, |c| matches!(c, '\n' | '\r' | '\t'))
}

/// 1 for a C0 control character other than `\n`, `\r` and `\t`, else 0:
/// bitwise, without branches, so that a block's fold becomes vector code
/// (the other controls, DEL and C1, are found by [`has_del_or_c1`]).
#[must_use]
pub(crate) fn is_c0_control(b: u8) -> u8 {
    u8::from(b < 0x20) & u8::from(b != b'\n') & u8::from(b != b'\r') & u8::from(b != b'\t')
}

/// Whether UTF-8 `bytes` hold DEL or a C1 control character (`C2 80..9F`),
/// by `memchr` from one `7F` or `C2` byte to the next (both rare: a
/// vector search skips the text between them, where a test of every byte
/// for these two would cost a third of the control check).
#[must_use]
pub(crate) fn has_del_or_c1(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(0x7f, 0xc2, bytes)
        .any(|at| bytes[at] == 0x7f || bytes.get(at + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
}

/// True when the UTF-8 text may hold a control character other than `\n`,
/// `\r` and `\t`: a C0 byte, DEL, or a C1 character (encoded `C2 80..9F`).
fn has_control_bytes(text: &str) -> bool {
    const CHUNK: usize = 64;
    let bytes = text.as_bytes();
    let chunks = bytes.chunks_exact(CHUNK);
    let rest = chunks.remainder();
    chunks
        .into_iter()
        .any(|chunk| chunk.iter().fold(0, |acc, &b| acc | is_c0_control(b)) != 0)
        || rest.iter().any(|&b| is_c0_control(b) != 0)
        || has_del_or_c1(bytes)
}

/// Sanitises one piece of text that is about to be shown on one line: no
/// control character at all survives (tabs become a space) and bidi
/// controls are dropped. This is complete on its own: whatever the text went
/// through before (YAML escapes, entities), what comes out is safe to show.
#[must_use]
pub fn sanitize_inline(text: &str) -> Cow<'_, str> {
    sanitize_for_display(text, false)
}

/// Sanitises text the command line prints: as [`sanitize_inline`], but
/// newlines and tabs (the line and column structure of the output) stay.
#[must_use]
pub fn sanitize_output(text: &str) -> Cow<'_, str> {
    sanitize_for_display(text, true)
}

fn sanitize_for_display(text: &str, keep_layout: bool) -> Cow<'_, str> {
    let kept = |c: char| keep_layout && matches!(c, '\n' | '\t');
    let hazard = |c: char| (is_terminal_control(c) && !kept(c)) || is_bidi_control(c);
    if !text.chars().any(hazard) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|&c| !is_bidi_control(c))
            .map(|c| match c {
                c if kept(c) => c,
                '\t' => ' ',
                c if is_terminal_control(c) => stand_in(c),
                c => c,
            })
            .collect(),
    )
}

/// The last guard before the clipboard: whatever the app built, no
/// control character, line break or bidi control gets through (each
/// becomes a space). Clean text is borrowed.
#[must_use]
pub fn clipboard_safe(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        is_terminal_control(c) || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
    };
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if bad(c) { ' ' } else { c }).collect())
}

/// Single-line text for the clipboard, where it will be pasted into a
/// shell, an editor or a chat box: every control, newline and bidi control
/// becomes a space (runs of them one space), so a paste can never run a
/// line or hide what it contains. Square brackets are dropped too, so the
/// text can sit in a Markdown link's label.
#[must_use]
pub fn clipboard_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if is_terminal_control(c) || is_bidi_control(c) || c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if matches!(c, '[' | ']') {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

fn sanitize_keeping(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_terminal_control(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_terminal_control(c) && !keep(c) {
                    stand_in(c)
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// True when the text holds no character a terminal could interpret other
/// than a newline; used in debug assertions where text enters the screen.
#[must_use]
pub fn is_terminal_safe(text: &str) -> bool {
    !text.chars().any(|c| c != '\n' && is_terminal_control(c))
}

/// True when the text is safe to show and cannot reorder what is around
/// it: [`is_terminal_safe`] and no bidi control.
#[must_use]
pub fn is_display_safe(text: &str) -> bool {
    is_terminal_safe(text) && !text.chars().any(is_bidi_control)
}

/// Cuts text to a display width (Unicode width: CJK and emoji count two
/// columns), ending with `…` when cut.
#[must_use]
pub fn truncate(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Keeps the end of text within a display width, starting with `…` when
/// cut (the left-hand twin of [`truncate`]).
#[must_use]
pub fn truncate_start(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut kept = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_becomes_a_visible_picture() {
        assert_eq!(sanitize_inline("a\u{1b}[31mb"), "a\u{241b}[31mb");
        assert_eq!(
            sanitize_source("a\u{1b}]52;c;x\u{7}"),
            "a\u{241b}]52;c;x\u{2407}"
        );
    }

    #[test]
    fn the_chunked_control_check_finds_what_the_characters_hold() {
        // Every kind of control at every place around the 64-byte chunks
        // (a C1 character across a chunk's end), among no-break spaces
        // (`C2 A0`) that make a chunk suspicious without holding one.
        let exact = |text: &str| {
            text.chars()
                .any(|c| is_terminal_control(c) && !matches!(c, '\n' | '\r' | '\t'))
        };
        for filler in ["a", "\u{a0}", "\n\t\r"] {
            let base = filler.repeat(150 / filler.len());
            assert!(!has_control_bytes(&base));
            for control in [
                '\u{1b}', '\u{0}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}', '\t',
            ] {
                for at in (0..=base.len()).filter(|&at| base.is_char_boundary(at)) {
                    let mut text = base.clone();
                    text.insert(at, control);
                    assert_eq!(has_control_bytes(&text), exact(&text), "{at} {control:?}");
                }
            }
        }
    }

    #[test]
    fn c1_controls_and_del_are_replaced() {
        assert_eq!(sanitize_inline("x\u{9b}2Jy\u{7f}"), "x\u{fffd}2Jy\u{2421}");
    }

    #[test]
    fn source_keeps_line_structure_but_inline_does_not() {
        assert_eq!(sanitize_source("a\r\n\tb"), "a\r\n\tb");
        assert_eq!(sanitize_inline("a\tb"), "a b");
        assert!(matches!(sanitize_source("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncation_counts_display_columns() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("a longer text", 6), "a lon…");
        assert_eq!(truncate("日本語テキスト", 7), "日本語…");
        assert_eq!(truncate("anything", 0), "");
        assert_eq!(truncate("ab", 1), "…");
    }

    #[test]
    fn truncation_from_the_start_keeps_the_end() {
        assert_eq!(truncate_start("short", 10), "short");
        assert_eq!(truncate_start("a longer text", 6), "… text");
        assert_eq!(truncate_start("日本語テキスト", 7), "…キスト");
        assert_eq!(truncate_start("anything", 0), "");
    }

    #[test]
    fn bidi_controls_are_dropped_for_display() {
        // An override would show "evil\u{202e}txt.exe" as "evilexe.txt".
        assert_eq!(sanitize_inline("evil\u{202e}txt.exe"), "eviltxt.exe");
        assert_eq!(
            sanitize_inline("\u{2068}Channel\u{2069} \u{200f}x\u{61c}"),
            "Channel x"
        );
        assert!(is_display_safe(&sanitize_inline(
            "\u{2066}a\u{202a}b\u{200e}"
        )));
        assert!(!is_display_safe("a\u{202d}b"));
        // The source keeps them: names that contain them must still resolve.
        assert_eq!(sanitize_source("\u{2068}C\u{2069}"), "\u{2068}C\u{2069}");
    }

    #[test]
    fn output_keeps_lines_and_columns_only() {
        assert_eq!(
            sanitize_output("a\tb\nc\u{1b}]2;x\u{7}\r\u{9b}\u{202e}"),
            "a\tb\nc\u{241b}]2;x\u{2407}\u{240d}\u{fffd}"
        );
        assert!(matches!(sanitize_output("clean\tline\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn clipboard_text_is_one_plain_line() {
        assert_eq!(
            clipboard_line("Title\u{1b}]52;c;eA==\u{7}\nrm -rf ~\r\n\u{9b}x [a] \u{202e}y"),
            "Title 52;c;eA== rm -rf ~ x a y"
        );
        assert_eq!(clipboard_line("  \t plain  title \n"), "plain title");
        assert_eq!(clipboard_safe("[a](u)\n\u{1b}x\u{202e}"), "[a](u)  x ");
        assert!(matches!(
            clipboard_safe("[ok](https://x)"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn safety_check_detects_controls() {
        assert!(is_terminal_safe("fine ␛ text\n"));
        assert!(!is_terminal_safe("bad \u{1b} text"));
    }
}
