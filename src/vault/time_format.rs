//! Which clock a note's three-field times are written in.
//!
//! Most notes write `HH:MM:SS`. About one in seven of a real vault's notes
//! writes `MM:SS:FF` instead (minutes, seconds, then a frame or hundredths
//! field, usually `00`): `42:34:00` meaning 42 min 34 s. Read literally
//! those point hours past the end of the video, or cannot be read at all.
//! The reading is decided once per note, from the note's own values, by a
//! rule simple enough to state in the README:
//!
//! 1. a value that cannot be hours (first field 24 or more, last field not
//!    two digits below 60, as in `03:12:80`) or would be 6 hours or more
//!    into the video (first field 6 or more), or
//! 2. at least two values, all ending in `:00`, the largest with a first
//!    field of 3 or more (a note that only ever lands on whole minutes, hours
//!    into a video, is one that appended `:00` to `MM:SS`)
//!
//! makes the note `MM:SS:FF`; anything else keeps `HH:MM:SS`. In an
//! `MM:SS:FF` note every three-field value is read as minutes and seconds;
//! `MM:SS` and plain seconds mean the same under both readings, and a
//! four-field `HH:MM:SS:FF` (the same `:00` appended to a full time) is
//! read as `HH:MM:SS` in every note unless times are read literally.

use std::fmt;

mod fields;
use fields::fields;

use super::{
    note::Timestamp,
    problem::{Problem, ProblemKind},
    timestamp::{TimeError, parse_time},
};

/// First field from which a three-field value cannot be hours: read as
/// `HH:MM:SS` it would point 6 hours or more into a video.
const IMPLAUSIBLE_HOURS: u32 = 6;
/// A note whose values all end in `:00` is read as `MM:SS:FF` when one of
/// them would otherwise be this many hours in.
const WHOLE_MINUTE_HOURS: u32 = 3;
/// Longest time either reading may give: 6 hours.
const LONGEST_SECONDS: u32 = 6 * 3600;

/// How the three-field times of a note are read.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum TimeFormat {
    /// `HH:MM:SS`, as written.
    #[default]
    HoursMinutesSeconds,
    /// `MM:SS:FF`: minutes, seconds, and a field that is dropped.
    MinutesSecondsFrames,
}

impl TimeFormat {
    /// `HH:MM:SS` or `MM:SS:FF`, for messages and `--json`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HoursMinutesSeconds => "HH:MM:SS",
            Self::MinutesSecondsFrames => "MM:SS:FF",
        }
    }
}

/// Why a note was read as `MM:SS:FF`: the value that decided it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimeEvidence {
    /// A value that cannot be hours (first field 24 or more, last field not
    /// two digits below 60).
    ImpossibleHours(String),
    /// A value that would be 6 hours or more into the video.
    PastSixHours(String),
    /// Every value ends in `:00`; this one would be hours in.
    WholeMinutes { values: usize, largest: String },
}

/// The note-level decision, with its reason when the note is not read
/// literally.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct TimeReading {
    pub format: TimeFormat,
    /// Boxed: rare, and a vault keeps a reading per note (40 bytes of
    /// every note unboxed).
    pub evidence: Option<Box<TimeEvidence>>,
}

impl TimeReading {
    /// True when the note's times are not read as written.
    #[must_use]
    pub fn is_corrected(&self) -> bool {
        self.format == TimeFormat::MinutesSecondsFrames
    }

    /// One line for the note header and `check`: `times read as MM:SS
    /// (this note writes MM:SS:FF: `42:34:00` cannot be hours)`.
    #[must_use]
    pub fn explain(&self) -> Option<String> {
        let evidence = self.evidence.as_deref()?;
        Some(format!(
            "times read as MM:SS (this note writes MM:SS:FF: {evidence})"
        ))
    }
}

impl fmt::Display for TimeEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ImpossibleHours(value) => write!(f, "`{value}` cannot be hours"),
            Self::PastSixHours(value) => {
                write!(f, "`{value}` as hours would be past 6 hours")
            }
            Self::WholeMinutes { values, largest } => write!(
                f,
                "all {values} times end in :00, and `{largest}` as hours would be past {WHOLE_MINUTE_HOURS} hours"
            ),
        }
    }
}

