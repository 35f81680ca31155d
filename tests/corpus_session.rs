//! A session over every note of the shared corpus: open each in turn at
//! 80x24 and 200x50, move around, and draw; nothing may panic and no cell
//! may hold a control character.

mod support;

use std::path::Path;

use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::keys;
use vidwiki::{
    app::{App, Page},
    ui, vault,
};

#[test]
fn every_corpus_note_opens_and_draws_at_two_sizes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipped: ../shared/corpus is absent (test data beside the project)");
        return;
    }
    for (width, height) in [(80, 24), (200, 50)] {
        let vault = vault::load(&root).expect("corpus loads");
        let ids: Vec<_> = vault.ids().collect();
        let mut app = App::loaded(vault, None, Rect::new(0, 0, width, height));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        let mut drawn = 0;
        for id in ids {
            app.open(Page::Note(id));
            for step in ["", "G", "g", "nnnn", "]]", "b", "t", "<Tab>", "j", "<BS>"] {
                keys(&mut app, step);
                terminal.draw(|frame| ui::draw(frame, &app)).expect("draw");
                drawn += 1;
            }
            let buffer = terminal.backend().buffer();
            for cell in buffer.content() {
                assert!(
                    vidwiki::text::is_terminal_safe(cell.symbol()),
                    "control character on screen in {}",
                    app.vault.note(id).path
                );
            }
        }
        assert!(drawn > 1000, "{drawn} frames");
    }
}
