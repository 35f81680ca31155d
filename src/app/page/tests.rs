use super::*;

/// The view's lines as plain text.
fn lines_of(view: &View) -> Vec<String> {
    view.lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn counts_have_thousands_separators() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(21_273), "21,273");
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(plural(1, "note", "notes"), "1 note");
}

#[test]
fn most_linked_to_leaves_out_the_from_lines() {
    let mut vault = Vault::new("v");
    let notes = [
        ("chan/chan.md", "---\ntitle: chan\n---\n# chan\n"),
        (
            "chan/topic.md",
            "---\ntitle: Topic\n---\nFrom: [[chan]]\n\n# Topic\n",
        ),
        (
            "chan/a.md",
            "---\ntitle: A\n---\nFrom: [[chan]]\n\n# A\n\n[[topic]]\n",
        ),
        (
            "chan/b.md",
            "---\ntitle: B\n---\nFrom: [[chan]]\n\n# B\n\n[[topic]] [[a]]\n",
        ),
    ];
    for (path, text) in notes {
        vault.add(crate::vault::loader::parse_note(path, text.as_bytes()));
    }
    vault.finish();
    let chan = vault.find_note("chan").unwrap();
    assert_eq!(vault.backlinks(chan).len(), 3, "the From: lines link it");
    let text = lines_of(&home(&vault, 80, false, &Theme::dark(), &[]));
    let start = text
        .iter()
        .position(|l| l.contains("Most linked-to"))
        .unwrap();
    let rows: Vec<&str> = text[start + 1..]
        .iter()
        .map(|l| l.trim().trim_start_matches(|c: char| !c.is_alphanumeric()))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(
        rows[0].starts_with("Topic") && rows[0].ends_with("2 links"),
        "{rows:?}"
    );
    assert!(
        rows[1].starts_with('A') && rows[1].ends_with("1 link"),
        "{rows:?}"
    );
    assert_eq!(
        rows.len(),
        2,
        "the channel page has no other link: {rows:?}"
    );
}

#[test]
fn home_counts_wrap_instead_of_being_cut() {
    let mut vault = Vault::new("v");
    vault.finish();
    let text = lines_of(&home(&vault, 20, false, &Theme::dark(), &[]));
    assert!(text.iter().all(|l| l.width() <= 20), "{text:?}");
    assert!(text.iter().any(|l| l.contains("0 timestamps")), "{text:?}");
}

#[test]
fn while_loading_the_home_page_leaves_out_links_and_timestamps_not_counted_yet() {
    let page_text = |vault: &Vault, loading: bool| -> String {
        lines_of(&home(vault, 100, loading, &Theme::dark(), &[])).join("\n")
    };
    let mut vault = Vault::new("v");
    vault.add(crate::vault::loader::parse_note(
        "chan/a.md",
        b"---\ntitle: A\n---\nFrom: [[chan]]\n\nNo link here.\n",
    ));
    vault.finish();
    let loading = page_text(&vault, true);
    assert!(loading.contains("1 note"), "{loading}");
    assert!(!loading.contains("0 links"), "{loading}");
    assert!(!loading.contains("0 timestamps"), "{loading}");
    let loaded = page_text(&vault, false);
    assert!(
        loaded.contains("0 timestamps"),
        "once loaded, 0 is a count: {loaded}"
    );
    let mut linked = Vault::new("v");
    linked.add(crate::vault::loader::parse_note(
        "chan/a.md",
        b"---\ntitle: A\n---\nFrom: [[chan]]\n\nSee [[b]].\n",
    ));
    linked.finish();
    let loading = page_text(&linked, true);
    assert!(
        loading.contains("link"),
        "a count the parse made is shown while loading: {loading}"
    );
}