/// Whether inference runs; `--literal-times` (and later a config key) turns
/// it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeOptions {
    pub literal: bool,
}

/// Decides a note's reading from its `data-t` values (in reading order).
#[must_use]
pub fn infer<'a>(labels: impl IntoIterator<Item = &'a str>) -> TimeReading {
    infer_from_fields(
        labels.into_iter().map(|label| (fields::<3>(label), label)),
        |label| label.trim().to_owned(),
    )
}

/// [`infer`] of a note's timestamps: the fields of a `DD:DD:DD` label
/// (nearly all) read from it, its text made only for the one value a
/// reason names.
fn infer_timestamps(timestamps: &[Timestamp]) -> TimeReading {
    infer_from_fields(
        timestamps.iter().map(|stamp| {
            let fields = match stamp.label.two_digit_fields() {
                Some(two_digits) => Some(two_digits.map(|value| (value, 2))),
                None => fields::<3>(&stamp.label.text()),
            };
            (fields, stamp.label)
        }),
        |label| label.text().trim().to_owned(),
    )
}

/// [`infer`] from each value's three fields (`None` unless it has
/// exactly three) and the value, whose text (trimmed) `text` gives.
fn infer_from_fields<V: Copy>(
    values: impl IntoIterator<Item = (Option<[(u32, usize); 3]>, V)>,
    text: impl Fn(V) -> String,
) -> TimeReading {
    let mut whole_minutes = true;
    let mut count = 0;
    let mut largest: Option<(u32, V)> = None;
    let mut past_six: Option<V> = None;
    for (fields, value) in values {
        let Some([(first, _), _, (third, third_digits)]) = fields else {
            continue;
        };
        // A value that cannot be hours, minutes and seconds whatever the
        // note: a first field of 24 or more, or a last field that is not
        // two digits below 60 (`03:12:80`, `03:14:622` are seconds and
        // hundredths).
        if first >= 24 || third >= 60 || third_digits != 2 {
            return minutes_seconds(TimeEvidence::ImpossibleHours(text(value)));
        }
        if first >= IMPLAUSIBLE_HOURS && past_six.is_none() {
            past_six = Some(value);
        }
        count += 1;
        whole_minutes &= third == 0;
        if largest.is_none_or(|(l, _)| first > l) {
            largest = Some((first, value));
        }
    }
    if let Some(value) = past_six {
        return minutes_seconds(TimeEvidence::PastSixHours(text(value)));
    }
    match largest {
        Some((first, value)) if whole_minutes && count >= 2 && first >= WHOLE_MINUTE_HOURS => {
            minutes_seconds(TimeEvidence::WholeMinutes {
                values: count,
                largest: text(value),
            })
        }
        _ => TimeReading::default(),
    }
}

fn minutes_seconds(evidence: TimeEvidence) -> TimeReading {
    TimeReading {
        format: TimeFormat::MinutesSecondsFrames,
        evidence: Some(Box::new(evidence)),
    }
}

/// Reads one value under a note's reading. Under `MM:SS:FF` a three-field
/// value `A:B:C` is `A` minutes `B` seconds, `C` (two digits) dropped;
/// when that is no time either, the error names both readings.
pub fn read(label: &str, format: TimeFormat) -> Result<u32, TimeError> {
    let literal = parse_time(label);
    if literal.is_ok() && format == TimeFormat::HoursMinutesSeconds {
        return literal;
    }
    // `HH:MM:SS:FF`, a timecode: the same `:00` appended to a full time.
    if let Some([hours, minutes, seconds, (_, frames)]) = fields::<4>(label) {
        let two = |(value, digits): (u32, usize)| value < 60 && digits == 2;
        let total = hours.0 * 3600 + minutes.0 * 60 + seconds.0;
        if two(minutes) && two(seconds) && frames <= 3 && total < LONGEST_SECONDS {
            return Ok(total);
        }
        return literal;
    }
    if format == TimeFormat::HoursMinutesSeconds {
        return literal;
    }
    let Some([(minutes, _), (seconds, seconds_len), (_, frames_len)]) = fields::<3>(label) else {
        return literal;
    };
    let total = minutes.saturating_mul(60).saturating_add(seconds);
    if seconds >= 60 || seconds_len != 2 || frames_len > 3 || total >= LONGEST_SECONDS {
        return Err(TimeError::ImpossibleEitherWay(label.trim().to_owned()));
    }
    Ok(total)
}

