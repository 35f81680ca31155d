//! Moving around (issue 12): the outline (width, folding, notes before
//! headings, filter), the links and backlinks lists, and acting on a
//! find's match. Key sequences against `App`, and screens drawn into a
//! TestBackend compared with committed snapshots.

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{SPECIMEN, act, app, keys, sample_vault_with, settle};
use vidwiki::{
    app::{
        Action, App, LinksTab, Page, Pane,
        links::{BacklinkSort, EntryAction, EntryKind},
        outline::Row,
    },
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
        .find(|id| app.vault.note(*id).stem() == stem)
        .unwrap()
}

fn title_of_row(app: &App, row: &Row) -> String {
    match row {
        Row::Folder { name, .. } => format!("folder {name}"),
        Row::Video { title, .. } => format!("video {title}"),
        Row::Note { id, .. } => format!("note {}", app.vault.note(*id).title),
        Row::Heading { note, heading, .. } => {
            format!(
                "heading {}",
                app.vault.note(*note).headings.get(*heading).unwrap().text()
            )
        }
        Row::Listing { .. } => "listing".to_owned(),
        Row::File { path, .. } => format!("file {path}"),
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
    // A click on a note's ▸ unfolds it, on its title opens it.
    let inner = vidwiki::app::layout::inner(a.layout().outline.unwrap());
    let third = note_id(&a, "world_government_summit");
    let at = a.outline.row_of(third, None).unwrap();
    let y = inner.y + u16::try_from(at - a.outline.cursor.offset).unwrap();
    let x = inner.x + a.outline.rows[at].depth() * 2;
    act(&mut a, Action::Click(x, y));
    assert!(matches!(
        a.outline.rows[at],
        Row::Note {
            open: Some(true),
            ..
        }
    ));
    assert_eq!(a.page, Page::Note(id));
    act(&mut a, Action::Click(x, y));
    assert!(matches!(
        a.outline.rows[at],
        Row::Note {
            open: Some(false),
            ..
        }
    ));
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

// ----- the links pane ----------------------------------------------------------

fn labels(app: &App) -> Vec<String> {
    app.links
        .entries
        .iter()
        .map(|e| match e.kind {
            EntryKind::Group => format!("{} ×{}", e.label, e.count),
            EntryKind::Context => format!("  {}", e.detail.chars().take(20).collect::<String>()),
            EntryKind::Item => e.label.clone(),
        })
        .collect()
}

#[test]
fn backlinks_are_grouped_by_note_and_sorted_by_count_or_title() {
    let mut a = app(80, 24, Some("public_sector_innovation"));
    keys(&mut a, "b");
    let id = a.open_note().unwrap();
    let groups: Vec<(String, usize)> = a
        .links
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Group)
        .map(|e| (e.label.clone(), e.count))
        .collect();
    // A row per linking note, with as many sentences under it as it has
    // links here, the most first.
    assert_eq!(groups.len(), 6);
    let total: usize = groups.iter().map(|g| g.1).sum();
    assert_eq!(total, a.vault.backlinks(id).len());
    assert_eq!(
        a.links
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Context)
            .count(),
        total
    );
    assert_eq!(
        groups[0],
        (
            "Publicprivate partnerships in technology and innovation".to_owned(),
            4
        )
    );
    assert!(groups.windows(2).all(|w| w[0].1 >= w[1].1));
    assert_snapshot!("backlinks_grouped_by_count_80x24", screen(&a));
    // s: by title; the pane's title says which.
    keys(&mut a, "s");
    assert_eq!(a.links.sort, BacklinkSort::Title);
    let titles: Vec<String> = a
        .links
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Group)
        .map(|e| e.label.to_lowercase())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    assert!(screen(&a).contains("Backlinks by title"));
    assert_snapshot!("backlinks_grouped_by_title_80x24", screen(&a));
    // Enter on a note's row opens it at its first link here.
    keys(&mut a, "<Enter>");
    let source = a.open_note().unwrap();
    assert_ne!(source, id);
    assert_eq!(
        a.vault.note(source).title.to_lowercase(),
        titles[0],
        "the first by title"
    );
    let Some(c) = a.note.cursor else {
        panic!("the cursor is on the link")
    };
    assert!(matches!(
        a.view().targets[c].dest,
        vidwiki::app::Dest::Link(_)
    ));
}

