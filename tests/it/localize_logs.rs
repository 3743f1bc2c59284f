//! The log step per request (#15): when a service's lines name their spans and the trace store
//! has its requests, a line one of its operations wrote on every request and stopped writing is
//! evidence for it, though no metric and no error line moved; a bystander whose traffic mix moved
//! (a new operation, new info lines) is not blamed; the requests come from Jaeger or Tempo; when
//! the trace store fails the same logs are compared per line only, and the step says why.

use crate::localize::{api_failing_as_usual, quiet_calls, run};
use crate::scenarios::{
    Backends, END, ErrorIncident, HOUR, KubePod, TraceSpec, closed_port_url, requests,
};
use crate::support::FixtureServer;
use crate::support::report::{assert_top_kind, findings, step_of, summary};
use crate::support::tempo_api::{TempoOptions, tempo_routes};

/// When ledger stops writing `posted entry` (a caught exception: the request still succeeds).
const FAULT: i64 = END - 10 * 60;
/// When reader's callers start exporting rows beside reading them.
const MIX: i64 = END - 15 * 60;

/// api → ledger and api → reader, one trace every 30 s over the last two hours, and each pod's
/// lines naming the span that wrote them: ledger's `posted entry` on every request until
/// [`FAULT`], reader's requests split between reading and exporting from [`MIX`].
fn incident() -> ErrorIncident {
    let mut traces = Vec::new();
    let (mut api, mut ledger, mut reader) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..240u64 {
        let t = END - 2 * HOUR + i as i64 * 30;
        let mut tr = TraceSpec::new(i, t, "api", "GET /balance", 0.05);
        let l = tr.call(0, "ledger", "GET /entries", 0.005, 0.02);
        let export = t >= MIX && i % 2 == 0;
        let r = tr.call(
            0,
            "reader",
            if export {
                "GET /rows/export"
            } else {
                "GET /rows"
            },
            0.03,
            0.01,
        );
        tr.resource("ledger", "k8s.pod.name", "ledger-5c8d-b");
        api.push((
            t,
            format!("INFO served balance n={i} SpanID: {}", tr.span_id(0)),
        ));
        let ls = tr.span_id(l).to_string();
        ledger.push((t, format!("INFO read entries n={} SpanID: {ls}", i % 5)));
        if t < FAULT {
            ledger.push((t, format!("INFO posted entry id={i} SpanID: {ls}")));
        }
        let rs = tr.span_id(r).to_string();
        reader.push((
            t,
            if export {
                format!("INFO exported rows to csv n={i} SpanID: {rs}")
            } else {
                format!("INFO read rows n={} SpanID: {rs}", i % 9)
            },
        ));
        traces.push(tr);
    }
    let metrics = api_failing_as_usual().series([requests("reader", "GET /rows", 40.0)]);
    let metrics = quiet_calls(metrics, "api", "reader", "GET /rows").traces(traces);
    ErrorIncident::new(metrics)
        .pod(KubePod::running("api-7d9f-a", "api"))
        .pod(KubePod::running("ledger-5c8d-b", "ledger"))
        .pod(KubePod::running("reader-4f2a-c", "reader"))
        .log("api-7d9f-a", api)
        .log("ledger-5c8d-b", ledger)
        .log("reader-4f2a-c", reader)
}

/// `investigate errors` over `b` with the pods' logs and `store` (e.g. `--jaeger-url URL`).
fn investigate(b: &Backends, store: [&str; 2]) -> serde_json::Value {
    let kubeconfig = b.kubeconfig.display().to_string();
    let mut args = vec!["--kubeconfig", kubeconfig.as_str()];
    args.extend(store);
    run(b, "errors", &args).report()
}

/// The report names ledger first, by the line its requests skipped.
fn assert_ledger_skipped(report: &serde_json::Value) -> String {
    assert_eq!(report["target"]["service"], "ledger", "{}", summary(report));
    let f = assert_top_kind(report, "log_template_shift");
    assert_eq!(f["subject"]["service"], "ledger");
    let title = f["title"].as_str().unwrap().to_string();
    assert!(
        title.contains("skipped:")
            && title.contains("posted entry")
            && title.contains("GET /entries"),
        "{title}"
    );
    title
}

#[test]
fn a_line_an_operation_stopped_writing_names_the_service_by_its_requests() {
    let Some(b) = incident().start() else {
        return;
    };
    let jaeger = b.jaeger.url();
    let report = investigate(&b, ["--jaeger-url", &jaeger]);
    assert_eq!(
        step_of(&report, "log-patterns")["status"],
        "ok",
        "{}",
        summary(&report)
    );
    let title = assert_ledger_skipped(&report);
    // The masked template: no span id, no entry id.
    assert!(!title.contains("id=12"), "{title}");
    // The bystander whose mix moved is not blamed.
    assert!(
        findings(&report, "log_template_shift")
            .iter()
            .all(|f| f["subject"]["service"] != "reader"),
        "{}",
        summary(&report)
    );
    // Each window's requests were asked of the trace store, bounded.
    let searches: Vec<_> = b
        .jaeger
        .requests()
        .into_iter()
        .filter(|r| {
            r.path == "/api/traces" && r.query_param("service").as_deref() == Some("ledger")
        })
        .filter(|r| r.query_param("limit").as_deref() == Some("50"))
        .collect();
    assert!(searches.len() >= 2, "{searches:?}");
    assert!(
        searches
            .iter()
            .all(|r| r.query_param("start").is_some() && r.query_param("end").is_some())
    );
}

/// The same through Tempo: its search, then each trace by id.
#[test]
fn the_requests_come_from_tempo_as_well() {
    let e = incident();
    let tempo = FixtureServer::start(tempo_routes(
        e.incident.traces.iter().map(TraceSpec::to_tempo).collect(),
        TempoOptions::default(),
    ));
    let Some(b) = e.start() else {
        return;
    };
    let url = tempo.url();
    assert_ledger_skipped(&investigate(&b, ["--tempo-url", &url]));
    assert!(
        tempo.requests().iter().any(|r| r.path == "/api/search"
            && r.query_param("q").is_some_and(|q| q.contains("\"ledger\""))
            && r.query_param("limit").as_deref() == Some("50")),
        "{:?}",
        tempo.requests()
    );
}

#[test]
fn when_the_trace_store_fails_the_same_logs_are_compared_per_line_and_the_step_says_so() {
    let Some(b) = incident().start() else {
        return;
    };
    let dead = closed_port_url();
    let report = investigate(&b, ["--jaeger-url", &dead]);
    let step = step_of(&report, "log-patterns");
    assert_eq!(step["status"], "warning", "{}", summary(&report));
    let said = step.to_string();
    assert!(
        said.contains("requests per operation not counted (per line only): ledger: "),
        "{said}"
    );
    // Per line, an info line's share falling is the traffic's mix as often as a fault: ledger
    // is not named by its logs.
    assert!(
        findings(&report, "log_template_shift")
            .iter()
            .all(|f| f["subject"]["service"] != "ledger"),
        "{}",
        summary(&report)
    );
}
