use std::sync::Arc;

use super::{scan::SNIPPET, *};
use crate::vault::NoteId;

fn doc(id: u32, text: &str) -> Doc {
    titled(id, "", text)
}

fn titled(id: u32, title: &str, text: &str) -> Doc {
    Doc {
        note: NoteId(id),
        source: DocSource::Text(Arc::from(text)),
        body_start: 0,
        title: Arc::from(title),
    }
}

fn notes(found: &[NoteMatches]) -> Vec<u32> {
    found.iter().map(|m| m.note.0).collect()
}

#[test]
fn finds_lines_ignoring_ascii_case_grouped_per_note() {
    let docs = [
        doc(0, "first line\nRust is here\nno\n  and rust again, RUST\n"),
        doc(1, "nothing"),
    ];
    let AllFound {
        notes: found,
        truncated,
        ..
    } = search_all(&docs, "rust", 10, None);
    assert!(!truncated);
    assert_eq!(notes(&found), vec![0]);
    let m = &found[0];
    assert_eq!(m.lines, 2, "one count per line");
    let lines: Vec<u32> = m.hits.iter().map(|h| h.line).collect();
    assert_eq!(lines, vec![2, 4]);
    let h = &m.hits[1];
    assert_eq!(h.snippet, "and rust again, RUST", "indent dropped");
    let marked: Vec<&str> = h.matched.iter().map(|r| &h.snippet[r.clone()]).collect();
    assert_eq!(marked, vec!["rust", "RUST"], "every occurrence is marked");
    assert_eq!(h.text, "rust");
}

#[test]
fn words_are_an_and_over_the_note_not_the_line() {
    let docs = [
        doc(0, "The holy grail of search\n\nand AI makes it real\n"),
        doc(1, "The holy grail, again\n"),
        doc(2, "AI alone\n"),
    ];
    let found = search_all(&docs, "holy grail AI", 10, None).notes;
    assert_eq!(notes(&found), vec![0]);
    assert_eq!(found[0].lines, 2);
    let found = search_all(&docs, "holy grail", 10, None).notes;
    assert_eq!(found.len(), 2);
}

#[test]
fn terms_match_at_a_word_start() {
    let docs = [doc(0, "he said so\n"), doc(1, "AI-based tools\n")];
    let found = search_all(&docs, "ai", 10, None).notes;
    assert_eq!(
        notes(&found),
        vec![1],
        "`said` holds no word starting with ai"
    );
    let found = search_all(&[doc(0, "see #ai here\n")], "#ai", 10, None).notes;
    assert_eq!(
        found.len(),
        1,
        "a term starting with punctuation matches anywhere"
    );
    let found = search_all(&[doc(0, "Grails\n")], "grail", 10, None).notes;
    assert_eq!(found.len(), 1, "a prefix of a word matches");
}

#[test]
fn quotes_make_a_phrase_and_bang_excludes() {
    let docs = [
        doc(0, "model context protocol\n"),
        doc(1, "context of the model, protocol\n"),
        doc(2, "pricing for SaaS\n"),
        doc(3, "pricing of hardware\n"),
    ];
    let found = search_all(&docs, "\"model context protocol\"", 10, None).notes;
    assert_eq!(notes(&found), vec![0]);
    let found = search_all(&docs, "model context protocol", 10, None).notes;
    assert_eq!(notes(&found), vec![0, 1]);
    let found = search_all(&docs, "pricing !saas", 10, None).notes;
    assert_eq!(notes(&found), vec![3]);
    let found = search_all(&docs, "pricing !\"for saas\"", 10, None).notes;
    assert_eq!(notes(&found), vec![3]);
    // Only exclusions, or nothing: no match at all.
    assert!(search_all(&docs, "!saas", 10, None).notes.is_empty());
    assert!(search_all(&docs, "  \"\" ", 10, None).notes.is_empty());
    // An unclosed quote runs to the end.
    let found = search_all(&docs, "\"of hardware", 10, None).notes;
    assert_eq!(notes(&found), vec![3]);
}

#[test]
fn ranks_title_then_heading_then_density_then_path() {
    let filler = "other words here\n".repeat(40);
    let docs = [
        doc(0, &format!("{filler}grail once\n")),
        doc(1, &format!("grail\ngrail\ngrail\n{filler}")),
        doc(2, &format!("## The grail\n{filler}")),
        titled(3, "Holy Grail", &format!("{filler}grail\n")),
        doc(4, &format!("{filler}grail once\n")),
    ];
    let found = search_all(&docs, "grail", 10, None).notes;
    assert_eq!(notes(&found), vec![3, 2, 1, 0, 4]);
    let AllFound {
        notes: found,
        truncated,
        ..
    } = search_all(&docs, "grail", 2, None);
    assert_eq!(notes(&found), vec![3, 2]);
    assert!(truncated);
}

