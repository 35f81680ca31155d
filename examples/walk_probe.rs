//! Walk-to-outline against its floor, in one run: a plain recursive
//! `std::fs::read_dir` walk counting `.md` files (the floor), the loader's
//! walk, and the walk followed by what the UI does with its paths (every
//! note announced, the folder tree and the outline built). Interleaved run
//! by run so that the machine's noise falls on all of them alike; prints
//! medians. Also the first level: the root listed, and the first frame
//! drawn with its outline (before the walk is over, in the browser).
//! With `--warm`, then the browser's warm restart in the same process: an
//! index cache filled once (with its resolved index, as a command saves
//! it), then per run the browser's loader (`spawn_indexed`) from its start
//! to the walk's end (`Found`), to the vault handed over (the notes' heads when
//! the cache has the resolved index), the picker's items built for it (on
//! the loader's thread in the browser), the UI thread's swap (indexed:
//! loading is done), then the bodies: the last one sent, and the UI
//! thread's time putting them in place.
//! `cargo run --release --example walk_probe -- VAULT [RUNS] [--warm | --warm-only]`
//! (`--warm-only`: the warm restart alone; with `WALK_PROBE_CACHE=DIR` its
//! cache is kept in DIR and filled only when it cannot serve a warm start.)
mod probe_args;
use std::{
    path::Path,
    time::{Duration, Instant},
};

use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use vidwiki::{
    app::App,
    vault::{LoadEvent, Vault, loader},
};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The least a walk can cost: every folder listed once, on one thread,
/// file types from the entries, nothing kept but a count.
fn read_dir_floor(dir: &Path) -> usize {
    let mut count = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            count += read_dir_floor(&entry.path());
        } else if entry.file_name().as_encoded_bytes().ends_with(b".md") {
            count += 1;
        }
    }
    count
}

/// The walk, then what follows it: its notes and tree made ready on the
/// loader's thread (`send_walk`'s first part), then the UI thread's part
/// (swapped in, the outline built and the first frame with it drawn).
fn walk_to_outline(root: &Path) -> (usize, Duration, Duration) {
    let files = loader::walk(root).expect("walks").files;
    let mut app = App::new(Vault::new(root), None, Rect::new(0, 0, 120, 40));
    app.on_load(LoadEvent::Found { notes: files.len() });
    let t = Instant::now();
    let parts = std::cell::RefCell::new(Vec::new());
    let mut prepared = Duration::ZERO;
    vidwiki::app::send_walk(
        files.iter().map(|f| f.relative.clone()).collect(),
        |loaded| {
            parts.borrow_mut().push(loaded);
            true
        },
        || prepared = t.elapsed(),
    );
    let mut parts = parts.into_inner().into_iter();
    let t = Instant::now();
    app.on_loaded(parts.next().expect("the walk's notes"));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    terminal
        .draw(|frame| vidwiki::ui::draw(frame, &app))
        .expect("draws");
    let rows = app.outline.rows.len();
    let ui = t.elapsed();
    parts.for_each(|loaded| app.on_loaded(loaded));
    drop(std::hint::black_box(app));
    (rows, prepared, ui)
}

