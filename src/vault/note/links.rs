//! A note's `[[target#heading|shown]]` links: their strings in one buffer
//! and a small record each (a vault of 100,000 generated notes has 1.3
//! million links; one allocation a link was a third of the parse's).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{Span, packed_resolution::PackedResolution};
use crate::vault::resolve::Resolution;

/// A note's wiki-links: every link's target, heading and shown text one
/// after the other in `strings`, and each link's [`LinkRecord`] (where its
/// strings end, its line, range and resolution). Two allocations a note
/// however many links it has.
///
/// `links[i]` is the record (numbers, flags, resolution);
/// [`Self::get`] and [`Self::iter`] give the whole link with its strings.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    strings: Box<str>,
    records: Box<[LinkRecord]>,
}

/// The numbers of one link, in 36 bytes; its strings are in its note's
/// [`Links`]. A link's strings start where the previous link's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRecord {
    /// Where the target, the heading and the shown text end in the
    /// strings of the note's links.
    ends: [u32; 3],
    /// 1-based line in the file.
    pub line: u32,
    /// Byte range of the whole `[[...]]` (with the `!` of an embed) in
    /// [`super::Note::text`].
    range: Span,
    /// See [`Self::resolution`]. Not saved with the note: resolution
    /// depends on the whole vault, so the cache keeps it apart, with the
    /// notes it was computed from (see `cache::resolved`).
    #[serde(skip)]
    resolution: PackedResolution,
    /// Which of heading and shown were written ([`Self::HEADING`], [`Self::SHOWN`]).
    present: u8,
    /// `![[...]]`
    pub embed: bool,
    /// True for the link of the `From: [[channel]]` line.
    pub is_channel: bool,
}

impl LinkRecord {
    const HEADING: u8 = 1;
    const SHOWN: u8 = 2;

    /// Byte range of the whole `[[...]]` (with the `!` of an embed) in [`super::Note::text`].
    #[must_use]
    pub fn range(&self) -> Range<usize> {
        self.range.range()
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

/// One link with its strings, borrowed from its note's [`Links`]; its
/// record's fields and methods are read through it.
#[derive(Clone, Copy)]
pub struct WikiLink<'a> {
    strings: &'a str,
    start: u32,
    record: &'a LinkRecord,
}

impl std::ops::Deref for WikiLink<'_> {
    type Target = LinkRecord;

    fn deref(&self) -> &LinkRecord {
        self.record
    }
}

impl<'a> WikiLink<'a> {
    /// `strings[from..to]`; `""` when that is not a slice of it (a
    /// damaged cache), never a panic.
    fn part(&self, from: u32, to: u32) -> &'a str {
        self.strings
            .get(from as usize..to as usize)
            .unwrap_or_default()
    }

    /// The target as written, trimmed, without the `#heading` part. Empty for
    /// `[[#Heading]]` (a heading of the same note).
    #[must_use]
    pub fn target(&self) -> &'a str {
        self.part(self.start, self.record.ends[0])
    }

    /// The `#heading` part, trimmed, without `#`.
    #[must_use]
    pub fn heading(&self) -> Option<&'a str> {
        let [target, heading, _] = self.record.ends;
        (self.record.present & LinkRecord::HEADING != 0).then(|| self.part(target, heading))
    }

    /// The text after `|`, trimmed; `None` when absent or empty.
    #[must_use]
    pub fn shown(&self) -> Option<&'a str> {
        let [_, heading, shown] = self.record.ends;
        (self.record.present & LinkRecord::SHOWN != 0).then(|| self.part(heading, shown))
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
            .field("embed", &self.embed)
            .field("is_channel", &self.is_channel)
            .field("line", &self.line)
            .field("range", &self.range())
            .field("resolution", &self.resolution())
            .finish()
    }
}

impl Links {
    #[must_use]
    pub fn len(&self) -> usize {
        self.records.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Link `i` with its strings.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<WikiLink<'_>> {
        let record = self.records.get(i)?;
        let start = i
            .checked_sub(1)
            .and_then(|before| self.records.get(before))
            .map_or(0, |before| before.ends[2]);
        Some(WikiLink {
            strings: &self.strings,
            start,
            record,
        })
    }

