//! The resolved section written part by part straight to its file: from a
//! [`Snapshot`], or from the finished vault itself ([`VaultParts`]), with
//! the bytes [`Snapshot::encode`] makes. Encoded whole, the section (each
//! note's part in its own buffer, then all of them again in one) sat
//! beside the snapshot and the vault: with the snapshot's copy of every
//! backlink and resolution, 145 MB of a 100,000-note cold `check`'s peak.
//!
//! The section is postcard's `(channels, rest, per_note)`, each a byte
//! string (its length, then its bytes): written field after field it is
//! the same bytes as the whole encoded at once.

use std::io::Write;

use serde::{Serialize, Serializer, ser::SerializeTuple};

use super::{
    super::write::{Counted, encode_into},
    PackedSaved, SavedBacklinks, Snapshot,
    capture::saved as saved_resolution,
    entry_positions, u32_of,
};
use crate::vault::{Backlink, NoteId, Vault, note::LinkRecord, tree::TreeNode};

/// What a resolved section is written from: its three parts, the notes'
/// one at a time.
pub trait SectionParts {
    /// How many notes it speaks of.
    fn notes(&self) -> usize;
    /// Writes the channels (with the count of notes) as a byte string
    /// (see [`put_streamed`]).
    fn write_channels(&self, out: &mut dyn Write) -> std::io::Result<()>;
    /// Writes the topics without a note and the tree as a byte string.
    fn write_rest(&self, out: &mut dyn Write) -> std::io::Result<()>;
    /// Note `i`'s part (its links' resolutions and its backlinks), encoded
    /// into `out` (emptied first).
    fn note_part(&self, i: usize, out: &mut Vec<u8>) -> postcard::Result<()>;
}

impl<T: SectionParts + ?Sized> SectionParts for &T {
    fn notes(&self) -> usize {
        (**self).notes()
    }

    fn write_channels(&self, out: &mut dyn Write) -> std::io::Result<()> {
        (**self).write_channels(out)
    }

    fn write_rest(&self, out: &mut dyn Write) -> std::io::Result<()> {
        (**self).write_rest(out)
    }

    fn note_part(&self, i: usize, out: &mut Vec<u8>) -> postcard::Result<()> {
        (**self).note_part(i, out)
    }
}

/// Writes the resolved section of `parts` to `out`, a note's part at a time.
pub fn write_section<W: Write>(parts: &dyn SectionParts, out: &mut W) -> std::io::Result<()> {
    let fail = |_| std::io::Error::other("the resolved index does not encode");
    // Each byte string as its length, then its bytes.
    let mut length = Vec::new();
    let mut put = |out: &mut W, bytes: &[u8]| -> std::io::Result<()> {
        encode_into(&bytes.len(), &mut length).map_err(fail)?;
        out.write_all(&length)?;
        out.write_all(bytes)
    };
    parts.write_channels(out)?;
    parts.write_rest(out)?;
    // The list of parts: its length (as a byte string's is written), then each.
    let mut part = Vec::new();
    encode_into(&parts.notes(), &mut part).map_err(fail)?;
    out.write_all(&part)?;
    for i in 0..parts.notes() {
        parts.note_part(i, &mut part).map_err(fail)?;
        put(out, &part)?;
    }
    Ok(())
}

/// Writes `value` encoded, as a byte string: its length (measured by
/// encoding it once without keeping it), then its bytes written as they
/// are made. The topics without a note are tens of MB at 100,000 notes:
/// encoded into a buffer first, it grew by doubling at the save's peak.
fn put_streamed(value: &impl Serialize, out: &mut dyn Write) -> std::io::Result<()> {
    let fail = |_| std::io::Error::other("the resolved index does not encode");
    let len = postcard::serialize_with_flavor(value, postcard::ser_flavors::Size::default())
        .map_err(fail)?;
    let mut length = Vec::new();
    encode_into(&len, &mut length).map_err(fail)?;
    out.write_all(&length)?;
    let mut counted = Counted::new(out);
    postcard::to_io(value, &mut counted).map_err(fail)?;
    if counted.len != len as u64 {
        return Err(std::io::Error::other(
            "the resolved index changed as it was written",
        ));
    }
    Ok(())
}

impl SectionParts for Snapshot {
    fn notes(&self) -> usize {
        self.backlinks.len()
    }

    fn write_channels(&self, out: &mut dyn Write) -> std::io::Result<()> {
        put_streamed(&(self.notes, &self.channels), out)
    }

    fn write_rest(&self, out: &mut dyn Write) -> std::io::Result<()> {
        put_streamed(&(&self.wanted, &self.tree), out)
    }

    fn note_part(&self, i: usize, out: &mut Vec<u8>) -> postcard::Result<()> {
        if i >= self.resolutions.notes() {
            return Err(postcard::Error::SerdeSerCustom);
        }
        let mine = self.resolutions.of_note(i);
        encode_into(&(mine, SavedBacklinks(&self.backlinks[i])), out)
    }
}

