//! A live vault: the editor hand-off (`e`), reading a note again (`r`),
//! and notes changed on disk taken in incrementally. Driven by the same
//! effects and answers the event loop uses, on a temp copy of a vault.

mod support;

use std::path::Path;

use ratatui::layout::Rect;
use support::{SPECIMEN, app, keys, settle};
use vidwiki::{
    app::{App, Effect, Page, outline::Row},
    vault::NoteId,
};

/// A small vault in a temp folder: `a` links to `b` and to `c` (missing).
fn temp_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut a = String::from("# Alpha\n\nSee [[b]] and [[c]].\n\n## First\n\n");
    for i in 0..60 {
        a.push_str(&format!("Line {i} of the first part.\n\n"));
    }
    a.push_str("## Second\n\nThe end.\n");
    std::fs::write(dir.path().join("a.md"), a).unwrap();
    std::fs::write(dir.path().join("b.md"), "# Beta\n\nBack to [[a]].\n").unwrap();
    dir
}

fn open(root: &Path, name: &str) -> App {
    let vault = vidwiki::vault::load(root).unwrap();
    let mut app = App::loaded(vault, Some(name.to_owned()), Rect::new(0, 0, 100, 30));
    settle(&mut app, Vec::new());
    app
}

fn id(app: &App, path: &str) -> NoteId {
    app.vault.id_of_path(path).expect(path)
}

fn screen_text(app: &App) -> String {
    let view = app.view();
    view.lines
        .iter()
        .skip(app.note.scroll)
        .take(app.note_height())
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn e_hands_the_open_note_to_the_editor_at_the_line_on_screen() {
    let mut app = app(100, 30, Some(SPECIMEN));
    let note = app.open_note().unwrap();
    let first_on_screen = |app: &App| {
        app.view().source_lines[app.note.scroll..]
            .iter()
            .copied()
            .find(|&l| l > 0)
            .unwrap()
    };
    let expected = first_on_screen(&app);
    let effects = keys(&mut app, "e");
    assert_eq!(
        effects,
        [Effect::Edit {
            path: app.vault.path_of(note),
            line: expected
        }],
        "at the top of the note: the first line shown from the file"
    );
    keys(&mut app, "<C-d><C-d>");
    let expected = first_on_screen(&app);
    assert!(expected > 8, "{expected}");
    let effects = keys(&mut app, "e");
    assert_eq!(
        effects,
        [Effect::Edit {
            path: app.vault.path_of(note),
            line: expected
        }]
    );
}

#[test]
fn e_on_a_generated_page_says_why_not() {
    let mut app = app(100, 30, None);
    assert_eq!(app.page, Page::Home);
    assert!(keys(&mut app, "e").is_empty());
    assert!(app.message.as_ref().unwrap().text.contains("Open a note"));
}

#[test]
fn after_the_editor_the_note_is_read_again_and_shows_the_new_line() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "b");
    let Effect::Edit { path, line } = keys(&mut app, "e").remove(0) else {
        panic!("no edit")
    };
    assert_eq!(line, 1);
    // What the stand-in editor does: append a line.
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\nAdded by the editor.\n");
    std::fs::write(&path, text).unwrap();
    app.after_edit(None);
    settle(&mut app, Vec::new());
    assert!(screen_text(&app).contains("Added by the editor."));
    // A failing editor leaves a message, and the note is still shown.
    app.after_edit(Some("The editor nope exited with exit status: 1".into()));
    settle(&mut app, Vec::new());
    assert!(app.message.as_ref().unwrap().text.contains("exited with"));
    assert!(screen_text(&app).contains("Added by the editor."));
}

