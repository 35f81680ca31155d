//! The `:`-separated fields of a timestamp's value.

/// The `:`-separated fields of a value, each 1 to 6 digits, as
/// `(value, digits)`; `None` unless there are exactly `N`.
///
/// One pass over the bytes, no `split`: a note whose times are not all
/// plain clocks has each of them read here (std's character search and
/// Unicode trim were most of the cost of settling such a note).
pub(super) fn fields<const N: usize>(label: &str) -> Option<[(u32, usize); N]> {
    let mut out = [(0, 0); N];
    let (mut count, mut value, mut digits) = (0, 0u32, 0);
    for &byte in trim_value(label).as_bytes() {
        if byte == b':' {
            // A field closes: it must hold a digit, and one more must follow.
            if digits == 0 || count + 1 >= N {
                return None;
            }
            out[count] = (value, digits);
            (count, value, digits) = (count + 1, 0, 0);
        } else if byte.is_ascii_digit() && digits < 6 {
            // At most six digits: no overflow.
            value = value * 10 + u32::from(byte - b'0');
            digits += 1;
        } else {
            return None;
        }
    }
    if digits == 0 || count + 1 != N {
        return None;
    }
    out[count] = (value, digits);
    Some(out)
}

/// `label.trim()`, skipped for the usual value that starts and ends
/// with a digit.
fn trim_value(label: &str) -> &str {
    let bytes = label.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if first.is_ascii_digit() && last.is_ascii_digit() => label,
        _ => label.trim(),
    }
}

/// The fields as `str::split` reads them: what [`fields`] must give.
#[cfg(test)]
fn fields_by_split<const N: usize>(label: &str) -> Option<[(u32, usize); N]> {
    let mut out = [(0, 0); N];
    let mut parts = label.trim().split(':');
    for slot in &mut out {
        let part = parts
            .next()
            .filter(|p| (1..=6).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))?;
        let value = part.bytes().fold(0, |v, b| v * 10 + u32::from(b - b'0'));
        *slot = (value, part.len());
    }
    parts.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_as_split_reads_them() {
        let pieces = [
            "", "0", "7", "12", "123456", "1234567", ":", " ", "a", "\u{a0}", "é",
        ];
        let mut labels = vec![String::new()];
        for _ in 0..5 {
            labels = labels
                .iter()
                .flat_map(|l| pieces.iter().map(move |p| format!("{l}{p}")))
                .collect();
            for label in &labels {
                assert_eq!(fields::<1>(label), fields_by_split::<1>(label), "{label:?}");
                assert_eq!(fields::<3>(label), fields_by_split::<3>(label), "{label:?}");
                assert_eq!(fields::<4>(label), fields_by_split::<4>(label), "{label:?}");
            }
        }
    }
}
