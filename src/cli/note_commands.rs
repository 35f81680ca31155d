//! `vidwiki show`, `links` and `timestamps`: one note on the command line.

use std::process::ExitCode;

use serde_json::json;

use super::{TimestampFormat, out};
use crate::vault::{NoteId, Resolution, Vault, timestamp::format_clock};

/// Where a resolved link leads, as a path (or a channel page name).
fn resolved_path(vault: &Vault, resolution: Resolution) -> Option<String> {
    match resolution {
        Resolution::Note { note, .. } => Some(vault.note(note).path.clone()),
        Resolution::Channel(channel) => Some(format!("channel:{}", vault.channel(channel).name)),
        Resolution::Unresolved | Resolution::Pending => None,
    }
}

pub fn show(vault: &Vault, id: NoteId, width: u16) -> ExitCode {
    let note = vault.note(id);
    match vault.text(id) {
        Ok(text) => {
            // An unaliased link reads as its note's title, as in the browser.
            let titles = |target| {
                vault
                    .get(target)
                    .map(|n: &crate::vault::Note| n.title.clone())
            };
            let theme = crate::theme::Theme::default();
            let rendered = crate::markdown::render_with_titles(note, &text, width, &theme, &titles);
            for line in crate::markdown::plain_text(&rendered).lines() {
                say!("{}", out(line));
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            tell!("vidwiki: {error}");
            ExitCode::from(super::EXIT_ERRORS)
        }
    }
}

pub fn links(vault: &Vault, id: NoteId, json: bool) -> ExitCode {
    let note = vault.note(id);
    let backlinks = vault.backlinks(id);
    if json {
        let outgoing: Vec<_> = note
            .links
            .iter()
            .map(|l| {
                json!({
                    "target": l.target(), "text": l.display_text(), "heading": l.heading(),
                    "resolved": resolved_path(vault, l.resolution()), "line": l.line,
                    "embed": l.embed(), "channel": l.is_channel(),
                    "ambiguous": matches!(l.resolution(), Resolution::Note { ambiguous: true, .. }),
                })
            })
            .collect();
        let back: Vec<_> = backlinks
            .iter()
            .map(|b| {
                let source = vault.note(b.source);
                let link = &source.links[b.link()];
                json!({"path": source.path, "title": source.title, "line": b.line, "context": vault.context(b.source, link.range())})
            })
            .collect();
        say!(
            "{}",
            super::output::json_text(&json!({"outgoing": outgoing, "backlinks": back}))
        );
        return ExitCode::SUCCESS;
    }
    say!("{} ({})", out(&note.title), out(&note.path));
    say!("\nOutgoing links ({})", note.links.len());
    for l in &note.links {
        let target = match &l.heading() {
            Some(h) => format!("{}#{h}", l.target()),
            None => l.target().to_owned(),
        };
        let resolved =
            resolved_path(vault, l.resolution()).unwrap_or_else(|| "unresolved".to_owned());
        say!(
            "  {:>4}  [[{}]]  “{}”  → {}",
            l.line,
            out(&target),
            out(&l.display_text()),
            out(&resolved)
        );
    }
    say!("\nBacklinks ({})", backlinks.len());
    for b in backlinks {
        let source = vault.note(b.source);
        let context = vault.context(b.source, source.links[b.link()].range());
        say!("  {}:{}  {}", out(&source.path), b.line, out(&source.title));
        say!("        {}", out(&context));
    }
    ExitCode::SUCCESS
}

// Long: one command's output, field by field.
pub fn timestamps(vault: &Vault, id: NoteId, format: TimestampFormat) -> ExitCode {
    let note = vault.note(id);
    let rows: Vec<_> = note
        .timestamps
        .iter()
        .map(|t| {
            let url = t
                .seconds()
                .and_then(|s| note.video_id.as_ref().map(|v| v.url_at(s)));
            let heading = (note.headings.section_heading(t)).map(|h| h.text().to_owned());
            (t, url, heading, vault.context(id, t.range()))
        })
        .collect();
    match format {
        TimestampFormat::Json => {
            let list: Vec<_> = rows
                .iter()
                .map(|(t, url, heading, context)| {
                    // `label` as written, `seconds` as used (the note's
                    // reading, `read_as`, may differ from the writing).
                    json!({"label": &*t.label.text(), "seconds": t.seconds(), "read_as": note.time_reading.format.as_str(), "clock": t.seconds().map(format_clock), "url": url, "heading": heading, "line": t.line(), "context": context})
                })
                .collect();
            say!("{}", super::output::json_text(&list));
        }
        TimestampFormat::Url => {
            for (_, url, _, _) in &rows {
                if let Some(url) = url {
                    say!("{url}");
                }
            }
        }
        TimestampFormat::Markdown => {
            for (t, url, _, _) in &rows {
                if let (Some(url), Some(seconds)) = (url, t.seconds()) {
                    say!(
                        "[{} @ {}]({url})",
                        crate::text::clipboard_line(&note.title),
                        format_clock(seconds)
                    );
                }
            }
        }
        TimestampFormat::Tsv => {
            say!("label\tseconds\turl\theading\tline\tcontext");
            for (t, url, heading, context) in &rows {
                let clean = |s: &str| out(s).replace('\t', " ");
                say!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    clean(&t.label.text()),
                    t.seconds().map(|s| s.to_string()).unwrap_or_default(),
                    url.clone().unwrap_or_default(),
                    clean(heading.as_deref().unwrap_or("")),
                    t.line(),
                    clean(context)
                );
            }
        }
        TimestampFormat::Table => {
            say!("{} ({})", out(&note.title), out(&note.path));
            if note.video_id.is_none() {
                say!("  (no valid videoId: timestamps have no links)");
            }
            if let Some(reading) = note.time_reading.explain() {
                say!("  ({})", out(&reading));
            }
            for (t, url, heading, context) in &rows {
                let clock = t
                    .seconds()
                    .map_or_else(|| format!("?{}", t.label), format_clock);
                say!(
                    "  {:>8}  {:>5}s  {}  [{}]",
                    out(&clock),
                    t.seconds()
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "-".into()),
                    url.as_deref().unwrap_or("(no link)"),
                    out(heading.as_deref().unwrap_or("")),
                );
                say!("            {}", out(context));
            }
        }
    }
    ExitCode::SUCCESS
}
