//! Where the memory of a loaded vault goes: a counting allocator reports
//! live heap bytes after load and as each part of the model is dropped,
//! in total and per note; then the same load through the index cache (a
//! temporary folder): its file size per note and the heap it peaks at.
//! `cargo run --release --example mem_probe -- VAULT`
use std::{
    alloc::{GlobalAlloc, Layout, System},
    sync::atomic::{AtomicUsize, Ordering},
};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
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
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("give a vault folder"));
    let mut vault = vidwiki::vault::load(&root).expect("vault loads");
    let loaded = LIVE.load(Ordering::Relaxed);
    let notes = vault.notes.len();
    eprintln!(
        "after load ({notes} notes): live {} (peak {})",
        per_note(loaded, notes),
        mb(PEAK.load(Ordering::Relaxed))
    );
    eprintln!(
        "sizes: Note {} B, Timestamp {}, WikiLink {}, Heading {}, MarkdownLink {}, Resolution {}",
        size_of::<vidwiki::vault::Note>(),
        size_of::<vidwiki::vault::Timestamp>(),
        size_of::<vidwiki::vault::WikiLink>(),
        size_of::<vidwiki::vault::Heading>(),
        size_of::<vidwiki::vault::MarkdownLink>(),
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
    let mut last = LIVE.load(Ordering::Relaxed);
    let mut step = |name: &str| {
        let now = LIVE.load(Ordering::Relaxed);
        eprintln!("  {name:<12} {}", per_note(last.saturating_sub(now), notes));
        last = now;
    };
    for n in &mut vault.notes {
        n.text = None;
    }
    step("text");
    for n in &mut vault.notes {
        n.timestamps = Vec::new();
    }
    step("timestamps");
    for n in &mut vault.notes {
        n.links = Vec::new();
    }
    step("links");
    for n in &mut vault.notes {
        n.headings = Vec::new();
        n.markdown_links = Vec::new();
    }
    step("headings");
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

    // Through the index cache: a cold load (parses and saves), then a warm
    // one (decodes); the peak of each, measured from the live heap before.
    let dir = std::env::temp_dir().join(format!("vidwiki-mem-probe-{}", std::process::id()));
    let cache = vidwiki::vault::IndexCache::in_dir(&dir);
    for run in ["cold", "warm"] {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let (vault, timings) = vidwiki::vault::load_cached(
            &root,
            vidwiki::vault::TimeOptions::default(),
            Some(&cache),
        )
        .expect("vault loads");
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
