//! What [`super::App::update`] asks the outside world to do. `tui.rs`
//! carries these out; tests assert them.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the browser and restore the terminal.
    Quit,
    /// Put text on the clipboard (OSC 52, plus the platform tool).
    Copy(String),
    /// Open a URL in the web browser.
    OpenUrl(String),
}
