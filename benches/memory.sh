#!/usr/bin/env bash
# Peak memory of trace analysis (issue 11, goal 2): decode + analyse a generated Jaeger
# /api/traces answer of TRACES traces (default 100,000, ~2M spans) and report peak RSS against
# the response size, by /usr/bin/time -v (max resident set) and by the process itself (VmHWM,
# and its RSS after reading the file, i.e. the response's own share). Then the same file through
# jq, computing the total duration per (service, operation), for comparison.
#
#   benches/memory.sh                   # TRACES=100000
#   TRACES=10000 JQ=0 benches/memory.sh # smaller, without jq
#   BENCH_TOOL_BIN=path/to/tool benches/memory.sh  # a tool binary already built (another commit's)
#
# jq 1.6 holds the whole document as its own values (about 9x the file); it runs under `ulimit -v`
# JQ_MEM_GB (default 16) so that it fails rather than exhausting the machine. Then `jq --stream`
# (constant memory, per operation only; JQ_STREAM=0 skips it: it takes minutes at 100k traces).
# Wall times are taken with `date +%s%N` (GNU time's elapsed figure is wrong on this VM). The file goes to $WORK (a temp dir,
# removed at the end; KEEP=1 keeps it).
set -euo pipefail

# shellcheck source=benches/lib.sh
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
TRACES="${TRACES:-100000}"
JQ="${JQ:-1}"
JQ_MEM_GB="${JQ_MEM_GB:-16}"

if [ -z "${WORK:-}" ]; then
  WORK="$(mktemp -d /tmp/tracectl-bench.XXXXXX)"
  WORK_OWNED=1
fi
FILE="$WORK/traces-$TRACES.json"
echo "generating $TRACES traces ..." >&2
gen="$(bench_tool jaeger "$TRACES" "$FILE")"
echo "response: $gen"
EXE="${BENCH_TOOL_BIN:-$(cd "$REPO_DIR" && cargo bench -q --no-run --bench tool --message-format=json 2>/dev/null |
  jq -r 'select(.executable != null and .target.name == "tool") | .executable' | tail -1)}"

peak_kib() { awk -F': *' '/Maximum resident set size/ {print $2}' "$1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

if [ -x /usr/bin/time ]; then
  t0=$(now_ms)
  /usr/bin/time -v "$EXE" --bench measure "$FILE" >"$WORK/measure.json" 2>"$WORK/measure.time"
  t1=$(now_ms)
  peak=$(peak_kib "$WORK/measure.time")
  echo "tracectl decode+analyse: $(cat "$WORK/measure.json")"
  echo "  /usr/bin/time -v: max RSS $peak KiB; wall $((t1 - t0)) ms including reading the file"
else
  "$EXE" --bench measure "$FILE" >"$WORK/measure.json"
  peak=$(jq .vm_hwm_kib "$WORK/measure.json")
  echo "tracectl decode+analyse: $(cat "$WORK/measure.json")  (no /usr/bin/time: VmHWM only)"
fi
jq -r --argjson peak "$peak" '
  (.bytes / 1024) as $kib |
  "  response \(.bytes / 1048576 | floor) MiB, \(.spans) spans; peak RSS \($peak / 1024 | floor) MiB = \($peak / $kib * 100 | round / 100) x the response; " +
  "after decode minus the response and the start: \((.rss_after_decode_kib - .rss_after_read_kib) / 1024 | floor) MiB of traces (\((.rss_after_decode_kib - .rss_after_read_kib) / $kib * 100 | round / 100) x); " +
  "\(.spans / (.decode_s + .analyze_s) | floor) spans/s, \(.bytes / 1048576 / (.decode_s + .analyze_s) | floor) MiB/s"' \
  "$WORK/measure.json"

if [ "$JQ" = 1 ]; then
  if command -v jq >/dev/null; then
    echo "jq $(jq --version): total duration per (service, operation), whole document in memory ..." >&2
    set +e
    t0=$(now_ms)
    (
      ulimit -v $((JQ_MEM_GB * 1024 * 1024))
      /usr/bin/time -v jq -c 'reduce (.data[] | .processes as $p | .spans[]
          | [($p[.processID].serviceName), .operationName, .duration]) as $s
        ({}; .[$s[0] + " " + $s[1]] += $s[2]) | length' "$FILE"
    ) >"$WORK/jq.out" 2>"$WORK/jq.time"
    code=$?
    t1=$(now_ms)
    set -e
    if [ $code -eq 0 ]; then
      echo "jq: $(cat "$WORK/jq.out") (service, operation) totals; max RSS $(peak_kib "$WORK/jq.time") KiB, wall $((t1 - t0)) ms"
    else
      echo "jq failed (exit $code, memory limited to ${JQ_MEM_GB} GiB): $(grep -v -e '^\s' "$WORK/jq.time" | head -2 | tr '\n' ' ')"
      echo "  max RSS $(peak_kib "$WORK/jq.time") KiB, wall $((t1 - t0)) ms until then"
    fi
    if [ "${JQ_STREAM:-1}" = 1 ]; then
      # Constant memory, per operation only (a span's process comes after its spans in the stream).
      echo "jq --stream: total duration per operation ..." >&2
      t0=$(now_ms)
      /usr/bin/time -v jq -n --stream 'reduce (inputs | select(length == 2 and (.[0] | length) == 5
          and .[0][2] == "spans" and (.[0][4] == "operationName" or .[0][4] == "duration"))) as $e
        ({t: {}, op: null}; if $e[0][4] == "operationName" then .op = $e[1] else .t[.op] += $e[1] end)
        | .t | length' "$FILE" >"$WORK/jqs.out" 2>"$WORK/jqs.time"
      t1=$(now_ms)
      echo "jq --stream: $(cat "$WORK/jqs.out") operation totals; max RSS $(peak_kib "$WORK/jqs.time") KiB, wall $((t1 - t0)) ms"
    fi
  else
    echo "jq not installed: no comparison"
  fi
fi
