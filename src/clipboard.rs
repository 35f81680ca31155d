//! Copying text to the system clipboard, write-only.
//!
//! OSC 52 is always sent: it works over SSH and inside tmux (when allowed),
//! and needs nothing installed. But the terminal never says whether it
//! honoured the request, so when the session is local and a clipboard tool
//! is installed we also hand the text to that tool. The clipboard is never
//! read: nothing here could leak what the user copied elsewhere.

use std::{
    fmt,
    io::{self, Read, Write},
    path::Path,
    process::{Child, Command, ExitStatus, Stdio},
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

use crossterm::{QueueableCommand, clipboard::CopyToClipboard};

/// How long [`query_tmux_set_clipboard`] may take: it runs once at startup
/// and must not stall it if the tmux server is wedged.
const TMUX_QUERY_TIMEOUT: Duration = Duration::from_millis(500);

/// Longest single wait between two `try_wait` polls of a child.
const POLL_STEP: Duration = Duration::from_millis(5);

/// How long to wait for the writer thread's result once the tool exited.
const WRITER_GRACE: Duration = Duration::from_millis(50);

/// The hint shown when tmux would swallow OSC 52.
pub const TMUX_HINT: &str = "tmux ignores it: run `tmux set -s set-clipboard on`";

/// Writes `text` to the terminal's clipboard (selection `c`) as OSC 52:
/// `ESC ] 52 ; c ; <base64> ESC \`, then flushes so it goes out between
/// frames rather than with the next one.
///
/// Write it to the same writer the UI draws to (the ratatui backend); the
/// sequence prints nothing, so the screen diff is undisturbed.
pub fn write_osc52(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.queue(CopyToClipboard::to_clipboard_from(text))?;
    out.flush()
}

/// How copies are made (config `clipboard`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ClipboardChoice {
    /// OSC 52, plus the platform tool when the session is local.
    #[default]
    Auto,
    /// OSC 52 only.
    Osc52,
    /// OSC 52, plus this program and its arguments (run without a shell,
    /// the text on its stdin).
    Command(Vec<String>),
}

/// Hands `text` to a command of the config (`argv[0]` the program), run
/// directly, never through a shell; see [`copy_with_tool`].
pub fn copy_with_command(argv: &[String], text: &str, timeout: Duration) -> Result<(), String> {
    let (program, args) = argv.split_first().ok_or("no clipboard command")?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_with_stdin(program, &args, text, timeout)
}

/// A platform clipboard program that reads the text on stdin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClipboardTool {
    WlCopy,
    Xclip,
    Xsel,
    Pbcopy,
}

impl ClipboardTool {
    /// The program to run, looked up on `PATH`.
    #[must_use]
    pub fn program(self) -> &'static str {
        match self {
            Self::WlCopy => "wl-copy",
            Self::Xclip => "xclip",
            Self::Xsel => "xsel",
            Self::Pbcopy => "pbcopy",
        }
    }

    /// Arguments that make the program put stdin on the clipboard (not the
    /// primary selection, which X tools default to).
    #[must_use]
    pub fn args(self) -> &'static [&'static str] {
        match self {
            Self::WlCopy | Self::Pbcopy => &[],
            Self::Xclip => &["-selection", "clipboard"],
            Self::Xsel => &["-b", "-i"],
        }
    }

    /// Picks the tool for this session, or `None` when there is no local
    /// display to copy to (over SSH the tool would fill the remote machine's
    /// clipboard, which the user cannot paste from; OSC 52 covers that case).
    ///
    /// `env` looks up an environment variable and `has_command` tells
    /// whether a program is on `PATH`; both are injected so the choice can
    /// be tested. See [`Self::detect_from_environment`] for the real ones.
    pub fn detect(
        env: &impl Fn(&str) -> Option<String>,
        has_command: &impl Fn(&str) -> bool,
    ) -> Option<Self> {
        detect_on(cfg!(target_os = "macos"), env, has_command)
    }

    /// [`Self::detect`] with the process environment and `PATH`.
    #[must_use]
    pub fn detect_from_environment() -> Option<Self> {
        Self::detect(&|name| std::env::var(name).ok(), &command_on_path)
    }
}

