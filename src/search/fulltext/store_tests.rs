//! The text store: searches read it, and never a stale or damaged text.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, SystemTime},
};

use super::{store::TextStore, *};
use crate::vault::Vault;

/// A vault of `count` notes, each modified an hour ago (fresher files are
/// not stored: they could change again unseen).
fn vault_of(dir: &Path, count: usize) -> PathBuf {
    let root = dir.join("vault");
    fs::create_dir_all(&root).unwrap();
    for i in 0..count {
        let text = format!("# Note {i}\n\nalpha line {i}\nbeta {}\n", i % 3);
        write_old(&root.join(format!("n{i:03}.md")), &text, 3600);
    }
    root
}

fn write_old(path: &Path, text: &str, seconds_ago: u64) {
    fs::write(path, text).unwrap();
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(seconds_ago))
        .unwrap();
}

/// The ranked rows of a search, waited for (no sleep: blocks on the
/// worker's messages).
fn rows(ft: &mut FullText, vault: &Vault, query: &str) -> Vec<TextHit> {
    let generation = ft.search_vault(vault, query);
    collect(ft, generation)
}

fn collect(ft: &FullText, generation: u64) -> Vec<TextHit> {
    let mut rows = Vec::new();
    loop {
        match ft.recv().expect("the worker answers") {
            Message::Notes {
                generation: g,
                notes,
            } if g == generation => {
                merge_rows(&mut rows, notes, LIMIT);
            }
            Message::Done { generation: g, .. } if g == generation => return rows,
            _ => {}
        }
    }
}

fn prepare(ft: &mut FullText, vault: &Vault) {
    let generation = ft.prepare_vault(vault);
    collect(ft, generation);
}

fn store_file(cache: &Path, root: &Path) -> PathBuf {
    store::file_for(cache, &root.canonicalize().unwrap())
}

#[test]
fn a_prepared_store_answers_searches_as_the_files_do() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let root = vault_of(dir.path(), 40);
    let vault = crate::vault::load(&root).unwrap();
    let mut plain = FullText::spawn(Arc::new(|| {}));
    let mut stored = FullText::with_store(Arc::new(|| {}), Some(cache.clone()));
    prepare(&mut stored, &vault);
    let file = store_file(&cache, &root);
    assert!(file.exists(), "the store was written");
    let store = TextStore::open(&cache, &root.canonicalize().unwrap()).unwrap();
    let docs = Doc::all(&vault);
    assert_eq!(store.covers(&docs), 40, "every note is in it");
    for (doc, id) in docs.iter().zip(vault.ids()) {
        let DocSource::File {
            relative,
            size,
            modified,
            ..
        } = &doc.source
        else {
            panic!("notes of a vault on disk are read from files");
        };
        assert_eq!(doc.file(), Some(vault.path_of(id)));
        let text = store.text(relative, &vault.path_of(id), *size, *modified);
        assert_eq!(
            text.unwrap(),
            fs::read_to_string(vault.path_of(id)).unwrap()
        );
    }
    for query in ["alpha", "beta 2", "\"alpha line 1\"", "note !beta"] {
        assert_eq!(
            rows(&mut stored, &vault, query),
            rows(&mut plain, &vault, query),
            "{query}"
        );
    }
}

#[test]
fn a_note_changed_after_the_store_was_written_is_read_from_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let root = vault_of(dir.path(), 10);
    let vault = crate::vault::load(&root).unwrap();
    let mut ft = FullText::with_store(Arc::new(|| {}), Some(cache.clone()));
    prepare(&mut ft, &vault);
    assert!(rows(&mut ft, &vault, "omega").is_empty());
    // Same size, same modification time: only the change time and the
    // content tell.
    // (Written beside it and renamed over it: a new file, whatever the
    // clock's resolution.)
    let path = root.join("n004.md");
    let before = fs::metadata(&path).unwrap();
    let old = fs::read_to_string(&path).unwrap();
    let new = old.replace("alpha", "omega");
    assert_eq!(old.len(), new.len());
    let beside = root.join("n004.tmp");
    fs::write(&beside, &new).unwrap();
    let file = fs::File::options().write(true).open(&beside).unwrap();
    file.set_modified(before.modified().unwrap()).unwrap();
    fs::rename(&beside, &path).unwrap();
    let vault = crate::vault::load(&root).unwrap();
    // The app says so after every load: the same query searches every
    // note again, not only those that matched it before.
    ft.forget_documents();
    let found = rows(&mut ft, &vault, "omega");
    let heads: Vec<_> = found.iter().filter(|r| r.head.is_some()).collect();
    assert_eq!(heads.len(), 1, "the changed note is found: {found:?}");
    assert_eq!(vault.note(heads[0].note).path, "n004.md");
    let alpha = rows(&mut ft, &vault, "alpha");
    assert_eq!(alpha.iter().filter(|r| r.head.is_some()).count(), 9);
}

