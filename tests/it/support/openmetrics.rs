//! Deterministic OpenMetrics text for synthetic monitoring scenarios.
//!
//! A [`Scenario`] is a time window, a scrape step, a seed and a list of
//! [`SeriesSpec`]s (counters, gauges, histograms) whose rates, values and
//! latency medians are simple [`Shape`]s of time, so that an anomaly can be
//! injected at a chosen instant. [`Scenario::to_openmetrics`] renders text that
//! `promtool tsdb create-blocks-from openmetrics` accepts; the Prometheus
//! harness in `prometheus.rs` backfills it.
//!
//! This is not a simulator of real traffic: noise is a small relative jitter
//! from an inline splitmix64 PRNG (no `rand` dependency, and the same seed
//! always gives byte-identical output), and latencies follow a log-normal
//! distribution around the configured median. Its tests are in
//! `tests/it/harness_selftest.rs`.

use std::fmt::Write as _;

/// Prometheus client libraries' default histogram buckets (seconds).
pub const DEFAULT_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// A value as a function of time (unix seconds).
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Constant(f64),
    /// `before` for `t < at`, `after` from `at` on.
    Step {
        before: f64,
        after: f64,
        at: i64,
    },
    /// `from` until `start`, linear to `to` at `end`, then `to`.
    Ramp {
        from: f64,
        to: f64,
        start: i64,
        end: i64,
    },
    /// `peak` every day from `from` to `to` (seconds of the UTC day), `base` otherwise: a
    /// batch or a daily peak, for "usual at this time of day".
    Daily {
        base: f64,
        peak: f64,
        from: i64,
        to: i64,
    },
}

impl Shape {
    /// The same shape with every value times `factor`.
    pub fn scaled(&self, factor: f64) -> Shape {
        match *self {
            Shape::Constant(v) => Shape::Constant(v * factor),
            Shape::Step { before, after, at } => Shape::Step {
                before: before * factor,
                after: after * factor,
                at,
            },
            Shape::Ramp {
                from,
                to,
                start,
                end,
            } => Shape::Ramp {
                from: from * factor,
                to: to * factor,
                start,
                end,
            },
            Shape::Daily {
                base,
                peak,
                from,
                to,
            } => Shape::Daily {
                base: base * factor,
                peak: peak * factor,
                from,
                to,
            },
        }
    }

    pub fn value_at(&self, t: i64) -> f64 {
        match *self {
            Shape::Constant(v) => v,
            Shape::Step { before, after, at } => {
                if t < at {
                    before
                } else {
                    after
                }
            }
            Shape::Ramp {
                from,
                to,
                start,
                end,
            } => {
                if t <= start {
                    from
                } else if t >= end {
                    to
                } else {
                    from + (to - from) * (t - start) as f64 / (end - start) as f64
                }
            }
            Shape::Daily {
                base,
                peak,
                from,
                to,
            } => {
                let tod = t.rem_euclid(86_400);
                if (from..to).contains(&tod) {
                    peak
                } else {
                    base
                }
            }
        }
    }
}

/// Log-normal latency: half of the observations are below `median` seconds,
/// and `spread` is the standard deviation of `ln(latency)`, so
/// p95 ≈ `median · e^(1.645 · spread)` and p99 ≈ `median · e^(2.326 · spread)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Latency {
    pub median: Shape,
    pub spread: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Increments at `rate` per second; the series starts at 0 at `Scenario::start`.
    Counter {
        rate: Shape,
    },
    Gauge {
        value: Shape,
    },
    /// `rate` observations per second drawn from `latency`; `buckets` are the
    /// finite `le` bounds (`+Inf` is implied).
    Histogram {
        rate: Shape,
        latency: Latency,
        buckets: Vec<f64>,
    },
}

/// One labelled series. `name` is the name as queried in PromQL: counters end
/// in `_total`, histograms are named without `_bucket`/`_count`/`_sum`.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesSpec {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub kind: Kind,
}

impl SeriesSpec {
    pub fn counter(name: &str, labels: &[(&str, &str)], rate: Shape) -> Self {
        assert!(
            name.ends_with("_total"),
            "OpenMetrics counter `{name}` must end in _total"
        );
        Self::new(name, labels, Kind::Counter { rate })
    }

    pub fn gauge(name: &str, labels: &[(&str, &str)], value: Shape) -> Self {
        Self::new(name, labels, Kind::Gauge { value })
    }

