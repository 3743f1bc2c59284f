//! Least privilege (issue 10, item 7): the roles under `deploy/rbac/` allow every Kubernetes
//! request tracectl sends, and no more than it sends.
//!
//! - `tracectl-readonly.yaml`: the investigations run against the recording fixture API server
//!   (`support/fixture.rs`) holding a Deployment with revisions and a ConfigMap, so that every
//!   read they make happens; each request must be a GET that the read-only ClusterRole allows.
//! - `tracectl-operator.yaml`: `deploy` (apply, a second apply, an update rolled back, failures
//!   rolled back, verify through the Service proxy, `maintain update` with the fake `helm`) and
//!   `maintain` (backup with Secrets, config, scale, restore, their rollbacks, health, a window)
//!   run against the stateful fixture API server (`support/kube_api.rs`); every request must be
//!   allowed by the namespaced role through its RoleBinding or by the cluster role through its
//!   ClusterRoleBinding, evaluated as the RBAC authorizer does (verbs, groups, resources and
//!   subresources, `resourceNames`, non-resource URLs, binding namespaces). A denied request
//!   fails the test with the rule to add; a granted permission that no run uses fails it too,
//!   unless [`UNEXERCISED`] says why it is needed anyway.
//!
//! Each request is mapped to its RBAC attributes ([`attributes`]) the way the API server's
//! request-info resolver does: GET of a name is `get`, of a collection `list` (`watch` with
//! `?watch=true`), POST `create`, PUT `update`, PATCH `patch`, DELETE `delete` (of a collection
//! `deletecollection`); a server-side apply (a PATCH of `application/apply-patch+yaml`) is also
//! authorized as `create`, since it creates a missing object; paths with fewer than three segments
//! after the root (`/api/v1`, `/apis/GROUP/VERSION`: discovery) are non-resource URLs. Not
//! modelled: aggregated cluster roles, impersonation, and the authorizer's other modes; the
//! fixture's own behaviour is tested in `harness_selftest.rs`.
//!
//! Adding a `maintain` subcommand: add its runs to [`maintain_runs`] (or [`deploy_runs`] for
//! what needs Helm); the checks apply to whatever was sent.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use serde_json::json;
use serde_norway::Value;

use crate::deploy;
use crate::faults::{healthy_prometheus, run_tracectl};
use crate::maintain::Scratch;
use crate::scenarios::{
    ConfigMapSpec, END, MINUTE, NAMESPACE, Rollout, jaeger_routes, kube_routes, write_kubeconfig,
};
use crate::support::kube_api::{KubeApi, pod_template, service, tracing_stack, workload};
use crate::support::prometheus::AlertmanagerHarness;
use crate::support::{FixtureServer, RecordedRequest, Response, Route};

const READ_VERBS: &[&str] = &["get", "list", "watch"];

/// The namespace `deploy` and `maintain` run in here, and the operator RoleBinding's.
const TRACING_NS: &str = "monitoring";

/// Permissions the operator roles grant that the runs below do not send, and why they are
/// granted anyway: (role, API group, resource, verb, why).
const UNEXERCISED: &[(&str, &str, &str, &str, &str)] = &[];

// ---------------------------------------------------------------------------------------------
// The roles as data
// ---------------------------------------------------------------------------------------------

