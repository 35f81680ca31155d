//! The real binary: exit codes, output and JSON shapes.

use std::{path::Path, process::Command};

fn vidwiki(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_vidwiki"))
        .env(
            "VIDWIKI_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/index-cache"),
        )
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("VIDWIKI_VAULT")
        .output()
        .expect("run vidwiki");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

const SPECIMEN: &str = "publicprivate_partnerships_in_technology_and_innovation";

#[test]
fn check_on_the_sample_vault_passes_with_one_unresolved_link() {
    let (code, stdout, _) = vidwiki(&["check", "--json"]);
    assert_eq!(code, 0, "{stdout}");
    let report = json(&stdout);
    let problems = report["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["kind"], "unresolved_link");
    assert_eq!(problems[0]["severity"], "warning");
    for key in ["path", "line", "kind", "message", "severity"] {
        assert!(problems[0].get(key).is_some(), "missing {key}");
    }
    assert!(report["notes"].as_u64().expect("notes") >= 13);
    assert_eq!(
        report["resolved"].as_u64().expect("resolved") + 1,
        report["links"].as_u64().expect("links")
    );
    assert!(report["timestamps"].as_u64().expect("timestamps") >= 40);
}

#[test]
fn strict_makes_unresolved_links_errors() {
    let (code, stdout, _) = vidwiki(&["check", "--strict"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("1 errors"), "{stdout}");
}

#[test]
fn unopenable_vault_and_usage_errors_exit_2() {
    let (code, _, stderr) = vidwiki(&["--vault", "/definitely/not/here", "check"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot open vault"), "{stderr}");
    let (code, _, _) = vidwiki(&["check", "--no-such-flag"]);
    assert_eq!(code, 2);
}

#[test]
fn vault_from_the_environment() {
    let output = Command::new(env!("CARGO_BIN_EXE_vidwiki"))
        .env(
            "VIDWIKI_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/index-cache"),
        )
        .args(["check", "--json"])
        .env(
            "VIDWIKI_VAULT",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("notes"),
        )
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run vidwiki");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn every_command_has_help() {
    for command in [
        &["--help"][..],
        &["check", "--help"],
        &["show", "--help"],
        &["links", "--help"],
        &["timestamps", "--help"],
    ] {
        let (code, stdout, _) = vidwiki(command);
        assert_eq!(code, 0);
        assert!(stdout.contains("Usage:"), "{stdout}");
    }
}

#[test]
fn links_of_the_specimen() {
    let (code, stdout, _) = vidwiki(&["links", SPECIMEN, "--json"]);
    assert_eq!(code, 0);
    let report = json(&stdout);
    let outgoing = report["outgoing"].as_array().expect("outgoing");
    assert_eq!(outgoing.len(), 6);
    for link in outgoing {
        for key in ["target", "text", "heading", "resolved", "line"] {
            assert!(link.get(key).is_some(), "missing {key}");
        }
        let resolved = link["resolved"]
            .as_str()
            .expect("every specimen link resolves");
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("notes")
                .join(resolved)
                .is_file()
        );
    }
    let backlinks = report["backlinks"].as_array().expect("backlinks");
    assert!(!backlinks.is_empty());
    for key in ["path", "title", "line", "context"] {
        assert!(backlinks[0].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn timestamps_of_the_specimen() {
    let (code, stdout, _) = vidwiki(&["timestamps", SPECIMEN, "--json"]);
    assert_eq!(code, 0);
    let list = json(&stdout);
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 40);
    assert_eq!(list[0]["seconds"], 317);
    assert_eq!(list[0]["label"], "00:05:17");
    assert_eq!(list[0]["url"], "https://youtu.be/HrwPuLTdHag?t=317");
    for key in ["label", "seconds", "url", "heading", "line", "context"] {
        assert!(list[0].get(key).is_some(), "missing {key}");
    }
    let (_, urls, _) = vidwiki(&["timestamps", SPECIMEN, "--format", "url"]);
    assert_eq!(urls.lines().count(), 40);
    assert_eq!(
        urls.lines().next(),
        Some("https://youtu.be/HrwPuLTdHag?t=317")
    );
    let (_, markdown, _) = vidwiki(&["timestamps", SPECIMEN, "--format", "markdown"]);
    assert_eq!(
        markdown.lines().next(),
        Some(
            "[Publicprivate partnerships in technology and innovation @ 05:17](https://youtu.be/HrwPuLTdHag?t=317)"
        )
    );
}

#[test]
fn notes_are_found_by_path_file_name_or_title() {
    for name in [
        "oecdobservatoryofpublicsec3116/public_sector_innovation.md",
        "oecdobservatoryofpublicsec3116/public_sector_innovation",
        "public_sector_innovation",
        "Public Sector Innovation",
    ] {
        let (code, stdout, stderr) = vidwiki(&["show", name]);
        assert_eq!(code, 0, "{name}: {stderr}");
        assert!(stdout.starts_with("Public sector innovation"), "{stdout}");
    }
}

#[test]
fn unknown_note_suggests_titles() {
    let (code, _, stderr) = vidwiki(&["show", "public sector inovation"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Public sector innovation"), "{stderr}");
}

#[test]
fn ambiguous_note_lists_candidates() {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["a", "b"] {
        std::fs::create_dir(dir.path().join(folder)).expect("mkdir");
        std::fs::write(
            dir.path().join(folder).join("same.md"),
            "---\ntitle: Same\n---\n",
        )
        .expect("write");
    }
    let vault = dir.path().to_str().expect("utf-8 path");
    let (code, _, stderr) = vidwiki(&["--vault", vault, "show", "same"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a/same.md") && stderr.contains("b/same.md"),
        "{stderr}"
    );
}

#[test]
fn show_prints_links_as_text_and_timestamps_as_clocks() {
    let (code, stdout, _) = vidwiki(&["show", SPECIMEN]);
    assert_eq!(code, 0);
    assert!(stdout.contains("05:17"), "{stdout}");
    assert!(!stdout.contains("<a class"), "raw HTML in {stdout}");
    assert!(!stdout.contains("[["), "raw wiki-link in {stdout}");
    assert!(stdout.lines().count() > 40, "one line per rendered line");
    assert!(!stdout.contains('\u{240a}'), "newlines are newlines");
    let (_, narrow, _) = vidwiki(&["show", SPECIMEN, "--width", "40"]);
    assert!(
        narrow
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 40)
    );
    assert!(narrow.lines().count() > stdout.lines().count());
}

#[test]
fn show_reads_an_unaliased_link_as_its_note_s_title() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.md"),
        "---\ntitle: First\n---\nSee [[digital_decarbonization]] and [[digital_decarbonization|the alias]].\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("digital_decarbonization.md"),
        "---\ntitle: Digital Decarbonization\n---\nBody.\n",
    )
    .expect("write");
    // Twice: the second call is the lean load from the index cache.
    for _ in 0..2 {
        let (code, stdout, _) = run_in(dir.path(), &["show", "a"]);
        let stdout = String::from_utf8(stdout).expect("utf-8");
        assert_eq!(code, 0);
        assert!(
            stdout.contains("See Digital Decarbonization and the alias."),
            "{stdout}"
        );
        assert!(!stdout.contains("digital_decarbonization"), "{stdout}");
    }
}

#[test]
fn closed_pipe_is_not_a_panic() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vidwiki"))
        .env(
            "VIDWIKI_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/index-cache"),
        )
        .args(["timestamps", SPECIMEN])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn search_ranks_the_exact_title_first_and_supports_fzf_syntax() {
    let (code, stdout, _) = vidwiki(&[
        "search",
        "public sector innovation",
        "--json",
        "--limit",
        "5",
    ]);
    assert_eq!(code, 0);
    let hits = json(&stdout);
    let first = &hits.as_array().expect("array")[0];
    assert_eq!(first["kind"], "note");
    assert_eq!(first["title"], "Public sector innovation");
    let (_, stdout, _) = vidwiki(&["search", "serbia !platform", "--kind", "notes"]);
    assert!(stdout.lines().count() >= 1);
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("note\t") && !l.to_lowercase().contains("platform")),
        "{stdout}"
    );
    let (_, stdout, _) = vidwiki(&["search", "trends", "--kind", "headings", "--limit", "3"]);
    assert_eq!(stdout.lines().count(), 3);
    assert!(
        stdout.lines().all(|l| l.starts_with("heading\t")),
        "{stdout}"
    );
}

/// A vault of two notes: one written `MM:SS:FF` (with a value impossible
/// under both readings), one a three-hour podcast in `HH:MM:SS`.
fn time_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let stamp = |t: &str| format!("<a class=\"yt-timestamp\" data-t=\"{t}\">[{t}]</a>");
    let minutes = format!(
        "---\ntitle: Minutes\nvideoId: UTmFuSZfJ9U\n---\n\nA {} B {} C {}\n",
        stamp("42:34:00"),
        stamp("01:16:16"),
        stamp("12:75:00")
    );
    let podcast = format!(
        "---\ntitle: Podcast\nvideoId: HrwPuLTdHag\n---\n\nA {} B {} C {}\n",
        stamp("00:05:17"),
        stamp("01:16:16"),
        stamp("02:45:10")
    );
    std::fs::write(dir.path().join("minutes.md"), minutes).expect("write");
    std::fs::write(dir.path().join("podcast.md"), podcast).expect("write");
    dir
}

