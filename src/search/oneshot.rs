//! `vidwiki search`: the picker's ranking computed straight from the
//! vault's notes, without building the picker's store.
//!
//! The store copies every title and heading into one buffer (a heading's
//! item is `Title > Heading`, so every title once per heading: 13 MB for
//! the real vault's 178,000 items) and computes every item's char mask
//! over that copy; a one-shot query reads each item once. Here a title's
//! mask is computed once per note, a heading's item mask is the title's
//! joined with the heading's (the heading starts a word after `" > "`),
//! and an item's text is put together only when its mask holds every char
//! of the query. The items are numbered, matched, estimated, refined and
//! scored exactly as the picker's (same haystacks, same masks, same push
//! order, same [`Ranking`]), so the hits are the picker's; the tests
//! compare both.

use nucleo::{Utf32Str, Utf32String, pattern::Pattern};
use rayon::prelude::*;

use super::{
    HEADING_SEPARATOR, Hit, ItemKind, Scope, SearchItem, bound,
    outline::Outline,
    parse, pass,
    ranking::{Match, Ranking, Scorer},
    store,
};
use crate::vault::{ChannelId, NoteId, Vault};

/// Notes per task of the matching pass.
const NOTES_PER_TASK: usize = 256;

/// The picker's items of a vault, numbered in push order (each note's
/// title, then its headings; the channel pages without an index note
/// last), read from the vault itself.
struct Items<'a, O: Outline + ?Sized> {
    vault: &'a O,
    /// The number of each note's title item.
    first: Vec<u32>,
    /// The channels that are items, after the notes' items.
    channels: Vec<u32>,
    /// The first channel item.
    notes_end: u32,
}

/// An item's haystack: borrowed, put together in a buffer, or wide.
enum Hay<'a> {
    Ascii(&'a [u8]),
    Wide(Utf32String),
}

impl Hay<'_> {
    fn as_str(&self) -> Utf32Str<'_> {
        match self {
            Self::Ascii(bytes) => Utf32Str::Ascii(bytes),
            Self::Wide(wide) => wide.slice(..),
        }
    }
}

impl<'a, O: Outline + ?Sized> Items<'a, O> {
    fn new(vault: &'a O) -> Option<Self> {
        let mut first = Vec::with_capacity(vault.note_count());
        let mut next = 0_u32;
        for n in 0..vault.note_count() {
            first.push(next);
            next = next.checked_add(u32::try_from(vault.heading_count(n)).ok()? + 1)?;
        }
        let channels = (0..u32::try_from(vault.channel_count()).ok()?)
            .filter(|&i| !vault.channel_has_note(i as usize))
            .collect();
        Some(Self {
            vault,
            first,
            channels,
            notes_end: next,
        })
    }

    /// What item `idx` is, and the text it is shown as.
    fn item(&self, idx: u32) -> (SearchItem, String) {
        if idx >= self.notes_end {
            let channel = self.channels[(idx - self.notes_end) as usize];
            let name = self.vault.channel_name(channel as usize).to_owned();
            return (SearchItem::channel(ChannelId(channel)), name);
        }
        let n = self.first.partition_point(|&first| first <= idx) - 1;
        let id = NoteId(u32::try_from(n).unwrap_or(u32::MAX));
        let title = self.vault.title(n);
        match (idx - self.first[n]).checked_sub(1) {
            None => (SearchItem::note(id), title.to_owned()),
            Some(h) => {
                let heading = self.vault.heading(n, h as usize);
                let text = format!("{title}{HEADING_SEPARATOR}{heading}");
                (SearchItem::heading(id, h), text)
            }
        }
    }

    /// Item `idx`'s haystack (see [`store::haystack`]), put together in
    /// `buffer` when it is a heading's.
    fn haystack<'b>(&self, idx: u32, buffer: &'b mut Vec<u8>) -> Hay<'b> {
        let (_, text) = self.item(idx);
        if text.is_ascii() {
            buffer.clear();
            buffer.extend_from_slice(text.as_bytes());
            return Hay::Ascii(buffer);
        }
        let hay = store::haystack(&text);
        match hay.slice(..) {
            Utf32Str::Ascii(bytes) => {
                buffer.clear();
                buffer.extend_from_slice(bytes);
                Hay::Ascii(buffer)
            }
            Utf32Str::Unicode(_) => Hay::Wide(hay),
        }
    }
}

