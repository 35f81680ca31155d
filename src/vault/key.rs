//! The normalised key that link targets, file names and titles are compared
//! by (docs/format.md, "How a link finds its note").

/// Normalises a link target, file stem or title:
/// 1. lowercase;
/// 2. drop every character that is not a letter or digit (any script), a
///    space or `_` (so hyphens, apostrophes, parentheses and the invisible
///    U+2068/U+2069 marks go);
/// 3. each run of spaces and underscores becomes one `_`, trimmed at both ends.
#[must_use]
pub fn normalize_key(text: &str) -> String {
    key_of(text).into_owned()
}

/// [`normalize_key`], borrowing `text` when it is already its own key
/// (most link targets of a vault are written as keys, `[[some_topic]]`):
/// the lookups of link resolution then allocate nothing.
#[must_use]
pub fn key_of(text: &str) -> std::borrow::Cow<'_, str> {
    let plain = plain_prefix(text.as_bytes());
    if plain == text.len() && !text.ends_with('_') {
        std::borrow::Cow::Borrowed(text)
    } else {
        let mut key = String::with_capacity(text.len());
        build_key_after(text, plain, &mut key);
        std::borrow::Cow::Owned(key)
    }
}

/// [`key_of`] into a buffer of the caller's: `text` itself when it is its
/// own key, else its key built in `buffer` (cleared first). A pass over
/// every link keys them all with no allocation each.
pub fn key_in<'a>(text: &'a str, buffer: &'a mut String) -> &'a str {
    let plain = plain_prefix(text.as_bytes());
    if plain == text.len() && !text.ends_with('_') {
        text
    } else {
        buffer.clear();
        build_key_after(text, plain, buffer);
        buffer
    }
}

/// How many leading bytes of `bytes` are a key as written (lowercase
/// letters, digits, single `_` after one of them; the last may be a `_`):
/// the key of the text starts with them, so the builder copies them whole
/// instead of looking at them again.
fn plain_prefix(bytes: &[u8]) -> usize {
    let mut after_separator = true;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            if after_separator {
                return i;
            }
            after_separator = true;
        } else if b.is_ascii_lowercase() || b.is_ascii_digit() {
            after_separator = false;
        } else {
            return i;
        }
    }
    bytes.len()
}

/// What an ASCII byte is to a key, looked up in [`KEY_BYTE`]: a letter or
/// digit is its lowercase self (never 0, never above 0x7F), the rest is one
/// of these marks.
const DROP: u8 = 0;
const SEPARATOR: u8 = 0x80;
const NOT_ASCII: u8 = 0xFF;

/// [`DROP`], [`SEPARATOR`], [`NOT_ASCII`] or the lowercase byte, for every
/// byte value: the ASCII rules of [`key_chars`] in one lookup (a test holds
/// them together; the separators are `_` and what `char::is_whitespace`
/// takes in ASCII).
static KEY_BYTE: [u8; 256] = {
    let mut table = [NOT_ASCII; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = match b as u8 {
            byte @ (b'a'..=b'z' | b'0'..=b'9') => byte,
            byte @ b'A'..=b'Z' => byte.to_ascii_lowercase(),
            b'_' | b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => SEPARATOR,
            _ => DROP,
        };
        b += 1;
    }
    table
};

