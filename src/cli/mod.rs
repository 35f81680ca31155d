//! The command line: arguments, and the non-interactive commands. Reuses
//! `vault/` (and `search/`), never `app/`.

/// Like `println!`, but sanitised (see [`output`]), and a closed pipe
/// (`vidwiki check | head`) ends the program quietly instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::stdout_line(format_args!($($arg)*))
    };
}

/// Like `eprintln!`, but sanitised (see [`output`]).
macro_rules! tell {
    ($($arg:tt)*) => {
        $crate::cli::output::stderr_line(format_args!($($arg)*))
    };
}

mod check;
mod note_commands;
pub mod output;
mod search;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};

use crate::vault::{self, FindError, NoteId, Vault};

/// vidwiki: a fast terminal browser for wikis of notes drawn from videos.
///
/// With no command, opens the browser on the vault (default: `notes`).
#[derive(Debug, Parser)]
#[command(name = "vidwiki", version, about, long_about = None)]
pub struct Cli {
    /// The vault folder to open (same as --vault).
    #[arg(value_name = "VAULT")]
    pub vault_dir: Option<PathBuf>,

    /// Note to open first: a path in the vault, a file name or a title.
    #[arg(long, value_name = "NOTE")]
    pub open: Option<String>,

    #[command(flatten)]
    pub vault: VaultArg,

    /// Start on the home page instead of the note last read.
    #[arg(long)]
    pub home: bool,

    /// Neither read nor save where you left off (recent notes, history,
    /// last note, bookmarks).
    #[arg(long)]
    pub no_state: bool,

    /// Read every time as written (HH:MM:SS), without deciding per note
    /// that it writes MM:SS:FF.
    #[arg(long, global = true)]
    pub literal_times: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, clap::Args)]
pub struct VaultArg {
    /// The vault folder.
    #[arg(
        long = "vault",
        value_name = "DIR",
        env = "VIDWIKI_VAULT",
        default_value = "notes",
        global = true
    )]
    pub dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report problems, ambiguous and unresolved links, and counts.
    ///
    /// Exit status: 0 without errors (unresolved links are warnings), 1 with
    /// errors, 2 when the vault cannot be opened.
    Check {
        /// Print JSON for machines.
        #[arg(long)]
        json: bool,
        /// Treat unresolved and ambiguous links as errors.
        #[arg(long)]
        strict: bool,
        /// Print the time of each loading phase and the peak memory (to stderr).
        #[arg(long)]
        timings: bool,
    },
    /// Print a note as plain text, laid out as the browser shows it.
    Show {
        /// A path in the vault, a file name or a title.
        note: String,
        /// Columns to lay the text out in.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(20..))]
        width: u16,
    },
    /// List a note's outgoing links and its backlinks.
    Links {
        /// A path in the vault, a file name or a title.
        note: String,
        /// Print JSON for machines.
        #[arg(long)]
        json: bool,
    },
    /// Fuzzy-search note titles, headings and channels (the picker's ranking).
    ///
    /// fzf syntax: 'exact ^prefix suffix$ !not; smart case.
    Search {
        /// The query.
        query: String,
        /// What to search.
        #[arg(long, value_enum, default_value_t = SearchKind::All)]
        kind: SearchKind,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON for machines.
        #[arg(long)]
        json: bool,
    },
    /// List a note's timestamps with their links.
    Timestamps {
        /// A path in the vault, a file name or a title.
        note: String,
        /// Print JSON for machines (same as --format json).
        #[arg(long)]
        json: bool,
        /// Output format: url prints one link a line, for clipboard tools.
        #[arg(long, value_enum, default_value_t = TimestampFormat::Table)]
        format: TimestampFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchKind {
    All,
    Notes,
    Headings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimestampFormat {
    Table,
    Url,
    Markdown,
    Tsv,
    Json,
}

/// Exit status of a command: 0 fine, 1 errors found, 2 cannot run.
pub const EXIT_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

impl Cli {
    /// The vault folder: the positional argument wins over --vault.
    #[must_use]
    pub fn vault_dir(&self) -> PathBuf {
        self.vault_dir
            .clone()
            .unwrap_or_else(|| self.vault.dir.clone())
    }

    /// How notes' times are read (one place, so a config key can feed it).
    #[must_use]
    pub fn time_options(&self) -> vault::TimeOptions {
        vault::TimeOptions {
            literal: self.literal_times,
        }
    }
}

/// Runs a non-interactive command.
pub fn run(cli: &Cli, command: &Command) -> ExitCode {
    let root = cli.vault_dir();
    let started = std::time::Instant::now();
    let (vault, timings) = match vault::load_timed(&root, cli.time_options()) {
        Ok(loaded) => loaded,
        Err(error) => {
            tell!("vidwiki: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match command {
        Command::Check {
            json,
            strict,
            timings: show_timings,
        } => {
            if *show_timings {
                check::print_timings(&vault, &timings, started.elapsed());
            }
            check::run(&vault, *json, *strict)
        }
        Command::Show { note, width } => {
            with_note(&vault, note, |id| note_commands::show(&vault, id, *width))
        }
        Command::Links { note, json } => {
            with_note(&vault, note, |id| note_commands::links(&vault, id, *json))
        }
        Command::Search {
            query,
            kind,
            limit,
            json,
        } => search::run(&vault, query, *kind, *limit, *json),
        Command::Timestamps { note, json, format } => {
            let format = if *json {
                TimestampFormat::Json
            } else {
                *format
            };
            with_note(&vault, note, |id| {
                note_commands::timestamps(&vault, id, format)
            })
        }
    }
}

/// A short summary of the vault, for `vidwiki` without a terminal.
pub fn summary(root: &std::path::Path) -> ExitCode {
    match vault::load(root) {
        Ok(vault) => {
            let stats = vault.stats();
            say!(
                "{}: {} notes, {} channels, {} links ({} resolved), {} timestamps",
                vault.name(),
                stats.notes,
                stats.channels,
                stats.links,
                stats.resolved,
                stats.timestamps
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            tell!("vidwiki: {error}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn with_note(vault: &Vault, name: &str, command: impl FnOnce(NoteId) -> ExitCode) -> ExitCode {
    match vault.find_note(name) {
        Ok(id) => command(id),
        Err(FindError::NotFound { name, suggestions }) => {
            tell!(
                "vidwiki: no note named `{name}` in {}",
                vault.root.display()
            );
            if !suggestions.is_empty() {
                tell!("closest titles:");
                for title in suggestions {
                    tell!("  {title}");
                }
            }
            ExitCode::from(EXIT_USAGE)
        }
        Err(FindError::Ambiguous { name, candidates }) => {
            tell!("vidwiki: `{name}` names several notes; give one of these paths:");
            for path in candidates {
                tell!("  {path}");
            }
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Text that goes to stdout passes through this: the loader sanitised note
/// text already; this asserts it again where it leaves the program.
fn out(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::sanitize_inline(text)
}
