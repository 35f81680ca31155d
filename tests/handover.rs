//! The browser's warm start: when every note is unchanged in the index
//! cache, the loader builds and finishes the whole vault and the picker's
//! items on its own thread and hands them over in one message; the UI
//! swaps them in. Driven by the real loader (`spawn_indexed`) and fed to
//! the app as the event loop does (`Loaded::prepare` on the loader's side).

mod support;

use ratatui::layout::Rect;
use support::{
    keys,
    loaded::{handed_over, index_of, load, vault_dir, write_old},
    screen, settle,
};
use vidwiki::{
    app::{App, Loaded, Page},
    vault::{IndexCache, LoadEvent, Vault, loader},
};

/// A cache filled by the other cached loader (`spawn_cached`), which
/// saves no resolved index (as a background save may leave it).
fn fill_without_resolved(root: &std::path::Path, cache: &std::path::Path) {
    loader::spawn_cached(root.to_path_buf(), IndexCache::in_dir(cache), |_| true)
        .join()
        .expect("the loader ends");
}

fn count(events: &[LoadEvent], what: fn(&LoadEvent) -> bool) -> usize {
    events.iter().filter(|e| what(e)).count()
}

#[test]
fn a_warm_start_hands_the_whole_vault_over_finished_with_the_cached_resolved_index_when_there_is_one()
 {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    fill_without_resolved(&root, cache.path());

    let warm = load(&root, cache.path());
    let vault = handed_over(&warm).expect("every note unchanged: handed over");
    assert_eq!(
        count(&warm, |e| matches!(
            e,
            LoadEvent::Notes(_) | LoadEvent::Titles(_) | LoadEvent::Done
        )),
        0,
        "the hand-over replaces the batches and Done"
    );
    let Some(LoadEvent::Paths(paths)) = warm.iter().find(|e| matches!(e, LoadEvent::Paths(_)))
    else {
        panic!("the walk's paths come first");
    };
    let handed: Vec<&String> = vault.notes.iter().map(|n| &n.path).collect();
    assert_eq!(handed, paths.iter().collect::<Vec<_>>(), "the walk's order");
    assert!(vault.notes.iter().all(|n| n.parsed));
    assert!(
        !vault.resolved_from_cache(),
        "the cache held no resolved index: resolved by the loader"
    );
    let first = vault.id_of_path("alpha_channel/first_video.md").unwrap();
    let second = vault.id_of_path("alpha_channel/second_video.md").unwrap();
    assert!(
        vault.backlinks[second.0 as usize]
            .iter()
            .any(|b| b.source == first)
    );

    // That start saved the resolved index it made: the browser's next
    // start hands over the notes' heads, and the bodies follow.
    let again = load(&root, cache.path());
    assert!(
        count(&again, |e| matches!(e, LoadEvent::Bodies { .. })) > 0,
        "the heads handed over without a command having run"
    );
    let vault = handed_over(&again).expect("still unchanged");
    assert!(
        vault.resolved_from_cache(),
        "links, backlinks, tree from the cache"
    );
    let second = vault.id_of_path("alpha_channel/second_video.md").unwrap();
    assert!(
        vault.backlinks[second.0 as usize]
            .iter()
            .any(|b| b.source == first)
    );

    // A changed note: no hand-over; it is parsed again and seen.
    write_old(
        &root.join("beta_channel/third.md"),
        "---\ntitle: Third talk, longer\n---\n\nText again.\n",
    );
    let changed = load(&root, cache.path());
    assert!(handed_over(&changed).is_none());
    let titles: Vec<String> = changed
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Notes(batch) => Some(batch.iter().map(|n| n.title.clone())),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(
        titles.contains(&"Third talk, longer".to_owned()),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 3, "every note once: {titles:?}");
}

/// An app fed with the loader's events as the event loop feeds them.
fn app_fed(root: &std::path::Path, events: Vec<LoadEvent>, open: Option<&str>) -> App {
    app_fed_at(root, events, open, 100)
}

