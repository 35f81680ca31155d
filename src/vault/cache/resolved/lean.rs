//! The resolved section applied to a lean load (see [`super::super::lean`]).

use rayon::prelude::*;

use super::{
    DoesNotFit, Ids, NoteParts, SavedChannel, SavedTree, SavedWanted, Sectioned, load_tree, u32_of,
};
use crate::vault::{
    Backlink, Channel, Note, NoteId, Vault, WantedTopic, cache::parts::Counts, resolve::ChannelId,
};

/// The channels of a section of `count` notes (every note id in them
/// checked against `count`).
pub(in crate::vault::cache) fn lean_channels(
    section: &Sectioned<'_>,
    count: usize,
) -> Result<Vec<Channel>, DoesNotFit> {
    let (notes, saved): (u32, Vec<SavedChannel>) =
        postcard::from_bytes(section.channels).map_err(|_| DoesNotFit)?;
    if notes as usize != count || section.notes() != count {
        return Err(DoesNotFit);
    }
    let id = |entry: u32| {
        ((entry as usize) < count)
            .then_some(NoteId(entry))
            .ok_or(DoesNotFit)
    };
    let mut channels = Vec::with_capacity(saved.len());
    for c in saved {
        channels.push(Channel {
            name: c.name,
            key: c.key,
            notes: c.notes.into_iter().map(id).collect::<Result<_, _>>()?,
            index_note: c.index_note.map(id).transpose()?,
        });
    }
    Ok(channels)
}

/// A lean load's view of the resolved section (see [`super::lean`]): the
/// vault's notes are the section's entries, in order, so ids are entry
/// positions; only some notes have their body, so ids pointing into the
/// others are checked against the counts their heads give.
impl Vault {
    /// The channels, and empty backlinks for every note.
    pub(in crate::vault::cache) fn apply_lean_channels(
        &mut self,
        section: &Sectioned<'_>,
    ) -> Result<(), DoesNotFit> {
        let count = self.notes.len();
        let channels = lean_channels(section, count)?;
        self.channel_keys = channels
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.clone(), ChannelId(u32_of(i))))
            .collect();
        self.channels = channels;
        self.backlinks = vec![Vec::new(); count];
        Ok(())
    }

    /// One note's link resolutions and backlinks; `counts[i]` are the
    /// headings and links of note `i`. Nothing is written unless all fits.
    pub(in crate::vault::cache) fn apply_lean_note(
        &mut self,
        section: &Sectioned<'_>,
        id: NoteId,
        counts: &[Counts],
    ) -> Result<(), DoesNotFit> {
        let bytes = section.per_note.get(id.index()).ok_or(DoesNotFit)?;
        let (links, back): NoteParts = postcard::from_bytes(bytes).map_err(|_| DoesNotFit)?;
        let counts_of = |entry: u32| counts.get(entry as usize).ok_or(DoesNotFit);
        if links.len() != self.note(id).links.len() {
            return Err(DoesNotFit);
        }
        let mut resolved = Vec::with_capacity(links.len());
        for saved in links {
            resolved.push(saved.restore(self.channels.len(), |note| {
                Ok((NoteId(note), counts_of(note)?.headings as usize))
            })?);
        }
        let mut backlinks = Vec::with_capacity(back.len());
        for (source, link, line) in back {
            if link >= counts_of(source)?.links {
                return Err(DoesNotFit);
            }
            backlinks.push(Backlink {
                source: NoteId(source),
                link,
                line,
            });
        }
        for (link, r) in self.notes[id.index()].links.iter_mut().zip(resolved) {
            link.set_resolution(r);
        }
        *self.backlinks.get_mut(id.index()).ok_or(DoesNotFit)? = backlinks;
        Ok(())
    }

    /// Everything of the resolved index that the notes' heads are enough
    /// for (after [`Vault::apply_lean_channels`]): every note's backlinks,
    /// the topics without a note and the tree, so that the vault is
    /// complete but for the notes' own links (their resolutions come with
    /// their bodies, [`resolve_lean_links`]). Nothing is written unless all
    /// fits.
    pub(in crate::vault::cache) fn apply_lean_index(
        &mut self,
        section: &Sectioned<'_>,
        counts: &[Counts],
    ) -> Result<(), DoesNotFit> {
        let count = self.notes.len();
        if section.notes() != count || counts.len() != count {
            return Err(DoesNotFit);
        }
        // On every core: 21,000 notes' backlinks, one by one, were most
        // of the index of heads.
        let backlinks = section
            .per_note
            .par_iter()
            .map(|bytes| {
                let (_, back): NoteParts = postcard::from_bytes(bytes).map_err(|_| DoesNotFit)?;
                back.into_iter()
                    .map(|(source, link, line)| {
                        let known = counts.get(source as usize).ok_or(DoesNotFit)?;
                        if link >= known.links {
                            return Err(DoesNotFit);
                        }
                        Ok(Backlink {
                            source: NoteId(source),
                            link,
                            line,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (wanted, tree): (Vec<SavedWanted>, Vec<SavedTree>) =
            postcard::from_bytes(section.rest).map_err(|_| DoesNotFit)?;
        let order: Vec<NoteId> = (0..count).map(|i| NoteId(u32_of(i))).collect();
        let tree = load_tree(tree, &Ids { order: &order })?;
        self.backlinks = backlinks;
        self.wanted = wanted.into_iter().map(WantedTopic::from).collect();
        self.tree = tree;
        self.wanted_index = None;
        self.pending_resolved = None;
        self.resolved_from_cache = true;
        self.complete = true;
        Ok(())
    }
}

/// The resolutions of the links of a note (its body just decoded, in a
/// vault of `channels` channels whose notes' counts are `counts`), from
/// its part of the section ([`Sectioned::part`]).
pub(in crate::vault::cache) fn resolve_lean_links(
    bytes: &[u8],
    note: &mut Note,
    channels: usize,
    counts: &[Counts],
) -> Result<(), DoesNotFit> {
    let (links, _): NoteParts = postcard::from_bytes(bytes).map_err(|_| DoesNotFit)?;
    if links.len() != note.links.len() {
        return Err(DoesNotFit);
    }
    let mut resolved = Vec::with_capacity(links.len());
    for saved in links {
        resolved.push(saved.restore(channels, |to| {
            let known = counts.get(to as usize).ok_or(DoesNotFit)?;
            Ok((NoteId(to), known.headings as usize))
        })?);
    }
    for (link, r) in note.links.iter_mut().zip(resolved) {
        link.set_resolution(r);
    }
    Ok(())
}

/// The notes next to note `id` in the section: those its links resolve to
/// and those that link to it (entry positions, perhaps repeated), whose
/// heads a lean load of that one note decodes; `None` when its part does
/// not decode.
pub(in crate::vault::cache) fn lean_neighbours(
    section: &Sectioned<'_>,
    id: NoteId,
) -> Option<Vec<u32>> {
    let bytes = section.per_note.get(id.index())?;
    let (links, back): NoteParts = postcard::from_bytes(bytes).ok()?;
    let targets = links.iter().filter_map(|saved| match *saved {
        super::SavedResolution::Note { note, .. } => Some(note),
        _ => None,
    });
    Some(
        targets
            .chain(back.iter().map(|&(source, ..)| source))
            .collect(),
    )
}
