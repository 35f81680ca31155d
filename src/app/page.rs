//! What the note pane shows: a page, either a note or a generated page (the
//! vault's home page, a channel's page). Each is turned into one [`View`]:
//! lines, followable targets and headings, so scrolling, the link cursor and
//! following work the same on every page.

use std::ops::Range;

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{markdown, texts::NoteText};
use crate::{
    text::sanitize_inline,
    theme::Theme,
    vault::{ChannelId, NoteId, Resolution, Vault},
};

/// A page of the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// The generated home page of the vault.
    Home,
    Note(NoteId),
    /// The generated page of a channel that has no note of its own.
    Channel(ChannelId),
}

impl Page {
    /// The page of a channel: its index note when it has one, else the
    /// generated list of its notes.
    #[must_use]
    pub fn of_channel(vault: &Vault, channel: ChannelId) -> Self {
        vault
            .channels
            .get(channel.0 as usize)
            .and_then(|c| c.index_note)
            .map_or(Self::Channel(channel), Self::Note)
    }
}

/// Where a target of a view leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// A wiki-link of the open note (index into `note.links`).
    Link(usize),
    /// A timestamp of the open note (index into `note.timestamps`).
    Timestamp(usize),
    /// An ordinary web link.
    Url(String),
    /// An entry of a generated page.
    Page(Page),
    /// A topic without a note, on the home page.
    Missing(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewTarget {
    pub dest: Dest,
    /// Rendered line and display columns of each piece.
    pub pieces: Vec<(usize, Range<u16>)>,
}

impl ViewTarget {
    #[must_use]
    pub fn first_line(&self) -> usize {
        self.pieces.first().map_or(0, |p| p.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewHeading {
    /// Index into the note's headings (generated pages: their own count).
    pub heading: usize,
    pub line: usize,
}

/// A page rendered at one width. Built once per (page, width) and cached.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub lines: Vec<Line<'static>>,
    pub targets: Vec<ViewTarget>,
    pub headings: Vec<ViewHeading>,
    /// Source line of each rendered line (0 for generated lines).
    pub source_lines: Vec<u32>,
    /// The text as read (notes); generated pages are read line by line.
    pub reading: Option<markdown::reading::ReadingText>,
}

impl View {
    /// The heading the reader is in when `top` is the first visible line.
    #[must_use]
    pub fn heading_at(&self, top: usize) -> Option<&ViewHeading> {
        self.headings.iter().rev().find(|h| h.line <= top)
    }

    /// The target covering a cell of the rendered text.
    #[must_use]
    pub fn target_at(&self, line: usize, col: u16) -> Option<usize> {
        self.targets
            .iter()
            .position(|t| t.pieces.iter().any(|(l, r)| *l == line && r.contains(&col)))
    }
}

/// Renders a page at a width. A note's text comes from the app (which had
/// it read off the UI thread): `None` or `Reading` while it is on its way.
#[must_use]
pub fn render(
    vault: &Vault,
    page: Page,
    width: u16,
    loading: bool,
    text: Option<&NoteText>,
    theme: &Theme,
    bookmarks: &[NoteId],
) -> View {
    match page {
        Page::Note(id) => match vault.get(id) {
            Some(_) if vault.is_removed(id) => removed(vault, id, width, theme),
            Some(note) => match text {
                Some(NoteText::Ready(text)) => {
                    let titles = |id| vault.get(id).map(|n: &crate::vault::Note| n.title.clone());
                    from_rendered(markdown::render_with_titles(
                        note, text, width, theme, &titles,
                    ))
                }
                // The header shows what the index knows; the body says
                // plainly that the text is coming, or why it is missing.
                Some(NoteText::Failed(why)) => header_and(note, width, why, theme.missing, theme),
                Some(NoteText::Reading) | None => {
                    header_and(note, width, "Loading…", theme.dim, theme)
                }
            },
            None => View::default(),
        },
        Page::Home => home(vault, width, loading, theme, bookmarks),
        Page::Channel(id) => channel(vault, id, width, theme),
    }
}

/// A note's header (title, video) followed by one line of text.
fn header_and(
    note: &crate::vault::Note,
    width: u16,
    text: &str,
    style: ratatui::style::Style,
    theme: &Theme,
) -> View {
    let mut view = from_rendered(markdown::render_with(note, "", width, theme));
    // Wrapped: a reason (the note changed on disk, …) is read at any width.
    let piece = markdown::wrap::Piece::new(text, style);
    for wrapped in markdown::wrap::wrap(&[piece], width, &[], &[]) {
        view.lines.push(wrapped.line);
        view.source_lines.push(0);
    }
    view
}

fn from_rendered(r: markdown::RenderedNote) -> View {
    View {
        lines: r.lines,
        targets: r
            .targets
            .into_iter()
            .map(|t| ViewTarget {
                dest: match t.kind {
                    markdown::TargetKind::Link(i) => Dest::Link(i),
                    markdown::TargetKind::Timestamp(i) => Dest::Timestamp(i),
                    markdown::TargetKind::Url(u) => Dest::Url(u),
                },
                pieces: t.pieces,
            })
            .collect(),
        headings: r
            .headings
            .into_iter()
            .map(|h| ViewHeading {
                heading: h.heading,
                line: h.line,
            })
            .collect(),
        source_lines: r.source_lines,
        reading: Some(r.reading),
    }
}

/// Builds generated pages line by line.
struct PageBuilder<'t> {
    view: View,
    width: usize,
    theme: &'t Theme,
}

impl<'t> PageBuilder<'t> {
    fn new(width: u16, theme: &'t Theme) -> Self {
        Self {
            view: View::default(),
            width: usize::from(width.max(10)),
            theme,
        }
    }

    fn push(&mut self, line: Line<'static>) {
        self.view.lines.push(line);
        self.view.source_lines.push(0);
    }

    fn blank(&mut self) {
        self.push(Line::default());
    }

    fn heading(&mut self, text: &str, level: usize) {
        let heading = self.view.headings.len();
        self.view.headings.push(ViewHeading {
            heading,
            line: self.view.lines.len(),
        });
        let style = if level == 1 {
            self.theme.note_title
        } else {
            self.theme.page_heading
        };
        // The marker notes use for their second-level headings.
        let prefix = if level == 1 { "" } else { "▌ " };
        self.push(Line::from(vec![
            Span::styled(prefix, self.theme.heading_marker),
            Span::styled(clip(text, self.width), style),
        ]));
    }

    fn text(&mut self, text: &str, style: ratatui::style::Style) {
        self.push(Line::from(Span::styled(clip(text, self.width), style)));
    }

    /// A bullet `• label  detail` whose label is a followable target.
    fn entry(&mut self, label: &str, detail: &str, dest: Dest, missing: bool) {
        let label = clip(label, self.width.saturating_sub(4));
        let label_width = label.width();
        let line = self.view.lines.len();
        self.view.targets.push(ViewTarget {
            dest,
            pieces: vec![(line, 2..u16::try_from(2 + label_width).unwrap_or(u16::MAX))],
        });
        let room = self.width.saturating_sub(label_width + 5);
        let style = if missing {
            self.theme.missing
        } else {
            self.theme.link
        };
        let mut spans = vec![
            Span::styled("• ", self.theme.heading_marker),
            Span::styled(label, style),
        ];
        if room > 3 && !detail.is_empty() {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(clip(detail, room), self.theme.dim));
        }
        self.push(Line::from(spans));
    }
}

/// Cuts text to a display width, with `…` when cut. Sanitises on the way:
/// names in generated pages come from notes.
fn clip(text: &str, width: usize) -> String {
    crate::text::truncate(&sanitize_inline(text), width)
}

const HOME_LIMIT: usize = 12;
const CHANNEL_LIMIT: usize = 200;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `21273` as `21,273`: vault counts run into the hundreds of thousands.
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The vault's counts, as many on a line as fit. While loading, links
/// and timestamps are left out until the parse has counted some: a cold
/// start hands the whole index over at once, and "0 links" before then
/// would be wrong, not early.
fn home_counts(b: &mut PageBuilder<'_>, vault: &Vault, folders: &[(String, usize)], loading: bool) {
    let stats = vault.stats();
    let counted =
        |n: usize, one: &str, many: &str| (!loading || n > 0).then(|| plural(n, one, many));
    let counts = [
        Some(plural(stats.notes, "note", "notes")),
        // Loading, before the title pass has read the `From:` lines: the
        // walk's folders (in a vault of channel folders, the channels).
        Some(if stats.channels == 0 && !folders.is_empty() {
            plural(folders.len(), "folder", "folders")
        } else {
            plural(stats.channels, "channel", "channels")
        }),
        counted(stats.links, "link", "links"),
        counted(stats.timestamps, "timestamp", "timestamps"),
    ];
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for count in counts.into_iter().flatten() {
        let width = count.width();
        if used > 0 && used + 3 + width > b.width {
            b.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::styled(" · ", b.theme.heading_marker));
            used += 3;
        }
        used += width;
        spans.push(Span::styled(clip(&count, b.width), b.theme.page_stat));
    }
    b.push(Line::from(spans));
}

