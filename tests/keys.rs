//! Key sequences against `App`, without a terminal.

mod support;

use ratatui::layout::Rect;
use support::{SPECIMEN, app, keys, read_notes, sample_vault};
use vidwiki::{
    app::{
        Action, App, Dest, Effect, LinksTab, MessageKind, Page, Pane, links::EntryKind,
        outline::Row,
    },
    search::ItemKind,
    vault::{LoadEvent, NoteId, Vault},
};

fn note_id(app: &App, stem: &str) -> NoteId {
    app.vault
        .ids()
        .find(|id| app.vault.note(*id).stem() == stem)
        .unwrap()
}

/// The destination of the target under the link cursor.
fn cursor_dest(app: &App) -> Option<Dest> {
    app.note.cursor.map(|c| app.view().targets[c].dest.clone())
}

/// Presses `n` until the cursor is on a wiki-link matching `pred`.
fn cursor_to_link(app: &mut App, pred: impl Fn(&vidwiki::vault::WikiLink) -> bool) {
    let id = app.open_note().unwrap();
    for _ in 0..500 {
        keys(app, "n");
        if let Some(Dest::Link(i)) = cursor_dest(app)
            && app.vault.note(id).links.get(i).is_some_and(|l| pred(&l))
        {
            return;
        }
    }
    panic!("no such link");
}

#[test]
fn opens_the_named_note_or_the_home_page() {
    let a = app(120, 40, Some(SPECIMEN));
    assert_eq!(a.page, Page::Note(note_id(&a, SPECIMEN)));
    let a = app(120, 40, None);
    assert_eq!(a.page, Page::Home);
    let a = app(120, 40, Some("no such note at all"));
    assert_eq!(a.page, Page::Home);
    assert_eq!(a.message.as_ref().unwrap().kind, MessageKind::Error);
}

#[test]
fn open_waits_for_the_note_to_arrive() {
    let mut a = App::new(
        Vault::new("notes"),
        Some("Public sector innovation".into()),
        Rect::new(0, 0, 120, 40),
    );
    assert_eq!(a.page, Page::Home);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("notes");
    let notes = read_notes(&root);
    a.on_load(LoadEvent::Found { notes: notes.len() });
    let (first, rest) = notes.split_at(3);
    a.on_load(LoadEvent::Notes(first.to_vec()));
    assert_eq!(a.page, Page::Home, "not arrived yet");
    a.on_load(LoadEvent::Notes(rest.to_vec()));
    assert_eq!(
        a.page,
        Page::Note(note_id(&a, "public_sector_innovation")),
        "opened before Done"
    );
    assert!(!a.load.done);
    a.on_load(LoadEvent::Done);
    assert!(a.load.done && a.vault.complete);
    assert!(
        !a.vault
            .backlinks(note_id(&a, "public_sector_innovation"))
            .is_empty()
    );
}

#[test]
fn follow_a_link_and_come_back_to_the_same_place() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let specimen = a.page;
    keys(&mut a, "<C-d><C-d>");
    cursor_to_link(&mut a, |l| l.target() == "public_sector_innovation");
    let (scroll, cursor) = (a.note.scroll, a.note.cursor);
    assert!(scroll > 0);
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, Page::Note(note_id(&a, "public_sector_innovation")));
    assert_eq!(a.note.scroll, 0);
    keys(&mut a, "jjj<BS>");
    assert_eq!(a.page, specimen);
    assert_eq!(
        (a.note.scroll, a.note.cursor),
        (scroll, cursor),
        "scroll and cursor restored"
    );
    keys(&mut a, "<A-Right>");
    assert_eq!(a.page, Page::Note(note_id(&a, "public_sector_innovation")));
    assert_eq!(a.note.scroll, 3, "forward restores too");
    keys(&mut a, "<A-Left>");
    assert_eq!(a.page, specimen);
}

#[test]
fn follow_a_heading_link_scrolls_to_the_heading() {
    let mut a = app(80, 24, Some("table_and_callout"));
    cursor_to_link(&mut a, |l| {
        l.heading() == Some("Examples of Partnerships in Action")
    });
    keys(&mut a, "<Enter>");
    let specimen = note_id(&a, SPECIMEN);
    assert_eq!(a.page, Page::Note(specimen));
    let heading = a
        .vault
        .note(specimen)
        .find_heading("Examples of Partnerships in Action")
        .unwrap();
    let line = a
        .view()
        .headings
        .iter()
        .find(|h| h.heading == heading)
        .unwrap()
        .line;
    assert!(line > 0);
    assert_eq!(a.note.scroll, line);
    // The outline marks that heading as the one being read.
    let current = a.outline.current.unwrap();
    assert!(
        matches!(a.outline.rows[current], Row::Heading { note, heading: h, .. } if note == specimen && h == heading)
    );
}

#[test]
fn follow_a_heading_link_within_the_same_note() {
    let mut a = app(80, 24, Some("table_and_callout"));
    let here = a.page;
    cursor_to_link(&mut a, |l| {
        l.target().is_empty() && l.heading() == Some("Details below")
    });
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, here);
    let id = a.open_note().unwrap();
    let heading = a.vault.note(id).find_heading("Details below").unwrap();
    let line = a
        .view()
        .headings
        .iter()
        .find(|h| h.heading == heading)
        .unwrap()
        .line;
    let max = a.view().lines.len() - a.note_height();
    assert_eq!(a.note.scroll, line.min(max));
    keys(&mut a, "<BS>");
    assert_eq!(a.page, here);
    assert!(
        a.note.scroll < line.min(max),
        "back returns to where the link was"
    );
}

