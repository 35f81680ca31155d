//! The leanest load, for a command line's note command (`show`, `links`,
//! `timestamps`) that names its note by its path: every file is still
//! walked and stat-ed against the table, as for [`super::open`], but only
//! the heads of the named note and of the notes next to it (those its
//! links lead to and those that link to it) are decoded; every other note
//! stands as an empty [`Note`] without a path, which nothing these
//! commands print reads. The filled notes are as [`super::open`] makes them, so the
//! output is the same.
//!
//! Notes are named by their title too, and a name may match none or many:
//! those need every head (a title index, suggestions), so a name that is
//! not a path of the table is left to [`super::open_walked`].

use std::{fs, path::Path, time::Instant};

use super::{
    LeanVault,
    checks::{TableSeenEarly, entries_of, open_table, unchanged_at},
    read_section,
};
use crate::vault::{
    IndexCache, Note, NoteId, TimeOptions, Vault,
    cache::{
        layout::{Header, Section, Table},
        parts::{self, Counts},
        resolved::{Sectioned, lean_neighbours, u32_of},
    },
    key::normalize_key,
    loader::FoundFile,
    note::{is_note_file_name, stem_in},
};

/// What [`open`] made of the cache.
pub enum OneNote {
    /// The vault, the named note's head and its neighbours' decoded (and
    /// nothing filled yet), and the note's id.
    Opened(Box<LeanVault>, NoteId),
    /// The name is not the path of a note: ask [`super::open_walked`].
    NotAPath,
    /// The cache cannot answer (changed files, damage): load the full way.
    Unfit,
}

/// The path of the table a command line name stands for when it names a
/// note by its path, as [`Vault::lookup`] reads a name: trimmed, without
/// a leading `./`, `/`-separated, `.md` added when it is not a note file
/// name; `None` when the path's stem has no key (the lookup finds such a
/// note by no name).
fn path_of_name(name: &str) -> Option<String> {
    let wanted = name.trim().trim_start_matches("./").replace('\\', "/");
    let with_md = if is_note_file_name(&wanted) {
        wanted
    } else {
        format!("{wanted}.md")
    };
    (!normalize_key(stem_in(&with_md)).is_empty()).then_some(with_md)
}

/// The lean load of the one note `name` names by its path, after a walk
/// made by the caller (see [`super::open_walked`]): [`read_early`], then
/// [`EarlyOne::confirmed`] against the walked `files`.
#[must_use]
pub fn open(
    root: &Path,
    real_root: &Path,
    files: &[FoundFile],
    times: TimeOptions,
    cache: &IndexCache,
    name: &str,
) -> OneNote {
    let mut store = None;
    read_early(root, real_root, times, cache, name, &mut store)
        .map_or(OneNote::Unfit, |early| early.confirmed(real_root, files))
}

/// What [`read_early`] found while the walk was still going: the table,
/// whether every file it names is unchanged, and the note opened. Worth
/// anything only once the walk is found to list exactly the table's files
/// ([`EarlyOne::confirmed`]).
pub struct EarlyOne<'s> {
    seen: TableSeenEarly<'s>,
    found: OneNote,
}

/// The cache file of the vault at `real_root` (its canonical path) opened
/// and its table decoded into `store`, then at once: every file the table
/// names stat-ed against its entry, and the note `name` names by its path
/// opened from its head and its neighbours'. Nothing here needs the walk,
/// which runs meanwhile on the other core. `None` when the cache cannot
/// answer.
#[must_use]
pub fn read_early<'s>(
    root: &Path,
    real_root: &Path,
    times: TimeOptions,
    cache: &IndexCache,
    name: &str,
    store: &'s mut Option<Vec<u8>>,
) -> Option<EarlyOne<'s>> {
    let started = Instant::now();
    let (file, header, bytes) = open_table(real_root, cache)?;
    let table: Table<'s> = postcard::from_bytes(store.insert(bytes)).ok()?;
    let table_time = started.elapsed();
    // The walk's order, which the table is checked to follow before
    // anything found here is used, is the paths' order.
    let Some(Ok(index)) =
        path_of_name(name).map(|path| table.entries.binary_search_by(|e| e.path.cmp(&path)))
    else {
        return Some(EarlyOne {
            seen: TableSeenEarly {
                header,
                table,
                unchanged: true,
            },
            found: OneNote::NotAPath,
        });
    };
    // Every file, as for a whole vault: a title changed anywhere changes
    // where links lead.
    let ((unchanged, stat), found) = rayon::join(
        || {
            let started = Instant::now();
            (unchanged_at(real_root, &table), started.elapsed())
        },
        || opened_checked(root, times, index, file, header, &table),
    );
    let found = match found {
        Some(OneNote::Opened(mut lean, id)) => {
            lean.timings.table = table_time;
            lean.timings.stat = stat;
            OneNote::Opened(lean, id)
        }
        _ => OneNote::Unfit,
    };
    Some(EarlyOne {
        seen: TableSeenEarly {
            header,
            table,
            unchanged,
        },
        found,
    })
}

impl EarlyOne<'_> {
    /// The note opened (or [`OneNote::NotAPath`]) when the walked `files`
    /// of the vault at `real_root` are the table's and every one of them
    /// was found unchanged; [`OneNote::Unfit`] otherwise.
    #[must_use]
    pub fn confirmed(self, real_root: &Path, files: &[FoundFile]) -> OneNote {
        if self.seen.fits(real_root, files) {
            self.found
        } else {
            OneNote::Unfit
        }
    }
}

