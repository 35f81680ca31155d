//! A note's `[[target#heading|shown]]` links: their strings in one buffer
//! and a small record each (a vault of 100,000 generated notes has 1.3
//! million links; one allocation a link was a third of the parse's).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{
    bits::{Bits, Field, Packing},
    packed_resolution::PackedResolution,
    record_list::{Builder, Entry, Record, RecordList, start_of},
};
use crate::vault::resolve::Resolution;

/// A note's wiki-links: every link's target, heading and shown text one
/// after the other in one string, and each link's [`LinkRecord`] (where
/// its strings end, its line, range and resolution). Two allocations a
/// note however many links it has.
///
/// `links[i]` is the record (numbers, flags, resolution);
/// [`RecordList::get`] and [`RecordList::iter`] give the whole link with
/// its strings.
pub type Links = RecordList<LinkRecord>;

/// One link with its strings, borrowed from its note's [`Links`]; its
/// record's fields and methods are read through it.
pub type WikiLink<'a> = Entry<'a, LinkRecord>;

/// A note's links as the scan finds them.
pub type LinksBuilder = Builder<LinkRecord>;

/// Where each number of a link sits in its 128 bits. As for a timestamp
/// (see `timestamp::field`), the widths hold every value of a note the
/// loader reads: its text is below 2^24 bytes, and the strings of its
/// links, each a part of its text, too.
mod field {
    use super::Field;
    pub(super) const TARGET_END: Field = Field::new(0, 24);
    pub(super) const HEADING_END: Field = TARGET_END.then(24);
    pub(super) const SHOWN_END: Field = HEADING_END.then(24);
    pub(super) const START: Field = SHOWN_END.then(24);
    pub(super) const LEN: Field = START.then(24);
    /// Whether the heading was written (`[[target#heading]]`).
    pub(super) const HEADING: Field = LEN.then(1);
    /// Whether the shown text was written (`[[target|shown]]`).
    pub(super) const SHOWN: Field = HEADING.then(1);
    /// `![[...]]`
    pub(super) const EMBED: Field = SHOWN.then(1);
    /// The link of the `From: [[channel]]` line.
    pub(super) const CHANNEL: Field = EMBED.then(1);
}

/// The numbers of one link, in 28 bytes; its strings are in its note's
/// [`Links`]. A link's strings start where the previous link's end.
///
/// Past the bounds of [`field`] (only in a text built by hand, above
/// 16 MB), a range is kept as `0..0` and the ends of strings at the
/// largest one kept: its parts then read as `""`, never a panic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRecord {
    /// Where the target, the heading and the shown text end in the
    /// strings of the note's links, the range of the whole `[[...]]` in
    /// [`super::Note::text`], and the flags, at the places [`field`] gives.
    packed: Bits<4>,
    /// 1-based line in the file.
    pub line: u32,
    /// See [`Self::resolution`]. Not saved with the note: resolution
    /// depends on the whole vault, so the cache keeps it apart, with the
    /// notes it was computed from (see `cache::resolved`).
    #[serde(skip)]
    resolution: PackedResolution,
}

impl LinkRecord {
    /// Byte range of the whole `[[...]]` (with the `!` of an embed) in [`super::Note::text`].
    #[must_use]
    pub fn range(&self) -> Range<usize> {
        let start = self.packed.get(field::START) as usize;
        start..start + self.packed.get(field::LEN) as usize
    }

    /// `![[...]]`
    #[must_use]
    pub fn embed(&self) -> bool {
        self.packed.get(field::EMBED) != 0
    }

    /// True for the link of the `From: [[channel]]` line.
    #[must_use]
    pub fn is_channel(&self) -> bool {
        self.packed.get(field::CHANNEL) != 0
    }

    /// Where the target, the heading and the shown text end in the strings.
    fn ends(&self) -> [u32; 3] {
        [field::TARGET_END, field::HEADING_END, field::SHOWN_END].map(|f| self.packed.get(f))
    }

    /// Where the link leads: filled in when the vault is finished,
    /// `Pending` until then.
    #[must_use]
    pub fn resolution(&self) -> Resolution {
        self.resolution.get()
    }

    pub fn set_resolution(&mut self, resolution: Resolution) {
        self.resolution = PackedResolution::new(resolution);
    }
}

impl Record for LinkRecord {
    fn strings_end(&self) -> u32 {
        self.packed.get(field::SHOWN_END)
    }
}

