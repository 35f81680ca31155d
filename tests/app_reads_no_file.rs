//! app/ does no I/O: no file under src/app names a way to open or read a
//! file, and the unit test `app::texts::tests::the_app_reads_no_file`
//! (which checks the same from inside the crate) lists every one of them.

use std::{fs, path::Path};

fn app_files(dir: &Path, under: &str, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).expect("src/app is readable") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let relative = if under.is_empty() {
            name
        } else {
            format!("{under}/{name}")
        };
        if path.is_dir() {
            app_files(&path, &relative, out);
        } else if relative.ends_with(".rs") {
            out.push((relative, fs::read_to_string(&path).expect("source")));
        }
    }
}

#[test]
fn no_file_of_app_opens_or_reads_a_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    app_files(&root.join("src/app"), "", &mut files);
    assert!(files.len() > 10, "found only {} files", files.len());
    let banned = [
        "std::fs",
        "File::",
        "read_to_string",
        "OpenOptions",
        "vault.text(",
        "vault.context(",
        "read_back",
        "text_store",
    ];
    let listed = include_str!("../src/app/texts.rs");
    for (name, source) in &files {
        for word in banned {
            assert!(!source.contains(word), "src/app/{name} uses {word}");
        }
        assert!(
            listed.contains(&format!("include_str!(\"{name}\")")),
            "src/app/{name} is missing from the_app_reads_no_file's list"
        );
    }
}
