//! The `discovery` step: where the tracing stack runs, found from the kubeconfig alone (issue
//! #17), so a user with nothing but a kubeconfig is not read the wrong namespace. In order:
//! `--stack-namespace` / the context's `stack.namespace` (the Services there, for what is
//! where); else the Services labelled by the projects' charts or the guide (`app=tracing`),
//! across every namespace the credentials may list; else the well-known names in `monitoring`,
//! `observability`, `tracing`. All of these lists are asked at once and read in that order.
//! What each call found is shown beside it (as a shell comment, so
//! the line still runs), and in `-v`. Finding nothing, or being refused (RBAC), is a `warning`
//! with the hint to name the namespace or pass URLs, never a failure: the other steps go on in
//! the kubeconfig's namespace. A backend with no URL whose Service was found is then reached
//! through the API server's service proxy ([`ServiceProxy`], routed under the run's recorder),
//! and the step says so; explicit URLs always win. Which component is which is pure ([`crate::analysis::stack`]).
//! [`before`] runs it for the commands with no runbook step of that id (`check`, `audit`,
//! `investigate alerts`). Tests: `tests/it/dataloss.rs` (a stack in `monitoring`, applications
//! in `shop`; `issue_17_check_audit_and_alerts_reach_the_stack_through_the_api_server`).

use super::ctx::Ctx;
use crate::analysis::stack::{self, Component, GUIDE_SELECTOR, Stack, WELL_KNOWN_NAMESPACES};
use crate::backends::kubernetes::{self, Kube, KubeMode, ServiceProxy};
use crate::error::Backend;
use crate::investigate::engine::StepLog;
use crate::settings::{Mode, Settings};
use crate::transport::SharedTransport;

/// The backends discovery can reach through the API server's service proxy, and the component
/// that answers for each. The Collector's metrics are reached too, on their own port
/// ([`stack::Found::metrics_port`]); its OTLP receiver is not (an export is a POST: `create`).
const REACHABLE: [(Component, Backend); 5] = [
    (Component::Prometheus, Backend::Prometheus),
    (Component::JaegerQuery, Backend::Jaeger),
    (Component::Elasticsearch, Backend::Elasticsearch),
    (Component::Grafana, Backend::Grafana),
    (Component::Alertmanager, Backend::Alertmanager),
];

/// Whether a latency or errors run lacks a backend it needs that discovery could reach
/// (Prometheus, or a trace store): then it runs the `discovery` step too (data-loss always does).
pub(crate) fn wanted(settings: &Settings) -> bool {
    let missing = |b| settings.endpoint(b).is_none();
    settings.kube_available
        && !matches!(settings.mode, Mode::Replay(_))
        && (missing(Backend::Prometheus) || (missing(Backend::Jaeger) && missing(Backend::Tempo)))
}

/// Whether a command lacking `needed` backends (none of them has a URL) can have discovery reach
/// them: a kubeconfig, and not a replay (the bundle answers there).
pub(crate) fn wanted_for(settings: &Settings, needed: &[Backend]) -> bool {
    settings.kube_available
        && !matches!(settings.mode, Mode::Replay(_))
        && needed.iter().any(|b| settings.endpoint(*b).is_none())
}

/// Discovery for a command with no runbook `discovery` step (`check`, `audit`,
/// `investigate alerts`): the stack found and each backend with no URL reached through the API
/// server, recorded in `log` as the `discovery` step at `order` (run before the others, so it is
/// listed first among equals). A warning, never a failure, as in the investigations.
pub(crate) async fn before(settings: &Settings, log: &StepLog, order: usize) -> Stack {
    let named = settings.stack_namespace.clone();
    let shown = match &named {
        Some(ns) => vec![format!("kubectl get services -n {ns}")],
        None => vec![format!(
            "kubectl get services -A -l '{}'",
            stack::name_selector()
        )],
    };
    let found = log
        .run_described(
            order,
            "discovery",
            "Find the tracing stack from the kubeconfig".into(),
            shown,
            async {
                match settings.kube().await {
                    Ok(k) => {
                        let (stack, warning, mut asked) = discover(&k, named.as_deref()).await;
                        asked.extend(reach(settings, &k, &stack).await);
                        (Ok((stack, warning)), Some(asked))
                    }
                    Err(e) => (Err(e.into()), None),
                }
            },
        )
        .await;
    match found {
        Some(s) => {
            tracing::info!(
                "tracing stack: namespace {}; {}",
                s.namespace.as_deref().unwrap_or("(none found)"),
                s.describe()
            );
            s
        }
        None => named_only(named),
    }
}

