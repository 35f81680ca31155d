//! The full index against the floor it is measured by, in one run: reading
//! every note file (walk, then every file read whole on the same rayon
//! threads as the loader), then `vault::load_timed` (walk, read, parse,
//! resolve, backlinks, tree), then a warm load through the index cache
//! (in a temporary folder), interleaved run by run so that the machine's
//! noise falls on all of them alike. Prints medians and the ratios, and
//! the loader's own reads (through each file's folder, one read a file)
//! against the same reads by whole paths, two reads a file (as before).
//! `cargo run --release --example read_floor -- VAULT [RUNS]`
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

/// Walks the vault and reads every file whole: the least any full index
/// can cost. Returns the bytes read (so nothing is optimised away).
fn read_everything(root: &std::path::Path) -> usize {
    let walk = vault::loader::walk(root).expect("walks");
    walk.files
        .par_iter()
        .map(|file| std::fs::read(&file.path).map_or(0, |b| b.len()))
        .sum()
}

/// Walks the vault and reads every file as the loader did before it
/// opened files through their folders: each by its whole path (without
/// blocking), its size from the open file, read in that size and then
/// once more to see the end. Compared with [`vault::loader::read_walked`]
/// (the loader's reads now) in the same runs.
fn read_by_whole_paths(root: &std::path::Path) -> u64 {
    use std::io::Read;
    let walk = vault::loader::walk(root).expect("walks");
    walk.files
        .par_iter()
        .map(|file| {
            let mut options = std::fs::OpenOptions::new();
            options.read(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, 0o4000);
            let Ok(mut opened) = options.open(&file.path) else {
                return 0;
            };
            let size = opened.metadata().map_or(0, |m| m.len());
            let mut bytes = vec![0; usize::try_from(size).unwrap_or(0)];
            let read = opened.read(&mut bytes).unwrap_or(0);
            bytes.truncate(read);
            let _ = opened.read_to_end(&mut bytes);
            bytes.len() as u64
        })
        .sum()
}

/// Walks the vault and reads every file as the full load does (see
/// [`vault::loader::read_walked`]).
fn read_as_loaded(root: &std::path::Path) -> u64 {
    let walk = vault::loader::walk(root).expect("walks");
    vault::loader::read_walked(&walk.files)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(args.next(), "read_floor VAULT [RUNS]");
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let dir = std::env::temp_dir().join(format!("vidwiki-read-floor-{}", std::process::id()));
    let cache = IndexCache::in_dir(&dir);
    // Warm the page cache and the index cache once.
    let bytes = read_everything(&root);
    let (vault, _) =
        vault::load_cached(&root, TimeOptions::default(), Some(&cache)).expect("loads");
    println!(
        "{} notes, {:.1} MB, {} threads, {runs} runs",
        vault.notes.len(),
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );
    drop(vault);
    let (mut floor, mut index, mut warm) = (Vec::new(), Vec::new(), Vec::new());
    let (mut read, mut parse, mut finish) = (Vec::new(), Vec::new(), Vec::new());
    let (mut loaded_reads, mut whole_path_reads) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(read_everything(&root));
        floor.push(ms(t.elapsed()));
        let t = Instant::now();
        std::hint::black_box(read_as_loaded(&root));
        loaded_reads.push(ms(t.elapsed()));
        let t = Instant::now();
        std::hint::black_box(read_by_whole_paths(&root));
        whole_path_reads.push(ms(t.elapsed()));
        let t = Instant::now();
        let (vault, timings) = vault::load_timed(&root, TimeOptions::default()).expect("loads");
        index.push(ms(t.elapsed()));
        read.push(ms(timings.read));
        parse.push(ms(timings.parse));
        let f = timings.finish;
        finish.push(ms(f.resolve + f.backlinks.max(f.tree)));
        drop(vault);
        let t = Instant::now();
        let (vault, timings) =
            vault::load_cached(&root, TimeOptions::default(), Some(&cache)).expect("loads");
        warm.push(ms(t.elapsed()));
        assert_eq!(timings.cache.hits, vault.notes.len());
        drop(vault);
    }
    let floor = median(floor);
    let index = median(index);
    let warm = median(warm);
    println!("read floor (walk + read every file)  {floor:8.1} ms");
    println!(
        "  the loader's reads (walk + read)   {:8.1} ms; by whole paths, two reads a file {:.1} ms",
        median(loaded_reads),
        median(whole_path_reads)
    );
    println!(
        "full index, no cache (load_timed)    {index:8.1} ms  = {:.2}x the floor (goal <= 1.5x)",
        index / floor
    );
    println!(
        "  of which read {:.1}, parse {:.1}, resolve+backlinks/tree {:.1} ms",
        median(read),
        median(parse),
        median(finish)
    );
    println!(
        "full index from the cache (warm)     {warm:8.1} ms  = {:.2}x the floor",
        warm / floor
    );
    let _ = std::fs::remove_dir_all(&dir);
}
