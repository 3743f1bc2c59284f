use super::*;
use crate::analysis::audit::events::detect;

fn with_events(id: &str, n: usize) -> Span {
    let mut s = good_server(id, None, "chatty", "/x");
    for i in 0..n {
        s.events.push(event(
            if i % 4 == 0 { "retry" } else { "cache.lookup" },
            &[],
        ));
    }
    s
}

#[test]
fn spans_over_the_limit_name_the_service_and_the_event() {
    let traces = vec![
        trace("1", vec![with_events("a", 40)]),
        trace("2", vec![with_events("b", 10)]),
    ];
    let issues = detect(&traces, &params());
    assert_eq!(kinds(&issues), vec![("excessive_events", Some("chatty"))]);
    let f = &issues[0].finding;
    assert!(
        f.title
            .starts_with("chatty: 1 spans carry more than 32 events (up to 40)"),
        "{}",
        f.title
    );
    assert!((issues[0].prevalence - 0.5).abs() < 1e-9);
    let drop = f.remediation[1].command.as_deref().unwrap();
    assert!(drop.contains("- 'name == \"cache.lookup\"'"), "{drop}");
    assert_eq!(
        f.remediation[2].command.as_deref(),
        Some("kubectl set env deployment/chatty OTEL_SPAN_EVENT_COUNT_LIMIT=32 -n shop")
    );
}

#[test]
fn at_the_limit_is_fine() {
    let traces = vec![trace("1", vec![with_events("a", 32)])];
    assert!(detect(&traces, &params()).is_empty());
}
