//! A parser for the Prometheus text exposition format 0.0.4, as the Collector serves it on
//! `:8888/metrics`, tolerant of what OpenMetrics 1.0 adds (`# EOF`, `# UNIT`, `_created` samples,
//! exemplars after ` # `, float timestamps) and of Prometheus 3's quoted UTF-8 names.
//!
//! It is a reader for evidence, not a validator: a malformed line is skipped and counted (with
//! its line number) rather than failing the scrape, because a partial scrape still shows where
//! spans go. It never panics on any input, and stops after `max_samples` samples so a huge or
//! hostile endpoint cannot exhaust memory. Not here: what the metrics mean (`mod.rs`). Formats:
//! <https://prometheus.io/docs/instrumenting/exposition_formats/> and
//! <https://prometheus.io/docs/specs/om/open_metrics_spec/>. Tests: below.

use std::collections::BTreeMap;

pub use crate::model::collector::{BadLine, Labels, LineError, Sample};

/// How many malformed lines are kept with their reason; the rest are only counted.
pub const MAX_REPORTED_ERRORS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricType {
    Counter,
    Gauge,
    Histogram,
    Summary,
    /// `untyped` (0.0.4) or `unknown` (OpenMetrics).
    Untyped,
    GaugeHistogram,
    StateSet,
    Info,
}

