#!/usr/bin/env bash
# Start-up milestones of the real browser on a vault, measured by the app
# itself (VIDWIKI_TRACE): first frame, every title in the picker, fully
# indexed, peak memory; walk_ended_ms (the loader's walk over: its count
# sent), paths_sent_ms (its notes and folder tree made ready on the loader's
# thread and sent), gate_passed_ms (the loader past its wait for the
# outline), walked_ms (swapped in by the UI thread); on a warm start the
# cache serves there is no walk's paths, and heads_ready_ms (the heads
# opened) and heads_sent_ms (their picker items built, sent) come
# instead (tree_ms is then the first frame with the heads' tree); on a
# cold start they are the vault parsed and finished on the loader's
# thread reaching its sender, and its picker items built, sent;
# outline_ms (the first frame showing the outline's folders: the vault's
# first level, listed before the walk is over, so it is first_frame_ms) and
# tree_ms (the first frame with the walk's whole tree). After each run,
# walk_floor_ms: listing every note file (find), the floor outline_ms is
# compared with; read_floor_ms: reading every note file (2 processes, cat), the floor the
# full index is compared with in the same run. Runs vidwiki in a detached tmux session, waits until
# loading is over, quits, and prints one line per run.
# The index cache and the saved state live in fresh temporary folders
# (never the user's): the first run is a cold
# start (it fills the cache), the others warm restarts. NO_CACHE=1 runs
# every start with --no-cache.
# outline_seen_ms: from starting the browser to the vault's first folder
# name on the tmux screen (polled, so a few ms late), the same measure as
# basalt_tree_ms: with BASALT=path (basalt, the peer), after each run basalt
# opens the same vault (an obsidian.json naming it, in a temporary
# OBSIDIAN_CONFIG_DIR) and the time from choosing the vault (Enter in its
# vault list) to the first folder name of its tree is printed.
# PRIME=1 fills the cache first with `vidwiki check` (which also saves the
# resolved index, as every command does): then every run is a warm restart
# that takes the links, backlinks and tree from the cache.
#   [BINARY=path] [NO_CACHE=1] [PRIME=1] [BASALT=path] bash benches/startup_trace.sh VAULT [RUNS]
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
state=$(mktemp -d)
flags=""
[ -n "${NO_CACHE:-}" ] && flags="--no-cache"
basalt=${BASALT:-}
obsidian=$(mktemp -d)
printf '{"vaults":{"a1b2c3d4e5f6a7b8":{"path":"%s","ts":1700000000000,"open":true}}}\n' "$vault" > "$obsidian/obsidian.json"
# The folder both outlines show first (hidden ones are skipped). Read to
# the end (`sed`, not `head`): with pipefail, `sort` cut off by `head` on a
# vault of many folders failed the script without a word.
first_folder=$(find "$vault" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | LC_ALL=C sort | sed -n 1p)
trap 'tmux -L "$socket" kill-server >/dev/null 2>&1 || true; rm -f "$trace"; rm -rf "$cache" "$state" "$obsidian"' EXIT
# Ends the tmux server and lets it go: a session started at once on the
# same socket could meet the dying server ("server exited unexpectedly").
stop_tmux() {
  tmux -L "$socket" kill-server >/dev/null 2>&1 || true
  sleep 0.3
}
# Milliseconds from $1 (date +%s%N) until the pane shows $2 (at most 10 s).
seen_after() {
  local from=$1 text=$2
  for _ in $(seq 5000); do
    if tmux -L "$socket" capture-pane -p -t t | grep -qF -- "$text"; then
      echo $(( ($(date +%s%N) - from) / 1000000 ))
      return
    fi
    [ $(( ($(date +%s%N) - from) / 1000000 )) -gt 10000 ] && break
  done
  echo "-"
}
if [ -n "${PRIME:-}" ]; then
  VIDWIKI_CACHE_DIR="$cache" VIDWIKI_STATE_DIR="$state" "$binary" --vault "$vault" check > /dev/null 2>&1 || true
fi
for run in $(seq "$runs"); do
  rm -f "$trace"
  launched=$(date +%s%N)
  tmux -L "$socket" -f /dev/null new-session -d -s t -x 120 -y 40 \
    "VIDWIKI_CACHE_DIR='$cache' VIDWIKI_STATE_DIR='$state' VIDWIKI_TRACE='$trace' '$binary' $flags '$vault'"
  seen=$(seen_after "$launched" "$first_folder")
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
  if [ -n "$flags" ]; then echo -n "no-cache "; elif [ "$run" = 1 ] && [ -z "${PRIME:-}" ]; then echo -n "cold "; else echo -n "warm "; fi
  tr '\n' ' ' < "$trace"
  echo -n "outline_seen_ms=$seen "
  start_ns=$(date +%s%N)
  find "$vault" -name '*.md' > /dev/null
  echo -n "walk_floor_ms=$(( ($(date +%s%N) - start_ns) / 1000000 )) "
  start_ns=$(date +%s%N)
  find "$vault" -name '*.md' -type f -print0 | xargs -0 -P 2 -n 500 cat > /dev/null
  echo -n "read_floor_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))"
  stop_tmux
  if [ -n "$basalt" ]; then
    tmux -L "$socket" -f /dev/null new-session -d -s t -x 120 -y 40 \
      "OBSIDIAN_CONFIG_DIR='$obsidian' '$basalt'"
    seen_after "$(date +%s%N)" "Vaults" > /dev/null
    chosen=$(date +%s%N)
    tmux -L "$socket" send-keys -t t Enter
    echo -n " basalt_tree_ms=$(seen_after "$chosen" "$first_folder")"
    stop_tmux
  fi
  echo
done
