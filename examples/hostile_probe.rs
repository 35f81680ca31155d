//! Growth of the loader's scan and the renderer on hostile notes: each
//! pattern is repeated to n and 8n bytes (on one line, then one per line)
//! and the time ratio printed. Linear code gives about 8.
//! `cargo run --release --example hostile_probe -- [BYTES]`
use std::time::Instant;

use vidwiki::{markdown::render, vault::loader::parse_note};

const PATTERNS: &[&str] = &[
    "[",
    "[[",
    "]]",
    "<a ",
    "\\",
    "![",
    "](",
    "&#",
    "<",
    "`",
    "``",
    "[[a",
    "[x](",
    "[x]",
    "[^",
    "<a class=\"yt-timestamp\" ",
    "<a class=\"yt-timestamp\" data-t=\"1\">",
    "|",
    "| a ",
    "> ",
    "* ",
    "<!--",
    "<b ",
    "*",
    "_",
    "**a ",
    "~~",
    "$",
    "[x]: ",
    "<a href=\"",
    "&amp;",
    "#",
    "---\n",
    "```",
    "[[a]] ",
    "[[a|",
    "[[a#",
    "![[",
    "<img alt=\"",
    "<",
    "&",
    "&#1",
    "x ",
    "[a](b) ",
    "<a class=\"yt-timestamp\" data-t=\"1\">[1]</a> ",
    "\"",
    "'",
    "(",
    ")",
    "<a \"",
    "<a '",
    "<a \"'",
    "# [",
    "# [[",
    "# <a ",
    "# [x](",
    "# <",
    "`a``",
    "\\[",
    "> [!",
    "[\\]",
    "</a>",
    "<a class=yt-timestamp>",
    "[[\u{2068}",
    "http://",
    "www.",
    "<http://",
    "1. ",
    "- [ ] ",
    ">",
    "\t",
    "  \n",
    "=\n",
];

fn time(f: impl Fn()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let only: Option<String> = std::env::args().nth(2);
    for pattern in PATTERNS {
        if only.as_ref().is_some_and(|o| o != pattern) {
            continue;
        }
        for sep in ["", "\n"] {
            let unit = format!("{pattern}{sep}");
            let make = |size: usize| unit.repeat(size / unit.len() + 1);
            let (small, large) = (make(n), make(8 * n));
            let scan = |t: &str| {
                let _ = parse_note("p.md", t.as_bytes());
            };
            let (note1, note8) = (
                parse_note("p.md", small.as_bytes()),
                parse_note("p.md", large.as_bytes()),
            );
            let (s1, s8) = (time(|| scan(&small)), time(|| scan(&large)));
            let (r1, r8) = (
                time(|| drop(render(&note1, &small, 80))),
                time(|| drop(render(&note8, &large, 80))),
            );
            let flag = if s8 / s1.max(1e-6) > 20.0 || r8 / r1.max(1e-6) > 20.0 {
                "  <-- SLOW"
            } else {
                ""
            };
            println!(
                "{:>40} scan {:7.2}ms x{:5.1}  render {:8.2}ms x{:5.1}{flag}",
                format!("{unit:?}"),
                s8 * 1e3,
                s8 / s1.max(1e-6),
                r8 * 1e3,
                r8 / r1.max(1e-6)
            );
        }
    }
}
