//! Full-text search over the text of every note, off the UI thread.
//!
//! **Query.** Words separated by spaces are an AND over the whole note: a
//! note matches when each word occurs somewhere in its body (not
//! necessarily on one line). `"a phrase"` in double quotes is one term
//! (matched within a line), and `!word` or `!"a phrase"` leaves out every
//! note that contains it (as in fzf). A term matches at the start of a word
//! (`grail` finds `Grails`, `ai` finds `AI` and `AI-based` but not `said`),
//! so short words stay useful; a term starting with punctuation (`#tag`)
//! matches anywhere. Case is ignored for ASCII letters only (`é` and `É`
//! differ): byte offsets of the folded text equal those of the original, so
//! no per-search copy of a note is made.
//!
//! **Results** are grouped per note ([`NoteMatches`]): how many lines match,
//! and the first [`PER_NOTE`] of them with a snippet. Notes are ranked by
//! a sum over the terms, each weighted by its rarity among the titles (an
//! inverse document frequency computed as the search starts): a term in
//! the title counts most, then in a heading (these two scaled again by
//! the term's rarity relative to the query's rarest term), then its density
//! in the body (log scale, capped near that of the rarest term); ties go by path
//! order. So `holy grail AI` puts notes about the holy grail before notes
//! merely titled with the common `AI`. At most
//! [`LIMIT`] notes are kept, after which the search reports itself
//! truncated ("N+").
//!
//! The [`FullText`] worker takes jobs of (generation, query, documents).
//! Documents are cheap [`Arc`] clones of the notes' texts or their paths
//! (read through the vault's checked reader). Every job bumps the
//! generation; the worker scans notes in parallel (rayon) in chunks that
//! grow from small, so the first results come quickly, and drops a job as
//! soon as a newer one exists. Each chunk's matches come back over a
//! channel; the receiver merges them into the ranked list
//! ([`merge_rows`]), then a [`Message::Done`]. Tests use [`search_all`]
//! (synchronous) or block on [`FullText::recv`] until `Done` for their
//! generation: no sleeps, no timing.

mod doc;
mod query;
mod results;
mod scan;
pub mod store;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod tests;
mod worker;

pub use doc::{Doc, DocSource};
pub use query::Query;
pub use results::{AllFound, GroupHead, Message, NoteMatches, TextHit, merge_rows, search_all};
pub use worker::FullText;

/// Most notes one search keeps.
pub const LIMIT: usize = 500;
/// Matching lines of a note given with a snippet (all are counted).
pub const PER_NOTE: usize = 5;
