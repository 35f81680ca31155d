#!/usr/bin/env bash
# End-to-end: `e` hands the open note to the editor, with the terminal
# given back (main screen, cursor, no mouse, canonical input with echo);
# when the editor exits the browser takes the terminal again and shows the
# note as the editor left it. A failing editor leaves a message.
# The editor is a stand-in script that appends a line to a COPY of the
# sample vault (vidwiki itself never writes to a vault).
#   bash tests/tmux_editor_e2e.sh        (skips when tmux is absent)
# It polls the screen with short waits, so it is a script to run by hand or
# in a pipeline, not part of `cargo test`.
source "$(dirname "$0")/tmux_common.sh"

cargo build --release --quiet --bin vidwiki
binary="$PWD/target/release/vidwiki"
work=$(mktemp -d)
trap 'cleanup; rm -rf "$work" "$VIDWIKI_CACHE_DIR" "$VIDWIKI_STATE_DIR"' EXIT
cp -r notes "$work/vault"
log="$work/editor.log"

# The stand-in editor: records its arguments and the terminal's modes,
# waits for the go-ahead (so the script can look at the terminal while it
# runs), then appends a line to the file it was given (the last argument).
cat >"$work/stand-in-editor" <<SCRIPT
#!/usr/bin/env bash
echo "args: \$*" >>"$log"
echo "modes: \$(stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' ')" >>"$log"
echo "editor-running" >>"$log"
for _ in \$(seq 100); do [ -e "$work/go" ] && break; sleep 0.1; done
file="\${@: -1}"
printf '\nAppended by the stand-in editor.\n' >>"\$file"
SCRIPT
chmod +x "$work/stand-in-editor"

# Quits the browser and waits until it has exited (and saved its state).
quit_browser() {
  tmux_ send-keys -t e2e q
  for _ in $(seq 100); do
    if ! tmux_ has-session -t e2e 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: the browser did not quit"; exit 1
}

wait_log() {
  for _ in $(seq 100); do
    if grep -qF -- "$1" "$log" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: the editor log never showed: $1"; cat "$log"; exit 1
}

tmux_ new-session -d -s e2e -x 120 -y 40 \
  "env -u VISUAL EDITOR='$work/stand-in-editor' $binary --vault '$work/vault' --open publicprivate_partnerships_in_technology_and_innovation"
wait_for "Publicprivate partnerships in technology and innovation"
assert_browsing "before e"

tmux_ send-keys -t e2e e
wait_log "editor-running"
# While the editor runs, the terminal is the shell's as it was.
assert_restored "while the editor runs"
grep -qxF "modes: icanon echo " "$log" || { echo "FAIL: the editor got a raw terminal"; cat "$log"; exit 1; }
grep -qE "^args: \+[0-9]+ $work/vault/.*/publicprivate_partnerships_in_technology_and_innovation.md$" "$log" \
  || { echo "FAIL: the editor was not given +LINE FILE"; cat "$log"; exit 1; }
touch "$work/go"

# Back in the browser: raw mode, alternate screen, the note read again.
wait_for "Read oecdobservatoryofpublicsec3116/publicprivate"
assert_browsing "after the editor"
# The note's text is read again after its parse: then G has a note to go through.
wait_for "Key objectives of these partnerships"
tmux_ send-keys -t e2e G
wait_for "Appended by the stand-in editor."
quit_browser
cleanup
passed=1

# Where you left off: quitting saves the state (in VIDWIKI_STATE_DIR, see
# tmux_common.sh), and --home starts on the home page even so. (That a
# restart returns to the last note is checked by tests/state.rs.)
ls "$VIDWIKI_STATE_DIR"/vault-vault-*.json >/dev/null || { echo "FAIL: no state file saved"; exit 1; }
grep -qF '"last":{"path":"oecdobservatoryofpublicsec3116/publicprivate' "$VIDWIKI_STATE_DIR"/vault-vault-*.json \
  || { echo "FAIL: the state does not name the last note"; cat "$VIDWIKI_STATE_DIR"/vault-vault-*.json; exit 1; }
tmux_ new-session -d -s e2e -x 120 -y 40 "$binary --vault '$work/vault' --home"
wait_for "Channels"
quit_browser
cleanup
passed=$((passed + 1))

# The watcher: a line appended to the open note from outside is taken in
# while browsing, without a key: the note is read again in place (the
# reader's place is kept, so the new last line is one G away; G is sent
# until it shows, as the re-read text may still be on its way).
tmux_ new-session -d -s e2e -x 120 -y 40 \
  "$binary --vault '$work/vault' --open publicprivate_partnerships_in_technology_and_innovation"
wait_for "Key objectives of these partnerships"
note=$(ls "$work"/vault/*/publicprivate_partnerships_in_technology_and_innovation.md)
printf '\nWritten from outside while browsing.\n' >>"$note"
wait_for "Read oecdobservatoryofpublicsec3116/publicprivate"
shown=no
for _ in $(seq 50); do
  tmux_ send-keys -t e2e G
  sleep 0.2
  if tmux_ capture-pane -p -t e2e | grep -qF "Written from outside while browsing."; then shown=yes; break; fi
done
[[ $shown == yes ]] || { echo "FAIL: the watched change never showed"; tmux_ capture-pane -p -t e2e; exit 1; }
quit_browser
cleanup
passed=$((passed + 1))

# A missing editor and one that fails: a message, and the browser goes on.
for editor in "$work/no-such-editor" "sh -c 'exit 3'"; do
  tmux_ new-session -d -s e2e -x 120 -y 40 \
    "env -u VISUAL EDITOR=\"$editor\" $binary --vault '$work/vault' --open publicprivate_partnerships_in_technology_and_innovation"
  wait_for "Publicprivate partnerships in technology and innovation"
  tmux_ send-keys -t e2e e
  case "$editor" in
    *no-such*) wait_for "Editor no-such-editor not found: set \$VISUAL or \$EDITOR" ;;
    *) wait_for "exited with exit status: 3" ;;
  esac
  assert_browsing "after a failing editor ($editor)"
  tmux_ send-keys -t e2e q
  cleanup
  passed=$((passed + 1))
done
echo "$passed passed, 0 failed: tmux editor end-to-end"
