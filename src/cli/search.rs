//! `vidwiki search`: the jump picker's ranking, or with `--text` the
//! full-text search of Ctrl-F, for scripts and tests.

use std::process::ExitCode;

use serde_json::json;

use super::{SearchKind, out};
use crate::{
    search::{
        ItemKind, Scope,
        fulltext::{self, Doc},
        search_vault,
    },
    vault::Vault,
};

/// `--text`: the notes that match, best first (at most `limit`), each with
/// its count of matching lines and the first of them.
pub fn run_text(vault: &Vault, query: &str, limit: usize, as_json: bool) -> ExitCode {
    let (found, truncated) = fulltext::search_all(&Doc::all(vault), query, limit);
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

pub fn run(vault: &Vault, query: &str, kind: SearchKind, limit: usize, as_json: bool) -> ExitCode {
    let scope = match kind {
        SearchKind::All => Scope::All,
        SearchKind::Notes => Scope::Notes,
        SearchKind::Headings => Scope::Headings,
    };
    let rows: Vec<_> = search_vault(vault, query, scope, limit)
        .into_iter()
        .map(|hit| {
            let item = hit.item;
            let (kind, title, heading, path, line) = match item.kind() {
                ItemKind::Channel => {
                    let channel = item.channel_id().map(|c| vault.channel(c));
                    (
                        "channel",
                        channel.map(|c| c.name.clone()).unwrap_or_default(),
                        None,
                        None,
                        None,
                    )
                }
                ItemKind::Note | ItemKind::Heading => {
                    let note = item.note_id().map(|n| vault.note(n));
                    let heading = item
                        .heading_index()
                        .and_then(|h| note.and_then(|n| n.headings.get(h as usize)));
                    (
                        if item.kind() == ItemKind::Note {
                            "note"
                        } else {
                            "heading"
                        },
                        note.map(|n| n.title.clone()).unwrap_or_default(),
                        heading.map(|h| h.text().to_owned()),
                        note.map(|n| n.path.clone()),
                        heading.map(|h| h.line),
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
