//! `tracectl investigate latency`: the high-latency runbook, step by step.
//!
//! Triage (without `--service`) picks the slowest service; then the steps run concurrently:
//! service latency with onset and baseline, slow operations, dependencies, slow traces,
//! resources, and recent changes (which waits for the dependencies, to check the slow
//! dependency's rollouts too). Each step's answer becomes plain evidence for
//! [`crate::analysis::latency::analyze`]. Queries come from `runbooks/latency.yaml`; the step ids
//! it may use are [`STEPS`]. Tests: `tests/it/latency.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Result;
use futures::FutureExt;
use jiff::Timestamp;

use super::queries::Ctx;
use super::{StepError, StepLog};
use crate::analysis::latency::{
    self as analysis, ChangeEvidence, DeploymentHistory, LatencyEvidence, LatencyParams,
    MetricList, ResourceEvidence, TraceEvidence,
};
use crate::analysis::{changepoint, traces};
use crate::backends::jaeger::{self, TraceQuery};
use crate::backends::kubernetes::{self, Kube, KubeMode};
use crate::backends::traces::TraceStore;
use crate::cli::LatencyArgs;
use crate::error::{BackendError, UsageError};
use crate::promql::{Value, Vars};
use crate::report::{Report, Target};
use crate::runbook::{self, Runbook};
use crate::settings::{Mode, Settings};

/// The step ids this command can run; a runbook file may use only these.
pub const STEPS: &[&str] = &[
    "affected-services",
    "traces",
    "slow-operations",
    "dependencies",
    "resources",
    "recent-changes",
];

/// The variables its query templates may use.
pub const VARS: &[&str] = &["service", "quantile", "rate_window", "offset"];

pub(super) fn warn(w: Vec<String>) -> Option<String> {
    if w.is_empty() {
        None
    } else {
        Some(format!("partial data: {}", w.join("; ")))
    }
}

pub(super) fn unix(t: Timestamp) -> f64 {
    t.as_millisecond() as f64 / 1000.0
}

fn params(rb: &Runbook, s: &Settings, threshold: Option<f64>) -> LatencyParams {
    let t = |k: &str| s.threshold(k, rb.threshold(k));
    LatencyParams {
        service_seconds: threshold.unwrap_or_else(|| {
            s.thresholds
                .get("latency_seconds")
                .copied()
                .unwrap_or(t("service_seconds"))
        }),
        operation_seconds: t("operation_seconds"),
        dependency_seconds: t("dependency_seconds"),
        dependency_share: t("dependency_share"),
        throttling_ratio: t("throttling_ratio"),
        cpu_saturation: t("cpu_saturation"),
        memory_ratio: t("memory_ratio"),
        network_growth: t("network_growth"),
        n_plus_one_repeats: t("n_plus_one_repeats"),
        change_window_seconds: t("change_window_seconds"),
    }
}