impl MetricType {
    fn parse(s: &str) -> Option<MetricType> {
        Some(match s {
            "counter" => MetricType::Counter,
            "gauge" => MetricType::Gauge,
            "histogram" => MetricType::Histogram,
            "summary" => MetricType::Summary,
            "untyped" | "unknown" => MetricType::Untyped,
            "gaugehistogram" => MetricType::GaugeHistogram,
            "stateset" => MetricType::StateSet,
            "info" => MetricType::Info,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exposition {
    pub samples: Vec<Sample>,
    /// Family name (as in `# TYPE`) → type.
    pub types: BTreeMap<String, MetricType>,
    /// How many lines were skipped as malformed.
    pub skipped: usize,
    /// The first [`MAX_REPORTED_ERRORS`] of them.
    pub errors: Vec<BadLine>,
    /// Parsing stopped at `max_samples`: the rest of the body was not read.
    pub truncated: bool,
}

impl Exposition {
    /// The declared type of the family a sample belongs to (`x_total`, `x_bucket`, `x_sum`, ...
    /// belong to `x`).
    pub fn family_type(&self, sample_name: &str) -> Option<MetricType> {
        if let Some(t) = self.types.get(sample_name) {
            return Some(*t);
        }
        const SUFFIXES: [&str; 8] = [
            "_total", "_created", "_bucket", "_sum", "_count", "_gsum", "_gcount", "_info",
        ];
        SUFFIXES.iter().find_map(|suffix| {
            let family = sample_name.strip_suffix(suffix)?;
            self.types.get(family).copied()
        })
    }
}

/// Parse a whole exposition, keeping at most `max_samples` samples.
pub fn parse(text: &str, max_samples: usize) -> Exposition {
    let mut out = Exposition::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end_matches('\r').trim_start_matches([' ', '\t']);
        if line.trim_end().is_empty() {
            continue;
        }
        let result = if let Some(comment) = line.strip_prefix('#') {
            match comment_line(comment, &mut out.types) {
                Ok(Comment::Eof) => break,
                Ok(Comment::Other) => Ok(None),
                Err(e) => Err(e),
            }
        } else {
            sample_line(line).map(Some)
        };
        match result {
            Ok(None) => {}
            Ok(Some(sample)) => {
                // An OpenMetrics `_created` sample is the counter's start time, not a count.
                if is_created_timestamp(&sample.name, &out.types) {
                    continue;
                }
                if out.samples.len() >= max_samples {
                    out.truncated = true;
                    break;
                }
                out.samples.push(sample);
            }
            Err(error) => {
                out.skipped += 1;
                if out.errors.len() < MAX_REPORTED_ERRORS {
                    out.errors.push(BadLine {
                        line: line_no,
                        error,
                    });
                }
            }
        }
    }
    out
}

fn is_created_timestamp(name: &str, types: &BTreeMap<String, MetricType>) -> bool {
    name.strip_suffix("_created").is_some_and(|family| {
        matches!(
            types.get(family),
            Some(
                MetricType::Counter
                    | MetricType::Histogram
                    | MetricType::Summary
                    | MetricType::GaugeHistogram
            )
        )
    })
}

enum Comment {
    Eof,
    Other,
}

/// `# HELP`, `# TYPE`, `# UNIT`, `# EOF` or a free comment (after the `#`).
fn comment_line(
    rest: &str,
    types: &mut BTreeMap<String, MetricType>,
) -> Result<Comment, LineError> {
    let mut words = rest.split_whitespace();
    match words.next() {
        Some("EOF") if words.next().is_none() => Ok(Comment::Eof),
        Some("TYPE") => {
            let (Some(name), Some(kind), None) = (words.next(), words.next(), words.next()) else {
                return Err(LineError::TypeLine);
            };
            let kind = MetricType::parse(kind).ok_or(LineError::TypeLine)?;
            // Prometheus 3 may quote a UTF-8 family name.
            let name = name.trim_matches('"');
            types.insert(name.to_string(), kind);
            Ok(Comment::Other)
        }
        // HELP text is for humans; UNIT is implied by the names we match.
        _ => Ok(Comment::Other),
    }
}

/// A cursor over one line. Every delimiter is ASCII, so byte positions found by scanning for
/// them are always char boundaries.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a str {
        let start = self.i;
        while self.peek().is_some_and(&f) {
            self.i += 1;
        }
        &self.s[start..self.i]
    }

    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    /// A double-quoted string with `\\`, `\"` and `\n` escapes; the cursor is on the opening
    /// quote. Other escapes are kept verbatim: a lenient reader loses nothing by it.
    fn quoted(&mut self) -> Result<String, LineError> {
        self.i += 1;
        let bytes = self.s.as_bytes();
        let mut out = String::new();
        let mut start = self.i;
        while self.i < bytes.len() {
            match bytes[self.i] {
                b'"' => {
                    out.push_str(&self.s[start..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.s[start..self.i]);
                    match bytes.get(self.i + 1) {
                        Some(b'\\') => out.push('\\'),
                        Some(b'"') => out.push('"'),
                        Some(b'n') => out.push('\n'),
                        Some(_) => {
                            // Keep the backslash; the next char is copied with the next run.
                            out.push('\\');
                            self.i += 1;
                            start = self.i;
                            continue;
                        }
                        None => return Err(LineError::Unterminated),
                    }
                    self.i += 2;
                    start = self.i;
                }
                _ => self.i += 1,
            }
        }
        Err(LineError::Unterminated)
    }
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b':'
}

fn is_label_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_label_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Shorten untrusted text quoted in an error.
fn excerpt(s: &str) -> String {
    let mut e: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        e.push('…');
    }
    e
}

fn sample_line(line: &str) -> Result<Sample, LineError> {
    let mut c = Cursor { s: line, i: 0 };
    let mut name = match c.peek() {
        Some(b) if is_name_start(b) => c.take_while(is_name_char).to_string(),
        // `{"utf8.name", label="x"} 1`: the name is the first bare string inside the braces.
        Some(b'{') => String::new(),
        _ => return Err(LineError::MetricName),
    };
    c.skip_blanks();
    let mut labels = Labels::new();
    if c.peek() == Some(b'{') {
        c.i += 1;
        label_set(&mut c, &mut name, &mut labels)?;
    }
    if name.is_empty() {
        return Err(LineError::MetricName);
    }
    c.skip_blanks();
    let token = c.take_while(|b| b != b' ' && b != b'\t');
    if token.is_empty() {
        return Err(LineError::MissingValue);
    }
    let value = parse_float(token).ok_or_else(|| LineError::Value(excerpt(token)))?;
    c.skip_blanks();
    if c.peek().is_some() && c.peek() != Some(b'#') {
        let ts = c.take_while(|b| b != b' ' && b != b'\t');
        // 0.0.4 timestamps are integer milliseconds; OpenMetrics' are float seconds.
        if parse_float(ts).is_none_or(|t| !t.is_finite()) {
            return Err(LineError::Timestamp(excerpt(ts)));
        }
        c.skip_blanks();
    }
    // What follows ` # ` is an OpenMetrics exemplar, which says nothing about totals.
    if c.peek().is_some() && c.peek() != Some(b'#') {
        return Err(LineError::Trailing(excerpt(c.rest())));
    }
    Ok(Sample {
        name,
        labels,
        value,
    })
}

/// The labels after `{`, up to and including `}`. A bare quoted string is the metric name
/// (Prometheus 3 UTF-8 syntax); a trailing comma is allowed.
fn label_set(c: &mut Cursor, name: &mut String, labels: &mut Labels) -> Result<(), LineError> {
    loop {
        c.skip_blanks();
        let key = match c.peek() {
            Some(b'}') => {
                c.i += 1;
                return Ok(());
            }
            Some(b'"') => {
                let s = c.quoted()?;
                c.skip_blanks();
                if c.peek() != Some(b'=') {
                    if !name.is_empty() {
                        return Err(LineError::ExpectedEquals(excerpt(&s)));
                    }
                    *name = s;
                    if !separator(c)? {
                        return Ok(());
                    }
                    continue;
                }
                s
            }
            Some(b) if is_label_start(b) => c.take_while(is_label_char).to_string(),
            _ => return Err(LineError::LabelName),
        };
        c.skip_blanks();
        if c.peek() != Some(b'=') {
            return Err(LineError::ExpectedEquals(excerpt(&key)));
        }
        c.i += 1;
        c.skip_blanks();
        if c.peek() != Some(b'"') {
            return Err(LineError::ExpectedQuote(excerpt(&key)));
        }
        let value = c.quoted()?;
        if labels.contains_key(&key) {
            return Err(LineError::DuplicateLabel(excerpt(&key)));
        }
        labels.insert(key, value);
        if !separator(c)? {
            return Ok(());
        }
    }
}

/// After a label: `,` (true: more may follow) or `}` (false: done).
fn separator(c: &mut Cursor) -> Result<bool, LineError> {
    c.skip_blanks();
    match c.peek() {
        Some(b',') => {
            c.i += 1;
            Ok(true)
        }
        Some(b'}') => {
            c.i += 1;
            Ok(false)
        }
        _ => Err(LineError::ExpectedSeparator),
    }
}

/// Go's `strconv.ParseFloat` spellings that matter here: decimals, exponents, `NaN`, `+Inf`,
/// `-Inf`. Rust's parser accepts those (case-insensitively) and nothing dangerous besides.
fn parse_float(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Shaped like otelcol-contrib 0.101's default :8888 output: service_* labels, no `_total`.
    const OTELCOL_0_101: &str = "\
# HELP otelcol_exporter_sent_spans Number of spans successfully sent to destination.
# TYPE otelcol_exporter_sent_spans counter
otelcol_exporter_sent_spans{exporter=\"otlp/jaeger\",service_instance_id=\"6f3b\",service_name=\"otelcol-contrib\",service_version=\"0.101.0\"} 1200

# HELP otelcol_receiver_accepted_spans Number of spans successfully pushed into the pipeline.
# TYPE otelcol_receiver_accepted_spans counter
otelcol_receiver_accepted_spans{receiver=\"otlp\",service_instance_id=\"6f3b\",service_name=\"otelcol-contrib\",service_version=\"0.101.0\",transport=\"grpc\"} 1250
";

    #[test]
    fn default_endpoint_shape() {
        let e = parse(OTELCOL_0_101, 100);
        assert_eq!(e.skipped, 0);
        assert_eq!(e.samples.len(), 2);
        assert_eq!(e.samples[0].name, "otelcol_exporter_sent_spans");
        assert_eq!(e.samples[0].labels["exporter"], "otlp/jaeger");
        assert_eq!(e.samples[1].labels["transport"], "grpc");
        assert_eq!(e.samples[1].value, 1250.0);
        assert_eq!(
            e.family_type("otelcol_receiver_accepted_spans"),
            Some(MetricType::Counter)
        );
    }

    #[test]
    fn openmetrics_extras_are_tolerated() {
        let text = "# TYPE otelcol_exporter_sent_spans counter\r\n\
# UNIT otelcol_exporter_sent_spans spans\r\n\
otelcol_exporter_sent_spans_total{exporter=\"otlp\"} 17 1732528800.123 # {trace_id=\"abc\"} 1 1732528800\r\n\
otelcol_exporter_sent_spans_created{exporter=\"otlp\"} 1732520000\r\n\
# EOF\r\n\
garbage after eof {{{\r\n";
        let e = parse(text, 100);
        assert_eq!(e.skipped, 0, "{:?}", e.errors);
        assert_eq!(e.samples.len(), 1);
        assert_eq!(e.samples[0].name, "otelcol_exporter_sent_spans_total");
        assert_eq!(e.samples[0].value, 17.0);
        assert_eq!(
            e.family_type("otelcol_exporter_sent_spans_total"),
            Some(MetricType::Counter)
        );
    }

    #[test]
    fn escapes_special_values_and_timestamps() {
        let text = r#"m{path="C:\\dir",msg="say \"hi\"\nbye",odd="\t"} NaN
m{a="1"} +Inf 1732528800000
m{a="2"} -Inf
m{a="3",} 1.5e3
  m	{ a = "4" }	 2
{"otelcol.receiver.accepted", receiver="otlp"} 3
"#;
        let e = parse(text, 100);
        assert_eq!(e.skipped, 0, "{:?}", e.errors);
        let s = &e.samples;
        assert_eq!(s[0].labels["path"], r"C:\dir");
        assert_eq!(s[0].labels["msg"], "say \"hi\"\nbye");
        assert_eq!(s[0].labels["odd"], r"\t");
        assert!(s[0].value.is_nan());
        assert_eq!(s[1].value, f64::INFINITY);
        assert_eq!(s[2].value, f64::NEG_INFINITY);
        assert_eq!(s[3].value, 1500.0);
        assert_eq!(s[4].labels, labels(&[("a", "4")]));
        assert_eq!(s[5].name, "otelcol.receiver.accepted");
        assert_eq!(s[5].labels, labels(&[("receiver", "otlp")]));
    }

    #[test]
    fn bad_lines_are_skipped_counted_and_located() {
        let text = "good 1\n\
bad{a=\"x} 1\n\
bad{a=\"x\" b=\"y\"} 1\n\
bad{a=\"x\",a=\"y\"} 1\n\
bad one\n\
bad 1 soon\n\
bad 1 2 3\n\
9bad 1\n\
bad{=\"x\"} 1\n\
bad\n\
# TYPE bad nonsense\n\
also_good{x=\"ü\"} 2\n";
        let e = parse(text, 100);
        assert_eq!(e.samples.len(), 2);
        assert_eq!(e.samples[1].labels["x"], "ü");
        assert_eq!(e.skipped, 10);
        let lines: Vec<usize> = e.errors.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_eq!(e.errors[0].error, LineError::Unterminated);
        assert_eq!(e.errors[2].error, LineError::DuplicateLabel("a".into()));
        assert_eq!(e.errors[3].to_string(), "line 5: invalid value \"one\"");
    }

    #[test]
    fn stops_after_max_samples() {
        let text = "a 1\nb 2\nc 3\n";
        let e = parse(text, 2);
        assert_eq!(e.samples.len(), 2);
        assert!(e.truncated);
        assert!(!parse(text, 3).truncated);
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let inputs = [
            "",
            "\n\n",
            "#",
            "# TYPE",
            "{",
            "{\"",
            "{\"\\",
            "a{",
            "a{b",
            "a{b=",
            "a{b=\"",
            "a{b=\"\\",
            "a{b=\"\\\"",
            "a }",
            "a{} ",
            "\u{feff}a 1",
            "a{\"x\"=\"y\"} 1",
            "a\u{0} 1",
            "é 1",
            "a{b=\"é\\é\"} 1",
            "{\"n\",\"m\"} 1",
            "a 1 # {",
            "a 1e999",
            "a 0x10",
        ];
        for input in inputs {
            let _ = parse(input, 10);
        }
        // Every prefix of a valid document.
        for end in 0..OTELCOL_0_101.len() {
            if OTELCOL_0_101.is_char_boundary(end) {
                let _ = parse(&OTELCOL_0_101[..end], 10);
            }
        }
        assert_eq!(parse("a 1e999", 10).samples[0].value, f64::INFINITY);
    }

    proptest::proptest! {
        /// Arbitrary text, and text built from the format's own tokens, never panics and never
        /// returns more than asked for.
        #[test]
        fn never_panics_on_arbitrary_text(text in "\\PC{0,200}", max in 0usize..5) {
            let e = parse(&text, max);
            proptest::prop_assert!(e.samples.len() <= max);
        }

        #[test]
        fn never_panics_on_near_valid_lines(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "m", "{", "}", "a", "=", "\"", "\\", ",", " ", "1", "NaN", "+Inf", "#",
                    "\n", "\r\n", "_total", "é", "# TYPE m counter\n", "# EOF", "\t",
                ]),
                0..40,
            ),
        ) {
            let text: String = parts.concat();
            let _ = parse(&text, 100);
        }
    }
}
