//! The vault's first folder level before the walk is over: the outline
//! shows the root's folders and notes at the first frame, a folder opened
//! early says "listing…", and the walk's tree replaces the first level
//! keeping the selection and the folding choices (the reader's and the
//! saved state's), with the last note opened when the walk lands. On a
//! warm start the index cache serves, the loader's vault of heads comes
//! in place of the walk's paths and replaces the first level the same way.

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{keys, settle};
use vidwiki::{
    app::{
        App, Page,
        outline::Row,
        saved::{SavedFolds, SavedPlace, SavedState},
        send_walk,
    },
    ui,
    vault::{LoadEvent, Vault, loader},
};

/// Past this many notes folders start folded (as the first level shows
/// them): `zeta` holds them.
const MANY: usize = 401;

/// Two channel folders, a large folder, an empty folder, a hidden one,
/// and two notes at the root, in a folder named `demo`.
fn vault_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    let mut files = vec![
        (
            "alpha_channel/first_video.md".to_owned(),
            "---\ntitle: First video\n---\n\n# Part one\n\nText.\n",
        ),
        (
            "alpha_channel/second_video.md".to_owned(),
            "---\ntitle: Second video\n---\n\nText.\n",
        ),
        ("beta_channel/third.md".to_owned(), "# Third talk\n"),
        ("readme.md".to_owned(), "# Read me\n"),
        ("About.md".to_owned(), "# About\n"),
        (".obsidian/hidden.md".to_owned(), "# Hidden\n"),
    ];
    files.extend((0..MANY).map(|i| (format!("zeta/n{i:03}.md"), "# n\n")));
    for (path, text) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    std::fs::create_dir_all(root.join("empty")).unwrap();
    (dir, root)
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

/// The outline's rows as text: `▸`/`▾` folders, `…` for "listing…",
/// `-` for a root note known by its path, `·` for a note.
fn rows(app: &App) -> Vec<String> {
    app.outline
        .rows
        .iter()
        .map(|row| {
            let indent = "  ".repeat(usize::from(row.depth()));
            let text = match row {
                Row::Folder { name, open, .. } => {
                    format!("{} {name}", if *open { "▾" } else { "▸" })
                }
                Row::Listing { .. } => "…".to_owned(),
                Row::File { path, .. } => format!("- {path}"),
                Row::Note { id, .. } => format!("· {}", app.vault.note(*id).path),
                Row::Heading { .. } | Row::Video { .. } => "?".to_owned(),
            };
            indent + &text
        })
        .collect()
}

fn selected(app: &App) -> &Row {
    &app.outline.rows[app.outline.cursor.selected]
}

/// An app at the first frame: the first level in, nothing from the loader.
fn first_frame(root: &std::path::Path, state: Option<SavedState>) -> App {
    let mut app = App::new(Vault::new(root), None, Rect::new(0, 0, 100, 16));
    if let Some(state) = state {
        app.restore(state, false);
    }
    app.on_first_level(loader::first_level(root).expect("lists the root"));
    settle(&mut app, Vec::new());
    app
}

/// The loader's walk as the browser takes it in (made ready off the UI
/// thread, in two parts).
fn take_walk(app: &mut App, root: &std::path::Path) {
    let paths: Vec<String> = loader::walk(root)
        .unwrap()
        .files
        .into_iter()
        .map(|f| f.relative)
        .collect();
    app.on_load(LoadEvent::Found { notes: paths.len() });
    let parts = std::cell::RefCell::new(Vec::new());
    assert!(send_walk(
        paths,
        |loaded| {
            parts.borrow_mut().push(loaded);
            true
        },
        || {}
    ));
    for loaded in parts.into_inner() {
        app.on_loaded(loaded);
    }
    settle(app, Vec::new());
}

/// The whole tree of [`vault_dir`] with `beta_channel` open (the empty
/// folder of the first level gone), as the walk and a warm start's heads
/// both show it.
const TREE_BETA_OPEN: [&str; 6] = [
    "▸ alpha_channel",
    "▾ beta_channel",
    "  · beta_channel/third.md",
    "▸ zeta",
    "· About.md",
    "· readme.md",
];

