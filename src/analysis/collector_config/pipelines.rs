//! The pipeline checks of the config lint: undefined components, memory_limiter missing or not
//! first, no batch processor, exporters with their queue or retries explicitly disabled.
//! Tests: `tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

use serde_norway::Value;

use super::{CollectorConfig, Pipeline, Seg, component_type, dedent, evidence, finding, flow, get};
use crate::report::{Finding, Remediation, Severity};
use crate::runbook::kinds::remedy;

/// The sections an id may be defined in.
type Defined<'a> = Vec<&'a BTreeMap<String, Value>>;

/// A `config_risk` remedy whose snippet sets one list of pipeline `p` to `ids`.
fn pipeline_fix(
    remedy_key: &str,
    p: &Pipeline,
    key: &str,
    ids: &[String],
    extra: &[(&str, &str)],
) -> Remediation {
    let ids = flow(ids);
    let mut vars = vec![
        ("pipeline", p.id.as_str()),
        ("key", key),
        ("ids", ids.as_str()),
    ];
    vars.extend_from_slice(extra);
    remedy("config_risk", remedy_key, &vars)
}

/// A minimal definition to start from, for the component types where one is obvious.
fn stub(kind: &str, id: &str) -> String {
    let body = match component_type(id) {
        "otlp" if kind == "exporters" => "    endpoint: <host>:4317",
        "otlphttp" => "    endpoint: http://<host>:4318",
        "otlp" => "    protocols:\n      grpc:\n      http:",
        "memory_limiter" => {
            "    check_interval: 1s\n    limit_percentage: 80\n    spike_limit_percentage: 20"
        }
        _ => "    # its settings",
    };
    format!("{kind}:\n  {id}:\n{body}")
}

pub(super) fn undefined_components(cfg: &CollectorConfig, out: &mut Vec<Finding>) {
    for p in &cfg.pipelines {
        let checks: [(&str, &str, &Vec<String>, Defined); 3] = [
            (
                "receivers",
                "receiver",
                &p.receivers,
                vec![&cfg.receivers, &cfg.connectors],
            ),
            (
                "processors",
                "processor",
                &p.processors,
                vec![&cfg.processors],
            ),
            (
                "exporters",
                "exporter",
                &p.exporters,
                vec![&cfg.exporters, &cfg.connectors],
            ),
        ];
        for (key, what, ids, defined) in checks {
            for id in ids
                .iter()
                .filter(|id| !defined.iter().any(|d| d.contains_key(*id)))
            {
                let line = cfg.line_of(&[
                    Seg::Key("service"),
                    Seg::Key("pipelines"),
                    Seg::Key(&p.id),
                    Seg::Key(key),
                ]);
                let same_type: Vec<&String> = defined
                    .iter()
                    .flat_map(|d| d.keys())
                    .filter(|d| component_type(d) == component_type(id))
                    .collect();
                let hint = match same_type.as_slice() {
                    [one] => format!(" (did you mean {one}?)"),
                    _ => String::new(),
                };
                let others: Vec<String> = ids.iter().filter(|i| *i != id).cloned().collect();
                out.push(
                    finding(
                        Severity::Critical,
                        0.9,
                        &format!("{what}/{id}"),
                        format!(
                            "pipeline {} uses {what} {id}, which is not defined{hint} \
                             (line {line})",
                            p.id
                        ),
                        "The Collector refuses to start with this config: a rollout of it \
                         crash-loops, and nothing is received until it is fixed.",
                    )
                    .evidence(evidence(
                        cfg,
                        line,
                        &format!("service.pipelines.{}.{key}", p.id),
                        flow(ids),
                    ))
                    .remediation(remedy(
                        "config_risk",
                        "define-component",
                        &[
                            ("what", what),
                            ("id", id),
                            ("key", key),
                            ("definition", &stub(key, id)),
                        ],
                    ))
                    .remediation(pipeline_fix(
                        "remove-from-pipeline",
                        p,
                        key,
                        &others,
                        &[("id", id), ("line", &line.to_string())],
                    )),
                );
            }
        }
    }
    for id in cfg
        .service_extensions
        .iter()
        .filter(|id| !cfg.extensions.contains_key(*id))
    {
        let line = cfg.line_of(&[Seg::Key("service"), Seg::Key("extensions")]);
        out.push(
            finding(
                Severity::Critical,
                0.85,
                &format!("extension/{id}"),
                format!("service.extensions names {id}, which is not defined (line {line})"),
                "The Collector refuses to start with this config.",
            )
            .evidence(evidence(
                cfg,
                line,
                "service.extensions",
                flow(&cfg.service_extensions),
            ))
            .remediation(remedy(
                "config_risk",
                "define-extension",
                &[("id", id), ("definition", &stub("extensions", id))],
            )),
        );
    }
}

