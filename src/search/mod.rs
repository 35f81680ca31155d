//! Fuzzy search over notes, headings and channel pages: nucleo behind a
//! small API, shared by the jump picker and `vidwiki search`.
//!
//! One [`Nucleo`] holds every item with two matcher columns: the text shown
//! (column [`TEXT`]) and a one-letter kind tag (column [`KIND`]). The user's
//! query goes to the text column; the [`Scope`] is a fixed pattern on the
//! kind column. Filtering inside nucleo (rather than dropping hits
//! afterwards) keeps the matched count, paging and ranking exact for every
//! scope while there is still only one item store and one thread pool.
//!
//! Ranking is nucleo's, best first. A heading is shown and matched as
//! `Note title › Heading`, so a note whose title equals the query always
//! ties or beats every heading that merely contains the words, and the tie
//! goes to the shorter text: the note. (Both columns count towards nucleo's
//! length tie-break, and every tag is one character, so the tags never
//! reorder anything.)

pub mod fulltext;
pub mod highlight;

use std::{fmt, sync::Arc};

use nucleo::{
    Config, Injector, Matcher, Nucleo, Utf32String,
    pattern::{CaseMatching, Normalization},
};

pub use highlight::highlight_spans;

use crate::vault::{Channel, ChannelId, Note, NoteId, Vault};

/// Matcher column holding the text shown for an item.
const TEXT: usize = 0;
/// Matcher column holding the item's kind tag (see [`ItemKind::tag`]).
const KIND: usize = 1;
const COLUMNS: u32 = 2;

/// How long [`NoteSearch::tick`] may wait for the worker. Helix uses 10 ms:
/// short enough for a frame, long enough that small vaults finish at once.
const TICK_MS: u64 = 10;

/// Separator between a note's title and one of its headings.
pub const HEADING_SEPARATOR: &str = " › ";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Note,
    Heading,
    Channel,
}

impl ItemKind {
    /// The text of the kind column. One character each, so that the kind
    /// adds the same length to every item and never changes the order.
    fn tag(self) -> &'static str {
        match self {
            Self::Note => "n",
            Self::Heading => "h",
            Self::Channel => "c",
        }
    }
}

/// What a hit points at. Small and `Copy`: the picker keeps only ids and
/// looks everything else up in the vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchItem {
    pub kind: ItemKind,
    /// The note, for notes and headings.
    pub note: Option<NoteId>,
    /// Index into the note's [`Note::headings`], for headings.
    pub heading: Option<u32>,
    /// The channel, for channel pages.
    pub channel: Option<ChannelId>,
}

impl SearchItem {
    #[must_use]
    pub fn note(id: NoteId) -> Self {
        Self {
            kind: ItemKind::Note,
            note: Some(id),
            heading: None,
            channel: None,
        }
    }

    #[must_use]
    pub fn heading(id: NoteId, heading: u32) -> Self {
        Self {
            kind: ItemKind::Heading,
            note: Some(id),
            heading: Some(heading),
            channel: None,
        }
    }

    #[must_use]
    pub fn channel(id: ChannelId) -> Self {
        Self {
            kind: ItemKind::Channel,
            note: None,
            heading: None,
            channel: Some(id),
        }
    }
}

/// Which kinds of item the picker shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scope {
    /// Notes, headings and channel pages.
    #[default]
    All,
    /// Pages one can open: notes and channel pages, no headings.
    Notes,
    /// Headings only.
    Headings,
}

impl Scope {
    /// The next scope, for a key that cycles through them.
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::All => Self::Notes,
            Self::Notes => Self::Headings,
            Self::Headings => Self::All,
        }
    }

    /// A short name for the picker's title and `--scope`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Notes => "notes",
            Self::Headings => "headings",
        }
    }

    /// The fixed pattern of the kind column. `!h` is a negated substring
    /// atom (everything but headings); `^h$` an exact one.
    fn pattern(self) -> &'static str {
        match self {
            Self::All => "",
            Self::Notes => "!h",
            Self::Headings => "^h$",
        }
    }
}

/// One ranked match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub item: SearchItem,
    /// The text matched and shown: a title, `Note title › Heading`, or a
    /// channel name.
    pub text: String,
    /// Grapheme indices into `text` of the matched characters, sorted and
    /// deduplicated; feed them to [`highlight_spans`].
    pub indices: Vec<u32>,
    /// nucleo's score for the text (0 for an empty query); higher is better.
    pub score: u32,
}

