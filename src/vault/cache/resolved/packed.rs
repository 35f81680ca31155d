//! The snapshot's resolutions in eight bytes each.

use serde::{Deserialize, Serialize};

use super::{SavedResolution, u32_of};
use crate::vault::{
    NoteId, note::packed_resolution::PackedResolution, resolve::ChannelId, resolve::Resolution,
};

/// A [`SavedResolution`] in eight bytes instead of 16 (as a link keeps
/// its resolution, with the entry position for the note id): the
/// snapshot holds one for every link of the vault, beside every note, at
/// the peak of a load from the cache. Written and read as the
/// `SavedResolution` it stands for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(from = "SavedResolution", into = "SavedResolution")]
pub(super) struct PackedSaved(PackedResolution);

/// The channel a heading index too large to pack stands for: no vault
/// has it, so the resolution is refused as the saved one would be.
const NO_CHANNEL: u32 = u32::MAX;

impl From<SavedResolution> for PackedSaved {
    fn from(saved: SavedResolution) -> Self {
        let resolution = match saved {
            SavedResolution::Pending => Resolution::Pending,
            SavedResolution::Unresolved => Resolution::Unresolved,
            SavedResolution::Channel(c) => Resolution::Channel(ChannelId(c)),
            SavedResolution::Note {
                heading: Some(h), ..
            } if h >= PackedResolution::HEADINGS => Resolution::Channel(ChannelId(NO_CHANNEL)),
            SavedResolution::Note {
                note,
                heading,
                ambiguous,
            } => Resolution::Note {
                note: NoteId(note),
                heading: heading.map(|h| h as usize),
                ambiguous,
            },
        };
        Self(PackedResolution::new(resolution))
    }
}

impl From<PackedSaved> for SavedResolution {
    fn from(packed: PackedSaved) -> Self {
        match packed.0.get() {
            Resolution::Pending => Self::Pending,
            Resolution::Unresolved => Self::Unresolved,
            Resolution::Channel(c) => Self::Channel(c.0),
            Resolution::Note {
                note,
                heading,
                ambiguous,
            } => Self::Note {
                note: note.0,
                heading: heading.map(u32_of),
                ambiguous,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_resolutions_pack_and_read_back_as_saved() {
        assert_eq!(size_of::<PackedSaved>(), 8);
        let cases = [
            SavedResolution::Pending,
            SavedResolution::Unresolved,
            SavedResolution::Channel(4),
            SavedResolution::Note {
                note: 9,
                heading: None,
                ambiguous: true,
            },
            SavedResolution::Note {
                note: u32::MAX - 1,
                heading: Some(PackedResolution::HEADINGS - 1),
                ambiguous: false,
            },
        ];
        for saved in cases {
            let packed = PackedSaved::from(saved);
            assert_eq!(SavedResolution::from(packed), saved);
            let bytes = postcard::to_stdvec(&packed).expect("encodes");
            assert_eq!(bytes, postcard::to_stdvec(&saved).expect("encodes"));
            let back: PackedSaved = postcard::from_bytes(&bytes).expect("decodes");
            assert_eq!(SavedResolution::from(back), saved);
        }
    }

    #[test]
    fn a_heading_too_large_to_pack_is_a_channel_no_vault_has() {
        let saved = SavedResolution::Note {
            note: 1,
            heading: Some(PackedResolution::HEADINGS),
            ambiguous: false,
        };
        assert_eq!(
            SavedResolution::from(PackedSaved::from(saved)),
            SavedResolution::Channel(NO_CHANNEL)
        );
    }
}
