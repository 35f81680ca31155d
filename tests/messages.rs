//! Status messages go on navigation and after a few seconds (the time is
//! passed in, never slept), never hide the note's path, and a message too
//! long for the bar can be read whole in the help overlay.

mod support;

use std::time::{Duration, Instant};

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{SPECIMEN, app, keys, sample_vault, settle};
use vidwiki::{
    app::{App, Effect, Notice, messages::lifetime},
    ui,
};

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

const LONG: &str = "Copied https://youtu.be/dQw4w9WgXcQ?t=1234 with OSC 52 only: \
    inside tmux the terminal gets it only with `tmux set -s set-clipboard on` \
    (then copy again)";

#[test]
fn a_message_goes_when_the_reader_moves_on() {
    let mut a = app(120, 40, Some(SPECIMEN));
    a.notice(Notice::Info("Copied https://youtu.be/x".into()));
    keys(&mut a, "j");
    assert!(a.message.is_some(), "scrolling keeps it");
    keys(&mut a, "H");
    assert!(a.message.is_none(), "another page: gone");
    // A message the move itself brings stays.
    keys(&mut a, "/zzzqqq<Enter>");
    assert!(a.message.is_some());
}

#[test]
fn a_message_goes_after_a_few_seconds() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let start = Instant::now();
    a.notice(Notice::Info("Copied".into()));
    assert!(!a.tick(start), "the first tick starts its time");
    assert!(!a.tick(start + Duration::from_secs(2)));
    assert!(a.message.is_some());
    assert!(a.tick(start + lifetime("Copied") + Duration::from_millis(1)));
    assert!(a.message.is_none());
    // A new message starts its own time.
    a.notice(Notice::Warning(LONG.into()));
    let later = start + Duration::from_secs(60);
    a.tick(later);
    assert!(
        !a.tick(later + lifetime("Copied")),
        "a long one stays longer"
    );
    assert!(a.tick(later + lifetime(LONG)));
}

#[test]
fn a_long_message_keeps_the_path_and_is_read_whole_in_help() {
    let mut a = app(80, 24, Some(SPECIMEN));
    a.notice(Notice::Warning(LONG.into()));
    let shown = screen(&a);
    let status = shown.lines().nth(22).unwrap();
    assert!(
        status.contains("innovation.md"),
        "the file name shows: {status}"
    );
    // Too long for the bar, it takes the hint line: its start, and `?`
    // where it does not fit there either.
    let hint = shown.lines().nth(23).unwrap();
    let first_words: Vec<&str> = LONG.split_whitespace().take(4).collect();
    for word in first_words {
        assert!(hint.contains(word), "{word} on the hint line: {hint}");
    }
    assert!(hint.contains(" ?"), "says where to read it: {hint}");
    assert_snapshot!("long_message_80x24", shown);
    keys(&mut a, "?");
    let help = screen(&a);
    // The message is wrapped whole: every word of it is on screen.
    for word in LONG.split_whitespace() {
        assert!(help.contains(word), "{word} in\n{help}");
    }
    assert_snapshot!("long_message_help_80x24", help);
}

#[test]
fn a_note_that_cannot_be_read_says_why_in_lines_that_fit() {
    let why = "notes/oecdobservatoryofpublicsec3116/publicprivate_partnerships_in_technology_and_innovation.md \
               changed on disk after the vault was loaded; restart vidwiki to read it again";
    let mut a = App::loaded(
        sample_vault(),
        Some(SPECIMEN.into()),
        Rect::new(0, 0, 80, 24),
    );
    let read = a
        .take_effects()
        .into_iter()
        .find_map(|e| match e {
            Effect::ReadNote(read) => Some(read),
            _ => None,
        })
        .expect("the note is read");
    a.on_note_text(&read, Err(why.to_owned()));
    settle(&mut a, Vec::new());
    let width = usize::from(a.area.width);
    let lines: Vec<String> = a
        .view()
        .lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    assert!(
        lines
            .iter()
            .all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= width)
    );
    let all = lines.join(" ");
    assert!(all.contains("restart vidwiki to read it again"), "{all}");
    assert_snapshot!("changed_on_disk_80x24", screen(&a));
}

#[test]
fn help_explains_the_signs_and_the_mouse() {
    let mut a = app(80, 24, Some(SPECIMEN));
    keys(&mut a, "?G");
    let help = screen(&a);
    for sign in [
        "name?",
        "name*",
        "▶05:17",
        "⚠11:31:94",
        "◆ § @",
        "→ ← ◷",
        "Mouse",
    ] {
        assert!(help.contains(sign), "{sign} in\n{help}");
    }
    assert_snapshot!("help_signs_80x24", help);
    keys(&mut a, "g");
    assert!(screen(&a).contains("Everywhere"), "g goes back to the top");
}