pub async fn investigate(settings: &Settings, args: &LatencyArgs) -> Result<Report> {
    let rb = runbook::load("latency", settings.runbooks_dir.as_deref())?;
    rb.validate(STEPS, VARS, "latency runbook")?;
    let quantile = args.quantile.unwrap_or(0.95);
    if !(0.0..1.0).contains(&quantile) || quantile <= 0.0 {
        return Err(UsageError::new(format!(
            "--quantile must be between 0 and 1, got {quantile}"
        ))
        .into());
    }
    if let Some(t) = args.threshold
        && !(t.is_finite() && t > 0.0)
    {
        return Err(UsageError::new("--threshold must be a positive number of seconds").into());
    }
    let p = params(&rb, settings, args.threshold);
    let labels = rb.labels(settings.profile).cloned().ok_or_else(|| {
        UsageError::new(format!(
            "latency runbook: no labels for profile {}",
            settings.profile.name()
        ))
    })?;
    let at = settings.clock.now();
    let mut vars = Vars::new();
    vars.insert("quantile".into(), Value::Number(quantile));
    vars.insert("rate_window".into(), Value::Duration(settings.rate_window));
    let mut ctx = Ctx {
        settings,
        rb,
        prom: settings.prometheus(),
        vars,
        at,
    };
    let log = StepLog::new(settings.progress, settings.command_timeout);
    // Connecting reads the kubeconfig only; doing it first settles the namespace every step and
    // remediation uses: -n, else the kubeconfig context's, else a replayed bundle's.
    let kube = connect_kube(settings).await;
    let namespace = match &kube {
        Ok(k) if settings.kubernetes.namespace.is_none() => k.default_namespace().to_string(),
        _ => settings.namespace.clone(),
    };
    if let (Mode::Record(r), Ok(_)) = (&settings.mode, &kube) {
        r.note_namespace(&namespace);
    }

    // Step 1 as triage: without --service, the slowest service is the target.
    let service = match &args.service {
        Some(s) => s.clone(),
        None => {
            let q = ctx.query("affected-services", "top", &[]);
            let title = ctx
                .rb
                .step("affected-services")
                .map(|s| s.title.clone())
                .unwrap_or_default();
            let picked = log
                .run(
                    0,
                    "triage",
                    format!("Triage: {}", title),
                    q.iter().cloned().collect(),
                    async {
                        let q = q.clone()?;
                        let (items, w) = ctx.list(&q, &labels.service).await?;
                        Ok((items, warn(w)))
                    },
                )
                .await;
            match picked.as_ref().and_then(|items| items.first()) {
                Some((svc, _)) if !svc.is_empty() => svc.clone(),
                _ => {
                    let mut report = Report::new(
                        "investigate latency",
                        Target {
                            service: None,
                            operation: None,
                        },
                        at.to_string(),
                        crate::clock::format_duration(settings.lookback),
                    );
                    report.steps = log.into_steps();
                    let none_slow = picked.is_some();
                    report.finish(Vec::new());
                    if none_slow {
                        report.diagnosis = "no service reports latency: nothing to triage".into();
                    }
                    return Ok(report);
                }
            }
        }
    };
    ctx.vars
        .insert("service".into(), Value::Label(service.clone()));
    let ctx = ctx;
    let title = |id: &str| {
        ctx.rb
            .step(id)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let offsets = ["1d", "7d"];

    // Step 1 for the target: its latency now, its baseline, and when it changed.
    let service_q = ctx.query("affected-services", "service", &[]);
    let affected = {
        let mut qs: Vec<String> = service_q.iter().cloned().collect();
        qs.extend(ctx.query("affected-services", "top", &[]).ok());
        log.run(
            0,
            "affected-services",
            title("affected-services"),
            qs,
            async {
                let q = service_q.clone()?;
                let prom = ctx.prom()?;
                let now = ctx.scalar(&q).await?;
                let start =
                    at - jiff::SignedDuration::try_from(settings.lookback).unwrap_or_default();
                let step = Duration::from_secs((settings.lookback.as_secs() / 120).max(15));
                let range = prom.query_range(&q, start, at, step).await?;
                let points = range
                    .series()
                    .into_iter()
                    .next()
                    .map(|s| s.points)
                    .unwrap_or_default();
                let onset = changepoint::detect(&points, 1.5);
                let mut baseline = None;
                for off in offsets {
                    let d = crate::clock::parse_duration(off).unwrap_or_default();
                    let bq = ctx.query(
                        "affected-services",
                        "baseline",
                        &[("offset", Value::Duration(d))],
                    )?;
                    if let Some(v) = ctx.scalar(&bq).await? {
                        baseline = Some((off.to_string(), v));
                        break;
                    }
                }
                Ok(((now, onset, baseline), warn(range.warnings)))
            },
        )
    };

    let op_label = labels.operation.clone();
    let operations = {
        let q = ctx.query("slow-operations", "top", &[]);
        let ctx = &ctx;
        let op_label = &op_label;
        log.run(
            2,
            "slow-operations",
            title("slow-operations"),
            q.iter().cloned().collect(),
            async move {
                let q = q?;
                let (mut items, w) = ctx.list(&q, op_label).await?;
                if let Some(op) = &args.operation {
                    items.retain(|(o, _)| o == op);
                }
                Ok((MetricList { query: q, items }, warn(w)))
            },
        )
    };

    let dep_label = labels.dependency.clone();
    let dependencies = {
        let q = ctx.query("dependencies", "top", &[]);
        let ctx = &ctx;
        let dep_label = &dep_label;
        log.run(
            3,
            "dependencies",
            title("dependencies"),
            q.iter().cloned().collect(),
            async move {
                let q = q?;
                let (items, w) = ctx.list(&q, dep_label).await?;
                Ok((MetricList { query: q, items }, warn(w)))
            },
        )
    }
    .shared();

    let traces_step = {
        let store = settings.trace_store();
        let svc = service.clone();
        let limit = ctx.rb.threshold("trace_limit").max(1.0) as u32;
        let min = Duration::from_secs_f64(p.service_seconds);
        let desc = format!(
            "GET /api/traces?service={svc}{}&minDuration={}&lookback={}&limit={limit}",
            args.operation
                .as_ref()
                .map(|o| format!("&operation={o}"))
                .unwrap_or_default(),
            crate::clock::format_duration(min),
            crate::clock::format_duration(settings.lookback)
        );
        let n_plus = p.n_plus_one_repeats.max(2.0) as usize;
        log.run(
            1,
            "traces",
            title("traces"),
            vec![desc.clone()],
            async move {
                let client = store.map_err(StepError::from)?;
                let q = TraceQuery {
                    service: svc,
                    operation: args.operation.clone(),
                    tags: vec![],
                    min_duration: Some(min),
                    max_duration: None,
                    start: at
                        - jiff::SignedDuration::try_from(settings.lookback).unwrap_or_default(),
                    end: at,
                    limit,
                };
                let mut found = client.find_traces(&q).await?;
                let bounded = traces::limits::bound(&mut found, Default::default());
                let base = settings.trace_link_base(&client);
                Ok((
                    trace_evidence(&client, &found, &desc, &base, n_plus),
                    bounded,
                ))
            },
        )
    };

    let resources = {
        let names = [
            "throttling",
            "cpu_saturation",
            "memory",
            "memory_bytes",
            "network",
        ];
        let mut queries = BTreeMap::new();
        for n in names {
            if let Ok(q) = ctx.query("resources", n, &[]) {
                queries.insert(n.to_string(), q);
            }
        }
        let base_off = Value::Duration(crate::clock::parse_duration("1d").unwrap_or_default());
        if let Ok(q) = ctx.query("resources", "network_baseline", &[("offset", base_off)]) {
            queries.insert("network_baseline".into(), q);
        }
        let shown: Vec<String> = queries.values().cloned().collect();
        let ctx = &ctx;
        log.run(4, "resources", title("resources"), shown, async move {
            let run = |name: &'static str| {
                let q = queries.get(name).cloned();
                async move {
                    match q {
                        Some(q) => ctx.list(&q, "pod").await.map(|(v, w)| (name, v, w)),
                        None => Err(StepError::Failed(format!(
                            "runbook has no resources/{name} query"
                        ))),
                    }
                }
            };
            let results = futures::future::join_all(
                [
                    "throttling",
                    "cpu_saturation",
                    "memory",
                    "memory_bytes",
                    "network",
                    "network_baseline",
                ]
                .map(run),
            )
            .await;
            let mut ev = ResourceEvidence {
                queries: queries.clone(),
                ..Default::default()
            };
            let mut warnings = Vec::new();
            let mut failures = Vec::new();
            let mut net = (None, None);
            for r in results {
                match r {
                    Ok((name, items, w)) => {
                        warnings.extend(w);
                        match name {
                            "memory_bytes" => ev.memory_bytes = items,
                            "network" => net.0 = items.first().map(|x| x.1),
                            "network_baseline" => net.1 = items.first().map(|x| x.1),
                            _ => {
                                ev.ratios.insert(name.to_string(), items);
                            }
                        }
                    }
                    Err(StepError::Failed(e) | StepError::Skipped(e)) => failures.push(e),
                }
            }
            if failures.len() == 6 {
                return Err(StepError::Failed(failures.swap_remove(0)));
            }
            if let (Some(n), Some(b)) = net {
                ev.network = Some((n, b));
            }
            failures.extend(warnings);
            Ok((ev, warn(failures)))
        })
    };

    let changes = {
        let deps = dependencies.clone();
        let svc = service.clone();
        let ns = namespace.clone();
        let repo = args.repo.clone();
        let lookback = settings.lookback;
        log.run(
            5,
            "recent-changes",
            title("recent-changes"),
            vec![
                format!("kubectl rollout history deployment/{svc} -n {ns}"),
                format!("kubectl get configmap {svc}-config -n {ns} -o yaml"),
            ],
            async move {
                let kube = &kube;
                let service_part = async {
                    let Ok(kube) = &kube else {
                        return Err(kube
                            .as_ref()
                            .err()
                            .cloned()
                            .unwrap_or(StepError::Failed("kubernetes".into())));
                    };
                    let mut out = ChangeEvidence::default();
                    // Three independent reads: at once, so the step takes the slowest of them.
                    let cm_name = format!("{svc}-config");
                    let (hist, named, plain) = futures::join!(
                        kube.rollout_history(&ns, &svc),
                        kube.config_map(&ns, &cm_name),
                        kube.config_map(&ns, &svc),
                    );
                    match hist {
                        Ok(h) => out.deployments.push(history(&svc, h)),
                        Err(e) if is_not_found(&e) => {}
                        Err(e) => return Err(StepError::from(e)),
                    }
                    for found in [named?, plain?] {
                        if let Some(info) = found
                            && let Some(t) = info.last_changed
                        {
                            out.config_maps.push((info.name.clone(), unix(t)));
                        }
                    }
                    Ok(out)
                };
                let dep_part = async {
                    let Ok(kube) = &kube else { return Vec::new() };
                    let Some(top) = deps
                        .await
                        .and_then(|d| d.items.first().map(|x| x.0.clone()))
                    else {
                        return Vec::new();
                    };
                    if !kubernetes::valid_name(&top) {
                        return Vec::new();
                    }
                    match kube.rollout_history(&ns, &top).await {
                        Ok(h) => vec![history(&top, h)],
                        Err(_) => Vec::new(),
                    }
                };
                let (svc_changes, dep_changes) = futures::join!(service_part, dep_part);
                let mut ev = svc_changes?;
                ev.deployments.extend(dep_changes);
                if let Some(repo) = repo {
                    ev.commits = git_commits(&repo, &svc, at, lookback)
                        .await
                        .map_err(StepError::Failed)?;
                }
                Ok((ev, None))
            },
        )
    };

    let (affected, operations, deps, traces_ev, resources, changes) = futures::join!(
        affected,
        operations,
        dependencies,
        traces_step,
        resources,
        changes
    );

    let (service_latency, onset, baseline) = affected.unwrap_or((None, None, None));
    let evidence = LatencyEvidence {
        service: service.clone(),
        namespace: namespace.clone(),
        quantile,
        service_query: service_q.unwrap_or_default(),
        service_latency,
        baseline,
        onset,
        operations,
        dependencies: deps,
        traces: traces_ev,
        resources,
        changes,
        now: unix(at),
        lookback: settings.lookback.as_secs_f64(),
    };
    let findings = analysis::analyze(&evidence, &p);
    let mut report = Report::new(
        "investigate latency",
        Target {
            service: Some(service),
            operation: args.operation.clone(),
        },
        at.to_string(),
        crate::clock::format_duration(settings.lookback),
    );
    report.steps = log.into_steps();
    report.finish(findings);
    Ok(report)
}

