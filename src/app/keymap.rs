//! The key table: one row per binding, with its description. The same table
//! drives dispatch, the help overlay and the key hint line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, LinksTab, Motion, Pane};

/// Where a binding applies. Pane bindings win over global ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Everywhere (unless an overlay is open).
    Global,
    /// The outline pane has focus.
    Outline,
    /// The note pane has focus.
    Note,
    /// The links pane has focus.
    Links,
    /// The help overlay is open.
    Help,
    /// The picker is open (other printable keys type the query).
    Picker,
    /// A find in the note is being typed (other printable keys type it).
    FindInput,
    /// A find is active in the note pane: these win over the note's keys.
    Found,
}

impl Context {
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Outline => "Outline",
            Self::Note => "Note",
            Self::Links => "Links",
            Self::Help => "Help",
            Self::Picker => "Jump picker (Ctrl-P, Ctrl-K) and text search (Ctrl-F)",
            Self::FindInput => "Typing a find (/)",
            Self::Found => "While a find is active",
        }
    }

    /// The context's name in the config file (`[keys.note]`).
    #[must_use]
    pub fn config_name(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Outline => "outline",
            Self::Note => "note",
            Self::Links => "links",
            Self::Help => "help",
            Self::Picker => "picker",
            Self::FindInput => "find",
            Self::Found => "found",
        }
    }

    /// The context a config table names, if any.
    #[must_use]
    pub fn from_config_name(name: &str) -> Option<Self> {
        HELP_ORDER.into_iter().find(|c| c.config_name() == name)
    }

    #[must_use]
    pub fn of_pane(pane: Pane) -> Self {
        match pane {
            Pane::Outline => Self::Outline,
            Pane::Note => Self::Note,
            Pane::Links => Self::Links,
        }
    }
}

/// A key with its modifiers, as it is matched (SHIFT dropped from chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    #[must_use]
    pub const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    #[must_use]
    pub const fn ch(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    #[must_use]
    pub const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    #[must_use]
    pub const fn alt(code: KeyCode) -> Self {
        Self {
            code,
            mods: KeyModifiers::ALT,
        }
    }

    /// Normalises a terminal key event: SHIFT is dropped from characters
    /// (the character already says it) and from Shift-Tab.
    #[must_use]
    pub fn from_event(event: KeyEvent) -> Self {
        let mut mods =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Self {
            code: event.code,
            mods,
        }
    }

    /// How the key is written in help and hints: `j`, `Ctrl-d`, `Alt-←`.
    #[must_use]
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        out.push_str(&name);
        out
    }
}

/// One row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    pub desc: &'static str,
    /// Short label for the hint line, when the binding belongs there.
    pub hint: Option<&'static str>,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    desc: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        desc,
        hint,
    }
}

use Context::{FindInput, Found, Global, Help, Links, Note, Outline, Picker};
use KeyCode::{
    BackTab, Backspace, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};