/// The first level: the root listed, taken in and the first frame drawn
/// with it (what the browser does before its first frame).
fn first_level_outline(root: &Path) -> usize {
    let first = loader::first_level(root).expect("lists the root");
    let mut app = App::new(Vault::new(root), None, Rect::new(0, 0, 120, 40));
    app.on_first_level(first);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    terminal
        .draw(|frame| vidwiki::ui::draw(frame, &app))
        .expect("draws");
    app.outline.rows.len()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(
        args.next(),
        "walk_probe VAULT [RUNS] [--warm | --warm-only]",
    );
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(9);
    let mode = args.next();
    let warm = matches!(mode.as_deref(), Some("--warm" | "--warm-only"));
    if mode.as_deref() == Some("--warm-only") {
        // The warm restart alone (for `perf record`).
        warm_restart(&root, runs);
        return;
    }
    let found = loader::walk(&root).expect("walks").files.len();
    println!(
        "{found} notes ({} by read_dir), {runs} runs",
        read_dir_floor(&root)
    );
    let (mut floor, mut walk, mut outline) = (vec![], vec![], vec![]);
    let (mut prepare, mut ui, mut first) = (vec![], vec![], vec![]);
    let (mut rows, mut first_rows) = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(read_dir_floor(&root));
        floor.push(ms(t.elapsed()));
        let t = Instant::now();
        std::hint::black_box(loader::walk(&root).expect("walks"));
        walk.push(ms(t.elapsed()));
        let t = Instant::now();
        first_rows = first_level_outline(&root);
        first.push(ms(t.elapsed()));
        let t = Instant::now();
        let (r, prepared, taken_in) = walk_to_outline(&root);
        outline.push(ms(t.elapsed()));
        prepare.push(ms(prepared));
        ui.push(ms(taken_in));
        rows = r;
    }
    println!("read_dir floor (1 thread): {:.1} ms", median(floor));
    println!(
        "first level ({first_rows} rows) listed + outline + first frame: {:.2} ms",
        median(first)
    );
    println!("walk: {:.1} ms", median(walk));
    println!(
        "walk + outline ({rows} rows): {:.1} ms (of which paths made ready on the loader's thread: {:.1} ms, taken in + outline + first frame on the UI thread: {:.1} ms)",
        median(outline),
        median(prepare),
        median(ui)
    );
    if warm {
        warm_restart(&root, runs);
    }
}

/// The warm restart's phases, medians over `runs` (see the module's doc).
fn warm_restart(root: &Path, runs: usize) {
    // A cache folder kept between probes (`WALK_PROBE_CACHE`, filled once)
    // leaves only the warm restarts in a profile.
    let kept = std::env::var_os("WALK_PROBE_CACHE").map(std::path::PathBuf::from);
    let cache_dir = tempfile::tempdir().expect("a temporary folder");
    let dir = kept.unwrap_or_else(|| cache_dir.path().to_path_buf());
    let cache = || vidwiki::vault::IndexCache::in_dir(&dir);
    let primed =
        vidwiki::vault::cache::lean::open(root, vidwiki::vault::TimeOptions::default(), &cache());
    if primed.is_none() {
        loader::load_cached(root, vidwiki::vault::TimeOptions::default(), Some(&cache()))
            .expect("fills the cache");
    }
    let (mut paths, mut handed, mut items, mut swap) = (vec![], vec![], vec![], vec![]);
    let (mut indexed, mut bodies, mut bodies_ui) = (vec![], vec![], vec![]);
    let mut lean = vec![];
    let mut offers = vec![];
    for _ in 0..runs {
        let (send, receive) = std::sync::mpsc::channel();
        let t = Instant::now();
        // As in the browser, each event is made ready (the picker's items
        // built) on the loader's thread before it is sent.
        let _loader = loader::spawn_indexed(root.to_path_buf(), cache(), move |e| {
            let at = Instant::now();
            let handing = matches!(e, LoadEvent::Indexed(_));
            let body = matches!(e, LoadEvent::Bodies { .. } | LoadEvent::Done);
            let done = matches!(e, LoadEvent::Done);
            let loaded = vidwiki::app::Loaded::prepare(e);
            send.send((loaded, at, at.elapsed(), handing, body, done))
                .is_ok()
        });
        let mut app = App::new(Vault::new(root), None, Rect::new(0, 0, 120, 40));
        let mut in_place = Duration::ZERO;
        for (loaded, at, prepared, handing, body, done) in receive {
            // The walk is over (the heads then come in place of its paths).
            if matches!(loaded, vidwiki::app::Loaded::Event(LoadEvent::Found { .. })) {
                paths.push(ms(at - t));
            }
            if handing {
                handed.push(ms(at - t));
                items.push(ms(prepared));
            }
            let started = Instant::now();
            app.on_loaded(loaded);
            if handing {
                swap.push(ms(started.elapsed()));
                indexed.push(ms(t.elapsed()));
            }
            if body {
                in_place += started.elapsed();
            }
            if done {
                bodies.push(ms(at - t));
            }
            if app.load.settled() {
                break;
            }
        }
        bodies_ui.push(ms(in_place));
        lean.push(lean_phases(root, &cache()));
        assert!(app.load.settled(), "every note came from the cache");
        offers.push(offer_cost(&app.vault));
        std::mem::forget(app);
    }
    println!(
        "warm restart: walked {:.1} ms, vault handed over {:.1} ms, picker items {:.1} ms, swap on the UI thread {:.1} ms, indexed {:.1} ms; every body sent {:.1} ms, put in place on the UI thread {:.1} ms",
        median(paths),
        median(handed),
        median(items),
        median(swap),
        median(indexed),
        median(bodies),
        median(bodies_ui)
    );
    let phase = |i: usize| median(lean.iter().map(|p: &[f64; 4]| p[i]).collect());
    println!(
        "lean warm start alone: walk {:.1} ms, heads (table, stat, heads) {:.1} ms, headings + backlinks + tree {:.1} ms, first 2,048 bodies {:.1} ms",
        phase(0),
        phase(1),
        phase(2),
        phase(3)
    );
    let offer = |i: usize| median(offers.iter().map(|p: &[f64; 5]| p[i]).collect());
    println!(
        "a background save's resolved offer: in one go {:.1} ms; in slices on the UI thread (budget {:.0} ms each) {:.0} slices, the longest {:.2} ms, {:.1} ms in all (wall: measure when the machine is quiet); encoding it, off that thread: {:.1} ms",
        offer(0),
        ms(vidwiki::vault::cache::refresh::SLICE),
        offer(1),
        offer(2),
        offer(3),
        offer(4)
    );
}

