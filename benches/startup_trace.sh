#!/usr/bin/env bash
# Start-up milestones of the real browser on a vault, measured by the app
# itself (VIDWIKI_TRACE): first frame, every title in the picker, fully
# indexed, peak memory; walked_ms (the walk's paths taken in) and outline_ms
# (the first frame showing the outline's folders and names). After each run,
# walk_floor_ms: listing every note file (find), the floor outline_ms is
# compared with; read_floor_ms: reading every note file (2 processes, cat), the floor the
# full index is compared with in the same run. Runs vidwiki in a detached tmux session, waits until
# loading is over, quits, and prints one line per run.
# The index cache lives in a fresh temporary folder: the first run is a cold
# start (it fills the cache), the others warm restarts. NO_CACHE=1 runs
# every start with --no-cache.
#   [BINARY=path] [NO_CACHE=1] bash benches/startup_trace.sh VAULT [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
vault=$(realpath "${1:?give a vault folder}")
runs=${2:-5}
command -v tmux >/dev/null || { echo "tmux is needed"; exit 1; }
# BINARY=path measures another build (e.g. the one before a change).
binary=${BINARY:-}
if [ -z "$binary" ]; then
  cargo build --release --quiet
  binary="$PWD/target/release/vidwiki"
fi
socket="vidwiki-trace-$$"
trace=$(mktemp)
cache=$(mktemp -d)
flags=""
[ -n "${NO_CACHE:-}" ] && flags="--no-cache"
trap 'tmux -L "$socket" kill-server >/dev/null 2>&1 || true; rm -f "$trace"; rm -rf "$cache"' EXIT
for run in $(seq "$runs"); do
  rm -f "$trace"
  tmux -L "$socket" -f /dev/null new-session -d -s t -x 120 -y 40 \
    "VIDWIKI_CACHE_DIR='$cache' VIDWIKI_TRACE='$trace' '$binary' $flags '$vault'"
  # Loading shows a progress bar (▰▱) in the status line until it is over.
  # Under load the first frames may come before it: wait for it to show
  # (a warm start may be over before it ever does), then to go.
  for _ in $(seq 20); do
    sleep 0.1
    tmux -L "$socket" capture-pane -p -t t | grep -q "▱\|▰\|Reading the vault" && break
  done
  for _ in $(seq 300); do
    sleep 0.1
    tmux -L "$socket" capture-pane -p -t t | grep -q "▱\|▰\|Reading the vault" || break
  done
  tmux -L "$socket" send-keys -t t q
  for _ in $(seq 50); do [ -s "$trace" ] && break; sleep 0.1; done
  if [ -n "$flags" ]; then echo -n "no-cache "; elif [ "$run" = 1 ]; then echo -n "cold "; else echo -n "warm "; fi
  tr '\n' ' ' < "$trace"
  start_ns=$(date +%s%N)
  find "$vault" -name '*.md' > /dev/null
  echo -n "walk_floor_ms=$(( ($(date +%s%N) - start_ns) / 1000000 )) "
  start_ns=$(date +%s%N)
  find "$vault" -name '*.md' -type f -print0 | xargs -0 -P 2 -n 500 cat > /dev/null
  echo "read_floor_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))"
  tmux -L "$socket" kill-server >/dev/null 2>&1 || true
done
