//! The browser's cold start against `check --no-cache`'s load, in one
//! process, interleaved run by run (the machine's noise falls on both
//! alike): per run, a fresh index cache and the browser's loader
//! (`spawn_indexed`) fed to an app as the event loop feeds it (each event
//! made ready on the loader's thread), timed to every title taken in, the
//! vault handed over (finished on the loader's thread), its picker's
//! items built, the UI thread's swap, and indexed; then the index file
//! completed. Then `load_timed` (what `check --no-cache` loads). Prints
//! medians and the ratio of indexed to the check's load; and, on the
//! check's finished vault, the resolved snapshot the cold start saves:
//! copied (`Snapshot::of`, before the hand-over) and encoded (after it).
//! `cargo run --release --example cold_probe -- VAULT [RUNS] [--text-store]`
//! (`--text-store`: the app has a text store, as the browser does, so the
//! swap starts its preparation.)
mod probe_args;
use std::{
    path::Path,
    time::{Duration, Instant},
};

use ratatui::layout::Rect;
use vidwiki::{
    app::{App, Loaded},
    vault::{IndexCache, LoadEvent, TimeOptions, Vault, cache::resolved::Snapshot, loader},
};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One cold start: [titles, handed over, items, swap, indexed, file done].
fn cold_start(root: &Path, text_store: bool) -> [f64; 6] {
    let cache = tempfile::tempdir().expect("a temporary folder");
    let (send, receive) = std::sync::mpsc::channel();
    let t = Instant::now();
    let loader = loader::spawn_indexed(
        root.to_path_buf(),
        IndexCache::in_dir(cache.path()),
        move |e| {
            let at = Instant::now();
            let handing = matches!(e, LoadEvent::Indexed(_));
            let loaded = Loaded::prepare(e);
            send.send((loaded, at, at.elapsed(), handing)).is_ok()
        },
    );
    let mut app = App::new(Vault::new(root), None, Rect::new(0, 0, 120, 40));
    if text_store {
        app.fulltext_dir = Some(cache.path().join("texts"));
    }
    let mut out = [0.0; 6];
    for (loaded, at, prepared, handing) in receive.iter() {
        let started = Instant::now();
        app.on_loaded(loaded);
        if out[0] == 0.0 && app.load.titles_done {
            out[0] = ms(t.elapsed());
        }
        if handing {
            out[1] = ms(at - t);
            out[2] = ms(prepared);
            out[3] = ms(started.elapsed());
            out[4] = ms(t.elapsed());
        }
        if app.load.done {
            break;
        }
    }
    assert!(app.load.done && app.vault.complete, "indexed");
    drop(receive);
    loader.join().expect("the loader ends");
    out[5] = ms(t.elapsed());
    std::mem::forget(app);
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(args.next(), "cold_probe VAULT [RUNS] [--text-store]");
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let text_store = std::env::args().any(|a| a == "--text-store");
    let root = root.as_path();
    let (mut cold, mut check) = (Vec::new(), Vec::new());
    let (mut copied, mut encoded) = (Vec::new(), Vec::new());
    let (mut notes_encoded, mut encoded_bytes) = (Vec::new(), 0);
    for _ in 0..runs {
        cold.push(cold_start(root, text_store));
        let t = Instant::now();
        let loaded = loader::load_timed(root, TimeOptions::default()).expect("loads");
        check.push(ms(t.elapsed()));
        let t = Instant::now();
        let snapshot = Snapshot::of(&loaded.0).expect("a finished vault");
        copied.push(ms(t.elapsed()));
        let t = Instant::now();
        let bytes = snapshot.encode().expect("it encodes");
        encoded.push(ms(t.elapsed()));
        drop((snapshot, bytes));
        // What the cold start's parse workers encode for the index file.
        let t = Instant::now();
        encoded_bytes = 0;
        for note in &loaded.0.notes {
            encoded_bytes += vidwiki::vault::cache::fill::encode(note).map_or(0, |e| e.len());
        }
        notes_encoded.push(ms(t.elapsed()));
        drop(loaded);
    }
    let phase = |i: usize| median(cold.iter().map(|c| c[i]).collect());
    let check = median(check);
    println!(
        "cold start: every title {:.1} ms, vault handed over {:.1} ms, picker items {:.1} ms, swap on the UI thread {:.1} ms, indexed {:.1} ms, index file done {:.1} ms",
        phase(0),
        phase(1),
        phase(2),
        phase(3),
        phase(4),
        phase(5)
    );
    println!(
        "check --no-cache's load (load_timed) {check:.1} ms; indexed / check {:.2}",
        phase(4) / check
    );
    println!(
        "resolved snapshot: copied {:.1} ms (before the hand-over), encoded {:.1} ms (after it)",
        median(copied),
        median(encoded)
    );
    println!(
        "every note encoded for the index file (one thread): {:.1} ms, {:.1} MB",
        median(notes_encoded),
        encoded_bytes as f64 / 1e6
    );
}
