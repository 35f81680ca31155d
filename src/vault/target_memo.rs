//! What each link target of a run of the resolution answers to, found once
//! per distinct target (see `finish.rs`).
//!
//! Links repeat their targets, and mostly within a few neighbouring notes
//! (a channel's notes link to the same topics): the real vault's 209,601
//! links write 47,869 distinct targets, and a run of an eighth of its
//! notes (in path order) meets each of its targets four times on average.
//! Each distinct target's key is built, hashed and looked up in the
//! vault's key index once (while the memo keeps it); a repeat costs one
//! hash of the target as written and a probe of the run's own small
//! table.

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

/// How many targets a memo keeps: then it starts again. Targets repeat
/// among neighbouring notes (a channel's some 640 distinct targets in the
/// real vault), so a small memo catches nearly every repeat, and its
/// memory stays a few hundred kilobytes whatever the vault (kept whole, a
/// run's memos took a load's peak up by a megabyte).
const MEMO_TARGETS: usize = 1792;

impl<V: Copy> TargetMemo<V> {
    pub(super) fn new() -> Self {
        Self {
            table: HashTable::with_capacity(MEMO_TARGETS),
            // Targets are some forty bytes.
            text: String::with_capacity(MEMO_TARGETS * 40),
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
        if self.table.len() >= MEMO_TARGETS {
            self.table.clear();
            self.text.clear();
        }
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
        let mut memo = TargetMemo::new();
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

    #[test]
    fn a_full_memo_starts_again_and_still_answers_right() {
        let mut memo = TargetMemo::new();
        let targets: Vec<String> = (0..3 * MEMO_TARGETS).map(|i| format!("t{i}")).collect();
        for round in 0..2 {
            for (i, target) in targets.iter().enumerate() {
                let value = memo.get_or_look(i as u64 % 97, target, || i + round);
                // Forgotten by the second round, so looked up again.
                assert_eq!(value, i + round, "{target}");
            }
        }
        assert!(memo.table.len() <= MEMO_TARGETS);
        assert!(memo.text.len() <= MEMO_TARGETS * 6);
    }
}
