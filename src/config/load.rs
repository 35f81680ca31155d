//! Finding the config file, reading it, and turning it into a [`Config`],
//! with errors that name the file, the line and the column.

use std::{
    fmt,
    ops::Range,
    path::{Path, PathBuf},
};

use super::{ClipboardFile, Config, File, LinkForm, Origin, ThemeChoice, keys, toml_string};
use crate::clipboard::ClipboardChoice;

/// The config file to read, and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: PathBuf,
    /// Named by `--config` or `VIDWIKI_CONFIG`: it must exist. The
    /// default location may hold no file (then defaults apply).
    pub explicit: bool,
}

/// Picks the config file: `--config FILE`, else `VIDWIKI_CONFIG`, else
/// `$XDG_CONFIG_HOME/vidwiki/config.toml` when that variable is set (on
/// every platform: tests and XDG users rely on it), else the platform's
/// config folder. `env` looks up the environment (injected for tests).
#[must_use]
pub fn locate(flag: Option<&Path>, env: &impl Fn(&str) -> Option<String>) -> Option<Located> {
    if let Some(path) = flag {
        return Some(Located {
            path: path.to_owned(),
            explicit: true,
        });
    }
    if let Some(path) = env("VIDWIKI_CONFIG").filter(|v| !v.is_empty()) {
        return Some(Located {
            path: PathBuf::from(path),
            explicit: true,
        });
    }
    let folder = match env("XDG_CONFIG_HOME").filter(|v| Path::new(v).is_absolute()) {
        Some(home) => PathBuf::from(home).join("vidwiki"),
        None => directories::ProjectDirs::from("", "", "vidwiki")?
            .config_dir()
            .to_owned(),
    };
    Some(Located {
        path: folder.join("config.toml"),
        explicit: false,
    })
}

/// A config problem: the file, where in it (line and column from 1), and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = crate::text::sanitize_inline(&self.message);
        match self.at {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {message}", self.path.display()),
            None => write!(f, "{}: {message}", self.path.display()),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Line and column (from 1, columns in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Reads the located file (if any) into the effective configuration. No
/// file at the default location is no error; any other problem is.
pub fn load(located: Option<&Located>) -> Result<Config, ConfigError> {
    let Some(located) = located else {
        return Ok(Config::default());
    };
    let path = &located.path;
    let text = match read_small_file(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !located.explicit => {
            return Ok(Config::default());
        }
        Err(error) => {
            return Err(ConfigError {
                path: path.clone(),
                at: None,
                message: format!("cannot read the config file: {error}"),
            });
        }
    };
    let themes = path
        .parent()
        .map_or_else(|| PathBuf::from("themes"), |dir| dir.join("themes"));
    parse(&text, path, &themes)
}

/// Largest config or theme file read: far above any real one.
const MAX_FILE: u64 = 1 << 20;

/// Reads a config or theme file: a regular file (a named pipe or device
/// would block start-up) of at most [`MAX_FILE`] bytes.
fn read_small_file(path: &Path) -> std::io::Result<String> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_FILE {
        return Err(std::io::Error::other("larger than 1 MiB"));
    }
    std::fs::read_to_string(path)
}

/// Parses config text read from `path`; user themes are looked up in
/// `themes`.
pub fn parse(text: &str, path: &Path, themes: &Path) -> Result<Config, ConfigError> {
    let error_at = |span: Option<Range<usize>>, message: String| ConfigError {
        path: path.to_owned(),
        at: span.map(|s| line_column(text, s.start)),
        message,
    };
    let file: File =
        toml::from_str(text).map_err(|e| error_at(e.span(), e.message().trim().to_owned()))?;
    let mut config = Config {
        file: Some(path.to_owned()),
        ..Config::default()
    };
    let from_file = Origin::File(path.to_owned());
    let set = |config: &mut Config, key: &'static str| {
        config.origins.insert(key, from_file.clone());
    };
    if let Some(vault) = file.vault {
        config.vault = Some(vault);
        set(&mut config, "vault");
    }
    if let Some(theme) = file.theme {
        config.theme = theme_named(theme.get_ref(), themes)
            .map_err(|(span, message)| error_at(Some(span.unwrap_or(theme.span())), message))?;
        config.theme_name = theme.into_inner();
        set(&mut config, "theme");
    }
    if let Some(start) = file.start {
        config.start = start;
        set(&mut config, "start");
    }
    if let Some(hyperlinks) = file.hyperlinks {
        config.hyperlinks = hyperlinks;
        set(&mut config, "hyperlinks");
    }
    if let Some(literal) = file.literal_times {
        config.literal_times = literal;
        set(&mut config, "literal_times");
    }
    if let Some(clipboard) = file.clipboard {
        let span = clipboard.span();
        config.clipboard = clipboard_choice(clipboard.into_inner())
            .map_err(|message| error_at(Some(span), message))?;
        set(&mut config, "clipboard");
    }
    if let Some(copy) = file.copy {
        if let Some(link) = copy.link {
            config.copy.long_links = link == LinkForm::Long;
            set(&mut config, "copy.link");
        }
        if let Some(markdown) = copy.markdown {
            let template = markdown.get_ref();
            if !template.contains("{url}") {
                return Err(error_at(
                    Some(markdown.span()),
                    "copy.markdown must contain {url} (and may use {title} and {time})".to_owned(),
                ));
            }
            // Pasted into a shell or an editor: one line, no controls.
            config.copy.markdown = template
                .chars()
                .filter(|c| {
                    !crate::text::is_terminal_control(*c) && !crate::text::is_bidi_control(*c)
                })
                .collect();
            set(&mut config, "copy.markdown");
        }
    }
    if let Some(panes) = file.panes {
        for (width, key, slot) in [
            (
                panes.outline_width,
                "panes.outline_width",
                &mut config.panes.outline,
            ),
            (
                panes.links_width,
                "panes.links_width",
                &mut config.panes.links,
            ),
        ] {
            if let Some(width) = width {
                let value = *width.get_ref();
                if !(MIN_PANE..=MAX_PANE).contains(&value) {
                    return Err(error_at(
                        Some(width.span()),
                        format!("{key} must be between {MIN_PANE} and {MAX_PANE} columns"),
                    ));
                }
                *slot = Some(value);
                config.origins.insert(key, from_file.clone());
            }
        }
    }
    if let Some(tables) = file.keys {
        config.keymap =
            merge_keys(&mut config, tables).map_err(|e| error_at(Some(e.span), e.message))?;
        set(&mut config, "keys");
    }
    Ok(config)
}

