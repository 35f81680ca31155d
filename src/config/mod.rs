//! The config file: `config.toml` in the platform's config folder
//! (`$XDG_CONFIG_HOME/vidwiki/` on Linux), or the file `--config` or
//! `VIDWIKI_CONFIG` names.
//!
//! Every key is optional; an absent key keeps the default, which is how
//! vidwiki behaves without a file. A broken file (bad TOML, unknown key,
//! wrong type, unknown action, key or colour name) is an error naming the
//! file, line and column: the program does not start with half a config.
//! Flags override the file, the file overrides the defaults.
//!
//! This module sits beside `cli/`: it reads files, and hands `app/` and
//! `tui.rs` plain values (a [`Keymap`], a [`Theme`], a [`CopyFormat`]).

pub mod keys;
mod load;
pub mod reference;

use std::{collections::BTreeMap, fmt, path::PathBuf};

use serde::Deserialize;
use toml::Spanned;

pub use load::{ConfigError, Located, load, locate};

use crate::{
    app::{CopyFormat, keymap::Keymap, layout::PaneWidths},
    clipboard::ClipboardChoice,
    theme::Theme,
};

/// The file as written: every key optional, none unknown.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    vault: Option<PathBuf>,
    theme: Option<Spanned<String>>,
    start: Option<StartOn>,
    hyperlinks: Option<Hyperlinks>,
    literal_times: Option<bool>,
    clipboard: Option<Spanned<ClipboardFile>>,
    copy: Option<CopyFile>,
    panes: Option<PanesFile>,
    keys: Option<KeyTables>,
}

/// `[keys.CONTEXT]` tables of `action = keys`, with their places in the file.
type KeyTables = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<keys::KeyList>>>;

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum ClipboardFile {
    Mode(String),
    Command(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CopyFile {
    link: Option<LinkForm>,
    markdown: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PanesFile {
    outline_width: Option<Spanned<u16>>,
    links_width: Option<Spanned<u16>>,
}

/// Which timestamp link `y` copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkForm {
    /// `https://youtu.be/ID?t=S`
    Short,
    /// `https://www.youtube.com/watch?v=ID&t=Ss`
    Long,
}

/// Where the browser starts when no note is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StartOn {
    /// The note read last (saved state).
    #[default]
    LastNote,
    /// The vault's home page.
    Home,
}

/// Whether timestamps and web links are OSC 8 hyperlinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hyperlinks {
    /// On, except inside tmux and on terminals known to garble them.
    #[default]
    Auto,
    Always,
    Never,
}

impl Hyperlinks {
    /// Whether links are drawn, `env` being the process environment:
    /// `auto` is off inside tmux (`TMUX`), on the Linux console and on dumb
    /// terminals, which print the sequence or mangle the line.
    #[must_use]
    pub fn enabled(self, env: &impl Fn(&str) -> Option<String>) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => {
                let in_tmux = env("TMUX").is_some_and(|v| !v.is_empty());
                let term = env("TERM").unwrap_or_default();
                !in_tmux && !matches!(term.as_str(), "" | "linux" | "dumb" | "vt100" | "vt220")
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Always => "always",
            Self::Never => "never",
        }
    }
}

/// The theme in force: a fixed palette, or `auto` (dark or light after
/// the terminal's background, asked at start-up by `tui.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeChoice {
    Fixed(Box<Theme>),
    Auto,
}

/// Where a value of the effective configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    Flag(&'static str),
    Env(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::File(path) => write!(f, "{}", path.display()),
            Self::Flag(flag) => write!(f, "flag {flag}"),
            Self::Env(name) => write!(f, "environment {name}"),
        }
    }
}

/// The effective configuration: defaults, then the file, then flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The vault opened when none is named (`None`: `notes`, or the
    /// current folder).
    pub vault: Option<PathBuf>,
    pub theme_name: String,
    pub theme: ThemeChoice,
    pub start: StartOn,
    pub hyperlinks: Hyperlinks,
    /// Read every time as written, no per-note inference of MM:SS:FF.
    pub literal_times: bool,
    pub clipboard: ClipboardChoice,
    pub copy: CopyFormat,
    pub panes: PaneWidths,
    pub keymap: Keymap,
    /// The file's `[keys.*]` lines, as `(context, action, keys)`, for
    /// `vidwiki config`.
    pub rebindings: Vec<(String, String, String)>,
    /// Where each top-level value came from, by its key.
    pub origins: BTreeMap<&'static str, Origin>,
    /// The file read, if one was.
    pub file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            vault: None,
            theme_name: "dark".to_owned(),
            theme: ThemeChoice::Fixed(Box::default()),
            start: StartOn::LastNote,
            hyperlinks: Hyperlinks::Auto,
            literal_times: false,
            clipboard: ClipboardChoice::Auto,
            copy: CopyFormat::default(),
            panes: PaneWidths::default(),
            keymap: Keymap::default(),
            rebindings: Vec::new(),
            origins: BTreeMap::new(),
            file: None,
        }
    }
}

