//! A timestamp as the index keeps it, in 20 bytes (a real vault has three
//! quarters of a million, 100,000 generated notes three and a half
//! million): its label, and its numbers packed in 96 bits. The heading it
//! sits under is not kept but found in its note's headings.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{
    Headings,
    bits::{Bits, Field, Packing},
};
use crate::vault::timestamp::Label;

/// Where each number sits in a timestamp's 96 bits.
///
/// The widths hold every value a note read by the loader can give: it
/// reads at most `text_store::MAX_NOTE_BYTES` (4 MiB), whose text is at
/// most three times as long once invalid bytes and control characters
/// are replaced (each by a three-byte character), so an offset or a
/// length is below 2^24 and a line below 2^23. Seconds are below 2^26:
/// `parse_time` reads fields of six digits at most (999,999 minutes and
/// 59 seconds is 59,999,999).
mod field {
    use super::Field;
    pub(super) const START: Field = Field::new(0, 24);
    pub(super) const LINE: Field = START.then(23);
    pub(super) const ON_HEADING_LINE: Field = LINE.then(1);
    pub(super) const LEN: Field = ON_HEADING_LINE.then(22);
    pub(super) const SECONDS: Field = LEN.then(26);
}

/// The seconds field's value for "no seconds".
const NO_SECONDS: u32 = field::SECONDS.max();

/// A timestamp: the `data-t` value as written (or the text of a
/// `[[00:01:07]]` link), and its numbers read through methods.
///
/// Past the bounds of [`field`] (only in a text built by hand, above
/// 16 MB), a range is kept as `0..0`, a line as the largest one kept,
/// seconds as none: never a range that does not slice the text.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamp {
    /// The `data-t` value as written (or the text of a `[[00:01:07]]` link).
    pub label: Label,
    /// Start, line, whether a heading is on its line, length and seconds,
    /// at the places [`field`] gives (the little end in `packed[0]`).
    packed: Bits<3>,
}

impl Timestamp {
    /// A timestamp whose seconds are not read yet. `heading_on_its_line`:
    /// the last heading before it (in the order the scan finds them) is
    /// on its line, an ATX heading holding the anchor; see
    /// [`Headings::section_of`].
    #[must_use]
    pub fn new(label: Label, line: u32, heading_on_its_line: bool, range: Range<usize>) -> Self {
        let start = field::START.fit(range.start);
        let len = field::LEN.fit(range.end.saturating_sub(range.start));
        let (start, len) = start.zip(len).unwrap_or((0, 0));
        let packed = (Packing::default())
            .with(field::START, start)
            .with(field::LEN, len)
            .with(field::LINE, line.min(field::LINE.max()))
            .with(field::ON_HEADING_LINE, u32::from(heading_on_its_line))
            .with(field::SECONDS, NO_SECONDS)
            .bits();
        Self { label, packed }
    }

    /// `None` when the value makes no sense; such a timestamp is shown as
    /// text and is never copied.
    #[must_use]
    pub fn seconds(&self) -> Option<u32> {
        Some(self.packed.get(field::SECONDS)).filter(|&s| s != NO_SECONDS)
    }

    pub fn set_seconds(&mut self, seconds: Option<u32>) {
        let kept = seconds.filter(|&s| s < NO_SECONDS).unwrap_or(NO_SECONDS);
        self.packed.set(field::SECONDS, kept);
    }

    /// 1-based line in the file.
    #[must_use]
    pub fn line(&self) -> u32 {
        self.packed.get(field::LINE)
    }

    fn heading_on_its_line(&self) -> bool {
        self.packed.get(field::ON_HEADING_LINE) != 0
    }

    /// Byte range of the whole anchor `<a ...>...</a>` in
    /// [`super::Note::text`].
    #[must_use]
    pub fn range(&self) -> Range<usize> {
        let start = self.packed.get(field::START) as usize;
        start..start + self.packed.get(field::LEN) as usize
    }
}

impl Headings {
    /// Index of the heading whose section `stamp` sits in: the last one
    /// the scan found before it. Headings come in the order of their lines
    /// (an ATX heading is found on its line before the anchors in it, a
    /// setext heading on its underline, after the anchors of its text
    /// line), so that is the last heading above its line, or the one on
    /// its line when the scan found that one first (`heading_on_its_line`).
    #[must_use]
    pub fn section_of(&self, stamp: &Timestamp) -> Option<u32> {
        let above = self.records().partition_point(|h| h.line < stamp.line());
        let found = above + usize::from(stamp.heading_on_its_line());
        let index = found.checked_sub(1).filter(|&i| i < self.len())?;
        u32::try_from(index).ok()
    }

    /// The heading whose section `stamp` sits in (see [`Self::section_of`]).
    #[must_use]
    pub fn section_heading(&self, stamp: &Timestamp) -> Option<super::Heading<'_>> {
        self.get(self.section_of(stamp)? as usize)
    }
}

/// A note's timestamps as `derive(Debug)` wrote them when the heading was
/// a field (the parse probe's fingerprint hashes this form).
pub(super) struct WithSections<'a> {
    pub(super) stamps: &'a [Timestamp],
    pub(super) headings: &'a Headings,
}

impl std::fmt::Debug for WithSections<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entry = |stamp| Sectioned {
            stamp,
            heading: self.headings.section_of(stamp),
        };
        f.debug_list()
            .entries(self.stamps.iter().map(entry))
            .finish()
    }
}

