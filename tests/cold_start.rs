//! The browser's cold start (nothing in the index cache): the walk, every
//! title, then the whole vault parsed and finished on the loader's thread
//! and handed over in one message (no batches of notes for the UI thread,
//! no finish on it); the index file is filled meanwhile and completed
//! after the hand-over, with the resolved index, so the next start is
//! warm. Driven by the real loader (`spawn_indexed`) and fed to the app
//! as the event loop does (`Loaded::prepare` on the loader's side).

mod support;

use ratatui::layout::Rect;
use support::{
    keys,
    loaded::{
        app_fed, handed_over, index_of, load, load_until, up_to_hand_over, vault_dir, write_at,
    },
    settle,
};
use vidwiki::{
    app::{App, Loaded, Page},
    vault::{IndexCache, LoadEvent, TimeOptions, Vault, loader},
};

/// The kinds of the events, in order, batches of one kind counted once.
fn kinds(events: &[LoadEvent]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for event in events {
        let kind = match event {
            LoadEvent::Found { .. } => "Found",
            LoadEvent::Paths(_) => "Paths",
            LoadEvent::Titles(_) => "Titles",
            LoadEvent::Notes(_) => "Notes",
            LoadEvent::Problem(_) => "Problem",
            LoadEvent::Resolved(_) => "Resolved",
            LoadEvent::Indexed(_) => "Indexed",
            LoadEvent::Bodies { .. } => "Bodies",
            LoadEvent::Done => "Done",
            LoadEvent::Failed(_) => "Failed",
        };
        if out.last() != Some(&kind) {
            out.push(kind);
        }
    }
    out
}

fn cache_files(cache: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_cold_start_sends_every_title_then_hands_the_whole_vault_over_parsed_and_finished() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let events = load(&root, cache.path());
    assert_eq!(
        kinds(&events),
        ["Found", "Paths", "Titles", "Indexed"],
        "no note batches, no Done: the hand-over ends the load"
    );
    let titles: usize = events
        .iter()
        .map(|e| match e {
            LoadEvent::Titles(batch) => batch.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(titles, 3, "every note titled before the parse");
    let vault = handed_over(&events).unwrap();
    assert!(vault.complete && vault.notes.iter().all(|n| n.parsed));
    assert!(!vault.resolved_from_cache(), "resolved by the loader");
    let full = loader::load(&root).unwrap();
    assert_eq!(index_of(vault), index_of(&full));
}

#[test]
fn the_cold_start_fills_the_cache_so_the_next_start_hands_the_heads_over_and_check_reads_it_all() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    load(&root, cache.path());
    let files = cache_files(cache.path());
    assert_eq!(
        files.len(),
        1,
        "the index file alone, no spill left: {files:?}"
    );

    let warm = load(&root, cache.path());
    assert_eq!(
        kinds(&warm),
        ["Found", "Indexed", "Bodies", "Done"],
        "the heads, with the resolved index the cold start saved"
    );
    assert!(handed_over(&warm).unwrap().resolved_from_cache());
    let full = loader::load(&root).unwrap();
    let mut app = App::new(Vault::new(&root), None, Rect::new(0, 0, 100, 30));
    for event in warm {
        app.on_loaded(Loaded::prepare(event));
        settle(&mut app, Vec::new());
    }
    assert!(app.load.settled());
    assert_eq!(index_of(&app.vault), index_of(&full), "every body fits");

    // A command's load takes every note and the resolved index from it.
    let (vault, timings) = loader::load_cached(
        &root,
        TimeOptions::default(),
        Some(&IndexCache::in_dir(cache.path())),
    )
    .unwrap();
    assert_eq!((timings.cache.hits, timings.cache.parsed), (3, 0));
    assert!(timings.cache.resolved);
    assert_eq!(index_of(&vault), index_of(&full));
}

#[test]
fn a_note_too_new_for_the_cache_is_handed_over_but_left_out_of_the_file_with_the_resolved_index() {
    let (_dir, root) = vault_dir();
    write_at(
        &root.join("beta_channel/third.md"),
        "---\ntitle: Third talk\n---\n\nJust written.\n",
        0,
    );
    let cache = tempfile::tempdir().unwrap();
    let cold = load(&root, cache.path());
    assert_eq!(handed_over(&cold).unwrap().notes.len(), 3);
    // The next start: two notes from the cache, the new one parsed, and
    // no resolved index to trust (it would speak of a note not saved).
    let (vault, timings) = loader::load_cached(
        &root,
        TimeOptions::default(),
        Some(&IndexCache::in_dir(cache.path())),
    )
    .unwrap();
    assert_eq!((timings.cache.hits, timings.cache.parsed), (2, 1));
    assert!(!timings.cache.resolved);
    assert_eq!(index_of(&vault), index_of(&loader::load(&root).unwrap()));
}

#[test]
fn a_cold_start_left_before_the_hand_over_leaves_no_file_behind() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let events = load_until(&root, cache.path(), |e| matches!(e, LoadEvent::Indexed(_)));
    assert_eq!(kinds(&events), ["Found", "Paths", "Titles"]);
    assert_eq!(cache_files(cache.path()), Vec::<String>::new());
}

