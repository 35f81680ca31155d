//! A config's key bindings, merged over the defaults, drive the app and
//! show in its help overlay and hint line.

mod support;

use ratatui::{Terminal, backend::TestBackend};
use support::{app, keys};
use vidwiki::{
    app::{App, Effect},
    config::{Located, load},
    ui,
};

fn configured(text: &str) -> vidwiki::config::Config {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    load(Some(&Located {
        path,
        explicit: true,
    }))
    .unwrap()
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

/// Every page of the help overlay, paged down until it stops moving.
fn help_pages(app: &mut App) -> String {
    let mut pages = vec![screen(app)];
    for _ in 0..20 {
        keys(app, "<C-d>");
        let page = screen(app);
        if pages.last() == Some(&page) {
            break;
        }
        pages.push(page);
    }
    pages.join("\n")
}

#[test]
fn a_rebinding_merges_over_the_defaults_and_shows_in_help() {
    let config =
        configured("[keys.global]\nquit = [\"x\", \"Ctrl-q\"]\ntoggle_help = [\"Z\", \"?\"]\n");
    let mut app = app(120, 40, None);
    app.set_keymap(config.keymap.clone());
    // The old key of the rebound action does nothing; the new ones quit.
    assert!(!keys(&mut app, "q").contains(&Effect::Quit));
    assert!(keys(&mut app, "x").contains(&Effect::Quit));
    assert!(keys(&mut app, "<C-q>").contains(&Effect::Quit));
    // Other actions keep their default keys.
    let before = app.note.scroll;
    keys(&mut app, "j");
    assert!(
        app.note.scroll > before || app.view().lines.len() < 40,
        "j still scrolls"
    );
    // The hint line shows the key in force.
    let hints = screen(&app);
    let hint_line = hints.lines().last().unwrap();
    assert!(hint_line.contains("x quit"), "{hint_line}");
    assert!(hint_line.contains("Z help"), "{hint_line}");
    keys(&mut app, "Z");
    assert!(app.help.is_some(), "Z opens help");
    let shown = help_pages(&mut app);
    assert!(
        shown.contains("x Ctrl-q"),
        "help shows the new keys:\n{shown}"
    );
    assert!(
        !shown.contains("q Ctrl-c"),
        "help no longer shows the old ones"
    );
}

#[test]
fn the_default_config_draws_exactly_as_before() {
    let config = configured(&vidwiki::config::reference::default_file());
    let mut plain = app(120, 40, Some("Specimen"));
    let mut with_config = app(120, 40, Some("Specimen"));
    with_config.set_keymap(config.keymap.clone());
    with_config.copy_format = config.copy.clone();
    with_config.pane_widths = config.panes;
    if let vidwiki::config::ThemeChoice::Fixed(theme) = &config.theme {
        with_config.set_theme((**theme).clone());
    }
    for app in [&mut plain, &mut with_config] {
        keys(app, "?");
    }
    assert_eq!(screen(&plain), screen(&with_config));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| ui::draw(f, &plain)).unwrap();
    let a = terminal.backend().buffer().clone();
    terminal.draw(|f| ui::draw(f, &with_config)).unwrap();
    assert_eq!(&a, terminal.backend().buffer(), "styles too");
}

/// Every symbol the screen would send, joined.
fn symbols(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect()
}

#[test]
fn hyperlinks_make_timestamps_clickable_only_when_on() {
    let mut app = app(120, 40, Some("digital_decarbonization"));
    let plain = symbols(&app);
    assert!(!plain.contains('\u{1b}'), "off by default");
    app.hyperlinks = true;
    let linked = symbols(&app);
    assert!(
        linked
            .split("\u{1b}]8;;https://youtu.be/")
            .skip(1)
            .any(|rest| rest.get(11..14) == Some("?t=")),
        "a timestamp links to its video at its time"
    );
    // The long form of the config's copy format is the link too.
    app.copy_format.long_links = true;
    assert!(symbols(&app).contains("\u{1b}]8;;https://www.youtube.com/watch?v="));
    // Every sequence opened is closed.
    let opened = linked.matches("\u{1b}]8;;h").count();
    assert!(opened > 0);
    assert_eq!(linked.matches("\u{1b}]8;;\u{1b}\\").count(), opened);
}
