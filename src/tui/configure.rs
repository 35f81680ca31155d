//! The config's values handed to the app when the browser starts: keys,
//! copy format, pane widths, hyperlinks and the theme.

use super::Start;
use crate::app::App;

/// Hands the config's values to the app. `NO_COLOR` and `--color never`
/// win over any theme; `auto` asks the terminal (see [`super::background`]).
pub(super) fn configure(app: &mut App, start: &Start) {
    let config = &start.config;
    let theme = choose_theme(start.no_color, &config.theme, super::background::is_light);
    app.keymap = config.keymap.clone();
    app.copy_format = config.copy.clone();
    app.pane_widths = config.panes;
    app.hyperlinks = config
        .hyperlinks
        .enabled(&|name: &str| std::env::var(name).ok());
    app.set_theme(theme);
    app.fulltext_dir.clone_from(&start.index_cache);
}

/// The palette to draw with: none at all under `NO_COLOR` or `--color
/// never`, whatever the theme; for `auto`, light only when `is_light` (the
/// terminal's answer, asked only then) says so.
fn choose_theme(
    no_color: bool,
    choice: &crate::config::ThemeChoice,
    is_light: impl FnOnce() -> Option<bool>,
) -> crate::theme::Theme {
    if no_color {
        return crate::theme::Theme::no_color();
    }
    match choice {
        crate::config::ThemeChoice::Fixed(theme) => (**theme).clone(),
        crate::config::ThemeChoice::Auto => match is_light() {
            Some(true) => crate::themes::light(),
            _ => crate::theme::Theme::dark(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_wins_over_every_theme_and_auto_falls_back_to_dark() {
        use crate::{config::ThemeChoice, theme::Theme, themes};
        let light = ThemeChoice::Fixed(Box::new(themes::light()));
        let never = || -> Option<bool> { panic!("the terminal is not asked") };
        assert_eq!(choose_theme(true, &light, never), Theme::no_color());
        assert_eq!(
            choose_theme(true, &ThemeChoice::Auto, never),
            Theme::no_color()
        );
        assert_eq!(choose_theme(false, &light, never), themes::light());
        assert_eq!(
            choose_theme(false, &ThemeChoice::Auto, || Some(true)),
            themes::light()
        );
        assert_eq!(
            choose_theme(false, &ThemeChoice::Auto, || Some(false)),
            Theme::dark()
        );
        assert_eq!(
            choose_theme(false, &ThemeChoice::Auto, || None),
            Theme::dark()
        );
    }
}
