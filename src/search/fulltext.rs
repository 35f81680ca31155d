//! Full-text search over the text of every note, off the UI thread.
//!
//! Matching is a substring search over lines that ignores ASCII case only
//! (`rust` finds `Rust` and `RUST`; `é` and `É` are different letters). That
//! keeps byte offsets of the lowered text equal to those of the original, so
//! no per-search copy of a note is needed: candidates are found with
//! `memchr` on the query's first byte in both cases and then compared with
//! `eq_ignore_ascii_case`. One hit per line (its first match); at most
//! [`LIMIT`] hits, after which the search reports itself truncated ("N+").
//!
//! The [`FullText`] worker takes jobs of (generation, query, documents).
//! Documents are cheap [`Arc`] clones of the notes' texts. Every job bumps
//! the generation; the worker checks it between notes and drops a job as
//! soon as a newer one exists, so typing never waits for an old search.
//! Results come back over a channel in batches, then a [`Message::Done`].
//! Tests use [`search_all`] (synchronous) or block on [`FullText::recv`]
//! until `Done` for their generation: no sleeps, no timing.

use std::{
    ops::Range,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    thread,
};

use std::{path::PathBuf, time::SystemTime};

use crate::vault::{NoteId, Vault, text_store::read_back};

/// Most hits one search keeps.
pub const LIMIT: usize = 2_000;
/// Hits sent per message.
const BATCH: usize = 128;
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
        }
    }

    /// The note's text; `None` when its file cannot be read back as it
    /// was indexed (then it is skipped).
    fn text(&self) -> Option<Arc<str>> {
        match &self.source {
            DocSource::Text(text) => Some(Arc::clone(text)),
            DocSource::File {
                root,
                path,
                relative,
                size,
                modified,
            } => read_back(root, path, relative, Some((*size, *modified))).ok(),
        }
    }
}

/// One matching line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextHit {
    pub note: NoteId,
    /// 1-based line in the note's file.
    pub line: u32,
    /// The line around the match (cut with `…` when long; tabs as spaces).
    pub snippet: String,
    /// Byte range of the match in `snippet`.
    pub matched: Range<usize>,
    /// The matched text as written in the note.
    pub text: String,
}

/// What the worker sends back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Hits {
        generation: u64,
        hits: Vec<TextHit>,
    },
    /// The search of this generation is over; `truncated` when it stopped
    /// at [`LIMIT`].
    Done {
        generation: u64,
        truncated: bool,
    },
}

/// Searches every document at once, on this thread: at most `limit` hits,
/// and whether there were more.
#[must_use]
pub fn search_all(docs: &[Doc], query: &str, limit: usize) -> (Vec<TextHit>, bool) {
    let mut hits = Vec::new();
    let finder = Query::new(query);
    let mut truncated = false;
    for doc in docs {
        if !finder.scan(doc, &mut |hit| {
            if hits.len() >= limit {
                truncated = true;
                return false;
            }
            hits.push(hit);
            true
        }) {
            break;
        }
    }
    (hits, truncated)
}

/// A prepared query.
struct Query {
    needle: Vec<u8>,
}

impl Query {
    fn new(query: &str) -> Self {
        Self {
            needle: query.as_bytes().to_ascii_lowercase(),
        }
    }

    /// Calls `emit` for the first match of every matching line of the
    /// document's body; stops (returning false) when `emit` does.
    fn scan(&self, doc: &Doc, emit: &mut dyn FnMut(TextHit) -> bool) -> bool {
        let Some(&first) = self.needle.first() else {
            return true;
        };
        let Some(text) = doc.text() else {
            return true;
        };
        let text: &str = &text;
        let bytes = text.as_bytes();
        let body_start = doc.body_start.min(bytes.len());
        let n = self.needle.len();
        let upper = first.to_ascii_uppercase();
        // Line numbers are counted incrementally from the body's start.
        let mut line = 1 + count_newlines(&bytes[..body_start]);
        let mut counted = body_start;
        let mut from = body_start;
        while from + n <= bytes.len() {
            let Some(found) = memchr::memchr2(first, upper, &bytes[from..]) else {
                break;
            };
            let at = from + found;
            if at + n > bytes.len() {
                break;
            }
            if !bytes[at..at + n].eq_ignore_ascii_case(&self.needle)
                || !text.is_char_boundary(at)
                || !text.is_char_boundary(at + n)
            {
                from = at + 1;
                continue;
            }
            line += count_newlines(&bytes[counted..at]);
            counted = at;
            let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            let hit = snippet(
                doc.note,
                line,
                &text[start..end],
                at - start..at - start + n,
            );
            if !emit(hit) {
                return false;
            }
            // One hit per line: go on after its end.
            from = end + 1;
        }
        true
    }
}

fn count_newlines(bytes: &[u8]) -> u32 {
    u32::try_from(memchr::memchr_iter(b'\n', bytes).count()).unwrap_or(u32::MAX)
}