#[test]
fn r_reads_the_note_again_keeping_the_line_on_screen() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "a");
    keys(&mut app, "<C-d><C-d>");
    let before = screen_text(&app);
    let first = before.lines().next().unwrap().to_owned();
    assert!(first.starts_with("Line "), "{first}");
    // Ten lines are added above the place being read, and a heading.
    let file = dir.path().join("a.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "## First\n",
        "## Inserted\n\nOne\n\nTwo\n\nThree\n\nFour\n\n## First\n",
        1,
    );
    std::fs::write(&file, edited).unwrap();
    keys(&mut app, "r");
    let after = screen_text(&app);
    assert_eq!(after.lines().next().unwrap(), first, "same line at the top");
    let a = id(&app, "a.md");
    let headings: Vec<&str> = app
        .vault
        .note(a)
        .headings
        .iter()
        .map(|h| h.text())
        .collect();
    assert_eq!(headings, ["Alpha", "Inserted", "First", "Second"]);
    let outline_headings = app
        .outline
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Heading { note, .. } if *note == a))
        .count();
    assert_eq!(outline_headings, 4, "the outline shows the new heading");
}

#[test]
fn a_removed_open_note_says_so() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "b");
    std::fs::remove_file(dir.path().join("b.md")).unwrap();
    keys(&mut app, "r");
    let b = app.open_note().unwrap();
    assert!(app.vault.is_removed(b));
    assert!(
        app.message
            .as_ref()
            .unwrap()
            .text
            .contains("b.md was removed or renamed")
    );
    // Links to it are topics without a note now.
    let a = id(&app, "a.md");
    assert!(app.vault.note(a).links[0].resolution().is_unresolved());
    assert!(app.vault.wanted.iter().any(|w| w.key == "b"));
    assert!(keys(&mut app, "e").is_empty(), "nothing to edit");
}

#[test]
fn a_changed_note_is_taken_in_with_work_for_it_alone() {
    let dir = temp_vault();
    let mut vault = vidwiki::vault::load(dir.path()).unwrap();
    // Many notes that link nowhere near the change.
    for i in 0..200 {
        vault.add(vidwiki::vault::loader::parse_note(
            &format!("other/n{i}.md"),
            format!("# Other {i}\n\n[[n{}]]\n", i + 1).as_bytes(),
        ));
    }
    vault.finish();
    let a = vault.id_of_path("a.md").unwrap();
    let b = vault.id_of_path("b.md").unwrap();
    // A body edit: the note and the one note linking to it, nothing else.
    let work = vault.update_note(
        b,
        vidwiki::vault::loader::parse_note("b.md", b"# Beta\n\nNo links now.\n"),
    );
    assert_eq!(work.notes_resolved, 2, "{work:?}");
    assert!(!work.full && !work.tree_rebuilt);
    assert!(vault.backlinks(a).is_empty(), "b no longer links to a");
    assert_eq!(vault.backlinks(b).len(), 1, "a still links to b");
    // A new title is a new key: the links that name it are resolved again.
    let work = vault.update_note(
        b,
        vidwiki::vault::loader::parse_note("b.md", b"# Other 7\n"),
    );
    assert!(work.notes_resolved < 10, "{work:?}");
    assert!(work.tree_rebuilt);
    // A note that appears resolves the links that wanted it.
    let (c, work) = vault.add_note(vidwiki::vault::loader::parse_note("c.md", b"# Gamma\n"));
    assert_eq!(
        work.notes_resolved, 2,
        "c and a, which links to it: {work:?}"
    );
    assert_eq!(vault.note(a).links[1].resolution().note(), Some(c));
    assert_eq!(vault.backlinks(c).len(), 1);
    assert!(!vault.wanted.iter().any(|w| w.key == "c"));
}

#[test]
fn a_removed_open_note_shows_a_page_saying_so() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "b");
    std::fs::remove_file(dir.path().join("b.md")).unwrap();
    keys(&mut app, "r");
    let text = screen_text(&app);
    assert!(text.contains("b.md was removed or renamed"), "{text}");
    assert!(text.contains("r reads it again"), "{text}");
}

/// Feeds a fresh loader's events to the app, as the event loop does after
/// `R` (blocking on the channel, no sleeps).
fn run_rescan(app: &mut App) {
    let (send, events) = std::sync::mpsc::channel();
    let _loader = vidwiki::vault::loader::spawn(app.vault.root.clone(), move |event| {
        send.send(event).is_ok()
    });
    for event in events {
        app.on_load(event);
        settle(app, Vec::new());
    }
}

