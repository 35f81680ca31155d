//! The loader's single pass over a note body: headings, wiki-links,
//! Markdown links, timestamps and the word count, line by line.
//!
//! This is deliberately not a full CommonMark parser: a vault of 21,000 notes
//! must be indexed in a fraction of a second, and a full parse costs about as
//! much as the whole budget. It follows the rules that decide what a note
//! links to: fenced code and code spans hold no links, headings are ATX
//! (`## x`) or setext (`x` over `---`/`===`), wiki-links stay on one line.
//! The renderer parses fully when a note is opened and matches its links and
//! timestamps to these by byte offset.

use std::{ops::Range, sync::LazyLock};

use memchr::memmem::Finder;

use super::{
    next_match::{NextMatch, next_byte, next_byte2},
    note::{
        Headings, HeadingsBuilder, Links, LinksBuilder, MarkdownLinks, MarkdownLinksBuilder,
        Timestamp,
    },
    problem::Problem,
    time_format::{self, TimeOptions, TimeReading},
    timestamp::{Label, looks_like_clock},
};

/// What the scan finds in a note: as it goes, its headings, links and
/// Markdown links in builders (`H`, `L`, `M`); once done, in lists of
/// exactly their size ([`Found`]).
#[derive(Debug, Default)]
pub struct Scan<H = HeadingsBuilder, L = LinksBuilder, M = MarkdownLinksBuilder> {
    pub headings: H,
    pub links: L,
    pub markdown_links: M,
    pub timestamps: Vec<Timestamp>,
    pub words: u32,
    pub channel: Option<String>,
    pub problems: Vec<Problem>,
    /// How the note's three-field times are read.
    pub time_reading: TimeReading,
    /// The bracket pairs of [`Self::scan_inline`]'s line, kept for their
    /// memory.
    brackets: Brackets,
}

/// What a [`Scan`] found, each list in allocations of exactly its size.
pub type Found = Scan<Headings, Links, MarkdownLinks>;

/// Scans `text[body_start..]`; `body_line` is the 1-based line of `body_start`.
#[must_use]
pub fn scan(text: &str, body_start: usize, body_line: u32) -> Found {
    let mut scan = Scan::default();
    scan_into(&mut scan, text, body_start, body_line);
    Scan::take_exact(&mut scan)
}

impl Scan {
    /// What `scratch` holds, in allocations of exactly its length, leaving
    /// `scratch` empty with its capacity: vectors grown by pushing keep up
    /// to twice their length, and a vault keeps millions of these entries.
    #[must_use]
    pub fn take_exact(scratch: &mut Self) -> Found {
        Found {
            headings: scratch.headings.take_exact(),
            links: scratch.links.take_exact(),
            markdown_links: scratch.markdown_links.take_exact(),
            timestamps: scratch.timestamps.drain(..).collect(),
            words: scratch.words,
            channel: scratch.channel.take(),
            problems: scratch.problems.drain(..).collect(),
            time_reading: std::mem::take(&mut scratch.time_reading),
            brackets: Brackets::default(),
        }
    }
}

/// [`scan`] into `scan`, cleared first: one scratch reused from note to
/// note grows its vectors once, not per note.
pub fn scan_into(scan: &mut Scan, text: &str, body_start: usize, body_line: u32) {
    scan_counted(scan, text, body_start, body_line, None);
}

/// [`scan_into`] of a text whose words the caller has counted already:
/// `text_words` is `count_words(text)`, as [`words_if_clean`] gives it
/// (see [`tally`]).
pub fn scan_counted(
    scan: &mut Scan,
    text: &str,
    body_start: usize,
    body_line: u32,
    text_words: Option<u32>,
) {
    let by_body = Tally::of_body(text, body_start, text_words);
    let tally = scan_lines(scan, text, body_start, body_line, by_body).unwrap_or_else(|_| {
        // Counted line by line, no line asks for it again.
        scan_lines(scan, text, body_start, body_line, Tally::Lines(0)).unwrap_or(Tally::Lines(0))
    });
    scan.words = tally.total();
    // The clock a note writes in is decided from all of its times at once.
    let (reading, problems) = time_format::settle(&mut scan.timestamps, TimeOptions::default());
    scan.time_reading = reading;
    scan.problems.extend(problems);
}

