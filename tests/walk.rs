//! Navigable from the walk: before any note is read, the outline shows the
//! vault's folders and file names and the home page its counts; a note can
//! be opened, its links say they are resolving, and they resolve when the
//! index is complete. Driven by the loader's own events, in order.

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{keys, settle};
use vidwiki::{
    app::{App, outline::Row},
    ui,
    vault::{LoadEvent, Vault, loader},
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
    app.on_load(LoadEvent::Paths(
        files.iter().map(|f| f.relative.clone()).collect(),
    ));
    settle(&mut app, Vec::new());
    (app, files)
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
