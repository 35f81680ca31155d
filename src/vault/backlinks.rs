//! Backlinks and the topics without a note, from the resolved links (the
//! last phase of [`Vault::finish`], beside the tree).

use std::borrow::Cow;

use rayon::prelude::*;

use super::{Backlink, NoteId, Resolution, Vault, WantedTopic, key::key_of, resolve};

/// What one run of sources (in path order) gives: its backlinks, with the
/// note each leads to, in order, and the topics it asks for.
struct Part<'a> {
    backlinks: Vec<(NoteId, Backlink)>,
    wanted: resolve::KeyMap<Cow<'a, str>, Asked<'a>>,
}

/// A topic without a note as some sources ask for it.
struct Asked<'a> {
    /// The target as first written (in path order).
    target: &'a str,
    links: usize,
    notes: usize,
}

/// Sources a part takes at least: each part's topics are merged in turn.
const PART_SOURCES: usize = 1024;

impl Vault {
    #[cfg(test)]
    pub(crate) fn backlinks_and_wanted(&self) -> (Vec<Vec<Backlink>>, Vec<WantedTopic>) {
        self.backlinks_and_wanted_in(false)
    }

    /// The backlinks of every note (in source path order) and the topics
    /// without a note (most wanted first). Runs of sources are read on
    /// every core (each link's resolution and, when unresolved, its key:
    /// a cache miss each), then gathered in their order, so the result is
    /// the one of a single pass in path order.
    pub(super) fn backlinks_and_wanted_in(
        &self,
        in_path_order: bool,
    ) -> (Vec<Vec<Backlink>>, Vec<WantedTopic>) {
        let mut order: Vec<NoteId> = self.ids().collect();
        let by_path = |a: &NoteId, b: &NoteId| self.note(*a).path.cmp(&self.note(*b).path);
        debug_assert!(!in_path_order || order.is_sorted_by(|a, b| by_path(a, b).is_le()));
        if !in_path_order {
            order.sort_by(by_path);
        }
        let run = order
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(PART_SOURCES);
        let parts: Vec<Part<'_>> = order
            .par_chunks(run)
            .map(|sources| self.part_of(sources))
            .collect();
        let mut scattered = Vec::with_capacity(parts.len());
        let mut asked = Vec::with_capacity(parts.len());
        for part in parts {
            scattered.push(part.backlinks);
            asked.push(part.wanted);
        }
        rayon::join(
            || scatter(self.notes.len(), scattered),
            || merge_wanted(asked),
        )
    }

    fn part_of<'a>(&'a self, sources: &[NoteId]) -> Part<'a> {
        let mut part = Part {
            backlinks: Vec::new(),
            wanted: resolve::KeyMap::default(),
        };
        // Keys a note already counted: a note that writes `[[Foo]]` and
        // `[[foo]]` asks for one topic once (a set, so that a note with
        // 100,000 distinct targets is not 100,000² comparisons).
        let mut asked: resolve::KeySet<Cow<'a, str>> = resolve::KeySet::default();
        for &source in sources {
            asked.clear();
            for (i, link) in self.note(source).links.iter().enumerate() {
                match link.resolution() {
                    Resolution::Note { note, .. } if note != source => {
                        part.backlinks.push((
                            note,
                            Backlink {
                                source,
                                link: u32::try_from(i).unwrap_or(u32::MAX),
                                line: link.line,
                            },
                        ));
                    }
                    Resolution::Unresolved => {
                        let key = key_of(link.target());
                        let first_ask = !asked.contains(&*key);
                        let topic = match part.wanted.get_mut(&*key) {
                            Some(topic) => topic,
                            None => part.wanted.entry(key.clone()).or_insert(Asked {
                                target: link.target(),
                                links: 0,
                                notes: 0,
                            }),
                        };
                        topic.links += 1;
                        if first_ask {
                            topic.notes += 1;
                            asked.insert(key);
                        }
                    }
                    _ => {}
                }
            }
        }
        part
    }
}

/// Every note's backlinks from the parts' (in their order), each vector
/// made at its size at once.
fn scatter(notes: usize, parts: Vec<Vec<(NoteId, Backlink)>>) -> Vec<Vec<Backlink>> {
    let mut counts = vec![0usize; notes];
    for (note, _) in parts.iter().flatten() {
        counts[note.index()] += 1;
    }
    let mut backlinks: Vec<Vec<Backlink>> = counts.into_iter().map(Vec::with_capacity).collect();
    for (note, backlink) in parts.into_iter().flatten() {
        backlinks[note.index()].push(backlink);
    }
    backlinks
}

/// The topics the parts ask for (in their order: a topic keeps the target
/// first written), most wanted first.
fn merge_wanted(parts: Vec<resolve::KeyMap<Cow<'_, str>, Asked<'_>>>) -> Vec<WantedTopic> {
    let mut parts = parts.into_iter();
    let mut all = parts.next().unwrap_or_default();
    for part in parts {
        for (key, asked) in part {
            all.entry(key)
                .and_modify(|topic| {
                    topic.links += asked.links;
                    topic.notes += asked.notes;
                })
                .or_insert(asked);
        }
    }
    let mut wanted: Vec<WantedTopic> = all
        .into_iter()
        .map(|(key, asked)| WantedTopic {
            key: key.into_owned(),
            target: asked.target.to_owned(),
            links: asked.links,
            notes: asked.notes,
        })
        .collect();
    wanted.sort_by(WantedTopic::most_wanted_first);
    wanted
}

impl WantedTopic {
    /// The order of [`Vault::wanted`]: asked by most notes, then by most
    /// links, then by key.
    pub(super) fn most_wanted_first(a: &Self, b: &Self) -> std::cmp::Ordering {
        b.notes
            .cmp(&a.notes)
            .then(b.links.cmp(&a.links))
            .then(a.key.cmp(&b.key))
    }
}
