//! TEMP until the lead wires `vidwiki` with no command to the browser:
//! `cargo run --example browse -- notes [NOTE]`.

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "notes".to_owned()));
    vidwiki::tui::run(root, args.next())
}
