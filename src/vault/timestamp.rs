//! Timestamps: reading `data-t` values, showing them, and building the one
//! kind of URL that vidwiki ever copies.

use std::fmt;

mod label;
pub use label::{Label, LabelText};

/// A YouTube video id that has been checked against `^[A-Za-z0-9_-]{11}$`.
/// Only this type can be turned into a URL, so nothing else from a note can
/// reach the clipboard.
/// Read back from the index cache through [`VideoId::parse`], so a cache
/// cannot smuggle in an unchecked id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VideoId([u8; 11]);

impl VideoId {
    /// Checks a raw id; `None` when it is not exactly 11 characters of
    /// `A-Z a-z 0-9 _ -`.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        let bytes: [u8; 11] = raw.as_bytes().try_into().ok()?;
        let valid = bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-');
        valid.then_some(Self(bytes))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        // Checked ASCII in `parse`, the only way to make one.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// `https://youtu.be/ID`, the video without a time.
    #[must_use]
    pub fn url(&self) -> String {
        format!("https://youtu.be/{}", self.as_str())
    }

    /// `https://youtu.be/ID?t=SECONDS`. No tracking parameters, ever.
    #[must_use]
    pub fn url_at(&self, seconds: u32) -> String {
        format!("https://youtu.be/{}?t={seconds}", self.as_str())
    }
}

impl TryFrom<String> for VideoId {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).ok_or("not a video id")
    }
}

impl From<VideoId> for String {
    fn from(id: VideoId) -> Self {
        id.as_str().to_owned()
    }
}

impl fmt::Debug for VideoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("VideoId").field(&self.as_str()).finish()
    }
}

impl fmt::Display for VideoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `data-t` value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("empty time")]
    Empty,
    #[error("not a time: `{0}`")]
    NotATime(String),
    #[error("impossible time `{0}` (minutes and seconds must be below 60, hours below 24)")]
    OutOfRange(String),
    /// No time as `HH:MM:SS` nor, in a note written `MM:SS:FF`, as minutes
    /// and seconds.
    #[error(
        "impossible time `{0}` both as HH:MM:SS and as MM:SS:FF (seconds must be below 60, the time below 6 hours)"
    )]
    ImpossibleEitherWay(String),
}

/// Reads a `data-t` value leniently: `HH:MM:SS`, `H:MM:SS`, `MM:SS`, `M:SS`
/// or plain seconds, with surrounding spaces. Anything that makes no sense
/// (`11:31:94`, `HH:MM:SS`, empty) is an error: a wrong second is worse than
/// none, because the copied link would point at the wrong moment.
pub fn parse_time(raw: &str) -> Result<u32, TimeError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(TimeError::Empty);
    }
    // Up to three `:`-separated fields of 1 to 6 digits, read without
    // allocating: the loader reads three quarters of a million of these.
    let mut fields = [(0u32, 0usize); 3];
    let mut count = 0;
    for part in text.split(':') {
        let digits_only =
            !part.is_empty() && part.len() <= 6 && part.bytes().all(|b| b.is_ascii_digit());
        if count == 3 || !digits_only {
            return Err(TimeError::NotATime(text.to_owned()));
        }
        let value = part.bytes().fold(0u32, |v, b| v * 10 + u32::from(b - b'0'));
        fields[count] = (value, part.len());
        count += 1;
    }
    let out_of_range = || TimeError::OutOfRange(text.to_owned());
    match fields[..count] {
        [(seconds, _)] => Ok(seconds),
        [(minutes, _), (seconds, seconds_len)] => {
            if seconds >= 60 || seconds_len != 2 {
                return Err(out_of_range());
            }
            Ok(minutes * 60 + seconds)
        }
        [(hours, _), (minutes, _), (seconds, seconds_len)] => {
            if hours >= 24 || minutes >= 60 || seconds >= 60 || seconds_len != 2 {
                return Err(out_of_range());
            }
            Ok(hours * 3600 + minutes * 60 + seconds)
        }
        _ => Err(TimeError::NotATime(text.to_owned())),
    }
}

/// True when text looks like a clock time (`00:01:07`, `1:07`), the shape of
/// timestamps that some notes write as `[[00:01:07]]` instead of an anchor.
#[must_use]
pub fn looks_like_clock(text: &str) -> bool {
    // Asked of every wiki-link of a vault: most start with a letter and
    // are refused at their first byte, none allocates.
    let text = text.trim();
    if text.len() > 8 || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut parts = 0;
    text.split(':').all(|p| {
        parts += 1;
        (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    }) && (2..=3).contains(&parts)
}

/// The compact form shown on screen: `05:17` below an hour, `1:38:35` above.
#[must_use]
pub fn format_clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_accepted_shape() {
        assert_eq!(parse_time("00:05:17"), Ok(317));
        assert_eq!(parse_time("1:38:35"), Ok(5915));
        assert_eq!(parse_time("05:17"), Ok(317));
        assert_eq!(parse_time("5:17"), Ok(317));
        assert_eq!(parse_time("317"), Ok(317));
        assert_eq!(parse_time(" 00:00:00 "), Ok(0));
        assert_eq!(parse_time("75:30"), Ok(4530));
    }

    #[test]
    fn rejects_what_makes_no_sense() {
        assert!(matches!(
            parse_time("11:31:94"),
            Err(TimeError::OutOfRange(_))
        ));
        assert!(matches!(
            parse_time("25:00:00"),
            Err(TimeError::OutOfRange(_))
        ));
        assert!(matches!(parse_time("1:5"), Err(TimeError::OutOfRange(_))));
        assert!(matches!(
            parse_time("HH:MM:SS"),
            Err(TimeError::NotATime(_))
        ));
        assert!(matches!(parse_time("1:2:3:4"), Err(TimeError::NotATime(_))));
        assert!(matches!(parse_time("-5"), Err(TimeError::NotATime(_))));
        assert!(matches!(parse_time("1::2"), Err(TimeError::NotATime(_))));
        assert_eq!(parse_time(""), Err(TimeError::Empty));
        assert_eq!(parse_time("  "), Err(TimeError::Empty));
    }

    #[test]
    fn video_ids_are_checked() {
        assert!(VideoId::parse("HrwPuLTdHag").is_some());
        assert!(VideoId::parse("a-b_c012345").is_some());
        for bad in [
            "",
            "HrwPuLTdHa",
            "HrwPuLTdHag1",
            "HrwPuLTd?ag",
            "HrwPuLTdHa\u{1b}",
            "Hrw PuLTdHa",
        ] {
            assert!(VideoId::parse(bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn urls_have_nothing_but_id_and_seconds() {
        let id = VideoId::parse("HrwPuLTdHag").expect("valid id");
        assert_eq!(id.url_at(317), "https://youtu.be/HrwPuLTdHag?t=317");
        assert_eq!(id.url(), "https://youtu.be/HrwPuLTdHag");
    }

    #[test]
    fn clock_formatting() {
        assert_eq!(format_clock(317), "05:17");
        assert_eq!(format_clock(5915), "1:38:35");
        assert_eq!(format_clock(0), "00:00");
        assert!(looks_like_clock("00:01:07"));
        assert!(looks_like_clock("1:07"));
        assert!(!looks_like_clock("Note title"));
        assert!(!looks_like_clock("1:2:3:4"));
    }
}
