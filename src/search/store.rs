//! The flat store of every item's haystack and display text.

use nucleo::{Utf32Str, Utf32String};

pub(super) use super::mask::{ascii_mask, char_bit, char_mask, word_start_bit};
use super::{HEADING_SEPARATOR, SearchItem};
use crate::vault::{ChannelId, Note, NoteId, Vault};

/// What a matching pass reads of an item, besides its flags.
#[derive(Clone, Copy)]
pub(super) struct Hot {
    /// The ASCII letters and digits in the haystack, and the letters that
    /// start a word in it (see [`char_mask`]): an item lacking a char of
    /// the query is passed over without a look at its text, and a
    /// one-letter query is answered from here alone.
    pub(super) mask: u64,
    /// Start of the haystack in the store's ASCII or wide buffer.
    start: u32,
    /// Length of the haystack in chars (nucleo's length tie-break).
    pub(super) len: u32,
}

/// The haystack is in the wide (`char`) buffer.
pub(super) const WIDE: u8 = 1;
/// Taken out of the search (its note was parsed again or removed): the
/// item keeps its place, so indices held elsewhere stay valid, but
/// matches nothing.
pub(super) const RETIRED: u8 = 2;
/// The item is a heading (scopes filter on it).
pub(super) const HEADING: u8 = 4;
/// The item is a channel page.
pub(super) const CHANNEL: u8 = 8;
/// A heading whose buffer holds only its heading's text: its note's title
/// (the item [`SearchItem::Heading`]'s index before it, pushed together)
/// and ` > ` come first in its haystack (see [`Store::with_haystack`]).
/// 800,000 headings of 100,000 notes copied their title 800,000 times.
const TITLED: u8 = 16;

/// The flags of an item of this kind.
fn kind_flags(item: SearchItem) -> u8 {
    match item.kind() {
        super::ItemKind::Note => 0,
        super::ItemKind::Heading => HEADING,
        super::ItemKind::Channel => CHANNEL,
    }
}

/// The kind of an item from its flags.
pub(super) fn kind_of(flags: u8) -> super::ItemKind {
    if flags & HEADING != 0 {
        super::ItemKind::Heading
    } else if flags & CHANNEL != 0 {
        super::ItemKind::Channel
    } else {
        super::ItemKind::Note
    }
}

/// How to show an item's text. Most texts can be read back from nucleo's
/// own ASCII copy, so only the others keep a copy of their own: a vault of
/// 180,000 items saves a copy of every title and heading that way. The
/// store keeps it in four bytes an item (see [`Shown`]).
pub(super) enum Display {
    /// The haystack is the text (pure ASCII).
    Haystack,
    /// The haystack is the text with its one `›` matched as `>` at this
    /// byte offset.
    Separator(u32),
    /// Anything else keeps its text.
    Own(Box<str>),
}

