//! Loading and indexing: the whole pipeline of `vault::load` (walk, read,
//! parse, resolve, backlinks, tree) over generated vaults of 1,000 and
//! 10,000 notes, and link resolution alone (`Vault::finish`).
//! `cargo bench --bench load`

mod common;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use vidwiki::vault;

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for notes in [1_000, 10_000] {
        let root = common::generated_vault(notes);
        group.bench_function(format!("load+index {notes} generated notes"), |b| {
            b.iter(|| vault::load(&root).expect("loads").notes.len());
        });
    }
    if let Some(root) = common::real_vault() {
        group.bench_function("load+index the real vault", |b| {
            b.iter(|| vault::load(&root).expect("loads").notes.len());
        });
    }
    group.finish();

    let mut vault = vault::load(&common::generated_vault(10_000)).expect("loads");
    let mut group = c.benchmark_group("resolve");
    group.sample_size(20);
    group.bench_function("resolve links, backlinks, tree of 10,000 notes", |b| {
        b.iter(|| vault.finish());
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
