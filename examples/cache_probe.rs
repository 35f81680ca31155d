//! The index cache's warm path, step by step, and the full load through
//! it: a cold load (into a fresh cache folder), then warm loads; then the
//! lean load of the command line's note commands, step by step (walk,
//! table, stat, heads) and filling one note and every note's headings.
//! `cargo run --release --example cache_probe -- VAULT [RUNS]`
//! The cache goes to a temporary folder, never the user's.
mod probe_args;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use vidwiki::vault::{self, IndexCache, TimeOptions};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(args.next(), "cache_probe VAULT [RUNS]");
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let dir = std::env::temp_dir().join(format!("vidwiki-cache-probe-{}", std::process::id()));
    let cache = IndexCache::in_dir(&dir);
    let started = Instant::now();
    let (vault, timings) =
        vault::load_cached(&root, TimeOptions::default(), Some(&cache)).expect("loads");
    println!(
        "cold load + save: {:.1} ms ({} notes; {})",
        ms(started.elapsed()),
        vault.notes.len(),
        timings.cache
    );
    drop(vault);
    let real = root.canonicalize().expect("canonical");
    let walk = vault::loader::walk(&root).expect("walks");
    let mut steps: Vec<Vec<f64>> = vec![Vec::new(); 5];
    let mut totals = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let stored = cache.open(&real);
        steps[0].push(ms(t.elapsed()));
        let t = Instant::now();
        let entries = stored.entries();
        steps[1].push(ms(t.elapsed()));
        let t = Instant::now();
        let stamps: Vec<_> = walk
            .files
            .par_iter()
            .map(|f| std::fs::metadata(&f.path).map(|m| vault::cache::FileStamp::of(&m)))
            .collect();
        steps[2].push(ms(t.elapsed()));
        let t = Instant::now();
        let notes: Vec<_> = walk
            .files
            .par_iter()
            .zip(&stamps)
            .filter_map(|(f, s)| {
                let s = s.as_ref().ok()?;
                entries
                    .get(f.relative.as_str())?
                    .note_if_fresh(&f.relative, s)
            })
            .collect();
        steps[3].push(ms(t.elapsed()));
        assert_eq!(notes.len(), walk.files.len());
        let t = Instant::now();
        drop(notes);
        steps[4].push(ms(t.elapsed()));
        let t = Instant::now();
        let (vault, timings) =
            vault::load_cached(&root, TimeOptions::default(), Some(&cache)).expect("loads");
        totals.push(ms(t.elapsed()));
        assert_eq!(timings.cache.hits, vault.notes.len());
    }
    for (name, values) in [
        "read+check file",
        "index entries",
        "stat files",
        "decode notes",
        "drop notes",
    ]
    .iter()
    .zip(steps)
    {
        println!("  {name:<16} {:8.1} ms (median of {runs})", median(values));
    }
    println!(
        "warm load_cached total {:8.1} ms (median of {runs})",
        median(totals)
    );
    lean_steps(&root, &cache, runs);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The lean load of the command line's note commands, step by step.
fn lean_steps(root: &std::path::Path, cache: &IndexCache, runs: usize) {
    let mut lean_steps: Vec<Vec<f64>> = vec![Vec::new(); 7];
    for _ in 0..runs {
        let t = Instant::now();
        let mut lean = vault::cache::lean::open(root, TimeOptions::default(), cache)
            .expect("an unchanged vault loads lean");
        let opened = ms(t.elapsed());
        let timings = lean.timings;
        let t = Instant::now();
        // A note in the middle of the vault, with what `links` needs.
        let id = vault::NoteId(u32::try_from(lean.vault().notes.len() / 2).expect("fits"));
        assert!(lean.fill(&[id]));
        let sources: Vec<_> = lean
            .vault()
            .backlinks(id)
            .iter()
            .map(|b| b.source)
            .collect();
        assert!(lean.fill(&sources));
        let fill = ms(t.elapsed());
        let t = Instant::now();
        assert!(lean.fill_headings());
        let headings = ms(t.elapsed());
        std::mem::forget(lean);
        for (step, value) in lean_steps.iter_mut().zip([
            ms(timings.walk),
            ms(timings.table),
            ms(timings.stat),
            ms(timings.heads),
            opened,
            fill,
            headings,
        ]) {
            step.push(value);
        }
    }
    for (name, values) in [
        "lean: walk",
        "lean: table",
        "lean: stat files",
        "lean: heads",
        "lean: open total",
        "lean: fill a note + backlink sources",
        "lean: every note's headings",
    ]
    .iter()
    .zip(lean_steps)
    {
        println!("  {name:<38} {:8.1} ms (median of {runs})", median(values));
    }
}
