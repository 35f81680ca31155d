//! The syntax highlighter's grammars are loaded only when a fenced block
//! with a language is drawn: opening the browser on notes without code
//! does not pay for them. (One test in its own binary: the loaded state is
//! process-wide.)

mod support;

use ratatui::layout::Rect;
use support::{SPECIMEN, sample_vault_with, settle};
use vidwiki::{app::App, markdown::highlight};

#[test]
fn grammars_load_on_the_first_highlighted_block_only() {
    let code = b"---\ntitle: Code\n---\n```rust\nfn main() {}\n```\n";
    let vault = sample_vault_with(&[("code.md", code)]);
    let mut a = App::loaded(vault, Some(SPECIMEN.into()), Rect::new(0, 0, 120, 40));
    settle(&mut a, Vec::new());
    assert!(!a.view().lines.is_empty());
    assert!(
        !highlight::is_loaded(),
        "a note without code loads no grammar"
    );
    support::keys(&mut a, "<C-p>Code<Enter>");
    settle(&mut a, Vec::new());
    assert!(
        a.view()
            .lines
            .iter()
            .any(|l| l.to_string().contains("╭─ rust"))
    );
    assert!(highlight::is_loaded());
}
