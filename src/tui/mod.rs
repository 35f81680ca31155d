//! The only code that touches the terminal: set-up and restore, the event
//! loop (terminal events and loader events), and carrying out effects.
// The terminal is this module's to drive: it alone may write to stdout
// directly (what it draws is sanitised by `ui`; see `clippy.toml`).
#![allow(clippy::disallowed_methods)]

use std::{
    io::{self, Stdout},
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicI32, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

use crossterm::{
    event::{self, DisableMouseCapture, EnableMouseCapture},
    execute,
    terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
};
use ratatui::{Terminal, backend::CrosstermBackend, layout::Rect};

mod background;
mod configure;
mod editing;
mod effects;
mod input;
mod loading;
mod milestones;
mod state;
mod watching;

use configure::configure;
use effects::EffectRunner;
pub use effects::{build_batch, parse_batch, parse_note, read_note};
use input::{Input, input_of};
use loading::{Loaders, OutlineGate, drain_loader, start_rescan};
use milestones::Milestones;
use watching::WatchStart;

use crate::{
    app::{Action, App},
    ui,
    vault::{LoadEvent, TimeOptions, Vault, loader},
};

/// Poll timeout while the vault loads (progress keeps moving) and after.
const LOADING_TICK: Duration = Duration::from_millis(30);
/// Poll timeout until the walk's paths arrive (a few hundred ms at most):
/// the outline is drawn from them, so they are taken in promptly.
const WALK_TICK: Duration = Duration::from_millis(5);
/// How long the short tick is kept up waiting for the walk (a loader that
/// sends no paths, or a huge vault, then gets the loading tick).
const WALK_WAIT: Duration = Duration::from_secs(2);
const IDLE_TICK: Duration = Duration::from_millis(250);
/// How long the loop gets to stop by itself after a fatal signal.
const SIGNAL_GRACE: Duration = Duration::from_millis(400);
/// Terminal events handled between two draws at most.
const MAX_EVENTS_PER_DRAW: usize = 64;
/// How long a platform clipboard tool may take before it is killed.
const CLIPBOARD_TOOL_TIMEOUT: Duration = Duration::from_millis(800);
/// How long reading a note back may take before it is abandoned (a named
/// pipe, a stalled network disk): the worker is left to its fate and the
/// note says why it shows nothing.
const NOTE_READ_TIMEOUT: Duration = Duration::from_millis(1500);

type Term = Terminal<CrosstermBackend<Stdout>>;

/// An editor runs in the foreground (see `editing`): the interrupt keys
/// are its, not the browser's.
static EDITING: AtomicBool = AtomicBool::new(false);

/// How a browsing session starts, beyond the note to open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Start {
    /// Start on the home page, not the note last read.
    pub home: bool,
    /// Neither read nor write the saved state (`--no-state`).
    pub no_state: bool,
    /// Draw without colour (`NO_COLOR`, `--color never`): wins over any
    /// theme.
    pub no_color: bool,
    /// The effective configuration: theme, keys, copy format, clipboard,
    /// pane widths.
    pub config: crate::config::Config,
    /// The index cache's folder, to save the index again as notes change
    /// on disk (`None` with `--no-cache`).
    pub index_cache: Option<PathBuf>,
    /// When the process started (`main`), for the start-up trace; `None`:
    /// when the browser was called.
    pub started: Option<Instant>,
}

/// Runs the browser over the vault at `root`, opening `open` first (or the
/// home page). The terminal is restored on every way out.
/// Notes' times are read under `times`.
pub fn run(root: PathBuf, open: Option<String>, times: TimeOptions) -> anyhow::Result<()> {
    run_with(root, open, times, Start::default())
}

/// [`run`], with how to start (home page, saved state or not).
pub fn run_with(
    root: PathBuf,
    open: Option<String>,
    times: TimeOptions,
    start: Start,
) -> anyhow::Result<()> {
    run_session(root, open, times, start, loader::spawn)
}

/// A loader: reads the vault at a root on its own thread, sending events.
pub type Sender = Box<dyn Fn(LoadEvent) -> bool + Send + Sync>;

/// [`run_with`] with another loader: the index cache's, or a stand-in for
/// examples and manual testing. A rescan (`R`) starts it again.
pub fn run_with_loader<H>(
    root: PathBuf,
    open: Option<String>,
    times: TimeOptions,
    start: Start,
    spawn: impl Fn(PathBuf, Sender) -> H,
) -> anyhow::Result<()> {
    run_session(root, open, times, start, spawn)
}

