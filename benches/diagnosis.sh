#!/usr/bin/env bash
# Time to diagnosis (issue 11, goal 1) and push-down (goal 4): `tracectl investigate
# latency|errors|data-loss` against a real Prometheus holding 10, 100 and 1,000 services, and
# fixture Jaeger, Kubernetes, Elasticsearch and Collector servers that delay every answer.
#
#   benches/diagnosis.sh                       # SERVICES="10 100 1000" DELAY_MS=100 RUNS=3
#   SERVICES=10 DELAY_MS=0 RUNS=1 benches/diagnosis.sh
#   CURL=0 benches/diagnosis.sh                # without the hand-run runbook for comparison
#   REQUEST_TIMEOUT=120s COMMAND_TIMEOUT=600s benches/diagnosis.sh   # a loaded machine, 1,000+
#   FLEET_SHAPE=tree SERVICE=svc-1234 benches/diagnosis.sh           # a tree-shaped fleet, --service
#
# For each fleet size: builds the TSDB (`promtool tsdb create-blocks-from openmetrics` over
# `cargo bench --bench tool -- openmetrics N`), starts `prometheus` on a free port and
# benches/fixtures.py (which also proxies Prometheus to time and count its requests), runs each
# investigation once untimed to warm up, then RUNS times, and prints per run: wall time, requests
# (counted by the servers; `sends` is tracectl's own `-v` count of its HTTP transport's requests,
# which leaves out the Kubernetes client's), bytes on the wire (body bytes:
# decompressed), the slowest single request as its server timed it, wall / slowest, the slowest
# chain of dependent requests (benches/chain.py: its servers' time and its length in requests;
# CHAIN=1 prints its requests), wall / chain, and whether wall <= 1.3 x chain + 50 ms (issue 19's
# goal). Then the latency runbook by hand, with curl
# (benches/runbook-curl.sh), against the same servers. Rows are also appended as JSON lines to
# $RESULTS (default /tmp/tracectl-diagnosis-results.jsonl). Needs prometheus, promtool, python3, jq, curl.
set -euo pipefail

# shellcheck source=benches/lib.sh
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

SERVICES="${SERVICES:-10 100 1000}"
DELAY_MS="${DELAY_MS:-100}"
RUNS="${RUNS:-3}"
CURL="${CURL:-1}"
INVESTIGATIONS="${INVESTIGATIONS:-latency errors data-loss}"
# A loaded machine's 1,000-service fleet can need more than the defaults (a request's answer in
# over 30 s, a run in over 2 min): raise them rather than measure timeouts.
REQUEST_TIMEOUT="${REQUEST_TIMEOUT:-30s}"
COMMAND_TIMEOUT="${COMMAND_TIMEOUT:-120s}"

bench_setup
# BINS="before=/path/a after=/path/b": several builds measured in the same run, fleet by fleet
# (issue 19's before/after); default: the one bench_setup built.
BINS="${BINS:-tracectl=$TRACECTL}"
RESULTS="${RESULTS:-/tmp/tracectl-diagnosis-results.jsonl}"
: >"$RESULTS"

now_ns() { date +%s%N; }

investigate() { # KIND OUT_PREFIX
  local kind="$1" out="$2" args
  args=(investigate "$kind" --prometheus-url "$PROM_URL" --jaeger-url "$JAEGER_URL"
    --kubeconfig "$KUBECONFIG_FILE" -n "$NAMESPACE" --at "$AT" --timeout "$REQUEST_TIMEOUT"
    --command-timeout "$COMMAND_TIMEOUT" -o json -v ${SERVICE:+--service "$SERVICE"})
  if [ "$kind" = data-loss ]; then
    args+=(--elasticsearch-url "$ES_URL" --collector-otlp-url "$COLLECTOR_URL"
      --collector-metrics-url "$COLLECTOR_URL/metrics" --jaeger-collector-addr "$JAEGER_ADDR"
      --collector-namespace monitoring)
  fi
  NO_COLOR=1 "$TRACECTL" "${args[@]}" >"$out.json" 2>"$out.log" || true
}

printf '%-6s %-18s %4s %9s %6s %6s %11s %11s %10s  %-46s %7s %8s %5s %7s %5s\n' \
  services investigation run wall_ms reqs sends bytes body_bytes slowest_ms "slowest request" ratio chain_ms depth c_ratio goal
