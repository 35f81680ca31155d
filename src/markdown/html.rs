//! Raw HTML in notes: split into tags and text, so that text is shown and
//! tags never are. The renderer decides what a tag means (a line break, an
//! image's alt text, the start of a timestamp anchor); this module only
//! reads HTML, leniently, and never fails.

use std::borrow::Cow;

/// A piece of an HTML fragment, with its byte offset in the fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fragment<'s> {
    Tag(HtmlTag<'s>),
    /// Text between tags, entities not yet decoded.
    Text(&'s str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HtmlTag<'s> {
    /// The tag name, as written (compare with `eq_ignore_ascii_case`).
    pub name: &'s str,
    pub closing: bool,
    /// The whole tag, `<` to `>`.
    pub raw: &'s str,
}

/// What a tag does to the rendered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TagEffect {
    /// `<br>`, and block tags (`<p>`, `<div>`, `<li>`, …) that start a line.
    LineBreak,
    /// `<img alt="…">`: the alt text (and source) are shown.
    Image { alt: String, src: String },
    /// `<a class="yt-timestamp" …>`: a timestamp anchor begins.
    TimestampStart,
    /// Anything else: dropped.
    Nothing,
}

/// Splits HTML into tags and text, with byte offsets. A `<` that does not
/// start a well-formed tag is text; comments and declarations are dropped.
/// Linear in `html`, however many `<` or `<!--` are left unclosed.
pub(crate) fn fragments(html: &str) -> Vec<(usize, Fragment<'_>)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut ends = TagEnds::default();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match memchr::memchr(b'<', &bytes[i..]) {
            Some(skip) => i += skip,
            None => break,
        }
        let Some(end) = ends.tag_end(html, i) else {
            i += 1;
            continue;
        };
        if text_start < i {
            out.push((text_start, Fragment::Text(&html[text_start..i])));
        }
        let raw = &html[i..end];
        if let Some(tag) = parse_tag(raw) {
            out.push((i, Fragment::Tag(tag)));
        }
        i = end;
        text_start = end;
    }
    if text_start < html.len() {
        out.push((text_start, Fragment::Text(&html[text_start..])));
    }
    out
}

/// Finds where tags end, remembering what earlier searches learnt: the
/// next `-->`, and for each `<` met inside a quoted attribute, where the
/// search went from there. Without it a line of `<!--`, or of `<a "` with
/// no closing quote, would be searched to its end once per `<`.
#[derive(Default)]
struct TagEnds {
    comment_end: Option<(usize, Option<usize>)>,
    /// (position of a `<`, quote open there) → where the tag ends.
    through: std::collections::HashMap<(usize, u8), Option<usize>>,
}

impl TagEnds {
    /// End (exclusive) of the tag or comment starting at `start`, if it is one.
    fn tag_end(&mut self, html: &str, start: usize) -> Option<usize> {
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            let found = match self.comment_end {
                Some((from, found)) if from <= start && found.is_none_or(|f| f >= start) => found,
                _ => {
                    let found = html[start..].find("-->").map(|e| start + e);
                    self.comment_end = Some((start, found));
                    found
                }
            };
            return found.map(|e| e + 3);
        }
        let bytes = rest.as_bytes();
        let next = *bytes.get(1)?;
        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
            return None;
        }
        let mut quote = None;
        let mut passed = Vec::new();
        let mut result = None;
        for (offset, &b) in bytes.iter().enumerate().skip(1) {
            match (quote, b) {
                (None, b'"' | b'\'') => quote = Some(b),
                (Some(q), _) if q == b => quote = None,
                (None, b'>') => {
                    result = Some(start + offset + 1);
                    break;
                }
                (None, b'<') => break,
                (Some(q), b'<') => {
                    if let Some(&known) = self.through.get(&(start + offset, q)) {
                        result = known;
                        break;
                    }
                    passed.push((start + offset, q));
                }
                _ => {}
            }
        }
        for key in passed {
            self.through.insert(key, result);
        }
        result
    }
}

fn parse_tag(raw: &str) -> Option<HtmlTag<'_>> {
    let inner = raw.strip_prefix('<')?;
    if inner.starts_with('!') || inner.starts_with('?') {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(inner.len());
    Some(HtmlTag {
        name: &inner[..name_len],
        closing,
        raw,
    })
}

