//! `tracectl audit`'s analysis: a sample of recent traces per service (and, when they answered,
//! Jaeger's dependency graph and the metrics) measured against the tracing best-practice guide
//! (instrumentation, span naming, attributes, events, context propagation, sampling, sensitive
//! data), as findings with the fix, and a 0–100 score per service.
//!
//! Pure: evidence in, findings out; no I/O, no clock. Each detector family is a file with a
//! `detect(&[Trace], &AuditParams) -> Vec<Issue>` (those that need more than traces take the
//! [`AuditEvidence`] or the [`CallGraph`]): `coverage.rs` (services and operations without spans,
//! services without entry points), `naming/` (generic, high-cardinality and inconsistent span
//! names), `attributes.rs` (semantic-convention attributes, `service.name`), `events.rs`
//! (excessive span events), `propagation.rs` (broken hops, orphans, several roots, head-sampling
//! inconsistency, large baggage), `sampling.rs` (effective ratio against the policy),
//! `sensitive.rs` with `matchers/` (sensitive values; masking; the bundle scrubber) and
//! `score.rs` (the per-service score). Work is bounded: the command bounds traces per service and
//! services, and every detector reads at most [`AuditParams::max_spans_per_trace`] spans of a
//! trace. Every order is total, so the same traces give the same report. Not here: fetching
//! (`crate::investigate::audit`). Tests: `tests/`.

mod attributes;
mod coverage;
mod events;
pub mod matchers;
mod naming;
mod propagation;
mod sampling;
mod score;
pub mod sensitive;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::dataloss::Policy;
use crate::model::trace::{DependencyLink, Span, SpanId, SpanKind, Trace};
use crate::report::{Evidence, Finding, Severity, Subject};

pub use matchers::SensitiveKind;

/// Thresholds and policy (from `runbooks/audit.yaml`, overridable per context), plus what the
/// findings cite: the trace search, the evaluation time, the Jaeger UI and the namespace.
#[derive(Debug, Clone)]
pub struct AuditParams {
    pub max_spans_per_trace: usize,
    pub max_events_per_span: usize,
    pub baggage_max_bytes: usize,
    /// Distinct names that one template must cover to call a name high-cardinality.
    pub name_variants: usize,
    /// Distinct span names of one service above which it is high-cardinality whatever the names.
    pub max_names_per_service: usize,
    /// The sampling policy `investigate data-loss` holds services to, read from the same
    /// sources (`crate::investigate::sampling_policy`; guide 2.3.2 when none states one): rates
    /// per tier or per service, the adaptive range a default-tier sampler may move in (whose
    /// lower end is also the ratio below which a service is starved), and where each service's
    /// rate came from ([`Policy::source_of`]), for the findings.
    pub policy: Policy,
    /// A fixed rate's effective ratio within rate / tolerance ..= rate × tolerance is on policy.
    pub sampling_tolerance: f64,
    pub detect_ips: bool,
    /// Score points a problem kind costs a service, by its worst severity.
    pub weight_critical: f64,
    pub weight_warning: f64,
    pub weight_info: f64,
    /// The trace search as a human would run it, for evidence; `{service}` stands for the
    /// service searched.
    pub trace_query: String,
    /// RFC 3339 evaluation time, for evidence.
    pub at: String,
    /// The trace store the samples come from (`jaeger`, `tempo`): the evidence names it.
    pub trace_source: String,
    /// Where the example traces are linked (the store's UI or API), when known.
    pub trace_links: Option<crate::model::trace::TraceLinks>,
    pub namespace: String,
    /// Span loss at or above this ratio may explain trace fragments (`span_loss_min_ratio`).
    pub span_loss_min_ratio: f64,
    /// A hop broken in at most this × the loss ratio of its calls is explained by the loss.
    pub span_loss_factor: f64,
}

impl Default for AuditParams {
    /// The runbook's defaults; tests start from these.
    fn default() -> Self {
        AuditParams {
            max_spans_per_trace: 10_000,
            max_events_per_span: 32,
            baggage_max_bytes: 1024,
            name_variants: 3,
            max_names_per_service: 200,
            policy: Policy::default(),
            sampling_tolerance: 2.0,
            detect_ips: false,
            weight_critical: 25.0,
            weight_warning: 10.0,
            weight_info: 3.0,
            trace_query: "GET /api/traces?service={service}".into(),
            at: String::new(),
            trace_source: "jaeger".into(),
            trace_links: None,
            namespace: "default".into(),
            span_loss_min_ratio: 0.01,
            span_loss_factor: 3.0,
        }
    }
}