/// Keeps the [`HOME_LIMIT`] notes with the most links, then by title, in
/// that order. Picked out of all of them (sorting every linked note by
/// title was most of the home page's time once the vault is indexed), in
/// the order a full sort gives.
fn most_linked(vault: &Vault, linked: &mut Vec<(NoteId, usize)>) {
    let order = |a: &(NoteId, usize), b: &(NoteId, usize)| {
        b.1.cmp(&a.1)
            .then_with(|| vault.note(a.0).title.cmp(&vault.note(b.0).title))
            .then(a.0.cmp(&b.0))
    };
    if linked.len() > HOME_LIMIT {
        linked.select_nth_unstable_by(HOME_LIMIT, order);
        linked.truncate(HOME_LIMIT);
    }
    linked.sort_by(order);
}

/// The top folders of the tree and the notes under each (the home page
/// while the vault loads: the walk knows them before any note is read).
fn top_folders(vault: &Vault) -> Vec<(String, usize)> {
    use crate::vault::TreeNode;
    fn count(nodes: &[TreeNode]) -> usize {
        nodes
            .iter()
            .map(|node| match node {
                TreeNode::Folder { children, .. } | TreeNode::Video { children, .. } => {
                    count(children)
                }
                TreeNode::Note(_) => 1,
            })
            .sum()
    }
    vault
        .tree
        .iter()
        .filter_map(|node| match node {
            TreeNode::Folder { name, children, .. } => Some((name.clone(), count(children))),
            _ => None,
        })
        .collect()
}

