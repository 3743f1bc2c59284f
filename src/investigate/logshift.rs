//! The `log-patterns` step (issue 15): the runbook's `kubectl logs … | grep ERROR | sort | uniq -c`,
//! done across the services the call graph points at and against a baseline. Which services:
//! [`localize::scope::log_scope`] (the candidates, then what the symptom calls, nearest first,
//! up to `log_shift_services`). Per service, up to `log_shift_pods` pods, each read twice within
//! `log_shift_pod_bytes`: the last minutes (`sinceSeconds`, the newest `log_shift_tail_lines`) and the baseline hour (`sinceTime`,
//! oldest first, kept by timestamp), [`READS`] at a time. The pods come from a list by
//! `app in (services)`, or, when that misses a service, from one list of the namespace; either
//! is matched to services by name (`checkout-7d9f8b6c5d-x2x7q` is checkout's). Each
//! service's templates now are compared with its baseline's, as shares of each window's lines
//! ([`shift::compare`]). Where a service's lines name their spans and one of them went quiet,
//! its requests in the stretch each read covered are asked of the trace store too (two
//! searches, `log_shift_traces` traces each, after the reads: `logshift/requests.rs`), and its
//! templates are also compared per request of the operation that wrote them
//! ([`shift::compare_per_request`]): a line an operation stopped writing. What changed becomes
//! the service's log evidence for the graph. Tests: `tests/it/localize.rs`,
//! `tests/it/localize_logs.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures::StreamExt;
use jiff::Timestamp;

mod requests;

use requests::{Cover, requests};

use super::StepError;
use super::ctx::{Ctx, unix, warn};
use crate::analysis::localize::views::service_of_container;
use crate::analysis::logs::shift::{self, ShiftParams, TemplateShift};
use crate::backends::kubernetes::PodInfo;
use crate::model::cluster::valid_label_value;

/// The step's id in the runbooks.
pub const STEP: &str = "log-patterns";

/// Log reads in flight at once. Each is one bounded GET (`limitBytes`, no follow), not a
/// stream held open as `kubectl logs -f`'s `--max-log-requests` (5) guards against; at 8, the
/// default 30 services' 60 reads took 8 round trips in a row and made this step the longest
/// of a run (benches/README.md, issue 19).
const READS: usize = 16;

/// The baseline hour the logs are compared with, as the metrics' baseline.
const BASELINE_SECS: f64 = 3600.0;

/// How much to read.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub services: usize,
    pub pods: usize,
    pub pod_bytes: i64,
    /// Lines of the last minutes read per pod: the newest (`tailLines`), since the API returns
    /// a window oldest first and a byte limit alone would keep its start, before the onset.
    pub tail_lines: i64,
    /// Traces asked per window of a service whose lines name their spans.
    pub traces: u32,
}

/// The template comparison's thresholds from the runbook (`log_shift_*`, `log_drain_similarity`);
/// a value missing or out of range keeps the analysis' default.
pub fn params(ctx: &Ctx<'_>) -> ShiftParams {
    let d = ShiftParams::default();
    let t = |k: &str, default: f64| {
        let v = ctx.threshold(k);
        if v.is_finite() && v > 0.0 { v } else { default }
    };
    ShiftParams {
        z_min: t("log_shift_z_min", d.z_min),
        min_new: t("log_shift_min_new", d.min_new as f64) as usize,
        min_ratio: t("log_shift_min_ratio", d.min_ratio),
        error_weight: t("log_shift_error_weight", d.error_weight),
        drain: crate::analysis::logs::drain::DrainParams {
            similarity: t("log_drain_similarity", d.drain.similarity).min(1.0),
            ..d.drain
        },
        ..d
    }
}

impl Budget {
    pub fn of(ctx: &Ctx<'_>) -> Self {
        let t = |k: &str, d: f64| {
            let v = ctx.threshold(k);
            if v.is_finite() && v > 0.0 { v } else { d }
        };
        Budget {
            services: t("log_shift_services", 30.0) as usize,
            pods: t("log_shift_pods", 1.0) as usize,
            pod_bytes: t("log_shift_pod_bytes", 524_288.0) as i64,
            tail_lines: t("log_shift_tail_lines", 2000.0) as i64,
            traces: t("log_shift_traces", 50.0).max(1.0) as u32,
        }
    }
}

/// The two windows, unix seconds: the baseline hour ending `offset` before `--at`, and now (the
/// last 15 minutes, or less when the baseline ends nearer, so the two never overlap).
fn windows(at: f64, offset: Duration) -> ((f64, f64), (f64, f64)) {
    let off = offset.as_secs_f64();
    let now_len = off.min(super::graph::DEFAULT_BASELINE_OFFSET.as_secs_f64());
    ((at - off - BASELINE_SECS, at - off), (at - now_len, at))
}