pub(super) fn is_not_found(e: &BackendError) -> bool {
    matches!(e.kind, crate::error::ErrorKind::Status { code: 404, .. })
}

pub(super) async fn connect_kube(settings: &Settings) -> Result<Kube, StepError> {
    if !settings.kube_available {
        return Err(StepError::Skipped(
            "kubernetes not configured (--kubeconfig)".into(),
        ));
    }
    let mode = match &settings.mode {
        Mode::Live => KubeMode::Live,
        Mode::Record(r) => KubeMode::Record(r.clone()),
        Mode::Replay(r) => KubeMode::Replay(r.clone()),
    };
    kubernetes::connect(&settings.kubernetes, mode)
        .await
        .map_err(StepError::from)
}

pub(super) fn history(role: &str, h: kubernetes::RolloutHistory) -> DeploymentHistory {
    DeploymentHistory {
        name: h.deployment.name.clone(),
        role: role.to_string(),
        replicas: Some(h.deployment.replicas),
        containers: h
            .deployment
            .containers
            .iter()
            .map(|c| c.name.clone())
            .collect(),
        revisions: h
            .revisions
            .iter()
            .map(|r| analysis::Revision {
                revision: r.revision,
                created: r.created.map(unix).unwrap_or(0.0),
                images: r.images.clone(),
                change_cause: r.change_cause.clone(),
            })
            .collect(),
    }
}

