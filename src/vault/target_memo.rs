//! What each link target of a run of the resolution answers to, found once
//! per distinct target (see `finish.rs`).
//!
//! Links repeat their targets, and mostly within a few neighbouring notes
//! (a channel's notes link to the same topics): the real vault's 209,601
//! links write 47,869 distinct targets, and a run of an eighth of its
//! notes (in path order) meets each of its targets four times on average.
//! Each distinct target's key is built, hashed and looked up in the
//! vault's key index once a run; a repeat costs one hash of the target as
//! written and a probe of this run's own table, which stays in cache
//! where the vault's index (every note's keys) does not.

use hashbrown::HashTable;

use super::{ChannelId, NoteId};

/// What a target's key answers to before the linking note and the heading
/// are taken into account: the part of a resolution that every link to the
/// same target shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer<'v> {
    /// An empty target (`[[#Heading]]`): the linking note itself.
    Itself,
    /// The one note answering to the key.
    One(NoteId),
    /// The notes answering to the key: the tie-break picks one by the
    /// linking note's folder.
    Many(&'v [NoteId]),
    /// No note, a channel: its generated page.
    Channel(ChannelId),
    /// Nothing: a topic without a note.
    Nothing,
}

/// The targets one run has met, each with what it was found to be (`V`:
/// its [`Answer`], and the run's topic without a note when it leads
/// nowhere).
pub(super) struct TargetMemo<V> {
    table: HashTable<Known<V>>,
    /// Every target met, one after the other.
    text: String,
}

/// One distinct target (its range in [`TargetMemo::text`]) and its value.
struct Known<V> {
    /// The hash of the target as written.
    hash: u64,
    start: usize,
    end: usize,
    value: V,
}

impl<V: Copy> TargetMemo<V> {
    /// Room for `targets` distinct targets (growing the table as they come
    /// was a tenth of the resolution's time).
    pub(super) fn with_capacity(targets: usize) -> Self {
        Self {
            table: HashTable::with_capacity(targets),
            // Targets are some forty bytes.
            text: String::with_capacity(targets.saturating_mul(40)),
        }
    }

    /// The value for `target` (hashed by `hash`), made by `look` the first
    /// time this memo meets the target.
    pub(super) fn get_or_look(&mut self, hash: u64, target: &str, look: impl FnOnce() -> V) -> V {
        let text = &self.text;
        let found = self.table.find(hash, |known| {
            text.get(known.start..known.end) == Some(target)
        });
        if let Some(known) = found {
            return known.value;
        }
        let value = look();
        let start = self.text.len();
        self.text.push_str(target);
        let known = Known {
            hash,
            start,
            end: self.text.len(),
            value,
        };
        self.table.insert_unique(hash, known, |known| known.hash);
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_looked_up_once_and_keeps_its_first_value() {
        let mut memo = TargetMemo::with_capacity(1);
        let mut looks = 0;
        let targets = ["Foo", "bar", "Foo", "foo", "bar", "Foo", "", ""];
        for (i, target) in targets.iter().enumerate() {
            // Hashes that collide, and more targets than room made: the
            // memo tells targets apart by their text, and grows.
            let value = memo.get_or_look(7, target, || {
                looks += 1;
                i
            });
            let first = targets.iter().position(|t| t == target);
            assert_eq!(Some(value), first, "{target}");
        }
        assert_eq!(looks, 4);
    }
}