    /// Every link with its strings, in note order.
    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            links: self,
            front: 0,
            back: self.records.len(),
        }
    }

    /// Every link's record, in note order.
    #[must_use]
    pub fn records(&self) -> &[LinkRecord] {
        &self.records
    }

    /// Drops every link.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Every link's record, to set resolutions and flags.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, LinkRecord> {
        self.records.iter_mut()
    }

    /// Adds a link (for tests and hand-made notes; the scan builds its
    /// links in a [`LinksBuilder`]).
    pub fn push(
        &mut self,
        target: &str,
        heading: Option<&str>,
        shown: Option<&str>,
        embed: bool,
        line: u32,
        range: Range<usize>,
    ) {
        let mut builder = LinksBuilder {
            strings: std::mem::take(&mut self.strings).into_string(),
            records: std::mem::take(&mut self.records).into_vec(),
        };
        builder.push(target, heading, shown, embed, line, range);
        *self = builder.take_exact();
    }
}

impl<'a> IntoIterator for &'a Links {
    type Item = WikiLink<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// [`Links::iter`].
#[derive(Clone)]
pub struct Iter<'a> {
    links: &'a Links,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = WikiLink<'a>;

    fn next(&mut self) -> Option<WikiLink<'a>> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.links.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.back - self.front;
        (len, Some(len))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.links.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl std::ops::Index<usize> for Links {
    type Output = LinkRecord;

    fn index(&self, i: usize) -> &LinkRecord {
        &self.records[i]
    }
}

impl std::ops::IndexMut<usize> for Links {
    fn index_mut(&mut self, i: usize) -> &mut LinkRecord {
        &mut self.records[i]
    }
}

impl std::fmt::Debug for Links {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A note's links as the scan finds them: kept from note to note (its
/// capacity with it), then copied out at exactly their size.
#[derive(Debug, Default)]
pub struct LinksBuilder {
    strings: String,
    records: Vec<LinkRecord>,
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
        let mut end = |part: &str| {
            self.strings.push_str(part);
            u32::try_from(self.strings.len()).unwrap_or(u32::MAX)
        };
        let ends = [
            end(target),
            end(heading.unwrap_or("")),
            end(shown.unwrap_or("")),
        ];
        self.records.push(LinkRecord {
            ends,
            line,
            range: Span::new(range),
            resolution: PackedResolution::default(),
            present: if heading.is_some() {
                LinkRecord::HEADING
            } else {
                0
            } | if shown.is_some() {
                LinkRecord::SHOWN
            } else {
                0
            },
            embed,
            is_channel: false,
        });
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.records.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Flags link `i` as the `From: [[channel]]` line's; its target.
    pub fn mark_channel(&mut self, i: usize) -> Option<&str> {
        let start = i
            .checked_sub(1)
            .and_then(|before| self.records.get(before))
            .map_or(0, |before| before.ends[2]);
        let record = self.records.get_mut(i)?;
        record.is_channel = true;
        self.strings.get(start as usize..record.ends[0] as usize)
    }

    pub fn clear(&mut self) {
        self.strings.clear();
        self.records.clear();
    }

    /// The links so far, each part in an allocation of exactly its size;
    /// the builder is left empty with its capacity.
    pub fn take_exact(&mut self) -> Links {
        let links = Links {
            strings: self.strings.as_str().into(),
            records: self.records.as_slice().into(),
        };
        self.clear();
        links
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_record_is_36_bytes_and_links_keep_their_parts() {
        assert_eq!(size_of::<LinkRecord>(), 36);
        let cases: [(&str, Option<&str>, Option<&str>); 5] = [
            ("Note", None, None),
            ("", Some("Heading"), None),
            ("Été", Some(""), Some("shown ✓")),
            ("a\u{1f}b", Some("\u{1f}"), Some("x\u{1f}")),
            ("t", None, Some("")),
        ];
        let mut links = Links::default();
        for (i, &(target, heading, shown)) in (0..).zip(&cases) {
            links.push(target, heading, shown, false, i, 4..9);
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
        links.push("é", Some("h"), Some("s"), false, 1, 0..1);
        // Inside `é`, past the end, before the start.
        links.records[0].ends = [1, 9, 2];
        let link = links.get(0).expect("link");
        assert_eq!(
            (link.target(), link.heading(), link.shown()),
            ("", Some(""), Some(""))
        );
    }
}
