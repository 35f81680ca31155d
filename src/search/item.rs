//! What the picker's search finds: the kinds of item, what a hit points
//! at, the scopes that filter them, and one ranked match.

use crate::vault::{ChannelId, NoteId};

/// Separator between a note's title and one of its headings.
pub const HEADING_SEPARATOR: &str = " › ";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Note,
    Heading,
    Channel,
}

/// What a hit points at. Small and `Copy`: the picker keeps only ids and
/// looks everything else up in the vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchItem {
    Note(NoteId),
    /// A heading of a note: index into the note's [`crate::vault::Note::headings`].
    Heading(NoteId, u32),
    /// A channel's page.
    Channel(ChannelId),
}

impl SearchItem {
    #[must_use]
    pub fn note(id: NoteId) -> Self {
        Self::Note(id)
    }

    #[must_use]
    pub fn heading(id: NoteId, heading: u32) -> Self {
        Self::Heading(id, heading)
    }

    #[must_use]
    pub fn channel(id: ChannelId) -> Self {
        Self::Channel(id)
    }

    #[must_use]
    pub fn kind(&self) -> ItemKind {
        match self {
            Self::Note(_) => ItemKind::Note,
            Self::Heading(..) => ItemKind::Heading,
            Self::Channel(_) => ItemKind::Channel,
        }
    }

    /// The note of a note or heading.
    #[must_use]
    pub fn note_id(&self) -> Option<NoteId> {
        match *self {
            Self::Note(id) | Self::Heading(id, _) => Some(id),
            Self::Channel(_) => None,
        }
    }

    /// The heading of a heading.
    #[must_use]
    pub fn heading_index(&self) -> Option<u32> {
        match *self {
            Self::Heading(_, heading) => Some(heading),
            Self::Note(_) | Self::Channel(_) => None,
        }
    }

    /// The channel of a channel page.
    #[must_use]
    pub fn channel_id(&self) -> Option<ChannelId> {
        match *self {
            Self::Channel(id) => Some(id),
            Self::Note(_) | Self::Heading(..) => None,
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
    /// Bookmarked notes only (the picker narrows notes to them).
    Bookmarks,
}

impl Scope {
    /// The next scope, for a key that cycles through them.
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::All => Self::Notes,
            Self::Notes => Self::Headings,
            Self::Headings => Self::Bookmarks,
            Self::Bookmarks => Self::All,
        }
    }

    /// A short name for the picker's title and `--scope`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Notes => "notes",
            Self::Headings => "headings",
            Self::Bookmarks => "bookmarks",
        }
    }

    /// Whether items of this kind are shown.
    pub(super) fn admits(self, kind: ItemKind) -> bool {
        match self {
            Self::All => true,
            Self::Notes => kind != ItemKind::Heading,
            Self::Headings => kind == ItemKind::Heading,
            Self::Bookmarks => kind == ItemKind::Note,
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
