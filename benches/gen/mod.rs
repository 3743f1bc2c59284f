//! Generated Jaeger `/api/traces` search answers for the benchmarks (not test data: nothing
//! asserts on it, and it is not in `src/`).
//!
//! Each trace is one request through a small shop, in the shape the OpenTelemetry SDKs and the
//! Jaeger query service produce: a `{data, total, limit, offset, errors}` envelope; spans with
//! CHILD_OF references, typed tags (`span.kind`, `otel.scope.name`, HTTP and DB attributes,
//! `peer.service` on client spans), logs on errors, and a `processes` map with per-process tags.
//! Two request flows (checkout and product page) over ten services, nested client/server pairs,
//! parallel fan-out, about 5% of traces failing at a payment provider (an error chain up to the
//! root, with a log carrying the message), and about 20% with an N+1 run of 10–14 sequential
//! database calls. About 20 spans per trace on average; [`Generated::spans`] has the exact count.
//! Deterministic: the same `(traces, seed)` gives the same bytes.

use std::fmt::Write as _;

pub struct Generated {
    /// The response body (JSON, UTF-8).
    pub body: String,
    pub traces: usize,
    pub spans: usize,
}

/// A search answer holding `traces` traces.
pub fn jaeger_traces(traces: usize, seed: u64) -> Generated {
    let mut rng = Rng(seed ^ 0x05EE_D0F7_ACE5);
    let mut body = String::with_capacity(traces * 20 * 700);
    body.push_str("{\"data\":[");
    let mut spans = 0;
    let mut b = TraceBuilder::default();
    // Traces from the last hour, a few hundred a minute.
    let t0: i64 = 1_795_600_800_000_000 - 3_600_000_000;
    for i in 0..traces {
        if i > 0 {
            body.push(',');
        }
        b.reset(rng.next_u64(), rng.next_u64());
        let start = t0 + (i as i64) * 36_000 + rng.range(0, 30_000);
        if rng.chance(0.7) {
            checkout_flow(&mut b, &mut rng, start);
        } else {
            product_flow(&mut b, &mut rng, start);
        }
        spans += b.spans.len();
        b.write_json(&mut body);
    }
    body.push_str("],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}");
    Generated {
        body,
        traces,
        spans,
    }
}

/// `POST /checkout`: frontend → checkout → cart (redis), inventory (sometimes N+1 on
/// postgres), then payment (→ a card provider) and shipping in parallel, a currency conversion,
/// and a queued e-mail.
fn checkout_flow(b: &mut TraceBuilder, r: &mut Rng, start: i64) {
    let root = b.span(None, FRONTEND, "HTTP POST /checkout", Kind::Server, start);
    b.http(root, "POST", "/checkout");
    let mut t = start + r.range(200, 800);
    let (fc, co) = b.call(root, CHECKOUT, "POST /api/checkout", t, r);
    let mut ct = t + r.range(100, 300);
    let v = b.span(Some(co), CHECKOUT, "validate-cart", Kind::Internal, ct);
    ct = b.end(v, ct + r.range(300, 1_500));
    // Cart from redis.
    let (cc, cs) = b.call(co, CART, "GET /cart", ct, r);
    let mut cart_t = ct + r.range(100, 300);
    let redis = b.db(cs, CART, "HGETALL", "redis", cart_t, r.range(200, 900));
    cart_t = b.end(redis, cart_t + r.range(200, 900)) + r.range(50, 200);
    b.end(cs, cart_t);
    ct = b.end(cc, cart_t + r.range(100, 300));
    // Inventory: one query per cart item in some traces (the N+1), else one batched query.
    let (ic, is) = b.call(co, INVENTORY, "POST /reserve", ct, r);
    let mut it = ct + r.range(100, 300);
    let items = if r.chance(0.2) {
        r.range(10, 15) as usize
    } else {
        2
    };
    for _ in 0..items {
        let d = r.range(400, 2_500);
        let q = b.db(is, INVENTORY, "SELECT stock", "postgresql", it, d);
        it = b.end(q, it + d) + r.range(20, 80);
    }
    b.end(is, it + r.range(100, 400));
    ct = b.end(ic, it + r.range(200, 600));
    // Payment and shipping in parallel.
    let fail = r.chance(0.05);
    let (pc, ps) = b.call(co, PAYMENT, "POST /charge", ct, r);
    let pt = ct + r.range(100, 300);
    let ext = b.span(Some(ps), PAYMENT, "POST /v1/charges", Kind::Client, pt);
    b.http(ext, "POST", "/v1/charges");
    b.tag_str(ext, "peer.service", "card-provider");
    b.tag_str(ext, "server.address", "api.cards.example");
    let ext_end = b.end(ext, pt + r.range(20_000, 180_000));
    let pay_end = b.end(ps, ext_end + r.range(200, 900));
    let pay_end = b.end(pc, pay_end + r.range(100, 300));
    let (sc, ss) = b.call(co, SHIPPING, "POST /quote", ct + r.range(50, 200), r);
    let st = b.spans[ss].start + r.range(100, 300);
    let quote = b.span(Some(ss), SHIPPING, "compute-quote", Kind::Internal, st);
    let q_end = b.end(quote, st + r.range(2_000, 12_000));
    let ship_end = b.end(ss, q_end + r.range(100, 300));
    let ship_end = b.end(sc, ship_end + r.range(100, 300));
    ct = pay_end.max(ship_end) + r.range(100, 300);
    if fail {
        b.fail(ext, 402, "card declined: insufficient funds");
        b.fail(ps, 502, "charge failed: card declined");
        b.fail(pc, 502, "");
        b.fail(co, 500, "payment failed");
        b.fail(fc, 500, "");
        b.fail(root, 500, "");
    } else {
        let (xc, xs) = b.call(co, CURRENCY, "GET /convert", ct, r);
        let x_end = b.end(xs, ct + r.range(300, 2_000));
        ct = b.end(xc, x_end + r.range(100, 300));
        let mail = b.span(
            Some(co),
            CHECKOUT,
            "order-confirmation send",
            Kind::Producer,
            ct,
        );
        b.tag_str(mail, "messaging.system", "kafka");
        b.tag_str(mail, "messaging.destination.name", "orders");
        ct = b.end(mail, ct + r.range(300, 1_200));
    }
    b.end(co, ct + r.range(100, 400));
    t = b.end(fc, b.spans[co].end() + r.range(200, 600));
    b.end(root, t + r.range(300, 1_500));
}