/// The described request, for the step's record.
pub fn shown(ctx: &Ctx<'_>, offset: Duration, b: Budget) -> Vec<String> {
    let ((base_from, _), (now_from, at)) = windows(unix(ctx.at), offset);
    let ns = &ctx.namespace;
    vec![
        format!(
            "GET /api/v1/namespaces/{ns}/pods?labelSelector=app in (<services>) (else without the selector)"
        ),
        format!(
            "GET /api/v1/namespaces/{ns}/pods/{{pod}}/log?sinceSeconds={}&tailLines={}&limitBytes={}&timestamps=true",
            (at - now_from) as i64,
            b.tail_lines,
            b.pod_bytes
        ),
        format!(
            "GET /api/v1/namespaces/{ns}/pods/{{pod}}/log?sinceTime={}&limitBytes={}&timestamps=true",
            Timestamp::from_second(base_from as i64)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            b.pod_bytes
        ),
        format!(
            "GET /api/traces?service={{service}}&start=…&end=…&limit={} (each window a read covered, for the services whose lines name their spans and one went quiet)",
            b.traces
        ),
    ]
}

/// The pods of each service in `services`, at most `per` each, by name.
fn pods_of<'a>(
    pods: &'a [PodInfo],
    services: &[String],
    per: usize,
) -> BTreeMap<String, Vec<&'a PodInfo>> {
    let names: BTreeSet<String> = services.iter().cloned().collect();
    let mut out: BTreeMap<String, Vec<&PodInfo>> = BTreeMap::new();
    let mut sorted: Vec<&PodInfo> = pods
        .iter()
        .filter(|p| p.phase.as_deref() != Some("Pending"))
        .collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    for p in sorted {
        if let Some(svc) = service_of_container(&p.name, &names) {
            let v = out.entry(svc.to_string()).or_default();
            if v.len() < per {
                v.push(p);
            }
        }
    }
    out
}

/// The pods to match to `services` (issue 19: a cost that does not grow with the namespace):
/// those labelled `app` in `services`, when that finds pods for every one of them; else, as
/// before, every pod of the namespace, matched by name.
async fn pods_for(
    kube: &crate::backends::kubernetes::Kube,
    ns: &str,
    services: &[String],
    per: usize,
) -> Result<Vec<PodInfo>, crate::error::BackendError> {
    if services.iter().all(|s| valid_label_value(s)) {
        let selector = format!("app in ({})", services.join(","));
        if let Ok(pods) = kube.pods(ns, &selector).await
            && pods_of(&pods, services, per).len() == services.len()
        {
            return Ok(pods);
        }
    }
    kube.pods(ns, "").await
}

