//! Loads of a small vault of two channel folders by the browser's loader,
//! and what tests compare of them.

use vidwiki::vault::{IndexCache, LoadEvent, Vault, loader};

/// A vault of two channel folders, in a folder named `demo`, its notes
/// dated an hour ago (the cache keeps only notes whose time is safely in
/// the past).
pub fn vault_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    for (path, text) in [
        (
            "alpha_channel/first_video.md",
            "---\ntitle: First video\n---\n\nFrom: [[alpha_channel]] <br/>\n\n# Opening\n\nSee [[second_video]] and [[nowhere]].\n",
        ),
        (
            "alpha_channel/second_video.md",
            "---\ntitle: Second video\n---\n\nFrom: [[alpha_channel]] <br/>\n\nBack to [[first_video]].\n",
        ),
        (
            "beta_channel/third.md",
            "---\ntitle: Third talk\n---\n\nFrom: [[beta_channel]] <br/>\n\nText.\n",
        ),
    ] {
        write_old(&root.join(path), text);
    }
    (dir, root)
}

/// Writes a note dated an hour ago: the cache keeps only notes whose
/// time is safely in the past (a write within the same tick could go
/// unseen).
pub fn write_old(file: &std::path::Path, text: &str) {
    write_at(file, text, 3600);
}

/// Writes a note dated `age` seconds ago.
pub fn write_at(file: &std::path::Path, text: &str, age: u64) {
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
    set_age(file, age);
}

/// Dates the file `age` seconds ago.
pub fn set_age(file: &std::path::Path, age: u64) {
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
    std::fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// Every event of one run of the browser's loader, in order; `stop_at`
/// makes the receiver go away at the first event it matches (the user
/// quit).
pub fn load_until(
    root: &std::path::Path,
    cache: &std::path::Path,
    stop_at: fn(&LoadEvent) -> bool,
) -> Vec<LoadEvent> {
    let (send, receive) = std::sync::mpsc::channel();
    loader::spawn_indexed(root.to_path_buf(), IndexCache::in_dir(cache), move |e| {
        !stop_at(&e) && send.send(e).is_ok()
    })
    .join()
    .expect("the loader ends");
    receive.try_iter().collect()
}

/// Every event of one run of the browser's loader, in order.
pub fn load(root: &std::path::Path, cache: &std::path::Path) -> Vec<LoadEvent> {
    load_until(root, cache, |_| false)
}

/// A load's events before the hand-over, and the hand-over (the last
/// event), taken apart: a test feeds the first to an app, acts, then
/// hands over.
pub fn up_to_hand_over(
    root: &std::path::Path,
    cache: &std::path::Path,
) -> (Vec<LoadEvent>, LoadEvent) {
    let mut events = load(root, cache);
    let indexed = events.pop().expect("the hand-over comes last");
    assert!(matches!(indexed, LoadEvent::Indexed(_)));
    (events, indexed)
}

/// An app on a `width`×30 screen, opening `open`, fed `events` as the
/// event loop feeds them (each made ready as on the loader's thread, the
/// reads and parses they ask for carried out).
pub fn app_fed(
    root: &std::path::Path,
    events: Vec<LoadEvent>,
    open: Option<&str>,
    width: u16,
) -> vidwiki::app::App {
    let mut app = vidwiki::app::App::new(
        Vault::new(root),
        open.map(str::to_owned),
        ratatui::layout::Rect::new(0, 0, width, 30),
    );
    for event in events {
        app.on_loaded(vidwiki::app::Loaded::prepare(event));
        super::settle(&mut app, Vec::new());
    }
    app
}

/// The vault handed over among a load's events.
pub fn handed_over(events: &[LoadEvent]) -> Option<&Vault> {
    events.iter().find_map(|e| match e {
        LoadEvent::Indexed(vault) => Some(&**vault),
        _ => None,
    })
}

/// Everything a note and the vault's indexes say, for comparing a vault
/// with a full load's (ids are the walk's order in both).
pub fn index_of(vault: &Vault) -> Vec<String> {
    let mut out: Vec<String> = vault
        .notes
        .iter()
        .map(|n| format!("{n:?}"))
        .chain(vault.backlinks.iter().map(|b| format!("{b:?}")))
        .collect();
    out.push(format!("{:?}", vault.tree));
    out.push(format!("{:?}", vault.wanted));
    out.push(format!("{:?}", vault.channels));
    out.push(format!("{:?}", vault.stats()));
    out
}
