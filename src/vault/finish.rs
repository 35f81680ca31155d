//! The finish of a load: channels, every link's resolution, backlinks,
//! the topics without a note and the tree (see [`Vault::finish`]).

use std::borrow::Cow;

use rayon::prelude::*;

use super::{
    Channel, ChannelId, Links, NoteId, Resolution, Vault,
    backlinks::{Asks, BacklinkCounts, merge_asks},
    key::{has_key, key_in, key_of},
    resolve,
    target_memo::{Answer, TargetMemo},
    tree,
};

/// Sources a run of the resolution takes at least.
const RUN_SOURCES: usize = 1024;

/// The length of each run when `sources` notes are split in runs on
/// every core: four runs a core (a run that ends early leaves its core
/// another), of at least [`RUN_SOURCES`].
fn run_len(sources: usize) -> usize {
    sources
        .div_ceil(4 * rayon::current_num_threads())
        .max(RUN_SOURCES)
}

/// The channels one run of notes names (in order of first mention, each
/// key with its first note) and each note's channel among them.
struct RunChannels<'a> {
    channels: Vec<(Cow<'a, str>, NoteId)>,
    notes: Vec<(NoteId, usize)>,
}

impl<'a> RunChannels<'a> {
    /// `notes` are the vault's from id `first` on.
    fn of(
        notes: &'a [super::Note],
        first: usize,
        removed: &std::collections::HashSet<NoteId>,
    ) -> Self {
        let mut run = Self {
            channels: Vec::new(),
            notes: Vec::new(),
        };
        let mut local: resolve::KeyMap<Cow<'a, str>, usize> = resolve::KeyMap::default();
        for (i, note) in notes.iter().enumerate() {
            let id = NoteId(u32::try_from(first + i).unwrap_or(u32::MAX));
            let Some(name) = note.channel.as_deref() else {
                continue;
            };
            if removed.contains(&id) {
                continue;
            }
            // Notes of a channel mostly follow each other: the last
            // note's channel is tried first, with no key built or hashed.
            let channel = match run.notes.last() {
                Some(&(_, last)) if has_key(name, &run.channels[last].0) => last,
                _ => {
                    let key = key_of(name);
                    if key.is_empty() {
                        continue;
                    }
                    *local.entry(key.clone()).or_insert_with(|| {
                        run.channels.push((key, id));
                        run.channels.len() - 1
                    })
                }
            };
            run.notes.push((id, channel));
        }
        run
    }
}

/// One note's links, taken out of it while they are resolved.
type SourceLinks = (NoteId, Links);

impl Vault {
    /// Resolves a target written in note `from` (or from nowhere, for the
    /// command line) by the rules of docs/format.md.
    #[must_use]
    pub fn resolve(&self, from: Option<NoteId>, target: &str, heading: Option<&str>) -> Resolution {
        let target = target.trim();
        let mut buffer = String::new();
        let key = key_in(target, &mut buffer);
        let answer = self.answer(target, key, self.keys.hash(key));
        self.resolution_of(answer, from, heading)
    }

