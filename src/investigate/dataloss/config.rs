//! The `config` and `resources` steps.
//!
//! Config: the Collector's config text (`--collector-config FILE`, else the ConfigMap its
//! workloads in the Collector's namespace mount, else `NAME-config` there: the first key that
//! reads like a Collector config, e.g. the Helm chart's `relay`), the service's own `SERVICE-config` with `--service`, and the sampling
//! policy (the config file's `sampling:` block, else the `sampling-config` ConfigMap beside the
//! services, else in the stack's namespace, else the Collector config's sampler processors, else
//! the `OTEL_TRACES_SAMPLER`/`_ARG` of the services' Deployments). The lint
//! itself is pure and runs in the analysis. Resources: the Collector's and Jaeger's pods (label
//! `app=NAME`) from Kubernetes, and their memory and throttling from Prometheus. Tests:
//! `tests/it/dataloss.rs` and below.

use std::collections::BTreeMap;

use super::{Ctx, warn};
use crate::analysis::dataloss::{ConfigEvidence, ConfigText, PodEvidence, Policy};
use crate::analysis::resources::ResourceEvidence;
use crate::backends::kubernetes::{self, Kube};
use crate::cli::DataLossArgs;
use crate::investigate::StepError;
use crate::investigate::sampling_policy::{
    Sources, collector_configmap, collector_mounts_shown, collector_text,
};

pub(super) type ConfigOut = (ConfigEvidence, Option<Policy>);

pub(super) async fn run(
    ctx: &Ctx<'_>,
    args: &DataLossArgs,
    kube: &Result<Kube, StepError>,
    ns: &str,
    cns: &str,
    stack_ns: Option<&str>,
) -> Option<ConfigOut> {
    let settings = ctx.settings;
    let sources = Sources {
        settings,
        kube: kube.as_ref().ok(),
        ns,
        stack_ns,
    };
    let cm_name = format!("{}-config", args.collector_name);
    let svc_cm = args
        .service
        .as_ref()
        .map(|s| format!("{s}-config"))
        .filter(|n| kubernetes::valid_name(n));
    let mut shown = match &args.collector_config {
        Some(f) => vec![format!("read {}", f.display())],
        None => vec![
            collector_mounts_shown(cns),
            format!("kubectl get configmap {cm_name} -n {cns} -o yaml"),
        ],
    };
    if let Some(n) = &svc_cm {
        shown.push(format!("kubectl get configmap {n} -n {ns} -o yaml"));
    }
    shown.extend(sources.shown());
    ctx.step("config", shown, async move {
        let k = kube.as_ref().ok();
        if k.is_none() && args.collector_config.is_none() && settings.sampling.is_none() {
            return Err(kube
                .as_ref()
                .err()
                .cloned()
                .unwrap_or_else(|| StepError::Skipped("kubernetes not configured".into())));
        }
        let mut notes = Vec::new();
        let file = match &args.collector_config {
            Some(path) => Some(
                tokio::fs::read_to_string(path)
                    .await
                    .map(|text| ConfigText {
                        source: path.display().to_string(),
                        text,
                    })
                    .map_err(|e| {
                        StepError::Failed(format!(
                            "cannot read --collector-config {}: {e}",
                            path.display()
                        ))
                    })?,
            ),
            None => None,
        };
        let collector_cm = async {
            match (k, &file) {
                (Some(k), None) => Some(collector_configmap(k, cns, &args.collector_name).await),
                _ => None,
            }
        };
        let service_cm = async {
            match (k, &svc_cm) {
                (Some(k), Some(n)) => Some(k.config_map_data(ns, n).await),
                _ => None,
            }
        };
        let sampling_cm = sources.sampling_configmap();
        let (collector_cm, service_cm, sampling_cm) =
            futures::join!(collector_cm, service_cm, sampling_cm);

        let collector = match (file, collector_cm) {
            (Some(f), _) => Some(f),
            (None, Some((name, got))) => match collector_text(cns, &name, got) {
                Ok(c) => Some(c),
                Err(note) => {
                    notes.push(note);
                    None
                }
            },
            (None, None) => None,
        };
        let service = match (service_cm, &svc_cm) {
            (Some(Ok(Some(data))), Some(n)) => Some((n.clone(), data)),
            (Some(Err(e)), _) => {
                notes.push(e.one_line());
                None
            }
            _ => None,
        };
        let policy = sources
            .policy(sampling_cm, collector.as_ref(), &mut notes)
            .await;
        Ok(((ConfigEvidence { collector, service }, policy), warn(notes)))
    })
    .await
}

