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

/// What a row of the list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A link's target, a timestamp, an entry of a generated page: its
    /// label, then its detail lines.
    Item,
    /// A note that links here, with how many times (its sentences follow).
    Group,
    /// The sentence around one backlink, under its note's row.
    Context,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub label: String,
    /// A second line: where it leads, or the sentence around it.
    pub detail: String,
    pub action: EntryAction,
    /// Leads nowhere (an unresolved link, a topic without a note).
    pub missing: bool,
    /// The detail needs a note's text that has not been read yet.
    pub waiting: bool,
    /// How many links it stands for (a target linked five times, a note
    /// that links here twice).
    pub count: usize,
    /// Rows it takes on screen.
    pub height: usize,
}

impl Entry {
    fn item(label: String, detail: String, action: EntryAction, height: usize) -> Self {
        Self {
            kind: EntryKind::Item,
            label,
            detail,
            action,
            missing: false,
            waiting: false,
            count: 1,
            height,
        }
    }
}

/// The order of the backlinks' groups (`s` switches; kept between runs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BacklinkSort {
    /// Notes that link here most first.
    #[default]
    Count,
    /// By the linking note's title.
    Title,
}

impl BacklinkSort {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Count => "by count",
            Self::Title => "by title",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct LinksPane {
    pub tab: LinksTab,
    pub entries: Vec<Entry>,
    pub cursor: ListCursor,
    pub sort: BacklinkSort,
}

impl LinksPane {
    #[must_use]
    pub fn tab(&self) -> LinksTab {
        self.tab
    }

    fn height(&self, i: usize) -> usize {
        self.entries.get(i).map_or(1, |e| e.height.max(1))
    }

    /// Entries shown from `offset` in a list `rows` tall (at least one).
    #[must_use]
    pub fn fitting(&self, offset: usize, rows: usize) -> usize {
        let mut used = 0;
        let mut count = 0;
        for i in offset..self.entries.len() {
            used += self.height(i);
            if used > rows && count > 0 {
                break;
            }
            count += 1;
        }
        count.max(1)
    }

    /// After any change: the selection inside the list, and the first
    /// entry shown such that the selection is on screen and no rows are
    /// left empty at the end. Entries differ in height, so this walks at
    /// most a screenful of them.
    pub fn keep_visible(&mut self, rows: usize) {
        let len = self.entries.len();
        let selected = self.cursor.selected.min(len.saturating_sub(1));
        self.cursor.selected = selected;
        // The first entry that still shows the selection at the bottom.
        let (mut top, mut used) = (selected, self.height(selected));
        while top > 0 && used + self.height(top - 1) <= rows {
            top -= 1;
            used += self.height(top);
        }
        // The first entry that fills the screen to the end of the list.
        let (mut tail, mut used) = (len, 0);
        while tail > 0 && used + self.height(tail - 1) <= rows {
            tail -= 1;
            used += self.height(tail);
        }
        self.cursor.offset = self.cursor.offset.max(top).min(selected).min(tail);
    }

    /// The entry at `row` rows below the top of the list.
    #[must_use]
    pub fn entry_at(&self, row: usize) -> Option<usize> {
        let mut top = 0;
        for i in self.cursor.offset..self.entries.len() {
            top += self.height(i);
            if row < top {
                return Some(i);
            }
        }
        None
    }
}

/// Notes that link to a note (a row each in the backlinks tab).
#[must_use]
pub fn linking_notes(vault: &Vault, id: NoteId) -> usize {
    let mut seen: Vec<NoteId> = vault.backlinks(id).iter().map(|b| b.source).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// What a link leads to, for counting links to the same place once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TargetKey {
    Note(NoteId, Option<usize>),
    Channel(crate::vault::ChannelId),
    Name(String),
}

fn target_key(link: &crate::vault::WikiLink) -> TargetKey {
    match link.resolution() {
        Resolution::Note { note, heading, .. } => TargetKey::Note(note, heading),
        Resolution::Channel(c) => TargetKey::Channel(c),
        Resolution::Unresolved | Resolution::Pending => {
            TargetKey::Name(link.target().trim().to_lowercase())
        }
    }
}

/// A note's links grouped by target, in the order each target first
/// appears: (index of its first link, how many links lead there).
#[must_use]
pub fn link_targets(vault: &Vault, id: NoteId) -> Vec<(usize, usize)> {
    let Some(note) = vault.get(id) else {
        return Vec::new();
    };
    let mut at: std::collections::HashMap<TargetKey, usize> = std::collections::HashMap::new();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, link) in note.links.iter().enumerate() {
        let slot = *at.entry(target_key(&link)).or_insert_with(|| {
            out.push((i, 0));
            out.len() - 1
        });
        out[slot].1 += 1;
    }
    out
}