#[test]
fn shift_r_rescans_the_vault_and_keeps_the_open_note_and_line() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "a");
    keys(&mut app, "<C-d><C-d>");
    let first = screen_text(&app).lines().next().unwrap().to_owned();
    std::fs::write(dir.path().join("c.md"), "# Gamma\n\nNew.\n").unwrap();
    let effects = keys(&mut app, "R");
    assert_eq!(effects, [Effect::Rescan]);
    assert_eq!(app.vault.notes.len(), 0, "the old index is dropped");
    run_rescan(&mut app);
    assert!(app.load.done);
    assert_eq!(app.vault.notes.len(), 3, "the new note is in");
    assert_eq!(app.vault.note(app.open_note().unwrap()).path, "a.md");
    assert_eq!(screen_text(&app).lines().next().unwrap(), first);
    let a = id(&app, "a.md");
    assert!(
        app.vault.note(a).links[1].resolution().note().is_some(),
        "[[c]] resolves"
    );
}

#[test]
fn a_note_opened_while_loading_stays_at_its_top_when_its_parse_arrives() {
    let dir = temp_vault();
    let files: Vec<vidwiki::vault::loader::FoundFile> =
        vidwiki::vault::loader::walk(dir.path()).unwrap().files;
    let mut app = App::new(
        vidwiki::vault::Vault::new(dir.path()),
        Some("a".into()),
        Rect::new(0, 0, 100, 30),
    );
    let titles = files
        .iter()
        .map(vidwiki::vault::loader::read_title)
        .collect();
    app.on_load(vidwiki::vault::LoadEvent::Titles(titles));
    settle(&mut app, Vec::new());
    assert_eq!(app.note.scroll, 0);
    let notes = files
        .iter()
        .map(vidwiki::vault::loader::read_note)
        .collect();
    app.on_load(vidwiki::vault::LoadEvent::Notes(notes));
    app.on_load(vidwiki::vault::LoadEvent::Done);
    settle(&mut app, Vec::new());
    assert_eq!(app.note.scroll, 0, "the header stays on screen");
    assert!(screen_text(&app).starts_with("Alpha"));
}

/// The watcher's message for some paths, handled as the event loop does.
fn touched(app: &mut App, paths: &[&str]) {
    app.on_disk_changes(vidwiki::vault::watch::Touched {
        paths: paths.iter().map(|p| (*p).to_owned()).collect(),
        folders: Vec::new(),
    });
    settle(app, Vec::new());
}

#[test]
fn notes_changed_on_disk_reach_the_app_through_the_watchers_message() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "a");
    keys(&mut app, "<C-d>");
    let first_text = |app: &App| {
        screen_text(app)
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap()
            .to_owned()
    };
    let first = first_text(&app);
    // A new note appears: in the vault, the picker, and [[c]] resolves.
    std::fs::write(dir.path().join("c.md"), "# Gamma\n\nNew here.\n").unwrap();
    touched(&mut app, &["c.md"]);
    let c = id(&app, "c.md");
    let a = id(&app, "a.md");
    assert_eq!(app.vault.note(a).links[1].resolution().note(), Some(c));
    keys(&mut app, "<C-p>Gamma");
    for _ in 0..1000 {
        if !app.tick_search() && !app.search_running() {
            break;
        }
    }
    let hits = &app.picker.as_ref().unwrap().hits();
    assert!(
        hits.iter()
            .any(|h| h.item == vidwiki::search::SearchItem::note(c)),
        "{hits:?}"
    );
    keys(&mut app, "<Esc>");
    // The open note's heading is edited: the outline follows, the place stays.
    let file = dir.path().join("a.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("## Second", "## Renamed heading")).unwrap();
    touched(&mut app, &["a.md"]);
    assert_eq!(
        app.vault.note(a).headings.get(2).unwrap().text(),
        "Renamed heading"
    );
    assert_eq!(first_text(&app), first);
    // The open note is renamed: its page says so and links to the new file.
    std::fs::rename(&file, dir.path().join("alpha.md")).unwrap();
    touched(&mut app, &["a.md", "alpha.md"]);
    assert!(app.vault.is_removed(a));
    let text = screen_text(&app);
    assert!(text.contains("a.md was removed or renamed"), "{text}");
    assert!(
        text.contains("It is now:") && text.contains("alpha.md"),
        "{text}"
    );
    let alpha = id(&app, "alpha.md");
    assert_eq!(app.vault.renamed_to(a), Some(alpha));
    // b's link to [[a]] is a topic without a note now.
    let b = id(&app, "b.md");
    assert!(app.vault.note(b).links[0].resolution().is_unresolved());
}

