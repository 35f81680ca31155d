//! Deterministic tests: every wait is `settle()`, which ticks until nucleo
//! is idle; nothing sleeps.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use super::*;
use crate::vault::TitleSource;

fn note(title: &str, headings: &[&str]) -> Note {
    note_in(title, headings, None)
}

fn note_in(title: &str, headings: &[&str], channel: Option<&str>) -> Note {
    let mut note = Note::empty(&format!("{}.md", title.replace(['/', '\\'], "-")));
    note.title = title.to_owned();
    note.title_source = TitleSource::FrontMatter;
    note.channel = channel.map(str::to_owned);
    for (text, line) in headings.iter().zip(1..) {
        note.headings.add(|h| h.push_keyed(2, text, line, 0));
    }
    note.text = Some(Arc::from(""));
    note.parsed = true;
    note
}

fn vault(notes: Vec<Note>) -> Vault {
    let mut v = Vault::new("x");
    for n in notes {
        v.add(n);
    }
    v.finish();
    v
}

fn quiet() -> NoteSearch {
    NoteSearch::new(Arc::new(|| {}))
}

fn loaded(v: &Vault) -> NoteSearch {
    let mut s = quiet();
    s.push_vault(v);
    s.settle();
    s
}

fn texts(s: &mut NoteSearch) -> Vec<String> {
    s.results(0, u32::MAX).into_iter().map(|h| h.text).collect()
}

fn find(s: &mut NoteSearch, query: &str) -> Vec<String> {
    s.set_query(query);
    s.settle();
    texts(s)
}

/// A small vault in the shape of the example.
fn sample() -> Vault {
    vault(vec![
        note(
            "Publicprivate partnerships…",
            &[
                "Public sector innovation trends",
                "Risk sharing",
                "Case studies",
            ],
        ),
        note("Public sector innovation", &["Why it fails", "Examples"]),
        note("Rust ownership", &["Borrowing", "Lifetimes"]),
        note("Cooking with cast iron", &["Seasoning", "Cleaning"]),
    ])
}

#[test]
fn exact_title_ranks_above_heading_containing_the_words() {
    let v = sample();
    let hits = search_vault(&v, "public sector innovation", Scope::All, 10);
    assert_eq!(hits[0].text, "Public sector innovation");
    assert_eq!(hits[0].item, SearchItem::note(NoteId(1)));
    let heading = hits
        .iter()
        .position(|h| h.text == "Publicprivate partnerships… › Public sector innovation trends")
        .expect("the heading matches too");
    assert!(heading > 0);
    assert!(hits[0].score >= hits[heading].score);
}

#[test]
fn exact_title_ranks_above_heading_that_is_the_same_words() {
    // The heading's own text equals the query; the note title still wins.
    let v = vault(vec![
        note("AI", &["Public sector innovation"]),
        note("Public sector innovation", &[]),
    ]);
    let hits = search_vault(&v, "public sector innovation", Scope::All, 10);
    let order: Vec<&str> = hits.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(
        order,
        ["Public sector innovation", "AI › Public sector innovation"]
    );
}

#[test]
fn empty_query_lists_everything() {
    let v = sample();
    let mut s = loaded(&v);
    // 4 notes + 9 headings; no channels.
    assert_eq!(s.counts(), (13, 13));
    assert_eq!(s.results(0, 100).len(), 13);
    assert!(
        s.results(0, 100)
            .iter()
            .all(|h| h.indices.is_empty() && h.score == 0)
    );
    // Push order: a note, then its headings.
    let first: Vec<SearchItem> = s.results(0, 3).into_iter().map(|h| h.item).collect();
    assert_eq!(
        first,
        [
            SearchItem::note(NoteId(0)),
            SearchItem::heading(NoteId(0), 0),
            SearchItem::heading(NoteId(0), 1)
        ]
    );
}

#[test]
fn negation_excludes() {
    let mut s = loaded(&sample());
    let all = find(&mut s, "public");
    assert!(all.iter().any(|t| t.starts_with("Publicprivate")));
    let without = find(&mut s, "public !partner");
    assert!(!without.is_empty());
    assert!(
        without.iter().all(|t| !t.contains("partner")),
        "{without:?}"
    );
    assert!(without.contains(&"Public sector innovation".to_owned()));
}

#[test]
fn quote_means_exact_substring() {
    let mut s = loaded(&sample());
    // Fuzzy "rsi" matches "Rust ownership" (R..s..i) among others.
    assert!(find(&mut s, "rsi").contains(&"Rust ownership".to_owned()));
    // Quoted, it must appear contiguously: "rsi" is in no text.
    assert!(find(&mut s, "'rsi").is_empty());
    let exact = find(&mut s, "'ship");
    assert!(!exact.is_empty());
    assert!(
        exact.iter().all(|t| t.to_lowercase().contains("ship")),
        "{exact:?}"
    );
    assert!(!exact.contains(&"Cooking with cast iron › Seasoning".to_owned()));
}

