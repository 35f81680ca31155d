//! A link's [`Resolution`] as a link keeps it: eight bytes instead of 24
//! (a vault of 100,000 generated notes has 1.3 million links).

use crate::vault::{ChannelId, NoteId, Resolution};

/// [`Resolution`] in two words: `id` is the note's or the channel's; `bits`
/// holds the kind (two bits), whether the note was ambiguous (one bit) and
/// the heading's index plus one (0 for none) in the other 29. A heading
/// index past 2^29 − 2 (a note of 4 MB at most cannot have one) is kept as
/// none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct PackedResolution {
    id: u32,
    bits: u32,
}

const PENDING: u32 = 0;
const NOTE: u32 = 1;
const CHANNEL: u32 = 2;
const UNRESOLVED: u32 = 3;
const KIND: u32 = 0b11;
const AMBIGUOUS: u32 = 0b100;
const HEADING_SHIFT: u32 = 3;

impl PackedResolution {
    /// Heading indexes below this are kept; a larger one is kept as none.
    pub(crate) const HEADINGS: u32 = u32::MAX >> HEADING_SHIFT;

    pub(crate) fn new(resolution: Resolution) -> Self {
        match resolution {
            Resolution::Pending => Self {
                id: 0,
                bits: PENDING,
            },
            Resolution::Note {
                note,
                heading,
                ambiguous,
            } => {
                let heading = heading
                    .and_then(|h| u32::try_from(h.checked_add(1)?).ok())
                    .filter(|&h| h <= Self::HEADINGS)
                    .unwrap_or(0);
                Self {
                    id: note.0,
                    bits: NOTE | if ambiguous { AMBIGUOUS } else { 0 } | heading << HEADING_SHIFT,
                }
            }
            Resolution::Channel(channel) => Self {
                id: channel.0,
                bits: CHANNEL,
            },
            Resolution::Unresolved => Self {
                id: 0,
                bits: UNRESOLVED,
            },
        }
    }

    pub(crate) fn get(self) -> Resolution {
        match self.bits & KIND {
            NOTE => Resolution::Note {
                note: NoteId(self.id),
                heading: (self.bits >> HEADING_SHIFT)
                    .checked_sub(1)
                    .map(|h| h as usize),
                ambiguous: self.bits & AMBIGUOUS != 0,
            },
            CHANNEL => Resolution::Channel(ChannelId(self.id)),
            UNRESOLVED => Resolution::Unresolved,
            _ => Resolution::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resolution_reads_back_as_it_was() {
        assert_eq!(size_of::<PackedResolution>(), 8);
        let cases = [
            Resolution::Pending,
            Resolution::Unresolved,
            Resolution::Channel(ChannelId(0)),
            Resolution::Channel(ChannelId(u32::MAX)),
            Resolution::Note {
                note: NoteId(0),
                heading: None,
                ambiguous: false,
            },
            Resolution::Note {
                note: NoteId(u32::MAX),
                heading: Some(0),
                ambiguous: true,
            },
            Resolution::Note {
                note: NoteId(7),
                heading: Some((1 << 29) - 2),
                ambiguous: false,
            },
        ];
        for resolution in cases {
            assert_eq!(PackedResolution::new(resolution).get(), resolution);
        }
        assert_eq!(PackedResolution::default().get(), Resolution::Pending);
    }

    #[test]
    fn a_heading_index_too_large_is_kept_as_none() {
        for heading in [(1 << 29) - 1, usize::MAX] {
            let packed = PackedResolution::new(Resolution::Note {
                note: NoteId(3),
                heading: Some(heading),
                ambiguous: true,
            });
            assert_eq!(
                packed.get(),
                Resolution::Note {
                    note: NoteId(3),
                    heading: None,
                    ambiguous: true,
                }
            );
        }
    }
}
