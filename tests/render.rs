//! Whole screens at fixed sizes, drawn into a TestBackend and compared with
//! committed snapshots (tests/snapshots/).

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend};
use ratatui::{
    layout::{Position, Rect},
    style::Style,
};
use support::{SPECIMEN, app, keys};
use vidwiki::{app::App, theme::Theme, ui};

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
    let note = app.open_note().expect("fixture open");
    // The link cursor onto the fixture's unresolved link, then follow it.
    let unresolved = |app: &App| {
        app.note.cursor.is_some_and(|c| {
            matches!(app.view().targets[c].dest, vidwiki::app::Dest::Link(i)
                if app.vault.note(note).links[i].resolution().is_unresolved())
        })
    };
    for _ in 0..50 {
        if unresolved(&app) {
            break;
        }
        keys(&mut app, "n");
    }
    assert!(unresolved(&app), "the fixture has an unresolved link");
    keys(&mut app, "<Enter>");
    assert_eq!(app.open_note(), Some(note), "nothing to follow");
    assert!(app.message.is_some());
    assert_snapshot!("unresolved_message_120x40", screen(&app));
}

#[test]
fn too_small() {
    for (w, h) in [(29, 12), (40, 7), (20, 5)] {
        let app = app(w, h, Some(SPECIMEN));
        assert_snapshot!(format!("too_small_{w}x{h}"), screen(&app));
    }
}

/// The rows of the screen that have cells in `style`'s colours, with those
/// runs in ⟨⟩: a readable check of highlights (Display drops styles).
fn marked(app: &App, style: Style, within: Option<Rect>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut row = String::new();
        let mut inside = false;
        let mut any = false;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            let hit = within.is_none_or(|r| r.contains(Position::new(x, y)))
                && cell.fg == style.fg.unwrap_or_default()
                && style.bg.is_none_or(|bg| cell.bg == bg);
            if hit != inside {
                row.push(if hit { '⟨' } else { '⟩' });
                inside = hit;
                any = true;
            }
            row.push_str(cell.symbol());
        }
        if inside {
            row.push('⟩');
        }
        if any {
            out.push_str(&format!("{y:>2}: {}\n", row.trim_end()));
        }
    }
    out
}

#[test]
fn picker_overlay() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(w, h, Some(SPECIMEN));
        keys(&mut app, "<C-p>trust");
        support::settle_search(&mut app);
        assert_snapshot!(format!("picker_{w}x{h}"), screen(&app));
        assert_snapshot!(
            format!("picker_highlights_{w}x{h}"),
            marked(&app, Theme::dark().matched, Some(app.picker_layout().list))
        );
    }
    // The preview highlights the terms too.
    let mut app = app(120, 40, Some(SPECIMEN));
    keys(&mut app, "<C-f>ladder");
    support::settle_search(&mut app);
    assert_snapshot!(
        "text_search_preview_highlights_120x40",
        marked(&app, Theme::dark().matched, app.picker_layout().preview)
    );
}

#[test]
fn picker_scope_and_recents() {
    let mut app = app(120, 40, Some("data_carbon_ladder"));
    keys(&mut app, "<C-p>");
    support::settle_search(&mut app);
    assert_snapshot!("picker_recent_120x40", screen(&app));
    keys(&mut app, "<Tab><Tab>mentor");
    support::settle_search(&mut app);
    assert_snapshot!("picker_headings_120x40", screen(&app));
}

#[test]
fn text_search() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(w, h, Some(SPECIMEN));
        keys(&mut app, "<C-f>ladder");
        support::settle_search(&mut app);
        assert_snapshot!(format!("text_search_{w}x{h}"), screen(&app));
        assert_snapshot!(
            format!("text_search_highlights_{w}x{h}"),
            marked(&app, Theme::dark().matched, Some(app.picker_layout().list))
        );
    }
    // The preview highlights the terms too.
    let mut app = app(120, 40, Some(SPECIMEN));
    keys(&mut app, "<C-f>ladder");
    support::settle_search(&mut app);
    assert_snapshot!(
        "text_search_preview_highlights_120x40",
        marked(&app, Theme::dark().matched, app.picker_layout().preview)
    );
}

#[test]
fn find_in_note() {
    let mut app = app(80, 24, Some("data_carbon_ladder"));
    keys(&mut app, "/ladder<Enter>n");
    assert_snapshot!("find_80x24", screen(&app));
    assert_snapshot!(
        "find_marks_80x24",
        marked(&app, Theme::dark().find_match, None)
    );
    assert_snapshot!(
        "find_current_80x24",
        marked(&app, Theme::dark().find_current, None)
    );
}

