//! What [`super::App::update`] asks the outside world to do. `tui.rs`
//! carries these out; tests assert them.

pub use super::{
    editing::{BatchJob, NewNote, NoteParse},
    texts::NoteRead,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the browser and restore the terminal.
    Quit,
    /// Put text on the clipboard (OSC 52, plus the platform tool).
    Copy(String),
    /// Open a URL in the web browser.
    OpenUrl(String),
    /// Give the terminal back and stop (Ctrl-Z); `fg` resumes.
    Suspend,
    /// Read a note's text back from its file, off the UI thread; the answer
    /// (or why there is none) goes to [`super::App::on_note_text`].
    ReadNote(NoteRead),
    /// Hand a file to the editor at a line (1-based), giving it the
    /// terminal until it exits; then [`super::App::after_edit`].
    Edit { path: std::path::PathBuf, line: u32 },
    /// Read and parse a note again, off the UI thread; the answer goes to
    /// [`super::App::on_note_parsed`].
    ParseNote(NoteParse),
    /// Read and parse a note new to the vault; the answer goes to
    /// [`super::App::on_new_note`].
    ParseNewNote(NewNote),
    /// Read and parse many notes touched at once (a `git checkout`), off
    /// the UI thread with progress ([`super::App::on_batch_progress`]);
    /// the results go to [`super::App::on_batch_parsed`] together.
    ParseBatch(Vec<BatchJob>),
    /// Start the loader again over the vault's folder; its events go to
    /// [`super::App::on_load`] as at start-up.
    Rescan,
}
