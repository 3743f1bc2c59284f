#!/usr/bin/env bash
# The call graph's first-round probes at fleet scale, fleet-wide against narrowed to a reach of
# a few services (what `--service S` asks since the reach is read first; benches/README.md,
# "With --service, the first round asks about the service's reach alone"). Runs the fleet-wide
# `investigate latency` once to take its probes from the report, then times each probe as asked
# and with its service matchers narrowed to REACH, against Prometheus directly, RUNS times (the
# fastest kept).
#
#   SERVICES=10000 REACH='checkout|svc-0001|svc-0002|svc-0003' RUNS=2 benches/first-round-reach.sh
#
# WORK, TRACECTL_BIN and BENCH_TOOL_BIN as for diagnosis.sh (lib.sh).
set -euo pipefail
SERVICES="${SERVICES:-10000}"
REACH="${REACH:-checkout|svc-0001|svc-0002|svc-0003}"
RUNS="${RUNS:-2}"
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
bench_setup
bench_start_fleet "$SERVICES" 0
report="$WORK/first-round-$SERVICES.json"
"$TRACECTL" investigate latency --prometheus-url "$PROM_DIRECT" -n "$NAMESPACE" --at "$AT" \
  --timeout 600s --command-timeout 1800s -o json -q >"$report" 2>/dev/null || true
python3 - "$PROM_DIRECT" "$AT" "$report" "$REACH" "$RUNS" <<'PY'
import json, sys, time, urllib.parse, urllib.request
base, at, report, reach, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
steps = json.load(open(report))["steps"]
queries = [s for s in steps if s["id"] == "call-graph"][0]["queries"]
# The "may have changed" probes: now > ratio x the baseline's median.
probes = [q for q in queries if ") > " in q and " * (quantile_over_time(0.5, " in q]

def timed(q):
    data = urllib.parse.urlencode({"query": q, "time": at}).encode()
    t = time.time()
    body = urllib.request.urlopen(base + "/api/v1/query", data=data, timeout=1800).read()
    return time.time() - t, len(body)

print(f"{'probe':9} {'asked':11} {'ms':>9} {'bytes':>8}")
for q in probes:
    kind = "calls" if 'dependency_service_name!=""' in q else "services"
    if kind == "services":
        narrowed = q.replace('service_name=~".*"', f'service_name=~"{reach}"')
    else:  # the calls from the reach (the probe of the calls to it is alike)
        narrowed = q.replace('dependency_service_name!="", service_name=~".*"',
                             f'dependency_service_name!="", service_name=~"{reach}"')
    for label, qq in (("fleet-wide", q), ("reach", narrowed)):
        best = min(timed(qq) for _ in range(runs))
        print(f"{kind:9} {label:11} {best[0] * 1000:9.0f} {best[1]:8}")
PY
