//! The loader's side of the event loop: its events made ready on its own
//! thread, the walk's outline drawn before the loader goes on, and its
//! messages taken in between frames.

use std::{
    path::PathBuf,
    sync::{Arc, Condvar, Mutex, OnceLock, PoisonError, mpsc},
    time::{Duration, Instant},
};

use super::{EffectRunner, Milestones, Sender, Term};
use crate::{
    app::{App, Loaded},
    vault::{FirstLevel, LoadEvent},
};

/// Longest time spent taking in loader messages before the next draw.
const LOAD_BUDGET: Duration = Duration::from_millis(40);
/// How long the loader waits, after sending the walk's paths, for the
/// outline to be drawn from them before it reads on (so that its passes
/// do not take the cores from the UI thread meanwhile).
const OUTLINE_WAIT: Duration = Duration::from_millis(250);

/// Held by the loader after the walk until the first frame with the
/// outline is drawn (or [`OUTLINE_WAIT`] is over).
#[derive(Debug, Default)]
pub(super) struct OutlineGate {
    drawn: Mutex<bool>,
    changed: Condvar,
    /// When the loader's walk ended (for the start-up trace).
    pub walk_ended: OnceLock<Instant>,
    /// When the loader sent the walk's notes and tree, made ready (for
    /// the start-up trace).
    pub paths_sent: OnceLock<Instant>,
    /// When the loader went on past the gate (for the start-up trace).
    pub gate_passed: OnceLock<Instant>,
    /// When the loader's finished vault (a warm start's heads) reached
    /// the sender, and when its picker's items were built and it was sent
    /// (for the start-up trace).
    pub heads_ready: OnceLock<Instant>,
    pub heads_sent: OnceLock<Instant>,
}

impl OutlineGate {
    /// The outline is on screen (or loading is over): the loader goes on.
    pub fn open(&self) {
        *self.drawn.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.changed.notify_all();
    }

    fn wait(&self) {
        let drawn = self.drawn.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = self
            .changed
            .wait_timeout_while(drawn, OUTLINE_WAIT, |drawn| !*drawn);
    }
}

/// The sender handed to a loader: each event is made ready on the
/// loader's thread ([`Loaded::prepare`], the walk's paths in two parts by
/// [`crate::app::send_walk`]); after the walk the loader waits for the
/// outline (`gate`, the first load only).
pub(super) fn sender(send: mpsc::Sender<Loaded>, gate: Option<Arc<OutlineGate>>) -> Sender {
    Box::new(move |event| {
        if let (LoadEvent::Found { .. }, Some(gate)) = (&event, &gate) {
            let _ = gate.walk_ended.set(Instant::now());
        }
        let LoadEvent::Paths(paths) = event else {
            let indexed = matches!(event, LoadEvent::Indexed(_));
            let mark = |at: fn(&OutlineGate) -> &OnceLock<Instant>| {
                if indexed && let Some(gate) = &gate {
                    let _ = at(gate).set(Instant::now());
                }
            };
            mark(|g| &g.heads_ready);
            let loaded = Loaded::prepare(event);
            mark(|g| &g.heads_sent);
            return send.send(loaded).is_ok();
        };
        let handed = crate::app::send_walk(
            paths,
            |loaded| send.send(loaded).is_ok(),
            || {
                if let Some(gate) = &gate {
                    let _ = gate.paths_sent.set(Instant::now());
                }
            },
        );
        if handed && let Some(gate) = &gate {
            gate.wait();
            let _ = gate.gate_passed.set(Instant::now());
        }
        handed
    })
}

/// The start-up loader's messages, and how to start it again for `R`.
pub(super) struct Loaders<'a> {
    pub first: &'a mpsc::Receiver<Loaded>,
    pub respawn: &'a dyn Fn(PathBuf, Sender),
    /// The vault's first folder level, listed while the loader walks:
    /// the first frame's outline (see [`crate::app::App::on_first_level`]).
    pub first_level: Option<FirstLevel>,
}

/// `R`: the same loader as at start-up (through the index cache, unless
/// it is off) reads the vault again; its messages take over.
pub(super) fn start_rescan(app: &App, loaders: &Loaders<'_>) -> mpsc::Receiver<Loaded> {
    let (send, messages) = mpsc::channel();
    (loaders.respawn)(app.vault.root.clone(), sender(send, None));
    messages
}

/// What taking in the loader's waiting messages did.
#[derive(Debug, Default)]
pub(super) struct Drained {
    /// An effect asked to quit.
    pub quit: bool,
    /// The app took in at least one message.
    pub changed: bool,
    /// Loading is over (done, failed, or the loader went away).
    pub finished: bool,
}

/// Takes in the loader's waiting messages for at most [`LOAD_BUDGET`],
/// so a fast loader cannot hold up drawing.
pub(super) fn drain_loader(
    terminal: &mut Term,
    app: &mut App,
    receive: &mpsc::Receiver<Loaded>,
    runner: &mut EffectRunner,
    milestones: &mut Milestones,
) -> Drained {
    let mut drained = Drained::default();
    app.load.elapsed = milestones.start.elapsed();
    let started = Instant::now();
    while started.elapsed() < LOAD_BUDGET {
        let loaded = match receive.try_recv() {
            Ok(loaded) => loaded,
            Err(mpsc::TryRecvError::Empty) => break,
            Err(mpsc::TryRecvError::Disconnected) => {
                if !app.load.done {
                    app.on_load(LoadEvent::Failed("the loader stopped".to_owned()));
                }
                drained.finished = true;
                drained.changed = true;
                break;
            }
        };
        let finished = loaded.finishes();
        let notes = matches!(
            loaded,
            Loaded::Event(LoadEvent::Notes(_)) | Loaded::Indexed(_)
        );
        let titles = matches!(loaded, Loaded::Event(LoadEvent::Titles(_)));
        // The walk's paths make the outline: drawn before anything else.
        let walk = matches!(
            loaded,
            Loaded::Walked(_) | Loaded::Event(LoadEvent::Paths(_))
        );
        app.on_loaded(loaded);
        let effects = app.take_effects();
        if runner.run(terminal, app, effects) {
            drained.quit = true;
            return drained;
        }
        milestones.on_load(notes, titles, finished, app);
        drained.finished |= finished;
        drained.changed = true;
        if walk {
            break;
        }
    }
    drained
}
