#!/usr/bin/env python3
"""Convert the DEVELOPMENT split of the Nezha dataset (TrainTicket, 2023-01-29/30) into what tracectl reads.

    NEZHA_REPO=/work/.mirror/IntelligentDDS+Nezha/repo python3 benches/accuracy/convert.py OUT_DIR [FAULT_ID ...]

NEZHA_REPO is a bare git directory (read with `git show HEAD:path`) or a checkout (files read as
they are). For each dev fault (FAULT_ID like 2023-01-29T08:43; all 24 without one) it writes
OUT_DIR/FAULT_ID/:

  metrics.om     OpenMetrics for `promtool tsdb create-blocks-from openmetrics` (spanmetrics profile):
                 span metrics of the fault's trace minutes, preceded, where the day's fault-free
                 minute lies before --at, by those of that minute at their real times (counters
                 continue across the gap), and the container rows --at and --baseline-at need
  traces.json    the spans of the fault's three trace minutes as Jaeger legacy /api/traces JSON
  pods.json      the day's pods (name, service) and the metric rows kept (for the data check)
  logs/POD/HH_MM.log   pod logs per pod and trace minute, `kubectl logs --timestamps` lines
  fault.json     id, day, inject time, --at, fault type, runbook, the suggested --baseline-at
                 (baseline_at, null with baseline_note where there is none) (NOT the expected service)

and OUT_DIR/faults.json (the manifest, with the expected service, read only by the scorer),
OUT_DIR/baseline-DAY/ (the day's fault-free minute from construct_data/: traces.json and logs, for
the data check and served by serve.py as the pods' earlier lines) OUT_DIR/absent.txt (files the
snapshot lists but does not hold) and OUT_DIR/opened.txt (every file read, checked against the
held-out minutes before it is written).

THE HELD-OUT RULE. Only the 24 faults in DEV below are converted. The fault lists are read entry by
entry; of an entry whose inject_time (HH:MM) is not in DEV only `inject_time` is read, to know the
held-out windows [t - 1 min, t + 10 min]. No trace/traceid/log file of a held-out minute is opened
(asserted before any file is read), every per-pod metric row inside a held-out window is
dropped (asserted on what is written), and so are the fault-free minute's spans and log lines in
one (its two metric samples are asserted outside them). rca_data/2022-08-* and
construct_data/2022-08-* are never read. Standard library only.
"""

import bisect
import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone

# The development split: the only faults this converter will convert (inject_time HH:MM, data clock = UTC).
DEV = {
    "2023-01-29": ["08:43", "08:58", "09:12", "09:25", "09:30", "09:42", "09:58", "10:12", "10:26",
                   "10:50", "11:04", "11:19", "11:36", "13:31", "14:49"],
    "2023-01-30": ["11:51", "11:59", "12:15", "12:36", "12:59", "13:06", "13:22", "13:44", "14:00"],
}
assert sum(len(v) for v in DEV.values()) == 24

NAMESPACE = "train-ticket"
AT_AFTER_S = 120            # tracectl runs at inject_time + 2 min
LOOKBACK_S = 3600           # tracectl's default --lookback (1h) ...
RATE_WINDOW_S = 300         # ... and --rate-window (5m): the metric rows kept per fault
STEP_S = 15                 # sample step of the derived span and servicegraph counters
# The OpenTelemetry Collector spanmetrics connector's default histogram buckets (seconds).
BUCKETS = [0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.4, 2.0, 5.0, 10.0, 15.0]
ERROR_OP = "BasicErrorController.error"
RUNBOOK = {"cpu_contention": "latency", "network_delay": "latency", "exception": "errors", "return": "errors"}

HASHES = re.compile(r"-[a-z0-9]+-[a-z0-9]+$")


def service_of(pod):
    """A pod name minus its two hash suffixes (ts-travel-service-64469b5b48-25zj6 -> ts-travel-service)."""
    return HASHES.sub("", pod)