/// The picker's hits for a query, once the search has settled.
fn picker_texts(app: &mut App, query: &str) -> Vec<String> {
    keys(app, "<C-p>");
    keys(app, query);
    support::settle_search(app);
    app.tick_search();
    let texts = app
        .picker
        .as_ref()
        .unwrap()
        .hits()
        .iter()
        .map(|h| h.text.clone())
        .collect();
    keys(app, "<Esc>");
    texts
}

#[test]
fn an_edited_heading_replaces_the_old_one_in_the_picker() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "b");
    assert!(
        picker_texts(&mut app, "Second")
            .iter()
            .any(|t| t == "Alpha › Second"),
        "the heading is there to begin with"
    );
    let file = dir.path().join("a.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("## Second", "## Renamed heading")).unwrap();
    touched(&mut app, &["a.md"]);
    let old = picker_texts(&mut app, "Second");
    assert!(!old.iter().any(|t| t.contains("Second")), "{old:?}");
    let new = picker_texts(&mut app, "Renamed heading");
    assert_eq!(
        new.iter()
            .filter(|t| *t == "Alpha › Renamed heading")
            .count(),
        1,
        "{new:?}"
    );
    // The title items are replaced too: one "Alpha" note item, not two.
    let titles = picker_texts(&mut app, "Alpha");
    assert_eq!(
        titles.iter().filter(|t| *t == "Alpha").count(),
        1,
        "{titles:?}"
    );
    // A removed note leaves the picker.
    std::fs::remove_file(dir.path().join("b.md")).unwrap();
    touched(&mut app, &["b.md"]);
    let gone = picker_texts(&mut app, "Beta");
    assert!(!gone.iter().any(|t| t.starts_with("Beta")), "{gone:?}");
}

#[test]
fn a_change_seen_while_loading_is_taken_in_when_loading_is_done() {
    let dir = temp_vault();
    let files: Vec<vidwiki::vault::loader::FoundFile> =
        vidwiki::vault::loader::walk(dir.path()).unwrap().files;
    let mut app = App::new(
        vidwiki::vault::Vault::new(dir.path()),
        Some("b".into()),
        Rect::new(0, 0, 100, 30),
    );
    app.on_load(vidwiki::vault::LoadEvent::Found { notes: files.len() });
    // The loader reads the notes as they are...
    let notes: Vec<_> = files
        .iter()
        .map(vidwiki::vault::loader::read_note)
        .collect();
    // ...then b is edited and c appears, and the watcher says so while the
    // load is still under way.
    std::fs::write(
        dir.path().join("b.md"),
        "# Beta\n\nEdited during the load.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("c.md"), "# Gamma\n").unwrap();
    touched(&mut app, &["b.md", "c.md"]);
    assert!(app.vault.id_of_path("c.md").is_none(), "not before the end");
    app.on_load(vidwiki::vault::LoadEvent::Notes(notes));
    app.on_load(vidwiki::vault::LoadEvent::Done);
    settle(&mut app, Vec::new());
    assert!(screen_text(&app).contains("Edited during the load."));
    let c = id(&app, "c.md");
    let a = id(&app, "a.md");
    assert_eq!(app.vault.note(a).links[1].resolution().note(), Some(c));
}

#[test]
fn a_folder_renamed_away_takes_its_notes_with_it() {
    let dir = temp_vault();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/c.md"), "# Gamma\n").unwrap();
    let mut app = open(dir.path(), "a");
    let c = id(&app, "sub/c.md");
    let a = id(&app, "a.md");
    assert_eq!(app.vault.note(a).links[1].resolution().note(), Some(c));
    // A folder renamed: one event for each folder's name, none for the
    // notes inside; the new folder is walked by the watcher (its notes
    // come as paths), the old one comes as a folder.
    std::fs::rename(dir.path().join("sub"), dir.path().join("moved")).unwrap();
    app.on_disk_changes(vidwiki::vault::watch::Touched {
        paths: vidwiki::vault::watch::notes_under(dir.path(), &dir.path().join("moved")),
        folders: vec!["sub".into()],
    });
    settle(&mut app, Vec::new());
    assert!(app.vault.is_removed(c));
    let moved = id(&app, "moved/c.md");
    assert_eq!(app.vault.note(a).links[1].resolution().note(), Some(moved));
}

type BurstMessage = Result<vidwiki::app::editing::BatchBuilt, (usize, usize)>;

/// The worker of the event loop for a burst: a copy of the app's vault
/// made now, the burst applied to it on a thread, its progress and result
/// sent as messages.
fn burst_on_a_worker(
    app: &App,
    jobs: Vec<vidwiki::app::editing::BatchJob>,
) -> (
    std::thread::JoinHandle<()>,
    std::sync::mpsc::Receiver<BurstMessage>,
) {
    let snapshot = app.vault.snapshot();
    let (send, messages) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        let progress = std::sync::Mutex::new(send.clone());
        let built = vidwiki::tui::build_batch(jobs, snapshot, |done, total| {
            progress.lock().unwrap().send(Err((done, total))).unwrap();
        });
        send.send(Ok(built)).unwrap();
    });
    (worker, messages)
}