/// Every cell of a drawn buffer is safe: no control character and no bidi
/// control that could reorder the line.
fn assert_cells_safe(terminal: &Terminal<TestBackend>) {
    for cell in terminal.backend().buffer().content() {
        assert!(
            vidwiki::text::is_display_safe(cell.symbol()),
            "{:?}",
            cell.symbol()
        );
    }
}

#[test]
fn drawing_stays_inside_whatever_frame_it_is_given() {
    // The app remembers one size (the last resize event), the terminal
    // has another (it was resized again since): every combination draws.
    let sizes = [
        (1, 1),
        (2, 40),
        (200, 3),
        (29, 7),
        (30, 8),
        (79, 23),
        (80, 24),
        (121, 41),
        (250, 80),
    ];
    let mut app = app(120, 40, Some(SPECIMEN));
    keys(&mut app, "b");
    let mut drawn = 0;
    for (i, &(aw, ah)) in sizes.iter().enumerate() {
        app.update(vidwiki::app::Action::Resize(aw, ah));
        for &(tw, th) in sizes.iter().cycle().skip(i + 1).take(sizes.len()) {
            let mut terminal = Terminal::new(TestBackend::new(tw, th)).unwrap();
            terminal.draw(|f| ui::draw(f, &app)).unwrap();
            assert_cells_safe(&terminal);
            // The picker overlay, too, over a frame of another size.
            keys(&mut app, "<C-p>in");
            terminal.draw(|f| ui::draw(f, &app)).unwrap();
            keys(&mut app, "<Esc>");
            drawn += 2;
        }
    }
    assert_eq!(drawn, sizes.len() * sizes.len() * 2);
}

#[test]
fn a_buffer_smaller_than_the_area_asked_for_is_not_written_outside() {
    let app = app(120, 40, Some(SPECIMEN));
    let mut buf = ratatui::buffer::Buffer::empty(Rect::new(0, 0, 50, 10));
    ui::render(&app, Rect::new(0, 0, 120, 40), &mut buf);
    assert!(
        buf.content().iter().any(|c| c.symbol() != " "),
        "something drawn"
    );
}

#[test]
fn titles_decoded_from_yaml_escapes_draw_safely() {
    // serde_yaml turns `\e`, `\x9b` and `\u202e` into real characters after
    // the loader's sanitiser ran; drawing (a debug build asserts) and the
    // picker's rows must still see only safe text.
    let mut vault = vidwiki::vault::Vault::new("hostile");
    let text = "---\ntitle: \"Evil \\e]2;owned\\a \\x9b31m \\u202eevil\\x1b[5m\"\n---\n\n\
                # Head \\e \u{202e}x\n\nSee [[Evil]] and [[\u{2068}chan\u{2069}]].\n";
    vault.add(vidwiki::vault::loader::parse_note(
        "hostile.md",
        text.as_bytes(),
    ));
    vault.finish();
    let mut app =
        vidwiki::app::App::loaded(vault, Some("hostile".into()), Rect::new(0, 0, 100, 30));
    for (keys_typed, shows_title) in [
        ("", true),
        ("b", true),
        ("<C-p>evil", true),
        ("<Esc>H", false),
    ] {
        keys(&mut app, keys_typed);
        support::settle_search(&mut app);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal.draw(|f| ui::draw(f, &app)).unwrap();
        assert_cells_safe(&terminal);
        let screen = terminal.backend().to_string();
        assert!(
            !shows_title || screen.contains("Evil ␛]2;owned␇"),
            "{screen}"
        );
    }
}

/// `NO_COLOR` / `--color never`: not one cell carries a colour, yet links
/// stay underlined, timestamp chips bold, and the selection and the link
/// cursor reversed, so all three can still be told from the text.
#[test]
fn no_color_draws_no_colour_and_keeps_links_timestamps_and_selection_apart() {
    use ratatui::style::{Color, Modifier};
    let mut app = app(120, 40, Some(SPECIMEN));
    app.set_theme(Theme::no_color());
    // The link cursor on the first link, and a selection in the outline.
    keys(&mut app, "n");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| ui::draw(f, &app)).unwrap();
    let buf = terminal.backend().buffer();
    let mut underlined = 0;
    let mut bold_chips = 0;
    let mut reversed = 0;
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "a colour at {x},{y} ({:?})",
                cell.symbol()
            );
            underlined += usize::from(cell.modifier.contains(Modifier::UNDERLINED));
            reversed += usize::from(cell.modifier.contains(Modifier::REVERSED));
            bold_chips +=
                usize::from(cell.symbol() == "▶" && cell.modifier.contains(Modifier::BOLD));
        }
    }
    assert!(underlined > 20, "links underlined: {underlined} cells");
    assert!(bold_chips >= 5, "timestamp chips bold: {bold_chips}");
    assert!(
        reversed > 10,
        "selection and cursor reversed: {reversed} cells"
    );
}
