# Shared by benches/diagnosis.sh and benches/runbook-curl.sh (sourced, not run): builds what the
# benchmarks need and starts the backends of one fleet. Everything started is recorded in PIDS and
# stopped by `bench_cleanup`, which the callers trap on EXIT.
#
#   bench_setup                 release tracectl (or $TRACECTL_BIN) and the bench tool, WORK dir,
#                               50 generated traces
#   bench_start_fleet N DELAY   Prometheus over N services' backfilled TSDB, fixtures delaying DELAY ms
#
# After bench_start_fleet: PROM_URL (the timing proxy in front of Prometheus), PROM_DIRECT,
# JAEGER_URL, KUBE_URL, ES_URL, COLLECTOR_URL, KUBECONFIG_FILE, REQUEST_LOG (one JSON line per
# request any backend answered, see fixtures.py), FLEET_DIR.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/bench-target}"
# The scenarios' instant (tests/it/scenarios.rs END): 2026-11-25T10:00:00Z.
AT=1795600800
NAMESPACE=shop
PIDS=()

bench_need() {
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]} (apt-get install prometheus jq curl python3)" >&2
    exit 2
  fi
}

# Stops what bench_start_fleet started (Prometheus, fixtures).
bench_stop_fleet() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

# For `trap bench_cleanup EXIT`: stops everything, removes WORK if bench_setup made it (KEEP=1 keeps it).
bench_cleanup() {
  bench_stop_fleet
  if [ -n "${WORK_OWNED:-}" ] && [ -z "${KEEP:-}" ]; then
    rm -rf "$WORK"
  fi
}

# The bench tool (benches/tool.rs), built with the bench profile; BENCH_TOOL_BIN: one already
# built (e.g. `cargo test --bench tool --no-run`'s, when the bench profile's build is too long).
bench_tool() {
  if [ -n "${BENCH_TOOL_BIN:-}" ]; then
    "$BENCH_TOOL_BIN" --bench "$@"
    return
  fi
  (cd "$REPO_DIR" && cargo bench -q --bench tool -- "$@")
}

