//! `vidwiki search`'s one-shot ranking against the picker's store and
//! engine, and the ranking's refined bounds against nucleo's own order.

use super::{
    nucleo_parity::{generated, nucleo_top},
    *,
};

/// Every field of the hits: item, shown text, score and highlights.
fn key(hits: &[Hit]) -> Vec<(SearchItem, String, u32, Vec<u32>)> {
    hits.iter()
        .map(|h| (h.item, h.text.clone(), h.score, h.indices.clone()))
        .collect()
}

fn same_as_the_store(v: &Vault, queries: &[&str]) {
    for &query in queries {
        for scope in [Scope::All, Scope::Notes, Scope::Headings, Scope::Bookmarks] {
            for limit in [1, 40, 100_000] {
                let oneshot = search_vault(v, query, scope, limit);
                let store = search_vault_with_store(v, query, scope, limit);
                assert_eq!(key(&oneshot), key(&store), "{query:?} {scope:?} {limit}");
            }
        }
    }
}

const QUERIES: &[&str] = &[
    "",
    "p",
    "P",
    "pu",
    "public sector",
    "sec inn",
    "plcy",
    "ma le",
    "ma !py",
    "'data ^pub",
    "2024$",
    "x86",
    "público",
    "› s",
    "zzz",
];

#[test]
fn the_one_shot_search_ranks_as_the_picker_s_store() {
    let mut v = generated(700);
    // Wide titles and headings, a lone `›`, and a channel page.
    v.notes[7].title = "Público › Sector".to_owned();
    v.notes[8].title = "Ünïcode public data".to_owned();
    v.notes[9].title = "plain › one".to_owned();
    let headings = v.notes[11].headings.len();
    assert!(headings > 0, "the generator gives note 11 headings");
    let old = std::mem::take(&mut v.notes[11].headings);
    v.notes[11].headings.add(|new| {
        new.push_keyed(2, "Données publiques", 3, 0);
        for h in old.iter().skip(1) {
            new.push_keyed(h.level(), h.text(), h.line, h.offset());
        }
    });
    v.notes[12].title = format!("{} 🙂", v.notes[12].title);
    same_as_the_store(&v, QUERIES);
    // Channel pages come after the notes.
    let channelled = vault(vec![
        note_in("Public talk", &["Sector map"], Some("Public Channel")),
        note_in("Data 2024", &[], Some("Ünï public")),
        note("Plain", &["Público"]),
    ]);
    assert!(
        !search_vault(&channelled, "channel", Scope::All, 10).is_empty(),
        "a channel page matches"
    );
    same_as_the_store(&channelled, QUERIES);
}

/// The shared corpus of real notes (skipped when absent).
#[test]
fn the_one_shot_search_ranks_as_the_picker_s_store_on_the_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipping: no corpus at {}", root.display());
        return;
    }
    let v = crate::vault::load(&root).expect("the corpus loads");
    assert!(v.notes.len() > 10, "a corpus of notes");
    same_as_the_store(
        &v,
        &[
            "",
            "a",
            "the",
            "model con",
            "public se",
            "ai",
            "growth !x",
            "'how ^w",
        ],
    );
}

/// Many items tie at the pass's bound (gapped needles on shared words):
/// refined and scored, they rank as nucleo's own worker ranks them.
#[test]
fn refined_ties_rank_as_nucleo_does() {
    let v = generated(3_000);
    let mut s = quiet();
    s.push_vault(&v);
    s.settle();
    for query in [
        "pbc", "sec inn", "plcy", "ma le", "pub sec", "mchn lrn", "dat 20",
    ] {
        s.set_query(query);
        s.settle();
        let ours: Vec<(SearchItem, u32)> =
            s.results(0, 60).iter().map(|h| (h.item, h.score)).collect();
        assert_eq!(ours, nucleo_top(&v, query, 60), "{query}");
    }
}
