//! The resolved offer of a background save ([`ResolvedOffer`]): the
//! browser's resolved index, with the notes it speaks of. It is made on
//! the UI thread (the vault lives there) a slice at a time between frames
//! ([`OfferCapture`]); made in one go it paused the UI for 31–54 ms on the
//! real vault. It is encoded by the save, on its own thread.

use std::time::{Duration, Instant};

use crate::vault::{
    NoteId, Revision, Vault,
    cache::{
        FileStamp,
        resolved::{Capture, Snapshot},
    },
};

/// The resolved index of the browser's finished vault, with the notes it
/// speaks of (in path order, as the walk lists the files), for a
/// background save to keep when it saves exactly those files. Made on the
/// UI thread (it reads the vault); encoded by the save, on its own thread
/// (on the real vault the encoding was more than the frame the rest
/// takes).
#[derive(Debug)]
pub struct ResolvedOffer {
    /// Each note's path, size and modification time as it was read.
    notes: Vec<(String, u64, Option<std::time::SystemTime>)>,
    snapshot: Snapshot,
}

impl ResolvedOffer {
    /// `None` when the vault is not finished, holds a removed note or a
    /// note not (yet) parsed, or one whose name is not UTF-8 (never
    /// cached). Made in one go (see [`OfferCapture`] for slices).
    #[must_use]
    pub fn of(vault: &Vault) -> Option<Self> {
        match OfferCapture::new(vault)?.step(vault, Duration::MAX) {
            Progress::Done(offer) => offer,
            Progress::Going | Progress::Stale => None,
        }
    }

    /// The resolved index encoded as the index file keeps it (`None` when
    /// it does not encode).
    #[must_use]
    pub fn bytes(&self) -> Option<Vec<u8>> {
        self.snapshot.encode()
    }

    /// The resolved index (written a note's part at a time by the save),
    /// when the files saved (each path with the stamp saved for it, in
    /// order) are exactly the notes it was made from.
    pub(crate) fn parts_for<'a>(
        &self,
        saved: impl Iterator<Item = (&'a str, Option<FileStamp>)>,
    ) -> Option<&Snapshot> {
        let mut count = 0;
        for (i, (path, stamp)) in saved.enumerate() {
            let (note_path, size, modified) = self.notes.get(i)?;
            if note_path != path || !stamp.is_some_and(|s| same_file(*size, *modified, &s)) {
                return None;
            }
            count += 1;
        }
        (count == self.notes.len()).then_some(&self.snapshot)
    }
}

/// The longest a [`Refresher::tick`] works on a resolved offer.
pub const SLICE: Duration = Duration::from_millis(2);

/// Notes taken between two looks at the clock.
const NOTES_PER_LOOK: usize = 256;

/// A [`ResolvedOffer`] made a slice at a time: the notes are checked
/// (parsed, named in UTF-8) and their order by path found, then each
/// note's part of the snapshot is taken, then the rest (see
/// [`Capture`]).
#[derive(Debug)]
pub struct OfferCapture {
    /// The vault's state it reads (see [`Vault::revision`]).
    revision: Revision,
    started: Instant,
    stage: Stage,
}

#[derive(Debug)]
enum Stage {
    /// Notes before `next` are checked; `sorted` while they are in path
    /// order.
    Checking { next: usize, sorted: bool },
    Taking {
        capture: Capture,
        notes: Vec<(String, u64, Option<std::time::SystemTime>)>,
    },
}

/// Where an [`OfferCapture`] is after a step.
#[derive(Debug)]
pub enum Progress {
    Going,
    /// Made, or `None` when the vault cannot make one.
    Done(Option<ResolvedOffer>),
    /// The vault changed since the capture started: it is worth nothing.
    Stale,
}

impl OfferCapture {
    /// `None` when the vault is not finished.
    #[must_use]
    pub fn new(vault: &Vault) -> Option<Self> {
        vault.complete.then(|| Self {
            revision: vault.revision(),
            started: Instant::now(),
            stage: Stage::Checking {
                next: 0,
                sorted: true,
            },
        })
    }

    /// Starts again on `vault` as it is now (after [`Progress::Stale`]),
    /// keeping the time of the first start; false when the vault cannot
    /// make an offer now.
    pub fn restart(&mut self, vault: &Vault) -> bool {
        let started = self.started;
        match Self::new(vault) {
            Some(again) => {
                *self = Self { started, ..again };
                true
            }
            None => false,
        }
    }

    /// How long since the capture first started.
    #[must_use]
    pub fn age(&self) -> Duration {
        self.started.elapsed()
    }

