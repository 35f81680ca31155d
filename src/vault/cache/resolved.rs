//! The resolved index in the cache: every link's resolution, the channels,
//! the backlinks, the topics without a note and the tree, as
//! [`Vault::finish`] left them. A load whose every file is unchanged takes
//! them from here instead of resolving the whole vault again (that costs
//! more than decoding the notes).
//!
//! Saved only with the notes it was computed from: the snapshot of an
//! index file speaks of the notes of that file, in that file's order, and
//! of nothing else. A load uses it only when the vault's files are exactly
//! the file's entries, in the same order and all unchanged; any other load
//! resolves again (see [`super::Stored::resolved_if_whole`]). Ids are
//! positions in the file's entry list; [`Vault::apply_resolved`] maps them
//! to the vault's ids and checks every one, so a snapshot that does not fit
//! is refused, never half applied.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

mod capture;
mod flat;
mod lean;
mod packed;
mod section;
pub use capture::Capture;
use flat::Resolutions;
use packed::PackedSaved;
pub use section::{SectionParts, VaultParts, write_section};

pub(super) use lean::{lean_channels, lean_neighbours, resolve_lean_links};

use crate::vault::{
    Backlink, Channel, NoteId, Vault, WantedTopic, resolve::ChannelId, resolve::Resolution,
    tree::TreeNode,
};

