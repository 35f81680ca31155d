//! Backlinks and the topics without a note, from the links as they are
//! resolved (the last phase of [`Vault::finish`], beside the tree).
//!
//! The resolution pass (see `finish.rs`) works through runs of sources in
//! path order on every core. As it resolves each link it counts the
//! backlinks of the note the link leads to ([`BacklinkCounts`]) and counts
//! a link that leads nowhere in its run's [`Asks`], under the topic of the
//! key it has just looked up: no second pass over every link, no key
//! built twice. Then every note's backlinks are filled in at their counted
//! sizes (no list of every backlink held beside them: at 100,000 notes
//! such a list took the load's peak up by 15 MB), while the runs' asks are
//! merged, a share of the keys on each core.

use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

use hashbrown::HashTable;
use rayon::prelude::*;

use super::{Backlink, NoteId, Resolution, Vault, WantedTopic};

/// How many backlinks lead to each note, counted on every core.
pub(super) struct BacklinkCounts(Vec<AtomicU32>);

impl BacklinkCounts {
    pub(super) fn new(notes: usize) -> Self {
        Self((0..notes).map(|_| AtomicU32::new(0)).collect())
    }

    /// Counts a link from `source` to what it resolved to (a note's link
    /// to itself is no backlink).
    pub(super) fn count(&self, source: NoteId, resolution: Resolution) {
        if let Resolution::Note { note, .. } = resolution
            && note != source
            && let Some(count) = self.0.get(note.index())
        {
            count.fetch_add(1, Relaxed);
        }
    }
}

/// Shards of the asks: the runs' tables are merged shard by shard, one
/// shard on a core at a time.
const SHARDS: usize = 32;

/// The topics without a note that one run of sources (in path order)
/// asks for, each with the hash of its key, computed once: the merge
/// places a topic by it and never reads the key again but to compare.
/// The run finds each link's topic once per distinct target (see
/// `target_memo.rs`) and counts its links by the topic's number.
pub(super) struct Asks {
    topics: Vec<Topic>,
    /// Each topic's number in `topics`, by the hash of its key.
    by_key: HashTable<u32>,
    /// The source whose links are being resolved.
    source: NoteId,
}

/// A topic as some sources ask for it.
struct Topic {
    hash: u64,
    /// The key, when it is not the target itself (most targets are
    /// written as their key: one string a topic, not two, until the
    /// topics are merged).
    key: Option<String>,
    /// The target as first written (in path order).
    target: String,
    links: usize,
    notes: usize,
    /// The last source counted in `notes`: a note that writes `[[Foo]]`
    /// and `[[foo]]` asks for one topic once.
    last_source: NoteId,
}

impl Topic {
    fn key(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.target)
    }
}

/// The shard of a hash: bits the tables themselves use little (they
/// place by the low bits and tell entries apart by the top seven).
fn shard_of(hash: u64) -> usize {
    (hash >> 32) as usize % SHARDS
}

impl Asks {
    pub(super) fn new() -> Self {
        Self {
            topics: Vec::new(),
            by_key: HashTable::new(),
            source: NoteId(u32::MAX),
        }
    }

    /// The links resolved next are `source`'s.
    pub(super) fn start(&mut self, source: NoteId) {
        self.source = source;
    }

    /// The number of the topic whose key is `key` (hashed by `hash`), made
    /// with `target` as its written form when it is new to this run.
    pub(super) fn topic(&mut self, hash: u64, key: &str, target: &str) -> u32 {
        let topics = &mut self.topics;
        *self
            .by_key
            .entry(
                hash,
                |&i| topics[i as usize].key() == key,
                |&i| topics[i as usize].hash,
            )
            .or_insert_with(|| {
                topics.push(Topic {
                    hash,
                    key: (key != target).then(|| key.to_owned()),
                    target: target.to_owned(),
                    links: 0,
                    notes: 0,
                    last_source: NoteId(u32::MAX),
                });
                u32::try_from(topics.len() - 1).unwrap_or(u32::MAX)
            })
            .get()
    }

    /// A link of the current source that asks for topic `topic` (from
    /// [`Self::topic`]).
    pub(super) fn ask(&mut self, topic: u32) {
        let source = self.source;
        if let Some(topic) = self.topics.get_mut(topic as usize) {
            topic.links += 1;
            if topic.last_source != source {
                topic.last_source = source;
                topic.notes += 1;
            }
        }
    }
}

/// The topics the runs ask for (in their order: a topic keeps the target
/// first written), most wanted first. The topics are dealt into shards by
/// hash, each shard merged on its own core; the runs' sources are
/// disjoint, so their counts add up.
pub(super) fn merge_asks(runs: Vec<Asks>) -> Vec<WantedTopic> {
    let mut by_shard: Vec<Vec<Topic>> = (0..SHARDS).map(|_| Vec::new()).collect();
    for run in runs {
        for topic in run.topics {
            by_shard[shard_of(topic.hash)].push(topic);
        }
    }
    let mut wanted: Vec<WantedTopic> = by_shard
        .into_par_iter()
        .flat_map_iter(|topics| {
            let mut all: HashTable<Topic> = HashTable::with_capacity(topics.len());
            for topic in topics {
                match all.find_mut(topic.hash, |t| t.key() == topic.key()) {
                    Some(first) => {
                        first.links += topic.links;
                        first.notes += topic.notes;
                    }
                    None => {
                        all.insert_unique(topic.hash, topic, |t| t.hash);
                    }
                }
            }
            all.into_iter().map(|topic| WantedTopic {
                key: topic.key.unwrap_or_else(|| topic.target.clone()),
                target: topic.target,
                links: topic.links,
                notes: topic.notes,
            })
        })
        .collect();
    wanted.par_sort_unstable_by(WantedTopic::most_wanted_first);
    wanted
}

