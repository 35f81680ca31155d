//! One keystroke in the jump picker: the query grows by one character, then
//! the search is ticked until settled (the worst case a frame can see). Items are
//! those `push_vault` makes (notes, headings, channel pages) for generated
//! vaults of 10,000 and 100,000 notes, and for the real vault when
//! `VIDWIKI_BENCH_VAULT` names it. `cargo bench --bench picker`

mod common;

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use criterion::{Criterion, criterion_group, criterion_main};
use vidwiki::{search::NoteSearch, vault};

/// What a user types, one character at a time.
const QUERY: &str = "public sector innovation";

fn keystrokes(c: &mut Criterion, name: &str, root: &Path) {
    let vault = vault::load(root).expect("vault loads");
    let mut search = NoteSearch::new(Arc::new(|| {}));
    search.push_vault(&vault);
    search.settle();
    let (_, items) = search.counts();
    eprintln!("picker {name}: {} notes, {items} items", vault.notes.len());
    drop(vault);
    let prefixes: Vec<&str> = QUERY
        .char_indices()
        .map(|(i, ch)| &QUERY[..i + ch.len_utf8()])
        .collect();
    let mut group = c.benchmark_group("picker");
    group.sample_size(30);
    // The first key scans every item; later keys only the previous matches.
    group.bench_function(format!("first keystroke, {name}"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                search.set_query("");
                search.settle();
                let start = Instant::now();
                search.set_query(prefixes[0]);
                search.settle();
                total += start.elapsed();
            }
            total
        });
    });
    group.bench_function(format!("typing keystroke, {name}"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let step = usize::try_from(i).unwrap_or(0) % (prefixes.len() - 1);
                search.set_query(prefixes[step]);
                search.settle();
                let start = Instant::now();
                search.set_query(prefixes[step + 1]);
                search.settle();
                total += start.elapsed();
            }
            total
        });
    });
    group.finish();
}

fn picker(c: &mut Criterion) {
    for notes in [10_000, 100_000] {
        keystrokes(
            c,
            &format!("{notes} generated notes"),
            &common::generated_vault(notes),
        );
    }
    if let Some(root) = common::real_vault() {
        keystrokes(c, "real vault", &root);
    }
}

criterion_group!(benches, picker);
criterion_main!(benches);
