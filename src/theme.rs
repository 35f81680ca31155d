//! The one palette: every style vidwiki draws with, as one [`Theme`] value.
//!
//! The app holds a `Theme` and hands it to the Markdown renderer, to the
//! page builder and to every drawing function, so a different look (light,
//! NO_COLOR, loaded from a config file) is a different value of this struct
//! and nothing else changes. This is the only module that names colours and
//! modifiers.
//!
//! Some roles look alike today (the note title and the home page title, a
//! link in a note and a link on a home page) but are kept apart where the
//! look of one place may later change without the other: a role says where
//! a style is used, not what it looks like.

use ratatui::style::{Color, Modifier, Style};

/// Every style of the program, by role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    // --- Notes: the header block -------------------------------------
    /// The note title at the top of the header block; also a page's title.
    pub note_title: Style,
    /// Front-matter keys other than title/videoId, shown as `key: value`.
    pub front_matter: Style,
    /// The `▶ youtu.be/ID` link of the header.
    pub video_link: Style,
    /// Separators and quiet words inside a note (`·`, a cut-note mark).
    pub note_dim: Style,

    // --- Notes: the body ---------------------------------------------
    /// Headings of a note by level (index 0 is `#`, 5 is `######`).
    pub headings: [Style; 6],
    /// The marker in front of H2 and lower headings (`▌ `, `▸ `, …).
    pub heading_marker: Style,
    /// A wiki-link that leads somewhere (or is still pending), in a note
    /// or on a home/channel page: underlined.
    pub link: Style,
    /// A wiki-link whose target matches no note: dimmed red, with a `?`.
    pub unresolved_link: Style,
    /// A wiki-link whose key matches several notes: with a `*` mark.
    pub ambiguous_link: Style,
    /// An ordinary `[text](url)` link.
    pub url_link: Style,
    /// The `▶05:17` chip of a timestamp.
    pub timestamp: Style,
    /// A timestamp whose value makes no sense (`⚠11:31:94`): not copied.
    pub refused_timestamp: Style,
    /// `*emphasis*`, laid over the style around it.
    pub emphasis: Style,
    /// `**strong**`, laid over the style around it.
    pub strong: Style,
    /// `~~struck~~`, laid over the style around it.
    pub strikethrough: Style,
    /// Inline code and code blocks.
    pub code: Style,
    /// The `│` bar of a block quote.
    pub quote_bar: Style,
    /// The text of a block quote.
    pub quote_text: Style,
    pub list_marker: Style,
    pub task_done: Style,
    pub task_open: Style,
    pub footnote: Style,
    pub image: Style,
    pub callout_info: Style,
    pub callout_tip: Style,
    pub callout_important: Style,
    pub callout_warning: Style,
    pub callout_danger: Style,
    /// A callout of a kind not named above.
    pub callout_other: Style,
    pub table_border: Style,
    pub table_header: Style,
    /// A thematic break (`---`).
    pub rule: Style,

    // --- Home and channel pages --------------------------------------
    /// Section headings of a page (`Channels`, `Recently added`).
    pub page_heading: Style,
    /// The numbers of the vault's counts on the home page.
    pub page_stat: Style,

    // --- Chrome: panes, borders, lists -------------------------------
    pub border: Style,
    pub border_focus: Style,
    pub pane_title: Style,
    pub pane_title_focus: Style,
    pub text: Style,
    /// Quiet text of the chrome (counts, hints, empty-list notes).
    pub dim: Style,
    /// The selected row of the focused list.
    pub selected: Style,
    /// The selected row of a list without focus.
    pub selected_unfocused: Style,
    /// The link cursor in the note.
    pub cursor: Style,
    /// The mark of the current row or of a match in a list.
    pub mark: Style,
    pub folder: Style,
    /// A video or channel in a list.
    pub video: Style,
    /// A note's name in a list (outline, picker).
    pub note_name: Style,
    /// The open note in the outline.
    pub note_name_open: Style,
    /// A heading in a list (outline, picker).
    pub heading_name: Style,
    /// The heading the reader is in.
    pub heading_current: Style,
    /// A note name in the links pane (no underline: every row is a link).
    pub pane_link: Style,
    /// A link target that matches no note, outside the note.
    pub missing: Style,
    pub count: Style,
    pub tab: Style,
    pub tab_active: Style,

    // --- Chrome: status bar, hints, help ------------------------------
    pub status: Style,
    pub status_name: Style,
    pub status_path: Style,
    pub status_position: Style,
    pub status_info: Style,
    pub status_warning: Style,
    pub status_error: Style,
    pub status_loading: Style,
    pub hint_key: Style,
    pub hint_description: Style,
    pub help_section: Style,
    pub help_key: Style,

    // --- Matches and warnings -----------------------------------------
    /// Matched characters in the picker.
    pub matched: Style,
    /// A warning outside the status bar (a note's problems).
    pub warning: Style,
    /// The line a picker preview was opened at.
    pub preview_mark: Style,
    /// Every match of a find in the note.
    pub find_match: Style,
    /// The current match of a find.
    pub find_current: Style,
}