#[test]
fn caret_anchors_to_the_start() {
    let mut s = loaded(&sample());
    let hits = find(&mut s, "^cook");
    // Equal scores: the shorter text first.
    assert_eq!(
        hits,
        [
            "Cooking with cast iron",
            "Cooking with cast iron › Cleaning",
            "Cooking with cast iron › Seasoning"
        ]
    );
    // Heading text is not at the start, so `^seasoning` finds nothing.
    assert!(find(&mut s, "^seasoning").is_empty());
}

#[test]
fn dollar_anchors_to_the_end() {
    let mut s = loaded(&sample());
    assert_eq!(find(&mut s, "lifetimes$"), ["Rust ownership › Lifetimes"]);
}

#[test]
fn smart_case() {
    let mut s = loaded(&sample());
    assert!(find(&mut s, "rust").contains(&"Rust ownership".to_owned()));
    assert!(find(&mut s, "Rust").contains(&"Rust ownership".to_owned()));
    assert!(find(&mut s, "RUST").is_empty());
}

#[test]
fn scope_filters_inside_nucleo_so_counts_are_exact() {
    let v = vault(vec![
        note_in("Veritasium video", &["Intro"], Some("Veritasium")),
        note_in("Another", &["Veritasium mention"], Some("Kurzgesagt")),
    ]);
    let mut s = loaded(&v);
    // 2 notes + 2 headings + 2 channel pages.
    assert_eq!(s.counts(), (6, 6));

    s.set_scope(Scope::Headings);
    s.settle();
    assert_eq!(s.counts(), (2, 6));
    assert!(
        s.results(0, 10)
            .iter()
            .all(|h| h.item.kind() == ItemKind::Heading)
    );

    s.set_scope(Scope::Notes);
    s.settle();
    assert_eq!(s.counts(), (4, 6));
    let kinds: Vec<ItemKind> = s.results(0, 10).iter().map(|h| h.item.kind()).collect();
    assert!(!kinds.contains(&ItemKind::Heading));
    assert!(kinds.contains(&ItemKind::Channel));

    s.set_query("veritasium");
    s.settle();
    let hits = s.results(0, 10);
    assert_eq!(s.counts().0, 2);
    assert!(
        hits.iter()
            .any(|h| h.item == SearchItem::channel(ChannelId(1)))
    );
    assert!(hits.iter().any(|h| h.item == SearchItem::note(NoteId(0))));
    // Highlights ignore the kind column.
    assert!(hits.iter().all(|h| !h.indices.is_empty()));

    s.set_scope(Scope::Headings);
    s.settle();
    let mut headings = texts(&mut s);
    headings.sort();
    assert_eq!(
        headings,
        ["Another › Veritasium mention", "Veritasium video › Intro"]
    );

    s.set_scope(Scope::All);
    s.settle();
    assert_eq!(s.counts().0, 4);
}

#[test]
fn scope_cycles_and_has_labels() {
    assert_eq!(Scope::default(), Scope::All);
    assert_eq!(Scope::All.next(), Scope::Notes);
    assert_eq!(Scope::Notes.next(), Scope::Headings);
    assert_eq!(Scope::Headings.next(), Scope::Bookmarks);
    assert_eq!(Scope::Bookmarks.next(), Scope::All);
    let labels: Vec<&str> = [Scope::All, Scope::Notes, Scope::Headings, Scope::Bookmarks]
        .map(Scope::label)
        .to_vec();
    assert_eq!(labels, ["all", "notes", "headings", "bookmarks"]);
}

#[test]
fn channel_with_an_index_note_is_not_listed_twice() {
    let v = vault(vec![
        note_in("Video one", &[], Some("Veritasium")),
        note("Veritasium", &[]),
    ]);
    assert!(v.channels[0].index_note.is_some());
    let hits = search_vault(&v, "veritasium", Scope::All, 10);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].item, SearchItem::note(NoteId(1)));
}

#[test]
fn items_pushed_after_the_query_show_up_after_a_tick() {
    let v = sample();
    let mut s = quiet();
    let injector = s.injector();
    s.set_query("rust");
    s.settle();
    assert_eq!(s.counts(), (0, 0));
    assert!(s.running(), "a live injector means still loading");

    injector.push_note(NoteId(2), v.note(NoteId(2)));
    s.settle();
    assert_eq!(texts(&mut s)[0], "Rust ownership");

    // From another thread, as the loader does.
    let from_thread = injector.clone();
    let other = note("Rust async", &[]);
    std::thread::spawn(move || from_thread.push_note(NoteId(7), &other))
        .join()
        .expect("pusher thread");
    s.settle();
    assert!(texts(&mut s).contains(&"Rust async".to_owned()));

    drop(injector);
    assert!(!s.running());
}