    /// A histogram with [`DEFAULT_BUCKETS`]; see [`SeriesSpec::buckets`].
    pub fn histogram(name: &str, labels: &[(&str, &str)], rate: Shape, latency: Latency) -> Self {
        for suffix in ["_bucket", "_count", "_sum"] {
            assert!(
                !name.ends_with(suffix),
                "histogram `{name}` must be named without {suffix}"
            );
        }
        assert!(
            latency.spread > 0.0,
            "histogram `{name}`: spread must be > 0"
        );
        let buckets = DEFAULT_BUCKETS.to_vec();
        Self::new(
            name,
            labels,
            Kind::Histogram {
                rate,
                latency,
                buckets,
            },
        )
    }

    /// Replaces a histogram's finite bucket bounds.
    pub fn buckets(mut self, bounds: &[f64]) -> Self {
        let Kind::Histogram { buckets, .. } = &mut self.kind else {
            panic!("buckets() on non-histogram `{}`", self.name);
        };
        let mut bounds = bounds.to_vec();
        assert!(
            bounds.iter().all(|b| b.is_finite() && *b > 0.0),
            "bucket bounds must be finite and > 0"
        );
        bounds.sort_by(f64::total_cmp);
        bounds.dedup();
        *buckets = bounds;
        self
    }

    fn new(name: &str, labels: &[(&str, &str)], kind: Kind) -> Self {
        assert!(valid_name(name), "invalid metric name `{name}`");
        for (key, _) in labels {
            // `le` is generated for histograms; a user-supplied one would collide.
            assert!(
                valid_name(key) && *key != "le",
                "invalid label name `{key}`"
            );
        }
        let labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self {
            name: name.to_string(),
            labels,
            kind,
        }
    }

    /// The OpenMetrics family name used in the `# TYPE` line.
    fn family(&self) -> &str {
        match self.kind {
            Kind::Counter { .. } => self.name.strip_suffix("_total").unwrap_or(&self.name),
            _ => &self.name,
        }
    }

    fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Counter { .. } => "counter",
            Kind::Gauge { .. } => "gauge",
            Kind::Histogram { .. } => "histogram",
        }
    }
}

/// A time window of synthetic data. Times are unix seconds; samples are at
/// `start, start + step, …, ≤ end`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub start: i64,
    pub end: i64,
    pub step: i64,
    pub seed: u64,
    /// Relative jitter applied to rates, medians and gauge values (0.02 = ±2 %).
    pub noise: f64,
    pub series: Vec<SeriesSpec>,
}

impl Scenario {
    /// A window with a 15 s step, seed 1 and ±2 % noise.
    pub fn new(start: i64, end: i64) -> Self {
        assert!(
            start < end,
            "scenario start {start} must be before end {end}"
        );
        Self {
            start,
            end,
            step: 15,
            seed: 1,
            noise: 0.02,
            series: Vec::new(),
        }
    }