#[test]
fn unresolved_link_says_so() {
    let mut a = app(120, 40, Some("table_and_callout"));
    let here = a.page;
    cursor_to_link(&mut a, |l| l.target() == "quantum_bureaucracy");
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, here, "nowhere to go");
    let message = a.message.clone().unwrap();
    assert_eq!(message.kind, MessageKind::Warning);
    assert!(
        message.text.contains("quantum_bureaucracy"),
        "{}",
        message.text
    );
    keys(&mut a, "<Esc>");
    assert!(a.message.is_none());
}

#[test]
fn link_cursor_goes_through_links_and_timestamps_in_reading_order() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let count = a.view().targets.len();
    let id = a.open_note().unwrap();
    let note = a.vault.note(id);
    // Every link and timestamp, and the video link of the header.
    assert_eq!(count, note.links.len() + note.timestamps.len() + 1);
    let mut seen = Vec::new();
    for _ in 0..count {
        keys(&mut a, "n");
        let c = a.note.cursor.unwrap();
        let t = &a.view().targets[c];
        // Always on screen.
        assert!(
            t.first_line() >= a.note.scroll && t.first_line() < a.note.scroll + a.note_height()
        );
        seen.push((t.first_line(), t.pieces[0].1.start));
    }
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "reading order: {seen:?}"
    );
    // The first is the channel link, then the video, then the first timestamp.
    assert_eq!(
        a.view()
            .targets
            .iter()
            .position(|t| t.dest == Dest::Link(0)),
        Some(0)
    );
    assert_eq!(
        a.view().targets[1].dest,
        Dest::Url("https://youtu.be/HrwPuLTdHag".into())
    );
    assert_eq!(a.view().targets[2].dest, Dest::Timestamp(0));
    keys(&mut a, "n");
    assert_eq!(a.note.cursor, Some(0), "wraps around");
    assert_eq!(a.note.scroll, 0);
    keys(&mut a, "N");
    assert_eq!(a.note.cursor, Some(count - 1), "N goes backwards");
    assert!(a.note.scroll > 0);
}

#[test]
fn cursor_starts_on_screen_after_scrolling() {
    let mut a = app(120, 40, Some(SPECIMEN));
    keys(&mut a, "nn<PageDown><PageDown>n");
    let t = &a.view().targets[a.note.cursor.unwrap()];
    assert!(t.first_line() >= a.note.scroll);
    assert!(t.first_line() < a.note.scroll + a.note_height());
}

#[test]
fn open_a_note_and_a_heading_from_the_outline() {
    let mut a = app(120, 40, None);
    keys(&mut a, "1");
    assert_eq!(a.focus, Pane::Outline);
    let target = note_id(&a, "data_carbon_ladder");
    let row = a.outline.row_of(target, None).unwrap();
    keys(&mut a, "g");
    for _ in 0..row {
        keys(&mut a, "j");
    }
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, Page::Note(target));
    // Its headings are now under it; open the last one.
    let headings = a.vault.note(target).headings.len();
    assert!(headings > 1);
    for _ in 0..headings {
        keys(&mut a, "j");
    }
    assert!(matches!(
        a.outline.rows[a.outline.cursor.selected],
        Row::Heading { .. }
    ));
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, Page::Note(target));
    assert!(a.note.scroll > 0 || a.view().lines.len() <= a.note_height());
    assert_eq!(a.focus, Pane::Outline, "focus stays in the outline");
}

#[test]
fn headings_jump_and_the_outline_follows() {
    let mut a = app(120, 40, Some(SPECIMEN));
    keys(&mut a, "]");
    let first = a.view().headings[0].line;
    assert_eq!(a.note.scroll, first);
    keys(&mut a, "]");
    assert_eq!(a.note.scroll, a.view().headings[1].line);
    let current = a.outline.current.unwrap();
    assert!(matches!(
        a.outline.rows[current],
        Row::Heading { heading: 1, .. }
    ));
    assert_eq!(a.outline.cursor.selected, current);
    keys(&mut a, "[");
    assert_eq!(a.note.scroll, first);
}

#[test]
fn backlinks_tab_follows_to_the_linking_sentence() {
    let mut a = app(120, 40, Some("public_sector_innovation"));
    keys(&mut a, "b");
    assert_eq!((a.focus, a.links.tab()), (Pane::Links, LinksTab::Backlinks));
    // A row for the linking note, then the sentence around its link.
    let first = a.links.entries[0].clone();
    assert_eq!(first.kind, EntryKind::Group);
    assert_eq!(a.links.entries[1].kind, EntryKind::Context);
    assert!(!a.links.entries[1].detail.is_empty());
    keys(&mut a, "<Enter>");
    let Some(Dest::Link(i)) = cursor_dest(&a) else {
        panic!("cursor on the link")
    };
    let source = a.open_note().unwrap();
    assert_eq!(a.vault.note(source).title, first.label);
    assert_eq!(
        a.vault.note(source).links.get(i).unwrap().target(),
        "public_sector_innovation"
    );
}

#[test]
fn home_page_entries_are_followable() {
    let mut a = app(120, 40, Some(SPECIMEN));
    keys(&mut a, "H");
    assert_eq!(a.page, Page::Home);
    assert!(a.view().targets.len() > 3);
    // The first entry is the channel; its index note opens.
    keys(&mut a, "n<Enter>");
    assert_eq!(
        a.page,
        Page::Note(note_id(&a, "oecdobservatoryofpublicsec3116"))
    );
    keys(&mut a, "<BS>");
    assert_eq!(a.page, Page::Home);
    // A wanted topic says there is no note.
    keys(&mut a, "N<Enter>");
    assert_eq!(a.page, Page::Home);
    assert_eq!(a.message.as_ref().unwrap().kind, MessageKind::Warning);
}