#[test]
fn notify_fires_on_push() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let s = NoteSearch::new(Arc::new(move || {
        counter.fetch_add(1, Ordering::Relaxed);
    }));
    s.push_note(NoteId(0), &note("One", &["A"]));
    assert!(calls.load(Ordering::Relaxed) >= 2);
}

#[test]
fn backspacing_rescores_instead_of_appending() {
    let v = vault(vec![
        note("alpha", &[]),
        note("abacus", &[]),
        note("banana", &[]),
    ]);
    let mut s = loaded(&v);
    assert_eq!(find(&mut s, "a").len(), 3);
    assert_eq!(find(&mut s, "ab").len(), 1);
    // `a` does not start with `ab`: a wrong append would keep one match.
    assert_eq!(find(&mut s, "a").len(), 3);
    assert_eq!(find(&mut s, "").len(), 3);
}

#[test]
fn appending_after_a_negation_or_anchor_still_finds_everything() {
    let v = vault(vec![
        note("foo", &[]),
        note("xfoo$bar", &[]),
        note("foo bar", &[]),
    ]);
    let mut s = loaded(&v);
    assert_eq!(find(&mut s, "!bar").len(), 1);
    assert_eq!(find(&mut s, "!bar !baz").len(), 1);
    // A growing negation (a substring atom) excludes less: `!fo` leaves
    // nothing, `!fob` everything again.
    assert!(find(&mut s, "!fo").is_empty());
    assert_eq!(find(&mut s, "!fob"), ["foo", "foo bar", "xfoo$bar"]);
    // `foo$` is a suffix anchor; `foo$bar` is plain text again.
    assert_eq!(find(&mut s, "foo$"), ["foo"]);
    assert_eq!(find(&mut s, "foo$bar"), ["xfoo$bar"]);
    // `foo\` then `foo\ bar` (an escaped space).
    assert!(find(&mut s, "foo\\").is_empty());
    assert_eq!(find(&mut s, "foo\\ bar"), ["foo bar"]);
}

#[test]
fn a_typed_space_keeps_the_results_and_takes_new_items() {
    let v = sample();
    let mut s = loaded(&v);
    let before = find(&mut s, "public");
    let injector = s.injector();
    injector.push(SearchItem::note(NoteId(9)), "Public talks");
    drop(injector);
    let after = find(&mut s, "public ");
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(&"Public talks".to_owned()));
    // Narrowing from there finds what a fresh search finds.
    let mut fresh = quiet();
    fresh.push_vault(&v);
    fresh
        .injector()
        .push(SearchItem::note(NoteId(9)), "Public talks");
    fresh.settle();
    assert_eq!(find(&mut s, "public ta"), find(&mut fresh, "public ta"));
}

#[test]
fn can_append_rules() {
    assert!(can_append("", "a"));
    assert!(can_append("a", "ab"));
    assert!(can_append("a", "a b"));
    assert!(can_append("a", "a$"));
    assert!(!can_append("ab", "a"));
    assert!(!can_append("a$", "a$b"));
    assert!(!can_append("a\\", "a\\ b"));
}

#[test]
fn empty_vault() {
    let v = vault(Vec::new());
    let mut s = loaded(&v);
    assert_eq!(s.counts(), (0, 0));
    assert!(s.results(0, 10).is_empty());
    assert!(find(&mut s, "anything").is_empty());
    assert!(!s.running());
    assert!(search_vault(&v, "x", Scope::Headings, 5).is_empty());
}

#[test]
fn result_ranges_are_clamped() {
    let mut s = loaded(&sample());
    s.set_query("zzzzzz");
    s.settle();
    for (offset, count) in [
        (0, 0),
        (0, 1),
        (1, 0),
        (5, 5),
        (u32::MAX, u32::MAX),
        (0, u32::MAX),
    ] {
        assert!(s.results(offset, count).is_empty());
    }
    s.set_query("");
    s.settle();
    assert_eq!(s.results(12, 5).len(), 1);
    assert_eq!(s.results(13, 5).len(), 0);
    assert_eq!(s.results(u32::MAX, 1).len(), 0);
    assert_eq!(s.results(3, u32::MAX).len(), 10);
    assert_eq!(s.results(0, 0).len(), 0);
}

#[test]
fn limit_is_respected() {
    let hits = search_vault(&sample(), "", Scope::All, 3);
    assert_eq!(hits.len(), 3);
}

