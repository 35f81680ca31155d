//! Times jump-picker keystrokes over a vault:
//! `cargo run --release --example picker_probe -- VAULT [--rounds N] [QUERY…]`
//!
//! Each query is typed one key at a time, starting from the empty query, as
//! a user would; one keystroke is `set_query`, ticking until the results
//! are final, and fetching the first screenful with its highlights (what
//! the picker draws). One line per keystroke, the median over the rounds:
//! `QUERY: MS ms MATCHED/TOTAL`. Without queries it types `public se`.
//!
//! With `--cpu`, each line also gives the CPU time of the keystroke over
//! all threads (from `/proc/self/task/*/schedstat`, Linux only): on a
//! machine shared with other work, wall time counts the waits for a core
//! too. The load average is printed before and after (stderr).
mod probe_args;
use std::{sync::Arc, time::Instant};

/// CPU time of every thread of this process so far, in ms (0 where
/// `/proc` cannot tell).
fn cpu_ms() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e6
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The rows the picker fetches at first (`app::picker::SHOWN`).
const SCREENFUL: u32 = 200;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(
        args.next(),
        "picker_probe VAULT [--rounds N] [--cpu] [QUERY...]",
    );
    let mut rounds = 5_usize;
    let mut cpu = false;
    let mut queries = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            rounds = args
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--rounds takes a number");
        } else if arg == "--cpu" {
            cpu = true;
        } else {
            queries.push(arg);
        }
    }
    if queries.is_empty() {
        queries.push("public se".to_owned());
    }
    let loading = Instant::now();
    let vault = vidwiki::vault::load(&root).expect("vault loads");
    let mut search = vidwiki::search::NoteSearch::new(Arc::new(|| {}));
    search.push_vault(&vault);
    search.settle();
    drop(vault);
    eprintln!(
        "loaded in {:.1} s; load average {}",
        loading.elapsed().as_secs_f64(),
        load_average()
    );
    for query in &queries {
        // Every prefix, the empty one (the picker opening) included.
        let prefixes: Vec<&str> = std::iter::once(0)
            .chain(query.char_indices().map(|(i, c)| i + c.len_utf8()))
            .map(|end| &query[..end])
            .collect();
        let mut times = vec![Vec::with_capacity(rounds); prefixes.len()];
        let mut cpu_times = vec![Vec::with_capacity(rounds); prefixes.len()];
        let mut counts = vec![(0, 0); prefixes.len()];
        for _ in 0..rounds {
            for (i, prefix) in prefixes.iter().enumerate() {
                let cpu_start = if cpu { cpu_ms() } else { 0.0 };
                let start = Instant::now();
                search.set_query(prefix);
                search.settle();
                let shown = search.results(0, SCREENFUL);
                times[i].push(start.elapsed().as_secs_f64() * 1000.0);
                if cpu {
                    cpu_times[i].push(cpu_ms() - cpu_start);
                }
                counts[i] = search.counts();
                std::hint::black_box(shown);
            }
        }
        for (((prefix, ms), cpu_ms), (matched, total)) in
            prefixes.iter().zip(times).zip(cpu_times).zip(counts)
        {
            let ms = median(ms);
            if cpu {
                let cpu_ms = median(cpu_ms);
                println!("{prefix:>12}: {ms:7.2} ms  {matched}/{total}  cpu {cpu_ms:.2} ms");
            } else {
                println!("{prefix:>12}: {ms:7.2} ms  {matched}/{total}");
            }
        }
    }
    eprintln!("load average {}", load_average());
}
