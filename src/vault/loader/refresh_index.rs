//! The browser's background save: the index file brought up to date
//! without building a second vault.

use std::{collections::HashMap, fs, path::Path, time::SystemTime};

use rayon::prelude::*;

use super::{
    LoadError, load::parse_read_for_cache, read::with_read_file, save::save_index, walk::walk,
};
use crate::vault::cache::{
    CacheReport, FileStamp, IndexCache, refresh::ResolvedOffer, resolved::SectionParts,
};

/// Brings the index file of a vault up to date without building a vault:
/// unchanged files keep their stored bytes (not decoded), new and changed
/// ones are read, parsed and encoded, removed ones dropped. For the
/// browser, whose own vault is kept up to date by the watcher: memory
/// stays that of the file, not of a second vault. The resolved index is
/// not kept when anything changed (it spoke of other notes), unless the
/// browser offers its own (`offer`) and the files saved are its notes.
pub fn refresh_index(
    root: &Path,
    cache: &IndexCache,
    offer: Option<&ResolvedOffer>,
) -> Result<CacheReport, LoadError> {
    let load_started = SystemTime::now();
    let walk = walk(root)?;
    let real_root = root.canonicalize().map_err(|source| LoadError::Open {
        path: root.display().to_string(),
        source,
    })?;
    let stored = cache.open(&real_root);
    let index = stored.index();
    let entries = &index.entries;
    let unchanged: Vec<bool> = walk
        .files
        .par_iter()
        .map(|file| {
            file.disk_path().is_none()
                && entries.get(file.relative.as_str()).is_some_and(|entry| {
                    fs::metadata(&file.path).is_ok_and(|m| FileStamp::of(&m) == entry.stamp)
                })
        })
        .collect();
    let taken = super::save::taken_entries(&walk.files, entries, |i| unchanged[i]);
    let misses: Vec<usize> = (0..walk.files.len()).filter(|&i| !unchanged[i]).collect();
    let fresh: HashMap<usize, (FileStamp, Option<Vec<u8>>)> = misses
        .par_iter()
        .filter_map(|&i| {
            let file = &walk.files[i];
            let parsed = with_read_file(&file.path, |read| {
                parse_read_for_cache(file, read, load_started, true)
            });
            parsed.saved.map(|saved| (i, saved))
        })
        .collect();
    let mut report = CacheReport {
        state: stored.state,
        hits: taken.len(),
        parsed: misses.len(),
        removed: entries.len() - taken.len(),
        // Unchanged notes keep the resolved index they were saved with.
        resolved: index.has_resolved(),
        ..CacheReport::default()
    };
    let stamp = |i: usize, path: &str| {
        fresh
            .get(&i)
            .map(|f| f.0)
            .or(taken.get(path).map(|e| e.stamp))
    };
    let saved = || {
        (walk.files.iter().enumerate()).map(|(i, f)| (f.relative.as_str(), stamp(i, &f.relative)))
    };
    let offered = offer.map(|offer| {
        move || {
            let parts = offer.parts_for(saved())?;
            Some(Box::new(parts) as Box<dyn SectionParts>)
        }
    });
    let offered = offered
        .as_ref()
        .map(|f| f as &dyn Fn() -> Option<Box<dyn SectionParts>>);
    save_index(
        cache,
        &real_root,
        &walk.files,
        &taken,
        &fresh,
        |_| None,
        offered,
        &mut report,
    );
    Ok(report)
}
