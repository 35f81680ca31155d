#!/usr/bin/env bash
# Regenerates docs/screenshot.svg: the browser on the sample vault (notes/),
# run for real in a detached tmux at 120x40, captured with its colours
# (`capture-pane -e`) and turned into SVG by examples/ansi_to_svg.rs.
#
# Usage: scripts/screenshot.sh [OUTPUT.svg]
# VIDWIKI_BIN=path/to/vidwiki uses that binary instead of the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshot.svg}
bin=${VIDWIKI_BIN:-target/release/vidwiki}
if [ -z "${VIDWIKI_BIN:-}" ]; then
    cargo build --release --quiet
fi
command -v tmux >/dev/null || { echo "screenshot.sh: tmux is needed" >&2; exit 1; }

work=$(mktemp -d)
socket="vidwiki-shot-$$"
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A config, state and cache of its own: the picture shows the defaults,
# never the user's settings or last note.
tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 \
    "env TERM=xterm-256color VIDWIKI_CONFIG= XDG_CONFIG_HOME=$work/config \
     VIDWIKI_STATE_DIR=$work/state VIDWIKI_CACHE_DIR=$work/cache NO_COLOR= \
     $(printf %q "$bin") --open 'Public sector innovation' notes"
tmux -L "$socket" set -g status off

capture() { tmux -L "$socket" capture-pane -p -e -t 0; }
wait_for() {
    for _ in $(seq 100); do
        if capture | grep -q "$1"; then return 0; fi
        sleep 0.1
    done
    echo "screenshot.sh: the browser never showed '$1'" >&2
    capture >&2
    exit 1
}

wait_for "public_sector_innovation.md"
# Put the link cursor on the first link and show the note's backlinks.
tmux -L "$socket" send-keys -t 0 n
tmux -L "$socket" send-keys -t 0 b
sleep 0.5
capture > "$work/screen.ans"
cargo run --quiet --example ansi_to_svg < "$work/screen.ans" > "$out"
echo "wrote $out"