#[test]
fn a_note_opened_during_the_title_pass_stays_open_through_the_hand_over_and_the_picker_finds_its_items()
 {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let (events, indexed) = up_to_hand_over(&root, cache.path());
    let mut app = app_fed(&root, events, Some("Second video"), 100);
    let second = app
        .open_note()
        .expect("opened by its title, from the title pass");
    assert!(!app.load.done);
    assert_eq!(app.vault.note(second).title, "Second video");
    // Parsed on its own at once (see tests/early_parse.rs): its links
    // are known, its backlinks not yet.
    assert!(app.vault.note(second).parsed);
    assert_eq!(app.vault.note(second).links.len(), 2);
    // Wide enough for the links pane.
    app.update(vidwiki::app::Action::Resize(140, 30));
    app.update(vidwiki::app::Action::ShowLinks(
        vidwiki::app::LinksTab::Backlinks,
    ));
    let before = support::screen(&app);
    assert!(
        before.contains("resolving…") && !before.contains("No note links here"),
        "its backlinks are not known yet, not absent: {before}"
    );
    app.update(vidwiki::app::Action::Resize(100, 30));

    app.on_loaded(Loaded::prepare(indexed));
    settle(&mut app, Vec::new());
    assert!(app.load.done && app.vault.complete);
    assert_eq!(app.page, Page::Note(second), "the same note, the same id");
    assert!(app.vault.note(second).parsed);
    assert_eq!(app.load.loaded, 3);
    app.update(vidwiki::app::Action::ShowLinks(
        vidwiki::app::LinksTab::Links,
    ));
    let links = format!("{:?}", app.links.entries);
    assert!(links.contains("→ First video"), "{links}");

    keys(&mut app, "<C-p>opening");
    support::settle_search(&mut app);
    let hits = format!("{:?}", app.picker.as_ref().unwrap().hits());
    assert!(
        hits.contains("Opening"),
        "a heading item, handed over: {hits}"
    );
}

#[test]
fn the_text_store_is_prepared_after_the_frame_showing_the_index_not_in_the_swap() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let events = load(&root, cache.path());
    let mut app = App::new(Vault::new(&root), None, Rect::new(0, 0, 100, 30));
    app.fulltext_dir = Some(cache.path().join("texts"));
    for event in events {
        app.on_loaded(Loaded::prepare(event));
        settle(&mut app, Vec::new());
    }
    assert!(app.load.settled());
    assert!(app.fulltext.is_none(), "nothing started by the swap");
    app.after_frame();
    let ft = app
        .fulltext
        .as_ref()
        .expect("started once a frame is drawn");
    // Its preparation ends with a Done message (no sleep: it blocks).
    assert!(matches!(
        ft.recv(),
        Some(vidwiki::search::fulltext::Message::Done { .. })
    ));
    app.after_frame();
    assert_eq!(
        app.load.after_frame,
        vidwiki::app::AfterFrame::Nothing,
        "once"
    );
}

#[test]
fn past_the_first_screens_of_notes_the_loading_home_page_counts_follow_every_2048_notes_and_all_at_done()
 {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(Vault::new(dir.path()), None, Rect::new(0, 0, 100, 30));
    // The home page's count of notes.
    let counted = |app: &App| {
        let lines = &app.view().lines;
        let counts = lines.iter().map(ToString::to_string);
        counts.into_iter().find(|line| line.contains(" notes"))
    };
    app.on_loaded(Loaded::prepare(LoadEvent::Found { notes: 2_304 }));
    let mut next = 0;
    let mut batch = |n: usize| -> Vec<vidwiki::vault::Note> {
        let notes = (next..next + n)
            .map(|i| vidwiki::vault::Note::empty(&format!("note_{i}.md")))
            .collect();
        next += n;
        notes
    };
    for _ in 0..8 {
        app.on_loaded(Loaded::prepare(LoadEvent::Notes(batch(256))));
        settle(&mut app, Vec::new());
    }
    assert!(counted(&app).unwrap().contains("2,048 notes"));
    app.on_loaded(Loaded::prepare(LoadEvent::Notes(batch(256))));
    settle(&mut app, Vec::new());
    assert!(
        counted(&app).unwrap().contains("2,048 notes"),
        "not drawn again for this batch: {:?}",
        counted(&app)
    );
    app.on_loaded(Loaded::prepare(LoadEvent::Done));
    settle(&mut app, Vec::new());
    assert!(counted(&app).unwrap().contains("2,304 notes"));
}
