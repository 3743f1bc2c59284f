//! The JSON report (`-o json`): the `tracectl.report/v1` document from `shared/CONTRACT.md`,
//! exactly as `crate::report::Report` serializes, pretty-printed, with a trailing newline.
//!
//! There is deliberately no mapping layer here: the report types *are* the contract, so the shape
//! is decided in `crate::report` and this file only proves it. Not here: ranking or sorting (the
//! report is already ranked). Tests: below, comparing key names and order with the contract's
//! example.

use crate::report::Report;

/// Render the report as pretty JSON followed by a newline.
pub fn render_json(report: &Report) -> String {
    // A Report holds only strings, numbers, options and vectors of structs with string keys:
    // serde_json has no failure path for such a value (a non-finite score becomes `null`).
    let mut out = serde_json::to_string_pretty(report).expect("a Report always serializes to JSON");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_report;

    /// The example from `shared/CONTRACT.md`, verbatim.
    const CONTRACT_EXAMPLE: &str = r#"{
  "schema": "tracectl.report/v1",
  "command": "investigate latency",
  "target": { "service": "payment", "operation": null },
  "at": "2026-11-25T10:00:00Z",
  "lookback": "1h",
  "diagnosis": "one sentence: the top finding in words",
  "findings": [
    {
      "rank": 1,
      "kind": "slow_dependency",
      "severity": "critical",
      "score": 0.92,
      "subject": { "service": "payment", "operation": null, "dependency": "postgres",
                   "pod": null, "resource": null },
      "title": "postgres calls make up 81% of payment's p95",
      "detail": "...",
      "evidence": [ { "source": "prometheus", "query": "...", "value": "2.31", "at": "..." } ],
      "remediation": [ { "title": "...", "command": "kubectl ..." } ]
    }
  ],
  "steps": [
    { "id": "affected-services", "title": "Identify the affected service", "status": "ok",
      "duration_ms": 12, "error": null }
  ]
}"#;

    /// Keys the report adds to the contract's example; the contract allows additions.
    const ADDITIONS: [&str; 3] = ["link", "safety", "queries"];

    /// Every object key in document order, with its nesting depth. `serde_json::Value` would
    /// sort keys (without the `preserve_order` feature), so order is read from the text itself.
    fn keys_in_order(json: &str) -> Vec<(usize, String)> {
        let mut keys = Vec::new();
        let mut depth = 0usize;
        let mut chars = json.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                '"' => {
                    let mut s = String::new();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => {
                                chars.next();
                            }
                            '"' => break,
                            c => s.push(c),
                        }
                    }
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                    if chars.peek() == Some(&':') {
                        keys.push((depth, s));
                    }
                }
                _ => {}
            }
        }
        keys
    }

    #[test]
    fn keys_and_order_match_the_contract() {
        let mut r = sample_report();
        // One of everything, like the contract's example.
        r.findings.truncate(1);
        r.findings[0].evidence.truncate(1);
        r.findings[0].remediation.truncate(1);
        r.steps.truncate(1);
        r.steps[0].queries = vec!["up".into()];
        let out = render_json(&r);
        let ours: Vec<_> = keys_in_order(&out)
            .into_iter()
            .filter(|(_, k)| !ADDITIONS.contains(&k.as_str()))
            .collect();
        assert_eq!(ours, keys_in_order(CONTRACT_EXAMPLE));
        // The additions are there too (the sample sets a link, a safety and a query).
        for k in ADDITIONS {
            assert!(out.contains(&format!("\"{k}\":")), "{k} missing");
        }
    }

    #[test]
    fn values_use_the_contract_spelling() {
        let out = render_json(&sample_report());
        assert!(out.ends_with("}\n"));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["schema"], "tracectl.report/v1");
        assert_eq!(v["findings"][0]["severity"], "critical");
        assert_eq!(v["findings"][0]["rank"], 1);
        assert_eq!(v["findings"][0]["subject"]["pod"], serde_json::Value::Null);
        assert_eq!(v["findings"][0]["remediation"][0]["safety"], "needs-care");
        assert_eq!(v["steps"][2]["status"], "failed");
        assert_eq!(v["steps"][0]["error"], serde_json::Value::Null);
        assert!(
            v["steps"][0].get("queries").is_none(),
            "empty queries are left out"
        );
    }
}
