//! The README's key table is generated from the key table that drives the
//! app. Regenerate it with `UPDATE_README=1 cargo test --test readme`.

use std::{path::Path, sync::Mutex};

/// The tests read and may rewrite the same file: one at a time.
static README: Mutex<()> = Mutex::new(());

const START: &str = "<!-- keys:start (generated from src/app/keymap.rs) -->";
const END: &str = "<!-- keys:end -->";

#[test]
fn readme_key_table_matches_the_app() {
    let _one_at_a_time = README
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start = readme
        .find(START)
        .expect("README has the key table start marker")
        + START.len();
    let end = readme
        .find(END)
        .expect("README has the key table end marker");
    let table = vidwiki::app::keymap::markdown_table();
    let current = &readme[start..end];
    if current.trim() == table.trim() {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}\n{}\n{}", &readme[..start], table.trim(), &readme[end..]);
        std::fs::write(&path, updated).expect("write README.md");
        return;
    }
    panic!("README key table is out of date: run UPDATE_README=1 cargo test --test readme");
}

const CONFIG_START: &str = "<!-- config:start (generated: vidwiki config --default) -->";
const CONFIG_END: &str = "<!-- config:end -->";

/// The README's config reference is exactly what `vidwiki config
/// --default` prints (which parses back to the defaults: see the config
/// module's tests).
#[test]
fn readme_config_reference_matches_the_code() {
    let _one_at_a_time = README
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start = readme
        .find(CONFIG_START)
        .expect("README has the config reference start marker")
        + CONFIG_START.len();
    let end = readme
        .find(CONFIG_END)
        .expect("README has the config reference end marker");
    let reference = format!("```toml\n{}```", vidwiki::config::reference::default_file());
    let current = &readme[start..end];
    if current.trim() == reference.trim() {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!(
            "{}\n{}\n{}",
            &readme[..start],
            reference.trim(),
            &readme[end..]
        );
        std::fs::write(&path, updated).expect("write README.md");
        return;
    }
    panic!("README config reference is out of date: run UPDATE_README=1 cargo test --test readme");
}
