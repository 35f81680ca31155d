//! Rendering speed: the reference specimen and the largest corpus note.
//! Notes are built by the real loader, so links and timestamps are matched.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use vidwiki::{
    markdown::render,
    vault::{Note, loader::parse_note},
};

fn note(text: &str) -> Note {
    parse_note("bench.md", text.as_bytes())
}

fn largest_corpus_note(root: &Path) -> Option<String> {
    let mut best: Option<(u64, std::path::PathBuf)> = None;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                if best.as_ref().is_none_or(|(s, _)| size > *s) {
                    best = Some((size, path));
                }
            }
        }
    }
    let bytes = std::fs::read(best?.1).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn bench_render(c: &mut Criterion) {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if let Ok(specimen) = std::fs::read_to_string(
        shared.join("format/publicprivate_partnerships_in_technology_and_innovation.md"),
    ) {
        let specimen = note(&specimen);
        c.bench_function("render specimen at 100", |b| {
            b.iter(|| render(&specimen, 100))
        });
    }
    if let Some(text) = largest_corpus_note(&shared.join("corpus")) {
        let large = note(&text);
        c.bench_function("render largest corpus note at 100", |b| {
            b.iter(|| render(&large, 100))
        });
    }
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
