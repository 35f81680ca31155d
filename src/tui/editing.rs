//! Handing the terminal to an editor (`e`) and taking it back.

use std::{path::Path, process::Command, sync::atomic::Ordering};

use super::{EDITING, Term, restore, resume};

/// Runs the editor for `path` at `line` in the foreground, the terminal
/// given back to it meanwhile, and redraws after. Returns why it failed
/// (no editor, a non-zero exit), in words for the status bar; the
/// terminal is taken back whatever happened.
pub(super) fn run_editor(terminal: &mut Term, path: &Path, line: u32) -> Option<String> {
    let env = |name: &str| std::env::var(name).ok();
    let argv = match crate::editor::command(
        env("VISUAL").as_deref(),
        env("EDITOR").as_deref(),
        path,
        line,
    ) {
        Ok(argv) => argv,
        Err(error) => return Some(format!("Cannot start the editor: {error}")),
    };
    // Its file name only: the status bar is one line.
    let program = Path::new(&argv[0])
        .file_name()
        .unwrap_or(argv[0].as_os_str())
        .to_string_lossy()
        .into_owned();
    restore();
    // The editor owns the terminal: a Ctrl-C in it (in a line-mode editor)
    // reaches this process too, and must not end the browser.
    EDITING.store(true, Ordering::Relaxed);
    let status = Command::new(&argv[0]).args(&argv[1..]).status();
    EDITING.store(false, Ordering::Relaxed);
    let resumed = resume(terminal);
    let program = crate::text::sanitize_inline(&program).into_owned();
    let failure = match status {
        Ok(status) if status.success() => None,
        Ok(status) => Some(format!("The editor {program} exited with {status}")),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Some(format!(
            "Editor {program} not found: set $VISUAL or $EDITOR"
        )),
        Err(error) => Some(format!("Cannot start the editor {program}: {error}")),
    };
    match resumed {
        Ok(()) => failure,
        Err(error) => Some(format!("Could not take the terminal back: {error}")),
    }
}
