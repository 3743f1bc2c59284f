#!/usr/bin/env python3
"""The slowest chain of dependent requests in a run (issue 19), from the fixtures' request log.

Usage: chain.py LOG FROM TO   (1-based, inclusive line numbers of LOG, as log_summary takes them)

The servers log each request's start and end (unix seconds, as they saw them). A request B is
taken to depend on A when it started after A ended and within --gap ms (default CHAIN_GAP_MS or
25) of it: what a client does when it waits for one answer before asking the next. Requests that
need no other answer all start together when the tool starts, or when the one answer they wait for
(the triage) arrives, so this reads the dependencies off the timeline. The chain is the path of
such links whose requests' own durations add up to the most; its length is that sum (the servers'
time, not the client's gaps between, which count against the tool).

It over-counts rather than under-counts what a faster tool could do: two requests of one step that
went one after the other without needing to (the fault issue 19 fixes) form a link, so the chain
printed with each run names its requests, for a reader to judge each link. Prints one JSON object:
{"ms": total, "depth": links, "span_ms": first start to last end, "requests": [...]}.
Standard library only.
"""

import json
import os
import sys


def chain(reqs, gap_s):
    """Longest path, by the sum of durations, over the links `gap_s` allows."""
    reqs = sorted(reqs, key=lambda r: (r["start"], r["end"]))
    best = [r["ms"] for r in reqs]
    prev = [None] * len(reqs)
    # Sorted by start, a request can only follow one that started before it.
    for j, b in enumerate(reqs):
        for i in range(j):
            a = reqs[i]
            wait = b["start"] - a["end"]
            # 1 ms of slack: the two servers' clocks are read separately.
            if -0.001 <= wait <= gap_s and best[i] + b["ms"] > best[j]:
                best[j] = best[i] + b["ms"]
                prev[j] = i
    if not reqs:
        return {"ms": 0, "depth": 0, "span_ms": 0, "requests": []}
    j = max(range(len(reqs)), key=lambda k: best[k])
    path = []
    while j is not None:
        path.append(reqs[j])
        j = prev[j]
    path.reverse()
    return {
        "ms": round(sum(r["ms"] for r in path), 1),
        "depth": len(path),
        "span_ms": round((path[-1]["end"] - path[0]["start"]) * 1000, 1),
        "requests": [f'{r["backend"]} {r["method"]} {r["target"][:90]} ({r["ms"]:.0f} ms)' for r in path],
    }


def main():
    log, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    gap = float(os.environ.get("CHAIN_GAP_MS", "25")) / 1000.0
    with open(log) as f:
        lines = f.readlines()[first - 1:last]
    reqs = [json.loads(line) for line in lines if line.strip()]
    print(json.dumps(chain(reqs, gap)))


if __name__ == "__main__":
    main()
