//! vidwiki's binary: read the arguments, then hand over.

use std::process::ExitCode;

use clap::Parser;
use vidwiki::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => cli::run(&cli, command),
        None => cli::summary(&cli.vault_dir()),
    }
}
