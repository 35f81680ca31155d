//! Syntax highlighting of fenced code blocks (syntect, pure-Rust regexes).
//!
//! The grammars and themes are loaded on first use only (a `OnceLock`),
//! when a block with a known language is drawn: start-up and notes without
//! code never pay for them. A block too large, or with a line too long,
//! is drawn plain: highlighting stays bounded whatever a note holds
//! (fancy-regex also caps each match's backtracking).

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use syntect::{
    easy::HighlightLines,
    highlighting::{FontStyle, Theme as SyntaxTheme, ThemeSet},
    parsing::{SyntaxReference, SyntaxSet},
};

/// Blocks larger than this are drawn plain.
pub const MAX_BLOCK_BYTES: usize = 32 * 1024;
/// A block with a line longer than this is drawn plain.
pub const MAX_LINE_CHARS: usize = 400;

struct Highlighter {
    syntaxes: SyntaxSet,
    theme: SyntaxTheme,
}

static HIGHLIGHTER: OnceLock<Option<Highlighter>> = OnceLock::new();

fn highlighter() -> Option<&'static Highlighter> {
    HIGHLIGHTER
        .get_or_init(|| {
            let syntaxes = SyntaxSet::load_defaults_newlines();
            let mut themes = ThemeSet::load_defaults();
            let theme = themes.themes.remove("base16-ocean.dark")?;
            Some(Highlighter { syntaxes, theme })
        })
        .as_ref()
}

/// Whether the grammars have been loaded (start-up must not load them).
#[must_use]
pub fn is_loaded() -> bool {
    HIGHLIGHTER.get().is_some()
}

/// The language label of a fence's info string (`rust,ignore` → `rust`).
#[must_use]
pub fn language(info: &str) -> Option<&str> {
    let word = info
        .trim_start()
        .split([',', ' ', '\t', '{'])
        .next()
        .unwrap_or("")
        .trim();
    (!word.is_empty()).then_some(word)
}

/// Whether `code` is small and tame enough to highlight.
#[must_use]
pub fn within_limits(code: &str) -> bool {
    code.len() <= MAX_BLOCK_BYTES
        && code
            .split('\n')
            .all(|line| line.len() <= MAX_LINE_CHARS || line.chars().count() <= MAX_LINE_CHARS)
}

/// Styled runs of each line of `code` in `language`, or `None` when the
/// language is unknown or the block is over the limits (then it is drawn
/// plain). `base` is the block's own style, patched by the colours found.
#[must_use]
pub fn highlight(code: &str, language: &str, base: Style) -> Option<Vec<Vec<(Style, String)>>> {
    if !within_limits(code) {
        return None;
    }
    let h = highlighter()?;
    let syntax: &SyntaxReference = h
        .syntaxes
        .find_syntax_by_token(language)
        .or_else(|| h.syntaxes.find_syntax_by_extension(language))?;
    let mut lines = HighlightLines::new(syntax, &h.theme);
    let mut out = Vec::new();
    for line in code.split('\n') {
        let with_newline = format!("{line}\n");
        let ranges = lines.highlight_line(&with_newline, &h.syntaxes).ok()?;
        out.push(
            ranges
                .into_iter()
                .map(|(style, text)| {
                    let fg = style.foreground;
                    let mut look = base.fg(Color::Rgb(fg.r, fg.g, fg.b));
                    if style.font_style.contains(FontStyle::BOLD) {
                        look = look.add_modifier(Modifier::BOLD);
                    }
                    if style.font_style.contains(FontStyle::ITALIC) {
                        look = look.add_modifier(Modifier::ITALIC);
                    }
                    (look, text.trim_end_matches('\n').to_owned())
                })
                .filter(|(_, text)| !text.is_empty())
                .collect(),
        );
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_info_string_names_the_language() {
        assert_eq!(language("rust,ignore"), Some("rust"));
        assert_eq!(language(" python {.numberLines}"), Some("python"));
        assert_eq!(language(""), None);
    }

    #[test]
    fn known_languages_get_colours_and_keep_their_text() {
        let code = "fn main() {\n    let x = \"hi\";\n}";
        let lines = highlight(code, "rust", Style::new()).expect("rust is known");
        assert_eq!(lines.len(), 3);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(text, ["fn main() {", "    let x = \"hi\";", "}"]);
        let colours: std::collections::HashSet<_> =
            lines.iter().flatten().map(|(s, _)| s.fg).collect();
        assert!(colours.len() > 1, "more than one colour");
        assert!(highlight(code, "no-such-language", Style::new()).is_none());
    }

    #[test]
    fn hostile_blocks_are_drawn_plain() {
        let long_line = "a".repeat(MAX_LINE_CHARS + 1);
        assert!(highlight(&long_line, "rust", Style::new()).is_none());
        let big = "x = 1\n".repeat(MAX_BLOCK_BYTES / 6 + 1);
        assert!(highlight(&big, "python", Style::new()).is_none());
        // Just under the limits: done, line for line.
        let ok = "(".repeat(MAX_LINE_CHARS);
        assert_eq!(
            highlight(&ok, "rust", Style::new()).map(|l| l.len()),
            Some(1)
        );
    }
}