/// [`app_fed`] on a screen `width` columns wide (the links pane shows from
/// 120 columns).
fn app_fed_at(
    root: &std::path::Path,
    events: Vec<LoadEvent>,
    open: Option<&str>,
    width: u16,
) -> App {
    let mut app = App::new(
        Vault::new(root),
        open.map(str::to_owned),
        Rect::new(0, 0, width, 30),
    );
    for event in events {
        app.on_loaded(Loaded::prepare(event));
        settle(&mut app, Vec::new());
    }
    app
}

#[test]
fn a_note_opened_before_the_hand_over_stays_open_and_the_picker_finds_the_handed_items() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    fill_without_resolved(&root, cache.path());
    let mut warm = load(&root, cache.path());
    let indexed = warm.pop().expect("the hand-over comes last");
    assert!(matches!(indexed, LoadEvent::Indexed(_)));
    // The walk's events alone: the note opens from its path.
    let mut app = app_fed(&root, warm, Some("first_video"));
    let first = app.open_note().expect("opened from the walk");
    assert!(!app.load.done);
    // Parsed on its own at once (see tests/early_parse.rs), its links
    // resolved as far as the walk knows.
    assert!(app.vault.note(first).parsed);

    app.on_loaded(Loaded::prepare(indexed));
    settle(&mut app, Vec::new());
    assert!(app.load.done);
    assert_eq!(app.page, Page::Note(first), "the same note, the same id");
    assert_eq!(app.vault.note(first).title, "First video");
    keys(&mut app, "l");
    let links = format!("{:?}", app.links.entries);
    assert!(!links.contains("resolving…"), "{links}");
    assert!(links.contains("→ Second video"), "{links}");
    let shown: String = app
        .view()
        .lines
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect();
    assert!(shown.contains("nowhere?"), "drawn again, resolved: {shown}");

    // The picker matches the handed-over items: notes, headings, channels.
    keys(&mut app, "<C-p>");
    keys(&mut app, "second video");
    support::settle_search(&mut app);
    let hits: Vec<String> = app
        .picker
        .as_ref()
        .unwrap()
        .hits()
        .iter()
        .map(|h| h.text.clone())
        .collect();
    assert_eq!(
        hits.first().map(String::as_str),
        Some("Second video"),
        "{hits:?}"
    );
    keys(&mut app, "<Enter>");
    let second = app
        .vault
        .id_of_path("alpha_channel/second_video.md")
        .unwrap();
    assert_eq!(app.page, Page::Note(second));
    keys(&mut app, "<C-p>opening");
    support::settle_search(&mut app);
    let hits = format!("{:?}", app.picker.as_ref().unwrap().hits());
    assert!(hits.contains("Opening"), "a heading item: {hits}");
}

#[test]
fn a_handed_over_vault_without_the_walk_before_it_is_taken_in_note_by_note() {
    let (_dir, root) = vault_dir();
    let vault = loader::load(&root).unwrap();
    let mut app = app_fed(&root, vec![LoadEvent::Indexed(Box::new(vault))], None);
    assert!(app.load.done);
    assert_eq!(app.vault.notes.len(), 3);
    keys(&mut app, "<C-p>third");
    support::settle_search(&mut app);
    let hits = app.picker.as_ref().unwrap().hits();
    assert_eq!(hits.first().map(|h| h.text.as_str()), Some("Third talk"));
}

/// The loader's events once a command saved the resolved index: a warm
/// start that hands over the notes' heads, then their bodies.
fn warm_with_resolved_index(root: &std::path::Path, cache: &std::path::Path) -> Vec<LoadEvent> {
    load(root, cache);
    loader::load_cached(
        root,
        vidwiki::vault::TimeOptions::default(),
        Some(&IndexCache::in_dir(cache)),
    )
    .unwrap();
    load(root, cache)
}

