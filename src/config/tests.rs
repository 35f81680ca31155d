use std::path::{Path, PathBuf};

use super::{load::parse, *};
use crate::app::{
    Action,
    keymap::{Context, Key},
};

fn read(text: &str) -> Result<Config, ConfigError> {
    parse(
        text,
        Path::new("/cfg/config.toml"),
        Path::new("/nonexistent/themes"),
    )
}

/// The line and message of the error `text` gives.
fn error(text: &str) -> (usize, String) {
    let error = read(text).unwrap_err();
    assert_eq!(error.path, PathBuf::from("/cfg/config.toml"));
    (error.at.expect("a position").0, error.message)
}

/// Two configs alike but for where their values came from.
fn same_values(a: &Config, b: &Config) {
    assert_eq!(a.vault, b.vault);
    assert_eq!(a.theme, b.theme);
    assert_eq!(a.theme_name, b.theme_name);
    assert_eq!(a.start, b.start);
    assert_eq!(a.hyperlinks, b.hyperlinks);
    assert_eq!(a.literal_times, b.literal_times);
    assert_eq!(a.clipboard, b.clipboard);
    assert_eq!(a.copy, b.copy);
    assert_eq!(a.panes, b.panes);
    assert_eq!(a.keymap, b.keymap);
}

#[test]
fn an_empty_file_is_the_defaults() {
    same_values(&read("").unwrap(), &Config::default());
    assert_eq!(Config::default().theme, ThemeChoice::Fixed(Box::default()));
    assert_eq!(Config::default().copy, crate::app::CopyFormat::default());
    assert_eq!(
        Config::default().keymap,
        crate::app::keymap::Keymap::default()
    );
}

#[test]
fn the_default_file_parses_back_to_the_defaults() {
    let config = read(&reference::default_file()).unwrap();
    same_values(&config, &Config::default());
}

#[test]
fn a_full_file_sets_every_value() {
    let config = read(
        r#"
vault = "/notes"
theme = "light"
start = "home"
literal_times = true
clipboard = ["wl-copy", "--trim-newline"]

[copy]
link = "long"
markdown = "{title} ({time}): {url}"

[panes]
outline_width = 30
links_width = 40

[keys.global]
quit = ["x", "Ctrl-q"]
"#,
    )
    .unwrap();
    assert_eq!(config.vault, Some(PathBuf::from("/notes")));
    assert_eq!(
        config.theme,
        ThemeChoice::Fixed(Box::new(crate::themes::light()))
    );
    assert_eq!(config.start, StartOn::Home);
    assert!(config.literal_times);
    assert_eq!(
        config.clipboard,
        ClipboardChoice::Command(vec!["wl-copy".into(), "--trim-newline".into()])
    );
    assert!(config.copy.long_links);
    assert_eq!(config.copy.markdown(" T ", "1:02", "U"), " T  (1:02): U");
    assert_eq!(config.panes.outline, Some(30));
    assert_eq!(config.panes.links, Some(40));
    assert_eq!(
        config.keymap.lookup(Context::Note, Key::ch('x')),
        Some(Action::Quit)
    );
    assert_eq!(
        config.origin("theme"),
        Origin::File("/cfg/config.toml".into())
    );
    assert_eq!(config.rebindings[0].0, "global");
}

#[test]
fn a_partial_file_keeps_the_other_defaults() {
    let config = read("[copy]\nlink = \"long\"\n").unwrap();
    assert!(config.copy.long_links);
    assert_eq!(config.copy.markdown, crate::app::DEFAULT_MARKDOWN);
    assert_eq!(config.theme_name, "dark");
    assert_eq!(config.origin("theme"), Origin::Default);
    assert_eq!(
        config.origin("copy.link"),
        Origin::File("/cfg/config.toml".into())
    );
    assert_eq!(config.keymap, crate::app::keymap::Keymap::default());
}

#[test]
fn flags_win_over_the_file() {
    let mut config = read("start = \"last-note\"\nvault = \"/a\"\n").unwrap();
    config.apply(&Overrides {
        home: true,
        literal_times: true,
        vault: Some(("/b".into(), Origin::Env("VIDWIKI_VAULT"))),
    });
    assert_eq!(config.start, StartOn::Home);
    assert_eq!(config.origin("start"), Origin::Flag("--home"));
    assert!(config.literal_times);
    assert_eq!(config.vault, Some(PathBuf::from("/b")));
    assert_eq!(config.origin("vault"), Origin::Env("VIDWIKI_VAULT"));
}

