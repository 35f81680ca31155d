//! Start-up milestones, written to `VIDWIKI_TRACE` for the performance figures.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use super::loading::OutlineGate;
use crate::app::App;

/// When the browser reached each milestone of start-up, measured from the
/// moment `run` was called. With `VIDWIKI_TRACE=FILE` in the environment
/// they are written to FILE at exit (for the performance figures).
#[derive(Debug)]
pub(super) struct Milestones {
    pub start: Instant,
    /// From the process's start (`main`) to `start`.
    before_run: Option<Duration>,
    /// The start-up loader's gate, opened once the outline is drawn.
    pub gate: Option<Arc<OutlineGate>>,
    gate_open: bool,
    pub first_frame: Option<Duration>,
    /// The walk's paths were taken in.
    walked: Option<Duration>,
    /// The first frame drawn with the outline's rows (folders and names):
    /// the vault's first level, listed before the walk is over.
    pub outline: Option<Duration>,
    /// The first frame drawn with the walk's whole tree.
    tree: Option<Duration>,
    /// A frame was drawn after the walk's paths were taken in (until then
    /// the loop does not wait between taking them in and drawing).
    pub walk_drawn: bool,
    first_notes: Option<Duration>,
    all_titles: Option<Duration>,
    indexed: Option<Duration>,
    /// Loading is over: on a warm start the notes' bodies came after the
    /// index (`indexed`); else the same moment.
    settled: Option<Duration>,
}

impl Milestones {
    pub fn new(process_start: Option<Instant>) -> Self {
        let start = Instant::now();
        Self {
            start,
            before_run: process_start.map(|p| start.saturating_duration_since(p)),
            gate: None,
            gate_open: false,
            first_frame: None,
            walked: None,
            outline: None,
            tree: None,
            walk_drawn: false,
            first_notes: None,
            all_titles: None,
            indexed: None,
            settled: None,
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
        // When the loader's walk ended, and when it sent the walk's notes
        // and tree made ready.
        let since_start =
            |at: Option<&std::time::Instant>| at.map(|t| t.saturating_duration_since(self.start));
        let walk_ended = since_start(self.gate.as_ref().and_then(|g| g.walk_ended.get()));
        let paths_sent = since_start(self.gate.as_ref().and_then(|g| g.paths_sent.get()));
        let gate_passed = since_start(self.gate.as_ref().and_then(|g| g.gate_passed.get()));
        let heads_ready = since_start(self.gate.as_ref().and_then(|g| g.heads_ready.get()));
        let heads_sent = since_start(self.gate.as_ref().and_then(|g| g.heads_sent.get()));
        let report = format!(
            "notes={}\npeak_kb={peak_kb}\nbefore_run_ms={}\nfirst_frame_ms={}\nwalk_ended_ms={}\npaths_sent_ms={}\ngate_passed_ms={}\nheads_ready_ms={}\nheads_sent_ms={}\nwalked_ms={}\noutline_ms={}\ntree_ms={}\nfirst_notes_ms={}\nall_titles_ms={}\nindexed_ms={}\nsettled_ms={}\n",
            app.vault.notes.len(),
            ms(self.before_run),
            ms(self.first_frame),
            ms(walk_ended),
            ms(paths_sent),
            ms(gate_passed),
            ms(heads_ready),
            ms(heads_sent),
            ms(self.walked),
            ms(self.outline),
            ms(self.tree),
            ms(self.first_notes),
            ms(self.all_titles),
            ms(self.indexed),
            ms(self.settled),
        );
        let _ = std::fs::write(path, report);
    }

    /// The first frame with the outline's rows is drawn.
    pub fn outline_drawn(&mut self) {
        self.outline = Some(self.start.elapsed());
    }

    /// A frame with the walk's tree is drawn.
    pub fn tree_drawn(&mut self) {
        self.tree = self.tree.or_else(|| Some(self.start.elapsed()));
    }

    /// A frame after the walk is drawn (or loading is over): the loader
    /// goes on.
    pub fn open_gate(&mut self) {
        if !self.gate_open
            && let Some(gate) = &self.gate
        {
            gate.open();
            self.gate_open = true;
        }
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
        // Indexed once loading is done (a warm start's vault of heads
        // is: every title, heading, backlink, the tree and channels).
        if finished || app.load.done {
            self.indexed = self.indexed.or(now);
        }
        if finished {
            self.settled = self.settled.or(now);
            self.open_gate();
        }
    }
}
