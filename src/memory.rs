//! The peak memory of this process, for `check --timings` and the start-up
//! trace.

/// Peak resident memory of this process in KiB (Linux: `VmHWM` in
/// /proc); `None` where the system does not say.
#[must_use]
pub fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
