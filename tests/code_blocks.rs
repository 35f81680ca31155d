//! Code blocks on screen: framed, labelled, coloured by language, long
//! lines broken at the pane edge.

mod support;

use insta::assert_snapshot;
use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::{sample_vault_with, settle};
use vidwiki::{app::App, ui};

const NOTE: &str = "---
title: Code samples
---
Inline `code` and a block:

```rust
fn main() {
\tprintln!(\"a long line of code that cannot fit in the pane and is broken at its edge\");
}
```

```
plain, no language
```
";

#[test]
fn code_blocks_80x24() {
    let vault = sample_vault_with(&[("code_samples.md", NOTE.as_bytes())]);
    let mut a = App::loaded(vault, Some("code_samples".into()), Rect::new(0, 0, 80, 24));
    settle(&mut a, Vec::new());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| ui::draw(f, &a)).unwrap();
    let buf = terminal.backend().buffer().clone();
    assert_snapshot!("code_blocks_80x24", terminal.backend().to_string());
    // `fn` and `main` are drawn in different colours.
    let row = (0..24)
        .find(|&y| {
            (0..80)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect::<String>()
                .contains("fn main")
        })
        .expect("the code line");
    let line: String = (0..80).map(|x| buf[(x, row)].symbol().to_owned()).collect();
    let at = line.chars().position(|c| c == 'f').unwrap();
    let fg = |x: usize| buf[(u16::try_from(x).unwrap(), row)].fg;
    assert_ne!(fg(at), fg(at + 3), "keyword and name differ");
}
