//! vidwiki's binary: read the arguments, then hand over.
// Every byte printed goes through the sanitising writer of `cli::output`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;
use vidwiki::cli::{self, Cli, output};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    if let Some(command) = &cli.command {
        return cli::run(&cli, command);
    }
    // A broken config stops here: never a session with half of it.
    let config = match cli.config() {
        Ok(config) => config,
        Err(error) => {
            output::stderr_line(format_args!("vidwiki: {error}"));
            return ExitCode::from(cli::EXIT_USAGE);
        }
    };
    let root = match cli.vault_dir_or(config.vault.as_ref()) {
        Ok(root) => root,
        Err(message) => {
            output::stderr_line(format_args!("vidwiki: {message}"));
            return ExitCode::from(cli::EXIT_USAGE);
        }
    };
    // Without a terminal (a pipe, a script) there is nothing to browse in:
    // print the vault's summary instead of drawing into the void.
    #[allow(clippy::disallowed_methods)] // asks only whether it is a terminal
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let times = vidwiki::vault::TimeOptions {
        literal: config.literal_times,
    };
    if !interactive {
        return cli::summary(&root, times, cli.index_cache().as_ref());
    }
    if !root.is_dir() {
        output::stderr_line(format_args!(
            "vidwiki: cannot open vault {}: not a folder",
            root.display()
        ));
        return ExitCode::from(cli::EXIT_USAGE);
    }
    let start = vidwiki::tui::Start {
        home: config.start == vidwiki::config::StartOn::Home,
        no_state: cli.no_state,
        no_color: cli.no_color(std::env::var_os("NO_COLOR").as_deref()),
        config,
        index_cache: cli.index_cache().map(|cache| cache.dir().to_owned()),
        started: Some(started),
    };
    let started = match cli.index_cache() {
        // Unchanged notes come from the index cache, the rest is parsed; a
        // rescan (`R`) starts the same way.
        Some(_) => {
            vidwiki::tui::run_with_loader(root, cli.open.clone(), times, start, |root, send| {
                match vidwiki::vault::IndexCache::from_env() {
                    Some(cache) => vidwiki::vault::loader::spawn_indexed(root, cache, send),
                    None => vidwiki::vault::loader::spawn(root, send),
                }
            })
        }
        None => vidwiki::tui::run_with(root, cli.open.clone(), times, start),
    };
    match started {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            output::stderr_line(format_args!("vidwiki: {error:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Help and version go out as clap writes them (their text is the
/// program's own). Errors echo what was typed, which may come from a
/// script fed with file names: they are printed plain and sanitised.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        error.exit();
    }
    output::write_text(&error.render().to_string(), error.use_stderr());
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(cli::EXIT_USAGE))
}

/// A panic message can quote data (a path, a title): it is sanitised like
/// every other line the program prints. `tui.rs` restores the terminal
/// before this runs.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        output::stderr_line(format_args!("vidwiki: {info}"));
        let trace = std::backtrace::Backtrace::capture();
        if trace.status() == std::backtrace::BacktraceStatus::Captured {
            output::stderr_line(format_args!("{trace}"));
        } else {
            output::stderr_line(format_args!(
                "note: run with `RUST_BACKTRACE=1` to display a backtrace"
            ));
        }
    }));
}
