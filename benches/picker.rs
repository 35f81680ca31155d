//! One keystroke in the jump picker, per prefix: the query grows by one
//! character from the one before it (the first key from the empty query),
//! then the search is ticked until settled and the first screenful fetched
//! with its highlights, as the picker draws it (`examples/picker_probe.rs`
//! times the same thing). Items are those `push_vault` makes (notes,
//! headings, channel pages):
//!
//! - a generated vault of 10,000 notes, always;
//! - the real vault when `VIDWIKI_BENCH_VAULT` names it;
//! - a vault of 100,000 generated notes when `VIDWIKI_BENCH_VAULT_100K`
//!   names it (`cargo run --release --example gen_vault -- --notes 100000
//!   DIR`; about 730 MB, so it is not made here).
//!
//! A vault that is not named is skipped with a printed reason.
//! `cargo bench --bench picker`

mod common;

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

use criterion::{Criterion, criterion_group, criterion_main};
use vidwiki::{search::NoteSearch, vault};

/// What a user types, one character at a time: every prefix is timed.
const QUERIES: &[&str] = &["public", "model context"];
/// The rows the picker fetches at first (`app::picker::SHOWN`).
const SCREENFUL: u32 = 200;

fn keystrokes(c: &mut Criterion, name: &str, root: &Path) {
    let vault = vault::load(root).expect("vault loads");
    let mut search = NoteSearch::new(Arc::new(|| {}));
    search.push_vault(&vault);
    search.settle();
    let (_, items) = search.counts();
    eprintln!("picker {name}: {} notes, {items} items", vault.notes.len());
    drop(vault);
    let mut group = c.benchmark_group(format!("picker keystroke, {name}"));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for query in QUERIES {
        let ends = query.char_indices().map(|(i, ch)| i + ch.len_utf8());
        let mut before = "";
        for end in ends {
            let prefix = &query[..end];
            if prefix.ends_with(' ') {
                // A typed space changes nothing (same atoms).
                before = prefix;
                continue;
            }
            group.bench_function(prefix, |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        search.set_query(before);
                        search.settle();
                        search.results(0, SCREENFUL);
                        let start = Instant::now();
                        search.set_query(prefix);
                        search.settle();
                        std::hint::black_box(search.results(0, SCREENFUL));
                        total += start.elapsed();
                    }
                    total
                });
            });
            before = prefix;
        }
    }
    group.finish();
}

/// A vault named by the environment variable `var`, or why none is.
fn named_vault(var: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os(var).ok_or_else(|| format!("{var} is not set"))?;
    let path = PathBuf::from(path);
    if path.is_dir() {
        Ok(path)
    } else {
        Err(format!("{var}={} is not a folder", path.display()))
    }
}

fn picker(c: &mut Criterion) {
    keystrokes(c, "10000 generated notes", &common::generated_vault(10_000));
    match common::real_vault() {
        Some(root) => keystrokes(c, "real vault", &root),
        None => eprintln!("picker real vault: skipped, VIDWIKI_BENCH_VAULT names no folder"),
    }
    match named_vault("VIDWIKI_BENCH_VAULT_100K") {
        Ok(root) => keystrokes(c, "100000 generated notes", &root),
        Err(why) => eprintln!("picker 100000 generated notes: skipped, {why}"),
    }
}

criterion_group!(benches, picker);
criterion_main!(benches);
