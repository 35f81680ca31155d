//! Key bindings in the config file: key names (`Ctrl-d`, `PgDn`, `G`) and
//! the merge of `[keys.CONTEXT]` tables over the default key table.
//!
//! A user's table never replaces the defaults: each action named gets the
//! keys given (`"none"` or `[]` unbinds it), every other action keeps its
//! default keys. A key then bound to two actions of one context is an
//! error naming both, so a rebinding cannot silently shadow another.

use crossterm::event::{KeyCode, KeyModifiers};

use crate::app::keymap::{self, Bound, Context, Key, Keymap};

/// The keys given for one action: one key name or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    fn names(&self) -> Vec<&str> {
        match self {
            Self::One(name) if name.eq_ignore_ascii_case("none") => Vec::new(),
            Self::One(name) => vec![name.as_str()],
            Self::Many(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// A problem with a binding, at a byte range of the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub span: std::ops::Range<usize>,
    pub message: String,
}

/// Reads a key as written in the config file and shown in help: a single
/// character (`j`, `G`, `?`), a named key (`Enter`, `Esc`, `Tab`,
/// `Shift-Tab`, `Backspace`, `Space`, `Up`/`↑`, `PgDn`, `Home`, `F5`, …),
/// with `Ctrl-`, `Alt-` and `Shift-` in front. Names are case-insensitive;
/// a single character is not (`g` and `G` differ).
pub fn parse_key(text: &str) -> Result<Key, String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        let prefix = ["ctrl-", "alt-", "shift-"]
            .into_iter()
            .find(|p| lower.starts_with(p) && rest.len() > p.len());
        match prefix {
            Some("ctrl-") => mods |= KeyModifiers::CONTROL,
            Some("alt-") => mods |= KeyModifiers::ALT,
            Some(_) => mods |= KeyModifiers::SHIFT,
            None => break,
        }
        rest = &rest[prefix.map_or(0, str::len)..];
    }
    let code = code_of(rest).ok_or_else(|| {
        format!(
            "unknown key name `{}` (a character, or Enter, Esc, Tab, Backspace, Space, \
             Up, Down, Left, Right, PgUp, PgDn, Home, End, Delete, Insert, F1–F12, \
             with Ctrl-, Alt- or Shift- in front)",
            crate::text::sanitize_inline(text)
        )
    })?;
    // The table matches characters without SHIFT (the character says it):
    // `Shift-g` is `G`, and Ctrl- letters are lower case as terminals send them.
    let code = match code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => {
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::Char(c.to_ascii_uppercase())
        }
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
            mods.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        other => other,
    };
    Ok(Key { code, mods })
}

fn code_of(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return match c {
            '↑' => Some(KeyCode::Up),
            '↓' => Some(KeyCode::Down),
            '←' => Some(KeyCode::Left),
            '→' => Some(KeyCode::Right),
            c if c.is_control() => None,
            c => Some(KeyCode::Char(c)),
        };
    }
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        f if f.starts_with('f') => {
            let n: u8 = f[1..].parse().ok()?;
            (1..=12).contains(&n).then_some(KeyCode::F(n))?
        }
        _ => return None,
    })
}

/// How a key is written in the config file: its help label, which
/// [`parse_key`] reads back.
#[must_use]
pub fn key_name(key: Key) -> String {
    match key.code {
        KeyCode::F(n) => format!("{}F{n}", modifier_prefix(key.mods)),
        KeyCode::Delete => format!("{}Delete", modifier_prefix(key.mods)),
        KeyCode::Insert => format!("{}Insert", modifier_prefix(key.mods)),
        _ => key.label(),
    }
}

fn modifier_prefix(mods: KeyModifiers) -> String {
    let mut out = String::new();
    for (m, name) in [
        (KeyModifiers::CONTROL, "Ctrl-"),
        (KeyModifiers::ALT, "Alt-"),
        (KeyModifiers::SHIFT, "Shift-"),
    ] {
        if mods.contains(m) {
            out.push_str(name);
        }
    }
    out
}