/// Builds the hit for a match at `range` of `line_text`.
fn snippet(note: NoteId, line: u32, line_text: &str, range: Range<usize>) -> TextHit {
    let line_text = line_text.trim_end_matches('\r');
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
    let matched = offset..offset + matched_text.len();
    debug_assert!(crate::text::is_terminal_safe(&out));
    TextHit {
        note,
        line,
        snippet: out,
        matched,
        text: matched_text,
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

struct Job {
    generation: u64,
    query: String,
    docs: Vec<Doc>,
}

/// The background full-text searcher: one worker thread, fed jobs, sending
/// [`Message`]s back. Dropping it ends the worker.
pub struct FullText {
    jobs: mpsc::Sender<Job>,
    results: mpsc::Receiver<Message>,
    latest: Arc<AtomicU64>,
    generation: u64,
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
        }
    }

    /// Starts a new search, cancelling any running one; returns its
    /// generation. Messages of older generations may still arrive: compare.
    pub fn search(&mut self, docs: Vec<Doc>, query: &str) -> u64 {
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
        let query = Query::new(&job.query);
        let mut batch = Vec::new();
        let mut found = 0;
        let mut truncated = false;
        let mut cancelled = false;
        for doc in &job.docs {
            if !current() {
                cancelled = true;
                break;
            }
            let go_on = query.scan(doc, &mut |hit| {
                if found >= LIMIT {
                    truncated = true;
                    return false;
                }
                found += 1;
                batch.push(hit);
                true
            });
            if batch.len() >= BATCH {
                let hits = std::mem::take(&mut batch);
                if !send(Message::Hits { generation, hits }) {
                    return;
                }
            }
            if !go_on {
                break;
            }
        }
        if cancelled {
            continue;
        }
        if !batch.is_empty()
            && !send(Message::Hits {
                generation,
                hits: batch,
            })
        {
            return;
        }
        if !send(Message::Done {
            generation,
            truncated,
        }) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: u32, text: &str) -> Doc {
        Doc {
            note: NoteId(id),
            source: DocSource::Text(Arc::from(text)),
            body_start: 0,
        }
    }

    #[test]
    fn finds_lines_ignoring_ascii_case() {
        let docs = [
            doc(0, "first line\nRust is here\nno\n  and rust again, RUST\n"),
            doc(1, "nothing"),
        ];
        let (hits, truncated) = search_all(&docs, "rust", 10);
        assert!(!truncated);
        let lines: Vec<u32> = hits.iter().map(|h| h.line).collect();
        assert_eq!(lines, vec![2, 4], "one hit per line");
        assert_eq!(hits[0].snippet, "Rust is here");
        assert_eq!(&hits[0].snippet[hits[0].matched.clone()], "Rust");
        assert_eq!(hits[1].snippet, "and rust again, RUST", "indent dropped");
        assert_eq!(&hits[1].snippet[hits[1].matched.clone()], "rust");
        assert_eq!(hits[1].text, "rust");
    }

    #[test]
    fn skips_front_matter_and_counts_lines_from_the_file_start() {
        let text = "---\ntitle: rust\n---\nbody\nrust\n";
        let d = Doc {
            note: NoteId(3),
            source: DocSource::Text(Arc::from(text)),
            body_start: text.find("body").unwrap(),
        };
        let (hits, _) = search_all(&[d], "RUST", 10);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].line, 5);
    }

    #[test]
    fn snippets_read_like_the_note_not_its_markup() {
        let text = "* **Agile way** of <a class=\"yt-timestamp\" data-t=\"00:17:31\">[00:17:31]</a> working <a class=\"yt-timestamp\" data-t=\"00:17:40\">[00:17:40]</a> with [[partners|our partners]] here";
        let (hits, _) = search_all(&[doc(0, text)], "working", 10);
        assert_eq!(
            hits[0].snippet,
            "Agile way of working with our partners here"
        );
        assert_eq!(&hits[0].snippet[hits[0].matched.clone()], "working");
    }

    #[test]
    fn long_lines_are_cut_around_the_match_and_non_ascii_is_safe() {
        let long = format!("{}needle{}", "é".repeat(100), "x".repeat(300));
        let (hits, _) = search_all(&[doc(0, &long)], "needle", 10);
        let h = &hits[0];
        assert!(h.snippet.starts_with('…') && h.snippet.ends_with('…'));
        assert_eq!(&h.snippet[h.matched.clone()], "needle");
        assert!(h.snippet.chars().count() <= SNIPPET + 2);
        // A query starting with a multi-byte char still matches.
        let (hits, _) = search_all(&[doc(0, "café au lait\n")], "é au", 10);
        assert_eq!(hits.len(), 1);
    }

    #[test]
    fn stops_at_the_limit() {
        let text = "a\n".repeat(50);
        let (hits, truncated) = search_all(&[doc(0, &text)], "a", 20);
        assert_eq!(hits.len(), 20);
        assert!(truncated);
        let (hits, truncated) = search_all(&[doc(0, &text)], "", 20);
        assert!(hits.is_empty() && !truncated);
    }

    #[test]
    fn worker_streams_and_newer_searches_win() {
        let mut ft = FullText::spawn(Arc::new(|| {}));
        let docs: Vec<Doc> = (0..300)
            .map(|i| doc(i, "alpha\nbeta alpha\ngamma\n"))
            .collect();
        let old = ft.search(docs.clone(), "alpha");
        let new = ft.search(docs, "gamma");
        assert!(new > old);
        let mut hits = Vec::new();
        loop {
            match ft.recv().unwrap() {
                Message::Hits {
                    generation,
                    hits: h,
                } if generation == new => hits.extend(h),
                Message::Done {
                    generation,
                    truncated,
                } if generation == new => {
                    assert!(!truncated);
                    break;
                }
                _ => {}
            }
        }
        assert_eq!(hits.len(), 300);
        assert!(hits.iter().all(|h| h.line == 3));
    }
}
