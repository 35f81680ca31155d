//! Carrying out the app's effects: clipboard, browser, note reads.

use std::{
    sync::{Arc, mpsc},
    time::Instant,
};

use super::{CLIPBOARD_TOOL_TIMEOUT, NOTE_READ_TIMEOUT, Term, suspend};
use crate::{
    app::{
        App, Effect, NoteRead, Notice,
        editing::{BatchBuilt, BatchJob, NewNote, NoteParse, Parsed},
    },
    clipboard::{self, ClipboardTool},
};

/// Reads and parses a note's file again for [`Effect::ParseNote`] (on a
/// worker thread, and in tests): the loader's own parse, so the note is
/// exactly what a fresh load would make of it.
#[must_use]
pub fn parse_note(parse: &NoteParse) -> Parsed {
    match std::fs::symlink_metadata(&parse.file) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Parsed::Gone,
        _ => Parsed::Note(Box::new(crate::vault::loader::read_note(
            &crate::vault::loader::FoundFile {
                path: parse.file.clone(),
                relative: parse.path.clone(),
            },
        ))),
    }
}

/// Notes parsed per step of a burst; progress is told after each.
const BATCH_STEP: usize = 256;

/// Reads and parses the notes of a burst for [`Effect::ParseBatch`], on
/// every core, telling `progress` how many are done after each step (on a
/// worker thread, and in tests).
pub fn parse_batch(
    jobs: Vec<BatchJob>,
    progress: impl Fn(usize, usize) + Sync,
) -> Vec<(BatchJob, Parsed)> {
    use rayon::prelude::*;
    let total = jobs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let parsed: Vec<Vec<Parsed>> = jobs
        .par_chunks(BATCH_STEP)
        .map(|chunk| {
            let parsed: Vec<Parsed> = chunk
                .iter()
                .map(|job| {
                    parse_note(&NoteParse {
                        note: job.note.unwrap_or(crate::vault::NoteId(u32::MAX)),
                        path: job.path.clone(),
                        file: job.file.clone(),
                    })
                })
                .collect();
            let now = done.fetch_add(chunk.len(), std::sync::atomic::Ordering::Relaxed);
            progress(now + chunk.len(), total);
            parsed
        })
        .collect();
    jobs.into_iter().zip(parsed.into_iter().flatten()).collect()
}

/// Applies a burst to `vault` (a [`crate::vault::Vault::snapshot`] of
/// the one shown): its notes parsed with progress as [`parse_batch`]
/// does, put in place and the copy resolved once. Runs on a worker thread
/// (and in tests); the UI thread only swaps the result in
/// ([`App::on_batch_built`]).
pub fn build_batch(
    jobs: Vec<BatchJob>,
    vault: crate::vault::Vault,
    progress: impl Fn(usize, usize) + Sync,
) -> BatchBuilt {
    apply_parsed(parse_batch(jobs, progress), vault)
}

/// The second half of [`build_batch`]: the parsed notes put in place in
/// `vault` and the vault resolved once.
fn apply_parsed(parsed: Vec<(BatchJob, Parsed)>, mut vault: crate::vault::Vault) -> BatchBuilt {
    let burst = parsed
        .into_iter()
        .map(|(job, parsed)| crate::vault::update::BurstChange {
            note: job.note,
            path: job.path,
            parsed: match parsed {
                Parsed::Note(note) => Some(*note),
                Parsed::Gone => None,
            },
        })
        .collect();
    let changes = vault.apply_burst(burst);
    BatchBuilt {
        vault: Box::new(vault),
        changes,
    }
}

/// What the thread applying a burst reports, with the burst's number.
pub(super) enum BatchMessage {
    Progress(u64, usize, usize),
    Done(u64, BatchBuilt),
}

/// Notes copied into a burst's snapshot per step; steps go on in a turn
/// of the loop until [`COPY_BUDGET`] is spent.
const COPY_STEP: usize = 256;
/// Time the UI thread spends copying the vault per turn of its loop.
const COPY_BUDGET: std::time::Duration = std::time::Duration::from_millis(8);

