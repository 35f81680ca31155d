//! Which program edits a note, and the arguments that put it at a line.
//! Pure: the environment comes in as values, an argument vector comes out;
//! `tui` runs it (without a shell) while the terminal is given back.

use std::{ffi::OsString, path::Path};

/// The editor used when neither `$VISUAL` nor `$EDITOR` is set: `vi` is
/// on every Unix system (Windows has no terminal editor to count on).
pub const DEFAULT_EDITOR: &str = if cfg!(windows) { "notepad" } else { "vi" };

/// How an editor is told the line to start at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineStyle {
    /// `editor +LINE file` (vi, vim, nvim, nano, kakoune, emacs, micro…).
    Plus,
    /// `editor file:LINE` (helix, Sublime Text, Zed).
    Suffix,
    /// `code -g file:LINE` (VS Code and its forks).
    Goto,
    /// No known way: the file alone.
    None,
}

/// The style for a program, from its file name.
fn style_of(program: &str) -> LineStyle {
    let name = Path::new(program)
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match name.as_str() {
        "hx" | "helix" | "subl" | "sublime_text" | "zed" | "zeditor" => LineStyle::Suffix,
        "code" | "code-insiders" | "codium" | "vscodium" | "cursor" | "windsurf" => LineStyle::Goto,
        "notepad" => LineStyle::None,
        // vi, vim, nvim, nano, kak, emacs, micro, joe, mg, ed and most
        // others take `+LINE FILE`; so does an editor we do not know.
        _ => LineStyle::Plus,
    }
}

/// Why no editor command could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditorError {
    #[error("cannot read ${var} ({value}): {why}")]
    Unparsable {
        var: &'static str,
        value: String,
        why: String,
    },
    #[error("${var} is set but names no program")]
    Empty { var: &'static str },
}

/// The argument vector that opens `file` at `line` (1-based) in the editor
/// named by `visual`, else `editor`, else [`DEFAULT_EDITOR`]. The variable
/// is split like a shell would split words (quotes, backslashes) but never
/// run by one, so a note's path cannot inject a command.
pub fn command(
    visual: Option<&str>,
    editor: Option<&str>,
    file: &Path,
    line: u32,
) -> Result<Vec<OsString>, EditorError> {
    let chosen = [("VISUAL", visual), ("EDITOR", editor)]
        .into_iter()
        .find_map(|(var, value)| {
            value
                .filter(|v| !v.trim().is_empty())
                .map(|value| (var, value))
        });
    let words = match chosen {
        Some((var, value)) => {
            let words = shell_words::split(value).map_err(|error| EditorError::Unparsable {
                var,
                value: crate::text::sanitize_inline(value).into_owned(),
                why: error.to_string(),
            })?;
            if words.first().is_none_or(String::is_empty) {
                return Err(EditorError::Empty { var });
            }
            words
        }
        None => vec![DEFAULT_EDITOR.to_owned()],
    };
    let line = line.max(1);
    let mut argv: Vec<OsString> = words.iter().map(OsString::from).collect();
    let with_line = |file: &Path| {
        let mut arg = file.as_os_str().to_owned();
        arg.push(format!(":{line}"));
        arg
    };
    match style_of(&words[0]) {
        LineStyle::Plus => {
            argv.push(format!("+{line}").into());
            argv.push(file.as_os_str().to_owned());
        }
        LineStyle::Suffix => argv.push(with_line(file)),
        LineStyle::Goto => {
            argv.push("-g".into());
            argv.push(with_line(file));
        }
        LineStyle::None => argv.push(file.as_os_str().to_owned()),
    }
    Ok(argv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(visual: Option<&str>, editor: Option<&str>) -> Vec<String> {
        command(visual, editor, Path::new("/v/a note.md"), 12)
            .unwrap()
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn visual_wins_then_editor_then_the_default() {
        assert_eq!(
            args(Some("nvim"), Some("nano")),
            ["nvim", "+12", "/v/a note.md"]
        );
        assert_eq!(args(None, Some("nano")), ["nano", "+12", "/v/a note.md"]);
        assert_eq!(args(Some("  "), None)[0], DEFAULT_EDITOR);
        assert_eq!(args(None, None)[0], DEFAULT_EDITOR);
    }

    #[test]
    fn each_editor_gets_the_line_its_way() {
        assert_eq!(args(Some("hx"), None), ["hx", "/v/a note.md:12"]);
        assert_eq!(
            args(Some("/usr/bin/subl -w"), None),
            ["/usr/bin/subl", "-w", "/v/a note.md:12"]
        );
        assert_eq!(
            args(Some("code --wait"), None),
            ["code", "--wait", "-g", "/v/a note.md:12"]
        );
        assert_eq!(
            args(Some("emacsclient -t"), None),
            ["emacsclient", "-t", "+12", "/v/a note.md"]
        );
        assert_eq!(args(Some("kak"), None), ["kak", "+12", "/v/a note.md"]);
    }

    #[test]
    fn the_variable_is_split_like_shell_words_but_not_run_by_a_shell() {
        assert_eq!(
            args(Some("'/opt/my editor/ed it' --flag \"a b\""), None),
            [
                "/opt/my editor/ed it",
                "--flag",
                "a b",
                "+12",
                "/v/a note.md"
            ]
        );
        // A `;` is only a character of an argument: nothing is run after it.
        assert_eq!(
            args(Some("vim; rm -rf x"), None),
            ["vim;", "rm", "-rf", "x", "+12", "/v/a note.md"]
        );
        assert!(matches!(
            command(Some("vim 'unclosed"), None, Path::new("x"), 1),
            Err(EditorError::Unparsable { var: "VISUAL", .. })
        ));
        assert_eq!(args(Some("vi"), None)[1], "+12", "line numbers start at 1");
        assert_eq!(
            command(Some("vi"), None, Path::new("x"), 0).unwrap()[1],
            "+1"
        );
    }
}
