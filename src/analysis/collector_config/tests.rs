//! The config lint on hand-written Collector configs.

use super::*;

fn policy() -> SamplingPolicy {
    SamplingPolicy {
        critical_services: vec!["checkout".into(), "payment".into()],
        high_volume_services: vec!["frontend-proxy".into()],
        ..Default::default()
    }
}

fn run(text: &str) -> Vec<Finding> {
    lint_text(text, "otel.yaml", &policy()).unwrap()
}

fn titles(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| f.title.as_str()).collect()
}

/// What the lint accepts: memory_limiter first, batch, queues on, rates as the policy says.
const GOOD: &str = r#"
receivers:
  otlp:
    protocols:
      grpc:
processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
  batch: {}
  tail_sampling:
    policies:
      - name: errors
        type: status_code
        status_code: {status_codes: [ERROR]}
      - name: critical
        type: string_attribute
        string_attribute:
          key: service.name
          values: [checkout, payment]
      - name: default-rate
        type: and
        and:
          and_sub_policy:
            - name: not-high-volume
              type: string_attribute
              string_attribute: {key: service.name, values: [frontend-proxy], invert_match: true}
            - name: rate
              type: probabilistic
              probabilistic: {sampling_percentage: 10}
      - name: high-volume
        type: and
        and:
          and_sub_policy:
            - name: hv
              type: string_attribute
              string_attribute: {key: service.name, values: [frontend-proxy]}
            - name: rate
              type: probabilistic
              probabilistic: {sampling_percentage: 1}
exporters:
  otlp/jaeger:
    endpoint: jaeger-collector:4317
    sending_queue:
      queue_size: 2000
  debug:
    sending_queue:
      enabled: false
extensions:
  health_check:
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, tail_sampling, batch]
      exporters: [otlp/jaeger, debug]
"#;

#[test]
fn a_good_config_has_no_findings() {
    let f = run(GOOD);
    assert!(f.is_empty(), "{:#?}", titles(&f));
}

#[test]
fn undefined_exporter_and_extension() {
    let text = r#"receivers:
  otlp:
processors:
  memory_limiter:
  batch:
exporters:
  otlp/jeager:
    endpoint: jaeger:4317
service:
  extensions: [zpages]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlp/jaeger, spanmetrics]
connectors:
  spanmetrics:
"#;
    let f = run(text);
    assert_eq!(
        titles(&f),
        vec![
            "pipeline traces uses exporter otlp/jaeger, which is not defined (did you mean otlp/jeager?) (line 15)",
            "service.extensions names zpages, which is not defined (line 10)",
        ]
    );
    let x = &f[0];
    assert_eq!(x.kind, "config_risk");
    assert_eq!(x.severity, Severity::Critical);
    assert_eq!(x.subject.resource.as_deref(), Some("exporter/otlp/jaeger"));
    assert_eq!(
        x.evidence[0].query.as_deref(),
        Some("otel.yaml:15 service.pipelines.traces.exporters")
    );
    assert_eq!(
        x.remediation[0].command.as_deref(),
        Some("exporters:\n  otlp/jaeger:\n    endpoint: <host>:4317")
    );
    assert_eq!(
        x.remediation[1].command.as_deref(),
        Some("service:\n  pipelines:\n    traces:\n      exporters: [spanmetrics]")
    );
}

#[test]
fn memory_limiter_second_and_no_batch() {
    let text = r#"receivers: {otlp: {}}
processors:
  attributes/env: {}
  memory_limiter/hard: {}
exporters:
  otlp: {endpoint: x:4317}
service:
  pipelines:
    traces/main:
      receivers: [otlp]
      processors:
        - attributes/env
        - memory_limiter/hard
      exporters: [otlp]
    metrics:
      receivers: [otlp]
      exporters: [otlp]
"#;
    let f = run(text);
    assert_eq!(
        titles(&f),
        vec![
            "memory_limiter/hard is processor #2 in pipeline traces/main, not the first (line 11)",
            "pipeline traces/main has no batch processor (line 11)",
        ]
    );
    assert_eq!(
        f[0].subject.resource.as_deref(),
        Some("pipeline/traces/main")
    );
    assert_eq!(
        f[0].remediation[0].command.as_deref(),
        Some(
            "service:\n  pipelines:\n    traces/main:\n      processors: [memory_limiter/hard, attributes/env]"
        )
    );
    assert_eq!(f[1].remediation.len(), 2, "defines batch, then adds it");
    assert!(
        f[1].remediation[1]
            .command
            .as_deref()
            .unwrap()
            .ends_with("processors: [attributes/env, memory_limiter/hard, batch]")
    );
}

