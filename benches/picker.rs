//! How long one keystroke in the jump picker takes on a large vault: the
//! new query handed to nucleo plus waiting until matching is done, which is
//! the worst case a frame can see. Items are synthesised directly (10,000
//! notes with 7 headings each, 80,000 items) from a fixed word list, so runs
//! are comparable without a vault on disk.

use std::{
    hint::black_box,
    sync::Arc,
    time::{Duration, Instant},
};

use criterion::{Criterion, criterion_group, criterion_main};
use vidwiki::{
    search::{HEADING_SEPARATOR, NoteSearch, SearchItem},
    vault::NoteId,
};

const NOTES: u32 = 10_000;
const HEADINGS_PER_NOTE: u32 = 7;

const WORDS: &[&str] = &[
    "public",
    "sector",
    "innovation",
    "partnerships",
    "rust",
    "ownership",
    "borrowing",
    "lifetimes",
    "cooking",
    "cast",
    "iron",
    "seasoning",
    "history",
    "of",
    "the",
    "roman",
    "empire",
    "quantum",
    "mechanics",
    "explained",
    "why",
    "cities",
    "grow",
    "climate",
    "policy",
    "trends",
    "risk",
    "sharing",
    "case",
    "studies",
    "introduction",
    "summary",
    "examples",
    "deep",
    "dive",
    "into",
    "neural",
    "networks",
    "music",
    "theory",
    "for",
    "beginners",
    "chess",
    "openings",
    "gardening",
    "tips",
    "startup",
    "funding",
    "interview",
    "lecture",
];

/// A tiny deterministic generator (64-bit LCG), so every run builds the
/// same titles without pulling in a random-number crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0)
    }

    fn phrase(&mut self, words: usize) -> String {
        let mut text = String::new();
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            let word = WORDS[self.next() % WORDS.len()];
            if i == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(chars.as_str());
                }
            } else {
                text.push_str(word);
            }
        }
        text
    }
}

fn filled() -> NoteSearch {
    let mut search = NoteSearch::new(Arc::new(|| {}));
    let injector = search.injector();
    let mut rng = Lcg(42);
    for n in 0..NOTES {
        let words = 2 + rng.next() % 5;
        let title = rng.phrase(words);
        for h in 0..HEADINGS_PER_NOTE {
            let words = 1 + rng.next() % 4;
            let heading = rng.phrase(words);
            injector.push(
                SearchItem::heading(NoteId(n), h),
                format!("{title}{HEADING_SEPARATOR}{heading}"),
            );
        }
        injector.push(SearchItem::note(NoteId(n)), title);
    }
    drop(injector);
    search.settle();
    search
}

fn keystroke(c: &mut Criterion) {
    let mut search = filled();
    let query = "public sector innovation";
    let prefixes: Vec<&str> = query
        .char_indices()
        .map(|(i, ch)| &query[..i + ch.len_utf8()])
        .collect();

    // Typing: each step appends one character to the previous query.
    c.bench_function("keystroke/append", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let step = usize::try_from(i).unwrap_or(0) % (prefixes.len() - 1);
                search.set_query(prefixes[step]);
                search.settle();
                let start = Instant::now();
                search.set_query(prefixes[step + 1]);
                search.settle();
                total += start.elapsed();
            }
            total
        });
    });

    // Backspace: the new query is shorter, so everything is rescored.
    c.bench_function("keystroke/backspace", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let step = usize::try_from(i).unwrap_or(0) % (prefixes.len() - 1);
                search.set_query(prefixes[step + 1]);
                search.settle();
                let start = Instant::now();
                search.set_query(prefixes[step]);
                search.settle();
                total += start.elapsed();
            }
            total
        });
    });

    // One screenful of hits with highlight indices, as a frame draws it.
    search.set_query("pub sec");
    search.settle();
    c.bench_function("results/page_of_50", |b| {
        b.iter(|| black_box(search.results(0, 50)))
    });
}

/// The vault of 10,000 generated notes: `$VIDWIKI_BENCH_VAULT`, else
/// `/tmp/gen10k`, made by
/// `cargo run --release --example gen_vault -- /tmp/gen10k --notes 10000`.
fn generated_vault() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("VIDWIKI_BENCH_VAULT")
        .map_or_else(|| std::path::PathBuf::from("/tmp/gen10k"), Into::into);
    path.is_dir().then_some(path)
}

/// One keystroke over the items of a real-shaped vault (notes, headings
/// and channel pages as `push_vault` makes them): the query grows by one
/// character, then nucleo is ticked until idle.
fn keystroke_generated(c: &mut Criterion) {
    let Some(root) = generated_vault() else {
        eprintln!(
            "skipping keystroke/gen10k: no vault at /tmp/gen10k (see gen_vault, or set VIDWIKI_BENCH_VAULT)"
        );
        return;
    };
    let Ok(vault) = vidwiki::vault::load(&root) else {
        eprintln!("skipping keystroke/gen10k: cannot load {}", root.display());
        return;
    };
    let mut search = NoteSearch::new(Arc::new(|| {}));
    search.push_vault(&vault);
    search.settle();
    let (_, items) = search.counts();
    eprintln!(
        "keystroke/gen10k: {} notes, {items} items",
        vault.notes.len()
    );
    let query = "public sector innovation";
    let prefixes: Vec<&str> = query
        .char_indices()
        .map(|(i, ch)| &query[..i + ch.len_utf8()])
        .collect();
    c.bench_function("keystroke/gen10k_append", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let step = usize::try_from(i).unwrap_or(0) % (prefixes.len() - 1);
                search.set_query(prefixes[step]);
                search.settle();
                let start = Instant::now();
                search.set_query(prefixes[step + 1]);
                search.settle();
                total += start.elapsed();
            }
            total
        });
    });
}

criterion_group!(benches, keystroke, keystroke_generated);
criterion_main!(benches);
