//! Navigable from the walk: before any note is read, the outline shows the
//! vault's folders and file names and the home page its counts; a note can
//! be opened, its links say they are resolving, and they resolve when the
//! index is complete. Driven by the loader's own events, in order.

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{keys, settle};
use vidwiki::{
    app::{App, Loaded, outline::Row, send_walk},
    ui,
    vault::{IndexCache, LoadEvent, Vault, loader},
};

/// A vault of two channel folders, in a folder named `demo` (the name the
/// home page shows).
fn vault_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    for (path, text) in [
        (
            "alpha_channel/first_video.md",
            "---\ntitle: First video\n---\n\nFrom: [[alpha_channel]] <br/>\n\nSee [[second_video]] and [[nowhere]].\n",
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
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    (dir, root)
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

/// An app that has had only the walk's events.
fn walked(root: &std::path::Path, open: Option<&str>) -> (App, Vec<loader::FoundFile>) {
    let files = loader::walk(root).unwrap().files;
    let mut app = App::new(
        Vault::new(root),
        open.map(str::to_owned),
        Rect::new(0, 0, 100, 24),
    );
    app.on_load(LoadEvent::Found { notes: files.len() });
    take_walk(&mut app, files.iter().map(|f| f.relative.clone()).collect());
    settle(&mut app, Vec::new());
    (app, files)
}

/// The walk's paths as the browser takes them in: made ready off the UI
/// thread in two parts (the notes and the tree, then their keys and the
/// notes by path), which the app swaps in.
fn take_walk(app: &mut App, paths: Vec<String>) {
    let parts = std::cell::RefCell::new(Vec::new());
    let mut between = 0;
    let handed = send_walk(
        paths,
        |loaded| {
            parts.borrow_mut().push(loaded);
            true
        },
        || between = parts.borrow().len(),
    );
    assert!(handed);
    let parts = parts.into_inner();
    assert_eq!((parts.len(), between), (2, 1), "two parts, marked between");
    for loaded in parts {
        app.on_loaded(loaded);
    }
}

fn page_text(app: &App) -> String {
    app.view()
        .lines
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect()
}

#[test]
fn after_the_walk_alone_the_outline_shows_folders_and_file_names() {
    let (_dir, root) = vault_dir();
    let (app, _) = walked(&root, None);
    assert!(!app.load.done);
    let folders: Vec<&str> = app
        .outline
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Folder { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(folders, ["alpha_channel", "beta_channel"]);
    let names: Vec<&str> = app
        .outline
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Note { id, .. } => Some(app.vault.note(*id).title.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["first_video", "second_video", "third"]);
    // The home page: the counts, and the folders with their notes.
    let home = page_text(&app);
    assert!(home.contains("3 notes · 2 folders"), "{home}");
    assert!(home.contains("alpha_channel · 2 notes"), "{home}");
    assert!(home.contains("beta_channel · 1 note"), "{home}");
    assert_snapshot!("walk_only_100x24", screen(&app));
}

#[test]
fn titles_replace_file_names_and_channels_come_with_them() {
    let (_dir, root) = vault_dir();
    let (mut app, files) = walked(&root, None);
    app.on_load(LoadEvent::Titles(
        files.iter().map(loader::read_title).collect(),
    ));
    settle(&mut app, Vec::new());
    let names: Vec<&str> = app
        .outline
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Note { id, .. } => Some(app.vault.note(*id).title.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["First video", "Second video", "Third talk"]);
    assert_eq!(app.vault.notes.len(), 3, "replaced in place, not added");
    let home = page_text(&app);
    assert!(home.contains("3 notes · 2 channels"), "{home}");
    assert!(
        home.contains("alpha_channel") && home.contains("2 notes"),
        "{home}"
    );
    assert!(!home.contains("Folders"), "{home}");
}

#[test]
fn a_note_opened_before_the_index_is_complete_resolves_its_links_after() {
    let (_dir, root) = vault_dir();
    let (mut app, files) = walked(&root, Some("first_video"));
    let first = app.open_note().expect("opened from the walk alone");
    assert_eq!(app.vault.note(first).path, "alpha_channel/first_video.md");
    let shown = page_text(&app);
    assert!(shown.contains("See second_video and nowhere"), "{shown}");
    // The full parse of every note, but not yet the end of the load.
    app.on_load(LoadEvent::Titles(
        files.iter().map(loader::read_title).collect(),
    ));
    app.on_load(LoadEvent::Notes(
        files.iter().map(loader::read_note).collect(),
    ));
    settle(&mut app, Vec::new());
    keys(&mut app, "l");
    let targets: Vec<String> = app.links.entries.iter().map(|e| format!("{e:?}")).collect();
    assert!(
        targets.iter().all(|t| t.contains("resolving…")) && targets.len() == 3,
        "{targets:#?}"
    );
    app.on_load(LoadEvent::Done);
    settle(&mut app, Vec::new());
    keys(&mut app, "l");
    let entries = format!("{:?}", app.links.entries);
    assert!(!entries.contains("resolving…"), "{entries}");
    assert!(entries.contains("→ Second video"), "{entries}");
    // The page was drawn again: the missing topic is marked now.
    let shown = page_text(&app);
    assert!(shown.contains("nowhere?"), "{shown}");
}

/// What the app holds after the walk: every note's path and title, the
/// tree, the outline's rows, the notes by path, and what each file name
/// finds.
fn after_walk(app: &App) -> String {
    let notes: Vec<(&str, &str)> = app
        .vault
        .notes
        .iter()
        .map(|n| (n.path.as_str(), n.title.as_str()))
        .collect();
    let mut announced: Vec<_> = app.load.announced.iter().collect();
    announced.sort();
    let found: Vec<_> = app
        .vault
        .notes
        .iter()
        .map(|n| format!("{:?}", app.vault.lookup(n.stem())))
        .collect();
    format!(
        "{notes:?}\n{:?}\n{:?}\n{announced:?}\n{found:?}\n{}",
        app.vault.tree,
        app.outline.rows,
        screen(app)
    )
}

#[test]
fn the_walk_made_ready_off_the_ui_thread_is_the_walk_taken_in_path_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    // Names whose order by title differs from their order by path (case,
    // `-` before `.`), non-ASCII names, nested folders, a note named
    // after its folder (a channel's index note comes first).
    let names = [
        "B.md",
        "a.md",
        "a-b.md",
        "a_b.md",
        "Zeta/z.md",
        "zeta2/x.md",
        "zeta2/Zeta2.md",
        "deep/er/\u{e9}t\u{e9}.md",
        "deep/\u{c9}mile.md",
        "deep/eb.md",
        "deep/\u{3a3}\u{3a3}.md",
    ];
    for name in names {
        let file = root.join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, "text\n").unwrap();
    }
    let paths: Vec<String> = loader::walk(&root)
        .unwrap()
        .files
        .into_iter()
        .map(|f| f.relative)
        .collect();
    // The walk's sorted paths, and a list out of order with a path twice.
    let mut shuffled = paths.clone();
    shuffled.reverse();
    shuffled.push(shuffled[2].clone());
    for paths in [paths, shuffled] {
        let new_app = || {
            let mut app = App::new(Vault::new(&root), None, Rect::new(0, 0, 100, 24));
            app.on_load(LoadEvent::Found { notes: paths.len() });
            app
        };
        let mut one_by_one = new_app();
        one_by_one.on_load(LoadEvent::Paths(paths.clone()));
        settle(&mut one_by_one, Vec::new());
        let mut made_ready = new_app();
        take_walk(&mut made_ready, paths.clone());
        settle(&mut made_ready, Vec::new());
        assert_eq!(made_ready.vault.notes.len(), names.len());
        assert_eq!(after_walk(&made_ready), after_walk(&one_by_one));
    }
}

#[test]
fn a_walk_made_ready_for_an_app_holding_notes_is_taken_in_path_by_path() {
    let (_dir, root) = vault_dir();
    let (mut app, files) = walked(&root, None);
    let before = after_walk(&app);
    // The same paths again (as a second loader would send them): nothing
    // is announced twice, nothing is swapped over the notes held.
    take_walk(&mut app, files.iter().map(|f| f.relative.clone()).collect());
    settle(&mut app, Vec::new());
    assert_eq!(after_walk(&app), before);
}

#[test]
fn a_vault_handed_over_after_the_walk_made_ready_keeps_the_note_opened_from_the_walk() {
    let (_dir, root) = vault_dir();
    // Dated an hour ago: the cache keeps only notes whose time is safely
    // in the past.
    for file in loader::walk(&root).unwrap().files {
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let file = std::fs::File::options().write(true).open(&file.path);
        file.unwrap().set_modified(when).unwrap();
    }
    let cache = tempfile::tempdir().unwrap();
    let load = || {
        let (send, receive) = std::sync::mpsc::channel();
        loader::spawn_indexed(root.clone(), IndexCache::in_dir(cache.path()), move |e| {
            send.send(e).is_ok()
        })
        .join()
        .expect("the loader ends");
        receive.try_iter().collect::<Vec<_>>()
    };
    // A cache without the resolved index (the other cached loader saves
    // none): the warm start hands over the whole vault, after the walk.
    loader::spawn_cached(root.clone(), IndexCache::in_dir(cache.path()), |_| true)
        .join()
        .expect("the loader ends");
    let warm = load();
    assert!(
        matches!(warm.last(), Some(LoadEvent::Indexed(_))),
        "handed over"
    );
    let mut app = App::new(
        Vault::new(&root),
        Some("first_video".to_owned()),
        Rect::new(0, 0, 100, 24),
    );
    let mut opened = None;
    // As the event loop takes them: the walk in two parts, then the rest.
    for event in warm {
        match event {
            LoadEvent::Paths(paths) => {
                take_walk(&mut app, paths);
                opened = app.open_note();
            }
            event => app.on_loaded(Loaded::prepare(event)),
        }
        settle(&mut app, Vec::new());
    }
    let first = opened.expect("opened from the walk alone");
    assert!(app.load.done && app.vault.complete);
    assert_eq!(
        app.open_note(),
        Some(first),
        "the same note, by the same id"
    );
    assert_eq!(app.vault.note(first).path, "alpha_channel/first_video.md");
    assert_eq!(app.vault.note(first).title, "First video");
    assert_eq!(app.vault.notes.len(), 3);
}