/// The copy of the vault a burst is applied to, made on the UI thread a
/// slice per turn of the loop (the notes are the app's), handed to the
/// burst's worker when done.
struct BurstCopy {
    copy: crate::vault::Vault,
    to_worker: mpsc::Sender<crate::vault::Vault>,
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
pub(super) struct EffectRunner {
    /// The platform tool and the tmux hint, found on a thread (see
    /// [`Self::start_clipboard_setup`]).
    /// `None` until it is started.
    setup: Option<Arc<std::sync::OnceLock<ClipboardSetup>>>,
    /// The tmux hint has been said (it is said once per run).
    hinted: bool,
    send: mpsc::Sender<Notice>,
    pub notices: mpsc::Receiver<Notice>,
    /// Note reads under way, with when each began.
    reads: Vec<(NoteRead, Instant)>,
    send_read: mpsc::Sender<(NoteRead, Result<Arc<str>, String>)>,
    read_results: mpsc::Receiver<(NoteRead, Result<Arc<str>, String>)>,
    send_parse: mpsc::Sender<(NoteParse, Parsed)>,
    parse_results: mpsc::Receiver<(NoteParse, Parsed)>,
    send_new: mpsc::Sender<(NewNote, Parsed)>,
    new_results: mpsc::Receiver<(NewNote, Parsed)>,
    /// `R` asked for the vault to be read again; the loop starts a loader.
    pub rescan: bool,
    /// OSC 52 and what else copies (config `clipboard`).
    clipboard: clipboard::ClipboardChoice,
    send_batch: mpsc::Sender<BatchMessage>,
    batches: mpsc::Receiver<BatchMessage>,
    /// The number of the latest burst: results of earlier ones (overtaken
    /// by a rescan and a new burst) are dropped.
    burst: u64,
    /// The vault being copied for the latest burst.
    copying: Option<BurstCopy>,
    /// A burst is being parsed or applied.
    pub bursting: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct ClipboardSetup {
    tool: Option<ClipboardTool>,
    tmux_hint: Option<&'static str>,
}

impl EffectRunner {
    /// Copies as `clipboard` says (config `clipboard`).
    pub fn new(clipboard: clipboard::ClipboardChoice) -> Self {
        let (send, notices) = mpsc::channel();
        let (send_read, read_results) = mpsc::channel();
        let (send_parse, parse_results) = mpsc::channel();
        let (send_new, new_results) = mpsc::channel();
        let (send_batch, batches) = mpsc::channel();
        Self {
            send_batch,
            batches,
            burst: 0,
            copying: None,
            bursting: false,
            send_new,
            new_results,
            send_parse,
            parse_results,
            rescan: false,
            clipboard,
            setup: None,
            hinted: false,
            send,
            notices,
            reads: Vec::new(),
            send_read,
            read_results,
        }
    }

    /// Carries out effects; true when one of them is to quit.
    pub fn run(&mut self, terminal: &mut Term, app: &mut App, effects: Vec<Effect>) -> bool {
        for effect in effects {
            match effect {
                Effect::Quit => return true,
                Effect::Copy(text) => self.copy(terminal, app, text),
                Effect::OpenUrl(url) => self.open_url(url),
                Effect::ReadNote(read) => self.read_note(read),
                Effect::ParseNote(parse) => self.parse_note(parse),
                Effect::ParseNewNote(new) => self.parse_new_note(new),
                Effect::ParseBatch(jobs) => self.parse_batch(jobs, app),
                Effect::Rescan => self.rescan = true,
                Effect::Edit { path, line } => {
                    let failure = super::editing::run_editor(terminal, &path, line);
                    app.after_edit(failure);
                    let more = app.take_effects();
                    if self.run(terminal, app, more) {
                        return true;
                    }
                }
                Effect::Suspend => {
                    if let Err(error) = suspend(terminal) {
                        app.notice(Notice::Warning(format!(
                            "Could not take the terminal back: {error}"
                        )));
                    }
                }
            }
        }
        false
    }

