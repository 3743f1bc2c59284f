//! The serde shapes of Jaeger's metrics API answers (`/api/metrics/*`), private to this module,
//! tolerant of fields they do not name, and [`read_answer`] turning an answer into
//! [`JaegerMetrics`]. Tests: below.

use serde::Deserialize;

use super::JaegerMetrics;

/// `MetricFamily` as `/api/metrics/*` answers it (`docker-compose/monitor/README.md`).
#[derive(Debug, Deserialize)]
struct MetricFamily {
    #[serde(default)]
    metrics: Vec<Metric>,
}

#[derive(Debug, Deserialize)]
struct Metric {
    #[serde(default, rename = "metricPoints")]
    metric_points: Vec<serde_json::Value>,
}

/// Jaeger's error envelope: `{"data":null,"errors":[{"code":501,"msg":"..."}]}`.
#[derive(Debug, Deserialize)]
struct ErrorEnvelope {
    #[serde(default)]
    errors: Option<Vec<ErrorItem>>,
}

#[derive(Debug, Deserialize)]
struct ErrorItem {
    #[serde(default)]
    msg: String,
}

/// Read an answer of `/api/metrics/calls` for `service`.
pub(super) fn read_answer(status: u16, body: &[u8], service: &str) -> JaegerMetrics {
    let msg = || {
        serde_json::from_slice::<ErrorEnvelope>(body)
            .ok()
            .and_then(|e| e.errors)
            .and_then(|e| e.into_iter().next())
            .map(|e| e.msg)
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| {
                String::from_utf8_lossy(&body[..body.len().min(200)])
                    .trim()
                    .to_string()
            })
    };
    match status {
        200..=299 => match serde_json::from_slice::<MetricFamily>(body) {
            Ok(f) => JaegerMetrics::Answered {
                service: service.to_string(),
                series: f
                    .metrics
                    .iter()
                    .filter(|m| !m.metric_points.is_empty())
                    .count(),
            },
            Err(e) => JaegerMetrics::Failed(format!("not a metrics answer: {e}")),
        },
        404 => JaegerMetrics::NotServed,
        405 | 501 => JaegerMetrics::Disabled(msg()),
        _ if msg().contains("disabled") => JaegerMetrics::Disabled(msg()),
        code => JaegerMetrics::Failed(format!("HTTP {code}: {}", msg())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaeger_answers_are_read() {
        assert_eq!(
            read_answer(
                200,
                br#"{"name":"service_call_rate","type":"GAUGE","help":"calls/sec, grouped by service","metrics":[{"labels":[{"name":"service_name","value":"driver"}],"metricPoints":[{"gaugeValue":{"doubleValue":0.0058},"timestamp":"2021-06-03T09:12:06Z"}]}]}"#,
                "driver"
            ),
            JaegerMetrics::Answered { service: "driver".into(), series: 1 }
        );
        // Jaeger's reference error envelope.
        let disabled = br#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":501,"msg":"trace metrics are currently disabled - no metrics backend configured"}]}"#;
        assert!(
            matches!(read_answer(501, disabled, "x"), JaegerMetrics::Disabled(m) if m.contains("no metrics backend"))
        );
        assert_eq!(
            read_answer(404, b"404 page not found", "x"),
            JaegerMetrics::NotServed
        );
        assert!(matches!(
            read_answer(500, br#"{"errors":[{"code":500,"msg":"failed executing metrics query: connection refused"}]}"#, "x"),
            JaegerMetrics::Failed(m) if m.contains("connection refused")
        ));
    }
}
