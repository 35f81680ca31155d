//! The only code that touches the terminal: set-up and restore, the event
//! loop (terminal events and loader events), and carrying out effects.

use std::{
    io::{self, Stdout, Write},
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

use crossterm::{
    clipboard::CopyToClipboard,
    event::{
        self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton,
        MouseEventKind,
    },
    execute,
    terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
};
use ratatui::{Terminal, backend::CrosstermBackend, layout::Rect};

use crate::{
    app::{Action, App, Effect},
    ui,
    vault::{LoadEvent, Vault, loader},
};

/// Poll timeout while the vault loads (progress keeps moving) and after.
const LOADING_TICK: Duration = Duration::from_millis(30);
const IDLE_TICK: Duration = Duration::from_millis(250);
/// Longest time spent taking in loader batches before the next draw.
const LOAD_BUDGET: Duration = Duration::from_millis(40);
/// How long the loop gets to stop by itself after SIGTERM or SIGHUP.
const SIGNAL_GRACE: Duration = Duration::from_millis(400);
/// Terminal events handled between two draws at most.
const MAX_EVENTS_PER_DRAW: usize = 64;

type Term = Terminal<CrosstermBackend<Stdout>>;

/// Runs the browser over the vault at `root`, opening `open` first (or the
/// home page). The terminal is restored on every way out.
pub fn run(root: PathBuf, open: Option<String>) -> anyhow::Result<()> {
    run_with_loader(root, open, loader::spawn)
}

/// A loader: reads the vault at a root on its own thread, sending events.
pub type Sender = Box<dyn Fn(LoadEvent) -> bool + Send + Sync>;

/// [`run`] with another loader (for examples and manual testing).
pub fn run_with_loader<H>(
    root: PathBuf,
    open: Option<String>,
    spawn: impl FnOnce(PathBuf, Sender) -> H,
) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop))?;
    install_panic_hook();
    let mut terminal = setup()?;
    let (send, receive) = mpsc::channel::<LoadEvent>();
    let _loader = spawn(
        root.clone(),
        Box::new(move |event| send.send(event).is_ok()),
    );
    let result = event_loop(&mut terminal, root, open, &receive, &stop);
    restore();
    result
}

/// SIGTERM and SIGHUP stop the loop, which restores the terminal. When the
/// terminal is gone (a hang-up), crossterm can stay inside `read` on an
/// endless end-of-file and never come back to the loop, so after a grace
/// period this thread restores what it can and exits itself.
fn watch_signals(stop: Arc<AtomicBool>) -> anyhow::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            stop.store(true, Ordering::Relaxed);
            std::thread::sleep(SIGNAL_GRACE);
            restore();
            std::process::exit(128 + signal);
        }
    });
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
    root: PathBuf,
    open: Option<String>,
    receive: &mpsc::Receiver<LoadEvent>,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut app = App::new(
        Vault::new(root),
        open,
        Rect::new(0, 0, size.width, size.height),
    );
    let mut dirty = true;
    let mut loading = true;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if dirty {
            terminal.draw(|frame| ui::draw(frame, &app))?;
            dirty = false;
        }
        if loading {
            let started = Instant::now();
            while started.elapsed() < LOAD_BUDGET {
                match receive.try_recv() {
                    Ok(event) => {
                        if matches!(event, LoadEvent::Done | LoadEvent::Failed(_)) {
                            loading = false;
                        }
                        app.on_load(event);
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
        }
        let tick = if loading || app.search_running() {
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
            if stop.load(Ordering::Relaxed) {
                return Ok(());
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
            for effect in effects {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Copy(text) => copy(terminal, &text),
                    Effect::OpenUrl(url) => open_url(&url),
                }
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

/// OSC 52 through the terminal; what it prints is invisible, so the screen
/// buffer is not disturbed.
fn copy(terminal: &mut Term, text: &str) {
    let backend = terminal.backend_mut();
    let _ = execute!(backend, CopyToClipboard::to_clipboard_from(text));
    let _ = backend.flush();
}

/// Hands a URL to the desktop's opener, detached, its output discarded.
fn open_url(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
