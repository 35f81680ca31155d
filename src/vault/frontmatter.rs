//! Splits the YAML block at the very top of a note and reads it. YAML
//! handling stays behind this file so that `serde_yaml` (unmaintained) can
//! be swapped later.

use std::ops::Range;

use super::{
    note::FrontMatter,
    problem::{Problem, ProblemKind},
};

/// Where the front matter and the body are in a note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, when the block is closed.
    pub yaml: Option<&'a str>,
    /// Byte offset where the body starts.
    pub body_start: usize,
    /// 1-based lines of the whole block, fences included.
    pub lines: Option<Range<u32>>,
    /// The block opens with `---` but never closes; the text is then all body.
    pub unclosed: bool,
}

/// Finds front matter: only a `---` line at byte 0 opens it (a later `---`
/// block is a rule and text), and `---` or `...` closes it.
#[must_use]
pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        yaml: None,
        body_start: 0,
        lines: None,
        unclosed: false,
    };
    // By `memchr`, as the scan splits lines: std's character search
    // showed in profiles, at every line of every note's front matter.
    let mut lines = super::scan::lines_inclusive(text);
    let Some(first) = lines.next() else {
        return none;
    };
    if first.trim_end() != "---" {
        return none;
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2u32..).zip(lines) {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Split {
                yaml: Some(&text[yaml_start..offset]),
                body_start: offset + line.len(),
                lines: Some(1..line_no),
                unclosed: false,
            };
        }
        offset += line.len();
    }
    Split {
        unclosed: true,
        ..none
    }
}

/// Reads the YAML of a front matter block that starts on `first_line` (the
/// line after the opening `---`). Problems are returned, never raised: a
/// broken block still gives whatever keys could be read.
#[must_use]
pub fn parse(yaml: &str, first_line: u32) -> (FrontMatter, Vec<Problem>) {
    if let Some(fields) = parse_simple(yaml) {
        // Plain values are the block's own text: a block with no control
        // character has none in any of them, checked once, not a field
        // at a time.
        if matches!(
            crate::text::sanitize_source(yaml),
            std::borrow::Cow::Borrowed(_)
        ) {
            return (FrontMatter::new(&fields), Vec::new());
        }
        return (from_fields(&fields), Vec::new());
    }
    // What goes to serde_yaml must cost time and memory in proportion to
    // its bytes. Anchors and aliases do not: `*a` copies the whole value
    // anchored as `&a`, so a kilobyte of aliases to aliases expands to
    // gigabytes. Without anchors no alias can resolve, so a block with
    // anchors is refused (and its plain lines kept); so is a block too
    // large to be front matter.
    let refusal = if yaml.len() > MAX_YAML_BYTES {
        Some((
            ProblemKind::FrontMatterTooLarge,
            format!(
                "front matter is {} KB, over the {} KB vidwiki reads as YAML; only its plain `key: value` lines are read",
                yaml.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        ))
    } else if uses_anchors_or_aliases(yaml) {
        Some((
            ProblemKind::YamlAlias,
            "front matter uses YAML anchors or aliases (`&name`, `*name`), which vidwiki does not expand; only its plain `key: value` lines are read".to_owned(),
        ))
    } else {
        None
    };
    if let Some((kind, message)) = refusal {
        let salvaged: Vec<_> = yaml.lines().filter_map(simple_field).collect();
        return (
            from_fields(&salvaged),
            vec![Problem::new(kind, Some(first_line), message)],
        );
    }
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(map)) => {
            let fields: Vec<_> = map
                .iter()
                .map(|(k, v)| (value_text(k), value_text(v)))
                .collect();
            (from_fields(&fields), Vec::new())
        }
        Ok(serde_yaml::Value::Null) => (FrontMatter::default(), Vec::new()),
        Ok(_) => (
            FrontMatter::default(),
            vec![Problem::new(
                ProblemKind::BrokenYaml,
                Some(first_line),
                "front matter is not a list of `key: value` lines",
            )],
        ),
        Err(error) => {
            let line = error
                .location()
                .map(|l| first_line + u32::try_from(l.line()).unwrap_or(1) - 1);
            let message = format!(
                "broken YAML front matter: {}",
                first_sentence(&error.to_string())
            );
            // Keep the lines that still read as `key: value`, so the title
            // survives a typo elsewhere in the block.
            let salvaged: Vec<_> = yaml.lines().filter_map(simple_field).collect();
            (
                from_fields(&salvaged),
                vec![Problem::new(
                    ProblemKind::BrokenYaml,
                    line.or(Some(first_line)),
                    message,
                )],
            )
        }
    }
}