impl fmt::Display for ClipboardTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.program())
    }
}

/// [`ClipboardTool::detect`] with the platform passed in, so the macOS rows
/// of the table are testable everywhere.
fn detect_on(
    macos: bool,
    env: &impl Fn(&str) -> Option<String>,
    has_command: &impl Fn(&str) -> bool,
) -> Option<ClipboardTool> {
    let set = |name: &str| env(name).is_some_and(|value| !value.is_empty());
    if set("SSH_CONNECTION") || set("SSH_TTY") {
        return None;
    }
    let available = |tool: ClipboardTool| has_command(tool.program()).then_some(tool);
    if macos {
        return available(ClipboardTool::Pbcopy);
    }
    // XWayland sessions set both; a Wayland session without wl-copy can
    // still fall back to the X tools.
    if set("WAYLAND_DISPLAY")
        && let Some(tool) = available(ClipboardTool::WlCopy)
    {
        return Some(tool);
    }
    if set("DISPLAY") {
        return available(ClipboardTool::Xclip).or_else(|| available(ClipboardTool::Xsel));
    }
    None
}

/// Whether an executable file called `name` is in one of `PATH`'s folders.
#[must_use]
pub fn command_on_path(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| is_executable(&dir.join(name)))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Hands `text` to a clipboard tool: the program is run directly (never
/// through a shell, so nothing in the text or environment is interpreted),
/// with the text on stdin and stdout/stderr discarded.
///
/// wl-copy and xclip fork a child that keeps serving the selection; the
/// process we started exits once it has read stdin, so waiting for it is
/// short. If it takes longer than `timeout`, it is killed and an error
/// returned, so a hung tool can never freeze the UI.
pub fn copy_with_tool(tool: ClipboardTool, text: &str, timeout: Duration) -> Result<(), String> {
    run_with_stdin(tool.program(), tool.args(), text, timeout)
}

fn run_with_stdin(
    program: &str,
    args: &[&str],
    text: &str,
    timeout: Duration,
) -> Result<(), String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    // Write from another thread: a tool that stops reading would otherwise
    // block us on a full pipe, past any timeout. Dropping stdin at the end
    // of the thread sends EOF. The result comes back over a channel rather
    // than by joining, because a forked grandchild could hold the pipe open
    // and we must never wait on it unboundedly.
    let deadline = Instant::now() + timeout;
    let (sent, written) = mpsc::channel();
    if let Some(mut stdin) = child.stdin.take() {
        let text = text.to_owned();
        thread::spawn(move || {
            let _ = sent.send(stdin.write_all(text.as_bytes()));
        });
    } else {
        let _ = sent.send(Ok(()));
    }
    let status = wait_with_timeout(&mut child, timeout);
    match status {
        None => Err(format!(
            "{program} timed out after {} ms",
            timeout.as_millis()
        )),
        Some(Err(e)) => Err(format!("{program}: {e}")),
        Some(Ok(status)) if !status.success() => Err(format!("{program} failed ({status})")),
        Some(Ok(_)) => {
            // The child exited, so its end of the pipe is closed (unless a
            // fork kept it) and the writer is done or about to fail.
            let grace = deadline
                .saturating_duration_since(Instant::now())
                .max(WRITER_GRACE);
            match written.recv_timeout(grace) {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(format!("{program}: writing the text: {e}")),
                Err(_) => Err(format!("{program} stopped reading the text")),
            }
        }
    }
}

/// Polls the child until it exits or `timeout` passes; on timeout kills and
/// reaps it and returns `None`.
fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<io::Result<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(Ok(status)),
            Ok(None) => {}
            Err(e) => return Some(Err(e)),
        }
        let now = Instant::now();
        if now >= deadline {
            // Kill can fail only if it already exited; reap it either way.
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(POLL_STEP.min(deadline - now));
    }
}