/// Every document of a multi-document YAML file under `deploy/rbac/`.
fn documents(file: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy/rbac")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_norway::Deserializer::from_str(&text)
        .map(|doc| {
            <Value as serde::Deserialize>::deserialize(doc)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect()
}

/// The rules of the ClusterRole `name` in a file under `deploy/rbac/`.
fn rules(file: &str, name: &str) -> Vec<Value> {
    documents(file)
        .into_iter()
        .find(|v| {
            v["kind"].as_str() == Some("ClusterRole")
                && v["metadata"]["name"].as_str() == Some(name)
        })
        .unwrap_or_else(|| panic!("deploy/rbac/{file}: no ClusterRole {name}"))["rules"]
        .as_sequence()
        .cloned()
        .unwrap_or_default()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// What one request asks the authorizer, as the API server's request-info resolver derives it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Access {
    Resource {
        group: String,
        /// `resource` or `resource/subresource`.
        resource: String,
        /// `None`: cluster-scoped.
        namespace: Option<String>,
        name: Option<String>,
        verb: String,
    },
    NonResource {
        path: String,
        verb: String,
    },
}

impl Access {
    fn verb(&self) -> &str {
        match self {
            Access::Resource { verb, .. } | Access::NonResource { verb, .. } => verb,
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Access::Resource {
                group,
                resource,
                namespace,
                name,
                verb,
            } => {
                let group = if group.is_empty() { "core" } else { group };
                write!(f, "{verb} {group}/{resource}")?;
                if let Some(n) = name {
                    write!(f, " {n:?}")?;
                }
                match namespace {
                    Some(ns) => write!(f, " in namespace {ns}"),
                    None => write!(f, " (cluster-scoped)"),
                }
            }
            Access::NonResource { path, verb } => write!(f, "{verb} non-resource URL {path}"),
        }
    }
}

/// The RBAC attributes of a request: one, or two for a server-side apply (`patch`, and `create`
/// for when the object is missing; the API server checks that one only then, this asks for both
/// since every apply tracectl sends may create).
fn attributes(r: &RecordedRequest) -> Vec<Access> {
    let parts: Vec<&str> = r
        .path
        .trim_start_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let non_resource = || {
        vec![Access::NonResource {
            path: r.path.clone(),
            verb: r.method.to_ascii_lowercase(),
        }]
    };
    // Fewer than three segments, or three under /apis: discovery, not a resource.
    let (group, rest) = match parts.as_slice() {
        ["api", _version, rest @ ..] if !rest.is_empty() => ("", rest),
        ["apis", group, _version, rest @ ..] if !rest.is_empty() => (*group, rest),
        _ => return non_resource(),
    };
    let (namespace, rest) = match rest {
        // A Namespace object's own path names it as its namespace; this test treats every
        // Namespace request as cluster-scoped (creating one is), asking the cluster role.
        ["namespaces", _] | ["namespaces"] => (None, rest),
        ["namespaces", _, "status" | "finalize"] => (None, rest),
        ["namespaces", ns, rest @ ..] => (Some(ns.to_string()), rest),
        other => (None, other),
    };
    let (resource, name) = match rest {
        [resource] => (resource.to_string(), None),
        [resource, name] => (resource.to_string(), Some(name.to_string())),
        // `services/NAME:PORT/proxy/PATH...`: the rest is the proxied path.
        [resource, name, sub, ..] => (format!("{resource}/{sub}"), Some(name.to_string())),
        [] => panic!("unexpected API path: {}", r.path),
    };
    let watch = r
        .query_param("watch")
        .is_some_and(|w| w == "true" || w == "1");
    let verbs: &[&str] = match (r.method.as_str(), name.is_some(), watch) {
        ("GET", _, true) => &["watch"],
        ("GET", true, false) => &["get"],
        ("GET", false, false) => &["list"],
        ("POST", ..) => &["create"],
        ("PUT", ..) => &["update"],
        ("PATCH", ..)
            if r.header("content-type")
                .is_some_and(|c| c.starts_with("application/apply-patch")) =>
        {
            &["patch", "create"]
        }
        ("PATCH", ..) => &["patch"],
        ("DELETE", true, _) => &["delete"],
        ("DELETE", false, _) => &["deletecollection"],
        (m, ..) => panic!("unexpected method {m} {}", r.path),
    };
    verbs
        .iter()
        .map(|v| Access::Resource {
            group: group.to_string(),
            resource: resource.clone(),
            namespace: namespace.clone(),
            name: name.clone(),
            verb: v.to_string(),
        })
        .collect()
}

/// Whether one PolicyRule allows `a` (`k8s.io/kubernetes/pkg/apis/rbac/v1` `RuleAllows`).
fn rule_allows(rule: &Value, a: &Access) -> bool {
    let has = |key: &str, want: &str| strings(&rule[key]).iter().any(|x| x == want || x == "*");
    if !has("verbs", a.verb()) {
        return false;
    }
    match a {
        Access::Resource {
            group,
            resource,
            name,
            ..
        } => {
            let names = strings(&rule["resourceNames"]);
            let sub_any = resource
                .split_once('/')
                .is_some_and(|(_, sub)| has("resources", &format!("*/{sub}")));
            has("apiGroups", group)
                && (has("resources", resource) || sub_any)
                && (names.is_empty() || name.as_ref().is_some_and(|n| names.contains(n)))
        }
        Access::NonResource { path, .. } => strings(&rule["nonResourceURLs"]).iter().any(|u| {
            u == path
                || u == "*"
                || u.strip_suffix('*')
                    .is_some_and(|prefix| path.starts_with(prefix))
        }),
    }
}

/// The operator roles with how they are bound.
struct Operator {
    /// (role name, rules, the RoleBinding's namespace; `None`: a ClusterRoleBinding).
    bound: Vec<(String, Vec<Value>, Option<String>)>,
}

impl Operator {
    fn load() -> Operator {
        let docs = documents("tracectl-operator.yaml");
        let role = |name: &str| {
            docs.iter()
                .find(|v| {
                    v["kind"].as_str() == Some("ClusterRole")
                        && v["metadata"]["name"].as_str() == Some(name)
                })
                .unwrap_or_else(|| panic!("no ClusterRole {name} for a binding"))["rules"]
                .as_sequence()
                .cloned()
                .unwrap_or_default()
        };
        let bound = docs
            .iter()
            .filter_map(|v| {
                let scope = match v["kind"].as_str() {
                    Some("RoleBinding") => Some(v["metadata"]["namespace"].as_str()?.to_string()),
                    Some("ClusterRoleBinding") => None,
                    _ => return None,
                };
                assert_eq!(v["roleRef"]["kind"].as_str(), Some("ClusterRole"), "{v:?}");
                let name = v["roleRef"]["name"].as_str()?.to_string();
                Some((name.clone(), role(&name), scope))
            })
            .collect();
        Operator { bound }
    }

    /// The (role, rule index) that allow `a`: a RoleBinding's rules only in its namespace and
    /// never for a non-resource URL, a ClusterRoleBinding's everywhere.
    fn allowing(&self, a: &Access) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for (role, rules, scope) in &self.bound {
            let applies = match (scope, a) {
                (None, _) => true,
                (Some(ns), Access::Resource { namespace, .. }) => namespace.as_ref() == Some(ns),
                (Some(_), Access::NonResource { .. }) => false,
            };
            if applies {
                out.extend(
                    (0..rules.len())
                        .filter(|i| rule_allows(&rules[*i], a))
                        .map(|i| (role.clone(), i)),
                );
            }
        }
        out
    }
}

/// The rule that would allow `a`, to paste into the YAML.
fn missing_rule(a: &Access) -> String {
    match a {
        Access::Resource {
            group,
            resource,
            namespace,
            name,
            verb,
        } => {
            // Cluster-scoped objects are granted by name.
            let names = match (namespace, name) {
                (None, Some(n)) => format!("\n    resourceNames: [\"{n}\"]"),
                _ => String::new(),
            };
            format!(
                "in ClusterRole {}:\n  - apiGroups: [\"{group}\"]\n    resources: [\"{resource}\"]{names}\n    verbs: [\"{verb}\"]",
                if namespace.is_some() {
                    "tracectl-operator (bound in the namespace)"
                } else {
                    "tracectl-operator-cluster"
                }
            )
        }
        Access::NonResource { path, verb } => format!(
            "in ClusterRole tracectl-operator-cluster:\n  - nonResourceURLs: [\"{path}\"]\n    verbs: [\"{verb}\"]"
        ),
    }
}

/// Every request must be allowed, and every granted (group, resource, verb) or non-resource URL
/// used by one of them or listed in [`UNEXERCISED`].
fn check_operator(seen: &[RecordedRequest]) {
    let op = Operator::load();
    let mut denied = BTreeSet::new();
    let mut distinct = BTreeSet::new();
    let mut used: BTreeSet<(String, usize, String, String)> = BTreeSet::new();
    for r in seen {
        for a in attributes(r) {
            if let Access::Resource {
                namespace: Some(ns),
                ..
            } = &a
            {
                assert_eq!(
                    ns, TRACING_NS,
                    "a request outside the tracing namespace: {a}"
                );
            }
            let allowing = op.allowing(&a);
            distinct.insert(format!(
                "{:<100} {}",
                a.to_string(),
                match allowing.first() {
                    Some((role, i)) => format!("{role} rule {i}"),
                    None => "DENIED".into(),
                }
            ));
            if allowing.is_empty() {
                let ct = r.header("content-type").unwrap_or("-");
                denied.insert(format!(
                    "{a}\n  sent as {} {} ({ct})\n  add {}",
                    r.method,
                    r.path,
                    missing_rule(&a)
                ));
            }
            let what = match &a {
                Access::Resource {
                    group, resource, ..
                } => format!("{group}/{resource}"),
                Access::NonResource { path, .. } => path.clone(),
            };
            for (role, i) in allowing {
                used.insert((role, i, what.clone(), a.verb().to_string()));
            }
        }
    }
    // Shown with --nocapture, or when the test fails.
    println!("{} requests; what they ask:", seen.len());
    for d in &distinct {
        println!("  {d}");
    }
    assert!(
        denied.is_empty(),
        "deploy/rbac/tracectl-operator.yaml does not allow {} request(s) deploy/maintain send:\n\n{}",
        denied.len(),
        denied.into_iter().collect::<Vec<_>>().join("\n\n")
    );

    // The other way round: nothing granted that nothing uses.
    let mut unused = Vec::new();
    for (role, rules, _) in &op.bound {
        for (i, rule) in rules.iter().enumerate() {
            let used_here = |what: &dyn Fn(&str) -> bool, verb: &str| {
                used.iter()
                    .any(|(r, j, w, v)| r == role && *j == i && what(w) && v == verb)
            };
            for verb in strings(&rule["verbs"]) {
                for group in strings(&rule["apiGroups"]) {
                    for resource in strings(&rule["resources"]) {
                        let what = format!("{group}/{resource}");
                        let excused = UNEXERCISED.iter().any(|(r, g, res, v, _)| {
                            r == role && *g == group && *res == resource && *v == verb
                        });
                        if !excused && !used_here(&|w| w == what, &verb) {
                            unused.push(format!("{role}: {verb} {what}"));
                        }
                    }
                }
                for url in strings(&rule["nonResourceURLs"]) {
                    let matches = |w: &str| {
                        w == url
                            || url
                                .strip_suffix('*')
                                .is_some_and(|prefix| w.starts_with(prefix))
                    };
                    if !used_here(&matches, &verb) {
                        unused.push(format!("{role}: {verb} {url}"));
                    }
                }
            }
        }
    }
    assert!(
        unused.is_empty(),
        "deploy/rbac/tracectl-operator.yaml grants what no deploy/maintain run here sends: remove it, \
         or add a run that sends it, or list it in UNEXERCISED with why:\n{}",
        unused.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Static checks
// ---------------------------------------------------------------------------------------------

#[test]
fn readonly_role_only_reads() {
    for rule in rules("tracectl-readonly.yaml", "tracectl-readonly") {
        for verb in strings(&rule["verbs"]) {
            assert!(READ_VERBS.contains(&verb.as_str()), "{verb} in {rule:?}");
        }
        assert!(
            !strings(&rule["resources"])
                .iter()
                .any(|r| r == "*" || r == "secrets")
        );
        assert!(!strings(&rule["apiGroups"]).iter().any(|g| g == "*"));
    }
}

#[test]
fn operator_roles_have_no_wildcard_and_secrets_only_in_the_namespace() {
    let namespaced = rules("tracectl-operator.yaml", "tracectl-operator");
    let cluster = rules("tracectl-operator.yaml", "tracectl-operator-cluster");
    assert!(!namespaced.is_empty() && !cluster.is_empty());
    for rule in namespaced.iter().chain(&cluster) {
        for key in ["apiGroups", "resources", "verbs", "resourceNames"] {
            assert!(
                !strings(&rule[key]).iter().any(|x| x.contains('*')),
                "{rule:?}"
            );
        }
        // Discovery only, and only read.
        for url in strings(&rule["nonResourceURLs"]) {
            assert!(
                url == "/api" || url == "/apis" || url == "/api/*" || url == "/apis/*",
                "{url}"
            );
            assert_eq!(strings(&rule["verbs"]), ["get"], "{rule:?}");
        }
        for r in strings(&rule["resources"]) {
            assert!(
                ![
                    "pods/exec",
                    "pods/attach",
                    "pods/portforward",
                    "nodes/proxy"
                ]
                .contains(&r.as_str()),
                "{r}"
            );
        }
        assert!(
            !strings(&rule["apiGroups"])
                .iter()
                .any(|g| g.contains("rbac") || g.contains("admissionregistration")),
            "{rule:?}"
        );
        for verb in strings(&rule["verbs"]) {
            assert!(
                !["escalate", "bind", "impersonate", "deletecollection"].contains(&verb.as_str()),
                "{verb}"
            );
        }
    }
    // Secrets (and every other namespaced resource) only in the role bound in the namespace;
    // the cluster role holds cluster-scoped resources by name, and discovery.
    for rule in &cluster {
        for r in strings(&rule["resources"]) {
            assert!(
                ["namespaces", "customresourcedefinitions"].contains(&r.as_str()),
                "{r} in tracectl-operator-cluster: namespaced resources belong in tracectl-operator"
            );
            assert!(
                !strings(&rule["resourceNames"]).is_empty(),
                "{r} in tracectl-operator-cluster without resourceNames"
            );
        }
    }
    assert!(
        namespaced
            .iter()
            .any(|r| strings(&r["resources"]).contains(&"secrets".to_string())),
        "deploy and maintain backup/restore need Secrets in the namespace"
    );
    // And that role is bound only in one namespace.
    let docs = documents("tracectl-operator.yaml");
    for d in &docs {
        let role = d["roleRef"]["name"].as_str();
        match d["kind"].as_str() {
            Some("ClusterRoleBinding") => assert_eq!(role, Some("tracectl-operator-cluster")),
            Some("RoleBinding") => {
                assert_eq!(role, Some("tracectl-operator"));
                assert_eq!(d["metadata"]["namespace"].as_str(), Some(TRACING_NS));
            }
            _ => {}
        }
    }
}

#[test]
fn attributes_follow_the_request_info_resolver() {
    let req = |method: &str, path: &str, query: &str, ct: Option<&str>| RecordedRequest {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        headers: ct
            .map(|c| vec![("content-type".to_string(), c.to_string())])
            .unwrap_or_default(),
        body: Vec::new(),
    };
    let one = |method, path, query, ct| {
        attributes(&req(method, path, query, ct))
            .iter()
            .map(Access::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        one("GET", "/api/v1", "", None),
        ["get non-resource URL /api/v1"]
    );
    assert_eq!(
        one("GET", "/apis/monitoring.coreos.com/v1", "", None),
        ["get non-resource URL /apis/monitoring.coreos.com/v1"]
    );
    assert_eq!(
        one(
            "GET",
            "/api/v1/namespaces/monitoring/secrets",
            "labelSelector=app%3Dtracing",
            None
        ),
        ["list core/secrets in namespace monitoring"]
    );
    assert_eq!(
        one(
            "PATCH",
            "/api/v1/namespaces/monitoring",
            "fieldManager=tracectl&force=true",
            Some("application/apply-patch+yaml")
        ),
        [
            "patch core/namespaces \"monitoring\" (cluster-scoped)",
            "create core/namespaces \"monitoring\" (cluster-scoped)"
        ]
    );
    assert_eq!(
        one(
            "PATCH",
            "/apis/apps/v1/namespaces/monitoring/deployments/otel-collector",
            "",
            Some("application/strategic-merge-patch+json")
        ),
        ["patch apps/deployments \"otel-collector\" in namespace monitoring"]
    );
    assert_eq!(
        one(
            "POST",
            "/api/v1/namespaces/monitoring/services/otel-collector:4318/proxy/v1/traces",
            "",
            None
        ),
        ["create core/services/proxy \"otel-collector:4318\" in namespace monitoring"]
    );
    assert_eq!(
        one(
            "PUT",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.example.com",
            "",
            None
        ),
        [
            "update apiextensions.k8s.io/customresourcedefinitions \"x.example.com\" (cluster-scoped)"
        ]
    );
    assert_eq!(
        one(
            "GET",
            "/apis/apps/v1/namespaces/m/deployments",
            "watch=true",
            None
        ),
        ["watch apps/deployments in namespace m"]
    );
    assert_eq!(
        one("DELETE", "/api/v1/namespaces/m/configmaps", "", None),
        ["deletecollection core/configmaps in namespace m"]
    );

    // resourceNames restrict by name, and a rule bound in the namespace does not apply elsewhere.
    let op = Operator::load();
    let secret = |ns: &str| Access::Resource {
        group: String::new(),
        resource: "secrets".into(),
        namespace: Some(ns.into()),
        name: Some("jaeger-secret".into()),
        verb: "get".into(),
    };
    assert!(!op.allowing(&secret(TRACING_NS)).is_empty());
    assert!(op.allowing(&secret("shop")).is_empty());
    let ns = |name: &str| Access::Resource {
        group: String::new(),
        resource: "namespaces".into(),
        namespace: None,
        name: Some(name.into()),
        verb: "delete".into(),
    };
    assert!(!op.allowing(&ns(TRACING_NS)).is_empty());
    assert!(op.allowing(&ns("kube-system")).is_empty());
}

// ---------------------------------------------------------------------------------------------
// The investigations
// ---------------------------------------------------------------------------------------------

#[test]
fn investigations_only_read_what_the_readonly_role_allows() {
    let readonly = rules("tracectl-readonly.yaml", "tracectl-readonly");
    let rollout = Rollout::new("checkout", 2)
        .revision(1, END - 3 * 3600, "1.4.0")
        .revision(2, END - 30 * MINUTE, "1.5.0");
    let cm = ConfigMapSpec::new("checkout-config", END - 86_400, END - 25 * MINUTE);
    // A StatefulSet: its rollout history is its ControllerRevisions.
    let ledger = Rollout::new("ledger", 3)
        .statefulset()
        .revision(1, END - 3 * 3600, "3.1.0")
        .revision(2, END - 30 * MINUTE, "3.2.0");
    let prom = FixtureServer::start(healthy_prometheus());
    let mut routes = crate::support::fixture::prometheus_behind_service_proxy(prom.url());
    routes.extend(kube_routes(NAMESPACE, &[rollout, ledger], &[cm]));
    let kube = FixtureServer::start(routes);
    let jaeger = FixtureServer::start(jaeger_routes(Vec::new()));
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = write_kubeconfig(home.path(), &kube.url(), NAMESPACE);

    // Each investigation that exists, with and without a target service (triage).
    let runs: &[&[&str]] = &[
        &["investigate", "latency", "--service", "checkout"],
        &["investigate", "latency"],
        &["investigate", "errors", "--service", "ledger"],
        // Discovery of the tracing stack: Services listed across namespaces, then in the
        // well-known ones.
        &["investigate", "data-loss"],
        // The audit's sampling-policy step: the sampling ConfigMap, the Collector's, and the
        // Deployments' SDK environment (issue #17).
        &["audit"],
        // From a kubeconfig alone: Prometheus through the API server's service proxy.
        &[
            "investigate",
            "latency",
            "--service",
            "checkout",
            "--prometheus-url",
            "",
        ],
    ];
    for extra in runs {
        let mut args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        if !extra.contains(&"--prometheus-url") {
            args.extend(["--prometheus-url".to_string(), prom.url()]);
        } else {
            args.truncate(args.len() - 2);
        }
        args.extend(
            [
                "--jaeger-url",
                &jaeger.url(),
                "--kubeconfig",
                &kubeconfig.display().to_string(),
                "--at",
                &END.to_string(),
                "-o",
                "json",
                "-q",
            ]
            .map(String::from),
        );
        let run = run_tracectl(&args, &[], home.path());
        assert!(
            run.code == Some(0) || run.code == Some(1),
            "{extra:?}: exit {:?}\n{}",
            run.code,
            run.stderr
        );
    }
    let seen = kube.requests();
    assert!(
        seen.iter().any(|r| r.path.ends_with("/replicasets"))
            && seen.iter().any(|r| r.path.contains("/configmaps/")),
        "the investigation read the rollout history and the ConfigMap: {seen:#?}"
    );
    assert!(
        seen.iter()
            .any(|r| r.path.ends_with("/controllerrevisions")),
        "the investigation read the StatefulSet's history: {seen:#?}"
    );
    assert!(
        seen.iter().any(|r| r.path.starts_with(&format!(
            "{}/api/v1/query",
            crate::support::fixture::PROMETHEUS_PROXY
        ))),
        "latency reached Prometheus through the service proxy: {seen:#?}"
    );
    assert!(
        ["deployments", "statefulsets", "daemonsets"]
            .iter()
            .all(|k| seen
                .iter()
                .any(|r| r.path == format!("/apis/apps/v1/namespaces/{NAMESPACE}/{k}"))),
        "the investigation listed the workloads to map the service to: {seen:#?}"
    );
    // (The labelled Service is found across namespaces, so the well-known namespaces are not
    // listed one by one here; that is the same `services` rule.)
    assert!(
        seen.iter().any(|r| r.path == "/api/v1/services"),
        "data-loss looked for the tracing stack: {seen:#?}"
    );
    let policy = format!("/api/v1/namespaces/{NAMESPACE}/configmaps/sampling-config");
    assert!(
        seen.iter().filter(|r| r.path == policy).count() >= 2,
        "data-loss and the audit read the sampling policy's ConfigMap: {seen:#?}"
    );
    for r in &seen {
        assert_eq!(r.method, "GET", "{} {}", r.method, r.path);
        for a in attributes(r) {
            assert!(READ_VERBS.contains(&a.verb()), "{a}");
            assert!(
                readonly.iter().any(|rule| rule_allows(rule, &a)),
                "tracectl-readonly does not allow {a} ({} {}): add it to deploy/rbac/tracectl-readonly.yaml",
                r.method,
                r.path
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// deploy and maintain
// ---------------------------------------------------------------------------------------------

fn ok(what: &str, code: i32, stdout: &str, stderr: &str) {
    assert_eq!(
        code, 0,
        "{what}: exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

/// `deploy` in every way it writes, and `maintain update` (Helm) against what it installed;
/// every request each fixture API server received.
fn deploy_runs() -> Vec<RecordedRequest> {
    let mut seen = Vec::new();

    // A fresh install (namespace, Secret, CRD, custom resources, ConfigMaps, PrometheusRule),
    // then a second apply that changes nothing.
    let env = deploy::Env::new();
    for _ in 0..2 {
        let r = env.deploy("apply", &["--yes"]);
        ok("deploy apply", r.code, &r.stdout, &r.stderr);
    }
    // Every manifest changed, applied, then rolled back: each updated object is put back.
    let write = |rel: &str, from: &str, to: &str| {
        let p = env.root().join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel}: {from:?} not in\n{text}");
        deploy::write(&p, &text.replace(from, to));
    };
    write(
        "manifests/auto-instrumentation/00-crd.yaml",
        "singular: instrumentation}",
        "singular: instrumentation, shortNames: [otelinst]}",
    );
    write(
        "manifests/auto-instrumentation/instrumentation.yaml",
        "argument: '0.1'",
        "argument: '0.05'",
    );
    write("manifests/sampling/sampling-config.yaml", "0.1}", "0.05}");
    write("manifests/alerts/rules.yaml", "for: 5m", "for: 10m");
    let r = env.deploy("apply", &["--yes"]);
    ok("deploy apply (an update)", r.code, &r.stdout, &r.stderr);
    let r = env.deploy("rollback", &["--yes"]);
    ok("deploy rollback (the update)", r.code, &r.stdout, &r.stderr);

    // The checks through the API server's Service proxy: no --collector-otlp-url, --jaeger-url.
    let k = env.k();
    let r = env.run_with(
        &[
            "deploy",
            "verify",
            "--kubeconfig",
            &k,
            "-n",
            TRACING_NS,
            "-o",
            "json",
        ],
        deploy::PASSWORD,
    );
    ok("deploy verify (proxy)", r.code, &r.stdout, &r.stderr);

    // `maintain update`: Helm upgrades what deploy installed, then waits for the rollout.
    let r = env.run_with(
        &[
            "maintain",
            "update",
            "-f",
            "deploy.yaml",
            "--collector-version",
            "0.109.0",
            "--kubeconfig",
            &k,
            "-n",
            TRACING_NS,
            "--yes",
        ],
        deploy::PASSWORD,
    );
    ok("maintain update", r.code, &r.stdout, &r.stderr);
    let r = env.run_with(
        &["maintain", "rollback", "--kubeconfig", &k, "--yes"],
        deploy::PASSWORD,
    );
    ok("maintain rollback (update)", r.code, &r.stdout, &r.stderr);
    seen.extend(env.api.requests());

    // A rollout that does not finish: everything the run created is deleted again.
    let mut stack = workload(TRACING_NS, "otel-collector", true);
    stack.extend(workload(TRACING_NS, "jaeger", false));
    stack.push(service(TRACING_NS, "otel-collector"));
    let env = deploy::Env::with(stack, 200);
    let file = env.root().join("deploy.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    deploy::write(&file, &text.replace("rollout: 20s", "rollout: 1s"));
    let r = env.deploy("apply", &["--yes", "--rollback-on-failure"]);
    assert_eq!(r.code, 3, "rolled back:\n{}\n{}", r.stdout, r.stderr);
    let deletes = env
        .api
        .writes()
        .into_iter()
        .filter(|w| w.starts_with("DELETE"))
        .count();
    assert!(deletes >= 7, "{:?}", env.api.writes());
    seen.extend(env.api.requests());
    seen
}

const COLLECTOR_CONFIG: &str = "receivers:
  otlp:
    protocols:
      grpc: {endpoint: 0.0.0.0:4317}
processors:
  batch: {timeout: 1s}
exporters:
  otlp/jaeger:
    endpoint: jaeger-collector:4317
service:
  pipelines:
    traces: {receivers: [otlp], processors: [batch], exporters: [otlp/jaeger]}
";

const RULES: &str = "apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: tracing-alerts, labels: {app: tracing}}
spec:
  groups:
  - name: tracing
    rules:
    - alert: SpansDropped
      expr: sum(rate(otelcol_processor_dropped_spans[5m])) > 0
      for: 5m
";

/// The tracing namespace as the charts leave it: the workloads of every kind `scale` changes
/// (with a pod template to patch), and a ConfigMap and a Secret labelled for backups.
fn tracing_namespace() -> Vec<(String, serde_json::Value)> {
    let ns = TRACING_NS;
    let mut seed = tracing_stack(ns, true);
    seed.push((
        format!("/apis/apps/v1/namespaces/{ns}/statefulsets/jaeger-ingester"),
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
               "metadata": {"name": "jaeger-ingester", "namespace": ns},
               "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "jaeger-ingester"}},
                        "template": pod_template("jaeger-ingester")},
               "status": {"replicas": 1, "readyReplicas": 1, "updatedReplicas": 1}}),
    ));
    seed.push((
        format!("/apis/apps/v1/namespaces/{ns}/daemonsets/otel-agent"),
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
               "metadata": {"name": "otel-agent", "namespace": ns},
               "spec": {"selector": {"matchLabels": {"app": "otel-agent"}},
                        "template": pod_template("otel-agent")},
               "status": {"desiredNumberScheduled": 1, "numberReady": 1,
                          "updatedNumberScheduled": 1, "numberAvailable": 1}}),
    ));
    seed.push((
        format!("/api/v1/namespaces/{ns}/configmaps/tracing-settings"),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "tracing-settings", "namespace": ns, "labels": {"app": "tracing"}},
               "data": {"retention": "7d"}}),
    ));
    seed.push((
        format!("/api/v1/namespaces/{ns}/secrets/tracing-credentials"),
        json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
               "metadata": {"name": "tracing-credentials", "namespace": ns, "labels": {"app": "tracing"}},
               "data": {"ES_PASSWORD": "cm90YXRlLW1lLXBsZWFzZQ=="}}),
    ));
    seed
}