    /// Works on the offer for about `budget` (at least a few notes).
    pub fn step(&mut self, vault: &Vault, budget: Duration) -> Progress {
        if vault.revision() != self.revision || !vault.complete {
            return Progress::Stale;
        }
        let started = Instant::now();
        loop {
            match &mut self.stage {
                Stage::Checking { next, sorted } => {
                    let end = (*next + NOTES_PER_LOOK).min(vault.notes.len());
                    for i in *next..end {
                        let note = &vault.notes[i];
                        if !note.parsed || note.disk_path.is_some() {
                            return Progress::Done(None);
                        }
                        *sorted &= i == 0 || vault.notes[i - 1].path < note.path;
                    }
                    *next = end;
                    if end == vault.notes.len() {
                        let mut order: Vec<NoteId> = vault.ids().collect();
                        if !*sorted {
                            order.sort_unstable_by(|a, b| {
                                vault.note(*a).path.cmp(&vault.note(*b).path)
                            });
                        }
                        let Some(capture) = Capture::start(vault, order) else {
                            return Progress::Done(None);
                        };
                        let notes = Vec::with_capacity(vault.notes.len());
                        self.stage = Stage::Taking { capture, notes };
                    }
                }
                Stage::Taking { capture, notes } => {
                    let from = capture.taken();
                    capture.step(vault, NOTES_PER_LOOK);
                    notes.extend(capture.order()[from..capture.taken()].iter().map(|&id| {
                        let note = vault.note(id);
                        (note.path.clone(), note.size, note.modified)
                    }));
                    if capture.done(vault) {
                        let Stage::Taking { capture, notes } = std::mem::replace(
                            &mut self.stage,
                            Stage::Checking {
                                next: 0,
                                sorted: true,
                            },
                        ) else {
                            return Progress::Done(None);
                        };
                        let offer = capture
                            .finish(vault)
                            .map(|snapshot| ResolvedOffer { notes, snapshot });
                        return Progress::Done(offer);
                    }
                }
            }
            if started.elapsed() >= budget {
                return Progress::Going;
            }
        }
    }
}

/// A note read with `size` and `modified` was read from the file of
/// `stamp` (as far as size and time tell).
pub(super) fn same_file(
    size: u64,
    modified: Option<std::time::SystemTime>,
    stamp: &FileStamp,
) -> bool {
    let modified = modified.and_then(|t| t.duration_since(std::time::SystemTime::UNIX_EPOCH).ok());
    size == stamp.size
        && modified.is_some_and(|m| {
            i64::try_from(m.as_secs()).ok() == Some(stamp.modified_secs)
                && m.subsec_nanos() == stamp.modified_nanos
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::loader::parse_note;

    /// A finished vault of `n` notes in three folders, each linking to the
    /// next one's heading and to a topic without a note; added in path
    /// order or not.
    fn vault_of(n: usize, in_path_order: bool) -> Vault {
        let mut paths: Vec<String> = (0..n).map(|i| format!("f{}/n{i:04}.md", i % 3)).collect();
        if in_path_order {
            paths.sort();
        }
        let mut vault = Vault::new("/nowhere");
        for (i, path) in paths.iter().enumerate() {
            let text = format!(
                "# Note {i}\n\n## Part\n\n[[n{:04}#Part]] [[topic {}]]\n",
                (i + 1) % n,
                i % 7
            );
            vault.add(parse_note(path, text.as_bytes()));
        }
        vault.finish();
        vault
    }

    /// Steps with no time to spare (a look at the clock's worth of notes
    /// each) until done; with the count of steps.
    fn made_in_slices(vault: &Vault, capture: &mut OfferCapture) -> (ResolvedOffer, usize) {
        let mut steps = 0;
        loop {
            steps += 1;
            match capture.step(vault, Duration::ZERO) {
                Progress::Going => {}
                Progress::Done(offer) => return (offer.expect("an offer"), steps),
                Progress::Stale => panic!("the vault did not change"),
            }
        }
    }

    #[test]
    fn an_offer_made_a_slice_at_a_time_is_the_offer_made_in_one_go() {
        for in_path_order in [true, false] {
            let vault = vault_of(700, in_path_order);
            let whole = ResolvedOffer::of(&vault).expect("an offer");
            let mut capture = OfferCapture::new(&vault).expect("finished");
            let (sliced, steps) = made_in_slices(&vault, &mut capture);
            // 700 notes checked, then taken, 256 a step; the 7 topics in
            // one; the tree's three folders of 234 nodes, two then one.
            assert_eq!(steps, 3 + 3 + 1 + 2);
            assert_eq!(sliced.notes, whole.notes);
            assert!(
                sliced.notes.windows(2).all(|w| w[0].0 < w[1].0),
                "path order"
            );
            assert!(whole.bytes().is_some());
            assert_eq!(sliced.bytes(), whole.bytes());
        }
    }

    #[test]
    fn a_vault_changed_between_slices_makes_the_capture_stale_until_it_starts_again() {
        let mut vault = vault_of(700, true);
        let mut capture = OfferCapture::new(&vault).expect("finished");
        assert!(matches!(
            capture.step(&vault, Duration::ZERO),
            Progress::Going
        ));
        let id = vault.find_note("f0/n0000.md").expect("a note");
        vault.update_note(
            id,
            parse_note("f0/n0000.md", b"# Changed\n\n[[f1/n0001]]\n"),
        );
        assert!(matches!(
            capture.step(&vault, Duration::ZERO),
            Progress::Stale
        ));
        assert!(capture.restart(&vault));
        let (offer, steps) = made_in_slices(&vault, &mut capture);
        assert_eq!(steps, 3 + 3 + 1 + 2, "from the first note again");
        let whole = ResolvedOffer::of(&vault).expect("an offer");
        assert_eq!(offer.bytes(), whole.bytes());
        // A note not parsed yet: no offer.
        let mut walked = Vault::new("/nowhere");
        walked.add(crate::vault::Note::empty("a.md"));
        walked.finish();
        assert!(ResolvedOffer::of(&walked).is_none());
    }
}
