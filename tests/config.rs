//! `vidwiki config` and config files, through the real binary. Each test
//! names its config file (VIDWIKI_CONFIG or --config) in a temporary
//! folder; `.cargo/config.toml` points every other run at a folder without
//! one, so no test reads the developer's own config.

use std::{path::Path, process::Command};

fn vidwiki(args: &[&str], config: Option<&Path>) -> (i32, String, String) {
    let cache = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_vidwiki"));
    command
        .args(args)
        .env("VIDWIKI_CACHE_DIR", cache.path())
        .env("VIDWIKI_STATE_DIR", cache.path())
        .env_remove("VIDWIKI_VAULT")
        .env_remove("NO_COLOR")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    match config {
        Some(path) => command.env("VIDWIKI_CONFIG", path),
        None => command.env_remove("VIDWIKI_CONFIG"),
    };
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn write_config(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn without_a_file_every_value_is_a_default() {
    let (code, out, err) = vidwiki(&["config"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("# no config file"), "{out}");
    assert!(out.contains("theme = \"dark\"  # default"), "{out}");
}

#[test]
fn the_default_file_is_accepted_and_changes_nothing() {
    let (code, reference, err) = vidwiki(&["config", "--default"], None);
    assert_eq!(code, 0, "{err}");
    assert!(reference.contains("[keys.global]"), "{reference}");
    let (_dir, path) = write_config(&reference);
    let (code, out, err) = vidwiki(&["config"], Some(&path));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("theme = \"dark\"  # {}", path.display())),
        "{out}"
    );
}

#[test]
fn config_says_where_each_value_came_from() {
    let (_dir, path) = write_config("theme = \"light\"\n[keys.global]\nquit = \"x\"\n");
    let (code, out, err) = vidwiki(&["--home", "config"], Some(&path));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("theme = \"light\"  # {}", path.display())),
        "{out}"
    );
    assert!(out.contains("start = \"home\"  # flag --home"), "{out}");
    assert!(out.contains("literal_times = false  # default"), "{out}");
    assert!(
        out.contains("[keys.global]") && out.contains("quit = \"x\""),
        "{out}"
    );
    // A vault from the environment says so.
    let output = Command::new(env!("CARGO_BIN_EXE_vidwiki"))
        .arg("config")
        .env("VIDWIKI_CONFIG", &path)
        .env("VIDWIKI_VAULT", "notes")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains("vault = \"notes\"  # environment VIDWIKI_VAULT"),
        "{out}"
    );
    // --config wins over VIDWIKI_CONFIG.
    let (_other, flagged) = write_config("theme = \"high-contrast\"\n");
    let flag = flagged.to_string_lossy().into_owned();
    let (code, out, _) = vidwiki(&["config", "--config", &flag], Some(&path));
    assert_eq!(code, 0);
    assert!(out.contains("theme = \"high-contrast\""), "{out}");
}

#[test]
fn a_broken_file_stops_every_command_with_its_line() {
    let (_dir, path) = write_config("theme = \"dark\"\n\n[keys.note]\nfly = \"f\"\n");
    for args in [
        &["config"][..],
        &["check", "notes"],
        &["search", "x", "notes"],
    ] {
        let (code, out, err) = vidwiki(args, Some(&path));
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            err.contains(&format!("{}:4:1: unknown action `fly`", path.display())),
            "{err}"
        );
        assert!(out.is_empty(), "{out}");
    }
    let missing = path.with_file_name("missing.toml");
    let (code, _, err) = vidwiki(&["config"], Some(&missing));
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the config file"), "{err}");
}

#[test]
fn file_text_in_an_error_reaches_no_terminal_as_controls() {
    let (_dir, path) = write_config("theme = \"\\u001b]0;pwned\\u0007\"\n");
    let (code, _, err) = vidwiki(&["config"], Some(&path));
    assert_eq!(code, 2);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains(":1:"), "{err}");
}

#[test]
fn the_config_vault_is_used_when_none_is_named() {
    let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("notes");
    let (_dir, path) = write_config(&format!("vault = {:?}\n", notes.to_string_lossy()));
    let elsewhere = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_vidwiki"))
        .arg("check")
        .arg("--summary")
        .env("VIDWIKI_CONFIG", &path)
        .env("VIDWIKI_CACHE_DIR", elsewhere.path())
        .env_remove("VIDWIKI_VAULT")
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(2), "{err}");
}

/// `.cargo/config.toml` points every test (and the binaries it runs) at a
/// config folder without a config file, whatever the developer's own
/// environment says.
#[test]
fn tests_never_see_the_developers_config() {
    let home = std::env::var("XDG_CONFIG_HOME").unwrap_or_default();
    assert!(home.ends_with("no-config-home"), "{home}");
    assert!(!Path::new(&home).join("vidwiki").exists());
    assert_eq!(std::env::var("VIDWIKI_CONFIG").unwrap_or_default(), "");
}