def utc(day, hhmmss):
    return int(datetime.strptime(f"{day} {hhmmss}", "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp())


def hhmm(ts):
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%H_%M")


def iso(ts):
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Repo:
    """Reads files of the Nezha repository: a bare git dir (git show HEAD:path) or a checkout."""

    def __init__(self, path):
        self.path = path
        self.bare = os.path.isfile(os.path.join(path, "HEAD")) and os.path.isdir(os.path.join(path, "objects"))
        self.absent = []
        self.opened = []  # every file read, for the audit in OUT_DIR/opened.txt

    def _guard(self, rel):
        assert not re.match(r"(rca_data|construct_data)/2022-08", rel), f"not asked for: {rel}"

    def list(self, rel):
        self._guard(rel)
        if self.bare:
            out = subprocess.run(["git", "--git-dir", self.path, "ls-tree", "--name-only", f"HEAD:{rel}"],
                                 check=True, capture_output=True, text=True).stdout
            return sorted(out.split())
        return sorted(os.listdir(os.path.join(self.path, rel)))

    def read(self, rel):
        """The file's text, or None when the snapshot lists it but does not hold it (recorded in absent)."""
        self._guard(rel)
        self.opened.append(rel)
        if self.bare:
            r = subprocess.run(["git", "--git-dir", self.path, "show", f"HEAD:{rel}"], capture_output=True)
            if r.returncode != 0:
                self.absent.append(rel)
                return None
            return r.stdout.decode("utf-8", "replace")
        p = os.path.join(self.path, rel)
        if not os.path.exists(p):
            self.absent.append(rel)
            return None
        with open(p, encoding="utf-8", errors="replace") as f:
            return f.read()


def read_fault_lists(repo):
    """(dev faults, held-out inject times). Of a held-out entry only inject_time is read."""
    dev, held_out = [], []
    for day, times in DEV.items():
        doc = json.loads(repo.read(f"rca_data/{day}/{day}-fault_list.json"))
        for hour in doc:
            for entry in doc[hour]:
                t = entry["inject_time"]            # the only field read before the split is decided
                d, clock = t.split(" ")
                if d == day and clock[:5] in times:
                    dev.append({"day": day, "inject_time": t, "type": entry["inject_type"],
                                "pod": entry["inject_pod"]})
                else:
                    held_out.append(t)
    got = sorted(f["inject_time"][:16] for f in dev)
    want = sorted(f"{d} {t}" for d, ts in DEV.items() for t in ts)
    assert got == want, f"dev split mismatch: {set(got) ^ set(want)}"
    assert len(held_out) == 21, len(held_out)
    return dev, held_out


class Split:
    """The held-out windows and the minutes whose trace/traceid/log files must not be opened."""

    def __init__(self, held_out_times):
        self.windows = []
        self.forbidden_minutes = set()
        for t in held_out_times:
            day, clock = t.split(" ")
            ts = utc(day, clock)
            self.windows.append((ts - 60, ts + 600))
            for k in range(3):  # the held-out fault's own trace minutes
                self.forbidden_minutes.add((day, hhmm(ts + 60 * k)))
        self.windows.sort()

    def held(self, ts):
        return any(a <= ts <= b for a, b in self.windows)

    def check_minute_file(self, day, minute):
        assert (day, minute) not in self.forbidden_minutes, f"held-out minute file: {day} {minute}"


# ---------------------------------------------------------------- traces

class Span:
    __slots__ = ("trace", "id", "parent", "pod", "service", "op", "start_ns", "end_ns", "kind", "error")


def read_spans(text):
    spans = []
    for r in csv.DictReader(io.StringIO(text)):
        s = Span()
        s.trace, s.id, s.parent = r["TraceID"], r["SpanID"], r["ParentID"]
        s.pod, s.op = r["PodName"], r["OperationName"]
        s.service = service_of(s.pod)
        s.start_ns, s.end_ns = int(r["StartTimeUnixNano"]), int(r["EndTimeUnixNano"])
        s.kind, s.error = "internal", False
        spans.append(s)
    return spans


def derive(spans):
    """Span kind and error, which the data do not carry: documented in README.md.

    kind: server when the span is a root or its parent is in another service; client when (not
    server and) a child is in another service; else internal. error: the span has a
    BasicErrorController.error child (Spring's handler of an uncaught exception)."""
    by_id = {(s.trace, s.id): s for s in spans}
    children = defaultdict(list)
    for s in spans:
        p = by_id.get((s.trace, s.parent))
        if p is not None:
            children[(s.trace, p.id)].append(s)
    for s in spans:
        p = by_id.get((s.trace, s.parent))
        kids = children.get((s.trace, s.id), [])
        if p is None or p.service != s.service:
            s.kind = "server"
        elif any(k.service != s.service for k in kids):
            s.kind = "client"
        s.error = any(k.op == ERROR_OP for k in kids)
    return by_id


def jaeger_json(spans):
    traces = defaultdict(list)
    for s in spans:
        traces[s.trace].append(s)
    out = []
    for tid, ss in traces.items():
        ids = {s.id for s in ss}
        procs = {}
        for s in ss:
            procs.setdefault(s.pod, f"p{len(procs) + 1}")
        jspans = []
        for s in sorted(ss, key=lambda s: s.start_ns):
            tags = [{"key": "span.kind", "type": "string", "value": s.kind}]
            if s.error:
                tags.append({"key": "error", "type": "bool", "value": True})
            refs = ([{"refType": "CHILD_OF", "traceID": tid, "spanID": s.parent}]
                    if s.parent != "root" and s.parent in ids else [])
            jspans.append({"traceID": tid, "spanID": s.id, "operationName": s.op, "references": refs,
                           "startTime": s.start_ns // 1000, "duration": max(0, (s.end_ns - s.start_ns) // 1000),
                           "tags": tags, "logs": [], "processID": procs[s.pod], "warnings": None})
        processes = {pid: {"serviceName": service_of(pod),
                           "tags": [{"key": "k8s.pod.name", "type": "string", "value": pod},
                                    {"key": "k8s.namespace.name", "type": "string", "value": NAMESPACE}]}
                     for pod, pid in procs.items()}
        out.append({"traceID": tid, "spans": jspans, "processes": processes, "warnings": None})
    out.sort(key=lambda t: min(s["startTime"] for s in t["spans"]))
    return {"data": out, "total": 0, "limit": 0, "offset": 0, "errors": None}


# ---------------------------------------------------------------- OpenMetrics

def lbl(d):
    return "{" + ",".join(f'{k}="{v}"' for k, v in d.items() if v is not None) + "}" if d else ""


def esc(v):
    return str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def fmt(v):
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


class Om:
    def __init__(self):
        self.families = {}  # family -> (type, [lines])

    def fam(self, name, typ):
        return self.families.setdefault(name, (typ, []))[1]

    def counter_events(self, family, labels, events, times):
        """A counter counting `events` (sorted event times) cumulatively, sampled at `times`."""
        lines = self.fam(family, "counter")
        lab = lbl({k: esc(v) for k, v in labels.items()})
        for t in times:
            lines.append(f"{family}_total{lab} {bisect.bisect_right(events, t)} {t}")

    def histogram_events(self, family, labels, events, times):
        """A histogram of (end time, seconds) events, cumulative, sampled at `times`."""
        lines = self.fam(family, "histogram")
        events = sorted(events)
        ends = [e[0] for e in events]
        base = {k: esc(v) for k, v in labels.items()}
        for t in times:
            n = bisect.bisect_right(ends, t)
            vals = [e[1] for e in events[:n]]
            for le in BUCKETS:
                lines.append(f"{family}_bucket{lbl({**base, 'le': fmt(le)})} {sum(1 for v in vals if v <= le)} {t}")
            lines.append(f"{family}_bucket{lbl({**base, 'le': '+Inf'})} {n} {t}")
            lines.append(f"{family}_count{lbl(base)} {n} {t}")
            lines.append(f"{family}_sum{lbl(base)} {fmt(round(sum(vals), 9))} {t}")

    def gauge(self, family, labels, points):
        lines = self.fam(family, "gauge")
        lab = lbl({k: esc(v) for k, v in labels.items()})
        for t, v in points:
            lines.append(f"{family}{lab} {fmt(v)} {t}")

    def counter_points(self, family, labels, points):
        lines = self.fam(family, "counter")
        lab = lbl({k: esc(v) for k, v in labels.items()})
        for t, v in points:
            lines.append(f"{family}_total{lab} {fmt(v)} {t}")

    def write(self, path):
        with open(path, "w") as f:
            for name, (typ, lines) in self.families.items():
                f.write(f"# TYPE {name} {typ}\n")
                f.write("\n".join(lines))
                f.write("\n")
            f.write("# EOF\n")


def span_events(spans, by_id):
    """Events of the spanmetrics and servicegraph connectors, derived from the spans.

    calls: (service, span name, kind, status) -> [(end time, seconds)]. edges: (client, server)
    -> (request ends, failed ends, [(end, client seconds)], [(end, server seconds)]): a parent span
    in one service whose child is in another is one request client -> server; the client's time is
    the parent's duration, the server's the child's; it failed when either span is an error.
    Counted at the child's end."""
    calls = defaultdict(list)
    for s in spans:
        status = "STATUS_CODE_ERROR" if s.error else "STATUS_CODE_UNSET"
        key = (s.service, s.op, "SPAN_KIND_" + s.kind.upper(), status)
        calls[key].append((s.end_ns / 1e9, (s.end_ns - s.start_ns) / 1e9))
    edges = defaultdict(lambda: ([], [], [], []))
    for s in spans:
        p = by_id.get((s.trace, s.parent))
        if p is None or p.service == s.service:
            continue
        t = s.end_ns / 1e9
        total, failed, client, server = edges[(p.service, s.service)]
        total.append(t)
        if s.error or p.error:
            failed.append(t)
        client.append((t, (p.end_ns - p.start_ns) / 1e9))
        server.append((t, (s.end_ns - s.start_ns) / 1e9))
    return calls, edges


def series_times(segments, key, which):
    """Sample times of one series over the segments (in time order): those of the first segment
    in which it has events and of every later one, as a connector that creates a series at its
    first event and exports it from then on. Its counters count every event so far, so a later
    segment continues from the earlier total (monotonic across the gap)."""
    out = []
    for times, ev in segments:
        if out or key in ev[which]:
            out.extend(times)
    return out


def span_metrics(om, segments):
    """spanmetrics connector series and servicegraph connector series, derived from the spans.

    segments: [(spans, by_id, sample times)] in time order, not overlapping: the fault's own
    trace minutes, preceded by the day's fault-free minute where it serves as a baseline."""
    evs = [(times, span_events(spans, by_id)) for spans, by_id, times in segments]
    calls, edges = defaultdict(list), defaultdict(lambda: ([], [], [], []))
    for _, (c, e) in evs:
        for k, v in c.items():
            calls[k].extend(v)
        for k, v in e.items():
            for acc, part in zip(edges[k], v):
                acc.extend(part)
    for (svc, op, kind, status), ev in sorted(calls.items()):
        labels = {"service_name": svc, "span_name": op, "span_kind": kind, "status_code": status}
        times = series_times(evs, (svc, op, kind, status), 0)
        om.counter_events("traces_span_metrics_calls", labels, sorted(e[0] for e in ev), times)
        om.histogram_events("traces_span_metrics_duration_seconds", labels, ev, times)
    for (c, sv), (total, failed, client, server) in sorted(edges.items()):
        labels = {"client": c, "server": sv}
        times = series_times(evs, (c, sv), 1)
        om.counter_events("traces_service_graph_request", labels, sorted(total), times)
        om.counter_events("traces_service_graph_request_failed", labels, sorted(failed), times)
        om.histogram_events("traces_service_graph_request_client_seconds", labels, client, times)
        om.histogram_events("traces_service_graph_request_server_seconds", labels, server, times)


def pod_metric_rows(text, split, windows):
    """Rows of one per-pod CSV with lo <= TimeStamp <= hi for one of the (lo, hi) windows, and
    outside every held-out window."""
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        ts = int(r["TimeStamp"])
        if any(lo <= ts <= hi for lo, hi in windows) and not split.held(ts):
            rows.append(r)
    return rows


def container_metrics(om, pod, rows):
    """cAdvisor-style series from the per-minute rows of one pod: documented in README.md."""
    svc = service_of(pod)
    labels = {"namespace": NAMESPACE, "pod": pod, "container": svc}
    pts = [(int(r["TimeStamp"]), r) for r in rows]
    f = lambda r, k: float(r[k])
    om.gauge("container_memory_working_set_bytes", labels,
             [(t, f(r, "MemoryUsage(Mi)") * 1048576) for t, r in pts])
    om.gauge("container_spec_memory_limit_bytes", labels,
             [(t, round(f(r, "MemoryUsage(Mi)") / f(r, "MemoryUsageRate(%)") * 100 * 1048576))
              for t, r in pts if f(r, "MemoryUsageRate(%)") > 0])
    # The CPU limit is CpuUsage(m) / CpuUsageRate(%); as cAdvisor's quota over a 100 ms period.
    om.gauge("container_spec_cpu_period", labels, [(t, 100000) for t, r in pts])
    om.gauge("container_spec_cpu_quota", labels,
             [(t, round(f(r, "CpuUsage(m)") / f(r, "CpuUsageRate(%)") * 100 / 1000 * 100000))
              for t, r in pts if f(r, "CpuUsageRate(%)") > 0])
    # Counters integrate the per-minute rates over the time since the previous row (a gap in
    # the rows, e.g. a dropped held-out window, restarts nothing: the counter just holds).
    cum = {"cpu": 0.0, "tx": 0.0, "rx": 0.0}
    cpu, tx, rx = [], [], []
    prev = None
    for t, r in pts:
        dt = (t - prev) if prev is not None and t - prev <= 90 else 0
        cum["cpu"] += f(r, "CpuUsage(m)") / 1000 * dt
        cum["tx"] += f(r, "NetworkTransmitBytes") * dt
        cum["rx"] += f(r, "NetworkReceiveBytes") * dt
        cpu.append((t, round(cum["cpu"], 6)))
        tx.append((t, round(cum["tx"], 3)))
        rx.append((t, round(cum["rx"], 3)))
        prev = t
    om.counter_points("container_cpu_usage_seconds", labels, cpu)
    om.counter_points("container_network_transmit_bytes", labels, tx)
    om.counter_points("container_network_receive_bytes", labels, rx)


# ---------------------------------------------------------------- logs

def convert_logs(text, outdir, minute, drop=None):
    """One file per pod: `RFC3339NANO line` as `kubectl logs --timestamps` prints, sorted by time.
    `drop(unix seconds)`: rows for which it is true are left out."""
    per_pod = defaultdict(list)
    for r in csv.DictReader(io.StringIO(text)):
        if drop is not None and drop(int(r["TimeUnixNano"]) // 10**9):
            continue
        raw = r["Log"]
        try:
            line = json.loads(raw).get("log", raw)
        except (ValueError, AttributeError):
            line = raw
        line = line.rstrip("\n")
        per_pod[r["PodName"]].append((int(r["TimeUnixNano"]), r["Timestamp"], line))
    n = 0
    for pod, lines in per_pod.items():
        d = os.path.join(outdir, "logs", pod)
        os.makedirs(d, exist_ok=True)
        lines.sort()
        with open(os.path.join(d, f"{minute}.log"), "w") as f:
            for _, ts, line in lines:
                for part in line.split("\n"):
                    f.write(f"{ts} {part}\n")
                    n += 1
    return n


# ---------------------------------------------------------------- the fault-free minute as a baseline

def baseline_segment(day, minute, spans, by_id, split):
    """The day's fault-free minute as the first segment of its later faults' span metrics.

    Its counters are sampled twice, at their real times: t_a, the fault's own rule for the first
    sample (15 s before the first span's 15 s tick; nothing has ended yet, so every counter is
    0), and t_b, the second the last span ends in (every counter holds the minute's total; not
    the next 15 s tick: on 2023-01-29 that tick, 08:51:15, is in a held-out window). So every 5 m
    rate window that sees any of the minute sees all of it: the 1-minute subquery steps in
    [t_b, t_a + 5 m] each give the minute's p95 and error ratio, and none gives part of it (a
    window that cuts the minute keeps its short spans at the start or its long ones at the end,
    a spread the data do not have). `at` (the suggested --baseline-at) is the last of those
    steps; the hour before it holds them all. README.md says what this costs."""
    first = min(s.start_ns for s in spans) // 10**9
    last_end = -(-max(s.end_ns for s in spans) // 10**9)
    t_a = (first // STEP_S) * STEP_S - STEP_S
    t_b = last_end
    at = ((t_a + RATE_WINDOW_S) // 60) * 60
    assert t_b <= at, f"{day} {minute}: the fault-free minute is longer than a rate window allows"
    # The rule: no sample in a held-out window. (`at` may be in one: 2023-01-29 08:53 is in the
    # window of the held-out fault at 08:52, but nothing converted lies there: no span sample
    # after t_b, no container row, no log line.)
    for t in (t_a, t_b):
        assert not split.held(t), (day, minute, t)
    return {"minute": f"{day}T{minute.replace('_', ':')}", "spans": spans, "by_id": by_id,
            "times": [t_a, t_b], "last_end": last_end, "at": at}


# ---------------------------------------------------------------- main

def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    only = set(sys.argv[2:])
    repo_path = os.environ.get("NEZHA_REPO")
    if not repo_path:
        sys.exit("set NEZHA_REPO to the Nezha repository (a bare git dir or a checkout)")
    repo = Repo(repo_path)
    dev, held = read_fault_lists(repo)
    split = Split(held)
    os.makedirs(out, exist_ok=True)

    manifest = []
    for f in dev:
        day, clock = f["inject_time"].split(" ")
        ts = utc(day, clock)
        fid = f"{day}T{clock[:5]}"
        # The fault's own trace minutes may not be a held-out fault's.
        for k in range(3):
            split.check_minute_file(day, hhmm(ts + 60 * k))
        assert f["type"] in RUNBOOK, f["type"]
        manifest.append({"id": fid, "day": day, "inject_time": iso(ts), "inject_unix": ts,
                         "at": iso(ts + AT_AFTER_S), "at_unix": ts + AT_AFTER_S, "type": f["type"],
                         "runbook": RUNBOOK[f["type"]], "expected_service": service_of(f["pod"]),
                         "held_out_window_overlap": [iso(a) + "/" + iso(b) for a, b in split.windows
                                                     if a <= ts + AT_AFTER_S and b >= ts + AT_AFTER_S - LOOKBACK_S - RATE_WINDOW_S],
                         # A held-out window over the fault's own trace minutes (~inject - 2 min .. --at):
                         # its traces and logs, kept, may show that neighbour's effect too.
                         "traces_overlap_held_out_window": any(a <= ts + AT_AFTER_S and b >= ts - 120
                                                               for a, b in split.windows)})
    manifest.sort(key=lambda m: m["inject_unix"])

    # Each day's fault-free minute (construct_data/DAY): for the data check, and as the baseline
    # of the day's faults that come after it (see baseline_segment).
    baselines = {}
    for day in DEV:
        bdir = os.path.join(out, f"baseline-{day}")
        os.makedirs(bdir, exist_ok=True)
        for name in repo.list(f"construct_data/{day}/trace"):
            minute = name[:5]
            split.check_minute_file(day, minute)
            text = repo.read(f"construct_data/{day}/trace/{name}")
            if text is None:
                continue
            spans = [s for s in read_spans(text) if not split.held(s.start_ns // 10**9)]
            by_id = derive(spans)
            with open(os.path.join(bdir, "traces.json"), "w") as fo:
                json.dump(jaeger_json(spans), fo)
            ltext = repo.read(f"construct_data/{day}/log/{minute}_log.csv")
            if ltext is not None:
                convert_logs(ltext, bdir, minute, drop=split.held)
            assert day not in baselines, f"more than one fault-free minute on {day}"
            if spans:
                baselines[day] = baseline_segment(day, minute, spans, by_id, split)
        print(f"baseline-{day}: done", file=sys.stderr)

    metric_cache = {}
    for m in manifest:
        if only and m["id"] not in only:
            continue
        day, ts = m["day"], m["inject_unix"]
        fdir = os.path.join(out, m["id"])
        os.makedirs(fdir, exist_ok=True)
        spans = []
        nlog = 0
        for k in range(3):
            minute = hhmm(ts + 60 * k)
            split.check_minute_file(day, minute)
            text = repo.read(f"rca_data/{day}/trace/{minute}_trace.csv")
            if text is not None:
                spans.extend(read_spans(text))
            ltext = repo.read(f"rca_data/{day}/log/{minute}_log.csv")
            if ltext is not None:
                nlog += convert_logs(ltext, fdir, minute)
        by_id = derive(spans)
        with open(os.path.join(fdir, "traces.json"), "w") as fo:
            json.dump(jaeger_json(spans), fo)

        om = Om()
        t_at = m["at_unix"]
        t0 = (min(s.start_ns for s in spans) // 10**9 // STEP_S) * STEP_S - STEP_S if spans else t_at
        segments = [(spans, by_id, list(range(t0, t_at + 60 + 1, STEP_S)))]
        # Metric rows: the window --at needs, and the one --baseline-at needs where there is one.
        windows = [(t_at - LOOKBACK_S - RATE_WINDOW_S, t_at + 60)]
        b = baselines.get(day)
        if b is not None and b["last_end"] < t_at and b["times"][-1] < t0:
            segments.insert(0, (b["spans"], b["by_id"], b["times"]))
            windows.insert(0, (b["at"] - LOOKBACK_S - RATE_WINDOW_S, b["at"]))
            assert b["at"] < t0 and b["at"] < t_at, (m["id"], b["at"])
            m.update({"baseline_at": iso(b["at"]), "baseline_at_unix": b["at"], "baseline_dir": f"baseline-{day}",
                      "baseline_minute": b["minute"], "baseline_samples": [iso(t) for t in b["times"]]})
        else:
            m.update({"baseline_at": None, "baseline_note": (
                f"the day's fault-free minute ({b['minute']}) is not before --at" if b is not None
                else "no fault-free minute that day")})
        span_metrics(om, segments)
        pods = []
        if day not in metric_cache:
            metric_cache.clear()
            metric_cache[day] = {name[: -len("_metric.csv")]: repo.read(f"rca_data/{day}/metric/{name}")
                                 for name in repo.list(f"rca_data/{day}/metric") if name.endswith("_metric.csv")}
        kept_rows = {}
        for pod, text in sorted(metric_cache[day].items()):
            if text is None:
                continue
            rows = pod_metric_rows(text, split, windows)
            for r in rows:  # the rule, asserted on what is written
                assert not split.held(int(r["TimeStamp"])), r["TimeStamp"]
            container_metrics(om, pod, rows)
            pods.append({"pod": pod, "service": service_of(pod)})
            kept_rows[pod] = [{"t": int(r["TimeStamp"]), "cpu_m": float(r["CpuUsage(m)"]),
                               "mem_mi": float(r["MemoryUsage(Mi)"]), "tx": float(r["NetworkTransmitBytes"]),
                               "rx": float(r["NetworkReceiveBytes"]),
                               "server_p95_s": float(r["PodServerLatencyP95(s)"]),
                               "workload": float(r["PodWorkload(Ops)"])} for r in rows]
        om.write(os.path.join(fdir, "metrics.om"))
        with open(os.path.join(fdir, "pods.json"), "w") as fo:
            json.dump({"namespace": NAMESPACE, "pods": pods, "rows": kept_rows}, fo)
        public = {k: v for k, v in m.items() if k != "expected_service"}
        assert m["expected_service"] not in json.dumps(public), m["id"]  # serve.py reads fault.json
        with open(os.path.join(fdir, "fault.json"), "w") as fo:
            json.dump(public, fo, indent=1)
        n_rows = sum(len(v) for v in kept_rows.values())
        # Container rows in the rate window before --at (none where held-out windows cover it).
        m["container_rows_last_5m"] = sum(1 for v in kept_rows.values() for r in v
                                          if t_at - RATE_WINDOW_S <= r["t"] <= t_at)
        print(f"{m['id']}: {len(spans)} spans, {nlog} log lines, {n_rows} metric rows", file=sys.stderr)

    # The audit: no trace/traceid/log file of a held-out minute was opened.
    for rel in repo.opened:
        m = re.match(r"rca_data/([0-9-]+)/(trace|traceid|log)/(\d\d_\d\d)_", rel)
        if m:
            split.check_minute_file(m.group(1), m.group(3))
    with open(os.path.join(out, "opened.txt"), "w") as fo:
        fo.write("".join(r + "\n" for r in repo.opened))
    with open(os.path.join(out, "faults.json"), "w") as fo:
        json.dump({"about": "Nezha dev split (24 faults); expected_service is for the scorer only",
                   "faults": manifest}, fo, indent=1)
    with open(os.path.join(out, "absent.txt"), "w") as fo:
        fo.write("".join(a + "\n" for a in repo.absent))
    if repo.absent:
        print(f"absent from the snapshot: {len(repo.absent)} files (see absent.txt)", file=sys.stderr)


if __name__ == "__main__":
    main()