impl Display {
    pub(super) fn of(text: &str) -> Self {
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

    pub(super) fn text(&self, haystack: Utf32Str<'_>) -> String {
        let ascii = match haystack {
            Utf32Str::Ascii(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Utf32Str::Unicode(chars) => chars.iter().collect(),
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

/// An item's [`Display`] in four bytes: [`Shown::HAYSTACK`], a separator
/// at byte `at` as `at + 1`, or [`Shown::OWN`] (its text in the store's
/// `own`). 900,000 items of 100,000 notes took 24 bytes more each as
/// `Display`s.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shown(u32);

impl Shown {
    const HAYSTACK: Self = Self(0);
    const OWN: Self = Self(u32::MAX);
}

/// How ` › ` is matched in an ASCII haystack (see [`haystack`]).
const SEPARATOR_BYTES: &[u8] = b" > ";

/// Whether a [`Display`] fits in a [`Shown`] (a separator past 4 GiB does
/// not: the item is dropped, as items past 4 GiB of titles are).
fn fits(display: &Display) -> bool {
    !matches!(display, Display::Separator(at) if *at >= Shown::OWN.0 - 1)
}

/// nucleo's copy of a text for matching. nucleo has a separate, faster
/// path for pure-ASCII text (byte haystacks, no per-char case folding or
/// normalisation), and in an English vault the ` › ` of heading items is usually their only
/// non-ASCII character. So when `›` is the only one, it is matched as `>`:
/// one char for one, so grapheme indices and nucleo's length tie-break are
/// unchanged, and both are punctuation followed by a space, so scores are
/// too.
pub(super) fn haystack(text: &str) -> Utf32String {
    const SEPARATOR: char = '›';
    if !text.is_ascii() && text.chars().all(|c| c.is_ascii() || c == SEPARATOR) {
        Utf32String::from(text.replace(SEPARATOR, ">"))
    } else {
        Utf32String::from(text)
    }
}

thread_local! {
    /// Where a [`TITLED`] heading's haystack is put together.
    static SCRATCH: std::cell::RefCell<Scratch> = const {
        std::cell::RefCell::new(Scratch { bytes: Vec::new(), title: None })
    };
}

/// A [`TITLED`] heading's haystack put together, and whose title it
/// begins with: a pass walks the items in order, so the next heading is
/// usually of the same note and only its own text is copied.
struct Scratch {
    bytes: Vec<u8>,
    /// The store ([`Store::id`]) and the title's start in its buffer
    /// (bytes that never change once pushed).
    title: Option<(u64, u32)>,
}

/// A number for each store made (see [`Scratch::title`]).
fn next_store_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Every item's haystack in two flat buffers: one allocation for the
/// whole vault instead of one per item. ASCII haystacks (nearly all of
/// them) take a byte a char.
///
/// Per item, in arrays side by side: what it points at, how to show it,
/// and apart what a matching pass reads of every candidate ([`Hot`] and
/// the flags), so that the pass walks 17 bytes an item.
pub(super) struct Store {
    /// This store's own number (its buffer's bytes, once pushed, never
    /// change under it: see [`Scratch`]).
    id: u64,
    pub(super) items: Vec<SearchItem>,
    /// Per item: how to show it.
    shown: Vec<Shown>,
    /// The texts of the items shown as [`Shown::OWN`], by item, ascending.
    own: Vec<(u32, Box<str>)>,
    /// Per item: what a pass reads.
    pub(super) hot: Vec<Hot>,
    /// Per item: [`WIDE`], [`RETIRED`] and the kind.
    pub(super) flags: Vec<u8>,
    ascii: Vec<u8>,
    wide: Vec<char>,
    /// Entries retired so far.
    pub(super) retired: u32,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            id: next_store_id(),
            items: Vec::new(),
            shown: Vec::new(),
            own: Vec::new(),
            hot: Vec::new(),
            flags: Vec::new(),
            ascii: Vec::new(),
            wide: Vec::new(),
            retired: 0,
        }
    }
}

impl Store {
    pub(super) fn push(&mut self, item: SearchItem, display: Display, haystack: Utf32Str<'_>) {
        let (start, wide) = match haystack {
            Utf32Str::Ascii(_) => (self.ascii.len(), false),
            Utf32Str::Unicode(_) => (self.wide.len(), true),
        };
        // Past 4 GiB of titles the item is dropped rather than mislabelled.
        let (Ok(start), Ok(len)) = (u32::try_from(start), u32::try_from(haystack.len())) else {
            return;
        };
        if start.checked_add(len).is_none() || !fits(&display) {
            return;
        }
        match haystack {
            Utf32Str::Ascii(bytes) => self.ascii.extend_from_slice(bytes),
            Utf32Str::Unicode(chars) => self.wide.extend_from_slice(chars),
        }
        self.push_item(item, display);
        self.hot.push(Hot {
            mask: char_mask(haystack),
            start,
            len,
        });
        self.flags
            .push(kind_flags(item) | if wide { WIDE } else { 0 });
    }

    /// Pushes an ASCII item whose haystack is `parts` joined (no
    /// `Utf32String` on the way: the bytes go straight to the buffer).
    fn push_ascii(&mut self, item: SearchItem, display: Display, parts: &[&[u8]]) {
        let start = self.ascii.len();
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let (Ok(start32), Ok(len32)) = (u32::try_from(start), u32::try_from(len)) else {
            return;
        };
        if start32.checked_add(len32).is_none() || !fits(&display) {
            return;
        }
        for part in parts {
            self.ascii.extend_from_slice(part);
        }
        let mask = ascii_mask(&self.ascii[start..]);
        self.push_item(item, display);
        self.hot.push(Hot {
            mask,
            start: start32,
            len: len32,
        });
        self.flags.push(kind_flags(item));
    }

    /// The item and how to show it (its haystack and flags apart).
    fn push_item(&mut self, item: SearchItem, display: Display) {
        let shown = match display {
            Display::Haystack => Shown::HAYSTACK,
            // (`at` fits: see `fits`.)
            Display::Separator(at) => Shown(at.saturating_add(1)),
            Display::Own(text) => {
                self.own.push((self.len(), text));
                Shown::OWN
            }
        };
        self.items.push(item);
        self.shown.push(shown);
    }

    /// The text item `idx` is shown as (its haystack given).
    pub(super) fn text(&self, idx: u32, haystack: Utf32Str<'_>) -> String {
        match self.shown[idx as usize] {
            Shown::HAYSTACK => Display::Haystack.text(haystack),
            Shown::OWN => self
                .own
                .binary_search_by_key(&idx, |(at, _)| *at)
                .map_or_else(|_| String::new(), |at| self.own[at].1.to_string()),
            Shown(at) => Display::Separator(at - 1).text(haystack),
        }
    }

    /// Pushes heading `heading` of the note whose title item is `title`
    /// (ASCII, pushed just before its headings): only the heading's text
    /// goes to the buffer ([`TITLED`]).
    fn push_titled(&mut self, item: SearchItem, title: u32, heading: &[u8], display: Display) {
        let title_hay = self.hot[title as usize];
        let start = self.ascii.len();
        let len = title_hay.len as usize + SEPARATOR_BYTES.len() + heading.len();
        let (Ok(start32), Ok(len32)) = (u32::try_from(start), u32::try_from(len)) else {
            return;
        };
        if start32.checked_add(len32).is_none() || !fits(&display) {
            return;
        }
        self.ascii.extend_from_slice(heading);
        // The mask of the whole haystack: the title's and the heading's
        // (whose first letter starts a word, after ` > `'s space).
        let mask = title_hay.mask | ascii_mask(heading);
        self.push_item(item, display);
        self.hot.push(Hot {
            mask,
            start: start32,
            len: len32,
        });
        self.flags.push(kind_flags(item) | TITLED);
    }

    /// Pushes one item with the text it is matched on and shown as.
    pub(super) fn push_text(&mut self, item: SearchItem, text: &str) {
        if text.is_ascii() {
            self.push_ascii(item, Display::Haystack, &[text.as_bytes()]);
        } else {
            self.push(item, Display::of(text), haystack(text).slice(..));
        }
    }

    /// Pushes the items of a note's headings (`Note title › Heading`).
    pub(super) fn push_headings(&mut self, id: NoteId, note: &Note) {
        let ascii_title = note.title.is_ascii();
        // The note's title item, when it is the item just before (pushed
        // with them, in this store): the headings then share its text.
        let title = self.len().checked_sub(1).filter(|&at| {
            self.items[at as usize] == SearchItem::note(id)
                && self.flags[at as usize] & (WIDE | RETIRED) == 0
                && self.hot[at as usize].len as usize == note.title.len()
        });
        for (i, heading) in note.headings.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let item = SearchItem::heading(id, i);
            if ascii_title && heading.text().is_ascii() {
                // The common case: the haystack is the shown text with `>`
                // for `›` (see [`haystack`]).
                let display = u32::try_from(note.title.len() + 1).map_or_else(
                    |_| {
                        Display::Own(
                            format!("{}{HEADING_SEPARATOR}{}", note.title, heading.text()).into(),
                        )
                    },
                    Display::Separator,
                );
                // Heading `i` is then `i + 1` items after its title.
                match title.filter(|&at| u64::from(at) + 1 + u64::from(i) == u64::from(self.len()))
                {
                    Some(at) => self.push_titled(item, at, heading.text().as_bytes(), display),
                    None => {
                        let parts: [&[u8]; 3] = [
                            note.title.as_bytes(),
                            SEPARATOR_BYTES,
                            heading.text().as_bytes(),
                        ];
                        self.push_ascii(item, display, &parts);
                    }
                }
            } else {
                self.push_text(
                    item,
                    &format!("{}{HEADING_SEPARATOR}{}", note.title, heading.text()),
                );
            }
        }
    }

    /// Every item of a vault, in [`SearchInjector::push_vault`]'s order,
    /// in buffers of the exact size (grown buffers were copied at every
    /// doubling: a third of a CLI `search`'s page faults).
    ///
    /// [`SearchInjector::push_vault`]: super::SearchInjector::push_vault
    pub(super) fn of_vault(vault: &Vault) -> Self {
        let mut store = Self::sized_for(vault, 0..vault.notes.len(), true);
        store.push_notes(vault, 0..vault.notes.len());
        store.push_channels(vault);
        store
    }

    /// [`Self::of_vault`] built by two threads, a half of the notes each
    /// (for `vidwiki search`, which waits for it, and the browser's
    /// vault handed over whole, whose start waits for it too).
    pub(super) fn of_vault_on_two_threads(vault: &Vault) -> Self {
        let all = 0..vault.notes.len();
        let half = all.end / 2;
        let (mut first, mut second) = rayon::join(
            || {
                let mut store = Self::sized_for(vault, all.clone(), true);
                store.push_notes(vault, 0..half);
                store
            },
            || {
                let mut store = Self::sized_for(vault, half..all.end, false);
                store.push_notes(vault, half..all.end);
                store
            },
        );
        first.append(&mut second);
        first.push_channels(vault);
        first
    }

    /// An empty store with room for the items of `notes` (and the
    /// channels' with `channels`).
    fn sized_for(vault: &Vault, notes: std::ops::Range<usize>, channels: bool) -> Self {
        let mut items = 0;
        let mut bytes = 0;
        for note in &vault.notes[notes] {
            items += 1 + note.headings.len();
            bytes += note.title.len();
            for heading in &note.headings {
                // A heading shares its note's ASCII title ([`TITLED`]).
                bytes += heading.text().len();
                if !(note.title.is_ascii() && heading.text().is_ascii()) {
                    bytes += note.title.len() + 3;
                }
            }
        }
        if channels {
            for channel in vault.channels.iter().filter(|c| c.index_note.is_none()) {
                items += 1;
                bytes += channel.name.len();
            }
        }
        Self {
            items: Vec::with_capacity(items),
            shown: Vec::with_capacity(items),
            hot: Vec::with_capacity(items),
            flags: Vec::with_capacity(items),
            ascii: Vec::with_capacity(bytes),
            ..Self::default()
        }
    }

    /// Pushes the notes at `range` of the vault, each with its headings.
    fn push_notes(&mut self, vault: &Vault, range: std::ops::Range<usize>) {
        for (id, note) in vault
            .ids()
            .zip(&vault.notes)
            .skip(range.start)
            .take(range.len())
        {
            self.push_text(SearchItem::note(id), &note.title);
            self.push_headings(id, note);
        }
    }

    /// Pushes every channel page without an index note.
    fn push_channels(&mut self, vault: &Vault) {
        for (i, channel) in vault.channels.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            if channel.index_note.is_none() {
                self.push_text(SearchItem::channel(ChannelId(i)), &channel.name);
            }
        }
    }

    /// Retires the live items for which `pick` holds (one pass over the
    /// items, no reallocation); how many were retired.
    fn retire_where(&mut self, pick: impl Fn(NoteId) -> bool) -> u32 {
        let mut count = 0;
        for (item, flags) in self.items.iter().zip(&mut self.flags) {
            if *flags & RETIRED == 0 && item.note_id().is_some_and(&pick) {
                *flags |= RETIRED;
                count += 1;
            }
        }
        self.retired += count;
        count
    }

    /// Retires every live title and heading item of note `id`; how many
    /// were retired.
    pub(super) fn retire_note(&mut self, id: NoteId) -> u32 {
        self.retire_where(|note| note == id)
    }

    /// [`Self::retire_note`] for many notes in one pass (a burst: one pass
    /// per note would be quadratic).
    pub(super) fn retire_notes(&mut self, ids: &std::collections::HashSet<NoteId>) -> u32 {
        self.retire_where(|note| ids.contains(&note))
    }

    /// `f` of item `idx`'s haystack: from the buffer, or put together
    /// from its title's and its heading's ([`TITLED`]) in this thread's
    /// scratch buffer.
    pub(super) fn with_haystack<R>(&self, idx: u32, f: impl FnOnce(Utf32Str<'_>) -> R) -> R {
        let hot = &self.hot[idx as usize];
        let flags = self.flags[idx as usize];
        let range = |start: u32, len: u32| start as usize..start as usize + len as usize;
        if flags & WIDE != 0 {
            return f(Utf32Str::Unicode(&self.wide[range(hot.start, hot.len)]));
        }
        if flags & TITLED == 0 {
            return f(Utf32Str::Ascii(&self.ascii[range(hot.start, hot.len)]));
        }
        let heading = match self.items[idx as usize] {
            SearchItem::Heading(_, heading) => heading,
            _ => 0,
        };
        let title = &self.hot[(idx - 1 - heading) as usize];
        let own = hot.len - title.len - 3;
        SCRATCH.with_borrow_mut(|scratch| {
            let prefix = title.len as usize + SEPARATOR_BYTES.len();
            if scratch.title == Some((self.id, title.start)) && scratch.bytes.len() >= prefix {
                scratch.bytes.truncate(prefix);
            } else {
                scratch.bytes.clear();
                scratch
                    .bytes
                    .extend_from_slice(&self.ascii[range(title.start, title.len)]);
                scratch.bytes.extend_from_slice(SEPARATOR_BYTES);
                scratch.title = Some((self.id, title.start));
            }
            scratch
                .bytes
                .extend_from_slice(&self.ascii[range(hot.start, own)]);
            f(Utf32Str::Ascii(&scratch.bytes))
        })
    }

    /// Bytes of ASCII haystacks kept (tests).
    #[cfg(test)]
    pub(super) fn ascii_len(&self) -> usize {
        self.ascii.len()
    }

    pub(super) fn len(&self) -> u32 {
        u32::try_from(self.items.len()).unwrap_or(u32::MAX)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Moves every item of `other` to the end of this store.
    pub(super) fn append(&mut self, other: &mut Self) {
        if self.items.is_empty() && self.retired == 0 {
            // Taken whole: no copy of the buffers.
            std::mem::swap(self, other);
            return;
        }
        let (Ok(ascii), Ok(wide)) = (
            u32::try_from(self.ascii.len()),
            u32::try_from(self.wide.len()),
        ) else {
            return;
        };
        let fits = |buffer: usize, base: u32| {
            u32::try_from(buffer).is_ok_and(|more| base.checked_add(more).is_some())
        };
        if !fits(other.ascii.len(), ascii) || !fits(other.wide.len(), wide) {
            // Past 4 GiB of titles the new items are dropped.
            *other = Self::default();
            return;
        }
        self.hot.extend(
            other
                .hot
                .drain(..)
                .zip(&other.flags)
                .map(|(mut hot, &flags)| {
                    hot.start += if flags & WIDE != 0 { wide } else { ascii };
                    hot
                }),
        );
        self.flags.append(&mut other.flags);
        let base = self.len();
        self.own.extend(
            other
                .own
                .drain(..)
                .map(|(idx, text)| (idx.saturating_add(base), text)),
        );
        self.items.append(&mut other.items);
        self.shown.append(&mut other.shown);
        // Emptied: what it holds next is not what its number held.
        other.id = next_store_id();
        self.ascii.append(&mut other.ascii);
        self.wide.append(&mut other.wide);
        self.retired += std::mem::take(&mut other.retired);
    }
}
