//! Picking up where you left off: bookmarks (`m`), and the saved state's
//! round trip through a state folder of the test's own (never the user's).

mod support;

use ratatui::layout::Rect;
use support::{SPECIMEN, app, keys, sample_vault, settle};
use vidwiki::{
    app::{App, Page, saved::SavedState},
    search::{Scope, SearchItem},
    state_file,
};

fn picker_notes(app: &App) -> Vec<vidwiki::vault::NoteId> {
    app.picker
        .as_ref()
        .unwrap()
        .hits()
        .iter()
        .filter_map(|h| match h.item {
            SearchItem::Note(id) => Some(id),
            _ => None,
        })
        .collect()
}

fn home_text(app: &App) -> String {
    app.view()
        .lines
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn m_toggles_a_bookmark_shown_in_the_picker_and_on_the_home_page() {
    let mut app = app(120, 40, Some(SPECIMEN));
    let note = app.open_note().unwrap();
    keys(&mut app, "m");
    assert_eq!(app.bookmarks, [note]);
    assert!(app.message.as_ref().unwrap().text.starts_with("Bookmarked"));
    // The picker's bookmarks scope: Tab from all, notes, headings.
    keys(&mut app, "<C-p><Tab><Tab><Tab>");
    assert_eq!(
        app.picker.as_ref().unwrap().jump().unwrap().scope,
        Scope::Bookmarks
    );
    app.tick_search();
    assert_eq!(picker_notes(&app), [note]);
    keys(&mut app, "zzzz");
    app.tick_search();
    assert!(picker_notes(&app).is_empty(), "the query filters bookmarks");
    keys(&mut app, "<Esc>H");
    let title = app.vault.note(note).title.clone();
    let home = home_text(&app);
    assert!(home.contains("Bookmarks"), "{home}");
    assert!(home.contains(&title[..20]), "{home}");
    // m again on the note takes the bookmark away.
    keys(&mut app, "<BS>m");
    assert!(app.bookmarks.is_empty());
    keys(&mut app, "H");
    assert!(!home_text(&app).contains("Bookmarks"));
}

/// Saves the state of `app` as the event loop does and starts a new
/// browser over the same vault with it.
fn round_trip(app: &App, home: bool) -> App {
    let dir = tempfile::tempdir().unwrap();
    let file = state_file::file_for(dir.path(), &app.vault.root);
    state_file::save(&file, &app.snapshot("notes")).unwrap();
    let state = state_file::load(&file).unwrap().unwrap();
    let mut next = App::new(
        vidwiki::vault::Vault::new(app.vault.root.clone()),
        None,
        Rect::new(0, 0, 120, 40),
    );
    next.restore(state, home);
    // The vault arrives as the loader would bring it.
    let vault = sample_vault();
    let notes = vault.notes;
    next.on_load(vidwiki::vault::LoadEvent::Notes(notes));
    next.on_load(vidwiki::vault::LoadEvent::Done);
    settle(&mut next, Vec::new());
    next
}

#[test]
fn where_you_left_off_survives_a_restart() {
    let mut app = app(120, 40, Some(SPECIMEN));
    let first = app.open_note().unwrap();
    keys(&mut app, "m");
    // Follow a link to another note, then read down it.
    keys(&mut app, "nnn");
    keys(&mut app, "<C-p>");
    app.tick_search();
    keys(&mut app, "<Down><Enter>");
    let second = app.open_note().unwrap();
    assert_ne!(first, second);
    keys(&mut app, "<C-d>");
    // The first line with text on screen (a blank row has no place of its own).
    let top_text = |app: &App| {
        app.view().lines[app.note.scroll..]
            .iter()
            .map(ToString::to_string)
            .find(|l| !l.trim().is_empty())
            .unwrap()
    };
    let top = top_text(&app);
    let path = |app: &App, id| app.vault.note(id).path.clone();

    let next = round_trip(&app, false);
    let opened = next.open_note().expect("the last note opens again");
    assert_eq!(path(&next, opened), path(&app, second));
    assert_eq!(top_text(&next), top);
    let bookmarks: Vec<String> = next.bookmarks.iter().map(|&b| path(&next, b)).collect();
    assert_eq!(bookmarks, [path(&app, first)]);
    assert!(
        !next.history.stacks().0.is_empty(),
        "back goes to the first note"
    );
    assert_eq!(
        next.recent
            .iter()
            .map(|&r| path(&next, r))
            .collect::<Vec<_>>()[..2],
        [path(&app, second), path(&app, first)]
    );

    let home = round_trip(&app, true);
    assert_eq!(home.page, Page::Home, "--home");
    assert_eq!(home.bookmarks.len(), 1);
}

#[test]
fn folding_choices_and_the_backlinks_sort_survive_a_restart() {
    use vidwiki::app::{links::BacklinkSort, outline::Row};
    let mut app = app(120, 40, Some(SPECIMEN));
    let open = app.open_note().unwrap();
    let folder = app.vault.note(open).folder().to_owned();
    // Fold the open note's headings and its folder; unfold another note.
    let other = app
        .vault
        .notes
        .iter()
        .position(|n| n.path.ends_with("data_carbon_ladder.md"))
        .map(|i| vidwiki::vault::NoteId(u32::try_from(i).unwrap()))
        .unwrap();
    app.outline.set_note_unfolded(open, false);
    app.outline.set_note_unfolded(other, true);
    app.outline.toggle(&folder, true);
    app.links.sort = BacklinkSort::Title;
    let saved = app.snapshot("notes");
    assert_eq!(saved.folds.folders_closed, std::slice::from_ref(&folder));
    assert_eq!(saved.backlinks_sort, BacklinkSort::Title);

    // On the home page (the last note opening again would unfold its folder).
    let mut next = round_trip(&app, true);
    assert_eq!(next.links.sort, BacklinkSort::Title);
    let folder_row = |app: &App| {
        app.outline.rows.iter().find_map(|r| match r {
            Row::Folder { path, open, .. } if *path == folder => Some(*open),
            _ => None,
        })
    };
    assert_eq!(folder_row(&next), Some(false), "the folder stays folded");
    // Unfold the folder to see its notes: the choices on notes held.
    next.outline.toggle(&folder, false);
    next.outline.rebuild(&next.vault, None);
    let note_open = |app: &App, path: &str| {
        app.outline.rows.iter().find_map(|r| match r {
            Row::Note { id, open, .. } if app.vault.note(*id).path == path => *open,
            _ => None,
        })
    };
    let path = |app: &App, id| app.vault.note(id).path.clone();
    assert_eq!(note_open(&next, &path(&app, open)), Some(false));
    assert_eq!(note_open(&next, &path(&app, other)), Some(true));
}

#[test]
fn a_corrupt_state_file_is_ignored_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vault-x.json");
    std::fs::write(&file, "{ not json").unwrap();
    let error = state_file::load(&file).unwrap_err().to_string();
    assert!(
        error.contains("unreadable") && error.contains("starting afresh"),
        "{error}"
    );
    // And a state naming notes that are gone restores what still exists.
    let state = SavedState {
        version: vidwiki::app::saved::STATE_VERSION,
        vault: "notes".into(),
        recent: vec!["gone.md".into()],
        bookmarks: vec!["gone.md".into()],
        back: vec!["gone.md".into()],
        ..SavedState::default()
    };
    let mut app = App::new(sample_vault(), None, Rect::new(0, 0, 100, 30));
    app.restore(state, false);
    app.on_load(vidwiki::vault::LoadEvent::Done);
    assert!(app.bookmarks.is_empty() && app.recent.is_empty());
    assert!(app.history.stacks().0.is_empty());
}
