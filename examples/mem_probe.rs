//! Where the memory of a loaded vault goes: a counting allocator reports
//! live heap bytes after load and as each part of the model is dropped.
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

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("give a vault folder"));
    let mut vault = vidwiki::vault::load(&root).expect("vault loads");
    let loaded = LIVE.load(Ordering::Relaxed);
    eprintln!(
        "after load: live {} (peak {})",
        mb(loaded),
        mb(PEAK.load(Ordering::Relaxed))
    );
    let mut search = vidwiki::search::NoteSearch::new(std::sync::Arc::new(|| {}));
    search.push_vault(&vault);
    search.settle();
    eprintln!(
        "search items: {}",
        mb(LIVE.load(Ordering::Relaxed) - loaded)
    );
    drop(search);
    let mut last = LIVE.load(Ordering::Relaxed);
    let mut step = |name: &str| {
        let now = LIVE.load(Ordering::Relaxed);
        eprintln!("  {name:<12} {}", mb(last - now));
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
    drop(vault);
    step("rest");
}