/// What a background save's start costs the UI thread: the resolved
/// offer made of the whole vault in one go (`ResolvedOffer::of`), then
/// made as the browser makes it, a slice per turn of its loop (the count
/// of slices, the longest, their sum), and the encoding of its snapshot,
/// which the save does on its own thread.
fn offer_cost(vault: &Vault) -> [f64; 5] {
    use vidwiki::vault::cache::refresh::{OfferCapture, Progress, ResolvedOffer, SLICE};
    let t = Instant::now();
    let whole = ResolvedOffer::of(vault);
    let in_one_go = ms(t.elapsed());
    assert!(whole.is_some(), "a settled vault makes an offer");
    drop(whole);
    let mut capture = OfferCapture::new(vault).expect("a finished vault");
    let (mut slices, mut longest, mut all) = (0.0, 0.0_f64, 0.0);
    let offer = loop {
        let t = Instant::now();
        let progress = capture.step(vault, SLICE);
        let took = ms(t.elapsed());
        slices += 1.0;
        longest = longest.max(took);
        all += took;
        match progress {
            Progress::Going => {}
            Progress::Done(offer) => break offer,
            Progress::Stale => panic!("the vault did not change"),
        }
    };
    let t = Instant::now();
    let encoded = offer.as_ref().and_then(ResolvedOffer::bytes);
    assert!(encoded.is_some(), "the offer encodes");
    [in_one_go, slices, longest, all, ms(t.elapsed())]
}

/// The lean warm start's phases on this thread: the walk, the heads, the
/// index of heads, a first batch of bodies.
fn lean_phases(root: &Path, cache: &vidwiki::vault::IndexCache) -> [f64; 4] {
    let t = Instant::now();
    let walk = loader::walk(root).expect("walks");
    let real_root = root.canonicalize().expect("a folder");
    let walked = ms(t.elapsed());
    let t = Instant::now();
    let mut heads = vidwiki::vault::cache::lean::open_walked(
        root,
        &real_root,
        &walk.files,
        vidwiki::vault::TimeOptions::default(),
        cache,
    )
    .expect("unchanged, with the resolved index");
    let opened = ms(t.elapsed());
    let t = Instant::now();
    assert!(heads.index_heads());
    let indexed = ms(t.elapsed());
    let (_, mut bodies) = heads.hand_over();
    let t = Instant::now();
    let first = bodies.decode(0..2048);
    assert!(first.iter().all(Option::is_some));
    [walked, opened, indexed, ms(t.elapsed())]
}
