//! TEMP until markdown lands: a minimal stand-in for `crate::markdown` with
//! the same contract (types and `render`), so the browser can be built and
//! tested before the real renderer is merged. One unstyled, word-wrapped
//! line per source line; wiki-links and timestamps become targets.

use std::ops::Range;

use ratatui::{
    style::{Color, Modifier, Style},
    text::{Line, Span},
};
use unicode_width::UnicodeWidthStr;

use crate::vault::Note;

pub struct RenderedNote {
    pub lines: Vec<Line<'static>>,
    pub targets: Vec<Target>,
    pub headings: Vec<HeadingPosition>,
    pub source_lines: Vec<u32>,
}

pub struct Target {
    pub kind: TargetKind,
    pub pieces: Vec<(usize, Range<u16>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetKind {
    Link(usize),
    Timestamp(usize),
    #[allow(dead_code)] // TEMP: the fallback finds no web links
    Url(String),
}

pub struct HeadingPosition {
    pub heading: usize,
    pub line: usize,
}

const LINK: Style = Style::new()
    .fg(Color::Cyan)
    .add_modifier(Modifier::UNDERLINED);
const TIME: Style = Style::new().fg(Color::Magenta);
const HEADING: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);

struct Token {
    text: String,
    style: Style,
    target: Option<usize>,
    /// A space comes before this token.
    space: bool,
}

#[must_use]
pub fn render(note: &Note, width: u16) -> RenderedNote {
    let width = usize::from(width.max(10));
    let mut out = RenderedNote {
        lines: Vec::new(),
        targets: Vec::new(),
        headings: Vec::new(),
        source_lines: Vec::new(),
    };
    let body_start = note.body_start.min(note.text.len());
    let first_line = u32::try_from(note.text[..body_start].matches('\n').count()).unwrap_or(0) + 1;
    let mut offset = body_start;
    for (src_line, raw) in (first_line..).zip(note.text[body_start..].split('\n')) {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
        let is_heading = (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ');
        if is_heading && let Some(h) = note.headings.iter().position(|h| h.line == src_line) {
            out.headings.push(HeadingPosition {
                heading: h,
                line: out.lines.len(),
            });
        }
        let base = if is_heading { HEADING } else { Style::new() };
        let tokens = tokenize(note, line, offset, base, &mut out.targets);
        wrap(tokens, width, src_line, &mut out);
        offset += raw.len() + 1;
    }
    out
}

fn tokenize(
    note: &Note,
    line: &str,
    offset: usize,
    base: Style,
    targets: &mut Vec<Target>,
) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut space = false;
    let mut i = 0;
    let push_word = |tokens: &mut Vec<Token>, word: &mut String, space: &mut bool| {
        if !word.is_empty() {
            tokens.push(Token {
                text: std::mem::take(word),
                style: base,
                target: None,
                space: *space,
            });
            *space = false;
        }
    };
    while i < line.len() {
        let rest = &line[i..];
        let link_start = if rest.starts_with("![[") {
            Some(3)
        } else if rest.starts_with("[[") {
            Some(2)
        } else {
            None
        };
        if let (Some(open), Some(close)) = (link_start, rest.find("]]")) {
            let link = note.links.iter().position(|l| l.range.start == offset + i);
            if let Some(index) = link {
                push_word(&mut tokens, &mut word, &mut space);
                let _ = open;
                let target = targets.len();
                targets.push(Target {
                    kind: TargetKind::Link(index),
                    pieces: Vec::new(),
                });
                for (n, w) in note.links[index].display_text().split(' ').enumerate() {
                    tokens.push(Token {
                        text: w.to_owned(),
                        style: LINK,
                        target: Some(target),
                        space: if n == 0 { space } else { true },
                    });
                }
                space = false;
                i += close + 2;
                continue;
            }
        }
        if rest.starts_with('<')
            && let Some(end) = rest.find('>')
        {
            {
                let ts = note
                    .timestamps
                    .iter()
                    .position(|t| t.range.start == offset + i);
                if let (Some(index), Some(close)) = (ts, rest.find("</a>")) {
                    push_word(&mut tokens, &mut word, &mut space);
                    let target = targets.len();
                    targets.push(Target {
                        kind: TargetKind::Timestamp(index),
                        pieces: Vec::new(),
                    });
                    tokens.push(Token {
                        text: rest[end + 1..close].to_owned(),
                        style: TIME,
                        target: Some(target),
                        space,
                    });
                    space = false;
                    i += close + 4;
                } else {
                    i += end + 1;
                }
                continue;
            }
        }
        if rest.starts_with("**") {
            i += 2;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        if c == ' ' {
            push_word(&mut tokens, &mut word, &mut space);
            space = true;
        } else {
            word.push(c);
        }
        i += c.len_utf8();
    }
    push_word(&mut tokens, &mut word, &mut space);
    tokens
}

fn wrap(tokens: Vec<Token>, width: usize, src_line: u32, out: &mut RenderedNote) {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut col = 0usize;
    let flush = |spans: &mut Vec<Span<'static>>, out: &mut RenderedNote| {
        out.lines.push(Line::from(std::mem::take(spans)));
        out.source_lines.push(src_line);
    };
    for token in tokens {
        let w = token.text.width();
        let gap = usize::from(token.space && col > 0);
        if col > 0 && col + gap + w > width {
            flush(&mut spans, out);
            col = 0;
        } else if gap == 1 {
            spans.push(Span::raw(" "));
            col += 1;
        }
        if let Some(t) = token.target {
            let line = out.lines.len();
            let start = u16::try_from(col).unwrap_or(u16::MAX);
            let end = u16::try_from(col + w).unwrap_or(u16::MAX);
            let pieces = &mut out.targets[t].pieces;
            match pieces.last_mut() {
                Some((l, range)) if *l == line => range.end = end,
                _ => pieces.push((line, start..end)),
            }
        }
        spans.push(Span::styled(token.text, token.style));
        col += w;
    }
    flush(&mut spans, out);
}