/// Inside tmux with `set-clipboard off` or `external`, tmux ignores OSC 52
/// sent by applications and copies never arrive; returns a one-line hint
/// for the status bar then.
///
/// `tmux_option` is the value of tmux's `set-clipboard` (see
/// [`query_tmux_set_clipboard`]); when it is unknown we stay quiet rather
/// than nag about a problem that may not exist.
pub fn tmux_clipboard_hint(
    env: &impl Fn(&str) -> Option<String>,
    tmux_option: Option<&str>,
) -> Option<&'static str> {
    let in_tmux = env("TMUX").is_some_and(|v| !v.is_empty());
    let ignores_applications = matches!(tmux_option.map(str::trim), Some("off" | "external"));
    (in_tmux && ignores_applications).then_some(TMUX_HINT)
}

/// Asks the running tmux server for its `set-clipboard` value by running
/// `tmux show -sv set-clipboard` (no shell). `None` if tmux is missing,
/// fails or takes longer than half a second. Call once at startup, and only
/// when `TMUX` is set.
#[must_use]
pub fn query_tmux_set_clipboard() -> Option<String> {
    let mut child = Command::new("tmux")
        .args(["show", "-sv", "set-clipboard"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // The answer is one short line, far below a pipe's buffer, so the child
    // can exit before we read it.
    let status = wait_with_timeout(&mut child, TMUX_QUERY_TIMEOUT)?.ok()?;
    if !status.success() {
        return None;
    }
    let mut value = String::new();
    child.stdout.take()?.read_to_string(&mut value).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// What a copy did, for the status bar. OSC 52 can only be reported as sent:
/// the terminal never confirms it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CopyReport {
    /// The OSC 52 sequence was written.
    pub osc52: bool,
    /// The platform tool that was run, if any.
    pub tool: Option<ClipboardTool>,
    /// Why the tool failed, if it did.
    pub tool_error: Option<String>,
}

impl CopyReport {
    /// The status-bar line for a copy of `what`. With a tmux hint the
    /// hint takes the room of the copied text: it is what needs doing.
    #[must_use]
    pub fn message(&self, what: &str, tmux_hint: Option<&str>) -> String {
        match tmux_hint {
            Some(hint) => format!("Copied ({}) · {hint}", self.describe()),
            None => format!("Copied {what} ({})", self.describe()),
        }
    }

    /// Worth a warning: a tool failed, or tmux will drop the copy.
    #[must_use]
    pub fn is_warning(&self, tmux_hint: Option<&str>) -> bool {
        self.tool_error.is_some() || tmux_hint.is_some()
    }

    /// `OSC 52 + wl-copy`, `OSC 52`, `OSC 52; xclip failed: …`, and so on.
    #[must_use]
    pub fn describe(&self) -> String {
        let tool = self.tool.map_or("clipboard tool", ClipboardTool::program);
        let mut parts: Vec<String> = Vec::new();
        if self.osc52 {
            parts.push("OSC 52".to_owned());
        }
        match (&self.tool_error, self.tool) {
            (Some(error), _) => {
                let failed = format!("{tool} failed: {error}");
                return if parts.is_empty() {
                    failed
                } else {
                    format!("{}; {failed}", parts.join(" + "))
                };
            }
            (None, Some(tool)) => parts.push(tool.program().to_owned()),
            (None, None) => {}
        }
        if parts.is_empty() {
            "nothing copied".to_owned()
        } else {
            parts.join(" + ")
        }
    }
}

/// Copies `text` every way available: OSC 52 to `out`, then `tool` (from
/// [`ClipboardTool::detect`]) if given. Errors are collected in the report,
/// never raised: a failed copy must not end the session.
pub fn copy(
    out: &mut impl Write,
    text: &str,
    tool: Option<ClipboardTool>,
    timeout: Duration,
) -> CopyReport {
    let osc52 = write_osc52(out, text).is_ok();
    let tool_error = tool.and_then(|tool| copy_with_tool(tool, text, timeout).err());
    CopyReport {
        osc52,
        tool,
        tool_error,
    }
}

#[cfg(test)]
mod tests;
