//! A browser that panics on its UI thread right after taking over the
//! terminal (its loader panics as it is started), for
//! `tests/tmux_restore_e2e.sh`: the terminal must come back, and the panic
//! message must be printed after it has.
fn main() {
    let times = vidwiki::vault::TimeOptions::default();
    let _ = vidwiki::tui::run_with_loader(
        "notes".into(),
        None,
        times,
        vidwiki::tui::Start {
            home: false,
            no_state: true,
            no_color: false,
            ..Default::default()
        },
        |_root, _send| -> () {
            panic!("deliberate panic inside the browser");
        },
    );
}
