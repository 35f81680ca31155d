//! The note tree the outline shows: folders, then notes sorted by title.
//! A channel index note gives its folder the channel's order instead.

use super::{NoteId, Vault};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeNode {
    Folder { name: String, path: String, children: Vec<TreeNode> },
    /// A video of a channel index note, with the notes it lists.
    Video { title: String, url: Option<String>, children: Vec<TreeNode> },
    Note(NoteId),
}

#[must_use]
pub fn build(_vault: &Vault) -> Vec<TreeNode> {
    Vec::new()
}
