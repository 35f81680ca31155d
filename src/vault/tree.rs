//! The note tree the outline shows: folders first, then notes sorted by
//! title (case-insensitive). A channel index note (a note named after its
//! folder that lists videos) gives its folder the channel's order instead:
//! the index note, then each video with the notes it lists, then the rest.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{
    NoteId, Vault,
    key::{has_key, key_of},
    resolve::{KeyMap, KeySet, Resolution},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeNode {
    Folder {
        name: String,
        path: String,
        children: Vec<TreeNode>,
    },
    /// A video of a channel index note, with the notes it lists.
    Video {
        title: String,
        url: Option<String>,
        children: Vec<TreeNode>,
    },
    Note(NoteId),
}

/// The vault's first folder level, listed before the walk (well under a
/// millisecond against the walk's tens): the outline shows it at its
/// first frame, and the walk's tree replaces it. In the tree's order:
/// folders by name ignoring case, then the root's notes by file name
/// (their title until the title pass) ignoring case, then by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstLevel {
    /// Folder names (each is its own path).
    pub folders: Vec<String>,
    /// Note paths (file names: they are at the root).
    pub notes: Vec<String>,
}

impl FirstLevel {
    /// Sorts what a listing found as the tree orders it.
    #[must_use]
    pub fn sorted(mut folders: Vec<String>, mut notes: Vec<String>) -> Self {
        folders.sort_by_cached_key(|name| (name.to_lowercase(), name.clone()));
        notes.sort_by_cached_key(|path| (super::note::stem_in(path).to_lowercase(), path.clone()));
        Self { folders, notes }
    }
}

#[derive(Default)]
struct FolderContent {
    folders: BTreeMap<String, String>,
    notes: Vec<NoteId>,
}

#[must_use]
pub fn build(vault: &Vault) -> Vec<TreeNode> {
    build_with(vault, &NoteOrder::of(vault))
}

/// [`build`] with what it reads of each note gathered already.
pub(super) fn build_with(vault: &Vault, order: &NoteOrder) -> Vec<TreeNode> {
    // The notes of each folder first, by borrowed name: a folder is
    // registered once, not once per note, and its name read only where
    // it changes (in path order, notes of a folder mostly follow each
    // other; reading every note's path was a cache miss each).
    let mut groups: Vec<(&str, Vec<NoteId>)> = Vec::new();
    let mut by_folder: KeyMap<&str, usize> = KeyMap::default();
    let mut current = 0;
    for (id, key) in vault.ids().zip(&order.keys) {
        if groups.is_empty() || !key.same_folder_as_previous {
            let folder = vault.note(id).folder();
            current = *by_folder.entry(folder).or_insert_with(|| {
                groups.push((folder, Vec::new()));
                groups.len() - 1
            });
        }
        if !vault.is_removed(id) {
            groups[current].1.push(id);
        }
    }
    let mut folders: BTreeMap<String, FolderContent> = BTreeMap::new();
    folders.entry(String::new()).or_default();
    for (folder, notes) in groups.into_iter().filter(|(_, notes)| !notes.is_empty()) {
        register_folder(&mut folders, folder);
        folders.entry(folder.to_owned()).or_default().notes = notes;
    }
    build_folder(vault, order, &folders, "")
}

/// What the tree and the channels' order read of every note, gathered on
/// every core in one pass: each title and path is its own allocation, a
/// cache miss each, read once here rather than at each use.
pub(crate) struct NoteOrder {
    keys: Vec<OrderKey>,
}

/// What [`NoteOrder`] reads of one note.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(crate) struct OrderKey {
    /// [`title_prefix`] of an ASCII title (zeros for another).
    prefix: [u8; PREFIX],
    ascii: bool,
    /// The note before it (by id) is in the same folder.
    same_folder_as_previous: bool,
    /// The note's file name has its folder's key: it may be the folder's
    /// channel index note (see [`channel_order`]).
    named_after_folder: bool,
}

impl NoteOrder {
    pub(super) fn of(vault: &Vault) -> Self {
        let notes = &vault.notes;
        let keys = (0..notes.len())
            .into_par_iter()
            .map(|i| {
                OrderKey::of(
                    &notes[i],
                    i.checked_sub(1).map(|before| &*notes[before].path),
                )
            })
            .collect();
        Self { keys }
    }

    /// The order of notes whose keys ([`OrderKey::of`]) are `keys`, by id.
    pub(crate) fn from_keys(keys: Vec<OrderKey>) -> Self {
        Self { keys }
    }

    /// Whether this is the order of `notes` notes.
    pub(super) fn fits(&self, notes: usize) -> bool {
        self.keys.len() == notes
    }
}