#[test]
fn timestamps_json_carries_the_label_written_and_the_seconds_used() {
    let dir = time_vault();
    let vault = dir.path().to_str().expect("utf-8 path");
    let (code, stdout, _) = vidwiki(&["--vault", vault, "timestamps", "minutes", "--json"]);
    assert_eq!(code, 0);
    let list = json(&stdout);
    let got: Vec<(&str, Option<u64>, &str)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|t| {
            (
                t["label"].as_str().unwrap_or_default(),
                t["seconds"].as_u64(),
                t["read_as"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("42:34:00", Some(2554), "MM:SS:FF"),
            ("01:16:16", Some(76), "MM:SS:FF"),
            ("12:75:00", None, "MM:SS:FF"),
        ]
    );
    assert_eq!(list[0]["clock"], "42:34");
    assert_eq!(list[0]["url"], "https://youtu.be/UTmFuSZfJ9U?t=2554");
    let (_, stdout, _) = vidwiki(&["--vault", vault, "timestamps", "podcast", "--json"]);
    let seconds: Vec<u64> = json(&stdout)
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|t| t["seconds"].as_u64())
        .collect();
    assert_eq!(
        seconds,
        vec![317, 4576, 9910],
        "a long podcast stays HH:MM:SS"
    );
}

#[test]
fn literal_times_reads_as_written() {
    let dir = time_vault();
    let vault = dir.path().to_str().expect("utf-8 path");
    let (code, stdout, _) = vidwiki(&[
        "--vault",
        vault,
        "--literal-times",
        "timestamps",
        "minutes",
        "--json",
    ]);
    assert_eq!(code, 0);
    let list = json(&stdout);
    let seconds: Vec<Option<u64>> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["seconds"].as_u64())
        .collect();
    assert_eq!(seconds, vec![None, Some(4576), None]);
    assert_eq!(list[0]["read_as"], "HH:MM:SS");
    let (_, stdout, _) = vidwiki(&["--vault", vault, "check", "--literal-times", "--json"]);
    let report = json(&stdout);
    assert_eq!(report["times_read_as_minutes"], serde_json::json!([]));
    assert_eq!(report["warnings"], 2);
}