bench_setup() {
  bench_need prometheus promtool python3 jq curl
  if [ -z "${WORK:-}" ]; then
    WORK="$(mktemp -d /tmp/tracectl-bench.XXXXXX)"
    WORK_OWNED=1
  fi
  echo "building release tracectl and the bench tool (CARGO_TARGET_DIR=$CARGO_TARGET_DIR) ..." >&2
  # TRACECTL_BIN: another build to measure (an earlier commit's, for a before/after in one run).
  if [ -z "${TRACECTL_BIN:-}" ]; then
    (cd "$REPO_DIR" && cargo build -q --release --bin tracectl)
  fi
  if [ -z "${BENCH_TOOL_BIN:-}" ]; then
    (cd "$REPO_DIR" && cargo bench -q --no-run --bench tool 2>/dev/null)
  fi
  TRACECTL="${TRACECTL_BIN:-$CARGO_TARGET_DIR/release/tracectl}"
  # What `investigate latency` asks Jaeger for: up to 50 slow traces (trace_limit).
  [ -s "$WORK/traces.json" ] || bench_tool jaeger 50 "$WORK/traces.json" >/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() { # URL, seconds
  local url="$1" deadline=$((SECONDS + $2))
  until curl -fs -o /dev/null "$url"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "not ready: $url" >&2
      return 1
    fi
    sleep 0.2
  done
}

bench_start_fleet() { # SERVICES DELAY_MS
  local n="$1" delay="$2" attempt port services i
  # FLEET_SHAPE=tree: a tree instead of the ring (tool.rs), in a TSDB of its own.
  FLEET_DIR="$WORK/fleet-$n${FLEET_SHAPE:+-$FLEET_SHAPE}"
  if [ ! -d "$FLEET_DIR/data" ]; then
    mkdir -p "$FLEET_DIR/data"
    echo "fleet of $n services (${FLEET_SHAPE:-ring}): generating and backfilling ..." >&2
    FLEET_SHAPE="${FLEET_SHAPE:-ring}" bench_tool openmetrics "$n" "$FLEET_DIR/fleet.om" >/dev/null
    promtool tsdb create-blocks-from openmetrics "$FLEET_DIR/fleet.om" "$FLEET_DIR/data" >"$FLEET_DIR/promtool.log" 2>&1
    rm -f "$FLEET_DIR/fleet.om"
  fi
  printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$FLEET_DIR/prometheus.yml"
  for attempt in 1 2 3; do
    port="$(free_port)"
    prometheus --config.file="$FLEET_DIR/prometheus.yml" --storage.tsdb.path="$FLEET_DIR/data" \
      --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=100y \
      >"$FLEET_DIR/prometheus.log" 2>&1 &
    PIDS+=($!)
    if wait_http "http://127.0.0.1:$port/-/ready" 60; then
      break
    fi
    kill "${PIDS[-1]}" 2>/dev/null || true
    wait "${PIDS[-1]}" 2>/dev/null || true
    unset 'PIDS[-1]'
    [ "$attempt" -lt 3 ] || { tail -20 "$FLEET_DIR/prometheus.log" >&2; return 1; }
  done
  PROM_DIRECT="http://127.0.0.1:$port"
  services="checkout"
  for ((i = 1; i < n; i++)); do services+=",$(printf 'svc-%04d' "$i")"; done
  REQUEST_LOG="$FLEET_DIR/requests.jsonl"
  : >"$REQUEST_LOG"
  rm -f "$FLEET_DIR/ports.json"
  python3 "$BENCH_DIR/fixtures.py" --traces "$WORK/traces.json" --services "$services" \
    --prometheus "$PROM_DIRECT" --delay-ms "$delay" --namespace "$NAMESPACE" --at "$AT" \
    --log "$REQUEST_LOG" --ports-file "$FLEET_DIR/ports.json" --shape "${FLEET_SHAPE:-ring}" \
    >"$FLEET_DIR/fixtures.log" 2>&1 &
  PIDS+=($!)
  local deadline=$((SECONDS + 20))
  until [ -s "$FLEET_DIR/ports.json" ]; do
    [ $SECONDS -lt $deadline ] || { cat "$FLEET_DIR/fixtures.log" >&2; return 1; }
    sleep 0.1
  done
  local p
  p() { jq -r ".$1" "$FLEET_DIR/ports.json"; }
  PROM_URL="http://127.0.0.1:$(p prometheus)"
  JAEGER_URL="http://127.0.0.1:$(p jaeger)"
  KUBE_URL="http://127.0.0.1:$(p kubernetes)"
  ES_URL="http://127.0.0.1:$(p elasticsearch)"
  COLLECTOR_URL="http://127.0.0.1:$(p collector)"
  JAEGER_ADDR="127.0.0.1:$(p jaeger)"
  KUBECONFIG_FILE="$FLEET_DIR/kubeconfig"
  cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: fixture
  cluster:
    server: $KUBE_URL
users:
- name: bench
  user:
    token: bench-token
contexts:
- name: fixture
  context:
    cluster: fixture
    user: bench
    namespace: $NAMESPACE
current-context: fixture
EOF
  # One query so Prometheus has loaded its blocks before anything is timed.
  curl -fsG "$PROM_URL/api/v1/query" --data-urlencode 'query=count(mcp_requests_total)' \
    --data-urlencode "time=$AT" -o /dev/null
  : >"$REQUEST_LOG"
}

# Summary of request-log lines FROM..TO (1-based, inclusive) as JSON: requests, bytes (wire),
# body bytes, per-backend counts and bytes, the slowest request, the span first start → last end,
# and the slowest chain of dependent requests (benches/chain.py).
log_summary() { # FROM TO
  local chain
  chain="$(python3 "$BENCH_DIR/chain.py" "$REQUEST_LOG" "$1" "$2")"
  sed -n "$1,$2p" "$REQUEST_LOG" | jq -s --argjson chain "$chain" '{
    chain: $chain,
    requests: length,
    bytes: (map(.bytes) | add // 0),
    body_bytes: (map(.body_bytes) | add // 0),
    by_backend: (group_by(.backend) | map({key: .[0].backend,
      value: {requests: length, bytes: (map(.bytes) | add), body_bytes: (map(.body_bytes) | add),
              slowest_ms: (map(.ms) | max)}}) | from_entries),
    slowest: (max_by(.ms) // {} | {backend, target, ms}),
    busy_ms: (if length > 0 then ((map(.end) | max) - (map(.start) | min)) * 1000 | round else 0 end)
  }'
}
