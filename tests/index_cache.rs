//! The index cache seen from the command line: a second call sees a note
//! changed in between, a damaged cache is rebuilt, `--no-cache` neither
//! reads nor writes it. Every run points the cache at a temporary folder.

use std::{
    fs,
    path::Path,
    process::Command,
    time::{Duration, SystemTime},
};

fn vidwiki(cache: &Path, vault: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_vidwiki"))
        .env("VIDWIKI_CACHE_DIR", cache)
        .env_remove("VIDWIKI_VAULT")
        .arg("--vault")
        .arg(vault)
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// A note dated `age` seconds more than an hour back: old enough to be
/// cached, and two versions of it have different times.
fn write_note(vault: &Path, name: &str, title: &str, age: u64) {
    let path = vault.join(name);
    fs::write(
        &path,
        format!("---\ntitle: {title}\nvideoId: HrwPuLTdHag\n---\n\nSee [[b]].\n"),
    )
    .expect("write");
    let file = fs::File::options().write(true).open(&path).expect("open");
    file.set_modified(SystemTime::now() - Duration::from_secs(3600 + age))
        .expect("time");
}

fn cache_files(cache: &Path) -> Vec<Vec<u8>> {
    fs::read_dir(cache)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| fs::read(e.path()).expect("read cache"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_second_call_sees_a_changed_note_and_no_cache_touches_nothing() {
    let vault = tempfile::tempdir().expect("vault");
    let cache = tempfile::tempdir().expect("cache");
    write_note(vault.path(), "a.md", "First title", 0);
    write_note(vault.path(), "b.md", "Bee", 0);

    let (code, out) = vidwiki(cache.path(), vault.path(), &["--no-cache", "show", "a"]);
    assert_eq!(code, 0);
    assert!(out.contains("First title"), "{out}");
    assert!(cache_files(cache.path()).is_empty(), "--no-cache wrote");

    let (_, out) = vidwiki(cache.path(), vault.path(), &["show", "a"]);
    assert!(out.contains("First title"), "{out}");
    assert_eq!(cache_files(cache.path()).len(), 1, "the first call saves");

    write_note(vault.path(), "a.md", "Second title, longer", 5);
    let (_, out) = vidwiki(cache.path(), vault.path(), &["show", "a"]);
    assert!(out.contains("Second title, longer"), "{out}");
    let (_, out) = vidwiki(cache.path(), vault.path(), &["links", "b"]);
    assert!(
        out.contains("a.md") || out.contains("Second title"),
        "{out}"
    );

    // Garbage in the cache: --no-cache leaves it, a cached call rebuilds it.
    let file = fs::read_dir(cache.path())
        .expect("cache dir")
        .flatten()
        .next()
        .expect("one file")
        .path();
    fs::write(&file, b"garbage").expect("damage");
    let (code, out) = vidwiki(cache.path(), vault.path(), &["--no-cache", "show", "a"]);
    assert_eq!(code, 0);
    assert!(out.contains("Second title, longer"), "{out}");
    assert_eq!(fs::read(&file).expect("kept"), b"garbage");
    let (code, out) = vidwiki(cache.path(), vault.path(), &["show", "a"]);
    assert_eq!(code, 0);
    assert!(out.contains("Second title, longer"), "{out}");
    assert_ne!(fs::read(&file).expect("rebuilt"), b"garbage");
}

/// Writes a note with any text, dated as [`write_note`] dates it.
fn write_text(vault: &Path, name: &str, text: &str, age: u64) {
    let path = vault.join(name);
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder).expect("folder");
    }
    fs::write(&path, text).expect("write");
    let file = fs::File::options().write(true).open(&path).expect("open");
    file.set_modified(SystemTime::now() - Duration::from_secs(3600 + age))
        .expect("time");
}

/// Each note command's output through the (warm) cache and with
/// `--no-cache`, which must agree; the cached one is returned.
fn same_as_uncached(cache: &Path, vault: &Path, args: &[&str]) -> String {
    let (code, cached) = vidwiki(cache, vault, args);
    let uncached_args: Vec<&str> = ["--no-cache"].iter().chain(args).copied().collect();
    let (uncached_code, uncached) = vidwiki(cache, vault, &uncached_args);
    assert_eq!((code, &cached), (uncached_code, &uncached), "{args:?}");
    cached
}

const COMMANDS: [&[&str]; 13] = [
    &["show", "a"],
    &["links", "a"],
    &["links", "b", "--json"],
    &["timestamps", "a", "--format", "tsv"],
    &["search", "part"],
    &["search", "gamma", "--json"],
    &["show", "nothing like it"],
    // The full load from the cache (problems, unresolved links, counts).
    &["check"],
    &["check", "--json"],
    // Named by a title (every head decoded), by a path in a folder and by
    // a file name (the named note and its neighbours only).
    &["links", "Beta"],
    &["links", "sub/c.md"],
    &["show", "./b"],
    &["search", "--text", "also"],
];

fn outputs(cache: &Path, vault: &Path) -> Vec<String> {
    COMMANDS
        .iter()
        .map(|args| same_as_uncached(cache, vault, args))
        .collect()
}

#[test]
fn the_lean_second_call_sees_changes_additions_and_removals() {
    let vault = tempfile::tempdir().expect("vault");
    let cache = tempfile::tempdir().expect("cache");
    let a = |title: &str, heading: &str| {
        format!(
            "---\ntitle: {title}\nvideoId: HrwPuLTdHag\n---\n\nFrom: [[Chan]]\n\n## {heading}\n\n\
             See [[b]] and [[Topic]] at <a class=\"yt-timestamp\" data-t=\"00:01:07\">[00:01:07]</a>.\n"
        )
    };
    write_text(vault.path(), "a.md", &a("Alpha", "First part"), 0);
    write_text(vault.path(), "b.md", "# Beta\n\nBack to [[a]].\n", 0);
    write_text(
        vault.path(),
        "sub/c.md",
        "# Gamma\n\nAlso [[a]], and [[b]].\n",
        0,
    );
    // The first call fills the cache; the second is served from it.
    let (code, _) = vidwiki(cache.path(), vault.path(), &["check"]);
    assert_eq!(code, 0);
    let first = outputs(cache.path(), vault.path());
    assert!(
        first[0].contains("Alpha") && first[0].contains("Topic?"),
        "{}",
        first[0]
    );
    assert!(
        first[1].contains("sub/c.md") && first[1].contains("→ unresolved"),
        "{}",
        first[1]
    );
    assert!(first[4].contains("First part"), "{}", first[4]);
    assert!(first[7].contains("Topic"), "{}", first[7]);

    // a changed: its text, heading and title, in show, links and search.
    write_text(vault.path(), "a.md", &a("Alpha two", "Second part"), 5);
    let changed = outputs(cache.path(), vault.path());
    assert!(changed[0].contains("Alpha two"), "{}", changed[0]);
    assert!(changed[4].contains("Second part") && !changed[4].contains("First part"));
    assert_eq!(changed, outputs(cache.path(), vault.path()), "warm again");

    // A note added elsewhere answers a link that was unresolved.
    write_text(vault.path(), "sub/topic.md", "# Topic\n", 0);
    let added = outputs(cache.path(), vault.path());
    assert!(
        added[0].contains("Topic") && !added[0].contains("Topic?"),
        "{}",
        added[0]
    );
    assert!(added[1].contains("→ sub/topic.md"), "{}", added[1]);
    assert_ne!(added[7], changed[7], "check sees the added note");

    // A backlink source removed: gone from `links`.
    fs::remove_file(vault.path().join("sub/c.md")).expect("remove");
    let removed = outputs(cache.path(), vault.path());
    assert!(!removed[1].contains("sub/c.md"), "{}", removed[1]);
    assert!(removed[1].contains("b.md"), "{}", removed[1]);
    assert!(!removed[5].contains("Gamma"), "{}", removed[5]);
}

/// The second call really is lean: a damaged body of a note it does not
/// show is not even read (a full load would find it, parse that note
/// again and rewrite the file), while a call that needs it loads the full
/// way and repairs the file.
#[test]
fn a_note_command_decodes_only_the_notes_it_shows() {
    let vault = tempfile::tempdir().expect("vault");
    let cache = tempfile::tempdir().expect("cache");
    write_text(vault.path(), "a.md", "# Alpha\n\nSee [[b]].\n", 0);
    write_text(vault.path(), "z.md", "# Zed\n\nAlone.\n", 0);
    write_text(vault.path(), "b.md", "# Beta\n", 0);
    vidwiki(cache.path(), vault.path(), &["check"]);
    let file = fs::read_dir(cache.path())
        .expect("cache dir")
        .flatten()
        .next()
        .expect("one file")
        .path();
    let mut bytes = fs::read(&file).expect("cache");
    // The header's first section is the bodies' (offset, length), in walk
    // order: the last body byte is z.md's.
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let last = usize::try_from(word(32) + word(40) - 1).expect("fits");
    bytes[last] ^= 0x20;
    fs::write(&file, &bytes).expect("damage");
    let (code, out) = vidwiki(cache.path(), vault.path(), &["links", "b"]);
    assert_eq!(code, 0);
    assert!(out.contains("a.md"), "{out}");
    assert_eq!(
        fs::read(&file).expect("cache"),
        bytes,
        "lean: not rewritten"
    );
    let (code, out) = vidwiki(cache.path(), vault.path(), &["show", "z"]);
    assert_eq!(code, 0);
    assert!(out.contains("Alone."), "{out}");
    assert_ne!(fs::read(&file).expect("cache"), bytes, "full: repaired");
}

/// `search --text` reads the texts of the text store beside the index
/// cache (written here as the browser writes it) and finds what the files
/// hold: the same output as `--no-cache`, which reads every file.
#[test]
fn search_text_through_the_text_store_finds_what_the_files_hold() {
    let vault = tempfile::tempdir().expect("vault");
    let cache = tempfile::tempdir().expect("cache");
    write_text(vault.path(), "a.md", "# Alpha\n\nalpha one\n", 0);
    write_text(vault.path(), "b.md", "# Beta\n\nalpha two, [[a]]\n", 0);
    let loaded = vidwiki::vault::load(vault.path()).expect("loads");
    let real_root = vault.path().canonicalize().expect("canonical");
    let docs = vidwiki::search::fulltext::Doc::all(&loaded);
    let written =
        vidwiki::search::fulltext::store::write(cache.path(), &real_root, &docs, &|| true);
    assert!(written.expect("written"));
    let found = same_as_uncached(cache.path(), vault.path(), &["search", "--text", "alpha"]);
    assert!(found.contains("a.md") && found.contains("b.md"), "{found}");
    // Changed since the store was written: read from its file.
    write_text(vault.path(), "b.md", "# Beta\n\nalpha changed\n", 5);
    let found = same_as_uncached(cache.path(), vault.path(), &["search", "--text", "changed"]);
    assert!(found.contains("b.md"), "{found}");
}
