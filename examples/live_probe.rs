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
//!
//! With `--burst`, a burst as a `git checkout` makes it: the vault is
//! copied (`cp -r`) to a temporary folder, a line appended to N of its
//! notes, and the burst taken in as the event loop does, timing what runs
//! on the UI thread (the watcher's message to the batch effect, the copy
//! of the vault, swapping the result in) apart from what runs on the
//! worker (parse, apply, resolve) and what freeing the old vault costs
//! (on a thread of its own). The floor: applying the same parsed burst and
//! resolving in place, which is what the UI thread did before. Then the
//! copy is deleted.
//!   cargo run --release --example live_probe -- --burst VAULT [NOTES] [SAMPLES]
mod probe_args;

use std::{path::PathBuf, time::Instant};

use vidwiki::{
    app::editing::{NoteParse, Parsed},
    vault::{NoteId, Vault, load},
};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A copy of the vault (`cp -r`) in a temporary folder, deleted when the
/// folder is dropped; the vault itself is never written to.
fn copy_of(source: &std::path::Path) -> (tempfile::TempDir, PathBuf) {
    let copy = tempfile::tempdir().expect("a temporary folder");
    let root = copy.path().join("vault");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(source)
        .arg(&root)
        .status()
        .expect("cp runs");
    assert!(status.success(), "cp -r failed");
    (copy, root)
}

/// A line appended to a file of the copy.
fn append_a_line(file: &std::path::Path) {
    let mut text = std::fs::read_to_string(file).unwrap_or_default();
    text.push_str("\nA line added by live_probe.\n");
    std::fs::write(file, text).expect("write to the copy");
}

/// Write → watcher batch → parse → index update, on a copy of the vault.
fn watch_probe(source: &std::path::Path, changes: usize) {
    let (_copy, root) = copy_of(source);
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

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A burst of `changes` notes on a copy of the vault, through the app.
fn burst_probe(source: &std::path::Path, changes: usize, samples: usize) {
    use vidwiki::{app::App, vault::watch::Touched};
    let (_copy, root) = copy_of(source);
    let vault: Vault = load(&root).expect("the copy loads");
    let step = (vault.notes.len() / changes).max(1);
    let paths: Vec<String> = vault
        .ids()
        .step_by(step)
        .take(changes)
        .map(|id| vault.note(id).path.clone())
        .collect();
    let open = paths[paths.len() / 2].clone();
    let mut app = App::loaded(
        vault,
        Some(open.clone()),
        ratatui::layout::Rect::new(0, 0, 160, 50),
    );
    read_texts(&mut app, Vec::new());
    println!(
        "copy: {} notes in {}; burst of {} notes, {open} open",
        app.vault.notes.len(),
        root.display(),
        paths.len()
    );
    for path in &paths {
        append_a_line(&root.join(path));
    }
    let (mut jobs_ms, mut copy_ms, mut swap_ms, mut worker_ms, mut drop_ms, mut floor_ms) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut whole_copy_ms, mut begin_ms) = (vec![], vec![]);
    for _ in 0..samples {
        // UI thread: the watcher's message becomes one batch effect.
        let t = Instant::now();
        let mut effects = app.on_disk_changes_effects(Touched {
            paths: paths.clone(),
            folders: Vec::new(),
        });
        jobs_ms.push(ms(t.elapsed()));
        let Some(vidwiki::app::Effect::ParseBatch(jobs)) = effects.pop() else {
            panic!(
                "one batch (a burst is over {} notes): {effects:?}",
                vidwiki::app::editing::BURST
            );
        };
        // UI thread: the copy the worker applies the burst to.
        let (snapshot, [begin, longest, whole]) = sliced_copy(&app.vault);
        begin_ms.push(begin);
        copy_ms.push(longest);
        whole_copy_ms.push(whole);
        // Worker: parse, apply, resolve.
        let t = Instant::now();
        let built = vidwiki::tui::build_batch(jobs.clone(), snapshot, |_, _| {});
        worker_ms.push(ms(t.elapsed()));
        // Floor: the same parsed burst applied and resolved in place.
        floor_ms.push(in_place(&app.vault, jobs));
        // UI thread: the result swapped in, the open note shown again.
        let t = Instant::now();
        let old = app.on_batch_built(built);
        let effects = app.take_effects();
        swap_ms.push(ms(t.elapsed()));
        let t = Instant::now();
        drop(old);
        drop_ms.push(ms(t.elapsed()));
        read_texts(&mut app, effects);
        assert_eq!(
            app.open_note(),
            vault_id(&app, &open),
            "the open note stays"
        );
    }
    let worst: Vec<f64> = copy_ms
        .iter()
        .zip(&swap_ms)
        .zip(&jobs_ms)
        .map(|((c, s), j)| c.max(*s).max(*j))
        .collect();
    println!(
        "{samples} bursts of {} notes, medians: UI thread: batch effect {:.1} ms, \
         longest turn of the sliced vault copy {:.1} ms (its start, the key index, {:.1} ms; \
         whole copy {:.0} ms), swap-in {:.1} ms \
         -> worst single pause {:.1} ms (total {:.1} ms); worker: parse + apply + resolve \
         {:.0} ms; freeing the old vault (own thread) {:.1} ms",
        paths.len(),
        median(jobs_ms.clone()),
        median(copy_ms.clone()),
        median(begin_ms),
        median(whole_copy_ms),
        median(swap_ms.clone()),
        median(worst),
        median(
            jobs_ms
                .iter()
                .zip(&copy_ms)
                .zip(&swap_ms)
                .map(|((a, b), c)| a + b + c)
                .collect()
        ),
        median(worker_ms),
        median(drop_ms)
    );
    println!(
        "floor: applying the parsed burst and resolving in place (the UI thread's pause before): \
         median {:.0} ms",
        median(floor_ms)
    );
}