pub(super) async fn resources(
    ctx: &Ctx<'_>,
    args: &DataLossArgs,
    kube: &Result<Kube, StepError>,
    cns: &str,
) -> Option<PodEvidence> {
    let names = ["throttling", "memory", "memory_bytes"];
    let queries: BTreeMap<String, String> = names
        .iter()
        .filter_map(|n| Some((n.to_string(), ctx.query("resources", n, &[]).ok()?)))
        .collect();
    let selectors = [
        format!("app={}", args.collector_name),
        format!("app={}", args.jaeger_name),
    ];
    let mut shown: Vec<String> = selectors
        .iter()
        .map(|s| format!("kubectl get pods -n {cns} -l {s}"))
        .collect();
    if ctx.prom.is_some() {
        shown.extend(queries.values().cloned());
    }
    ctx.step("resources", shown, async move {
        let k = kube.as_ref().ok();
        if k.is_none() && ctx.prom.is_none() {
            return Err(kube
                .as_ref()
                .err()
                .cloned()
                .unwrap_or_else(|| StepError::Skipped("kubernetes not configured".into())));
        }
        let pods = async {
            match k {
                Some(k) => Some(futures::join!(
                    k.pods(cns, &selectors[0]),
                    k.pods(cns, &selectors[1])
                )),
                None => None,
            }
        };
        let metrics = async {
            ctx.prom.as_ref()?;
            let runs = queries
                .iter()
                .map(|(name, q)| async move { (name.clone(), ctx.by_label(q, "pod").await) });
            Some(futures::future::join_all(runs).await)
        };
        let (pods, metrics) = futures::join!(pods, metrics);
        let mut notes = Vec::new();
        let mut ev = PodEvidence::default();
        // What the step says when nothing answered: the first failure, with its hint.
        let mut first: Option<StepError> = None;
        if let Some((c, j)) = pods {
            match c {
                Ok(v) => ev.collector_pods = Some(v),
                Err(e) => {
                    notes.push(e.one_line());
                    first.get_or_insert_with(|| StepError::from(e));
                }
            }
            match j {
                Ok(v) => ev.jaeger_pods = Some(v),
                Err(e) => {
                    notes.push(e.one_line());
                    first.get_or_insert_with(|| StepError::from(e));
                }
            }
        }
        if let Some(results) = metrics {
            let mut r = ResourceEvidence {
                queries: queries.clone(),
                ..Default::default()
            };
            // Metrics count as read only when one query answered: a Prometheus that failed
            // every one must not turn the step into a warning with nothing in it.
            let mut answered = false;
            for (name, res) in results {
                match res {
                    Ok((values, w)) => {
                        answered = true;
                        notes.extend(w.into_iter().map(|w| format!("partial data: {w}")));
                        let items: Vec<(String, f64)> = values.into_iter().collect();
                        if name == "memory_bytes" {
                            r.memory_bytes = items;
                        } else {
                            r.ratios.insert(name, items);
                        }
                    }
                    Err(e @ (StepError::Failed(_) | StepError::Skipped(_))) => {
                        let (StepError::Failed(text) | StepError::Skipped(text)) = &e;
                        notes.push(text.clone());
                        first.get_or_insert(e);
                    }
                }
            }
            if answered {
                ev.resources = Some(r);
            }
        }
        if ev.collector_pods.is_none() && ev.jaeger_pods.is_none() && ev.resources.is_none() {
            return Err(first.unwrap_or_else(|| StepError::Failed("no pods and no metrics".into())));
        }
        Ok((ev, warn(notes)))
    })
    .await
}