impl OrderKey {
    /// The key of `note`, whose id follows the note at `previous_path`
    /// (`None` for the first). A load computes it on the thread that
    /// parses the note, while its title and path are in that core's cache
    /// (read again by the finish, on another core, each was a cache miss).
    pub(crate) fn of(note: &crate::vault::Note, previous_path: Option<&str>) -> Self {
        let ascii = note.title.is_ascii();
        Self {
            prefix: if ascii {
                title_prefix(&note.title)
            } else {
                [0; PREFIX]
            },
            ascii,
            same_folder_as_previous: previous_path
                .is_some_and(|path| crate::vault::note::folder_in(path) == note.folder()),
            named_after_folder: named_after_folder(note),
        }
    }
}

/// Whether a note's file name has the key of its folder's name (never at
/// the root, nor for a folder whose name has no key).
fn named_after_folder(note: &crate::vault::Note) -> bool {
    let folder = note.folder();
    let folder_key = key_of(folder.rsplit('/').next().unwrap_or(folder));
    !folder_key.is_empty() && has_key(note.stem(), &folder_key)
}

/// Makes sure a folder and all its ancestors are known to their parents.
fn register_folder(folders: &mut BTreeMap<String, FolderContent>, folder: &str) {
    let mut path = folder.to_owned();
    while !path.is_empty() {
        let (parent, name) = path
            .rsplit_once('/')
            .map_or(("", path.as_str()), |(p, n)| (p, n));
        let (parent, name) = (parent.to_owned(), name.to_owned());
        let entry = folders.entry(parent.clone()).or_default();
        if entry
            .folders
            .insert(name.to_lowercase() + "\0" + &name, path.clone())
            .is_some()
        {
            return;
        }
        folders.entry(path.clone()).or_default();
        path = parent;
    }
}

fn build_folder(
    vault: &Vault,
    order: &NoteOrder,
    folders: &BTreeMap<String, FolderContent>,
    path: &str,
) -> Vec<TreeNode> {
    let Some(content) = folders.get(path) else {
        return Vec::new();
    };
    let mut children: Vec<TreeNode> = content
        .folders
        .values()
        .map(|child| TreeNode::Folder {
            name: child.rsplit('/').next().unwrap_or(child).to_owned(),
            path: child.clone(),
            children: build_folder(vault, order, folders, child),
        })
        .collect();
    let mut notes = content.notes.clone();
    sort_by_title(vault, order, &mut notes);
    let index = notes.iter().copied().find(|&id| {
        order
            .keys
            .get(id.index())
            .is_some_and(|key| key.named_after_folder)
    });
    match index {
        Some(index) => children.extend(channel_order(vault, index, &notes)),
        None => children.extend(notes.into_iter().map(TreeNode::Note)),
    }
    children
}

/// By title ignoring case, then by path. ASCII titles (nearly all) are
/// ordered by the first [`PREFIX`] bytes of each, lowercased, read once per
/// note ([`NoteOrder`]) into a key beside its id (each title is its own allocation: read
/// at every comparison, it was a cache miss each), and compared whole only
/// when those are equal; a folder already in order (the walk's file names
/// often are) is left as it is. Others get their lowercased copy.
pub(super) fn sort_by_title(vault: &Vault, order: &NoteOrder, notes: &mut [NoteId]) {
    let key = |id: NoteId| order.keys.get(id.index());
    if notes.iter().all(|&id| key(id).is_some_and(|key| key.ascii)) {
        let mut keyed: Vec<([u8; PREFIX], NoteId)> = notes
            .iter()
            .map(|&id| (key(id).map_or([0; PREFIX], |key| key.prefix), id))
            .collect();
        // Zero-padded prefixes that differ order their titles as the whole
        // titles do (a shorter title, padded, is before a longer one).
        let order = |(pa, a): &([u8; PREFIX], NoteId), (pb, b): &([u8; PREFIX], NoteId)| {
            pa.cmp(pb).then_with(|| {
                let (a, b) = (vault.note(*a), vault.note(*b));
                ascii_lowercase(&a.title)
                    .cmp(ascii_lowercase(&b.title))
                    .then_with(|| a.path.cmp(&b.path))
            })
        };
        if !keyed.is_sorted_by(|a, b| order(a, b).is_le()) {
            keyed.sort_by(order);
            for (slot, (_, id)) in notes.iter_mut().zip(keyed) {
                *slot = id;
            }
        }
        return;
    }
    notes.sort_by_cached_key(|&id| {
        let note = vault.note(id);
        (note.title.to_lowercase(), note.path.as_str())
    });
}

/// How many bytes of a title [`sort_by_title`] keeps beside each note.
const PREFIX: usize = 24;

/// The first [`PREFIX`] bytes of an ASCII title, lowercased, zero-padded.
fn title_prefix(title: &str) -> [u8; PREFIX] {
    let mut prefix = [0; PREFIX];
    for (slot, b) in prefix.iter_mut().zip(title.bytes()) {
        *slot = b.to_ascii_lowercase();
    }
    prefix
}

