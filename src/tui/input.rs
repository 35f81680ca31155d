//! Terminal events as the app sees them: keys, or actions (mouse, resize).

use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};

use crate::app::Action;

/// What a terminal event asks of the app: a key (mapped by the app, whose
/// key table depends on its state) or an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Input {
    Key(KeyEvent),
    Action(Action),
}

/// The pure half of event handling; `None` for events the app ignores
/// (key releases, focus changes, pastes, other mouse events).
pub(super) fn input_of(event: &Event) -> Option<Input> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Input::Key(*key)),
        Event::Mouse(mouse) => {
            let (col, row) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(col, row)),
                MouseEventKind::ScrollDown => Some(Action::Wheel(col, row, 1)),
                MouseEventKind::ScrollUp => Some(Action::Wheel(col, row, -1)),
                MouseEventKind::Drag(MouseButton::Left) => Some(Action::Drag(col, row)),
                MouseEventKind::Up(MouseButton::Left) => Some(Action::Release),
                _ => None,
            }
            .map(Input::Action)
        }
        Event::Resize(width, height) => Some(Input::Action(Action::Resize(*width, *height))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent};

    use super::*;

    fn mouse(kind: MouseEventKind) -> Event {
        Event::Mouse(MouseEvent {
            kind,
            column: 7,
            row: 3,
            modifiers: KeyModifiers::NONE,
        })
    }

    #[test]
    fn terminal_events_become_keys_or_actions() {
        let press = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(input_of(&Event::Key(press)), Some(Input::Key(press)));
        let mut release = press;
        release.kind = KeyEventKind::Release;
        assert_eq!(input_of(&Event::Key(release)), None);
        assert_eq!(
            input_of(&mouse(MouseEventKind::Down(MouseButton::Left))),
            Some(Input::Action(Action::Click(7, 3)))
        );
        assert_eq!(
            input_of(&mouse(MouseEventKind::ScrollDown)),
            Some(Input::Action(Action::Wheel(7, 3, 1)))
        );
        assert_eq!(
            input_of(&mouse(MouseEventKind::ScrollUp)),
            Some(Input::Action(Action::Wheel(7, 3, -1)))
        );
        assert_eq!(input_of(&mouse(MouseEventKind::Moved)), None);
        assert_eq!(
            input_of(&mouse(MouseEventKind::Drag(MouseButton::Left))),
            Some(Input::Action(Action::Drag(7, 3)))
        );
        assert_eq!(
            input_of(&mouse(MouseEventKind::Up(MouseButton::Left))),
            Some(Input::Action(Action::Release))
        );
        assert_eq!(
            input_of(&Event::Resize(100, 30)),
            Some(Input::Action(Action::Resize(100, 30)))
        );
        assert_eq!(input_of(&Event::FocusGained), None);
    }
}
