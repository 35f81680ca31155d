//! The vault argument the probes share: `--help` prints the probe's usage,
//! and a missing or unreadable folder ends the probe with a message and
//! status 2 rather than a panic and a backtrace.

use std::path::PathBuf;

/// The vault folder named by `arg`, or the end of the program: usage on
/// `-h`/`--help` (status 0) or when no folder is named, a message when the
/// folder cannot be read (status 2). `usage` is the probe's arguments,
/// e.g. `parse_probe VAULT [RUNS]`.
pub fn vault_folder(arg: Option<String>, usage: &str) -> PathBuf {
    let Some(arg) = arg else {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    };
    if arg == "-h" || arg == "--help" {
        println!("usage: {usage}");
        std::process::exit(0);
    }
    let root = PathBuf::from(arg);
    if let Err(error) = std::fs::read_dir(&root) {
        // Debug form: a control byte in the path is escaped, never sent to
        // the terminal as is.
        eprintln!("{root:?}: not a readable folder: {error}");
        eprintln!("usage: {usage}");
        std::process::exit(2);
    }
    root
}