/// What every item of a query is checked against.
struct Query<'a> {
    pattern: &'a Pattern,
    plans: bound::Plans,
    required: u64,
    letter: Option<u64>,
    scope: Scope,
}

impl Query<'_> {
    /// The pass's verdict on one item (as [`pass::run`] gives it): `hay`
    /// is called only when the mask does not rule the item out.
    fn judge<'h>(
        &self,
        (idx, kind, mask, wide, len): (u32, ItemKind, u64, bool, u32),
        hay: impl FnOnce() -> Utf32Str<'h>,
        out: &mut Vec<Match>,
    ) {
        if !self.scope.admits(kind) {
            return;
        }
        if self.pattern.atoms.is_empty() {
            let len = if self.scope == Scope::All { 0 } else { len };
            out.push(Match::new(0, len, idx, true));
            return;
        }
        if mask & self.required != self.required {
            return;
        }
        if let Some(at_word_start) = self.letter.filter(|_| !wide) {
            let estimate = bound::one_letter(mask & at_word_start != 0);
            out.push(Match::new(estimate.score, len, idx, estimate.exact));
            return;
        }
        let hay = hay();
        let estimate = pass::MATCHER
            .with_borrow_mut(|matcher| self.plans.estimate(self.pattern, hay, mask, matcher));
        if let Some(estimate) = estimate {
            out.push(Match::new(estimate.score, len, idx, estimate.exact));
        }
    }
}

/// The matches of the notes `range`, in item order.
fn match_notes<O: Outline + ?Sized>(
    items: &Items<'_, O>,
    query: &Query<'_>,
    range: std::ops::Range<usize>,
) -> Vec<Match> {
    let mut out = Vec::new();
    let mut buffer = Vec::new();
    for n in range {
        let title = items.vault.title(n);
        let first = items.first[n];
        let ascii_title = title.is_ascii();
        let title_mask = if ascii_title {
            store::ascii_mask(title.as_bytes())
        } else {
            u64::MAX
        };
        // The title's item.
        if ascii_title {
            let len = u32::try_from(title.len()).unwrap_or(u32::MAX);
            let item = (first, ItemKind::Note, title_mask, false, len);
            query.judge(item, || Utf32Str::Ascii(title.as_bytes()), &mut out);
        } else {
            judge_text(query, first, ItemKind::Note, title, &mut out);
        }
        if !query.scope.admits(ItemKind::Heading) {
            continue;
        }
        for h in 0..items.vault.heading_count(n) {
            let heading = items.vault.heading(n, h);
            let idx = first + 1 + u32::try_from(h).unwrap_or(u32::MAX);
            if ascii_title && heading.is_ascii() {
                let mask = title_mask | store::ascii_mask(heading.as_bytes());
                let len = u32::try_from(title.len() + 3 + heading.len()).unwrap_or(u32::MAX);
                let item = (idx, ItemKind::Heading, mask, false, len);
                query.judge(
                    item,
                    || {
                        buffer.clear();
                        buffer.extend_from_slice(title.as_bytes());
                        buffer.extend_from_slice(b" > ");
                        buffer.extend_from_slice(heading.as_bytes());
                        Utf32Str::Ascii(&buffer)
                    },
                    &mut out,
                );
            } else {
                let text = format!("{title}{HEADING_SEPARATOR}{heading}");
                judge_text(query, idx, ItemKind::Heading, &text, &mut out);
            }
        }
    }
    out
}

/// [`Query::judge`] for an item of any text (as [`store::Store::push_text`]
/// stores it).
fn judge_text(query: &Query<'_>, idx: u32, kind: ItemKind, text: &str, out: &mut Vec<Match>) {
    let hay = store::haystack(text);
    let slice = hay.slice(..);
    let wide = matches!(slice, Utf32Str::Unicode(_));
    let len = u32::try_from(slice.len()).unwrap_or(u32::MAX);
    query.judge(
        (idx, kind, store::char_mask(slice), wide, len),
        || slice,
        out,
    );
}

