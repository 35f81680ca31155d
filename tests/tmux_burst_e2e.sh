#!/usr/bin/env bash
# End-to-end: a burst on disk (a folder of 300 notes renamed, as a git
# checkout does) reaches the running browser through the real watcher as
# one batch: the open note follows its folder to the new path at the same
# place, the status says so, keys keep working, and Back and the bookmark
# lead to the new path. Works on a COPY of the sample vault plus 300
# generated notes (vidwiki itself never writes to a vault). Runs the debug
# binary (VIDWIKI_BIN to use another).
#   bash tests/tmux_burst_e2e.sh        (skips when tmux is absent)
# It polls the screen with short waits, so it is a script to run by hand or
# in a pipeline, not part of `cargo test`.
source "$(dirname "$0")/tmux_common.sh"

bin=${VIDWIKI_BIN:-target/debug/vidwiki}
if [[ -z ${VIDWIKI_BIN:-} ]]; then
  cargo build --quiet --bin vidwiki
fi
bin=$(realpath "$bin")
work=$(mktemp -d)
trap 'cleanup; rm -rf "$work" "$VIDWIKI_CACHE_DIR" "$VIDWIKI_STATE_DIR"' EXIT
cp -r notes "$work/vault"
mkdir "$work/vault/old"
for i in $(seq -w 0 299); do
  printf '# Topic %s\n\n## Part\n\nLine one.\n\nLine two of %s.\n' "$i" "$i" >"$work/vault/old/n$i.md"
done

tmux_ new-session -d -s e2e -x 120 -y 40 "$bin --vault '$work/vault' --no-state --open old/n123.md"
wait_for "Line two of 123."
assert_browsing "before the burst"
# Bookmark it, then go to another note and back-able history.
tmux_ send-keys -t e2e m
wait_for "Bookmarked: Topic 123"
tmux_ send-keys -t e2e C-p
tmux_ send-keys -t e2e -l "Topic 200"
wait_for "Topic 200"
tmux_ send-keys -t e2e Enter
wait_for "Line two of 200."

mv "$work/vault/old" "$work/vault/new"
wait_for "moved to new/n200.md"
assert_browsing "after the burst"
screen=$(tmux_ capture-pane -p -t e2e)
if grep -qF "removed or renamed" <<<"$screen"; then
  echo "FAIL: the open note did not follow its folder"; echo "$screen"; exit 1
fi
# Back leads to the renamed note at its new path, not to a removed page.
tmux_ send-keys -t e2e BSpace
wait_for "Line two of 123."
screen=$(tmux_ capture-pane -p -t e2e)
if grep -qF "removed or renamed" <<<"$screen"; then
  echo "FAIL: Back led to the removed page"; echo "$screen"; exit 1
fi
tmux_ send-keys -t e2e q
echo "PASS: tmux_burst_e2e (the open note and history followed a renamed folder of 300 notes)"
