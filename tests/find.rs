//! Find (`/`) matches the note's text as read: across soft wraps, inside
//! wrapped table cells, and without the marks the renderer adds.

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect, style::Style};
use support::{keys, sample_vault_with, settle};
use vidwiki::{app::App, theme::Theme, ui};

/// A note whose paragraph wraps at 80 columns, with a table whose long
/// cell wraps and a link to a note that does not exist.
const NOTE: &str = "---
title: Finding things
---
# Finding things

The first paragraph is long enough to wrap at eighty columns, so the phrase soft wrapped here lands across a line break for sure.

| Term | Meaning |
| --- | --- |
| grail | A long cell that the table has to wrap inside its column, which puts the words holy grail of search on two lines of the cell when the pane is narrow |

Enterprise [[no such page|sales]] involves people.
";

fn app_with_note(width: u16, height: u16) -> App {
    let vault = sample_vault_with(&[("finding_things.md", NOTE.as_bytes())]);
    let mut app = App::loaded(
        vault,
        Some("finding_things".into()),
        Rect::new(0, 0, width, height),
    );
    settle(&mut app, Vec::new());
    app
}

/// The text of the cells of every piece of the current match.
fn current_match_text(app: &App) -> String {
    let find = app.find.as_ref().expect("a find");
    let m = &find.matches[find.current.expect("a current match")];
    let view = app.view();
    let mut out = Vec::new();
    for (line, cols) in &m.pieces {
        // Columns are display columns; every character here is one wide.
        let text: String = view.lines[*line]
            .spans
            .iter()
            .flat_map(|s| s.content.chars())
            .skip(usize::from(cols.start))
            .take(usize::from(cols.end - cols.start))
            .collect();
        out.push(text);
    }
    out.join("|")
}

#[test]
fn find_matches_across_a_soft_wrap() {
    let mut a = app_with_note(80, 24);
    keys(
        &mut a,
        "/eighty columns, so the phrase soft wrapped here lands across",
    );
    let find = a.find.as_ref().unwrap();
    assert_eq!(find.matches.len(), 1, "found across the wrap");
    let m = &find.matches[0];
    let lines: Vec<usize> = m.pieces.iter().map(|p| p.0).collect();
    assert!(lines.len() >= 2 && lines.windows(2).all(|w| w[1] == w[0] + 1));
    let text = current_match_text(&a);
    assert!(
        text.starts_with("eighty") && text.ends_with("across"),
        "{text}"
    );
    // Extra spaces in the query match the wrap too.
    keys(&mut a, "<Esc>/HERE   LANDS");
    assert_eq!(a.find.as_ref().unwrap().matches.len(), 1);
}

#[test]
fn find_matches_inside_a_wrapped_table_cell() {
    let mut a = app_with_note(60, 24);
    keys(&mut a, "/holy grail of search on two lines");
    let find = a.find.as_ref().unwrap();
    assert_eq!(find.matches.len(), 1);
    let text = current_match_text(&a);
    assert!(text.contains('|'), "spans cell lines: {text}");
    assert_eq!(text.replace('|', " "), "holy grail of search on two lines");
    // Cells are read one after the other, not line by line across cells.
    keys(&mut a, "<Esc>/grail A long cell");
    assert_eq!(a.find.as_ref().unwrap().matches.len(), 1);
}

#[test]
fn find_skips_the_unresolved_link_mark() {
    let mut a = app_with_note(80, 24);
    let shown: String = a
        .view()
        .lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        })
        .find(|l| l.contains("Enterprise"))
        .unwrap();
    assert!(shown.contains("sales?"), "the mark is drawn: {shown}");
    keys(&mut a, "/sales involves");
    assert_eq!(a.find.as_ref().unwrap().matches.len(), 1);
    assert_eq!(current_match_text(&a), "sales| involves");
    keys(&mut a, "<Esc>/sales? involves");
    assert!(a.find.as_ref().unwrap().matches.is_empty());
}

fn marked(app: &App, style: Style) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut row = String::new();
        let mut inside = false;
        let mut any = false;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            let hit =
                cell.fg == style.fg.unwrap_or_default() && style.bg.is_none_or(|bg| cell.bg == bg);
            if hit != inside {
                row.push(if hit { '⟨' } else { '⟩' });
                inside = hit;
                any = true;
            }
            row.push_str(cell.symbol());
        }
        if inside {
            row.push('⟩');
        }
        if any {
            out.push_str(&format!("{y:>2}: {}\n", row.trim_end()));
        }
    }
    out
}

#[test]
fn a_match_across_lines_highlights_every_cell() {
    let mut a = app_with_note(60, 24);
    keys(&mut a, "/holy grail of search on two lines<Enter>");
    assert_snapshot!(
        "find_table_cell_60x24",
        marked(&a, Theme::dark().find_current)
    );
    let mut a = app_with_note(80, 24);
    keys(&mut a, "/soft wrapped here lands across a line<Enter>");
    assert_snapshot!("find_wrap_80x24", marked(&a, Theme::dark().find_current));
}