#[test]
fn with_the_resolved_index_the_heads_are_handed_over_then_the_bodies_and_the_vault_ends_as_a_full_load()
 {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let events = warm_with_resolved_index(&root, cache.path());
    let heads = handed_over(&events).expect("every note unchanged: handed over");
    assert!(heads.notes.iter().all(|n| !n.parsed), "heads only");
    assert!(heads.complete && heads.resolved_from_cache());
    let full = loader::load(&root).unwrap();
    // Everything but the notes' own links, timestamps and front matter
    // is there already: titles, headings, backlinks, tree, channels.
    for (head, whole) in heads.notes.iter().zip(&full.notes) {
        assert_eq!(
            (&head.path, &head.title, head.headings.len()),
            (&whole.path, &whole.title, whole.headings.len())
        );
        assert!(head.links.is_empty() && head.timestamps.is_empty());
    }
    assert_eq!(heads.backlinks, full.backlinks);
    assert_eq!(heads.tree, full.tree);
    assert_eq!(format!("{:?}", heads.wanted), format!("{:?}", full.wanted));
    assert_eq!(
        count(&events, |e| matches!(e, LoadEvent::Bodies { .. })),
        1,
        "three notes: one batch"
    );
    assert!(matches!(events.last(), Some(LoadEvent::Done)));
    assert_eq!(
        count(&events, |e| matches!(
            e,
            LoadEvent::Notes(_) | LoadEvent::Titles(_)
        )),
        0
    );

    let app = app_fed(&root, events, None);
    assert!(app.load.settled());
    assert!(app.vault.notes.iter().all(|n| n.parsed));
    assert_eq!(index_of(&app.vault), index_of(&full));
}

#[test]
fn a_head_only_note_shows_resolving_where_its_body_is_needed_and_everything_once_it_is_in() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let mut events = warm_with_resolved_index(&root, cache.path());
    let done = events.pop().expect("Done last");
    let bodies = events.pop().expect("the bodies before it");
    assert!(matches!(bodies, LoadEvent::Bodies { resolved: true, .. }));
    let mut app = app_fed_at(&root, events, Some("first_video"), 140);
    let first = app.open_note().expect("opened");
    let second = app
        .vault
        .id_of_path("alpha_channel/second_video.md")
        .unwrap();
    // Loading is done: indexed, every title and heading findable.
    assert!(app.load.done && !app.load.settled());
    assert!(app.body_pending(first));
    keys(&mut app, "<C-p>opening");
    support::settle_search(&mut app);
    let hits = format!("{:?}", app.picker.as_ref().unwrap().hits());
    assert!(hits.contains("Opening"), "a heading item: {hits}");
    keys(&mut app, "<Esc>");
    // The note itself shows (read back), its links pane waits.
    let shown: String = app.view().lines.iter().map(|l| l.to_string()).collect();
    assert!(shown.contains("See"), "{shown}");
    keys(&mut app, "l");
    assert!(app.links_wait_for_bodies());
    assert!(app.links.entries.is_empty());
    let drawn = screen(&app);
    assert!(drawn.contains("resolving…"), "{drawn}");
    // Its backlinks are known (count), their lines wait.
    assert_eq!(app.vault.backlinks(first).len(), 1);
    keys(&mut app, "<Esc>");
    // A note read again meanwhile waits for the bodies.
    keys(&mut app, "r");
    assert!(app.load.touched.contains("alpha_channel/first_video.md"));
    // The home page says it is still loading (its counts are partial).
    keys(&mut app, "H");
    assert!(screen(&app).contains("Loading the vault…"));

    app.on_loaded(Loaded::prepare(bodies));
    app.on_loaded(Loaded::prepare(done));
    let effects = settle(&mut app, Vec::new());
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.load.settled());
    assert!(
        app.load.touched.is_empty(),
        "the waiting read was carried out"
    );
    assert!(!screen(&app).contains("Loading the vault…"));
    keys(&mut app, "<C-p>first video");
    support::settle_search(&mut app);
    keys(&mut app, "<Enter>");
    assert_eq!(app.page, Page::Note(first));
    keys(&mut app, "l");
    let links = format!("{:?}", app.links.entries);
    assert!(links.contains("→ Second video"), "{links}");
    keys(&mut app, "<Esc><C-p>second video");
    support::settle_search(&mut app);
    keys(&mut app, "<Enter>");
    assert_eq!(app.page, Page::Note(second));
    keys(&mut app, "l<Tab>");
    let drawn = screen(&app);
    assert!(!drawn.contains("resolving…"), "{drawn}");
    let backlinks = format!("{:?}", app.links.entries);
    assert!(backlinks.contains("First video"), "{backlinks}");
    let full = loader::load(&root).unwrap();
    assert_eq!(index_of(&app.vault), index_of(&full));
}

