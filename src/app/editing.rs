//! The note changes under the reader: handing it to an editor (`e`),
//! reading it again (`r`), and taking in a new parsed form of a note
//! while keeping the reader's place (anchored to the source line on
//! screen, not the row, which moves when text above it changes). Changes
//! seen on disk (the watcher, bursts, `R`) are in [`super::disk_changes`].

use std::path::PathBuf;

use super::*;
use crate::vault::Note;

/// A request to read and parse one note again from its file, off the UI
/// thread; the answer goes to [`App::on_note_parsed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteParse {
    pub note: NoteId,
    /// The note's path in the vault, as shown.
    pub path: String,
    /// The file to read.
    pub file: PathBuf,
}

/// A note new to the vault, to read and parse off the UI thread; the
/// answer goes to [`App::on_new_note`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    /// Its path in the vault.
    pub path: String,
    pub file: PathBuf,
}

/// A note touched in a burst: known (`note`) or new to the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchJob {
    pub note: Option<NoteId>,
    pub path: String,
    pub file: PathBuf,
}

/// A burst applied off the UI thread: the vault as it is after it (a copy
/// of the one shown, with the burst's notes in place and resolved once),
/// and what changed, for [`App::on_batch_built`] to swap in.
#[derive(Debug)]
pub struct BatchBuilt {
    pub vault: Box<crate::vault::Vault>,
    pub changes: Vec<crate::vault::update::Change>,
}

/// Past this many notes touched at once, a change is taken in as one batch
/// (parsed into a copy of the vault and resolved once, off the UI thread,
/// with progress; then swapped in) rather than note by note, each with
/// its own update.
pub const BURST: usize = 200;

/// What reading a note again found.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// The file's new parsed form.
    Note(Box<Note>),
    /// The file is gone.
    Gone,
}

/// The 1-based line of the file the reader is looking at: the link
/// cursor's line when it is on screen, else the first line on screen that
/// comes from the file, else the last such line above it, else 1.
#[must_use]
pub fn line_on_screen(view: &View, scroll: usize, height: usize, cursor: Option<usize>) -> u32 {
    let visible = scroll..scroll.saturating_add(height);
    let from_cursor = cursor
        .and_then(|c| view.targets.get(c))
        .map(ViewTarget::first_line)
        .filter(|line| visible.contains(line))
        .and_then(|line| view.source_lines.get(line).copied())
        .filter(|&l| l > 0);
    let on_screen = || {
        view.source_lines
            .iter()
            .skip(scroll)
            .take(height)
            .copied()
            .find(|&l| l > 0)
    };
    let above = || {
        view.source_lines
            .get(..scroll.min(view.source_lines.len()))
            .and_then(|lines| lines.iter().rev().copied().find(|&l| l > 0))
    };
    from_cursor.or_else(on_screen).or_else(above).unwrap_or(1)
}

/// The first rendered line that shows source line `line` or a later one
/// (blank rows carry the number of the block after them, so they are
/// passed over): where to scroll to keep a source line at the top.
#[must_use]
pub fn row_of_source_line(view: &View, line: u32) -> Option<usize> {
    let shown = |row: usize| view.lines.get(row).is_some_and(|l| l.width() > 0);
    let first = view.source_lines.iter().position(|&l| l >= line && l > 0)?;
    let at = view.source_lines[first..]
        .iter()
        .zip(first..)
        .find(|&(&l, row)| shown(row) && l > 0)
        .map_or(first, |(_, row)| row);
    Some(at)
}

use page::ViewTarget;

/// A place in a note that survives an edit: a source line, and that line's
/// text when it is known, found again near its old number in the new text
/// (lines added above move it down; its number alone would drift).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineAnchor {
    /// 1-based line in the file; 0 for a generated row (`rows` is then
    /// the row itself).
    pub line: u32,
    /// The line's text, trimmed; `None` or blank: the number alone counts.
    pub text: Option<String>,
    /// Rows of the line (as wrapped) above the top of the screen.
    pub rows: u32,
}

impl LineAnchor {
    /// The anchor of a line of a text.
    #[must_use]
    pub fn of(text: Option<&str>, line: u32) -> Self {
        let content = text
            .and_then(|t| t.lines().nth(line.saturating_sub(1) as usize))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned);
        Self {
            line,
            text: content,
            rows: 0,
        }
    }

    /// The line in `text` holding the anchor's text nearest its old number,
    /// else the old number.
    #[must_use]
    pub fn find_in(&self, text: Option<&str>) -> u32 {
        let (Some(wanted), Some(text)) = (&self.text, text) else {
            return self.line;
        };
        let old = i64::from(self.line);
        text.lines()
            .zip(1_i64..)
            .filter(|(l, _)| l.trim() == wanted)
            .min_by_key(|(_, n)| (n - old).abs())
            .and_then(|(_, n)| u32::try_from(n).ok())
            .unwrap_or(self.line)
    }
}