impl AuditParams {
    /// The spans a detector reads: at most `max_spans_per_trace` of a trace.
    pub fn spans<'a>(&self, t: &'a Trace) -> &'a [Span] {
        &t.spans[..t.spans.len().min(self.max_spans_per_trace)]
    }

    /// Evidence from the sampled traces of `service`, linking an example trace when the UI is
    /// known.
    pub fn jaeger(&self, service: &str, value: String, example_trace: Option<&str>) -> Evidence {
        Evidence {
            source: self.trace_source.clone(),
            query: Some(self.trace_query.replace("{service}", service)),
            value: Some(value),
            at: (!self.at.is_empty()).then(|| self.at.clone()),
            link: match (&self.trace_links, example_trace) {
                (Some(links), Some(id)) => Some(links.link(id)),
                _ => None,
            },
            via: None,
        }
    }

    /// The rate the policy sets for a service, and the tier that sets it (`service-specific`
    /// for a rate of its own: a Jaeger service strategy, the SDK environment).
    pub fn policy(&self, service: &str) -> (f64, &'static str) {
        let e = self.policy.expect(service);
        (e.rate, e.tier.as_str())
    }

    /// The effective ratios on policy for a service: for the default tier under adaptive
    /// sampling, the adaptive range; with per-operation rates, their range within the tolerance
    /// (the overall ratio mixes them); else its rate within the tolerance.
    pub fn on_policy(&self, service: &str) -> (f64, f64) {
        let e = self.policy.expect(service);
        let tol = self.sampling_tolerance.max(1.0);
        match e.range {
            Some(range) if !e.by_operation => range,
            Some((lo, hi)) => (lo / tol, (hi * tol).min(1.0)),
            None => (e.rate / tol, (e.rate * tol).min(1.0)),
        }
    }

    /// How far the policy lets `service` move from its rate, in words for a finding.
    pub fn leeway(&self, service: &str) -> &'static str {
        let e = self.policy.expect(service);
        match e.range {
            Some(_) if !e.by_operation => ", adaptively anywhere in the range",
            Some(_) => ", its operations' rates anywhere in between, give or take the tolerance",
            None => ", give or take the tolerance",
        }
    }
}

/// Rows of a Prometheus query: labels and value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricRows<T> {
    pub query: String,
    pub rows: Vec<(T, f64)>,
}

/// What the metrics say about coverage: services serving requests, their operations, and which
/// service calls which (client side, so it holds even when propagation is broken).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricEvidence {
    pub services: MetricRows<String>,
    pub operations: MetricRows<(String, String)>,
    pub edges: MetricRows<(String, String)>,
}

/// Everything the audit looked at; `None` where the step that fetches it failed or was skipped.
#[derive(Debug, Clone, Default)]
pub struct AuditEvidence {
    /// Distinct traces, in the order they were fetched.
    pub traces: Vec<Trace>,
    /// The services whose traces were searched, with how many traces each search returned.
    pub searched: BTreeMap<String, usize>,
    pub jaeger_services: Option<Vec<String>>,
    pub dependencies: Option<Vec<DependencyLink>>,
    /// Operation names Jaeger has stored per service (for services the metrics list operations of).
    pub jaeger_operations: BTreeMap<String, Vec<String>>,
    pub metrics: Option<MetricEvidence>,
    /// Spans kept / spans started, per service.
    pub sampling: Option<MetricRows<String>>,
    /// Spans lost in the pipeline over the lookback (step `span-loss`).
    pub span_loss: Option<SpanLoss>,
}

/// Spans lost between the SDKs and storage over the lookback, and spans offered: what tells a
/// trace fragment from lost data apart from one from a dropped context.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanLoss {
    pub lost: f64,
    pub offered: f64,
    pub query: String,
}

impl SpanLoss {
    /// Lost over offered, when anything was offered.
    pub fn ratio(&self) -> Option<f64> {
        (self.offered > 0.0 && self.lost.is_finite() && self.lost >= 0.0)
            .then(|| (self.lost / self.offered).min(1.0))
    }
}

/// A finding with what the score needs: the services it counts against and how widespread it is
/// (0..=1, the share of the relevant spans or calls).
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub finding: Finding,
    pub charged: Vec<String>,
    pub prevalence: f64,
}