/// The line by line reading of [`scan_counted`], its words in `tally`
/// (an error when they are to be counted line by line).
fn scan_lines(
    scan: &mut Scan,
    text: &str,
    body_start: usize,
    body_line: u32,
    mut tally: Tally,
) -> Result<Tally, CountByLines> {
    scan.headings.clear();
    scan.links.clear();
    scan.markdown_links.clear();
    scan.timestamps.clear();
    scan.words = 0;
    scan.channel = None;
    scan.problems.clear();
    scan.time_reading = TimeReading::default();
    // The fence's character and length, and where its block starts.
    let mut fence: Option<(u8, usize, usize)> = None;
    let mut offset = body_start.min(text.len());
    let mut previous_paragraph: Option<(usize, &str)> = None;
    let mut seen_content = false;
    for (this_line, raw_line) in (body_line..).zip(lines_inclusive(&text[offset..])) {
        let line = trim::without_line_end(raw_line);
        let start = offset;
        offset += raw_line.len();

        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = trim::trim_start(line);
        if let Some((fence_char, fence_len, block_start)) = fence {
            let run = count_run(trimmed.as_bytes(), fence_char);
            if indent < 4 && run >= fence_len && trim::trim(&trimmed[run..]).is_empty() {
                tally.skipped(&text[block_start..offset]);
                fence = None;
            }
            continue;
        }
        if indent < 4 {
            let backticks = count_run(trimmed.as_bytes(), b'`');
            let tildes = count_run(trimmed.as_bytes(), b'~');
            if backticks >= 3 && !trimmed[backticks..].contains('`') {
                fence = Some((b'`', backticks, start));
                previous_paragraph = None;
                continue;
            }
            if tildes >= 3 {
                fence = Some((b'~', tildes, start));
                previous_paragraph = None;
                continue;
            }
        }
        if trimmed.is_empty() {
            tally.skipped(line);
            previous_paragraph = None;
            continue;
        }

        if indent < 4 {
            if let Some((level, heading_text)) = atx_heading(trimmed) {
                scan.push_heading(level, heading_text, this_line, start);
                let anchors =
                    scan.scan_inline(start + (line.len() - trimmed.len()), trimmed, this_line);
                // The `##` marker is not a word.
                tally.line(line, trimmed, &anchors, true)?;
                previous_paragraph = None;
                continue;
            }
            if let Some(level) = setext_underline(trimmed)
                && let Some((para_start, para_text)) = previous_paragraph.take()
            {
                scan.push_heading(level, trim::trim(para_text), this_line - 1, para_start);
                tally.skipped(line);
                continue;
            }
        }

        // The channel is named by the first `From:` line of the body.
        let is_from_line = !seen_content && trimmed.starts_with("From:");
        seen_content = true;
        let links_before = scan.links.len();
        // `trimmed` drops tabs too, so its offset is not `indent` (spaces only).
        let anchors = scan.scan_inline(start + (line.len() - trimmed.len()), trimmed, this_line);
        tally.line(line, trimmed, &anchors, false)?;
        if is_from_line && let Some(target) = scan.links.mark_channel(links_before) {
            scan.channel = Some(target.to_owned());
        }
        let is_block_start = trimmed.starts_with(['*', '-', '+', '>', '|', '<'])
            || trimmed.starts_with(|c: char| c.is_ascii_digit());
        previous_paragraph = if is_block_start {
            None
        } else {
            Some((start, line))
        };
    }
    if let Some((_, _, block_start)) = fence {
        tally.skipped(&text[block_start..]);
    }
    Ok(tally)
}