#[test]
fn timestamps_copy_and_open() {
    let mut a = app(120, 40, Some(SPECIMEN));
    assert!(keys(&mut a, "y").is_empty(), "nothing under the cursor");
    keys(&mut a, "nnn");
    assert_eq!(cursor_dest(&a), Some(Dest::Timestamp(0)));
    assert_eq!(
        keys(&mut a, "y"),
        vec![Effect::Copy("https://youtu.be/HrwPuLTdHag?t=317".into())]
    );
    assert_eq!(
        keys(&mut a, "Y"),
        vec![Effect::Copy(
            "[Publicprivate partnerships in technology and innovation @ 05:17](https://youtu.be/HrwPuLTdHag?t=317)".into()
        )]
    );
    assert_eq!(
        keys(&mut a, "o"),
        vec![Effect::OpenUrl("https://youtu.be/HrwPuLTdHag?t=317".into())]
    );
    assert_eq!(
        keys(&mut a, "v"),
        vec![Effect::Copy("https://youtu.be/HrwPuLTdHag".into())]
    );
    // A malformed time is never copied.
    let mut a = app(120, 40, Some("table_and_callout"));
    keys(&mut a, "t");
    let bad = a.links.entries.iter().position(|e| e.missing).unwrap();
    for _ in 0..bad {
        keys(&mut a, "j");
    }
    assert!(keys(&mut a, "y").is_empty());
    assert_eq!(a.message.as_ref().unwrap().kind, MessageKind::Warning);
}

#[test]
fn focus_help_and_quit() {
    let mut a = app(120, 40, Some(SPECIMEN));
    assert_eq!(a.focus, Pane::Note);
    keys(&mut a, "<Tab>");
    assert_eq!(a.focus, Pane::Links);
    keys(&mut a, "<Tab><Tab>");
    assert_eq!(a.focus, Pane::Note);
    keys(&mut a, "<BackTab>");
    assert_eq!(a.focus, Pane::Outline);
    keys(&mut a, "?");
    assert!(a.help.is_some());
    assert!(keys(&mut a, "q").is_empty(), "q closes help first");
    assert!(a.help.is_none());
    assert_eq!(keys(&mut a, "q"), vec![Effect::Quit]);
    assert_eq!(keys(&mut a, "<C-c>"), vec![Effect::Quit]);
}

#[test]
fn narrow_screens_show_one_pane_and_resize_rerenders() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let wide_lines = a.view().lines.len();
    keys(&mut a, "G");
    a.update(Action::Resize(60, 20));
    assert_eq!(a.layout().visible(), vec![Pane::Note]);
    assert!(a.view().lines.len() > wide_lines, "rewrapped narrower");
    assert!(
        a.note.scroll + a.note_height() <= a.view().lines.len(),
        "scroll clamped"
    );
    keys(&mut a, "<Tab>");
    assert_eq!(a.layout().visible(), vec![Pane::Links]);
    a.update(Action::Resize(100, 30));
    assert_eq!(a.layout().visible(), vec![Pane::Note, Pane::Links]);
    keys(&mut a, "L");
    assert_eq!(a.layout().visible(), vec![Pane::Outline, Pane::Note]);
}

#[test]
fn mouse_clicks_focus_and_follow() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let layout = a.layout();
    let outline = layout.outline.unwrap();
    let target = note_id(&a, "data_carbon_ladder");
    let row = a.outline.row_of(target, None).unwrap() - a.outline.cursor.offset;
    a.update(Action::Click(
        outline.x + 3,
        outline.y + 1 + u16::try_from(row).unwrap(),
    ));
    assert_eq!(a.focus, Pane::Outline);
    assert_eq!(a.page, Page::Note(target));
    keys(&mut a, "<BS>");
    // Click the first link of the specimen's text (the channel link).
    let text = vidwiki::app::layout::note_text(a.layout().note.unwrap());
    let t = a.view().targets[0].clone();
    let (line, cols) = t.pieces[0].clone();
    a.update(Action::Click(
        text.x + cols.start,
        text.y + u16::try_from(line).unwrap(),
    ));
    assert_eq!(a.focus, Pane::Note);
    assert_eq!(
        a.page,
        Page::Note(note_id(&a, "oecdobservatoryofpublicsec3116"))
    );
    keys(&mut a, "<BS>");
    a.update(Action::Wheel(text.x, text.y, 1));
    assert_eq!(a.note.scroll, 3);
    a.update(Action::Wheel(text.x, text.y, -1));
    assert_eq!(a.note.scroll, 0);
}

#[test]
fn mouse_in_the_picker_picks_scrolls_and_closes() {
    let mut a = app(120, 40, Some(SPECIMEN));
    keys(&mut a, "<C-p>trust");
    support::settle_search(&mut a);
    let list = a.picker_layout().list;
    let second = a.picker.as_ref().unwrap().hits()[1].item;
    a.update(Action::Click(list.x + 2, list.y + 1));
    assert!(a.picker.is_none(), "a click on a row opens it");
    assert_eq!(a.open_note(), second.note_id());
    // The wheel moves the selection; a click outside closes, changing nothing.
    let before = a.page;
    keys(&mut a, "<C-p>");
    support::settle_search(&mut a);
    a.update(Action::Wheel(list.x, list.y, 1));
    assert_eq!(a.picker.as_ref().unwrap().selected, 3);
    a.update(Action::Click(0, a.area.height - 1));
    assert!(a.picker.is_none());
    assert_eq!(a.page, before);
}

