#!/usr/bin/env bash
# Accuracy benchmark (issue 15) on the Nezha dataset's DEVELOPMENT split (24 faults; see README.md).
#
#   NEZHA_REPO=/work/.mirror/IntelligentDDS+Nezha/repo benches/accuracy/run.sh              # all 24
#   NEZHA_REPO=... benches/accuracy/run.sh 2023-01-29T08:43 2023-01-30T12:15                  # some
#
# Env: NEZHA_REPO (bare git dir or checkout; needed only to convert), NEZHA_OUT (converted data,
# default /tmp/nezha-accuracy; converted when its faults.json is missing), TRACECTL (default
# target/debug/tracectl of this checkout), RESULTS (the TSV, default $NEZHA_OUT/results.tsv),
# KEEP=1 keeps the per-run work dir (TSDB, logs, reports), BASELINE=0 runs without
# --baseline-at (it is passed, as fault.json's baseline_at, when the fault has one and TRACECTL
# knows the flag; the TSV's last column says what was passed). Per fault: backfill a TSDB from
# metrics.om, start prometheus on a free loopback port, start serve.py (Jaeger + Kubernetes), run
# `tracectl investigate latency|errors -o json --at inject+2m` without --service, and score the
# report. Every process started is stopped on exit; each step is bounded (timeout).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
NEZHA_OUT="${NEZHA_OUT:-/tmp/nezha-accuracy}"
TRACECTL="${TRACECTL:-$ROOT/target/debug/tracectl}"
RESULTS="${RESULTS:-$NEZHA_OUT/results.tsv}"
NAMESPACE=train-ticket
PIDS=()

cleanup() {
  local pid n
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    # A child that ignores SIGTERM (seen once: serve.py stuck in shutdown) must not hang the run.
    for n in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    pkill -9 -P "$pid" 2>/dev/null || true
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}
finish() {
  cleanup
  if [ -n "${WORK:-}" ] && [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

for tool in prometheus promtool python3 timeout; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -x "$TRACECTL" ] || { echo "no tracectl at $TRACECTL (cargo build, or set TRACECTL)" >&2; exit 2; }

if [ ! -s "$NEZHA_OUT/faults.json" ]; then
  [ -n "${NEZHA_REPO:-}" ] || { echo "set NEZHA_REPO (the Nezha repository) to convert" >&2; exit 2; }
  echo "converting the dev split into $NEZHA_OUT ..." >&2
  timeout 1800 python3 "$HERE/convert.py" "$NEZHA_OUT"
fi

WORK="$(mktemp -d /tmp/nezha-run.XXXXXX)"
if [ $# -gt 0 ]; then IDS=("$@"); else
  mapfile -t IDS < <(python3 -c 'import json,sys; [print(f["id"]) for f in json.load(open(sys.argv[1]))["faults"]]' "$NEZHA_OUT/faults.json")
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # URL SECONDS
  local deadline=$((SECONDS + $2))
  until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.3
  done
}

# --baseline-at: the day's fault-free minute as the baseline (README.md), where tracectl has it.
BASELINE_FLAG=0
if [ "${BASELINE:-1}" != 0 ]; then
  if "$TRACECTL" investigate latency --help 2>/dev/null | grep -q -- --baseline-at; then BASELINE_FLAG=1
  else echo "$TRACECTL has no --baseline-at: running without it" >&2; fi
fi

printf 'fault\ttype\trunbook\texpected\tgot\ttop3\thit1\thit3\texit\tbaseline_at\n' >"$RESULTS"
for id in "${IDS[@]}"; do
  fdir="$NEZHA_OUT/$id"
  [ -s "$fdir/fault.json" ] || { echo "$id: not converted (not a dev fault?)" >&2; continue; }
  w="$WORK/$id"
  mkdir -p "$w"
  read -r runbook at bat < <(python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); print(f["runbook"], f["at"], f.get("baseline_at") or "-")' "$fdir/fault.json")
  extra=()
  if [ "$BASELINE_FLAG" = 1 ] && [ "$bat" != "-" ]; then extra=(--baseline-at "$bat"); else bat="-"; fi
  timeout 300 promtool tsdb create-blocks-from openmetrics "$fdir/metrics.om" "$w/data" >"$w/promtool.log" 2>&1 \
    || { echo "$id: backfill failed" >&2; tail -5 "$w/promtool.log" >&2; continue; }
  printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$w/prometheus.yml"
  prom=""
  for attempt in 1 2 3; do
    port="$(free_port)"
    timeout 900 prometheus --config.file="$w/prometheus.yml" --storage.tsdb.path="$w/data" \
      --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=100y \
      --query.lookback-delta=5m >"$w/prometheus.log" 2>&1 &
    PIDS+=($!)
    if wait_http "http://127.0.0.1:$port/-/ready" 60; then prom="http://127.0.0.1:$port"; break; fi
    kill "${PIDS[-1]}" 2>/dev/null || true; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
  done
  [ -n "$prom" ] || { echo "$id: prometheus did not start" >&2; tail -5 "$w/prometheus.log" >&2; continue; }
  timeout 900 python3 "$HERE/serve.py" "$fdir" --ports-file "$w/ports.json" --log "$w/requests.jsonl" \
    --max-seconds 600 >"$w/serve.log" 2>&1 &
  PIDS+=($!)
  deadline=$((SECONDS + 60))
  until [ -s "$w/ports.json" ]; do
    [ $SECONDS -lt $deadline ] || { echo "$id: serve.py did not start" >&2; cat "$w/serve.log" >&2; break; }
    sleep 0.2
  done
  [ -s "$w/ports.json" ] || { cleanup; continue; }
  read -r jport kport < <(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p["jaeger"], p["kubernetes"])' "$w/ports.json")
  cat >"$w/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: nezha
  cluster:
    server: http://127.0.0.1:$kport
users:
- name: bench
  user:
    token: bench-token
contexts:
- name: nezha
  context:
    cluster: nezha
    user: bench
    namespace: $NAMESPACE
current-context: nezha
EOF
  rc=0
  env -u TRACECTL_CONTEXT -u TRACECTL_PROFILE XDG_CONFIG_HOME="$w" XDG_STATE_HOME="$w" NO_COLOR=1 \
    timeout 200 "$TRACECTL" investigate "$runbook" \
    --prometheus-url "$prom" --jaeger-url "http://127.0.0.1:$jport" --kubeconfig "$w/kubeconfig" \
    -n "$NAMESPACE" --profile spanmetrics --at "$at" "${extra[@]}" --timeout 30s --command-timeout 150s -o json \
    >"$w/report.json" 2>"$w/tracectl.log" || rc=$?
  cleanup
  python3 "$HERE/score.py" "$NEZHA_OUT/faults.json" "$id" "$w/report.json" "$rc" "$bat" >>"$RESULTS"
  tail -1 "$RESULTS" | cut -f1-8 >&2
  [ -z "${KEEP:-}" ] || cp "$w/report.json" "$fdir/report.json"
  rm -rf "$w/data"
done

python3 "$HERE/score.py" --summary "$NEZHA_OUT/faults.json" "$RESULTS" "$NEZHA_OUT"
[ -z "${KEEP:-}" ] || echo "work dir kept: $WORK" >&2