/// The lines of `text`, each with its `\n`, as `split_inclusive('\n')`
/// gives them, but found by the `memchr` crate's vector search (std's
/// character search showed in profiles: it runs over every byte).
pub(crate) fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |at| at + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// The first `]]` in `bytes`: each `]` is checked once for a second one
/// after it, so the search is linear.
fn find_double_bracket(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = memchr::memchr(b']', &bytes[from..]) {
        let at = from + at;
        if bytes.get(at + 1) == Some(&b']') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn count_run(bytes: &[u8], byte: u8) -> usize {
    bytes.iter().take_while(|&&b| b == byte).count()
}

/// `## Heading ##` → (2, "Heading").
fn atx_heading(trimmed: &str) -> Option<(u8, &str)> {
    let level = count_run(trimmed.as_bytes(), b'#');
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &trimmed[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = trim::trim(rest);
    let without_closing = rest.trim_end_matches('#');
    let text = if without_closing.is_empty() || without_closing.ends_with([' ', '\t']) {
        trim::trim_end(without_closing)
    } else {
        rest
    };
    u8::try_from(level).ok().map(|l| (l, text))
}

fn setext_underline(trimmed: &str) -> Option<u8> {
    let t = trim::trim_end(trimmed);
    if !t.is_empty() && t.bytes().all(|b| b == b'=') {
        Some(1)
    } else if t.len() >= 2 && t.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

impl Scan {
    fn push_heading(&mut self, level: u8, raw: &str, line: u32, offset: usize) {
        let plain = super::context::plain_or_same(raw);
        self.headings
            .push_keyed(level, trim::trim(&plain), line, offset);
    }

    /// Finds wiki-links, Markdown links and timestamp anchors in one line,
    /// skipping code spans. `base` is the byte offset of `line` in the text.
    ///
    /// Linear in the line: every "where does it close?" search goes
    /// through a [`LineSearches`], which searches each byte once however
    /// many openers (`[[`, `[`, `<a `, backticks) are left unclosed.
    /// Returns the line's anchors, whose markup is not words.
    // Long: one linear scanner dispatching on the byte at hand.
    fn scan_inline(&mut self, base: usize, line: &str, line_no: u32) -> LineAnchors {
        let bytes = line.as_bytes();
        let mut anchors = LineAnchors::default();
        let mut searches = LineSearches::default();
        // Not `next_str`: a `memmem` finder is built per line, and the
        // lines of a vault are millions.
        let mut close_link = NextMatch::new(find_double_bracket);
        let mut close_paren = next_byte(b')');
        let mut tag_stop = next_byte2(b'>', b'<');
        // `</a>` in any case, as HTML has it.
        let mut close_anchor = NextMatch::new(closing_anchor);
        let mut i = 0;
        while i < bytes.len() {
            // Jump to the next byte that can start something: most of a
            // note is prose, and memchr skips it many bytes at a time.
            match memchr::memchr3(b'[', b'<', b'`', &bytes[i..]) {
                Some(skip) => i += skip,
                None => break,
            }
            if is_escaped(bytes, i) {
                i += 1;
                continue;
            }
            match bytes[i] {
                b'`' => {
                    let run = count_run(&bytes[i..], b'`');
                    let closing = searches.backtick_run(bytes, i + run, run);
                    i = closing.map_or(i + run, |c| c + run);
                }
                b'[' if bytes.get(i + 1) == Some(&b'[') => {
                    let embed = i > 0 && bytes[i - 1] == b'!';
                    match close_link.at_or_after(bytes, i + 2) {
                        Some(inner_end) => {
                            let inner_start = i + 2;
                            // `[[A|[[B]]]]` keeps only the inner link.
                            if let Some(nested) = last_double_open(&bytes[inner_start..inner_end]) {
                                i = inner_start + nested;
                                continue;
                            }
                            let start = if embed { i - 1 } else { i };
                            self.wiki_link(
                                base,
                                start..inner_end + 2,
                                &line[inner_start..inner_end],
                                embed,
                                line_no,
                            );
                            i = inner_end + 2;
                        }
                        None => i += 2,
                    }
                }
                b'[' => {
                    let link = searches
                        .closing_bracket(bytes, i, &mut self.brackets)
                        .and_then(|close| markdown_link(line, i, close, &mut close_paren));
                    if let Some(((text, url), end)) = link {
                        self.markdown_links.push(
                            &super::context::plain_or_same(text),
                            url,
                            line_no,
                        );
                        i = end;
                    } else {
                        i += 1;
                    }
                }
                b'<' if is_anchor_start(&bytes[i..]) => {
                    if let Some(value) = canonical_anchor_value(&line[i..]) {
                        let range = base + i..base + i + CANONICAL_LEN;
                        self.push_label(range, Label::clock(value), line_no);
                        anchors.skip(line, i..i + CANONICAL_LEN, CANONICAL_WORDS);
                        i += CANONICAL_LEN;
                        continue;
                    }
                    let tag_end = tag_stop
                        .at_or_after(bytes, i + 1)
                        .filter(|&end| bytes[end] == b'>');
                    let anchor = tag_end.and_then(|tag_end| {
                        let close = close_anchor.at_or_after(bytes, tag_end);
                        self.anchor(base, line, i..tag_end, close, line_no)
                    });
                    match anchor {
                        Some(end) => {
                            anchors.skip(line, i..end, count_words(&line[i..end]));
                            i = end;
                        }
                        None => i += 1,
                    }
                }
                _ => i += 1,
            }
        }
        anchors
    }

    fn wiki_link(
        &mut self,
        base: usize,
        range: Range<usize>,
        inner: &str,
        embed: bool,
        line_no: u32,
    ) {
        let range = base + range.start..base + range.end;
        // `[[a\|b]]`, the escaped pipe of tables, splits like `[[a|b]]`.
        // `memchr`, not `split_once`: std's character search costs more
        // than the search itself on these few bytes, a million times.
        let (target_part, shown) = match memchr::memchr(b'|', inner.as_bytes()) {
            Some(bar) => {
                let t = &inner[..bar];
                (
                    t.strip_suffix('\\').unwrap_or(t),
                    Some(trim::trim(&inner[bar + 1..])),
                )
            }
            None => (inner, None),
        };
        let (target, heading) = match memchr::memchr(b'#', target_part.as_bytes()) {
            Some(hash) => (
                trim::trim(&target_part[..hash]),
                Some(trim::trim(&target_part[hash + 1..])),
            ),
            None => (trim::trim(target_part), None),
        };
        if target.is_empty() && heading.is_none_or(str::is_empty) {
            return;
        }
        if heading.is_none() && !embed && looks_like_clock(target) {
            self.push_timestamp(range, target, line_no);
            return;
        }
        self.links.push(
            target,
            heading.filter(|h| !h.is_empty()),
            shown.filter(|s| !s.is_empty()),
            embed,
            line_no,
            range,
        );
    }

    /// Reads `<a class="yt-timestamp" data-t="...">...</a>`: `tag` is the
    /// opening tag's range in `line` (without its `>`), `close` where the
    /// next `</a>` starts. Returns where the anchor ends in `line`.
    fn anchor(
        &mut self,
        base: usize,
        line: &str,
        tag: Range<usize>,
        close: Option<usize>,
        line_no: u32,
    ) -> Option<usize> {
        let start = tag.start;
        let tag_end = tag.end;
        let tag = &line[tag];
        let end = close.map_or(tag_end + 1, |c| c + 4);
        // Nearly every anchor of a vault is written the one way: its value
        // and words are read without searching the tag (the general
        // reading finds the same for it).
        let value = match tag.strip_prefix(COMMON_ANCHOR) {
            Some(rest) => memchr::memchr(b'"', rest.as_bytes()).map(|quote| &rest[..quote]),
            None => {
                TIMESTAMP_CLASS.find(tag.as_bytes())?;
                attribute(tag, "data-t")
            }
        };
        let range = base + start..base + end;
        let label = value.unwrap_or_default();
        self.push_timestamp(range, label, line_no);
        Some(end)
    }

    /// Records a timestamp as written; its seconds are set once the whole
    /// note is read (see [`super::time_format`]).
    fn push_timestamp(&mut self, range: Range<usize>, label: &str, line_no: u32) {
        self.push_label(range, Label::new(label), line_no);
    }

    /// [`Self::push_timestamp`] of a label already made.
    fn push_label(&mut self, range: Range<usize>, label: Label, line_no: u32) {
        let on_heading_line = self.headings.last_line() == Some(line_no);
        self.timestamps
            .push(Timestamp::new(label, line_no, on_heading_line, range));
    }
}

// Searchers built once: building one per call costs more than the search.
static TIMESTAMP_CLASS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("yt-timestamp"));

/// Position of the first `</a>` (in any case, as HTML has it) in `bytes`.
/// By `memchr` from `<` to `<`: the `</a>` of an anchor is a few bytes
/// on, nearer than a `memmem` searcher is quick to set up.
fn closing_anchor(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'<', bytes).find(|&at| {
        bytes
            .get(at + 1..at + 4)
            .is_some_and(|tail| tail[0] == b'/' && tail[1..].eq_ignore_ascii_case(b"a>"))
    })
}

/// Where the last `[[` of `bytes` starts (as `rfind("[[")`, by `memrchr`
/// from each `[`: most link texts hold none, and are searched once).
fn last_double_open(bytes: &[u8]) -> Option<usize> {
    let mut end = bytes.len();
    while let Some(at) = memchr::memrchr(b'[', &bytes[..end]) {
        if at > 0 && bytes[at - 1] == b'[' {
            return Some(at - 1);
        }
        end = at;
    }
    None
}

/// True when the byte at `i` follows an odd number of backslashes.
fn is_escaped(bytes: &[u8], i: usize) -> bool {
    bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

fn is_anchor_start(bytes: &[u8]) -> bool {
    bytes.len() > 3 && bytes[1].eq_ignore_ascii_case(&b'a') && bytes[2].is_ascii_whitespace()
}

/// The value of attribute `name` in a tag: the name in any case (HTML
/// names are), the value in double, single or no quotes.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let bytes = tag.as_bytes();
    let mut from = 0;
    while let Some(found) = find_ignore_case(&bytes[from..], name.as_bytes()) {
        let at = from + found;
        from = at + name.len();
        // `data-t` inside `xdata-t` or `data-time` is another attribute.
        let starts_name = at > 0 && bytes[at - 1].is_ascii_whitespace();
        let Some(rest) = tag[from..].trim_start().strip_prefix('=') else {
            continue;
        };
        if !starts_name {
            continue;
        }
        let rest = rest.trim_start();
        return match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let value = &rest[1..];
                value.find(quote).map(|end| &value[..end])
            }
            _ => Some(
                rest.split(|c: char| c.is_ascii_whitespace() || c == '>')
                    .next()
                    .unwrap_or_default(),
            ),
        };
    }
    None
}

