//! Moving around (issue 12): the outline (width, folding, notes before
//! headings, filter), the links and backlinks lists, and acting on a
//! find's match. Key sequences against `App`, and screens drawn into a
//! TestBackend compared with committed snapshots.

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{SPECIMEN, act, app, keys, sample_vault_with, settle};
use vidwiki::{
    app::{Action, App, Page, Pane, outline::Row},
    ui,
    vault::NoteId,
};

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn note_id(app: &App, stem: &str) -> NoteId {
    app.vault
        .ids()
        .find(|id| app.vault.note(*id).stem == stem)
        .unwrap()
}

fn title_of_row(app: &App, row: &Row) -> String {
    match row {
        Row::Folder { name, .. } => format!("folder {name}"),
        Row::Video { title, .. } => format!("video {title}"),
        Row::Note { id, .. } => format!("note {}", app.vault.note(*id).title),
        Row::Heading { note, heading, .. } => {
            format!("heading {}", app.vault.note(*note).headings[*heading].text)
        }
    }
}

/// A channel folder like the real vault's: an index note with `videos`
/// video headings, each listing one note, then the notes.
fn channel_vault(videos: usize) -> Vec<(String, Vec<u8>)> {
    let mut index = String::from("---\ntitle: Big Channel\n---\n");
    let mut files = Vec::new();
    for v in 0..videos {
        index.push_str(&format!(
            "### [Video {v}](https://www.youtube.com/watch?v=abcdefghij{})\n- [[topic_{v} | Topic {v}]]\n",
            v % 10
        ));
        files.push((
            format!("bigchannel/topic_{v}.md"),
            format!("# Topic {v}\n\nFrom: [[bigchannel]]\n\nAbout topic {v}.\n").into_bytes(),
        ));
    }
    files.push(("bigchannel/bigchannel.md".to_owned(), index.into_bytes()));
    files
}

fn app_with(extra: &[(String, Vec<u8>)], width: u16, height: u16, open: &str) -> App {
    let extra: Vec<(&str, &[u8])> = extra
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let mut app = App::loaded(
        sample_vault_with(&extra),
        Some(open.to_owned()),
        Rect::new(0, 0, width, height),
    );
    settle(&mut app, Vec::new());
    app
}

// ----- the outline -----------------------------------------------------------

#[test]
fn notes_come_before_the_channel_index_note_s_headings() {
    let mut a = app_with(&channel_vault(94), 120, 40, "bigchannel");
    let index = note_id(&a, "bigchannel");
    assert_eq!(a.page, Page::Note(index));
    let at = a.outline.row_of(index, None).unwrap();
    // Folded by default: the next rows are the channel's videos and notes,
    // not 94 headings.
    assert_eq!(
        a.outline.rows[at],
        Row::Note {
            id: index,
            depth: 1,
            open: Some(false)
        }
    );
    let next: Vec<String> = a.outline.rows[at + 1..at + 3]
        .iter()
        .map(|r| title_of_row(&a, r))
        .collect();
    assert_eq!(next, ["video Video 0", "note Topic 0"]);
    assert!(
        !a.outline
            .rows
            .iter()
            .any(|r| matches!(r, Row::Heading { note, .. } if *note == index))
    );
    assert_snapshot!("channel_index_folded_120x40", screen(&a));
    // `l` on it unfolds its headings under it, `h` folds them again.
    keys(&mut a, "1");
    a.outline.cursor.selected = at;
    keys(&mut a, "l");
    assert!(
        matches!(a.outline.rows[at + 1], Row::Heading { note, heading: 0, .. } if note == index)
    );
    keys(&mut a, "h");
    assert!(!matches!(a.outline.rows[at + 1], Row::Heading { .. }));
}

