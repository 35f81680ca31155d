//! Status messages: what is shown now, when it goes, and the recent ones
//! (the help overlay lists them, so a message too long for the bar can be
//! read in full).
//!
//! A message goes when the reader moves to another page, and a few seconds
//! after it was first drawn. The app reads no clock: the event loop hands
//! the time in with [`App::tick`], and the first tick that sees a message
//! starts its time (so tests pass times in and never sleep).

use std::time::{Duration, Instant};

use super::{App, Message, MessageKind};

/// Messages kept for the help overlay.
const KEPT: usize = 20;
/// How long a short message stays.
const SHORT_LIFE: Duration = Duration::from_secs(5);
/// A longer message stays longer (a second per this many characters)...
const CHARS_PER_SECOND: usize = 30;
/// ...up to this.
const LONGEST_LIFE: Duration = Duration::from_secs(15);

/// The recent messages and the current one's clock.
#[derive(Debug, Clone, Default)]
pub struct MessageLog {
    /// Newest first.
    pub recent: Vec<Message>,
    /// Counts messages shown, so an action can tell whether it set one.
    serial: u64,
    /// When the current message goes (set by the first tick after it came).
    deadline: Option<Instant>,
}

impl MessageLog {
    #[must_use]
    pub fn serial(&self) -> u64 {
        self.serial
    }
}

/// How long a message of this text stays on screen.
#[must_use]
pub fn lifetime(text: &str) -> Duration {
    let extra = u32::try_from(text.chars().count() / CHARS_PER_SECOND).unwrap_or(u32::MAX);
    (SHORT_LIFE + Duration::from_secs(1) * extra).min(LONGEST_LIFE)
}

impl App {
    /// Shows a message and keeps it in the log.
    pub(super) fn show_message(&mut self, kind: MessageKind, text: String) {
        let message = Message { kind, text };
        let log = &mut self.messages;
        if log.recent.first() != Some(&message) {
            log.recent.insert(0, message.clone());
            log.recent.truncate(KEPT);
        }
        log.serial += 1;
        log.deadline = None;
        self.message = Some(message);
    }

    /// The time, from the event loop: a message whose time is up goes.
    /// True when the screen changed.
    pub fn tick(&mut self, now: Instant) -> bool {
        let Some(message) = &self.message else {
            return false;
        };
        match self.messages.deadline {
            None => {
                self.messages.deadline = Some(now + lifetime(&message.text));
                false
            }
            Some(deadline) if now >= deadline => {
                self.message = None;
                self.messages.deadline = None;
                true
            }
            Some(_) => false,
        }
    }

    /// After an action: a message set before it goes when the page changed.
    pub(super) fn expire_on_navigation(&mut self, page_before: super::Page, serial_before: u64) {
        if self.page != page_before && self.messages.serial == serial_before {
            self.message = None;
            self.messages.deadline = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_stay_longer_up_to_a_limit() {
        assert_eq!(lifetime("Copied"), SHORT_LIFE);
        assert!(lifetime(&"x".repeat(120)) > SHORT_LIFE);
        assert_eq!(lifetime(&"x".repeat(100_000)), LONGEST_LIFE);
    }
}