/// Decides the note's reading (unless `options` say literal), sets every
/// timestamp's seconds, and returns one problem per value that is no time
/// under that reading.
pub fn settle(timestamps: &mut [Timestamp], options: TimeOptions) -> (TimeReading, Vec<Problem>) {
    if settle_plain_clocks(timestamps) {
        return (TimeReading::default(), Vec::new());
    }
    settle_by_rules(timestamps, options)
}

/// [`settle`] by the full rules, from the labels' text.
fn settle_by_rules(
    timestamps: &mut [Timestamp],
    options: TimeOptions,
) -> (TimeReading, Vec<Problem>) {
    let reading = if options.literal {
        TimeReading::default()
    } else {
        infer_timestamps(timestamps)
    };
    let mut problems = Vec::new();
    let format = if options.literal {
        TimeFormat::HoursMinutesSeconds
    } else {
        reading.format
    };
    for stamp in timestamps {
        let packed = stamp
            .label
            .two_digit_fields()
            .and_then(|fields| read_two_digit_fields(fields, format));
        let read = match packed {
            Some(seconds) => Ok(seconds),
            None if options.literal => parse_time(&stamp.label.text()),
            None => read(&stamp.label.text(), reading.format),
        };
        stamp.set_seconds(match read {
            Ok(seconds) => Some(seconds),
            Err(error) => {
                problems.push(Problem::new(
                    ProblemKind::MalformedTimestamp,
                    Some(stamp.line()),
                    format!(
                        "timestamp `{}` cannot be read ({error}); shown as text, not copyable",
                        stamp.label
                    ),
                ));
                None
            }
        });
    }
    (reading, problems)
}

/// [`read`] of a `DD:DD:DD` value from its fields, when it is a time
/// under `format` (`None` leaves it, and its error, to [`read`]).
fn read_two_digit_fields([first, second, third]: [u32; 3], format: TimeFormat) -> Option<u32> {
    match format {
        TimeFormat::HoursMinutesSeconds => {
            (first < 24 && second < 60 && third < 60).then_some(first * 3600 + second * 60 + third)
        }
        TimeFormat::MinutesSecondsFrames => {
            let total = first * 60 + second;
            (second < 60 && total < LONGEST_SECONDS).then_some(total)
        }
    }
}