/// The value of attribute `name` in a raw tag, entities decoded.
pub(crate) fn attribute<'s>(raw: &'s str, name: &str) -> Option<Cow<'s, str>> {
    let bytes = raw.as_bytes();
    let mut search = 0;
    while let Some(found) = find_ignore_case(&raw[search..], name) {
        let at = search + found;
        search = at + name.len();
        let before_ok = at > 0 && bytes[at - 1].is_ascii_whitespace();
        let after = raw[search..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        let (value, _) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split_once(q).unwrap_or((&value[1..], "")),
            _ => value
                .split_once(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or((value, "")),
        };
        return Some(decode_entities(value));
    }
    None
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// What a tag means for the text around it.
pub(crate) fn effect(tag: &HtmlTag<'_>) -> TagEffect {
    let name = tag.name;
    let is = |n: &str| name.eq_ignore_ascii_case(n);
    if is("br") {
        return TagEffect::LineBreak;
    }
    if tag.closing {
        return match name.to_ascii_lowercase().as_str() {
            "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
            | "table" | "ul" | "ol" | "pre" => TagEffect::LineBreak,
            _ => TagEffect::Nothing,
        };
    }
    if is("img") {
        let alt = attribute(tag.raw, "alt").unwrap_or_default().into_owned();
        let src = attribute(tag.raw, "src").unwrap_or_default().into_owned();
        return TagEffect::Image { alt, src };
    }
    if is("a") && is_timestamp_anchor(tag.raw) {
        return TagEffect::TimestampStart;
    }
    TagEffect::Nothing
}

/// True for `<a class="yt-timestamp" …>`.
pub(crate) fn is_timestamp_anchor(raw: &str) -> bool {
    attribute(raw, "class").is_some_and(|c| c.split_whitespace().any(|c| c == "yt-timestamp"))
}

/// Decodes the common named entities and numeric references; anything
/// unknown stays as written. Control characters this may produce are made
/// visible later, where text becomes spans.
pub(crate) fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..]
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| entity(&rest[1..=semi]).map(|c| (c, semi + 2)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{fffd}'),
        );
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "laquo" => '«',
        "raquo" => '»',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "times" => '×',
        "deg" => '°',
        "euro" => '€',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_tags_and_text_with_offsets() {
        let html = r#"a <a class="yt-timestamp" data-t="00:05:17">[00:05:17]</a> b<br/>"#;
        let parts = fragments(html);
        assert_eq!(parts[0], (0, Fragment::Text("a ")));
        let (offset, Fragment::Tag(tag)) = &parts[1] else {
            panic!("{parts:?}")
        };
        assert_eq!(*offset, 2);
        assert_eq!(effect(tag), TagEffect::TimestampStart);
        assert_eq!(attribute(tag.raw, "data-t").as_deref(), Some("00:05:17"));
        assert_eq!(parts[2].1, Fragment::Text("[00:05:17]"));
        let Fragment::Tag(br) = &parts.last().expect("parts").1 else {
            panic!()
        };
        assert_eq!(effect(br), TagEffect::LineBreak);
    }

    #[test]
    fn broken_markup_is_text_and_comments_vanish() {
        let parts = fragments("1 < 2 <!-- hidden --> <b");
        let text: String = parts
            .iter()
            .filter_map(|(_, f)| match f {
                Fragment::Text(t) => Some(*t),
                Fragment::Tag(_) => None,
            })
            .collect();
        assert_eq!(text, "1 < 2  <b");
    }

    #[test]
    fn broken_anchor_class_is_not_a_timestamp() {
        assert!(!is_timestamp_anchor(
            r#"<a class="yt>timestamp" data-t="1">"#
        ));
        assert!(is_timestamp_anchor(
            r#"<a data-t="1" CLASS='x yt-timestamp'>"#
        ));
    }

    #[test]
    fn attributes_in_any_case_and_quoting() {
        let tag = r#"<A CLASS="yt-timestamp" DATA-T="00:05:17">"#;
        assert!(is_timestamp_anchor(tag));
        assert_eq!(attribute(tag, "data-t").as_deref(), Some("00:05:17"));
        let tag = "<a class='yt-timestamp' data-t='1:00'>";
        assert_eq!(attribute(tag, "data-t").as_deref(), Some("1:00"));
        let tag = "<a class=yt-timestamp data-time=9 data-t=00:00:07>";
        assert!(is_timestamp_anchor(tag));
        assert_eq!(attribute(tag, "data-t").as_deref(), Some("00:00:07"));
    }

    #[test]
    fn image_alt_and_entities() {
        let parts = fragments(r#"<img src="a.png" alt="A &amp; B">"#);
        let Fragment::Tag(tag) = &parts[0].1 else {
            panic!()
        };
        assert_eq!(
            effect(tag),
            TagEffect::Image {
                alt: "A & B".into(),
                src: "a.png".into()
            }
        );
        assert_eq!(
            decode_entities("x &#27; &#x41; &bogus; &"),
            "x \u{1b} A &bogus; &"
        );
    }
}