#[test]
fn density_is_that_of_the_rarest_term() {
    let docs = [
        doc(0, &format!("{}grail\n", "AI\n".repeat(20))),
        doc(1, "AI grail\nAI grail\nAI grail\n"),
    ];
    let found = search_all(&docs, "grail ai", 10, None).notes;
    assert_eq!(notes(&found), vec![1, 0]);
}

/// Files are read through the vault's checked reader, its root
/// resolved once: a note whose file now leads out of the vault, or
/// changed size since it was indexed, is skipped.
#[cfg(unix)]
#[test]
fn files_are_read_back_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("vault");
    std::fs::create_dir(&root).unwrap();
    let outside = dir.path().join("secret.md");
    std::fs::write(&outside, "grail outside\n").unwrap();
    let file = |id: u32, name: &str, size: u64| Doc {
        note: NoteId(id),
        source: DocSource::File {
            root: Arc::from(root.as_path()),
            relative: name.into(),
            disk_path: None,
            size,
            modified: None,
        },
        body_start: 0,
        title: Arc::from(""),
    };
    std::fs::write(root.join("in.md"), "grail inside\n").unwrap();
    std::fs::write(root.join("grown.md"), "grail grown\n").unwrap();
    std::os::unix::fs::symlink(&outside, root.join("link.md")).unwrap();
    let docs = [
        file(0, "in.md", 13),
        file(1, "link.md", 14),
        file(2, "grown.md", 3),
    ];
    let found = search_all(&docs, "grail", 10, None).notes;
    assert_eq!(notes(&found), vec![0]);
}

#[test]
fn skips_front_matter_and_counts_lines_from_the_file_start() {
    let text = "---\ntitle: rust\n---\nbody\nrust\n";
    let d = Doc {
        body_start: text.find("body").unwrap(),
        ..doc(3, text)
    };
    let found = search_all(&[d], "RUST", 10, None).notes;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].hits[0].line, 5);
}

#[test]
fn snippets_read_like_the_note_not_its_markup() {
    let text = "* **Agile way** of <a class=\"yt-timestamp\" data-t=\"00:17:31\">[00:17:31]</a> working <a class=\"yt-timestamp\" data-t=\"00:17:40\">[00:17:40]</a> with [[partners|our partners]] here";
    let found = search_all(&[doc(0, text)], "working", 10, None).notes;
    let h = &found[0].hits[0];
    assert_eq!(h.snippet, "Agile way of working with our partners here");
    assert_eq!(&h.snippet[h.matched[0].clone()], "working");
}

#[test]
fn long_lines_are_cut_around_the_match_and_non_ascii_is_safe() {
    let long = format!("{}needle{}", "é ".repeat(100), "x".repeat(300));
    let found = search_all(&[doc(0, &long)], "needle", 10, None).notes;
    let h = &found[0].hits[0];
    assert!(h.snippet.starts_with('…') && h.snippet.ends_with('…'));
    assert_eq!(&h.snippet[h.matched[0].clone()], "needle");
    assert!(h.snippet.chars().count() <= SNIPPET + 2);
    // A phrase starting with a multi-byte char still matches.
    let found = search_all(&[doc(0, "café au lait\n")], "\"café au\"", 10, None).notes;
    assert_eq!(found.len(), 1);
}

#[test]
fn keeps_a_few_lines_per_note_and_counts_all() {
    let text = "a\n".repeat(50);
    let found = search_all(&[doc(0, &text)], "a", 20, None).notes;
    assert_eq!(found[0].lines, 50);
    assert_eq!(found[0].hits.len(), PER_NOTE);
}

#[test]
fn merged_rows_stay_ranked_and_limited() {
    let docs: Vec<Doc> = (0..6)
        .map(|i| doc(i, &format!("{}grail\n", "x\n".repeat(600 * i as usize))))
        .collect();
    let all = search_all(&docs, "grail", 10, None).notes;
    let mut rows = Vec::new();
    // Chunks arrive in any order; the rows end ranked.
    assert!(!merge_rows(&mut rows, all[3..].to_vec(), 10));
    assert!(!merge_rows(&mut rows, all[..3].to_vec(), 10));
    let heads: Vec<u32> = rows
        .iter()
        .filter(|r| r.head.is_some())
        .map(|r| r.note.0)
        .collect();
    assert_eq!(heads, notes(&all));
    assert_eq!(rows.len(), 12, "a head and a line per note");
    assert_eq!(rows[0].head.unwrap().lines, 1);
    assert!(merge_rows(&mut rows, Vec::new(), 4));
    assert_eq!(rows.len(), 8);
}

#[test]
fn ranges_mark_every_term_once() {
    let q = Query::parse("grail holy \"holy grail\"");
    let text = "The Holy Grail and a grail";
    let marked: Vec<&str> = q.ranges(text).iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(marked, vec!["Holy Grail", "grail"]);
}