impl App {
    /// `e`: the open note in the editor, at the line on screen.
    pub(super) fn edit(&mut self, effects: &mut Vec<Effect>) {
        let Some(id) = self.open_note() else {
            self.info("Open a note to edit it (this page is generated)");
            return;
        };
        if self.vault.is_removed(id) {
            self.warn("This note's file is gone: nothing to edit");
            return;
        }
        let line = self.top_line();
        effects.push(Effect::Edit {
            path: self.vault.path_of(id),
            line,
        });
    }

    /// The source line the reader is on, for the editor and for keeping
    /// the place when the note is parsed again.
    fn top_line(&self) -> u32 {
        line_on_screen(
            self.view(),
            self.note.scroll,
            self.note_height(),
            self.note.cursor,
        )
    }

    /// The place being read in the open note `id`, to find again after
    /// its text changes.
    pub(super) fn anchor_of(&self, id: NoteId) -> LineAnchor {
        let view = self.view();
        let scroll = self.note.scroll;
        let Some(line) = view.source_lines.get(scroll).copied().filter(|&l| l > 0) else {
            // A generated row (the header at the top): the row itself.
            return LineAnchor {
                line: 0,
                text: None,
                rows: u32::try_from(scroll).unwrap_or(0),
            };
        };
        let first = row_of_source_line(view, line).unwrap_or(scroll);
        LineAnchor {
            rows: u32::try_from(scroll.saturating_sub(first)).unwrap_or(0),
            ..LineAnchor::of(self.texts.ready(id).map(|t| &**t), line)
        }
    }

    /// The open note's text is about to be read again (its parsed form
    /// replaced the announced one): until it comes the view is short, so
    /// the place is kept as an arrival.
    pub(super) fn keep_place(&mut self, id: NoteId) {
        if self.page == Page::Note(id) && self.arrival.is_none() {
            self.arrival = Some(Arrival {
                note: id,
                scroll: self.note.scroll,
                cursor: self.note.cursor,
                heading: None,
                link: None,
                find: None,
                line: Some(self.anchor_of(id)),
            });
        }
    }

    /// The editor is closed: how it went (a success is told by the note
    /// being read again), and the note read again at once.
    pub fn after_edit(&mut self, failure: Option<String>) {
        if let Some(why) = failure {
            self.warn(why);
        }
        self.reload();
        self.sync();
    }

    /// `r`: parse the open note again from its file.
    pub(super) fn reload(&mut self) {
        let Some(id) = self.open_note() else {
            self.info("r reads the open note again; R rescans the whole vault");
            return;
        };
        let note = self.vault.note(id);
        let parse = NoteParse {
            note: id,
            path: note.path.clone(),
            file: self.vault.path_of(id),
        };
        self.outbox.push(Effect::ParseNote(parse));
    }

    /// A note's file parsed again (after `r`, the editor, or a change seen
    /// on disk): the vault is brought up to date around it, and if it is
    /// open it is shown again at the same source line.
    pub fn on_note_parsed(&mut self, parse: &NoteParse, parsed: Parsed) {
        let id = parse.note;
        if self.vault.get(id).is_none_or(|n| n.path != parse.path) {
            return;
        }
        let Some(parsed) = self.take_early(parse, parsed) else {
            return;
        };
        if self.waits_for_bodies(&parse.path) {
            return;
        }
        if let Some(deferred) = &mut self.burst {
            // The vault is about to be replaced by the burst's copy: the
            // note is read again into that one.
            deferred.paths.push(parse.path.clone());
            return;
        }
        let open = self.page == Page::Note(id);
        // The same file as the index has (the watcher's echo of a change
        // already taken in after the editor, or `r` on an unchanged note):
        // nothing to do.
        let old = self.vault.note(id);
        if let Parsed::Note(note) = &parsed
            && old.parsed
            && !self.vault.is_removed(id)
            && note.problems.is_empty() == old.problems.is_empty()
            && (note.size, note.modified) == (old.size, old.modified)
        {
            if open && self.message.is_none() {
                self.info(format!("{} is unchanged", sanitize(&parse.path)));
            }
            return;
        }
        // A place still on its way (the text of an earlier change is being
        // read) stands: the view is short until then.
        let pending = self.arrival.take_if(|a| a.note == id && a.line.is_some());
        let line = open.then(|| {
            pending
                .and_then(|a| a.line)
                .unwrap_or_else(|| self.anchor_of(id))
        });
        let warned = self
            .message
            .as_ref()
            .is_some_and(|m| m.kind != MessageKind::Info);
        match parsed {
            Parsed::Note(note) => {
                self.vault.update_note(id, *note);
                // Its items are exactly its current title and headings.
                self.search.retire_note(id);
                self.search.push_note(id, self.vault.note(id));
                if open && !warned {
                    self.info(format!("Read {} again", sanitize(&parse.path)));
                }
            }
            Parsed::Gone => {
                self.vault.remove_note(id);
                self.search.retire_note(id);
                if open {
                    self.warn(format!("{} was removed or renamed", sanitize(&parse.path)));
                }
            }
        }
        self.texts.forget(id);
        self.cache.clear();
        self.rebuild_outline();
        if let Some(line) = line {
            self.reopen_at_line(id, line);
        }
        self.refresh_links();
        self.sync();
    }
}

