//! Tests of `clipboard.rs`, kept in their own file.

use std::collections::HashMap;

use super::*;

#[test]
fn copy_messages_say_what_and_how_or_what_to_do() {
    let report = CopyReport {
        osc52: true,
        tool: None,
        tool_error: None,
    };
    assert_eq!(
        report.message("https://youtu.be/x", None),
        "Copied https://youtu.be/x (OSC 52)"
    );
    assert!(!report.is_warning(None));
    let hinted = report.message("https://youtu.be/x", Some(TMUX_HINT));
    assert_eq!(hinted, format!("Copied (OSC 52) · {TMUX_HINT}"));
    assert!(hinted.chars().count() < 80, "fits a status bar: {hinted}");
    assert!(report.is_warning(Some(TMUX_HINT)));
}

#[test]
fn osc52_bytes_are_exact() {
    let mut out = Vec::new();
    write_osc52(&mut out, "foo").expect("write to a Vec");
    // crossterm ends the sequence with ST (`ESC \`), not BEL.
    assert_eq!(out, b"\x1b]52;c;Zm9v\x1b\\");
}

#[test]
fn osc52_encodes_utf8_and_empty_text() {
    let mut out = Vec::new();
    write_osc52(&mut out, "https://youtu.be/dQw4w9WgXcQ?t=67 — é").expect("write to a Vec");
    assert_eq!(
        out,
        b"\x1b]52;c;aHR0cHM6Ly95b3V0dS5iZS9kUXc0dzlXZ1hjUT90PTY3IOKAlCDDqQ==\x1b\\"
    );

    let mut out = Vec::new();
    write_osc52(&mut out, "").expect("write to a Vec");
    assert_eq!(out, b"\x1b]52;c;\x1b\\");
}

/// Control characters in the text are base64-encoded, never raw.
#[test]
fn osc52_never_passes_control_bytes_through() {
    let mut out = Vec::new();
    write_osc52(&mut out, "\x1b]0;pwned\x07").expect("write to a Vec");
    assert_eq!(out.iter().filter(|&&b| b == 0x1b).count(), 2);
    assert!(!out.contains(&0x07));
}

fn detect_with(macos: bool, vars: &[(&str, &str)], installed: &[&str]) -> Option<ClipboardTool> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    detect_on(macos, &|name| vars.get(name).cloned(), &|program| {
        installed.contains(&program)
    })
}

/// macOS?, environment, installed programs, expected tool.
type Row<'a> = (
    bool,
    &'a [(&'a str, &'a str)],
    &'a [&'a str],
    Option<ClipboardTool>,
);

#[test]
fn detect_table() {
    use ClipboardTool::*;
    let all = ["wl-copy", "xclip", "xsel", "pbcopy"];
    let rows: &[Row] = &[
        // Linux, local.
        (
            false,
            &[("WAYLAND_DISPLAY", "wayland-0")],
            &all,
            Some(WlCopy),
        ),
        (
            false,
            &[("WAYLAND_DISPLAY", "wayland-0"), ("DISPLAY", ":0")],
            &all,
            Some(WlCopy),
        ),
        (
            false,
            &[("WAYLAND_DISPLAY", "wayland-0"), ("DISPLAY", ":0")],
            &["xsel"],
            Some(Xsel),
        ),
        (false, &[("WAYLAND_DISPLAY", "wayland-0")], &["xclip"], None),
        (false, &[("DISPLAY", ":0")], &all, Some(Xclip)),
        (false, &[("DISPLAY", ":0")], &["xsel"], Some(Xsel)),
        (false, &[("DISPLAY", ":0")], &["wl-copy"], None),
        (false, &[("DISPLAY", ":0")], &[], None),
        // No display: a console or a container.
        (false, &[], &all, None),
        (
            false,
            &[("DISPLAY", ""), ("WAYLAND_DISPLAY", "")],
            &all,
            None,
        ),
        // Over SSH, even with X forwarding.
        (
            false,
            &[
                ("DISPLAY", "localhost:10.0"),
                ("SSH_CONNECTION", "1.2.3.4 5 6.7.8.9 22"),
            ],
            &all,
            None,
        ),
        (
            false,
            &[("WAYLAND_DISPLAY", "wayland-0"), ("SSH_TTY", "/dev/pts/3")],
            &all,
            None,
        ),
        (
            false,
            &[("DISPLAY", ":0"), ("SSH_TTY", "")],
            &all,
            Some(Xclip),
        ),
        // macOS.
        (true, &[], &all, Some(Pbcopy)),
        (true, &[("DISPLAY", ":0")], &all, Some(Pbcopy)),
        (true, &[], &["xclip"], None),
        (true, &[("SSH_CONNECTION", "x")], &all, None),
    ];
    for (i, (macos, vars, installed, expected)) in rows.iter().enumerate() {
        assert_eq!(
            detect_with(*macos, vars, installed),
            *expected,
            "row {i}: {vars:?} {installed:?}"
        );
    }
}

