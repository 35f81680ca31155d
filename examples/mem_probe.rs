//! Where the memory of a loaded vault goes: a counting allocator reports
//! live heap bytes after load and as each part of the model is dropped,
//! in total and per note; then the same load through the index cache (a
//! temporary folder): its file size per note and the heap it peaks at.
//! With `--browser`, the browser's warm start instead: the cache filled
//! first, then its loader (`spawn_indexed`) and the app taking its events
//! in as the browser does; live and peak heap, and the process's peak
//! resident memory, at each step.
//! `cargo run --release --example mem_probe -- VAULT [--browser]`
mod probe_args;
use std::{
    alloc::{GlobalAlloc, Layout, System},
    sync::atomic::{AtomicUsize, Ordering},
};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Live allocations, and the bytes glibc's malloc gives them (a chunk is
/// the size plus an 8-byte header, rounded up to 16, at least 32): what
/// many small allocations cost beyond the bytes asked for.
static COUNT: AtomicUsize = AtomicUsize::new(0);
static CHUNKS: AtomicUsize = AtomicUsize::new(0);

fn chunk(size: usize) -> usize {
    ((size + 8 + 15) & !15).max(32)
}

// SAFETY: forwards to the system allocator unchanged; only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        COUNT.fetch_add(1, Ordering::Relaxed);
        CHUNKS.fetch_add(chunk(layout.size()), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        COUNT.fetch_sub(1, Ordering::Relaxed);
        CHUNKS.fetch_sub(chunk(layout.size()), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Total and bytes per note.
fn per_note(bytes: usize, notes: usize) -> String {
    format!(
        "{:>9} {:>7.0} B/note",
        mb(bytes),
        bytes as f64 / notes.max(1) as f64
    )
}

fn main() {
    let root = probe_args::vault_folder(std::env::args().nth(1), "mem_probe VAULT [--browser]");
    if std::env::args().any(|a| a == "--browser") {
        browser(&root);
        return;
    }
    let vault = vidwiki::vault::load(&root).expect("vault loads");
    let loaded = LIVE.load(Ordering::Relaxed);
    let notes = vault.notes.len();
    eprintln!(
        "after load ({notes} notes): live {} (peak {}), {:.1} allocations a note, {} in malloc's chunks",
        per_note(loaded, notes),
        mb(PEAK.load(Ordering::Relaxed)),
        COUNT.load(Ordering::Relaxed) as f64 / notes.max(1) as f64,
        per_note(CHUNKS.load(Ordering::Relaxed), notes),
    );
    eprintln!(
        "sizes: Note {} B, Timestamp {}, LinkRecord {}, HeadingRecord {}, MarkdownLinkRecord {}, Resolution {}",
        size_of::<vidwiki::vault::Note>(),
        size_of::<vidwiki::vault::Timestamp>(),
        size_of::<vidwiki::vault::LinkRecord>(),
        size_of::<vidwiki::vault::HeadingRecord>(),
        size_of::<vidwiki::vault::MarkdownLinkRecord>(),
        size_of::<vidwiki::vault::Resolution>(),
    );
    let mut search = vidwiki::search::NoteSearch::new(std::sync::Arc::new(|| {}));
    search.push_vault(&vault);
    search.settle();
    eprintln!(
        "search items: {}",
        per_note(LIVE.load(Ordering::Relaxed) - loaded, notes)
    );
    drop(search);
    by_part(vault, notes);

    // Through the index cache: a cold load (parses and saves), then a warm
    // one (decodes); the peak of each, measured from the live heap before.
    let dir = std::env::temp_dir().join(format!("vidwiki-mem-probe-{}", std::process::id()));
    let cache = vidwiki::vault::IndexCache::in_dir(&dir);
    for run in ["cold", "warm"] {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let sampler = Sampler::start();
        let (vault, timings) = vidwiki::vault::load_cached(
            &root,
            vidwiki::vault::TimeOptions::default(),
            Some(&cache),
        )
        .expect("vault loads");
        sampler.report(base, timings.cache.write);
        eprintln!(
            "{run} load through the cache: live {}, peak {} ({})",
            mb(LIVE.load(Ordering::Relaxed) - base),
            mb(PEAK.load(Ordering::Relaxed) - base),
            timings.cache
        );
        drop(vault);
    }
    let size = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len() as usize)
                .sum::<usize>()
        })
        .unwrap_or(0);
    eprintln!("cache file: {}", per_note(size, notes));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Drops part of every note.