fn ascii_lowercase(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes().map(|b| b.to_ascii_lowercase())
}

/// The folder in the order its channel index note gives.
fn channel_order(vault: &Vault, index: NoteId, notes: &[NoteId]) -> Vec<TreeNode> {
    let index_note = vault.note(index);
    let in_folder: KeySet<NoteId> = notes.iter().copied().collect();
    let mut placed: KeySet<NoteId> =
        KeySet::with_capacity_and_hasher(notes.len(), Default::default());
    placed.insert(index);
    let mut out = vec![TreeNode::Note(index)];
    let under = LinksUnder::new(index_note);
    // The first markdown link of each line: a video heading's URL.
    let mut url_of_line: KeyMap<u32, usize> = KeyMap::default();
    for (i, link) in index_note.markdown_links.iter().enumerate() {
        url_of_line.entry(link.line).or_insert(i);
    }
    for (h, heading) in index_note.headings.iter().enumerate() {
        let next_line = index_note.headings.get(h + 1).map_or(u32::MAX, |n| n.line);
        let url = url_of_line
            .get(&heading.line)
            .and_then(|&i| index_note.markdown_links.get(i))
            .map(|link| link.url().to_owned());
        let links = under.lines(heading.line, next_line);
        // At most one child a link (nearly always exactly): sized once.
        let mut children = Vec::with_capacity(links.len());
        for link in links {
            if let Resolution::Note { note, .. } = index_note.links[link].resolution()
                && in_folder.contains(&note)
                && placed.insert(note)
            {
                children.push(TreeNode::Note(note));
            }
        }
        if !children.is_empty() {
            out.push(TreeNode::Video {
                title: heading.text().to_owned(),
                url,
                children,
            });
        }
    }
    out.extend(
        notes
            .iter()
            .copied()
            .filter(|id| !placed.contains(id))
            .map(TreeNode::Note),
    );
    out
}

/// A note's links by the lines between two of its headings, in the
/// note's order: its links sorted by line once, each range found by a
/// binary search (looking through all of them at each heading was
/// headings × links, and an index note of a large channel has thousands
/// of both). Headings are in line order, so the ranges are apart.
struct LinksUnder {
    /// (line, index) of every link, in that order.
    by_line: Vec<(u32, usize)>,
}

impl LinksUnder {
    fn new(note: &super::Note) -> Self {
        let mut by_line: Vec<(u32, usize)> = note
            .links
            .iter()
            .enumerate()
            .map(|(i, link)| (link.line, i))
            .collect();
        by_line.sort_unstable();
        Self { by_line }
    }

    /// The indexes of the links after line `after` and before `before`.
    fn lines(&self, after: u32, before: u32) -> Vec<usize> {
        let start = self.by_line.partition_point(|&(line, _)| line <= after);
        let end = start + self.by_line[start..].partition_point(|&(line, _)| line < before);
        let mut links: Vec<usize> = self.by_line[start..end].iter().map(|&(_, i)| i).collect();
        links.sort_unstable();
        links
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{Note, loader::parse_note};

    fn vault(files: &[(&str, &str)]) -> Vault {
        let mut vault = Vault::new("v");
        for (path, text) in files {
            vault.add(parse_note(path, text.as_bytes()));
        }
        vault.finish();
        vault
    }

    #[test]
    fn order_keys_made_note_by_note_are_the_vaults() {
        let vault = vault(&[
            (
                "a/x.md",
                "# Zebra crossing, a title longer than the prefix\n",
            ),
            ("a/y.md", "# Été\n"),
            ("b.md", "# b\n"),
            ("b/a.md", "# B\n"),
            ("b/c/d.md", "# d\n"),
            ("b/e.md", "# e\n"),
        ]);
        let notes = &vault.notes;
        let one_by_one: Vec<OrderKey> = notes
            .iter()
            .enumerate()
            .map(|(i, note)| OrderKey::of(note, i.checked_sub(1).map(|p| notes[p].path.as_str())))
            .collect();
        let same_folder: Vec<bool> = one_by_one
            .iter()
            .map(|key| key.same_folder_as_previous)
            .collect();
        assert_eq!(same_folder, [false, true, false, false, false, false]);
        assert!(!one_by_one[1].ascii);
        assert_eq!(
            NoteOrder::from_keys(one_by_one).keys,
            NoteOrder::of(&vault).keys
        );
    }

    fn titles(vault: &Vault, nodes: &[TreeNode]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match n {
                TreeNode::Folder { name, children, .. } => {
                    format!("{name}/[{}]", titles(vault, children).join(","))
                }
                TreeNode::Video {
                    title, children, ..
                } => format!("▶{title}[{}]", titles(vault, children).join(",")),
                TreeNode::Note(id) => vault.note(*id).title.clone(),
            })
            .collect()
    }

