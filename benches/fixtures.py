#!/usr/bin/env python3
"""Fixture backends for benches/diagnosis.sh and benches/runbook-curl.sh (issue 11, goal 1).

One process, five loopback HTTP servers on ports the OS picks (written to --ports-file as JSON):

- jaeger:        the legacy query API (/api/services, /api/traces answering --traces, ...)
- kubernetes:    a read-only API server for namespace --namespace: Deployments, ReplicaSets,
                 ConfigMaps, pods, events and pod logs for any service name asked
- elasticsearch: cluster health, today's jaeger-span index, node stats, span counts
- collector:     the OTel Collector's /metrics and an OTLP/HTTP endpoint
- prometheus:    a pass-through proxy to --prometheus (the real one), so that its requests are
                 timed and counted like the others

Every answer of the first four waits --delay-ms first (the proxy waits --prometheus-delay-ms,
default 0, before forwarding). Each request is logged as one JSON line to --log: backend, method,
target, status, wire bytes, body bytes (decompressed), and start/end (unix seconds) and duration
(ms) as the server saw them. The shapes follow tests/it/scenarios.rs (which follows the real
servers); the content is that of a healthy fleet. Stops on SIGTERM/SIGINT. Standard library only.
"""

import argparse
import gzip
import http.client
import json
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG_LOCK = threading.Lock()


def rfc3339(unix):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix))


class Ctx:
    def __init__(self, args):
        self.delay = args.delay_ms / 1000.0
        self.prom_delay = args.prometheus_delay_ms / 1000.0
        self.ns = args.namespace
        self.at = args.at
        with open(args.traces, "rb") as f:
            self.traces = f.read()
        self.services = args.services.split(",") if args.services else []
        self.shape = args.shape
        prom = urllib.parse.urlsplit(args.prometheus) if args.prometheus else None
        self.prom = (prom.hostname, prom.port) if prom else None
        self.log = open(args.log, "a", buffering=1)


def status_body(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def deployment(ctx, name):
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ctx.ns, "uid": f"uid-deploy-{name}",
                     "generation": 3, "labels": {"app": name},
                     "annotations": {"deployment.kubernetes.io/revision": "3"},
                     "creationTimestamp": rfc3339(ctx.at - 30 * 86400)},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": name, "image": f"registry.example/shop/{name}:1.8.3"}]}}},
        "status": {"replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "updatedReplicas": 2,
                   "observedGeneration": 3},
    }


def replica_sets(ctx, name):
    items = []
    for rev in (1, 2, 3):
        rs = f"{name}-{rev}abc{rev}"
        items.append({
            "metadata": {"name": rs, "namespace": ctx.ns, "uid": f"uid-rs-{rs}",
                         "labels": {"app": name, "pod-template-hash": f"{rev}abc{rev}"},
                         "annotations": {"deployment.kubernetes.io/revision": str(rev)},
                         "creationTimestamp": rfc3339(ctx.at - (4 - rev) * 7 * 86400),
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name,
                                              "uid": f"uid-deploy-{name}", "controller": True}]},
            "spec": {"replicas": 2 if rev == 3 else 0,
                     "selector": {"matchLabels": {"app": name, "pod-template-hash": f"{rev}abc{rev}"}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": name, "image": f"registry.example/shop/{name}:1.8.{rev}"}]}}},
            "status": {"replicas": 2 if rev == 3 else 0},
        })
    return {"apiVersion": "apps/v1", "kind": "ReplicaSetList", "metadata": {"resourceVersion": "1"}, "items": items}


def config_map(ctx, name):
    t = rfc3339(ctx.at - 10 * 86400)
    return {"apiVersion": "v1", "kind": "ConfigMap", "data": {"DB_POOL_SIZE": "8"},
            "metadata": {"name": name, "namespace": ctx.ns, "uid": f"uid-cm-{name}", "creationTimestamp": t,
                         "managedFields": [{"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {},
                                            "manager": "kubectl-client-side-apply", "operation": "Update",
                                            "time": t}]}}