/// A saved state whose last note is `alpha_channel/first_video.md` and
/// whose open folder is `beta_channel`.
fn alpha_last_beta_open() -> SavedState {
    SavedState {
        version: vidwiki::app::saved::STATE_VERSION,
        last: Some(SavedPlace {
            path: "alpha_channel/first_video.md".into(),
            line: 0,
            text: None,
            rows: 0,
        }),
        folds: SavedFolds {
            folders_open: vec!["beta_channel".into()],
            ..SavedFolds::default()
        },
        ..SavedState::default()
    }
}

#[test]
fn the_first_frame_shows_the_vaults_folders_and_root_notes() {
    let (_dir, root) = vault_dir();
    let app = first_frame(&root, None);
    assert_eq!(
        rows(&app),
        [
            "▸ alpha_channel",
            "▸ beta_channel",
            "▸ empty",
            "▸ zeta",
            "- About.md",
            "- readme.md"
        ]
    );
    assert!(app.vault.notes.is_empty(), "nothing from the loader yet");
    assert_snapshot!("first_level_100x16", screen(&app));
}

#[test]
fn a_folder_opened_before_the_walk_says_listing_then_shows_its_notes_in_place() {
    let (_dir, root) = vault_dir();
    let mut app = first_frame(&root, None);
    keys(&mut app, "1jl");
    assert_eq!(
        rows(&app)[..4],
        ["▸ alpha_channel", "▾ beta_channel", "  …", "▸ empty"]
    );
    assert!(matches!(selected(&app), Row::Folder { path, .. } if path == "beta_channel"));
    assert_snapshot!("first_level_listing_100x16", screen(&app));
    // `l` again goes to the "listing…" row; `h` back up to its folder.
    keys(&mut app, "lh");
    assert!(matches!(selected(&app), Row::Folder { path, .. } if path == "beta_channel"));
    take_walk(&mut app, &root);
    // The tree in place of the first level: the folder opened early shows
    // its note, the others stay folded (a large vault's folders start
    // folded, as the first level shows them), the empty folder is gone,
    // the selection stays on the same folder.
    assert_eq!(rows(&app), TREE_BETA_OPEN);
    assert!(matches!(selected(&app), Row::Folder { path, .. } if path == "beta_channel"));
    assert_eq!(app.outline.cursor.selected, 1, "no cursor jump");
    assert_snapshot!("first_level_replaced_100x16", screen(&app));
}

#[test]
fn a_root_note_selected_before_the_walk_stays_selected_and_opens_once_chosen() {
    let (_dir, root) = vault_dir();
    let mut app = first_frame(&root, None);
    keys(&mut app, "1G");
    assert!(matches!(selected(&app), Row::File { path, .. } if path == "readme.md"));
    // Chosen before the walk: it opens once the walk is in.
    keys(&mut app, "<Enter>");
    assert_eq!(app.page, Page::Home);
    take_walk(&mut app, &root);
    let readme = app.vault.id_of_path("readme.md").expect("walked");
    assert_eq!(app.page, Page::Note(readme));
    assert!(matches!(selected(&app), Row::Note { id, .. } if *id == readme));
    // And one only selected stays selected as the tree replaces the rows.
    let mut app = first_frame(&root, None);
    keys(&mut app, "1Gk");
    assert!(matches!(selected(&app), Row::File { path, .. } if path == "About.md"));
    take_walk(&mut app, &root);
    let about = app.vault.id_of_path("About.md").expect("walked");
    assert!(matches!(selected(&app), Row::Note { id, .. } if *id == about));
    assert_eq!(app.page, Page::Home);
}

#[test]
fn the_saved_folds_show_on_the_first_level_and_the_last_note_opens_with_the_walk() {
    let (_dir, root) = vault_dir();
    let state = alpha_last_beta_open();
    let mut app = first_frame(&root, Some(state));
    assert_eq!(
        rows(&app)[..4],
        ["▸ alpha_channel", "▾ beta_channel", "  …", "▸ empty"]
    );
    assert_eq!(app.page, Page::Home, "the last note waits for the walk");
    take_walk(&mut app, &root);
    let first = app
        .vault
        .id_of_path("alpha_channel/first_video.md")
        .unwrap();
    assert_eq!(app.page, Page::Note(first));
    assert_eq!(
        rows(&app)[..6],
        [
            "▾ alpha_channel",
            "  · alpha_channel/first_video.md",
            // Its heading: the note opened is parsed at once (see
            // tests/early_parse.rs).
            "    ?",
            "  · alpha_channel/second_video.md",
            "▾ beta_channel",
            "  · beta_channel/third.md",
        ],
        "the last note's folder unfolded to show it, the saved fold kept"
    );
}

