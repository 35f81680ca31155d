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
//! how many terms occur in the title, then how many occur in a heading,
//! then term density (occurrences per 10 kB of the term the note holds
//! least), then path order. At most
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

use std::{
    ops::Range,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    thread,
    time::SystemTime,
};

use rayon::prelude::*;

use crate::vault::{
    NoteId, Vault,
    text_store::{read_back, read_back_under},
};

/// Most notes one search keeps.
pub const LIMIT: usize = 500;
/// Matching lines of a note given with a snippet (all are counted).
pub const PER_NOTE: usize = 5;
/// Notes scanned in the first chunk; each next chunk is twice as big (up to
/// [`CHUNK_MAX`]), so the first results come early and later chunks pay
/// little for the hand-over.
const CHUNK_FIRST: usize = 256;
const CHUNK_MAX: usize = 4096;
/// Characters of a line kept before the match in a snippet.
const BEFORE: usize = 40;
/// Longest snippet, in characters (before the ellipses).
const SNIPPET: usize = 160;

/// One note to search. Its text is in memory for notes made from bytes;
/// for notes of a vault on disk the worker reads the file (the index keeps
/// no text), so the UI thread never does.
#[derive(Clone, Debug)]
pub struct Doc {
    pub note: NoteId,
    pub source: DocSource,
    /// Where the body starts (front matter is not searched).
    pub body_start: usize,
    /// The note's title (a term found there ranks the note first).
    pub title: Arc<str>,
}

#[derive(Clone, Debug)]
pub enum DocSource {
    Text(Arc<str>),
    File {
        /// The vault: a file that leads out of it is not read.
        root: PathBuf,
        path: PathBuf,
        relative: String,
        size: u64,
        modified: Option<SystemTime>,
    },
}

impl Doc {
    #[must_use]
    pub fn of(vault: &Vault, id: NoteId) -> Self {
        let note = vault.note(id);
        let source = match &note.text {
            Some(text) => DocSource::Text(Arc::clone(text)),
            None => DocSource::File {
                root: vault.root.clone(),
                path: vault.path_of(id),
                relative: note.path.clone(),
                size: note.size,
                modified: note.modified,
            },
        };
        Self {
            note: id,
            source,
            body_start: note.body_start,
            title: Arc::from(note.title.as_str()),
        }
    }

    /// Every note of the vault, in path order.
    #[must_use]
    pub fn all(vault: &Vault) -> Vec<Self> {
        vault.ids().map(|id| Self::of(vault, id)).collect()
    }

    /// The note's text; `None` when its file cannot be read back as it
    /// was indexed (then it is skipped). `real_root` is a vault root
    /// already resolved (`(root, root.canonicalize())`), used when it is
    /// this note's.
    fn text(&self, real_root: Option<&(PathBuf, PathBuf)>) -> Option<Arc<str>> {
        match &self.source {
            DocSource::Text(text) => Some(Arc::clone(text)),
            DocSource::File {
                root,
                path,
                relative,
                size,
                modified,
            } => {
                let expected = Some((*size, *modified));
                match real_root {
                    Some((known, real)) if known == root => {
                        read_back_under(real, path, relative, expected).ok()
                    }
                    _ => read_back(root, path, relative, expected).ok(),
                }
            }
        }
    }
}

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
    fn rank(&self) -> (std::cmp::Reverse<u64>, NoteId) {
        (std::cmp::Reverse(self.score), self.note)
    }

    /// The group as list rows: its head, then its lines.
    fn into_rows(self) -> impl Iterator<Item = TextHit> {
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

/// Searches every document at once, on this thread: at most `limit`
/// notes, best first, and whether more matched.
#[must_use]
pub fn search_all(docs: &[Doc], query: &str, limit: usize) -> (Vec<NoteMatches>, bool) {
    let query = Query::parse(query);
    let real_root = real_root(docs.iter());
    let mut found: Vec<NoteMatches> = docs
        .iter()
        .filter_map(|d| query.scan(d, real_root.as_ref()))
        .collect();
    found.sort_unstable_by_key(NoteMatches::rank);
    let truncated = found.len() > limit;
    found.truncate(limit);
    (found, truncated)
}

/// A parsed query: the terms every matching note holds, and those it must
/// not hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    positive: Vec<Term>,
    negative: Vec<Term>,
    /// Indices of `positive`, likely rarest first: a note is rejected as
    /// soon as one term is missing, and a missing term costs a whole pass
    /// over the note, so the term most likely missing goes first.
    check_order: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    /// Lowered (ASCII) bytes.
    needle: Vec<u8>,
    /// The term starts with a letter or digit, so it matches at a word's
    /// start only.
    word_start: bool,
    /// The needle's byte least common in text: candidates are found with
    /// `memchr2` on it (both cases), then checked.
    pivot: usize,
}

