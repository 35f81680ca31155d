//! The picker engine against nucleo's own `Nucleo` on a generated vault:
//! the same ranking, every match reachable, bounds that hold.

use super::*;

/// A deterministic vault of `notes` notes with headings, from a small
/// word list (many shared words, so short queries tie a lot).
pub(super) fn generated(notes: usize) -> Vault {
    const WORDS: &[&str] = &[
        "public",
        "sector",
        "innovation",
        "machine",
        "learning",
        "policy",
        "data",
        "Pub",
        "market",
        "map",
        "amplify",
        "Python",
        "publication",
        "space",
        "upgrade",
        "case",
        "studies",
        "mAchine",
        "ma",
        "pu",
        "sea-level",
        "what/why",
        "2024",
        "x86_64",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).unwrap_or(0)
    };
    let mut phrase = |len: usize| -> String {
        (0..len)
            .map(|_| WORDS[next(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut all = Vec::new();
    for i in 0..notes {
        let title = format!("{} {i}", phrase(1 + i % 5));
        let headings: Vec<String> = (0..i % 4).map(|h| phrase(1 + h)).collect();
        let refs: Vec<&str> = headings.iter().map(String::as_str).collect();
        all.push(note(&title, &refs));
    }
    vault(all)
}

/// The ranking nucleo's own worker gives (the engine before this one):
/// the same items in the same order, through `Nucleo`.
pub(super) fn nucleo_top(v: &Vault, query: &str, count: usize) -> Vec<(SearchItem, u32)> {
    let mut nucleo: nucleo::Nucleo<SearchItem> =
        nucleo::Nucleo::new(Config::DEFAULT, Arc::new(|| {}), Some(1), 1);
    let injector = nucleo.injector();
    let mut reference = quiet();
    reference.push_vault(v);
    reference.settle();
    // Same items, same order, same haystacks as the store.
    for idx in 0..reference.store.len() {
        let item = reference.store.items[idx as usize];
        let hay: Utf32String = reference.store.with_haystack(idx, |hay| match hay {
            Utf32Str::Ascii(bytes) => String::from_utf8_lossy(bytes).as_ref().into(),
            Utf32Str::Unicode(chars) => chars.iter().collect::<String>().as_str().into(),
        });
        injector.push(item, move |_, columns| columns[0] = hay);
    }
    nucleo
        .pattern
        .reparse(0, query, CaseMatching::Smart, Normalization::Smart, false);
    while nucleo.tick(10).running {}
    let snapshot = nucleo.snapshot();
    let end = snapshot
        .matched_item_count()
        .min(u32::try_from(count).unwrap_or(u32::MAX));
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = parse(query);
    snapshot
        .matched_items(..end)
        .map(|item| {
            let score = pattern
                .score(item.matcher_columns[0].slice(..), &mut matcher)
                .unwrap_or(0);
            (*item.data, score)
        })
        .collect()
}

#[test]
fn top_twenty_equals_nucleos_own_ranking_on_a_generated_vault() {
    let v = generated(3_000);
    let mut s = loaded(&v);
    for query in [
        "p",
        "pu",
        "pub",
        "publ",
        "public s",
        "m",
        "ma",
        "mac",
        "machine l",
        "x",
        "xyz",
        "a",
        "Pub",
        "mA",
        "2",
        "86",
        "s/",
        "^pub",
        "'case",
        "data$",
        "!public",
        "pub !sector",
        "sea level",
        "what why",
        "p u b",
    ] {
        let want = nucleo_top(&v, query, 20);
        s.set_query(query);
        s.settle();
        let got: Vec<(SearchItem, u32)> = s
            .results(0, 20)
            .into_iter()
            .map(|h| (h.item, h.score))
            .collect();
        assert_eq!(got, want, "{query}");
    }
}

#[test]
fn every_match_stays_reachable_in_nucleos_order() {
    let v = generated(800);
    let mut s = loaded(&v);
    for query in ["p", "ma", "pub sec"] {
        let want = nucleo_top(&v, query, usize::MAX);
        s.set_query(query);
        s.settle();
        // Page by page, as the picker fetches while scrolling.
        let mut got = Vec::new();
        while let page = s.results(u32::try_from(got.len()).unwrap_or(u32::MAX), 150)
            && !page.is_empty()
        {
            got.extend(page.into_iter().map(|h| (h.item, h.score)));
        }
        assert_eq!(got, want, "{query}");
        assert_eq!(s.counts().0 as usize, want.len());
    }
}

#[test]
fn bounds_hold_for_every_item_of_a_generated_vault() {
    let v = generated(2_000);
    let s = loaded(&v);
    let mut matcher = Matcher::new(Config::DEFAULT);
    for query in [
        "p",
        "pu",
        "pub",
        "ma",
        "mac",
        "machine",
        "public se",
        "cw",
        "a2",
        "machine pub",
        "pu sea-level",
        "x86 what/why",
    ] {
        let pattern = parse(query);
        let plans = bound::Plans::new(&pattern);
        for idx in 0..s.store.len() {
            s.store.with_haystack(idx, |hay| {
                let exact = pattern.score(hay, &mut matcher);
                let mask = store::char_mask(hay);
                // The mask kept is the haystack's (a heading's is put
                // together from its title's).
                assert_eq!(s.store.hot[idx as usize].mask, mask, "{idx}");
                let estimate = plans.estimate(&pattern, hay, mask, &mut matcher);
                assert_eq!(exact.is_some(), estimate.is_some(), "{query} {idx}");
                // The ranking's exact score, partly from the bounds: nucleo's.
                if exact.is_some() {
                    let score = plans.score(&pattern, hay, mask, &mut matcher);
                    assert_eq!(score, exact, "{query} {idx}");
                }
                if let (Some(exact), Some(estimate)) = (exact, estimate) {
                    assert!(estimate.score >= exact, "{query} {idx}");
                }
            });
        }
    }
}

/// `vidwiki search` builds the items on two threads, straight into the
/// store: the same items in the same order as pushed one note at a time,
/// so the same hits.
#[test]
fn the_cli_s_items_built_on_two_threads_rank_as_the_picker_s() {
    let mut v = generated(301);
    v.notes[7].title = "Público › Sector".to_owned();
    let mut picker = quiet();
    let injector = picker.injector();
    for (id, note) in v.ids().zip(&v.notes) {
        injector.push_note(id, note);
    }
    for (i, channel) in v.channels.iter().enumerate() {
        if channel.index_note.is_none() {
            injector.push_channel(crate::vault::ChannelId(i as u32), channel);
        }
    }
    drop(injector);
    for query in ["pu", "public sector", "sec", "ma !py", "p"] {
        for scope in [Scope::All, Scope::Headings] {
            picker.set_query(query);
            picker.set_scope(scope);
            picker.settle();
            let expected = picker.results(0, 40);
            let cli = search_vault(&v, query, scope, 40);
            let key = |hits: &[Hit]| -> Vec<_> {
                hits.iter()
                    .map(|h| (h.item, h.text.clone(), h.score))
                    .collect()
            };
            assert_eq!(key(&cli), key(&expected), "{query} {scope:?}");
        }
    }
}