#[test]
fn back_with_no_history_says_so() {
    let mut a = App::loaded(sample_vault(), None, Rect::new(0, 0, 80, 24));
    keys(&mut a, "<BS>");
    assert_eq!(a.page, Page::Home);
    assert!(a.message.is_some());
}

#[test]
fn picker_finds_and_opens_a_note_or_heading() {
    let mut a = app(120, 40, None);
    keys(&mut a, "<C-p>");
    assert!(a.picker.is_some());
    keys(&mut a, "carbon ladder");
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    assert!(p.jump().unwrap().matched >= 1);
    assert_eq!(p.hits()[0].text, "Data carbon ladder");
    assert_eq!(keys(&mut a, "q"), vec![], "q types into the query");
    keys(&mut a, "<BS><Enter>");
    assert!(a.picker.is_none());
    assert_eq!(a.page, Page::Note(note_id(&a, "data_carbon_ladder")));
    assert_eq!(a.focus, Pane::Note);
    // A heading opens its note scrolled to it.
    keys(&mut a, "<C-p><Tab><Tab>");
    keys(&mut a, "examples of partnerships in action");
    support::settle_search(&mut a);
    keys(&mut a, "<Enter>");
    let specimen = note_id(&a, SPECIMEN);
    assert_eq!(a.page, Page::Note(specimen));
    assert!(a.note.scroll > 0);
    keys(&mut a, "<C-p>xyz<Esc>");
    assert!(a.picker.is_none());
    assert_eq!(a.page, Page::Note(specimen));
}

/// The picker's rows as texts.
fn picker_texts(a: &App) -> Vec<String> {
    a.picker
        .as_ref()
        .unwrap()
        .hits()
        .iter()
        .map(|h| h.text.clone())
        .collect()
}

#[test]
fn picker_ranks_an_exact_title_above_headings_with_the_words() {
    let mut a = app(120, 40, None);
    keys(&mut a, "<C-p>Data carbon ladder");
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    assert_eq!(p.hits()[0].text, "Data carbon ladder");
    assert_eq!(p.hits()[0].item.kind(), ItemKind::Note);
    let heading = p
        .hits()
        .iter()
        .position(|h| {
            h.item.kind() == ItemKind::Heading && h.text.starts_with("Data carbon ladder ›")
        })
        .expect("its headings match too");
    assert!(heading > 0);
}

#[test]
fn picker_negation_and_exact_atoms() {
    let mut a = app(120, 40, None);
    keys(&mut a, "<C-p>carbon");
    support::settle_search(&mut a);
    let all = picker_texts(&a);
    assert!(all.iter().any(|t| t.to_lowercase().contains("ladder")));
    keys(&mut a, " !ladder");
    support::settle_search(&mut a);
    let texts = picker_texts(&a);
    assert!(!texts.is_empty());
    assert!(
        texts.iter().all(|t| !t.to_lowercase().contains("ladder")),
        "{texts:?}"
    );
    assert!(texts.len() < all.len());
    // `'` asks for the exact substring: a fuzzy "dcrb" matches, an exact one not.
    keys(&mut a, "<Esc><C-p>dcrb");
    support::settle_search(&mut a);
    assert!(!picker_texts(&a).is_empty());
    keys(&mut a, "<Esc><C-p>'dcrb");
    support::settle_search(&mut a);
    assert!(picker_texts(&a).is_empty());
    keys(&mut a, "<Esc><C-p>'decarb");
    support::settle_search(&mut a);
    let texts = picker_texts(&a);
    assert!(!texts.is_empty());
    assert!(
        texts.iter().all(|t| t.to_lowercase().contains("decarb")),
        "{texts:?}"
    );
}

#[test]
fn picker_esc_leaves_everything_as_it_was() {
    let mut a = app(120, 40, Some(SPECIMEN));
    keys(&mut a, "jjjn");
    let before = (a.page, a.note, a.focus, a.side, a.location());
    assert!(a.note.cursor.is_some());
    keys(&mut a, "<C-p>carbon<Down><Down><Tab><PageDown><Esc>");
    assert!(a.picker.is_none());
    assert_eq!((a.page, a.note, a.focus, a.side, a.location()), before);
    // History is untouched too: there is still nothing to go back to.
    keys(&mut a, "<BS>");
    assert_eq!(a.page, before.0);
    // The same from the text mode.
    keys(&mut a, "<C-f>ladder<Down><Esc>");
    support::settle_search(&mut a);
    assert!(a.picker.is_none() && a.find.is_none());
    assert_eq!((a.page, a.note), (before.0, before.1));
}

#[test]
fn picker_heading_opens_at_the_heading_and_back_returns() {
    let mut a = app(120, 40, None);
    keys(&mut a, "<C-k>");
    assert!(a.picker.is_some(), "Ctrl-K opens the picker too");
    keys(&mut a, "ladder guiding question");
    support::settle_search(&mut a);
    let hit = a.picker.as_ref().unwrap().hits()[0].clone();
    assert_eq!(hit.item.kind(), ItemKind::Heading);
    keys(&mut a, "<Enter>");
    let id = note_id(&a, "data_carbon_ladder");
    assert_eq!(a.page, Page::Note(id));
    let h = a
        .view()
        .headings
        .iter()
        .find(|h| h.heading == hit.item.heading_index().unwrap() as usize)
        .unwrap();
    assert!(
        h.line >= a.note.scroll && h.line < a.note.scroll + a.note_height(),
        "the heading is on screen"
    );
    assert!(a.note.scroll > 0);
    keys(&mut a, "<BS>");
    assert_eq!(a.page, Page::Home);
}