impl Term {
    fn new(text: &str) -> Self {
        let needle = text.as_bytes().to_ascii_lowercase();
        let word_start = text.chars().next().is_some_and(char::is_alphanumeric);
        let pivot = (0..needle.len())
            .max_by_key(|&i| rarity(needle[i]))
            .unwrap_or(0);
        Self {
            needle,
            word_start,
            pivot,
        }
    }

    /// The first match at or after `from` in `text`.
    fn find(&self, text: &str, from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let n = self.needle.len();
        let p = self.needle[self.pivot];
        let (lower, upper) = (p, p.to_ascii_uppercase());
        let mut at_pivot = from + self.pivot;
        while at_pivot < bytes.len() {
            let found = at_pivot + memchr::memchr2(lower, upper, &bytes[at_pivot..])?;
            let at = found - self.pivot;
            at_pivot = found + 1;
            if at + n <= bytes.len()
                && bytes[at..at + n].eq_ignore_ascii_case(&self.needle)
                && text.is_char_boundary(at)
                && text.is_char_boundary(at + n)
                && (!self.word_start || !text[..at].ends_with(char::is_alphanumeric))
            {
                return Some(at);
            }
        }
        None
    }

    fn occurs_in(&self, text: &str) -> bool {
        self.find(text, 0).is_some()
    }

    /// Every text this term matches is matched by `shorter` too (a term
    /// matches a prefix of a word, or anywhere).
    fn narrows(&self, shorter: &Self) -> bool {
        self.needle.starts_with(&shorter.needle) && self.word_start == shorter.word_start
    }
}

/// How rare a byte is in English text (higher is rarer): the pivot of a
/// term is its rarest byte, so `memchr` stops at fewer false candidates.
fn rarity(byte: u8) -> u8 {
    const COMMON: &[u8] = b" etaoinsrhldcumfpgwybvkxjqz";
    match COMMON.iter().position(|&c| c == byte.to_ascii_lowercase()) {
        Some(rank) => u8::try_from(rank).unwrap_or(u8::MAX),
        // Digits, punctuation and the bytes of other letters are rarer
        // than any ASCII letter.
        None => u8::MAX,
    }
}

