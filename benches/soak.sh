#!/usr/bin/env bash
# The soak's long form (issue 20): RUNS (default 500) consecutive runs of the read commands
# against backends misbehaving at random (tests/it/soak.rs, the same assertions as its short
# form in `cargo test`: no panic, within --command-timeout, a valid report, the contract's exit
# code, the same ranking for the same evidence), with the 200 MB bodies included, in a release
# build. Then memory: each run's peak RSS (sampled from /proc every 20 ms), the first and the last
# tenth of the runs compared per command, so a leak that grows run after run shows (each run is
# its own process, so what this watches is the cost of a run, not a long-lived heap).
#
#   benches/soak.sh                  # RUNS=500 SEED=20
#   RUNS=100 SEED=7 benches/soak.sh
#
# Needs what the integration tests need (prometheus is not used here: the soak's backends are the
# fault matrix's fixtures). Writes $CARGO_TARGET_DIR/soak-<seed>.tsv: run, command, exit, ms, peak RSS bytes,
# faults.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-500}"
SEED="${SEED:-20}"
# Like the other scripts: a build of its own, the shared debug build left alone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/bench-target}"
OUT="$CARGO_TARGET_DIR/soak-$SEED.tsv"
SOAK_RUNS="$RUNS" SOAK_SEED="$SEED" SOAK_REPORT="$OUT" \
  cargo test --release --test it soak:: -- --nocapture
python3 - "$OUT" <<'PY'
import sys, collections, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
n = len(rows)
tenth = max(1, n // 10)
by_cmd = collections.defaultdict(list)
for i, (run, cmd, code, ms, rss, faults) in enumerate(rows):
    by_cmd[cmd].append((i, int(rss), int(ms), code))
print(f"{n} runs; exits: {dict(collections.Counter(r[2] for r in rows))}")
print(f"{'command':24} {'runs':>5} {'peak RSS first 10% (MiB)':>26} {'last 10% (MiB)':>15} {'max (MiB)':>10} {'p95 ms':>8}")
for cmd, xs in sorted(by_cmd.items()):
    first = [r for i, r, _, _ in xs if i < tenth] or [xs[0][1]]
    last = [r for i, r, _, _ in xs if i >= n - tenth] or [xs[-1][1]]
    ms = sorted(m for _, _, m, _ in xs)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    mib = lambda v: v / 1048576
    print(f"{cmd:24} {len(xs):5} {mib(statistics.mean(first)):26.1f} {mib(statistics.mean(last)):15.1f} {mib(max(r for _, r, _, _ in xs)):10.1f} {p95:8}")
PY
