//! Random key sequences, clicks and resizes against the browser over the
//! sample vault: nothing may panic, every frame must draw, and no cell may
//! hold a control character.

mod support;

use proptest::prelude::*;
use ratatui::{Terminal, backend::TestBackend};
use support::{SPECIMEN, app, keys};
use vidwiki::{app::Action, ui};

#[derive(Debug, Clone)]
enum Step {
    Keys(&'static str),
    Click(u16, u16),
    Wheel(u16, u16, bool),
    Resize(u16, u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "j", "k", "n", "N", "<Enter>", "<BS>", "H", "b", "t", "L", "?", "<Esc>", "/", "pu",
            "<Enter>", "<C-p>", "<C-k>", "<C-f>", "trust", "<Tab>", "<BackTab>", "y", "Y", "v",
            "o", "g", "G", "]", "[", "<PageDown>", "<PageUp>", "<C-d>", "<C-u>", "1", "2", "3",
            "<A-Left>", "<A-Right>", "l", "h", "<Down>", "<Up>", "x", "'", "!", "^",
        ])
        .prop_map(Step::Keys),
        2 => (0u16..130, 0u16..45).prop_map(|(x, y)| Step::Click(x, y)),
        1 => (0u16..130, 0u16..45, any::<bool>()).prop_map(|(x, y, d)| Step::Wheel(x, y, d)),
        1 => (1u16..140, 1u16..50).prop_map(|(w, h)| Step::Resize(w, h)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_sequence_draws_without_panic(steps in prop::collection::vec(step(), 1..40)) {
        let mut a = app(120, 40, Some(SPECIMEN));
        for step in steps {
            match step {
                Step::Keys(k) => {
                    keys(&mut a, k);
                }
                Step::Click(x, y) => {
                    a.update(Action::Click(x, y));
                }
                Step::Wheel(x, y, down) => {
                    a.update(Action::Wheel(x, y, if down { 1 } else { -1 }));
                }
                Step::Resize(w, h) => {
                    a.update(Action::Resize(w, h));
                }
            }
            support::settle_search(&mut a);
            let mut terminal = Terminal::new(TestBackend::new(a.area.width, a.area.height)).unwrap();
            terminal.draw(|f| ui::draw(f, &a)).unwrap();
            for cell in terminal.backend().buffer().content() {
                prop_assert!(vidwiki::text::is_terminal_safe(cell.symbol()));
            }
        }
    }
}
