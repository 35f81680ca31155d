//! A note opened during a cold start, before the loader hands the parsed
//! vault over: it is parsed on its own at once (`ParseNote`), shown
//! rendered with its headings in the outline, its links resolved against
//! what the walk and the title pass know ("resolving…" for the rest, and
//! for backlinks), then replaced by the vault handed over, its text and
//! the reader's place kept. Driven by the real loader's events, fed to
//! the app as the event loop does.

mod support;

use ratatui::layout::Rect;
use support::{
    keys,
    loaded::{app_fed, load, up_to_hand_over, vault_dir, write_old},
    settle,
};
use vidwiki::{
    app::{Action, App, Effect, LinksTab, Loaded, Page, outline::Row},
    vault::{LoadEvent, NoteId, Resolution, Vault},
};

/// A long note (so the view scrolls), with headings and links: one to a
/// note the walk knows by its file name, one to a heading of a note not
/// parsed yet, one to nothing.
fn long_note() -> String {
    let mut text = String::from("---\ntitle: Long talk\n---\n\nFrom: [[alpha_channel]] <br/>\n\n");
    for part in 1..=4 {
        text.push_str(&format!("## Part {part}\n\n"));
        for line in 1..=12 {
            text.push_str(&format!("Paragraph {part}.{line} of the talk.\n\n"));
        }
    }
    text.push_str("See [[first_video]], [[first_video#Opening]] and [[nowhere]].\n");
    text
}

/// The sample vault with the long note, a cold start's events (the
/// hand-over last, taken apart) and an app fed the events before it.
fn loading_app(open: Option<&str>) -> (tempfile::TempDir, tempfile::TempDir, App, LoadEvent) {
    let (dir, root) = vault_dir();
    write_old(&root.join("alpha_channel/long_talk.md"), &long_note());
    let cache = tempfile::tempdir().unwrap();
    let (events, indexed) = up_to_hand_over(&root, cache.path());
    let app = app_fed(&root, events, open, 140);
    assert!(!app.load.done, "the hand-over is still to come");
    (dir, cache, app, indexed)
}

fn links_text(app: &App) -> String {
    format!("{:?}", app.links.entries)
}

#[test]
fn a_note_opened_from_the_picker_during_the_parse_shows_rendered_with_links_resolved_as_far_as_known()
 {
    let (_dir, _cache, mut app, _indexed) = loading_app(None);
    keys(&mut app, "<C-p>long talk");
    support::settle_search(&mut app);
    keys(&mut app, "<Enter>");
    let Page::Note(id) = app.page else {
        panic!("a note is open: {:?}", app.page)
    };
    let note = app.vault.note(id);
    assert_eq!(note.title, "Long talk");
    assert!(note.parsed, "parsed on its own, before the hand-over");
    assert_eq!(note.headings.len(), 4);
    let resolutions: Vec<Resolution> = note.links.iter().map(|l| l.resolution()).collect();
    let first = app
        .vault
        .id_of_path("alpha_channel/first_video.md")
        .unwrap();
    assert!(
        matches!(resolutions[..], [
            Resolution::Channel(_),
            Resolution::Note { note: to, heading: None, .. },
            Resolution::Pending,
            Resolution::Pending,
        ] if to == first),
        "its channel (from the title pass), a note known by its file name, a heading of a note not parsed yet, nothing yet: {resolutions:?}"
    );
    // The outline lists its headings under it.
    let headings = app
        .outline
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Heading { note, .. } if *note == id))
        .count();
    assert_eq!(headings, 4);
    let screen = support::screen(&app);
    assert!(
        screen.contains("Part 1") && !screen.contains("## Part 1"),
        "{screen}"
    );
    assert!(!screen.contains("Loading…"), "{screen}");
    let links = links_text(&app);
    assert!(links.contains("→ First video"), "{links}");
    assert!(
        links.contains("resolving…") && !links.contains("no note yet"),
        "{links}"
    );
    // Backlinks cannot be known before the whole vault is.
    keys(&mut app, "b");
    assert_eq!(app.links.tab(), LinksTab::Backlinks);
    assert!(support::screen(&app).contains("resolving…"));
}

