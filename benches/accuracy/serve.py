#!/usr/bin/env python3
"""Loopback fixture servers answering from ONE converted Nezha fault directory (benches/accuracy).

    python3 serve.py FAULT_DIR --ports-file PORTS.json [--log REQUESTS.jsonl]

Two HTTP servers on ports the OS picks (written to --ports-file as {"jaeger": N, "kubernetes": M}):

- jaeger:      the legacy query API over FAULT_DIR/traces.json and, when fault.json names a
               baseline_dir, the day's fault-free minute's ../baseline-DAY/traces.json (one store,
               as Jaeger keeps everything; the searches' start/end tell them apart): /api/services, /api/operations
               (?service=&spanKind=), /api/traces (service, operation, tags, start, end in µs,
               minDuration, maxDuration, limit; lookback ignored, start/end win), /api/traces/{id},
               /api/dependencies (parent/child pairs across services, counted)
- kubernetes:  a read-only API server: namespaces, pods (labels app=SERVICE per the pod names of
               FAULT_DIR/pods.json), each pod's log (FAULT_DIR/logs/POD/*.log, plus the day's
               fault-free minute, ../baseline-DAY/logs/POD/*.log, when fault.json names it as
               baseline_dir; sinceSeconds or sinceTime, tailLines, limitBytes, timestamps),
               Deployments and ReplicaSets created 30 days before the fault (no rollout), no
               ConfigMaps (404: the data have none), no events.

"Now" for the Kubernetes answers (sinceSeconds; no line after it is served) is the fault's `at`
(fault.json). The log options are validated as the API server does (ValidatePodLogOptions): both
sinceSeconds and sinceTime, sinceSeconds < 1, limitBytes < 1 or tailLines < 0 answer 422 Invalid
with the Status of apimachinery's NewInvalid; a sinceTime or a number that does not parse answers
400 BadRequest (the message's tail after `as "2006-01-02T15:04:05Z07:00": ` is not Go's). The data have no
pod status: pods are Running, ready, never restarted. Shapes follow benches/fixtures.py and
tests/it/scenarios.rs; nothing is shared with them. Stops on SIGTERM/SIGINT. Standard library only.
"""

import argparse
import calendar
import glob
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def rfc3339(unix):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix))


def go_duration_us(s):
    """Jaeger's minDuration/maxDuration (Go duration: 1s, 500ms, 1.5s, 100us) in microseconds."""
    units = [("ms", 1000), ("us", 1), ("µs", 1), ("ns", 0.001), ("s", 1_000_000), ("m", 60_000_000), ("h", 3_600_000_000)]
    total, num = 0.0, ""
    i = 0
    while i < len(s):
        c = s[i]
        if c.isdigit() or c == ".":
            num += c
            i += 1
            continue
        for u, mul in units:
            if s.startswith(u, i):
                total += float(num or 0) * mul
                num = ""
                i += len(u)
                break
        else:
            raise ValueError(s)
    if num:
        total += float(num)
    return total


