//! The commented default config file of `vidwiki config --default`: every
//! key with its default value, so the file parses back to the defaults.
//! The README's config reference is this text (a test compares them).

use crate::app::keymap::{self, HELP_ORDER};

use super::keys::key_name;

const HEAD: &str = r#"# vidwiki configuration: ~/.config/vidwiki/config.toml on Linux (or
# $XDG_CONFIG_HOME/vidwiki/config.toml), or the file --config or
# VIDWIKI_CONFIG names. Every key is optional: remove what you do not change.
# The values below are the defaults. Command-line flags win over this file.

# The vault opened when none is named (default: `notes` when that folder
# exists, else the current folder). No `~`: give the full path.
# vault = "/home/me/notes"

# Colours: "dark", "light", "high-contrast", "auto" (dark or light after the
# background the terminal reports; dark when it does not answer), or NAME for
# the theme file themes/NAME.toml beside this file. NO_COLOR and
# --color never win over any theme.
theme = "dark"

# Where the browser starts when no note is named: "last-note" or "home"
# (the flag --home).
start = "last-note"

# Timestamps and web links as clickable OSC 8 hyperlinks: "auto" (on,
# except inside tmux and on the Linux console, which garble them),
# "always" or "never".
hyperlinks = "auto"

# Read every time as written (HH:MM:SS) instead of deciding per note that it
# writes MM:SS:FF (the flag --literal-times).
literal_times = false

# Copying: "auto" (OSC 52, plus wl-copy, xclip, xsel or pbcopy when the
# session is local), "osc52" (OSC 52 only), or a command as a list, run
# without a shell with the text on its stdin: ["wl-copy", "--trim-newline"].
clipboard = "auto"

[copy]
# The timestamp link of `y`: "short" (https://youtu.be/ID?t=S) or "long"
# (https://www.youtube.com/watch?v=ID&t=Ss).
link = "short"
# What `Y` copies: {title}, {time} and {url} are replaced.
markdown = "[{title} @ {time}]({url})"

[panes]
# Columns of the outline and links panes, 16 to 120 (default: after the
# terminal's width). The note keeps at least 40 columns.
# outline_width = 30
# links_width = 36

# Key bindings merge over the defaults below: name an action with a key or a
# list of keys, "none" to unbind it; the actions you leave out keep their
# keys. A key bound to two actions of one table is an error. Keys: a
# character (`g` and `G` differ), Enter, Esc, Tab, Shift-Tab, Backspace,
# Space, ↑ ↓ ← → (or Up, Down, Left, Right), PgUp, PgDn, Home, End, Delete,
# Insert, F1-F12, with Ctrl-, Alt- or Shift- in front. The note, outline and
# links tables may also bind the actions of [keys.global].
"#;

/// The commented default config file.
#[must_use]
pub fn default_file() -> String {
    let mut out = HEAD.to_owned();
    let keymap = keymap::Keymap::default();
    for context in HELP_ORDER {
        out.push_str(&format!(
            "\n[keys.{}]  # {}\n",
            context.config_name(),
            context.title()
        ));
        for bound in keymap.bindings().iter().filter(|b| b.context == context) {
            let Some(name) = keymap::action_name(bound.action) else {
                continue;
            };
            let keys: Vec<String> = bound
                .keys
                .iter()
                .map(|k| super::toml_string(&key_name(*k)))
                .collect();
            let keys = if keys.len() == 1 {
                keys[0].clone()
            } else {
                format!("[{}]", keys.join(", "))
            };
            out.push_str(&format!("{name} = {keys}  # {}\n", bound.desc));
        }
    }
    out
}
