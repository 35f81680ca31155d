//! Random key sequences, clicks and resizes against the browser over the
//! sample vault (plus notes whose titles, links and names carry escape
//! sequences): nothing may panic, every frame must draw, even into a frame
//! of another size than the app last heard of, and no cell may hold a
//! control character or a bidi control.
//!
//! `VIDWIKI_LONG_TESTS=1` runs many more and longer sequences.

mod support;

use proptest::prelude::*;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{SPECIMEN, act, keys, sample_vault_with, settle};
use vidwiki::{
    app::{Action, App},
    ui,
};

#[derive(Debug, Clone)]
enum Step {
    Keys(&'static str),
    Click(u16, u16),
    Wheel(u16, u16, bool),
    Resize(u16, u16),
    /// The terminal has this size, the app has not been told yet.
    FrameOnly(u16, u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "j", "k", "n", "N", "<Enter>", "<BS>", "H", "b", "t", "L", "?", "<Esc>", "/", "pu",
            "<Enter>", "<C-p>", "<C-k>", "<C-f>", "trust", "<Tab>", "<BackTab>", "y", "Y", "v",
            "o", "g", "G", "]", "[", "<PageDown>", "<PageUp>", "<C-d>", "<C-u>", "1", "2", "3",
            "<A-Left>", "<A-Right>", "l", "h", "<Down>", "<Up>", "x", "'", "!", "^", "evil",
        ])
        .prop_map(Step::Keys),
        2 => (0u16..130, 0u16..45).prop_map(|(x, y)| Step::Click(x, y)),
        1 => (0u16..130, 0u16..45, any::<bool>()).prop_map(|(x, y, d)| Step::Wheel(x, y, d)),
        1 => (1u16..140, 1u16..50).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => (1u16..140, 1u16..50).prop_map(|(w, h)| Step::FrameOnly(w, h)),
    ]
}

fn long() -> bool {
    std::env::var_os("VIDWIKI_LONG_TESTS").is_some()
}

const HOSTILE: &[u8] = b"---\ntitle: \"Evil \\e]52;c;eA==\\a \\x9b2J \\u202e gnp\\nrm\"\nvideoId: HrwPuLTdHag\n---\n\n\
# Head \x1b]2;owned\x07 \xc2\x9b31m \xe2\x80\xae x\n\nSee [[publicprivate_partnerships_in_technology_and_innovation|pp \x1b[5m]] \
and [[Missing \x1b]2;t\x07]] <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a> \xe2\x81\xa8chan\xe2\x81\xa9.\n";

fn browser() -> App {
    let vault = sample_vault_with(&[
        ("evil/hostile.md", HOSTILE),
        (
            "evil/\x1b]2;name\x07.md",
            b"---\ntitle: Name\n---\n\n[[hostile]]\n",
        ),
    ]);
    let mut app = App::loaded(vault, Some(SPECIMEN.into()), Rect::new(0, 0, 120, 40));
    settle(&mut app, Vec::new());
    app
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if long() { 3000 } else { 48 }))]
    #[test]
    fn any_sequence_draws_without_panic(
        steps in prop::collection::vec(step(), 1..if long() { 120 } else { 40 })
    ) {
        let mut a = browser();
        for step in steps {
            let mut frame = (a.area.width, a.area.height);
            match step {
                Step::Keys(k) => {
                    keys(&mut a, k);
                }
                Step::Click(x, y) => {
                    act(&mut a, Action::Click(x, y));
                }
                Step::Wheel(x, y, down) => {
                    act(&mut a, Action::Wheel(x, y, if down { 1 } else { -1 }));
                }
                Step::Resize(w, h) => {
                    act(&mut a, Action::Resize(w, h));
                    frame = (w, h);
                }
                Step::FrameOnly(w, h) => frame = (w, h),
            }
            support::settle_search(&mut a);
            let mut terminal = Terminal::new(TestBackend::new(frame.0, frame.1)).unwrap();
            terminal.draw(|f| ui::draw(f, &a)).unwrap();
            for cell in terminal.backend().buffer().content() {
                prop_assert!(vidwiki::text::is_display_safe(cell.symbol()), "{:?}", cell.symbol());
            }
        }
    }
}
