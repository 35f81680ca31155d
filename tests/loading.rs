//! The browser before and while the vault loads: the loader is driven by a
//! slow fake source that hands out no file until the test says so, so the
//! first frame provably comes before any note (no timing, no sleep).

mod support;

use std::{
    path::PathBuf,
    sync::{
        Arc, Condvar, Mutex,
        atomic::{AtomicUsize, Ordering},
        mpsc,
    },
};

use ratatui::{Terminal, backend::TestBackend, layout::Rect};
use support::keys;
use vidwiki::{
    app::App,
    ui,
    vault::{
        LoadEvent, Vault,
        loader::{self, FoundFile, LoadError, Source, Walk},
    },
};

/// A vault whose files can be listed at once but not read until `open`.
struct SlowSource {
    files: usize,
    gate: Arc<(Mutex<bool>, Condvar)>,
    reads: Arc<AtomicUsize>,
}

impl SlowSource {
    fn wait(&self) {
        let (open, changed) = &*self.gate;
        let mut open = open.lock().unwrap();
        while !*open {
            open = changed.wait(open).unwrap();
        }
    }

    fn text(file: &FoundFile) -> Vec<u8> {
        format!(
            "---\ntitle: Note {0}\nvideoId: HrwPuLTdHag\n---\n\n## Part\nText of {0} <a class=\"yt-timestamp\" data-t=\"00:00:{0:02}\">[00:00:{0:02}]</a> [[Note 0]].\n",
            file.relative.trim_end_matches(".md").trim_start_matches("n")
        )
        .into_bytes()
    }
}

impl Source for SlowSource {
    fn list(&self) -> Result<Walk, LoadError> {
        Ok(Walk {
            files: (0..self.files)
                .map(|i| FoundFile {
                    path: PathBuf::from(format!("/nowhere/n{i}.md")),
                    relative: format!("n{i}.md"),
                })
                .collect(),
            problems: Vec::new(),
        })
    }

    fn head(&self, file: &FoundFile, _limit: u64) -> std::io::Result<Vec<u8>> {
        self.wait();
        self.reads.fetch_add(1, Ordering::Relaxed);
        Ok(Self::text(file))
    }

    fn read(&self, file: &FoundFile) -> std::io::Result<(Vec<u8>, Option<std::time::SystemTime>)> {
        self.wait();
        self.reads.fetch_add(1, Ordering::Relaxed);
        Ok((Self::text(file), None))
    }
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_first_frame_shows_progress_and_takes_keys_before_any_note_is_read() {
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let (send, receive) = mpsc::channel();
    let loader = loader::spawn_from(
        SlowSource {
            files: 40,
            gate: Arc::clone(&gate),
            reads: Arc::default(),
        },
        move |event| send.send(event).is_ok(),
    );
    let mut app = App::new(Vault::new("slow"), None, Rect::new(0, 0, 100, 30));

    // The walk is over, and no file can be read yet.
    let found = receive.recv().unwrap();
    assert!(matches!(found, LoadEvent::Found { notes: 40 }));
    app.on_load(found);
    assert!(app.vault.notes.is_empty());
    let first = screen(&app);
    assert!(first.contains("0/40 notes"), "{first}");
    assert!(!app.load.done);

    // Keys work while nothing is loaded: help, then the picker.
    keys(&mut app, "?");
    assert!(screen(&app).contains("Keys"));
    keys(&mut app, "<Esc><C-p>");
    assert!(app.picker.is_some());
    assert!(screen(&app).contains("loading"), "{}", screen(&app));
    keys(&mut app, "<Esc>");
    assert!(app.picker.is_none());
    assert!(app.vault.notes.is_empty(), "still nothing read");

    // Let the files through: titles first, then the parsed notes.
    *gate.0.lock().unwrap() = true;
    gate.1.notify_all();
    let mut titles_before_notes = false;
    loop {
        let event = receive.recv().unwrap();
        let done = matches!(event, LoadEvent::Done);
        if matches!(event, LoadEvent::Titles(_)) && app.load.loaded == 0 {
            titles_before_notes = true;
        }
        app.on_load(event);
        if done {
            break;
        }
    }
    loader.join().unwrap();
    assert!(titles_before_notes);
    assert!(app.load.done);
    assert_eq!(app.vault.notes.len(), 40);
    assert!(app.vault.notes.iter().all(|n| n.parsed));
    assert_eq!(app.vault.stats().timestamps, 40);
    assert!(
        app.vault
            .notes
            .iter()
            .all(|n| n.links[0].resolution().note().is_some())
    );
}

#[test]
fn quitting_while_loading_stops_the_loader() {
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let (send, receive) = mpsc::channel::<LoadEvent>();
    let reads = Arc::new(AtomicUsize::new(0));
    let files = 50_000;
    let loader = loader::spawn_from(
        SlowSource {
            files,
            gate: Arc::clone(&gate),
            reads: Arc::clone(&reads),
        },
        move |event| send.send(event).is_ok(),
    );
    assert!(matches!(receive.recv().unwrap(), LoadEvent::Found { .. }));
    // The browser goes away (its receiver is dropped), then reading resumes:
    // the loader notices at its next batch and ends without reading on.
    drop(receive);
    *gate.0.lock().unwrap() = true;
    gate.1.notify_all();
    loader.join().unwrap();
    // Only the batches already being read when the browser left were read:
    // none of the full parse, a small part of the title pass.
    let read = reads.load(Ordering::Relaxed);
    assert!(
        read < files / 4,
        "{read} of {files} files read after quitting"
    );
}
