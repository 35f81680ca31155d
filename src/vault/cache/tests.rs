use std::time::{Duration, SystemTime};

use super::*;
use crate::vault::{TimeOptions, load_cached, load_timed};

/// Writes a note and dates it an hour back, so that it is old enough
/// to be cached (see [`RACY_MARGIN`]); `age` tells two versions apart.
fn write_note(dir: &Path, name: &str, text: &str, age: u64) {
    let path = dir.join(name);
    fs::write(&path, text).expect("write note");
    let file = fs::File::options().write(true).open(&path).expect("open");
    let when = SystemTime::now() - Duration::from_secs(3600 + age);
    file.set_modified(when).expect("set time");
}

fn note(title: &str, links: &str) -> String {
    format!("---\ntitle: {title}\nvideoId: HrwPuLTdHag\n---\n\n# {title}\n\n{links}\n")
}

struct Fixture {
    vault: tempfile::TempDir,
    cache: IndexCache,
    _cache_dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let vault = tempfile::tempdir().expect("vault dir");
    fs::create_dir(vault.path().join("sub")).expect("sub");
    write_note(vault.path(), "a.md", &note("Alpha", "see [[Beta]]"), 0);
    write_note(
        vault.path(),
        "sub/b.md",
        &note("Beta", "back to [[Alpha]]"),
        0,
    );
    let cache_dir = tempfile::tempdir().expect("cache dir");
    let cache = IndexCache::in_dir(cache_dir.path());
    Fixture {
        vault,
        cache,
        _cache_dir: cache_dir,
    }
}

fn load(f: &Fixture) -> (crate::vault::Vault, CacheReport) {
    let (vault, timings) =
        load_cached(f.vault.path(), TimeOptions::default(), Some(&f.cache)).expect("loads");
    (vault, timings.cache)
}

fn cache_file(f: &Fixture) -> PathBuf {
    f.cache
        .file_for(&f.vault.path().canonicalize().expect("canonical"))
}

#[test]
fn a_second_load_takes_every_unchanged_note_from_the_cache() {
    let f = fixture();
    let (_, first) = load(&f);
    assert_eq!(
        (first.state, first.hits, first.parsed),
        (CacheState::Missing, 0, 2)
    );
    assert!(first.written && cache_file(&f).is_file());
    let (vault, second) = load(&f);
    assert_eq!(
        (second.state, second.hits, second.parsed),
        (CacheState::Valid, 2, 0)
    );
    assert!(!second.written, "nothing changed, nothing written");
    // Links, backlinks and titles as a fresh parse gives them.
    let (fresh, _) = load_timed(f.vault.path(), TimeOptions::default()).expect("loads");
    assert_eq!(vault.stats(), fresh.stats());
    for (cached, parsed) in vault.notes.iter().zip(&fresh.notes) {
        assert_eq!(cached.path, parsed.path);
        assert_eq!(cached.title, parsed.title);
        assert_eq!(cached.links, parsed.links);
        assert_eq!(cached.headings, parsed.headings);
        assert_eq!(cached.modified, parsed.modified);
        assert_eq!(cached.video_id, parsed.video_id);
    }
    let alpha = vault.find_note("a.md").expect("alpha");
    assert_eq!(vault.backlinks(alpha).len(), 1);
}

#[test]
fn a_note_changed_between_loads_is_parsed_again() {
    let f = fixture();
    load(&f);
    // A different size and time.
    write_note(
        f.vault.path(),
        "a.md",
        &note("Alpha Two", "see [[Beta]] and more"),
        7,
    );
    let (vault, report) = load(&f);
    assert_eq!((report.hits, report.parsed), (1, 1));
    assert_eq!(
        vault.note(vault.find_note("a.md").expect("a")).title,
        "Alpha Two"
    );
    // The same size, another time: still seen.
    write_note(
        f.vault.path(),
        "a.md",
        &note("Alpha Six", "see [[Beta]] and more"),
        9,
    );
    let (vault, report) = load(&f);
    assert_eq!((report.hits, report.parsed), (1, 1));
    assert_eq!(
        vault.note(vault.find_note("a.md").expect("a")).title,
        "Alpha Six"
    );
    let (_, report) = load(&f);
    assert_eq!((report.hits, report.parsed), (2, 0));
}

