//! Timestamps and the video: copying their links and opening them outside.

use super::*;

/// How a timestamp's link is copied (config `[copy]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyFormat {
    /// `https://www.youtube.com/watch?v=ID&t=Ss` instead of the short
    /// `https://youtu.be/ID?t=S`.
    pub long_links: bool,
    /// The text `Y` copies: `{title}`, `{time}` and `{url}` are replaced.
    pub markdown: String,
}

/// The template of `Y` unless the config says otherwise.
pub const DEFAULT_MARKDOWN: &str = "[{title} @ {time}]({url})";

impl Default for CopyFormat {
    fn default() -> Self {
        Self {
            long_links: false,
            markdown: DEFAULT_MARKDOWN.to_owned(),
        }
    }
}

impl CopyFormat {
    /// The link of `video` at `seconds`, in the chosen form. Both are built
    /// from the validated id alone.
    #[must_use]
    pub fn url_at(&self, video: &crate::vault::VideoId, seconds: u32) -> String {
        if self.long_links {
            format!(
                "https://www.youtube.com/watch?v={}&t={seconds}s",
                video.as_str()
            )
        } else {
            video.url_at(seconds)
        }
    }

    /// The Markdown line of `Y`. The title is made one plain line first;
    /// the template itself was made one plain line when the config was read.
    #[must_use]
    pub fn markdown(&self, title: &str, clock: &str, url: &str) -> String {
        // One pass, so a `{url}` inside the title is not replaced again.
        let mut out = String::new();
        let mut rest = self.markdown.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open..];
            let (value, used) = if after.starts_with("{title}") {
                (title, "{title}".len())
            } else if after.starts_with("{time}") {
                (clock, "{time}".len())
            } else if after.starts_with("{url}") {
                (url, "{url}".len())
            } else {
                ("{", 1)
            };
            out.push_str(value);
            rest = &after[used..];
        }
        out.push_str(rest);
        out
    }
}

impl App {
    /// The timestamp under the cursor, or selected in the timestamps tab.
    pub(super) fn current_timestamp(&self) -> Option<usize> {
        if self.focus == Pane::Links
            && self.links.tab() == LinksTab::Timestamps
            && let Some(EntryAction::Target(Dest::Timestamp(i))) = self
                .links
                .entries
                .get(self.links.cursor.selected)
                .map(|e| &e.action)
        {
            return Some(*i);
        }
        match self.view().targets.get(self.cursor_visible()?)?.dest {
            Dest::Timestamp(i) => Some(i),
            _ => None,
        }
    }

    /// The URL of a timestamp, or why there is none.
    pub(super) fn timestamp_url(&self, index: usize) -> Result<(String, String), String> {
        let note = self.vault.note(self.open_note().ok_or("Not a note")?);
        if !note.parsed {
            // Known by its head (loading): its timestamps are on their way.
            return Err("Still loading: timestamps link once the note is read".to_owned());
        }
        let ts = note.timestamps.get(index).ok_or("No such timestamp")?;
        let seconds = ts
            .seconds()
            .ok_or_else(|| format!("“{}” is not a valid time: nothing to copy", ts.label))?;
        let video = note
            .video_id
            .as_ref()
            .ok_or("This note has no valid videoId: its timestamps have no link")?;
        Ok((
            self.copy_format.url_at(video, seconds),
            crate::vault::timestamp::format_clock(seconds),
        ))
    }

    /// The web address a target of the open page leads to: a timestamp's
    /// link, or a web link (for OSC 8 hyperlinks).
    #[must_use]
    pub fn target_url(&self, dest: &Dest) -> Option<String> {
        match dest {
            Dest::Timestamp(index) => self.timestamp_url(*index).ok().map(|(url, _)| url),
            Dest::Url(url) => Some(url.clone()),
            _ => None,
        }
    }

    pub(super) fn copy_timestamp(&mut self, markdown: bool, effects: &mut Vec<Effect>) {
        let Some(index) = self.current_timestamp() else {
            let key = self
                .keymap
                .key_for(keymap::Context::Note, Action::NextTarget)
                .unwrap_or_else(|| "n".to_owned());
            self.info(format!(
                "No timestamp under the cursor: press {key} to move to one"
            ));
            return;
        };
        match self.timestamp_url(index) {
            Ok((url, clock)) => {
                let text = if markdown {
                    let title = self
                        .open_note()
                        .map(|id| self.vault.note(id).title.clone())
                        .unwrap_or_default();
                    // Pasted into a shell or an editor: one plain line,
                    // no control, newline, bidi control or bracket.
                    let title = crate::text::clipboard_line(&title);
                    self.copy_format.markdown(&title, &clock, &url)
                } else {
                    url
                };
                self.info(format!("Copied {text} (OSC 52)"));
                effects.push(Effect::Copy(text));
            }
            Err(why) => self.warn(why),
        }
    }

    pub(super) fn copy_video(&mut self, effects: &mut Vec<Effect>) {
        match self.open_note().and_then(|id| self.vault.note(id).video_id) {
            Some(video) => {
                let url = video.url();
                self.info(format!("Copied {url} (OSC 52)"));
                effects.push(Effect::Copy(url));
            }
            None => self.warn("This page has no valid videoId"),
        }
    }

    pub(super) fn open_external(&mut self, effects: &mut Vec<Effect>) {
        if let Some(index) = self.current_timestamp() {
            match self.timestamp_url(index) {
                Ok((url, _)) => {
                    self.info(format!("Opening {url}"));
                    effects.push(Effect::OpenUrl(url));
                }
                Err(why) => self.warn(why),
            }
            return;
        }
        match self
            .cursor_visible()
            .map(|c| self.view().targets[c].dest.clone())
        {
            Some(dest @ Dest::Url(_)) => self.follow(&dest, effects),
            _ => self.info("No timestamp or web link under the cursor"),
        }
    }
}
