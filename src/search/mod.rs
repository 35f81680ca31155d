//! Fuzzy search over notes, headings and channel pages, ranked as nucleo
//! ranks them, behind a small API shared by the jump picker and
//! `vidwiki search`.
//!
//! Items live in one flat store (the texts of ASCII items in one byte
//! buffer). A keystroke runs one pass over the candidates on a small
//! thread pool of its own: every item when the query is new, only the
//! previous matches when the query grew (nucleo's "append"), plus items
//! pushed since. The pass decides the match exactly and estimates the
//! score cheaply ([`bound`]); [`ranking`] then scores exactly and orders
//! only as many matches as the picker shows, more as it scrolls. Scores,
//! tie-breaks (shorter text, then push order) and so the order are
//! nucleo's own: its `Pattern` and `Matcher` with [`Config::DEFAULT`]. The
//! high-level `Nucleo` worker scored and sorted every match of every key,
//! 0.1–0.7 s for a one-letter query on 0.2–0.9 million items.
//!
//! A heading is shown and matched as `Note title › Heading`, so a note
//! whose title equals the query always ties or beats every heading that
//! merely contains the words, and the tie goes to the shorter text: the
//! note. The [`Scope`] filters by kind during the pass, so the matched
//! count, paging and ranking are exact for every scope.

pub mod bound;
pub mod fulltext;
pub mod highlight;
mod item;
mod ranking;
mod store;

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
};

use nucleo::{
    Config, Matcher, Utf32String,
    pattern::{CaseMatching, Normalization, Pattern},
};
use rayon::prelude::*;

#[cfg(test)]
use nucleo::Utf32Str; // the tests build haystacks by hand

use self::{
    bound::Plans,
    ranking::{Match, Ranking},
    store::{Display, Store, haystack},
};

pub use highlight::highlight_spans;
pub use item::{HEADING_SEPARATOR, Hit, ItemKind, Scope, SearchItem};

use crate::vault::{Channel, ChannelId, Note, NoteId, Vault};

/// Items per task of a matching pass.
const CHUNK: usize = 4_096;

/// What injectors and the search share: items pushed but not yet taken.
struct Inbox {
    items: Mutex<Store>,
    notify: Arc<dyn Fn() + Send + Sync>,
}

impl Inbox {
    fn take(&self) -> Store {
        std::mem::take(&mut *self.items.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn is_empty(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entries
            .is_empty()
    }
}

/// Pushes items into a [`NoteSearch`] from any thread (a loader, say).
///
/// Cheap to clone. While one is alive, [`NoteSearch::running`] stays true;
/// drop it when loading is done. After [`NoteSearch::restart`], pushes
/// through an older injector are silently ignored, so a loader of the
/// previous vault cannot leak stale items into the new one.
#[derive(Clone)]
pub struct SearchInjector {
    inbox: Arc<Inbox>,
}

impl fmt::Debug for SearchInjector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchInjector")
            .field("injected", &self.injected())
            .finish()
    }
}

impl SearchInjector {
    /// Pushes one item with the text it is matched on and shown as. The
    /// typed helpers below build the texts; this is for them, tests and
    /// benchmarks.
    pub fn push(&self, item: SearchItem, text: impl AsRef<str>) {
        let text = text.as_ref();
        self.push_entry(item, Display::of(text), &haystack(text));
    }

    fn push_entry(&self, item: SearchItem, display: Display, haystack: &Utf32String) {
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(item, display, haystack.slice(..));
        (self.inbox.notify)();
    }

    /// Pushes a note (its title) and each of its headings
    /// (`Note title › Heading`).
    pub fn push_note(&self, id: NoteId, note: &Note) {
        self.push_title(id, note);
        self.push_headings(id, note);
    }

    /// Pushes a note by its title only (the loader's title pass).
    pub fn push_title(&self, id: NoteId, note: &Note) {
        self.push(SearchItem::note(id), note.title.as_str());
    }

