//! The theme for notes: every style the Markdown renderer uses, as `const`s,
//! so the look of a note is decided in one place and costs nothing at run time.

use ratatui::style::{Color, Modifier, Style};

/// The note title at the top of the header block.
pub const TITLE: Style = Style::new()
    .fg(Color::LightYellow)
    .add_modifier(Modifier::BOLD);
/// Front-matter keys other than title/videoId, shown as `key: value`.
pub const FRONT_MATTER: Style = Style::new().fg(Color::DarkGray);
/// The `▶ youtu.be/ID` link of the header.
pub const VIDEO_LINK: Style = Style::new()
    .fg(Color::LightRed)
    .add_modifier(Modifier::UNDERLINED);
/// Separator between header items (`·`).
pub const DIM: Style = Style::new().fg(Color::DarkGray);

pub const H1: Style = Style::new()
    .fg(Color::LightMagenta)
    .add_modifier(Modifier::BOLD)
    .add_modifier(Modifier::UNDERLINED);
pub const H2: Style = Style::new()
    .fg(Color::LightCyan)
    .add_modifier(Modifier::BOLD);
pub const H3: Style = Style::new()
    .fg(Color::LightBlue)
    .add_modifier(Modifier::BOLD);
pub const H4: Style = Style::new().add_modifier(Modifier::BOLD);
pub const H5: Style = Style::new()
    .add_modifier(Modifier::BOLD)
    .add_modifier(Modifier::ITALIC);
pub const H6: Style = Style::new().fg(Color::Gray).add_modifier(Modifier::ITALIC);
/// The marker in front of H2 and lower headings (`▌ `, `▸ `, …).
pub const HEADING_MARKER: Style = Style::new().fg(Color::DarkGray);

/// Style of a heading of `level` (1..=6; anything else is treated as 6).
#[must_use]
pub const fn heading(level: u8) -> Style {
    match level {
        1 => H1,
        2 => H2,
        3 => H3,
        4 => H4,
        5 => H5,
        _ => H6,
    }
}

/// A wiki-link that leads somewhere (or is still pending).
pub const LINK: Style = Style::new()
    .fg(Color::Cyan)
    .add_modifier(Modifier::UNDERLINED);
/// A wiki-link whose target matches no note: dimmed red, with a `?` mark.
pub const UNRESOLVED_LINK: Style = Style::new().fg(Color::Red).add_modifier(Modifier::DIM);
/// A wiki-link whose key matches several notes: with a `*` mark.
pub const AMBIGUOUS_LINK: Style = Style::new()
    .fg(Color::Yellow)
    .add_modifier(Modifier::UNDERLINED);
/// An ordinary `[text](url)` link.
pub const URL_LINK: Style = Style::new()
    .fg(Color::Blue)
    .add_modifier(Modifier::UNDERLINED);
/// The `▶05:17` chip of a timestamp.
pub const TIMESTAMP: Style = Style::new()
    .fg(Color::LightGreen)
    .add_modifier(Modifier::BOLD);
/// A timestamp whose value makes no sense (`⚠11:31:94`).
pub const MALFORMED_TIMESTAMP: Style = Style::new().fg(Color::Red).add_modifier(Modifier::DIM);

pub const CODE: Style = Style::new().fg(Color::Yellow);
pub const QUOTE_BAR: Style = Style::new().fg(Color::DarkGray);
pub const QUOTE_TEXT: Style = Style::new().add_modifier(Modifier::ITALIC);
pub const LIST_MARKER: Style = Style::new().fg(Color::LightBlue);
pub const TASK_DONE: Style = Style::new().fg(Color::Green);
pub const TASK_OPEN: Style = Style::new().fg(Color::LightBlue);
pub const FOOTNOTE: Style = Style::new().fg(Color::LightBlue);
pub const IMAGE: Style = Style::new().fg(Color::Magenta);

pub const CALLOUT_INFO: Style = Style::new()
    .fg(Color::LightBlue)
    .add_modifier(Modifier::BOLD);
pub const CALLOUT_TIP: Style = Style::new()
    .fg(Color::LightGreen)
    .add_modifier(Modifier::BOLD);
pub const CALLOUT_IMPORTANT: Style = Style::new()
    .fg(Color::LightMagenta)
    .add_modifier(Modifier::BOLD);
pub const CALLOUT_WARNING: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const CALLOUT_DANGER: Style = Style::new()
    .fg(Color::LightRed)
    .add_modifier(Modifier::BOLD);
pub const CALLOUT_OTHER: Style = Style::new().fg(Color::Gray).add_modifier(Modifier::BOLD);

pub const TABLE_BORDER: Style = Style::new().fg(Color::DarkGray);
pub const TABLE_HEADER: Style = Style::new().add_modifier(Modifier::BOLD);
pub const RULE: Style = Style::new().fg(Color::DarkGray);