/// What [`Vault::finish`] computes, by entry position.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// How many notes it speaks of.
    notes: u32,
    channels: Vec<SavedChannel>,
    /// Every link's resolution, note by note (entry order), link after
    /// link, in one list (see [`flat`]).
    resolutions: Resolutions,
    /// Backlinks per note (entry order), each source an entry position
    /// until applied: decoded in the form the vault keeps, so that
    /// applying them moves each list in place instead of building a
    /// second copy of a million backlinks at the load's peak.
    backlinks: Vec<Vec<Backlink>>,
    wanted: Vec<SavedWanted>,
    tree: Vec<SavedTree>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SavedChannel {
    name: String,
    key: String,
    notes: Vec<u32>,
    index_note: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum SavedResolution {
    Pending,
    Note {
        note: u32,
        heading: Option<u32>,
        ambiguous: bool,
    },
    Channel(u32),
    Unresolved,
}

impl SavedResolution {
    /// The resolution it saved, its channel checked against
    /// `channel_count` and its heading against the note's heading count;
    /// `note` gives a saved note entry's id and heading count, or refuses.
    fn restore(
        &self,
        channel_count: usize,
        note: impl FnOnce(u32) -> Result<(NoteId, usize), DoesNotFit>,
    ) -> Result<Resolution, DoesNotFit> {
        Ok(match *self {
            SavedResolution::Pending => Resolution::Pending,
            SavedResolution::Unresolved => Resolution::Unresolved,
            SavedResolution::Channel(c) if (c as usize) < channel_count => {
                Resolution::Channel(ChannelId(c))
            }
            SavedResolution::Channel(_) => return Err(DoesNotFit),
            SavedResolution::Note {
                note: entry,
                heading,
                ambiguous,
            } => {
                let (note, headings) = note(entry)?;
                let heading = heading.map(|h| h as usize);
                if heading.is_some_and(|h| h >= headings) {
                    return Err(DoesNotFit);
                }
                Resolution::Note {
                    note,
                    heading,
                    ambiguous,
                }
            }
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct SavedWanted {
    key: String,
    target: String,
    links: u32,
    notes: u32,
}

impl From<SavedWanted> for WantedTopic {
    fn from(w: SavedWanted) -> Self {
        Self {
            key: w.key,
            target: w.target,
            links: w.links as usize,
            notes: w.notes as usize,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
enum SavedTree {
    Folder {
        name: String,
        path: String,
        children: Vec<SavedTree>,
    },
    Video {
        title: String,
        url: Option<String>,
        children: Vec<SavedTree>,
    },
    Note(u32),
}

pub(super) fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Each note's entry position, by vault id: `order[i]` is the id of the
/// note of entry `i`. `None` when the vault is not finished or `order` is
/// not every note once.
fn entry_positions(vault: &Vault, order: &[NoteId]) -> Option<Vec<u32>> {
    if !vault.complete || !vault.removed.is_empty() || order.len() != vault.notes.len() {
        return None;
    }
    let mut entry_of = vec![u32::MAX; vault.notes.len()];
    for (entry, id) in order.iter().enumerate() {
        let slot = entry_of.get_mut(id.index())?;
        if *slot != u32::MAX {
            return None;
        }
        *slot = u32_of(entry);
    }
    Some(entry_of)
}

impl Snapshot {
    /// The finished state of `vault`, whose notes are in entry order
    /// (note `i` is entry `i`). `None` when the vault is not finished.
    #[must_use]
    pub fn of(vault: &Vault) -> Option<Self> {
        let identity: Vec<NoteId> = vault.ids().collect();
        Self::of_ordered(vault, &identity)
    }

    /// The finished state of `vault`, by entry: `order[i]` is the id of
    /// the note of entry `i`, every note once. `None` when the vault is
    /// not finished or `order` is not every note once.
    #[must_use]
    pub fn of_ordered(vault: &Vault, order: &[NoteId]) -> Option<Self> {
        let mut capture = Capture::start(vault, order.to_vec())?;
        while !capture.done(vault) {
            capture.step(vault, usize::MAX);
        }
        capture.finish(vault)
    }

    /// The resolved section of an index file: the channels, the topics
    /// and tree, and each note's resolutions and backlinks, each part
    /// decodable on its own (a lean load reads the channels and the parts
    /// of the notes it shows only).
    #[must_use]
    pub fn encode(&self) -> Option<Vec<u8>> {
        if self.resolutions.notes() != self.backlinks.len() {
            return None;
        }
        let mut bytes = Vec::new();
        write_section(self, &mut bytes).ok()?;
        Some(bytes)
    }

    /// Every part of a resolved section (the notes' parts decoded in
    /// parallel).
    #[must_use]
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let section = Sectioned::read(bytes)?;
        let (notes, channels): (u32, Vec<SavedChannel>) =
            postcard::from_bytes(section.channels).ok()?;
        let (wanted, tree): (Vec<SavedWanted>, Vec<SavedTree>) =
            postcard::from_bytes(section.rest).ok()?;
        let (resolutions, backlinks) = Resolutions::decode(&section.per_note)?;
        Some(Self {
            notes,
            channels,
            resolutions,
            backlinks,
            wanted,
            tree,
        })
    }
}

/// A note's part of the resolved section: its links' resolutions and its
/// backlinks (source, link index, line).
type NoteParts = (Vec<SavedResolution>, Vec<(u32, u32, u32)>);

/// A note's backlinks written as the (source, link index, line) triples
/// [`NoteParts`] reads back.
struct SavedBacklinks<'a>(&'a [Backlink]);

impl Serialize for SavedBacklinks<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|b| (b.source.0, b.link, b.line)))
    }
}

/// Bytes written as bytes, read back borrowed.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Bytes<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'de [u8]>::deserialize(deserializer).map(Bytes)
    }
}

#[derive(Deserialize)]
struct SectionIn<'a> {
    #[serde(borrow)]
    channels: Bytes<'a>,
    #[serde(borrow)]
    rest: Bytes<'a>,
    #[serde(borrow)]
    per_note: Vec<Bytes<'a>>,
}

/// A resolved section split into its parts, none decoded yet.
pub(super) struct Sectioned<'a> {
    channels: &'a [u8],
    rest: &'a [u8],
    per_note: Vec<&'a [u8]>,
}

impl<'a> Sectioned<'a> {
    pub(super) fn read(bytes: &'a [u8]) -> Option<Self> {
        let section: SectionIn<'a> = postcard::from_bytes(bytes).ok()?;
        Some(Self {
            channels: section.channels.0,
            rest: section.rest.0,
            per_note: section.per_note.into_iter().map(|b| b.0).collect(),
        })
    }

    /// How many notes it speaks of.
    pub(super) fn notes(&self) -> usize {
        self.per_note.len()
    }

