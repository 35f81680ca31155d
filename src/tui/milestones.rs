//! Start-up milestones, written to `VIDWIKI_TRACE` for the performance figures.

use std::time::{Duration, Instant};

use crate::app::App;

/// When the browser reached each milestone of start-up, measured from the
/// moment `run` was called. With `VIDWIKI_TRACE=FILE` in the environment
/// they are written to FILE at exit (for the performance figures).
#[derive(Debug)]
pub(super) struct Milestones {
    pub start: Instant,
    pub first_frame: Option<Duration>,
    /// The walk's paths were taken in.
    walked: Option<Duration>,
    /// The first frame drawn with the outline's rows (folders and names).
    pub outline: Option<Duration>,
    /// A frame was drawn after the walk's paths were taken in (until then
    /// the loop does not wait between taking them in and drawing).
    pub walk_drawn: bool,
    first_notes: Option<Duration>,
    all_titles: Option<Duration>,
    indexed: Option<Duration>,
}

impl Milestones {
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            first_frame: None,
            walked: None,
            outline: None,
            walk_drawn: false,
            first_notes: None,
            all_titles: None,
            indexed: None,
        }
    }

    pub fn write(&self, app: &App) {
        let Some(path) = std::env::var_os("VIDWIKI_TRACE") else {
            return;
        };
        let ms = |d: Option<Duration>| {
            d.map_or_else(
                || "-".to_owned(),
                |d| format!("{:.1}", d.as_secs_f64() * 1000.0),
            )
        };
        // Peak resident memory of the process (Linux), for the figures.
        let peak_kb =
            crate::memory::peak_memory_kb().map_or_else(|| "-".to_owned(), |kb| kb.to_string());
        let report = format!(
            "notes={}\npeak_kb={peak_kb}\nfirst_frame_ms={}\nwalked_ms={}\noutline_ms={}\nfirst_notes_ms={}\nall_titles_ms={}\nindexed_ms={}\n",
            app.vault.notes.len(),
            ms(self.first_frame),
            ms(self.walked),
            ms(self.outline),
            ms(self.first_notes),
            ms(self.all_titles),
            ms(self.indexed),
        );
        let _ = std::fs::write(path, report);
    }

    /// A loader event was taken in: the first notes, all titles and the
    /// end of loading are milestones.
    pub fn on_load(&mut self, notes: bool, titles: bool, finished: bool, app: &App) {
        let now = Some(self.start.elapsed());
        if app.load.walked {
            self.walked = self.walked.or(now);
        }
        if notes {
            self.first_notes = self.first_notes.or(now);
        }
        if (titles || notes) && app.load.expected == Some(app.vault.notes.len()) {
            self.all_titles = self.all_titles.or(now);
        }
        if finished {
            self.indexed = self.indexed.or(now);
        }
    }
}