pub(super) fn memory_limiter(cfg: &CollectorConfig, p: &Pipeline, out: &mut Vec<Finding>) {
    let path = [
        Seg::Key("service"),
        Seg::Key("pipelines"),
        Seg::Key(&p.id),
        Seg::Key("processors"),
    ];
    let line = cfg.line_of(&path);
    let is_limiter = |id: &String| component_type(id) == "memory_limiter";
    let position = p.processors.iter().position(is_limiter);
    if position == Some(0) {
        return;
    }
    let (title, detail, fix, define) = match position {
        Some(i) => {
            let mut order: Vec<String> = p
                .processors
                .iter()
                .filter(|id| is_limiter(id))
                .cloned()
                .collect();
            order.extend(p.processors.iter().filter(|id| !is_limiter(id)).cloned());
            (
                format!(
                    "{} is processor #{} in pipeline {}, not the first (line {line})",
                    p.processors[i],
                    i + 1,
                    p.id
                ),
                "Processors before memory_limiter take and hold data it would have refused; when \
                 memory runs out they drop it instead of pushing back on the senders.",
                order,
                None,
            )
        }
        None => {
            // Reuse a defined memory_limiter if there is one.
            let id = cfg.processors.keys().find(|id| is_limiter(id)).cloned();
            let define = id.is_none().then(|| stub("processors", "memory_limiter"));
            let mut order = vec![id.unwrap_or_else(|| "memory_limiter".into())];
            order.extend(p.processors.iter().cloned());
            (
                format!("pipeline {} has no memory_limiter (line {line})", p.id),
                "Without memory_limiter a traffic spike or a slow backend grows the Collector \
                 until it is OOM-killed, losing everything it holds.",
                order,
                define,
            )
        }
    };
    let mut f = finding(
        Severity::Warning,
        0.55,
        &format!("pipeline/{}", p.id),
        title,
        detail,
    )
    .evidence(evidence(
        cfg,
        line,
        &format!("service.pipelines.{}.processors", p.id),
        flow(&p.processors),
    ));
    if let Some(def) = define {
        f = f.remediation(remedy(
            "config_risk",
            "define-memory-limiter",
            &[("definition", &def)],
        ));
    }
    out.push(f.remediation(pipeline_fix(
        "memory-limiter-first",
        p,
        "processors",
        &fix,
        &[("line", &line.to_string())],
    )));
}

pub(super) fn batch(cfg: &CollectorConfig, p: &Pipeline, out: &mut Vec<Finding>) {
    if p.processors.iter().any(|id| component_type(id) == "batch") {
        return;
    }
    // Exporter-side batching (`sending_queue.batch`) replaces the batch processor.
    let exporter_batching = !p.exporters.is_empty()
        && p.exporters.iter().all(|e| {
            cfg.exporters
                .get(e)
                .and_then(|v| get(v, "sending_queue"))
                .and_then(|q| get(q, "batch"))
                .is_some()
        });
    if exporter_batching {
        return;
    }
    let line = cfg.line_of(&[
        Seg::Key("service"),
        Seg::Key("pipelines"),
        Seg::Key(&p.id),
        Seg::Key("processors"),
    ]);
    let id = cfg
        .processors
        .keys()
        .find(|id| component_type(id) == "batch")
        .cloned()
        .unwrap_or_else(|| "batch".into());
    let mut order = p.processors.clone();
    order.push(id.clone());
    let mut f = finding(
        Severity::Warning,
        0.35,
        &format!("pipeline/{}", p.id),
        format!("pipeline {} has no batch processor (line {line})", p.id),
        "Without batching every incoming request becomes an export request: many more calls to \
         the backend, sooner rate-limited or failing, and a queue that fills faster.",
    )
    .evidence(evidence(
        cfg,
        line,
        &format!("service.pipelines.{}.processors", p.id),
        flow(&p.processors),
    ));
    if !cfg.processors.contains_key(&id) {
        f = f.remediation(remedy("config_risk", "define-batch", &[]));
    }
    out.push(f.remediation(pipeline_fix(
        "batch-last",
        p,
        "processors",
        &order,
        &[("id", &id), ("line", &line.to_string())],
    )));
}

fn explicitly_disabled(v: Option<&Value>) -> bool {
    match v.and_then(|v| get(v, "enabled")) {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// `sending_queue` and `retry_on_failure` are on by default in every exporterhelper-based
/// exporter (otlp, otlphttp, elasticsearch, kafka, ...), so only an explicit `enabled: false`
/// removes them; exporters that only print (debug, logging, nop) need neither.
pub(super) fn exporter_safety_nets(cfg: &CollectorConfig, out: &mut Vec<Finding>) {
    let used: BTreeSet<&String> = cfg.pipelines.iter().flat_map(|p| &p.exporters).collect();
    for (id, def) in &cfg.exporters {
        if !used.contains(id) || matches!(component_type(id), "debug" | "logging" | "nop") {
            continue;
        }
        for (key, title, detail, fix) in [
            (
                "sending_queue",
                "has its sending queue disabled",
                "Without a queue every slow or failed export blocks the pipeline and is returned \
                 to the receivers as an error: a backend hiccup becomes refused spans.",
                dedent(&format!(
                    r#"
                    exporters:
                      {id}:
                        sending_queue:
                          enabled: true
                          queue_size: 1000
                    "#
                )),
            ),
            (
                "retry_on_failure",
                "has retries disabled",
                "Without retries a single failed export (a timeout, a 503 during a rollout) drops \
                 the batch at once.",
                dedent(&format!(
                    r#"
                    exporters:
                      {id}:
                        retry_on_failure:
                          enabled: true
                          max_elapsed_time: 300s
                    "#
                )),
            ),
        ] {
            let section = get(def, key);
            if !explicitly_disabled(section) {
                continue;
            }
            let line = cfg.line_of(&[
                Seg::Key("exporters"),
                Seg::Key(id),
                Seg::Key(key),
                Seg::Key("enabled"),
            ]);
            out.push(
                finding(
                    Severity::Warning,
                    0.5,
                    &format!("exporter/{id}"),
                    format!("exporter {id} {title} (line {line})"),
                    detail,
                )
                .evidence(evidence(
                    cfg,
                    line,
                    &format!("exporters.{id}.{key}.enabled"),
                    "false".into(),
                ))
                .remediation(remedy(
                    "config_risk",
                    "enable-exporter-section",
                    &[
                        ("key", key),
                        ("id", id),
                        ("line", &line.to_string()),
                        ("fix", &fix),
                    ],
                )),
            );
        }
    }
}