/// The resolved section of a finished vault read from the vault itself,
/// nothing of it copied: what a [`Snapshot`] of it would write.
pub struct VaultParts<'a> {
    vault: &'a Vault,
    /// `order[i]` is the id of the note of entry `i`.
    order: Vec<NoteId>,
    /// Vault id to entry position.
    entry_of: Vec<u32>,
}

impl<'a> VaultParts<'a> {
    /// The notes of `vault` in its own order (note `i` is entry `i`);
    /// `None` when it is not finished.
    #[must_use]
    pub fn of(vault: &'a Vault) -> Option<Self> {
        Self::ordered(vault, vault.ids().collect())
    }

    /// The notes of `vault` by entry: `order[i]` is the id of the note of
    /// entry `i`, every note once. `None` when the vault is not finished
    /// or `order` is not every note once (as [`Snapshot::of_ordered`]).
    #[must_use]
    pub fn ordered(vault: &'a Vault, order: Vec<NoteId>) -> Option<Self> {
        let entry_of = entry_positions(vault, &order)?;
        Some(Self {
            vault,
            order,
            entry_of,
        })
    }

    fn at(&self) -> At<'_> {
        At(&self.entry_of)
    }
}

/// Vault ids to entry positions.
#[derive(Clone, Copy)]
struct At<'a>(&'a [u32]);

impl At<'_> {
    fn of(self, id: NoteId) -> u32 {
        self.0[id.index()]
    }
}

impl SectionParts for VaultParts<'_> {
    fn notes(&self) -> usize {
        self.order.len()
    }

    fn write_channels(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let at = self.at();
        let channels = Seq(|| {
            self.vault.channels.iter().map(move |c| {
                (
                    c.name.as_str(),
                    c.key.as_str(),
                    Seq(move || c.notes.iter().map(move |&id| at.of(id))),
                    c.index_note.map(|id| at.of(id)),
                )
            })
        });
        put_streamed(&(u32_of(self.vault.notes.len()), channels), out)
    }

    fn write_rest(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let wanted = Seq(|| {
            self.vault.wanted.iter().map(|w| {
                (
                    w.key.as_str(),
                    w.target.as_str(),
                    u32_of(w.links),
                    u32_of(w.notes),
                )
            })
        });
        let tree = Tree(&self.vault.tree, self.at());
        put_streamed(&(wanted, tree), out)
    }

    fn note_part(&self, i: usize, out: &mut Vec<u8>) -> postcard::Result<()> {
        let id = self.order[i];
        let part = NotePart {
            links: self.vault.note(id).links.records(),
            backlinks: self.vault.backlinks(id),
            at: self.at(),
        };
        encode_into(&part, out)
    }
}

/// A sequence written from the items its function gives (each time anew).
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A note's part as a snapshot's `(resolutions, backlinks)` writes it.
struct NotePart<'a> {
    links: &'a [LinkRecord],
    backlinks: &'a [Backlink],
    at: At<'a>,
}

impl Serialize for NotePart<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let at = self.at;
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(&Seq(|| {
            self.links
                .iter()
                .map(|l| PackedSaved::from(saved_resolution(l.resolution(), &|id| at.of(id))))
        }))?;
        tuple.serialize_element(&Seq(|| {
            self.backlinks
                .iter()
                .map(|b| (at.of(b.source), b.link, b.line))
        }))?;
        tuple.end()
    }
}

/// The tree's nodes as a snapshot's `SavedTree` list writes them.
struct Tree<'a>(&'a [TreeNode], At<'a>);

impl Serialize for Tree<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|node| Node(node, self.1)))
    }
}

struct Node<'a>(&'a TreeNode, At<'a>);