/// The worker's messages handed to the app as the loop does: progress
/// told, the built vault returned (with the progress seen).
fn take_burst_messages(
    app: &mut App,
    messages: &std::sync::mpsc::Receiver<BurstMessage>,
) -> (Vec<(usize, usize)>, vidwiki::app::editing::BatchBuilt) {
    let mut progress = Vec::new();
    let mut built = None;
    for message in messages.try_iter() {
        match message {
            Err((done, total)) => {
                app.on_batch_progress(done, total);
                progress.push((done, total));
            }
            Ok(b) => built = Some(b),
        }
    }
    (progress, built.expect("the built vault arrives"))
}

#[test]
fn a_burst_of_changes_is_one_batch_with_progress() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "a");
    keys(&mut app, "<C-d>");
    let first_text = |app: &App| {
        screen_text(app)
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap()
            .to_owned()
    };
    let first = first_text(&app);
    // A checkout: 600 notes appear, b changes, and one of them links to a.
    let mut paths = vec!["b.md".to_owned()];
    std::fs::create_dir(dir.path().join("burst")).unwrap();
    for i in 0..600 {
        let path = format!("burst/n{i:03}.md");
        std::fs::write(
            dir.path().join(&path),
            format!("# Burst {i}\n\n## Part {i}\n\n[[a]] [[n{:03}]]\n", i + 1),
        )
        .unwrap();
        paths.push(path);
    }
    std::fs::write(dir.path().join("b.md"), "# Beta two\n\nBack to [[a]].\n").unwrap();
    let effects = app.on_disk_changes_effects(vidwiki::vault::watch::Touched {
        paths: paths.clone(),
        folders: Vec::new(),
    });
    let [Effect::ParseBatch(jobs)] = effects.as_slice() else {
        panic!("one batch: {effects:?}")
    };
    assert_eq!(jobs.len(), 601);
    assert_eq!(app.message.as_ref().unwrap().text, "Updating 0/601 notes…");
    // The burst is applied to a copy of the vault off the UI thread, with
    // progress; the result comes back as a message.
    let (worker, messages) = burst_on_a_worker(&app, jobs.clone());
    // Meanwhile the app answers keys, and its vault is the one shown.
    keys(&mut app, "j");
    assert_eq!(
        first_text(&app),
        first,
        "j on the last line keeps the screen"
    );
    keys(&mut app, "<C-u>");
    assert_ne!(first_text(&app), first, "scrolled up during the burst");
    keys(&mut app, "<C-d>");
    assert_eq!(app.vault.notes.len(), 2, "not swapped in yet");
    // A change seen during the burst waits for it (the vault it changes
    // is about to be replaced).
    std::fs::write(
        dir.path().join("burst/n000.md"),
        "# Burst zero again
",
    )
    .unwrap();
    touched(&mut app, &["burst/n000.md"]);
    assert_eq!(app.vault.notes.len(), 2);
    worker.join().unwrap();
    let (mut progress, built) = take_burst_messages(&mut app, &messages);
    progress.sort_unstable();
    // One message a step of 256 (the steps finish in any order).
    assert_eq!(progress.len(), 3, "{progress:?}");
    assert!(progress.iter().all(|&(_, total)| total == 601));
    assert_eq!(progress.last(), Some(&(601, 601)));
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "Updating 601/601 notes…"
    );
    assert_eq!(built.vault.notes.len(), 602);
    assert_eq!(built.changes.len(), 601);
    let old = app.on_batch_built(built);
    assert_eq!(old.notes.len(), 2, "the vault it replaced is handed back");
    // The change that waited is taken in now, in the new vault.
    let effects = settle(&mut app, Vec::new());
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(
        app.vault.note(id(&app, "burst/n000.md")).title,
        "Burst zero again"
    );
    assert_eq!(app.message.as_ref().unwrap().text, "Updated 601 notes");
    assert_eq!(app.vault.notes.len(), 602);
    let a = id(&app, "a.md");
    assert_eq!(
        app.vault.backlinks(a).len(),
        600,
        "b and every burst note but n000"
    );
    let n7 = id(&app, "burst/n007.md");
    let n6 = id(&app, "burst/n006.md");
    assert_eq!(app.vault.note(n6).links[1].resolution().note(), Some(n7));
    assert_eq!(app.vault.note(id(&app, "b.md")).title, "Beta two");
    assert!(
        app.vault.wanted.iter().any(|w| w.key == "n600"),
        "the last one's link wants a note"
    );
    assert_eq!(first_text(&app), first, "place kept");
    assert!(
        picker_texts(&mut app, "Part 599")
            .iter()
            .any(|t| t == "Burst 599 › Part 599")
    );
    assert!(!picker_texts(&mut app, "Beta").iter().any(|t| t == "Beta"));
}