/// The bookmarked notes that are still there, in the order they were marked.
fn home_bookmarks(b: &mut PageBuilder<'_>, vault: &Vault, bookmarks: &[NoteId]) {
    let marked: Vec<NoteId> = bookmarks
        .iter()
        .copied()
        .filter(|&id| vault.get(id).is_some() && !vault.is_removed(id))
        .collect();
    if !marked.is_empty() {
        b.blank();
        b.heading("Bookmarks", 2);
        for id in marked {
            let n = vault.note(id);
            b.entry(&n.title, n.folder(), Dest::Page(Page::Note(id)), false);
        }
    }
}

// Long: the home page's sections in reading order (counts, bookmarks,
// channels, most linked-to, most wanted), each a few lines.
fn home(vault: &Vault, width: u16, loading: bool, theme: &Theme, bookmarks: &[NoteId]) -> View {
    let mut b = PageBuilder::new(width, theme);
    b.heading(&vault.name(), 1);
    b.blank();
    let folders = if loading && vault.channels.is_empty() {
        top_folders(vault)
    } else {
        Vec::new()
    };
    // Before the walk's notes (or a warm start's heads) are in, every
    // count is 0: "Loading the vault…" says it better.
    if !(loading && vault.notes.is_empty()) {
        home_counts(&mut b, vault, &folders, loading);
    }
    if loading {
        b.text("Loading the vault…", theme.dim);
    }
    home_bookmarks(&mut b, vault, bookmarks);
    if !folders.is_empty() {
        b.blank();
        b.heading("Folders", 2);
        for (name, notes) in folders.iter().take(CHANNEL_LIMIT) {
            b.text(
                &format!("  {name} · {}", plural(*notes, "note", "notes")),
                theme.dim,
            );
        }
    }
    if !vault.channels.is_empty() {
        b.blank();
        b.heading("Channels", 2);
        for (i, channel) in vault.channels.iter().enumerate().take(CHANNEL_LIMIT) {
            let dest = Dest::Page(Page::of_channel(
                vault,
                ChannelId(u32::try_from(i).unwrap_or(u32::MAX)),
            ));
            b.entry(
                &channel.name,
                &plural(channel.notes.len(), "note", "notes"),
                dest,
                false,
            );
        }
        if vault.channels.len() > CHANNEL_LIMIT {
            b.text(
                &format!("  … and {} more", vault.channels.len() - CHANNEL_LIMIT),
                theme.dim,
            );
        }
    }
    // Every note links its channel on its `From:` line: counted, those
    // would put every channel page first. Topics rank by the other links.
    let topic_links = |id: NoteId| {
        vault
            .backlinks(id)
            .iter()
            .filter(|b| {
                !vault
                    .note(b.source)
                    .links
                    .get(b.link())
                    .is_some_and(|l| l.is_channel())
            })
            .count()
    };
    // (Loading, a note's head has no links to tell a `From:` line: wait.)
    let mut linked: Vec<(NoteId, usize)> = vault
        .ids()
        .filter(|_| !loading)
        .map(|id| (id, topic_links(id)))
        .filter(|(_, n)| *n > 0)
        .collect();
    most_linked(vault, &mut linked);
    if !linked.is_empty() {
        b.blank();
        b.heading("Most linked-to notes", 2);
        for (id, n) in linked.into_iter().take(HOME_LIMIT) {
            b.entry(
                &vault.note(id).title,
                &plural(n, "link", "links"),
                Dest::Page(Page::Note(id)),
                false,
            );
        }
    }
    if !vault.wanted.is_empty() {
        b.blank();
        b.heading("Wanted topics without a note", 2);
        for topic in vault.wanted.iter().take(HOME_LIMIT) {
            let detail = format!("asked by {}", plural(topic.notes, "note", "notes"));
            b.entry(
                &topic.target,
                &detail,
                Dest::Missing(topic.target.clone()),
                true,
            );
        }
    }
    if vault.notes.is_empty() && !loading {
        b.blank();
        b.text("This vault has no notes.", theme.dim);
    }
    b.view
}