/// First position of `needle` in `haystack`, ASCII case ignored. Needles
/// are attribute names, a few bytes long, so this stays linear. `memchr`
/// jumps to each place the needle's first byte (in either case) is, not
/// a comparison at every byte: every timestamp of a vault asks this.
fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(skip) = memchr::memchr2(lower, upper, &haystack[from..]) {
        let at = from + skip;
        let tail = haystack.get(at + 1..at + needle.len())?;
        if tail.eq_ignore_ascii_case(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `[text](url)` with its `[` at `open` and `]` at `close` in `line` →
/// ((text, url), end of the link in `line`).
fn markdown_link<'l, F: Fn(&[u8]) -> Option<usize>>(
    line: &'l str,
    open: usize,
    close: usize,
    close_paren: &mut NextMatch<F>,
) -> Option<((&'l str, &'l str), usize)> {
    if line.as_bytes().get(close + 1) != Some(&b'(') {
        return None;
    }
    let end = close_paren.at_or_after(line.as_bytes(), close + 2)?;
    let url = line[close + 2..end].split_whitespace().next().unwrap_or("");
    Some(((&line[open + 1..close], url), end + 1))
}

mod canonical_anchor;
mod line_searches;
mod tally;
mod trim;
mod words;

use canonical_anchor::{CANONICAL_LEN, CANONICAL_WORDS, canonical_anchor_value};
use line_searches::{Brackets, LineSearches};
use tally::{CountByLines, LineAnchors, Tally};
pub(crate) use words::words_if_clean;
use words::{COMMON_ANCHOR, count_words};

#[cfg(test)]
mod tests;
