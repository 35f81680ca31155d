//! The note picker (Ctrl-P): a query over every note, heading and channel,
//! matched by `crate::search` in the background.

use crate::search::{Hit, Scope};

/// Hits kept for display; the list never shows more at once.
pub const SHOWN: u32 = 200;

#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub query: String,
    pub scope: Scope,
    pub selected: usize,
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub matched: u32,
    pub total: u32,
}
