#!/usr/bin/env python3
"""Scoring for benches/accuracy/run.sh: the only reader of faults.json's expected_service.

    score.py FAULTS.json FAULT_ID REPORT.json EXIT_CODE [BASELINE_AT]   one TSV row for the fault
    score.py --summary FAULTS.json RESULTS.tsv OUT_DIR        top-1/top-3 per fault type, and the data check

The service a finding blames: its subject's dependency when it names one (slow_dependency,
dependency_errors: the finding says the dependency is at fault), else its subject's service. Rank 1
is the first finding's; top-3 the first three distinct services in rank order. Informational
findings that do not blame (audit_score etc.) do not occur in investigate reports.
"""

import json
import os
import re
import statistics
import sys
from collections import defaultdict


def blamed(finding):
    subj = finding.get("subject") or {}
    return subj.get("dependency") or subj.get("service")


def row(faults_path, fid, report_path, rc, baseline_at="-"):
    faults = {f["id"]: f for f in json.load(open(faults_path))["faults"]}
    f = faults[fid]
    got, top = "", []
    try:
        rep = json.load(open(report_path))
        for fd in sorted(rep.get("findings", []), key=lambda x: x.get("rank", 1e9)):
            s = blamed(fd)
            if s and s not in top:
                top.append(s)
        got = top[0] if top else ""
    except (OSError, ValueError):
        pass
    exp = f["expected_service"]
    print("\t".join([fid, f["type"], f["runbook"], exp, got or "-", ",".join(top[:3]) or "-",
                     str(int(got == exp)), str(int(exp in top[:3])), str(rc), baseline_at]))


# ------------------------------------------------------------ data check

MASK = [(re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
        (re.compile(r"\b[0-9a-f]{16,}\b"), "<hex>"),
        (re.compile(r"\d+(\.\d+)?"), "<n>")]


def template(line):
    body = line.split(" ", 1)[1] if " " in line else line
    for rx, rep in MASK:
        body = rx.sub(rep, body)
    return body.strip()[:200]


def server_spans(traces_path, service, after=None, before=None):
    """(durations in seconds, error flags) of the service's server spans (starting in [after, before))."""
    durs, errs = [], []
    if not os.path.exists(traces_path):
        return durs, errs
    for t in json.load(open(traces_path))["data"]:
        for s in t["spans"]:
            if t["processes"][s["processID"]]["serviceName"] != service:
                continue
            tags = {g["key"]: g["value"] for g in s["tags"]}
            if tags.get("span.kind") != "server":
                continue
            if after is not None and s["startTime"] < after * 1e6 or before is not None and s["startTime"] >= before * 1e6:
                continue
            durs.append(s["duration"] / 1e6)
            errs.append(bool(tags.get("error")))
    return durs, errs


def p95(xs):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(0.95 * len(xs)))]


def templates(dirpath, service):
    out = defaultdict(int)
    logs = os.path.join(dirpath, "logs")
    if not os.path.isdir(logs):
        return out
    for pod in os.listdir(logs):
        if re.sub(r"-[a-z0-9]+-[a-z0-9]+$", "", pod) != service:
            continue
        for name in os.listdir(os.path.join(logs, pod)):
            with open(os.path.join(logs, pod, name), errors="replace") as fh:
                for line in fh:
                    out[template(line)] += 1
    return out


