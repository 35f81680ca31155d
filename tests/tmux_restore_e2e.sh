#!/usr/bin/env bash
# End-to-end: the terminal is restored when the browser panics (and the
# message is printed after the restore), and when it gets SIGTERM.
#   bash tests/tmux_restore_e2e.sh        (skips when tmux is absent)
# It polls the screen with short waits, so it is a script to run by hand or
# in a pipeline, not part of `cargo test`.
source "$(dirname "$0")/tmux_common.sh"

cargo build --release --quiet --bin vidwiki --example panic_restore

tmux_ new-session -d -s e2e -x 100 -y 30 "bash --norc --noprofile"
tmux_ send-keys -t e2e "cd '$PWD' && PS1='$ ' && clear" Enter

# 1. A panic: the message comes after the restore, and the line discipline
#    is back to canonical mode (`stty` shows `icanon`, not `-icanon`).
tmux_ send-keys -t e2e "RUST_BACKTRACE=0 target/release/examples/panic_restore; stty -a | grep -o -- ' -*icanon' | head -1; echo after-\$((1+1))-panic" Enter
wait_for "after-2-panic"
screen=$(tmux_ capture-pane -p -t e2e)
grep -q "deliberate panic inside the browser" <<<"$screen" || { echo "FAIL: no panic message"; echo "$screen"; exit 1; }
grep -q -- " icanon" <<<"$screen" || { echo "FAIL: terminal left in raw mode"; echo "$screen"; exit 1; }

# 2. SIGTERM while browsing: the browser leaves and the shell is usable.
tmux_ send-keys -t e2e "clear; target/release/vidwiki notes; stty -a | grep -o -- ' -*icanon' | head -1; echo after-\$((1+1))-term" Enter
wait_for "Outline"
pid=$(tmux_ list-panes -t e2e -F '#{pane_pid}')
pkill -TERM -P "$pid" -x vidwiki
wait_for "after-2-term"
screen=$(tmux_ capture-pane -p -t e2e)
grep -q -- " icanon" <<<"$screen" || { echo "FAIL: terminal left in raw mode after SIGTERM"; echo "$screen"; exit 1; }

echo "2 passed, 0 failed: terminal restore end-to-end"