type DropPart = fn(&mut vidwiki::vault::Note);

/// What each part of the vault holds: each dropped in turn, the bytes,
/// allocations and malloc chunks that freed, per note.
fn by_part(mut vault: vidwiki::vault::Vault, notes: usize) {
    let counters = || [&LIVE, &COUNT, &CHUNKS].map(|counter| counter.load(Ordering::Relaxed));
    let mut last = counters();
    let mut step = |name: &str| {
        let now = counters();
        let freed = |i: usize| last[i].saturating_sub(now[i]);
        eprintln!(
            "  {name:<12} {} ({:.1} allocations, {:.0} B/note in malloc's chunks)",
            per_note(freed(0), notes),
            freed(1) as f64 / notes.max(1) as f64,
            freed(2) as f64 / notes.max(1) as f64,
        );
        last = now;
    };
    // Each part of every note dropped in turn, and what that freed.
    let parts: [(&str, DropPart); 7] = [
        ("text", |n| n.text = None),
        ("timestamps", |n| n.timestamps = Vec::new()),
        ("links", |n| n.links = Default::default()),
        ("headings", |n| n.headings = Default::default()),
        ("md links", |n| n.markdown_links = Default::default()),
        ("front matter", |n| n.front_matter = Default::default()),
        ("probs+chan", |n| {
            (n.problems, n.channel) = (Vec::new(), None)
        }),
    ];
    for (name, drop_part) in parts {
        vault.notes.iter_mut().for_each(drop_part);
        step(name);
    }
    vault.keys = Default::default();
    vault.backlinks = Vec::new();
    step("index");
    vault.wanted = Vec::new();
    step("wanted");
    vault.tree = Vec::new();
    vault.channels = Vec::new();
    step("tree+chans");
    let structs = vault.notes.len() * size_of::<vidwiki::vault::Note>();
    eprintln!("  (of which the Note structs {})", per_note(structs, notes));
    drop(vault);
    step("notes+rest");
}