#[test]
fn typing_on_narrows_and_anything_else_does_not() {
    let q = Query::parse;
    assert!(q("holy grail").narrows(&q("holy gr")));
    assert!(q("holy grail ai").narrows(&q("holy grail")));
    assert!(q("\"holy grail\"").narrows(&q("\"holy gr")));
    assert!(q("pricing !saas").narrows(&q("pricing")));
    assert!(
        !q("pricing !saas").narrows(&q("pricing !saa")),
        "a grown exclusion excludes less"
    );
    assert!(!q("holy").narrows(&q("holy grail")));
    assert!(!q("grail").narrows(&q("#grail")));
}

/// Results of a narrowed search equal those of a fresh one.
#[test]
fn worker_narrowing_finds_what_a_fresh_search_finds() {
    let texts = [
        "holy grail\n",
        "the holy\n",
        "grail and ai\nholy\n",
        "gray\n",
    ];
    let docs: Vec<Doc> = (0..40).map(|i| doc(i, texts[i as usize % 4])).collect();
    let mut ft = FullText::spawn(Arc::new(|| {}));
    let run = |ft: &mut FullText, query: &str| {
        let generation = ft.search(docs.clone(), query);
        let mut rows = Vec::new();
        while let Some(message) = ft.recv() {
            match message {
                Message::Notes {
                    generation: g,
                    notes,
                } if g == generation => {
                    merge_rows(&mut rows, notes, LIMIT);
                }
                Message::Done { generation: g, .. } if g == generation => break,
                _ => {}
            }
        }
        rows
    };
    for typed in [
        "h",
        "holy",
        "holy gr",
        "holy grail",
        "holy grail ai",
        "holy grail !ai",
    ] {
        let narrowed = run(&mut ft, typed);
        let fresh: Vec<TextHit> = search_all(&docs, typed, LIMIT, None)
            .notes
            .into_iter()
            .flat_map(NoteMatches::into_rows)
            .collect();
        assert_eq!(narrowed, fresh, "{typed}");
    }
}

#[test]
fn worker_streams_and_newer_searches_win() {
    let mut ft = FullText::spawn(Arc::new(|| {}));
    let docs: Vec<Doc> = (0..1000)
        .map(|i| doc(i, "alpha\nbeta alpha\ngamma\n"))
        .collect();
    let old = ft.search(docs.clone(), "alpha");
    let new = ft.search(docs, "gamma");
    assert!(new > old);
    let mut rows = Vec::new();
    let mut messages = 0;
    loop {
        match ft.recv().unwrap() {
            Message::Notes { generation, notes } if generation == new => {
                messages += 1;
                merge_rows(&mut rows, notes, LIMIT);
            }
            Message::Done {
                generation,
                truncated,
            } if generation == new => {
                assert!(truncated, "1000 notes match, {LIMIT} are kept");
                break;
            }
            _ => {}
        }
    }
    assert!(messages > 1, "results come in several chunks");
    assert_eq!(rows.len(), 2 * LIMIT);
    assert!(rows.iter().all(|h| h.line == 3));
    let heads: Vec<u32> = rows
        .iter()
        .filter_map(|r| r.head.map(|_| r.note.0))
        .collect();
    assert_eq!(heads, (0..500).collect::<Vec<_>>(), "ties in path order");
}

#[test]
fn a_match_inside_a_link_shows_the_link_as_read() {
    let text = "see [[digital_decarbonization|cutting carbon]] now and [[grail]] too";
    let found = search_all(&[doc(0, text)], "decarbon", 10, None).notes;
    let h = &found[0].hits[0];
    assert_eq!(h.snippet, "see cutting carbon now and grail too");
    assert!(!h.snippet.contains("[["));
    assert_eq!(
        h.text, "decarbon",
        "the find in the note uses the text as written"
    );
    let found = search_all(&[doc(0, text)], "grail", 10, None).notes;
    let h = &found[0].hits[0];
    assert_eq!(h.snippet, "see cutting carbon now and grail too");
    assert_eq!(&h.snippet[h.matched[0].clone()], "grail");
}

#[test]
fn a_title_hit_on_a_common_word_does_not_outrank_a_note_about_the_rare_ones() {
    let filler = "other words here\n".repeat(40);
    let mut docs = vec![
        // Titled with the common word, names the rare ones once.
        titled(
            0,
            "AI in government",
            &format!("{filler}the holy grail of AI\n{filler}"),
        ),
        // About the holy grail; says AI once.
        titled(
            1,
            "Quests",
            &format!("## The holy grail\nThe holy grail, a holy grail, AI.\n{filler}"),
        ),
    ];
    // `AI` is in many titles; `holy` and `grail` in none.
    for id in 2..40 {
        docs.push(titled(id, &format!("AI topic {id}"), "nothing to see\n"));
    }
    let found = search_all(&docs, "holy grail AI", 10, None).notes;
    assert_eq!(notes(&found), vec![1, 0]);
    // A title hit on the rare words still comes first.
    docs.push(titled(
        50,
        "The holy grail",
        &format!("{filler}holy grail ai\n"),
    ));
    let found = search_all(&docs, "holy grail AI", 10, None).notes;
    assert_eq!(notes(&found)[0], 50);
}