def pods(ctx, app):
    items = []
    for i in range(2):
        name = f"{app}-3abc3-{i}x2k4"
        items.append({
            "metadata": {"name": name, "namespace": ctx.ns, "uid": f"uid-pod-{name}",
                         "labels": {"app": app, "pod-template-hash": "3abc3"},
                         "creationTimestamp": rfc3339(ctx.at - 2 * 86400)},
            "spec": {"containers": [{"name": app, "image": f"registry.example/shop/{app}:1.8.3",
                                     "resources": {"limits": {"cpu": "1", "memory": "512Mi"}}}],
                     "nodeName": "node-a"},
            "status": {"phase": "Running", "startTime": rfc3339(ctx.at - 2 * 86400),
                       "containerStatuses": [{"name": app, "ready": True, "restartCount": 0, "started": True,
                                              "image": f"registry.example/shop/{app}:1.8.3", "imageID": "",
                                              "lastState": {},
                                              "state": {"running": {"startedAt": rfc3339(ctx.at - 2 * 86400)}}}]},
        })
    return {"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "1"}, "items": items}


def selected_apps(ctx, sel):
    """The apps whose pods a pod list's labelSelector picks: `app=X`, `app in (X,Y)`, or, with no
    selector, every service of the fleet (two pods each), as a namespace running them all would
    answer; another selector (the Collector's) gets the pods of `app`, as before."""
    sel = sel.strip()
    if not sel:
        return ctx.services or ["app"]
    if sel.startswith("app in (") and sel.endswith(")"):
        return [a.strip() for a in sel[len("app in ("):-1].split(",") if a.strip()]
    return [dict(kv.split("=", 1) for kv in sel.split(",") if "=" in kv).get("app", "app")]


def pod_log(ctx):
    lines = []
    for i in range(200):
        ts = rfc3339(ctx.at - 600 + i * 3).replace("Z", ".000000000Z")
        if i % 10 == 0:
            lines.append(f"{ts} level=error msg=\"upstream timeout after 2000ms\" order_id={1000 + i}")
        else:
            lines.append(f"{ts} level=info msg=\"request served\" status=200 duration_ms={20 + i % 30}")
    return ("\n".join(lines) + "\n").encode()


COLLECTOR_METRICS = b"""# TYPE otelcol_receiver_accepted_spans counter
otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} 1.2e+07
# TYPE otelcol_receiver_refused_spans counter
otelcol_receiver_refused_spans{receiver="otlp",transport="grpc"} 0
# TYPE otelcol_exporter_sent_spans counter
otelcol_exporter_sent_spans{exporter="otlp/jaeger"} 1.2e+07
# TYPE otelcol_exporter_send_failed_spans counter
otelcol_exporter_send_failed_spans{exporter="otlp/jaeger"} 0
# TYPE otelcol_exporter_queue_size gauge
otelcol_exporter_queue_size{exporter="otlp/jaeger"} 3
# TYPE otelcol_exporter_queue_capacity gauge
otelcol_exporter_queue_capacity{exporter="otlp/jaeger"} 1000
# TYPE otelcol_process_uptime counter
otelcol_process_uptime 86400
"""


def make_handler(ctx, backend):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes; with Nagle's algorithm the body would wait for
        # the client's delayed ACK (40 ms) on a kept-alive connection.
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def _body_in(self):
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def _answer(self, t0, w0, status, body, ctype="application/json", headers=(), body_bytes=None):
            if not isinstance(body, (bytes, bytearray)):
                body = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
            t1 = time.perf_counter()
            rec = {"backend": backend, "method": self.command, "target": self.path, "status": status,
                   "bytes": len(body), "body_bytes": body_bytes if body_bytes is not None else len(body),
                   "start": round(w0, 6), "end": round(w0 + (t1 - t0), 6), "ms": round((t1 - t0) * 1000, 3)}
            with LOG_LOCK:
                ctx.log.write(json.dumps(rec) + "\n")

        def _serve(self):
            t0, w0 = time.perf_counter(), time.time()
            payload = self._body_in()
            if backend == "prometheus":
                return self._proxy(t0, w0, payload)
            if ctx.delay:
                time.sleep(ctx.delay)
            url = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(url.query))
            status, body, ctype = route(ctx, backend, self.command, url.path, q)
            self._answer(t0, w0, status, body, ctype)

        def _proxy(self, t0, w0, payload):
            if ctx.prom_delay:
                time.sleep(ctx.prom_delay)
            conn = http.client.HTTPConnection(*ctx.prom, timeout=120)
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("accept", "accept-encoding", "content-type", "content-length")}
            conn.request(self.command, self.path, body=payload or None, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            enc = resp.getheader("Content-Encoding")
            plain = len(gzip.decompress(body)) if enc == "gzip" and body else len(body)
            extra = [("Content-Encoding", enc)] if enc else []
            ctype = resp.getheader("Content-Type") or "application/json"
            conn.close()
            self._answer(t0, w0, resp.status, body, ctype, extra, body_bytes=plain)

        do_GET = do_POST = do_HEAD = do_PUT = _serve

    return Handler


def route(ctx, backend, method, path, q):
    """(status, body, content type) for one request to a fixture backend."""
    js = "application/json"
    if backend == "jaeger":
        if path == "/api/services":
            return 200, {"data": ctx.services, "total": len(ctx.services), "limit": 0, "offset": 0,
                         "errors": None}, js
        if path == "/api/traces":
            return 200, ctx.traces, js
        if path == "/api/dependencies":
            # The fleet's whole graph, as the metrics' calls (`tool.rs`: a ring, each service
            # calling the next and the last the first; or a tree, service i calling (i - 1) // 10):
            # Jaeger answers every link, it has no filter.
            if ctx.shape == "tree":
                pairs = [(ctx.services[i], ctx.services[(i - 1) // 10])
                         for i in range(1, len(ctx.services))]
            else:
                pairs = list(zip(ctx.services, ctx.services[1:] + ctx.services[:1]))
            deps = [{"parent": a, "child": b, "callCount": 1000} for a, b in pairs if a != b]
            return 200, {"data": deps, "total": 0, "limit": 0, "offset": 0, "errors": None}, js
        if path == "/api/operations":
            return 200, {"data": [{"name": "GET /items", "spanKind": "server"}], "total": 1, "limit": 0,
                         "offset": 0, "errors": None}, js
        return 404, {"data": None, "errors": [{"code": 404, "msg": "404 page not found"}]}, js
    if backend == "kubernetes":
        p = path.strip("/").split("/")
        # Any namespace: the services' (-n) and the Collector's (--collector-namespace).
        ns = p[3] if len(p) > 3 and p[2] == "namespaces" else (p[4] if len(p) > 4 else ctx.ns)
        if p[:5] == ["apis", "apps", "v1", "namespaces", ns] and len(p) == 7 and p[5] == "deployments":
            return 200, deployment(ctx, p[6]), js
        if p[:5] == ["apis", "apps", "v1", "namespaces", ns] and p[5:] == ["replicasets"]:
            sel = q.get("labelSelector", "")
            app = dict(kv.split("=", 1) for kv in sel.split(",") if "=" in kv).get("app", "app")
            return 200, replica_sets(ctx, app), js
        if p[:4] == ["api", "v1", "namespaces", ns]:
            rest = p[4:]
            if len(rest) == 2 and rest[0] == "configmaps":
                if rest[1].endswith("-config") and rest[1] not in ("sampling-config", "otel-collector-config"):
                    return 200, config_map(ctx, rest[1]), js
                return 404, status_body(404, "NotFound", f'configmaps "{rest[1]}" not found'), js
            if rest == ["pods"]:
                items = [p for app in selected_apps(ctx, q.get("labelSelector", ""))
                         for p in pods(ctx, app)["items"]]
                return 200, {"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "1"},
                             "items": items}, js
            if len(rest) == 3 and rest[0] == "pods" and rest[2] == "log":
                return 200, pod_log(ctx), "text/plain"
            if rest == ["events"]:
                return 200, {"apiVersion": "v1", "kind": "EventList", "metadata": {"resourceVersion": "1"},
                             "items": []}, js
        return 404, status_body(404, "NotFound", f"the server could not find the requested resource ({path})"), js
    if backend == "elasticsearch":
        if path in ("", "/"):
            return 200, {"name": "es-0", "cluster_name": "tracing", "version": {"number": "8.13.4"},
                         "tagline": "You Know, for Search"}, js
        if path.startswith("/_cluster/health"):
            return 200, {"cluster_name": "tracing", "status": "green", "number_of_nodes": 3,
                         "active_shards_percent_as_number": 100.0, "unassigned_shards": 0}, js
        if path.startswith("/_cat/indices"):
            day = time.strftime("%Y-%m-%d", time.gmtime(ctx.at))
            return 200, [{"index": f"jaeger-span-{day}", "health": "green", "status": "open",
                          "docs.count": "12000000", "store.size": "6442450944"}], js
        if path.startswith("/_cat/"):
            return 200, [], js
        if path.startswith("/_nodes/stats") or path.startswith("/_nodes"):
            return 200, {"nodes": {}}, js
        if path.endswith("/_settings"):
            return 200, {}, js
        if path.endswith("/_count"):
            return 200, {"count": 12000, "_shards": {"total": 1, "successful": 1, "failed": 0}}, js
        if path.endswith("/_search"):
            return 200, {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
                         "aggregations": {}}, js
        return 200, {}, js
    if backend == "collector":
        if path == "/metrics":
            return 200, COLLECTOR_METRICS, "text/plain; version=0.0.4"
        if path == "/v1/traces":
            return 200, b"{}", js
        return 404, b"404 page not found", "text/plain"
    return 404, b"", "text/plain"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--traces", required=True, help="the /api/traces answer to serve")
    ap.add_argument("--services", default="", help="comma-separated service names for /api/services")
    ap.add_argument("--shape", default="ring", choices=["ring", "tree"],
                    help="the fleet's call graph, as tool.rs generates it (for /api/dependencies)")
    ap.add_argument("--prometheus", default="", help="base URL of the real Prometheus")
    ap.add_argument("--delay-ms", type=float, default=0.0)
    ap.add_argument("--prometheus-delay-ms", type=float, default=0.0)
    ap.add_argument("--namespace", default="shop")
    ap.add_argument("--at", type=int, default=1_795_600_800)
    ap.add_argument("--log", required=True)
    ap.add_argument("--ports-file", required=True)
    args = ap.parse_args()
    ctx = Ctx(args)
    backends = ["jaeger", "kubernetes", "elasticsearch", "collector"] + (["prometheus"] if ctx.prom else [])
    servers = {}
    for b in backends:
        srv = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(ctx, b))
        srv.daemon_threads = True
        servers[b] = srv
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    ports = {b: s.server_address[1] for b, s in servers.items()}
    with open(args.ports_file + ".tmp", "w") as f:
        json.dump(ports, f)
    # Renamed into place so a reader never sees half a file.
    import os
    os.replace(args.ports_file + ".tmp", args.ports_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for s in servers.values():
        s.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