/// What nucleo stores per item: the id and how to show its text. nucleo's
/// own copy drops all but the first char of each grapheme, so a text that
/// is not plain ASCII (bar one `›`) keeps a copy to be shown.
struct Entry {
    item: SearchItem,
    display: Display,
}

/// How to show an item's text. Most texts can be read back from nucleo's
/// own ASCII copy, so only the others keep a copy of their own: a vault of
/// 180,000 items saves a copy of every title and heading that way.
enum Display {
    /// The haystack is the text (pure ASCII).
    Haystack,
    /// The haystack is the text with its one `›` matched as `>` at this
    /// byte offset.
    Separator(u32),
    /// Anything else keeps its text.
    Own(Box<str>),
}

impl Display {
    fn of(text: &str) -> Self {
        if text.is_ascii() {
            return Self::Haystack;
        }
        let mut separators = text.match_indices('›');
        if let (Some((at, _)), None) = (separators.next(), separators.next())
            && text.chars().all(|c| c.is_ascii() || c == '›')
            && let Ok(at) = u32::try_from(at)
        {
            return Self::Separator(at);
        }
        Self::Own(text.into())
    }

    fn text(&self, haystack: &Utf32String) -> String {
        let ascii = match haystack.slice(..) {
            nucleo::Utf32Str::Ascii(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            nucleo::Utf32Str::Unicode(chars) => chars.iter().collect(),
        };
        match self {
            Self::Haystack => ascii,
            Self::Separator(at) => {
                let at = *at as usize;
                match (ascii.get(..at), ascii.get(at + 1..)) {
                    (Some(head), Some(tail)) => format!("{head}›{tail}"),
                    _ => ascii,
                }
            }
            Self::Own(text) => text.to_string(),
        }
    }
}

/// nucleo's copy of a text for matching. nucleo has a separate, faster
/// path for pure-ASCII text (byte haystacks, no per-char case folding or
/// normalisation), and in an English vault the ` › ` of heading items is usually their only
/// non-ASCII character. So when `›` is the only one, it is matched as `>`:
/// one char for one, so grapheme indices and nucleo's length tie-break are
/// unchanged, and both are punctuation followed by a space, so scores are
/// too.
fn haystack(text: &str) -> Utf32String {
    const SEPARATOR: char = '›';
    if !text.is_ascii() && text.chars().all(|c| c.is_ascii() || c == SEPARATOR) {
        Utf32String::from(text.replace(SEPARATOR, ">"))
    } else {
        Utf32String::from(text)
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
    inner: Injector<Entry>,
}

impl fmt::Debug for SearchInjector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchInjector")
            .field("injected", &self.inner.injected_items())
            .finish()
    }
}

impl SearchInjector {
    /// Pushes one item with the text it is matched on and shown as. The
    /// typed helpers below build the texts; this is for them, tests and
    /// benchmarks.
    pub fn push(&self, item: SearchItem, text: impl AsRef<str>) {
        let text = text.as_ref();
        let entry = Entry {
            item,
            display: Display::of(text),
        };
        self.push_entry(entry, haystack(text));
    }

    fn push_entry(&self, entry: Entry, haystack: Utf32String) {
        self.inner.push(entry, move |entry, columns| {
            columns[TEXT] = haystack;
            columns[KIND] = Utf32String::from(entry.item.kind.tag());
        });
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
                self.push_entry(Entry { item, display }, Utf32String::from(text));
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

    /// How many items were pushed through this injector's store so far.
    #[must_use]
    pub fn injected(&self) -> u32 {
        self.inner.injected_items()
    }
}

/// The jump picker's engine: owns one [`Nucleo`] (and so one thread pool)
/// and one [`Matcher`] for highlighting, both with [`Config::DEFAULT`]
/// because items are titles, not paths, and matching and highlighting must
/// score alike.
pub struct NoteSearch {
    nucleo: Nucleo<Entry>,
    matcher: Matcher,
    query: String,
    scope: Scope,
    /// nucleo's `running` from the last tick.
    worker_running: bool,
    /// A query, scope or restart that no tick has handed to nucleo yet.
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
    /// `notify` is called by nucleo on every push and when a background pass
    /// finishes, from other threads and without debouncing: keep it tiny
    /// (set an atomic flag, `try_send` on a channel of capacity 1).
    #[must_use]
    pub fn new(notify: Arc<dyn Fn() + Send + Sync>) -> Self {
        Self {
            nucleo: Nucleo::new(Config::DEFAULT, notify, None, COLUMNS),
            matcher: Matcher::new(Config::DEFAULT),
            query: String::new(),
            scope: Scope::All,
            worker_running: false,
            pending: false,
            indices: Vec::new(),
        }
    }

