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
mod lean;
mod note_commands;
pub mod output;
mod packaging;
mod search;
mod vault_choice;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};

use crate::vault::{self, FindError, NoteId, Vault};

/// vidwiki: a fast terminal browser for wikis of notes drawn from videos.
///
/// With no command, opens the browser on the vault. The vault is the VAULT
/// argument (before or after the command), else --vault or VIDWIKI_VAULT,
/// else `notes` when that folder exists, else the current folder when it
/// holds Markdown notes.
#[derive(Debug, Parser)]
#[command(name = "vidwiki", version, about, long_about = None)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "clap flags: each bool is one independent switch of the command line"
)]
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

    /// Neither read nor write the index cache: parse every note.
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Colour in the browser: `auto` draws without colour when NO_COLOR is
    /// set (to anything but an empty value), `never` never colours, `always`
    /// colours even then.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// The config file to read instead of the usual one
    /// ($XDG_CONFIG_HOME/vidwiki/config.toml on Linux); VIDWIKI_CONFIG does
    /// the same.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, clap::Args)]
pub struct VaultArg {
    /// The vault folder [default: `notes`, or the current folder when it
    /// holds Markdown notes].
    #[arg(
        long = "vault",
        value_name = "DIR",
        env = "VIDWIKI_VAULT",
        global = true
    )]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report problems, ambiguous and unresolved links, and counts.
    ///
    /// Exit status: 0 without errors (unresolved links are warnings), 1 with
    /// errors, 2 when the vault cannot be opened.
    Check {
        /// The vault folder (same as --vault).
        #[arg(value_name = "VAULT")]
        vault_dir: Option<PathBuf>,
        /// Print JSON for machines.
        #[arg(long)]
        json: bool,
        /// Treat unresolved and ambiguous links as errors.
        #[arg(long)]
        strict: bool,
        /// Print the time of each loading phase and the peak memory (to stderr).
        #[arg(long)]
        timings: bool,
        /// Print only the summary: counts by kind, errors and warnings.
        #[arg(long)]
        summary: bool,
        /// Only findings of this kind (repeat, or a comma list); errors and
        /// the exit status count only these.
        #[arg(long = "kind", value_name = "KIND", value_delimiter = ',')]
        kinds: Vec<String>,
    },
    /// Print a note as plain text, laid out as the browser shows it.
    Show {
        /// A path in the vault, a file name or a title.
        note: String,
        /// The vault folder (same as --vault).
        #[arg(value_name = "VAULT")]
        vault_dir: Option<PathBuf>,
        /// Columns to lay the text out in.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(20..))]
        width: u16,
    },
    /// List a note's outgoing links and its backlinks.
    Links {
        /// A path in the vault, a file name or a title.
        note: String,
        /// The vault folder (same as --vault).
        #[arg(value_name = "VAULT")]
        vault_dir: Option<PathBuf>,
        /// Print JSON for machines.
        #[arg(long)]
        json: bool,
    },
    /// Fuzzy-search note titles, headings and channels (the picker's ranking),
    /// or with --text the text of every note (Ctrl-F's search).
    ///
    /// Names: fzf syntax: 'exact ^prefix suffix$ !not; smart case. Text:
    /// every word must occur in the note (at a word's start, ASCII case
    /// ignored), "a phrase" in quotes, !word leaves out notes holding it.
    Search {
        /// The query.
        query: String,
        /// The vault folder (same as --vault).
        #[arg(value_name = "VAULT")]
        vault_dir: Option<PathBuf>,
        /// What to search.
        #[arg(long, value_enum, default_value_t = SearchKind::All)]
        kind: SearchKind,
        /// Search the text of the notes: notes ranked, their matching lines.
        #[arg(long, conflicts_with = "kind")]
        text: bool,
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
        /// The vault folder (same as --vault).
        #[arg(value_name = "VAULT")]
        vault_dir: Option<PathBuf>,
        /// Print JSON for machines (same as --format json).
        #[arg(long)]
        json: bool,
        /// Output format: url prints one link a line, for clipboard tools.
        #[arg(long, value_enum, default_value_t = TimestampFormat::Table)]
        format: TimestampFormat,
    },
    /// Print a shell completion script, generated from this command line.
    ///
    /// bash: `vidwiki completions bash > ~/.local/share/bash-completion/completions/vidwiki`;
    /// zsh: `vidwiki completions zsh > ~/.zfunc/_vidwiki`; fish: `vidwiki
    /// completions fish > ~/.config/fish/completions/vidwiki.fish`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `vidwiki man > ~/.local/share/man/man1/vidwiki.1`.
    Man,
    /// Print the effective configuration and where each value came from
    /// (default, the file, a flag, the environment).
    Config {
        /// Print a commented config file with every default instead.
        #[arg(long)]
        default: bool,
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
pub use vault_choice::holds_markdown;

pub const EXIT_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// The folder tried when no vault is named.
pub const DEFAULT_VAULT: &str = "notes";

/// When the browser draws in colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Cli {
    /// Whether the browser draws without colour: `--color never`, or
    /// `auto` with `no_color_env` (the value of `NO_COLOR`) set and not
    /// empty, as <https://no-color.org> asks.
    #[must_use]
    pub fn no_color(&self, no_color_env: Option<&std::ffi::OsStr>) -> bool {
        match self.color {
            ColorChoice::Never => true,
            ColorChoice::Always => false,
            ColorChoice::Auto => no_color_env.is_some_and(|value| !value.is_empty()),
        }
    }

    /// How notes' times are read (one place, so a config key can feed it).
    #[must_use]
    pub fn time_options(&self) -> vault::TimeOptions {
        vault::TimeOptions {
            literal: self.literal_times,
        }
    }

    /// The effective configuration: the config file (`--config`,
    /// `VIDWIKI_CONFIG`, or the usual place) with this command line laid
    /// over it. `Err` names the file, line and problem.
    pub fn config(&self) -> Result<crate::config::Config, crate::config::ConfigError> {
        let env = |name: &str| std::env::var(name).ok();
        let located = crate::config::locate(self.config.as_deref(), &env);
        let mut config = crate::config::load(located.as_ref())?;
        let named = self
            .command
            .as_ref()
            .and_then(Command::vault_dir)
            .or(self.vault_dir.as_ref());
        let vault = match (named, &self.vault.dir) {
            (Some(dir), _) => Some((dir.clone(), crate::config::Origin::Flag("VAULT"))),
            (None, Some(dir))
                if env("VIDWIKI_VAULT")
                    .is_some_and(|v| dir.as_path() == std::path::Path::new(&v)) =>
            {
                Some((dir.clone(), crate::config::Origin::Env("VIDWIKI_VAULT")))
            }
            (None, Some(dir)) => Some((dir.clone(), crate::config::Origin::Flag("--vault"))),
            (None, None) => None,
        };
        config.apply(&crate::config::Overrides {
            home: self.home,
            literal_times: self.literal_times,
            vault,
        });
        Ok(config)
    }

    /// The index cache, unless `--no-cache`.
    #[must_use]
    pub fn index_cache(&self) -> Option<vault::IndexCache> {
        if self.no_cache {
            None
        } else {
            vault::IndexCache::from_env()
        }
    }
}