    /// Pushes the headings of a note whose title is already in.
    pub fn push_headings(&self, id: NoteId, note: &Note) {
        let ascii_title = note.title.is_ascii();
        for (i, heading) in note.headings.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let item = SearchItem::heading(id, i);
            if ascii_title && heading.text.is_ascii() {
                // The common case, built in one allocation: the haystack is
                // the shown text with `>` for `›` (see [`haystack`]).
                let mut text = String::with_capacity(note.title.len() + 3 + heading.text.len());
                text.push_str(&note.title);
                text.push_str(" > ");
                text.push_str(&heading.text);
                let display = u32::try_from(note.title.len() + 1).map_or_else(
                    |_| Display::Own(text.replace(" > ", HEADING_SEPARATOR).into()),
                    Display::Separator,
                );
                self.push_entry(item, display, &Utf32String::from(text));
            } else {
                self.push(
                    item,
                    format!("{}{HEADING_SEPARATOR}{}", note.title, heading.text),
                );
            }
        }
    }

    /// Pushes a channel page (its name).
    pub fn push_channel(&self, id: ChannelId, channel: &Channel) {
        self.push(SearchItem::channel(id), channel.name.as_str());
    }

    /// Pushes every note with its headings, then every channel page.
    ///
    /// Channels that have an index note are skipped: a link to such a
    /// channel opens that note, which is already listed, so the picker
    /// would show the same destination twice.
    pub fn push_vault(&self, vault: &Vault) {
        for (id, note) in vault.ids().zip(&vault.notes) {
            self.push_note(id, note);
        }
        for (i, channel) in vault.channels.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            if channel.index_note.is_none() {
                self.push_channel(ChannelId(i), channel);
            }
        }
    }

    /// How many items wait for the search to take them.
    #[must_use]
    pub fn injected(&self) -> u32 {
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// The query a pass ran with, to narrow the next one from its matches.
struct Matched {
    query: String,
    scope: Scope,
}

/// The jump picker's engine: the items, the current query's matches, a
/// thread pool for the passes and a [`Matcher`] for highlighting.
pub struct NoteSearch {
    inbox: Arc<Inbox>,
    store: Store,
    pool: Option<rayon::ThreadPool>,
    matcher: Matcher,
    query: String,
    scope: Scope,
    pattern: Pattern,
    /// What `ranking` holds the matches of; `None` before the first pass.
    matched: Option<Matched>,
    ranking: Ranking,
    /// Items `ranking` has seen: `store.entries[..seen]`.
    seen: u32,
    /// A query, scope or restart that no tick has handled yet.
    pending: bool,
    /// Reused buffer for match indices.
    indices: Vec<u32>,
}

impl fmt::Debug for NoteSearch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (matched, total) = self.counts();
        f.debug_struct("NoteSearch")
            .field("query", &self.query)
            .field("scope", &self.scope)
            .field("matched", &matched)
            .field("total", &total)
            .field("running", &self.running())
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// One matcher per pool thread: a `Matcher` keeps scratch space that
    /// is costly to make per item.
    static MATCHER: std::cell::RefCell<Matcher> = std::cell::RefCell::new(Matcher::new(Config::DEFAULT));
}

