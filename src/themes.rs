//! Themes as data: the built-in `dark`, `light` and `high-contrast`
//! palettes, and theme files that override roles of one of them.
//!
//! A theme file is TOML: `base = "light"` (default `dark`) and any role of
//! [`Theme`] given a colour (`link = "#5f87af"`, `timestamp = "green"`) or
//! a style table (`selected = { fg = "black", bg = "yellow", bold = true }`).
//! A colour alone changes the role's foreground and keeps its attributes.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};

use crate::theme::Theme;

/// Names of the built-in themes; `auto` picks dark or light at start-up.
pub const BUILT_IN: [&str; 3] = ["dark", "light", "high-contrast"];

/// A built-in theme by name.
#[must_use]
pub fn built_in(name: &str) -> Option<Theme> {
    match name {
        "dark" => Some(Theme::dark()),
        "light" => Some(light()),
        "high-contrast" => Some(high_contrast()),
        _ => None,
    }
}

/// For a light background: each colour of `dark` traded for a darker one
/// that reads on white, backgrounds for pale ones.
#[must_use]
pub fn light() -> Theme {
    map_theme(&Theme::dark(), |style| {
        let mut out = style;
        out.fg = style.fg.map(light_foreground);
        out.bg = style.bg.map(light_background);
        out
    })
}

fn light_foreground(color: Color) -> Color {
    match color {
        Color::White | Color::Gray => Color::Black,
        Color::DarkGray => Color::Indexed(242),
        Color::Yellow | Color::LightYellow => Color::Indexed(94),
        Color::Cyan | Color::LightCyan => Color::Indexed(24),
        Color::Blue | Color::LightBlue => Color::Indexed(19),
        Color::Green | Color::LightGreen => Color::Indexed(22),
        Color::Magenta | Color::LightMagenta => Color::Indexed(90),
        Color::Red | Color::LightRed => Color::Indexed(124),
        other => other,
    }
}

fn light_background(color: Color) -> Color {
    match color {
        Color::Indexed(235) => Color::Indexed(231),
        Color::Indexed(236) => Color::Indexed(255),
        Color::Indexed(237) => Color::Indexed(254),
        Color::Indexed(238) => Color::Indexed(253),
        Color::Cyan => Color::Indexed(117),
        Color::Yellow => Color::Indexed(228),
        Color::LightRed => Color::Indexed(217),
        Color::Gray => Color::Indexed(250),
        other => other,
    }
}

/// For low vision and washed-out screens: only white, black and the
/// brightest colours, bold where dark used a colour to set text apart, and
/// selections reversed. Nothing dim.
#[must_use]
pub fn high_contrast() -> Theme {
    map_theme(&Theme::dark(), |style| {
        let mut out = style.remove_modifier(Modifier::DIM);
        out.fg = style.fg.map(|color| match color {
            Color::Cyan | Color::LightCyan | Color::Blue | Color::LightBlue => Color::LightCyan,
            Color::Green | Color::LightGreen => Color::LightGreen,
            Color::Yellow | Color::LightYellow => Color::LightYellow,
            Color::Black => Color::Black,
            _ => Color::White,
        });
        if style.bg.is_some() {
            // A coloured bar or selection: black on white reads everywhere.
            out = out
                .fg(Color::Black)
                .bg(match style.bg {
                    Some(Color::Yellow | Color::LightRed) => Color::LightYellow,
                    _ => Color::White,
                })
                .add_modifier(Modifier::BOLD);
        }
        out
    })
}

/// Applies `f` to every role of `theme`.
fn map_theme(theme: &Theme, f: impl Fn(Style) -> Style) -> Theme {
    let mut out = theme.clone();
    for role in ROLES {
        let style = role_mut(&mut out, role).map(|s| *s);
        if let (Some(style), Some(slot)) = (style, role_mut(&mut out, role)) {
            *slot = f(style);
        }
    }
    out
}

macro_rules! roles {
    ($($field:ident),* $(,)?) => {
        /// Every role a theme file may set: the fields of [`Theme`], and
        /// `heading1`…`heading6` for the levels of `headings`.
        pub const ROLES: &[&str] = &[
            $(stringify!($field),)*
            "heading1", "heading2", "heading3", "heading4", "heading5", "heading6",
        ];

        /// The style of a role by its name.
        pub fn role_mut<'a>(theme: &'a mut Theme, name: &str) -> Option<&'a mut Style> {
            match name {
                $(stringify!($field) => Some(&mut theme.$field),)*
                "heading1" => Some(&mut theme.headings[0]),
                "heading2" => Some(&mut theme.headings[1]),
                "heading3" => Some(&mut theme.headings[2]),
                "heading4" => Some(&mut theme.headings[3]),
                "heading5" => Some(&mut theme.headings[4]),
                "heading6" => Some(&mut theme.headings[5]),
                _ => None,
            }
        }
    };
}