fn run_session<H>(
    root: PathBuf,
    open: Option<String>,
    times: TimeOptions,
    start: Start,
    spawn: impl Fn(PathBuf, Sender) -> H,
) -> anyhow::Result<()> {
    let mut milestones = Milestones::new(start.started);
    let stop = Arc::new(SignalState::default());
    watch_signals(Arc::clone(&stop))?;
    install_panic_hook();
    let mut terminal = setup()?;
    let (send, receive) = mpsc::channel();
    let gate = Arc::new(OutlineGate::default());
    let _loader = spawn(root.clone(), loading::sender(send, Some(Arc::clone(&gate))));
    milestones.gate = Some(gate);
    // Listed while the loader walks (well under a millisecond): the first
    // frame shows the vault's folders.
    let first_level = crate::vault::loader::first_level(&root);
    let mut vault = Vault::new(root);
    vault.time_options = times;
    // `R` starts the same loader again (its handle is not kept: a loader
    // ends by itself, or at its next send once nobody listens).
    let respawn = |root: PathBuf, send: Sender| {
        let _ = spawn(root, send);
    };
    let result = event_loop(
        &mut terminal,
        vault,
        open,
        start,
        Loaders {
            first: &receive,
            respawn: &respawn,
            first_level,
        },
        &stop,
        &mut milestones,
    );
    restore();
    // Killed by a signal: now that the terminal is back, die of it as the
    // default action would (the shell sees the signal, not an exit code).
    let signal = stop.fatal.load(Ordering::Relaxed);
    if signal != 0 {
        let _ = signal_hook::low_level::emulate_default_handler(signal);
        std::process::exit(128 + signal);
    }
    result
}

/// What the signal thread tells the event loop.
#[derive(Debug, Default)]
struct SignalState {
    /// A signal whose default action ends the process (0: none yet).
    fatal: AtomicI32,
    /// SIGTSTP: suspend, giving the terminal back first.
    suspend: AtomicBool,
    /// SIGCONT: the process was stopped and goes on; the terminal may
    /// have been changed meanwhile (the shell had it).
    resumed: AtomicBool,
}

impl SignalState {
    fn stopping(&self) -> bool {
        self.fatal.load(Ordering::Relaxed) != 0
    }
}

/// Signals whose default action ends the process. Each leaves the loop,
/// which restores the terminal, then ends the process the same way.
/// (SIGPIPE is ignored by Rust programs: writes fail instead.)
const FATAL_SIGNALS: [i32; 7] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGALRM,
    signal_hook::consts::SIGUSR1,
    signal_hook::consts::SIGUSR2,
];

/// Fatal signals stop the loop, which restores the terminal. When the
/// terminal is gone (a hang-up), crossterm can stay inside `read` on an
/// endless end-of-file and never come back to the loop, so after a grace
/// period this thread restores what it can and ends the process itself.
/// SIGTSTP and SIGCONT are passed to the loop, which suspends and resumes
/// between two frames.
fn watch_signals(state: Arc<SignalState>) -> anyhow::Result<()> {
    let mut wanted = FATAL_SIGNALS.to_vec();
    wanted.extend([signal_hook::consts::SIGTSTP, signal_hook::consts::SIGCONT]);
    let mut signals = signal_hook::iterator::Signals::new(wanted)?;
    std::thread::spawn(move || {
        for signal in signals.forever() {
            match signal {
                signal_hook::consts::SIGTSTP => state.suspend.store(true, Ordering::Relaxed),
                signal_hook::consts::SIGCONT => state.resumed.store(true, Ordering::Relaxed),
                signal_hook::consts::SIGINT | signal_hook::consts::SIGQUIT
                    if EDITING.load(Ordering::Relaxed) => {}
                _ => {
                    state.fatal.store(signal, Ordering::Relaxed);
                    std::thread::sleep(SIGNAL_GRACE);
                    restore();
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            }
        }
    });
    Ok(())
}

/// Ctrl-Z or SIGTSTP: give the terminal back as it was, stop the process
/// as the default action would, and take the terminal again when the shell
/// continues it (`fg`).
fn suspend(terminal: &mut Term) -> anyhow::Result<()> {
    restore();
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
    resume(terminal)
}

/// Raw mode, the alternate screen and the mouse again, and a full redraw
/// (the screen holds whatever the shell printed meanwhile).
fn resume(terminal: &mut Term) -> anyhow::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    terminal.clear()?;
    Ok(())
}

fn setup() -> anyhow::Result<Term> {
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    if let Err(err) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture) {
        restore();
        return Err(err.into());
    }
    Ok(Terminal::new(CrosstermBackend::new(stdout))?)
}