fn trace_evidence(
    store: &TraceStore,
    found: &[jaeger::Trace],
    query: &str,
    base: &url::Url,
    n_plus: usize,
) -> TraceEvidence {
    let shares = traces::where_time_goes(found)
        .into_iter()
        .map(|s| analysis::TimeShare {
            service: s.service,
            operation: s.operation,
            seconds: s.time_us as f64 / 1e6,
            share: s.share,
        })
        .collect();
    let repeated = traces::n_plus_one(found, n_plus)
        .into_iter()
        .map(|n| analysis::Repeated {
            parent_service: n.parent_service,
            parent_operation: n.parent_operation,
            child_service: n.child_service,
            child_operation: n.child_operation,
            count: n.max_calls,
            traces: n.traces,
            example_trace: n.example_trace_id,
        })
        .collect::<Vec<_>>();
    let mut examples: Vec<(String, String, f64)> = traces::representative(found, 2)
        .into_iter()
        .map(|i| &found[i])
        .map(|t| {
            (
                t.trace_id.clone(),
                store.ui_link(base, &t.trace_id),
                t.duration_us() as f64 / 1e6,
            )
        })
        .collect();
    for r in &repeated {
        if !examples.iter().any(|e| e.0 == r.example_trace)
            && let Some(t) = found.iter().find(|t| t.trace_id == r.example_trace)
        {
            examples.push((
                t.trace_id.clone(),
                store.ui_link(base, &t.trace_id),
                t.duration_us() as f64 / 1e6,
            ));
        }
    }
    TraceEvidence {
        query: query.to_string(),
        count: found.len(),
        shares,
        repeated,
        examples,
    }
}

/// Commits in the lookback whose changed paths mention the service.
async fn git_commits(
    repo: &std::path::Path,
    service: &str,
    at: Timestamp,
    lookback: Duration,
) -> Result<Vec<(String, f64, String)>, String> {
    let since = at.as_second() - lookback.as_secs() as i64;
    let out = tokio::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args([
            "log",
            &format!("--since=@{since}"),
            &format!("--until=@{}", at.as_second()),
            "--format=%x00%H%x09%ct%x09%s",
            "--name-only",
        ])
        .output()
        .await
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git log in {} failed: {}",
            repo.display(),
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut commits = Vec::new();
    for block in text.split('\0').filter(|b| !b.trim().is_empty()) {
        let mut lines = block.lines();
        let Some(head) = lines.next() else { continue };
        let mut parts = head.splitn(3, '\t');
        let (Some(sha), Some(ts), Some(subject)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if lines.any(|path| path.contains(service)) {
            commits.push((
                sha.to_string(),
                ts.parse().unwrap_or(0.0),
                subject.to_string(),
            ));
        }
    }
    Ok(commits)
}
