//! The look of the browser, as constant styles.

use ratatui::style::{Color, Modifier, Style};

pub const BORDER: Style = Style::new().fg(Color::DarkGray);
pub const BORDER_FOCUS: Style = Style::new().fg(Color::Cyan);
pub const TITLE: Style = Style::new().fg(Color::Gray);
pub const TITLE_FOCUS: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);

pub const TEXT: Style = Style::new();
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const SELECTED: Style = Style::new()
    .bg(Color::Indexed(237))
    .add_modifier(Modifier::BOLD);
pub const SELECTED_UNFOCUSED: Style = Style::new().bg(Color::Indexed(235));
pub const CURSOR: Style = Style::new().add_modifier(Modifier::REVERSED);
pub const MARK: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);

pub const FOLDER: Style = Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD);
pub const VIDEO: Style = Style::new().fg(Color::Magenta);
pub const NOTE: Style = Style::new().fg(Color::Gray);
pub const NOTE_OPEN: Style = Style::new().fg(Color::White).add_modifier(Modifier::BOLD);
pub const HEADING: Style = Style::new().fg(Color::Gray);
pub const HEADING_CURRENT: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);

pub const LINK: Style = Style::new().fg(Color::Cyan);
pub const MISSING: Style = Style::new().fg(Color::LightRed);
pub const COUNT: Style = Style::new().fg(Color::DarkGray);
pub const TAB: Style = Style::new().fg(Color::Gray);
pub const TAB_ACTIVE: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Cyan)
    .add_modifier(Modifier::BOLD);

pub const STATUS: Style = Style::new().fg(Color::Gray).bg(Color::Indexed(236));
pub const STATUS_NAME: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Cyan)
    .add_modifier(Modifier::BOLD);
pub const STATUS_PATH: Style = Style::new().fg(Color::White).bg(Color::Indexed(238));
pub const STATUS_POS: Style = Style::new().fg(Color::Black).bg(Color::Gray);
pub const STATUS_INFO: Style = Style::new().fg(Color::White).bg(Color::Indexed(236));
pub const STATUS_WARN: Style = Style::new()
    .fg(Color::Yellow)
    .bg(Color::Indexed(236))
    .add_modifier(Modifier::BOLD);
pub const STATUS_ERROR: Style = Style::new()
    .fg(Color::LightRed)
    .bg(Color::Indexed(236))
    .add_modifier(Modifier::BOLD);
pub const STATUS_LOAD: Style = Style::new().fg(Color::Cyan).bg(Color::Indexed(236));

pub const HINT_KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const HINT_DESC: Style = Style::new().fg(Color::DarkGray);

pub const HELP_SECTION: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const HELP_KEY: Style = Style::new().fg(Color::Cyan);
pub const MATCH: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const WARNING: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const PREVIEW_MARK: Style = Style::new().bg(Color::Indexed(236));
/// Every match of a find in the note.
pub const FIND_MATCH: Style = Style::new().fg(Color::Black).bg(Color::Yellow);
/// The current match of a find.
pub const FIND_CURRENT: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::LightRed)
    .add_modifier(Modifier::BOLD);
