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