/// Every `maintain` subcommand that talks to Kubernetes, each change then rolled back; every
/// request the fixture API server received. Add a subcommand's runs here when it lands.
fn maintain_runs() -> Vec<RecordedRequest> {
    let s = Scratch::new();
    let api = KubeApi::start(tracing_namespace());
    let kubeconfig = write_kubeconfig(s.dir.path(), &api.url(), TRACING_NS);
    let k = kubeconfig.display().to_string();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--kubeconfig", &k, "-n", TRACING_NS, "-o", "json"]);
        let r = s.maintain(&all, &[]);
        ok(&args.join(" "), r.code, &r.stdout, &r.stderr);
    };
    let path = |rel: &str| s.path(rel).display().to_string();

    // backup, Secrets included.
    let backup = path("backup");
    run(&["backup", "--dir", &backup, "--yes"]);
    assert!(s.path("backup/secrets.yaml").exists());

    // config: created, rolled back (deleted); created again, updated, rolled back (put back).
    s.write("otel/collector-config.yaml", COLLECTOR_CONFIG);
    let sampling = s.write(
        "otel/sampling.json",
        r#"{"default_strategy": {"type": "probabilistic", "param": 0.1}}"#,
    );
    s.write("alerts/rules.yaml", RULES);
    let (cfg, samp, rules) = (
        path("otel/collector-config.yaml"),
        path("otel/sampling.json"),
        path("alerts"),
    );
    let config = [
        "config",
        "--collector-config",
        &cfg,
        "--sampling",
        &samp,
        "--rules",
        &rules,
        "--yes",
    ];
    run(&config);
    run(&["rollback", "--yes"]);
    run(&config);
    std::fs::write(
        &sampling,
        r#"{"default_strategy": {"type": "probabilistic", "param": 0.05}}"#,
    )
    .unwrap();
    s.write("alerts/rules.yaml", &RULES.replace("for: 5m", "for: 10m"));
    run(&config);
    run(&["rollback", "--yes"]);

    // scale: each kind of workload, each rolled back.
    for (workload, change) in [
        ("deployment/otel-collector", ["--replicas", "3"]),
        ("statefulset/jaeger-ingester", ["--replicas", "2"]),
        ("daemonset/otel-agent", ["--limits", "cpu=2"]),
    ] {
        run(&[
            "scale",
            "--workload",
            workload,
            change[0],
            change[1],
            "--yes",
        ]);
        run(&["rollback", "--yes"]);
    }

    // restore: a deleted Secret and ConfigMap created again, a changed ConfigMap put back; then
    // rolled back (the created deleted, the updated put back).
    assert!(api.remove_object(&format!(
        "/api/v1/namespaces/{TRACING_NS}/secrets/tracing-credentials"
    )));
    assert!(api.remove_object(&format!(
        "/api/v1/namespaces/{TRACING_NS}/configmaps/tracing-settings"
    )));
    run(&["restore", &backup, "--yes"]);
    run(&["rollback", "--yes"]);

    // The checks of a window, alone.
    for phase in ["health", "validate"] {
        let mut all = vec![phase, "--only", "tracing-pods"];
        all.extend(["--kubeconfig", &k, "-n", TRACING_NS, "-o", "json"]);
        let r = s.maintain(&all, &[]);
        assert!(
            r.code == 0 || r.code == 1,
            "maintain {phase}: exit {}\n{}\n{}",
            r.code,
            r.stdout,
            r.stderr
        );
    }

    let mut seen = api.requests();
    seen.extend(window_run());
    seen
}