def data_check(out_dir, f):
    """Does any signal in the converted data change at the root service? See README.md."""
    svc, fdir = f["expected_service"], os.path.join(out_dir, f["id"])
    base = os.path.join(out_dir, f"baseline-{f['day']}")
    d1, e1 = server_spans(os.path.join(fdir, "traces.json"), svc)
    d0, e0 = server_spans(os.path.join(base, "traces.json"), svc)
    lat = (p95(d1) / p95(d0)) if d1 and d0 and p95(d0) else None
    # Within the fault's own trace minutes: spans started after the injection against those before.
    tr = os.path.join(fdir, "traces.json")
    da, ea = server_spans(tr, svc, after=f["inject_unix"])
    db, eb = server_spans(tr, svc, before=f["inject_unix"])
    lat_in = (p95(da) / p95(db)) if da and db and p95(db) else None
    err_in = (sum(ea) / len(ea) - sum(eb) / len(eb)) if ea and eb else None
    err1 = sum(e1) / len(e1) if e1 else None
    err0 = sum(e0) / len(e0) if e0 else None
    cpu = None
    pj = os.path.join(fdir, "pods.json")
    if os.path.exists(pj):
        rows = json.load(open(pj))["rows"]
        t = f["inject_unix"]
        for pod, rs in rows.items():
            if re.sub(r"-[a-z0-9]+-[a-z0-9]+$", "", pod) != svc:
                continue
            before = [r["cpu_m"] for r in rs if t - 600 <= r["t"] < t]
            after = [r["cpu_m"] for r in rs if t <= r["t"] <= f["at_unix"]]
            if before and after and statistics.mean(before) > 0:
                cpu = statistics.mean(after) / statistics.mean(before)
    t1, t0 = templates(fdir, svc), templates(base, svc)
    new = [k for k in t1 if k not in t0]
    is_err = lambda k: re.search(r"ERROR|Exception|error", k)
    new_err = [k for k in new if is_err(k)]
    # Error-level lines per minute: the fault's three minutes against the fault-free one.
    elines1 = sum(n for k, n in t1.items() if is_err(k)) / 3
    elines0 = sum(n for k, n in t0.items() if is_err(k))
    signals = []
    if lat is not None and lat >= 1.5:
        signals.append(f"p95x{lat:.1f} vs fault-free minute")
    if lat_in is not None and lat_in >= 1.5:
        signals.append(f"p95x{lat_in:.1f} after/before injection")
    if err_in is not None and err_in >= 0.05:
        signals.append(f"errors+{err_in:.0%} after/before injection")
    if err1 is not None and (err1 - (err0 or 0)) >= 0.05:
        signals.append(f"error share {err1:.0%} vs {err0 or 0:.0%} fault-free")
    if cpu is not None and cpu >= 1.5:
        signals.append(f"cpux{cpu:.1f}")
    if new_err:
        signals.append(f"new_error_templates={len(new_err)}")
    if elines1 >= 2 * max(elines0, 1):
        signals.append(f"error_lines/min {elines0:g}->{elines1:.0f}")
    return {"server_spans": len(d1), "server_spans_before_injection": len(db), "p95_ratio": lat,
            "p95_ratio_after_before_injection": lat_in, "error_share_delta_after_before_injection": err_in, "error_share": err1, "error_share_baseline": err0,
            "cpu_ratio": cpu, "error_lines_per_min": elines1, "error_lines_baseline": elines0,
            "new_templates": len(new), "new_error_templates": len(new_err),
            "signals": signals}


def summary(faults_path, results_path, out_dir):
    faults = {f["id"]: f for f in json.load(open(faults_path))["faults"]}
    rows = []
    with open(results_path) as fh:
        head = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    by = defaultdict(list)
    for r in rows:
        by[r["type"]].append(r)
        by["all"].append(r)
    print("\n| fault type | runbook | faults | top-1 | top-3 |")
    print("| --- | --- | --- | --- | --- |")
    for k in sorted(by, key=lambda k: (k == "all", k)):
        rs = by[k]
        h1, h3 = sum(int(r["hit1"]) for r in rs), sum(int(r["hit3"]) for r in rs)
        rb = rs[0]["runbook"] if k != "all" else "both"
        print(f"| {k} | {rb} | {len(rs)} | {h1}/{len(rs)} | {h3}/{len(rs)} |")
    print("\n| fault | type | expected | got | top-3 | data shows at the root |")
    print("| --- | --- | --- | --- | --- | --- |")
    checks = {}
    for r in rows:
        c = data_check(out_dir, faults[r["fault"]])
        checks[r["fault"]] = c
        mark = "hit" if r["hit1"] == "1" else ("top-3" if r["hit3"] == "1" else "miss")
        print(f"| {r['fault']} | {r['type']} | {r['expected']} | {r['got']} ({mark}) | {r['top3']} | "
              f"{', '.join(c['signals']) or 'nothing'} |")
    with open(os.path.join(out_dir, "datacheck.json"), "w") as fh:
        json.dump(checks, fh, indent=1)
    shows = sum(1 for c in checks.values() if c["signals"])
    print(f"\ndata shows a change at the root for {shows}/{len(checks)} faults (details: {out_dir}/datacheck.json)")


if __name__ == "__main__":
    if sys.argv[1] == "--summary":
        summary(*sys.argv[2:5])
    else:
        row(*sys.argv[1:6])
