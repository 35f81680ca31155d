//! Link resolution (docs/format.md): a target and a note's file name and title
//! are compared by their normalised key.
//!
//! Tie-break, when several notes answer to one key: prefer a note in the
//! linking note's own folder, then the shortest path (in bytes), then the
//! first path in byte order. The link is then marked ambiguous and reported.

use std::hash::BuildHasher;

use super::{
    key::normalize_key,
    note::{Note, NoteId},
};

/// A map keyed by note names, keys or paths, hashed by foldhash rather than
/// std's SipHash: resolution hashes every link of a vault (hundreds of
/// thousands of short keys), where SipHash showed in profiles. The keys
/// come from the vault's files, so an adversarial vault could aim at
/// collisions: foldhash's `RandomState` is seeded per map from a
/// per-process random seed, which keeps such a vault from knowing the
/// hash (foldhash's "minimal DoS resistance"; the worst case of a
/// collision flood is a slow load, never a wrong result).
pub type KeyMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A set with [`KeyMap`]'s hasher.
pub type KeySet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// Index of a channel in [`super::Vault::channels`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChannelId(pub u32);

/// Where a wiki-link leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resolution {
    /// The vault is still loading.
    #[default]
    Pending,
    /// A note; `heading` is an index into its headings when the link named
    /// one that exists. `ambiguous` when other notes answer to the key too.
    Note {
        note: NoteId,
        heading: Option<usize>,
        ambiguous: bool,
    },
    /// A channel with no note of its own: its generated page.
    Channel(ChannelId),
    /// Nothing answers to the target: a topic without a note.
    Unresolved,
}