#[test]
fn check_reports_the_reading_once_per_note_and_refuses_the_impossible() {
    let dir = time_vault();
    let vault = dir.path().to_str().expect("utf-8 path");
    let (code, stdout, _) = vidwiki(&["--vault", vault, "check", "--json"]);
    assert_eq!(code, 0);
    let report = json(&stdout);
    let readings = report["times_read_as_minutes"].as_array().expect("array");
    assert_eq!(readings.len(), 1);
    assert_eq!(readings[0]["path"], "minutes.md");
    assert_eq!(
        readings[0]["message"],
        "times read as MM:SS (this note writes MM:SS:FF: `42:34:00` cannot be hours)"
    );
    let problems = report["problems"].as_array().expect("array");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["kind"], "malformed_timestamp");
    let message = problems[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`12:75:00` both as HH:MM:SS and as MM:SS:FF"),
        "{message}"
    );
    let (_, text, _) = vidwiki(&["--vault", vault, "check"]);
    assert!(
        text.contains("Information: times read as MM:SS (1 notes)")
            && text.contains("minutes.md  time_reading  times read as MM:SS"),
        "{text}"
    );
}

// ----- hostile vault: no control byte ever leaves the program ------------

/// Escape sequences an attacker would put in a title or a file name: OSC 52
/// (writes the clipboard), OSC 2 (the window title), CSI, an 8-bit CSI, a
/// bell and a right-to-left override.
const OSC52: &str = "\u{1b}]52;c;ZWNobyBvd25lZA==\u{7}";
const OSC2: &str = "\u{1b}]2;owned\u{7}";

