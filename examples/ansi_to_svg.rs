//! Turns a terminal capture with colours (`tmux capture-pane -e -p`) into
//! an SVG picture of the screen, for the README's screenshot
//! (`scripts/screenshot.sh`).
//!
//! Usage: `cargo run --example ansi_to_svg < screen.ans > screen.svg`
//!
//! It understands what a ratatui screen uses: SGR attributes (bold, dim,
//! italic, underline, reverse, crossed out) and colours (the 16 basic ones,
//! 256 indexed, 24-bit). Every other escape sequence is dropped, and the
//! text is escaped for XML, so no byte of the capture ends up as markup.

use std::{
    fmt::Write as _,
    io::{self, Read, Write},
};

use ratatui::style::Modifier;
use unicode_width::UnicodeWidthChar;

type Rgb = (u8, u8, u8);

const CELL_WIDTH: f64 = 8.4;
const CELL_HEIGHT: f64 = 17.0;
const DEFAULT_FG: Rgb = (0xd0, 0xd0, 0xd0);
const DEFAULT_BG: Rgb = (0x1c, 0x1c, 0x1c);

#[derive(Clone, Copy, PartialEq, Default)]
struct Pen {
    fg: Option<Rgb>,
    bg: Option<Rgb>,
    /// Bold, dim, italic, underlined, reversed, crossed out.
    attributes: Modifier,
}

/// xterm's default palette, as the contrast checks of the themes read it.
fn indexed(index: u8) -> Rgb {
    vidwiki::themes::rgb(ratatui::style::Color::Indexed(index))
}