#[test]
fn the_links_tab_has_one_row_per_target_with_its_count() {
    let mut a = app(80, 24, Some(SPECIMEN));
    keys(&mut a, "3");
    assert_eq!(
        labels(&a),
        [
            "oecdobservatoryofpublicsec3116",
            "public sector innovation",
            "Building new trust"
        ]
    );
    let counts: Vec<usize> = a.links.entries.iter().map(|e| e.count).collect();
    assert_eq!(counts, [1, 4, 1]);
    // The target line only where it differs from the link's text.
    let details: Vec<&str> = a.links.entries.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(
        details,
        ["", "", "→ Building trust in publicprivate partnerships"]
    );
    let heights: Vec<usize> = a.links.entries.iter().map(|e| e.height).collect();
    assert_eq!(heights, [1, 1, 2]);
    assert_snapshot!("links_tab_counts_80x24", screen(&a));
    // A click on the third row (the second line of nothing: the third
    // entry starts on the list's third row) follows it.
    let list = vidwiki::app::layout::links_list(a.layout().links.unwrap());
    act(&mut a, Action::Click(list.x + 2, list.y + 2));
    assert_eq!(
        a.page,
        Page::Note(note_id(&a, "building_trust_in_publicprivate_partnerships"))
    );
}

#[test]
fn back_returns_the_links_selection_to_the_link_followed() {
    let mut a = app(120, 40, Some(SPECIMEN));
    let specimen = a.page;
    keys(&mut a, "3j");
    assert_eq!(a.links.cursor.selected, 1);
    keys(&mut a, "<Enter>");
    assert_ne!(a.page, specimen);
    assert_eq!(a.links.cursor.selected, 0, "a new page starts at the top");
    keys(&mut a, "<BS>");
    assert_eq!(a.page, specimen);
    assert_eq!(
        (a.links.tab(), a.links.cursor.selected),
        (LinksTab::Links, 1)
    );
    // From the backlinks tab too, and the tab comes back with it.
    let mut a = app(120, 40, Some("public_sector_innovation"));
    let target = a.page;
    keys(&mut a, "bjjjjj");
    let chosen = a.links.cursor.selected;
    let entry = a.links.entries[chosen].clone();
    keys(&mut a, "<Enter>");
    keys(&mut a, "l");
    assert_eq!(a.links.tab(), LinksTab::Timestamps);
    keys(&mut a, "<BS>");
    assert_eq!(a.page, target);
    assert_eq!(a.links.tab(), LinksTab::Backlinks);
    assert_eq!(a.links.cursor.selected, chosen);
    assert_eq!(a.links.entries[chosen], entry);
    assert_snapshot!("back_to_the_backlink_followed_120x40", screen(&a));
}

#[test]
fn following_a_backlink_marks_the_linking_line_until_the_next_navigation() {
    let mut a = app(80, 24, Some("public_sector_innovation"));
    // The second sentence of the first note (it links here four times).
    keys(&mut a, "bjj");
    let EntryAction::Backlink { source, link } = a.links.entries[2].action.clone() else {
        panic!("a backlink")
    };
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, Page::Note(source));
    assert_eq!(a.note.highlight, Some(link));
    let target = a
        .view()
        .targets
        .iter()
        .find(|t| t.dest == vidwiki::app::Dest::Link(link))
        .unwrap()
        .clone();
    let line = target.first_line();
    assert!(line >= a.note.scroll && line < a.note.scroll + a.note_height());
    // The line's cells are marked, and a bar sits left of it.
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui::draw(f, &a)).unwrap();
    let text = vidwiki::app::layout::note_text(a.layout().note.unwrap());
    let y = text.y + u16::try_from(line - a.note.scroll).unwrap();
    let buffer = terminal.backend().buffer();
    let marked = a.theme.preview_mark.bg;
    assert_eq!(buffer[(text.right() - 1, y)].bg, marked.unwrap());
    assert_eq!(buffer[(text.x - 1, y)].symbol(), "▌");
    assert_snapshot!("backlink_line_marked_80x24", screen(&a));
    // Gone after the next navigation, and not back with Back/Forward.
    keys(&mut a, "<BS>");
    assert_eq!(a.note.highlight, None);
    keys(&mut a, "<A-Right>");
    assert_eq!(a.page, Page::Note(source));
    assert_eq!(a.note.highlight, None);
}