impl Command {
    /// The VAULT given after the command.
    fn vault_dir(&self) -> Option<&PathBuf> {
        match self {
            Self::Check { vault_dir, .. }
            | Self::Show { vault_dir, .. }
            | Self::Links { vault_dir, .. }
            | Self::Search { vault_dir, .. }
            | Self::Timestamps { vault_dir, .. } => vault_dir.as_ref(),
            Self::Completions { .. } | Self::Man | Self::Config { .. } => None,
        }
    }
}

/// Runs a non-interactive command.
// Long: one arm per command.
pub fn run(cli: &Cli, command: &Command) -> ExitCode {
    let config = match without_vault(cli, command) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // A mistyped option is told before the vault is read.
    let check_kinds = match command {
        Command::Check { kinds, .. } => match check::parse_kinds(kinds) {
            Ok(kinds) => kinds,
            Err(message) => {
                tell!("vidwiki: {message}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
        _ => Vec::new(),
    };
    let root = match cli.vault_dir_or(config.vault.as_ref()) {
        Ok(root) => root,
        Err(message) => {
            tell!("vidwiki: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let started = std::time::Instant::now();
    let cache = cli.index_cache();
    let times = vault::TimeOptions {
        literal: config.literal_times,
    };
    // The note commands first try the lean load (heads only, bodies of
    // the notes they show); it answers only when the cache holds exactly
    // the vault's files, all unchanged. Else the full load below.
    if let Some(code) = cache
        .as_ref()
        .and_then(|cache| lean::run(&root, times, cache, command))
    {
        return code;
    }
    let (vault, timings) = match vault::load_cached(&root, times, cache.as_ref()) {
        Ok(loaded) => loaded,
        Err(error) => {
            tell!("vidwiki: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let code = match command {
        Command::Check {
            json,
            strict,
            timings: show_timings,
            summary,
            ..
        } => {
            if *show_timings {
                check::print_timings(&vault, &timings, started.elapsed());
            }
            let options = check::Options {
                json: *json,
                strict: *strict,
                summary: *summary,
                kinds: check_kinds,
            };
            check::run(&vault, &options)
        }
        Command::Show { note, width, .. } => {
            with_note(&vault, note, |id| note_commands::show(&vault, id, *width))
        }
        Command::Links { note, json, .. } => {
            with_note(&vault, note, |id| note_commands::links(&vault, id, *json))
        }
        Command::Search {
            query,
            kind,
            text,
            limit,
            json,
            ..
        } => {
            if *text {
                search::run_text(&vault, query, *limit, *json, cache.as_ref())
            } else {
                search::run(&vault, query, *kind, *limit, *json)
            }
        }
        Command::Timestamps {
            note, json, format, ..
        } => {
            let format = if *json {
                TimestampFormat::Json
            } else {
                *format
            };
            with_note(&vault, note, |id| {
                note_commands::timestamps(&vault, id, format)
            })
        }
        // Answered at the top, before any vault was read.
        Command::Completions { .. } | Command::Man | Command::Config { .. } => ExitCode::SUCCESS,
    };
    // The process ends here: freeing a large vault note by note would
    // add a fifth to a call served from the index cache.
    std::mem::forget(vault);
    code
}

/// The commands that need no vault are answered here (`Err` with their
/// exit status); the others get the effective configuration.
fn without_vault(cli: &Cli, command: &Command) -> Result<crate::config::Config, ExitCode> {
    // These need no config either.
    match command {
        Command::Completions { shell } => return Err(packaging::completions(*shell)),
        Command::Man => return Err(packaging::man()),
        Command::Config { default: true } => {
            output::write_text(&crate::config::reference::default_file(), false);
            return Err(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let config = cli.config().map_err(|error| {
        tell!("vidwiki: {error}");
        ExitCode::from(EXIT_USAGE)
    })?;
    if let Command::Config { .. } = command {
        output::write_text(&config.describe(), false);
        return Err(ExitCode::SUCCESS);
    }
    Ok(config)
}

/// A short summary of the vault, for `vidwiki` without a terminal.
pub fn summary(
    root: &std::path::Path,
    times: vault::TimeOptions,
    cache: Option<&vault::IndexCache>,
) -> ExitCode {
    match vault::load_cached(root, times, cache).map(|(v, _)| v) {
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

pub(crate) fn with_note(
    vault: &Vault,
    name: &str,
    command: impl FnOnce(NoteId) -> ExitCode,
) -> ExitCode {
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[test]
    fn no_color_follows_the_flag_then_the_environment() {
        let cli = |args: &[&str]| Cli::parse_from([&["vidwiki"], args].concat());
        let set = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        assert!(!cli(&[]).no_color(None));
        assert!(cli(&[]).no_color(set));
        assert!(!cli(&[]).no_color(empty), "an empty NO_COLOR is not set");
        assert!(cli(&["--color", "never"]).no_color(None));
        assert!(!cli(&["--color", "always"]).no_color(set));
    }
}