#[test]
fn missing_memory_limiter_reuses_a_defined_one_and_exporter_batching_counts() {
    let text = r#"receivers: {otlp: {}}
processors:
  memory_limiter/x: {}
exporters:
  otlp:
    sending_queue:
      batch: {}
service:
  pipelines:
    traces: {receivers: [otlp], exporters: [otlp]}
"#;
    let f = run(text);
    assert_eq!(
        titles(&f),
        vec!["pipeline traces has no memory_limiter (line 10)"]
    );
    assert_eq!(f[0].remediation.len(), 1);
    assert!(
        f[0].remediation[0]
            .command
            .as_deref()
            .unwrap()
            .ends_with("processors: [memory_limiter/x]")
    );
}

#[test]
fn disabled_queue_and_retry_only_when_explicit() {
    let text = r#"receivers: {otlp: {}}
processors: {memory_limiter: {}, batch: {}}
exporters:
  otlp/a:
    sending_queue:
      enabled: false
    retry_on_failure:
      enabled: "false"
  otlp/b:
    retry_on_failure:
      max_elapsed_time: 60s
  logging:
    sending_queue: {enabled: false}
  otlp/unused:
    sending_queue: {enabled: false}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlp/a, otlp/b, logging]
"#;
    let f = run(text);
    assert_eq!(
        titles(&f),
        vec![
            "exporter otlp/a has its sending queue disabled (line 6)",
            "exporter otlp/a has retries disabled (line 8)",
        ]
    );
    assert_eq!(
        f[0].remediation[0].command.as_deref(),
        Some(
            "exporters:\n  otlp/a:\n    sending_queue:\n      enabled: true\n      queue_size: 1000"
        )
    );
}

#[test]
fn contradictory_tail_sampling_policy() {
    let text = r#"receivers: {otlp: {}}
processors:
  memory_limiter: {}
  batch: {}
  tail_sampling:
    decision_wait: 10s
    policies:
      - name: errors
        type: status_code
        status_code: {status_codes: [ERROR]}
      - name: baseline
        type: probabilistic
        probabilistic:
          sampling_percentage: 25
      - name: payment-only
        type: and
        and:
          and_sub_policy:
            - name: svc
              type: string_attribute
              string_attribute:
                key: service.name
                values: [payment]
            - name: all
              type: always_sample
exporters: {otlp: {endpoint: x:4317}}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, tail_sampling, batch]
      exporters: [otlp]
"#;
    let f = run(text);
    assert_eq!(
        titles(&f),
        vec![
            "tail_sampling policy `baseline` keeps 25% of all traces, where the sampling policy says 10% (line 14)",
            "tail_sampling keeps 25% of critical services checkout, where the sampling policy says 100% (line 7)",
            "tail_sampling policy `baseline` keeps 25% of high-volume services frontend-proxy, where the sampling policy says 1% (line 14)",
        ]
    );
    assert_eq!(f[0].severity, Severity::Info);
    assert_eq!(
        f[0].evidence[0].query.as_deref(),
        Some("otel.yaml:14 processors.tail_sampling.policies[1].probabilistic.sampling_percentage")
    );
    assert!(
        f[0].remediation[0]
            .command
            .as_deref()
            .unwrap()
            .ends_with("sampling_percentage: 10")
    );
    assert_eq!(f[1].severity, Severity::Warning);
    assert!(
        f[1].remediation[0]
            .command
            .as_deref()
            .unwrap()
            .contains("values: [checkout]")
    );
    assert!(
        f[2].remediation[0]
            .command
            .as_deref()
            .unwrap()
            .contains("invert_match: true")
    );
}

