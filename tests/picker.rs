//! Picker details: each opening starts at scope "all", the query is edited
//! at a cursor, cut titles end with `…`, identical titles say what tells
//! them apart, the preview follows a resize, and nothing of the pane below
//! shows through the overlay's edges.

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{SPECIMEN, app, keys, sample_vault_with, settle, settle_search};
use vidwiki::{
    app::{Action, App},
    search::Scope,
    ui,
};

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn each_opening_starts_at_scope_all() {
    let mut a = app(120, 40, Some(SPECIMEN));
    keys(&mut a, "<C-p><Tab><Tab>");
    assert_eq!(
        a.picker.as_ref().unwrap().jump().unwrap().scope,
        Scope::Headings
    );
    keys(&mut a, "<Esc><C-p>");
    settle_search(&mut a);
    assert_eq!(a.picker.as_ref().unwrap().jump().unwrap().scope, Scope::All);
    // And the matcher searches all again: notes are among the hits.
    keys(&mut a, "ladder");
    settle_search(&mut a);
    let kinds: Vec<_> = a
        .picker
        .as_ref()
        .unwrap()
        .hits()
        .iter()
        .map(|h| h.item.kind())
        .collect();
    assert!(
        kinds.contains(&vidwiki::search::ItemKind::Note),
        "{kinds:?}"
    );
}

#[test]
fn the_query_is_edited_at_a_cursor() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let query = |a: &App| {
        let p = a.picker.as_ref().unwrap();
        (p.query.clone(), p.cursor)
    };
    keys(&mut a, "<C-p>holy gral");
    assert_eq!(query(&a), ("holy gral".into(), 9));
    keys(&mut a, "<Left>i");
    assert_eq!(query(&a), ("holy grail".into(), 9));
    keys(&mut a, "<Home>the <End>s");
    assert_eq!(query(&a), ("the holy grails".into(), 15));
    keys(&mut a, "<C-w>");
    assert_eq!(query(&a), ("the holy ".into(), 9));
    keys(&mut a, "<Left><Left><Right><C-u>");
    assert_eq!(query(&a), (" ".into(), 0));
    keys(&mut a, "<BS>");
    assert_eq!(query(&a), (" ".into(), 0), "nothing before the cursor");
    keys(&mut a, "<End><BS><BS>");
    assert_eq!(query(&a), (String::new(), 0));
}

/// Two notes titled alike (one with a channel, one in a folder without
/// one) and a title too long for a row.
fn twins_app(width: u16, height: u16) -> App {
    let vault = sample_vault_with(&[
        (
            "somechannel/model_context_protocol_mcp.md",
            b"---\ntitle: Model Context Protocol MCP\n---\nFrom: [[Some Channel]]\n\nText.\n",
        ),
        (
            "other/model_context_protocol_mcp.md",
            b"---\ntitle: Model Context Protocol MCP\n---\nOther text.\n",
        ),
        (
            "other/long.md",
            b"---\ntitle: Model Context Protocol MCP and a very long title that goes on and on past any row\n---\nLong.\n",
        ),
    ]);
    let mut a = App::loaded(vault, None, Rect::new(0, 0, width, height));
    settle(&mut a, Vec::new());
    keys(&mut a, "<C-p>model context protocol");
    settle_search(&mut a);
    a
}

#[test]
fn identical_titles_say_what_tells_them_apart_at_every_width() {
    for (w, h) in [(120, 40), (81, 24), (50, 16)] {
        let a = twins_app(w, h);
        let shown = screen(&a);
        let rows: Vec<&str> = shown
            .lines()
            .filter(|l| l.contains("◆ Model Context Protocol"))
            .collect();
        assert!(
            rows.iter().any(|r| r.contains("@ ")) && rows.iter().any(|r| r.contains("other/")),
            "{w}x{h}:\n{shown}"
        );
        assert!(
            rows.iter().any(|r| r.contains('…')),
            "cut title: {w}x{h}:\n{shown}"
        );
        assert_snapshot!(format!("picker_twins_{w}x{h}"), shown);
    }
}

#[test]
fn the_preview_follows_a_resize() {
    let mut a = app(80, 24, Some(SPECIMEN));
    keys(&mut a, "<C-p>ladder");
    settle_search(&mut a);
    assert!(a.picker.as_ref().unwrap().preview.is_none(), "too narrow");
    let effects = a.update(Action::Resize(120, 40));
    settle(&mut a, effects);
    let preview = a
        .picker
        .as_ref()
        .unwrap()
        .preview
        .as_ref()
        .expect("a preview");
    assert!(!preview.lines.is_empty());
    assert!(screen(&a).contains("ladder"), "drawn at once");
    // Shorter: the preview is cut to the rows it now has.
    let before = preview.height;
    a.update(Action::Resize(120, 24));
    assert!(a.picker.as_ref().unwrap().preview.as_ref().unwrap().height < before);
}

#[test]
fn wide_characters_cut_by_the_overlay_edge_are_blanked() {
    // A note whose lines are all wide characters, under the picker at an
    // odd width: no cell just outside the frame keeps half a character.
    let text = format!("---\ntitle: Wide\n---\n{}\n", "日本".repeat(200));
    for width in [101u16, 120, 81] {
        let vault = sample_vault_with(&[("wide.md", text.as_bytes())]);
        let mut a = App::loaded(vault, Some("wide".into()), Rect::new(0, 0, width, 30));
        settle(&mut a, Vec::new());
        keys(&mut a, "<C-p>");
        settle_search(&mut a);
        let mut terminal = Terminal::new(TestBackend::new(width, 30)).unwrap();
        terminal.draw(|f| ui::draw(f, &a)).unwrap();
        let buf = terminal.backend().buffer();
        let frame = a.picker_layout().frame;
        for y in frame.y..frame.bottom() {
            use unicode_width::UnicodeWidthStr;
            assert!(
                buf[(frame.x - 1, y)].symbol().width() <= 1,
                "left edge row {y}"
            );
        }
    }
}
