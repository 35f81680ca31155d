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
mod gapped;
pub mod highlight;
mod injector;
mod item;
mod mask;
mod oneshot;
pub mod outline;
mod pass;
mod ranking;
mod store;

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
};

use nucleo::{
    Config, Matcher,
    pattern::{CaseMatching, Normalization, Pattern},
};

#[cfg(test)]
use {
    nucleo::{Utf32Str, Utf32String}, // the tests build haystacks by hand
    store::{Display, haystack},
};

use self::{
    injector::Inbox,
    ranking::{Match, Ranking},
    store::Store,
};
pub use injector::SearchInjector;

pub use highlight::highlight_spans;
pub use item::{HEADING_SEPARATOR, Hit, ItemKind, Scope, SearchItem};

use crate::vault::{Channel, ChannelId, Note, NoteId, Vault};

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
    /// Items `ranking` has seen: `store.items[..seen]`.
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

    /// See [`SearchInjector::push_vault_on_two_threads`].
    pub fn push_vault_on_two_threads(&self, vault: &Vault) {
        self.injector().push_vault_on_two_threads(vault);
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
        let new_items = !arrived.is_empty();
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
            self.take_new_items();
        } else {
            return false;
        }
        self.seen = self.store.len();
        true
    }

    /// Matches the items pushed since the last pass and adds them.
    fn take_new_items(&mut self) {
        let mut more = Vec::new();
        self.pass(
            pass::Candidates::Range(self.seen..self.store.len()),
            &mut more,
        );
        self.ranking.extend(&more);
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
        self.matched = Some(Matched {
            query: self.query.clone(),
            scope: self.scope,
        });
        if narrow && pattern.atoms == self.pattern.atoms {
            // The same atoms (a space typed): the same matches, and items
            // that arrived since.
            self.take_new_items();
            return;
        }
        self.pattern = pattern;
        let (mut matches, previous) = std::mem::take(&mut self.ranking).into_buffers();
        matches.clear();
        if narrow {
            self.pass(pass::Candidates::List(&previous), &mut matches);
        } else {
            self.pass(pass::Candidates::Range(0..self.seen), &mut matches);
        }
        self.pass(
            pass::Candidates::Range(self.seen..self.store.len()),
            &mut matches,
        );
        self.ranking = Ranking::new(matches, previous);
    }

    /// The matches among `candidates`, with their scores or bounds,
    /// appended to `out`.
    fn pass(&self, candidates: pass::Candidates<'_>, out: &mut Vec<Match>) {
        pass::run(
            &self.store,
            &self.pattern,
            self.scope,
            candidates,
            self.pool.as_ref(),
            out,
        );
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
        let plans = bound::Plans::new(pattern);
        let exact = |idx: u32| {
            let mask = store.hot[idx as usize].mask;
            pass::MATCHER.with_borrow_mut(|matcher| {
                store
                    .with_haystack(idx, |hay| plans.score(pattern, hay, mask, matcher))
                    .unwrap_or(0)
            })
        };
        let refine = |idx: u32| {
            let mask = store.hot[idx as usize].mask;
            pass::MATCHER
                .with_borrow_mut(|matcher| {
                    store.with_haystack(idx, |hay| plans.tighten(pattern, hay, mask, matcher))
                })
                .unwrap_or(bound::Estimate {
                    score: 0,
                    exact: true,
                })
        };
        let scorer = ranking::Scorer {
            exact: &exact,
            refine: &refine,
        };
        let ranked = self.ranking.ranked(start..end, &scorer, self.pool.as_ref());
        let mut hits = Vec::with_capacity(ranked.len());
        for m in ranked {
            let (matcher, indices) = (&mut self.matcher, &mut self.indices);
            indices.clear();
            let (score, text) = store.with_haystack(m.idx, |haystack| {
                let score = pattern.indices(haystack, matcher, indices).unwrap_or(0);
                (score, store.text(m.idx, haystack))
            });
            // Indices are appended atom by atom: overlapping and unordered.
            indices.sort_unstable();
            indices.dedup();
            hits.push(Hit {
                item: store.items[m.idx as usize],
                text,
                indices: indices.clone(),
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

pub use oneshot::{search_outline, search_vault};

/// [`search_vault`] the long way, through the picker's own store and
/// engine (what the one-shot ranking must agree with).
#[cfg(test)]
#[must_use]
pub fn search_vault_with_store(vault: &Vault, query: &str, scope: Scope, limit: usize) -> Vec<Hit> {
    let mut search = NoteSearch::new(Arc::new(|| {}));
    search.store = Store::of_vault_on_two_threads(vault);
    search.set_query(query);
    search.set_scope(scope);
    search.settle();
    search.results(0, u32::try_from(limit).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests;