/// A finding's ranking score: severity first, then prevalence, so a widespread warning never
/// outranks a critical finding.
pub fn rank_score(severity: Severity, prevalence: f64) -> f64 {
    let base = match severity {
        Severity::Critical => 0.7,
        Severity::Warning => 0.4,
        Severity::Info => 0.15,
    };
    base + 0.25 * prevalence.clamp(0.0, 1.0)
}

impl Issue {
    pub fn new(
        kind: &str,
        severity: Severity,
        subject: Subject,
        title: impl Into<String>,
        prevalence: f64,
    ) -> Issue {
        let prevalence = if prevalence.is_finite() {
            prevalence.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let charged = subject.service.iter().cloned().collect();
        Issue {
            finding: Finding::new(
                kind,
                severity,
                rank_score(severity, prevalence),
                subject,
                title,
            ),
            charged,
            prevalence,
        }
    }

    pub fn title(mut self, t: impl Into<String>) -> Self {
        self.finding.title = t.into();
        self
    }

    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.finding.detail = d.into();
        self
    }

    pub fn evidence(mut self, e: Evidence) -> Self {
        self.finding.evidence.push(e);
        self
    }

    pub fn remediation(mut self, r: crate::report::Remediation) -> Self {
        self.finding.remediation.push(r);
        self
    }

    /// Count it against another service too (both ends of a broken hop).
    pub fn charge(mut self, service: &str) -> Self {
        if !self.charged.iter().any(|s| s == service) {
            self.charged.push(service.to_string());
        }
        self
    }
}

/// What kind of operation a span is, by its attributes (old and new semantic-convention names)
/// and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    HttpServer,
    HttpClient,
    Database,
    Messaging,
    Rpc,
    Other,
}

impl Category {
    pub fn describe(self) -> &'static str {
        match self {
            Category::HttpServer => "HTTP server",
            Category::HttpClient => "HTTP client",
            Category::Database => "database",
            Category::Messaging => "messaging",
            Category::Rpc => "RPC",
            Category::Other => "other",
        }
    }
}

pub const HTTP_METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE",
];

const HTTP_KEYS: &[&str] = &[
    "http.method",
    "http.request.method",
    "http.url",
    "url.full",
    "http.route",
    "http.target",
    "url.path",
    "http.status_code",
    "http.response.status_code",
];

pub fn category(s: &Span) -> Category {
    let has_prefix = |p: &str| s.tags.iter().any(|(k, _)| k.starts_with(p));
    if has_prefix("db.") {
        return Category::Database;
    }
    if has_prefix("messaging.") || matches!(s.kind, SpanKind::Producer | SpanKind::Consumer) {
        return Category::Messaging;
    }
    if has_prefix("rpc.") {
        return Category::Rpc;
    }
    let http_name = s
        .operation
        .split_whitespace()
        .next()
        .is_some_and(|w| HTTP_METHODS.contains(&w) || w.eq_ignore_ascii_case("http"));
    let http = HTTP_KEYS.iter().any(|k| s.tag(k).is_some())
        || (http_name && matches!(s.kind, SpanKind::Server | SpanKind::Client));
    match (http, s.kind) {
        (false, _) => Category::Other,
        (true, SpanKind::Client) => Category::HttpClient,
        (true, _) => Category::HttpServer,
    }
}

/// The first of `keys` the span has, with its value.
pub fn first_tag<'a>(s: &'a Span, keys: &[&'a str]) -> Option<(&'a str, &'a str)> {
    keys.iter().find_map(|k| s.tag(k).map(|v| (*k, v)))
}

/// Who calls whom: Jaeger's dependency graph, the metrics' client-side edges, and what the
/// sampled traces show (cross-service parent links, client spans naming `peer.service`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallGraph {
    /// callee → callers.
    pub callers: BTreeMap<String, BTreeSet<String>>,
}

impl CallGraph {
    pub fn build(ev: &AuditEvidence, p: &AuditParams) -> CallGraph {
        let mut g = CallGraph::default();
        for d in ev.dependencies.iter().flatten() {
            g.add(&d.parent, &d.child);
        }
        if let Some(m) = &ev.metrics {
            for ((from, to), _) in &m.edges.rows {
                g.add(from, to);
            }
        }
        for t in &ev.traces {
            let spans = p.spans(t);
            let by_id: BTreeMap<SpanId, &Span> = spans.iter().map(|s| (s.span_id, s)).collect();
            for s in spans {
                if let Some(parent) = s.parent_id.and_then(|id| by_id.get(&id)) {
                    g.add(&parent.service, &s.service);
                }
                if matches!(s.kind, SpanKind::Client | SpanKind::Producer)
                    && let Some(peer) = s.tag("peer.service")
                {
                    g.add(&s.service, peer);
                }
            }
        }
        g
    }