class Data:
    def __init__(self, fdir):
        with open(os.path.join(fdir, "fault.json")) as f:
            self.fault = json.load(f)
        self.at = self.fault["at_unix"]
        with open(os.path.join(fdir, "traces.json")) as f:
            self.traces = json.load(f)["data"]
        # The store holds the day's fault-free minute's traces too, where the fault has it
        # (fault.json's baseline_dir), as a real Jaeger holds everything; searches filter by
        # start/end, so a search of the baseline hour finds them and one of the last minutes not.
        bdir = self.fault.get("baseline_dir")
        self.baseline_traces = 0
        if bdir:
            with open(os.path.join(os.path.dirname(os.path.abspath(fdir)), bdir, "traces.json")) as f:
                base = json.load(f)["data"]
            own = {t["traceID"] for t in self.traces}
            clash = [t["traceID"] for t in base if t["traceID"] in own]
            assert not clash, f"trace IDs in both the fault's and the fault-free minute's traces: {clash[:3]}"
            self.traces = base + self.traces
            self.baseline_traces = len(base)
        with open(os.path.join(fdir, "pods.json")) as f:
            pj = json.load(f)
        self.ns = pj["namespace"]
        self.pods = pj["pods"]
        self.services = sorted({p["serviceName"] for t in self.traces for p in t["processes"].values()})
        self.ops = defaultdict(set)
        deps = Counter()
        self.by_id = {}
        for t in self.traces:
            self.by_id[t["traceID"]] = t
            svc = {sid: t["processes"][s["processID"]]["serviceName"] for sid, s in
                   ((s["spanID"], s) for s in t["spans"])}
            for s in t["spans"]:
                kind = next((g["value"] for g in s["tags"] if g["key"] == "span.kind"), "")
                self.ops[svc[s["spanID"]]].add((s["operationName"], kind))
                for r in s["references"]:
                    p = svc.get(r["spanID"])
                    if p and p != svc[s["spanID"]]:
                        deps[(p, svc[s["spanID"]])] += 1
        self.deps = [{"parent": a, "child": b, "callCount": n} for (a, b), n in sorted(deps.items())]
        # The pods' log lines: the fault's trace minutes and, where the fault has one
        # (fault.json's baseline_dir), the day's fault-free minute, as the pod would hold them.
        dirs = [os.path.join(fdir, "logs")]
        if self.fault.get("baseline_dir"):
            dirs.append(os.path.join(os.path.dirname(os.path.abspath(fdir)), self.fault["baseline_dir"], "logs"))
        lines = defaultdict(list)
        for d in dirs:
            for pod in os.listdir(d) if os.path.isdir(d) else []:
                for p in sorted(glob.glob(os.path.join(d, pod, "*.log"))):
                    with open(p, encoding="utf-8", errors="replace") as f:
                        lines[pod].extend(f.read().splitlines())
        self.logs = {pod: sorted((log_time(l), l) for l in ls) for pod, ls in lines.items()}


def log_time(line):
    ts = line.split(" ", 1)[0]
    base, _, frac = ts.rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S")) + float("0." + (frac or "0"))


def find_traces(d, q):
    svc = q.get("service")
    op = q.get("operation")
    tags = json.loads(q["tags"]) if q.get("tags") else {}
    start = int(q["start"]) if q.get("start") else None
    end = int(q["end"]) if q.get("end") else None
    mind = go_duration_us(q["minDuration"]) if q.get("minDuration") else None
    maxd = go_duration_us(q["maxDuration"]) if q.get("maxDuration") else None
    limit = int(q.get("limit") or 20)
    hits = []
    for t in d.traces:
        ok = False
        for s in t["spans"]:
            if svc and t["processes"][s["processID"]]["serviceName"] != svc:
                continue
            if op and s["operationName"] != op:
                continue
            if start is not None and s["startTime"] < start:
                continue
            if end is not None and s["startTime"] > end:
                continue
            if mind is not None and s["duration"] < mind:
                continue
            if maxd is not None and s["duration"] > maxd:
                continue
            if tags:
                have = {g["key"]: str(g["value"]).lower() for g in s["tags"]}
                if any(have.get(k) != str(v).lower() for k, v in tags.items()):
                    continue
            ok = True
            break
        if ok:
            hits.append(t)
    hits.sort(key=lambda t: -min(s["startTime"] for s in t["spans"]))  # newest first, like Jaeger
    return hits[:limit]


def envelope(data, total=0):
    return {"data": data, "total": total, "limit": 0, "offset": 0, "errors": None}


def status(code, reason, msg):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": msg,
            "reason": reason, "code": code}


def pod_obj(d, p):
    svc, pod = p["service"], p["pod"]
    h = pod[len(svc) + 1:].split("-")[0]
    created = rfc3339(d.at - 30 * 86400)
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": pod, "namespace": d.ns, "uid": f"uid-pod-{pod}",
                         "labels": {"app": svc, "pod-template-hash": h}, "creationTimestamp": created,
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"{svc}-{h}",
                                              "uid": f"uid-rs-{svc}-{h}", "controller": True}]},
            "spec": {"containers": [{"name": svc, "image": f"codewisdom/{svc}:nezha"}], "nodeName": "node"},
            "status": {"phase": "Running", "startTime": created,
                       "conditions": [{"type": "Ready", "status": "True"}],
                       "containerStatuses": [{"name": svc, "ready": True, "restartCount": 0, "started": True,
                                              "image": f"codewisdom/{svc}:nezha", "imageID": "", "lastState": {},
                                              "state": {"running": {"startedAt": created}}}]}}


