//! Writes a deterministic vault shaped like the real ones, for benchmarks:
//! `cargo run --release --example gen_vault -- OUT --notes N [--seed S]`.
//!
//! Shape, taken from the public vault these notes come from (21,273 notes,
//! 166 MB): one folder per channel with a channel index note; notes of about
//! 7.5 KB (median) with a long tail; ~10 wiki-links, ~7 headings and ~35
//! timestamps a note; every link shape of FORMAT.md; about 80% of link
//! targets resolve.

use std::{
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
};

/// The most frequent topic words; the rest of the vocabulary is made up.
const COMMON: &[&str] = &[
    "government",
    "innovation",
    "public",
    "sector",
    "data",
    "policy",
    "model",
    "learning",
    "network",
    "energy",
    "market",
    "strategy",
    "product",
    "design",
    "trust",
    "science",
    "health",
    "climate",
    "finance",
    "growth",
    "platform",
    "community",
    "research",
    "system",
    "training",
    "language",
    "vision",
    "mission",
    "impact",
    "risk",
    "digital",
    "capital",
    "startup",
    "culture",
    "physics",
    "biology",
    "history",
    "economy",
    "security",
    "privacy",
];

/// Syllables of the made-up words.
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pra", "gel", "dor", "fin", "hal", "jun",
    "ber", "cos", "dra", "ent", "ish", "ton", "mar", "quel", "rin", "sto", "tur", "ux", "wen",
    "yal",
];

/// A vocabulary shaped like real text: a few words that are everywhere,
/// and thousands that are rare (so a query matches what it would match in
/// a real vault, not every note).
static VOCABULARY: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let mut words: Vec<String> = COMMON.iter().map(|w| (*w).to_owned()).collect();
    let n = SYLLABLES.len();
    for i in 0..6_000 {
        let mut word = String::new();
        let mut k = i;
        for _ in 0..2 + i % 2 {
            word.push_str(SYLLABLES[k % n]);
            k = k / n + 7 * (i % 5);
        }
        words.push(word);
    }
    words
});

/// A small deterministic generator (xorshift), so every run writes the same vault.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// A word, frequent ones far more often than rare ones (a cube of a
    /// uniform draw leans towards the head of the vocabulary, roughly as
    /// word frequencies do).
    fn word(&mut self) -> &'static str {
        let vocabulary = &*VOCABULARY;
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        let index = ((u * u * u) * vocabulary.len() as f64) as usize;
        &vocabulary[index.min(vocabulary.len() - 1)]
    }
    /// Between `min` and `min + spread - 1` words.
    fn words(&mut self, min: usize, spread: usize) -> String {
        let n = min + self.below(spread);
        (0..n).map(|_| self.word()).collect::<Vec<_>>().join(" ")
    }
}

pub struct Args {
    pub out: PathBuf,
    pub notes: usize,
    pub seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut notes = 10_000;
    let mut seed = 42;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--notes" => {
                notes = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--notes needs a number")?
            }
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--seed needs a number")?
            }
            "-h" | "--help" => return Err(String::new()),
            other => out = Some(PathBuf::from(other)),
        }
    }
    Ok(Args {
        out: out.ok_or("give the output folder")?,
        notes,
        seed: seed.max(1),
    })
}

fn slug(title: &str) -> String {
    vidwiki::vault::key::normalize_key(title)
}

fn clock(seconds: usize) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        (seconds / 60) % 60,
        seconds % 60
    )
}

fn video_id(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    (0..11)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())] as char)
        .collect()
}

struct Planned {
    channel: usize,
    title: String,
    video: usize,
}

#[allow(dead_code)] // unused where benches include this file as a module
fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\nusage: gen_vault OUT --notes N [--seed S]");
            std::process::exit(2);
        }
    };
    if let Err(error) = generate(&args) {
        eprintln!("gen_vault: {error}");
        std::process::exit(1);
    }
}