/// A vault whose titles, headings, links, contexts, folder and file names
/// carry escape sequences, raw and YAML-escaped.
fn hostile_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    // Raw bytes in the title (sanitised at load) and YAML escapes that
    // decode to controls only inside the YAML parser.
    write(
        "hostile.md",
        &format!(
            "---\ntitle: \"Evil \\e]52;c;ZWNobw==\\a \\x9b2J \\u202e gnp.exe \\x1b[31m\"\nvideoId: HrwPuLTdHag\n---\n\n\
             # Head {OSC2} \u{9b}31m \u{202e}\n\nSee [[Missing {OSC52}]] and [[evil{OSC2}name|text \u{1b}[5m]] \
             <a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a> around {OSC52} \u{7}\u{7f}.\n\n\
             [[dup]] and [[evil file]]\n"
        ),
    );
    write(
        "raw.md",
        &format!("---\ntitle: Evil raw {OSC52} \u{85}x\n---\n\n[[hostile]] says {OSC2}.\n"),
    );
    // File and folder names with escapes: two notes named `dup`.
    write(
        &format!("a{OSC2}/dup.md"),
        "---\ntitle: Dup one\n---\n\n[[hostile]]\n",
    );
    write(
        "b\u{9b}\u{202e}/dup.md",
        "---\ntitle: Dup two\n---\n\n[[hostile]]\n",
    );
    write(
        &format!("evil file{OSC52}.md"),
        "---\ntitle: \"Evil file \\e]2;x\\a\"\n---\n\nBody \u{1b}[2J.\n",
    );
    // A front matter that does not parse: its error message quotes it.
    write(
        "broken.md",
        &format!("---\ntitle: [unclosed {OSC2}\nvideoId: {OSC52}\n---\n\nx\n"),
    );
    dir
}

fn run_in(vault: &Path, args: &[&str]) -> (i32, Vec<u8>, Vec<u8>) {
    let output = Command::new(env!("CARGO_BIN_EXE_vidwiki"))
        .env(
            "VIDWIKI_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/index-cache"),
        )
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env_remove("VIDWIKI_VAULT")
        .output()
        .expect("run vidwiki");
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        output.stderr,
    )
}

