//! The links pane: outgoing links, backlinks (with the sentence around each)
//! and timestamps of the open page, one tab at a time.

use super::{
    action::LinksTab,
    list_cursor::ListCursor,
    page::{Dest, Page, View},
    texts::{NoteText, NoteTexts},
};
use crate::{
    text::sanitize_inline,
    vault::{NoteId, Resolution, Vault, context::sentence_around, timestamp::format_clock},
};

/// What following an entry does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryAction {
    /// Follow a target of the open view (a link or timestamp of the note,
    /// or an entry of a generated page).
    Target(Dest),
    /// Open the note that links here, with the cursor on that link.
    Backlink { source: NoteId, link: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub label: String,
    /// A second line: where it leads, or the sentence around it.
    pub detail: String,
    pub action: EntryAction,
    /// Leads nowhere (an unresolved link, a topic without a note).
    pub missing: bool,
    /// The detail needs a note's text that has not been read yet.
    pub waiting: bool,
}

#[derive(Debug, Clone, Default)]
pub struct LinksPane {
    pub tab: LinksTab,
    pub entries: Vec<Entry>,
    pub cursor: ListCursor,
}

impl LinksPane {
    #[must_use]
    pub fn tab(&self) -> LinksTab {
        self.tab
    }
}

/// Rows each entry takes on screen, per tab.
#[must_use]
pub fn entry_height(tab: LinksTab) -> usize {
    match tab {
        LinksTab::Links => 2,
        LinksTab::Backlinks | LinksTab::Timestamps => 3,
    }
}

/// The entries of a tab for a page.
#[must_use]
#[allow(
    clippy::too_many_lines,
    reason = "one arm per (page, tab) pair, each building its rows; to split by tab when a tab grows"
)]
pub fn entries(
    vault: &Vault,
    page: Page,
    view: &View,
    tab: LinksTab,
    texts: &NoteTexts,
) -> Vec<Entry> {
    let clean = |s: &str| sanitize_inline(s).into_owned();
    match (page, tab) {
        (Page::Note(id), LinksTab::Links) => {
            let Some(note) = vault.get(id) else {
                return Vec::new();
            };
            // Every link in reading order, repeats included: each is a
            // place in the note (Enter puts the cursor on it there).
            note.links
                .iter()
                .enumerate()
                .map(|(i, link)| {
                    let (detail, missing) = match link.resolution {
                        Resolution::Note {
                            note: to, heading, ..
                        } => {
                            let mut d = format!("→ {}", vault.note(to).title);
                            if let Some(h) = heading {
                                d = format!("{d} › {}", vault.note(to).headings[h].text);
                            }
                            (d, false)
                        }
                        Resolution::Channel(c) => (
                            format!("→ channel · {} notes", vault.channel(c).notes.len()),
                            false,
                        ),
                        Resolution::Unresolved => ("no note yet".to_owned(), true),
                        Resolution::Pending => ("resolving…".to_owned(), false),
                    };
                    Entry {
                        label: clean(&link.display_text()),
                        detail: clean(&detail),
                        action: EntryAction::Target(Dest::Link(i)),
                        missing,
                        waiting: false,
                    }
                })
                .collect()
        }
        (Page::Note(id), LinksTab::Backlinks) => vault
            .backlinks(id)
            .iter()
            .map(|b| {
                let source = vault.note(b.source);
                let link = &source.links[b.link];
                // A `From:` line says only which channel a note is from:
                // a channel's index note has one such backlink per note,
                // and reading each file back for that sentence is waste.
                // The sentence needs the linking note's text, which the app
                // asks for only for the rows on screen.
                let (detail, waiting) = match texts.get(b.source) {
                    _ if link.is_channel => ("From this channel".to_owned(), false),
                    Some(NoteText::Ready(text)) => {
                        (clean(&sentence_around(text, link.range.clone())), false)
                    }
                    Some(NoteText::Failed(why)) => (clean(why), false),
                    Some(NoteText::Reading) | None => ("…".to_owned(), true),
                };
                Entry {
                    label: clean(&source.title),
                    detail,
                    action: EntryAction::Backlink {
                        source: b.source,
                        link: b.link,
                    },
                    missing: false,
                    waiting,
                }
            })
            .collect(),
        (Page::Note(id), LinksTab::Timestamps) => {
            let Some(note) = vault.get(id) else {
                return Vec::new();
            };
            let text = match texts.get(id) {
                Some(NoteText::Ready(text)) => Some(text),
                _ => None,
            };
            note.timestamps
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let time = t.seconds.map_or_else(|| t.label.to_string(), format_clock);
                    let heading = t
                        .heading
                        .and_then(|h| note.headings.get(h as usize))
                        .map_or(String::new(), |h| h.text.clone());
                    let label = if heading.is_empty() {
                        time
                    } else {
                        format!("{time}  {heading}")
                    };
                    Entry {
                        label: clean(&label),
                        detail: text
                            .map(|text| clean(&sentence_around(text, t.range.clone())))
                            .unwrap_or_default(),
                        action: EntryAction::Target(Dest::Timestamp(i)),
                        missing: t.seconds.is_none(),
                        waiting: text.is_none(),
                    }
                })
                .collect()
        }
        (_, LinksTab::Links) => view
            .targets
            .iter()
            .map(|t| {
                let (label, detail, missing) = match &t.dest {
                    Dest::Page(Page::Note(n)) => (
                        vault.note(*n).title.clone(),
                        vault.note(*n).path.clone(),
                        false,
                    ),
                    Dest::Page(Page::Channel(c)) => {
                        (vault.channel(*c).name.clone(), "channel".to_owned(), false)
                    }
                    Dest::Page(Page::Home) => ("Home".to_owned(), String::new(), false),
                    Dest::Missing(topic) => (topic.clone(), "no note yet".to_owned(), true),
                    Dest::Url(u) => (u.clone(), "web link".to_owned(), false),
                    Dest::Link(_) | Dest::Timestamp(_) => (String::new(), String::new(), false),
                };
                Entry {
                    label: clean(&label),
                    detail: clean(&detail),
                    action: EntryAction::Target(t.dest.clone()),
                    missing,
                    waiting: false,
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}