#[test]
fn picker_streams_notes_that_load_after_it_opened() {
    let mut a = App::new(Vault::new("notes"), None, Rect::new(0, 0, 120, 40));
    keys(&mut a, "<C-p>carbon ladder");
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    assert!(p.hits().is_empty());
    assert!(p.jump().unwrap().running, "still loading");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("notes");
    let notes = read_notes(&root);
    a.on_load(LoadEvent::Found { notes: notes.len() });
    a.on_load(LoadEvent::Notes(notes));
    support::settle_search(&mut a);
    assert_eq!(picker_texts(&a)[0], "Data carbon ladder", "no reopening");
    assert!(
        a.picker.as_ref().unwrap().jump().unwrap().running,
        "the count says loading"
    );
    a.on_load(LoadEvent::Done);
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    assert!(!p.jump().unwrap().running);
    // Channel pages arrive at the end of loading.
    assert!(p.jump().unwrap().total as usize > a.vault.notes.len());
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, Page::Note(note_id(&a, "data_carbon_ladder")));
}

#[test]
fn picker_lists_recent_notes_first_with_an_empty_query() {
    let mut a = app(120, 40, None);
    keys(&mut a, "<C-p>Data carbon ladder");
    support::settle_search(&mut a);
    keys(&mut a, "<Enter><C-p>World government summit");
    support::settle_search(&mut a);
    keys(&mut a, "<Enter><C-p>");
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    assert_eq!(p.jump().unwrap().recent, 2);
    let texts = picker_texts(&a);
    assert_eq!(texts[0], "World Government Summit");
    assert_eq!(texts[1], "Data carbon ladder");
    assert_eq!(
        texts.iter().filter(|t| *t == "Data carbon ladder").count(),
        1,
        "not listed twice"
    );
    // Headings only: no recent notes.
    keys(&mut a, "<Tab><Tab>");
    support::settle_search(&mut a);
    assert_eq!(a.picker.as_ref().unwrap().jump().unwrap().recent, 0);
    assert!(
        a.picker
            .as_ref()
            .unwrap()
            .hits()
            .iter()
            .all(|h| h.item.kind() == ItemKind::Heading)
    );
}

#[test]
fn full_text_search_opens_the_note_at_the_line_with_the_match() {
    let mut a = app(120, 40, None);
    keys(&mut a, "<C-f>\"MINIMUM viable\"");
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    // The first row heads the note's group and opens its first match.
    let hit = p.lines()[0].clone();
    let id = note_id(&a, "data_carbon_ladder");
    assert_eq!((hit.note, hit.line), (id, 23));
    assert_eq!(hit.head.map(|h| h.lines), Some(1));
    let line = &p.lines()[1];
    assert_eq!((line.note, line.line, line.head), (id, 23, None));
    assert_eq!(&line.snippet[line.matched[0].clone()], "minimum viable");
    assert!(!p.text().unwrap().searching);
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, Page::Note(id));
    let find = a.find.as_ref().expect("the match is highlighted");
    let m = &find.matches[find.current.unwrap()];
    assert_eq!(a.view().source_lines[m.line], 23);
    assert!(m.line >= a.note.scroll && m.line < a.note.scroll + a.note_height());
    keys(&mut a, "<BS>");
    assert_eq!(a.page, Page::Home, "Back returns");
    // Ctrl-F inside the picker switches modes and keeps the query.
    keys(&mut a, "<C-p>ladder<C-f>");
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    assert_eq!(p.query, "ladder");
    assert!(p.lines().len() > 3);
}

#[test]
fn full_text_words_are_an_and_over_the_note_and_bang_excludes() {
    let mut a = app(120, 40, None);
    let id = note_id(&a, "data_carbon_ladder");
    // `rungs` and `upstream` are on different lines of one note.
    keys(&mut a, "<C-f>rungs upstream");
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    let heads: Vec<_> = p
        .lines()
        .iter()
        .filter_map(|h| h.head.map(|g| (h.note, g.lines)))
        .collect();
    assert_eq!(heads, vec![(id, 2)]);
    assert_eq!(p.lines().len(), 3, "the head and its two lines");
    // Excluding a word of that note leaves the others.
    keys(&mut a, "<Esc><C-f>ladder !rungs");
    support::settle_search(&mut a);
    let p = a.picker.as_ref().unwrap();
    assert!(p.lines().iter().all(|h| h.note != id));
    assert!(!p.lines().is_empty());
}

#[test]
fn find_in_note_highlights_steps_and_clears() {
    let mut a = app(120, 40, Some("data_carbon_ladder"));
    keys(&mut a, "/LADDER");
    let f = a.find.as_ref().unwrap();
    assert!(f.editing);
    assert!(f.matches.len() >= 4, "{}", f.matches.len());
    assert_eq!(f.current, Some(0));
    keys(&mut a, "<Enter>");
    assert!(!a.find.as_ref().unwrap().editing);
    keys(&mut a, "nn");
    assert_eq!(a.find.as_ref().unwrap().current, Some(2));
    assert_eq!(a.note.cursor, None, "n steps through matches, not links");
    keys(&mut a, "N");
    assert_eq!(a.find.as_ref().unwrap().current, Some(1));
    let count = a.find.as_ref().unwrap().matches.len();
    keys(&mut a, "NN");
    assert_eq!(a.find.as_ref().unwrap().current, Some(count - 1), "wraps");
    keys(&mut a, "<Esc>");
    assert!(a.find.is_none());
    keys(&mut a, "n");
    assert!(a.note.cursor.is_some(), "n is the link cursor again");
    // Esc while typing cancels and scrolls back.
    keys(&mut a, "gG");
    let scroll = a.note.scroll;
    keys(&mut a, "/reactive<Esc>");
    assert!(a.find.is_none());
    assert_eq!(a.note.scroll, scroll);
    // No match: a message, and the find is gone.
    keys(&mut a, "/zzzqqq<Enter>");
    assert!(a.find.is_none());
    assert!(a.message.as_ref().unwrap().text.contains("zzzqqq"));
}