def deployment(d, svc):
    created = rfc3339(d.at - 30 * 86400)
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": svc, "namespace": d.ns, "uid": f"uid-deploy-{svc}", "generation": 1,
                         "labels": {"app": svc}, "annotations": {"deployment.kubernetes.io/revision": "1"},
                         "creationTimestamp": created},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": svc}},
                     "template": {"metadata": {"labels": {"app": svc}},
                                  "spec": {"containers": [{"name": svc, "image": f"codewisdom/{svc}:nezha"}]}}},
            "status": {"replicas": 1, "readyReplicas": 1, "availableReplicas": 1, "updatedReplicas": 1,
                       "observedGeneration": 1}}


def replica_sets(d, svc):
    items = []
    for p in d.pods:
        if p["service"] != svc:
            continue
        h = p["pod"][len(svc) + 1:].split("-")[0]
        items.append({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                      "metadata": {"name": f"{svc}-{h}", "namespace": d.ns, "uid": f"uid-rs-{svc}-{h}",
                                   "labels": {"app": svc, "pod-template-hash": h},
                                   "annotations": {"deployment.kubernetes.io/revision": "1"},
                                   "creationTimestamp": rfc3339(d.at - 30 * 86400),
                                   "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": svc,
                                                        "uid": f"uid-deploy-{svc}", "controller": True}]},
                      "spec": {"replicas": 1, "selector": {"matchLabels": {"app": svc, "pod-template-hash": h}},
                               "template": {"metadata": {"labels": {"app": svc}},
                                            "spec": {"containers": [{"name": svc, "image": f"codewisdom/{svc}:nezha"}]}}},
                      "status": {"replicas": 1}})
        break
    return items


def selector_app(q):
    sel = q.get("labelSelector", "")
    kv = dict(x.split("=", 1) for x in sel.split(",") if "=" in x and "!=" not in x)
    return kv.get("app")


RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_rfc3339(v):
    """Unix seconds of an RFC 3339 time (Go's time.RFC3339 layout, which also takes fractions)."""
    m = RFC3339.match(v)
    if not m:
        raise ValueError(v)
    t = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")) + float("0" + (m.group(2) or ""))
    if m.group(3) != "Z":
        sign = 1 if m.group(3)[0] == "+" else -1
        t -= sign * (int(m.group(3)[1:3]) * 3600 + int(m.group(3)[4:6]) * 60)
    return t


def invalid(pod, errs):
    """The API server's answer to PodLogOptions that fail validation (apimachinery NewInvalid):
    422, reason Invalid, one cause per field error. errs: [(field, cause type, body)]."""
    msgs = [f"{f}: {b}" for f, _, b in errs]
    body = status(422, "Invalid", f'PodLogOptions "{pod}" is invalid: '
                  + (msgs[0] if len(msgs) == 1 else "[" + ", ".join(msgs) + "]"))
    code = body.pop("code")  # the real Status has details before code
    body["details"] = {"name": pod, "kind": "PodLogOptions",
                       "causes": [{"reason": t, "message": b, **({"field": f} if f else {})} for f, t, b in errs]}
    body["code"] = code
    return body