impl<'a> WikiLink<'a> {
    /// The target as written, trimmed, without the `#heading` part. Empty for
    /// `[[#Heading]]` (a heading of the same note).
    #[must_use]
    pub fn target(&self) -> &'a str {
        self.part(self.start, self.record.packed.get(field::TARGET_END))
    }

    /// The `#heading` part, trimmed, without `#`.
    #[must_use]
    pub fn heading(&self) -> Option<&'a str> {
        let [target, heading, _] = self.record.ends();
        (self.record.packed.get(field::HEADING) != 0).then(|| self.part(target, heading))
    }

    /// The text after `|`, trimmed; `None` when absent or empty.
    #[must_use]
    pub fn shown(&self) -> Option<&'a str> {
        let [_, heading, shown] = self.record.ends();
        (self.record.packed.get(field::SHOWN) != 0).then(|| self.part(heading, shown))
    }

    /// What a reader sees: the shown text, else the target (with its heading).
    #[must_use]
    pub fn display_text(&self) -> String {
        if let Some(shown) = self.shown() {
            return shown.to_owned();
        }
        match (self.heading(), self.target().is_empty()) {
            (Some(h), true) => h.to_owned(),
            (Some(h), false) => format!("{} › {h}", self.target()),
            (None, _) => self.target().to_owned(),
        }
    }
}

impl std::fmt::Debug for WikiLink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WikiLink")
            .field("target", &self.target())
            .field("heading", &self.heading())
            .field("shown", &self.shown())
            .field("embed", &self.embed())
            .field("is_channel", &self.is_channel())
            .field("line", &self.line)
            .field("range", &self.range())
            .field("resolution", &self.resolution())
            .finish()
    }
}

impl LinksBuilder {
    /// Adds a link not resolved yet. `heading` and `shown` as written,
    /// trimmed (an empty one is kept as given: `Some("")`).
    pub fn push(
        &mut self,
        target: &str,
        heading: Option<&str>,
        shown: Option<&str>,
        embed: bool,
        line: u32,
        range: Range<usize>,
    ) {
        let mut end = |part: &str, field: Field| {
            self.strings.push_str(part);
            self.strings_len().min(field.max())
        };
        let target_end = end(target, field::TARGET_END);
        let heading_end = end(heading.unwrap_or(""), field::HEADING_END);
        let shown_end = end(shown.unwrap_or(""), field::SHOWN_END);
        let start = field::START.fit(range.start);
        let len = field::LEN.fit(range.end.saturating_sub(range.start));
        let (start, len) = start.zip(len).unwrap_or((0, 0));
        let packed = (Packing::default())
            .with(field::TARGET_END, target_end)
            .with(field::HEADING_END, heading_end)
            .with(field::SHOWN_END, shown_end)
            .with(field::START, start)
            .with(field::LEN, len)
            .with(field::HEADING, u32::from(heading.is_some()))
            .with(field::SHOWN, u32::from(shown.is_some()))
            .with(field::EMBED, u32::from(embed))
            .bits();
        self.records.push(LinkRecord {
            packed,
            line,
            resolution: PackedResolution::default(),
        });
    }

    /// Flags link `i` as the `From: [[channel]]` line's; its target.
    pub fn mark_channel(&mut self, i: usize) -> Option<&str> {
        let start = start_of(&self.records, i);
        let record = self.records.get_mut(i)?;
        record.packed.set(field::CHANNEL, 1);
        let target_end = record.packed.get(field::TARGET_END);
        self.strings.get(start as usize..target_end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_record_is_28_bytes_and_links_keep_their_parts() {
        assert_eq!(size_of::<LinkRecord>(), 28);
        let cases: [(&str, Option<&str>, Option<&str>); 5] = [
            ("Note", None, None),
            ("", Some("Heading"), None),
            ("Été", Some(""), Some("shown ✓")),
            ("a\u{1f}b", Some("\u{1f}"), Some("x\u{1f}")),
            ("t", None, Some("")),
        ];
        let mut links = Links::default();
        for (i, &(target, heading, shown)) in (0..).zip(&cases) {
            links.add(|l| l.push(target, heading, shown, false, i, 4..9));
        }
        let bytes = postcard::to_stdvec(&links).expect("encodes");
        let back: Links = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back, links);
        assert_eq!(links.iter().len(), cases.len());
        for (i, (target, heading, shown)) in cases.into_iter().enumerate() {
            for link in [
                links.get(i).expect("link"),
                links.iter().nth(i).expect("link"),
            ] {
                assert_eq!(
                    (link.target(), link.heading(), link.shown()),
                    (target, heading, shown)
                );
                assert_eq!((link.line as usize, link.range()), (i, 4..9));
            }
        }
        assert!(links.get(cases.len()).is_none());
    }

    #[test]
    fn damaged_ends_give_empty_parts_never_a_panic() {
        let mut links = Links::default();
        links.add(|l| l.push("é", Some("h"), Some("s"), false, 1, 0..1));
        // Inside `é`, past the end, before the start.
        for (end, value) in [field::TARGET_END, field::HEADING_END, field::SHOWN_END]
            .into_iter()
            .zip([1, 9, 2])
        {
            links.records[0].packed.set(end, value);
        }
        let link = links.get(0).expect("link");
        assert_eq!(
            (link.target(), link.heading(), link.shown()),
            ("", Some(""), Some(""))
        );
    }
}