/// One `action = keys` line of a `[keys.CONTEXT]` table, with where its
/// parts are in the file (for errors).
#[derive(Debug, Clone)]
pub struct Rebinding {
    pub context: String,
    pub context_span: std::ops::Range<usize>,
    pub action: String,
    pub action_span: std::ops::Range<usize>,
    pub keys: KeyList,
    pub keys_span: std::ops::Range<usize>,
}

/// The default key table with `rebindings` merged over it, or the first
/// problem: an unknown context, action or key name, or a key bound to two
/// actions of one context.
pub fn merge(rebindings: &[Rebinding]) -> Result<Keymap, KeyError> {
    let mut keymap = Keymap::default();
    // Which rebinding last set each row's keys, to name it in a conflict.
    let mut set_by: Vec<Option<usize>> = vec![None; keymap.bindings().len()];
    for (index, rebinding) in rebindings.iter().enumerate() {
        let context = Context::from_config_name(&rebinding.context).ok_or_else(|| KeyError {
            span: rebinding.context_span.clone(),
            message: format!(
                "unknown key context [keys.{}] (one of: {})",
                crate::text::sanitize_inline(&rebinding.context),
                keymap::HELP_ORDER.map(Context::config_name).join(", ")
            ),
        })?;
        let mut keys = Vec::new();
        for name in rebinding.keys.names() {
            let key = parse_key(name).map_err(|message| KeyError {
                span: rebinding.keys_span.clone(),
                message,
            })?;
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let row = row_of(&keymap, context, &rebinding.action);
        let row = match row {
            Some(row) => row,
            None => add_row(&mut keymap, context, &rebinding.action).ok_or_else(|| KeyError {
                span: rebinding.action_span.clone(),
                message: format!(
                    "unknown action `{}` in [keys.{}] (actions there: {})",
                    crate::text::sanitize_inline(&rebinding.action),
                    context.config_name(),
                    actions_of(context).join(", ")
                ),
            })?,
        };
        if set_by.len() < keymap.bindings().len() {
            set_by.resize(keymap.bindings().len(), None);
        }
        keymap.bindings_mut()[row].keys = keys;
        set_by[row] = Some(index);
    }
    check_conflicts(&keymap, &set_by, rebindings)?;
    Ok(keymap)
}

fn row_of(keymap: &Keymap, context: Context, action: &str) -> Option<usize> {
    keymap
        .bindings()
        .iter()
        .position(|b| b.context == context && keymap::action_name(b.action) == Some(action))
}

/// A pane context may also bind a global action (it then wins in that
/// pane): the row is added, described as the global one.
fn add_row(keymap: &mut Keymap, context: Context, action: &str) -> Option<usize> {
    if !matches!(context, Context::Note | Context::Outline | Context::Links) {
        return None;
    }
    let global = keymap.bindings()[row_of(keymap, Context::Global, action)?].clone();
    keymap.bindings_mut().push(Bound {
        context,
        keys: Vec::new(),
        hint: None,
        ..global
    });
    Some(keymap.bindings().len() - 1)
}

/// The names of the actions a context binds by default.
#[must_use]
pub fn actions_of(context: Context) -> Vec<&'static str> {
    keymap::BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .filter_map(|b| keymap::action_name(b.action))
        .collect()
}

