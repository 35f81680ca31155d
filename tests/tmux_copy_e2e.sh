#!/usr/bin/env bash
# End-to-end: vidwiki inside a real tmux server copies a timestamp link with
# OSC 52, and tmux (set-clipboard on) puts it in its paste buffer.
#   bash tests/tmux_copy_e2e.sh        (skips when tmux is absent)
# It polls the screen with short waits, so it is a script to run by hand or
# in a pipeline, not part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
  echo "skipped: tmux is not installed"
  exit 0
fi

cargo build --release --quiet
binary="$PWD/target/release/vidwiki"
socket="vidwiki-e2e-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() { tmux_ kill-server >/dev/null 2>&1 || true; }
trap cleanup EXIT

# Waits (at most ~10 s) until the pane shows the given text.
wait_for() {
  for _ in $(seq 100); do
    if tmux_ capture-pane -p -t e2e | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: the screen never showed: $1"
  tmux_ capture-pane -p -t e2e
  exit 1
}

# set-clipboard is on before vidwiki starts (it asks tmux once, at start).
tmux_ start-server \; set -s set-clipboard on \; new-session -d -s e2e -x 120 -y 40 \
  "$binary --vault '$PWD/notes' --open publicprivate_partnerships_in_technology_and_innovation"
wait_for "Publicprivate partnerships in technology and innovation"

# The link cursor stops on the From link, the video link, then the first timestamp.
tmux_ send-keys -t e2e n n n y
wait_for "Copied https://youtu.be/HrwPuLTdHag?t=317"
buffer=$(tmux_ show-buffer)
expected="https://youtu.be/HrwPuLTdHag?t=317"
if [ "$buffer" != "$expected" ]; then
  echo "FAIL: tmux buffer holds '$buffer', expected '$expected'"
  exit 1
fi

# Y copies the same moment as a Markdown link.
tmux_ send-keys -t e2e Y
wait_for "Copied [Publicprivate"
buffer=$(tmux_ show-buffer)
expected="[Publicprivate partnerships in technology and innovation @ 05:17](https://youtu.be/HrwPuLTdHag?t=317)"
if [ "$buffer" != "$expected" ]; then
  echo "FAIL: tmux buffer holds '$buffer', expected '$expected'"
  exit 1
fi

tmux_ send-keys -t e2e q
cleanup

# With set-clipboard off, tmux drops OSC 52: vidwiki says how to fix it.
tmux_ start-server \; set -s set-clipboard off \; new-session -d -s e2e -x 120 -y 40 \
  "$binary --vault '$PWD/notes' --open publicprivate_partnerships_in_technology_and_innovation"
wait_for "Publicprivate partnerships in technology and innovation"
tmux_ send-keys -t e2e n n n y
wait_for "set -s set-clipboard on"
tmux_ send-keys -t e2e q
echo "2 passed, 0 failed: tmux copy end-to-end"
