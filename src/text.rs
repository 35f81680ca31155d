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

/// True when the UTF-8 text may hold a control character other than `\n`,
/// `\r` and `\t`: a C0 byte, DEL, or a C1 character (encoded `C2 80..9F`).
fn has_control_bytes(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A branch-free pass over 64-byte chunks (which the compiler turns into
    // vector code) rules out nearly every note; only a chunk that might
    // hold a control character (or any C2 lead byte) gets the exact check.
    let suspicious =
        |b: u8| (b < 0x20 && b != b'\n' && b != b'\r' && b != b'\t') || b == 0x7f || b == 0xc2;
    let maybe = bytes
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |acc, &b| acc | suspicious(b)));
    if !maybe {
        return false;
    }
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\n' | b'\r' | b'\t' => false,
        0..=0x1f | 0x7f => true,
        0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        _ => false,
    })
}

/// Sanitises one piece of text that is about to be shown on one line: no
/// control character at all survives (tabs become a space).
#[must_use]
pub fn sanitize_inline(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' => ' ',
                c if is_terminal_control(c) => stand_in(c),
                c => c,
            })
            .collect(),
    )
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
    fn safety_check_detects_controls() {
        assert!(is_terminal_safe("fine ␛ text\n"));
        assert!(!is_terminal_safe("bad \u{1b} text"));
    }
}