    /// What `target` (trimmed), whose key is `key` hashed by `hash`,
    /// answers to (the part of its resolution that does not depend on the
    /// linking note or the heading).
    fn answer(&self, target: &str, key: &str, hash: u64) -> Answer<'_> {
        if target.is_empty() {
            return Answer::Itself;
        }
        match self.keys.candidates_hashed(hash, key) {
            [] => match self.channel_keys.get(key) {
                Some(&channel) => Answer::Channel(channel),
                None => Answer::Nothing,
            },
            &[one] => Answer::One(one),
            candidates => Answer::Many(candidates),
        }
    }

    /// The resolution of a link written in `from` whose target answers
    /// `answer`, to `heading` of the note it leads to.
    fn resolution_of(
        &self,
        answer: Answer<'_>,
        from: Option<NoteId>,
        heading: Option<&str>,
    ) -> Resolution {
        let (note, ambiguous) = match answer {
            Answer::Itself => match from {
                Some(id) => (id, false),
                None => return Resolution::Unresolved,
            },
            Answer::One(one) => (one, false),
            // The linking note's folder only when it decides: reading
            // every note's path would be a cache miss each.
            Answer::Many(candidates) => {
                let from_folder = from.map(|id| self.note(id).folder());
                match resolve::pick(candidates, from_folder, |id| self.note(id).path.as_str()) {
                    Some(id) => (id, true),
                    None => return Resolution::Unresolved,
                }
            }
            Answer::Channel(channel) => return Resolution::Channel(channel),
            Answer::Nothing => return Resolution::Unresolved,
        };
        Resolution::Note {
            note,
            heading: heading.and_then(|h| self.note(note).find_heading(h)),
            ambiguous,
        }
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
        self.finish_ordered(in_path_order, None)
    }

    /// [`Vault::finish_in`], with the notes' order keys when the caller
    /// has them (a whole load computes them as it parses).
    pub(crate) fn finish_ordered(
        &mut self,
        in_path_order: bool,
        note_order: Option<tree::NoteOrder>,
    ) -> FinishTimings {
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
        let note_order = match note_order {
            Some(order) if order.fits(self.notes.len()) => order,
            _ => tree::NoteOrder::of(self),
        };
        self.collect_channels_with(&note_order);
        let order = (!in_path_order).then(|| self.path_order());
        // Resolution reads the index, the notes' paths and headings, never
        // their links: the links are taken out of the notes (in path
        // order) and resolved in place, in runs on every core, then put
        // back. Each run counts backlinks and gathers the topics without a
        // note as it goes, from the link and the key it has at hand.
        let mut links = self.take_links(order.as_deref());
        let counts = BacklinkCounts::new(self.notes.len());
        let run = run_len(links.len());
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
                (tree::build_with(this, &note_order), started.elapsed())
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
                let mut taken: Vec<Links> = taken.map(|(_, links)| links).collect();
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
    /// backlinks and gathering the topics without a note. Each distinct
    /// target of the run is keyed and looked up once (see [`TargetMemo`]),
    /// with its topic when it leads nowhere.
    fn resolve_run(&self, sources: &mut [SourceLinks], counts: &BacklinkCounts) -> Asks {
        let mut asks = Asks::new();
        let mut buffer = String::new();
        let mut memo = TargetMemo::new();
        for (source, links) in sources {
            let source = *source;
            asks.start(source);
            for i in 0..links.len() {
                let Some(link) = links.get(i) else { continue };
                let target = link.target().trim();
                let hash_of_target = self.keys.hash(target);
                let (answer, topic) = memo.get_or_look(hash_of_target, target, || {
                    let key = key_in(target, &mut buffer);
                    // A target written as its key (most are) is hashed
                    // once: the memo's hash is the index's.
                    let hash = if std::ptr::eq(key, target) {
                        hash_of_target
                    } else {
                        self.keys.hash(key)
                    };
                    let answer = self.answer(target, key, hash);
                    let topic = (answer == Answer::Nothing).then(|| asks.topic(hash, key, target));
                    (answer, topic)
                });
                let resolution = self.resolution_of(answer, Some(source), link.heading());
                match (resolution, topic) {
                    (Resolution::Unresolved, Some(topic)) => asks.ask(topic),
                    (resolution, _) => counts.count(source, resolution),
                }
                links[i].set_resolution(resolution);
            }
        }
        asks
    }

    /// Gathers the channels from the notes' `From:` lines (also while
    /// loading, from the title pass's, for the home page; channel ids are
    /// positions in this list, so links are resolved after it).
    pub fn collect_channels(&mut self) {
        let order = tree::NoteOrder::of(self);
        self.collect_channels_with(&order);
    }

    /// [`Vault::collect_channels`] with the notes' order keys gathered.
    fn collect_channels_with(&mut self, order: &tree::NoteOrder) {
        self.channels.clear();
        self.channel_keys.clear();
        // Runs of notes on every core: each name's key (each name is its
        // own allocation: a cache miss each) and which of the run's
        // channels it is; then only the runs' few channels are gathered
        // in turn. The notes borrowed, not each `From:` name cloned: only
        // a channel's first note gives it its (owned) name and key.
        let notes = &self.notes;
        let run = run_len(notes.len());
        let runs: Vec<RunChannels<'_>> = notes
            .par_chunks(run)
            .enumerate()
            .map(|(r, notes)| RunChannels::of(notes, r * run, &self.removed))
            .collect();
        for run in runs {
            let global: Vec<ChannelId> = run
                .channels
                .into_iter()
                .map(|(key, first)| {
                    if let Some(&channel) = self.channel_keys.get(&*key) {
                        return channel;
                    }
                    let channel = ChannelId(u32::try_from(self.channels.len()).unwrap_or(u32::MAX));
                    let note = &notes[first.index()];
                    let index_note =
                        resolve::pick(self.keys.candidates(&key), Some(note.folder()), |n| {
                            notes[n.index()].path.as_str()
                        });
                    self.channel_keys.insert(key.to_string(), channel);
                    self.channels.push(Channel {
                        name: note.channel.clone().unwrap_or_default(),
                        key: key.into_owned(),
                        notes: Vec::new(),
                        index_note,
                    });
                    channel
                })
                .collect();
            for (id, local) in run.notes {
                self.channels[global[local].0 as usize].notes.push(id);
            }
        }
        // Each channel's notes sorted on its own core, by title ignoring
        // case, then by path (as the tree sorts a folder).
        let mut channels = std::mem::take(&mut self.channels);
        let this = &*self;
        channels
            .par_iter_mut()
            .for_each(|channel| tree::sort_by_title(this, order, &mut channel.notes));
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