/// Route each backend with no URL that the stack has a Service for through the API server's
/// service proxy (explicit URLs always win; a configured Tempo keeps Jaeger out, as the trace
/// store would switch). The lines say which way each backend is reached, for the step's record.
async fn reach(settings: &Settings, kube: &Kube, found: &Stack) -> Vec<String> {
    if matches!(settings.mode, Mode::Replay(_)) {
        return Vec::new();
    }
    // (backend, the Service, its port, a path under the proxy)
    let mut missing: Vec<(Backend, &stack::Found, u16, &str)> = REACHABLE
        .iter()
        .filter(|(_, b)| settings.endpoint(*b).is_none())
        .filter(|(_, b)| *b != Backend::Jaeger || settings.endpoint(Backend::Tempo).is_none())
        .filter_map(|(c, b)| {
            let f = found.get(*c)?;
            Some((*b, f, f.port, ""))
        })
        .collect();
    // The Collector's own metrics, with no `collector.metrics_url`: `/metrics` on its metrics port.
    if settings.endpoint(Backend::Collector).is_none()
        && let Some(f) = found.get(Component::Collector)
        && let Some(port) = f.metrics_port
    {
        missing.push((Backend::Collector, f, port, "metrics"));
    }
    if missing.is_empty() {
        return Vec::new();
    }
    // A recording run records the backend's exchanges once, as that backend's: the proxy itself
    // goes through a live connection, not the recording one.
    let live = match settings.mode {
        Mode::Record(_) => match kubernetes::connect(&settings.kubernetes, KubeMode::Live).await {
            Ok(k) => k,
            Err(e) => {
                return vec![format!(
                    "# cannot reach the stack through the API server: {}",
                    e.one_line()
                )];
            }
        },
        _ => kube.clone(),
    };
    let mut routes: Vec<(Backend, url::Url, SharedTransport)> = Vec::new();
    let mut lines = Vec::new();
    for (b, f, port, path) in missing {
        let Some(proxy) = ServiceProxy::new(&live, &f.namespace, &f.service, port) else {
            continue;
        };
        let Some(base) = proxy.base().and_then(|u| u.join(path).ok()) else {
            continue;
        };
        let shown = match path {
            "" => proxy.prefix(),
            p => format!("{}/{p}", proxy.prefix()),
        };
        lines.push(format!(
            "# {b}: no URL configured, reached through the API server's service proxy {shown}"
        ));
        routes.push((b, base, std::sync::Arc::new(proxy)));
    }
    let routed = settings.reach_through(routes);
    for b in &routed {
        tracing::info!("{b}: reached through the Kubernetes API server's service proxy");
    }
    lines.retain(|l| routed.iter().any(|b| l.starts_with(&format!("# {b}:"))));
    lines
}

/// What a user does when discovery cannot tell.
const HINT: &str = "pass --stack-namespace NS (or stack.namespace in the config context), or the \
                    backends' URLs and --collector-namespace";

/// Run the runbook's `discovery` step (when its YAML lists it) and return the stack: what it
/// found, or only the namespace the user named. `None` namespace: the kubeconfig's applies.
pub(crate) async fn step(ctx: &Ctx<'_>) -> Stack {
    let named = ctx.settings.stack_namespace.clone();
    let Some(order) = ctx.rb.steps.iter().position(|s| s.id == "discovery") else {
        return named_only(named);
    };
    let shown = match &named {
        Some(ns) => vec![format!("kubectl get services -n {ns}")],
        None => vec![format!(
            "kubectl get services -A -l '{}'",
            stack::name_selector()
        )],
    };
    let kube = ctx.kube.as_ref();
    let found = ctx
        .log
        .run_described(
            order,
            "discovery",
            ctx.title("discovery"),
            shown,
            async move {
                match kube {
                    Ok(k) => {
                        let (stack, warning, mut asked) = discover(k, named.as_deref()).await;
                        asked.extend(reach(ctx.settings, k, &stack).await);
                        (Ok((stack, warning)), Some(asked))
                    }
                    Err(e) => (Err(e.clone()), None),
                }
            },
        )
        .await;
    match found {
        Some(s) => {
            tracing::info!(
                "tracing stack: namespace {}; {}",
                s.namespace.as_deref().unwrap_or("(none found)"),
                s.describe()
            );
            s
        }
        None => named_only(ctx.settings.stack_namespace.clone()),
    }
}

fn named_only(named: Option<String>) -> Stack {
    Stack {
        namespace: named,
        found: Vec::new(),
    }
}