/// A hub note with 1,234 link targets, 150 notes linking to it and 1,500
/// timestamps: the links pane's tab line at 80 columns.
#[test]
fn the_links_header_keeps_one_style_and_stays_in_its_box() {
    let mut hub = String::from("---\ntitle: Hub\nvideoId: HrwPuLTdHag\n---\n\n");
    for i in 0..1234 {
        hub.push_str(&format!("See [[topic {i}]].\n"));
    }
    for i in 0..1500 {
        let t = format!("{:02}:{:02}", i / 60, i % 60);
        hub.push_str(&format!(
            "At <a class=\"yt-timestamp\" data-t=\"{t}\">[{t}]</a>.\n"
        ));
    }
    let mut files = vec![("hub.md".to_owned(), hub.into_bytes())];
    for i in 0..150 {
        files.push((
            format!("fans/fan_{i:03}.md"),
            format!("# Fan {i}\n\nI read [[hub]] daily.\n").into_bytes(),
        ));
    }
    let mut a = app_with(&files, 80, 24, "hub");
    keys(&mut a, "3");
    let shown = screen(&a);
    let header = shown.lines().nth(1).unwrap();
    assert!(
        header.contains("→ 1k") && header.contains("← 150") && header.contains("◷ 1500"),
        "{header}"
    );
    assert_snapshot!("links_header_large_counts_80x24", shown);
    // Each label is inside its third of the line, with a blank either side.
    let pane = a.layout().links.unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui::draw(f, &a)).unwrap();
    let buffer = terminal.backend().buffer();
    for (_, cell) in vidwiki::app::layout::links_tabs(pane) {
        assert_eq!(buffer[(cell.x, cell.y)].symbol(), " ", "{header}");
        assert_eq!(buffer[(cell.right() - 1, cell.y)].symbol(), " ", "{header}");
    }
    // The same symbols while the vault is still loading.
    let mut loading = App::new(
        sample_vault_with(&[]),
        Some(SPECIMEN.to_owned()),
        Rect::new(0, 0, 80, 24),
    );
    settle(&mut loading, Vec::new());
    keys(&mut loading, "3");
    let header = screen(&loading).lines().nth(1).unwrap().to_owned();
    assert!(
        header.contains('→') && header.contains('←') && header.contains('◷'),
        "{header}"
    );
    assert!(
        !header.contains("Back") && !header.contains("Times"),
        "{header}"
    );
}

// ----- acting on a find's match ----------------------------------------------------

#[test]
fn enter_on_a_home_page_match_follows_that_entry() {
    let mut a = app(80, 24, None);
    assert_eq!(a.page, Page::Home);
    keys(&mut a, "/secondary trends<Enter>");
    assert!(a.find.as_ref().is_some_and(|f| !f.matches.is_empty()));
    assert_snapshot!("home_find_match_80x24", screen(&a));
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, Page::Note(note_id(&a, "secondary_trends_of_2023")));
    assert!(a.message.is_none(), "{:?}", a.message);
    // On the entry's line but outside its title ("10 links"), the entry
    // of that line is followed.
    keys(&mut a, "H/10 links<Enter><Enter>");
    assert_eq!(a.page, Page::Note(note_id(&a, "secondary_trends_of_2023")));
    // In a note, a match inside a link's text follows that link; a match
    // on a line without one leaves Enter to the link cursor.
    let mut a = app(120, 40, Some(SPECIMEN));
    keys(&mut a, "/building new trust<Enter><Enter>");
    assert_eq!(
        a.page,
        Page::Note(note_id(&a, "building_trust_in_publicprivate_partnerships"))
    );
    let mut a = app(120, 40, Some(SPECIMEN));
    keys(&mut a, "/collaborative efforts<Enter><Enter>");
    assert_eq!(a.page, Page::Note(note_id(&a, SPECIMEN)));
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .contains("No link under the cursor")
    );
}

#[test]
fn back_from_a_link_within_the_note_restores_the_tab_and_selection() {
    let mut a = app(120, 40, Some("data_carbon_ladder"));
    let page = a.page;
    keys(&mut a, "3");
    let row = a
        .links
        .entries
        .iter()
        .position(|e| e.label.contains("The guiding question"))
        .unwrap();
    for _ in 0..row {
        keys(&mut a, "j");
    }
    keys(&mut a, "<Enter>");
    assert_eq!(a.page, page, "a heading of the same note");
    assert!(a.note.scroll > 0);
    keys(&mut a, "ll");
    assert_eq!(a.links.tab(), LinksTab::Timestamps);
    keys(&mut a, "<BS>");
    assert_eq!(a.page, page);
    assert_eq!(
        (a.links.tab(), a.links.cursor.selected),
        (LinksTab::Links, row)
    );
}
