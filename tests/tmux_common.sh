# Shared by the tmux end-to-end scripts (sourced, not run): a private tmux
# server, cleaned up on exit, and a wait for text on its screen.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
  echo "skipped: tmux is not installed"
  exit 0
fi

socket="vidwiki-e2e-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() { tmux_ kill-server >/dev/null 2>&1 || true; }
trap cleanup EXIT

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
