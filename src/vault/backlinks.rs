//! Backlinks and the topics without a note, from the links as they are
//! resolved (the last phase of [`Vault::finish`], beside the tree).
//!
//! The resolution pass (see `finish.rs`) works through runs of sources in
//! path order on every core. As it resolves each link it keeps the
//! backlink in its run's [`RunBacklinks`] (from the record it has in
//! cache) and counts a link that leads nowhere in its run's [`Asks`],
//! under the topic of the key it has just looked up: no second pass over
//! every link, no key built twice. Then every note's backlinks are filled
//! in at their sizes from the runs' (in a row, not from every note's
//! links), while the runs' asks are merged, a share of the keys on each
//! core.

use hashbrown::HashTable;
use rayon::prelude::*;

use super::{Backlink, NoteId, Resolution, Vault, WantedTopic};

/// The backlinks one run of the resolution found, in its sources' path
/// order: gathered as the links are resolved, while each link's record is
/// in cache (filled in from the notes' links afterwards, every record was
/// a cache miss again, on one core). Twelve bytes a backlink: its source
/// is kept once for all of that source's.
pub(super) struct RunBacklinks {
    /// The note each backlink leads to, the link's index and its line.
    found: Vec<(NoteId, u32, u32)>,
    /// Each source that has backlinks, with where its own end in `found`.
    sources: Vec<(NoteId, usize)>,
}

impl RunBacklinks {
    /// Room for `links` backlinks.
    pub(super) fn with_capacity(links: usize) -> Self {
        Self {
            found: Vec::with_capacity(links),
            sources: Vec::new(),
        }
    }

    /// Link `link` of `source`, on line `line`, resolved to `resolution`
    /// (a note's link to itself is no backlink). A source's links come
    /// together.
    pub(super) fn add(&mut self, source: NoteId, link: usize, line: u32, resolution: Resolution) {
        if let Resolution::Note { note, .. } = resolution
            && note != source
        {
            let link = u32::try_from(link).unwrap_or(u32::MAX);
            self.found.push((note, link, line));
            match self.sources.last_mut() {
                Some((last, end)) if *last == source => *end = self.found.len(),
                _ => self.sources.push((source, self.found.len())),
            }
        }
    }

    /// Every backlink, in order, with the note it leads to.
    fn each(&self) -> impl Iterator<Item = (NoteId, Backlink)> + '_ {
        let mut start = 0;
        self.sources.iter().flat_map(move |&(source, end)| {
            let found = self.found.get(start..end).unwrap_or_default();
            start = end;
            found
                .iter()
                .map(move |&(note, link, line)| (note, Backlink { source, link, line }))
        })
    }
}

/// Every note's backlinks, in source path order (the runs' order), each
/// list made at its size when its first backlink comes. The runs go one
/// by one, each let go once its backlinks are in place: their memory
/// goes as the lists' comes (the two at once took a load's peak up by
/// theirs).
pub(super) fn fill_backlinks(notes: usize, runs: Vec<RunBacklinks>) -> Vec<Vec<Backlink>> {
    let mut counts = vec![0_usize; notes];
    for &(note, ..) in runs.iter().flat_map(|run| &run.found) {
        if let Some(count) = counts.get_mut(note.index()) {
            *count += 1;
        }
    }
    let mut backlinks: Vec<Vec<Backlink>> = (0..notes).map(|_| Vec::new()).collect();
    for run in runs {
        for (note, backlink) in run.each() {
            if let Some(list) = backlinks.get_mut(note.index()) {
                if list.capacity() == 0 {
                    *list = Vec::with_capacity(counts[note.index()]);
                }
                list.push(backlink);
            }
        }
    }
    backlinks
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