/// Merges the file's `[keys.*]` tables over the default key table, noting
/// them for `vidwiki config`.
fn merge_keys(
    config: &mut Config,
    tables: super::KeyTables,
) -> Result<crate::app::keymap::Keymap, keys::KeyError> {
    let mut rebindings = Vec::new();
    for (context, actions) in tables {
        for (action, keys) in actions {
            config.rebindings.push((
                context.get_ref().clone(),
                action.get_ref().clone(),
                key_list_toml(keys.get_ref()),
            ));
            rebindings.push(keys::Rebinding {
                context: context.get_ref().clone(),
                context_span: context.span(),
                action: action.get_ref().clone(),
                action_span: action.span(),
                keys_span: keys.span(),
                keys: keys.into_inner(),
            });
        }
    }
    // Applied in file order, so a conflict names the later line.
    rebindings.sort_by_key(|r| r.action_span.start);
    keys::merge(&rebindings)
}

/// Narrowest and widest side pane the config may ask for.
const MIN_PANE: u16 = 16;
const MAX_PANE: u16 = 120;

fn theme_named(name: &str, themes: &Path) -> Result<ThemeChoice, (Option<Range<usize>>, String)> {
    if name == "auto" {
        return Ok(ThemeChoice::Auto);
    }
    if let Some(theme) = crate::themes::built_in(name) {
        return Ok(ThemeChoice::Fixed(Box::new(theme)));
    }
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let file = themes.join(format!("{name}.toml"));
    let text = if valid {
        read_small_file(&file).ok()
    } else {
        None
    };
    let Some(text) = text else {
        return Err((
            None,
            format!(
                "unknown theme `{}`: not one of auto, {}, and no theme file {}",
                crate::text::sanitize_inline(name),
                crate::themes::BUILT_IN.join(", "),
                file.display()
            ),
        ));
    };
    crate::themes::parse_theme_file(&text)
        .map(|theme| ThemeChoice::Fixed(Box::new(theme)))
        .map_err(|error| {
            let at = error.span.map_or_else(String::new, |span| {
                let (line, column) = line_column(&text, span.start);
                format!(":{line}:{column}")
            });
            (
                None,
                format!("in theme file {}{at}: {}", file.display(), error.message),
            )
        })
}

fn clipboard_choice(value: ClipboardFile) -> Result<ClipboardChoice, String> {
    match value {
        ClipboardFile::Mode(mode) => match mode.as_str() {
            "auto" => Ok(ClipboardChoice::Auto),
            "osc52" => Ok(ClipboardChoice::Osc52),
            other => Err(format!(
                "clipboard is \"auto\", \"osc52\" or a command as a list \
                 ([\"wl-copy\"]), not `{}`",
                crate::text::sanitize_inline(other)
            )),
        },
        ClipboardFile::Command(argv) if argv.is_empty() || argv[0].is_empty() => {
            Err("the clipboard command needs a program: [\"program\", \"arg\", …]".to_owned())
        }
        ClipboardFile::Command(argv) => Ok(ClipboardChoice::Command(argv)),
    }
}

fn key_list_toml(keys: &keys::KeyList) -> String {
    match keys {
        keys::KeyList::One(key) => toml_string(key),
        keys::KeyList::Many(keys) => format!(
            "[{}]",
            keys.iter()
                .map(|k| toml_string(k))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
