//! Tests of `history.rs`: a StatefulSet's and a DaemonSet's history from their
//! ControllerRevisions, against the mock API server, on fixtures shaped as the API server
//! answers (`testdata/{statefulset,daemonset,controllerrevisions-*}.json`).

use super::*;
use crate::backends::kubernetes::testkit::{mock, q};

#[tokio::test]
async fn a_statefulsets_history_is_its_controller_revisions_by_selector_and_owner() {
    let (kube, seen) = mock(vec![
        (
            "/statefulsets/web",
            200,
            include_str!("../testdata/statefulset.json"),
        ),
        (
            "/controllerrevisions",
            200,
            include_str!("../testdata/controllerrevisions-statefulset.json"),
        ),
    ]);
    let h = kube
        .workload_history("shop", WorkloadKind::StatefulSet, "web")
        .await
        .unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            (
                "GET".into(),
                "/apis/apps/v1/namespaces/shop/statefulsets/web".into(),
                vec![]
            ),
            (
                "GET".into(),
                "/apis/apps/v1/namespaces/shop/controllerrevisions".into(),
                q(&[("labelSelector", "app=nginx")])
            ),
        ]
    );
    assert_eq!(h.kind, WorkloadKind::StatefulSet);
    assert_eq!(h.reference(), "statefulset/web");
    assert_eq!(h.deployment.current_revision, Some(2));
    assert_eq!(h.deployment.replicas, 3);
    // Revision 7 has the labels but another owner (a StatefulSet deleted and re-created).
    let revs: Vec<u64> = h.revisions.iter().map(|r| r.revision).collect();
    assert_eq!(revs, [1, 2]);
    let (old, new) = (&h.revisions[0], &h.revisions[1]);
    assert_eq!(new.replica_set, "web-6b9c5c9f8d");
    assert_eq!(new.images, ["registry.k8s.io/nginx-slim:0.24"]);
    assert_eq!(old.images, ["registry.k8s.io/nginx-slim:0.21"]);
    assert_eq!(
        new.created.map(|t| t.to_string()).as_deref(),
        Some("2026-11-25T09:41:30Z")
    );
    assert_eq!((new.replicas, old.replicas), (3, 0));
    // The sampler's argument changed between them; only fingerprints are kept.
    let key = "nginx/OTEL_TRACES_SAMPLER_ARG";
    assert_ne!(old.env.get(key), new.env.get(key));
    assert!(new.env.get(key).is_some_and(|v| !v.contains("0.5")));
}

#[tokio::test]
async fn a_daemonsets_history_takes_the_highest_revision_as_current_and_its_change_cause() {
    let (kube, seen) = mock(vec![
        (
            "/daemonsets/node-agent",
            200,
            include_str!("../testdata/daemonset.json"),
        ),
        (
            "/controllerrevisions",
            200,
            include_str!("../testdata/controllerrevisions-daemonset.json"),
        ),
    ]);
    let h = kube
        .workload_history("shop", WorkloadKind::DaemonSet, "node-agent")
        .await
        .unwrap();
    assert_eq!(
        seen.lock().unwrap()[1].2,
        q(&[("labelSelector", "app.kubernetes.io/name=node-agent")])
    );
    assert_eq!(h.deployment.current_revision, Some(3));
    let last = h.revisions.last().unwrap();
    assert_eq!(last.revision, 3);
    assert_eq!(last.change_cause.as_deref(), Some("agent 2.1.0"));
    assert_eq!(last.images, ["registry.example/node-agent:2.1.0"]);
    assert_eq!(h.revisions[0].change_cause, None);
}

#[tokio::test]
async fn a_workload_that_is_not_there_is_a_404_and_names_are_checked_first() {
    let (kube, seen) = mock(vec![]);
    let err = kube
        .workload_history("shop", WorkloadKind::StatefulSet, "web")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind,
            crate::transport::ErrorKind::Status { code: 404, .. }
        ),
        "{err}"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
    let err = kube
        .workload_history("shop", WorkloadKind::DaemonSet, "a/../b")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("not a valid DaemonSet name"),
        "{err}"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn a_revision_whose_data_is_not_a_template_has_no_images_but_is_kept() {
    let cr: ControllerRevision = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "web-1", "ownerReferences": [{"apiVersion": "apps/v1",
            "kind": "StatefulSet", "name": "web", "uid": "u", "controller": true}]},
        "data": {"something": "else"},
        "revision": 4
    }))
    .unwrap();
    let info = DeploymentInfo {
        namespace: "shop".into(),
        name: "web".into(),
        current_revision: None,
        replicas: 2,
        updated_replicas: 2,
        ready_replicas: 1,
        available_replicas: 1,
        selector: String::new(),
        containers: Vec::new(),
    };
    let revs = controller_revisions(&[cr], "u", None, &info);
    assert_eq!(revs.len(), 1);
    assert!(revs[0].images.is_empty());
    assert_eq!((revs[0].replicas, revs[0].ready_replicas), (2, 1));
}
