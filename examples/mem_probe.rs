fn rss() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .collect::<Vec<_>>()
        .join(" ")
}
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("dir"));
    let mut v = vidwiki::vault::load(&root).unwrap();
    eprintln!("loaded: {}", rss());
    let text: usize = v.notes.iter().map(|n| n.text.len()).sum();
    let ts: usize = v.notes.iter().map(|n| n.timestamps.len()).sum();
    let links: usize = v.notes.iter().map(|n| n.links.len()).sum();
    eprintln!(
        "text {} MB, {} ts ({} B each), {} links ({} B each), heading {} B, note {} B",
        text / 1_000_000,
        ts,
        std::mem::size_of::<vidwiki::vault::Timestamp>(),
        links,
        std::mem::size_of::<vidwiki::vault::WikiLink>(),
        std::mem::size_of::<vidwiki::vault::Heading>(),
        std::mem::size_of::<vidwiki::vault::Note>()
    );
    for n in &mut v.notes {
        n.text = "".into();
    }
    eprintln!("no text: {}", rss());
    for n in &mut v.notes {
        n.timestamps = Vec::new();
    }
    eprintln!("no timestamps: {}", rss());
    for n in &mut v.notes {
        n.links = Vec::new();
    }
    eprintln!("no links: {}", rss());
    for n in &mut v.notes {
        n.headings = Vec::new();
    }
    eprintln!("no headings: {}", rss());
}
