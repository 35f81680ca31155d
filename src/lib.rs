//! vidwiki: a fast terminal browser for wikis of notes drawn from videos.
#![forbid(unsafe_code)]

pub mod cli;
pub mod clipboard;
pub mod markdown;
pub mod search;
pub mod text;
pub mod vault;
