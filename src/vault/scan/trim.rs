//! The whitespace trims of the scan, bytewise: it trims every line and
//! every part of every link, and nearly all of them start and end with
//! ASCII (`str::trim` decodes a character at each end, and showed in
//! profiles). Each gives exactly what the `str` method gives.

/// The ASCII bytes `char::is_whitespace` takes.
fn is_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

/// `s.trim_start()`: ASCII whitespace skipped by bytes, and the rest left
/// to `str::trim_start` only when a non-ASCII character comes first.
pub(super) fn trim_start(s: &str) -> &str {
    let skip = s.bytes().take_while(|&b| is_space(b)).count();
    // Only ASCII bytes were skipped: `skip` is a character boundary.
    let rest = &s[skip..];
    if rest.as_bytes().first().is_some_and(|&b| !b.is_ascii()) {
        rest.trim_start()
    } else {
        rest
    }
}

/// `s.trim_end()`, as [`trim_start`] does it.
pub(super) fn trim_end(s: &str) -> &str {
    let keep = s.len() - s.bytes().rev().take_while(|&b| is_space(b)).count();
    let rest = &s[..keep];
    if rest.as_bytes().last().is_some_and(|&b| !b.is_ascii()) {
        rest.trim_end()
    } else {
        rest
    }
}

/// `s.trim()`.
pub(super) fn trim(s: &str) -> &str {
    trim_end(trim_start(s))
}

/// `s.trim_end_matches(['\n', '\r'])`, by bytes.
pub(super) fn without_line_end(s: &str) -> &str {
    let keep = s.len()
        - s.bytes()
            .rev()
            .take_while(|&b| b == b'\n' || b == b'\r')
            .count();
    &s[..keep]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Strings made of whitespace of every kind around a few characters.
    fn spaced() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just(" "),
                Just("\t"),
                Just("\n"),
                Just("\r"),
                Just("\u{b}"),
                Just("\u{c}"),
                Just("\u{1c}"),
                Just("\u{a0}"),
                Just("\u{3000}"),
                Just("\u{2028}"),
                Just("\u{85}"),
                Just("a"),
                Just("é"),
                Just("#"),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn the_trims_are_the_str_trims(s in spaced()) {
            prop_assert_eq!(trim_start(&s), s.trim_start());
            prop_assert_eq!(trim_end(&s), s.trim_end());
            prop_assert_eq!(trim(&s), s.trim());
            prop_assert_eq!(without_line_end(&s), s.trim_end_matches(['\n', '\r']));
        }
    }
}
