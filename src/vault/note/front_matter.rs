//! A note's front matter, kept in one allocation: a vault keeps the front
//! matter of every note (a `Vec` of `String` pairs was five allocations a
//! note, a twentieth of a vault's heap at 100,000 notes with malloc's
//! overhead).

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The YAML block at the top of a note. Every key is kept, in file order,
/// with its value as text, so nothing the author wrote is lost.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontMatter {
    /// Every key and value in one allocation (a vault keeps the front
    /// matter of every note: a `Vec` of `String` pairs was five
    /// allocations a note), each written as its length in decimal, `:`,
    /// then its text. Read through [`Self::fields`], which stops at
    /// anything that does not follow this (a damaged cache), never panics.
    packed: Box<str>,
    /// Lines of the file the block spans (1-based, inclusive of `---`).
    pub lines: Option<Range<u32>>,
}

impl FrontMatter {
    /// The front matter of these keys and values, in this order (its
    /// `lines` unknown).
    pub fn new<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> Self {
        let parts = || fields.iter().flat_map(|(k, v)| [k.as_ref(), v.as_ref()]);
        // The exact size first: grown by pushing, the string was
        // reallocated several times a note, and once more to fit its box.
        let size = parts()
            .map(|part| decimal_len(part.len()) + 1 + part.len())
            .sum();
        let mut packed = String::with_capacity(size);
        for part in parts() {
            push_decimal(&mut packed, part.len());
            packed.push(':');
            packed.push_str(part);
        }
        Self {
            packed: packed.into_boxed_str(),
            lines: None,
        }
    }

    /// Every key with its value, in file order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut rest: &str = &self.packed;
        std::iter::from_fn(move || Some((next_part(&mut rest)?, next_part(&mut rest)?)))
    }

    /// The first field `name`, trimmed, when not empty. Looked up, not
    /// kept twice: a vault keeps the front matter of every note.
    fn lookup(&self, name: &str) -> Option<&str> {
        self.fields()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    #[must_use]
    pub fn title(&self) -> Option<&str> {
        self.lookup("title")
    }

    /// `videoId` exactly as written (may be invalid; see [`Note::video_id`]).
    #[must_use]
    pub fn video_id(&self) -> Option<&str> {
        self.lookup("videoId")
    }
}

/// How many digits `n` has in decimal.
fn decimal_len(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// `n` in decimal, pushed without `fmt` (every field of every note's
/// front matter: `write!` was a third of the cost of packing them).
fn push_decimal(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + u8::try_from(rest % 10).unwrap_or(0);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // ASCII digits: always UTF-8.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// The part `rest` starts with (see [`FrontMatter::packed`]), taken off it.
fn next_part<'a>(rest: &mut &'a str) -> Option<&'a str> {
    // By bytes: a title or video id is looked up in every note as it is
    // parsed (std's character search and `parse` showed in profiles).
    let colon = memchr::memchr(b':', rest.as_bytes())?;
    let (len, after) = (&rest[..colon], &rest[colon + 1..]);
    let len = match len.as_bytes() {
        digits @ [_, ..] if digits.len() <= 19 && digits.iter().all(u8::is_ascii_digit) => digits
            .iter()
            .fold(0usize, |n, &d| n * 10 + usize::from(d - b'0')),
        // Anything else, as `parse` reads it (a damaged cache).
        _ => len.parse().ok()?,
    };
    let part = after.get(..len)?;
    *rest = after.get(len..)?;
    Some(part)
}

impl std::fmt::Debug for FrontMatter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrontMatter")
            .field("fields", &self.fields().collect::<Vec<_>>())
            .field("lines", &self.lines)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_written_and_read_as_fmt_and_parse_do() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, usize::MAX] {
            let mut out = String::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string());
            assert_eq!(decimal_len(n), out.len());
        }
        for packed in [
            "3:abc", "+3:abc", "03:abc", "x:abc", ":abc", "4:abc", "3abc", "",
        ] {
            let mut rest = packed;
            let by_parse = packed.split_once(':').and_then(|(len, after)| {
                let len: usize = len.parse().ok()?;
                Some((after.get(..len)?, after.get(len..)?))
            });
            let part = next_part(&mut rest);
            assert_eq!(part.map(|p| (p, rest)), by_parse, "{packed:?}");
        }
    }

    #[test]
    fn keeps_every_field_in_order_whatever_it_holds() {
        let fields = [
            ("title", " A: 12:b "),
            ("", ""),
            ("3:x", "é:ü✓"),
            ("videoId", "eMlx5fFNoYc"),
            ("title", "second"),
        ];
        let fm = FrontMatter::new(&fields);
        assert_eq!(fm.fields().collect::<Vec<_>>(), fields);
        assert_eq!(fm.title(), Some("A: 12:b"));
        assert_eq!(fm.video_id(), Some("eMlx5fFNoYc"));
        assert_eq!(FrontMatter::default().fields().count(), 0);
        assert_eq!(FrontMatter::new(&fields), fm);
    }

    #[test]
    fn a_damaged_packing_stops_the_fields_and_never_panics() {
        for packed in [
            "5:title",
            "5:title9:ab",
            "x:a1:b",
            "1:é1:a",
            "1:a",
            ":",
            "99999999999999999999:",
        ] {
            let fm = FrontMatter {
                packed: packed.into(),
                lines: None,
            };
            assert_eq!(fm.fields().count(), 0, "{packed:?}");
        }
        let fm = FrontMatter {
            packed: "1:a1:b5:broken".into(),
            lines: None,
        };
        assert_eq!(fm.fields().collect::<Vec<_>>(), [("a", "b")]);
    }

    #[test]
    fn goes_through_the_cache_encoding_unchanged() {
        let mut fm = FrontMatter::new(&[("title", "T"), ("tags", "- a - b")]);
        fm.lines = Some(1..4);
        let bytes = postcard::to_stdvec(&fm).expect("encodes");
        assert_eq!(
            postcard::from_bytes::<FrontMatter>(&bytes).expect("decodes"),
            fm
        );
    }
}