/// The browser's warm start, step by step (see the module's comment).
fn browser(root: &std::path::Path) {
    use vidwiki::{
        app::{App, Loaded},
        vault::{LoadEvent, Vault, loader},
    };
    // The cache is filled by another run of this program (the same
    // build, so the cache serves it), whose memory is not this one's.
    if let Some(dir) = std::env::args().skip_while(|a| a != "--fill").nth(1) {
        let cache = vidwiki::vault::IndexCache::in_dir(std::path::Path::new(&dir));
        drop(
            loader::load_cached(root, vidwiki::vault::TimeOptions::default(), Some(&cache))
                .expect("fills the cache"),
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("vidwiki-mem-probe-{}", std::process::id()));
    let cache = || vidwiki::vault::IndexCache::in_dir(&dir);
    let filled = std::process::Command::new(std::env::current_exe().expect("this program"))
        .arg(root)
        .args(["--browser", "--fill"])
        .arg(&dir)
        .status()
        .expect("fills the cache");
    assert!(filled.success(), "fills the cache");
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let report = |step: &str| {
        eprintln!(
            "{step:<28} live {:>9}, peak {:>9}, process peak RSS {:.1} MB",
            mb(LIVE.load(Ordering::Relaxed).saturating_sub(base)),
            mb(PEAK.load(Ordering::Relaxed).saturating_sub(base)),
            vidwiki::memory::peak_memory_kb().unwrap_or(0) as f64 / 1e3
        );
        if std::env::var_os("MEM_PROBE_ARENAS").is_some() {
            malloc_arenas();
        }
    };
    report("before the warm start");
    let (send, receive) = std::sync::mpsc::channel();
    // As in the browser: each event made ready (the picker's items built)
    // on the loader's thread before it is sent.
    let loader = loader::spawn_indexed(root.to_path_buf(), cache(), move |e| {
        send.send(Loaded::prepare(e)).is_ok()
    });
    let mut app = App::new(
        Vault::new(root),
        None,
        ratatui::layout::Rect::new(0, 0, 120, 40),
    );
    let mut bodies = 0;
    for loaded in receive {
        let step = match &loaded {
            Loaded::Indexed(_) => Some("heads and items taken in"),
            Loaded::Event(LoadEvent::Bodies { .. }) => {
                bodies += 1;
                (bodies % 10 == 1).then_some("a batch of bodies put in")
            }
            Loaded::Event(LoadEvent::Done) => Some("every body in, settled"),
            _ => None,
        };
        if matches!(loaded, Loaded::Event(LoadEvent::Done)) {
            report("before Done");
        }
        app.on_loaded(loaded);
        if let Some(step) = step {
            report(step);
        }
        if app.load.settled() {
            break;
        }
    }
    let _ = loader.join();
    report("settled");
    eprintln!("resident now: {}", resident());
    drop(app);
    report("app dropped");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The resident memory now by kind of mapping (`/proc/self/smaps`): the
/// main heap, the other threads' malloc arenas (64 MB mappings), other
/// anonymous mappings (large allocations), and files (the program).
fn resident() -> String {
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap_or_default();
    let (mut heap, mut arenas, mut anon, mut files) = (0u64, 0u64, 0u64, 0u64);
    let mut kind = 0;
    for line in smaps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields
            .first()
            .is_some_and(|f| f.contains('-') && !f.ends_with(':'))
        {
            let (from, to) = fields[0].split_once('-').unwrap_or(("0", "0"));
            let size = u64::from_str_radix(to, 16).unwrap_or(0)
                - u64::from_str_radix(from, 16).unwrap_or(0);
            let name = fields.get(5).copied().unwrap_or("");
            let aligned = u64::from_str_radix(from, 16).unwrap_or(1) % (64 << 20) == 0;
            kind = if name == "[heap]" {
                0
            } else if name.is_empty() && (aligned || size == 64 << 20) {
                1
            } else if name.is_empty() {
                2
            } else {
                3
            };
        } else if fields.first() == Some(&"Rss:") {
            let kb: u64 = fields.get(1).and_then(|k| k.parse().ok()).unwrap_or(0);
            match kind {
                0 => heap += kb,
                1 => arenas += kb,
                2 => anon += kb,
                _ => files += kb,
            }
        }
    }
    format!(
        "main heap {:.1} MB, arenas {:.1} MB, other anonymous {:.1} MB, files {:.1} MB",
        heap as f64 / 1e3,
        arenas as f64 / 1e3,
        anon as f64 / 1e3,
        files as f64 / 1e3
    )
}

/// The live heap sampled every millisecond during a load: when it peaked,
/// against when the load's save began (its last phase), to tell which
/// phase the peak is in.
struct Sampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<(std::time::Duration, usize)>,
    started: std::time::Instant,
}

impl Sampler {
    fn start() -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let started = std::time::Instant::now();
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut top = (std::time::Duration::ZERO, 0);
            let timeline = std::env::var_os("MEM_PROBE_TIMELINE").is_some();
            let mut last = std::time::Duration::ZERO;
            while !stopped.load(Ordering::Relaxed) {
                let live = LIVE.load(Ordering::Relaxed);
                if timeline && started.elapsed() >= last + std::time::Duration::from_millis(50) {
                    last = started.elapsed();
                    eprintln!("    {:>6.0} ms {}", last.as_secs_f64() * 1e3, mb(live));
                }
                if live > top.1 {
                    top = (started.elapsed(), live);
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            top
        });
        Self {
            stop,
            thread,
            started,
        }
    }

    /// Prints the sampled peak's time, and when the save (`write` long,
    /// at the load's end) began.
    fn report(self, base: usize, write: std::time::Duration) {
        let total = self.started.elapsed();
        self.stop.store(true, Ordering::Relaxed);
        let (at, live) = self.thread.join().expect("sampler");
        eprintln!(
            "  sampled peak {} at {:.0} ms of {:.0} ms (the save from {:.0} ms)",
            mb(live.saturating_sub(base)),
            at.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            total.saturating_sub(write).as_secs_f64() * 1e3,
        );
    }
}

unsafe extern "C" {
    /// glibc's own account of each arena (to stderr): the bytes it holds
    /// from the system and those in use, the main arena first, then the
    /// others in the order threads first allocated.
    fn malloc_stats();
}

/// Each malloc arena's bytes held and in use (`MEM_PROBE_ARENAS=1`): which
/// threads' arenas hold the resident memory above the live heap.
fn malloc_arenas() {
    // SAFETY: glibc's `malloc_stats` takes nothing and only prints.
    unsafe { malloc_stats() }
}
