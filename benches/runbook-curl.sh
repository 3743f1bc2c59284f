#!/usr/bin/env bash
# The latency runbook done by hand, as the guide writes it (shared/seed/tracing-best-practices-
# and-runbooks.md, 3.1.1 "High Latency Investigation"): its curl commands one after the other, and
# `kubectl rollout history` / `kubectl get configmap` as the API requests kubectl makes for them,
# with curl. Timed, for comparison with `tracectl investigate latency` (benches/diagnosis.sh).
#
#   benches/runbook-curl.sh            # starts its own fleet: SERVICES=10 (one size) DELAY_MS=100
#
# Two changes to the guide's text, both needed to compare like with like: every PromQL query gets
# `time=` (the scenario's instant; the guide's queries evaluate "now", where the generated data
# has nothing, which would make them fast and empty), and the query is URL-encoded (curl
# --data-urlencode) since the guide's URLs hold spaces and quotes. SLOW_SERVICE is `checkout`,
# the service the first queries name. The commit search of step 6 (git log) is local and left out.
# With BENCH_INHERIT=1 it uses the servers in PROM_URL, JAEGER_URL and KUBE_URL (diagnosis.sh
# does this). Prints a line per command, then one JSON line {wall_ms, commands}; with --quiet
# only the JSON line.
set -euo pipefail

# shellcheck source=benches/lib.sh
source "$(dirname "$0")/lib.sh"
QUIET=0
[ "${1:-}" = --quiet ] && QUIET=1

if [ -z "${BENCH_INHERIT:-}" ]; then
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  bench_setup
  bench_start_fleet "${SERVICES:-10}" "${DELAY_MS:-100}"
fi

SLOW_SERVICE=checkout
say() { [ "$QUIET" = 1 ] || echo "$@"; }
count=0

prom() { # PROMQL
  count=$((count + 1))
  local t0 t1
  t0=$(date +%s%N)
  curl -sG "$PROM_URL/api/v1/query" --data-urlencode "query=$1" --data-urlencode "time=$AT" -o /dev/null
  t1=$(date +%s%N)
  say "$(((t1 - t0) / 1000000)) ms  prometheus  $1"
}

get() { # BASE PATH?QUERY
  count=$((count + 1))
  local t0 t1
  t0=$(date +%s%N)
  curl -s "$1$2" -H 'Authorization: Bearer bench-token' -o /dev/null
  t1=$(date +%s%N)
  say "$(((t1 - t0) / 1000000)) ms  $2"
}

start=$(date +%s%N)
# 1. Identify the affected service
prom 'histogram_quantile(0.95, sum(rate(mcp_request_duration_seconds_bucket[5m])) by (le, service_name)) > 1.0'
prom 'topk(5, histogram_quantile(0.95, sum(rate(mcp_request_duration_seconds_bucket[5m])) by (le, service_name)))'
# 2. Analyze traces for the service
get "$JAEGER_URL" "/api/traces?service=$SLOW_SERVICE&limit=100"
get "$JAEGER_URL" "/api/traces?service=$SLOW_SERVICE&lookback=1h&maxDuration=1000000"
# 3. Identify slow operations
prom 'histogram_quantile(0.95, sum(rate(mcp_request_duration_seconds_bucket[5m])) by (le, service_name, operation_name)) > 2.0'
prom 'topk(10, histogram_quantile(0.95, sum(rate(mcp_request_duration_seconds_bucket[5m])) by (le, service_name, operation_name)))'
# 4. Check dependencies
prom 'histogram_quantile(0.95, sum(rate(mcp_request_duration_seconds_bucket[5m])) by (le, service_name, dependency_service_name)) > 1.5'
prom 'topk(5, histogram_quantile(0.95, sum(rate(mcp_request_duration_seconds_bucket[5m])) by (le, service_name, dependency_service_name)))'
# 5. Analyze resource usage
prom "rate(container_cpu_usage_seconds_total{container=~\"$SLOW_SERVICE.*\"}[5m])"
prom "container_memory_usage_bytes{container=~\"$SLOW_SERVICE.*\"}"
prom "rate(container_network_transmit_bytes_total{container=~\"$SLOW_SERVICE.*\"}[5m])"
# 6. Review recent changes: kubectl rollout history reads the Deployment, then its ReplicaSets.
get "$KUBE_URL" "/apis/apps/v1/namespaces/$NAMESPACE/deployments/$SLOW_SERVICE"
get "$KUBE_URL" "/apis/apps/v1/namespaces/$NAMESPACE/replicasets?labelSelector=app%3D$SLOW_SERVICE"
get "$KUBE_URL" "/api/v1/namespaces/$NAMESPACE/configmaps/$SLOW_SERVICE-config"
end=$(date +%s%N)
echo "{\"wall_ms\":$(((end - start) / 1000000)),\"commands\":$count}"
