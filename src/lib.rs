//! vidwiki: a fast terminal browser for wikis of notes drawn from videos.
#![forbid(unsafe_code)]
// Note content must never crash the program: no unwrap outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// Every byte printed goes through the sanitising writer of `cli::output`.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

pub mod app;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod editor;
pub mod markdown;
pub mod memory;
pub mod search;
pub mod state_file;
pub mod text;
pub mod theme;
pub mod themes;
pub mod tui;
pub mod ui;
pub mod vault;