/// What the command line says about values the file can also set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--home`.
    pub home: bool,
    /// `--literal-times`.
    pub literal_times: bool,
    /// The vault named by an argument, `--vault`, or `VIDWIKI_VAULT`.
    pub vault: Option<(PathBuf, Origin)>,
}

/// Every top-level key of the file, in the order `vidwiki config` prints.
pub const KEYS: [&str; 11] = [
    "vault",
    "theme",
    "start",
    "hyperlinks",
    "literal_times",
    "clipboard",
    "copy.link",
    "copy.markdown",
    "panes.outline_width",
    "panes.links_width",
    "keys",
];

impl Config {
    /// Where the value of `key` came from.
    #[must_use]
    pub fn origin(&self, key: &str) -> Origin {
        self.origins.get(key).cloned().unwrap_or(Origin::Default)
    }

    /// Lays the command line's values over the file's.
    pub fn apply(&mut self, overrides: &Overrides) {
        if overrides.home {
            self.start = StartOn::Home;
            self.origins.insert("start", Origin::Flag("--home"));
        }
        if overrides.literal_times {
            self.literal_times = true;
            self.origins
                .insert("literal_times", Origin::Flag("--literal-times"));
        }
        if let Some((vault, origin)) = &overrides.vault {
            self.vault = Some(vault.clone());
            self.origins.insert("vault", origin.clone());
        }
    }

    /// The effective configuration as TOML lines with where each value came
    /// from, for `vidwiki config`. Every piece of file text in it is made
    /// one plain line (the printer sanitises again).
    #[must_use]
    pub fn describe(&self) -> String {
        let quote = |s: &str| toml_string(s);
        let origin = |key: &str| format!("  # {}", self.origin(key));
        let mut out = String::new();
        match &self.file {
            Some(path) => out.push_str(&format!("# config file: {}\n", path.display())),
            None => out.push_str("# no config file: every value is a default\n"),
        }
        let vault = self.vault.as_ref().map_or_else(
            || "# vault: not set (`notes`, or the current folder)".to_owned(),
            |v| format!("vault = {}", quote(&v.to_string_lossy())),
        );
        let width = |w: Option<u16>| w.map_or_else(|| "\"auto\"".to_owned(), |w| w.to_string());
        let lines = [
            ("vault", vault),
            ("theme", format!("theme = {}", quote(&self.theme_name))),
            (
                "start",
                format!(
                    "start = {}",
                    quote(match self.start {
                        StartOn::LastNote => "last-note",
                        StartOn::Home => "home",
                    })
                ),
            ),
            (
                "hyperlinks",
                format!("hyperlinks = {}", quote(self.hyperlinks.name())),
            ),
            (
                "literal_times",
                format!("literal_times = {}", self.literal_times),
            ),
            (
                "clipboard",
                format!("clipboard = {}", clipboard_toml(&self.clipboard)),
            ),
        ];
        for (key, line) in lines {
            out.push_str(&format!("{line}{}\n", origin(key)));
        }
        out.push_str("\n[copy]\n");
        let link = if self.copy.long_links {
            "long"
        } else {
            "short"
        };
        out.push_str(&format!("link = {}{}\n", quote(link), origin("copy.link")));
        out.push_str(&format!(
            "markdown = {}{}\n",
            quote(&self.copy.markdown),
            origin("copy.markdown")
        ));
        out.push_str("\n[panes]\n");
        out.push_str(&format!(
            "# outline_width = {}{}\n",
            width(self.panes.outline),
            origin("panes.outline_width")
        ));
        out.push_str(&format!(
            "# links_width = {}{}\n",
            width(self.panes.links),
            origin("panes.links_width")
        ));
        if self.rebindings.is_empty() {
            out.push_str("\n# keys: the default table (`vidwiki config --default` lists it)\n");
        } else {
            let mut context = "";
            for (ctx, action, keys) in &self.rebindings {
                if ctx != context {
                    out.push_str(&format!("\n[keys.{ctx}]{}\n", origin("keys")));
                    context = ctx;
                }
                out.push_str(&format!("{action} = {keys}\n"));
            }
        }
        out
    }
}

/// A TOML basic string (quotes and backslashes escaped, controls as
/// `\u` escapes, so nothing in it acts on a terminal).
#[must_use]
pub fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if crate::text::is_terminal_control(c) || crate::text::is_bidi_control(c) => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn clipboard_toml(choice: &ClipboardChoice) -> String {
    match choice {
        ClipboardChoice::Auto => "\"auto\"".to_owned(),
        ClipboardChoice::Osc52 => "\"osc52\"".to_owned(),
        ClipboardChoice::Command(argv) => format!(
            "[{}]",
            argv.iter()
                .map(|a| toml_string(a))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests;
