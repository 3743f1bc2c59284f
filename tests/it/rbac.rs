//! Least privilege: `deploy/rbac/tracectl-readonly.yaml` is read-only and covers every request
//! the investigations send to Kubernetes, and `deploy/rbac/tracectl-operator.yaml` (for `deploy`
//! and `maintain`) holds no wildcard and no Secret access.
//!
//! The investigation runs against the recording fixture API server (`support/fixture.rs`) holding
//! a Deployment with revisions and a ConfigMap, so that every read it makes happens; each
//! recorded request is mapped to its RBAC (API group, resource, verb) the way the API server's
//! request-info resolver does, and must be a GET that the read-only ClusterRole allows.

use std::path::Path;

use serde_norway::Value;

use crate::faults::{healthy_prometheus, run_tracectl};
use crate::scenarios::{
    ConfigMapSpec, END, MINUTE, NAMESPACE, Rollout, jaeger_routes, kube_routes, write_kubeconfig,
};
use crate::support::{FixtureServer, RecordedRequest};

const READ_VERBS: &[&str] = &["get", "list", "watch"];

/// The rules of the ClusterRole `name` in a multi-document YAML file under `deploy/rbac/`.
fn rules(file: &str, name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy/rbac")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    for doc in serde_norway::Deserializer::from_str(&text) {
        let v = <Value as serde::Deserialize>::deserialize(doc)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if v["kind"].as_str() == Some("ClusterRole") && v["metadata"]["name"].as_str() == Some(name)
        {
            return v["rules"].as_sequence().cloned().unwrap_or_default();
        }
    }
    panic!("{}: no ClusterRole {name}", path.display());
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn allows(rules: &[Value], group: &str, resource: &str, verb: &str) -> bool {
    rules.iter().any(|r| {
        strings(&r["apiGroups"]).iter().any(|g| g == group)
            && strings(&r["resources"]).iter().any(|x| x == resource)
            && strings(&r["verbs"]).iter().any(|x| x == verb)
    })
}

/// (API group, resource[/subresource], verb) of a request, as the API server resolves it.
fn request_info(r: &RecordedRequest) -> (String, String, String) {
    let parts: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
    let (group, rest) = match parts.as_slice() {
        ["api", _version, rest @ ..] => ("", rest),
        ["apis", group, _version, rest @ ..] => (*group, rest),
        _ => panic!("not an API path: {}", r.path),
    };
    let rest = match rest {
        ["namespaces", _ns, rest @ ..] if !rest.is_empty() => rest,
        other => other,
    };
    let (resource, named) = match rest {
        [resource] => (resource.to_string(), false),
        [resource, _name] => (resource.to_string(), true),
        [resource, _name, sub] => (format!("{resource}/{sub}"), true),
        _ => panic!("unexpected API path: {}", r.path),
    };
    let watch = r
        .query_param("watch")
        .is_some_and(|w| w == "true" || w == "1");
    let verb = match (r.method.as_str(), named, watch) {
        ("GET", _, true) => "watch",
        ("GET", true, false) => "get",
        ("GET", false, false) => "list",
        ("POST", ..) => "create",
        ("PUT", ..) => "update",
        ("PATCH", ..) => "patch",
        ("DELETE", ..) => "delete",
        (m, ..) => panic!("unexpected method {m}"),
    };
    (group.to_string(), resource, verb.to_string())
}

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
fn operator_role_has_no_wildcard_and_no_secrets() {
    let rules = rules("tracectl-operator.yaml", "tracectl-operator");
    assert!(!rules.is_empty());
    for rule in &rules {
        for key in ["apiGroups", "resources", "verbs"] {
            assert!(!strings(&rule[key]).iter().any(|x| x == "*"), "{rule:?}");
        }
        for r in strings(&rule["resources"]) {
            assert!(
                !["secrets", "pods/exec", "pods/portforward"].contains(&r.as_str()),
                "{r}"
            );
        }
        assert!(
            !strings(&rule["apiGroups"])
                .iter()
                .any(|g| g.contains("rbac"))
        );
    }
}

#[test]
fn investigations_only_read_what_the_readonly_role_allows() {
    let readonly = rules("tracectl-readonly.yaml", "tracectl-readonly");
    let rollout = Rollout::new("checkout", 2)
        .revision(1, END - 3 * 3600, "1.4.0")
        .revision(2, END - 30 * MINUTE, "1.5.0");
    let cm = ConfigMapSpec::new("checkout-config", END - 86_400, END - 25 * MINUTE);
    let kube = FixtureServer::start(kube_routes(NAMESPACE, &[rollout], &[cm]));
    let prom = FixtureServer::start(healthy_prometheus());
    let jaeger = FixtureServer::start(jaeger_routes(Vec::new()));
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = write_kubeconfig(home.path(), &kube.url(), NAMESPACE);

    // Each investigation that exists, with and without a target service (triage).
    let runs: &[&[&str]] = &[
        &["investigate", "latency", "--service", "checkout"],
        &["investigate", "latency"],
    ];
    for extra in runs {
        let mut args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        args.extend(
            [
                "--prometheus-url",
                &prom.url(),
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
    for r in &seen {
        assert_eq!(r.method, "GET", "{} {}", r.method, r.path);
        let (group, resource, verb) = request_info(r);
        assert!(
            READ_VERBS.contains(&verb.as_str()),
            "{verb} {group}/{resource}"
        );
        assert!(
            allows(&readonly, &group, &resource, &verb),
            "tracectl-readonly does not allow {verb} on {group:?}/{resource} ({} {}): add it to deploy/rbac/tracectl-readonly.yaml",
            r.method,
            r.path
        );
    }
}