#[test]
fn a_fresh_file_is_not_trusted_to_the_cache() {
    let f = fixture();
    fs::write(f.vault.path().join("new.md"), note("New", "")).expect("write");
    load(&f);
    let (_, report) = load(&f);
    assert_eq!((report.hits, report.parsed), (2, 1));
}

#[test]
fn added_and_removed_files_are_seen() {
    let f = fixture();
    load(&f);
    fs::remove_file(f.vault.path().join("sub/b.md")).expect("remove");
    write_note(f.vault.path(), "c.md", &note("Gamma", "[[Alpha]]"), 0);
    let (vault, report) = load(&f);
    assert_eq!((report.hits, report.parsed, report.removed), (1, 1, 1));
    let paths: Vec<&str> = vault.notes.iter().map(|n| n.path.as_str()).collect();
    assert_eq!(paths, ["a.md", "c.md"]);
    let alpha = vault.find_note("a.md").expect("alpha");
    assert_eq!(vault.note(vault.backlinks(alpha)[0].source).path, "c.md");
    let (_, report) = load(&f);
    assert_eq!((report.hits, report.parsed, report.removed), (2, 0, 0));
}

#[test]
fn a_damaged_cache_is_ignored_and_rebuilt() {
    let f = fixture();
    load(&f);
    let good = fs::read(cache_file(&f)).expect("cache");
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x55;
    let mut other_version = good.clone();
    other_version[8] ^= 1;
    let mut other_build = good.clone();
    other_build[24] ^= 1;
    let damages: [(&str, Vec<u8>); 6] = [
        (
            "garbage",
            b"\x00garbage bytes, not an index at all".repeat(50),
        ),
        ("empty", Vec::new()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("flipped", flipped),
        ("version", other_version),
        ("build", other_build),
    ];
    for (what, bytes) in damages {
        fs::write(cache_file(&f), &bytes).expect("damage");
        let (vault, report) = load(&f);
        assert!(
            matches!(report.state, CacheState::Rejected(_)),
            "{what}: {:?}",
            report.state
        );
        assert_eq!((report.hits, report.parsed), (0, 2), "{what}");
        assert!(report.written, "{what}: rebuilt");
        assert_eq!(vault.notes.len(), 2);
        let (_, report) = load(&f);
        assert_eq!(
            (report.state, report.hits),
            (CacheState::Valid, 2),
            "{what}"
        );
    }
}

#[test]
fn a_cache_made_for_another_vault_is_not_used() {
    let f = fixture();
    load(&f);
    let other = tempfile::tempdir().expect("other vault");
    write_note(other.path(), "a.md", &note("Other", ""), 0);
    let other_root = other.path().canonicalize().expect("canonical");
    // The other vault's file name, this vault's content.
    fs::copy(cache_file(&f), f.cache.file_for(&other_root)).expect("copy");
    let (vault, timings) =
        load_cached(other.path(), TimeOptions::default(), Some(&f.cache)).expect("loads");
    assert_eq!(
        timings.cache.state,
        CacheState::Rejected("made for another vault")
    );
    assert_eq!(vault.notes[0].title, "Other");
}

#[test]
fn without_a_cache_nothing_is_read_or_written() {
    let f = fixture();
    load(&f);
    let opened = f.cache.opened();
    fs::write(cache_file(&f), b"garbage").expect("garbage");
    let (vault, timings) =
        load_cached(f.vault.path(), TimeOptions::default(), None).expect("loads");
    assert_eq!(timings.cache.state, CacheState::Off);
    assert_eq!(f.cache.opened(), opened);
    assert_eq!(vault.notes.len(), 2);
    assert_eq!(fs::read(cache_file(&f)).expect("still there"), b"garbage");
}

#[test]
fn cached_notes_follow_the_time_options_of_the_load() {
    let f = fixture();
    write_note(
        f.vault.path(),
        "t.md",
        "---\ntitle: T\nvideoId: HrwPuLTdHag\n---\n<a class=\"yt-timestamp\" data-t=\"00:30:00\">[00:30:00]</a> <a class=\"yt-timestamp\" data-t=\"00:40:00\">[00:40:00]</a> <a class=\"yt-timestamp\" data-t=\"00:50:00\">[00:50:00]</a> <a class=\"yt-timestamp\" data-t=\"00:59:00\">[00:59:00]</a>\n",
        0,
    );
    load(&f);
    for literal in [false, true] {
        let times = TimeOptions { literal };
        let (cached, timings) = load_cached(f.vault.path(), times, Some(&f.cache)).expect("loads");
        assert_eq!(timings.cache.hits, 3);
        let (fresh, _) = load_timed(f.vault.path(), times).expect("loads");
        for (a, b) in cached.notes.iter().zip(&fresh.notes) {
            assert_eq!(a.timestamps, b.timestamps, "literal {literal}");
            assert_eq!(a.time_reading, b.time_reading, "literal {literal}");
            assert_eq!(a.problems, b.problems, "literal {literal}");
        }
    }
}

/// The browser's loader: the second start sends every note complete
/// (no title pass), a changed note is announced and parsed as usual.
#[test]
fn the_browser_loader_sends_cached_notes_first_then_the_changed_ones() {
    use crate::vault::LoadEvent;
    let f = fixture();
    let events = |cache: IndexCache| {
        let (send, receive) = std::sync::mpsc::channel();
        crate::vault::loader::spawn_cached(f.vault.path().to_path_buf(), cache, move |e| {
            send.send(e).is_ok()
        })
        .join()
        .expect("loader ends");
        let mut titles = 0;
        let mut notes = Vec::new();
        let mut done = false;
        for event in receive.try_iter() {
            match event {
                LoadEvent::Titles(batch) => titles += batch.len(),
                LoadEvent::Notes(batch) => notes.extend(batch),
                LoadEvent::Done => done = true,
                _ => {}
            }
        }
        assert!(done);
        (titles, notes)
    };
    let in_dir = || IndexCache::in_dir(f.cache.dir());
    let (titles, notes) = events(in_dir());
    assert_eq!((titles, notes.len()), (2, 2), "first start: all parsed");
    let (titles, notes) = events(in_dir());
    assert_eq!((titles, notes.len()), (0, 2), "second start: all cached");
    assert!(notes.iter().all(|n| n.parsed));
    write_note(
        f.vault.path(),
        "a.md",
        &note("Alpha Two", "[[Beta]] again"),
        3,
    );
    let (titles, notes) = events(in_dir());
    assert_eq!((titles, notes.len()), (1, 2));
    assert!(notes.iter().any(|n| n.title == "Alpha Two"));
    let (titles, _) = events(in_dir());
    assert_eq!(titles, 0, "the change was saved");
}

#[test]
fn a_video_id_from_the_cache_is_checked_again() {
    let bad: Result<crate::vault::VideoId, _> =
        postcard::from_bytes(&postcard::to_stdvec("not an id at all").expect("encodes"));
    assert!(bad.is_err());
}

/// Everything [`Vault::finish`] computes, as comparable values.
fn finished_state(vault: &crate::vault::Vault) -> String {
    let links: Vec<_> = vault
        .notes
        .iter()
        .map(|n| {
            (
                n.path.clone(),
                n.links.iter().map(|l| l.resolution()).collect::<Vec<_>>(),
            )
        })
        .collect();
    let channels: Vec<_> = vault
        .channels
        .iter()
        .map(|c| (&c.name, &c.key, &c.notes, c.index_note))
        .collect();
    format!(
        "{links:?}\n{channels:?}\n{:?}\n{:?}\n{:?}",
        vault.backlinks, vault.wanted, vault.tree
    )
}

fn fresh_state(f: &Fixture) -> String {
    let (fresh, _) = load_timed(f.vault.path(), TimeOptions::default()).expect("loads");
    finished_state(&fresh)
}

#[test]
fn an_unchanged_vault_takes_its_links_backlinks_and_tree_from_the_cache() {
    let f = fixture();
    write_note(f.vault.path(), "Chan.md", &note("Chan", "[[Nowhere]]"), 0);
    write_note(
        f.vault.path(),
        "sub/c.md",
        &note(
            "Gamma",
            "From: [[Chan]]\n\n## Part\n\n[[Alpha]] [[Beta#Part]] [[Nowhere]]",
        ),
        0,
    );
    let (first_vault, first) = load(&f);
    assert!(!first.resolved && first.written);
    let (vault, second) = load(&f);
    assert!(
        second.resolved,
        "every file unchanged: resolved from the cache"
    );
    assert!(!second.written);
    assert!(vault.complete);
    assert_eq!(finished_state(&vault), finished_state(&first_vault));
    assert_eq!(finished_state(&vault), fresh_state(&f));
    // What reads the resolved index works on it as on a finished one.
    let alpha = vault.find_note("a.md").expect("alpha");
    assert_eq!(vault.backlinks(alpha).len(), 2);
    assert_eq!(vault.wanted[0].target, "Nowhere");
}

#[test]
fn a_changed_note_invalidates_the_resolution_of_links_to_and_from_it() {
    let f = fixture();
    load(&f);
    assert!(load(&f).1.resolved);
    // Beta is renamed: the link of a.md to it no longer resolves, and b's
    // own link now points at a note that does not exist.
    write_note(f.vault.path(), "sub/b.md", &note("Bee", "to [[Zeta]]"), 3);
    let (vault, report) = load(&f);
    assert!(!report.resolved, "a file changed: resolved again");
    assert_eq!(finished_state(&vault), fresh_state(&f));
    let a = vault.note(vault.find_note("a.md").expect("a"));
    assert!(a.links[0].resolution().is_unresolved(), "{:?}", a.links[0]);
    let b = vault.find_note("sub/b.md").expect("b");
    assert!(vault.note(b).links[0].resolution().is_unresolved());
    let alpha = vault.find_note("a.md").expect("alpha");
    assert!(vault.backlinks(alpha).is_empty(), "b no longer links to a");
    // The next load trusts the resolution saved by the last one.
    let (again, report) = load(&f);
    assert!(report.resolved);
    assert_eq!(finished_state(&again), finished_state(&vault));
}

#[test]
fn a_new_note_that_answers_an_unresolved_link_is_seen() {
    let f = fixture();
    write_note(f.vault.path(), "c.md", &note("Gamma", "[[Delta]]"), 0);
    let (vault, _) = load(&f);
    let c = vault.find_note("c.md").expect("c");
    assert!(vault.note(c).links[0].resolution().is_unresolved());
    assert!(load(&f).1.resolved);
    write_note(f.vault.path(), "sub/d.md", &note("Delta", ""), 0);
    let (vault, report) = load(&f);
    assert!(!report.resolved);
    let c = vault.find_note("c.md").expect("c");
    let d = vault.find_note("sub/d.md").expect("d");
    assert_eq!(vault.note(c).links[0].resolution().note(), Some(d));
    assert_eq!(vault.backlinks(d).len(), 1);
    assert!(vault.wanted.iter().all(|w| w.target != "Delta"));
    let (vault, report) = load(&f);
    assert!(report.resolved);
    assert_eq!(finished_state(&vault), fresh_state(&f));
}

#[test]
fn a_removed_note_invalidates_the_resolved_index() {
    let f = fixture();
    load(&f);
    fs::remove_file(f.vault.path().join("sub/b.md")).expect("remove");
    let (vault, report) = load(&f);
    assert!(!report.resolved);
    let a = vault.note(vault.find_note("a.md").expect("a"));
    assert!(a.links[0].resolution().is_unresolved());
}

#[test]
fn a_resolved_index_that_does_not_fit_is_refused_whole() {
    let f = fixture();
    let (vault, _) = load(&f);
    let snapshot = resolved::Snapshot::of(&vault).expect("finished");
    let (mut other, _) = load_timed(f.vault.path(), TimeOptions::default()).expect("loads");
    other.add(crate::vault::Note::empty("extra.md"));
    let before = finished_state(&other);
    let ids: Vec<_> = other.ids().collect();
    assert!(other.apply_resolved(snapshot, &ids).is_err());
    assert_eq!(finished_state(&other), before, "nothing half applied");
}

/// Runs the browser's loader to its end and builds a vault from its events
/// as the UI does (notes in arrival order); whether a resolved index came.
fn browser_start(f: &Fixture) -> (crate::vault::Vault, bool) {
    use crate::vault::LoadEvent;
    let (send, receive) = std::sync::mpsc::channel();
    let cache = IndexCache::in_dir(f.cache.dir());
    crate::vault::loader::spawn_cached(f.vault.path().to_path_buf(), cache, move |e| {
        send.send(e).is_ok()
    })
    .join()
    .expect("loader ends");
    let mut vault = crate::vault::Vault::new(f.vault.path());
    let mut resolved = false;
    // Reversed batches: ids in another order than the cache's entries.
    // The offer comes after every note, just before Done, as the UI sees it.
    let mut offer = None;
    let events: Vec<LoadEvent> = receive.try_iter().collect();
    for event in events.into_iter().rev() {
        if let LoadEvent::Notes(batch) = event {
            for note in batch.into_iter().rev() {
                vault.add(note);
            }
        } else if let LoadEvent::Resolved(index) = event {
            offer = Some(index);
        }
    }
    if let Some(index) = offer {
        resolved = true;
        vault.offer_resolved(*index);
    }
    vault.finish();
    (vault, resolved)
}

#[test]
fn a_warm_browser_start_takes_the_resolved_index_whatever_order_notes_arrive_in() {
    let f = fixture();
    write_note(
        f.vault.path(),
        "c.md",
        &note("Gamma", "[[Alpha]] [[Beta]] [[Nope]]"),
        0,
    );
    let (cold, resolved) = browser_start(&f);
    assert!(!resolved, "cold start: nothing to take");
    // On quit the browser saves its own vault's resolved index.
    assert!(refresh::save_resolved(&f.cache, &cold));
    assert!(!refresh::save_resolved(&f.cache, &cold), "once");
    let (vault, resolved) = browser_start(&f);
    assert!(resolved && vault.resolved_from_cache());
    assert!(!cold.resolved_from_cache());
    let by_path = |v: &crate::vault::Vault| {
        let mut notes: Vec<_> = v
            .notes
            .iter()
            .map(|n| {
                let links: Vec<_> = n
                    .links
                    .iter()
                    .map(|l| l.resolution().note().map(|id| v.note(id).path.clone()))
                    .collect();
                let backlinks: Vec<_> = v
                    .backlinks(v.find_note(&n.path).expect("note"))
                    .iter()
                    .map(|b| (v.note(b.source).path.clone(), b.link))
                    .collect();
                (n.path.clone(), links, backlinks)
            })
            .collect();
        notes.sort();
        notes
    };
    let (fresh, _) = load_timed(f.vault.path(), TimeOptions::default()).expect("loads");
    assert_eq!(by_path(&vault), by_path(&fresh));
    assert_eq!(vault.wanted, fresh.wanted);
    assert!(vault.complete);
    // A change: resolved again, then warm again.
    write_note(f.vault.path(), "c.md", &note("Gamma", "[[Alpha]]"), 4);
    let (vault, resolved) = browser_start(&f);
    assert!(!resolved);
    assert!(vault.wanted.is_empty());
    assert!(refresh::save_resolved(&f.cache, &vault));
    let (vault, resolved) = browser_start(&f);
    assert!(resolved);
    assert!(vault.wanted.is_empty());
}

#[test]
fn the_resolved_index_of_a_vault_behind_the_disk_is_not_saved() {
    let f = fixture();
    let (vault, _) = browser_start(&f);
    // b changes on disk and the index file follows (the watcher's save),
    // but this vault still holds the old b.
    write_note(f.vault.path(), "sub/b.md", &note("Bee", "[[Nowhere]]"), 6);
    let report =
        crate::vault::loader::refresh_index(f.vault.path(), &f.cache, None).expect("refresh");
    assert_eq!((report.hits, report.parsed), (1, 1));
    assert!(!refresh::save_resolved(&f.cache, &vault));
    let (_, timings) =
        load_cached(f.vault.path(), TimeOptions::default(), Some(&f.cache)).expect("loads");
    assert_eq!((timings.cache.hits, timings.cache.parsed), (2, 0));
    assert!(!timings.cache.resolved);
}

#[test]
fn a_note_added_after_the_offer_drops_the_resolved_index() {
    let f = fixture();
    let (cold, _) = browser_start(&f);
    refresh::save_resolved(&f.cache, &cold);
    let (mut vault, resolved) = browser_start(&f);
    assert!(resolved && vault.complete);
    let cache = IndexCache::in_dir(f.cache.dir());
    let stored = cache.open(&f.vault.path().canonicalize().expect("root"));
    let index = stored.index();
    let paths: Vec<String> = index.paths.iter().map(|p| (*p).to_owned()).collect();
    let snapshot = index
        .resolved_if_whole(paths.iter().map(String::as_str))
        .expect("saved");
    vault.offer_resolved(resolved::ResolvedIndex { paths, snapshot });
    vault.add(crate::vault::loader::parse_note(
        "c.md",
        note("Gamma", "[[Alpha]]").as_bytes(),
    ));
    vault.finish();
    let alpha = vault.find_note("a.md").expect("a");
    assert_eq!(vault.backlinks(alpha).len(), 2, "resolved anew, c included");
}

/// A note's whole state as a command sees it: parts, resolved links (as
/// paths) and backlinks (as paths and link indexes).
fn note_state(vault: &crate::vault::Vault, id: crate::vault::NoteId) -> String {
    let note = vault.note(id);
    let links: Vec<_> = note
        .links
        .iter()
        .map(|l| match l.resolution() {
            crate::vault::Resolution::Note {
                note,
                heading,
                ambiguous,
            } => format!("{} {heading:?} {ambiguous}", vault.note(note).path),
            other => format!("{other:?}"),
        })
        .collect();
    let backlinks: Vec<_> = vault
        .backlinks(id)
        .iter()
        .map(|b| (vault.note(b.source).path.clone(), b.link, b.line))
        .collect();
    format!(
        "{} {} {:?} {:?} {:?} {:?} {:?} {:?} {links:?} {backlinks:?} {:?}",
        note.path,
        note.title,
        note.headings,
        note.links,
        note.timestamps,
        note.problems,
        note.video_id,
        note.modified,
        note.parsed
    )
}

fn lean_fixture() -> Fixture {
    let f = fixture();
    write_note(
        f.vault.path(),
        "c.md",
        &note(
            "Gamma",
            "From: [[Chan]]\n\n## Part\n\n[[Alpha]] [[Beta#Beta]] [[Nope]]",
        ),
        0,
    );
    load(&f);
    f
}

fn lean_open(f: &Fixture) -> Option<lean::LeanVault> {
    lean::open(f.vault.path(), TimeOptions::default(), &f.cache)
}

#[test]
fn a_lean_load_fills_notes_exactly_as_a_full_load_makes_them() {
    let f = lean_fixture();
    let (full, _) = load(&f);
    let mut lean = lean_open(&f).expect("an unchanged vault loads lean");
    assert_eq!(lean.vault().notes.len(), 3);
    assert!(lean.vault().notes.iter().all(|n| !n.parsed), "heads only");
    let titles: Vec<_> = lean.vault().notes.iter().map(|n| &n.title).collect();
    let full_titles: Vec<_> = full.notes.iter().map(|n| &n.title).collect();
    assert_eq!(titles, full_titles);
    let names: Vec<_> = lean.vault().channels.iter().map(|c| &c.name).collect();
    assert_eq!(names, ["Chan"]);
    let alpha = lean.vault().find_note("Alpha").expect("by title");
    assert!(lean.fill(&[alpha]));
    let sources: Vec<_> = lean
        .vault()
        .backlinks(alpha)
        .iter()
        .map(|b| b.source)
        .collect();
    assert_eq!(sources.len(), 2);
    assert!(lean.fill(&sources));
    for id in std::iter::once(alpha).chain(sources) {
        assert_eq!(note_state(lean.vault(), id), note_state(&full, id));
    }
    assert!(lean.fill_headings());
    for (lean_note, full_note) in lean.vault().notes.iter().zip(&full.notes) {
        assert_eq!(lean_note.headings, full_note.headings);
    }
}

#[test]
fn a_lean_load_refuses_a_vault_that_changed_anywhere() {
    let f = lean_fixture();
    assert!(lean_open(&f).is_some());
    write_note(f.vault.path(), "c.md", &note("Gamma", "[[Alpha]]"), 3);
    assert!(lean_open(&f).is_none(), "changed");
    load(&f);
    assert!(lean_open(&f).is_some(), "the full load saved it again");
    write_note(f.vault.path(), "sub/d.md", &note("Delta", ""), 0);
    assert!(lean_open(&f).is_none(), "added");
    load(&f);
    assert!(lean_open(&f).is_some());
    fs::remove_file(f.vault.path().join("sub/d.md")).expect("remove");
    assert!(lean_open(&f).is_none(), "removed");
    load(&f);
    // A fresh file is not cached at all, so it keeps every load full.
    fs::write(f.vault.path().join("e.md"), "# Fresh\n").expect("fresh");
    load(&f);
    assert!(lean_open(&f).is_none(), "a racy file is never in the table");
}

/// Every way of reading a damaged file: a lean load and its fills must
/// refuse (never panic, never answer with wrong parts), and a full load
/// must give what parsing gives.
fn read_damaged(f: &Fixture, bytes: &[u8], what: &str, full_too: bool) {
    fs::write(cache_file(f), bytes).expect("damage");
    if let Some(mut lean) = lean_open(f) {
        let ids: Vec<_> = lean.vault().ids().collect();
        let filled = lean.fill(&ids) && lean.fill_headings();
        assert!(!filled, "{what}: a damaged file answered whole");
    }
    if full_too {
        let (vault, _) = load(f);
        assert_eq!(finished_state(&vault), fresh_state(f), "{what}");
    }
}

#[test]
fn no_flipped_byte_or_cut_of_the_cache_file_is_trusted() {
    let f = lean_fixture();
    let good = fs::read(cache_file(&f)).expect("cache");
    let header = layout::Header::decode(&good, good.len() as u64).expect("header");
    let mut cuts: Vec<usize> = (0..good.len()).step_by(7).collect();
    for extent in header.sections {
        let (start, len) = (extent.offset as usize, extent.len as usize);
        cuts.extend([
            start,
            start + 1,
            start + len / 2,
            start + len.saturating_sub(1),
        ]);
    }
    for cut in cuts {
        read_damaged(
            &f,
            &good[..cut.min(good.len() - 1)],
            &format!("cut at {cut}"),
            cut % 5 == 0,
        );
    }
    for at in 0..good.len() {
        let mut flipped = good.clone();
        flipped[at] ^= 0x41;
        read_damaged(&f, &flipped, &format!("byte {at} flipped"), at % 11 == 0);
    }
    fs::write(cache_file(&f), &good).expect("restore");
    assert!(lean_open(&f).is_some(), "the good file is used");
}