#[test]
fn sampling_rates_outside_bounds_and_head_sampling() {
    let text = r#"processors:
  tail_sampling:
    policies:
      - {name: tiny, type: probabilistic, probabilistic: {sampling_percentage: 0.05}}
      - {name: vip, type: string_attribute, string_attribute: {key: service.name, values: [checkout, payment]}}
  probabilistic_sampler:
    sampling_percentage: 5
service:
  pipelines:
    traces:
      processors: [memory_limiter, probabilistic_sampler, tail_sampling, batch]
"#;
    let f = lint_text(text, "cm", &policy()).unwrap();
    let risky: Vec<&str> = titles(&f)
        .into_iter()
        .filter(|t| t.contains("keeps"))
        .collect();
    assert_eq!(
        risky,
        vec![
            "processor probabilistic_sampler keeps 5% of all traces, where the sampling policy says 10% (line 7)",
            "processor probabilistic_sampler keeps 5% of every service, critical services checkout, payment included, where the sampling policy says 100% (line 7)",
            "tail_sampling policy `tiny` keeps 0.05% of all traces, outside the sampling policy's bounds 0.1%–50% (line 4)",
        ]
    );
    let head = &f
        .iter()
        .find(|f| {
            f.title
                .starts_with("processor probabilistic_sampler keeps 5% of all")
        })
        .unwrap();
    assert_eq!(head.severity, Severity::Warning);
    assert_eq!(
        head.remediation[0].command.as_deref(),
        Some("processors:\n  probabilistic_sampler:\n    sampling_percentage: 10")
    );
}

#[test]
fn malformed_input_is_an_error_never_a_panic() {
    let e = CollectorConfig::parse("receivers:\n  otlp: [\n", "cm/otel").unwrap_err();
    assert!(
        matches!(&e, ConfigError::Yaml { line, .. } if *line >= 2),
        "{e}"
    );
    assert!(e.to_string().starts_with("cm/otel:"));
    for (text, reason) in [
        ("- a\n- b\n", "not a mapping"),
        ("foo: 1\n", "none of"),
        (
            "service:\n  pipelines: [traces]\n",
            "`service.pipelines` must be a mapping",
        ),
        ("exporters: [otlp]\n", "`exporters` must be a mapping"),
    ] {
        let e = CollectorConfig::parse(text, "f").unwrap_err();
        assert!(e.to_string().contains(reason), "{text:?}: {e}");
    }
    for junk in [
        "",
        "~",
        "\"",
        "{",
        "a: &x [*x]",
        "!!binary x",
        "a: !tag {b: c}",
        "service: {pipelines: {traces: 7}}",
        "service: {pipelines: {traces: {processors: [{a: b}], exporters: 3}}}",
        "processors: {tail_sampling: {policies: 3}}",
        "processors: {tail_sampling: {policies: [1, {type: and}, {type: and, and: {and_sub_policy: [{}]}}]}}\nservice: {pipelines: {traces: {processors: [tail_sampling]}}}",
        "\t- x",
        "- - - -",
        "a:\n - b\n  - c",
    ] {
        if let Ok(cfg) = CollectorConfig::parse(junk, "f") {
            let _ = lint(&cfg, &policy());
        }
    }
}

#[test]
fn anchors_and_merge_keys_resolve() {
    let text = r#"x-queue: &queue
  sending_queue:
    enabled: false
receivers: {otlp: {}}
processors: {memory_limiter: {}, batch: {}}
exporters:
  otlp:
    <<: *queue
    endpoint: x:4317
service:
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp]}
"#;
    let f = run(text);
    assert_eq!(
        titles(&f),
        vec!["exporter otlp has its sending queue disabled (line 7)"]
    );
}