/// Front matter larger than this is not given to the YAML parser.
pub const MAX_YAML_BYTES: usize = 64 * 1024;

/// True when a node of the YAML starts with an anchor (`&a`) or an alias
/// (`*a`). Reads each line as YAML would find node starts: after the
/// indentation, `- `, `? `, `key: `, and `[`, `{`, `,` of flow collections;
/// quoted scalars are skipped, and a `*` or `&` inside a plain scalar
/// (`Tom & Jerry`, `a *bold* word`) is text. Linear in the YAML.
fn uses_anchors_or_aliases(yaml: &str) -> bool {
    yaml.lines().any(|line| {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut node_start = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b' ' || b == b'\t' {
                i += 1;
                continue;
            }
            if node_start {
                match b {
                    b'&' | b'*' => {
                        return bytes.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace());
                    }
                    b'"' | b'\'' => {
                        i = quoted_end(bytes, i);
                        node_start = false;
                        continue;
                    }
                    b'-' | b'?' if bytes.get(i + 1).is_none_or(|n| *n == b' ') => {
                        i += 1;
                        continue;
                    }
                    b'!' => {
                        // A tag (`!!str &a x`): the node starts after it.
                        while i < bytes.len() && bytes[i] != b' ' {
                            i += 1;
                        }
                        continue;
                    }
                    b'#' => break,
                    _ => {}
                }
            }
            node_start = match b {
                b'[' | b'{' | b',' => true,
                b':' => bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t'),
                b'#' if i > 0 && bytes[i - 1] == b' ' => break,
                _ => false,
            };
            i += 1;
        }
        false
    })
}

/// Index just past the quoted scalar that opens at `start` (or the line's end).
fn quoted_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn first_sentence(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

fn from_fields<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> FrontMatter {
    // The note's bytes were sanitised before parsing, but YAML escapes
    // (`"\e"`, `"\x9b"`, `"\u001b"`) decode to control characters only now:
    // every key and value is sanitised again as it enters the model.
    let clean = crate::text::sanitize_source;
    let fields: Vec<_> = fields
        .iter()
        .map(|(k, v)| (clean(k.as_ref()), clean(v.as_ref())))
        .collect();
    FrontMatter::new(&fields)
}

/// Most front matter is `key: plain value` lines. Reading those by hand is
/// many times faster than a YAML parser, and gives the same result; anything
/// that YAML could read differently (quotes, flow collections, anchors,
/// block scalars, comments, `: ` inside a value) goes to `serde_yaml`.
fn parse_simple(yaml: &str) -> Option<Vec<(&str, &str)>> {
    let mut fields = Vec::new();
    // `yaml.lines()`, its lines found by `memchr` (see [`split`]).
    let lines = super::scan::lines_inclusive(yaml).map(|line| match line.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => line,
    });
    for line in lines {
        if line.trim().is_empty() {
            continue;
        }
        fields.push(simple_field(line)?);
    }
    Some(fields)
}

/// A `key: plain value` line's key and value, borrowed from it (a copy
/// of each was a fifth of the cost of a note's front matter).
fn simple_field(line: &str) -> Option<(&str, &str)> {
    let colon = memchr::memchr(b':', line.as_bytes())?;
    let (key, value) = (&line[..colon], &line[colon + 1..]);
    let key_ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !key_ok || !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    let value = value.trim();
    let special_start = value
        .bytes()
        .next()
        .is_some_and(|b| b"[]{}'\"&*!|>%@`#,?-:".contains(&b));
    let typed = matches!(value, "~" | "null" | "Null" | "NULL");
    if special_start || typed || value.ends_with(':') || has_yaml_marker(value.as_bytes()) {
        return None;
    }
    Some((key, value))
}

