//! `vidwiki completions SHELL` and `vidwiki man`: both generated from the
//! clap definition of the command line, so they can never fall behind it.

use std::process::ExitCode;

use clap::CommandFactory;

use super::{Cli, EXIT_USAGE, output};

/// Prints the completion script for `shell`.
#[must_use]
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "vidwiki", &mut script);
    print(&script)
}

/// Prints the manual page (roff).
#[must_use]
pub fn man() -> ExitCode {
    let mut page = Vec::new();
    if let Err(error) = clap_mangen::Man::new(Cli::command()).render(&mut page) {
        tell!("vidwiki: cannot write the manual page: {error}");
        return ExitCode::from(EXIT_USAGE);
    }
    print(&page)
}

/// Generated text is the program's own, but it still leaves through the one
/// sanitising writer, like every other byte vidwiki prints.
fn print(bytes: &[u8]) -> ExitCode {
    output::write_text(&String::from_utf8_lossy(bytes), false);
    ExitCode::SUCCESS
}