impl Query {
    /// Parses `words "a phrase" !not !"not this"`. An unclosed quote runs
    /// to the end; empty terms are ignored.
    #[must_use]
    pub fn parse(query: &str) -> Self {
        let mut out = Self::default();
        let mut rest = query;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let negative = rest.starts_with('!');
            if negative {
                rest = &rest[1..];
            }
            let term;
            if let Some(quoted) = rest.strip_prefix('"') {
                let end = quoted.find('"').unwrap_or(quoted.len());
                term = &quoted[..end];
                rest = quoted.get(end + 1..).unwrap_or("");
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                term = &rest[..end];
                rest = &rest[end..];
            }
            if term.trim().is_empty() {
                continue;
            }
            let list = if negative {
                &mut out.negative
            } else {
                &mut out.positive
            };
            list.push(Term::new(term));
        }
        out.check_order = (0..out.positive.len()).collect();
        out.check_order.sort_by_key(|&i| {
            let t = &out.positive[i];
            std::cmp::Reverse((t.needle.len(), rarity(t.needle[t.pivot])))
        });
        out
    }

    /// Every note matching `self` matches `older` too (the query was typed
    /// on: a term grew, a term or an exclusion was added), so a search for
    /// `self` only needs to look at the notes that matched `older`.
    #[must_use]
    pub fn narrows(&self, older: &Self) -> bool {
        older
            .positive
            .iter()
            .all(|o| self.positive.iter().any(|n| n.narrows(o)))
            && older.negative.iter().all(|o| self.negative.contains(o))
    }

    /// True when a term occurs in `title` (such notes rank first, so they
    /// are searched first).
    fn in_title(&self, title: &str) -> bool {
        self.positive.iter().any(|t| t.occurs_in(title))
    }

    /// True when the query has nothing to look for.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.positive.is_empty()
    }

    /// Byte ranges of the terms in `text` (for highlighting a line shown):
    /// in order, overlaps merged.
    #[must_use]
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for term in &self.positive {
            let mut from = 0;
            while let Some(at) = term.find(text, from) {
                ranges.push(at..at + term.needle.len());
                from = at + 1;
            }
        }
        ranges.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// The note's matches, or `None` when it does not match.
    fn scan(&self, doc: &Doc, real_root: Option<&(PathBuf, PathBuf)>) -> Option<NoteMatches> {
        if self.positive.is_empty() {
            return None;
        }
        let text = doc.text(real_root)?;
        let text: &str = &text;
        let body_start = (doc.body_start..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        let body = &text[body_start..];
        // Cheap rejections first: a missing term, then an excluded one.
        if !self
            .check_order
            .iter()
            .all(|&i| self.positive[i].occurs_in(body))
            || self.negative.iter().any(|t| t.occurs_in(body))
        {
            return None;
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut rarest = usize::MAX;
        for term in &self.positive {
            let before = found.len();
            let mut from = 0;
            while let Some(at) = term.find(body, from) {
                found.push((body_start + at, term.needle.len()));
                from = at + term.needle.len();
            }
            rarest = rarest.min(found.len() - before);
        }
        found.sort_unstable();
        let bytes = text.as_bytes();
        let mut line = 1 + count_newlines(&bytes[..body_start]);
        let mut counted = body_start;
        let mut line_end = 0;
        let mut lines = 0u32;
        let mut hits = Vec::new();
        let mut in_heading = vec![false; self.positive.len()];
        for &(at, len) in &found {
            if at < line_end && lines > 0 {
                continue;
            }
            lines += 1;
            line += count_newlines(&bytes[counted..at]);
            counted = at;
            let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            let line_text = &text[start..line_end];
            if is_heading(line_text) {
                for (seen, term) in in_heading.iter_mut().zip(&self.positive) {
                    *seen |= term.occurs_in(line_text);
                }
            }
            if hits.len() < PER_NOTE {
                let mut hit = snippet(doc.note, line, line_text, at - start..at - start + len);
                hit.matched = self.ranges(&hit.snippet);
                hits.push(hit);
            }
        }
        let in_title = self
            .positive
            .iter()
            .filter(|t| t.occurs_in(&doc.title))
            .count() as u64;
        let in_heading = in_heading.iter().filter(|&&s| s).count() as u64;
        // Occurrences per 10 kB of body of the term the note holds least
        // (a note full of `AI` that names `grail` once is not about `holy
        // grail AI`); short notes count as 1 kB so a one-line note does
        // not outrank a note about the topic.
        let density = (rarest as u64 * 10_000 / body.len().max(1_000) as u64).min(0xffff_ffff);
        Some(NoteMatches {
            note: doc.note,
            score: (in_title << 48) | (in_heading << 32) | density,
            lines,
            hits,
        })
    }
}

fn is_heading(line: &str) -> bool {
    let rest = line.trim_start().trim_start_matches('#');
    rest.len() < line.trim_start().len() && rest.starts_with(' ')
}

fn count_newlines(bytes: &[u8]) -> u32 {
    u32::try_from(memchr::memchr_iter(b'\n', bytes).count()).unwrap_or(u32::MAX)
}

/// Builds the hit for a match at `range` of `line_text` (its `matched`
/// holds that match only; [`Query::scan`] puts every term's there).
fn snippet(note: NoteId, line: u32, line_text: &str, range: Range<usize>) -> TextHit {
    let line_text = line_text.trim_end_matches('\r');
    let range = range.start.min(line_text.len())..range.end.min(line_text.len());
    let matched_text = line_text[range.clone()].replace('\t', " ");
    // What is shown around the match is the line as a reader sees it:
    // timestamp anchors, tags, emphasis marks and link brackets go, and so
    // do list and quote markers at the start of the line.
    let line_start = line_text.len() - line_text.trim_start().len();
    let raw_before = &line_text[line_start.min(range.start)..range.start];
    let mut before = crate::vault::context::strip_block_markers(&readable(raw_before)).to_owned();
    // Stripping trims: give back the space that parts the text from the match.
    if !before.is_empty() && raw_before.ends_with(char::is_whitespace) {
        before.push(' ');
    }
    let after = readable(&line_text[range.end..]);
    let before_chars = before.chars().count();
    let mut out = String::new();
    if before_chars > BEFORE {
        out.push('…');
        out.extend(before.chars().skip(before_chars - BEFORE));
    } else {
        out.push_str(&before);
    }
    let offset = out.len();
    out.push_str(&matched_text);
    let room = SNIPPET.saturating_sub(out.chars().count());
    let after_chars = after.chars().count();
    out.extend(after.chars().take(room));
    if after_chars > room {
        out.push('…');
    }
    let matched = std::iter::once(offset..offset + matched_text.len()).collect();
    debug_assert!(crate::text::is_terminal_safe(&out));
    TextHit {
        note,
        line,
        snippet: out,
        matched,
        text: matched_text,
        head: None,
    }
}

/// A piece of a line as a reader sees it (see `context::plain`), on one
/// line, tabs as spaces.
fn readable(text: &str) -> String {
    let plain = crate::vault::context::plain(text);
    // Removed markup leaves runs of spaces behind: one is enough.
    let mut out = String::with_capacity(plain.len());
    let mut last_space = false;
    for c in plain.chars() {
        let space = c.is_whitespace();
        if !(space && last_space) {
            out.push(if space { ' ' } else { c });
        }
        last_space = space;
    }
    out
}

/// The vault root of the first document read from disk, with its real
/// path: resolved once per search instead of once per file.
fn real_root<'a>(mut docs: impl Iterator<Item = &'a Doc>) -> Option<(PathBuf, PathBuf)> {
    docs.find_map(|d| match &d.source {
        DocSource::File { root, .. } => {
            let real = root.canonicalize().ok()?;
            Some((root.clone(), real))
        }
        DocSource::Text(_) => None,
    })
}