#[test]
fn a_first_level_after_the_walk_is_dropped() {
    let (_dir, root) = vault_dir();
    let mut app = App::new(Vault::new(&root), None, Rect::new(0, 0, 100, 16));
    take_walk(&mut app, &root);
    let before = rows(&app);
    app.on_first_level(loader::first_level(&root).unwrap());
    assert_eq!(rows(&app), before);
    assert!(app.outline.first_level.is_none());
}

/// A warm start's loader events once the cache holds the resolved index
/// (a browser start, then a command's load): the heads come in place of
/// the walk's paths.
fn warm_heads(root: &std::path::Path, cache: &std::path::Path) -> Vec<LoadEvent> {
    // Dated an hour ago: the cache keeps only notes whose time is safely
    // in the past.
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for file in loader::walk(root).unwrap().files {
        std::fs::File::options()
            .write(true)
            .open(&file.path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
    let load = || {
        let (send, receive) = std::sync::mpsc::channel();
        loader::spawn_indexed(
            root.to_path_buf(),
            vidwiki::vault::IndexCache::in_dir(cache),
            move |e| send.send(e).is_ok(),
        )
        .join()
        .expect("the loader ends");
        receive.try_iter().collect::<Vec<_>>()
    };
    load();
    loader::load_cached(
        root,
        vidwiki::vault::TimeOptions::default(),
        Some(&vidwiki::vault::IndexCache::in_dir(cache)),
    )
    .unwrap();
    let events = load();
    assert!(
        !events.iter().any(|e| matches!(e, LoadEvent::Paths(_))),
        "the heads come in place of the walk"
    );
    events
}

/// The warm loader's events as the browser takes them in.
fn take_heads(app: &mut App, events: Vec<LoadEvent>) {
    for event in events {
        app.on_loaded(vidwiki::app::Loaded::prepare(event));
        settle(app, Vec::new());
    }
}

#[test]
fn the_heads_of_a_warm_start_replace_the_first_level_keeping_selection_and_folds() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let events = warm_heads(&root, cache.path());
    let mut app = first_frame(&root, None);
    keys(&mut app, "1jl");
    assert_eq!(
        rows(&app)[..4],
        ["▸ alpha_channel", "▾ beta_channel", "  …", "▸ empty"]
    );
    take_heads(&mut app, events);
    assert!(app.load.walked && app.load.settled());
    // As the walk's tree does (the heads know the titles: the note shows
    // as a note, by id).
    assert_eq!(rows(&app), TREE_BETA_OPEN);
    assert!(matches!(selected(&app), Row::Folder { path, .. } if path == "beta_channel"));
    assert_eq!(app.outline.cursor.selected, 1, "no cursor jump");

    // A root note chosen before the heads opens with them.
    let mut app = first_frame(&root, None);
    keys(&mut app, "1G<Enter>");
    assert_eq!(app.page, Page::Home);
    take_heads(&mut app, warm_heads(&root, cache.path()));
    let readme = app.vault.id_of_path("readme.md").expect("handed over");
    assert_eq!(app.page, Page::Note(readme));
    assert!(matches!(selected(&app), Row::Note { id, .. } if *id == readme));
}

#[test]
fn the_saved_last_note_opens_with_a_warm_starts_heads_its_folder_unfolded() {
    let (_dir, root) = vault_dir();
    let cache = tempfile::tempdir().unwrap();
    let events = warm_heads(&root, cache.path());
    let state = alpha_last_beta_open();
    let mut app = first_frame(&root, Some(state));
    take_heads(&mut app, events);
    let first = app
        .vault
        .id_of_path("alpha_channel/first_video.md")
        .unwrap();
    assert_eq!(app.page, Page::Note(first));
    assert_eq!(
        rows(&app)[..6],
        [
            "▾ alpha_channel",
            "  · alpha_channel/first_video.md",
            "    ?",
            "  · alpha_channel/second_video.md",
            "▾ beta_channel",
            "  · beta_channel/third.md",
        ],
        "the last note's folder unfolded to show it (and its heading: the heads know it), the saved fold kept"
    );
}
