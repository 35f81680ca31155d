//! Timestamps and the video: copying their links and opening them outside.

use super::*;

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
        let ts = note.timestamps.get(index).ok_or("No such timestamp")?;
        let seconds = ts
            .seconds
            .ok_or_else(|| format!("“{}” is not a valid time: nothing to copy", ts.label))?;
        let video = note
            .video_id
            .as_ref()
            .ok_or("This note has no valid videoId: its timestamps have no link")?;
        Ok((
            video.url_at(seconds),
            crate::vault::timestamp::format_clock(seconds),
        ))
    }

    pub(super) fn copy_timestamp(&mut self, markdown: bool, effects: &mut Vec<Effect>) {
        let Some(index) = self.current_timestamp() else {
            self.info("No timestamp under the cursor: press n to move to one");
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
                    format!("[{title} @ {clock}]({url})")
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
        match self
            .open_note()
            .and_then(|id| self.vault.note(id).video_id.clone())
        {
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