struct Job {
    generation: u64,
    query: String,
    docs: Arc<[Doc]>,
}

/// A cheap sign of a vault's notes changing: their number, sizes, times,
/// body starts, titles' lengths and in-memory texts. The documents of the
/// last search are reused while it stays the same, so a keystroke does not
/// rebuild 20k of them on the UI thread.
fn fingerprint(vault: &Vault) -> u64 {
    vault
        .notes
        .iter()
        .fold(vault.notes.len() as u64, |h, note| {
            let time = note
                .modified
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64);
            let text = note.text.as_ref().map_or(0, |t| t.as_ptr() as u64);
            let parts = [
                note.size,
                time,
                note.body_start as u64,
                note.title.len() as u64,
                text,
            ];
            parts.iter().fold(h, |h, &x| {
                (h ^ x).wrapping_mul(0x0100_0000_01b3).rotate_left(5)
            })
        })
}

/// The background full-text searcher: one worker thread, fed jobs, sending
/// [`Message`]s back. Dropping it ends the worker.
pub struct FullText {
    jobs: mpsc::Sender<Job>,
    results: mpsc::Receiver<Message>,
    latest: Arc<AtomicU64>,
    generation: u64,
    /// The documents of the vault's last search, by its fingerprint.
    docs: Option<(u64, Arc<[Doc]>)>,
}