#[test]
fn each_kind_of_broken_file_names_its_line() {
    let (line, message) = error("theme = \"dark\"\nstart = \n");
    assert_eq!(line, 2, "bad TOML: {message}");
    let (line, message) = error("theme = \"dark\"\n\ncolour = \"red\"\n");
    assert_eq!(line, 3);
    assert!(message.contains("unknown field `colour`"), "{message}");
    let (line, message) = error("[copy]\nlinks = \"long\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("unknown field `links`"), "{message}");
    let (line, message) = error("\nliteral_times = \"yes\"\n");
    assert_eq!(line, 2, "wrong type: {message}");
    let (line, message) = error("\n\n[panes]\noutline_width = -3\n");
    assert_eq!(line, 4, "wrong type: {message}");
    let (line, message) = error("start = \"middle\"\n");
    assert_eq!(line, 1);
    assert!(message.contains("middle"), "{message}");
    let (line, message) = error("[keys.note]\nfind_start = \"/\"\nfly = \"f\"\n");
    assert_eq!(line, 3);
    assert!(message.contains("unknown action `fly`"), "{message}");
    let (line, message) = error("[keys.note]\n\nfind_start = \"Hyper-f\"\n");
    assert_eq!(line, 3);
    assert!(message.contains("unknown key name `Hyper-f`"), "{message}");
    let (line, message) = error("[keys.nowhere]\nquit = \"x\"\n");
    assert_eq!(line, 1);
    assert!(message.contains("[keys.nowhere]"), "{message}");
    let (line, message) = error("[keys.note]\nedit = \"e\"\nfind_start = \"n\"\n");
    assert_eq!(line, 3, "conflict: {message}");
    assert!(
        message.contains("`next_target`") && message.contains("`find_start`"),
        "{message}"
    );
    let (line, message) = error("\ntheme = \"sepia\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("unknown theme `sepia`"), "{message}");
    let (line, message) = error("clipboard = \"xclip\"\n");
    assert_eq!(line, 1);
    assert!(message.contains("clipboard is"), "{message}");
    let (line, message) = error("[copy]\nmarkdown = \"{title}\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("{url}"), "{message}");
    let (line, _) = error("[panes]\nlinks_width = 5\n");
    assert_eq!(line, 2);
}

#[test]
fn an_error_shows_no_control_character() {
    let error = read("theme = \"\\u001b[31mred\"\n").unwrap_err();
    let shown = error.to_string();
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
    assert!(shown.starts_with("/cfg/config.toml:1:"), "{shown}");
}

#[test]
fn a_user_theme_is_read_from_the_themes_folder() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    std::fs::create_dir(&themes).unwrap();
    std::fs::write(
        themes.join("mine.toml"),
        "base = \"dark\"\nlink = \"#ff8800\"\n",
    )
    .unwrap();
    std::fs::write(themes.join("bad.toml"), "link = \"cyan\"\nnope = \"red\"\n").unwrap();
    let config = parse(
        "theme = \"mine\"\n",
        &dir.path().join("config.toml"),
        &themes,
    )
    .unwrap();
    let ThemeChoice::Fixed(theme) = config.theme else {
        panic!("a fixed theme")
    };
    assert_eq!(
        theme.link.fg,
        Some(ratatui::style::Color::Rgb(0xff, 0x88, 0))
    );
    let error = parse(
        "theme = \"bad\"\n",
        &dir.path().join("config.toml"),
        &themes,
    )
    .unwrap_err();
    assert!(error.message.contains("bad.toml:2:1"), "{}", error.message);
    assert!(
        error.message.contains("unknown role `nope`"),
        "{}",
        error.message
    );
    let error = parse(
        "theme = \"../x\"\n",
        &dir.path().join("config.toml"),
        &themes,
    )
    .unwrap_err();
    assert!(error.message.contains("unknown theme"), "{}", error.message);
}

#[test]
fn the_file_is_found_by_flag_then_environment_then_xdg() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let both = env(&[("VIDWIKI_CONFIG", "/env.toml"), ("XDG_CONFIG_HOME", "/xdg")]);
    assert_eq!(
        locate(Some(Path::new("/flag.toml")), &both).unwrap().path,
        PathBuf::from("/flag.toml")
    );
    let found = locate(None, &both).unwrap();
    assert_eq!(found.path, PathBuf::from("/env.toml"));
    assert!(found.explicit);
    let found = locate(None, &env(&[("XDG_CONFIG_HOME", "/xdg")])).unwrap();
    assert_eq!(found.path, PathBuf::from("/xdg/vidwiki/config.toml"));
    assert!(!found.explicit);
}

#[test]
fn a_missing_file_is_defaults_only_where_nobody_named_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let implicit = Located {
        path: path.clone(),
        explicit: false,
    };
    assert!(load(Some(&implicit)).is_ok());
    let named = Located {
        path,
        explicit: true,
    };
    assert!(
        load(Some(&named))
            .unwrap_err()
            .message
            .contains("cannot read")
    );
}
