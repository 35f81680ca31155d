use rayon::prelude::*;
use std::time::Instant;
use vidwiki::vault::{Vault, loader};
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("dir"));
    let t = Instant::now();
    let walk = loader::walk(&root).unwrap();
    eprintln!("walk {:?} {}", t.elapsed(), walk.files.len());
    let t = Instant::now();
    let bytes: Vec<Vec<u8>> = walk
        .files
        .par_iter()
        .map(|f| std::fs::read(&f.path).unwrap())
        .collect();
    eprintln!("read {:?}", t.elapsed());
    let t = Instant::now();
    let n: usize = bytes
        .par_iter()
        .map(|b| vidwiki::text::sanitize_source(std::str::from_utf8(b).unwrap_or("")).len())
        .sum();
    eprintln!("utf8+sanitize {:?} {n}", t.elapsed());
    pieces(&bytes);
    let t = Instant::now();
    let notes: Vec<_> = walk
        .files
        .par_iter()
        .zip(bytes.par_iter())
        .map(|(f, b)| loader::parse_note(&f.relative, b))
        .collect();
    eprintln!("parse {:?}", t.elapsed());
    drop(bytes);
    let t = Instant::now();
    let mut v = Vault::new(&root);
    for n in notes {
        v.add(n);
    }
    eprintln!("add {:?}", t.elapsed());
    let t = Instant::now();
    v.finish();
    eprintln!("finish {:?}", t.elapsed());
}
#[allow(dead_code)]
fn pieces(bytes: &[Vec<u8>]) {
    let t = Instant::now();
    let texts: Vec<String> = bytes
        .iter()
        .map(|b| vidwiki::text::sanitize_source(&String::from_utf8_lossy(b)).into_owned())
        .collect();
    eprintln!("1thread sanitize {:?}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    for text in &texts {
        let s = vidwiki::vault::frontmatter::split(text);
        if let Some(y) = s.yaml {
            n += vidwiki::vault::frontmatter::parse(y, 2).0.fields.len();
        }
    }
    eprintln!("1thread frontmatter {:?} {n}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    for text in &texts {
        n += vidwiki::vault::scan::scan(text, 0, 1).links.len();
    }
    eprintln!("1thread scan {:?} {n}", t.elapsed());
}
