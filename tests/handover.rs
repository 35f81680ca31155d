//! The browser's warm start: when every note is unchanged in the index
//! cache, the loader builds and finishes the whole vault and the picker's
//! items on its own thread and hands them over in one message; the UI
//! swaps them in. Driven by the real loader (`spawn_indexed`) and fed to
//! the app as the event loop does (`Loaded::prepare` on the loader's side).

mod support;

use ratatui::layout::Rect;
use support::{keys, settle};
use vidwiki::{
    app::{App, Loaded, Page},
    vault::{IndexCache, LoadEvent, Vault, loader},
};

/// A vault of two channel folders, in a folder named `demo`.
fn vault_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    for (path, text) in [
        (
            "alpha_channel/first_video.md",
            "---\ntitle: First video\n---\n\nFrom: [[alpha_channel]] <br/>\n\n# Opening\n\nSee [[second_video]] and [[nowhere]].\n",
        ),
        (
            "alpha_channel/second_video.md",
            "---\ntitle: Second video\n---\n\nFrom: [[alpha_channel]] <br/>\n\nBack to [[first_video]].\n",
        ),
        (
            "beta_channel/third.md",
            "---\ntitle: Third talk\n---\n\nFrom: [[beta_channel]] <br/>\n\nText.\n",
        ),
    ] {
        write_old(&root.join(path), text);
    }
    (dir, root)
}

/// Writes a note dated an hour ago: the cache keeps only notes whose
/// time is safely in the past (a write within the same tick could go
/// unseen).
fn write_old(file: &std::path::Path, text: &str) {
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// Every event of one run of the browser's loader, in order.
fn load(root: &std::path::Path, cache: &std::path::Path) -> Vec<LoadEvent> {
    let (send, receive) = std::sync::mpsc::channel();
    loader::spawn_indexed(root.to_path_buf(), IndexCache::in_dir(cache), move |e| {
        send.send(e).is_ok()
    })
    .join()
    .expect("the loader ends");
    receive.try_iter().collect()
}

fn handed_over(events: &[LoadEvent]) -> Option<&Vault> {
    events.iter().find_map(|e| match e {
        LoadEvent::Indexed(vault) => Some(&**vault),
        _ => None,
    })
}

fn count(events: &[LoadEvent], what: fn(&LoadEvent) -> bool) -> usize {
    events.iter().filter(|e| what(e)).count()
}

#[test]
fn a_warm_start_hands_the_whole_vault_over_finished_with_the_cached_resolved_index_when_there_is_one()
 {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let cold = load(&root, cache.path());
    assert!(handed_over(&cold).is_none(), "cold: nothing cached");
    assert_eq!(count(&cold, |e| matches!(e, LoadEvent::Done)), 1);

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
        "the cold browser start saved no resolved index: resolved by the loader"
    );
    let first = vault.id_of_path("alpha_channel/first_video.md").unwrap();
    let second = vault.id_of_path("alpha_channel/second_video.md").unwrap();
    assert!(
        vault.backlinks[second.0 as usize]
            .iter()
            .any(|b| b.source == first)
    );

    // A command saves the resolved index; the browser's next start takes it.
    loader::load_cached(
        &root,
        vidwiki::vault::TimeOptions::default(),
        Some(&IndexCache::in_dir(cache.path())),
    )
    .unwrap();
    let again = load(&root, cache.path());
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
    let mut app = App::new(
        Vault::new(root),
        open.map(str::to_owned),
        Rect::new(0, 0, 100, 30),
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
    load(&root, cache.path());
    let mut warm = load(&root, cache.path());
    let indexed = warm.pop().expect("the hand-over comes last");
    assert!(matches!(indexed, LoadEvent::Indexed(_)));
    // The walk's events alone: the note opens from its path.
    let mut app = app_fed(&root, warm, Some("first_video"));
    let first = app.open_note().expect("opened from the walk");
    assert!(!app.load.done);
    assert!(app.vault.note(first).links.is_empty(), "not parsed yet");

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