/// Whether a plain value holds `: ` (a mapping) or ` #` (a comment), by
/// the few `:` and `#` bytes of the value: a `str` search builds a
/// searcher per call, and every note's front matter asks twice a line.
fn has_yaml_marker(value: &[u8]) -> bool {
    memchr::memchr2_iter(b':', b'#', value).any(|at| {
        if value[at] == b':' {
            value.get(at + 1) == Some(&b' ')
        } else {
            at > 0 && value[at - 1] == b' '
        }
    })
}

fn value_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::Null => String::new(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Tagged(tagged) => value_text(&tagged.value),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim().replace('\n', " "))
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_blocks_read_their_lines_as_str_lines_does() {
        // Every line end, a lone `\r` at the end among them.
        for yaml in [
            "title: T\nvideoId: abcdefghijk\n",
            "title: T\r\nvideoId: x\r\n",
            "title: T\r",
            "title:\r\n\n  \nkey: v",
            "title: a:b\n",
            "",
        ] {
            let by_str_lines: Option<Vec<_>> = yaml
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(simple_field)
                .collect();
            assert_eq!(parse_simple(yaml), by_str_lines, "{yaml:?}");
        }
    }

    #[test]
    fn splits_only_a_block_at_the_top() {
        let text = "---\ntitle: A\nvideoId: HrwPuLTdHag\n---\n\nBody\n";
        let split = split(text);
        assert_eq!(split.yaml, Some("title: A\nvideoId: HrwPuLTdHag\n"));
        assert_eq!(&text[split.body_start..], "\nBody\n");
        assert_eq!(split.lines, Some(1..4));
        assert_eq!(super::split("Body\n---\nx: 1\n---\n").yaml, None);
    }

    #[test]
    fn crlf_and_dots_close_the_block() {
        let text = "---\r\ntitle: A\r\n...\r\nBody";
        let split = split(text);
        assert_eq!(split.yaml, Some("title: A\r\n"));
        assert_eq!(&text[split.body_start..], "Body");
    }

    #[test]
    fn unclosed_block_is_reported_by_split() {
        let split = split("---\ntitle: A\nno end");
        assert!(split.unclosed);
        assert_eq!(split.body_start, 0);
        assert_eq!(split.yaml, None);
    }

    #[test]
    fn yaml_escapes_cannot_smuggle_control_characters() {
        let (fm, _) = parse(
            "title: \"A\\e]52;c;eA==\\a \\x9b2J \\u202e \\x1b[31m\"\nk\\u0007: \"\\u0085v\"\n",
            2,
        );
        let title = fm.title().expect("title");
        assert!(crate::text::is_terminal_safe(title), "{title:?}");
        assert!(title.starts_with("A\u{241b}]52;c;eA=="), "{title:?}");
        for (k, v) in fm.fields() {
            assert!(crate::text::is_terminal_safe(k) && crate::text::is_terminal_safe(v));
        }
    }

    #[test]
    fn reads_title_video_id_and_keeps_every_key() {
        let (fm, problems) = parse(
            "title: 'Attention: what it is'\nvideoId: eMlx5fFNoYc\ntags: [a, b]\n",
            2,
        );
        assert!(problems.is_empty());
        assert_eq!(fm.title(), Some("Attention: what it is"));
        assert_eq!(fm.video_id(), Some("eMlx5fFNoYc"));
        assert_eq!(fm.fields().count(), 3);
        assert_eq!(fm.fields().nth(2), Some(("tags", "- a - b")));
    }

    #[test]
    fn simple_and_yaml_paths_agree() {
        let yaml = "title: Publicprivate partnerships in technology and innovation\nvideoId: HrwPuLTdHag\n";
        assert!(parse_simple(yaml).is_some());
        let (fast, _) = parse(yaml, 2);
        let slow: serde_yaml::Value = serde_yaml::from_str(yaml).expect("valid yaml");
        assert_eq!(fast.title(), slow["title"].as_str());
        assert_eq!(fast.video_id(), slow["videoId"].as_str());
    }

    #[test]
    fn yaml_markers_are_found_as_the_string_searches_find_them() {
        for value in [
            "a: b", "a:b", "a :b", "a #b", "a#b", "#a", "a:", ": ", " #", "a::  b", "a##",
            "x # y: z", "plain", "",
        ] {
            assert_eq!(
                has_yaml_marker(value.as_bytes()),
                value.contains(": ") || value.contains(" #"),
                "{value:?}"
            );
        }
    }

    #[test]
    fn quoted_and_numeric_values() {
        let (fm, problems) = parse(
            "title: \"Quoted: yes\"\nvideoId: '12345678901'\nyear: 2023\n",
            2,
        );
        assert!(problems.is_empty());
        assert_eq!(fm.title(), Some("Quoted: yes"));
        assert_eq!(fm.video_id(), Some("12345678901"));
        assert_eq!(fm.fields().nth(2).map(|(_, v)| v), Some("2023"));
    }

    #[test]
    fn broken_yaml_is_reported_with_its_line_and_salvaged() {
        let (fm, problems) = parse("title: Still here\nvideoId: [unclosed\n", 2);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::BrokenYaml);
        assert!(problems[0].line.is_some_and(|l| l >= 2));
        assert_eq!(fm.title(), Some("Still here"));
    }

    #[test]
    fn anchors_and_aliases_are_refused_and_plain_lines_kept() {
        for yaml in [
            "title: T\na: &a [x, y]\nb: *a\n",
            "title: T\nlist:\n  - &a x\n  - *a\n",
            "title: T\nflow: [&a x, *a]\n",
            "title: T\nm: {k: &a x, j: *a}\n",
            "title: T\nt: !!str &a x\n",
            "title: T\n&a k: v\n",
        ] {
            let (fm, problems) = parse(yaml, 2);
            assert_eq!(problems.len(), 1, "{yaml}");
            assert_eq!(problems[0].kind, ProblemKind::YamlAlias, "{yaml}");
            assert_eq!(fm.title(), Some("T"), "{yaml}");
        }
    }

    #[test]
    fn stars_and_ampersands_in_text_are_not_aliases() {
        for yaml in [
            "title: 'Tom & Jerry: *the* show'\n",
            "title: \"a: *b\"\ntags: [x, 'y, *z']\n",
            "title: Why *this*: matters\n",
            "title: x # a comment *a\n",
            "title: |\n  text *a\n",
        ] {
            assert!(!uses_anchors_or_aliases(yaml), "{yaml}");
        }
    }

    #[test]
    fn a_billion_laughs_costs_nothing() {
        let mut yaml =
            String::from("title: T\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..12 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 9].join(", ");
            yaml.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        yaml.push_str("videoId: *a11\n");
        // And the wide shape: one large anchored value, aliased many times.
        yaml.push_str(&format!("big: &big [{}]\n", vec!["lol"; 5000].join(", ")));
        yaml.push_str(&"w: *big\n".repeat(1000));
        let started = std::time::Instant::now();
        let (fm, problems) = parse(&yaml, 2);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(problems[0].kind, ProblemKind::YamlAlias);
        assert_eq!(fm.title(), Some("T"));
        assert!(fm.fields().map(|(k, v)| k.len() + v.len()).sum::<usize>() <= yaml.len());
    }

    #[test]
    fn huge_front_matter_is_not_given_to_the_yaml_parser() {
        let yaml = format!("title: T\nbig: \"{}\"\n", "x".repeat(MAX_YAML_BYTES));
        let (fm, problems) = parse(&yaml, 2);
        assert_eq!(problems[0].kind, ProblemKind::FrontMatterTooLarge);
        assert_eq!(fm.title(), Some("T"));
    }

    #[test]
    fn scalar_front_matter_is_not_a_mapping() {
        let (_, problems) = parse("just text\n", 2);
        assert_eq!(problems[0].kind, ProblemKind::BrokenYaml);
    }
}
