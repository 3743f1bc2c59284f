//! The `log-patterns` step's requests: for the services whose lines name their spans and one of
//! them went quiet, their requests in the stretch each read covered, from the trace store, for
//! [`shift::compare_per_request`](crate::analysis::logs::shift::compare_per_request).

use std::collections::BTreeMap;

use futures::StreamExt;
use jiff::Timestamp;

use super::READS;
use crate::analysis::logs::requests::{Requests, gone_quiet};
use crate::analysis::logs::shift::Line;
use crate::backends::jaeger::TraceQuery;
use crate::backends::kubernetes::PodInfo;
use crate::investigate::ctx::Ctx;
use crate::model::trace::Resource;

/// Lines of a template expected since its last one for the service's requests to be asked.
/// The exact test cannot call a run of fewer than 4 requests skipped (`log_shift_z_min` 4, even
/// when each of 36 baseline requests wrote the line: 4 misses have a chance of 3e-6, z 4.5; 3,
/// z 4.0), so a gap of fewer expected lines is not worth two searches of whole traces; at 5, a
/// template's gap passes by chance 0.7% of the time (e^−5).
const QUIET_EXPECTED: f64 = 5.0;

/// A stretch of time a read covered, unix seconds `[from, to)`.
pub(super) type Stretch = Option<(f64, f64)>;

/// Per (service, pod): the stretch of each window its read covered, `[baseline, now]`.
pub(super) type Cover = BTreeMap<(String, String), [Stretch; 2]>;

/// The pod a trace's resource ran in, when it says (`k8s.pod.name`; else the host name, which
/// is the pod's in Kubernetes).
fn pod_of(res: &Resource) -> Option<&str> {
    ["k8s.pod.name", "host.name", "hostname"]
        .iter()
        .find_map(|k| res.tags.iter().find(|(key, _)| &**key == *k))
        .map(|(_, v)| &**v)
}

/// Whether a request that ran over `[start, end]` (unix seconds) in `res` wrote its lines into
/// a read of `window` (0: baseline, 1: now): it ran in a pod read, inside the stretch that read
/// covered (a request still running at its end may write its lines after). A request whose pod
/// is unknown counts only when the service has one pod, the one read.
fn covered_by(
    cover: &Cover,
    service: &str,
    pods: usize,
    res: &Resource,
    (start, end): (f64, f64),
    window: usize,
) -> bool {
    let stretch = |(_, c): (&(String, String), &[Stretch; 2])| {
        c[window].is_some_and(|(from, to)| start >= from && end <= to)
    };
    let mut read = cover.iter().filter(|((s, _), _)| s == service);
    match pod_of(res) {
        Some(pod) => read.find(|((_, p), _)| p == pod).is_some_and(stretch),
        None => pods == 1 && read.next().is_some_and(stretch),
    }
}

/// The outer bounds of the stretches `service`'s reads of `window` (0: baseline, 1: now)
/// covered; `None` when no read of it came back.
fn stretch_of(cover: &Cover, service: &str, window: usize) -> Option<(f64, f64)> {
    let (mut from, mut to) = (f64::INFINITY, f64::NEG_INFINITY);
    for ((s, _), c) in cover {
        if let Some((f, t)) = c[window]
            && s == service
        {
            from = from.min(f);
            to = to.max(t);
        }
    }
    (from.is_finite() && to > from).then_some((from, to))
}