/// Puts the terminal back as it was. Safe to call more than once; errors
/// are ignored because there is nothing better to do with them here.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal before the panic message is printed, so the
/// message is readable and the shell usable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

fn event_loop(
    terminal: &mut Term,
    vault: Vault,
    open: Option<String>,
    start: Start,
    mut loaders: Loaders<'_>,
    stop: &SignalState,
    milestones: &mut Milestones,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut app = App::new(vault, open, Rect::new(0, 0, size.width, size.height));
    configure(&mut app, &start);
    let root = app.vault.root.clone();
    let mut keeper = (!start.no_state)
        .then(|| state::StateKeeper::start(&root, &mut app, start.home))
        .flatten();
    // After the saved state: its folding choices show on the first level.
    if let Some(first) = loaders.first_level.take() {
        app.on_first_level(first);
    }
    let mut refresher = start
        .index_cache
        .map(|dir| crate::vault::cache::refresh::Refresher::new(dir, &root));
    let result = run_loop(
        terminal,
        &mut app,
        &start.config.clipboard,
        loaders,
        stop,
        milestones,
        keeper.as_mut(),
        refresher.as_mut(),
    );
    if let Some(refresher) = &mut refresher {
        refresher.finish(settled_vault(&app));
    }
    if let Some(keeper) = &mut keeper {
        keeper.tick(&mut app, true);
    }
    milestones.write(&app);
    // The process is about to end: freeing a large vault piece by piece
    // would only delay the exit (by a noticeable moment at 100,000 notes).
    std::mem::forget(app);
    result
}

/// The vault whose resolved index a background save keeps (the next
/// start then hands the heads over at once), once loading is over.
fn settled_vault(app: &App) -> Option<&Vault> {
    app.load.settled().then_some(&app.vault)
}

/// While a save's resolved offer is made (a slice per turn of the loop),
/// the loop turns at least this often.
fn offer_tick(refresher: &Option<&mut crate::vault::cache::refresh::Refresher>) -> Duration {
    if refresher.as_ref().is_some_and(|r| r.capturing()) {
        LOADING_TICK
    } else {
        Duration::MAX
    }
}

/// What the work done off the UI thread brought in this turn of the loop.
enum Background {
    Nothing,
    Changed,
    Quit,
}

/// Takes in what the threads finished: notes changed on disk, notes parsed
/// again and note texts read; runs the effects each one leads to.
fn take_background_work(
    terminal: &mut Term,
    app: &mut App,
    runner: &mut EffectRunner,
    touched: &mpsc::Receiver<crate::vault::watch::Touched>,
    mut refresher: Option<&mut crate::vault::cache::refresh::Refresher>,
) -> Background {
    let mut changed = false;
    for batch in touched.try_iter() {
        app.on_disk_changes(batch);
        changed = true;
        if let Some(refresher) = refresher.as_deref_mut() {
            refresher.changed();
        }
    }
    if let Some(refresher) = refresher {
        refresher.tick(settled_vault(app));
    }
    changed |= runner.continue_copy(app);
    changed |= runner.collect_parses(app);
    changed |= runner.collect_reads(app);
    if !changed {
        return Background::Nothing;
    }
    let effects = app.take_effects();
    if runner.run(terminal, app, effects) {
        Background::Quit
    } else {
        Background::Changed
    }
}

/// How long the loop waits for a terminal event before its next turn:
/// not at all when the walk's outline waits to be drawn, briefly while the
/// walk or a burst's copy is under way, a little longer while work runs
/// in the background, and long when idle.
fn next_tick(
    app: &App,
    runner: &EffectRunner,
    milestones: &Milestones,
    dirty: bool,
    loading: bool,
) -> Duration {
    if dirty && app.load.walked && !milestones.walk_drawn {
        // The walk's paths just made the outline: drawn now, not after a
        // loading tick.
        Duration::ZERO
    } else if runner.copying()
        || (loading && !app.load.walked && milestones.start.elapsed() < WALK_WAIT)
    {
        WALK_TICK
    } else if loading || app.search_running() || runner.reading() || runner.bursting {
        LOADING_TICK
    } else {
        IDLE_TICK
    }
}