impl std::fmt::Debug for FullText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FullText")
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl FullText {
    /// Starts the worker. `notify` is called after each message is sent
    /// (from the worker thread): keep it tiny.
    #[must_use]
    pub fn spawn(notify: Arc<dyn Fn() + Send + Sync>) -> Self {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (result_tx, results) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let worker_latest = Arc::clone(&latest);
        thread::spawn(move || worker(&job_rx, &result_tx, &worker_latest, &*notify));
        Self {
            jobs,
            results,
            latest,
            generation: 0,
            docs: None,
        }
    }

    /// Starts a new search, cancelling any running one; returns its
    /// generation. Messages of older generations may still arrive: compare.
    pub fn search(&mut self, docs: impl Into<Arc<[Doc]>>, query: &str) -> u64 {
        let docs = docs.into();
        self.generation += 1;
        self.latest.store(self.generation, Ordering::Release);
        // A send fails only if the worker is gone; then nothing comes back
        // and the search simply shows no results.
        let _ = self.jobs.send(Job {
            generation: self.generation,
            query: query.to_owned(),
            docs,
        });
        self.generation
    }

    /// Searches every note of the vault (see [`FullText::search`]); the
    /// documents are built again only when the notes changed.
    pub fn search_vault(&mut self, vault: &Vault, query: &str) -> u64 {
        let print = fingerprint(vault);
        let docs = match &self.docs {
            Some((known, docs)) if *known == print => Arc::clone(docs),
            _ => {
                let docs: Arc<[Doc]> = Doc::all(vault).into();
                self.docs = Some((print, Arc::clone(&docs)));
                docs
            }
        };
        self.search(docs, query)
    }

    /// Cancels the running search (the picker closed).
    pub fn cancel(&mut self) {
        self.generation += 1;
        self.latest.store(self.generation, Ordering::Release);
    }

    /// The generation of the newest search.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// A message, if one is waiting.
    #[must_use]
    pub fn try_recv(&self) -> Option<Message> {
        self.results.try_recv().ok()
    }

    /// Waits for the next message (tests); `None` if the worker is gone.
    #[must_use]
    pub fn recv(&self) -> Option<Message> {
        self.results.recv().ok()
    }
}