/// The copy of the vault, begun, then made a slice per turn of the loop
/// as the event loop does (256 notes a step, steps until 8 ms are spent):
/// the copy and, in ms, its start, its longest turn and the whole.
fn sliced_copy(vault: &Vault) -> (Vault, [f64; 3]) {
    let t = Instant::now();
    let mut snapshot = vault.begin_snapshot();
    let begin = t.elapsed();
    let mut longest = begin;
    let mut done = false;
    while !done {
        let turn = Instant::now();
        while !done && turn.elapsed() < std::time::Duration::from_millis(8) {
            done = vault.continue_snapshot(&mut snapshot, 256);
        }
        longest = longest.max(turn.elapsed());
    }
    (snapshot, [ms(begin), ms(longest), ms(t.elapsed())])
}

/// Applying a parsed burst and resolving in place, in ms (what the UI
/// thread did before bursts went to a worker).
fn in_place(vault: &Vault, jobs: Vec<vidwiki::app::editing::BatchJob>) -> f64 {
    let mut in_place = vault.snapshot();
    let burst: Vec<_> = vidwiki::tui::parse_batch(jobs, |_, _| {})
        .into_iter()
        .map(|(job, parsed)| vidwiki::vault::update::BurstChange {
            note: job.note,
            path: job.path,
            parsed: match parsed {
                Parsed::Note(note) => Some(*note),
                Parsed::Gone => None,
            },
        })
        .collect();
    let t = Instant::now();
    in_place.apply_burst(burst);
    ms(t.elapsed())
}

fn vault_id(app: &vidwiki::app::App, path: &str) -> Option<NoteId> {
    app.vault.id_of_path(path)
}

/// Carries out the note reads the app asks for, as the event loop does.
fn read_texts(app: &mut vidwiki::app::App, mut effects: Vec<vidwiki::app::Effect>) {
    effects.extend(app.take_effects());
    while !effects.is_empty() {
        for effect in std::mem::take(&mut effects) {
            if let vidwiki::app::Effect::ReadNote(read) = effect {
                let text = vidwiki::tui::read_note(&read);
                app.on_note_text(&read, text);
            }
        }
        effects = app.take_effects();
    }
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().is_some_and(|a| a == "--burst") {
        args.next();
        let root = probe_args::vault_folder(
            Some(args.next().unwrap_or_else(|| "notes".into())),
            "live_probe --burst [VAULT] [CHANGES] [SAMPLES]",
        );
        let changes = args.next().and_then(|s| s.parse().ok()).unwrap_or(5_000);
        let samples = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
        burst_probe(&root, changes, samples);
        return;
    }
    if args.peek().is_some_and(|a| a == "--watch") {
        args.next();
        let root = probe_args::vault_folder(
            Some(args.next().unwrap_or_else(|| "notes".into())),
            "live_probe --watch [VAULT] [CHANGES]",
        );
        let changes = args.next().and_then(|s| s.parse().ok()).unwrap_or(21);
        watch_probe(&root, changes);
        return;
    }
    let root = probe_args::vault_folder(
        Some(args.next().unwrap_or_else(|| "notes".into())),
        "live_probe [VAULT] [SAMPLES]",
    );
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
