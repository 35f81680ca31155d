//! Hostile notes: nothing a note holds may make loading or rendering it
//! cost more than about linear time. Each test compares 1x and 8x input in
//! one run with a generous ratio (linear gives about 8, quadratic 64), so
//! a slow or busy machine cannot make them fail.

use std::time::Instant;

use vidwiki::{
    markdown::render,
    vault::{Vault, loader::parse_note},
};

/// Openers left unclosed, markup nested deep, runs that ask "where does it
/// close?" again and again: every pattern that was (or could be) quadratic.
const PATTERNS: &[&str] = &[
    "[",
    "[[",
    "![",
    "[^",
    "[[a",
    "[[a|",
    "![[",
    "[x](",
    "](",
    "<a ",
    "<a href=\"",
    "<a class=\"yt-timestamp\" ",
    "<a class=\"yt-timestamp\" data-t=\"1\">",
    "<a \"",
    "<a '",
    "<",
    "<!--",
    "\\",
    "&#",
    "`a``",
    "``",
    "> ",
    ">",
    "* ",
    "| a ",
    "# [",
    "# <a ",
    "# [x](",
];

/// The shortest of three timings of `f`.
fn best_of_three(f: impl Fn()) -> f64 {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
        .max(1e-6)
}

/// How much longer `f` takes on 8x the input than on 1x.
fn growth(size: usize, f: impl Fn(usize)) -> f64 {
    let small = best_of_three(|| f(size));
    let large = best_of_three(|| f(size * 8));
    large / small
}

/// `pattern` repeated to about `bytes`, on one line or one per line.
fn hostile(pattern: &str, bytes: usize, one_line: bool) -> String {
    let unit = if one_line {
        pattern.to_owned()
    } else {
        format!("{pattern}\n")
    };
    unit.repeat(bytes / unit.len() + 1)
}

const LIMIT: f64 = 30.0;

#[test]
fn loading_a_note_is_linear_whatever_it_holds() {
    let mut slow = Vec::new();
    for pattern in PATTERNS {
        for one_line in [true, false] {
            let ratio = growth(8_000, |bytes| {
                let text = hostile(pattern, bytes, one_line);
                std::hint::black_box(parse_note("h.md", text.as_bytes()));
            });
            if ratio > LIMIT {
                slow.push(format!("{pattern:?} (one line: {one_line}): x{ratio:.1}"));
            }
        }
    }
    assert!(slow.is_empty(), "8x input costs over {LIMIT}x: {slow:#?}");
}

#[test]
fn rendering_a_note_is_linear_whatever_it_holds() {
    let mut slow = Vec::new();
    for pattern in PATTERNS {
        for one_line in [true, false] {
            let notes: Vec<_> = [8_000, 64_000]
                .into_iter()
                .map(|bytes| {
                    let text = hostile(pattern, bytes, one_line);
                    (parse_note("h.md", text.as_bytes()), text)
                })
                .collect();
            let ratio = growth(1, |scale| {
                let (note, text) = &notes[usize::from(scale > 1)];
                std::hint::black_box(render(note, text, 80));
            });
            if ratio > LIMIT {
                slow.push(format!("{pattern:?} (one line: {one_line}): x{ratio:.1}"));
            }
        }
    }
    assert!(slow.is_empty(), "8x input costs over {LIMIT}x: {slow:#?}");
}

/// A note with `count` links to distinct topics without a note.
fn many_topics(count: usize) -> Vault {
    let text: String = (0..count).map(|i| format!("[[topic {i}]] ")).collect();
    let mut vault = Vault::new("v");
    vault.add(parse_note("many.md", text.as_bytes()));
    vault
}

#[test]
fn counting_topics_without_a_note_is_linear_in_distinct_targets() {
    let ratio = growth(10_000, |count| {
        let mut vault = many_topics(count);
        vault.finish();
        assert_eq!(vault.wanted.len(), count);
    });
    assert!(ratio < LIMIT, "80,000 distinct links cost x{ratio:.1}");
}

#[test]
fn one_note_asking_for_a_topic_in_several_spellings_is_one_note() {
    let mut vault = Vault::new("v");
    vault.add(parse_note("a.md", b"[[Foo]] [[foo]] [[FOO]] [[f-o-o]]"));
    vault.add(parse_note("b.md", b"[[foo]]"));
    vault.finish();
    assert_eq!(vault.wanted.len(), 1);
    assert_eq!(vault.wanted[0].links, 5);
    assert_eq!(vault.wanted[0].notes, 2, "two notes ask for it");
}