/// Every binding of the browser.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    // Overlays first, so they catch keys before anything else.
    bind(Help, &[Key::ch('j'), Key::plain(Down)], Action::Move(Motion::Down), "Scroll down", None),
    bind(Help, &[Key::ch('k'), Key::plain(Up)], Action::Move(Motion::Up), "Scroll up", None),
    bind(Help, &[Key::plain(PageDown), Key::ctrl('d')], Action::Move(Motion::PageDown), "Scroll a page down", None),
    bind(Help, &[Key::plain(PageUp), Key::ctrl('u')], Action::Move(Motion::PageUp), "Scroll a page up", None),
    bind(Help, &[Key::ch('?'), Key::plain(Esc), Key::ch('q')], Action::ToggleHelp, "Close help", Some("close")),
    bind(Picker, &[Key::plain(Enter)], Action::Activate, "Open the selected note or heading", Some("open")),
    bind(Picker, &[Key::plain(Down), Key::ctrl('n')], Action::Move(Motion::Down), "Next match", None),
    bind(Picker, &[Key::plain(Up), Key::ctrl('p')], Action::Move(Motion::Up), "Previous match", None),
    bind(Picker, &[Key::plain(PageDown)], Action::Move(Motion::PageDown), "A page of matches down", None),
    bind(Picker, &[Key::plain(PageUp)], Action::Move(Motion::PageUp), "A page of matches up", None),
    bind(Picker, &[Key::plain(Tab)], Action::PickerScope, "Scope: all, notes only, headings only", Some("scope")),
    bind(Picker, &[Key::ctrl('f')], Action::PickerMode, "Switch between names and full text", Some("names/text")),
    bind(Picker, &[Key::plain(Backspace)], Action::PickerBackspace, "Delete a character", None),
    bind(Picker, &[Key::plain(Esc)], Action::Escape, "Close the picker", Some("close")),
    // Typing a find in the note.
    bind(FindInput, &[Key::plain(Enter)], Action::FindConfirm, "Keep the matches, back to reading", Some("done")),
    bind(FindInput, &[Key::plain(Down)], Action::FindNext, "Next match", None),
    bind(FindInput, &[Key::plain(Up)], Action::FindPrev, "Previous match", None),
    bind(FindInput, &[Key::plain(Backspace)], Action::FindBackspace, "Delete a character", None),
    bind(FindInput, &[Key::plain(Esc)], Action::Escape, "Cancel the find", Some("cancel")),
    // A find is active (then the note's other keys still apply).
    bind(Found, &[Key::ch('n')], Action::FindNext, "Next match (the link cursor's n/N again after Esc)", Some("next match")),
    bind(Found, &[Key::ch('N')], Action::FindPrev, "Previous match", Some("previous")),
    bind(Found, &[Key::plain(Esc)], Action::Escape, "Clear the find", Some("clear")),
    // Note pane.
    bind(Note, &[Key::ch('/')], Action::FindStart, "Find in the note", Some("find")),
    bind(Note, &[Key::ch('n')], Action::NextTarget, "Next link or timestamp", Some("next link")),
    bind(Note, &[Key::ch('N')], Action::PrevTarget, "Previous link or timestamp", None),
    bind(Note, &[Key::plain(Enter)], Action::Activate, "Follow the link under the cursor", Some("follow")),
    // Outline pane.
    bind(Outline, &[Key::plain(Enter)], Action::Activate, "Open note, go to heading, fold folder", Some("open")),
    bind(Outline, &[Key::ch('l'), Key::plain(Right)], Action::Unfold, "Unfold the folder or the note's headings (open a note without)", None),
    bind(Outline, &[Key::ch('h'), Key::plain(Left)], Action::Fold, "Fold, or go up to the folder or note above", Some("fold")),
    bind(Outline, &[Key::ch('z')], Action::ToggleFold, "Fold or unfold (za works too)", None),
    bind(Outline, &[Key::ch('/')], Action::OutlineFilter, "Filter notes and folders by name (Esc clears)", Some("filter")),
    // Links pane.
    bind(Links, &[Key::plain(Enter)], Action::Activate, "Follow the selected link or backlink", Some("follow")),
    bind(Links, &[Key::ch('l'), Key::plain(Right)], Action::NextTab, "Next tab (links, backlinks, timestamps)", Some("tab")),
    bind(Links, &[Key::ch('h'), Key::plain(Left)], Action::PrevTab, "Previous tab", None),
    bind(Links, &[Key::ch('s')], Action::SortBacklinks, "Sort backlinks by count or by title", None),
    // Everywhere.
    bind(Global, &[Key::ch('j'), Key::plain(Down)], Action::Move(Motion::Down), "Down", None),
    bind(Global, &[Key::ch('k'), Key::plain(Up)], Action::Move(Motion::Up), "Up", None),
    bind(Global, &[Key::plain(PageDown), Key::ch(' ')], Action::Move(Motion::PageDown), "Page down", None),
    bind(Global, &[Key::plain(PageUp)], Action::Move(Motion::PageUp), "Page up", None),
    bind(Global, &[Key::ctrl('d')], Action::Move(Motion::HalfDown), "Half a page down", None),
    bind(Global, &[Key::ctrl('u')], Action::Move(Motion::HalfUp), "Half a page up", None),
    bind(Global, &[Key::ch('g'), Key::plain(Home)], Action::Move(Motion::Top), "Top", None),
    bind(Global, &[Key::ch('G'), Key::plain(End)], Action::Move(Motion::Bottom), "Bottom", None),
    bind(Global, &[Key::ch(']')], Action::NextHeading, "Next heading", None),
    bind(Global, &[Key::ch('[')], Action::PrevHeading, "Previous heading", None),
    bind(Global, &[Key::plain(Tab)], Action::FocusNext, "Focus the next pane", Some("pane")),
    bind(Global, &[Key::plain(BackTab)], Action::FocusPrev, "Focus the previous pane", None),
    bind(Global, &[Key::ch('1')], Action::Focus(super::action::Pane::Outline), "Focus the outline", None),
    bind(Global, &[Key::ch('2')], Action::Focus(super::action::Pane::Note), "Focus the note", None),
    bind(Global, &[Key::ch('3')], Action::Focus(super::action::Pane::Links), "Focus the links pane", None),
    bind(Global, &[Key::plain(Backspace), Key::alt(Left)], Action::Back, "Back", Some("back")),
    bind(Global, &[Key::alt(Right)], Action::Forward, "Forward", None),
    bind(Global, &[Key::ch('H')], Action::Home, "Home page of the vault", Some("home")),
    bind(Global, &[Key::ch('b')], Action::ShowLinks(LinksTab::Backlinks), "Backlinks: who links here", Some("backlinks")),
    bind(Global, &[Key::ch('t')], Action::ShowLinks(LinksTab::Timestamps), "Timestamps of the note", None),
    bind(Global, &[Key::ch('<')], Action::ResizeOutline(-4), "Narrow the outline (or drag its border)", None),
    bind(Global, &[Key::ch('>')], Action::ResizeOutline(4), "Widen the outline", None),
    bind(Global, &[Key::ch('L')], Action::ToggleLinksPane, "Show or hide the links pane (narrow screens)", None),
    bind(Global, &[Key::ctrl('p'), Key::ctrl('k')], Action::OpenPicker, "Jump to a note, heading or channel by name", Some("jump")),
    bind(Global, &[Key::ctrl('f')], Action::OpenTextSearch, "Search the text of every note", None),
    bind(Global, &[Key::ch('y')], Action::CopyTimestamp, "Copy the timestamp link under the cursor", None),
    bind(Global, &[Key::ch('Y')], Action::CopyTimestampMarkdown, "Copy it as a Markdown link", None),
    bind(Global, &[Key::ch('v')], Action::CopyVideo, "Copy the link of the note's video", None),
    bind(Global, &[Key::ch('o')], Action::OpenExternal, "Open the timestamp or URL in the browser", None),
    bind(Global, &[Key::ch('e')], Action::Edit, "Edit in $VISUAL/$EDITOR at the line on screen", None),
    bind(Global, &[Key::ch('r')], Action::Reload, "Read the open note again from its file", None),
    bind(Global, &[Key::ch('R')], Action::Rescan, "Rescan the whole vault in the background", None),
    bind(Global, &[Key::ch('m')], Action::ToggleBookmark, "Bookmark the note (or remove its bookmark)", None),
    bind(Global, &[Key::plain(Esc)], Action::Escape, "Close the overlay, clear the message", None),
    bind(Global, &[Key::ch('?')], Action::ToggleHelp, "Help", Some("help")),
    bind(Global, &[Key::ch('q'), Key::ctrl('c')], Action::Quit, "Quit", Some("quit")),
    bind(Global, &[Key::ctrl('z')], Action::Suspend, "Suspend to the shell (fg comes back)", None),
];