fn worker(
    jobs: &mpsc::Receiver<Job>,
    results: &mpsc::Sender<Message>,
    latest: &AtomicU64,
    notify: &(dyn Fn() + Send + Sync),
) {
    let send = |message: Message| {
        let ok = results.send(message).is_ok();
        notify();
        ok
    };
    // The last search that ran to its end: its query, how many notes it
    // searched, and which of them matched (by note index).
    let mut last: Option<(Query, usize, Vec<bool>)> = None;
    while let Ok(mut job) = jobs.recv() {
        // Only the newest waiting job matters.
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let generation = job.generation;
        let current = || latest.load(Ordering::Acquire) == generation;
        if !current() {
            continue;
        }
        let query = Query::parse(&job.query);
        let searched = job.docs.len();
        let mut docs: Vec<&Doc> = job.docs.iter().collect();
        // Typing on narrows the query: only the notes that matched before
        // can match now (when the notes are the same ones).
        if let Some((older, count, matched)) = &last
            && *count == searched
            && query.narrows(older)
        {
            docs.retain(|d| matched.get(d.note.index()).copied().unwrap_or(true));
        }
        // Notes with a term in their title rank first: search them first,
        // so the first results shown are the best ones.
        let (mut titled, others): (Vec<&Doc>, Vec<&Doc>) =
            docs.into_iter().partition(|d| query.in_title(&d.title));
        titled.extend(others);
        let docs = titled;
        let real_root = real_root(docs.iter().copied());
        let mut matched_notes = vec![false; searched];
        let mut matched = 0;
        let mut cancelled = false;
        let mut rest = docs.as_slice();
        let mut chunk = CHUNK_FIRST;
        while !rest.is_empty() {
            if !current() {
                cancelled = true;
                break;
            }
            let (now, later) = rest.split_at(chunk.min(rest.len()));
            rest = later;
            chunk = (chunk * 2).min(CHUNK_MAX);
            let mut notes: Vec<NoteMatches> = now
                .par_iter()
                .filter_map(|doc| {
                    if current() {
                        query.scan(doc, real_root.as_ref())
                    } else {
                        None
                    }
                })
                .collect();
            if notes.is_empty() {
                continue;
            }
            matched += notes.len();
            for m in &notes {
                if let Some(seen) = matched_notes.get_mut(m.note.index()) {
                    *seen = true;
                }
            }
            notes.sort_unstable_by_key(NoteMatches::rank);
            notes.truncate(LIMIT);
            if !send(Message::Notes { generation, notes }) {
                return;
            }
        }
        if cancelled || !current() {
            continue;
        }
        last = Some((query, searched, matched_notes));
        if !send(Message::Done {
            generation,
            truncated: matched > LIMIT,
        }) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: u32, text: &str) -> Doc {
        titled(id, "", text)
    }

    fn titled(id: u32, title: &str, text: &str) -> Doc {
        Doc {
            note: NoteId(id),
            source: DocSource::Text(Arc::from(text)),
            body_start: 0,
            title: Arc::from(title),
        }
    }

    fn notes(found: &[NoteMatches]) -> Vec<u32> {
        found.iter().map(|m| m.note.0).collect()
    }

    #[test]
    fn finds_lines_ignoring_ascii_case_grouped_per_note() {
        let docs = [
            doc(0, "first line\nRust is here\nno\n  and rust again, RUST\n"),
            doc(1, "nothing"),
        ];
        let (found, truncated) = search_all(&docs, "rust", 10);
        assert!(!truncated);
        assert_eq!(notes(&found), vec![0]);
        let m = &found[0];
        assert_eq!(m.lines, 2, "one count per line");
        let lines: Vec<u32> = m.hits.iter().map(|h| h.line).collect();
        assert_eq!(lines, vec![2, 4]);
        let h = &m.hits[1];
        assert_eq!(h.snippet, "and rust again, RUST", "indent dropped");
        let marked: Vec<&str> = h.matched.iter().map(|r| &h.snippet[r.clone()]).collect();
        assert_eq!(marked, vec!["rust", "RUST"], "every occurrence is marked");
        assert_eq!(h.text, "rust");
    }

    #[test]
    fn words_are_an_and_over_the_note_not_the_line() {
        let docs = [
            doc(0, "The holy grail of search\n\nand AI makes it real\n"),
            doc(1, "The holy grail, again\n"),
            doc(2, "AI alone\n"),
        ];
        let (found, _) = search_all(&docs, "holy grail AI", 10);
        assert_eq!(notes(&found), vec![0]);
        assert_eq!(found[0].lines, 2);
        let (found, _) = search_all(&docs, "holy grail", 10);
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn terms_match_at_a_word_start() {
        let docs = [doc(0, "he said so\n"), doc(1, "AI-based tools\n")];
        let (found, _) = search_all(&docs, "ai", 10);
        assert_eq!(
            notes(&found),
            vec![1],
            "`said` holds no word starting with ai"
        );
        let (found, _) = search_all(&[doc(0, "see #ai here\n")], "#ai", 10);
        assert_eq!(
            found.len(),
            1,
            "a term starting with punctuation matches anywhere"
        );
        let (found, _) = search_all(&[doc(0, "Grails\n")], "grail", 10);
        assert_eq!(found.len(), 1, "a prefix of a word matches");
    }

    #[test]
    fn quotes_make_a_phrase_and_bang_excludes() {
        let docs = [
            doc(0, "model context protocol\n"),
            doc(1, "context of the model, protocol\n"),
            doc(2, "pricing for SaaS\n"),
            doc(3, "pricing of hardware\n"),
        ];
        let (found, _) = search_all(&docs, "\"model context protocol\"", 10);
        assert_eq!(notes(&found), vec![0]);
        let (found, _) = search_all(&docs, "model context protocol", 10);
        assert_eq!(notes(&found), vec![0, 1]);
        let (found, _) = search_all(&docs, "pricing !saas", 10);
        assert_eq!(notes(&found), vec![3]);
        let (found, _) = search_all(&docs, "pricing !\"for saas\"", 10);
        assert_eq!(notes(&found), vec![3]);
        // Only exclusions, or nothing: no match at all.
        assert!(search_all(&docs, "!saas", 10).0.is_empty());
        assert!(search_all(&docs, "  \"\" ", 10).0.is_empty());
        // An unclosed quote runs to the end.
        let (found, _) = search_all(&docs, "\"of hardware", 10);
        assert_eq!(notes(&found), vec![3]);
    }

    #[test]
    fn ranks_title_then_heading_then_density_then_path() {
        let filler = "other words here\n".repeat(40);
        let docs = [
            doc(0, &format!("{filler}grail once\n")),
            doc(1, &format!("grail\ngrail\ngrail\n{filler}")),
            doc(2, &format!("## The grail\n{filler}")),
            titled(3, "Holy Grail", &format!("{filler}grail\n")),
            doc(4, &format!("{filler}grail once\n")),
        ];
        let (found, _) = search_all(&docs, "grail", 10);
        assert_eq!(notes(&found), vec![3, 2, 1, 0, 4]);
        let (found, truncated) = search_all(&docs, "grail", 2);
        assert_eq!(notes(&found), vec![3, 2]);
        assert!(truncated);
    }

    #[test]
    fn density_is_that_of_the_rarest_term() {
        let docs = [
            doc(0, &format!("{}grail\n", "AI\n".repeat(20))),
            doc(1, "AI grail\nAI grail\nAI grail\n"),
        ];
        let (found, _) = search_all(&docs, "grail ai", 10);
        assert_eq!(notes(&found), vec![1, 0]);
    }

    /// Files are read through the vault's checked reader, its root
    /// resolved once: a note whose file now leads out of the vault, or
    /// changed size since it was indexed, is skipped.
    #[cfg(unix)]
    #[test]
    fn files_are_read_back_checked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("vault");
        std::fs::create_dir(&root).unwrap();
        let outside = dir.path().join("secret.md");
        std::fs::write(&outside, "grail outside\n").unwrap();
        let file = |id: u32, name: &str, size: u64| Doc {
            note: NoteId(id),
            source: DocSource::File {
                root: root.clone(),
                path: root.join(name),
                relative: name.to_owned(),
                size,
                modified: None,
            },
            body_start: 0,
            title: Arc::from(""),
        };
        std::fs::write(root.join("in.md"), "grail inside\n").unwrap();
        std::fs::write(root.join("grown.md"), "grail grown\n").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("link.md")).unwrap();
        let docs = [
            file(0, "in.md", 13),
            file(1, "link.md", 14),
            file(2, "grown.md", 3),
        ];
        let (found, _) = search_all(&docs, "grail", 10);
        assert_eq!(notes(&found), vec![0]);
    }

    #[test]
    fn skips_front_matter_and_counts_lines_from_the_file_start() {
        let text = "---\ntitle: rust\n---\nbody\nrust\n";
        let d = Doc {
            body_start: text.find("body").unwrap(),
            ..doc(3, text)
        };
        let (found, _) = search_all(&[d], "RUST", 10);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].hits[0].line, 5);
    }

    #[test]
    fn snippets_read_like_the_note_not_its_markup() {
        let text = "* **Agile way** of <a class=\"yt-timestamp\" data-t=\"00:17:31\">[00:17:31]</a> working <a class=\"yt-timestamp\" data-t=\"00:17:40\">[00:17:40]</a> with [[partners|our partners]] here";
        let (found, _) = search_all(&[doc(0, text)], "working", 10);
        let h = &found[0].hits[0];
        assert_eq!(h.snippet, "Agile way of working with our partners here");
        assert_eq!(&h.snippet[h.matched[0].clone()], "working");
    }

    #[test]
    fn long_lines_are_cut_around_the_match_and_non_ascii_is_safe() {
        let long = format!("{}needle{}", "é ".repeat(100), "x".repeat(300));
        let (found, _) = search_all(&[doc(0, &long)], "needle", 10);
        let h = &found[0].hits[0];
        assert!(h.snippet.starts_with('…') && h.snippet.ends_with('…'));
        assert_eq!(&h.snippet[h.matched[0].clone()], "needle");
        assert!(h.snippet.chars().count() <= SNIPPET + 2);
        // A phrase starting with a multi-byte char still matches.
        let (found, _) = search_all(&[doc(0, "café au lait\n")], "\"café au\"", 10);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn keeps_a_few_lines_per_note_and_counts_all() {
        let text = "a\n".repeat(50);
        let (found, _) = search_all(&[doc(0, &text)], "a", 20);
        assert_eq!(found[0].lines, 50);
        assert_eq!(found[0].hits.len(), PER_NOTE);
    }

    #[test]
    fn merged_rows_stay_ranked_and_limited() {
        let docs: Vec<Doc> = (0..6)
            .map(|i| doc(i, &format!("{}grail\n", "x\n".repeat(600 * i as usize))))
            .collect();
        let (all, _) = search_all(&docs, "grail", 10);
        let mut rows = Vec::new();
        // Chunks arrive in any order; the rows end ranked.
        assert!(!merge_rows(&mut rows, all[3..].to_vec(), 10));
        assert!(!merge_rows(&mut rows, all[..3].to_vec(), 10));
        let heads: Vec<u32> = rows
            .iter()
            .filter(|r| r.head.is_some())
            .map(|r| r.note.0)
            .collect();
        assert_eq!(heads, notes(&all));
        assert_eq!(rows.len(), 12, "a head and a line per note");
        assert_eq!(rows[0].head.unwrap().lines, 1);
        assert!(merge_rows(&mut rows, Vec::new(), 4));
        assert_eq!(rows.len(), 8);
    }

    #[test]
    fn ranges_mark_every_term_once() {
        let q = Query::parse("grail holy \"holy grail\"");
        let text = "The Holy Grail and a grail";
        let marked: Vec<&str> = q.ranges(text).iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(marked, vec!["Holy Grail", "grail"]);
    }

    #[test]
    fn typing_on_narrows_and_anything_else_does_not() {
        let q = Query::parse;
        assert!(q("holy grail").narrows(&q("holy gr")));
        assert!(q("holy grail ai").narrows(&q("holy grail")));
        assert!(q("\"holy grail\"").narrows(&q("\"holy gr")));
        assert!(q("pricing !saas").narrows(&q("pricing")));
        assert!(
            !q("pricing !saas").narrows(&q("pricing !saa")),
            "a grown exclusion excludes less"
        );
        assert!(!q("holy").narrows(&q("holy grail")));
        assert!(!q("grail").narrows(&q("#grail")));
    }

    /// Results of a narrowed search equal those of a fresh one.
    #[test]
    fn worker_narrowing_finds_what_a_fresh_search_finds() {
        let texts = [
            "holy grail\n",
            "the holy\n",
            "grail and ai\nholy\n",
            "gray\n",
        ];
        let docs: Vec<Doc> = (0..40).map(|i| doc(i, texts[i as usize % 4])).collect();
        let mut ft = FullText::spawn(Arc::new(|| {}));
        let run = |ft: &mut FullText, query: &str| {
            let generation = ft.search(docs.clone(), query);
            let mut rows = Vec::new();
            while let Some(message) = ft.recv() {
                match message {
                    Message::Notes {
                        generation: g,
                        notes,
                    } if g == generation => {
                        merge_rows(&mut rows, notes, LIMIT);
                    }
                    Message::Done { generation: g, .. } if g == generation => break,
                    _ => {}
                }
            }
            rows
        };
        for typed in [
            "h",
            "holy",
            "holy gr",
            "holy grail",
            "holy grail ai",
            "holy grail !ai",
        ] {
            let narrowed = run(&mut ft, typed);
            let fresh: Vec<TextHit> = search_all(&docs, typed, LIMIT)
                .0
                .into_iter()
                .flat_map(NoteMatches::into_rows)
                .collect();
            assert_eq!(narrowed, fresh, "{typed}");
        }
    }

    #[test]
    fn worker_streams_and_newer_searches_win() {
        let mut ft = FullText::spawn(Arc::new(|| {}));
        let docs: Vec<Doc> = (0..1000)
            .map(|i| doc(i, "alpha\nbeta alpha\ngamma\n"))
            .collect();
        let old = ft.search(docs.clone(), "alpha");
        let new = ft.search(docs, "gamma");
        assert!(new > old);
        let mut rows = Vec::new();
        let mut messages = 0;
        loop {
            match ft.recv().unwrap() {
                Message::Notes { generation, notes } if generation == new => {
                    messages += 1;
                    merge_rows(&mut rows, notes, LIMIT);
                }
                Message::Done {
                    generation,
                    truncated,
                } if generation == new => {
                    assert!(truncated, "1000 notes match, {LIMIT} are kept");
                    break;
                }
                _ => {}
            }
        }
        assert!(messages > 1, "results come in several chunks");
        assert_eq!(rows.len(), 2 * LIMIT);
        assert!(rows.iter().all(|h| h.line == 3));
        let heads: Vec<u32> = rows
            .iter()
            .filter_map(|r| r.head.map(|_| r.note.0))
            .collect();
        assert_eq!(heads, (0..500).collect::<Vec<_>>(), "ties in path order");
    }
}