/// One-shot ranking for `vidwiki search`: the picker's items, query syntax
/// and order, without a UI. Blocks until matching is done.
#[must_use]
pub fn search_vault(vault: &Vault, query: &str, scope: Scope, limit: usize) -> Vec<Hit> {
    search_outline(vault, query, scope, limit)
}

/// [`search_vault`] over any [`Outline`] of a vault (the command line's
/// lean load reads one from the index cache without building the vault).
#[must_use]
pub fn search_outline<O: Outline + ?Sized>(
    vault: &O,
    query: &str,
    scope: Scope,
    limit: usize,
) -> Vec<Hit> {
    let Some(items) = Items::new(vault) else {
        return Vec::new();
    };
    let pattern = parse(query);
    let plans = bound::Plans::new(&pattern);
    let query = Query {
        required: plans.required_chars(),
        letter: plans.single_letter().map(store::word_start_bit),
        plans,
        pattern: &pattern,
        scope,
    };
    let notes = vault.note_count();
    let tasks = notes.div_ceil(NOTES_PER_TASK);
    let found: Vec<Vec<Match>> = (0..tasks)
        .into_par_iter()
        .map(|t| {
            let start = t * NOTES_PER_TASK;
            let end = (start + NOTES_PER_TASK).min(notes);
            match_notes(&items, &query, start..end)
        })
        .collect();
    let mut matches = Vec::with_capacity(found.iter().map(Vec::len).sum());
    for chunk in &found {
        matches.extend_from_slice(chunk);
    }
    for (i, &channel) in (items.notes_end..).zip(&items.channels) {
        let name = vault.channel_name(channel as usize);
        judge_text(&query, i, ItemKind::Channel, name, &mut matches);
    }
    rank(&items, &query, matches, limit)
}

/// The best `limit` of `matches`, as [`super::NoteSearch::results`] gives
/// them.
fn rank<O: Outline + ?Sized>(
    items: &Items<'_, O>,
    query: &Query<'_>,
    matches: Vec<Match>,
    limit: usize,
) -> Vec<Hit> {
    let with_hay = |idx: u32, f: &mut dyn FnMut(Utf32Str<'_>, u64) -> u32| {
        let mut buffer = Vec::new();
        let hay = items.haystack(idx, &mut buffer);
        let hay = hay.as_str();
        f(hay, store::char_mask(hay))
    };
    let exact = |idx: u32| {
        with_hay(idx, &mut |hay, mask| {
            pass::MATCHER.with_borrow_mut(|matcher| {
                query
                    .plans
                    .score(query.pattern, hay, mask, matcher)
                    .unwrap_or(0)
            })
        })
    };
    let refine = |idx: u32| {
        let mut estimate = bound::Estimate {
            score: 0,
            exact: true,
        };
        with_hay(idx, &mut |hay, mask| {
            pass::MATCHER.with_borrow_mut(|matcher| {
                if let Some(tighter) = query.plans.tighten(query.pattern, hay, mask, matcher) {
                    estimate = tighter;
                }
            });
            0
        });
        estimate
    };
    let scorer = Scorer {
        exact: &exact,
        refine: &refine,
    };
    let mut ranking = Ranking::new(matches, Vec::new());
    let mut matcher = nucleo::Matcher::new(nucleo::Config::DEFAULT);
    let mut indices = Vec::new();
    let mut buffer = Vec::new();
    ranking
        .ranked(0..limit, &scorer, None)
        .iter()
        .map(|m| {
            let (item, text) = items.item(m.idx);
            let hay = items.haystack(m.idx, &mut buffer);
            indices.clear();
            let score = query
                .pattern
                .indices(hay.as_str(), &mut matcher, &mut indices)
                .unwrap_or(0);
            indices.sort_unstable();
            indices.dedup();
            Hit {
                item,
                text,
                indices: indices.clone(),
                score,
            }
        })
        .collect()
}
