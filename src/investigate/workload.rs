//! Which workload runs a service, for the steps that read its pods, logs and rollouts (issue
//! #17): a few of the service's recent traces (their resource attributes) and the Deployments,
//! StatefulSets and DaemonSets of the namespaces they point at, one list per kind per namespace
//! for the whole run however many services are mapped, then [`crate::analysis::workload`]
//! decides. A service no workload matches makes those steps `skipped` with the reason, never
//! `failed`. When no list can be read at all (RBAC without `list`, a bundle recorded before),
//! the service's name is taken as its Deployment's, as before mapping existed, and the mapping
//! says so. Tests: `tests/it/errors.rs` (a service named unlike its Deployment).

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::{Mutex, OnceCell};

use super::StepError;
use super::ctx::Ctx;
use crate::analysis::workload::{self, Mapping, ResourceHints};
use crate::backends::kubernetes::{WorkloadInfo, WorkloadKind, valid_name};
use crate::model::trace::TraceQuery;

/// Traces read for their resource attributes: a service's resource is the same in each, and a
/// trace store like Tempo fetches every trace found whole, so two are enough.
const HINT_TRACES: u32 = 2;

type Listed = Arc<OnceCell<Result<Vec<WorkloadInfo>, String>>>;
type Mapped = Arc<OnceCell<Result<Mapping, StepError>>>;

/// The run's workload lists (per namespace) and mappings (per service), each read once.
#[derive(Default)]
pub(crate) struct Cache {
    lists: Mutex<BTreeMap<String, Listed>>,
    services: Mutex<BTreeMap<String, Mapped>>,
}

impl Ctx<'_> {
    /// The workload running `service`, mapped once per run.
    pub(crate) async fn workload(&self, service: &str) -> Result<Mapping, StepError> {
        let cell = self
            .workloads
            .services
            .lock()
            .await
            .entry(service.to_string())
            .or_default()
            .clone();
        cell.get_or_init(|| async {
            let m = self.map_workload(service).await;
            match &m {
                Ok(m) => tracing::info!("workload: {}", m.describe(service)),
                Err(StepError::Skipped(w) | StepError::Failed(w)) => {
                    tracing::info!("workload of {service}: {w}")
                }
            }
            m
        })
        .await
        .clone()
    }

    async fn map_workload(&self, service: &str) -> Result<Mapping, StepError> {
        self.kube()?;
        // The run's namespace is listed while the traces are asked where the service runs: it
        // is the answer unless they name another (then it is one list too many, read once per
        // run), and waiting for them first put a round trip on every investigation's path.
        let (hints, _) = futures::join!(
            self.resource_hints(service),
            self.workloads_in(&self.namespace)
        );
        let mut listed = Vec::new();
        let mut refused = Vec::new();
        for ns in hints.namespaces(&self.namespace) {
            match self.workloads_in(&ns).await {
                Ok(v) => listed.extend(v),
                Err(e) => refused.push(e),
            }
        }
        if !refused.is_empty() && listed.is_empty() {
            // The reasons name the API server's address, which a replay does not share: `-v`.
            tracing::info!(
                "workloads of {service}: cannot list: {}",
                refused.join("; ")
            );
            return by_name_only(service, &self.namespace);
        }
        workload::map_service(service, &hints, &listed).map_err(StepError::Skipped)
    }

    /// What the service's recent traces say about where it runs; nothing when no trace store
    /// is configured or it does not answer (the other rules still apply).
    async fn resource_hints(&self, service: &str) -> ResourceHints {
        let Ok(store) = self.settings.trace_store() else {
            return ResourceHints::default();
        };
        let start =
            self.at - jiff::SignedDuration::try_from(self.settings.lookback).unwrap_or_default();
        let q = TraceQuery {
            service: service.to_string(),
            operation: None,
            tags: Vec::new(),
            min_duration: None,
            max_duration: None,
            start,
            end: self.at,
            limit: HINT_TRACES,
        };
        match store.find_traces_keeping(&q, workload::TAGS).await {
            Ok(traces) => workload::hints(service, &traces),
            Err(e) => {
                tracing::info!(
                    "workload of {service}: no trace attributes ({})",
                    e.one_line()
                );
                ResourceHints::default()
            }
        }
    }

    /// Every workload of `ns`, listed once per run; a kind that cannot be listed is left out,
    /// every kind refused is an error.
    async fn workloads_in(&self, ns: &str) -> Result<Vec<WorkloadInfo>, String> {
        let cell = self
            .workloads
            .lists
            .lock()
            .await
            .entry(ns.to_string())
            .or_default()
            .clone();
        cell.get_or_init(|| async {
            let kube = self.kube().map_err(|e| match e {
                StepError::Skipped(w) | StepError::Failed(w) => w,
            })?;
            let (d, s, ds) = futures::join!(
                kube.workloads_of(ns, WorkloadKind::Deployment),
                kube.workloads_of(ns, WorkloadKind::StatefulSet),
                kube.workloads_of(ns, WorkloadKind::DaemonSet),
            );
            let mut out = Vec::new();
            let mut errors = Vec::new();
            for r in [d, s, ds] {
                match r {
                    Ok(v) => out.extend(v),
                    Err(e) => errors.push(e.one_line()),
                }
            }
            if out.is_empty() && errors.len() == WorkloadKind::ALL.len() {
                return Err(errors.join("; "));
            }
            for e in &errors {
                tracing::info!("workloads of {ns}: {e}");
            }
            Ok(out)
        })
        .await
        .clone()
    }
}

/// No workload could be listed: the service's name as its Deployment's (the selector is then
/// the Deployment's own, read by the caller), as tracectl did before mapping.
fn by_name_only(service: &str, ns: &str) -> Result<Mapping, StepError> {
    if !valid_name(service) {
        return Err(StepError::Skipped(format!(
            "cannot map service {service:?} to a workload: the workloads of {ns} cannot be listed \
             (-v says why) and its name is not a valid Kubernetes name"
        )));
    }
    Ok(Mapping {
        workload: WorkloadInfo {
            kind: WorkloadKind::Deployment,
            namespace: ns.to_string(),
            name: service.to_string(),
            labels: BTreeMap::new(),
            template_labels: BTreeMap::new(),
            selector: String::new(),
            containers: Vec::new(),
            config_maps: Vec::new(),
        },
        how: "its own name: the workloads could not be listed (-v says why)".to_string(),
    })
}