/// One timestamp and its section, for [`WithSections`].
struct Sectioned<'a> {
    stamp: &'a Timestamp,
    heading: Option<u32>,
}

impl std::fmt::Debug for Sectioned<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timestamp")
            .field("label", &self.stamp.label)
            .field("seconds", &self.stamp.seconds())
            .field("line", &self.stamp.line())
            .field("heading", &self.heading)
            .field("range", &self.stamp.range())
            .finish()
    }
}

/// A timestamp alone, its section unknown (see [`Headings::section_of`]).
impl std::fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timestamp")
            .field("label", &self.label)
            .field("seconds", &self.seconds())
            .field("line", &self.line())
            .field("heading_on_its_line", &self.heading_on_its_line())
            .field("range", &self.range())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::note::HeadingsBuilder;

    #[test]
    fn a_timestamp_is_20_bytes_and_keeps_its_numbers() {
        assert_eq!(size_of::<Timestamp>(), 20);
        let label = Label::new("00:05:17");
        for (line, on_line, range, seconds) in [
            (1, false, 0..56, Some(317)),
            (3, true, 7..7, None),
            (
                field::LINE.max(),
                true,
                0xFF_FFFF..0xFF_FFFF + 0x3F_FFFF,
                Some(0),
            ),
            (0, false, 5..6, Some(NO_SECONDS - 1)),
        ] {
            let mut stamp = Timestamp::new(label, line, on_line, range.clone());
            assert_eq!(stamp.seconds(), None, "not read yet");
            stamp.set_seconds(seconds);
            assert_eq!(
                (stamp.line(), stamp.heading_on_its_line(), stamp.range()),
                (line, on_line, range)
            );
            assert_eq!((stamp.seconds(), stamp.label), (seconds, label));
            let bytes = postcard::to_stdvec(&stamp).expect("encodes");
            let back: Timestamp = postcard::from_bytes(&bytes).expect("decodes");
            assert_eq!(back, stamp);
        }
    }

    #[test]
    fn what_does_not_fit_is_kept_safely() {
        let label = Label::new("1");
        let far = Timestamp::new(label, u32::MAX, false, 1 << 24..(1 << 24) + 3);
        assert_eq!((far.range(), far.line()), (0..0, field::LINE.max()));
        let long = Timestamp::new(label, 2, false, 10..10 + (1 << 22));
        assert_eq!(long.range(), 0..0);
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = Timestamp::new(label, 2, false, 10..4);
        assert_eq!(backwards.range(), 10..10);
        let mut huge = Timestamp::new(label, 2, false, 0..1);
        huge.set_seconds(Some(NO_SECONDS));
        assert_eq!(huge.seconds(), None);
        huge.set_seconds(Some(u32::MAX));
        assert_eq!((huge.seconds(), huge.line(), huge.range()), (None, 2, 0..1));
    }

    #[test]
    fn the_section_is_the_last_heading_found_before() {
        // ATX at line 2, setext with its text at 5 (underline 6), ATX at 8.
        let mut builder = HeadingsBuilder::default();
        for (text, line) in [("A", 2), ("B", 5), ("C", 8)] {
            builder.push_keyed(1, text, line, 0);
        }
        let headings = builder.take_exact();
        let section = |line, on_line| {
            headings.section_of(&Timestamp::new(Label::new("1"), line, on_line, 0..1))
        };
        assert_eq!(section(1, false), None);
        assert_eq!(section(2, true), Some(0), "in the ATX heading");
        assert_eq!(section(4, false), Some(0));
        assert_eq!(
            section(5, false),
            Some(0),
            "in the setext text: found before"
        );
        assert_eq!(section(7, false), Some(1));
        assert_eq!(section(8, true), Some(2));
        assert_eq!(section(9, false), Some(2));
        let heading_text = |line| {
            let stamp = Timestamp::new(Label::new("1"), line, false, 0..1);
            headings.section_heading(&stamp).map(|h| h.text())
        };
        assert_eq!((heading_text(1), heading_text(7)), (None, Some("B")));
        assert_eq!(
            Headings::default().section_of(&Timestamp::new(Label::new("1"), 3, true, 0..1)),
            None
        );
    }

    #[test]
    fn the_section_of_each_anchor_of_a_note_is_the_heading_before_it() {
        let a = |t: &str| format!("<a class=\"yt-timestamp\" data-t=\"{t}\">[{t}]</a>");
        let text = format!(
            "{}\n# Top {}\n{}\nSetext {}\n---\n{} {}\n\n## Next {}\n```\n# not {}\n```\n{}\n",
            a("00:00:01"),
            a("00:00:02"),
            a("00:00:03"),
            a("00:00:04"),
            a("00:00:05"),
            a("00:00:06"),
            a("00:00:07"),
            a("00:00:08"),
            a("00:00:09"),
        );
        let note = crate::vault::loader::parse_note("n.md", text.as_bytes());
        let sections: Vec<_> = (note.timestamps.iter())
            .map(|t| (t.label.to_string(), note.headings.section_of(t)))
            .collect();
        let expected = [
            None,
            Some(0),
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            Some(2),
            Some(2),
        ];
        let labels = ["01", "02", "03", "04", "05", "06", "07", "09"];
        let expected: Vec<_> = (labels.iter().zip(expected))
            .map(|(s, h)| (format!("00:00:{s}"), h))
            .collect();
        assert_eq!(sections, expected);
        let texts: Vec<_> = note.headings.iter().map(|h| h.text()).collect();
        assert_eq!(texts[..2], ["Top", "Setext"]);
    }
}
