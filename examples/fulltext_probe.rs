//! Times full-text searches (Ctrl-F) over a vault:
//! `cargo run --release --example fulltext_probe -- VAULT [--rounds N] [QUERY…]`
//!
//! Each query is handed to the background worker as the picker does (every
//! note's `Doc`, the files read by the worker); the probe blocks on the
//! worker's messages and reports, as medians over the rounds, the time to
//! the first results, the time to the complete ranked list, and the notes
//! and lines found: "fresh" after a search that shares nothing with it,
//! "typed on" right after the search for the query less its last character
//! (as when typing; the worker then only looks at the notes that matched).
//! The first line is a floor measured in the same run: a query that
//! matches nothing, so every note is read and scanned once.
//!
//! The worker keeps the notes' texts in a text store (as the browser does
//! with its cache): the probe writes it first in a fresh temporary folder
//! (or `$VIDWIKI_CACHE_DIR`) and prints the time and its size on disk.
//! `--no-store` reads every note from its file, as before the store.
mod probe_args;
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use vidwiki::search::fulltext::{Doc, FullText, LIMIT, Message, TextHit, merge_rows};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(
        args.next(),
        "fulltext_probe VAULT [--rounds N] [--no-store] [QUERY...]",
    );
    let mut rounds = 5_usize;
    let mut use_store = true;
    let mut queries = vec!["zqxjzqxj".to_owned()];
    let floor_only = queries.len();
    while let Some(arg) = args.next() {
        if arg == "--no-store" {
            use_store = false;
        } else if arg == "--rounds" {
            rounds = args
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--rounds takes a number");
        } else {
            queries.push(arg);
        }
    }
    if queries.len() == floor_only {
        for q in [
            "holy grail",
            "holy grail AI",
            "\"model context protocol\"",
            "pricing !saas",
        ] {
            queries.push(q.to_owned());
        }
    }
    let vault = vidwiki::vault::load(&root).expect("vault loads");
    let temp = std::env::temp_dir().join(format!("vidwiki-fulltext-probe-{}", std::process::id()));
    let store_dir = use_store.then(|| match std::env::var_os("VIDWIKI_CACHE_DIR") {
        Some(dir) if !dir.is_empty() => std::path::PathBuf::from(dir),
        _ => temp.clone(),
    });
    let mut ft = FullText::with_store(Arc::new(|| {}), store_dir.clone());
    prepare(&mut ft, &vault, &root, store_dir.as_deref());
    println!(
        "{} notes, {} threads, {rounds} rounds (medians)",
        vault.notes.len(),
        rayon::current_num_threads()
    );
    let mut docs_ms: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(Doc::all(&vault));
            started.elapsed()
        })
        .collect();
    docs_ms.sort();
    // The picker reuses them while the notes stay the same.
    println!(
        "building the documents once (UI thread): {:.1} ms",
        docs_ms[rounds / 2].as_secs_f64() * 1000.0
    );
    for query in &queries {
        let mut prefix = query.clone();
        prefix.pop();
        // A search narrows only the one before it that it extends: "fresh"
        // follows one it does not extend.
        let unrelated = if query == "zqxjzqxj" {
            "xkcdxkcd"
        } else {
            "zqxjzqxj"
        };
        for (label, before) in [("fresh", unrelated), ("typed on", prefix.as_str())] {
            if label == "typed on" && (before.is_empty() || query == "zqxjzqxj") {
                continue;
            }
            let mut first = Vec::new();
            let mut complete = Vec::new();
            let mut found = (0, 0, false);
            for _ in 0..rounds {
                let _ = search(&mut ft, &vault, before);
                let (first_at, done, rows, truncated) = search(&mut ft, &vault, query);
                complete.push(done);
                first.push(first_at.unwrap_or(done));
                let heads = rows.iter().filter_map(|r| r.head);
                found = heads.fold((0, 0, truncated), |(n, l, t), g| (n + 1, l + g.lines, t));
            }
            let ms = |v: &mut Vec<Duration>| {
                v.sort();
                v[v.len() / 2].as_secs_f64() * 1000.0
            };
            let more = if found.2 { "+" } else { "" };
            println!(
                "{query:>26} {label:>8}: first {:6.1} ms  complete {:6.1} ms  {}{more} notes {} lines",
                ms(&mut first),
                ms(&mut complete),
                found.0,
                found.1
            );
        }
    }
    let _ = std::fs::remove_dir_all(&temp);
}

/// Writes the text store (when there is one) as the browser does after a
/// load, and says how long it took and how large it is.
fn prepare(
    ft: &mut FullText,
    vault: &vidwiki::vault::Vault,
    root: &std::path::Path,
    store_dir: Option<&std::path::Path>,
) {
    let Some(dir) = store_dir else {
        println!("no text store: every note read from its file");
        return;
    };
    let started = Instant::now();
    let generation = ft.prepare_vault(vault);
    while let Some(message) = ft.recv() {
        if matches!(message, Message::Done { generation: g, .. } if g == generation) {
            break;
        }
    }
    let real = root.canonicalize().expect("the vault's real path");
    let file = vidwiki::search::fulltext::store::file_for(dir, &real);
    let size = std::fs::metadata(&file).map_or(0, |m| m.len());
    println!(
        "text store: {} ({:.1} MB) ready in {:.0} ms",
        file.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64() * 1000.0
    );
}

/// One search as the picker runs it: (time to the first results, time to
/// the complete list, the rows, truncated).
fn search(
    ft: &mut FullText,
    vault: &vidwiki::vault::Vault,
    query: &str,
) -> (Option<Duration>, Duration, Vec<TextHit>, bool) {
    let started = Instant::now();
    let generation = ft.search_vault(vault, query);
    let mut rows = Vec::new();
    let mut first_at = None;
    let mut truncated = false;
    while let Some(message) = ft.recv() {
        match message {
            Message::Notes {
                generation: g,
                notes,
            } if g == generation => {
                first_at.get_or_insert_with(|| started.elapsed());
                truncated |= merge_rows(&mut rows, notes, LIMIT);
            }
            Message::Done {
                generation: g,
                truncated: t,
            } if g == generation => {
                truncated |= t;
                break;
            }
            _ => {}
        }
    }
    (first_at, started.elapsed(), rows, truncated)
}