/// The key table in force: the defaults of [`BINDINGS`] with a user's
/// rebindings merged over them (see `config::keys`). The app holds one and
/// everything that shows a key (help, hints) asks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Bound>,
}

/// One row of a [`Keymap`]: a row of [`BINDINGS`], its keys perhaps changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: &'static str,
    pub hint: Option<&'static str>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            bindings: BINDINGS
                .iter()
                .map(|b| Bound {
                    context: b.context,
                    keys: b.keys.to_vec(),
                    action: b.action,
                    desc: b.desc,
                    hint: b.hint,
                })
                .collect(),
        }
    }
}

/// The default table, for the free functions below.
static DEFAULT: std::sync::LazyLock<Keymap> = std::sync::LazyLock::new(Keymap::default);

impl Keymap {
    /// Every row, in table order.
    #[must_use]
    pub fn bindings(&self) -> &[Bound] {
        &self.bindings
    }

    /// Every row, to merge a user's bindings into.
    pub fn bindings_mut(&mut self) -> &mut Vec<Bound> {
        &mut self.bindings
    }

    /// The action bound to a key in a context; the context's own bindings
    /// win over global ones. In the help overlay, only help bindings (and
    /// Ctrl-C) apply.
    #[must_use]
    pub fn lookup(&self, context: Context, key: Key) -> Option<Action> {
        let find = |ctx: Context| self.lookup_in(ctx, key);
        if matches!(context, Help | Picker | FindInput) {
            if key == Key::ctrl('c') {
                return Some(Action::Quit);
            }
            if key == Key::ctrl('z') {
                return Some(Action::Suspend);
            }
            if let (KeyCode::Char(c), KeyModifiers::NONE) = (key.code, key.mods) {
                match context {
                    Picker => return Some(find(Picker).unwrap_or(Action::PickerInput(c))),
                    FindInput => return Some(find(FindInput).unwrap_or(Action::FindInput(c))),
                    _ => {}
                }
            }
            return find(context);
        }
        chain(context).iter().find_map(|ctx| find(*ctx))
    }