#[test]
fn highlight_indices_are_sorted_grapheme_indices() {
    let v = vault(vec![
        note("Cafe\u{301} society", &[]),
        note("日本語のノート", &[]),
        note("Rust ownership", &["Borrowing"]),
    ]);
    let mut s = loaded(&v);

    s.set_query("society");
    s.settle();
    let hit = &s.results(0, 1)[0];
    // "Café " is five graphemes although it is six chars.
    assert_eq!(hit.indices, (5..12).collect::<Vec<u32>>());

    s.set_query("ノート");
    s.settle();
    assert_eq!(s.results(0, 1)[0].indices, [4, 5, 6]);

    // Two atoms matching the same letters: sorted and deduplicated.
    s.set_query("own own ship");
    s.settle();
    let hit = &s.results(0, 1)[0];
    assert_eq!(hit.text, "Rust ownership");
    assert_eq!(hit.indices, [5, 6, 7, 10, 11, 12, 13]);

    // Matches in the note-title part of a heading are highlighted there.
    s.set_query("rust borrow");
    s.settle();
    let hit = &s.results(0, 1)[0];
    assert_eq!(hit.text, "Rust ownership › Borrowing");
    assert_eq!(hit.indices, [0, 1, 2, 3, 17, 18, 19, 20, 21, 22]);
}

#[test]
fn odd_text_never_panics() {
    let v = vault(vec![
        note("", &["", "\u{301}"]),
        note("\u{fffd}\u{2400}\u{200d}", &["👨\u{200d}👩\u{200d}👧"]),
        note("a\tb", &[]),
    ]);
    let mut s = loaded(&v);
    for query in [
        "", " ", "!", "^", "$", "'", "\\", "^$", "!^$", "\u{301}", "👩", "\\ ", "a\\ ",
    ] {
        s.set_query(query);
        s.settle();
        for hit in s.results(0, 100) {
            let graphemes = highlight_spans(
                &hit.text,
                &hit.indices,
                Default::default(),
                Default::default(),
            );
            let joined: String = graphemes.iter().map(|g| g.content.as_ref()).collect();
            assert_eq!(joined, hit.text);
        }
    }
}

#[test]
fn restart_drops_items_and_disconnects_old_injectors() {
    let v = sample();
    let mut s = loaded(&v);
    let old = s.injector();
    s.set_query("rust");
    s.restart();
    s.settle();
    assert_eq!(s.counts(), (0, 0));
    old.push_note(NoteId(2), v.note(NoteId(2)));
    drop(old);
    s.settle();
    assert_eq!(s.counts(), (0, 0));
    s.push_vault(&v);
    s.settle();
    assert_eq!(texts(&mut s)[0], "Rust ownership");
    assert_eq!(s.query(), "rust");
}

#[test]
fn debug_is_readable() {
    let s = quiet();
    let text = format!("{s:?}");
    assert!(text.starts_with("NoteSearch"), "{text}");
    assert!(format!("{:?}", s.injector()).contains("injected"));
}

#[test]
fn heading_separator_matches_like_ascii_and_keeps_indices() {
    assert!(matches!(
        haystack("Rust › Borrowing"),
        Utf32String::Ascii(_)
    ));
    assert!(matches!(haystack("Café › Menu"), Utf32String::Unicode(_)));
    assert!(matches!(haystack("Plain"), Utf32String::Ascii(_)));
    // Same scores with and without the ASCII stand-in.
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern =
        nucleo::pattern::Pattern::parse("rust borrow", CaseMatching::Smart, Normalization::Smart);
    let fast = haystack("Rust ownership › Borrowing");
    let slow = Utf32String::from("Rust ownership › Borrowing");
    assert_eq!(
        pattern.score(fast.slice(..), &mut matcher),
        pattern.score(slow.slice(..), &mut matcher)
    );
    // The text shown keeps its `›`.
    let v = vault(vec![note("Rust ownership", &["Borrowing"])]);
    let hits = search_vault(&v, "borrow", Scope::Headings, 5);
    assert_eq!(hits[0].text, "Rust ownership › Borrowing");
    assert_eq!(hits[0].indices, [17, 18, 19, 20, 21, 22]);
}

#[test]
fn handles_cross_threads() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<NoteSearch>();
    send_sync::<SearchInjector>();
    send_sync::<Hit>();
}

#[test]
fn shown_text_survives_the_ascii_haystack() {
    for text in [
        "Plain title",
        "Title › Heading",
        "Café › Crème",
        "a › b › c",
        "日本語",
        "x>y › z",
        "e\u{301} combining",
    ] {
        let display = super::Display::of(text);
        assert_eq!(
            display.text(super::haystack(text).slice(..)),
            text,
            "{text}"
        );
    }
}

mod nucleo_parity;
mod oneshot;
mod shared_titles;