    /// Note `i`'s part (its links' resolutions and its backlinks).
    pub(super) fn part(&self, i: usize) -> Option<&'a [u8]> {
        self.per_note.get(i).copied()
    }
}

fn save_tree(nodes: &[TreeNode], at: &impl Fn(NoteId) -> u32) -> Vec<SavedTree> {
    nodes
        .iter()
        .map(|node| match node {
            TreeNode::Folder {
                name,
                path,
                children,
            } => SavedTree::Folder {
                name: name.clone(),
                path: path.clone(),
                children: save_tree(children, at),
            },
            TreeNode::Video {
                title,
                url,
                children,
            } => SavedTree::Video {
                title: title.clone(),
                url: url.clone(),
                children: save_tree(children, at),
            },
            TreeNode::Note(id) => SavedTree::Note(at(*id)),
        })
        .collect()
}

/// A snapshot with the paths of the notes it speaks of, in entry order:
/// what the browser's loader hands over, since the UI adds notes in the
/// order batches arrive, not in entry order.
#[derive(Debug, Default)]
pub struct ResolvedIndex {
    pub paths: Vec<String>,
    pub snapshot: Snapshot,
}

/// Why a snapshot was refused (it never is when it was saved with the
/// notes it is applied to; the checks are for a damaged or foreign one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoesNotFit;

/// Entry positions to the vault's ids, every one checked.
struct Ids<'a> {
    order: &'a [NoteId],
}

impl Ids<'_> {
    fn get(&self, entry: u32) -> Result<NoteId, DoesNotFit> {
        self.order.get(entry as usize).copied().ok_or(DoesNotFit)
    }
}

impl Vault {
    /// Keeps a resolved index for the next [`Vault::finish`], which takes
    /// it instead of resolving when it still fits: every note it speaks of
    /// is here, and none was added or replaced since (either drops it).
    pub fn offer_resolved(&mut self, index: ResolvedIndex) {
        self.pending_resolved = Some(Box::new(index));
    }

    /// Applies the offered resolved index, if any and if it fits.
    pub(in crate::vault) fn take_pending_resolved(&mut self) -> bool {
        let Some(index) = self.pending_resolved.take() else {
            return false;
        };
        let by_path: std::collections::HashMap<&str, NoteId> = self
            .ids()
            .map(|id| (self.note(id).path.as_str(), id))
            .collect();
        let order: Option<Vec<NoteId>> = index
            .paths
            .iter()
            .map(|p| by_path.get(p.as_str()).copied())
            .collect();
        drop(by_path);
        order.is_some_and(|order| self.apply_resolved(index.snapshot, &order).is_ok())
    }

