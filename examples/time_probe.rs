//! Measures how a vault's timestamps are read (issue 11):
//! `cargo run --release --example time_probe -- VAULT [--literal-times]`.
//!
//! Prints the timestamps that cannot be copied, the copied links past 6
//! hours, and the links of notes kept `HH:MM:SS` although every value of
//! theirs lands on a whole minute an hour or more in (the evidence the rule
//! deliberately leaves alone).
mod probe_args;

use vidwiki::vault::{TimeFormat, TimeOptions, load_timed};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = probe_args::vault_folder(
        Some(args.next().unwrap_or_else(|| "notes".into())),
        "time_probe [VAULT] [--literal-times]",
    );
    let literal = args.any(|a| a == "--literal-times");
    let (vault, _) = load_timed(&root, TimeOptions { literal }).expect("vault loads");
    let six_hours = 6 * 3600;
    let (mut stamps, mut uncopiable, mut past_six, mut corrected_notes) = (0, 0, 0, 0);
    let (mut whole_minute_notes, mut whole_minute_links) = (0, 0);
    for note in &vault.notes {
        stamps += note.timestamps.len();
        uncopiable += note
            .timestamps
            .iter()
            .filter(|t| t.seconds().is_none())
            .count();
        past_six += note
            .timestamps
            .iter()
            .filter(|t| t.seconds().is_some_and(|s| s >= six_hours))
            .count();
        if note.time_reading.format == TimeFormat::MinutesSecondsFrames {
            corrected_notes += 1;
        }
        let three: Vec<String> = note
            .timestamps
            .iter()
            .map(|t| t.label.text().trim().to_owned())
            .filter(|l| l.split(':').count() == 3)
            .collect();
        let whole = three.len() >= 2 && three.iter().all(|l| l.ends_with(":00"));
        let hour_in = note
            .timestamps
            .iter()
            .filter(|t| t.seconds().is_some_and(|s| s >= 3600))
            .count();
        if note.time_reading.format == TimeFormat::HoursMinutesSeconds && whole && hour_in > 0 {
            whole_minute_notes += 1;
            whole_minute_links += hour_in;
        }
    }
    println!("notes {}", vault.notes.len());
    println!("timestamps {stamps}");
    println!("notes read as MM:SS:FF {corrected_notes}");
    println!("cannot be copied {uncopiable}");
    println!("copied links past 6 hours {past_six}");
    println!(
        "kept HH:MM:SS, whole minutes an hour or more in: {whole_minute_links} links in {whole_minute_notes} notes"
    );
}