/// Each service's requests in the stretch each window's reads covered, from the trace store:
/// only for the services one of whose span-naming lines went quiet now ([`gone_quiet`];
/// nothing is asked otherwise), two searches each (with Tempo, each a search and a fetch per
/// trace), [`READS`] services at a time. A service the store cannot answer for keeps the
/// per-line comparison alone, with a warning.
pub(super) async fn requests(
    ctx: &Ctx<'_>,
    lines: &BTreeMap<String, (Vec<Line>, Vec<Line>)>,
    cover: &Cover,
    pods: &BTreeMap<String, Vec<&PodInfo>>,
    limit: u32,
    warnings: &mut Vec<String>,
) -> BTreeMap<String, (Requests, Requests)> {
    // Only where a line went quiet (see `gone_quiet`): the searches download whole traces.
    let wanted: Vec<&String> = lines
        .iter()
        .filter(|(s, (b, n))| {
            stretch_of(cover, s, 1).is_some_and(|now| gone_quiet(b, n, now, QUIET_EXPECTED))
        })
        .map(|(s, _)| s)
        .collect();
    if wanted.is_empty() {
        return BTreeMap::new();
    }
    // No trace store configured: the trace steps say so; here the comparison stays per line.
    let store = match ctx.settings.trace_store() {
        Ok(s) => s,
        Err(e) => {
            tracing::debug!("log requests not counted: {}", e.one_line());
            return BTreeMap::new();
        }
    };
    let store = &store;
    // The outer bounds of a window's stretches, for the search; each request is then held to
    // its own pod's.
    let span_of = |svc: &str, window: usize| {
        let (from, to) = stretch_of(cover, svc, window)?;
        let ts = |x: f64| Timestamp::from_second(x as i64).ok();
        Some((ts(from.floor())?, ts(to.ceil())?))
    };
    let jobs: Vec<_> = wanted
        .into_iter()
        .filter_map(|svc| Some((svc.clone(), span_of(svc, 0)?, span_of(svc, 1)?)))
        .collect();
    let found: Vec<_> = futures::stream::iter(jobs)
        .map(|(svc, base, now)| async move {
            let q = |(start, end)| TraceQuery::window(svc.clone(), start, end, limit);
            let (qb, qn) = (q(base), q(now));
            // Only the spans' kinds, parents and resources are read: no span tag.
            let (b, n) = futures::join!(
                store.find_traces_keeping(&qb, crate::model::trace::TagPolicy::None),
                store.find_traces_keeping(&qn, crate::model::trace::TagPolicy::None)
            );
            (svc, b, n)
        })
        .buffer_unordered(READS)
        .collect()
        .await;
    let mut out = BTreeMap::new();
    let mut failed = Vec::new();
    for (svc, b, n) in found {
        let (mut b, mut n) = match (b, n) {
            (Ok(b), Ok(n)) => (b, n),
            (Err(e), _) | (_, Err(e)) => {
                failed.push(format!("{svc}: {}", e.one_line()));
                continue;
            }
        };
        crate::analysis::traces::limits::bound(&mut b, Default::default());
        crate::analysis::traces::limits::bound(&mut n, Default::default());
        let count = pods.get(&svc).map_or(0, Vec::len);
        let of = |traces: &[crate::model::trace::Trace], window| {
            Requests::of(traces, &svc, |entry, res| {
                let start = entry.start_us as f64 / 1e6;
                let end = start + entry.duration_us.max(0) as f64 / 1e6;
                covered_by(cover, &svc, count, res, (start, end), window)
            })
        };
        let (base, now) = (of(&b, 0), of(&n, 1));
        tracing::debug!(
            service = %svc,
            base_traces = b.len(),
            now_traces = n.len(),
            base_requests = base.ops.values().map(Vec::len).sum::<usize>(),
            now_requests = now.ops.values().map(Vec::len).sum::<usize>(),
            "log requests"
        );
        if !base.is_empty() && !now.is_empty() {
            out.insert(svc, (base, now));
        }
    }
    failed.sort();
    if !failed.is_empty() {
        warnings.push(format!(
            "requests per operation not counted (per line only): {}",
            failed.join("; ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_counts_where_its_pod_was_read_inside_the_stretch_read() {
        let res = |tags: &[(&str, &str)]| Resource {
            service: "ledger".into(),
            tags: tags
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
        };
        let mut cover: Cover = BTreeMap::new();
        cover.insert(
            ("ledger".into(), "ledger-a".into()),
            [Some((100.0, 200.0)), Some((300.0, 400.0))],
        );
        let pod_a = res(&[("k8s.pod.name", "ledger-a")]);
        // In its pod's baseline stretch, and ended inside it.
        assert!(covered_by(&cover, "ledger", 2, &pod_a, (150.0, 151.0), 0));
        // Still running when the read ended: its lines may come after.
        assert!(!covered_by(&cover, "ledger", 2, &pod_a, (199.5, 200.5), 0));
        // The other window's stretch.
        assert!(covered_by(&cover, "ledger", 2, &pod_a, (350.0, 351.0), 1));
        assert!(!covered_by(&cover, "ledger", 2, &pod_a, (150.0, 151.0), 1));
        // A pod not read; the host name names the pod too.
        let pod_b = res(&[("host.name", "ledger-b")]);
        assert!(!covered_by(&cover, "ledger", 2, &pod_b, (150.0, 151.0), 0));
        assert_eq!(pod_of(&res(&[("hostname", "ledger-a")])), Some("ledger-a"));
        // No pod said: only a service with one pod, the one read, can be sure.
        let none = res(&[]);
        assert!(covered_by(&cover, "ledger", 1, &none, (150.0, 151.0), 0));
        assert!(!covered_by(&cover, "ledger", 2, &none, (150.0, 151.0), 0));
        // Another service's reads say nothing about ledger's requests.
        assert!(!covered_by(&cover, "api", 1, &none, (150.0, 151.0), 0));
    }
}