roles!(
    note_title,
    front_matter,
    video_link,
    note_dim,
    heading_marker,
    link,
    unresolved_link,
    ambiguous_link,
    url_link,
    timestamp,
    refused_timestamp,
    emphasis,
    strong,
    strikethrough,
    code,
    quote_bar,
    quote_text,
    list_marker,
    task_done,
    task_open,
    footnote,
    image,
    callout_info,
    callout_tip,
    callout_important,
    callout_warning,
    callout_danger,
    callout_other,
    table_border,
    table_header,
    rule,
    page_heading,
    page_stat,
    border,
    border_focus,
    pane_title,
    pane_title_focus,
    text,
    dim,
    selected,
    selected_unfocused,
    cursor,
    mark,
    folder,
    video,
    note_name,
    note_name_open,
    heading_name,
    heading_current,
    pane_link,
    missing,
    count,
    tab,
    tab_active,
    status,
    status_name,
    status_path,
    status_position,
    status_info,
    status_warning,
    status_error,
    status_loading,
    hint_key,
    hint_description,
    help_section,
    help_key,
    matched,
    warning,
    preview_mark,
    find_match,
    find_current,
);

/// A colour as written in a theme file: a name (`cyan`, `light-blue`,
/// `dark-gray`, `reset`), `#rrggbb`, or a 256-colour index (`"38"`).
pub fn parse_color(text: &str) -> Result<Color, String> {
    let lower = text
        .trim()
        .to_ascii_lowercase()
        .replace(['-', '_', ' '], "");
    if let Some(hex) = lower.strip_prefix('#') {
        if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
            return Ok(Color::Rgb(byte(0), byte(2), byte(4)));
        }
    } else if let Ok(index) = lower.parse::<u8>() {
        return Ok(Color::Indexed(index));
    }
    Ok(match lower.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => {
            return Err(format!(
                "unknown colour `{}` (a name such as `cyan` or `light-blue`, `#rrggbb`, \
                 or a 256-colour index 0–255)",
                crate::text::sanitize_inline(text)
            ));
        }
    })
}

/// A role's value in a theme file.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
enum RoleValue {
    Color(String),
    Style(StyleTable),
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleTable {
    fg: Option<String>,
    bg: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
    underlined: Option<bool>,
    reversed: Option<bool>,
    dim: Option<bool>,
    crossed_out: Option<bool>,
}

/// A problem in a theme file, at a byte range of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeError {
    pub span: Option<std::ops::Range<usize>>,
    pub message: String,
}

/// Reads a theme file's text: its base theme with the roles it sets.
pub fn parse_theme_file(text: &str) -> Result<Theme, ThemeError> {
    type Spanned<T> = toml::Spanned<T>;
    let table: BTreeMap<Spanned<String>, Spanned<toml::Value>> =
        toml::from_str(text).map_err(|e| ThemeError {
            span: e.span(),
            message: e.message().to_owned(),
        })?;
    let mut base = Theme::dark();
    if let Some((_, value)) = table.iter().find(|(k, _)| k.get_ref() == "base") {
        let name = value.get_ref().as_str().unwrap_or_default();
        base = built_in(name).ok_or_else(|| ThemeError {
            span: Some(value.span()),
            message: format!(
                "unknown base theme `{}` (one of: {})",
                crate::text::sanitize_inline(name),
                BUILT_IN.join(", ")
            ),
        })?;
    }
    for (key, value) in &table {
        if key.get_ref() == "base" {
            continue;
        }
        let at = |message: String| ThemeError {
            span: Some(key.span()),
            message,
        };
        let name = key.get_ref();
        let Some(slot) = role_mut(&mut base, name) else {
            return Err(at(format!(
                "unknown role `{}` (roles: base, {})",
                crate::text::sanitize_inline(name),
                ROLES.join(", ")
            )));
        };
        let role: RoleValue = value.get_ref().clone().try_into().map_err(|_| ThemeError {
            span: Some(value.span()),
            message: format!(
                "`{name}` wants a colour or a table of fg, bg, bold, italic, underlined, \
                 reversed, dim, crossed_out"
            ),
        })?;
        let colour = |text: &str| {
            parse_color(text).map_err(|message| ThemeError {
                span: Some(value.span()),
                message,
            })
        };
        match role {
            RoleValue::Color(text) => *slot = slot.fg(colour(&text)?),
            RoleValue::Style(table) => {
                let mut style = Style::new();
                if let Some(fg) = &table.fg {
                    style = style.fg(colour(fg)?);
                }
                if let Some(bg) = &table.bg {
                    style = style.bg(colour(bg)?);
                }
                for (on, modifier) in [
                    (table.bold, Modifier::BOLD),
                    (table.italic, Modifier::ITALIC),
                    (table.underlined, Modifier::UNDERLINED),
                    (table.reversed, Modifier::REVERSED),
                    (table.dim, Modifier::DIM),
                    (table.crossed_out, Modifier::CROSSED_OUT),
                ] {
                    if on == Some(true) {
                        style = style.add_modifier(modifier);
                    }
                }
                *slot = style;
            }
        }
    }
    Ok(base)
}

