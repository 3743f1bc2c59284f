use super::*;
use crate::analysis::audit::naming::{detect, is_generic, template};

fn tpl(name: &str) -> String {
    template(name).0
}

#[test]
fn generic_names() {
    let s = server("a", None, "x", "");
    for g in [
        "GET",
        "HTTP POST",
        "http get",
        "query",
        "",
        "  process ",
        "HTTP request",
    ] {
        assert!(is_generic(g, &s), "{g:?}");
    }
    for ok in [
        "GET /orders/{id}",
        "SELECT orders",
        "charge card",
        "publish orders",
    ] {
        assert!(!is_generic(ok, &s), "{ok:?}");
    }
    let db = with(
        server("a", None, "x", "postgresql"),
        &[("db.system", "postgresql")],
    );
    assert!(is_generic("postgresql", &db), "a db.system fallback name");
}

#[test]
fn templates_replace_ids_and_keep_words() {
    assert_eq!(tpl("GET /orders/12345"), "GET /orders/{id}");
    assert_eq!(
        tpl("GET /carts/550e8400-e29b-41d4-a716-446655440000/items"),
        "GET /carts/{uuid}/items"
    );
    assert_eq!(
        tpl("GET /users/jane@example.com/profile"),
        "GET /users/{email}/profile"
    );
    assert_eq!(tpl("GET /search?q=shoes"), "GET /search?{query}");
    assert_eq!(tpl("process order-1234"), "process order-{id}");
    assert_eq!(tpl("GET /trace/4bf92f3577b34da6"), "GET /trace/{hex}");
    // Versions and plain words are not IDs.
    assert_eq!(tpl("GET /api/v1/users"), "GET /api/v1/users");
    assert_eq!(tpl("oauth2 callback"), "oauth2 callback");
    assert!(template("GET /api/v1/users").1.is_empty());
}

fn names(service: &str, names: &[&str]) -> Vec<Trace> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            trace(
                &format!("t{i}"),
                vec![server(&format!("s{i}"), None, service, n)],
            )
        })
        .collect()
}

#[test]
fn ids_in_names_are_high_cardinality_with_their_templates() {
    let traces = names(
        "orders",
        &[
            "GET /orders/1",
            "GET /orders/2",
            "GET /orders/3",
            "GET /orders/4",
            "GET /health",
        ],
    );
    let issues = detect(&traces, &params());
    let hc = of_kind(&issues, "high_cardinality_span_name");
    assert_eq!(hc.len(), 1);
    let f = &hc[0].finding;
    assert_eq!(f.subject.operation.as_deref(), Some("GET /orders/{id}"));
    assert!(f.title.contains("GET /orders/{id} (4)"), "{}", f.title);
    assert!((hc[0].prevalence - 0.8).abs() < 1e-9);
    let fix = f.remediation[1].command.as_deref().unwrap();
    assert!(
        fix.contains(r#"replace_pattern(name, "\\b[0-9]+\\b", "{id}")"#),
        "{fix}"
    );
}

#[test]
fn two_numbered_names_are_not_yet_a_pattern_but_one_uuid_is() {
    let few = names("a", &["GET /v1/orders", "GET /v2/orders"]);
    assert!(of_kind(&detect(&few, &params()), "high_cardinality_span_name").is_empty());
    let uuid = names("a", &["GET /carts/550e8400-e29b-41d4-a716-446655440000"]);
    assert_eq!(
        of_kind(&detect(&uuid, &params()), "high_cardinality_span_name").len(),
        1
    );
}

#[test]
fn too_many_names_is_critical_whatever_they_are() {
    let list: Vec<String> = (b'a'..=b'l').map(|c| format!("op{}", c as char)).collect();
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    let p = AuditParams {
        max_names_per_service: 10,
        ..params()
    };
    let issues = detect(&names("a", &refs), &p);
    let hc = of_kind(&issues, "high_cardinality_span_name");
    assert_eq!(hc[0].finding.severity, crate::report::Severity::Critical);
    assert!(hc[0].finding.title.contains("12 distinct span names"));
}

#[test]
fn generic_names_with_the_route_get_a_rename_snippet() {
    let traces = vec![trace(
        "t",
        vec![
            with(
                server("a", None, "web", "GET"),
                &[("http.method", "GET"), ("http.route", "/cart")],
            ),
            good_server("b", Some("a"), "web", "/cart"),
        ],
    )];
    let issues = detect(&traces, &params());
    let g = of_kind(&issues, "generic_span_name");
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].finding.subject.operation.as_deref(), Some("GET"));
    assert!((g[0].prevalence - 0.5).abs() < 1e-9);
    let fix = g[0].finding.remediation[1].command.as_deref().unwrap();
    assert!(fix.contains(r#"attributes["http.method"]"#), "{fix}");
    assert!(fix.starts_with("cat > collector-span-names.yaml <<'EOF'"));
}

#[test]
fn the_odd_one_out_names_inconsistently() {
    let traces = vec![
        trace("1", vec![good_server("a", None, "a", "/x")]),
        trace("2", vec![good_server("b", None, "b", "/y")]),
        trace(
            "3",
            vec![with(
                server("c", None, "c", "HTTP GET"),
                &[("http.method", "GET")],
            )],
        ),
    ];
    let issues = detect(&traces, &params());
    let inc = of_kind(&issues, "inconsistent_span_name");
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].finding.subject.service.as_deref(), Some("c"));
    assert!(
        inc[0].finding.title.contains("`HTTP GET`")
            && inc[0]
                .finding
                .title
                .contains("2 other services use `GET /route`"),
        "{}",
        inc[0].finding.title
    );
}

#[test]
fn good_names_give_nothing() {
    let traces = vec![trace(
        "1",
        vec![
            good_server("a", None, "a", "/x"),
            good_server("b", Some("a"), "a", "/y"),
        ],
    )];
    assert!(detect(&traces, &params()).is_empty());
}