for n in $SERVICES; do
  bench_start_fleet "$n" "$DELAY_MS"
  for bin in $BINS; do
  TRACECTL="${bin#*=}" BUILD="${bin%%=*}"
  for kind in $INVESTIGATIONS; do
    investigate "$kind" "$FLEET_DIR/warmup-$kind"
    for ((run = 1; run <= RUNS; run++)); do
      out="$FLEET_DIR/$BUILD-$kind-$run"
      from=$(($(wc -l <"$REQUEST_LOG") + 1))
      t0=$(now_ns)
      investigate "$kind" "$out"
      t1=$(now_ns)
      sleep 0.2 # the servers log a request after its last byte
      to=$(wc -l <"$REQUEST_LOG")
      wall_ms=$(((t1 - t0) / 1000000))
      sends=$(grep -c ' send backend=' "$out.log" || true)
      summary="$(log_summary "$from" "$to")"
      row="$(jq -c --argjson n "$n" --arg kind "$kind" --arg build "$BUILD" --argjson run "$run" --argjson wall "$wall_ms" \
        --argjson sends "$sends" --argjson delay "$DELAY_MS" --slurpfile report "$out.json" '
        . + {services: $n, investigation: $kind, build: $build, run: $run, wall_ms: $wall, sends: $sends,
             delay_ms: $delay,
             diagnosis: ($report[0].diagnosis // null),
             steps: (($report[0].steps // []) | map({(.id): .duration_ms}) | add),
             ratio: (if .slowest.ms then ($wall / .slowest.ms * 100 | round / 100) else null end),
             chain_ratio: (if .chain.ms > 0 then ($wall / .chain.ms * 100 | round / 100) else null end),
             goal_met: (if .chain.ms > 0 then ($wall <= 1.3 * .chain.ms + 50) else null end)}' \
        <<<"$summary")"
      echo "$row" >>"$RESULTS"
      jq -r '[.services, (.build + ":" + .investigation), .run, .wall_ms, .requests, .sends, .bytes, .body_bytes,
              (.slowest.ms // 0), ((.slowest.backend // "-") + " " + ((.slowest.target // "") | .[0:38])),
              (.ratio // 0), .chain.ms, .chain.depth, (.chain_ratio // 0),
              (if .goal_met then "met" else "MISS" end)] | @tsv' <<<"$row" |
        awk -F'\t' '{printf "%-6s %-18s %4s %9s %6s %6s %11s %11s %10.1f  %-46s %7.2f %8.1f %5s %7.2f %5s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15}'
      if [ "${CHAIN:-0}" = 1 ]; then jq -r '.chain.requests[] | "         chain: " + .' <<<"$row"; fi
    done
  done
  done
  if [ "$CURL" = 1 ]; then
    from=$(($(wc -l <"$REQUEST_LOG") + 1))
    BENCH_INHERIT=1 PROM_URL="$PROM_URL" JAEGER_URL="$JAEGER_URL" KUBE_URL="$KUBE_URL" \
      "$BENCH_DIR/runbook-curl.sh" --quiet >"$FLEET_DIR/runbook-curl.out"
    to=$(wc -l <"$REQUEST_LOG")
    wall_ms=$(jq -r .wall_ms "$FLEET_DIR/runbook-curl.out")
    summary="$(log_summary "$from" "$to")"
    row="$(jq -c --argjson n "$n" --argjson wall "$wall_ms" --argjson delay "$DELAY_MS" '
      . + {services: $n, investigation: "runbook-curl", run: 1, wall_ms: $wall, delay_ms: $delay,
           ratio: (if .slowest.ms then ($wall / .slowest.ms * 100 | round / 100) else null end)}' <<<"$summary")"
    echo "$row" >>"$RESULTS"
    jq -r '[.services, .investigation, .run, .wall_ms, .requests, "-", .bytes, .body_bytes,
            (.slowest.ms // 0), ((.slowest.backend // "-") + " " + ((.slowest.target // "") | .[0:38])),
            (.ratio // 0), .chain.ms, .chain.depth, 0, "-"] | @tsv' <<<"$row" |
      awk -F'\t' '{printf "%-6s %-18s %4s %9s %6s %6s %11s %11s %10.1f  %-46s %7.2f %8.1f %5s %7.2f %5s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15}'
  fi
  bench_stop_fleet
done
echo "results: $RESULTS" >&2