/// The stack, a warning when nothing was found, and each call made with what it found.
async fn discover(kube: &Kube, named: Option<&str>) -> (Stack, Option<String>, Vec<String>) {
    let mut asked = Vec::new();
    if let Some(ns) = named {
        let cmd = format!("kubectl get services -n {ns}");
        return match kube.services(Some(ns), "").await {
            Ok(v) => {
                let s = stack::locate(&v, Some(ns));
                asked.push(format!("{cmd}  # found: {}", s.describe()));
                (s, None, asked)
            }
            Err(e) => {
                asked.push(cmd);
                let warning = format!(
                    "cannot list the Services of {ns}: {}; the stack namespace is still {ns}",
                    e.one_line()
                );
                (named_only(Some(ns.to_string())), Some(warning), asked)
            }
        };
    }
    // Every list at once (issue 19: one round trip, not up to five in a row), then read in the
    // order above, as if asked one after another: the report names the calls that order makes.
    let selectors = [stack::name_selector(), GUIDE_SELECTOR.to_string()];
    let (labelled, well_known) = futures::join!(
        futures::future::join_all(selectors.iter().map(|sel| kube.services(None, sel))),
        futures::future::join_all(
            WELL_KNOWN_NAMESPACES
                .iter()
                .map(|ns| kube.services(Some(ns), ""))
        ),
    );
    let mut refused = Vec::new();
    let mut services = Vec::new();
    for (selector, listed) in selectors.iter().zip(labelled) {
        let cmd = format!("kubectl get services -A -l '{selector}'");
        match listed {
            Ok(v) => {
                asked.push(format!("{cmd}  # {} Services", v.len()));
                services.extend(v);
            }
            Err(e) => {
                asked.push(format!("{cmd}  # refused"));
                refused.push(e.one_line());
            }
        }
    }
    let mut found = stack::locate(&services, None);
    if found.namespace.is_none() {
        for (ns, listed) in WELL_KNOWN_NAMESPACES.iter().zip(well_known) {
            let cmd = format!("kubectl get services -n {ns}");
            match listed {
                Ok(v) => {
                    let s = stack::locate(&v, None);
                    asked.push(format!("{cmd}  # found: {}", s.describe()));
                    if s.namespace.is_some() {
                        found = s;
                        break;
                    }
                }
                Err(e) => {
                    asked.push(format!("{cmd}  # refused"));
                    refused.push(e.one_line());
                }
            }
        }
    }
    if let Some(ns) = &found.namespace {
        asked.push(format!("# the stack is in {ns}: {}", found.describe()));
    }
    let warning = found.namespace.is_none().then(|| {
        let why = if refused.is_empty() {
            format!(
                "no Service labelled {} or {GUIDE_SELECTOR}, and none of the well-known names in {}",
                stack::name_selector(),
                WELL_KNOWN_NAMESPACES.join(", ")
            )
        } else {
            refused.join("; ")
        };
        format!("found no tracing stack ({why}); hint: {HINT}")
    });
    (found, warning, asked)
}

/// What `config init` writes a context from: the stack, each backend reached through the API
/// server (backend, service proxy path), the metric profile Prometheus' names suggest, and the
/// calls made with what they found.
pub struct ForConfig {
    pub stack: Stack,
    pub reached: Vec<(Backend, String)>,
    /// Each backend's address by cluster DNS (`config init --in-cluster`): the API of each
    /// component found, and the Collector's metrics (`metrics_url`) and OTLP (`otlp_url`).
    pub in_cluster: InCluster,
    pub profile: Option<&'static str>,
    pub lines: Vec<String>,
    pub warning: Option<String>,
}

/// The stack's addresses by cluster DNS, for a tracectl running in the cluster.
#[derive(Debug, Default)]
pub struct InCluster {
    pub urls: Vec<(Backend, String)>,
    pub collector_metrics: Option<String>,
    pub collector_otlp: Option<String>,
}

/// What `found` is reached at from inside the cluster.
pub fn in_cluster(found: &Stack) -> InCluster {
    let collector = found.get(Component::Collector);
    InCluster {
        urls: REACHABLE
            .iter()
            .filter_map(|(c, b)| {
                let f = found.get(*c)?;
                Some((*b, f.cluster_url(f.port)))
            })
            .collect(),
        collector_metrics: collector
            .and_then(|f| Some(format!("{}/metrics", f.cluster_url(f.metrics_port?)))),
        collector_otlp: collector.and_then(|f| Some(f.cluster_url(f.otlp_http_port()?))),
    }
}

/// Discovery for `config init`: as the `discovery` step does, then one Prometheus query (through
/// the proxy when that is how it is reached) for the profile.
pub async fn for_config(settings: &Settings) -> Result<ForConfig, crate::error::BackendError> {
    let kube = settings.kube().await?;
    let (stack, warning, mut lines) = discover(&kube, settings.stack_namespace.as_deref()).await;
    lines.extend(reach(settings, &kube, &stack).await);
    let reached = REACHABLE
        .iter()
        .filter_map(|(c, b)| {
            let f = stack.get(*c)?;
            settings.discovered.get()?.contains_key(b).then(|| {
                let path = format!(
                    "/api/v1/namespaces/{}/services/{}:{}/proxy",
                    f.namespace, f.service, f.port
                );
                (*b, path)
            })
        })
        .collect();
    let mut profile = None;
    if let Some(prom) = settings.prometheus() {
        let q = stack::profile_query();
        match prom.query(&q, settings.clock.now()).await {
            Ok(r) => {
                let names: Vec<String> = r
                    .samples()
                    .iter()
                    .filter_map(|s| s.labels.get("__name__").cloned())
                    .collect();
                profile = stack::guess_profile(&names);
                lines.push(format!(
                    "# prometheus: {q}  # profile: {}",
                    profile.unwrap_or("none of the profiles' histograms")
                ));
            }
            Err(e) => lines.push(format!("# prometheus: {q}  # {}", e.one_line())),
        }
    }
    Ok(ForConfig {
        in_cluster: in_cluster(&stack),
        stack,
        reached,
        profile,
        lines,
        warning,
    })
}