/// The same words, ignoring case and spacing.
fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace()
        .map(str::to_lowercase)
        .eq(b.split_whitespace().map(str::to_lowercase))
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
    sort: BacklinkSort,
) -> Vec<Entry> {
    let clean = |s: &str| sanitize_inline(s).into_owned();
    match (page, tab) {
        (Page::Note(id), LinksTab::Links) => {
            let Some(note) = vault.get(id) else {
                return Vec::new();
            };
            // One row per target, in the order of first appearance, with
            // how many links lead there; Enter goes to the first of them.
            link_targets(vault, id)
                .into_iter()
                .filter_map(|(i, count)| {
                    let link = note.links.get(i)?;
                    let label = clean(&link.display_text());
                    let (detail, missing) = match link.resolution() {
                        Resolution::Note {
                            note: to, heading, ..
                        } => {
                            let title = &vault.note(to).title;
                            match heading {
                                Some(h) => (
                                    format!(
                                        "→ {title} › {}",
                                        vault.note(to).headings.get(h).map_or("", |h| h.text())
                                    ),
                                    false,
                                ),
                                // The target line only when it says more
                                // than the link's own text.
                                None if same_text(title, &label) => (String::new(), false),
                                None => (format!("→ {title}"), false),
                            }
                        }
                        Resolution::Channel(c) => (
                            format!("→ channel · {} notes", vault.channel(c).notes.len()),
                            false,
                        ),
                        Resolution::Unresolved => ("no note yet".to_owned(), true),
                        Resolution::Pending => ("resolving…".to_owned(), false),
                    };
                    let detail = clean(&detail);
                    let height = if detail.is_empty() { 1 } else { 2 };
                    Some(Entry {
                        missing,
                        count,
                        ..Entry::item(label, detail, EntryAction::Target(Dest::Link(i)), height)
                    })
                })
                .collect()
        }
        (Page::Note(id), LinksTab::Backlinks) => backlink_entries(vault, id, texts, sort),
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
                    let time = t
                        .seconds()
                        .map_or_else(|| t.label.to_string(), format_clock);
                    let heading = (note.headings.section_heading(t))
                        .map_or(String::new(), |h| h.text().to_owned());
                    let label = if heading.is_empty() {
                        time
                    } else {
                        format!("{time}  {heading}")
                    };
                    let detail = text
                        .map(|text| clean(&sentence_around(text, t.range())))
                        .unwrap_or_default();
                    Entry {
                        missing: t.seconds().is_none(),
                        waiting: text.is_none(),
                        ..Entry::item(
                            clean(&label),
                            detail,
                            EntryAction::Target(Dest::Timestamp(i)),
                            3,
                        )
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
                    missing,
                    ..Entry::item(
                        clean(&label),
                        clean(&detail),
                        EntryAction::Target(t.dest.clone()),
                        2,
                    )
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The backlinks tab: a row per linking note (its title and how many
/// links it has here), then the sentence around each of its links.
fn backlink_entries(
    vault: &Vault,
    id: NoteId,
    texts: &NoteTexts,
    sort: BacklinkSort,
) -> Vec<Entry> {
    let clean = |s: &str| sanitize_inline(s).into_owned();
    let mut groups: Vec<(NoteId, Vec<usize>)> = Vec::new();
    let mut at: std::collections::HashMap<NoteId, usize> = std::collections::HashMap::new();
    for b in vault.backlinks(id) {
        let slot = *at.entry(b.source).or_insert_with(|| {
            groups.push((b.source, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(b.link());
    }
    let title = |n: NoteId| {
        let note = vault.note(n);
        (note.title.to_lowercase(), note.path.clone())
    };
    match sort {
        BacklinkSort::Count => {
            groups.sort_by_cached_key(|(n, links)| (std::cmp::Reverse(links.len()), title(*n)));
        }
        BacklinkSort::Title => groups.sort_by_cached_key(|(n, _)| title(*n)),
    }
    let mut out = Vec::new();
    for (source_id, links) in groups {
        let source = vault.note(source_id);
        out.push(Entry {
            kind: EntryKind::Group,
            count: links.len(),
            ..Entry::item(
                clean(&source.title),
                String::new(),
                EntryAction::Backlink {
                    source: source_id,
                    link: links[0],
                },
                1,
            )
        });
        for link_index in links {
            // (A source known by its head only has no links yet: the
            // pane waits for the bodies, see `links_wait_for_bodies`.)
            let Some(link) = source.links.get(link_index) else {
                continue;
            };
            // A `From:` line says only which channel a note is from: a
            // channel's index note has one such backlink per note, and
            // reading each file back for that sentence is waste. The
            // sentence needs the linking note's text, which the app asks
            // for only for the rows on screen.
            let (detail, waiting) = match texts.get(source_id) {
                _ if link.is_channel() => ("From this channel".to_owned(), false),
                Some(NoteText::Ready(text)) => (clean(&sentence_around(text, link.range())), false),
                Some(NoteText::Failed(why)) => (clean(why), false),
                Some(NoteText::Reading) | None => ("…".to_owned(), true),
            };
            out.push(Entry {
                kind: EntryKind::Context,
                waiting,
                ..Entry::item(
                    String::new(),
                    detail,
                    EntryAction::Backlink {
                        source: source_id,
                        link: link_index,
                    },
                    if link.is_channel() { 1 } else { 2 },
                )
            });
        }
    }
    out
}

impl super::App {
    /// `s` in the links pane: the backlinks by count or by title.
    pub(super) fn sort_backlinks(&mut self) {
        self.links.sort = match self.links.sort {
            BacklinkSort::Count => BacklinkSort::Title,
            BacklinkSort::Title => BacklinkSort::Count,
        };
        if self.links.tab() != LinksTab::Backlinks {
            self.set_tab(LinksTab::Backlinks);
        }
        self.links.cursor = ListCursor::default();
        self.refresh_links();
        self.info(format!("Backlinks {}", self.links.sort.label()));
    }
}