/// The key of `text`, appended to `out`, once the [`plain_prefix`] of
/// `text` is known to be `plain` bytes long ([`key_of`] has looked for
/// it already). The leading bytes already written as a key are copied
/// whole, the ASCII after them goes byte by byte through [`KEY_BYTE`]
/// (most keys are all ASCII), and the first non-ASCII byte hands the rest
/// to the loop by characters below, in the same state.
///
/// `out` is checked as UTF-8 whole when the ASCII part is written: its
/// callers give it empty (a key appended to a long string, as each of a
/// note's headings once was, cost that string's length every time).
fn build_key_after(text: &str, plain: usize, out: &mut String) {
    let start = out.len();
    let bytes = text.as_bytes();
    // The plain bytes are ASCII: never cuts a character.
    let (copied, mut pending_separator) = match bytes[..plain].strip_suffix(b"_") {
        Some(before) => (before, true),
        None => (&bytes[..plain], false),
    };
    // The ASCII part is written as bytes, by index: a key is never longer
    // than its ASCII text (a separator stands for at least one dropped
    // byte, so `written - start` stays at most `i`), hence room for all of
    // `text` made once and no capacity check per byte.
    let mut key = std::mem::take(out).into_bytes();
    key.resize(start + bytes.len(), 0);
    let mut written = start + copied.len();
    key[start..written].copy_from_slice(copied);
    let mut i = plain;
    while let Some(&b) = bytes.get(i) {
        match KEY_BYTE[usize::from(b)] {
            DROP => {}
            SEPARATOR => pending_separator = true,
            NOT_ASCII => break,
            lower => {
                if pending_separator && written > start {
                    key[written] = b'_';
                    written += 1;
                }
                pending_separator = false;
                key[written] = lower;
                written += 1;
            }
        }
        i += 1;
    }
    key.truncate(written);
    // Only ASCII bytes were added to a string: always valid UTF-8 (the
    // lossy arm is never taken, and loses nothing if it were).
    *out = String::from_utf8(key)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    // `i` is at the end or at the first byte of a non-ASCII character.
    for c in text[i..].chars() {
        if c.is_alphanumeric() {
            if pending_separator && out.len() > start {
                out.push('_');
            }
            pending_separator = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c == '_' || c.is_whitespace() {
            pending_separator = true;
        }
    }
}

/// Whether `text` normalizes to `key`, without building the key (the
/// tree asks it of every note).
#[must_use]
pub fn has_key(text: &str, key: &str) -> bool {
    if text.is_ascii() {
        // Byte by byte: the rules on ASCII alone (a test holds them to
        // [`key_chars`]), with no per-character lowercase iterators.
        return ascii_key_bytes(text.as_bytes()).eq(key.bytes());
    }
    key_chars(text).eq(key.chars())
}

/// The bytes of the key of an ASCII `text`, one by one.
fn ascii_key_bytes(text: &[u8]) -> impl Iterator<Item = u8> + '_ {
    let mut pending_separator = false;
    let mut started = false;
    text.iter().flat_map(move |&b| {
        let mut out = [None, None];
        if b.is_ascii_alphanumeric() {
            if pending_separator && started {
                out[0] = Some(b'_');
            }
            pending_separator = false;
            started = true;
            out[1] = Some(b.to_ascii_lowercase());
        } else if b == b'_' || b.is_ascii_whitespace() || b == 0x0b {
            pending_separator = true;
        }
        out.into_iter().flatten()
    })
}

/// The characters of [`normalize_key`], one by one (the same rules; a
/// test holds them together).
fn key_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut pending_separator = false;
    let mut started = false;
    text.chars().flat_map(move |c| {
        let mut out = KeyChars::default();
        if c.is_alphanumeric() {
            if pending_separator && started {
                out.separator = true;
            }
            pending_separator = false;
            started = true;
            out.lower = Some(c.to_lowercase());
        } else if c == '_' || c.is_whitespace() {
            pending_separator = true;
        }
        out
    })
}

/// What one character of the text adds to its key: perhaps a separator,
/// then the character lowercased.
#[derive(Default)]
struct KeyChars {
    separator: bool,
    lower: Option<std::char::ToLowercase>,
}