/// `GET /product/{id}`: frontend → catalog (postgres), recommendation → catalog, currency,
/// and ads, partly in parallel.
fn product_flow(b: &mut TraceBuilder, r: &mut Rng, start: i64) {
    let root = b.span(
        None,
        FRONTEND,
        "HTTP GET /product/{id}",
        Kind::Server,
        start,
    );
    b.http(root, "GET", "/product/{id}");
    let t = start + r.range(200, 800);
    let (cc, cs) = b.call(root, CATALOG, "GET /products/{id}", t, r);
    let ct = b.spans[cs].start + r.range(100, 300);
    let q = b.db(
        cs,
        CATALOG,
        "SELECT products",
        "postgresql",
        ct,
        r.range(500, 4_000),
    );
    let qe = b.spans[q].end();
    let cse = b.end(cs, qe + r.range(100, 500));
    let t2 = b.end(cc, cse + r.range(100, 300));
    // Recommendations, currency and ads at once.
    let (rc, rs) = b.call(root, RECOMMENDATION, "GET /recommendations", t2, r);
    let rt = b.spans[rs].start + r.range(100, 300);
    let (lc, ls) = b.call(rs, CATALOG, "GET /products", rt, r);
    let lt = b.spans[ls].start + r.range(100, 300);
    let lq = b.db(
        ls,
        CATALOG,
        "SELECT products",
        "postgresql",
        lt,
        r.range(800, 6_000),
    );
    let le = b.end(ls, b.spans[lq].end() + r.range(100, 400));
    let le = b.end(lc, le + r.range(100, 300));
    let rank = b.span(Some(rs), RECOMMENDATION, "rank", Kind::Internal, le + 50);
    let re = b.end(rank, le + r.range(1_000, 8_000));
    let re = b.end(rs, re + r.range(100, 300));
    let rce = b.end(rc, re + r.range(100, 300));
    let (xc, xs) = b.call(root, CURRENCY, "GET /convert", t2 + r.range(20, 100), r);
    let xe = b.end(xs, b.spans[xs].start + r.range(300, 2_000));
    let xe = b.end(xc, xe + r.range(100, 300));
    let (ac, as_) = b.call(root, ADS, "GET /ads", t2 + r.range(20, 100), r);
    let aq = b.db(
        as_,
        ADS,
        "GET",
        "redis",
        b.spans[as_].start + 100,
        r.range(200, 900),
    );
    let ae = b.end(as_, b.spans[aq].end() + r.range(100, 300));
    let ae = b.end(ac, ae + r.range(100, 300));
    let render = b.span(
        Some(root),
        FRONTEND,
        "render product",
        Kind::Internal,
        rce.max(xe).max(ae) + 50,
    );
    let end = b.end(render, b.spans[render].start + r.range(1_000, 5_000));
    b.end(root, end + r.range(200, 800));
}

