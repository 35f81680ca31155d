//! Every byte the program prints outside the browser leaves through here:
//! command output on stdout, messages and errors on stderr, and JSON. Titles
//! and file names come from the vault and may carry escape sequences (an
//! OSC 52 in a title would write the clipboard of whoever mistypes a note
//! name), so each line is sanitised as it is written: controls become
//! visible pictures, bidi controls are dropped, only `\n` and `\t` (the
//! output's own layout) stay. Call sites cannot forget: `println!` and
//! `eprintln!` are denied by clippy in this crate (see `lib.rs`), and
//! `std::io::stdout`/`stderr` are disallowed outside this file and `tui.rs`
//! (see `clippy.toml`).
#![allow(clippy::disallowed_methods)]

use std::io::Write;

use crate::text::sanitize_output;

/// Exit status when the output itself cannot be written.
const EXIT_CANNOT_WRITE: i32 = 2;

/// Writes one line to stdout, sanitised; exits quietly when the reader has
/// gone away (`vidwiki check | head`).
pub fn stdout_line(args: std::fmt::Arguments<'_>) {
    let line = format_line(args);
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_all(line.as_bytes()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        stderr_line(format_args!("vidwiki: cannot write output: {error}"));
        std::process::exit(EXIT_CANNOT_WRITE);
    }
}

/// Writes one line to stderr, sanitised. A failure to write there has
/// nowhere to be reported and is ignored.
pub fn stderr_line(args: std::fmt::Arguments<'_>) {
    let line = format_line(args);
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Writes text to stdout or stderr as it is (no newline added), sanitised:
/// for clap's help and error messages.
pub fn write_text(text: &str, to_stderr: bool) {
    let clean = sanitize_output(text);
    let _ = if to_stderr {
        std::io::stderr().lock().write_all(clean.as_bytes())
    } else {
        std::io::stdout().lock().write_all(clean.as_bytes())
    };
}

fn format_line(args: std::fmt::Arguments<'_>) -> String {
    let mut line = match args.as_str() {
        Some(text) => sanitize_output(text).into_owned(),
        None => sanitize_output(&args.to_string()).into_owned(),
    };
    line.push('\n');
    line
}

/// A JSON value as pretty text in which every character that could drive a
/// terminal or reorder text is written as a `\uXXXX` escape. serde_json
/// escapes only C0 controls; DEL, the C1 range (U+009B is an 8-bit CSI),
/// bidi controls and the line/paragraph separators it leaves raw. Outside
/// strings JSON text is plain ASCII, so escaping these characters wherever
/// they appear keeps the text valid JSON that decodes to the same value.
#[must_use]
pub fn json_text(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    escape_json_controls(&text)
}

fn escape_json_controls(text: &str) -> String {
    let needs_escape = |c: char| {
        crate::text::is_terminal_control(c)
            || crate::text::is_bidi_control(c)
            || matches!(c, '\u{2028}' | '\u{2029}')
    };
    if !text.chars().any(|c| needs_escape(c) && c != '\n') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        // The pretty printer's own newlines are layout, not data (a newline
        // inside a string is already `\n`).
        if needs_escape(c) && c != '\n' {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_c1_del_and_bidi_and_round_trips() {
        let hostile = "t\u{1b}]52;c;eA==\u{7}\u{9b}2J\u{7f}\u{85}\u{202e}\u{2066}\u{2028}x\n";
        let value = serde_json::json!({"title": hostile, "list": [hostile]});
        let text = json_text(&value);
        assert!(
            text.chars().all(|c| c == '\n'
                || (!crate::text::is_terminal_control(c) && !crate::text::is_bidi_control(c))),
            "{text:?}"
        );
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, value);
        // The sanitiser of the line writer then has nothing left to change.
        assert_eq!(sanitize_output(&text), text);
    }

    #[test]
    fn clean_json_is_unchanged() {
        let value = serde_json::json!({"a": "plain ✓ 日本", "n": 3});
        assert_eq!(
            json_text(&value),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }

    #[test]
    fn lines_are_sanitised_and_end_with_a_newline() {
        let title = "x\u{1b}]2;owned\u{7}\u{9b}\u{202e}y";
        assert_eq!(
            format_line(format_args!("  {title}\tz")),
            "  x\u{241b}]2;owned\u{2407}\u{fffd}y\tz\n"
        );
    }
}
