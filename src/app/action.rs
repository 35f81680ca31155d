//! Everything the user can ask of the browser. Keys and mouse events are
//! turned into these by the key table ([`super::keymap`]) and by `tui.rs`;
//! [`super::App::update`] carries them out.

/// How far a motion goes; applied to the focused pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// One line (or entry) down.
    Down,
    /// One line (or entry) up.
    Up,
    /// One screen down.
    PageDown,
    /// One screen up.
    PageUp,
    /// Half a screen down.
    HalfDown,
    /// Half a screen up.
    HalfUp,
    /// To the very top.
    Top,
    /// To the very bottom.
    Bottom,
}

/// One of the three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    /// The tree of folders, notes and the open note's headings.
    Outline,
    /// The open note or generated page.
    Note,
    /// Outgoing links, backlinks and timestamps of the open note.
    Links,
}

/// The tabs of the links pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LinksTab {
    /// Outgoing wiki-links of the open page.
    #[default]
    Links,
    /// Notes that link to the open note.
    Backlinks,
    /// Timestamps of the open note.
    Timestamps,
}

impl LinksTab {
    /// The tab after this one, round.
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::Links => Self::Backlinks,
            Self::Backlinks => Self::Timestamps,
            Self::Timestamps => Self::Links,
        }
    }

    /// The tab before this one, round.
    #[must_use]
    pub fn previous(self) -> Self {
        self.next().next()
    }
}

/// An action of the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the browser.
    Quit,
    /// Give the terminal back to the shell until `fg`.
    Suspend,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Close whatever overlay is open, or clear the message.
    Escape,
    /// Move focus to the next pane.
    FocusNext,
    /// Move focus to the previous pane.
    FocusPrev,
    /// Move focus to a given pane.
    Focus(Pane),
    /// Move within the focused pane.
    Move(Motion),
    /// Jump to the next heading of the note.
    NextHeading,
    /// Jump to the previous heading of the note.
    PrevHeading,
    /// Move the link cursor to the next link or timestamp.
    NextTarget,
    /// Move the link cursor to the previous link or timestamp.
    PrevTarget,
    /// Follow the selected link, open the selected entry.
    Activate,
    /// Go back in history.
    Back,
    /// Go forward in history.
    Forward,
    /// Open the vault's home page.
    Home,
    /// Show the links pane on a given tab.
    ShowLinks(LinksTab),
    /// Switch the links pane to the next tab.
    NextTab,
    /// Switch the links pane to the previous tab.
    PrevTab,
    /// Show or hide the links pane (between 80 and 120 columns).
    ToggleLinksPane,
    /// Open the jump picker: notes, headings and channels by name.
    OpenPicker,
    /// Open the picker in full-text mode: lines of every note.
    OpenTextSearch,
    /// Type a character into the picker's query.
    PickerInput(char),
    /// Delete the last character of the picker's query.
    PickerBackspace,
    /// Search all items, only notes, or only headings.
    PickerScope,
    /// Switch the picker between names and full text.
    PickerMode,
    /// Start typing a find in the open note.
    FindStart,
    /// Type a character into the find.
    FindInput(char),
    /// Delete the last character of the find.
    FindBackspace,
    /// Stop typing and keep the find's matches.
    FindConfirm,
    /// Go to the next match of the find.
    FindNext,
    /// Go to the previous match of the find.
    FindPrev,
    /// Copy the timestamp link under the cursor.
    CopyTimestamp,
    /// Copy the timestamp under the cursor as a Markdown link.
    CopyTimestampMarkdown,
    /// Copy the link of the note's video.
    CopyVideo,
    /// Open the timestamp (or link) under the cursor in the browser.
    OpenExternal,
    /// Open the note in the editor, at the line on screen.
    Edit,
    /// Read the open note again from its file.
    Reload,
    /// Read the whole vault again, in the background.
    Rescan,
    /// Bookmark the open note, or remove its bookmark.
    ToggleBookmark,
    /// The terminal changed size.
    Resize(u16, u16),
    /// Make the outline narrower (negative) or wider, by columns.
    ResizeOutline(i16),
    /// Fold the selected folder or note's headings (on a row with nothing
    /// to fold: go to the row above it in the tree).
    Fold,
    /// Unfold the selected folder or note's headings.
    Unfold,
    /// Fold or unfold the selected row.
    ToggleFold,
    /// Start typing a filter of the outline by name.
    OutlineFilter,
    /// Sort the backlinks by count or by title.
    SortBacklinks,

    /// A mouse click at a column and row.
    Click(u16, u16),
    /// Mouse wheel at a column and row: positive scrolls down.
    Wheel(u16, u16, i8),
    /// The mouse moved to a column and row with the left button held (a
    /// drag of the outline's border).
    Drag(u16, u16),
    /// The left mouse button was let go.
    Release,
}