#[test]
fn bodies_that_come_unresolved_or_do_not_fit_are_resolved_again_and_read_again() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let mut events = warm_with_resolved_index(&root, cache.path());
    let done = events.pop().unwrap();
    let Some(LoadEvent::Bodies { notes, .. }) = events.pop() else {
        panic!("bodies before Done");
    };
    let mut app = app_fed(&root, events, None);
    // The first body as a reparse would send it (links not resolved),
    // the second not fitting its head (another size), the third lost.
    let mut notes = notes.into_iter();
    let (first, mut whole) = notes.next().unwrap();
    for link in whole.links.iter_mut() {
        link.set_resolution(vidwiki::vault::Resolution::Pending);
    }
    let (second, mut misfit) = notes.next().unwrap();
    misfit.size += 1;
    app.on_loaded(Loaded::prepare(LoadEvent::Bodies {
        notes: vec![(first, whole), (second, misfit)],
        resolved: false,
    }));
    app.on_loaded(Loaded::prepare(done));
    settle(&mut app, Vec::new());
    assert!(app.load.settled());
    let full = loader::load(&root).unwrap();
    assert_eq!(index_of(&app.vault), index_of(&full));
}

#[test]
fn the_text_store_is_made_fresh_once_every_body_is_in_not_at_the_hand_over() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let mut events = warm_with_resolved_index(&root, cache.path());
    let done = events.pop().expect("Done last");
    let bodies = events.pop().expect("the bodies before it");
    let mut app = App::new(Vault::new(&root), None, Rect::new(0, 0, 100, 30));
    app.fulltext_dir = Some(cache.path().to_owned());
    for event in events {
        app.on_loaded(Loaded::prepare(event));
        settle(&mut app, Vec::new());
    }
    assert!(app.load.done && !app.load.settled());
    assert!(
        app.fulltext.is_none(),
        "no text store work while the bodies come"
    );
    for event in [bodies, done] {
        app.on_loaded(Loaded::prepare(event));
        settle(&mut app, Vec::new());
    }
    assert!(app.load.settled());
    assert!(app.fulltext.is_none(), "not before the frame showing it");
    app.after_frame();
    let ft = app.fulltext.as_ref().expect("the store's worker started");
    // Its preparation ends with a Done message (no sleep: it blocks).
    assert!(matches!(
        ft.recv(),
        Some(vidwiki::search::fulltext::Message::Done { .. })
    ));
}

#[test]
fn a_warm_start_the_cache_serves_sends_the_heads_in_place_of_the_walks_paths() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let events = warm_with_resolved_index(&root, cache.path());
    assert!(
        matches!(events.first(), Some(LoadEvent::Found { notes: 3 })),
        "the walk's count first"
    );
    assert_eq!(
        count(&events, |e| matches!(e, LoadEvent::Paths(_))),
        0,
        "no walk's paths: the heads are the walk"
    );
    let heads = handed_over(&events).expect("handed over");
    let walked: Vec<String> = loader::walk(&root)
        .unwrap()
        .files
        .into_iter()
        .map(|f| f.relative)
        .collect();
    let handed: Vec<String> = heads.notes.iter().map(|n| n.path.clone()).collect();
    assert_eq!(handed, walked, "the walk's order, so the walk's ids");

    // Taken in by an app that saw no walk: swapped in as the walk and
    // the index at once, the note named at start opened.
    let app = app_fed(&root, events, Some("second_video"));
    assert!(app.load.walked && app.load.settled());
    let second = app
        .vault
        .id_of_path("alpha_channel/second_video.md")
        .unwrap();
    assert_eq!(app.page, Page::Note(second));
    assert_eq!(app.vault.notes.len(), 3);

    // A changed note: the cache cannot serve, the walk's paths come as
    // before and the changed note is parsed.
    write_old(
        &root.join("beta_channel/third.md"),
        "---\ntitle: Third talk, changed\n---\n\nText again.\n",
    );
    let changed = load(&root, cache.path());
    assert!(handed_over(&changed).is_none());
    assert_eq!(count(&changed, |e| matches!(e, LoadEvent::Paths(_))), 1);
    let app = app_fed(&root, changed, None);
    assert!(app.load.settled());
    assert!(
        app.vault
            .notes
            .iter()
            .any(|n| n.title == "Third talk, changed")
    );
}