impl Vault {
    /// Every note's backlinks, in source path order (`order`, or the ids
    /// when they are in path order), each list made at its counted size.
    pub(super) fn fill_backlinks(
        &self,
        order: Option<&[NoteId]>,
        counts: BacklinkCounts,
    ) -> Vec<Vec<Backlink>> {
        let mut backlinks: Vec<Vec<Backlink>> = counts
            .0
            .into_iter()
            .map(|count| Vec::with_capacity(count.into_inner() as usize))
            .collect();
        let mut fill = |source: NoteId| {
            for (i, link) in self.note(source).links.records().iter().enumerate() {
                if let Resolution::Note { note, .. } = link.resolution()
                    && note != source
                {
                    backlinks[note.index()].push(Backlink {
                        source,
                        link: u32::try_from(i).unwrap_or(u32::MAX),
                        line: link.line,
                    });
                }
            }
        };
        match order {
            Some(order) => order.iter().copied().for_each(&mut fill),
            None => {
                debug_assert!(self.notes.is_sorted_by(|a, b| a.path.cmp(&b.path).is_le()));
                self.ids().for_each(&mut fill);
            }
        }
        backlinks
    }

    /// The notes' ids in path order.
    pub(super) fn path_order(&self) -> Vec<NoteId> {
        let mut order: Vec<NoteId> = self.ids().collect();
        order.sort_by(|a, b| self.note(*a).path.cmp(&self.note(*b).path));
        order
    }

    /// The backlinks and the topics without a note counted again from the
    /// resolved links, plainly, in one pass in path order: what the finish
    /// gathers on every core must equal it.
    #[cfg(test)]
    pub(crate) fn backlinks_and_wanted(&self) -> (Vec<Vec<Backlink>>, Vec<WantedTopic>) {
        use std::collections::{HashMap, HashSet};
        let mut backlinks = vec![Vec::new(); self.notes.len()];
        let mut wanted: HashMap<String, WantedTopic> = HashMap::new();
        for source in self.path_order() {
            let mut asked = HashSet::new();
            for (i, link) in self.note(source).links.iter().enumerate() {
                match link.resolution() {
                    Resolution::Note { note, .. } if note != source => {
                        backlinks[note.index()].push(Backlink {
                            source,
                            link: u32::try_from(i).unwrap_or(u32::MAX),
                            line: link.line,
                        });
                    }
                    Resolution::Unresolved => {
                        let key = super::key::normalize_key(link.target());
                        let topic = wanted.entry(key.clone()).or_insert_with(|| WantedTopic {
                            key: key.clone(),
                            target: link.target().to_owned(),
                            links: 0,
                            notes: 0,
                        });
                        topic.links += 1;
                        if asked.insert(key) {
                            topic.notes += 1;
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut wanted: Vec<WantedTopic> = wanted.into_values().collect();
        wanted.sort_by(WantedTopic::most_wanted_first);
        (backlinks, wanted)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::loader::parse_note;

    /// Notes in several runs of the resolution, asking for topics in
    /// different spellings (twice in one note, too), linking to each
    /// other and to themselves; added in an order other than their paths'.
    fn vault(notes: usize) -> Vault {
        let mut vault = Vault::new("/v");
        for i in (0..notes).rev() {
            let text = format!(
                "# Note {i}\n\n[[{t} {a}]] [[topic_{a}]] [[Other {b}]] [[n{next:05}]] \
                 [[n{i:05}]] [[n{next:05}#Note {next}]]\n\n[[shared]] [[Shared!]]\n",
                t = if i % 2 == 0 { "Topic" } else { "TOPIC" },
                a = i % 97,
                b = i % 13,
                next = (i * 7 + 1) % notes,
            );
            vault.add(parse_note(
                &format!("d{}/n{i:05}.md", i % 3),
                text.as_bytes(),
            ));
        }
        vault
    }

    #[test]
    fn the_finish_gathers_what_a_plain_pass_in_path_order_counts() {
        let mut vault = vault(3000);
        vault.finish();
        let (backlinks, wanted) = vault.backlinks_and_wanted();
        assert_eq!(vault.backlinks, backlinks);
        assert_eq!(vault.wanted, wanted);
        assert_eq!(wanted[0].key, "shared");
        assert_eq!((wanted[0].links, wanted[0].notes), (6000, 3000));
        // The target first written in path order: d0/n00102.md's (the
        // first note added that asks for it is n02915, which writes
        // `TOPIC 5`).
        let topic = |key: &str| wanted.iter().find(|t| t.key == key).unwrap();
        assert_eq!(topic("topic_5").target, "Topic 5");
        assert_eq!(topic("topic_5").links, 2 * 31);
        assert_eq!(topic("topic_5").notes, 31);
        assert!(backlinks.iter().map(Vec::len).sum::<usize>() > 3000);
        // In path order already (as a whole load gives them): the same.
        let mut ordered = Vault::new("/v");
        let mut notes = std::mem::take(&mut vault.notes);
        notes.sort_by(|a, b| a.path.cmp(&b.path));
        for note in notes {
            ordered.add(note);
        }
        ordered.finish_in(true);
        let (backlinks, wanted) = ordered.backlinks_and_wanted();
        assert_eq!(ordered.backlinks, backlinks);
        assert_eq!(ordered.wanted, wanted);
    }
}
