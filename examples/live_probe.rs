//! Measures taking in one changed note (issue 13): from the watcher's
//! message to the updated index, i.e. reading and parsing the note's file
//! again and [`Vault::update_note`] (links, backlinks, topics, tree when
//! the title changed). Nothing is written to the vault: each probe parses
//! the note as it is on disk, which is the work a changed note costs.
//!   cargo run --release --example live_probe -- VAULT [SAMPLES]
//! Prints the median and spread, with a full `finish()` (what a reload of
//! the index would cost at the least) measured in the same run as the floor
//! to compare with.

use std::{path::PathBuf, time::Instant};

use vidwiki::{
    app::editing::{NoteParse, Parsed},
    vault::{NoteId, Vault, load},
};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "notes".into()));
    let samples: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(101);
    let started = Instant::now();
    let mut vault: Vault = load(&root).expect("vault loads");
    println!(
        "vault: {} notes, loaded in {:.0} ms",
        vault.notes.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let mut full = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        vault.finish();
        full.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let step = (vault.notes.len() / samples).max(1);
    let ids: Vec<NoteId> = vault.ids().step_by(step).take(samples).collect();
    let (mut parse_ms, mut update_ms, mut total_ms) = (Vec::new(), Vec::new(), Vec::new());
    let (mut resolved, mut recounted, mut trees) = (0usize, 0usize, 0usize);
    for id in ids {
        let t = Instant::now();
        let request = NoteParse {
            note: id,
            path: vault.note(id).path.clone(),
            file: vault.path_of(id),
        };
        let Parsed::Note(note) = vidwiki::tui::parse_note(&request) else {
            continue;
        };
        let parsed = t.elapsed();
        let work = vault.update_note(id, *note);
        let total = t.elapsed();
        parse_ms.push(parsed.as_secs_f64() * 1e3);
        update_ms.push((total - parsed).as_secs_f64() * 1e3);
        total_ms.push(total.as_secs_f64() * 1e3);
        resolved += work.links_resolved;
        recounted += usize::from(work.wanted_recounted);
        trees += usize::from(work.tree_rebuilt);
    }
    let n = total_ms.len();
    println!(
        "one changed note, {n} samples: median {:.2} ms (parse {:.2} ms + index update {:.2} ms), max {:.2} ms",
        median(total_ms.clone()),
        median(parse_ms),
        median(update_ms),
        total_ms.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "  links resolved again per change: {:.1} on average; topics recounted in {recounted}, tree rebuilt in {trees}",
        resolved as f64 / n.max(1) as f64
    );
    println!(
        "floor: full finish() of the index: median {:.1} ms",
        median(full)
    );
}
