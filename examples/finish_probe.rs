//! The finish alone (channels, every link's resolution, backlinks, the
//! topics without a note, the tree) over a vault loaded once: the CPU it
//! costs on every core (the sum of this process's threads' CPU time from
//! `/proc/self/task/*/schedstat` on Linux, which leaves out time spent
//! waiting for a core on a busy machine; wall time elsewhere), and a
//! fingerprint of what it found, so that a faster finish can be checked
//! to find the same. `cargo run --release --example finish_probe -- VAULT [RUNS]`
mod probe_args;
use std::{
    hash::{Hash, Hasher},
    time::Instant,
};

use vidwiki::vault::{self, TimeOptions};

/// This process's CPU time in ms (every thread), when the system tells it.
fn cpu_ms() -> Option<f64> {
    let mut nanos = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        nanos += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(nanos as f64 / 1e6)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(args.next(), "finish_probe VAULT [RUNS]");
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let (mut vault, _) = vault::load_timed(&root, TimeOptions::default()).expect("loads");
    let mut fingerprint = std::collections::hash_map::DefaultHasher::new();
    for id in vault.ids() {
        for link in &vault.note(id).links {
            format!("{:?}", link.resolution()).hash(&mut fingerprint);
        }
        format!("{:?}", vault.backlinks(id)).hash(&mut fingerprint);
    }
    let stats = vault.stats();
    format!("{stats:?}").hash(&mut fingerprint);
    format!("{:?}", vault.tree).hash(&mut fingerprint);
    format!("{:?}", vault.wanted).hash(&mut fingerprint);
    format!("{:?}", vault.channels).hash(&mut fingerprint);
    let (mut cpu, mut wall) = (Vec::new(), Vec::new());
    let (mut resolve, mut backlinks, mut tree) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let (t, before) = (Instant::now(), cpu_ms());
        let timings = vault.finish_timed();
        let elapsed = t.elapsed().as_secs_f64() * 1000.0;
        wall.push(elapsed);
        cpu.push(match (before, cpu_ms()) {
            (Some(before), Some(after)) => after - before,
            _ => elapsed,
        });
        resolve.push(timings.resolve.as_secs_f64() * 1000.0);
        backlinks.push(timings.backlinks.as_secs_f64() * 1000.0);
        tree.push(timings.tree.as_secs_f64() * 1000.0);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[0], v[v.len() - 1])
    };
    let (c, c0, c1) = median(cpu);
    let (w, ..) = median(wall);
    println!(
        "{} notes: finish {c:.1} ms CPU median ({c0:.1}..{c1:.1}), wall {w:.1} ms \
         (resolve {:.1}, backlinks {:.1}, tree {:.1}); fingerprint {:016x}",
        vault.notes.len(),
        median(resolve).0,
        median(backlinks).0,
        median(tree).0,
        fingerprint.finish()
    );
}
