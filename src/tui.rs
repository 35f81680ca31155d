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
    event::{
        self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton,
        MouseEventKind,
    },
    execute,
    terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
};
use ratatui::{Terminal, backend::CrosstermBackend, layout::Rect};

use crate::{
    app::{Action, App, Effect, NoteRead, Notice},
    clipboard::{self, ClipboardTool},
    ui,
    vault::{LoadEvent, TimeOptions, Vault, loader},
};

/// Poll timeout while the vault loads (progress keeps moving) and after.
const LOADING_TICK: Duration = Duration::from_millis(30);
const IDLE_TICK: Duration = Duration::from_millis(250);
/// Longest time spent taking in loader batches before the next draw.
const LOAD_BUDGET: Duration = Duration::from_millis(40);
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

/// Runs the browser over the vault at `root`, opening `open` first (or the
/// home page). The terminal is restored on every way out.
/// Notes' times are read under `times`.
pub fn run(root: PathBuf, open: Option<String>, times: TimeOptions) -> anyhow::Result<()> {
    run_with_loader(root, open, times, loader::spawn)
}

/// When the browser reached each milestone of start-up, measured from the
/// moment `run` was called. With `VIDWIKI_TRACE=FILE` in the environment
/// they are written to FILE at exit (for the performance figures).
#[derive(Debug)]
struct Milestones {
    start: Instant,
    first_frame: Option<Duration>,
    first_notes: Option<Duration>,
    all_titles: Option<Duration>,
    indexed: Option<Duration>,
}

impl Milestones {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            first_frame: None,
            first_notes: None,
            all_titles: None,
            indexed: None,
        }
    }

    fn write(&self, app: &App) {
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
        let peak_kb = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
            })
            .unwrap_or_else(|| "-".to_owned());
        let report = format!(
            "notes={}\npeak_kb={peak_kb}\nfirst_frame_ms={}\nfirst_notes_ms={}\nall_titles_ms={}\nindexed_ms={}\n",
            app.vault.notes.len(),
            ms(self.first_frame),
            ms(self.first_notes),
            ms(self.all_titles),
            ms(self.indexed),
        );
        let _ = std::fs::write(path, report);
    }
}

/// A loader: reads the vault at a root on its own thread, sending events.
pub type Sender = Box<dyn Fn(LoadEvent) -> bool + Send + Sync>;

/// [`run`] with another loader (for examples and manual testing).
pub fn run_with_loader<H>(
    root: PathBuf,
    open: Option<String>,
    times: TimeOptions,
    spawn: impl FnOnce(PathBuf, Sender) -> H,
) -> anyhow::Result<()> {
    let mut milestones = Milestones::new();
    let stop = Arc::new(SignalState::default());
    watch_signals(Arc::clone(&stop))?;
    install_panic_hook();
    let mut terminal = setup()?;
    let (send, receive) = mpsc::channel::<LoadEvent>();
    let _loader = spawn(
        root.clone(),
        Box::new(move |event| send.send(event).is_ok()),
    );
    let mut vault = Vault::new(root);
    vault.time_options = times;
    let result = event_loop(&mut terminal, vault, open, &receive, &stop, &mut milestones);
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
    receive: &mpsc::Receiver<LoadEvent>,
    stop: &SignalState,
    milestones: &mut Milestones,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut app = App::new(vault, open, Rect::new(0, 0, size.width, size.height));
    let result = run_loop(terminal, &mut app, receive, stop, milestones);
    milestones.write(&app);
    // The process is about to end: freeing a large vault piece by piece
    // would only delay the exit (by a noticeable moment at 100,000 notes).
    std::mem::forget(app);
    result
}

