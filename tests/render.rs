//! Whole screens at fixed sizes, drawn into a TestBackend and compared with
//! committed snapshots (tests/snapshots/).

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend};
use support::{SPECIMEN, app, keys};
use vidwiki::{app::App, ui};

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (40, 12)];

#[test]
fn specimen() {
    for (w, h) in SIZES {
        let app = app(w, h, Some(SPECIMEN));
        assert_snapshot!(format!("specimen_{w}x{h}"), screen(&app));
    }
}

#[test]
fn table_and_callout() {
    for (w, h) in SIZES {
        let app = app(w, h, Some("table_and_callout"));
        assert_snapshot!(format!("table_and_callout_{w}x{h}"), screen(&app));
    }
}

#[test]
fn home_page() {
    for (w, h) in SIZES {
        let app = app(w, h, None);
        assert_snapshot!(format!("home_{w}x{h}"), screen(&app));
    }
}

#[test]
fn help_overlay() {
    for (w, h) in SIZES {
        let mut app = app(w, h, Some(SPECIMEN));
        keys(&mut app, "?");
        assert_snapshot!(format!("help_{w}x{h}"), screen(&app));
    }
}

#[test]
fn backlinks_tab() {
    for (w, h) in SIZES {
        let mut app = app(w, h, Some("public_sector_innovation"));
        keys(&mut app, "b");
        assert_snapshot!(format!("backlinks_{w}x{h}"), screen(&app));
    }
}

#[test]
fn link_cursor_and_message() {
    let mut app = app(120, 40, Some("table_and_callout"));
    keys(&mut app, "nnnnnnn<Enter>");
    assert_snapshot!("unresolved_message_120x40", screen(&app));
}

#[test]
fn too_small() {
    for (w, h) in [(29, 12), (40, 7), (20, 5)] {
        let app = app(w, h, Some(SPECIMEN));
        assert_snapshot!(format!("too_small_{w}x{h}"), screen(&app));
    }
}

#[test]
fn picker_overlay() {
    let mut app = app(80, 24, Some(SPECIMEN));
    keys(&mut app, "<C-p>trust");
    app.settle_search();
    assert_snapshot!("picker_80x24", screen(&app));
}