    /// The hints of `context` without those of the `hidden` actions (keys
    /// that do nothing in the current state must not be advertised).
    #[must_use]
    pub fn hints_except(&self, context: Context, hidden: &[Action]) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        let contexts = chain(context);
        for (i, ctx) in contexts.iter().enumerate() {
            for b in self
                .bindings
                .iter()
                .filter(|b| b.context == *ctx && !hidden.contains(&b.action))
            {
                if let (Some(hint), Some(key)) = (b.hint, b.keys.first()) {
                    // A key that an earlier context takes is not this one's.
                    let shadowed = contexts[..i]
                        .iter()
                        .any(|earlier| self.lookup_in(*earlier, *key).is_some());
                    if !shadowed {
                        out.push((key.label(), hint));
                    }
                }
            }
        }
        out
    }

    /// The label of the first key that does `action` in `context` (its own
    /// bindings, then the ones it falls back to), for messages that name a
    /// key ("press n to …").
    #[must_use]
    pub fn key_for(&self, context: Context, action: Action) -> Option<String> {
        chain(context).iter().find_map(|ctx| {
            self.bindings
                .iter()
                .filter(|b| b.context == *ctx && b.action == action)
                .find_map(|b| b.keys.first())
                .map(|k| k.label())
        })
    }

    fn lookup_in(&self, context: Context, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.context == context && b.keys.contains(&key))
            .map(|b| b.action)
    }

    /// Sections of the help overlay: each context with its bound rows (an
    /// unbound action is not shown).
    #[must_use]
    pub fn help_sections(&self) -> Vec<(Context, Vec<&Bound>)> {
        HELP_ORDER
            .into_iter()
            .map(|ctx| {
                (
                    ctx,
                    self.bindings
                        .iter()
                        .filter(|b| b.context == ctx && !b.keys.is_empty())
                        .collect(),
                )
            })
            .collect()
    }

    /// The key table as Markdown, for the README (a test keeps the README's
    /// copy in step with the default table).
    #[must_use]
    pub fn markdown_table(&self) -> String {
        let mut out = String::new();
        for (context, bindings) in self.help_sections() {
            if bindings.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "\n**{}**\n\n| keys | action |\n|---|---|\n",
                context.title()
            ));
            for binding in bindings {
                let keys: Vec<String> = binding
                    .keys
                    .iter()
                    .map(|k| format!("`{}`", k.label().replace('|', "\\|")))
                    .collect();
                out.push_str(&format!(
                    "| {} | {} |\n",
                    keys.join(" "),
                    binding.desc.replace('|', "\\|")
                ));
            }
        }
        out
    }
}

/// Sections of the help overlay for the default table.
#[must_use]
pub fn help_sections() -> Vec<(Context, Vec<&'static Bound>)> {
    DEFAULT.help_sections()
}

/// The order of the help overlay's sections.
pub const HELP_ORDER: [Context; 8] = [Global, Note, Found, FindInput, Outline, Links, Picker, Help];

/// The action bound to a key in a context, in the default table.
#[must_use]
pub fn lookup(context: Context, key: Key) -> Option<Action> {
    DEFAULT.lookup(context, key)
}

/// Contexts a key is looked up in, first match wins.
fn chain(context: Context) -> &'static [Context] {
    match context {
        Help => &[Help],
        Picker => &[Picker],
        FindInput => &[FindInput],
        Found => &[Found, Note, Global],
        Global => &[Global],
        Outline => &[Outline, Global],
        Note => &[Note, Global],
        Links => &[Links, Global],
    }
}

/// Bindings shown in the hint line for a context in the default table: the
/// context's own, then the global ones.
#[must_use]
pub fn hints(context: Context) -> Vec<(String, &'static str)> {
    DEFAULT.hints_except(context, &[])
}

/// [`Keymap::hints_except`] of the default table.
#[must_use]
pub fn hints_except(context: Context, hidden: &[Action]) -> Vec<(String, &'static str)> {
    DEFAULT.hints_except(context, hidden)
}

/// The default key table as Markdown, for the README.
#[must_use]
pub fn markdown_table() -> String {
    DEFAULT.markdown_table()
}