/// Read the logs of `services` (see the module) and compare each service's templates now with
/// its baseline, per line (see below).
pub async fn read(
    ctx: &Ctx<'_>,
    services: &[String],
    offset: Duration,
    budget: Budget,
    params: &ShiftParams,
) -> Result<(BTreeMap<String, TemplateShift>, Option<String>), StepError> {
    if services.is_empty() {
        return Err(StepError::Skipped(
            "no changed service to start from: nothing to compare".into(),
        ));
    }
    tracing::debug!(?services, "log scope");
    let kube = ctx.kube()?;
    let ns = ctx.namespace.as_str();
    let pods = pods_for(kube, ns, services, budget.pods).await?;
    let chosen = pods_of(&pods, services, budget.pods);
    let at = unix(ctx.at);
    let ((base_from, base_to), (now_from, now_to)) = windows(at, offset);
    let since_now = Duration::from_secs_f64((now_to - now_from).max(1.0));
    let base_start = Timestamp::from_second(base_from.floor() as i64)
        .map_err(|e| StepError::Failed(format!("baseline start: {e}")))?;
    type Read = (
        String,
        String,
        bool,
        Result<String, crate::error::BackendError>,
    );
    let jobs: Vec<(String, String, Option<String>, bool)> = chosen
        .iter()
        .flat_map(|(svc, pods)| {
            pods.iter().flat_map(move |p| {
                let container = p
                    .containers
                    .iter()
                    .find(|c| c.name == *svc)
                    .or_else(|| p.containers.first())
                    .map(|c| c.name.clone());
                [false, true]
                    .map(|baseline| (svc.clone(), p.name.clone(), container.clone(), baseline))
            })
        })
        .collect();
    let mut done: Vec<Read> = futures::stream::iter(jobs)
        .map(|(svc, pod, container, baseline)| async move {
            let text = if baseline {
                kube.pod_logs_from(ns, &pod, container.as_deref(), base_start, budget.pod_bytes)
                    .await
            } else {
                kube.pod_logs(
                    ns,
                    &pod,
                    container.as_deref(),
                    since_now,
                    Some(budget.tail_lines),
                    budget.pod_bytes,
                )
                .await
            };
            (svc, pod, baseline, text)
        })
        .buffer_unordered(READS)
        .collect()
        .await;
    // Finishing order varies; the evidence must not.
    done.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    let mut warnings = Vec::new();
    let mut first_error = None;
    let mut ok = 0usize;
    // Per service: (baseline lines, now lines).
    let mut lines: BTreeMap<String, (Vec<shift::Line>, Vec<shift::Line>)> = BTreeMap::new();
    // Per (service, pod): the stretch each window's read covered ([baseline, now]).
    let mut cover: Cover = BTreeMap::new();
    for (svc, pod, baseline, r) in done {
        let text = match r {
            Ok(t) => t,
            Err(e) => {
                warnings.push(format!("logs of {pod}: {}", e.one_line()));
                first_error.get_or_insert(e);
                continue;
            }
        };
        ok += 1;
        let cut_end = text.len() as i64 >= budget.pod_bytes;
        // The newest `tailLines` came back: the read starts where they do.
        let cut_start = !baseline && text.lines().count() as i64 >= budget.tail_lines;
        let (from, to) = if baseline {
            (base_from, base_to)
        } else {
            (now_from, now_to + 1.0)
        };
        let read = shift::lines_between(&text, from, to).0;
        let stretch = shift::covered(&read, from, to, cut_start, cut_end);
        cover.entry((svc.clone(), pod)).or_default()[usize::from(!baseline)] = Some(stretch);
        let entry = lines.entry(svc).or_default();
        if baseline {
            entry.0.extend(read);
        } else {
            entry.1.extend(read);
        }
    }
    if ok == 0
        && let Some(e) = first_error
    {
        return Err(StepError::from(e));
    }
    let missing: Vec<&str> = services
        .iter()
        .filter(|s| !chosen.contains_key(*s))
        .map(String::as_str)
        .collect();
    // A dependency with no pod here (a managed database, another namespace) is usual; only a
    // scope where no service had one is worth a warning.
    if !missing.is_empty() && chosen.is_empty() {
        warnings.push(format!(
            "no pod named after {} in namespace {ns}",
            missing.join(", ")
        ));
    }
    let every_pod = pods_of(&pods, services, usize::MAX);
    let per_request = requests(
        ctx,
        &lines,
        &cover,
        &every_pod,
        budget.traces,
        &mut warnings,
    )
    .await;
    let mut out = BTreeMap::new();
    for (svc, (base, now)) in lines {
        // Per line, not per request: how much of each window a log really covers is uncertain
        // (rotation, a restarted container, the byte limit, a service that logs in bursts),
        // and a wrong coverage makes every template of a service jump at once, blaming it.
        // A template's share of its window's lines does not depend on it; the cost is that a
        // volume change with an unchanged mix is not seen (`TemplateShift::per_line` says so).
        // Per request only where the lines name the requests that wrote them, and only the
        // requests inside the stretch each read covered count (`requests`).
        let t = match per_request.get(&svc) {
            Some((b, n)) => shift::compare_per_request(&base, &now, (b, n), params),
            None => shift::compare(&base, &now, 0.0, 0.0, params),
        };
        tracing::debug!(
            service = %svc,
            base_lines = t.base_lines,
            now_lines = t.now_lines,
            templates = t.templates,
            changed = t.changes.len(),
            shift = ?t.to_shift().map(|s| (s.strength, s.summary)),
            changes = ?t.changes.iter().map(|c| (c.kind.as_str(), c.error, c.base, c.now, (c.score * 10.0).round() / 10.0)).collect::<Vec<_>>(),
            "log templates"
        );
        out.insert(svc, t);
    }
    Ok((out, warn(warnings)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_windows_never_overlap_and_now_is_the_last_quarter_hour_at_most() {
        let ((bf, bt), (nf, nt)) = windows(10_000.0, Duration::from_secs(900));
        assert_eq!(
            (bf, bt, nf, nt),
            (10_000.0 - 900.0 - 3600.0, 9100.0, 9100.0, 10_000.0)
        );
        // A baseline two hours back: now is still the last 15 minutes.
        let ((_, bt), (nf, _)) = windows(10_000.0, Duration::from_secs(7200));
        assert_eq!((bt, nf), (2800.0, 9100.0));
        // A baseline ending 5 minutes back: now shrinks to those 5 minutes.
        let ((_, bt), (nf, _)) = windows(10_000.0, Duration::from_secs(300));
        assert_eq!((bt, nf), (9700.0, 9700.0));
    }

    #[test]
    fn pods_are_matched_to_services_by_name_a_few_each() {
        let pod = |n: &str| PodInfo {
            name: n.into(),
            phase: Some("Running".into()),
            node: None,
            started: None,
            containers: vec![],
        };
        let pods = [
            pod("checkout-7d9f-a"),
            pod("checkout-7d9f-b"),
            pod("checkout-7d9f-c"),
            pod("checkout-worker-5c-x"),
            pod("cart-1"),
        ];
        let services = vec!["checkout".to_string(), "checkout-worker".to_string()];
        let m = pods_of(&pods, &services, 2);
        let names = |s: &str| m[s].iter().map(|p| p.name.as_str()).collect::<Vec<_>>();
        assert_eq!(names("checkout"), ["checkout-7d9f-a", "checkout-7d9f-b"]);
        assert_eq!(names("checkout-worker"), ["checkout-worker-5c-x"]);
        assert!(!m.contains_key("cart"));
    }
}
