//! What the one-shot ranking of `vidwiki search` reads of a vault, and
//! what its output names: every note's title, path and headings, and the
//! channels. A loaded [`Vault`] is one; the command line's lean load gives
//! another, read straight from the index cache's bytes without building
//! a note (see [`crate::vault::cache::lean::titles`]).

use crate::vault::{Channel, Vault, cache::lean::titles::LeanOutline};

/// The notes (numbered from 0, as the vault numbers them), their headings
/// (numbered from 0 within each note) and the channels of a vault.
pub trait Outline: Sync {
    fn note_count(&self) -> usize;
    fn title(&self, note: usize) -> &str;
    fn path(&self, note: usize) -> &str;
    fn heading_count(&self, note: usize) -> usize;
    /// The plain text of heading `heading` of note `note`.
    fn heading(&self, note: usize, heading: usize) -> &str;
    /// Its 1-based line in the note's file.
    fn heading_line(&self, note: usize, heading: usize) -> u32;
    /// The channels, numbered as the vault numbers them.
    fn channels(&self) -> &[Channel];

    fn channel_count(&self) -> usize {
        self.channels().len()
    }

    fn channel_name(&self, channel: usize) -> &str {
        &self.channels()[channel].name
    }

    /// Whether the channel has an index note (then it is no item of its
    /// own: the note stands for it).
    fn channel_has_note(&self, channel: usize) -> bool {
        self.channels()[channel].index_note.is_some()
    }
}

impl Outline for Vault {
    fn note_count(&self) -> usize {
        self.notes.len()
    }

    fn title(&self, note: usize) -> &str {
        &self.notes[note].title
    }

    fn path(&self, note: usize) -> &str {
        &self.notes[note].path
    }

    fn heading_count(&self, note: usize) -> usize {
        self.notes[note].headings.len()
    }

    fn heading(&self, note: usize, heading: usize) -> &str {
        self.notes[note]
            .headings
            .get(heading)
            .map_or("", |h| h.text())
    }

    fn heading_line(&self, note: usize, heading: usize) -> u32 {
        self.notes[note].headings[heading].line
    }

    fn channels(&self) -> &[Channel] {
        &self.channels
    }
}

impl Outline for LeanOutline<'_> {
    fn note_count(&self) -> usize {
        LeanOutline::note_count(self)
    }

    fn title(&self, note: usize) -> &str {
        self.note(note).title
    }

    fn path(&self, note: usize) -> &str {
        self.note(note).path
    }

    fn heading_count(&self, note: usize) -> usize {
        self.headings_of(note).len()
    }

    fn heading(&self, note: usize, heading: usize) -> &str {
        self.headings_of(note)[heading].text
    }

    fn heading_line(&self, note: usize, heading: usize) -> u32 {
        self.headings_of(note)[heading].line
    }

    fn channels(&self) -> &[Channel] {
        &self.channels
    }
}