impl App {
    /// Opens note `id` again at `line` (after it was parsed again
    /// or moved): its text is asked for, and the page arrives there once
    /// the text is in (at once when it already is).
    pub(super) fn reopen_at_line(&mut self, id: NoteId, line: LineAnchor) {
        self.request_text(id);
        self.arrival = Some(Arrival {
            note: id,
            scroll: self.note.scroll,
            cursor: None,
            heading: None,
            link: None,
            find: None,
            line: Some(line),
        });
        if !self.reading(id)
            && let Some(arrival) = self.arrival.take()
        {
            self.arrive(arrival);
        }
    }
}

pub(super) fn sanitize(text: &str) -> String {
    crate::text::sanitize_inline(text).into_owned()
}

#[cfg(test)]
mod tests {
    use ratatui::text::Line;

    use super::*;

    fn view(source_lines: &[u32]) -> View {
        View {
            lines: source_lines.iter().map(|_| Line::raw("x")).collect(),
            source_lines: source_lines.to_vec(),
            targets: vec![ViewTarget {
                dest: Dest::Url("u".into()),
                pieces: vec![(6, 0..1)],
            }],
            ..View::default()
        }
    }

    #[test]
    fn the_line_on_screen_is_the_first_from_the_file() {
        // A header of generated lines (0), then lines 9, 10, 10 (wrapped), 12.
        let v = view(&[0, 0, 0, 9, 10, 10, 12, 14]);
        assert_eq!(
            line_on_screen(&v, 0, 3, None),
            1,
            "only the header: the top"
        );
        assert_eq!(line_on_screen(&v, 0, 5, None), 9);
        assert_eq!(line_on_screen(&v, 4, 5, None), 10);
        assert_eq!(line_on_screen(&v, 5, 5, None), 10, "a wrapped row");
        assert_eq!(line_on_screen(&v, 6, 5, Some(0)), 12, "the cursor's line");
        assert_eq!(line_on_screen(&v, 0, 4, Some(0)), 9, "cursor off screen");
        assert_eq!(line_on_screen(&v, 50, 5, None), 14, "past the end: above");
        assert_eq!(line_on_screen(&view(&[0, 0]), 0, 5, None), 1);
    }

    #[test]
    fn a_source_line_is_found_again_after_text_moved() {
        let v = view(&[0, 0, 3, 4, 7, 8]);
        assert_eq!(row_of_source_line(&v, 4), Some(3));
        assert_eq!(row_of_source_line(&v, 5), Some(4), "a removed line: next");
        assert_eq!(row_of_source_line(&v, 9), None);
    }

    #[test]
    fn an_anchor_finds_its_line_where_it_went() {
        let old = "a\nb\nc\nd\n  target\n";
        let anchor = LineAnchor::of(Some(old), 5);
        assert_eq!(anchor.text.as_deref(), Some("target"));
        let new = "x\ny\na\nb\nc\nd\ntarget\ne\nf\ng\nh\ni\ntarget\n";
        assert_eq!(anchor.find_in(Some(new)), 7, "the nearest of two");
        assert_eq!(anchor.find_in(Some("gone\n")), 5, "not found: the number");
        assert_eq!(LineAnchor::of(Some("a\n\nb"), 2).text, None, "blank");
    }
}
