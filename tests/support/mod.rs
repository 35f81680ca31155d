//! Test support: the sample vault (read by the real loader) and a
//! key-string driver for `App`.
#![allow(dead_code)]

pub mod loaded;

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use vidwiki::{
    app::{App, Effect},
    vault::{Note, Vault},
};

/// Every note under `root`, read by the real loader, sorted by path.
pub fn read_notes(root: &Path) -> Vec<Note> {
    let mut notes = vidwiki::vault::load(root).unwrap().notes;
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    notes
}

/// The sample vault (`notes/`) plus the fixtures of `tests/fixtures/vault`,
/// finished. The vault is named after its folder, `notes`, so snapshots
/// show no absolute path; notes are read back from where they were loaded.
pub fn sample_vault() -> Vault {
    sample_vault_with(&[])
}

/// The sample vault plus notes made from the given (path, bytes).
pub fn sample_vault_with(extra: &[(&str, &[u8])]) -> Vault {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut vault = Vault::new(base.join("notes"));
    for note in read_notes(&base.join("notes")) {
        vault.add(note);
    }
    // The fixtures live outside the vault's folder, so they are made from
    // their bytes, which keeps their text in memory.
    let fixtures = base.join("tests/fixtures/vault");
    for note in read_notes(&fixtures) {
        let bytes = std::fs::read(fixtures.join(&note.path)).unwrap();
        vault.add(vidwiki::vault::loader::parse_note(
            &format!("fixtures/{}", note.path),
            &bytes,
        ));
    }
    for (path, bytes) in extra {
        vault.add(vidwiki::vault::loader::parse_note(path, bytes));
    }
    vault.finish();
    vault
}

pub const SPECIMEN: &str = "publicprivate_partnerships_in_technology_and_innovation";

/// A browser over the sample vault at a size, opening `open`.
pub fn app(width: u16, height: u16, open: Option<&str>) -> App {
    let mut app = App::loaded(
        sample_vault(),
        open.map(str::to_owned),
        Rect::new(0, 0, width, height),
    );
    settle(&mut app, Vec::new());
    app
}

/// Carries out the note reads among `effects` (and those they lead to) as
/// the event loop does, with its reader, and returns the other effects.
pub fn settle(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    let mut others = Vec::new();
    let mut queue = effects;
    queue.extend(app.take_effects());
    while !queue.is_empty() {
        for effect in std::mem::take(&mut queue) {
            match effect {
                Effect::ReadNote(read) => {
                    let result = vidwiki::tui::read_note(&read);
                    app.on_note_text(&read, result);
                }
                Effect::ParseNewNote(new) => {
                    let parsed = vidwiki::tui::parse_note(&vidwiki::app::editing::NoteParse {
                        note: vidwiki::vault::NoteId(u32::MAX),
                        path: new.path.clone(),
                        file: new.file.clone(),
                    });
                    app.on_new_note(&new, parsed);
                }
                Effect::ParseBatch(jobs) => {
                    // As the event loop does: the copy made when the effect
                    // is carried out, the burst applied to it as on the
                    // worker, its progress and result handed back.
                    let progress = std::sync::Mutex::new(Vec::new());
                    let built =
                        vidwiki::tui::build_batch(jobs, app.vault.snapshot(), |done, total| {
                            progress.lock().unwrap().push((done, total));
                        });
                    for (done, total) in progress.into_inner().unwrap() {
                        app.on_batch_progress(done, total);
                    }
                    drop(app.on_batch_built(built));
                }
                Effect::ParseNote(parse) => {
                    let parsed = vidwiki::tui::parse_note(&parse);
                    app.on_note_parsed(&parse, parsed);
                }
                other => others.push(other),
            }
        }
        queue = app.take_effects();
    }
    others
}

/// An action, with its note reads carried out; the other effects.
pub fn act(app: &mut App, action: vidwiki::app::Action) -> Vec<Effect> {
    let effects = app.update(action);
    settle(app, effects)
}

/// Feeds keys written like `jj<Enter><C-d><A-Left><BS>` to the app and
/// returns every effect.
pub fn keys(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut chars = keys.chars().peekable();
    while let Some(c) = chars.next() {
        let event = if c == '<' && chars.peek().is_some() {
            let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
            named(&name)
        } else {
            KeyEvent::new(
                KeyCode::Char(c),
                if c.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                },
            )
        };
        let answer = app.handle_key(event);
        effects.extend(settle(app, answer));
    }
    effects
}

fn named(name: &str) -> KeyEvent {
    let (mods, key) = match name.split_once('-') {
        Some(("C", k)) => (KeyModifiers::CONTROL, k),
        Some(("A", k)) => (KeyModifiers::ALT, k),
        Some(("S", k)) => (KeyModifiers::SHIFT, k),
        _ => (KeyModifiers::NONE, name),
    };
    let code = match key {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "BS" => KeyCode::Backspace,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "lt" => KeyCode::Char('<'),
        k if k.chars().count() == 1 => KeyCode::Char(k.chars().next().unwrap()),
        other => panic!("unknown key <{other}>"),
    };
    KeyEvent::new(code, mods)
}

/// Lets the searches finish, then reads what their previews ask for.
pub fn settle_search(app: &mut App) {
    app.settle_search();
    settle(app, Vec::new());
}

/// The whole screen the app draws at its size, as TestBackend shows it.
pub fn screen(app: &App) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        app.area.width,
        app.area.height,
    ))
    .unwrap();
    terminal.draw(|f| vidwiki::ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}
