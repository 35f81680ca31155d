# Shared by the tmux end-to-end scripts (sourced, not run): a private tmux
# server, cleaned up on exit, and a wait for text on its screen.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
  echo "skipped: tmux is not installed"
  exit 0
fi

socket="vidwiki-e2e-$$"
# The browser's index cache goes to a folder of its own, never the user's.
VIDWIKI_CACHE_DIR="$(mktemp -d)"
export VIDWIKI_CACHE_DIR
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
# Stops the server; scripts call it between sessions too, so the run's
# folders are removed only on exit.
cleanup() { tmux_ kill-server >/dev/null 2>&1 || true; }
# Saved state goes to a folder of the run's own, never the user's.
VIDWIKI_STATE_DIR=$(mktemp -d)
export VIDWIKI_STATE_DIR
trap 'cleanup; rm -rf "$VIDWIKI_CACHE_DIR" "$VIDWIKI_STATE_DIR"' EXIT

# Waits (at most ~10 s) until the pane `e2e` shows the given text.
wait_for() {
  for _ in $(seq 100); do
    if tmux_ capture-pane -p -t e2e | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: the screen never showed: $1"
  tmux_ capture-pane -p -t e2e
  exit 1
}

# A command for the pane that prints `modes-LABEL: icanon echo` when the
# line discipline is back to canonical input with echo (run it in the pane,
# where bash's line editor is not active, so it sees the program's leftovers).
tty_modes() {
  echo "echo modes-$1: \$(stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' ')"
}

# Fails unless the pane is back in the state the shell needs: the main
# screen, a visible cursor and no mouse reporting; and, when the pane ran
# `tty_modes LABEL`, canonical input with echo.
assert_restored() {
  local state
  state=$(tmux_ display-message -p -t e2e \
    '#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_sgr_flag}')
  if [[ "$state" != "0 1 0 0 0 0" ]]; then
    echo "FAIL ($1): alternate/cursor/mouse flags = '$state' (want '0 1 0 0 0 0')"
    tmux_ capture-pane -p -t e2e
    exit 1
  fi
  if [[ $# -gt 1 ]] && ! tmux_ capture-pane -p -t e2e | grep -qxF -- "modes-$2: icanon echo"; then
    echo "FAIL ($1): the terminal was left without canonical input and echo"
    tmux_ capture-pane -p -t e2e
    exit 1
  fi
}

# Fails unless the browser holds the pane: alternate screen, mouse
# reporting, raw input (no canonical mode, no echo).
assert_browsing() {
  local state modes
  state=$(tmux_ display-message -p -t e2e '#{alternate_on} #{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}')
  modes=$(stty -a -F "$(tmux_ display-message -p -t e2e '#{pane_tty}')" | tr ' ' '\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' ')
  if [[ "$state" == 0* || "$state" == *" 000" || "$modes" != "-icanon -echo " ]]; then
    echo "FAIL ($1): alternate/mouse flags = '$state', tty = '$modes'"
    tmux_ capture-pane -p -t e2e
    exit 1
  fi
}

# Waits (at most ~10 s) until the pane's shell has no child called $1.
wait_gone() {
  local pid
  pid=$(tmux_ list-panes -t e2e -F '#{pane_pid}')
  for _ in $(seq 100); do
    if ! pgrep -P "$pid" -x "$1" >/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: $1 is still running"
  tmux_ capture-pane -p -t e2e
  exit 1
}