    #[test]
    fn folders_first_then_notes_by_title_ignoring_case() {
        let v = vault(&[
            ("b.md", "---\ntitle: beta\n---\n"),
            ("a.md", "---\ntitle: Zulu\n---\n"),
            ("sub/deep/x.md", "---\ntitle: X\n---\n"),
            ("c.md", "---\ntitle: Alpha\n---\n"),
        ]);
        assert_eq!(
            titles(&v, &v.tree),
            vec!["sub/[deep/[X]]", "Alpha", "beta", "Zulu"]
        );
    }

    #[test]
    fn a_folder_whose_notes_do_not_follow_each_other_is_one_folder() {
        let note = |title: &str| format!("---\ntitle: {title}\n---\n");
        let (one, two, three, four, five) = (note("1"), note("2"), note("3"), note("4"), note("5"));
        let mut v = vault(&[
            ("a/1.md", one.as_str()),
            ("b/2.md", two.as_str()),
            ("a/3.md", three.as_str()),
            ("a/b/4.md", four.as_str()),
            ("a/5.md", five.as_str()),
        ]);
        assert_eq!(titles(&v, &v.tree), vec!["a/[b/[4],1,3,5]", "b/[2]"]);
        // A folder whose notes are all gone is no folder.
        let b = v.id_of_path("b/2.md").unwrap();
        v.remove_note(b);
        assert_eq!(titles(&v, &v.tree), vec!["a/[b/[4],1,3,5]"]);
    }

    #[test]
    fn links_under_a_heading_are_the_ones_between_its_lines_in_note_order() {
        let mut note = Note::empty("i.md");
        for line in [5, 3, 7, 3, 9, 8] {
            note.links
                .add(|l| l.push("x", None, None, false, line, 0..1));
        }
        let under = LinksUnder::new(&note);
        assert_eq!(under.lines(2, 8), vec![0, 1, 2, 3]);
        assert_eq!(under.lines(3, 8), vec![0, 2]);
        assert_eq!(under.lines(8, u32::MAX), vec![4]);
        assert_eq!(under.lines(9, 3), Vec::<usize>::new());
    }

    #[test]
    fn channel_index_orders_its_folder() {
        let index = "---\ntitle: chan\n---\n### [Second video](https://www.youtube.com/watch?v=bbbbbbbbbbb)\n- [[z_note]]\n### [First](https://www.youtube.com/watch?v=aaaaaaaaaaa)\n- [[a_note]]\n- [[missing]]\n";
        let v = vault(&[
            ("chan/chan.md", index),
            ("chan/a_note.md", "---\ntitle: A note\n---\n"),
            ("chan/z_note.md", "---\ntitle: Z note\n---\n"),
            ("chan/loose.md", "---\ntitle: Loose\n---\n"),
        ]);
        assert_eq!(
            titles(&v, &v.tree),
            vec!["chan/[chan,▶Second video[Z note],▶First[A note],Loose]"]
        );
        let TreeNode::Folder { children, .. } = &v.tree[0] else {
            panic!("folder expected")
        };
        let TreeNode::Video { url, .. } = &children[1] else {
            panic!("video expected")
        };
        assert_eq!(
            url.as_deref(),
            Some("https://www.youtube.com/watch?v=bbbbbbbbbbb")
        );
    }

    #[test]
    fn ascii_titles_sort_as_their_lowercased_copies_would() {
        let titles = [
            "B",
            "a",
            "a-b",
            "a_b",
            "A",
            "a.b",
            "Zulu",
            "zulu",
            "10",
            "9",
            "a b",
            "",
            "[x]",
            "~",
            // Past the kept prefix, and zero bytes against its padding.
            "a\0",
            "a\0b",
            "A long title sharing its first bytes X",
            "a long title sharing its first bytes y",
            "a long title sharing its first byte",
            "a long title sharing its",
            "a long title sharing it",
        ];
        let mut vault = Vault::new("v");
        // Each title twice, under two paths (ties go by path).
        for (i, title) in titles.iter().chain(&titles).enumerate() {
            let mut note = Note::empty(&format!("{:02}/{}.md", (i * 7) % 13, title));
            note.title = (*title).to_owned();
            vault.add(note);
        }
        let mut expected: Vec<NoteId> = vault.ids().collect();
        expected.sort_by_cached_key(|&id| {
            let note = vault.note(id);
            (note.title.to_lowercase(), note.path.clone())
        });
        let ids: Vec<NoteId> = vault.ids().collect();
        let reversed: Vec<NoteId> = ids.iter().rev().copied().collect();
        for start in [ids, reversed, expected.clone()] {
            let mut ids = start;
            sort_by_title(&vault, &NoteOrder::of(&vault), &mut ids);
            assert_eq!(ids, expected);
        }
    }
}