/// The note at `index` of the table opened, with its neighbours' heads.
fn opened_checked(
    root: &Path,
    times: TimeOptions,
    index: usize,
    mut file: fs::File,
    header: Header,
    table: &Table<'_>,
) -> Option<OneNote> {
    let mut timings = super::LeanTimings::default();
    let id = NoteId(u32_of(index));
    let started = Instant::now();
    let heads = read_section(&mut file, header.extent(Section::Heads), true)?;
    let resolved = read_section(&mut file, header.extent(Section::Resolved), true)?;
    let section = Sectioned::read(&resolved)?;
    let mut wanted = lean_neighbours(&section, id)?;
    wanted.push(u32_of(index));
    wanted.sort_unstable();
    wanted.dedup();
    let mut decoded = Vec::with_capacity(wanted.len());
    for &at in &wanted {
        let entry = table.entries.get(at as usize)?;
        let (note, counts) = parts::decode_head(entry.head.of(&heads)?)?;
        if note.path != entry.path || note.size != entry.stamp.size {
            return None;
        }
        decoded.push((at as usize, note, counts));
    }
    let mut vault = Vault::new(root);
    vault.time_options = times;
    vault.notes.reserve(table.entries.len());
    // Zero counts for the notes not decoded: a resolution or backlink
    // pointing into one of them does not fit, and the caller loads the
    // full way rather than print an empty title.
    let mut counts = vec![Counts::default(); table.entries.len()];
    // The others, copies of one pathless note: nothing to allocate for
    // 21,000 of them (nothing these commands print reads them).
    let unread = Note::empty("");
    let mut decoded = decoded.into_iter().peekable();
    for (i, slot) in counts.iter_mut().enumerate() {
        match decoded.next_if(|(at, ..)| *at == i) {
            Some((_, note, note_counts)) => {
                vault.add(note);
                *slot = note_counts;
            }
            None => vault.notes.push(unread.clone()),
        }
    }
    vault.apply_lean_channels(&section).ok()?;
    drop(section);
    let entries = entries_of(table);
    timings.heads = started.elapsed();
    let lean = LeanVault {
        vault,
        file,
        header,
        entries,
        counts,
        resolved,
        timings,
    };
    Some(OneNote::Opened(Box::new(lean), id))
}

impl LeanVault {
    /// The walk's problems, for a load after a walk made by the caller
    /// (as [`super::open`] keeps them).
    pub fn keep_problems(&mut self, problems: Vec<crate::vault::VaultProblem>) {
        self.vault.problems = problems;
    }
}

#[cfg(test)]
mod tests {
    use std::{
        fs,
        path::Path,
        time::{Duration, SystemTime},
    };

    use super::{OneNote, open, path_of_name};
    use crate::vault::{IndexCache, TimeOptions, load_cached, loader::walk};

    #[test]
    fn a_name_reads_as_the_lookup_reads_it() {
        assert_eq!(path_of_name(" ./a\\b "), Some("a/b.md".to_owned()));
        assert_eq!(path_of_name("a/b.md"), Some("a/b.md".to_owned()));
        assert_eq!(path_of_name("Some Title"), Some("Some Title.md".to_owned()));
        assert_eq!(path_of_name(""), None);
    }

    fn write_old(dir: &Path, name: &str, text: &str, age: u64) {
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(3600 + age))
            .unwrap();
    }

    fn one(root: &Path, cache: &IndexCache, name: &str) -> OneNote {
        let files = walk(root).unwrap().files;
        let real = root.canonicalize().unwrap();
        open(root, &real, &files, TimeOptions::default(), cache, name)
    }

    #[test]
    fn only_the_named_note_and_its_neighbours_are_decoded() {
        let vault = tempfile::tempdir().unwrap();
        let root = vault.path();
        write_old(root, "a.md", "# Alpha\n\nSee [[Beta]].\n", 0);
        write_old(root, "b.md", "# Beta\n", 0);
        write_old(root, "c.md", "# Gamma\n\nBack to [[a]].\n", 0);
        write_old(root, "d.md", "# Delta\n\nAlone.\n", 0);
        let dir = tempfile::tempdir().unwrap();
        let cache = IndexCache::in_dir(dir.path());
        load_cached(root, TimeOptions::default(), Some(&cache)).unwrap();
        let OneNote::Opened(mut lean, id) = one(root, &cache, "./a") else {
            panic!("a path of the table");
        };
        let titles: Vec<&str> = lean
            .vault()
            .notes
            .iter()
            .map(|n| n.title.as_str())
            .collect();
        // a, its link's target b and its backlink's source c; not d.
        assert_eq!(titles, ["Alpha", "Beta", "Gamma", ""]);
        assert!(lean.fill(&[id]));
        let note = lean.vault().note(id);
        assert!(note.parsed && note.links.len() == 1);
        assert_eq!(lean.vault().backlinks(id).len(), 1);
        // Named by its title: every head is needed (the full lean load).
        assert!(matches!(one(root, &cache, "Alpha"), OneNote::NotAPath));
        assert!(matches!(one(root, &cache, "nothing"), OneNote::NotAPath));
        // Any file changed, even one the command does not show: unfit.
        write_old(root, "d.md", "# Delta two\n", 5);
        assert!(matches!(one(root, &cache, "a"), OneNote::Unfit));
    }
}