impl Iterator for KeyChars {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if std::mem::take(&mut self.separator) {
            return Some('_');
        }
        self.lower.as_mut()?.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `bytes` is its own key by the ASCII rules alone (when
    /// [`key_of`] borrows).
    fn is_plain_key(bytes: &[u8]) -> bool {
        plain_prefix(bytes) == bytes.len() && bytes.last() != Some(&b'_')
    }

    /// The key of `text`, appended to `out` (what [`build_key_after`]
    /// must give whatever `out` holds).
    fn build_key_into(text: &str, out: &mut String) {
        build_key_after(text, plain_prefix(text.as_bytes()), out);
    }

    fn build_key(text: &str) -> String {
        let mut key = String::new();
        build_key_into(text, &mut key);
        key
    }

    #[test]
    fn the_borrowed_fast_path_gives_the_built_key() {
        let table = [
            "",
            "a",
            "topic",
            "some_topic_2",
            "_topic",
            "topic_",
            "a__b",
            "_",
            "__",
            "Topic",
            "some topic",
            " some_topic",
            "some_topic ",
            "a|b",
            "a#b",
            "note#Heading",
            "alias|Shown",
            "a-b",
            "caf\u{e9}",
            "Ünïcode Straße",
            "日本語_ノート",
            "\u{2068}chan\u{2069}",
            "x\ty",
            "İstanbul",
            "123_456",
            "a_b_c_d_e_f",
        ];
        for text in table {
            let fast = key_of(text);
            assert_eq!(fast, build_key(text), "{text:?}");
            assert_eq!(normalize_key(text), build_key(text), "{text:?}");
            // Borrowed exactly when the text is already its key.
            assert_eq!(
                matches!(fast, std::borrow::Cow::Borrowed(_)),
                is_plain_key(text.as_bytes()),
                "{text:?}"
            );
            if matches!(fast, std::borrow::Cow::Borrowed(_)) {
                assert_eq!(build_key(text), text, "{text:?}");
            }
        }
        assert!(matches!(
            key_of("some_topic"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(key_of("Some topic"), std::borrow::Cow::Owned(_)));
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_on_any_text(text in "[a-zA-Z0-9_ |#\\-]{0,12}|\\PC{0,8}") {
            proptest::prop_assert_eq!(key_of(&text), build_key(&text));
        }

        #[test]
        fn a_key_in_a_used_buffer_is_the_key(
            text in "[a-zA-Z0-9_ |#\\-]{0,12}|\\PC{0,8}",
            before in "\\PC{0,8}",
        ) {
            let mut buffer = before;
            proptest::prop_assert_eq!(key_in(&text, &mut buffer), build_key(&text));
        }

        #[test]
        fn keys_built_by_runs_are_the_keys_by_characters(
            text in "[a-zA-Z0-9_ |#\\-\t]{0,16}|\\PC{0,12}|[A-Z ]{0,4}\\PC{0,4}[a-zA-Z _]{0,6}"
        ) {
            let mut out = "prefix ".to_owned();
            build_key_into(&text, &mut out);
            let by_characters: String = key_chars(&text).collect();
            proptest::prop_assert_eq!(out, format!("prefix {by_characters}"));
        }
    }

    /// The key builder before the byte table (session 20): ASCII runs
    /// copied whole and lowercased at the end, the rest by characters. The
    /// fast path must give the same key for any text.
    fn build_key_by_runs(text: &str) -> String {
        let mut out = String::new();
        let mut pending_separator = false;
        let bytes = text.as_bytes();
        let ascii_end = bytes
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(bytes.len());
        let mut i = 0;
        while i < ascii_end {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                let run = bytes[i..ascii_end]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(ascii_end, |len| i + len);
                if pending_separator && !out.is_empty() {
                    out.push('_');
                }
                pending_separator = false;
                out.push_str(&text[i..run]);
                i = run;
                continue;
            }
            if b == b'_' || char::from(b).is_whitespace() {
                pending_separator = true;
            }
            i += 1;
        }
        for c in text[ascii_end..].chars() {
            if c.is_alphanumeric() {
                if pending_separator && !out.is_empty() {
                    out.push('_');
                }
                pending_separator = false;
                if c.is_ascii() {
                    out.push(c);
                } else {
                    out.extend(c.to_lowercase());
                }
            } else if c == '_' || c.is_whitespace() {
                pending_separator = true;
            }
        }
        out.make_ascii_lowercase();
        out
    }

    #[test]
    fn the_byte_table_is_the_ascii_rules() {
        for b in 0..=u8::MAX {
            let by_table = match KEY_BYTE[usize::from(b)] {
                NOT_ASCII => {
                    assert!(!b.is_ascii(), "{b:#x}");
                    continue;
                }
                DROP => None,
                SEPARATOR => Some('_'),
                lower => Some(char::from(lower)),
            };
            let c = char::from(b);
            let by_characters = if c.is_alphanumeric() {
                c.to_lowercase().next()
            } else if c == '_' || c.is_whitespace() {
                Some('_')
            } else {
                None
            };
            assert_eq!(by_table, by_characters, "{b:#x}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_byte_table_path_gives_the_keys_of_the_old_builder(
            text in "[ -~\t\n\x0b\x0c\r]{0,40}|[a-z0-9_]{0,12}[ -~]{0,12}|\\PC{0,16}|[a-zA-Z _\\-]{0,10}\\PC{0,4}[a-zA-Z0-9 _]{0,10}|\\PC{0,4}[a-z_ ]{0,12}"
        ) {
            let old = build_key_by_runs(&text);
            proptest::prop_assert_eq!(&key_of(&text), &old);
            proptest::prop_assert_eq!(&normalize_key(&text), &old);
            let mut out = "Prefix_".to_owned();
            build_key_into(&text, &mut out);
            proptest::prop_assert_eq!(out, format!("Prefix_{old}"));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_key_bytes_are_the_key_chars(text in "[ -~\t\n\x0b\x0c\r\x00-\x1f]{0,16}") {
            let by_bytes: Vec<u8> = ascii_key_bytes(text.as_bytes()).collect();
            let by_characters: String = key_chars(&text).collect();
            proptest::prop_assert_eq!(by_bytes, by_characters.into_bytes());
        }
    }

    #[test]
    fn has_key_agrees_with_normalize_key() {
        for text in [
            "public_sector_innovation",
            "  Public   sector__innovation_ ",
            "Ünïcode Straße ΣΑΣ",
            "a-b (c) d'e",
            "\u{2068}chan\u{2069}",
            "",
            "___",
            "İstanbul",
        ] {
            let key = normalize_key(text);
            assert!(has_key(text, &key), "{text:?} -> {key:?}");
            assert!(!has_key(text, &format!("{key}x")), "{text:?}");
            let mut shorter = key.clone();
            if shorter.pop().is_some() {
                assert!(!has_key(text, &shorter), "{text:?}");
            }
        }
    }

    #[test]
    fn the_shapes_of_format_md_meet() {
        let key = "public_sector_innovation";
        assert_eq!(normalize_key("public_sector_innovation"), key);
        assert_eq!(normalize_key("Public Sector Innovation"), key);
        assert_eq!(normalize_key("  Public   sector__innovation_ "), key);
    }

    #[test]
    fn punctuation_and_invisible_marks_go() {
        assert_eq!(
            normalize_key("Public-private partnerships"),
            "publicprivate_partnerships"
        );
        assert_eq!(
            normalize_key("Application of large language models (LLMs) in causal discovery"),
            "application_of_large_language_models_llms_in_causal_discovery"
        );
        assert_eq!(normalize_key("\u{2068}cleoabram\u{2069}"), "cleoabram");
        assert_eq!(normalize_key("@MrBeast"), "mrbeast");
        assert_eq!(normalize_key("blueprint.financial"), "blueprintfinancial");
    }

    #[test]
    fn any_script_is_kept_and_lowercased() {
        assert_eq!(normalize_key("Ünïcode Straße"), "ünïcode_straße");
        assert_eq!(normalize_key("日本語 ノート"), "日本語_ノート");
    }

    #[test]
    fn paths_cannot_escape() {
        assert_eq!(normalize_key("../../etc/passwd"), "etcpasswd");
        assert_eq!(normalize_key("___"), "");
    }

    #[test]
    fn normalising_is_idempotent() {
        for s in ["A  b__C", "x-y z", "Ⅻ Roman", "  _a_ "] {
            let once = normalize_key(s);
            assert_eq!(normalize_key(&once), once);
        }
    }
}