/// A whole `maintain window` (backup with Secrets, config, scale, validation) under a real
/// Alertmanager's silence; nothing when Alertmanager is not installed.
fn window_run() -> Vec<RecordedRequest> {
    let Some(am) = AlertmanagerHarness::start().expect("start Alertmanager") else {
        return Vec::new();
    };
    let grafana = FixtureServer::start(vec![
        Route::get("/api/health").respond(Response::json(
            200,
            &json!({"commit": "abc", "database": "ok", "version": "11.3.0"}),
        )),
        Route::get("/api/search").respond(Response::json(200, &json!([]))),
        Route::post("/api/annotations").respond(Response::json(
            200,
            &json!({"message": "Annotation added", "id": 41}),
        )),
        Route::new("PATCH", "/api/annotations/41").respond(Response::json(
            200,
            &json!({"message": "Annotation patched"}),
        )),
    ]);
    let s = Scratch::new();
    let api = KubeApi::start(tracing_namespace());
    let kubeconfig = write_kubeconfig(s.dir.path(), &api.url(), TRACING_NS);
    s.write(
        "window/sampling.json",
        "{\"default_strategy\": {\"type\": \"probabilistic\", \"param\": 0.05}}\n",
    );
    let file = s.write(
        "window/window.yaml",
        "name: rbac
duration: 1h
silence:
  matchers: ['namespace=\"monitoring\"']
backup: {dir: backup}
health: {only: [alertmanager-status]}
steps:
  - config: {sampling: [sampling.json]}
  - scale: {workload: deployment/otel-collector, replicas: 3}
validate: {only: [tracing-pods, alertmanager-status]}
",
    );
    let (file, k, am, gr) = (
        file.display().to_string(),
        kubeconfig.display().to_string(),
        am.url(),
        grafana.url(),
    );
    let r = s.maintain(
        &[
            "window",
            &file,
            "--kubeconfig",
            &k,
            "--alertmanager-url",
            &am,
            "--grafana-url",
            &gr,
            "-n",
            TRACING_NS,
            "-o",
            "json",
            "--yes",
        ],
        &[],
    );
    ok("maintain window", r.code, &r.stdout, &r.stderr);
    assert!(s.path("window/backup/secrets.yaml").exists());
    api.requests()
}

#[test]
fn deploy_and_maintain_send_only_what_the_operator_roles_allow() {
    let mut seen = deploy_runs();
    seen.extend(maintain_runs());
    check_operator(&seen);
}