    /// The `duration` seconds up to now (end aligned down to a 15 s step), for
    /// commands that only look at "the last N minutes". Values are still
    /// deterministic per sample index; only the timestamps move.
    pub fn recent(duration: i64) -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs() as i64;
        let end = now - now % 15;
        Self::new(end - duration, end)
    }

    pub fn with_step(mut self, step: i64) -> Self {
        assert!(step > 0, "step must be > 0");
        self.step = step;
        self
    }

    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    pub fn with_noise(mut self, noise: f64) -> Self {
        assert!((0.0..1.0).contains(&noise), "noise must be in [0, 1)");
        self.noise = noise;
        self
    }

    pub fn with(mut self, series: SeriesSpec) -> Self {
        self.series.push(series);
        self
    }

    pub fn timestamps(&self) -> impl Iterator<Item = i64> + '_ {
        (self.start..=self.end).step_by(self.step as usize)
    }

    /// Renders the whole scenario, families contiguous, ending in `# EOF`.
    ///
    /// Panics if two series share a family name with different types or
    /// share both name and labels, since Prometheus would reject or merge them.
    pub fn to_openmetrics(&self) -> String {
        let mut out = Vec::new();
        self.write_openmetrics(&mut out)
            .expect("writing to memory cannot fail");
        String::from_utf8(out).expect("the text is UTF-8")
    }

    /// [`Scenario::to_openmetrics`] written series by series: a 10,000-service fleet's text
    /// (several GB) is never held whole (benches/tool.rs).
    pub fn write_openmetrics(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut families: Vec<(&str, &'static str, Vec<usize>)> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        // Keyed by family and labels: a quadratic scan of each family took minutes at 10,000
        // services.
        let mut seen: std::collections::HashSet<(&str, &[(String, String)])> = Default::default();
        for (i, spec) in self.series.iter().enumerate() {
            assert!(
                seen.insert((spec.family(), spec.labels.as_slice())),
                "duplicate series {}{:?}",
                spec.name,
                spec.labels
            );
            match index.get(spec.family()) {
                Some(&f) => {
                    let (family, ty, members) = &mut families[f];
                    assert_eq!(*ty, spec.type_name(), "family `{family}` has mixed types");
                    members.push(i);
                }
                None => {
                    index.insert(spec.family(), families.len());
                    families.push((spec.family(), spec.type_name(), vec![i]));
                }
            }
        }
        let mut out = String::new();
        for (family, ty, members) in &families {
            let _ = writeln!(out, "# TYPE {family} {ty}");
            for &i in members {
                self.render_series(i, &mut out);
                w.write_all(out.as_bytes())?;
                out.clear();
            }
        }
        out.push_str("# EOF\n");
        w.write_all(out.as_bytes())
    }

    fn render_series(&self, index: usize, out: &mut String) {
        let spec = &self.series[index];
        // One PRNG stream per series, so adding a series leaves the others unchanged.
        let mut rng =
            SplitMix64(self.seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let labels = render_labels(&spec.labels, None);
        let mut jitter = || 1.0 + self.noise * (rng.next_f64() * 2.0 - 1.0);
        match &spec.kind {
            Kind::Gauge { value } => {
                for t in self.timestamps() {
                    let v = value.value_at(t) * jitter();
                    let _ = writeln!(out, "{}{labels} {} {t}", spec.name, fmt_f64(v));
                }
            }
            Kind::Counter { rate } => {
                let (mut exact, mut emitted) = (0.0_f64, 0.0_f64);
                for (i, t) in self.timestamps().enumerate() {
                    if i > 0 {
                        exact += rate.value_at(t).max(0.0) * self.step as f64 * jitter();
                        // Whole events only, carrying the fraction so the long-run rate is exact.
                        emitted = exact.floor();
                    }
                    let _ = writeln!(out, "{}{labels} {} {t}", spec.name, fmt_f64(emitted));
                }
            }
            Kind::Histogram {
                rate,
                latency,
                buckets,
            } => {
                let bucket_labels: Vec<String> = buckets
                    .iter()
                    .map(|le| render_labels(&spec.labels, Some(&fmt_le(*le))))
                    .chain([render_labels(&spec.labels, Some("+Inf"))])
                    .collect();
                let mut cumulative = vec![0_u64; buckets.len()];
                let (mut exact, mut count, mut sum) = (0.0_f64, 0_u64, 0.0_f64);
                for (i, t) in self.timestamps().enumerate() {
                    if i > 0 {
                        exact += rate.value_at(t).max(0.0) * self.step as f64 * jitter();
                        let n = exact.floor() as u64 - count;
                        let median = latency.median.value_at(t) * jitter();
                        assert!(
                            median > 0.0,
                            "{}: median latency must be > 0 at {t}",
                            spec.name
                        );
                        let sigma = latency.spread;
                        for (bucket, le) in cumulative.iter_mut().zip(buckets) {
                            // Rounding a monotonic CDF keeps buckets monotonic in `le` and ≤ n.
                            let below = normal_cdf((le.ln() - median.ln()) / sigma);
                            *bucket += (n as f64 * below).round() as u64;
                        }
                        count += n;
                        sum += n as f64 * median * (sigma * sigma / 2.0).exp();
                    }
                    for (bucket_labels, value) in
                        bucket_labels.iter().zip(cumulative.iter().chain([&count]))
                    {
                        let _ = writeln!(out, "{}_bucket{bucket_labels} {value} {t}", spec.name);
                    }
                    let _ = writeln!(out, "{}_count{labels} {count} {t}", spec.name);
                    let _ = writeln!(out, "{}_sum{labels} {} {t}", spec.name, fmt_f64(sum));
                }
            }
        }
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn render_labels(labels: &[(String, String)], le: Option<&str>) -> String {
    let pairs: Vec<String> = labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(le.map(|le| ("le", le)))
        .map(|(k, v)| format!("{k}=\"{}\"", escape_label_value(v)))
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", pairs.join(","))
    }
}

/// OpenMetrics label-value escaping: backslash, double quote and newline.
pub fn escape_label_value(value: &str) -> String {
    value
        .replace('\\', r"\\")
        .replace('"', r#"\""#)
        .replace('\n', r"\n")
}

/// OpenMetrics canonical `le`: integral bounds keep a `.0` (`1.0`, not `1`).
fn fmt_le(le: f64) -> String {
    if le.fract() == 0.0 {
        format!("{le:.1}")
    } else {
        fmt_f64(le)
    }
}

fn fmt_f64(v: f64) -> String {
    format!("{v}")
}

/// Standard normal CDF via Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7), which
/// is far below the rounding to whole observations.
fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// splitmix64: tiny, fast and good enough for jitter; written inline so test
/// data never changes with a dependency upgrade.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }
}