#[test]
fn the_hand_over_replaces_the_early_note_keeping_its_text_scroll_and_link_cursor() {
    let (_dir, _cache, mut app, indexed) = loading_app(Some("Long talk"));
    let Page::Note(id) = app.page else {
        panic!("opened by its title")
    };
    assert!(app.vault.note(id).parsed);
    keys(&mut app, "<C-d><C-d><C-d><C-d>n");
    let (scroll, cursor) = (app.note.scroll, app.note.cursor);
    assert!(
        scroll > 10 && cursor.is_some(),
        "scrolled down to a link: {scroll}"
    );
    let top = support::screen(&app);

    app.on_loaded(Loaded::prepare(indexed));
    let effects = app.take_effects();
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::ReadNote(read) if read.note == id)),
        "the open note's text is kept, not read again: {effects:?}"
    );
    settle(&mut app, effects);
    assert!(app.load.done && app.vault.complete);
    assert_eq!(app.page, Page::Note(id));
    let after = support::screen(&app);
    assert_eq!(app.note.scroll, scroll, "the view does not jump");
    assert_eq!(app.note.cursor, cursor, "the same link selected");
    let note_pane = |screen: &str| -> Vec<String> {
        // The rows above the links (whose text says how they resolved).
        let rows = screen.lines().take(25);
        rows.map(|l| l.chars().skip(31).take(70).collect())
            .collect()
    };
    assert_eq!(note_pane(&after), note_pane(&top));
    // The full vault's version: every link resolved, backlinks known.
    let note = app.vault.note(id);
    assert!(note.links[2].resolution().note().is_some());
    assert!(note.links[3].resolution().is_unresolved());
    assert!(links_text(&app).contains("no note yet"));
}

#[test]
fn a_note_opened_at_the_walk_is_parsed_before_its_title_comes_and_the_title_pass_keeps_it() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let events = load(&root, cache.path());
    let mut app = App::new(
        Vault::new(&root),
        Some("second_video".to_owned()),
        Rect::new(0, 0, 100, 30),
    );
    let mut titled = false;
    for event in events {
        let titles = matches!(event, LoadEvent::Titles(_));
        let handing = matches!(event, LoadEvent::Indexed(_));
        if titles && !titled {
            titled = true;
            // Opened by its file name from the walk's paths, and parsed.
            let Page::Note(id) = app.page else {
                panic!("opened at the walk")
            };
            assert!(app.vault.note(id).parsed);
        }
        app.on_loaded(Loaded::prepare(event));
        settle(&mut app, Vec::new());
        if titles {
            let id = app.open_note().unwrap();
            let note = app.vault.note(id);
            assert!(note.parsed && note.title == "Second video", "{note:?}");
            assert_eq!(note.links.len(), 2, "its channel and a note");
        }
        if handing {
            assert!(app.load.done);
        }
    }
    assert!(titled);
    keys(&mut app, "<C-p>second");
    support::settle_search(&mut app);
    let hits = format!("{:?}", app.picker.as_ref().unwrap().hits());
    assert_eq!(hits.matches("Second video").count(), 1, "{hits}");
}

#[test]
fn an_early_parse_answered_after_the_hand_over_is_dropped_without_a_word() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let (events, indexed) = up_to_hand_over(&root, cache.path());
    let mut app = App::new(
        Vault::new(&root),
        Some("Second video".to_owned()),
        Rect::new(0, 0, 100, 30),
    );
    let mut parses = Vec::new();
    for event in events {
        app.on_loaded(Loaded::prepare(event));
        // The parse is kept on its way; the rest is carried out.
        let effects = app.take_effects();
        let (parse, others): (Vec<Effect>, Vec<Effect>) = effects
            .into_iter()
            .partition(|e| matches!(e, Effect::ParseNote(_)));
        parses.extend(parse);
        settle(&mut app, others);
    }
    assert_eq!(parses.len(), 1, "asked once: {parses:?}");
    app.on_loaded(Loaded::prepare(indexed));
    settle(&mut app, Vec::new());
    let id = app.open_note().unwrap();
    app.update(Action::Resize(100, 30));
    let before = format!("{:?}", app.vault.note(id));
    let Some(Effect::ParseNote(parse)) = parses.pop() else {
        unreachable!()
    };
    let parsed = vidwiki::tui::parse_note(&parse);
    app.on_note_parsed(&parse, parsed);
    assert!(app.message.is_none(), "{:?}", app.message);
    assert_eq!(format!("{:?}", app.vault.note(id)), before);
    assert_eq!(app.page, Page::Note(NoteId(id.0)));
}

#[test]
fn snapshot_of_a_note_opened_during_a_cold_start() {
    let (_dir, _cache, mut app, _indexed) = loading_app(Some("Long talk"));
    // Wide enough for the links pane: a note known by its file name, the
    // rest resolving.
    app.update(Action::Resize(140, 24));
    settle(&mut app, Vec::new());
    insta::assert_snapshot!("early_parse_opened_mid_load_140x24", support::screen(&app));
}
