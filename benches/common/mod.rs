//! Shared by the benches: generated vaults, made once and kept under
//! `target/bench-vaults/` (the generator is deterministic).

use std::path::PathBuf;

#[path = "../../examples/gen_vault.rs"]
#[allow(dead_code, clippy::all)]
mod gen_vault;

/// A generated vault of `notes` notes, written on first use.
pub fn generated_vault(notes: usize) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-vaults")
        .join(format!("gen{notes}"));
    let done = root.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&root);
        gen_vault::generate(&gen_vault::Args {
            out: root.clone(),
            notes,
            seed: 42,
        })
        .expect("write the generated vault");
        std::fs::write(&done, b"").expect("mark the vault complete");
    }
    root
}

/// The real vault when `VIDWIKI_BENCH_VAULT` names one (see README).
pub fn real_vault() -> Option<PathBuf> {
    std::env::var_os("VIDWIKI_BENCH_VAULT")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
}