/// [`settle`] of the common note, read from the labels' packed fields
/// without making their text: every value `DD:DD:DD`, a time of day below
/// six hours, and not the whole-minutes pattern. Such a note is read as
/// written under either option, with no problem; any other note returns
/// false, for the full rules (which set every timestamp's seconds again:
/// the seconds are set here as the labels are checked, in one pass).
fn settle_plain_clocks(timestamps: &mut [Timestamp]) -> bool {
    let mut whole_minutes = true;
    let mut largest = 0;
    for stamp in timestamps.iter_mut() {
        let Some([hours, minutes, seconds]) = stamp.label.two_digit_fields() else {
            return false;
        };
        if hours >= IMPLAUSIBLE_HOURS || minutes >= 60 || seconds >= 60 {
            return false;
        }
        whole_minutes &= seconds == 0;
        largest = largest.max(hours);
        stamp.set_seconds(Some(hours * 3600 + minutes * 60 + seconds));
    }
    !(whole_minutes && timestamps.len() >= 2 && largest >= WHOLE_MINUTE_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_digit_fields_read_as_the_text_does() {
        for first in 0..100 {
            for second in 0..100 {
                for third in [0, 7, 59, 60, 99] {
                    let label = format!("{first:02}:{second:02}:{third:02}");
                    for format in [
                        TimeFormat::HoursMinutesSeconds,
                        TimeFormat::MinutesSecondsFrames,
                    ] {
                        let fast = read_two_digit_fields([first, second, third], format);
                        let full = read(&label, format).ok();
                        assert!(fast.is_none() || fast == full, "{label} {format:?}");
                        assert_eq!(fast.is_some(), full.is_some(), "{label} {format:?}");
                    }
                    let literal = read_two_digit_fields(
                        [first, second, third],
                        TimeFormat::HoursMinutesSeconds,
                    );
                    assert_eq!(literal, parse_time(&label).ok(), "{label}");
                }
            }
        }
    }

    #[test]
    fn the_packed_shortcut_settles_as_the_full_rules_do() {
        let stamps = |labels: &[&str]| -> Vec<Timestamp> {
            labels
                .iter()
                .map(|l| Timestamp::new(super::super::timestamp::Label::new(l), 1, false, 0..0))
                .collect()
        };
        let mut taken = 0;
        for labels in [
            &[][..],
            &["00:05:17"][..],
            &["00:05:17", "01:02:03", "05:59:59"][..],
            &["05:00:00", "00:01:00"][..],
            &["03:00:00"][..],
            &["03:00:00", "00:41:00"][..],
            &["02:00:00", "00:41:00"][..],
            &["06:00:00"][..],
            &["23:00:00"][..],
            &["24:00:00"][..],
            &["00:60:00"][..],
            &["00:00:60"][..],
            &["00:05:17", "5:17"][..],
            &["00:05:17", "HH:MM:SS"][..],
            &["42:34:00", "01:16:16"][..],
        ] {
            for options in [TimeOptions::default(), TimeOptions { literal: true }] {
                let mut fast = stamps(labels);
                let mut full = stamps(labels);
                let expected = settle_by_rules(&mut full, options);
                if settle_plain_clocks(&mut fast) {
                    taken += 1;
                    assert_eq!((TimeReading::default(), Vec::new()), expected, "{labels:?}");
                    assert_eq!(fast, full, "{labels:?}");
                }
                assert_eq!(settle(&mut stamps(labels), options), expected, "{labels:?}");
            }
        }
        assert_eq!(taken, 10, "the shortcut takes the plain notes");
    }

    fn reading(labels: &[&str]) -> TimeReading {
        infer(labels.iter().copied())
    }

    fn seconds(labels: &[&str]) -> Vec<Option<u32>> {
        let format = reading(labels).format;
        labels.iter().map(|l| read(l, format).ok()).collect()
    }

    #[test]
    fn an_impossible_hour_makes_the_whole_note_minutes_and_seconds() {
        // The example: `01:16:16` beside `42:34:00` is 1 min 16 s.
        let labels = ["42:34:00", "01:16:16", "43:23:00"];
        let got = reading(&labels);
        assert_eq!(got.format, TimeFormat::MinutesSecondsFrames);
        assert_eq!(
            got.evidence.as_deref(),
            Some(&TimeEvidence::ImpossibleHours("42:34:00".into()))
        );
        assert_eq!(seconds(&labels), vec![Some(2554), Some(76), Some(2603)]);
        assert_eq!(
            got.explain().as_deref(),
            Some("times read as MM:SS (this note writes MM:SS:FF: `42:34:00` cannot be hours)")
        );
    }

    #[test]
    fn a_value_past_six_hours_makes_the_note_minutes_and_seconds() {
        let labels = ["02:48:42", "13:31:00", "09:05:07"];
        let got = reading(&labels);
        assert_eq!(
            got.evidence.as_deref(),
            Some(&TimeEvidence::PastSixHours("13:31:00".into()))
        );
        assert_eq!(seconds(&labels), vec![Some(168), Some(811), Some(545)]);
    }

    #[test]
    fn whole_minutes_hours_in_are_minutes_and_seconds() {
        // A ten-minute video citing `03:43:00` means 3 min 43 s.
        let labels = ["00:41:00", "03:43:00", "01:05:00"];
        assert_eq!(
            reading(&labels).evidence.as_deref(),
            Some(&TimeEvidence::WholeMinutes {
                values: 3,
                largest: "03:43:00".into()
            })
        );
        assert_eq!(seconds(&labels), vec![Some(41), Some(223), Some(65)]);
    }

    #[test]
    fn too_little_evidence_keeps_hours() {
        // Whole minutes below three hours: a long podcast rounded to the
        // minute reads the same way; not enough to decide, keep HH:MM:SS.
        for labels in [
            &["00:54:00", "01:08:00", "02:24:00"][..],
            // A single value is not a pattern.
            &["04:00:00"][..],
            // One value off the minute breaks the pattern.
            &["03:43:00", "00:12:31"][..],
            &[][..],
            &["05:17", "317"][..],
        ] {
            assert_eq!(reading(labels), TimeReading::default(), "{labels:?}");
        }
    }

    #[test]
    fn a_three_hour_podcast_stays_hours_minutes_seconds() {
        let labels = ["00:05:17", "01:16:16", "02:45:10", "03:02:59"];
        assert_eq!(reading(&labels).format, TimeFormat::HoursMinutesSeconds);
        assert_eq!(
            seconds(&labels),
            vec![Some(317), Some(4576), Some(9910), Some(10979)]
        );
    }

    #[test]
    fn impossible_under_both_readings_is_refused_with_the_reason() {
        let labels = ["42:34:00", "12:75:00", "400:00:00", "1:2:3", "1:02:3456"];
        assert_eq!(seconds(&labels), vec![Some(2554), None, None, None, None]);
        let error = read("12:75:00", TimeFormat::MinutesSecondsFrames).unwrap_err();
        assert_eq!(error, TimeError::ImpossibleEitherWay("12:75:00".into()));
        assert!(error.to_string().contains("MM:SS:FF"), "{error}");
    }

    #[test]
    fn hundredths_cannot_be_seconds() {
        let labels = ["00:12:31", "03:12:80", "03:14:622"];
        assert_eq!(
            reading(&labels).evidence.as_deref(),
            Some(&TimeEvidence::ImpossibleHours("03:12:80".into()))
        );
        assert_eq!(seconds(&labels), vec![Some(12), Some(192), Some(194)]);
    }

    #[test]
    fn timecodes_drop_their_frames() {
        for format in [
            TimeFormat::HoursMinutesSeconds,
            TimeFormat::MinutesSecondsFrames,
        ] {
            assert_eq!(read("01:01:26:00", format), Ok(3686));
            assert_eq!(read("1:19:20:00", format), Ok(4760));
            assert!(read("01:75:26:00", format).is_err());
            assert!(read("07:01:26:00", format).is_err(), "past 6 hours");
        }
        assert_eq!(reading(&["01:01:26:00"]), TimeReading::default());
    }

    #[test]
    fn two_fields_and_seconds_read_the_same_either_way() {
        for format in [
            TimeFormat::HoursMinutesSeconds,
            TimeFormat::MinutesSecondsFrames,
        ] {
            assert_eq!(read("05:17", format), Ok(317));
            assert_eq!(read("317", format), Ok(317));
            assert!(read("HH:MM:SS", format).is_err());
        }
    }

    #[test]
    fn literal_option_reads_as_written() {
        let mut stamps: Vec<Timestamp> = ["42:34:00", "01:16:16", "01:01:26:00"]
            .iter()
            .map(|l| Timestamp::new(super::super::timestamp::Label::new(l), 3, false, 0..1))
            .collect();
        let (got, problems) = settle(&mut stamps, TimeOptions { literal: true });
        assert_eq!(got, TimeReading::default());
        assert_eq!(stamps[0].seconds(), None);
        assert_eq!(stamps[1].seconds(), Some(4576));
        assert_eq!(stamps[2].seconds(), None, "a timecode is not as written");
        assert_eq!(problems.len(), 2);
        let (got, problems) = settle(&mut stamps, TimeOptions::default());
        assert!(got.is_corrected());
        assert_eq!(stamps[0].seconds(), Some(2554));
        assert_eq!(stamps[1].seconds(), Some(76));
        assert_eq!(stamps[2].seconds(), Some(3686));
        assert!(problems.is_empty());
    }
}