const FRONTEND: usize = 0;
const CHECKOUT: usize = 1;
const CART: usize = 2;
const INVENTORY: usize = 3;
const PAYMENT: usize = 4;
const SHIPPING: usize = 5;
const CURRENCY: usize = 6;
const CATALOG: usize = 7;
const RECOMMENDATION: usize = 8;
const ADS: usize = 9;
const SERVICES: [(&str, &str, &str); 10] = [
    ("frontend", "nodejs", "io.opentelemetry.http"),
    (
        "checkout",
        "go",
        "go.opentelemetry.io/contrib/net/http/otelhttp",
    ),
    ("cart", "dotnet", "OpenTelemetry.Instrumentation.AspNetCore"),
    ("inventory", "java", "io.opentelemetry.spring-webmvc-6.0"),
    ("payment", "nodejs", "@opentelemetry/instrumentation-http"),
    ("shipping", "rust", "opentelemetry-http"),
    ("currency", "cpp", "opentelemetry-cpp"),
    (
        "catalog",
        "go",
        "go.opentelemetry.io/contrib/net/http/otelhttp",
    ),
    (
        "recommendation",
        "python",
        "opentelemetry.instrumentation.flask",
    ),
    ("ads", "java", "io.opentelemetry.grpc-1.6"),
];

#[derive(Clone, Copy)]
enum Kind {
    Server,
    Client,
    Internal,
    Producer,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Server => "server",
            Kind::Client => "client",
            Kind::Internal => "internal",
            Kind::Producer => "producer",
        }
    }
}

enum TagValue {
    Str(String),
    Int(i64),
    Bool(bool),
}

struct SpanRec {
    id: u64,
    parent: Option<usize>,
    service: usize,
    operation: String,
    kind: Kind,
    start: i64,
    duration: i64,
    tags: Vec<(&'static str, TagValue)>,
    /// (timestamp, message) of an error log.
    log: Option<(i64, String)>,
}

impl SpanRec {
    fn end(&self) -> i64 {
        self.start + self.duration
    }
}

#[derive(Default)]
struct TraceBuilder {
    trace_id: (u64, u64),
    spans: Vec<SpanRec>,
}

impl TraceBuilder {
    fn reset(&mut self, hi: u64, lo: u64) {
        self.trace_id = (hi, lo);
        self.spans.clear();
    }