/// A vault with 300 notes in `old/`, each linking to `a`.
fn vault_with_a_folder_of_300() -> tempfile::TempDir {
    let dir = temp_vault();
    std::fs::create_dir(dir.path().join("old")).unwrap();
    for i in 0..300 {
        std::fs::write(
            dir.path().join(format!("old/n{i:03}.md")),
            format!(
                "# Topic {i}

## Part

Line one.

Line two of {i}.

[[a]]
"
            ),
        )
        .unwrap();
    }
    dir
}

/// git renames `old/` to `new/`: 300 notes gone, 300 new ones alike, one
/// burst that the app takes in.
fn rename_the_folder_in_a_burst(app: &mut App, root: &Path) {
    std::fs::rename(root.join("old"), root.join("new")).unwrap();
    let mut paths: Vec<String> = (0..300).map(|i| format!("new/n{i:03}.md")).collect();
    paths.extend((0..300).map(|i| format!("old/n{i:03}.md")));
    app.on_disk_changes(vidwiki::vault::watch::Touched {
        paths,
        folders: Vec::new(),
    });
    let effects = app.take_effects();
    assert!(
        matches!(effects.as_slice(), [Effect::ParseBatch(_)]),
        "{effects:?}"
    );
    settle(app, effects);
}

#[test]
fn history_recent_notes_and_bookmarks_follow_a_renamed_folder() {
    let dir = vault_with_a_folder_of_300();
    let mut app = open(dir.path(), "old/n123.md");
    let old_id = id(&app, "old/n123.md");
    keys(&mut app, "m");
    assert_eq!(app.bookmarks, [old_id]);
    // Follow the note's link to a: the renamed note is then in history.
    let a = id(&app, "a.md");
    app.open(Page::Note(a));
    let effects = app.take_effects();
    settle(&mut app, effects);
    assert_eq!(app.page, Page::Note(a));
    rename_the_folder_in_a_burst(&mut app, dir.path());
    let new_id = id(&app, "new/n123.md");
    assert_eq!(app.bookmarks, [new_id], "the bookmark followed");
    assert!(app.recent.contains(&new_id) && !app.recent.contains(&old_id));
    keys(&mut app, "<BS>");
    assert_eq!(app.page, Page::Note(new_id), "back leads to the new path");
    let text = screen_text(&app);
    assert!(!text.contains("removed or renamed"), "{text}");
}