#[test]
fn a_damaged_store_is_never_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let root = vault_of(dir.path(), 12);
    let vault = crate::vault::load(&root).unwrap();
    let mut plain = FullText::spawn(Arc::new(|| {}));
    let expected = rows(&mut plain, &vault, "alpha");
    let mut ft = FullText::with_store(Arc::new(|| {}), Some(cache.clone()));
    prepare(&mut ft, &vault);
    let file = store_file(&cache, &root);
    let good = fs::read(&file).unwrap();
    let real = root.canonicalize().unwrap();
    // Every byte flipped in turn: the store is refused whole, or answers
    // only texts that are the files' own.
    let docs = Doc::all(&vault);
    for at in 0..good.len() {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        fs::write(&file, &bad).unwrap();
        let Some(store) = TextStore::open(&cache, &real) else {
            continue;
        };
        for (doc, id) in docs.iter().zip(vault.ids()) {
            let DocSource::File {
                relative,
                size,
                modified,
                ..
            } = &doc.source
            else {
                unreachable!()
            };
            if let Some(text) = store.text(relative, &vault.path_of(id), *size, *modified) {
                assert_eq!(text, fs::read_to_string(vault.path_of(id)).unwrap());
            }
        }
    }
    // Cut short: refused.
    fs::write(&file, &good[..good.len() - 1]).unwrap();
    assert!(TextStore::open(&cache, &real).is_none());
    // A search through a damaged store finds what the files hold.
    let mut bad = good.clone();
    bad[40] ^= 0x20;
    fs::write(&file, &bad).unwrap();
    let mut ft = FullText::with_store(Arc::new(|| {}), Some(cache.clone()));
    assert_eq!(rows(&mut ft, &vault, "alpha"), expected);
}

#[test]
fn fresh_files_are_not_stored_and_another_vault_s_store_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let root = vault_of(dir.path(), 5);
    write_old(&root.join("fresh.md"), "alpha fresh\n", 0);
    let vault = crate::vault::load(&root).unwrap();
    let mut ft = FullText::with_store(Arc::new(|| {}), Some(cache.clone()));
    prepare(&mut ft, &vault);
    let store = TextStore::open(&cache, &root.canonicalize().unwrap()).unwrap();
    assert_eq!(store.covers(&Doc::all(&vault)), 5, "not the fresh note");
    let found = rows(&mut ft, &vault, "fresh");
    assert_eq!(found.iter().filter(|r| r.head.is_some()).count(), 1);
    // The file of one vault renamed to another's name: not read.
    let other = dir.path().join("other");
    fs::create_dir(&other).unwrap();
    fs::rename(store_file(&cache, &root), store_file(&cache, &other)).unwrap();
    assert!(TextStore::open(&cache, &other.canonicalize().unwrap()).is_none());
}

#[test]
fn a_temporary_file_left_by_a_quit_write_goes_at_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let root = vault_of(dir.path(), 3);
    let vault = crate::vault::load(&root).unwrap();
    fs::create_dir_all(&cache).unwrap();
    let target = store_file(&cache, &root);
    // Numbered past any this process's writes reach (a test run alone
    // writes its own store as `PID.0.tmp`, which would take this one's name).
    let temp = |pid: u32| target.with_extension(format!("{pid}.{}.tmp", usize::MAX));
    // A process id above Linux's highest (2^22) is nobody's: its write
    // was abandoned. This process's own (and any live one's) may be
    // writing now, and stays; another vault's file is not touched.
    let abandoned = temp(999_999_999);
    let live = temp(std::process::id());
    let other =
        store::file_for(&cache, &dir.path().join("other")).with_extension("999999999.0.tmp");
    for path in [&abandoned, &live, &other] {
        fs::write(path, b"half written").unwrap();
    }
    let mut ft = FullText::with_store(Arc::new(|| {}), Some(cache.clone()));
    prepare(&mut ft, &vault);
    assert!(target.exists(), "the store is written");
    if Path::new("/proc/self").exists() {
        assert!(!abandoned.exists(), "the abandoned temporary file is gone");
    }
    assert!(live.exists() && other.exists());
}
