#!/usr/bin/env bash
# End-to-end: find in the note (`/`) matches a phrase across a soft wrap
# and highlights every row it covers; full-text search (Ctrl-F) finds a
# note by words on different lines and opens it at the match. Runs the
# debug binary (VIDWIKI_BIN to use another) on the sample vault notes/.
#   bash tests/tmux_find_e2e.sh        (skips when tmux is absent)
# It polls the screen with short waits, so it is a script to run by hand or
# in a pipeline, not part of `cargo test`.
source "$(dirname "$0")/tmux_common.sh"

bin=${VIDWIKI_BIN:-target/debug/vidwiki}
if [[ -z ${VIDWIKI_BIN:-} ]]; then
  cargo build --quiet --bin vidwiki
fi

# Rows of the pane drawn in the current match's style (background
# LightRed: tmux writes it as 48;5;9).
current_rows() {
  tmux_ capture-pane -e -p -t e2e | grep -c '48;5;9m' || true
}

tmux_ new-session -d -s e2e -x 100 -y 30 "bash --norc --noprofile"
tmux_ send-keys -t e2e "cd '$PWD' && PS1='$ ' && clear" Enter
tmux_ send-keys -t e2e "$bin notes --no-state --no-cache --open data_carbon_ladder" Enter
wait_for "Reactive versus proactive"
passed=0

# 1. `/` with a phrase longer than the note pane is wide: it is found
#    across the wrap, and its cells are highlighted on every row.
phrase="instead of only cleaning up data after the fact, it follows data from the moment"
tmux_ send-keys -t e2e "/" 
tmux_ send-keys -t e2e -l "$phrase"
wait_for "1/1"
tmux_ send-keys -t e2e Enter
rows=$(current_rows)
if (( rows < 2 )); then
  echo "FAIL: the match across the wrap is highlighted on $rows row(s)"
  tmux_ capture-pane -p -t e2e
  exit 1
fi
if tmux_ capture-pane -p -t e2e | grep -qF "Not found"; then
  echo "FAIL: the phrase across the wrap was not found"
  tmux_ capture-pane -p -t e2e
  exit 1
fi
passed=$((passed + 1))

# 2. A link written as a file name reads (and is found) as its note's title.
tmux_ send-keys -t e2e Escape
tmux_ send-keys -t e2e "/"
tmux_ send-keys -t e2e -l "talk on digital"
wait_for "1/1"
tmux_ send-keys -t e2e Escape
passed=$((passed + 1))

# 3. Ctrl-F: words on different lines of one note (an AND), grouped under
#    the note with a count; Enter opens it at the match.
tmux_ send-keys -t e2e C-f
tmux_ send-keys -t e2e -l "rungs upstream"
wait_for "Data carbon ladder"
wait_for "2 lines"
tmux_ send-keys -t e2e Down Enter
wait_for "Rungs of the ladder"
if (( $(tmux_ capture-pane -e -p -t e2e | grep -c '48;5;9m\|48;5;3m' || true) < 1 )); then
  echo "FAIL: the opened note does not highlight the match"
  tmux_ capture-pane -p -t e2e
  exit 1
fi
passed=$((passed + 1))

tmux_ send-keys -t e2e q
wait_gone vidwiki
echo "$passed passed, 0 failed: find and search end-to-end"
