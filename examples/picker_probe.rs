//! Times picker keystrokes over a vault, for profiling:
//! `cargo run --release --example picker_probe -- VAULT`
use std::{sync::Arc, time::Instant};

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("give a vault folder"));
    let vault = vidwiki::vault::load(&root).expect("vault loads");
    let mut search = vidwiki::search::NoteSearch::new(Arc::new(|| {}));
    search.push_vault(&vault);
    search.settle();
    for round in 0..3 {
        for query in [
            "",
            "p",
            "pu",
            "pub",
            "publ",
            "public",
            "public s",
            "public se",
        ] {
            let start = Instant::now();
            search.set_query(query);
            search.settle();
            let (matched, total) = search.counts();
            if round == 2 {
                eprintln!(
                    "{query:>10}: {:7.2} ms  {matched}/{total}",
                    start.elapsed().as_secs_f64() * 1000.0
                );
            }
        }
    }
}