#[test]
fn lines_are_found_through_block_and_flow_style() {
    let text = "a:\n  # comment\n  b:\n  - x: 1\n    y: 2\n  -   x: 3\n      y: 4\n  c: {d: 1}\n'q':\n  \"r\": 5\n";
    let lines = index_lines(text);
    let at = |p: &[Seg]| locate(&lines, p);
    use Seg::*;
    assert_eq!(at(&[Key("a"), Key("b")]), 3);
    assert_eq!(at(&[Key("a"), Key("b"), Item(0), Key("y")]), 5);
    assert_eq!(at(&[Key("a"), Key("b"), Item(1), Key("x")]), 6);
    assert_eq!(at(&[Key("a"), Key("b"), Item(1), Key("y")]), 7);
    assert_eq!(at(&[Key("a"), Key("b"), Item(2)]), 3);
    assert_eq!(at(&[Key("a"), Key("c"), Key("d")]), 8);
    assert_eq!(at(&[Key("q"), Key("r")]), 10);
    assert_eq!(at(&[Key("zzz")]), 0);
}

proptest::proptest! {
    /// Parsing and linting never panic, whatever YAML-ish text comes in.
    #[test]
    fn parse_and_lint_never_panic(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "service:", "pipelines:", "traces:", "processors:", "exporters:", "receivers:",
                "tail_sampling:", "policies:", "- ", "name: a", "type: and", "and:",
                "and_sub_policy:", "type: probabilistic", "probabilistic:",
                "sampling_percentage: 5", "type: string_attribute", "string_attribute:",
                "key: service.name", "values: [checkout]", "[memory_limiter, batch]", "{", "}",
                "\n", "  ", "    ", "enabled: false", "sending_queue:", "otlp:", "&a", "*a", "<<: *a",
            ]),
            0..60,
        ),
    ) {
        let text: String = parts.concat();
        if let Ok(cfg) = CollectorConfig::parse(&text, "f") {
            let _ = lint(&cfg, &policy());
        }
    }
}

/// A tail_sampling that keeps all of payment and 10% of everything, behind a 50% head sampler.
const SAMPLERS: &str = r#"
receivers:
  otlp:
    protocols:
      grpc:
processors:
  probabilistic_sampler:
    sampling_percentage: 50
  tail_sampling:
    policies:
      - name: payment-all
        type: and
        and:
          and_sub_policy:
            - name: svc
              type: string_attribute
              string_attribute: {key: service.name, values: [payment]}
            - name: all
              type: probabilistic
              probabilistic: {sampling_percentage: 100}
      - name: rest
        type: probabilistic
        probabilistic: {sampling_percentage: 10}
      - name: errors
        type: status_code
        status_code: {status_codes: [ERROR]}
exporters:
  debug:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [probabilistic_sampler, tail_sampling]
      exporters: [debug]
"#;

#[test]
fn the_samplers_read_as_rates_head_times_tail() {
    let cfg = CollectorConfig::parse(SAMPLERS, "otel.yaml").unwrap();
    let r = sampler_rates(&cfg).unwrap();
    assert_eq!(r.processors, ["probabilistic_sampler", "tail_sampling"]);
    assert!((r.default.unwrap() - 0.05).abs() < 1e-12, "{r:?}");
    assert!((r.services["payment"] - 0.5).abs() < 1e-12, "{r:?}");
    // Only the head sampler: one rate for all.
    let head = SAMPLERS.replace(
        "probabilistic_sampler, tail_sampling",
        "probabilistic_sampler",
    );
    let r = sampler_rates(&CollectorConfig::parse(&head, "f").unwrap()).unwrap();
    assert_eq!((r.default, r.services.len()), (Some(0.5), 0));
    // No sampler in a traces pipeline: no policy stated.
    let none = SAMPLERS.replace("[probabilistic_sampler, tail_sampling]", "[]");
    assert_eq!(
        sampler_rates(&CollectorConfig::parse(&none, "f").unwrap()),
        None
    );
    // Only service-scoped rates: nothing said of the other services.
    let scoped = SAMPLERS
        .replace("probabilistic_sampler, tail_sampling", "tail_sampling")
        .replace(
            "      - name: rest\n        type: probabilistic\n        probabilistic: {sampling_percentage: 10}\n",
            "",
        );
    let r = sampler_rates(&CollectorConfig::parse(&scoped, "f").unwrap()).unwrap();
    assert_eq!((r.default, r.services["payment"]), (None, 1.0));
}
