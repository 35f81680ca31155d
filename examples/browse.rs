//! TEMP until the loader lands: `cargo run --example browse -- notes [NOTE]`
//! runs the browser over a vault. Uses the real loader once it is merged;
//! until then the test support's crude parser stands in for it.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;

use vidwiki::vault::LoadEvent;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "notes".to_owned()));
    let open = args.next();
    vidwiki::tui::run_with_loader(root, open, |root, send| {
        std::thread::spawn(move || {
            let notes = support::read_notes(&root);
            send(LoadEvent::Found {
                notes: notes.len(),
                bytes: 0,
            });
            for chunk in notes.chunks(4) {
                if !send(LoadEvent::Notes(chunk.to_vec())) {
                    return;
                }
            }
            send(LoadEvent::Done);
        })
    })
}
