#!/usr/bin/env bash
# End-to-end: vidwiki inside a real tmux server copies a timestamp link with
# OSC 52, and tmux (set-clipboard on) puts it in its paste buffer.
#   bash tests/tmux_copy_e2e.sh        (skips when tmux is absent)
# It polls the screen with short waits, so it is a script to run by hand or
# in a pipeline, not part of `cargo test`.
source "$(dirname "$0")/tmux_common.sh"

cargo build --release --quiet
binary="$PWD/target/release/vidwiki"

# Fails unless tmux's paste buffer holds exactly the given text.
expect_buffer() {
  local buffer
  buffer=$(tmux_ show-buffer)
  if [ "$buffer" != "$1" ]; then
    echo "FAIL: tmux buffer holds '$buffer', expected '$1'"
    exit 1
  fi
}

# set-clipboard is on before vidwiki starts (it asks tmux once, at start).
tmux_ start-server \; set -s set-clipboard on \; new-session -d -s e2e -x 120 -y 40 \
  "$binary --vault '$PWD/notes' --open publicprivate_partnerships_in_technology_and_innovation"
wait_for "Publicprivate partnerships in technology and innovation"

# The link cursor stops on the From link, the video link, then the first timestamp.
tmux_ send-keys -t e2e n n n y
wait_for "Copied https://youtu.be/HrwPuLTdHag?t=317"
expect_buffer "https://youtu.be/HrwPuLTdHag?t=317"

# Y copies the same moment as a Markdown link.
tmux_ send-keys -t e2e Y
wait_for "Copied [Publicprivate"
expect_buffer "[Publicprivate partnerships in technology and innovation @ 05:17](https://youtu.be/HrwPuLTdHag?t=317)"

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
