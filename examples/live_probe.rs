//! Measures taking in one changed note (issue 13): from the watcher's
//! message to the updated index, i.e. reading and parsing the note's file
//! again and [`Vault::update_note`] (links, backlinks, topics, tree when
//! the title changed). Nothing is written to the vault: each probe parses
//! the note as it is on disk, which is the work a changed note costs.
//!   cargo run --release --example live_probe -- VAULT [SAMPLES]
//! Prints the median and spread, with a full `finish()` (what a reload of
//! the index would cost at the least) measured in the same run as the floor
//! to compare with.
//!
//! With `--watch`, the whole way through the real watcher: the vault is
//! copied (`cp -r`) to a temporary folder, which is watched; a line is
//! appended to one note at a time and the time from the write to the
//! updated index is measured (the watcher's debounce included), then the
//! copy is deleted. The vault itself is never written to.
//!   cargo run --release --example live_probe -- --watch VAULT [CHANGES]

use std::{path::PathBuf, time::Instant};

use vidwiki::{
    app::editing::{NoteParse, Parsed},
    vault::{NoteId, Vault, load},
};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Write → watcher batch → parse → index update, on a copy of the vault.
fn watch_probe(source: &std::path::Path, changes: usize) {
    let copy = tempfile::tempdir().expect("a temporary folder");
    let root = copy.path().join("vault");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(source)
        .arg(&root)
        .status()
        .expect("cp runs");
    assert!(status.success(), "cp -r failed");
    let mut vault: Vault = load(&root).expect("the copy loads");
    vault.finish();
    println!("copy: {} notes in {}", vault.notes.len(), root.display());
    let (send, batches) = std::sync::mpsc::channel();
    let _watcher =
        vidwiki::vault::watch::spawn(&root, move |batch| send.send(batch).is_ok()).expect("watch");
    let step = (vault.notes.len() / changes).max(1);
    let ids: Vec<NoteId> = vault.ids().step_by(step).take(changes).collect();
    let (mut end_to_end, mut delivered, mut after) = (Vec::new(), Vec::new(), Vec::new());
    for id in ids {
        let path = vault.note(id).path.clone();
        let file = vault.path_of(id);
        let mut text = std::fs::read_to_string(&file).unwrap_or_default();
        text.push_str("\nA line added by live_probe.\n");
        let written = Instant::now();
        std::fs::write(&file, text).expect("write to the copy");
        // The batch naming this note (earlier echoes are passed over).
        let got = loop {
            match batches.recv_timeout(std::time::Duration::from_secs(10)) {
                Ok(batch) if batch.paths.contains(&path) => break Some(batch),
                Ok(_) => {}
                Err(_) => break None,
            }
        };
        let Some(_) = got else {
            println!("  no batch for {path} within 10 s");
            continue;
        };
        let arrived = written.elapsed();
        let request = NoteParse {
            note: id,
            path,
            file,
        };
        if let Parsed::Note(note) = vidwiki::tui::parse_note(&request) {
            vault.update_note(id, *note);
        }
        let total = written.elapsed();
        end_to_end.push(total.as_secs_f64() * 1e3);
        delivered.push(arrived.as_secs_f64() * 1e3);
        after.push((total - arrived).as_secs_f64() * 1e3);
    }
    let n = end_to_end.len();
    println!(
        "{n} changes through the watcher: write to updated index median {:.1} ms \
         (the batch arrives after {:.1} ms, debounce {} ms; parse + update {:.2} ms)",
        median(end_to_end),
        median(delivered),
        vidwiki::vault::watch::DEBOUNCE.as_millis(),
        median(after)
    );
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().is_some_and(|a| a == "--watch") {
        args.next();
        let root = PathBuf::from(args.next().unwrap_or_else(|| "notes".into()));
        let changes = args.next().and_then(|s| s.parse().ok()).unwrap_or(21);
        watch_probe(&root, changes);
        return;
    }
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
