//! `vidwiki check`: the vault's health report.

use std::{
    process::ExitCode,
    sync::Arc,
    time::{Duration, Instant},
};

use serde_json::json;

use super::{EXIT_ERRORS, out};
use crate::{
    search::NoteSearch,
    vault::{LoadTimings, NoteId, ProblemKind, Resolution, Severity, Vault},
};

/// One line of the report. It borrows from the vault and spells its
/// message only when printed: a vault of 100,000 notes has 300,000
/// findings, and their copied paths and messages were tens of MB at the
/// command's peak.
struct Finding<'a> {
    path: &'a str,
    line: Option<u32>,
    kind: &'static str,
    message: Message<'a>,
    severity: Severity,
}

/// What a finding says, as the parts it is written from.
enum Message<'a> {
    Text(&'a str),
    /// `[[target]]` has no note.
    Unresolved {
        target: &'a str,
    },
    /// `[[target]]` matches several notes; `chose` is the one opened.
    Ambiguous {
        target: &'a str,
        chose: &'a str,
    },
    /// `[[target#heading]]` names a heading the note does not have.
    MissingHeading {
        target: &'a str,
        heading: &'a str,
    },
}

impl std::fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text(text) => f.write_str(text),
            Self::Unresolved { target } => write!(f, "[[{target}]] has no note"),
            Self::Ambiguous { target, chose } => {
                write!(f, "[[{target}]] matches several notes; chose {chose}")
            }
            Self::MissingHeading { target, heading } => write!(
                f,
                "[[{target}#{heading}]]: no such heading; the link opens the top of the note"
            ),
        }
    }
}

/// The notes in the order the report lists them: by path.
fn by_path(vault: &Vault) -> Vec<NoteId> {
    let mut ids: Vec<_> = vault.ids().collect();
    ids.sort_by(|a, b| vault.note(*a).path.cmp(&vault.note(*b).path));
    ids
}

/// Hands every finding to `found`, in the report's order (the vault's
/// problems, then the notes of `ids`, each with its problems then its
/// links). They are walked again for each use rather than kept: at
/// 100,000 notes a list of all 300,000 was 26 MB at the command's peak.
fn each_finding<'a>(
    vault: &'a Vault,
    ids: &[NoteId],
    strict: bool,
    mut found: impl FnMut(Finding<'a>),
) {
    let link_severity = if strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    for problem in &vault.problems {
        found(Finding {
            path: &problem.path,
            line: problem.problem.line,
            kind: problem.problem.kind.as_str(),
            message: Message::Text(&problem.problem.message),
            severity: problem.problem.severity(),
        });
    }
    for &id in ids {
        let note = vault.note(id);
        for problem in &note.problems {
            found(Finding {
                path: &note.path,
                line: problem.line,
                kind: problem.kind.as_str(),
                message: Message::Text(&problem.message),
                severity: problem.severity(),
            });
        }
        for link in &note.links {
            let (kind, message) = match link.resolution() {
                Resolution::Unresolved => (
                    "unresolved_link",
                    Message::Unresolved {
                        target: link.target(),
                    },
                ),
                Resolution::Note {
                    note: target,
                    ambiguous: true,
                    ..
                } => (
                    "ambiguous_link",
                    Message::Ambiguous {
                        target: link.target(),
                        chose: &vault.note(target).path,
                    },
                ),
                Resolution::Note { heading: None, .. } if link.heading().is_some() => (
                    MISSING_HEADING,
                    Message::MissingHeading {
                        target: link.target(),
                        heading: link.heading().unwrap_or_default(),
                    },
                ),
                _ => continue,
            };
            found(Finding {
                path: &note.path,
                line: Some(link.line),
                kind,
                message,
                severity: link_severity,
            });
        }
    }
}