#[test]
fn folding_keys_fold_notes_and_folders_and_go_up_the_tree() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let id = a.open_note().unwrap();
    keys(&mut a, "1");
    let note_row = a.outline.row_of(id, None).unwrap();
    // The open note's headings are unfolded by default.
    assert!(matches!(
        a.outline.rows[note_row],
        Row::Note {
            open: Some(true),
            ..
        }
    ));
    assert!(matches!(a.outline.rows[note_row + 1], Row::Heading { .. }));
    // On a heading, h folds its note and selects it.
    a.outline.cursor.selected = note_row + 2;
    keys(&mut a, "<Left>");
    assert_eq!(a.outline.cursor.selected, note_row);
    assert!(matches!(
        a.outline.rows[note_row],
        Row::Note {
            open: Some(false),
            ..
        }
    ));
    assert_snapshot!("outline_folded_note_120x40", screen(&a));
    // z unfolds it again, and za (a is unbound) toggles it back.
    keys(&mut a, "z");
    assert!(matches!(
        a.outline.rows[note_row],
        Row::Note {
            open: Some(true),
            ..
        }
    ));
    keys(&mut a, "za");
    assert!(matches!(
        a.outline.rows[note_row],
        Row::Note {
            open: Some(false),
            ..
        }
    ));
    // h on a folded note goes up to its parent (the video above it), then
    // to the folder; h there folds the folder.
    keys(&mut a, "h");
    assert!(matches!(
        a.outline.rows[a.outline.cursor.selected],
        Row::Video { .. }
    ));
    keys(&mut a, "h");
    let folder = a.outline.cursor.selected;
    assert!(matches!(
        &a.outline.rows[folder],
        Row::Folder { open: true, .. }
    ));
    let before = a.outline.rows.len();
    keys(&mut a, "h");
    assert!(matches!(
        &a.outline.rows[folder],
        Row::Folder { open: false, .. }
    ));
    assert!(a.outline.rows.len() < before);
    // l unfolds it, l again goes to its first child.
    keys(&mut a, "l");
    assert_eq!(a.outline.rows.len(), before);
    keys(&mut a, "l");
    assert_eq!(a.outline.cursor.selected, folder + 1);
    // Another note's headings can be unfolded without opening it.
    let other = note_id(&a, "public_sector_innovation");
    a.outline.cursor.selected = a.outline.row_of(other, None).unwrap();
    keys(&mut a, "l");
    assert_eq!(a.page, Page::Note(id), "unfolding opens nothing");
    let row = a.outline.row_of(other, None).unwrap();
    assert!(matches!(a.outline.rows[row + 1], Row::Heading { note, .. } if note == other));
    // Enter on one of its headings opens the note there.
    a.outline.cursor.selected = row + 1;
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, Page::Note(other));
}

#[test]
fn a_note_with_many_headings_starts_folded() {
    let mut text = String::from("# Long\n\n");
    for h in 0..60 {
        text.push_str(&format!("## Part {h}\n\nText {h}.\n\n"));
    }
    let a = app_with(
        &[("long.md".to_owned(), text.into_bytes())],
        120,
        40,
        "long",
    );
    let id = a.open_note().unwrap();
    let row = a.outline.row_of(id, None).unwrap();
    assert!(matches!(
        a.outline.rows[row],
        Row::Note {
            open: Some(false),
            ..
        }
    ));
}