/// The first character a terminal could act on (other than `\n` and
/// `\t`), or that reorders text; raw bytes that are not UTF-8 count too.
fn first_hazard(bytes: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("output is not UTF-8".to_owned());
    };
    text.char_indices()
        .find(|&(_, c)| {
            (c != '\n' && c != '\t' && vidwiki::text::is_terminal_control(c))
                || vidwiki::text::is_bidi_control(c)
        })
        .map(|(i, c)| format!("{c:?} at byte {i}: …{}…", &text[i.saturating_sub(40)..i]))
}

#[test]
fn no_command_prints_a_control_byte_from_a_hostile_vault() {
    let dir = hostile_vault();
    let vault = dir.path();
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["check"],
        vec!["check", "--json"],
        vec!["check", "--strict", "--timings"],
        vec!["show", "hostile"],
        vec!["show", "hostile", "--width", "20"],
        vec!["show", "raw"],
        vec!["links", "hostile"],
        vec!["links", "hostile", "--json"],
        vec!["links", "raw", "--json"],
        vec!["timestamps", "hostile"],
        vec!["timestamps", "hostile", "--json"],
        vec!["timestamps", "hostile", "--format", "url"],
        vec!["timestamps", "hostile", "--format", "markdown"],
        vec!["timestamps", "hostile", "--format", "tsv"],
        vec!["timestamps", "hostile", "--format", "json"],
        vec!["search", "evil"],
        vec!["search", "evil", "--json"],
        vec!["search", "head", "--kind", "headings"],
        vec!["search", "zzzz\u{1b}]2;x\u{7}"],
        // Names that match nothing (closest titles) or several notes.
        vec!["show", "evil"],
        vec!["links", "evl raw"],
        vec!["timestamps", "dup"],
        vec!["show", "dup"],
        // Usage errors echo what was typed.
        vec!["show", "hostile", "--width", "x\u{1b}]2;typed\u{7}"],
        vec!["check", "--\u{1b}]2;flag\u{7}"],
    ];
    let mut checked = 0;
    for args in &commands {
        let (code, stdout, stderr) = run_in(vault, args);
        for (stream, bytes) in [("stdout", &stdout), ("stderr", &stderr)] {
            if let Some(hazard) = first_hazard(bytes) {
                panic!(
                    "vidwiki {args:?} (exit {code}) printed {hazard} on {stream}:\n{}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
        let stderr = String::from_utf8_lossy(&stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        checked += 1;
    }
    assert_eq!(checked, commands.len());
    // The error paths were taken, with the hostile names made visible.
    let (code, _, stderr) = run_in(vault, &["show", "evil"]);
    assert_eq!(code, 2);
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(stderr.contains("closest titles"), "{stderr}");
    assert!(stderr.contains("Evil raw ␛]52;c;"), "{stderr}");
    let (code, _, stderr) = run_in(vault, &["show", "dup"]);
    assert_eq!(code, 2);
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(stderr.contains("a␛]2;owned␇/dup.md"), "{stderr}");
}

#[test]
fn json_output_escapes_c1_and_bidi_but_keeps_the_data() {
    let dir = hostile_vault();
    let (code, stdout, _) = run_in(dir.path(), &["search", "dup", "--json", "--kind", "notes"]);
    assert_eq!(code, 0);
    let text = String::from_utf8(stdout).expect("UTF-8");
    assert!(first_hazard(text.as_bytes()).is_none(), "{text}");
    assert!(text.contains("\\u009b\\u202e/dup.md"), "{text}");
    // Parsed back, the path is the real file name, escapes and all.
    let hits = json(&text);
    let paths: Vec<&str> = hits
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|h| h["path"].as_str())
        .collect();
    assert!(paths.contains(&"b\u{9b}\u{202e}/dup.md"), "{paths:?}");
    assert!(
        paths.contains(&format!("a{OSC2}/dup.md").as_str()),
        "{paths:?}"
    );
}

/// Runs the binary in `dir` with no vault named anywhere.
fn run_here(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_vidwiki"))
        .args(args)
        .current_dir(dir)
        .env_remove("VIDWIKI_VAULT")
        // Never the user's own cache.
        .env(
            "VIDWIKI_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/index-cache"),
        )
        .output()
        .expect("run vidwiki");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A vault of one channel folder (no `notes/` in it), as exported.
fn channel_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let channel = dir.path().join("somechannel");
    std::fs::create_dir(&channel).expect("folder");
    std::fs::write(
        channel.join("first.md"),
        "---\ntitle: First note\n---\n# First note\n\nSee [[second]] and [[second#Nowhere]].\n",
    )
    .expect("write");
    std::fs::write(
        channel.join("second.md"),
        "---\ntitle: Second\n---\n# Second\n\nBack to [[first]]; [[missing topic]].\n",
    )
    .expect("write");
    dir
}

#[test]
fn without_a_notes_folder_the_current_folder_is_the_vault() {
    let vault = channel_vault();
    let (code, stdout, stderr) = run_here(vault.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 notes"), "{stdout}");
    let (code, stdout, stderr) = run_here(vault.path(), &["check", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["notes"], 2);
    // A `notes` folder, when there is one, still wins.
    let (code, stdout, _) = vidwiki(&["check", "--json"]);
    assert_eq!(code, 0);
    assert!(json(&stdout)["notes"].as_u64().expect("notes") >= 13);
}

#[test]
fn no_vault_anywhere_says_how_to_name_one() {
    let empty = tempfile::tempdir().expect("temp dir");
    for args in [&[][..], &["check"]] {
        let (code, stdout, stderr) = run_here(empty.path(), args);
        assert_eq!(code, 2, "{stdout}");
        assert!(
            stderr.contains("no vault here") && stderr.contains("vidwiki PATH"),
            "{stderr}"
        );
    }
}

#[test]
fn the_vault_can_follow_the_command() {
    let vault = channel_vault();
    let path = vault.path().to_str().expect("UTF-8 temp path");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let (code, stdout, stderr) = run_here(elsewhere.path(), &["check", path, "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["notes"], 2);
    for args in [
        &["show", "First note", path][..],
        &["links", "first", path],
        &["timestamps", "first", path],
        &["search", "second", path],
    ] {
        let (code, stdout, stderr) = run_here(elsewhere.path(), args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(!stdout.is_empty(), "{args:?}");
    }
    // --vault still works, after or before the command.
    let (code, _, stderr) = run_here(elsewhere.path(), &["--vault", path, "check"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run_here(elsewhere.path(), &["check", "--vault", path]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn check_ends_with_its_summary_and_filters_by_kind() {
    let vault = channel_vault();
    let (code, stdout, _) = run_here(vault.path(), &["check"]);
    assert_eq!(code, 0);
    let summary = stdout.rfind("\nSummary\n").expect("a summary");
    assert!(stdout.rfind("unresolved_link").expect("listed") > summary);
    let tail = &stdout[summary..];
    assert!(
        tail.contains("2 notes") && tail.contains("1  unresolved_link (warning)"),
        "{tail}"
    );
    assert!(tail.contains("1  missing_heading (warning)"), "{tail}");
    assert!(
        stdout.trim_end().ends_with("ok: no errors, 2 warnings"),
        "{stdout}"
    );
    // The summary alone: no line per finding.
    let (code, short, _) = run_here(vault.path(), &["check", "--summary"]);
    assert_eq!(code, 0);
    assert!(!short.contains("second.md:"), "{short}");
    assert!(short.contains("1  unresolved_link"), "{short}");
    // One kind, as a list or repeated.
    for args in [
        &["check", "--kind", "missing_heading", "--json"][..],
        &["check", "--kind", "missing_heading,bidi_control", "--json"],
        &[
            "check",
            "--kind",
            "missing_heading",
            "--kind",
            "bidi_control",
            "--json",
        ],
    ] {
        let (code, stdout, _) = run_here(vault.path(), args);
        assert_eq!(code, 0);
        let report = json(&stdout);
        let problems = report["problems"].as_array().expect("problems");
        assert_eq!(problems.len(), 1, "{args:?}");
        assert_eq!(problems[0]["kind"], "missing_heading");
        assert_eq!(report["warnings"], 1);
        assert_eq!(report["problem_counts"]["missing_heading"], 1);
        // The keys of before are all still there.
        for key in [
            "notes",
            "links",
            "errors",
            "problems",
            "topics_without_a_note",
        ] {
            assert!(report.get(key).is_some(), "{key}");
        }
    }
    // --strict with a kind: only that kind counts as errors.
    let (code, _, _) = run_here(
        vault.path(),
        &["check", "--strict", "--kind", "bidi_control"],
    );
    assert_eq!(code, 0);
    let (code, _, _) = run_here(
        vault.path(),
        &["check", "--strict", "--kind", "unresolved_link"],
    );
    assert_eq!(code, 1);
    // An unknown kind is a usage error that lists the kinds.
    let (code, _, stderr) = run_here(vault.path(), &["check", "--kind", "unresolved"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown problem kind `unresolved`") && stderr.contains("unresolved_link"),
        "{stderr}"
    );
}

#[test]
fn search_text_is_an_and_over_each_note_ranked_and_grouped() {
    let vault = channel_vault();
    let path = vault.path().to_str().expect("UTF-8 temp path");
    // `back` is only in second.md.
    let (code, stdout, stderr) =
        run_here(vault.path(), &["search", "--text", "back first", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let found = json(&stdout);
    let found = found.as_array().expect("a list");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["path"], "somechannel/second.md");
    assert_eq!(found[0]["lines"], 1);
    // Words on different lines of one note (`# Second`, `Back to`) match.
    let (_, stdout, _) = run_here(vault.path(), &["search", "--text", "second back", path]);
    assert!(
        stdout.starts_with("somechannel/second.md\tSecond\t2 lines\n"),
        "{stdout}"
    );
    let (_, stdout, _) = run_here(vault.path(), &["search", "--text", "nowhere"]);
    assert!(
        stdout.starts_with("somechannel/first.md\tFirst note\t1 line\n"),
        "{stdout}"
    );
    // The title ranks first: `first` is in first.md's title.
    let (_, stdout, _) = run_here(vault.path(), &["search", "--text", "first"]);
    let paths: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("  "))
        .map(|l| l.split('\t').next().unwrap_or(""))
        .collect();
    assert_eq!(
        paths,
        ["somechannel/first.md", "somechannel/second.md"],
        "{stdout}"
    );
    let (_, stdout, _) = run_here(vault.path(), &["search", "--text", "first !back"]);
    assert!(!stdout.contains("second.md"), "{stdout}");
}

// ----- completions and the manual page, generated from the clap definition --

#[test]
fn completions_name_every_command_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script, stderr) = vidwiki(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        for command in ["check", "show", "links", "timestamps", "search", "man"] {
            assert!(script.contains(command), "{shell} script lacks {command}");
        }
        assert!(
            script.contains("literal-times") && script.contains("no-cache"),
            "{shell} script lacks the global flags"
        );
    }
    let (code, _, stderr) = vidwiki(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("possible values"), "{stderr}");
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    let (_, script, _) = vidwiki(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("vidwiki.bash");
    std::fs::write(&file, script).expect("write");
    match Command::new("bash").arg("-n").arg(&file).output() {
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => eprintln!("skipped: bash is not available"),
    }
}

#[test]
fn the_manual_page_is_roff_for_section_one_with_every_command() {
    let (code, page, stderr) = vidwiki(&["man"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(page.contains(".TH vidwiki 1"), "{page}");
    for command in [
        "check",
        "show",
        "links",
        "timestamps",
        "search",
        "completions",
    ] {
        assert!(page.contains(command), "the page lacks {command}");
    }
}