fn run_loop(
    terminal: &mut Term,
    app: &mut App,
    receive: &mpsc::Receiver<LoadEvent>,
    stop: &SignalState,
    milestones: &mut Milestones,
) -> anyhow::Result<()> {
    let mut dirty = true;
    let mut loading = true;
    let mut effects_runner = EffectRunner::new();
    // The first page may already want a note read.
    let effects = app.take_effects();
    if effects_runner.run(terminal, app, effects) {
        return Ok(());
    }
    loop {
        for notice in effects_runner.notices.try_iter() {
            app.notice(notice);
            dirty = true;
        }
        if effects_runner.collect_reads(app) {
            dirty = true;
            let effects = app.take_effects();
            if effects_runner.run(terminal, app, effects) {
                return Ok(());
            }
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
        }
        if loading {
            app.load.elapsed = milestones.start.elapsed();
            let started = Instant::now();
            while started.elapsed() < LOAD_BUDGET {
                match receive.try_recv() {
                    Ok(event) => {
                        let finished = matches!(event, LoadEvent::Done | LoadEvent::Failed(_));
                        let notes = matches!(event, LoadEvent::Notes(_));
                        let titles = matches!(event, LoadEvent::Titles(_));
                        app.on_load(event);
                        let effects = app.take_effects();
                        if effects_runner.run(terminal, app, effects) {
                            return Ok(());
                        }
                        let now = Some(milestones.start.elapsed());
                        if notes {
                            milestones.first_notes = milestones.first_notes.or(now);
                        }
                        if (titles || notes) && app.load.expected == Some(app.vault.notes.len()) {
                            milestones.all_titles = milestones.all_titles.or(now);
                        }
                        if finished {
                            loading = false;
                            milestones.indexed = milestones.indexed.or(now);
                        }
                        dirty = true;
                    }
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        if !app.load.done {
                            app.on_load(LoadEvent::Failed("the loader stopped".to_owned()));
                        }
                        loading = false;
                        dirty = true;
                        break;
                    }
                }
            }
        }
        if app.picker.is_some() && app.tick_search() {
            dirty = true;
            // A new selection's preview may want its note read.
            let effects = app.take_effects();
            if effects_runner.run(terminal, app, effects) {
                return Ok(());
            }
        }
        let tick = if loading || app.search_running() || effects_runner.reading() {
            LOADING_TICK
        } else {
            IDLE_TICK
        };
        if !event::poll(tick)? {
            continue;
        }
        // Take the events already waiting (a bounded number, so a flood
        // cannot starve drawing or the stop check) before drawing again.
        for _ in 0..MAX_EVENTS_PER_DRAW {
            if stop.stopping() || stop.suspend.load(Ordering::Relaxed) {
                break;
            }
            let effects = match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => app.handle_key(key),
                Event::Mouse(mouse) => match mouse.kind {
                    MouseEventKind::Down(MouseButton::Left) => {
                        app.update(Action::Click(mouse.column, mouse.row))
                    }
                    MouseEventKind::ScrollDown => {
                        app.update(Action::Wheel(mouse.column, mouse.row, 1))
                    }
                    MouseEventKind::ScrollUp => {
                        app.update(Action::Wheel(mouse.column, mouse.row, -1))
                    }
                    _ => continue_effects(),
                },
                Event::Resize(w, h) => {
                    terminal.autoresize()?;
                    app.update(Action::Resize(w, h))
                }
                _ => continue_effects(),
            };
            dirty = true;
            if effects_runner.run(terminal, app, effects) {
                return Ok(());
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}

fn continue_effects() -> Vec<Effect> {
    Vec::new()
}

/// Reads a note's text back for [`Effect::ReadNote`], with the reason in
/// plain words when it cannot be shown. Runs on a worker thread (and in
/// tests, which feed the app exactly what the event loop would).
pub fn read_note(read: &NoteRead) -> Result<Arc<str>, String> {
    // The vault's reader opens only a regular file inside the vault, and
    // never blocks on a named pipe or a device.
    crate::vault::text_store::read_back(&read.root, &read.disk_path, &read.path, read.expected)
        .map_err(|error| crate::text::sanitize_inline(&error.to_string()).into_owned())
}

/// Carries out the effects that reach outside the terminal. Anything that
/// could block (a clipboard tool, a browser) runs on its own thread and
/// reports back through `notices`, which the loop turns into actions.
struct EffectRunner {
    /// The platform tool and the tmux hint, found on a thread at start-up
    /// (asking tmux can take a moment, and the first frame must not wait).
    setup: Arc<std::sync::OnceLock<ClipboardSetup>>,
    /// The tmux hint has been said (it is said once per run).
    hinted: bool,
    send: mpsc::Sender<Notice>,
    notices: mpsc::Receiver<Notice>,
    /// Note reads under way, with when each began.
    reads: Vec<(NoteRead, Instant)>,
    send_read: mpsc::Sender<(NoteRead, Result<Arc<str>, String>)>,
    read_results: mpsc::Receiver<(NoteRead, Result<Arc<str>, String>)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct ClipboardSetup {
    tool: Option<ClipboardTool>,
    tmux_hint: Option<&'static str>,
}

impl EffectRunner {
    fn new() -> Self {
        let setup = Arc::new(std::sync::OnceLock::new());
        let filled = Arc::clone(&setup);
        std::thread::spawn(move || {
            let env = |name: &str| std::env::var(name).ok();
            let tmux_hint = if env("TMUX").is_some() {
                clipboard::tmux_clipboard_hint(
                    &env,
                    clipboard::query_tmux_set_clipboard().as_deref(),
                )
            } else {
                None
            };
            let _ = filled.set(ClipboardSetup {
                tool: ClipboardTool::detect_from_environment(),
                tmux_hint,
            });
        });
        let (send, notices) = mpsc::channel();
        let (send_read, read_results) = mpsc::channel();
        Self {
            setup,
            hinted: false,
            send,
            notices,
            reads: Vec::new(),
            send_read,
            read_results,
        }
    }

    /// Carries out effects; true when one of them is to quit.
    fn run(&mut self, terminal: &mut Term, app: &mut App, effects: Vec<Effect>) -> bool {
        for effect in effects {
            match effect {
                Effect::Quit => return true,
                Effect::Copy(text) => self.copy(terminal, app, text),
                Effect::OpenUrl(url) => self.open_url(url),
                Effect::ReadNote(read) => self.read_note(read),
                Effect::Suspend => {
                    if let Err(error) = suspend(terminal) {
                        app.notice(Notice {
                            warning: true,
                            text: format!("Could not take the terminal back: {error}"),
                        });
                    }
                }
            }
        }
        false
    }

    /// A note read is under way.
    fn reading(&self) -> bool {
        !self.reads.is_empty()
    }

    /// Reads a note on a thread of its own: a read can block for ever (a
    /// named pipe swapped in for a note), and the event loop must not.
    fn read_note(&mut self, read: NoteRead) {
        if self.reads.iter().any(|(r, _)| *r == read) {
            return;
        }
        let send = self.send_read.clone();
        let request = read.clone();
        let spawned = std::thread::Builder::new()
            .name("note-read".into())
            .spawn(move || {
                let result = read_note(&request);
                let _ = send.send((request, result));
            });
        match spawned {
            Ok(_) => self.reads.push((read, Instant::now())),
            Err(error) => {
                let _ = self
                    .send_read
                    .send((read, Err(format!("cannot start a reader: {error}"))));
            }
        }
    }

    /// Hands finished reads to the app, and abandons reads that took too
    /// long. True when the app got anything.
    fn collect_reads(&mut self, app: &mut App) -> bool {
        let mut any = false;
        for (read, result) in self.read_results.try_iter() {
            // A read abandoned earlier has been answered already.
            if let Some(at) = self.reads.iter().position(|(r, _)| *r == read) {
                self.reads.remove(at);
                app.on_note_text(&read, result);
                any = true;
            }
        }
        let (late, on_time): (Vec<_>, Vec<_>) = std::mem::take(&mut self.reads)
            .into_iter()
            .partition(|(_, started)| started.elapsed() >= NOTE_READ_TIMEOUT);
        self.reads = on_time;
        for (read, _) in late {
            let why = format!(
                "Cannot show {}: reading it took longer than {:.1} s, so it was abandoned \
                 (is it a named pipe or on a stalled disk?)",
                read.path,
                NOTE_READ_TIMEOUT.as_secs_f64()
            );
            app.on_note_text(&read, Err(why));
            any = true;
        }
        any
    }

    /// OSC 52 always, written between frames to the terminal the app draws
    /// on (what it prints is invisible, so the screen buffer is not
    /// disturbed); then the platform tool, when the session is local.
    fn copy(&mut self, terminal: &mut Term, app: &mut App, text: String) {
        let text = crate::text::clipboard_safe(&text).into_owned();
        let osc52 = clipboard::write_osc52(terminal.backend_mut(), &text).is_ok();
        let shown = crate::text::sanitize_inline(&text).into_owned();
        let setup = self.setup.get().copied().unwrap_or_default();
        let hint = setup.tmux_hint.filter(|_| !self.hinted);
        self.hinted |= hint.is_some();
        let notice = move |report: clipboard::CopyReport| Notice {
            warning: report.is_warning(hint),
            text: report.message(&shown, hint),
        };
        let Some(tool) = setup.tool else {
            app.notice(notice(clipboard::CopyReport {
                osc52,
                tool: None,
                tool_error: None,
            }));
            return;
        };
        let send = self.send.clone();
        std::thread::spawn(move || {
            let tool_error = clipboard::copy_with_tool(tool, &text, CLIPBOARD_TOOL_TIMEOUT).err();
            let _ = send.send(notice(clipboard::CopyReport {
                osc52,
                tool: Some(tool),
                tool_error,
            }));
        });
    }

    /// Hands a URL to the desktop's opener, detached, its output discarded;
    /// a failure to start it, or a failing exit, shows in the status bar.
    fn open_url(&self, url: String) {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        let send = self.send.clone();
        std::thread::spawn(move || {
            let outcome = std::process::Command::new(opener)
                .arg(&url)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            let failure = match outcome {
                Ok(status) if status.success() => return,
                Ok(status) => format!("{opener} failed ({status}) for {url}"),
                Err(error) => format!("cannot open the browser: {opener}: {error}"),
            };
            let _ = send.send(Notice {
                warning: true,
                text: failure,
            });
        });
    }
}
