#!/usr/bin/env bash
# Start-up (issue 11, goal 3): `tracectl --help` and `tracectl runbooks list` from the release
# binary (the release profile has lto = true), timed with hyperfine when it is installed, else
# RUNS runs each (default 100) timed with `date +%s%N` (which adds the fork/exec of the shell, so
# it is an upper bound); and the binary's size.
#
#   benches/startup.sh          # RUNS=100
set -euo pipefail

# shellcheck source=benches/lib.sh
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-100}"

# TRACECTL_BIN: another build to time instead (as in lib.sh's bench_setup).
if [ -z "${TRACECTL_BIN:-}" ]; then
  (cd "$REPO_DIR" && cargo build -q --release --bin tracectl)
fi
BIN="${TRACECTL_BIN:-$CARGO_TARGET_DIR/release/tracectl}"
# No config file, no environment from the caller: what a first run sees.
HOME_DIR="$(mktemp -d /tmp/tracectl-startup.XXXXXX)"
trap 'rm -rf "$HOME_DIR"' EXIT
run() { env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin "$BIN" "$@" >/dev/null; }

echo "binary: $BIN, $(stat -c %s "$BIN") bytes ($(($(stat -c %s "$BIN") / 1048576)) MiB), $(file -b "$BIN" 2>/dev/null | cut -d, -f1-2 || true)"
for cmd in "--help" "runbooks list"; do
  # shellcheck disable=SC2086
  run $cmd # warm the page cache
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 5 --runs "$RUNS" "env -i HOME=$HOME_DIR $BIN $cmd"
    continue
  fi
  times=()
  for ((i = 0; i < RUNS; i++)); do
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    run $cmd
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v cmd="tracectl $cmd" -v n="$RUNS" '
    { t[NR] = $1; sum += $1 }
    END { printf "%-22s %d runs: mean %.2f ms, median %.2f ms, p95 %.2f ms, min %.2f ms (date +%%s%%N around each run)\n",
          cmd, n, sum / n / 1000, t[int(n / 2) + 1] / 1000, t[int(n * 0.95)] / 1000, t[1] / 1000 }'
done