fn channel(vault: &Vault, id: ChannelId, width: u16, theme: &Theme) -> View {
    let mut b = PageBuilder::new(width, theme);
    let Some(channel) = vault.channels.get(id.0 as usize) else {
        b.text("No such channel.", theme.dim);
        return b.view;
    };
    b.heading(&channel.name, 1);
    b.blank();
    b.text(
        &format!("Channel · {}", plural(channel.notes.len(), "note", "notes")),
        theme.dim,
    );
    b.blank();
    b.heading("Notes", 2);
    for &note in &channel.notes {
        let n = vault.note(note);
        b.entry(&n.title, n.folder(), Dest::Page(Page::Note(note)), false);
    }
    b.view
}

/// The page of a note whose file went away while it was open (or known):
/// what it was, and where it went when a rename was recognised.
fn removed(vault: &Vault, id: NoteId, width: u16, theme: &Theme) -> View {
    let mut b = PageBuilder::new(width, theme);
    let note = vault.note(id);
    b.heading(&note.title, 1);
    b.blank();
    b.text(
        &format!("{} was removed or renamed outside vidwiki.", note.path),
        theme.missing,
    );
    b.blank();
    match vault.renamed_to(id) {
        Some(new) => {
            let n = vault.note(new);
            b.text("It is now:", theme.dim);
            b.entry(&n.title, &n.path, Dest::Page(Page::Note(new)), false);
        }
        None => b.text(
            "If it comes back, r reads it again; H goes to the home page.",
            theme.dim,
        ),
    }
    b.view
}

/// Where a wiki-link resolution leads, as a page and a heading.
#[must_use]
pub fn page_of(resolution: Resolution) -> Option<(Page, Option<usize>)> {
    match resolution {
        Resolution::Note { note, heading, .. } => Some((Page::Note(note), heading)),
        Resolution::Channel(c) => Some((Page::Channel(c), None)),
        Resolution::Pending | Resolution::Unresolved => None,
    }
}

#[cfg(test)]
mod tests;