// Long: the event loop's steps in the order they run each turn; each step
// is a call, and they share the loop's state (dirty, loading, rescan).
#[allow(
    clippy::too_many_arguments,
    reason = "the loop's collaborators, each owned by the session that calls it"
)]
fn run_loop(
    terminal: &mut Term,
    app: &mut App,
    clipboard: &crate::clipboard::ClipboardChoice,
    loaders: Loaders<'_>,
    stop: &SignalState,
    milestones: &mut Milestones,
    mut keeper: Option<&mut state::StateKeeper>,
    mut refresher: Option<&mut crate::vault::cache::refresh::Refresher>,
) -> anyhow::Result<()> {
    let mut dirty = true;
    let mut loading = true;
    let mut runner = EffectRunner::new(clipboard.clone());
    // A rescan (`R`) starts another loader, whose events take over.
    let mut rescan: Option<mpsc::Receiver<crate::app::Loaded>> = None;
    // Notes changed outside vidwiki come in batches from the watcher.
    let mut watch = WatchStart::spawn(app.vault.root.clone());
    // The first page may already want a note read.
    let effects = app.take_effects();
    if runner.run(terminal, app, effects) {
        return Ok(());
    }
    loop {
        for notice in runner.notices.try_iter() {
            app.notice(notice);
            dirty = true;
        }
        if runner.rescan {
            runner.rescan = false;
            rescan = Some(start_rescan(app, &loaders));
            loading = true;
            dirty = true;
        }
        if let Some(keeper) = keeper.as_deref_mut() {
            keeper.tick(app, false);
        }
        // The watcher's set-up (a walk with a `stat` per file) and the
        // clipboard's (a `tmux` process) wait for the index: the cores go
        // to the outline and the load first.
        if !loading {
            runner.start_clipboard_setup();
        }
        if watch.poll(app, !loading) {
            dirty = true;
            // The walk made once the watcher was up may ask for reads.
            let effects = app.take_effects();
            if runner.run(terminal, app, effects) {
                return Ok(());
            }
        }
        match take_background_work(
            terminal,
            app,
            &mut runner,
            &watch.touched,
            refresher.as_deref_mut(),
        ) {
            Background::Quit => return Ok(()),
            Background::Changed => dirty = true,
            Background::Nothing => {}
        }
        if stop.stopping() {
            return Ok(());
        }
        if stop.suspend.swap(false, Ordering::Relaxed) {
            suspend(terminal)?;
            stop.resumed.store(false, Ordering::Relaxed);
            dirty = true;
        }
        if stop.resumed.swap(false, Ordering::Relaxed) {
            resume(terminal)?;
            dirty = true;
        }
        if dirty {
            terminal.draw(|frame| ui::draw(frame, app))?;
            dirty = false;
            milestones.first_frame = milestones
                .first_frame
                .or_else(|| Some(milestones.start.elapsed()));
            milestones.walk_drawn |= app.load.walked;
            if milestones.walk_drawn {
                milestones.tree_drawn();
                milestones.open_gate();
            }
            if milestones.outline.is_none() && !app.outline.rows.is_empty() {
                milestones.outline_drawn();
            }
            app.after_frame();
        }
        if loading {
            let receive = rescan.as_ref().unwrap_or(loaders.first);
            let drained = drain_loader(terminal, app, receive, &mut runner, milestones);
            if drained.quit {
                return Ok(());
            }
            dirty |= drained.changed;
            loading = !drained.finished;
        }
        // Messages go after a few seconds: the app reads no clock.
        if app.message.is_some() && app.tick(std::time::Instant::now()) {
            dirty = true;
        }
        if app.picker.is_some() && app.tick_search() {
            dirty = true;
            // A new selection's preview may want its note read.
            let effects = app.take_effects();
            if runner.run(terminal, app, effects) {
                return Ok(());
            }
        }
        let tick = next_tick(app, &runner, milestones, dirty, loading).min(offer_tick(&refresher));
        if !event::poll(tick)? {
            continue;
        }
        dirty = true;
        if handle_terminal_events(terminal, app, stop, &mut runner)? {
            return Ok(());
        }
    }
}

/// Handles the terminal events already waiting (a bounded number, so a
/// flood cannot starve drawing or the stop check). True when one of them
/// led to quitting.
fn handle_terminal_events(
    terminal: &mut Term,
    app: &mut App,
    stop: &SignalState,
    runner: &mut EffectRunner,
) -> anyhow::Result<bool> {
    for _ in 0..MAX_EVENTS_PER_DRAW {
        if stop.stopping() || stop.suspend.load(Ordering::Relaxed) {
            break;
        }
        let effects = match input_of(&event::read()?) {
            Some(Input::Key(key)) => app.handle_key(key),
            Some(Input::Action(action)) => {
                if let Action::Resize(..) = action {
                    terminal.autoresize()?;
                }
                app.update(action)
            }
            None => Vec::new(),
        };
        if runner.run(terminal, app, effects) {
            return Ok(true);
        }
        if !event::poll(Duration::ZERO)? {
            break;
        }
    }
    Ok(false)
}