/// The first stop is covered by `timestamps_copy_and_open`; this is the
/// other end of the specimen.
#[test]
fn the_fortieth_timestamp_of_the_specimen_copies() {
    let mut a = app(120, 40, Some(SPECIMEN));
    // At the end of the note, the last stop is the 40th timestamp, 00:09:13.
    keys(&mut a, "GN");
    assert_eq!(cursor_dest(&a), Some(Dest::Timestamp(39)));
    assert_eq!(
        keys(&mut a, "y"),
        vec![Effect::Copy("https://youtu.be/HrwPuLTdHag?t=553".into())]
    );
    assert_eq!(
        keys(&mut a, "Y"),
        vec![Effect::Copy(
            "[Publicprivate partnerships in technology and innovation @ 09:13](https://youtu.be/HrwPuLTdHag?t=553)".into()
        )]
    );
    let message = a.message.as_ref().unwrap();
    assert!(
        message.text.starts_with("Copied [Publicprivate"),
        "{}",
        message.text
    );
}

#[test]
fn a_note_without_video_id_explains_why_nothing_is_copied() {
    let mut vault = sample_vault();
    vault.add(vidwiki::vault::loader::parse_note(
        "extra/no_video.md",
        b"---\ntitle: No video here\n---\n\nA claim <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>.\n",
    ));
    vault.finish();
    let mut a = App::loaded(
        vault,
        Some("No video here".into()),
        Rect::new(0, 0, 120, 40),
    );
    keys(&mut a, "n");
    assert_eq!(cursor_dest(&a), Some(Dest::Timestamp(0)));
    assert!(keys(&mut a, "y").is_empty(), "no effect without a videoId");
    let message = a.message.as_ref().unwrap();
    assert_eq!(message.kind, MessageKind::Warning);
    assert!(
        message.text.contains("no valid videoId"),
        "{}",
        message.text
    );
    assert!(keys(&mut a, "Y").is_empty());
    assert!(keys(&mut a, "v").is_empty());
}

#[test]
fn the_picker_list_goes_past_its_first_page_of_matches() {
    let mut vault = Vault::new("many");
    for i in 0..450 {
        let text = format!("---\ntitle: Topic number {i}\n---\n");
        vault.add(vidwiki::vault::loader::parse_note(
            &format!("t{i}.md"),
            text.as_bytes(),
        ));
    }
    vault.finish();
    let mut a = App::loaded(vault, None, Rect::new(0, 0, 100, 30));
    keys(&mut a, "<C-p>topic");
    support::settle_search(&mut a);
    assert_eq!(a.picker.as_ref().unwrap().jump().unwrap().matched, 450);
    for _ in 0..40 {
        keys(&mut a, "<PageDown>");
        support::settle_search(&mut a);
    }
    let p = a.picker.as_ref().unwrap();
    assert_eq!(p.selected, 449, "the last match can be reached");
    assert_eq!(p.hits().len(), 450);
}

#[test]
fn backlinks_of_a_channel_index_say_from_this_channel() {
    let mut a = app(120, 40, Some("oecdobservatoryofpublicsec3116"));
    keys(&mut a, "b");
    assert_eq!(a.links.tab(), LinksTab::Backlinks);
    let from_lines = a
        .links
        .entries
        .iter()
        .filter(|e| e.detail == "From this channel")
        .count();
    // The 16 topic notes of the sample vault and the fixture name the
    // channel in their From line.
    assert_eq!(from_lines, 17);
}

#[test]
fn the_links_tab_lists_the_specimens_links_once_per_target_in_reading_order() {
    let a = app(120, 40, Some(SPECIMEN));
    assert_eq!(a.links.tab(), LinksTab::Links);
    let id = a.open_note().unwrap();
    assert_eq!(a.vault.note(id).links.len(), 6);
    let rows: Vec<_> = a
        .links
        .entries
        .iter()
        .map(|e| (e.action.clone(), e.count))
        .collect();
    let link = |i| vidwiki::app::links::EntryAction::Target(Dest::Link(i));
    // Four of the six links lead to "Public sector innovation".
    assert_eq!(rows, [(link(0), 1), (link(1), 4), (link(2), 1)]);
}

/// A note that writes `MM:SS:FF`: `y` copies the seconds the chip shows
/// (42 min 34 s), not the hours it writes, and `01:16:16` beside it is
/// 1 min 16 s.
#[test]
fn y_on_a_corrected_timestamp_copies_the_corrected_seconds() {
    let text = "---\ntitle: Minutes\nvideoId: UTmFuSZfJ9U\n---\n\nStarts <a class=\"yt-timestamp\" data-t=\"42:34:00\">[42:34:00]</a> then <a class=\"yt-timestamp\" data-t=\"01:16:16\">[01:16:16]</a>.\n";
    let mut vault = Vault::new("t");
    vault.add(vidwiki::vault::loader::parse_note(
        "minutes.md",
        text.as_bytes(),
    ));
    vault.finish();
    let mut a = App::loaded(vault, Some("minutes".into()), Rect::new(0, 0, 100, 30));
    let lines: Vec<String> = a
        .view()
        .lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("times read as MM:SS (this note writes MM:SS:FF")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("▶42:34 then ▶01:16")),
        "{lines:#?}"
    );
    // The video link comes first, then the timestamps.
    keys(&mut a, "nn");
    assert_eq!(cursor_dest(&a), Some(Dest::Timestamp(0)));
    assert_eq!(
        keys(&mut a, "y"),
        vec![Effect::Copy("https://youtu.be/UTmFuSZfJ9U?t=2554".into())]
    );
    keys(&mut a, "n");
    assert_eq!(
        keys(&mut a, "y"),
        vec![Effect::Copy("https://youtu.be/UTmFuSZfJ9U?t=76".into())]
    );
}

