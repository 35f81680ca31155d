//! `theme = "auto"`: is the terminal's background light? Asked once at
//! start-up, before the first frame, and never for long.
//!
//! `COLORFGBG` (set by rxvt, Konsole and others) answers without asking.
//! Otherwise the terminal is asked with OSC 11 (`ESC ] 11 ; ? ESC \`); a
//! terminal that knows it answers `ESC ] 11 ; rgb:RRRR/GGGG/BBBB ESC \`.
//! crossterm reads that answer as keys (Alt-`]`, then the characters), so
//! they are collected here for at most [`WAIT`]. A terminal that does not
//! answer (the Linux console, some tmux set-ups) costs that wait, and the
//! theme falls back to dark. Over SSH nothing is asked: a late answer
//! would arrive as keystrokes.

use std::{
    io::Write,
    time::{Duration, Instant},
};

use crossterm::event::{self, Event, KeyCode, KeyModifiers};

/// The longest start-up may wait for the answer.
const WAIT: Duration = Duration::from_millis(100);

/// `Some(true)` for a light background, `Some(false)` for a dark one,
/// `None` when nobody said. Call with the terminal in raw mode.
pub fn is_light() -> Option<bool> {
    if let Some(light) = std::env::var("COLORFGBG")
        .ok()
        .and_then(|v| from_colorfgbg(&v))
    {
        return Some(light);
    }
    if std::env::var("TERM").is_ok_and(|t| t == "linux" || t == "dumb") {
        return None;
    }
    // Over SSH the answer may come after the wait, and would then be read
    // as keys (`1`, `r`, `b`…): better not to ask.
    if ["SSH_CONNECTION", "SSH_TTY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
    {
        return None;
    }
    let mut out = std::io::stdout();
    out.write_all(b"\x1b]11;?\x1b\\").ok()?;
    out.flush().ok()?;
    let deadline = Instant::now() + WAIT;
    let mut answer = String::new();
    let mut started = false;
    loop {
        // An answer that has begun is read to its end (a little longer),
        // so none of it is left to be taken for keys.
        let deadline = if started { deadline + WAIT } else { deadline };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || !event::poll(left).ok()? {
            return None;
        }
        let Ok(Event::Key(key)) = event::read() else {
            continue;
        };
        match (key.code, key.modifiers) {
            (KeyCode::Char(']'), KeyModifiers::ALT) => started = true,
            // ST (`ESC \`) or BEL ends the answer.
            (KeyCode::Char('\\'), KeyModifiers::ALT)
            | (KeyCode::Char('g'), KeyModifiers::CONTROL)
                if started =>
            {
                return from_osc11(&answer);
            }
            (KeyCode::Char(c), _) if started && answer.len() < 64 => answer.push(c),
            _ => {}
        }
    }
}

/// `COLORFGBG` is `fg;bg` (sometimes `fg;default;bg`) in ANSI colour
/// numbers: 7 and 15 are the light backgrounds.
fn from_colorfgbg(value: &str) -> Option<bool> {
    let bg: u8 = value.rsplit(';').next()?.parse().ok()?;
    Some(matches!(bg, 7 | 15))
}

/// `11;rgb:RRRR/GGGG/BBBB` (1 to 4 hex digits a channel): light when its
/// luminance is over half.
fn from_osc11(answer: &str) -> Option<bool> {
    let rgb = answer.strip_prefix("11;rgb:")?;
    let mut channels = rgb.split('/').map(|hex| {
        let value = u32::from_str_radix(hex, 16).ok()?;
        let max = (1u32 << (4 * u32::try_from(hex.len()).ok()?.clamp(1, 4))) - 1;
        Some(f64::from(value) / f64::from(max))
    });
    let (r, g, b) = (channels.next()??, channels.next()??, channels.next()??);
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backgrounds_are_read_from_colorfgbg_and_osc11_answers() {
        assert_eq!(from_colorfgbg("0;15"), Some(true));
        assert_eq!(from_colorfgbg("15;default;0"), Some(false));
        assert_eq!(from_colorfgbg("junk"), None);
        assert_eq!(from_osc11("11;rgb:ffff/ffff/ffff"), Some(true));
        assert_eq!(from_osc11("11;rgb:1e1e/1e1e/1e1e"), Some(false));
        assert_eq!(from_osc11("11;rgb:fd/f6/e3"), Some(true));
        assert_eq!(from_osc11("11;rgba:0/0/0/0"), None);
        assert_eq!(from_osc11("11;rgb:zz/00/00"), None);
    }
}