impl Resolution {
    #[must_use]
    pub fn note(self) -> Option<NoteId> {
        match self {
            Self::Note { note, .. } => Some(note),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_unresolved(self) -> bool {
        matches!(self, Self::Unresolved)
    }
}

/// Which notes answer to each key. The table is hashbrown's, with the
/// hasher beside it, so that the finish hashes each link's key once
/// ([`KeyIndex::hash`]) for this lookup and for the topics without a note.
/// The keys are kept one after another in one string: a lookup (one per
/// link of a vault) compares with bytes packed close together, not with
/// an allocation of their own spread over the heap (a cache miss each:
/// that comparison was a third of the resolution's time in profiles).
#[derive(Debug, Clone)]
pub struct KeyIndex {
    table: hashbrown::HashTable<Entry>,
    /// Every key of the table, each at its entry's range.
    text: String,
    /// Bytes of `text` that no entry uses any more (keys forgotten).
    unused: usize,
    hasher: foldhash::fast::RandomState,
}

/// The seed every [`KeyIndex`] hashes with: random, once a process (see
/// [`KeyMap`]), and the same for every index, so that a loading thread
/// hashes a note's keys as it parses the note (see [`NoteKeys`]), before
/// the index they go to exists.
static KEY_HASHER: std::sync::LazyLock<foldhash::fast::RandomState> =
    std::sync::LazyLock::new(foldhash::fast::RandomState::default);

impl Default for KeyIndex {
    fn default() -> Self {
        Self {
            table: hashbrown::HashTable::default(),
            text: String::new(),
            unused: 0,
            hasher: KEY_HASHER.clone(),
        }
    }
}

/// A key (its range in [`KeyIndex::text`]) and the notes answering to it.
#[derive(Debug, Clone)]
struct Entry {
    start: usize,
    end: usize,
    ids: Ids,
}

impl Entry {
    fn key<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// The notes answering to one key: nearly always one, kept in the map's
/// own slot, so that a lookup (one per link of a vault) reads no second
/// allocation (a cache miss each, in profiles of the finish).
#[derive(Debug, Clone)]
enum Ids {
    One(NoteId),
    Many(Vec<NoteId>),
}

impl Ids {
    fn as_slice(&self) -> &[NoteId] {
        match self {
            Self::One(id) => std::slice::from_ref(id),
            Self::Many(ids) => ids,
        }
    }

    fn push_new(&mut self, id: NoteId) {
        match self {
            Self::One(one) if *one != id => *self = Self::Many(vec![*one, id]),
            Self::Many(ids) if !ids.contains(&id) => ids.push(id),
            _ => {}
        }
    }

    /// Forgets `id`; whether none is left.
    fn remove(&mut self, id: NoteId) -> bool {
        match self {
            Self::One(one) => *one == id,
            Self::Many(ids) => {
                ids.retain(|i| *i != id);
                match ids[..] {
                    [] => true,
                    [one] => {
                        *self = Self::One(one);
                        false
                    }
                    _ => false,
                }
            }
        }
    }
}

/// The keys a note answers to (see [`KeyIndex::keys_of`]), hashed, and
/// kept in the value itself when they are short (nearly always): a whole
/// load computes them on the thread that parses each note, and the one
/// thread that inserts them then reads them in a row, one vector, not
/// each at an allocation of its own made on another core (a cache miss
/// each, some 0.7 µs on the machines measured: inserting 21,000 notes'
/// keys took 11 ms on one core, most of it waiting on those first bytes).
pub struct NoteKeys {
    /// The file name's key, then the title's key when it has one of its own.
    text: KeyText,
    stem_len: usize,
    has_title: bool,
    /// Their hashes by [`KeyIndex::hash`].
    hashes: [u64; 2],
}

/// Keys this long or shorter are kept in [`NoteKeys`] itself: file names'
/// keys are some forty bytes (4% of the real vault's are longer), and a
/// [`NoteKeys`] is then as large as its two strings and their heap chunks
/// were (a warm start holds every note's at once).
const INLINE_KEY_BYTES: usize = 64;

/// The text of a note's keys, one after the other.
enum KeyText {
    Inline {
        bytes: [u8; INLINE_KEY_BYTES],
        len: usize,
    },
    Heap(String),
}

impl KeyText {
    fn new(stem: &str, title: Option<&str>) -> Self {
        let len = stem.len() + title.map_or(0, str::len);
        if len > INLINE_KEY_BYTES {
            return Self::Heap([stem, title.unwrap_or_default()].concat());
        }
        let mut bytes = [0; INLINE_KEY_BYTES];
        bytes[..stem.len()].copy_from_slice(stem.as_bytes());
        bytes[stem.len()..len].copy_from_slice(title.unwrap_or_default().as_bytes());
        Self::Inline { bytes, len }
    }

    fn as_str(&self) -> &str {
        match self {
            // Whole keys copied in: valid UTF-8, checked again (a few
            // dozen bytes, in cache) rather than trusted unsafely.
            Self::Inline { bytes, len } => {
                std::str::from_utf8(bytes.get(..*len).unwrap_or_default()).unwrap_or_default()
            }
            Self::Heap(text) => text,
        }
    }
}

impl NoteKeys {
    /// The file name's key and its hash, then the title's.
    fn each(&self) -> impl Iterator<Item = (&str, u64)> {
        let text = self.text.as_str();
        let (stem, title) = text.split_at_checked(self.stem_len).unwrap_or((text, ""));
        std::iter::once((stem, self.hashes[0]))
            .chain(self.has_title.then_some((title, self.hashes[1])))
    }
}

impl KeyIndex {
    /// Registers the keys a note answers to: its file name and its title.
    pub fn insert(&mut self, id: NoteId, note: &Note) {
        self.insert_keys(id, &Self::keys_of(note));
    }

    /// The keys [`Self::insert`] registers for a note, computed apart from
    /// the index: a whole load computes them on every core, then inserts.
    #[must_use]
    pub fn keys_of(note: &Note) -> NoteKeys {
        let stem = normalize_key(note.stem());
        // A note named by its file (every note the walk announces) has
        // one key.
        let title = (note.title != note.stem())
            .then(|| normalize_key(&note.title))
            .filter(|key| *key != stem);
        let hash = |key: &str| KEY_HASHER.hash_one(key);
        NoteKeys {
            text: KeyText::new(&stem, title.as_deref()),
            stem_len: stem.len(),
            has_title: title.is_some(),
            hashes: [hash(&stem), title.as_deref().map_or(0, hash)],
        }
    }

    /// Registers keys from [`Self::keys_of`].
    pub fn insert_keys(&mut self, id: NoteId, keys: &NoteKeys) {
        for (key, hash) in keys.each() {
            self.add_hashed(key, hash, id);
        }
    }

    /// Registers the keys of notes `first`, `first + 1`, … (from
    /// [`Self::keys_of`]), in turn.
    pub fn insert_all<'k>(
        &mut self,
        first: usize,
        keys: impl ExactSizeIterator<Item = &'k NoteKeys>,
    ) {
        self.reserve(keys.len());
        for (i, keys) in keys.enumerate() {
            self.insert_keys(NoteId(u32::try_from(first + i).unwrap_or(u32::MAX)), keys);
        }
    }

    /// Room for `notes` more notes' keys.
    pub fn reserve(&mut self, notes: usize) {
        let (hasher, text) = (&self.hasher, &self.text);
        self.table
            .reserve(notes, |entry| hasher.hash_one(entry.key(text)));
        // File names' keys are some twenty bytes.
        self.text.reserve(notes.saturating_mul(24));
    }

    /// Registers a note known by its file name alone (as the walk announces
    /// it, titled by that name): its one key, as [`Self::insert`] gives it.
    pub fn insert_file_name(&mut self, id: NoteId, stem: &str) {
        let key = normalize_key(stem);
        self.add_hashed(&key, self.hash(&key), id);
    }

    /// Forgets the keys a note answered to (before its title changes).
    pub fn remove(&mut self, id: NoteId, note: &Note) {
        for key in [normalize_key(note.stem()), normalize_key(&note.title)] {
            let hash = self.hash(&key);
            let text = &self.text;
            if let Ok(mut entry) = self.table.find_entry(hash, |e| e.key(text) == key)
                && entry.get_mut().ids.remove(id)
            {
                let (entry, _) = entry.remove();
                self.unused += entry.end - entry.start;
            }
        }
        if self.unused > self.text.len() / 2 {
            self.compact();
        }
    }

    /// Drops the bytes of keys forgotten: a vault updated for long keeps
    /// its text at most about twice the keys it has.
    fn compact(&mut self) {
        let mut text = String::with_capacity(self.text.len() - self.unused);
        for entry in self.table.iter_mut() {
            let start = text.len();
            text.push_str(entry.key(&self.text));
            (entry.start, entry.end) = (start, text.len());
        }
        self.text = text;
        self.unused = 0;
    }

    /// Registers `key`, whose hash is `hash`, for note `id`.
    fn add_hashed(&mut self, key: &str, hash: u64, id: NoteId) {
        if key.is_empty() {
            return;
        }
        let (hasher, text) = (&self.hasher, &self.text);
        match self.table.entry(
            hash,
            |e| e.key(text) == key,
            |e| hasher.hash_one(e.key(text)),
        ) {
            hashbrown::hash_table::Entry::Occupied(mut entry) => entry.get_mut().ids.push_new(id),
            hashbrown::hash_table::Entry::Vacant(entry) => {
                let start = self.text.len();
                entry.insert(Entry {
                    start,
                    end: start + key.len(),
                    ids: Ids::One(id),
                });
                self.text.push_str(key);
            }
        }
    }

    /// Every note that answers to a key.
    #[must_use]
    pub fn candidates(&self, key: &str) -> &[NoteId] {
        self.candidates_hashed(self.hash(key), key)
    }

    /// The hash of a key, for [`Self::candidates_hashed`] (the same for
    /// the same key as long as this index lives, clones included).
    #[must_use]
    pub fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }

    /// [`Self::candidates`] of a key hashed by [`Self::hash`].
    #[must_use]
    pub fn candidates_hashed(&self, hash: u64, key: &str) -> &[NoteId] {
        self.table
            .find(hash, |e| e.key(&self.text) == key)
            .map_or(&[], |e| e.ids.as_slice())
    }
}

/// Picks one note among candidates by the documented tie-break. `paths`
/// gives the path of a note id; `from_folder` is the linking note's folder.
#[must_use]
pub fn pick<'a>(
    candidates: &[NoteId],
    from_folder: Option<&str>,
    path_of: impl Fn(NoteId) -> &'a str,
) -> Option<NoteId> {
    candidates.iter().copied().min_by(|&a, &b| {
        let (pa, pb) = (path_of(a), path_of(b));
        let same_folder = |p: &str| from_folder != Some(super::note::folder_in(p));
        (same_folder(pa), pa.len(), pa).cmp(&(same_folder(pb), pb.len(), pb))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tie_break_prefers_own_folder_then_short_path_then_path_order() {
        let paths = ["b/long/x.md", "a/x.md", "c/x.md", "z.md"];
        let path_of = |id: NoteId| paths[id.index()];
        let all = [NoteId(0), NoteId(1), NoteId(2)];
        assert_eq!(pick(&all, Some("c"), path_of), Some(NoteId(2)));
        assert_eq!(pick(&all, Some("elsewhere"), path_of), Some(NoteId(1)));
        assert_eq!(pick(&all, None, path_of), Some(NoteId(1)));
        assert_eq!(
            pick(&[NoteId(2), NoteId(1)], None, path_of),
            Some(NoteId(1))
        );
        assert_eq!(
            pick(&[NoteId(0), NoteId(3)], Some("b/long"), path_of),
            Some(NoteId(0))
        );
        assert_eq!(pick(&[], None, path_of), None);
    }

    #[test]
    fn keys_inserted_at_once_are_found_as_keys_inserted_one_by_one() {
        let long = "A title longer than any key kept inline, ".repeat(4);
        let titles = ["Shared", "", "Été à Paris", long.as_str(), "shared", "n3"];
        let notes: Vec<Note> = titles
            .iter()
            .enumerate()
            .map(|(i, title)| {
                let mut note = Note::empty(&format!("f/n{i}.md"));
                if !title.is_empty() {
                    (*title).clone_into(&mut note.title);
                }
                note
            })
            .collect();
        let keys: Vec<NoteKeys> = notes.iter().map(KeyIndex::keys_of).collect();
        assert!(matches!(keys[3].text, KeyText::Heap(_)), "kept on the heap");
        assert!(
            matches!(keys[2].text, KeyText::Inline { .. }),
            "kept inline"
        );
        let mut at_once = KeyIndex::default();
        at_once.insert_all(0, keys.iter());
        let mut one_by_one = KeyIndex::default();
        for (i, note) in notes.iter().enumerate() {
            one_by_one.insert(NoteId(i as u32), note);
        }
        let (long_key, accented) = (normalize_key(&long), normalize_key("Été à Paris"));
        let names = [
            "shared", &accented, &long_key, "n0", "n1", "n3", "n5", "none",
        ];
        for key in names {
            assert_eq!(at_once.candidates(key), one_by_one.candidates(key), "{key}");
        }
        assert_eq!(at_once.candidates("shared"), &[NoteId(0), NoteId(4)]);
        assert_eq!(at_once.candidates("n3"), &[NoteId(3), NoteId(5)]);
        assert_eq!(at_once.candidates(&long_key), &[NoteId(3)]);
    }

    #[test]
    fn keys_forgotten_and_added_again_keep_every_other_key_found() {
        let note = |i: usize| {
            let mut note = Note::empty(&format!("f{}/n{i}.md", i % 2));
            note.title = format!("Title {}", i / 2);
            note
        };
        let mut index = KeyIndex::default();
        for i in 0..400 {
            index.insert(NoteId(i as u32), &note(i));
        }
        // Forgetting most notes compacts the keys' text, more than once.
        for i in (0..400).filter(|i| i % 10 != 0) {
            index.remove(NoteId(i as u32), &note(i));
        }
        assert!(index.text.len() < 2 * (40 * 2 * 8), "{}", index.text.len());
        for i in 0..400 {
            let kept = i % 10 == 0;
            let expected: &[NoteId] = if kept { &[NoteId(i as u32)] } else { &[] };
            assert_eq!(index.candidates(&format!("n{i}")), expected);
        }
        // Titles are shared by two notes: both, then the one kept.
        assert_eq!(index.candidates("title_0"), &[NoteId(0)]);
        index.insert(NoteId(1), &note(1));
        assert_eq!(index.candidates("title_0"), &[NoteId(0), NoteId(1)]);
        assert_eq!(index.candidates("n1"), &[NoteId(1)]);
        assert_eq!(index.candidates("title_1"), &[] as &[NoteId]);
    }
}
