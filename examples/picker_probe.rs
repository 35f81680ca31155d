//! Times jump-picker keystrokes over a vault:
//! `cargo run --release --example picker_probe -- VAULT [--rounds N] [QUERY…]`
//!
//! Each query is typed one key at a time, starting from the empty query, as
//! a user would; one keystroke is `set_query`, ticking until the results
//! are final, and fetching the first screenful with its highlights (what
//! the picker draws). One line per keystroke, the median over the rounds:
//! `QUERY: MS ms MATCHED/TOTAL`. Without queries it types `public se`.
use std::{sync::Arc, time::Instant};

/// The rows the picker fetches at first (`app::picker::SHOWN`).
const SCREENFUL: u32 = 200;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("give a vault folder"));
    let mut rounds = 5_usize;
    let mut queries = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            rounds = args
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--rounds takes a number");
        } else {
            queries.push(arg);
        }
    }
    if queries.is_empty() {
        queries.push("public se".to_owned());
    }
    let vault = vidwiki::vault::load(&root).expect("vault loads");
    let mut search = vidwiki::search::NoteSearch::new(Arc::new(|| {}));
    search.push_vault(&vault);
    search.settle();
    drop(vault);
    for query in &queries {
        // Every prefix, the empty one (the picker opening) included.
        let prefixes: Vec<&str> = std::iter::once(0)
            .chain(query.char_indices().map(|(i, c)| i + c.len_utf8()))
            .map(|end| &query[..end])
            .collect();
        let mut times = vec![Vec::with_capacity(rounds); prefixes.len()];
        let mut counts = vec![(0, 0); prefixes.len()];
        for _ in 0..rounds {
            for (i, prefix) in prefixes.iter().enumerate() {
                let start = Instant::now();
                search.set_query(prefix);
                search.settle();
                let shown = search.results(0, SCREENFUL);
                times[i].push(start.elapsed().as_secs_f64() * 1000.0);
                counts[i] = search.counts();
                std::hint::black_box(shown);
            }
        }
        for ((prefix, mut ms), (matched, total)) in prefixes.iter().zip(times).zip(counts) {
            ms.sort_by(f64::total_cmp);
            let median = ms[ms.len() / 2];
            println!("{prefix:>12}: {median:7.2} ms  {matched}/{total}");
        }
    }
}