    pub fn add(&mut self, from: &str, to: &str) {
        if !from.is_empty() && !to.is_empty() && from != to {
            self.callers
                .entry(to.to_string())
                .or_default()
                .insert(from.to_string());
        }
    }

    pub fn callers_of(&self, service: &str) -> impl Iterator<Item = &str> {
        self.callers
            .get(service)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    pub fn nodes(&self) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        for (callee, callers) in &self.callers {
            out.insert(callee.as_str());
            out.extend(callers.iter().map(String::as_str));
        }
        out
    }
}

/// Spans per service in the sample.
pub fn span_counts<'a>(traces: &'a [Trace], p: &AuditParams) -> BTreeMap<&'a str, usize> {
    let mut out = BTreeMap::new();
    for t in traces {
        for s in p.spans(t) {
            *out.entry(s.service.as_str()).or_insert(0) += 1;
        }
    }
    out
}

/// `a (12), b (3), +2 more`: the first `max` of a list, most frequent first.
pub fn top_list(items: &BTreeMap<String, usize>, max: usize) -> String {
    let mut v: Vec<(&String, &usize)> = items.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(max)
        .map(|(k, n)| format!("{k} ({n})"))
        .collect();
    if v.len() > max {
        parts.push(format!("+{} more", v.len() - max));
    }
    parts.join(", ")
}

/// The most frequent key of a count map (the smallest on ties).
pub fn most_frequent(items: &BTreeMap<String, usize>) -> Option<&str> {
    items
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, _)| k.as_str())
}

/// Text for the inside of an OTTL string literal in a YAML single-quoted statement: OTTL escapes
/// `\\` and `"`, YAML doubles `'`.
pub fn ottl_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\'', "''")
}

/// The services' Deployments (named like the services, as the other runbooks assume) as
/// `kubectl` arguments, each shell-quoted: `deployment/a deployment/b`.
pub fn deployments(services: &[&str]) -> String {
    let targets: Vec<String> = services
        .iter()
        .map(|s| format!("deployment/{}", crate::analysis::common::shell_word(s)))
        .collect();
    targets.join(" ")
}

/// Everything an audit finds, ranked by the report; plus one `audit_score` finding per scored
/// service. `only`: keep what concerns this service.
pub fn audit(ev: &AuditEvidence, p: &AuditParams, only: Option<&str>) -> Vec<Finding> {
    let graph = CallGraph::build(ev, p);
    let traces = &ev.traces;
    let mut issues = Vec::new();
    issues.extend(coverage::detect(ev, &graph, p));
    issues.extend(naming::detect(traces, p));
    issues.extend(attributes::detect(traces, p));
    issues.extend(events::detect(traces, p));
    issues.extend(propagation::detect(
        traces,
        &graph,
        ev.span_loss.as_ref(),
        p,
    ));
    issues.extend(sampling::detect(traces, ev.sampling.as_ref(), p));
    issues.extend(sensitive::detect(traces, p));
    if let Some(s) = only {
        // Data loss is charged to no service, but still concerns the one it names.
        issues.retain(|i| {
            i.charged.iter().any(|c| c == s)
                || (i.charged.is_empty() && i.finding.subject.service.as_deref() == Some(s))
        });
    }
    let counts = span_counts(traces, p);
    // The services searched that have spans in the sample (an idle one has nothing to score).
    let mut scored: BTreeSet<String> = ev
        .searched
        .keys()
        .filter(|s| only.is_none_or(|o| o == s.as_str()))
        .filter(|s| counts.contains_key(s.as_str()))
        .cloned()
        .collect();
    // Services that serve requests with no trace at all are scored too (they score 0).
    for i in &issues {
        if i.finding.kind == "uninstrumented_service" {
            scored.extend(i.charged.iter().cloned());
        }
    }
    let mut findings: Vec<Finding> = score::scores(&scored, &issues, &counts, traces, p);
    findings.extend(issues.into_iter().map(|i| i.finding));
    findings
}

/// The report's one-line diagnosis for an audit: the worst service and why.
pub fn diagnosis(ranked: &[Finding]) -> Option<String> {
    score::diagnosis(ranked)
}
