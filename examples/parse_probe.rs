//! The parse alone, on one thread, over files already in memory: the CPU
//! the full index spends per byte with no I/O and no scheduling in the
//! way (steadier on a shared machine than any wall time). Prints the
//! median of this thread's CPU time (from `/proc/thread-self/schedstat`
//! on Linux: time waiting for a core on a busy machine is not counted;
//! wall time elsewhere), the rate, and a fingerprint of every parsed note (its `Debug`
//! form hashed) so that a faster parser can be checked to find the same.
//! `cargo run --release --example parse_probe -- VAULT [RUNS]`
mod probe_args;
use std::{
    hash::{Hash, Hasher},
    time::Instant,
};

use vidwiki::vault::{self, loader::parse_note};

/// This thread's CPU time in ms, when the system tells it.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos as f64 / 1e6)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(args.next(), "parse_probe VAULT [RUNS]");
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let walk = vault::loader::walk(&root).expect("walks");
    let files: Vec<(String, Vec<u8>)> = walk
        .files
        .iter()
        .map(|f| {
            (
                f.relative.clone(),
                std::fs::read(&f.path).unwrap_or_default(),
            )
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut fingerprint = std::collections::hash_map::DefaultHasher::new();
    for (path, b) in &files {
        let mut note = parse_note(path, b);
        note.text = None;
        format!("{note:?}").hash(&mut fingerprint);
    }
    let mut times = Vec::new();
    for _ in 0..runs {
        let (t, cpu) = (Instant::now(), cpu_ms());
        let notes: Vec<_> = files.iter().map(|(p, b)| parse_note(p, b)).collect();
        times.push(match (cpu, cpu_ms()) {
            (Some(before), Some(after)) => after - before,
            _ => t.elapsed().as_secs_f64() * 1000.0,
        });
        drop(std::hint::black_box(notes));
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{} notes, {:.1} MB: parse on one thread {median:.1} ms CPU median ({:.1}..{:.1}), {:.0} MB/s; fingerprint {:016x}",
        files.len(),
        bytes as f64 / 1e6,
        times[0],
        times[times.len() - 1],
        bytes as f64 / 1e3 / median,
        fingerprint.finish()
    );
}