/// Applies one SGR sequence's parameters.
fn apply_sgr(pen: &mut Pen, params: &[u16]) {
    let params = if params.is_empty() { &[0][..] } else { params };
    let mut i = 0;
    let byte = |v: u16| u8::try_from(v).unwrap_or(u8::MAX);
    while i < params.len() {
        let p = params[i];
        match p {
            0 => *pen = Pen::default(),
            1 => pen.attributes |= Modifier::BOLD,
            2 => pen.attributes |= Modifier::DIM,
            3 => pen.attributes |= Modifier::ITALIC,
            4 => pen.attributes |= Modifier::UNDERLINED,
            7 => pen.attributes |= Modifier::REVERSED,
            9 => pen.attributes |= Modifier::CROSSED_OUT,
            22 => pen.attributes -= Modifier::BOLD | Modifier::DIM,
            23 => pen.attributes -= Modifier::ITALIC,
            24 => pen.attributes -= Modifier::UNDERLINED,
            27 => pen.attributes -= Modifier::REVERSED,
            29 => pen.attributes -= Modifier::CROSSED_OUT,
            30..=37 => pen.fg = Some(indexed(byte(p - 30))),
            39 => pen.fg = None,
            40..=47 => pen.bg = Some(indexed(byte(p - 40))),
            49 => pen.bg = None,
            90..=97 => pen.fg = Some(indexed(byte(p - 90 + 8))),
            100..=107 => pen.bg = Some(indexed(byte(p - 100 + 8))),
            38 | 48 => {
                let colour = match params.get(i + 1) {
                    Some(5) => {
                        i += 2;
                        params.get(i).map(|&n| indexed(byte(n)))
                    }
                    Some(2) => {
                        i += 4;
                        match params.get(i - 2..=i) {
                            Some([r, g, b]) => Some((byte(*r), byte(*g), byte(*b))),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                if p == 38 {
                    pen.fg = colour;
                } else {
                    pen.bg = colour;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The screen as rows of (character, pen) cells.
fn parse(capture: &str) -> Vec<Vec<(char, Pen)>> {
    let mut rows = Vec::new();
    for line in capture.lines() {
        let mut row = Vec::new();
        let mut pen = Pen::default();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                match chars.next() {
                    Some('[') => {
                        let mut body = String::new();
                        for c in chars.by_ref() {
                            if ('@'..='~').contains(&c) {
                                if c == 'm' {
                                    let params: Vec<u16> = body
                                        .split([';', ':'])
                                        .map(|p| p.parse().unwrap_or(0))
                                        .collect();
                                    apply_sgr(&mut pen, &params);
                                }
                                break;
                            }
                            body.push(c);
                        }
                    }
                    // OSC and other strings: skip to their terminator.
                    Some(']' | 'P' | '_') => {
                        while let Some(c) = chars.next() {
                            if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some())
                            {
                                break;
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            if c.is_control() {
                continue;
            }
            row.push((c, pen));
            // A wide character covers the next cell too.
            if c.width() == Some(2) {
                row.push(('\0', pen));
            }
        }
        rows.push(row);
    }
    rows
}

fn hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn colours(pen: &Pen) -> (Rgb, Option<Rgb>) {
    let fg = pen.fg.unwrap_or(DEFAULT_FG);
    if pen.attributes.contains(Modifier::REVERSED) {
        (pen.bg.unwrap_or(DEFAULT_BG), Some(fg))
    } else {
        (fg, pen.bg)
    }
}

fn svg(rows: &[Vec<(char, Pen)>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let (width, height) = (columns as f64 * CELL_WIDTH, rows.len() as f64 * CELL_HEIGHT);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.1} {height:.1}\" font-family=\"'DejaVu Sans Mono', Menlo, \
         Consolas, monospace\" font-size=\"14\">"
    );
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
        hex(DEFAULT_BG)
    );
    for (y, row) in rows.iter().enumerate() {
        let top = y as f64 * CELL_HEIGHT;
        let mut x = 0;
        while x < row.len() {
            let pen = row[x].1;
            let end = (x..row.len())
                .find(|&i| row[i].1 != pen)
                .unwrap_or(row.len());
            let (fg, bg) = colours(&pen);
            let left = x as f64 * CELL_WIDTH;
            let run = (end - x) as f64 * CELL_WIDTH;
            if let Some(bg) = bg {
                let _ = writeln!(
                    out,
                    "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{run:.1}\" \
                     height=\"{CELL_HEIGHT}\" fill=\"{}\"/>",
                    hex(bg)
                );
            }
            let text: String = row[x..end]
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| *c != '\0')
                .collect();
            if !text.trim().is_empty() {
                let mut attributes = format!("fill=\"{}\"", hex(fg));
                let has = |m: Modifier| pen.attributes.contains(m);
                if has(Modifier::BOLD) {
                    attributes.push_str(" font-weight=\"bold\"");
                }
                if has(Modifier::ITALIC) {
                    attributes.push_str(" font-style=\"italic\"");
                }
                if has(Modifier::DIM) {
                    attributes.push_str(" opacity=\"0.6\"");
                }
                match (has(Modifier::UNDERLINED), has(Modifier::CROSSED_OUT)) {
                    (true, true) => {
                        attributes.push_str(" text-decoration=\"underline line-through\"")
                    }
                    (true, false) => attributes.push_str(" text-decoration=\"underline\""),
                    (false, true) => attributes.push_str(" text-decoration=\"line-through\""),
                    (false, false) => {}
                }
                let _ = writeln!(
                    out,
                    "<text x=\"{left:.1}\" y=\"{:.1}\" textLength=\"{run:.1}\" \
                     lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\" {attributes}>{}</text>",
                    top + CELL_HEIGHT * 0.78,
                    escape(&text)
                );
            }
            x = end;
        }
    }
    out.push_str("</svg>\n");
    out
}

fn main() -> io::Result<()> {
    let mut input = Vec::new();
    io::stdin().read_to_end(&mut input)?;
    let capture = String::from_utf8_lossy(&input);
    #[allow(clippy::disallowed_methods)] // an example writing its own output
    io::stdout().write_all(svg(&parse(&capture)).as_bytes())
}