/// Relative luminance of a colour as xterm draws it (WCAG 2 formula), for
/// the contrast checks of the built-in themes.
#[must_use]
pub fn luminance(color: Color) -> f64 {
    let (r, g, b) = rgb(color);
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The colour's RGB in xterm's default palette (also used by
/// `examples/ansi_to_svg.rs` to draw the README's screenshot).
#[must_use]
pub fn rgb(color: Color) -> (u8, u8, u8) {
    const BASIC: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    let index = match color {
        Color::Rgb(r, g, b) => return (r, g, b),
        Color::Reset | Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => i,
    };
    match index {
        0..=15 => BASIC[usize::from(index)],
        16..=231 => {
            let i = index - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            (level(i / 36), level(i / 6 % 6), level(i % 6))
        }
        _ => {
            let v = 8 + (index - 232) * 10;
            (v, v, v)
        }
    }
}

/// WCAG contrast ratio of two colours (1 to 21).
#[must_use]
pub fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every role's foreground against its own background, or against the
    /// terminal's (`page`) when it has none.
    fn worst_contrast(theme: &Theme, page: Color) -> (f64, &'static str) {
        let mut theme = theme.clone();
        ROLES
            .iter()
            .filter_map(|role| {
                let style = *role_mut(&mut theme, role)?;
                let fg = style.fg?;
                Some((contrast(fg, style.bg.unwrap_or(page)), *role))
            })
            .fold((21.0, ""), |a, b| if b.0 < a.0 { b } else { a })
    }

    #[test]
    fn each_built_in_theme_loads_and_reads_on_its_background() {
        for name in BUILT_IN {
            assert!(built_in(name).is_some(), "{name}");
        }
        assert_eq!(built_in("dark"), Some(Theme::dark()));
        assert!(built_in("sepia").is_none());
        let (ratio, role) = worst_contrast(&light(), Color::White);
        assert!(ratio >= 4.5, "light: {role} at {ratio:.1}:1 on white");
        let (ratio, role) = worst_contrast(&high_contrast(), Color::Black);
        assert!(
            ratio >= 7.0,
            "high-contrast: {role} at {ratio:.1}:1 on black"
        );
        let hc = high_contrast();
        assert!(
            !ROLES.iter().any(|r| {
                role_mut(&mut hc.clone(), r).is_some_and(|s| s.add_modifier.contains(Modifier::DIM))
            }),
            "high-contrast dims nothing"
        );
    }

    #[test]
    fn a_theme_file_overrides_roles_over_its_base() {
        let theme = parse_theme_file(
            "base = \"light\"\nlink = \"#102030\"\nheading2 = \"red\"\n\
             selected = { fg = \"black\", bg = \"yellow\", bold = true }\n",
        )
        .unwrap();
        let light = light();
        assert_eq!(theme.link.fg, Some(Color::Rgb(0x10, 0x20, 0x30)));
        assert_eq!(
            theme.link.add_modifier, light.link.add_modifier,
            "attributes kept"
        );
        assert_eq!(theme.headings[1].fg, Some(Color::Red));
        assert_eq!(
            theme.selected,
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(theme.timestamp, light.timestamp, "other roles untouched");
    }

    #[test]
    fn theme_file_errors_point_at_the_line() {
        let line_of = |text: &str| {
            let error = parse_theme_file(text).unwrap_err();
            let span = error.span.clone().unwrap();
            (text[..span.start].matches('\n').count() + 1, error.message)
        };
        let (line, message) = line_of("link = \"cyan\"\nlinky = \"red\"\n");
        assert_eq!(line, 2);
        assert!(message.contains("unknown role `linky`"), "{message}");
        let (line, message) = line_of("\n\nlink = \"cyanide\"\n");
        assert_eq!(line, 3);
        assert!(message.contains("unknown colour `cyanide`"), "{message}");
        let (line, message) = line_of("base = \"sepia\"\n");
        assert_eq!(line, 1);
        assert!(message.contains("unknown base theme"), "{message}");
        let (line, _) = line_of("link = \"cyan\"\nlink = = 3\n");
        assert_eq!(line, 2);
        let (line, message) = line_of("\nlink = 3\n");
        assert_eq!(line, 2);
        assert!(message.contains("wants a colour"), "{message}");
        assert!(parse_color("#12345").is_err());
        assert_eq!(parse_color("Light-Blue"), Ok(Color::LightBlue));
        assert_eq!(parse_color("208"), Ok(Color::Indexed(208)));
    }
}