/// `--timings`: each loading phase, the search items, and the peak memory,
/// on stderr so that `--json` output stays clean.
pub fn print_timings(vault: &Vault, timings: &LoadTimings, loaded_in: Duration) {
    // The search items are built here only to time them (`check` itself
    // never builds them): the load's own peak is taken before.
    let load_peak = crate::memory::peak_memory_kb();
    let started = Instant::now();
    let mut search = NoteSearch::new(Arc::new(|| {}));
    search.push_vault(vault);
    search.settle();
    let search_items = started.elapsed();
    let (_, items) = search.counts();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    tell!(
        "timings ({} notes, {:.1} MB, {} threads)",
        vault.notes.len(),
        vault.stats().bytes as f64 / 1e6,
        rayon::current_num_threads()
    );
    tell!("  walk          {:8.1} ms", ms(timings.walk));
    tell!("  read          {:8.1} ms", ms(timings.read));
    tell!("  parse         {:8.1} ms", ms(timings.parse));
    tell!("  resolve       {:8.1} ms", ms(timings.finish.resolve));
    tell!("  backlinks     {:8.1} ms", ms(timings.finish.backlinks));
    tell!("  tree          {:8.1} ms", ms(timings.finish.tree));
    tell!("  cache         {}", timings.cache);
    tell!("  total load    {:8.1} ms", ms(loaded_in));
    tell!(
        "  search items  {:8.1} ms ({items} items)",
        ms(search_items)
    );
    match (load_peak, crate::memory::peak_memory_kb()) {
        (Some(load), Some(kb)) => {
            tell!("  peak memory   {:8.1} MB", kb as f64 / 1024.0);
            tell!(
                "    of the load {:8.1} MB (before the search items, which only --timings builds)",
                load as f64 / 1024.0
            );
        }
        _ => tell!("  peak memory   unknown on this system"),
    }
}

/// Notes whose times are not read as written, with the reason: one line a
/// note, information rather than a warning per timestamp.
fn time_readings(vault: &Vault) -> Vec<(&str, String)> {
    let mut readings: Vec<(&str, String)> = vault
        .notes
        .iter()
        .filter_map(|note| Some((note.path.as_str(), note.time_reading.explain()?)))
        .collect();
    readings.sort_unstable();
    readings
}

/// Every kind of finding `check` reports, as `--kind` names them.
#[must_use]
pub fn kinds() -> Vec<&'static str> {
    use ProblemKind as K;
    // A new problem kind fails to compile here until it is listed.
    let listed = |kind: K| match kind {
        K::Unreadable
        | K::NoteTooLarge
        | K::InvalidUtf8
        | K::BrokenYaml
        | K::YamlAlias
        | K::FrontMatterTooLarge
        | K::UnclosedFrontMatter
        | K::MissingTitle
        | K::MissingVideoId
        | K::InvalidVideoId
        | K::MalformedTimestamp
        | K::AmbiguousLink
        | K::UnresolvedLink
        | K::SkippedSymlink
        | K::BidiControl => kind.as_str(),
    };
    let mut kinds: Vec<&'static str> = [
        K::Unreadable,
        K::NoteTooLarge,
        K::InvalidUtf8,
        K::BrokenYaml,
        K::YamlAlias,
        K::FrontMatterTooLarge,
        K::UnclosedFrontMatter,
        K::MissingTitle,
        K::MissingVideoId,
        K::InvalidVideoId,
        K::MalformedTimestamp,
        K::AmbiguousLink,
        K::UnresolvedLink,
        K::SkippedSymlink,
        K::BidiControl,
    ]
    .into_iter()
    .map(listed)
    .collect();
    kinds.extend([MISSING_HEADING, TIME_READING]);
    kinds
}

const MISSING_HEADING: &str = "missing_heading";
const TIME_READING: &str = "time_reading";

/// The kinds `--kind` names (repeated or comma-separated), checked against
/// [`kinds`]; `Err` names the unknown one and lists the kinds.
pub fn parse_kinds(given: &[String]) -> Result<Vec<&'static str>, String> {
    let known = kinds();
    given
        .iter()
        .flat_map(|g| g.split(','))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            known
                .iter()
                .find(|known| known.eq_ignore_ascii_case(k))
                .copied()
                .ok_or_else(|| {
                    format!(
                        "unknown problem kind `{}`; the kinds are: {}",
                        out(k),
                        known.join(", ")
                    )
                })
        })
        .collect()
}