#[test]
fn tools_read_stdin_into_the_clipboard_selection() {
    assert_eq!(ClipboardTool::Xclip.args(), ["-selection", "clipboard"]);
    assert_eq!(ClipboardTool::Xsel.args(), ["-b", "-i"]);
    assert!(ClipboardTool::WlCopy.args().is_empty());
    assert_eq!(ClipboardTool::WlCopy.to_string(), "wl-copy");
}

#[test]
fn tmux_hint_only_when_inside_tmux_with_clipboard_off_or_external() {
    let tmux = |name: &str| (name == "TMUX").then(|| "/tmp/tmux-1000/default,1234,0".to_owned());
    let plain = |_: &str| None;
    assert_eq!(tmux_clipboard_hint(&tmux, Some("off")), Some(TMUX_HINT));
    assert_eq!(tmux_clipboard_hint(&tmux, Some("off\n")), Some(TMUX_HINT));
    assert_eq!(tmux_clipboard_hint(&tmux, Some("on")), None);
    assert_eq!(
        tmux_clipboard_hint(&tmux, Some("external")),
        Some(TMUX_HINT)
    );
    assert_eq!(tmux_clipboard_hint(&tmux, None), None);
    assert_eq!(tmux_clipboard_hint(&plain, Some("off")), None);
}

#[test]
fn describe() {
    let report = |osc52, tool, error: Option<&str>| CopyReport {
        osc52,
        tool,
        tool_error: error.map(str::to_owned),
    };
    let cases = [
        (
            report(true, Some(ClipboardTool::WlCopy), None),
            "OSC 52 + wl-copy",
        ),
        (report(true, None, None), "OSC 52"),
        (
            report(
                true,
                Some(ClipboardTool::Xclip),
                Some("timed out after 500 ms"),
            ),
            "OSC 52; xclip failed: timed out after 500 ms",
        ),
        (report(false, Some(ClipboardTool::Pbcopy), None), "pbcopy"),
        (
            report(false, Some(ClipboardTool::Xsel), Some("boom")),
            "xsel failed: boom",
        ),
        (
            report(false, None, Some("boom")),
            "clipboard tool failed: boom",
        ),
        (report(false, None, None), "nothing copied"),
    ];
    for (report, expected) in cases {
        assert_eq!(report.describe(), expected);
    }
}

// The runner is tested with ordinary Unix programs standing in for the
// clipboard tools.

#[cfg(unix)]
#[test]
fn runner_succeeds_when_the_program_reads_and_exits() {
    assert_eq!(
        run_with_stdin("cat", &[], "hello", Duration::from_secs(5)),
        Ok(())
    );
    // More than a pipe buffer: the writer thread keeps us from blocking.
    let big = "x".repeat(1 << 20);
    assert_eq!(
        run_with_stdin("cat", &[], &big, Duration::from_secs(5)),
        Ok(())
    );
}

#[cfg(unix)]
#[test]
fn runner_reports_failure_and_missing_programs() {
    let failed =
        run_with_stdin("false", &[], "x", Duration::from_secs(5)).expect_err("false fails");
    assert!(failed.starts_with("false failed"), "{failed}");
    let missing = run_with_stdin("vidwiki-no-such-tool", &[], "x", Duration::from_secs(1))
        .expect_err("missing");
    assert!(missing.starts_with("vidwiki-no-such-tool: "), "{missing}");
    let missing = copy_with_tool(ClipboardTool::Pbcopy, "x", Duration::from_secs(1));
    if !command_on_path("pbcopy") {
        assert!(missing.is_err());
    }
}

#[cfg(unix)]
#[test]
fn runner_kills_a_hung_program() {
    // `sleep` never reads stdin; with 4 MiB queued the writer blocks too.
    let big = "x".repeat(4 << 20);
    let started = Instant::now();
    let result = run_with_stdin("sleep", &["30"], &big, Duration::from_millis(100));
    assert_eq!(result, Err("sleep timed out after 100 ms".to_owned()));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[cfg(unix)]
#[test]
fn command_lookup() {
    assert!(command_on_path("sh"));
    assert!(!command_on_path("vidwiki-no-such-tool"));
}

#[test]
fn copy_reports_both_channels() {
    let mut out = Vec::new();
    let report = copy(&mut out, "t", None, Duration::from_secs(1));
    assert_eq!(report.describe(), "OSC 52");
    assert!(out.starts_with(b"\x1b]52;c;"));
}
