#!/usr/bin/env bash
# The CLI's second call: each command run ROUNDS times on a warm index
# cache, and with --no-cache in the same run (the floor it improves on);
# prints the median wall time of each, in milliseconds, and the load
# average. The cache lives in a fresh temporary folder.
#   bash benches/cli_second_call.sh VAULT NOTE [ROUNDS] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
vault=$(realpath "${1:?give a vault folder}")
note=${2:?give a note of the vault}
rounds=${3:-5}
binary=${4:-}
if [ -z "$binary" ]; then
  cargo build --release --quiet
  binary="$PWD/target/release/vidwiki"
fi
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export VIDWIKI_CACHE_DIR="$cache"
ms() { # median wall time of ROUNDS runs of "$@", in ms
  for _ in $(seq "$rounds"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    echo $(( ($(date +%s%N) - start) / 1000000 ))
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
"$binary" check "$vault" >/dev/null 2>&1 || true # fills the cache
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for command in "check" "show --width 100 $note" "links $note" "timestamps $note" "search public"; do
  # shellcheck disable=SC2086
  warm=$(ms "$binary" $command "$vault")
  # shellcheck disable=SC2086
  cold=$(ms "$binary" --no-cache $command "$vault")
  echo "${command%% *}: ${warm} ms warm, ${cold} ms --no-cache"
done