/// How `check` reports.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub json: bool,
    pub strict: bool,
    /// Plain output: the summary only, without a line per finding.
    pub summary: bool,
    /// Only these kinds (all when empty); errors and the exit status count
    /// only these.
    pub kinds: Vec<&'static str>,
}

#[allow(
    clippy::too_many_lines,
    reason = "the report's sections in printing order; to split with the check summary work (issue 12)"
)]
pub fn run(vault: &Vault, options: &Options) -> ExitCode {
    let Options {
        json,
        strict,
        summary,
        ref kinds,
    } = *options;
    let wanted_kind = |kind: &str| kinds.is_empty() || kinds.contains(&kind);
    let stats = vault.stats();
    let mut readings = time_readings(vault);
    if !wanted_kind(TIME_READING) {
        readings.clear();
    }
    let ids = by_path(vault);
    // The findings of the kinds asked for, walked once per use.
    let each_wanted = |visit: &mut dyn FnMut(Finding<'_>)| {
        each_finding(vault, &ids, strict, |f| {
            if wanted_kind(f.kind) {
                visit(f);
            }
        });
    };
    let (mut errors, mut warnings) = (0, 0);
    // Findings by kind, most first (then by name).
    let mut by_kind: Vec<(&str, usize, Severity)> = Vec::new();
    each_wanted(&mut |f| {
        match f.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        match by_kind.iter_mut().find(|(k, ..)| *k == f.kind) {
            Some((_, count, severity)) => {
                *count += 1;
                *severity = (*severity).max(f.severity);
            }
            None => by_kind.push((f.kind, 1, f.severity)),
        }
    });
    by_kind.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let share = if stats.links == 0 {
        100.0
    } else {
        stats.resolved as f64 * 100.0 / stats.links as f64
    };
    if json {
        let mut problems = Vec::with_capacity(errors + warnings);
        each_wanted(&mut |f| {
            problems.push(json!({
                "path": f.path, "line": f.line, "kind": f.kind,
                "message": f.message.to_string(), "severity": f.severity,
            }));
        });
        let wanted: Vec<_> = vault
            .wanted
            .iter()
            .map(|w| json!({"target": w.target, "key": w.key, "links": w.links, "notes": w.notes}))
            .collect();
        let counts: serde_json::Map<String, serde_json::Value> = by_kind
            .iter()
            .map(|(kind, count, _)| ((*kind).to_owned(), json!(count)))
            .collect();
        let report = json!({
            "vault": vault.root.display().to_string(),
            "notes": stats.notes,
            "channels": stats.channels,
            "links": stats.links,
            "resolved": stats.resolved,
            "unresolved": stats.unresolved,
            "ambiguous": stats.ambiguous,
            "resolved_share": (share * 10.0).round() / 10.0,
            "timestamps": stats.timestamps,
            "headings": stats.headings,
            "errors": errors,
            "warnings": warnings,
            "problems": problems,
            "problem_counts": counts,
            "kinds_shown": kinds,
            "times_read_as_minutes": readings
                .iter()
                .map(|(path, message)| json!({"path": path, "message": message}))
                .collect::<Vec<_>>(),
            "topics_without_a_note": wanted,
        });
        say!("{}", super::output::json_text(&report));
    } else {
        say!("vault {} ({})", vault.name(), vault.root.display());
        if !summary {
            for (title, severity, count) in [
                ("Errors", Severity::Error, errors),
                ("Warnings", Severity::Warning, warnings),
            ] {
                say!("\n{title} ({count})");
                each_wanted(&mut |f| {
                    if f.severity != severity {
                        return;
                    }
                    let place = f
                        .line
                        .map_or_else(|| f.path.to_owned(), |l| format!("{}:{l}", f.path));
                    say!(
                        "  {}  {}  {}",
                        out(&place),
                        f.kind,
                        out(&f.message.to_string())
                    );
                });
            }
            if !readings.is_empty() {
                say!(
                    "\nInformation: times read as MM:SS ({} notes)",
                    readings.len()
                );
                for (path, message) in &readings {
                    say!("  {}  {TIME_READING}  {}", out(path), out(message));
                }
            }
            if !vault.wanted.is_empty() && kinds.is_empty() {
                say!("\nTopics without a note ({})", vault.wanted.len());
                for w in vault.wanted.iter().take(20) {
                    say!(
                        "  {}  ({} links from {} notes)",
                        out(&w.target),
                        w.links,
                        w.notes
                    );
                }
            }
        }
        // The summary comes last, where it is seen after the findings
        // scrolled by.
        say!("\nSummary");
        say!(
            "  {} notes · {} channels · {} headings · {} timestamps",
            stats.notes,
            stats.channels,
            stats.headings,
            stats.timestamps
        );
        say!(
            "  {} links: {} resolved ({share:.1}%), {} unresolved, {} ambiguous",
            stats.links,
            stats.resolved,
            stats.unresolved,
            stats.ambiguous
        );
        if !kinds.is_empty() {
            say!("  only: {}", kinds.join(", "));
        }
        for (kind, count, severity) in &by_kind {
            let severity = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            say!("  {count:>8}  {kind} ({severity})");
        }
        if !readings.is_empty() {
            say!("  {:>8}  {TIME_READING} (information)", readings.len());
        }
        if !vault.wanted.is_empty() && kinds.is_empty() {
            say!(
                "  {:>8}  topics without a note (information)",
                vault.wanted.len()
            );
        }
        say!(
            "{}",
            if errors == 0 {
                format!("ok: no errors, {warnings} warnings")
            } else {
                format!("{errors} errors, {warnings} warnings")
            }
        );
    }
    if errors > 0 {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_spell_their_messages_from_the_vault_when_printed() {
        let mut vault = Vault::new(std::path::Path::new("/vault"));
        for (path, text) in [
            (
                "a.md",
                "# A\n\n[[Nowhere]] [[b#Missing]] [[b#Here]] [[Twin]]\n",
            ),
            ("b.md", "# B\n\n## Here\n"),
            ("x/twin.md", "# Twin\n"),
            ("y/twin.md", "# Twin\n"),
        ] {
            vault.add(crate::vault::loader::parse_note(path, text.as_bytes()));
        }
        vault.finish();
        let mut said: Vec<(&str, &str, String)> = Vec::new();
        each_finding(&vault, &by_path(&vault), false, |f| {
            if f.path == "a.md" {
                said.push((f.path, f.kind, f.message.to_string()));
            }
        });
        assert_eq!(
            said,
            [
                (
                    "a.md",
                    "missing_title",
                    "no `title` in the front matter; using `A`".to_owned()
                ),
                (
                    "a.md",
                    "unresolved_link",
                    "[[Nowhere]] has no note".to_owned()
                ),
                (
                    "a.md",
                    MISSING_HEADING,
                    "[[b#Missing]]: no such heading; the link opens the top of the note".to_owned()
                ),
                (
                    "a.md",
                    "ambiguous_link",
                    "[[Twin]] matches several notes; chose x/twin.md".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn kinds_are_read_from_lists_and_unknown_ones_are_named() {
        let given = vec![
            "unresolved_link,missing_heading".to_owned(),
            "BIDI_CONTROL".to_owned(),
        ];
        assert_eq!(
            parse_kinds(&given).unwrap(),
            vec!["unresolved_link", "missing_heading", "bidi_control"]
        );
        let error = parse_kinds(&["unresolved".to_owned()]).unwrap_err();
        assert!(
            error.contains("`unresolved`") && error.contains("unresolved_link, "),
            "{error}"
        );
        let all = kinds();
        assert!(all.contains(&"time_reading") && all.contains(&"broken_yaml"));
    }
}
