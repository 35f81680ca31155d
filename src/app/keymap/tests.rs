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