#[test]
fn the_outline_filter_keeps_notes_by_name_and_esc_clears_it() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let all = a.outline.rows.len();
    keys(&mut a, "1/serbia");
    assert_eq!(a.focus, Pane::Outline);
    let rows: Vec<String> = a.outline.rows.iter().map(|r| title_of_row(&a, r)).collect();
    assert_eq!(
        rows,
        [
            "folder oecdobservatoryofpublicsec3116",
            "video Exploring 2023 Innovation Trends",
            "note Serbia's National AI Supercomputing Platform",
            "note Serbia's AI and GovTech ecosystem",
        ]
    );
    assert_eq!(a.outline.filter_hits, 2);
    // Typing selects the first note kept; every word must match.
    assert_eq!(a.outline.cursor.selected, 2);
    assert_snapshot!("outline_filter_typing_120x40", screen(&a));
    keys(&mut a, " govtech");
    assert_eq!(a.outline.filter_hits, 1);
    // Backspace edits, Enter keeps the filter, j moves, Enter opens.
    keys(&mut a, "<BS><BS><BS><BS><BS><BS><BS><BS><Enter>");
    assert_eq!(a.outline.filter.as_deref(), Some("serbia"));
    assert!(!a.outline.filter_editing);
    keys(&mut a, "j<Enter>");
    assert_eq!(
        a.page,
        Page::Note(note_id(&a, "serbias_ai_and_govtech_ecosystem"))
    );
    keys(&mut a, "1");
    assert_snapshot!("outline_filter_kept_120x40", screen(&a));
    // Esc clears it: the whole tree, the selection where it was.
    keys(&mut a, "<Esc>");
    assert!(a.outline.filter.is_none());
    assert!(a.outline.rows.len() >= all - 5, "the whole tree again");
    let selected = &a.outline.rows[a.outline.cursor.selected];
    assert_eq!(
        title_of_row(&a, selected),
        "note Serbia's AI and GovTech ecosystem"
    );
    // A filter that keeps nothing says so; / in the note is still find.
    keys(&mut a, "/zzzz");
    assert!(a.outline.rows.is_empty());
    assert!(screen(&a).contains("No note by that name"));
    keys(&mut a, "<Esc>2/");
    assert!(a.find.is_some(), "/ in the note finds in the note");
}

#[test]
fn the_outline_is_resized_by_keys_and_by_dragging_its_border() {
    let mut a = app(120, 40, Some(SPECIMEN));
    assert_eq!(a.layout().outline.unwrap().width, 26);
    keys(&mut a, ">>");
    assert_eq!(a.outline_width, Some(34));
    assert_eq!(a.layout().outline.unwrap().width, 34);
    assert_snapshot!("outline_wider_120x40", screen(&a));
    keys(&mut a, "<lt>");
    assert_eq!(a.layout().outline.unwrap().width, 30);
    // As narrow as it goes, then a message instead of a change.
    keys(&mut a, "<lt><lt><lt><lt><lt><lt>");
    assert_eq!(a.layout().outline.unwrap().width, 14);
    assert!(a.message.as_ref().unwrap().text.contains("narrow"));
    // A drag of its right border (or the note's left one) sets the width.
    let border = a.layout().outline.unwrap().right() - 1;
    act(&mut a, Action::Click(border, 10));
    act(&mut a, Action::Drag(30, 10));
    act(&mut a, Action::Drag(40, 11));
    act(&mut a, Action::Release);
    assert_eq!(a.layout().outline.unwrap().width, 41);
    act(&mut a, Action::Drag(20, 11));
    assert_eq!(a.outline_width, Some(41), "no drag after the release");
    let note_edge = a.layout().note.unwrap().x;
    act(&mut a, Action::Click(note_edge, 5));
    act(&mut a, Action::Drag(200, 5));
    act(&mut a, Action::Release);
    let note = a.layout().note.unwrap();
    assert!(note.width >= 40, "the note keeps its room: {note:?}");
    act(&mut a, Action::Click(note.x, 5));
    act(&mut a, Action::Drag(35, 5));
    act(&mut a, Action::Release);
    assert_eq!(a.layout().outline.unwrap().width, 36);
    assert_snapshot!("outline_dragged_120x40", screen(&a));
    // The note is rendered at its new width.
    let text_width = vidwiki::app::layout::note_text(a.layout().note.unwrap()).width;
    assert!(
        a.view()
            .lines
            .iter()
            .all(|l| l.width() <= usize::from(text_width))
    );
    // The width is kept across runs, in the state file's value.
    let saved = a.snapshot("/v");
    assert_eq!(saved.outline_width, Some(36));
    let mut b = app(120, 40, None);
    b.restore(saved, true);
    assert_eq!(b.layout().outline.unwrap().width, 36);
    // A state file from before the width was kept still loads.
    let old: vidwiki::app::saved::SavedState =
        serde_json::from_str(r#"{"version":1,"vault":"/v","recent":["a.md"]}"#).unwrap();
    assert_eq!(old.outline_width, None);
}