// ----- note texts come from the event loop, never from the app itself ----

/// A vault whose notes were parsed from bytes but whose texts were dropped,
/// as for notes loaded from disk, with a root where no file exists: the app
/// can only get a text by asking for it, and the test answers.
fn vault_without_files(notes: &[(&str, String)]) -> Vault {
    let mut vault = Vault::new("/nonexistent/vidwiki-test-vault");
    for (path, text) in notes {
        let mut note = vidwiki::vault::loader::parse_note(path, text.as_bytes());
        note.text = None;
        vault.add(note);
    }
    vault.finish();
    vault
}

fn reads(effects: &[Effect]) -> Vec<vidwiki::app::NoteRead> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::ReadNote(read) => Some(read.clone()),
            _ => None,
        })
        .collect()
}

fn screen_text(a: &App) -> String {
    a.view()
        .lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn opening_a_note_asks_for_its_text_and_shows_it_when_it_comes() {
    let body = "---\ntitle: Alpha\n---\n\nThe alpha body text.\n\n## Part two\n\nMore.\n";
    let vault = vault_without_files(&[("alpha.md", body.to_owned())]);
    let mut a = App::loaded(vault, Some("alpha".into()), Rect::new(0, 0, 100, 30));
    let asked = reads(&a.take_effects());
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].path, "alpha.md");
    assert!(screen_text(&a).contains("Loading…"), "{}", screen_text(&a));
    // Keys keep working while the read is under way: q quits at once.
    assert_eq!(keys(&mut a, "q"), vec![Effect::Quit]);
    assert!(reads(&a.take_effects()).is_empty(), "asked only once");
    a.on_note_text(&asked[0], Ok(std::sync::Arc::from(body)));
    let shown = screen_text(&a);
    assert!(
        shown.contains("The alpha body text.") && !shown.contains("Loading…"),
        "{shown}"
    );
}

#[test]
fn a_failed_or_abandoned_read_says_why_in_the_note() {
    let vault = vault_without_files(&[
        ("a.md", "---\ntitle: A\n---\n\nx\n".to_owned()),
        ("b.md", "---\ntitle: B\n---\n\n[[a]]\n".to_owned()),
    ]);
    let mut a = App::loaded(vault, Some("a".into()), Rect::new(0, 0, 100, 30));
    let asked = reads(&a.take_effects());
    a.on_note_text(
        &asked[0],
        Err("Cannot show a.md: reading it took longer than 1.5 s, so it was abandoned".into()),
    );
    let shown = screen_text(&a);
    assert!(
        shown.contains("Cannot show a.md: reading it took longer"),
        "{shown}"
    );
    assert!(!shown.contains("Loading…"), "{shown}");
    // A failure is remembered: coming back does not ask again.
    a.open(Page::Note(note_id(&a, "b")));
    let asked_b = reads(&a.take_effects());
    assert_eq!(asked_b.len(), 1);
    keys(&mut a, "<BS>");
    assert!(reads(&a.take_effects()).is_empty());
    assert!(screen_text(&a).contains("Cannot show a.md"));
}

#[test]
fn the_reader_refuses_what_is_not_a_regular_file_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    std::fs::create_dir(dir.path().join("folder.md")).unwrap();
    for path in ["pipe.md", "folder.md", "gone.md"] {
        let read = vidwiki::app::NoteRead {
            note: NoteId(0),
            root: dir.path().to_owned(),
            path: path.into(),
            disk_path: dir.path().join(path),
            expected: None,
        };
        let why = vidwiki::tui::read_note(&read).unwrap_err();
        let expected = if path == "gone.md" {
            "no longer exists"
        } else {
            "not a regular file"
        };
        assert!(why.starts_with(path) && why.contains(expected), "{why}");
    }
}