impl Theme {
    /// The default look, for a dark terminal background.
    // Long by design: one line per role of the palette, a table, not logic.
    #[must_use]
    pub const fn dark() -> Self {
        const BOLD: Modifier = Modifier::BOLD;
        const fn fg(color: Color) -> Style {
            Style::new().fg(color)
        }
        const fn bold(color: Color) -> Style {
            Style::new().fg(color).add_modifier(BOLD)
        }
        const fn underlined(color: Color) -> Style {
            Style::new().fg(color).add_modifier(Modifier::UNDERLINED)
        }
        const fn on_bar(color: Color) -> Style {
            Style::new().fg(color).bg(Color::Indexed(236))
        }
        Self {
            note_title: bold(Color::LightYellow),
            front_matter: fg(Color::DarkGray),
            video_link: underlined(Color::LightRed),
            note_dim: fg(Color::DarkGray),

            headings: [
                Style::new()
                    .fg(Color::LightMagenta)
                    .add_modifier(BOLD)
                    .add_modifier(Modifier::UNDERLINED),
                bold(Color::LightCyan),
                bold(Color::LightBlue),
                Style::new().add_modifier(BOLD),
                Style::new()
                    .add_modifier(BOLD)
                    .add_modifier(Modifier::ITALIC),
                fg(Color::Gray).add_modifier(Modifier::ITALIC),
            ],
            heading_marker: fg(Color::DarkGray),
            link: underlined(Color::Cyan),
            unresolved_link: fg(Color::Red).add_modifier(Modifier::DIM),
            ambiguous_link: underlined(Color::Yellow),
            url_link: underlined(Color::Blue),
            timestamp: bold(Color::LightGreen),
            refused_timestamp: fg(Color::Red).add_modifier(Modifier::DIM),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: Style::new().add_modifier(BOLD),
            strikethrough: Style::new().add_modifier(Modifier::CROSSED_OUT),
            code: fg(Color::Yellow),
            quote_bar: fg(Color::DarkGray),
            quote_text: Style::new().add_modifier(Modifier::ITALIC),
            list_marker: fg(Color::LightBlue),
            task_done: fg(Color::Green),
            task_open: fg(Color::LightBlue),
            footnote: fg(Color::LightBlue),
            image: fg(Color::Magenta),
            callout_info: bold(Color::LightBlue),
            callout_tip: bold(Color::LightGreen),
            callout_important: bold(Color::LightMagenta),
            callout_warning: bold(Color::Yellow),
            callout_danger: bold(Color::LightRed),
            callout_other: bold(Color::Gray),
            table_border: fg(Color::DarkGray),
            table_header: Style::new().add_modifier(BOLD),
            rule: fg(Color::DarkGray),

            page_heading: bold(Color::Yellow),
            page_stat: bold(Color::White),

            border: fg(Color::DarkGray),
            border_focus: fg(Color::Cyan),
            pane_title: fg(Color::Gray),
            pane_title_focus: bold(Color::Cyan),
            text: Style::new(),
            dim: fg(Color::DarkGray),
            selected: Style::new().bg(Color::Indexed(237)).add_modifier(BOLD),
            selected_unfocused: Style::new().bg(Color::Indexed(235)),
            cursor: Style::new().add_modifier(Modifier::REVERSED),
            mark: bold(Color::Cyan),
            folder: bold(Color::Blue),
            video: fg(Color::Magenta),
            note_name: fg(Color::Gray),
            note_name_open: bold(Color::White),
            heading_name: fg(Color::Gray),
            heading_current: bold(Color::Yellow),
            pane_link: fg(Color::Cyan),
            missing: fg(Color::LightRed),
            count: fg(Color::DarkGray),
            tab: fg(Color::Gray),
            tab_active: bold(Color::Black).bg(Color::Cyan),

            status: on_bar(Color::Gray),
            status_name: bold(Color::Black).bg(Color::Cyan),
            status_path: fg(Color::White).bg(Color::Indexed(238)),
            status_position: fg(Color::Black).bg(Color::Gray),
            status_info: on_bar(Color::White),
            status_warning: on_bar(Color::Yellow).add_modifier(BOLD),
            status_error: on_bar(Color::LightRed).add_modifier(BOLD),
            status_loading: on_bar(Color::Cyan),
            hint_key: bold(Color::Cyan),
            hint_description: fg(Color::DarkGray),
            help_section: bold(Color::Yellow),
            help_key: fg(Color::Cyan),

            matched: bold(Color::Yellow),
            warning: bold(Color::Yellow),
            preview_mark: Style::new().bg(Color::Indexed(236)),
            find_match: fg(Color::Black).bg(Color::Yellow),
            find_current: bold(Color::Black).bg(Color::LightRed),
        }
    }

