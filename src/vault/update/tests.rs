use super::*;
use crate::vault::loader::parse_note;

/// Many notes asking for topics without a note, one of which changes.
fn vault(notes: usize) -> Vault {
    let mut vault = Vault::new("/v");
    for i in 0..notes {
        vault.add(parse_note(
            &format!("n{i:04}.md"),
            format!(
                "# Note {i}\n\n[[topic {}]] [[Topic {}]] [[shared]] [[n{:04}]]\n",
                i % 7,
                i % 7,
                i + 1
            )
            .as_bytes(),
        ));
    }
    vault.finish();
    vault
}

fn recounted(vault: &Vault) -> Vec<WantedTopic> {
    vault.backlinks_and_wanted().1
}

#[test]
fn topics_without_a_note_are_adjusted_not_recounted() {
    let mut vault = vault(300);
    let n5 = vault.id_of_path("n0005.md").unwrap();
    // The first update builds the index (one pass over the links).
    let work = vault.update_note(n5, parse_note("n0005.md", b"# Note 5\n\n[[brand new]]\n"));
    assert!(work.wanted_recounted, "{work:?}");
    assert_eq!(vault.wanted, recounted(&vault));
    // Later ones adjust the keys they touch.
    let work = vault.update_note(
        n5,
        parse_note(
            "n0005.md",
            b"# Note 5\n\n[[shared]] [[other]] [[topic 3]]\n",
        ),
    );
    assert!(!work.wanted_recounted, "{work:?}");
    assert_eq!(work.wanted_keys, 4, "brand new, shared, other, topic 3");
    assert_eq!(vault.wanted, recounted(&vault));
    // A note that appears answers a topic: its askers are resolved
    // again and the topic leaves the list.
    let (_, work) = vault.add_note(parse_note("shared.md", b"# Shared\n"));
    assert!(!work.wanted_recounted && work.wanted_keys <= 2, "{work:?}");
    assert!(!vault.wanted.iter().any(|w| w.key == "shared"));
    assert_eq!(vault.wanted, recounted(&vault));
    // And a removed one brings it back.
    let shared = vault.id_of_path("shared.md").unwrap();
    let work = vault.remove_note(shared);
    assert!(!work.wanted_recounted, "{work:?}");
    assert_eq!(vault.wanted, recounted(&vault));
    // The work does not grow with the vault: 8x the notes, the same keys.
    let mut big = vault_with_index(2400);
    let n5 = big.id_of_path("n0005.md").unwrap();
    let work = big.update_note(
        n5,
        parse_note(
            "n0005.md",
            b"# Note 5\n\n[[shared]] [[other]] [[topic 3]]\n",
        ),
    );
    assert!(!work.wanted_recounted);
    assert!(work.wanted_keys <= 5, "{work:?}");
    assert_eq!(big.wanted, recounted(&big));
}

/// A vault whose index of who asks for what is already built.
fn vault_with_index(notes: usize) -> Vault {
    let mut vault = vault(notes);
    let last = vault.id_of_path(&format!("n{:04}.md", notes - 1)).unwrap();
    let note = vault.note(last).clone();
    vault.update_note(last, note);
    vault
}
#[test]
fn a_burst_is_applied_to_a_copy_and_renames_are_recognised() {
    let mut shown = vault(10);
    // Copied a slice at a time (as the UI thread does), the same copy.
    let mut copy = shown.begin_snapshot();
    let mut steps = 1;
    while !shown.continue_snapshot(&mut copy, 3) {
        steps += 1;
    }
    assert_eq!(steps, 4, "10 notes, 3 a step");
    let paths = |v: &Vault| v.notes.iter().map(|n| n.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&copy), paths(&shown.snapshot()));
    let n3 = copy.id_of_path("n0003.md").unwrap();
    let n4 = copy.id_of_path("n0004.md").unwrap();
    let burst = vec![
        // A folder renamed: n0003 gone, the same note under moved/.
        BurstChange {
            note: Some(n3),
            path: "n0003.md".into(),
            parsed: None,
        },
        BurstChange {
            note: None,
            path: "moved/n0003.md".into(),
            parsed: Some(parse_note("moved/n0003.md", b"# Note 3\n\n[[n0004]]\n")),
        },
        BurstChange {
            note: Some(n4),
            path: "n0004.md".into(),
            parsed: Some(parse_note("n0004.md", b"# Note four\n")),
        },
        // Stale: not the path the id has.
        BurstChange {
            note: Some(n4),
            path: "elsewhere.md".into(),
            parsed: None,
        },
    ];
    let changes = copy.apply_burst(burst);
    let moved = copy.id_of_path("moved/n0003.md").unwrap();
    assert_eq!(
        changes,
        vec![
            Change::Removed(n3),
            Change::Added(moved),
            Change::Changed(n4)
        ]
    );
    assert_eq!(copy.renamed_to(n3), Some(moved));
    assert_eq!(copy.note(n4).title, "Note four");
    // Resolved once: n0002 links to n0003 by name, which is the moved note.
    let n2 = copy.id_of_path("n0002.md").unwrap();
    assert_eq!(copy.note(n2).links[3].resolution().note(), Some(moved));
    assert_eq!(copy.backlinks(n4).len(), 1, "the moved note alone");
    // The vault copied from is as it was.
    assert_eq!(shown.note(n4).title, "Note 4");
    assert!(!shown.is_removed(n3));
    shown.finish();
    assert_eq!(shown.note(n2).links[3].resolution().note(), Some(n3));
}
