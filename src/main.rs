//! vidwiki's binary: read the arguments, then hand over.

use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;
use vidwiki::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(command) = &cli.command {
        return cli::run(&cli, command);
    }
    let root = cli.vault_dir();
    // Without a terminal (a pipe, a script) there is nothing to browse in:
    // print the vault's summary instead of drawing into the void.
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return cli::summary(&root);
    }
    if !root.is_dir() {
        eprintln!(
            "vidwiki: cannot open vault {}: not a folder",
            root.display()
        );
        return ExitCode::from(cli::EXIT_USAGE);
    }
    match vidwiki::tui::run(root, cli.open.clone(), cli.time_options()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("vidwiki: {error:#}");
            ExitCode::FAILURE
        }
    }
}
