//! `vidwiki search`: the jump picker's ranking, or with `--text` the
//! full-text search of Ctrl-F, for scripts and tests.

use std::process::ExitCode;

use serde_json::json;

use super::{SearchKind, out};
use crate::{
    search::{
        Hit, ItemKind, Scope,
        fulltext::{self, Doc, store::TextStore},
        outline::Outline,
        search_outline,
    },
    vault::{IndexCache, Vault},
};

/// The `--text` search of `vault`, the texts read from the text store
/// beside the index cache where it holds them fresh (as the browser's
/// Ctrl-F does; `--no-cache` gives no `cache`, and every file is read).
pub fn text_search(
    vault: &Vault,
    query: &str,
    limit: usize,
    cache: Option<&IndexCache>,
) -> fulltext::AllFound {
    let store = cache.and_then(|cache| {
        let real_root = vault.root.canonicalize().ok()?;
        TextStore::open(cache.dir(), &real_root).map(std::sync::Arc::new)
    });
    fulltext::search_all(&Doc::all(vault), query, limit, store)
}

/// `--text`: the notes that match, best first (at most `limit`), each with
/// its count of matching lines and the first of them.
pub fn run_text(
    vault: &Vault,
    query: &str,
    limit: usize,
    as_json: bool,
    cache: Option<&IndexCache>,
) -> ExitCode {
    let fulltext::AllFound {
        notes: found,
        truncated,
        ..
    } = text_search(vault, query, limit, cache);
    if as_json {
        let list: Vec<_> = found
            .iter()
            .map(|m| {
                let note = vault.note(m.note);
                let hits: Vec<_> = m
                    .hits
                    .iter()
                    .map(|h| json!({"line": h.line, "text": h.snippet}))
                    .collect();
                json!({"title": note.title, "path": note.path, "lines": m.lines, "hits": hits})
            })
            .collect();
        say!("{}", super::output::json_text(&list));
    } else {
        for m in &found {
            let note = vault.note(m.note);
            let lines = if m.lines == 1 { "line" } else { "lines" };
            say!(
                "{}\t{}\t{} {lines}",
                out(&note.path),
                out(&note.title),
                m.lines
            );
            for h in &m.hits {
                say!("  {}: {}", h.line, out(&h.snippet));
            }
        }
        if truncated {
            tell!("more than {limit} notes match; showing the best {limit} (--limit)");
        }
    }
    if found.is_empty() && !as_json {
        tell!("no matches for `{query}`");
    }
    ExitCode::SUCCESS
}

/// The fuzzy search of `vault` (a loaded vault, or the lean load's
/// outline read from the index cache): the best `limit` items, each with
/// its kind, title, heading, path and line.
pub fn run<O: Outline + ?Sized>(
    vault: &O,
    query: &str,
    kind: SearchKind,
    limit: usize,
    as_json: bool,
) -> ExitCode {
    print(vault, query, ranked(vault, query, kind, limit), as_json)
}

/// The best `limit` items of `vault` for `query`, best first.
pub fn ranked<O: Outline + ?Sized>(
    vault: &O,
    query: &str,
    kind: SearchKind,
    limit: usize,
) -> Vec<Hit> {
    let scope = match kind {
        SearchKind::All => Scope::All,
        SearchKind::Notes => Scope::Notes,
        SearchKind::Headings => Scope::Headings,
    };
    search_outline(vault, query, scope, limit)
}

/// Prints the `hits` of `query` in `vault`, as [`run`] does.
pub fn print<O: Outline + ?Sized>(
    vault: &O,
    query: &str,
    hits: Vec<Hit>,
    as_json: bool,
) -> ExitCode {
    let rows: Vec<_> = hits
        .into_iter()
        .map(|hit| {
            let item = hit.item;
            let (kind, title, heading, path, line) = match item.kind() {
                ItemKind::Channel => (
                    "channel",
                    item.channel_id()
                        .map(|c| vault.channel_name(c.0 as usize).to_owned())
                        .unwrap_or_default(),
                    None,
                    None,
                    None,
                ),
                ItemKind::Note | ItemKind::Heading => {
                    let note = item
                        .note_id()
                        .map(|n| n.index())
                        .filter(|&n| n < vault.note_count());
                    let heading = item.heading_index().and_then(|h| {
                        note.filter(|&n| (h as usize) < vault.heading_count(n))
                            .map(|n| (n, h as usize))
                    });
                    (
                        if item.kind() == ItemKind::Note {
                            "note"
                        } else {
                            "heading"
                        },
                        note.map(|n| vault.title(n).to_owned()).unwrap_or_default(),
                        heading.map(|(n, h)| vault.heading(n, h).to_owned()),
                        note.map(|n| vault.path(n).to_owned()),
                        heading.map(|(n, h)| vault.heading_line(n, h)),
                    )
                }
            };
            (kind, title, heading, path, line, hit.score)
        })
        .collect();
    if as_json {
        let list: Vec<_> = rows
            .iter()
            .map(|(kind, title, heading, path, line, score)| {
                json!({"kind": kind, "title": title, "heading": heading, "path": path, "line": line, "score": score})
            })
            .collect();
        say!("{}", super::output::json_text(&list));
    } else {
        for (kind, title, heading, path, line, _) in &rows {
            say!(
                "{kind}\t{}\t{}\t{}\t{}",
                out(title),
                out(heading.as_deref().unwrap_or("")),
                out(path.as_deref().unwrap_or("")),
                line.map(|l| l.to_string()).unwrap_or_default()
            );
        }
    }
    if rows.is_empty() && !as_json {
        tell!("no matches for `{query}`");
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use std::{
        fs,
        time::{Duration, SystemTime},
    };

    use super::text_search;
    use crate::{
        search::fulltext::{Doc, store},
        vault::IndexCache,
    };

    #[test]
    fn the_text_search_reads_the_fresh_texts_of_the_store_beside_the_index_cache() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("vault");
        fs::create_dir(&root).unwrap();
        for i in 0..4 {
            let path = root.join(format!("n{i}.md"));
            fs::write(&path, format!("# Note {i}\n\nalpha line {i}\n")).unwrap();
            // An hour old: a fresher file is not stored.
            let file = fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(SystemTime::now() - Duration::from_secs(3600))
                .unwrap();
        }
        let vault = crate::vault::load(&root).unwrap();
        let cache = IndexCache::in_dir(dir.path().join("cache"));
        let real_root = root.canonicalize().unwrap();
        let without = text_search(&vault, "alpha", 10, Some(&cache));
        assert_eq!(
            (without.notes.len(), without.from_store),
            (4, 0),
            "no store yet"
        );
        assert!(store::write(cache.dir(), &real_root, &Doc::all(&vault), &|| true).unwrap());
        let with = text_search(&vault, "alpha", 10, Some(&cache));
        assert_eq!(with.from_store, 4, "every text from the store");
        assert_eq!(format!("{:?}", with.notes), format!("{:?}", without.notes));
        // `--no-cache`: no store.
        assert_eq!(text_search(&vault, "alpha", 10, None).from_store, 0);
        // A note changed since: read from its file, the others still stored.
        fs::write(root.join("n0.md"), "# Note 0\n\nalpha changed\n").unwrap();
        let vault = crate::vault::load(&root).unwrap();
        let changed = text_search(&vault, "changed", 10, Some(&cache));
        assert_eq!((changed.notes.len(), changed.from_store), (1, 3));
    }
}
