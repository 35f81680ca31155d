//! What a search finds, grouped per note and ranked, and the merging of
//! a worker's chunks into the ranked list.

use std::ops::Range;

use crate::vault::NoteId;

use super::{
    doc::{Doc, Reader},
    query::Query,
};

/// One matching line, or (with `head`) the row that heads a note's group:
/// a head carries its note's first matching line, so opening or previewing
/// it goes there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextHit {
    pub note: NoteId,
    /// 1-based line in the note's file.
    pub line: u32,
    /// The line around the match (cut with `…` when long; tabs as spaces).
    pub snippet: String,
    /// Byte ranges of the terms in `snippet`, in order, not overlapping.
    pub matched: Vec<Range<usize>>,
    /// The first matched text as written in the note (a find in the
    /// opened note looks for it).
    pub text: String,
    /// Set on a group's head row.
    pub head: Option<GroupHead>,
}

/// What a group's head row shows and how the group ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupHead {
    /// Matching lines in the note.
    pub lines: u32,
    pub score: u64,
}

/// The matches of one note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteMatches {
    pub note: NoteId,
    /// Higher ranks first (see the module's doc); ties go in path order.
    pub score: u64,
    /// Lines with at least one term.
    pub lines: u32,
    /// The first [`PER_NOTE`] of them.
    pub hits: Vec<TextHit>,
}

impl NoteMatches {
    /// The order of the ranked list: best first, then path order.
    pub(super) fn rank(&self) -> (std::cmp::Reverse<u64>, NoteId) {
        (std::cmp::Reverse(self.score), self.note)
    }

    /// The group as list rows: its head, then its lines.
    pub(super) fn into_rows(self) -> impl Iterator<Item = TextHit> {
        let head = self.hits.first().map(|first| TextHit {
            head: Some(GroupHead {
                lines: self.lines,
                score: self.score,
            }),
            ..first.clone()
        });
        head.into_iter().chain(self.hits)
    }
}

/// What the worker sends back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Matches of one chunk of notes, best first.
    Notes {
        generation: u64,
        notes: Vec<NoteMatches>,
    },
    /// The search of this generation is over; `truncated` when more than
    /// [`LIMIT`] notes matched.
    Done { generation: u64, truncated: bool },
}

/// Merges newly found groups into the ranked rows of a list (heads
/// followed by their lines), keeping at most `limit` groups; true when a
/// group was dropped. Linear in the rows plus the new groups' sort.
pub fn merge_rows(rows: &mut Vec<TextHit>, mut notes: Vec<NoteMatches>, limit: usize) -> bool {
    notes.sort_unstable_by_key(NoteMatches::rank);
    let old = std::mem::take(rows);
    let mut old = old.into_iter().peekable();
    let mut new = notes.into_iter().peekable();
    let mut groups = 0;
    let mut dropped = false;
    loop {
        let old_rank = old
            .peek()
            .and_then(|h| h.head.map(|g| (std::cmp::Reverse(g.score), h.note)));
        let next_new = match old_rank {
            Some(o) => new.next_if(|n| n.rank() < o),
            None => new.next(),
        };
        let full = groups >= limit;
        if let Some(group) = next_new {
            groups += 1;
            dropped |= full;
            if !full {
                rows.extend(group.into_rows());
            }
        } else if let Some(head) = old.next() {
            groups += 1;
            dropped |= full;
            if !full {
                rows.push(head);
            }
            while let Some(line) = old.next_if(|h| h.head.is_none()) {
                if !full {
                    rows.push(line);
                }
            }
        } else {
            break;
        }
    }
    dropped
}

/// What [`search_all`] found.
#[derive(Debug)]
pub struct AllFound {
    /// At most `limit` notes, best first.
    pub notes: Vec<NoteMatches>,
    /// More matched.
    pub truncated: bool,
    /// Texts taken from the text store rather than from their files.
    pub from_store: usize,
}

/// Searches every document at once, on this thread (the command line's
/// `search --text`, and tests): at most `limit` notes, best first, the
/// texts read from `store` where it holds them fresh (as the browser's
/// search does; see [`super::store`]), else from the files.
#[must_use]
pub fn search_all(
    docs: &[Doc],
    query: &str,
    limit: usize,
    store: Option<std::sync::Arc<super::store::TextStore>>,
) -> AllFound {
    let mut query = Query::parse(query);
    query.weigh(docs.iter().map(|d| &*d.title));
    let reader = Reader::new(docs.iter(), store);
    let mut found: Vec<NoteMatches> = docs.iter().filter_map(|d| query.scan(d, &reader)).collect();
    found.sort_unstable_by_key(NoteMatches::rank);
    let truncated = found.len() > limit;
    found.truncate(limit);
    AllFound {
        notes: found,
        truncated,
        from_store: reader.from_store.load(std::sync::atomic::Ordering::Relaxed),
    }
}