fn check_conflicts(
    keymap: &Keymap,
    set_by: &[Option<usize>],
    rebindings: &[Rebinding],
) -> Result<(), KeyError> {
    let rows = keymap.bindings();
    for (i, a) in rows.iter().enumerate() {
        for (j, b) in rows.iter().enumerate().skip(i + 1) {
            if a.context != b.context {
                continue;
            }
            if let Some(key) = a.keys.iter().find(|k| b.keys.contains(k)) {
                // Point at the rebinding that caused it (the later one).
                let culprit = set_by[j].max(set_by[i]).unwrap_or(0);
                let span = rebindings
                    .get(culprit)
                    .map_or(0..0, |r| r.keys_span.clone());
                let name = |row: &Bound| keymap::action_name(row.action).unwrap_or("?");
                return Err(KeyError {
                    span,
                    message: format!(
                        "key `{}` is bound to both `{}` and `{}` in [keys.{}]: \
                         unbind one (`{} = \"none\"`) or give it another key",
                        key_name(*key),
                        name(a),
                        name(b),
                        a.context.config_name(),
                        name(a),
                    ),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Action;

    #[test]
    fn key_names_parse_and_labels_read_back() {
        assert_eq!(parse_key("j"), Ok(Key::ch('j')));
        assert_eq!(parse_key("G"), Ok(Key::ch('G')));
        assert_eq!(parse_key("shift-g"), Ok(Key::ch('G')));
        assert_eq!(parse_key("Ctrl-D"), Ok(Key::ctrl('d')));
        assert_eq!(parse_key("ctrl-d"), Ok(Key::ctrl('d')));
        assert_eq!(parse_key("Shift-Tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(parse_key("pagedown"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(parse_key("Alt-←"), Ok(Key::alt(KeyCode::Left)));
        assert_eq!(parse_key("F5"), Ok(Key::plain(KeyCode::F(5))));
        assert_eq!(parse_key("-"), Ok(Key::ch('-')));
        assert!(parse_key("Hyper-x").is_err());
        assert!(parse_key("F13").is_err());
        assert!(parse_key("\u{1b}").is_err());
        assert!(parse_key("").is_err());
        for binding in keymap::BINDINGS {
            for key in binding.keys {
                assert_eq!(parse_key(&key_name(*key)), Ok(*key), "{}", key.label());
            }
        }
    }

    fn rebind(context: &str, action: &str, keys: KeyList) -> Rebinding {
        Rebinding {
            context: context.to_owned(),
            context_span: 0..1,
            action: action.to_owned(),
            action_span: 2..3,
            keys,
            keys_span: 4..5,
        }
    }

    #[test]
    fn a_rebinding_keeps_the_other_defaults() {
        let keymap = merge(&[rebind(
            "global",
            "quit",
            KeyList::Many(vec!["x".into(), "Ctrl-q".into()]),
        )])
        .unwrap();
        assert_eq!(
            keymap.lookup(Context::Note, Key::ch('x')),
            Some(Action::Quit)
        );
        assert_eq!(
            keymap.lookup(Context::Note, Key::ctrl('q')),
            Some(Action::Quit)
        );
        assert_eq!(keymap.lookup(Context::Note, Key::ch('q')), None);
        assert_eq!(
            keymap.lookup(Context::Note, Key::ch('j')),
            Some(Action::Move(crate::app::Motion::Down))
        );
    }

    #[test]
    fn none_unbinds_and_a_pane_may_bind_a_global_action() {
        let keymap = merge(&[
            rebind("global", "edit", KeyList::One("none".into())),
            rebind("note", "edit", KeyList::One("E".into())),
        ])
        .unwrap();
        assert_eq!(keymap.lookup(Context::Note, Key::ch('e')), None);
        assert_eq!(
            keymap.lookup(Context::Note, Key::ch('E')),
            Some(Action::Edit)
        );
        assert_eq!(keymap.lookup(Context::Outline, Key::ch('E')), None);
    }

    #[test]
    fn conflicts_and_unknown_names_are_errors() {
        let error = merge(&[rebind("note", "find_start", KeyList::One("n".into()))]).unwrap_err();
        assert!(error.message.contains("`find_start`"), "{}", error.message);
        assert!(error.message.contains("`next_target`"), "{}", error.message);
        assert_eq!(error.span, 4..5);
        let error = merge(&[rebind("note", "fly", KeyList::One("f".into()))]).unwrap_err();
        assert!(error.message.contains("unknown action `fly`"));
        assert_eq!(error.span, 2..3);
        let error = merge(&[rebind("nowhere", "quit", KeyList::One("f".into()))]).unwrap_err();
        assert!(error.message.contains("[keys.nowhere]"));
        let error = merge(&[rebind("global", "quit", KeyList::One("Mega-f".into()))]).unwrap_err();
        assert!(error.message.contains("unknown key name `Mega-f`"));
    }
}