    /// A handle for pushing items, from this or another thread.
    #[must_use]
    pub fn injector(&self) -> SearchInjector {
        SearchInjector {
            inner: self.nucleo.injector(),
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
        let append = can_append(&self.query, query);
        self.nucleo.pattern.reparse(
            TEXT,
            query,
            CaseMatching::Smart,
            Normalization::Smart,
            append,
        );
        query.clone_into(&mut self.query);
        self.pending = true;
    }

    /// Shows only some kinds of item. Takes effect on the next tick.
    pub fn set_scope(&mut self, scope: Scope) {
        if scope == self.scope {
            return;
        }
        self.nucleo.pattern.reparse(
            KIND,
            scope.pattern(),
            CaseMatching::Respect,
            Normalization::Never,
            false,
        );
        self.scope = scope;
        self.pending = true;
    }

    /// Hands new items and the latest query to the worker and picks up its
    /// results, waiting at most about 10 ms. Call once per frame while the
    /// picker is open. Returns whether the results changed.
    pub fn tick(&mut self) -> bool {
        let status = self.nucleo.tick(TICK_MS);
        self.worker_running = status.running;
        self.pending = false;
        status.changed
    }

    /// True while results may still change without the user typing: a
    /// pass is running, a change awaits a tick, items were pushed but not
    /// matched yet, or an injector is still alive (the vault is loading).
    #[must_use]
    pub fn running(&self) -> bool {
        let injectors = self.nucleo.active_injectors();
        let unmatched =
            self.nucleo.injector().injected_items() != self.nucleo.snapshot().item_count();
        self.pending || self.worker_running || unmatched || injectors > 0
    }

    /// `(matched, total)` in the current results.
    #[must_use]
    pub fn counts(&self) -> (u32, u32) {
        let snapshot = self.nucleo.snapshot();
        (snapshot.matched_item_count(), snapshot.item_count())
    }

    /// Up to `count` hits starting at rank `offset`, best first, with their
    /// highlight indices. Out-of-range requests give fewer hits (or none),
    /// never a panic: nucleo's `matched_items` panics past the end.
    ///
    /// With an empty query every item matches with score 0. The order is
    /// then push order for [`Scope::All`] and shortest text first for the
    /// other scopes (nucleo's tie-break); the picker orders that list
    /// itself (recent notes first).
    pub fn results(&mut self, offset: u32, count: u32) -> Vec<Hit> {
        let snapshot = self.nucleo.snapshot();
        let matched = snapshot.matched_item_count();
        let start = offset.min(matched);
        let end = start.saturating_add(count).min(matched);
        // The snapshot's own pattern, not the newest: the indices must
        // describe the match that put the item in this list.
        let pattern = snapshot.pattern().column_pattern(TEXT);
        let mut hits = Vec::with_capacity((end - start) as usize);
        for item in snapshot.matched_items(start..end) {
            self.indices.clear();
            let score = item
                .matcher_columns
                .get(TEXT)
                .and_then(|text| {
                    pattern.indices(text.slice(..), &mut self.matcher, &mut self.indices)
                })
                .unwrap_or(0);
            // Indices are appended atom by atom: overlapping and unordered.
            self.indices.sort_unstable();
            self.indices.dedup();
            hits.push(Hit {
                item: item.data.item,
                text: item
                    .matcher_columns
                    .get(TEXT)
                    .map(|haystack| item.data.display.text(haystack))
                    .unwrap_or_default(),
                indices: self.indices.clone(),
                score,
            });
        }
        hits
    }

    /// Ticks until the worker is idle, so that the results reflect every
    /// item pushed so far and the latest query. For tests and the CLI; it
    /// never sleeps, but keeps going while another thread keeps pushing.
    pub fn settle(&mut self) {
        while {
            self.tick();
            self.worker_running
        } {}
    }

    /// Drops every item (for a vault reload) and disconnects every earlier
    /// injector. The query and scope stay.
    pub fn restart(&mut self) {
        self.nucleo.restart(true);
        self.pending = true;
    }
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