    /// The theme for `NO_COLOR` and `--color never`: no colour at all.
    /// What colour told apart is kept by the other attributes: a style
    /// that had a background (a selection, the active tab, a find match,
    /// the status bar's name) is drawn reversed; bold, underline, italic
    /// and dim stay, and so do the glyphs (`▶` chips, `?` and `*` marks).
    // Long: one line per role of the palette, as in `dark`.
    #[must_use]
    pub fn no_color() -> Self {
        let dark = Self::dark();
        let strip = |style: Style| {
            let had_background = style.bg.is_some_and(|bg| bg != Color::Reset);
            let plain = Style::new()
                .add_modifier(style.add_modifier)
                .remove_modifier(style.sub_modifier);
            if had_background {
                plain.add_modifier(Modifier::REVERSED)
            } else {
                plain
            }
        };
        Self {
            headings: dark.headings.map(strip),
            note_title: strip(dark.note_title),
            front_matter: strip(dark.front_matter),
            video_link: strip(dark.video_link),
            note_dim: strip(dark.note_dim),
            heading_marker: strip(dark.heading_marker),
            link: strip(dark.link),
            unresolved_link: strip(dark.unresolved_link),
            ambiguous_link: strip(dark.ambiguous_link),
            url_link: strip(dark.url_link),
            timestamp: strip(dark.timestamp),
            refused_timestamp: strip(dark.refused_timestamp),
            emphasis: strip(dark.emphasis),
            strong: strip(dark.strong),
            strikethrough: strip(dark.strikethrough),
            code: strip(dark.code),
            quote_bar: strip(dark.quote_bar),
            quote_text: strip(dark.quote_text),
            list_marker: strip(dark.list_marker),
            task_done: strip(dark.task_done),
            task_open: strip(dark.task_open),
            footnote: strip(dark.footnote),
            image: strip(dark.image),
            callout_info: strip(dark.callout_info),
            callout_tip: strip(dark.callout_tip),
            callout_important: strip(dark.callout_important),
            callout_warning: strip(dark.callout_warning),
            callout_danger: strip(dark.callout_danger),
            callout_other: strip(dark.callout_other),
            table_border: strip(dark.table_border),
            table_header: strip(dark.table_header),
            rule: strip(dark.rule),
            page_heading: strip(dark.page_heading),
            page_stat: strip(dark.page_stat),
            border: strip(dark.border),
            border_focus: strip(dark.border_focus),
            pane_title: strip(dark.pane_title),
            pane_title_focus: strip(dark.pane_title_focus),
            text: strip(dark.text),
            dim: strip(dark.dim),
            selected: strip(dark.selected),
            selected_unfocused: strip(dark.selected_unfocused),
            cursor: strip(dark.cursor),
            mark: strip(dark.mark),
            folder: strip(dark.folder),
            video: strip(dark.video),
            note_name: strip(dark.note_name),
            note_name_open: strip(dark.note_name_open),
            heading_name: strip(dark.heading_name),
            heading_current: strip(dark.heading_current),
            pane_link: strip(dark.pane_link),
            missing: strip(dark.missing),
            count: strip(dark.count),
            tab: strip(dark.tab),
            tab_active: strip(dark.tab_active),
            status: strip(dark.status),
            status_name: strip(dark.status_name),
            status_path: strip(dark.status_path),
            status_position: strip(dark.status_position),
            status_info: strip(dark.status_info),
            status_warning: strip(dark.status_warning),
            status_error: strip(dark.status_error),
            status_loading: strip(dark.status_loading),
            hint_key: strip(dark.hint_key),
            hint_description: strip(dark.hint_description),
            help_section: strip(dark.help_section),
            help_key: strip(dark.help_key),
            matched: strip(dark.matched),
            warning: strip(dark.warning),
            preview_mark: strip(dark.preview_mark),
            find_match: strip(dark.find_match),
            find_current: strip(dark.find_current),
        }
    }

    /// Style of a note heading of `level` (1..=6; anything else reads as 6).
    #[must_use]
    pub fn heading(&self, level: u8) -> Style {
        match level {
            1..=6 => self.headings[usize::from(level) - 1],
            _ => self.headings[5],
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::dark()
    }
}