impl NoteSearch {
    /// `notify` is called on every push, from the pushing thread and
    /// without debouncing: keep it tiny (set an atomic flag, `try_send` on
    /// a channel of capacity 1).
    #[must_use]
    pub fn new(notify: Arc<dyn Fn() + Send + Sync>) -> Self {
        // Its own pool, so that a keystroke never queues behind the
        // loader's work on the global one.
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        // (Should no thread start, rayon's global pool does the work.)
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("picker-{i}"))
            .build()
            .ok();
        Self {
            inbox: Arc::new(Inbox {
                items: Mutex::new(Store::default()),
                notify,
            }),
            store: Store::default(),
            pool,
            matcher: Matcher::new(Config::DEFAULT),
            query: String::new(),
            scope: Scope::All,
            pattern: parse(""),
            matched: None,
            ranking: Ranking::default(),
            seen: 0,
            pending: false,
            indices: Vec::new(),
        }
    }

    /// A handle for pushing items, from this or another thread.
    #[must_use]
    pub fn injector(&self) -> SearchInjector {
        SearchInjector {
            inbox: Arc::clone(&self.inbox),
        }
    }

    /// See [`SearchInjector::push_note`].
    pub fn push_note(&self, id: NoteId, note: &Note) {
        self.injector().push_note(id, note);
    }

    /// See [`SearchInjector::push_title`].
    pub fn push_title(&self, id: NoteId, note: &Note) {
        self.injector().push_title(id, note);
    }

    /// See [`SearchInjector::push_headings`].
    pub fn push_headings(&self, id: NoteId, note: &Note) {
        self.injector().push_headings(id, note);
    }

    /// See [`SearchInjector::push_channel`].
    pub fn push_channel(&self, id: ChannelId, channel: &Channel) {
        self.injector().push_channel(id, channel);
    }

    /// See [`SearchInjector::push_vault`].
    pub fn push_vault(&self, vault: &Vault) {
        self.injector().push_vault(vault);
    }

    #[must_use]
    pub fn query(&self) -> &str {
        &self.query
    }

    #[must_use]
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// Sets the query (fzf syntax: `'exact`, `^prefix`, `suffix$`, `!not`,
    /// `\ ` for a space; smart case and smart normalisation). Takes effect on
    /// the next [`tick`](Self::tick).
    pub fn set_query(&mut self, query: &str) {
        if query == self.query {
            return;
        }
        query.clone_into(&mut self.query);
        self.pending = true;
    }

    /// Shows only some kinds of item. Takes effect on the next tick.
    pub fn set_scope(&mut self, scope: Scope) {
        if scope == self.scope {
            return;
        }
        self.scope = scope;
        self.pending = true;
    }

    /// Takes the items pushed so far and matches them and the latest
    /// query. Call once per frame while the picker is open. Returns whether
    /// the results changed.
    pub fn tick(&mut self) -> bool {
        let mut arrived = self.inbox.take();
        let new_items = !arrived.entries.is_empty();
        self.store.append(&mut arrived);
        let requery = self.pending
            || self
                .matched
                .as_ref()
                .is_none_or(|m| m.query != self.query || m.scope != self.scope);
        self.pending = false;
        if requery {
            self.requery();
        } else if new_items {
            let more = self.match_range(self.seen..self.store.len());
            self.ranking.extend(more);
        } else {
            return false;
        }
        self.seen = self.store.len();
        true
    }

    /// Matches the current query: against the previous matches when the
    /// query only grew, else against every item.
    fn requery(&mut self) {
        // As nucleo: a growing negation excludes less, so after one (the
        // previous pattern's last atom) every item is matched again.
        let after_negation = self.pattern.atoms.last().is_some_and(|atom| atom.negative);
        let narrow = !after_negation
            && self
                .matched
                .as_ref()
                .is_some_and(|m| m.scope == self.scope && can_append(&m.query, &self.query));
        let pattern = parse(&self.query);
        if narrow && pattern.atoms == self.pattern.atoms {
            // The same atoms (a space typed): the same matches, and items
            // that arrived since.
            let more = self.match_range(self.seen..self.store.len());
            self.ranking.extend(more);
            self.matched = Some(Matched {
                query: self.query.clone(),
                scope: self.scope,
            });
            return;
        }
        self.pattern = pattern;
        let mut matches = if narrow {
            let previous: Vec<u32> = self.ranking.indices().collect();
            self.match_list(&previous)
        } else {
            self.match_range(0..self.seen)
        };
        matches.extend(self.match_range(self.seen..self.store.len()));
        self.ranking = Ranking::new(matches);
        self.matched = Some(Matched {
            query: self.query.clone(),
            scope: self.scope,
        });
    }

    fn match_range(&self, range: std::ops::Range<u32>) -> Vec<Match> {
        let list: Vec<u32> = range.collect();
        self.match_list(&list)
    }

    /// The matches among `items`, with their scores or bounds.
    fn match_list(&self, items: &[u32]) -> Vec<Match> {
        let store = &self.store;
        let scope = self.scope;
        let pattern = &self.pattern;
        // nucleo lists an empty query in push order; with a kind filter
        // its pattern was not empty, so the shorter text came first.
        let by_length = scope != Scope::All;
        if pattern.atoms.is_empty() {
            return items
                .iter()
                .filter(|&&idx| {
                    let entry = &store.entries[idx as usize];
                    !entry.retired && scope.admits(entry.item.kind())
                })
                .map(|&idx| {
                    let len = if by_length {
                        store.entries[idx as usize].len
                    } else {
                        0
                    };
                    Match::new(0, len, idx, true)
                })
                .collect();
        }
        let plans = Plans::new(pattern);
        let required = plans.required_chars();
        let letter = plans.single_letter().map(store::word_start_bit);
        let one = |matcher: &mut Matcher, idx: u32| {
            let entry = &store.entries[idx as usize];
            if entry.retired
                || entry.mask & required != required
                || !scope.admits(entry.item.kind())
            {
                return None;
            }
            // One letter: its mask says it all (an ASCII item holds it).
            if let Some(at_word_start) = letter.filter(|_| !entry.wide) {
                let estimate = bound::one_letter(entry.mask & at_word_start != 0);
                return Some(Match::new(estimate.score, entry.len, idx, estimate.exact));
            }
            let estimate = plans.estimate(pattern, store.haystack(idx), entry.mask, matcher)?;
            Some(Match::new(estimate.score, entry.len, idx, estimate.exact))
        };
        if items.len() <= CHUNK {
            return MATCHER.with_borrow_mut(|matcher| {
                items.iter().filter_map(|&idx| one(matcher, idx)).collect()
            });
        }
        let pass = || {
            // Chunks collected apart, then joined in one allocation of the
            // right size (growing one list as chunks arrive copied it
            // again and again).
            let chunks: Vec<Vec<Match>> = items
                .par_chunks(CHUNK)
                .map(|chunk| {
                    MATCHER.with_borrow_mut(|matcher| {
                        chunk
                            .iter()
                            .filter_map(|&idx| one(matcher, idx))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            chunks.concat()
        };
        match &self.pool {
            Some(pool) => pool.install(pass),
            None => pass(),
        }
    }

    /// True while results may still change without the user typing: a
    /// change awaits a tick, items wait to be taken, or an injector is
    /// still alive (the vault is loading).
    #[must_use]
    pub fn running(&self) -> bool {
        // The search holds one reference; injectors hold the others.
        let injectors = Arc::strong_count(&self.inbox) > 1;
        self.pending || injectors || !self.inbox.is_empty()
    }

    /// `(matched, total)` in the current results.
    #[must_use]
    pub fn counts(&self) -> (u32, u32) {
        let matched = u32::try_from(self.ranking.len()).unwrap_or(u32::MAX);
        (matched, self.seen.saturating_sub(self.store.retired))
    }

    /// Up to `count` hits starting at rank `offset`, best first, with their
    /// highlight indices. Out-of-range requests give fewer hits (or none),
    /// never a panic.
    ///
    /// With an empty query every item matches with score 0. The order is
    /// then push order for [`Scope::All`] and shortest text first for the
    /// other scopes (nucleo's tie-break); the picker orders that list
    /// itself (recent notes first).
    pub fn results(&mut self, offset: u32, count: u32) -> Vec<Hit> {
        let start = offset as usize;
        let end = start.saturating_add(count as usize);
        let store = &self.store;
        let pattern = &self.pattern;
        let exact = |idx: u32| {
            MATCHER
                .with_borrow_mut(|matcher| pattern.score(store.haystack(idx), matcher).unwrap_or(0))
        };
        let ranked = self.ranking.ranked(start..end, &exact, self.pool.as_ref());
        let mut hits = Vec::with_capacity(ranked.len());
        for m in ranked {
            let haystack = store.haystack(m.idx);
            self.indices.clear();
            let score = pattern
                .indices(haystack, &mut self.matcher, &mut self.indices)
                .unwrap_or(0);
            // Indices are appended atom by atom: overlapping and unordered.
            self.indices.sort_unstable();
            self.indices.dedup();
            let entry = &store.entries[m.idx as usize];
            hits.push(Hit {
                item: entry.item,
                text: entry.display.text(haystack),
                indices: self.indices.clone(),
                score,
            });
        }
        hits
    }

    /// Takes every title and heading item of a note out of the search,
    /// those waiting to be taken too (the note was parsed again, and its
    /// current items are pushed after this, or it is gone). The next tick
    /// matches again, without them.
    pub fn retire_note(&mut self, id: NoteId) {
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retire_note(id);
        if self.store.retire_note(id) > 0 {
            // Matched again from every item: the current matches may hold
            // the retired ones, and a query that did not change would
            // keep them.
            self.matched = None;
            self.pending = true;
        }
    }

    /// [`Self::retire_note`] for many notes at once, in one pass over the
    /// items (a burst of changes).
    pub fn retire_notes(&mut self, ids: &std::collections::HashSet<NoteId>) {
        if ids.is_empty() {
            return;
        }
        self.inbox
            .items
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retire_notes(ids);
        if self.store.retire_notes(ids) > 0 {
            self.matched = None;
            self.pending = true;
        }
    }

    /// Ticks until the results reflect every item pushed so far and the
    /// latest query. For tests and the CLI; it never sleeps.
    pub fn settle(&mut self) {
        while self.tick() && !self.inbox.is_empty() {}
    }

    /// Drops every item (for a vault reload) and disconnects every earlier
    /// injector. The query and scope stay.
    pub fn restart(&mut self) {
        self.inbox = Arc::new(Inbox {
            items: Mutex::new(Store::default()),
            notify: Arc::clone(&self.inbox.notify),
        });
        self.store = Store::default();
        self.ranking = Ranking::default();
        self.matched = None;
        self.seen = 0;
        self.pending = true;
    }
}

/// The query as nucleo parses it for the picker.
fn parse(query: &str) -> Pattern {
    Pattern::parse(query, CaseMatching::Smart, Normalization::Smart)
}

/// Whether `new` may be matched only against the current matches of `old`
/// (nucleo's `append`). That needs every item matching `new` to match `old`.
/// Growing the text usually guarantees it, except where the added text
/// changes how the old last atom parses: after a trailing `\` (which may
/// start an escape, `foo\` → `foo\ bar`) or a trailing `$` (a suffix anchor
/// that becomes a plain character, `foo$` → `foo$bar`). A wrong `true`
/// silently loses matches, so those fall back to a full rescore.
fn can_append(old: &str, new: &str) -> bool {
    new.starts_with(old) && !old.ends_with(['\\', '$'])
}

/// One-shot ranking for `vidwiki search`: the picker's items, query syntax
/// and order, without a UI. Blocks until matching is done.
#[must_use]
pub fn search_vault(vault: &Vault, query: &str, scope: Scope, limit: usize) -> Vec<Hit> {
    let mut search = NoteSearch::new(Arc::new(|| {}));
    search.push_vault(vault);
    search.set_query(query);
    search.set_scope(scope);
    search.settle();
    search.results(0, u32::try_from(limit).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests;