/// A tree node as `SavedTree` is written (the same name, variants and
/// fields, in the same order), borrowing the vault's.
#[derive(Serialize)]
#[serde(rename = "SavedTree")]
enum SavedNode<'a> {
    Folder {
        name: &'a str,
        path: &'a str,
        children: Tree<'a>,
    },
    Video {
        title: &'a str,
        url: Option<&'a str>,
        children: Tree<'a>,
    },
    Note(u32),
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let at = self.1;
        match self.0 {
            TreeNode::Folder {
                name,
                path,
                children,
            } => SavedNode::Folder {
                name,
                path,
                children: Tree(children, at),
            },
            TreeNode::Video {
                title,
                url,
                children,
            } => SavedNode::Video {
                title,
                url: url.as_deref(),
                children: Tree(children, at),
            },
            TreeNode::Note(id) => SavedNode::Note(at.of(*id)),
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::{super::Bytes, *};
    use crate::vault::{TimeOptions, load_timed};

    /// The section as it was encoded whole: each note's part in its own
    /// buffer, then the three fields in one (what the file format is).
    fn encoded_whole(snapshot: &Snapshot) -> Vec<u8> {
        #[derive(Serialize)]
        struct SectionOut<'a> {
            channels: Bytes<'a>,
            rest: Bytes<'a>,
            per_note: Vec<Bytes<'a>>,
        }
        let channels = postcard::to_stdvec(&(snapshot.notes, &snapshot.channels)).unwrap();
        let rest = postcard::to_stdvec(&(&snapshot.wanted, &snapshot.tree)).unwrap();
        let per_note: Vec<Vec<u8>> = (0..snapshot.backlinks.len())
            .map(|i| {
                let mine = snapshot.resolutions.of_note(i);
                postcard::to_stdvec(&(mine, SavedBacklinks(&snapshot.backlinks[i]))).unwrap()
            })
            .collect();
        postcard::to_stdvec(&SectionOut {
            channels: Bytes(&channels),
            rest: Bytes(&rest),
            per_note: per_note.iter().map(|b| Bytes(b)).collect(),
        })
        .unwrap()
    }

    /// A vault with all a resolved section holds: channels (one with an
    /// index note), links to notes, headings and topics without a note,
    /// ambiguous ones, backlinks and a tree of folders.
    fn finished_vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().expect("vault dir");
        let root = dir.path();
        fs::create_dir_all(root.join("talks/more")).expect("folders");
        let note = |path: &str, title: &str, body: &str| {
            let text =
                format!("---\ntitle: {title}\nvideoId: HrwPuLTdHag\n---\n\n# {title}\n\n{body}\n");
            fs::write(root.join(path), text).expect("write note");
        };
        note(
            "a.md",
            "Alpha",
            "From: [[Chan]]\n\n## Part\n\nSee [[Beta#Part|b]], [[Nowhere]] and [[Twin]].",
        );
        note(
            "talks/b.md",
            "Beta",
            "From: [[Chan]]\n\n## Part\n\n[[Alpha#Part]] [[Chan]] [[Missing topic]]",
        );
        note("talks/more/twin.md", "Twin", "From: [[Other]]\n\n[[Alpha]]");
        note("twin.md", "Twin", "[[Nowhere]] [[talks/b]]");
        note("Chan.md", "Chan", "The channel's own note. [[Alpha]]");
        // A channel's folder in its index note's order: videos (one with
        // a link, one without) and the notes they list.
        fs::create_dir(root.join("chan")).expect("folder");
        note(
            "chan/chan.md",
            "chan",
            "### [Second](https://www.youtube.com/watch?v=bbbbbbbbbbb)\n- [[z_note]]\n### First\n- [[a_note]]",
        );
        note("chan/a_note.md", "A note", "");
        note("chan/z_note.md", "Z note", "");
        let (vault, _) = load_timed(root, TimeOptions::default()).expect("loads");
        (dir, vault)
    }

    fn written(parts: &dyn SectionParts) -> Vec<u8> {
        let mut out = Vec::new();
        write_section(parts, &mut out).expect("writes");
        out
    }

    #[test]
    fn a_vault_written_part_by_part_is_the_snapshot_encoded_whole() {
        let (_dir, vault) = finished_vault();
        assert!(!vault.channels.is_empty() && !vault.wanted.is_empty());
        assert!(vault.ids().any(|id| !vault.backlinks(id).is_empty()));
        let videos = |nodes: &[TreeNode]| -> Vec<Option<String>> {
            let mut urls = Vec::new();
            for node in nodes {
                if let TreeNode::Folder { children, .. } = node {
                    for child in children {
                        if let TreeNode::Video { url, .. } = child {
                            urls.push(url.clone());
                        }
                    }
                }
            }
            urls
        };
        let urls = videos(&vault.tree);
        assert!(urls.iter().any(Option::is_some) && urls.iter().any(Option::is_none));
        let snapshot = Snapshot::of(&vault).expect("finished");
        let whole = encoded_whole(&snapshot);
        assert_eq!(snapshot.encode().expect("encodes"), whole);
        let parts = VaultParts::of(&vault).expect("finished");
        assert_eq!(written(&parts), whole);
        assert!(Snapshot::decode(&whole).is_some());
    }

    #[test]
    fn a_vault_in_another_order_is_written_as_its_snapshot_in_that_order() {
        let (_dir, vault) = finished_vault();
        let mut order: Vec<NoteId> = vault.ids().collect();
        order.reverse();
        let snapshot = Snapshot::of_ordered(&vault, &order).expect("finished");
        let parts = VaultParts::ordered(&vault, order.clone()).expect("finished");
        assert_eq!(written(&parts), encoded_whole(&snapshot));
        let mut twice = order.clone();
        twice[0] = twice[1];
        assert!(VaultParts::ordered(&vault, twice).is_none());
        assert!(VaultParts::ordered(&vault, order[1..].to_vec()).is_none());
    }

    #[test]
    fn an_unfinished_vault_has_no_parts() {
        let mut vault = Vault::new("/nowhere");
        vault.add(crate::vault::Note::empty("a.md"));
        assert!(VaultParts::of(&vault).is_none());
    }
}
