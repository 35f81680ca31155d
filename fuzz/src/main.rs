//! Load+render fuzzing for one note, on stable Rust: a seeded mutation
//! loop. Each case is built from hostile pieces (openers left unclosed,
//! entities, control bytes, invalid UTF-8, YAML anchors, deep nesting),
//! mutated (byte flips, splices, repeats that make long lines), then
//! parsed and rendered at several widths under `catch_unwind`, with
//! checks: no panic; every range of the index slices the text; no control
//! character in what is rendered; no line wider than the pane; time per
//! byte within a bound (a quadratic path shows as a slow case, which is
//! saved). Findings are written to `fuzz/findings/`.
//!
//! `cargo run --release -- [--seconds N] [--seed S]`

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    time::{Duration, Instant},
};

use vidwiki::{markdown::render, vault::loader::parse_note};

const PIECES: &[&[u8]] = &[
    b"---\n",
    b"title: x\n",
    b"title: &a [x, *a]\n",
    b"a: *a\n",
    b"...\n",
    b"[[",
    b"]]",
    b"[",
    b"]",
    b"(",
    b")",
    b"](",
    b"![",
    b"|",
    b"#",
    b"\\",
    b"`",
    b"```\n",
    b"~~~\n",
    b"\n",
    b"\r\n",
    b"\t",
    b"<a class=\"yt-timestamp\" data-t=\"",
    b"00:05:17\">[00:05:17]</a>",
    b"<a ",
    b"</a>",
    b"<!--",
    b"-->",
    b"<b>",
    b"<br/>",
    b"<img alt=\"",
    b"\"",
    b"'",
    b">",
    b"<",
    b"> ",
    b"* ",
    b"1. ",
    b"- [ ] ",
    b"| a | b |\n|---|---|\n",
    b"[^1]",
    b"[^1]: ",
    b"$",
    b"$$\n",
    b"&#27;",
    b"&#x9b;",
    b"&amp;",
    b"&",
    b"From: ",
    b"e\xcc\x81",
    b"\xe6\x97\xa5",
    b"\xf0\x9f\x98\x80",
    b"\xff\xfe",
    b"\x1b[2J",
    b"\x1b]52;c;eA==\x07",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"\xe2\x81\xa8",
    b"word ",
    b"http://x.y ",
    b"=\n",
    b"-\n",
    b"> [!note] ",
    b"[x]: http://u\n",
    b"**",
    b"__",
];

/// xorshift64*: small, seeded, good enough to pick pieces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn case(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(64) {
        out.extend_from_slice(PIECES[rng.below(PIECES.len())]);
    }
    // Mutations: flips, splices, and a long repeat (long lines are where
    // quadratic scanning hides).
    for _ in 0..rng.below(4) {
        match rng.below(4) {
            0 if !out.is_empty() => {
                let at = rng.below(out.len());
                out[at] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let at = rng.below(out.len());
                let len = rng.below(out.len() - at);
                let piece = out[at..at + len].to_vec();
                let to = rng.below(out.len());
                out.splice(to..to, piece);
            }
            2 => {
                let piece = PIECES[rng.below(PIECES.len())];
                let most = if rng.below(8) == 0 { 20_000 } else { 200 };
                let times = 1 + rng.below(most);
                let at = rng.below(out.len() + 1);
                out.splice(at..at, piece.repeat(times));
            }
            _ => {}
        }
    }
    out
}

/// Checks one case; `Err` describes a finding.
fn check(bytes: &[u8]) -> Result<(), String> {
    let note = parse_note("fuzz/n.md", bytes);
    let text = note.text.clone().unwrap_or_default();
    for link in &note.links {
        text.get(link.range.clone())
            .ok_or_else(|| format!("link range {:?} does not slice the text", link.range))?;
    }
    for stamp in &note.timestamps {
        text.get(stamp.range.clone())
            .ok_or_else(|| format!("timestamp range {:?} does not slice", stamp.range))?;
    }
    for width in [1u16, 10, 37, 80] {
        let rendered = render(&note, &text, width);
        for line in &rendered.lines {
            for span in &line.spans {
                if span
                    .content
                    .chars()
                    .any(|c| c.is_control() || ('\u{80}'..='\u{9f}').contains(&c))
                {
                    return Err(format!("control character rendered: {:?}", span.content));
                }
            }
            let columns = line.width();
            if width >= 10 && columns > usize::from(width) {
                return Err(format!("line of {columns} columns in a pane of {width}"));
            }
        }
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    if let Some(i) = args.iter().position(|a| a == "--replay") {
        for path in &args[i + 1..] {
            let input = std::fs::read(path).expect("readable case");
            let note = parse_note("fuzz/n.md", &input);
            let text = note.text.clone().unwrap_or_default();
            for stamp in &note.timestamps {
                println!(
                    "timestamp {:?} {:?}",
                    stamp.range,
                    text.get(stamp.range.clone())
                );
            }
            println!("{path}: {:?}", check(&input));
        }
        return;
    }
    let seconds = arg("--seconds").unwrap_or(60);
    let seed = arg("--seed").unwrap_or(0x5eed_1234_abcd);
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let findings_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("findings");
    let (mut runs, mut bytes_total, mut findings, mut slowest) = (0u64, 0u64, 0u64, 0f64);
    std::panic::set_hook(Box::new(|_| {}));
    while started.elapsed() < Duration::from_secs(seconds) {
        let input = case(&mut rng);
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&input)));
        let took = t.elapsed().as_secs_f64();
        // Linear work is well under a microsecond per byte per render
        // width; allow 50 µs per byte (plus 50 ms) before calling it slow.
        let slow = took > 0.05 + input.len() as f64 * 50e-6;
        let problem = match outcome {
            Err(panic) => Some(format!(
                "panic: {}",
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default()
            )),
            Ok(Err(finding)) => Some(finding),
            Ok(Ok(())) if slow => Some(format!("slow: {took:.3}s for {} bytes", input.len())),
            Ok(Ok(())) => None,
        };
        if let Some(problem) = problem {
            findings += 1;
            let _ = std::fs::create_dir_all(&findings_dir);
            let name = findings_dir.join(format!("case-{runs}.md"));
            let _ = std::fs::write(&name, &input);
            eprintln!("finding {findings}: {problem} ({})", name.display());
        }
        runs += 1;
        bytes_total += input.len() as u64;
        slowest = slowest.max(took / (input.len().max(1) as f64));
    }
    println!(
        "{runs} executions, {:.1} MB, {findings} findings, slowest {:.2} µs/byte, seed {seed:#x}, {seconds} s",
        bytes_total as f64 / 1e6,
        slowest * 1e6
    );
}