#[test]
fn backlinks_ask_only_for_the_linking_notes_on_screen() {
    let mut notes = vec![("target.md", "---\ntitle: Target\n---\n\nHub.\n".to_owned())];
    let sources: Vec<(String, String)> = (0..300)
        .map(|i| {
            (
                format!("s/source_{i:03}.md"),
                format!("---\ntitle: Source {i:03}\n---\n\nSource {i:03} cites [[target]] here.\n"),
            )
        })
        .collect();
    notes.extend(sources.iter().map(|(p, t)| (p.as_str(), t.clone())));
    let vault = vault_without_files(&notes);
    let texts: std::collections::HashMap<String, String> = notes
        .iter()
        .map(|(p, t)| ((*p).to_owned(), t.clone()))
        .collect();
    let mut a = App::loaded(vault, Some("target".into()), Rect::new(0, 0, 120, 40));
    // The fake source: answers exactly what was asked, from memory.
    let answer = |a: &mut App, asked: Vec<vidwiki::app::NoteRead>| {
        for read in asked {
            let text = std::sync::Arc::from(texts[&read.path].as_str());
            a.on_note_text(&read, Ok(text));
        }
    };
    let first = reads(&a.take_effects());
    answer(&mut a, first);
    let asked = reads(&keys_raw(&mut a, "b"));
    // A row per linking note and one for its sentence.
    assert_eq!(a.links.entries.len(), 600);
    let capacity = a.links_capacity();
    assert!(
        !asked.is_empty() && asked.len() <= capacity,
        "{} > {capacity}",
        asked.len()
    );
    assert!(a.links.entries[1].detail == "…");
    answer(&mut a, asked);
    assert_eq!(a.links.entries[1].detail, "Source 000 cites target here.");
    let off_screen = (capacity..)
        .find(|&i| a.links.entries[i].kind == EntryKind::Context)
        .unwrap();
    assert_eq!(
        a.links.entries[off_screen].detail, "…",
        "off screen: not read"
    );
    // Moving down the list asks for the rows that come into view only.
    let mut total = capacity;
    for _ in 0..40 {
        let asked = reads(&keys_raw(&mut a, "j"));
        total += asked.len();
        answer(&mut a, asked);
    }
    let selected = a.links.cursor.selected;
    let sentence = (0..=selected)
        .rev()
        .find(|&i| a.links.entries[i].kind == EntryKind::Context)
        .unwrap();
    assert!(a.links.entries[sentence].detail.starts_with("Source"));
    assert!(total < 300 / 2, "{total} reads for {selected} rows");
}

/// Keys without carrying out the reads they ask for.
fn keys_raw(a: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| {
            a.handle_key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            ))
        })
        .collect()
}

#[test]
fn copy_as_markdown_puts_one_plain_line_on_the_clipboard() {
    let mut vault = Vault::new("v");
    vault.add(vidwiki::vault::loader::parse_note(
        "hostile.md",
        b"---\ntitle: \"Evil\\nrm -rf ~\\r\\n\\e]52;c;eA==\\a \\x9b2J [x] \\u202etxt \\u0085end\"\nvideoId: HrwPuLTdHag\n---\n\nA claim <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>.\n",
    ));
    vault.finish();
    let mut a = App::loaded(vault, Some("hostile".into()), Rect::new(0, 0, 120, 40));
    keys(&mut a, "nn");
    assert_eq!(cursor_dest(&a), Some(Dest::Timestamp(0)));
    let effects = keys(&mut a, "Y");
    let [Effect::Copy(text)] = effects.as_slice() else {
        panic!("{effects:?} {:?}", a.message);
    };
    assert_eq!(
        text,
        "[Evil rm -rf ~ ␛52;c;eA==␇ �2J x txt �end @ 01:02](https://youtu.be/HrwPuLTdHag?t=62)"
    );
    assert!(
        !text.chars().any(|c| c.is_control()
            || vidwiki::text::is_terminal_control(c)
            || vidwiki::text::is_bidi_control(c)),
        "{text:?}"
    );
}

/// Every file under a folder: its bytes and modification time, by path.
fn snapshot_files(
    root: &std::path::Path,
) -> std::collections::BTreeMap<std::path::PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
            }
            let bytes = if meta.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                Vec::new()
            };
            files.insert(path, (bytes, meta.modified().unwrap()));
        }
    }
    files
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_whole_session_leaves_every_vault_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("vault");
    copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("notes"),
        &root,
    );
    std::fs::write(
        root.join("hostile.md"),
        "---\ntitle: \"Evil \\e]52;c;eA==\\a\"\nvideoId: HrwPuLTdHag\n---\n\n\
         [[public_sector_innovation]] <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>\n",
    )
    .unwrap();
    let before = snapshot_files(&root);
    assert!(before.len() > 10);
    // The real loader, the real reader (support::settle runs each
    // Effect::ReadNote as the event loop does), every frame drawn.
    let vault = vidwiki::vault::load(&root).unwrap();
    let mut a = App::loaded(vault, None, Rect::new(0, 0, 120, 40));
    support::settle(&mut a, Vec::new());
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let mut copies = 0;
    let session = [
        // Open by name, copy a timestamp (plain and Markdown) and the video.
        "<C-p>public sector",
        "<Enter>",
        "nnnn",
        "y",
        "Y",
        "v",
        // Follow a link and come back; open a backlink and come back.
        "NN",
        "<Enter>",
        "<BS>",
        "b",
        "j",
        "<Enter>",
        "<BS>",
        "<Esc>",
        // Find in the note, full-text search, history, home, outline.
        "/innovation",
        "<Enter>",
        "n",
        "N",
        "<Esc>",
        "<C-f>ladder",
        "<Enter>",
        "<A-Left>",
        "<A-Right>",
        "H",
        "<Tab>",
        "j",
        "<Enter>",
        "?",
        "<Esc>",
        // The hostile note: copy its timestamp as Markdown.
        "<C-p>evil",
        "<Enter>",
        "nnn",
        "Y",
        "L",
        "G",
        "g",
    ];
    for step in session {
        let effects = keys(&mut a, step);
        copies += effects
            .iter()
            .filter(|e| matches!(e, Effect::Copy(_)))
            .count();
        support::settle_search(&mut a);
        terminal.draw(|f| vidwiki::ui::draw(f, &a)).unwrap();
    }
    assert_eq!(copies, 4, "the session copied");
    assert_eq!(keys(&mut a, "q"), vec![Effect::Quit]);
    let after = snapshot_files(&root);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no file added or removed"
    );
    for (path, (bytes, modified)) in &before {
        let (bytes_after, modified_after) = &after[path];
        assert!(bytes == bytes_after, "{} changed", path.display());
        assert_eq!(modified, modified_after, "{} touched", path.display());
    }
}
