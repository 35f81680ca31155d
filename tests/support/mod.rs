//! Test support: a vault built from files without the real loader, and a
//! key-string driver for `App`.
//!
//! TEMP until the loader lands: `parse_note` is a crude stand-in for the
//! loader's parse pass (front matter, headings, wiki-links, timestamps).
#![allow(dead_code)]

use std::{path::Path, sync::Arc};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use vidwiki::{
    app::{App, Effect},
    text::sanitize_source,
    vault::{
        FrontMatter, Heading, Note, Timestamp, TitleSource, Vault, VideoId, WikiLink,
        key::normalize_key, timestamp::parse_time,
    },
};

/// Reads one note the way the loader will (roughly).
pub fn parse_note(path: &str, raw: &str) -> Note {
    let text: Arc<str> = Arc::from(sanitize_source(raw.trim_start_matches('\u{feff}')).as_ref());
    let mut front = FrontMatter::default();
    let mut body_start = 0;
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---") {
            let yaml = &rest[..end];
            for line in yaml.lines() {
                if let Some((k, v)) = line.split_once(':') {
                    let v = v.trim().to_owned();
                    match k.trim() {
                        "title" => front.title = Some(v.clone()),
                        "videoId" => front.video_id = Some(v.clone()),
                        _ => {}
                    }
                    front.fields.push((k.trim().to_owned(), v));
                }
            }
            let close = 4 + end + 4;
            body_start = text[close..]
                .find('\n')
                .map_or(text.len(), |i| close + i + 1);
        }
    }
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut timestamps = Vec::new();
    let mut offset = 0;
    let mut in_code = false;
    for (i, line) in text.split('\n').enumerate() {
        let line_no = u32::try_from(i + 1).unwrap();
        let start = offset;
        offset += line.len() + 1;
        if start < body_start {
            continue;
        }
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let hashes = line.bytes().take_while(|b| *b == b'#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            let t = line[hashes..].trim().replace("**", "");
            headings.push(Heading {
                level: u8::try_from(hashes).unwrap(),
                anchor: normalize_key(&t),
                text: t,
                line: line_no,
                offset: start,
            });
        }
        let mut pos = 0;
        while let Some(open) = line[pos..].find("[[") {
            let open = pos + open;
            let Some(close) = line[open..].find("]]") else {
                break;
            };
            let close = open + close;
            let inner = &line[open + 2..close];
            let embed = open > 0 && line.as_bytes()[open - 1] == b'!';
            let (dest, shown) = match inner.split_once('|') {
                Some((d, s)) => (d, Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
                None => (inner, None),
            };
            let (target, heading) = match dest.split_once('#') {
                Some((t, h)) => (t.trim().to_owned(), Some(h.trim().to_owned())),
                None => (dest.trim().to_owned(), None),
            };
            let link_start = start + open - usize::from(embed);
            links.push(WikiLink {
                target,
                heading,
                shown,
                embed,
                is_channel: line.starts_with("From:"),
                line: line_no,
                range: link_start..start + close + 2,
                resolution: Default::default(),
            });
            pos = close + 2;
        }
        let mut pos = 0;
        while let Some(a) = line[pos..].find("<a class=\"yt-timestamp\" data-t=\"") {
            let a = pos + a;
            let value_start = a + "<a class=\"yt-timestamp\" data-t=\"".len();
            let Some(q) = line[value_start..].find('"') else {
                break;
            };
            let Some(end) = line[a..].find("</a>") else {
                break;
            };
            let label = line[value_start..value_start + q].to_owned();
            timestamps.push(Timestamp {
                seconds: parse_time(&label).ok(),
                label,
                line: line_no,
                heading: headings.len().checked_sub(1),
                range: start + a..start + a + end + 4,
            });
            pos = a + end + 4;
        }
    }
    let stem = path
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".md")
        .to_owned();
    let (title, title_source) = match (&front.title, headings.first()) {
        (Some(t), _) => (t.clone(), TitleSource::FrontMatter),
        (None, Some(h)) => (h.text.clone(), TitleSource::FirstHeading),
        (None, None) => (stem.clone(), TitleSource::FileName),
    };
    let channel = links
        .iter()
        .find(|l| l.is_channel)
        .map(|l| l.target.clone());
    Note {
        path: path.to_owned(),
        stem,
        title,
        title_source,
        video_id: front.video_id.as_deref().and_then(VideoId::parse),
        front_matter: front,
        channel,
        headings,
        links,
        markdown_links: Vec::new(),
        timestamps,
        size: raw.len() as u64,
        words: u32::try_from(raw.split_whitespace().count()).unwrap(),
        problems: Vec::new(),
        text,
        body_start,
    }
}

/// Every `.md` file under `root`, parsed, sorted by path.
pub fn read_notes(root: &Path) -> Vec<Note> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<Note>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "md") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(parse_note(&rel, &std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

/// The sample vault (`notes/`) plus the fixtures of `tests/fixtures/vault`,
/// finished. The root is named `notes` so snapshots show no absolute path.
pub fn sample_vault() -> Vault {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut vault = Vault::new("notes");
    for note in read_notes(&base.join("notes")) {
        vault.add(note);
    }
    for mut note in read_notes(&base.join("tests/fixtures/vault")) {
        note.path = format!("fixtures/{}", note.path);
        vault.add(note);
    }
    vault.finish();
    vault
}

pub const SPECIMEN: &str = "publicprivate_partnerships_in_technology_and_innovation";

/// A browser over the sample vault at a size, opening `open`.
pub fn app(width: u16, height: u16, open: Option<&str>) -> App {
    App::loaded(
        sample_vault(),
        open.map(str::to_owned),
        Rect::new(0, 0, width, height),
    )
}

/// Feeds keys written like `jj<Enter><C-d><A-Left><BS>` to the app and
/// returns every effect.
pub fn keys(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut chars = keys.chars().peekable();
    while let Some(c) = chars.next() {
        let event = if c == '<' && chars.peek().is_some() {
            let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
            named(&name)
        } else {
            KeyEvent::new(
                KeyCode::Char(c),
                if c.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                },
            )
        };
        effects.extend(app.handle_key(event));
    }
    effects
}

fn named(name: &str) -> KeyEvent {
    let (mods, key) = match name.split_once('-') {
        Some(("C", k)) => (KeyModifiers::CONTROL, k),
        Some(("A", k)) => (KeyModifiers::ALT, k),
        Some(("S", k)) => (KeyModifiers::SHIFT, k),
        _ => (KeyModifiers::NONE, name),
    };
    let code = match key {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "BS" => KeyCode::Backspace,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "lt" => KeyCode::Char('<'),
        k if k.chars().count() == 1 => KeyCode::Char(k.chars().next().unwrap()),
        other => panic!("unknown key <{other}>"),
    };
    KeyEvent::new(code, mods)
}
