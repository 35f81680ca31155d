//! The picker's items are the vault's, whichever way the vault was loaded:
//! without the index cache, filling it, from it (the walk first, or the
//! notes' heads handed over in its place), with one note changed since it
//! was filled (the cache's notes then come before any title), and through
//! the lean load of `vidwiki search`. Each list is every item's kind and
//! text, compared with the list a full load's vault gives.

mod support;

use std::path::{Path, PathBuf};

use ratatui::layout::Rect;
use support::loaded::{load, set_age, write_old};
use vidwiki::{
    app::{App, Loaded},
    search::{ItemKind, Scope, outline::Outline, search_outline},
    vault::{IndexCache, LoadEvent, Vault, cache::lean, loader},
};

fn label(kind: ItemKind, text: &str) -> String {
    format!("{kind:?}\t{text}")
}

/// The picker's items after the browser took `events` in, sorted.
fn browser_items(root: &Path, events: Vec<LoadEvent>) -> Vec<String> {
    let mut app = App::new(Vault::new(root), None, Rect::new(0, 0, 100, 30));
    for event in events {
        app.on_loaded(Loaded::prepare(event));
        support::settle(&mut app, Vec::new());
    }
    app.search.set_query("");
    app.search.settle();
    let total = app.search.counts().1;
    let mut items: Vec<String> = app
        .search
        .results(0, total)
        .iter()
        .map(|hit| label(hit.item.kind(), &hit.text))
        .collect();
    items.sort();
    items
}

/// The items `vidwiki search` ranks on `vault`, sorted.
fn oneshot_items<O: Outline + ?Sized>(vault: &O) -> Vec<String> {
    let mut items: Vec<String> = search_outline(vault, "", Scope::All, usize::MAX)
        .iter()
        .map(|hit| label(hit.item.kind(), &hit.text))
        .collect();
    items.sort();
    items
}

/// Copies the folder `from` to `to`, every file dated an hour ago (the
/// cache keeps only notes whose time is safely in the past).
fn copy_old(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_old(&entry.path(), &target);
        } else if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
            set_age(&target, 3600);
        }
    }
}

/// Loads `root` every way and checks each way's items against a full
/// load's; `changed` is a note changed between the warm starts.
fn same_items_by_every_load_path(root: &Path, changed: &Path) {
    let expected = oneshot_items(&loader::load(root).unwrap());
    assert!(expected.len() > 3, "{expected:?}");
    let cache = tempfile::tempdir().unwrap();
    let check = |what: &str, items: Vec<String>| {
        let missing: Vec<_> = expected.iter().filter(|i| !items.contains(i)).collect();
        let extra: Vec<_> = items.iter().filter(|i| !expected.contains(i)).collect();
        assert_eq!(
            items.len(),
            expected.len(),
            "{what}: {} items against {} (missing {missing:?}, extra {extra:?})",
            items.len(),
            expected.len()
        );
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{what}: missing {missing:?}, extra {extra:?}"
        );
        assert_eq!(items, expected, "{what}: the same items, as often each");
    };
    // Without a cache there is nothing to hand over: the walk, titles, notes.
    let no_cache = tempfile::tempdir().unwrap();
    let scratch = no_cache.path().join("never-written");
    std::fs::write(&scratch, "a file where the cache's folder would be").unwrap();
    check(
        "no cache",
        browser_items(root, load(root, &scratch.join("cache"))),
    );
    check("cold cache", browser_items(root, load(root, cache.path())));
    check(
        "warm cache, the finished vault handed over",
        browser_items(root, load(root, cache.path())),
    );
    check(
        "warm cache, the heads handed over",
        browser_items(root, load(root, cache.path())),
    );
    let index_cache = IndexCache::in_dir(cache.path());
    let walk = loader::walk(root).unwrap();
    let real_root = root.canonicalize().unwrap();
    let mut store = None;
    let outline = lean::titles::outline(&real_root, &walk.files, &index_cache, &mut store)
        .expect("the cache serves `vidwiki search`");
    check("the lean load of `vidwiki search`", oneshot_items(&outline));

    let mut text = std::fs::read_to_string(changed).unwrap();
    text.push_str("\n## A heading added since\n");
    std::fs::write(changed, text).unwrap();
    set_age(changed, 1800);
    let expected_after = oneshot_items(&loader::load(root).unwrap());
    assert_eq!(expected_after.len(), expected.len() + 1, "one heading more");
    let items = browser_items(root, load(root, cache.path()));
    assert_eq!(
        items.len(),
        expected_after.len(),
        "warm cache, one note changed: {} items against {}",
        items.len(),
        expected_after.len()
    );
    assert_eq!(items, expected_after, "warm cache, one note changed");
}

#[test]
fn the_picker_holds_the_same_items_whichever_way_a_small_vault_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("small");
    for (path, text) in [
        (
            "north/one.md",
            "---\ntitle: One\n---\n\nFrom: [[north]] <br/>\n\n# Start\n\nOn to [[two]].\n",
        ),
        (
            "north/two.md",
            "---\ntitle: Two\n---\n\nFrom: [[north]] <br/>\n\n## Centre\n\nBack to [[one]].\n",
        ),
        (
            "south/three.md",
            "---\ntitle: Three\n---\n\nFrom: [[south]] <br/>\n\nWords.\n",
        ),
        (
            "gamma.md",
            "---\ntitle: Gamma channel page\n---\n\nFrom: [[gamma]] <br/>\n\nThe channel's own note.\n",
        ),
        // Titled by its first heading, which the title pass does not read.
        ("loose.md", "# Loose heading title\n\nNo front matter.\n"),
    ] {
        write_old(&root.join(path), text);
    }
    same_items_by_every_load_path(&root, &root.join("south/three.md"));
}

#[test]
fn the_picker_holds_the_same_items_whichever_way_the_corpus_is_loaded() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: ../shared/corpus is absent (test data beside the project)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    copy_old(&corpus, &root);
    let walk = loader::walk(&root).unwrap();
    let changed = walk.files[walk.files.len() / 2].path.clone();
    same_items_by_every_load_path(&root, &changed);
}