    fn span(
        &mut self,
        parent: Option<usize>,
        service: usize,
        op: &str,
        kind: Kind,
        start: i64,
    ) -> usize {
        let n = self.spans.len() as u64;
        let id = mix(self.trace_id.1 ^ (n + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        self.spans.push(SpanRec {
            id,
            parent,
            service,
            operation: op.to_string(),
            kind,
            start,
            duration: 1,
            tags: Vec::new(),
            log: None,
        });
        self.spans.len() - 1
    }

    /// Sets the span's end; returns it.
    fn end(&mut self, span: usize, end: i64) -> i64 {
        let s = &mut self.spans[span];
        s.duration = (end - s.start).max(1);
        s.end()
    }

    fn tag_str(&mut self, span: usize, key: &'static str, value: &str) {
        self.spans[span]
            .tags
            .push((key, TagValue::Str(value.to_string())));
    }

    fn http(&mut self, span: usize, method: &str, route: &str) {
        self.tag_str(span, "http.request.method", method);
        self.tag_str(span, "http.route", route);
        self.spans[span]
            .tags
            .push(("http.response.status_code", TagValue::Int(200)));
    }

    /// A client span in `parent`'s service and the callee's server span 100–300 µs inside it.
    /// The caller sets both ends.
    fn call(
        &mut self,
        parent: usize,
        callee: usize,
        op: &str,
        start: i64,
        r: &mut Rng,
    ) -> (usize, usize) {
        let caller = self.spans[parent].service;
        let c = self.span(Some(parent), caller, op, Kind::Client, start);
        let (method, route) = op.split_once(' ').unwrap_or(("GET", op));
        self.http(c, method, route);
        self.tag_str(c, "peer.service", SERVICES[callee].0);
        let s = self.span(Some(c), callee, op, Kind::Server, start + r.range(100, 300));
        self.http(s, method, route);
        (c, s)
    }

    /// A database client span lasting `duration` µs.
    fn db(
        &mut self,
        parent: usize,
        service: usize,
        op: &str,
        system: &str,
        start: i64,
        duration: i64,
    ) -> usize {
        let s = self.span(Some(parent), service, op, Kind::Client, start);
        self.tag_str(s, "db.system", system);
        let stmt = match system {
            "postgresql" => format!("{op} FROM t WHERE id = $1"),
            _ => format!("{op} key"),
        };
        self.tag_str(s, "db.statement", &stmt);
        self.tag_str(s, "peer.service", system);
        self.end(s, start + duration);
        s
    }

    /// Marks a span failed: `error=true`, the status code, and (with a message) an error log.
    fn fail(&mut self, span: usize, status: i64, message: &str) {
        let s = &mut self.spans[span];
        for (k, v) in s.tags.iter_mut() {
            if *k == "http.response.status_code" {
                *v = TagValue::Int(status);
            }
        }
        s.tags.push(("error", TagValue::Bool(true)));
        s.tags
            .push(("otel.status_code", TagValue::Str("ERROR".to_string())));
        if !message.is_empty() {
            s.log = Some((s.end() - 10, message.to_string()));
        }
    }

    fn write_json(&self, out: &mut String) {
        let tid = format!("{:016x}{:016x}", self.trace_id.0, self.trace_id.1);
        // processID by service, in order of first use.
        let mut pids: Vec<usize> = Vec::new();
        for s in &self.spans {
            if !pids.contains(&s.service) {
                pids.push(s.service);
            }
        }
        let pid = |svc: usize| pids.iter().position(|&p| p == svc).unwrap_or(0) + 1;
        let _ = write!(out, "{{\"traceID\":\"{tid}\",\"spans\":[");
        for (i, s) in self.spans.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(
                out,
                "{{\"traceID\":\"{tid}\",\"spanID\":\"{:016x}\",\"operationName\":\"{}\",\"references\":[",
                s.id, s.operation
            );
            if let Some(p) = s.parent {
                let _ = write!(
                    out,
                    "{{\"refType\":\"CHILD_OF\",\"traceID\":\"{tid}\",\"spanID\":\"{:016x}\"}}",
                    self.spans[p].id
                );
            }
            let _ = write!(
                out,
                "],\"startTime\":{},\"duration\":{},\"tags\":[",
                s.start, s.duration
            );
            let scope = SERVICES[s.service].2;
            let _ = write!(
                out,
                "{{\"key\":\"otel.scope.name\",\"type\":\"string\",\"value\":\"{scope}\"}},\
                 {{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"{}\"}}",
                s.kind.as_str()
            );
            for (k, v) in &s.tags {
                match v {
                    TagValue::Str(v) => {
                        let _ = write!(
                            out,
                            ",{{\"key\":\"{k}\",\"type\":\"string\",\"value\":\"{v}\"}}"
                        );
                    }
                    TagValue::Int(v) => {
                        let _ =
                            write!(out, ",{{\"key\":\"{k}\",\"type\":\"int64\",\"value\":{v}}}");
                    }
                    TagValue::Bool(v) => {
                        let _ = write!(out, ",{{\"key\":\"{k}\",\"type\":\"bool\",\"value\":{v}}}");
                    }
                }
            }
            out.push_str(
                ",{\"key\":\"internal.span.format\",\"type\":\"string\",\"value\":\"otlp\"}],\"logs\":[",
            );
            if let Some((ts, msg)) = &s.log {
                let _ = write!(
                    out,
                    "{{\"timestamp\":{ts},\"fields\":[\
                     {{\"key\":\"event\",\"type\":\"string\",\"value\":\"exception\"}},\
                     {{\"key\":\"exception.type\",\"type\":\"string\",\"value\":\"PaymentError\"}},\
                     {{\"key\":\"exception.message\",\"type\":\"string\",\"value\":\"{msg}\"}}]}}"
                );
            }
            let _ = write!(
                out,
                "],\"processID\":\"p{}\",\"warnings\":null,\"flags\":1}}",
                pid(s.service)
            );
        }
        out.push_str("],\"processes\":{");
        for (i, &svc) in pids.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let (name, lang, _) = SERVICES[svc];
            let _ = write!(
                out,
                "\"p{}\":{{\"serviceName\":\"{name}\",\"tags\":[\
                 {{\"key\":\"host.name\",\"type\":\"string\",\"value\":\"{name}-7d9f{:05x}\"}},\
                 {{\"key\":\"k8s.namespace.name\",\"type\":\"string\",\"value\":\"shop\"}},\
                 {{\"key\":\"service.version\",\"type\":\"string\",\"value\":\"1.8.{}\"}},\
                 {{\"key\":\"telemetry.sdk.language\",\"type\":\"string\",\"value\":\"{lang}\"}}]}}",
                i + 1,
                (self.trace_id.0 >> 44) as u32 & 0x3,
                svc % 3
            );
        }
        out.push_str("},\"warnings\":null}");
    }
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