/// The stable name of an action in the config file (`[keys.note]
/// find_start = "/"`), for the actions the key table binds. Names are part
/// of the config format: never rename one.
#[must_use]
pub fn action_name(action: Action) -> Option<&'static str> {
    Some(match action {
        Action::Quit => "quit",
        Action::Suspend => "suspend",
        Action::ToggleHelp => "toggle_help",
        Action::Escape => "escape",
        Action::FocusNext => "focus_next",
        Action::FocusPrev => "focus_prev",
        Action::Focus(Pane::Outline) => "focus_outline",
        Action::Focus(Pane::Note) => "focus_note",
        Action::Focus(Pane::Links) => "focus_links",
        Action::Move(motion) => match motion {
            Motion::Down => "move_down",
            Motion::Up => "move_up",
            Motion::PageDown => "page_down",
            Motion::PageUp => "page_up",
            Motion::HalfDown => "half_page_down",
            Motion::HalfUp => "half_page_up",
            Motion::Top => "top",
            Motion::Bottom => "bottom",
        },
        Action::NextHeading => "next_heading",
        Action::PrevHeading => "prev_heading",
        Action::NextTarget => "next_target",
        Action::PrevTarget => "prev_target",
        Action::Activate => "activate",
        Action::Back => "back",
        Action::Forward => "forward",
        Action::Home => "home",
        Action::ShowLinks(LinksTab::Links) => "show_links",
        Action::ShowLinks(LinksTab::Backlinks) => "show_backlinks",
        Action::ShowLinks(LinksTab::Timestamps) => "show_timestamps",
        Action::NextTab => "next_tab",
        Action::PrevTab => "prev_tab",
        Action::ToggleLinksPane => "toggle_links_pane",
        Action::OpenPicker => "open_picker",
        Action::OpenTextSearch => "open_text_search",
        Action::PickerBackspace => "picker_backspace",
        Action::PickerScope => "picker_scope",
        Action::PickerMode => "picker_mode",
        Action::FindStart => "find_start",
        Action::FindBackspace => "find_backspace",
        Action::FindConfirm => "find_confirm",
        Action::FindNext => "find_next",
        Action::FindPrev => "find_prev",
        Action::CopyTimestamp => "copy_timestamp",
        Action::CopyTimestampMarkdown => "copy_timestamp_markdown",
        Action::CopyVideo => "copy_video",
        Action::OpenExternal => "open_external",
        Action::Edit => "edit",
        Action::Reload => "reload",
        Action::Rescan => "rescan",
        Action::ToggleBookmark => "toggle_bookmark",
        Action::ResizeOutline(by) if by < 0 => "narrow_outline",
        Action::ResizeOutline(_) => "widen_outline",
        Action::Fold => "fold",
        Action::Unfold => "unfold",
        Action::ToggleFold => "toggle_fold",
        Action::OutlineFilter => "outline_filter",
        Action::SortBacklinks => "sort_backlinks",
        // Typed characters, mouse and resize events are not bound to keys.
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_is_dropped_from_chars() {
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            lookup(Global, Key::from_event(ev)),
            Some(Action::Move(Motion::Bottom))
        );
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(lookup(Note, Key::from_event(ev)), Some(Action::FocusPrev));
    }

    #[test]
    fn pane_bindings_win_and_help_is_modal() {
        assert_eq!(
            lookup(Note, Key::plain(KeyCode::Enter)),
            Some(Action::Activate)
        );
        assert_eq!(lookup(Help, Key::ch('b')), None);
        assert_eq!(lookup(Help, Key::ch('q')), Some(Action::ToggleHelp));
        assert_eq!(lookup(Help, Key::ctrl('c')), Some(Action::Quit));
    }

    #[test]
    fn every_binding_has_a_config_name_unique_in_its_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            let name = action_name(a.action);
            assert!(name.is_some(), "{:?} has no config name", a.action);
            for b in &BINDINGS[i + 1..] {
                assert!(
                    !(a.context == b.context && action_name(b.action) == name),
                    "{name:?} twice in {:?}",
                    a.context
                );
            }
        }
        for context in HELP_ORDER {
            assert_eq!(
                Context::from_config_name(context.config_name()),
                Some(context)
            );
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.context == b.context {
                    for k in a.keys {
                        assert!(
                            !b.keys.contains(k),
                            "{} bound twice in {:?}",
                            k.label(),
                            a.context
                        );
                    }
                }
            }
        }
    }
}