#[test]
fn a_folder_renamed_in_a_burst_keeps_the_open_note_open_at_its_new_path() {
    let dir = vault_with_a_folder_of_300();
    let mut app = open(dir.path(), "old/n123.md");
    let old_id = id(&app, "old/n123.md");
    assert_eq!(app.page, Page::Note(old_id));
    keys(&mut app, "j");
    let line = app.note.scroll;
    rename_the_folder_in_a_burst(&mut app, dir.path());
    let new_id = id(&app, "new/n123.md");
    assert!(app.vault.is_removed(old_id));
    assert_eq!(app.vault.renamed_to(old_id), Some(new_id));
    assert_eq!(app.page, Page::Note(new_id), "the open note followed");
    assert_eq!(app.note.scroll, line, "at the same place");
    let text = screen_text(&app);
    assert!(text.contains("Line two of 123."), "{text}");
    assert!(!text.contains("removed or renamed"), "{text}");
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "Updated 600 notes; old/n123.md moved to new/n123.md"
    );
    // Every note of the folder is known under its new name.
    let a = id(&app, "a.md");
    assert_eq!(
        app.vault.backlinks(a).len(),
        301,
        "b and the 300 moved notes"
    );
    for i in [0, 7, 299] {
        let old = app
            .vault
            .ids()
            .find(|&n| app.vault.note(n).path == format!("old/n{i:03}.md"))
            .unwrap();
        assert_eq!(
            app.vault.renamed_to(old),
            Some(id(&app, &format!("new/n{i:03}.md")))
        );
    }
}

#[test]
fn files_changed_before_the_watcher_was_up_are_found_by_the_walk_after() {
    let dir = temp_vault();
    let mut app = open(dir.path(), "a");
    let b = id(&app, "b.md");
    // Between the start-up walk and the watcher: c appears, b is edited
    // (its time moves on), and nothing tells the app.
    std::fs::write(dir.path().join("c.md"), "# Gamma\n").unwrap();
    std::fs::write(dir.path().join("b.md"), "# Beta again\n").unwrap();
    let later = app.vault.note(b).modified.unwrap() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(dir.path().join("b.md"))
        .unwrap()
        .set_modified(later)
        .unwrap();
    // The walk made once the watcher is up: paths and times.
    let found = vidwiki::vault::loader::walk(dir.path())
        .unwrap()
        .files
        .into_iter()
        .map(|f| {
            let modified = std::fs::metadata(&f.path).unwrap().modified().ok();
            (f.relative, modified)
        })
        .collect::<Vec<_>>();
    let unchanged = app.vault.note(id(&app, "a.md")).modified;
    assert!(found.iter().any(|(p, m)| p == "a.md" && *m == unchanged));
    app.on_rewalk(found);
    let effects = app.take_effects();
    assert_eq!(
        effects.len(),
        2,
        "b read again, c new; a untouched: {effects:?}"
    );
    settle(&mut app, effects);
    assert_eq!(app.vault.note(b).title, "Beta again");
    let c = id(&app, "c.md");
    let a = id(&app, "a.md");
    assert_eq!(app.vault.note(a).links[1].resolution().note(), Some(c));
    // A walk that finds b gone: b is marked removed.
    std::fs::remove_file(dir.path().join("b.md")).unwrap();
    let found = vec![
        ("a.md".to_owned(), unchanged),
        ("c.md".to_owned(), app.vault.note(c).modified),
    ];
    app.on_rewalk(found);
    settle(&mut app, Vec::new());
    assert!(app.vault.is_removed(b));
}