/// Writes the vault; benches call this through `#[path]` to make theirs.
pub fn generate(args: &Args) -> std::io::Result<()> {
    let mut rng = Rng(args.seed);
    let channels = (args.notes / 250).clamp(1, 400);
    let channel_names: Vec<String> = (0..channels)
        .map(|i| format!("{}{}{i}", rng.word(), rng.word()))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut planned = Vec::with_capacity(args.notes);
    while planned.len() < args.notes {
        let title = {
            let mut t = rng.words(3, 4);
            if let Some(first) = t.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            t
        };
        if !seen.insert(slug(&title)) {
            continue;
        }
        let channel = rng.below(channels);
        planned.push(Planned {
            channel,
            title,
            video: rng.below(40),
        });
    }
    let titles: Vec<&str> = planned.iter().map(|p| p.title.as_str()).collect();
    let mut total = 0usize;
    for (i, note) in planned.iter().enumerate() {
        let text = note_text(&mut rng, note, &channel_names[note.channel], &titles, i);
        total += text.len();
        write(
            &args
                .out
                .join(&channel_names[note.channel])
                .join(format!("{}.md", slug(&note.title))),
            &text,
        )?;
    }
    for (c, name) in channel_names.iter().enumerate() {
        let mut index = format!("---\ntitle: {name}\n---\n");
        let mut by_video: std::collections::BTreeMap<usize, Vec<&Planned>> = Default::default();
        for note in planned.iter().filter(|p| p.channel == c) {
            by_video.entry(note.video).or_default().push(note);
        }
        for (video, notes) in by_video {
            let _ = writeln!(
                index,
                "\n### [{} video {video}](https://www.youtube.com/watch?v={})\n",
                name,
                video_id(&mut rng)
            );
            for note in notes {
                let _ = writeln!(index, "- [[{}]]", slug(&note.title));
            }
        }
        write(&args.out.join(name).join(format!("{name}.md")), &index)?;
    }
    eprintln!(
        "wrote {} notes in {} channels, {:.1} MB, to {}",
        args.notes,
        channels,
        total as f64 / 1e6,
        args.out.display()
    );
    Ok(())
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// One note: ~7.5 KB median with a long tail, links of every shape, 20% of
/// them to topics without a note.
fn note_text(
    rng: &mut Rng,
    note: &Planned,
    channel: &str,
    titles: &[&str],
    index: usize,
) -> String {
    let mut text = format!(
        "---\ntitle: {}\nvideoId: {}\n---\n\nFrom: [[{channel}]] <br/> \n\n",
        note.title,
        video_id(rng)
    );
    let size_class = rng.below(100);
    let sections = match size_class {
        0..=59 => 4 + rng.below(3),
        60..=94 => 7 + rng.below(5),
        _ => 15 + rng.below(40),
    };
    let mut second = 30 + rng.below(120);
    for s in 0..sections {
        let level = if s == 0 || rng.below(3) > 0 {
            "##"
        } else {
            "###"
        };
        let _ = writeln!(text, "{level} {}\n", capitalised(&rng.words(2, 3)));
        for _ in 0..2 + rng.below(3) {
            let bullet = rng.below(3) == 0;
            let mut sentence = String::new();
            if bullet {
                sentence.push_str("* **");
                sentence.push_str(&capitalised(&rng.words(3, 1)));
                sentence.push_str("** ");
            }
            sentence.push_str(&capitalised(&rng.words(10, 20)));
            if rng.below(5) < 2 {
                sentence.push(' ');
                sentence.push_str(&link(rng, titles, index));
                sentence.push(' ');
                sentence.push_str(&rng.words(4, 8));
            }
            for _ in 0..1 + rng.below(2) {
                second += 5 + rng.below(90);
                let t = clock(second);
                let _ = write!(
                    sentence,
                    " <a class=\"yt-timestamp\" data-t=\"{t}\">[{t}]</a>"
                );
            }
            sentence.push('.');
            text.push_str(&sentence);
            text.push_str(if bullet { "\n" } else { "\n\n" });
        }
        text.push('\n');
    }
    text.truncate(text.trim_end().len());
    text
}

fn capitalised(s: &str) -> String {
    let mut s = s.to_owned();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

fn link(rng: &mut Rng, titles: &[&str], index: usize) -> String {
    let shown = rng.words(2, 2);
    if rng.below(5) == 0 {
        return format!("[[{} | {shown}]]", slug(&rng.words(3, 1)));
    }
    let target = titles[(index + 1 + rng.below(titles.len().max(2) - 1)) % titles.len()];
    match rng.below(6) {
        1 => format!("[[{}|{shown}]]", slug(target)),
        2 => format!("[[{target}]]"),
        3 => format!("[[{}]]", slug(target)),
        4 => format!("[[{}#{}|{shown}]]", slug(target), "Overview"),
        // 0 and 5: spaced pipes, the most common shape in real notes.
        _ => format!("[[{} | {shown}]]", slug(target)),
    }
}
