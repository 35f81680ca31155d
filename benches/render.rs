//! Rendering speed: the reference specimen and the largest corpus note.
//! Notes are built by the real loader, so links and timestamps are matched.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use vidwiki::{
    markdown::render,
    vault::{Note, loader::parse_note, text_store::read_back},
};

fn note(text: &str) -> Note {
    parse_note("bench.md", text.as_bytes())
}

fn largest_corpus_note(root: &Path) -> Option<std::path::PathBuf> {
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
    best.map(|(_, path)| path)
}

/// Opening a note as the browser does: read its file back (decode,
/// sanitise) and render it.
fn open(path: &Path, note: &Note, width: u16) -> usize {
    let root = path.parent().unwrap_or(path);
    let text = read_back(root, path, &note.path, None).expect("file reads back");
    render(note, &text, width).lines.len()
}

fn bench_render(c: &mut Criterion) {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let specimen_path =
        shared.join("format/publicprivate_partnerships_in_technology_and_innovation.md");
    if let Ok(text) = std::fs::read_to_string(&specimen_path) {
        let specimen = note(&text);
        c.bench_function("render specimen at 100", |b| {
            b.iter(|| render(&specimen, &text, 100))
        });
        c.bench_function("open specimen at 120 (read + render)", |b| {
            b.iter(|| open(&specimen_path, &specimen, 120))
        });
    }
    if let Some(path) = largest_corpus_note(&shared.join("corpus")) {
        let bytes = std::fs::read(&path).expect("corpus note");
        let large = parse_note("bench.md", &bytes);
        let text = large.text.clone().unwrap_or_default();
        c.bench_function("render largest corpus note at 100", |b| {
            b.iter(|| render(&large, &text, 100))
        });
        c.bench_function("open largest corpus note at 120 (read + render)", |b| {
            b.iter(|| open(&path, &large, 120))
        });
    }
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
