//! The finish of a load: channels, every link's resolution, backlinks,
//! the topics without a note and the tree (see [`Vault::finish`]).

use std::borrow::Cow;

use rayon::prelude::*;

use super::{
    Channel, ChannelId, NoteId, Resolution, Vault, WikiLink,
    backlinks::{Asks, BacklinkCounts, merge_asks},
    key::key_of,
    resolve, tree,
};

/// Sources a run of the resolution takes at least.
const RUN_SOURCES: usize = 1024;

/// One note's links, taken out of it while they are resolved.
type SourceLinks = (NoteId, Vec<WikiLink>);

impl Vault {
    /// [`Vault::resolve`] with the folder of `from` found once by the
    /// caller (a note's links all share it); also gives the key it looked
    /// up, with its hash by [`resolve::KeyIndex::hash`].
    pub(super) fn resolve_keyed<'t>(
        &self,
        from: Option<NoteId>,
        from_folder: Option<&str>,
        target: &'t str,
        heading: Option<&str>,
    ) -> (Resolution, Cow<'t, str>, u64) {
        let target = target.trim();
        // Once: an unresolved link looks its key up among the channels,
        // and among the topics without a note, too. Borrowed when the
        // target is written as a key (most are).
        let key = key_of(target);
        let hash = self.keys.hash(&key);
        let note = if target.is_empty() {
            match from {
                Some(id) => Some((id, false)),
                None => return (Resolution::Unresolved, key, hash),
            }
        } else {
            let candidates = self.keys.candidates_hashed(hash, &key);
            resolve::pick(candidates, from_folder, |id| self.note(id).path.as_str())
                .map(|id| (id, candidates.len() > 1))
        };
        let resolution = match note {
            Some((note, ambiguous)) => Resolution::Note {
                note,
                heading: heading.and_then(|h| self.note(note).find_heading(h)),
                ambiguous,
            },
            None => match self.channel_keys.get(&*key) {
                Some(&channel) => Resolution::Channel(channel),
                None => Resolution::Unresolved,
            },
        };
        (resolution, key, hash)
    }

    /// Finishes loading: channels, every link's resolution, backlinks, the
    /// topics without a note and the tree. Safe to call again.
    pub fn finish(&mut self) {
        self.finish_timed();
    }

    /// [`Vault::finish`], with the time of each phase.
    pub fn finish_timed(&mut self) -> FinishTimings {
        self.finish_in(false)
    }

    /// [`Vault::finish_timed`]; `in_path_order` when the caller knows the
    /// notes are in path order (a whole load, in the walk's order): the
    /// finish then skips sorting every note by path (a comparison of paths
    /// spread over the heap, one cache miss each).
    pub(crate) fn finish_in(&mut self, in_path_order: bool) -> FinishTimings {
        let started = std::time::Instant::now();
        self.revised();
        self.resolved_from_cache = self.take_pending_resolved();
        if self.resolved_from_cache {
            self.wanted_index = None;
            return FinishTimings {
                resolve: started.elapsed(),
                ..FinishTimings::default()
            };
        }
        self.collect_channels();
        let order = (!in_path_order).then(|| self.path_order());
        // Resolution reads the index, the notes' paths and headings, never
        // their links: the links are taken out of the notes (in path
        // order) and resolved in place, in runs on every core, then put
        // back. Each run counts backlinks and gathers the topics without a
        // note as it goes, from the link and the key it has at hand.
        let mut links = self.take_links(order.as_deref());
        let counts = BacklinkCounts::new(self.notes.len());
        let run = links
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(RUN_SOURCES);
        let this = &*self;
        let asks: Vec<Asks> = links
            .par_chunks_mut(run)
            .map(|sources| this.resolve_run(sources, &counts))
            .collect();
        self.put_back_links(links, order.is_some());
        let resolve = started.elapsed();
        // Backlinks, topics and the tree read the resolved links and
        // nothing of each other: built side by side.
        let this = &*self;
        let ((backlinks, wanted, backlinks_time), (tree, tree_time)) = rayon::join(
            || {
                let started = std::time::Instant::now();
                let (backlinks, wanted) = rayon::join(
                    || this.fill_backlinks(order.as_deref(), counts),
                    || merge_asks(asks),
                );
                (backlinks, wanted, started.elapsed())
            },
            || {
                let started = std::time::Instant::now();
                (tree::build(this), started.elapsed())
            },
        );
        self.backlinks = backlinks;
        self.wanted = wanted;
        self.wanted_index = None;
        self.tree = tree;
        self.complete = true;
        FinishTimings {
            resolve,
            backlinks: backlinks_time,
            tree: tree_time,
        }
    }

    /// Every note's links, taken out of it, in path order (`order`, or the
    /// ids' when they are in path order).
    fn take_links(&mut self, order: Option<&[NoteId]>) -> Vec<SourceLinks> {
        let taken = self.notes.par_iter_mut().enumerate().map(|(i, note)| {
            let id = NoteId(u32::try_from(i).unwrap_or(u32::MAX));
            (id, std::mem::take(&mut note.links))
        });
        match order {
            None => taken.collect(),
            Some(order) => {
                let mut taken: Vec<Vec<WikiLink>> = taken.map(|(_, links)| links).collect();
                order
                    .iter()
                    .map(|&id| (id, std::mem::take(&mut taken[id.index()])))
                    .collect()
            }
        }
    }

    /// Gives the notes their links back (`permuted` when they were taken
    /// in another order than the ids').
    fn put_back_links(&mut self, links: Vec<SourceLinks>, permuted: bool) {
        if permuted {
            for (id, links) in links {
                self.notes[id.index()].links = links;
            }
        } else {
            self.notes
                .par_iter_mut()
                .zip(links)
                .for_each(|(note, (_, links))| note.links = links);
        }
    }

    /// Resolves a run of sources' links (in path order), counting the
    /// backlinks and gathering the topics without a note.
    fn resolve_run(&self, sources: &mut [SourceLinks], counts: &BacklinkCounts) -> Asks {
        let mut asks = Asks::new();
        for (source, links) in sources {
            let source = *source;
            asks.start(source);
            let folder = Some(self.note(source).folder());
            for link in links {
                let (resolution, key, hash) =
                    self.resolve_keyed(Some(source), folder, link.target(), link.heading());
                match resolution {
                    Resolution::Unresolved => asks.ask(hash, &key, link.target()),
                    resolution => counts.count(source, resolution),
                }
                link.set_resolution(resolution);
            }
        }
        asks
    }

    /// Gathers the channels from the notes' `From:` lines (also while
    /// loading, from the title pass's, for the home page; channel ids are
    /// positions in this list, so links are resolved after it).
    pub fn collect_channels(&mut self) {
        self.channels.clear();
        self.channel_keys.clear();
        // The notes borrowed, not each `From:` name cloned: only a
        // channel's first note gives it its (owned) name and key. The keys
        // on every core first (each name is its own allocation: a cache
        // miss each), then gathered in turn.
        let notes = &self.notes;
        let keys: Vec<Option<std::borrow::Cow<'_, str>>> = notes
            .par_iter()
            .enumerate()
            .map(|(i, note)| {
                let name = note.channel.as_deref()?;
                let id = NoteId(u32::try_from(i).unwrap_or(u32::MAX));
                if self.removed.contains(&id) {
                    return None;
                }
                Some(key_of(name)).filter(|key| !key.is_empty())
            })
            .collect();
        for ((id, note), key) in self.ids().zip(notes).zip(keys) {
            let (Some(name), Some(key)) = (note.channel.as_deref(), key) else {
                continue;
            };
            let channel = match self.channel_keys.get(&*key) {
                Some(&channel) => channel,
                None => {
                    let channel = ChannelId(u32::try_from(self.channels.len()).unwrap_or(u32::MAX));
                    let index_note =
                        resolve::pick(self.keys.candidates(&key), Some(note.folder()), |n| {
                            notes[n.index()].path.as_str()
                        });
                    self.channel_keys.insert(key.to_string(), channel);
                    self.channels.push(Channel {
                        name: name.to_owned(),
                        key: key.into_owned(),
                        notes: Vec::new(),
                        index_note,
                    });
                    channel
                }
            };
            self.channels[channel.0 as usize].notes.push(id);
        }
        // Each channel's notes sorted on its own core, by title ignoring
        // case, then by path (as the tree sorts a folder).
        let mut channels = std::mem::take(&mut self.channels);
        let this = &*self;
        channels
            .par_iter_mut()
            .for_each(|channel| tree::sort_by_title(this, &mut channel.notes));
        self.channels = channels;
        self.channels.sort_by_cached_key(|c| c.name.to_lowercase());
        for (i, channel) in self.channels.iter().enumerate() {
            self.channel_keys.insert(
                channel.key.clone(),
                ChannelId(u32::try_from(i).unwrap_or(u32::MAX)),
            );
        }
    }
}

/// Time of each phase of [`Vault::finish`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FinishTimings {
    /// Channels and every link's resolution.
    pub resolve: std::time::Duration,
    /// Backlinks and topics without a note.
    pub backlinks: std::time::Duration,
    pub tree: std::time::Duration,
}