    /// Takes links, channels, backlinks, topics and tree from a snapshot
    /// instead of [`Vault::finish`]. `order[i]` is the id in this vault of
    /// the note of entry `i` (the identity when the notes were added in
    /// entry order). Refused, leaving the vault as it was, when anything
    /// does not fit: the caller then finishes the vault the long way.
    pub fn apply_resolved(
        &mut self,
        snapshot: Snapshot,
        order: &[NoteId],
    ) -> Result<(), DoesNotFit> {
        self.revised();
        let ids = Ids { order };
        if snapshot.notes as usize != self.notes.len()
            || order.len() != self.notes.len()
            || snapshot.backlinks.len() != self.notes.len()
            || !self.removed.is_empty()
        {
            return Err(DoesNotFit);
        }
        let channel_count = snapshot.channels.len();
        // Each note's count of headings and of links, by id: what the
        // saved parts are checked against, read on every core while the
        // notes are written.
        let shape: Vec<(usize, usize)> = self
            .notes
            .iter()
            .map(|n| (n.headings.len(), n.links.len()))
            .collect();
        let restore = |saved: &PackedSaved| {
            SavedResolution::from(*saved).restore(channel_count, |note| {
                let note = ids.get(note)?;
                Ok((note, shape.get(note.index()).ok_or(DoesNotFit)?.0))
            })
        };
        check_resolutions(&snapshot.resolutions, &ids, &shape, &restore)?;
        let mut channels = Vec::with_capacity(channel_count);
        for c in snapshot.channels {
            channels.push(Channel {
                name: c.name,
                key: c.key,
                notes: c
                    .notes
                    .into_iter()
                    .map(|n| ids.get(n))
                    .collect::<Result<_, _>>()?,
                index_note: c.index_note.map(|n| ids.get(n)).transpose()?,
            });
        }
        let mut backlinks = snapshot.backlinks;
        backlinks.par_iter_mut().try_for_each(|list| {
            list.iter_mut().try_for_each(|backlink| {
                let source = ids.get(backlink.source.0)?;
                if backlink.link as usize >= shape.get(source.index()).ok_or(DoesNotFit)?.1 {
                    return Err(DoesNotFit);
                }
                backlink.source = source;
                Ok(())
            })
        })?;
        // By entry; the vault's ids are in another order when notes were
        // added in another (each list moved, not copied).
        let in_entry_order = order
            .iter()
            .enumerate()
            .all(|(entry, id)| id.index() == entry);
        if !in_entry_order {
            let mut by_id = vec![Vec::new(); self.notes.len()];
            for (list, id) in backlinks.into_iter().zip(order) {
                by_id[id.index()] = list;
            }
            backlinks = by_id;
        }
        let tree = load_tree(snapshot.tree, &ids)?;
        // Everything fits: write it (restored again rather than kept from
        // the check: a list of every link's resolution is tens of MB at
        // 100,000 notes, and the check just proved each one restores).
        let write = |note: &mut crate::vault::Note, entry: usize| {
            let saved = snapshot.resolutions.of_note(entry);
            for (link, r) in note.links.iter_mut().zip(saved) {
                link.set_resolution(restore(r)?);
            }
            Ok::<(), DoesNotFit>(())
        };
        if in_entry_order {
            self.notes
                .par_iter_mut()
                .enumerate()
                .try_for_each(|(entry, note)| write(note, entry))?;
        } else {
            for (entry, &id) in ids.order.iter().enumerate() {
                write(&mut self.notes[id.index()], entry)?;
            }
        }
        self.channel_keys = channels
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.clone(), ChannelId(u32_of(i))))
            .collect();
        self.channels = channels;
        self.backlinks = backlinks;
        self.wanted = snapshot.wanted.into_iter().map(WantedTopic::from).collect();
        self.tree = tree;
        self.wanted_index = None;
        self.complete = true;
        Ok(())
    }
}

/// Checks the saved resolutions against the vault's notes (note by note
/// in entry order, on every core: as many as the note has links, every id
/// and count in range) before any is written; `shape` is each note's
/// count of headings and of links, by id.
fn check_resolutions(
    saved: &Resolutions,
    ids: &Ids<'_>,
    shape: &[(usize, usize)],
    restore: &(impl Fn(&PackedSaved) -> Result<Resolution, DoesNotFit> + Sync),
) -> Result<(), DoesNotFit> {
    if saved.notes() != ids.order.len() {
        return Err(DoesNotFit);
    }
    ids.order
        .par_iter()
        .enumerate()
        .try_for_each(|(entry, &id)| {
            let links = saved.of_note(entry);
            if shape.get(id.index()).ok_or(DoesNotFit)?.1 != links.len() {
                return Err(DoesNotFit);
            }
            links.iter().try_for_each(|r| restore(r).map(drop))
        })
}

fn load_tree(nodes: Vec<SavedTree>, ids: &Ids<'_>) -> Result<Vec<TreeNode>, DoesNotFit> {
    nodes
        .into_iter()
        .map(|node| {
            Ok(match node {
                SavedTree::Folder {
                    name,
                    path,
                    children,
                } => TreeNode::Folder {
                    name,
                    path,
                    children: load_tree(children, ids)?,
                },
                SavedTree::Video {
                    title,
                    url,
                    children,
                } => TreeNode::Video {
                    title,
                    url,
                    children: load_tree(children, ids)?,
                },
                SavedTree::Note(n) => TreeNode::Note(ids.get(n)?),
            })
        })
        .collect()
}
