#!/usr/bin/env bash
# End-to-end: the terminal is restored when the browser panics (and the
# message is printed after the restore), when it gets a fatal signal
# (TERM, INT, QUIT, ALRM, HUP, USR1), and while it is suspended (Ctrl-Z or
# SIGTSTP); after `fg` it takes the terminal again and redraws.
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

passed=1

# 2. Fatal signals while browsing: the browser leaves, the terminal is as
#    the shell needs it (main screen, cursor, no mouse, canonical + echo).
for signal in TERM INT QUIT ALRM HUP USR1; do
  # The check runs as a command of its own: bash drops the rest of a
  # command line whose program died of SIGINT (as after Ctrl-C).
  tmux_ send-keys -t e2e "clear; target/release/vidwiki notes" Enter
  wait_for "Outline"
  assert_browsing "before SIG$signal"
  pid=$(tmux_ list-panes -t e2e -F '#{pane_pid}')
  pkill -"$signal" -P "$pid" -x vidwiki
  wait_gone vidwiki
  tmux_ send-keys -t e2e "$(tty_modes "$signal"); echo after-\$((1+1))-$signal" Enter
  wait_for "after-2-$signal"
  assert_restored "after SIG$signal" "$signal"
  passed=$((passed + 1))
done

# 3. Suspend with Ctrl-Z (a key in raw mode) and with SIGTSTP from outside:
#    the shell gets a restored terminal; `fg` gives the browser raw mode,
#    the alternate screen and mouse back, and a redrawn screen.
for how in key signal; do
  tmux_ send-keys -t e2e "clear; target/release/vidwiki notes" Enter
  wait_for "Outline"
  pid=$(tmux_ list-panes -t e2e -F '#{pane_pid}')
  if [[ $how == key ]]; then
    tmux_ send-keys -t e2e C-z
  else
    pkill -TSTP -P "$pid" -x vidwiki
  fi
  wait_for "Stopped"
  tmux_ send-keys -t e2e "clear; $(tty_modes "stopped-$how"); echo shell-\$((2+2))-usable" Enter
  wait_for "shell-4-usable"
  assert_restored "suspended by $how" "stopped-$how"
  tmux_ send-keys -t e2e "fg" Enter
  wait_for "Outline"
  assert_browsing "after fg ($how)"
  # The screen was redrawn, not left with the shell's lines on it.
  if tmux_ capture-pane -p -t e2e | grep -qF "shell-4-usable"; then
    echo "FAIL: the screen was not redrawn after fg ($how)"
    tmux_ capture-pane -p -t e2e
    exit 1
  fi
  tmux_ send-keys -t e2e q
  wait_gone vidwiki
  # (bash does not go on with a command line whose job was stopped.)
  tmux_ send-keys -t e2e "$(tty_modes "quit-$how"); echo after-\$((1+1))-quit-$how" Enter
  wait_for "after-2-quit-$how"
  assert_restored "quit after fg ($how)" "quit-$how"
  passed=$((passed + 1))
done

echo "$passed passed, 0 failed: terminal restore end-to-end"