def pod_log(d, pod, q):
    """GET .../pods/POD/log as the API server and the kubelet answer it, "now" being the fault's
    --at: sinceSeconds or sinceTime (RFC 3339; both at once is invalid), then tailLines, then
    timestamps, then limitBytes (the first bytes of the answer, oldest line first)."""
    js = "application/json"
    ints = {}
    for k in ("sinceSeconds", "tailLines", "limitBytes"):
        if q.get(k) is not None:
            try:
                ints[k] = int(q[k])
            except ValueError:  # the query-parameter decoding fails: 400 before validation
                return 400, status(400, "BadRequest", f'strconv.ParseInt: parsing "{q[k]}": invalid syntax'), js
    since_time = None
    if q.get("sinceTime") is not None:
        try:
            since_time = parse_rfc3339(q["sinceTime"])
        except ValueError:
            return 400, status(400, "BadRequest", f'parsing time "{q["sinceTime"]}" as '
                               '"2006-01-02T15:04:05Z07:00": cannot parse as RFC 3339'), js
    # Validation (ValidatePodLogOptions), in its order.
    errs = []
    if ints.get("tailLines", 0) < 0:
        errs.append(("tailLines", "FieldValueInvalid", f"Invalid value: {ints['tailLines']}: must be greater than or equal to 0"))
    if "limitBytes" in ints and ints["limitBytes"] < 1:
        errs.append(("limitBytes", "FieldValueInvalid", f"Invalid value: {ints['limitBytes']}: must be greater than 0"))
    if "sinceSeconds" in ints and since_time is not None:
        errs.append(("", "FieldValueForbidden", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"))
    elif "sinceSeconds" in ints and ints["sinceSeconds"] < 1:
        errs.append(("sinceSeconds", "FieldValueInvalid", f"Invalid value: {ints['sinceSeconds']}: must be greater than 0"))
    if errs:
        return 422, invalid(pod, errs), js
    lo = d.at - ints["sinceSeconds"] if "sinceSeconds" in ints else since_time
    lines = [l for t, l in d.logs.get(pod, []) if (lo is None or t >= lo) and t <= d.at]
    if "tailLines" in ints:
        lines = lines[-ints["tailLines"]:] if ints["tailLines"] > 0 else []
    if q.get("timestamps", "false") != "true":
        lines = [l.split(" ", 1)[1] if " " in l else "" for l in lines]
    body = "".join(l + "\n" for l in lines).encode()
    if "limitBytes" in ints:
        body = body[: ints["limitBytes"]]
    return 200, body, "text/plain"


def route(d, backend, path, q):
    js = "application/json"
    if backend == "jaeger":
        if path == "/api/services":
            return 200, envelope(d.services, len(d.services)), js
        if path == "/api/operations":
            kind = q.get("spanKind", "")
            ops = [{"name": o, "spanKind": k} for o, k in sorted(d.ops.get(q.get("service", ""), ()))
                   if not kind or k == kind]
            return 200, envelope(ops, len(ops)), js
        if path.startswith("/api/services/") and path.endswith("/operations"):
            svc = urllib.parse.unquote(path.split("/")[3])
            names = sorted({o for o, _ in d.ops.get(svc, ())})
            return 200, envelope(names, len(names)), js
        if path == "/api/traces":
            try:
                return 200, envelope(find_traces(d, q)), js
            except (ValueError, KeyError) as e:
                return 400, {"data": None, "total": 0, "limit": 0, "offset": 0,
                             "errors": [{"code": 400, "msg": str(e)}]}, js
        if path.startswith("/api/traces/"):
            t = d.by_id.get(path.rsplit("/", 1)[1])
            if t:
                return 200, envelope([t]), js
            return 404, {"data": None, "total": 0, "limit": 0, "offset": 0,
                         "errors": [{"code": 404, "msg": "trace not found"}]}, js
        if path == "/api/dependencies":
            return 200, envelope(d.deps), js
        return 404, {"data": None, "errors": [{"code": 404, "msg": "404 page not found"}]}, js

    p = path.strip("/").split("/")
    if p in (["api"], ["apis"], ["version"]):
        if p == ["version"]:
            return 200, {"major": "1", "minor": "28", "gitVersion": "v1.28.0"}, js
        return 200, {"kind": "APIVersions", "versions": ["v1"]} if p == ["api"] else \
            {"kind": "APIGroupList", "groups": []}, js
    if p == ["api", "v1", "namespaces"]:
        return 200, {"apiVersion": "v1", "kind": "NamespaceList", "metadata": {"resourceVersion": "1"},
                     "items": [{"metadata": {"name": d.ns}, "status": {"phase": "Active"}}]}, js
    if p[:3] == ["api", "v1", "namespaces"] and len(p) == 4:
        if p[3] == d.ns:
            return 200, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": d.ns},
                         "status": {"phase": "Active"}}, js
        return 404, status(404, "NotFound", f'namespaces "{p[3]}" not found'), js
    if len(p) >= 4 and p[:3] == ["api", "v1", "namespaces"] and p[3] != d.ns or \
            len(p) >= 5 and p[:4] == ["apis", "apps", "v1", "namespaces"] and p[4] != d.ns:
        # Another namespace: empty lists, objects not found.
        if p[-1] in ("pods", "events", "configmaps", "replicasets", "deployments"):
            return 200, {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": "1"}, "items": []}, js
        return 404, status(404, "NotFound", f"not found ({path})"), js
    if p[:5] == ["apis", "apps", "v1", "namespaces", d.ns]:
        rest = p[5:]
        if rest == ["deployments"]:
            items = [deployment(d, s) for s in sorted({x["service"] for x in d.pods})]
            return 200, {"apiVersion": "apps/v1", "kind": "DeploymentList",
                         "metadata": {"resourceVersion": "1"}, "items": items}, js
        if len(rest) == 2 and rest[0] == "deployments":
            if any(x["service"] == rest[1] for x in d.pods):
                return 200, deployment(d, rest[1]), js
            return 404, status(404, "NotFound", f'deployments.apps "{rest[1]}" not found'), js
        if rest == ["replicasets"]:
            app = selector_app(q)
            svcs = [app] if app else sorted({x["service"] for x in d.pods})
            items = [rs for s in svcs for rs in replica_sets(d, s)]
            return 200, {"apiVersion": "apps/v1", "kind": "ReplicaSetList",
                         "metadata": {"resourceVersion": "1"}, "items": items}, js
        return 404, status(404, "NotFound", f"not found ({path})"), js
    if p[:4] == ["api", "v1", "namespaces", d.ns]:
        rest = p[4:]
        if rest == ["pods"]:
            app = selector_app(q)
            items = [pod_obj(d, x) for x in d.pods if app is None or x["service"] == app]
            return 200, {"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "1"},
                         "items": items}, js
        if len(rest) == 2 and rest[0] == "pods":
            x = next((x for x in d.pods if x["pod"] == rest[1]), None)
            if x:
                return 200, pod_obj(d, x), js
            return 404, status(404, "NotFound", f'pods "{rest[1]}" not found'), js
        if len(rest) == 3 and rest[0] == "pods" and rest[2] == "log":
            if not any(x["pod"] == rest[1] for x in d.pods):
                return 404, status(404, "NotFound", f'pods "{rest[1]}" not found'), js
            return pod_log(d, rest[1], q)
        if rest == ["events"]:
            return 200, {"apiVersion": "v1", "kind": "EventList", "metadata": {"resourceVersion": "1"},
                         "items": []}, js
        if rest == ["configmaps"]:
            return 200, {"apiVersion": "v1", "kind": "ConfigMapList", "metadata": {"resourceVersion": "1"},
                         "items": []}, js
        if len(rest) == 2 and rest[0] == "configmaps":
            return 404, status(404, "NotFound", f'configmaps "{rest[1]}" not found'), js
    if p == ["api", "v1", "events"] or p == ["api", "v1", "pods"]:
        return 200, {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": "1"}, "items":
                     [pod_obj(d, x) for x in d.pods] if p[-1] == "pods" else []}, js
    return 404, status(404, "NotFound", f"the server could not find the requested resource ({path})"), js


def make_handler(d, backend, log):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def _serve(self):
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            url = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(url.query))
            if self.command not in ("GET", "HEAD"):
                code, body, ctype = 405, status(405, "MethodNotAllowed", "read-only fixture"), "application/json"
            else:
                try:
                    code, body, ctype = route(d, backend, url.path, q)
                except Exception as e:  # a fixture bug must show, not hang the client
                    code, body, ctype = 500, {"error": repr(e)}, "application/json"
            if not isinstance(body, (bytes, bytearray)):
                body = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            if log:
                with LOCK:
                    log.write(json.dumps({"backend": backend, "method": self.command, "target": self.path,
                                          "status": code, "bytes": len(body)}) + "\n")

        do_GET = do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fault_dir")
    ap.add_argument("--ports-file", required=True)
    ap.add_argument("--log", default="")
    ap.add_argument("--max-seconds", type=float, default=900, help="stop by itself after this long")
    args = ap.parse_args()
    d = Data(args.fault_dir)
    log = open(args.log, "a", buffering=1) if args.log else None
    servers = {}
    for b in ("jaeger", "kubernetes"):
        srv = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(d, b, log))
        srv.daemon_threads = True
        servers[b] = srv
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    with open(args.ports_file + ".tmp", "w") as f:
        json.dump({b: s.server_address[1] for b, s in servers.items()}, f)
    os.replace(args.ports_file + ".tmp", args.ports_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait(args.max_seconds)
    for s in servers.values():
        s.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