    /// A note read is under way.
    pub fn reading(&self) -> bool {
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

    /// Parses a note again on a thread of its own (a file can block).
    fn parse_note(&self, parse: NoteParse) {
        let send = self.send_parse.clone();
        let spawned = std::thread::Builder::new()
            .name("note-parse".into())
            .spawn(move || {
                let parsed = parse_note(&parse);
                let _ = send.send((parse, parsed));
            });
        if let Err(error) = spawned {
            let _ = self
                .send
                .send(Notice::Warning(format!("cannot start a reader: {error}")));
        }
    }

    /// Parses a note new to the vault on a thread of its own.
    fn parse_new_note(&self, new: NewNote) {
        let send = self.send_new.clone();
        let _ = std::thread::Builder::new()
            .name("note-parse".into())
            .spawn(move || {
                let parsed = parse_note(&NoteParse {
                    note: crate::vault::NoteId(u32::MAX),
                    path: new.path.clone(),
                    file: new.file.clone(),
                });
                let _ = send.send((new, parsed));
            });
    }

    /// Applies a burst on a thread of its own (which fans out on rayon's
    /// pool), with progress: its notes are parsed at once while the UI
    /// thread copies the vault a slice per turn ([`Self::continue_copy`]);
    /// the copy goes to the worker, which puts the notes in and resolves.
    fn parse_batch(&mut self, jobs: Vec<BatchJob>, app: &App) {
        self.burst += 1;
        let burst = self.burst;
        let (to_worker, copied) = mpsc::channel();
        let send = self.send_batch.clone();
        let spawned = std::thread::Builder::new()
            .name("batch-parse".into())
            .spawn(move || {
                let progress = std::sync::Mutex::new(send.clone());
                let parsed = parse_batch(jobs, |done, total| {
                    if let Ok(send) = progress.lock() {
                        let _ = send.send(BatchMessage::Progress(burst, done, total));
                    }
                });
                // No copy: the burst was overtaken.
                let Ok(vault) = copied.recv() else { return };
                let _ = send.send(BatchMessage::Done(burst, apply_parsed(parsed, vault)));
            });
        if let Err(error) = spawned {
            let _ = self
                .send
                .send(Notice::Warning(format!("cannot start a reader: {error}")));
            return;
        }
        self.copying = Some(BurstCopy {
            copy: app.vault.begin_snapshot(),
            to_worker,
        });
        self.bursting = true;
    }

    /// The vault is being copied for a burst (the loop turns quickly).
    pub fn copying(&self) -> bool {
        self.copying.is_some()
    }

    /// Copies the next slice of the vault for the burst under way, for
    /// [`COPY_BUDGET`] at most; when the copy is whole it goes to the
    /// worker. True when it did any work.
    pub fn continue_copy(&mut self, app: &App) -> bool {
        let Some(copying) = &mut self.copying else {
            return false;
        };
        let started = Instant::now();
        let mut done = false;
        while !done && started.elapsed() < COPY_BUDGET {
            done = app.vault.continue_snapshot(&mut copying.copy, COPY_STEP);
        }
        if done && let Some(copying) = self.copying.take() {
            let _ = copying.to_worker.send(copying.copy);
        }
        true
    }

    /// Hands notes parsed again (or new) to the app. True when it got any.
    pub fn collect_parses(&mut self, app: &mut App) -> bool {
        let mut any = false;
        for message in self.batches.try_iter() {
            match message {
                BatchMessage::Progress(burst, _, _) if burst != self.burst => {}
                BatchMessage::Done(burst, built) if burst != self.burst => {
                    std::thread::spawn(move || drop(built));
                }
                BatchMessage::Progress(_, done, total) => app.on_batch_progress(done, total),
                BatchMessage::Done(_, built) => {
                    self.bursting = false;
                    let old = app.on_batch_built(built);
                    // Freeing 20,000 notes takes a moment the UI need not wait.
                    std::thread::spawn(move || drop(old));
                }
            }
            any = true;
        }
        for (new, parsed) in self.new_results.try_iter() {
            app.on_new_note(&new, parsed);
            any = true;
        }
        for (parse, parsed) in self.parse_results.try_iter() {
            app.on_note_parsed(&parse, parsed);
            any = true;
        }
        any
    }

    /// Hands finished reads to the app, and abandons reads that took too
    /// long. True when the app got anything.
    pub fn collect_reads(&mut self, app: &mut App) -> bool {
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

    /// Finds the platform's clipboard tool and asks tmux for its hint, on
    /// a thread (asking tmux can take a moment, and no frame waits), once:
    /// after loading, or at the first copy (which until then is OSC 52).
    pub fn start_clipboard_setup(&mut self) {
        if self.setup.is_some() {
            return;
        }
        let setup = Arc::new(std::sync::OnceLock::new());
        let filled = Arc::clone(&setup);
        self.setup = Some(setup);
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
    }

    /// OSC 52 always, written between frames to the terminal the app draws
    /// on (what it prints is invisible, so the screen buffer is not
    /// disturbed); then the platform tool, when the session is local.
    fn copy(&mut self, terminal: &mut Term, app: &mut App, text: String) {
        let text = crate::text::clipboard_safe(&text).into_owned();
        let osc52 = clipboard::write_osc52(terminal.backend_mut(), &text).is_ok();
        let shown = crate::text::sanitize_inline(&text).into_owned();
        self.start_clipboard_setup();
        let setup = self
            .setup
            .as_ref()
            .and_then(|setup| setup.get())
            .copied()
            .unwrap_or_default();
        let hint = setup.tmux_hint.filter(|_| !self.hinted);
        self.hinted |= hint.is_some();
        let tool = match &self.clipboard {
            clipboard::ClipboardChoice::Auto => setup.tool,
            clipboard::ClipboardChoice::Osc52 => None,
            clipboard::ClipboardChoice::Command(argv) => {
                self.copy_with_command(argv.clone(), text, osc52, shown);
                return;
            }
        };
        let notice = move |report: clipboard::CopyReport| {
            let text = report.message(&shown, hint);
            if report.is_warning(hint) {
                Notice::Warning(text)
            } else {
                Notice::Info(text)
            }
        };
        let Some(tool) = tool else {
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

    /// A copy through the config's command, on its own thread; the status
    /// bar says how it went.
    fn copy_with_command(&self, argv: Vec<String>, text: String, osc52: bool, shown: String) {
        let send = self.send.clone();
        std::thread::spawn(move || {
            let program = crate::text::sanitize_inline(&argv[0]).into_owned();
            let sent = if osc52 { "OSC 52 + " } else { "" };
            let notice = match clipboard::copy_with_command(&argv, &text, CLIPBOARD_TOOL_TIMEOUT) {
                Ok(()) => Notice::Info(format!("Copied {shown} ({sent}{program})")),
                Err(error) => Notice::Warning(format!(
                    "Copied {shown} ({sent}{program} failed: {})",
                    crate::text::sanitize_inline(&error)
                )),
            };
            let _ = send.send(notice);
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
            let _ = send.send(Notice::Warning(failure));
        });
    }
}
