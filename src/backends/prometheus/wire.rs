//! Prometheus' JSON envelope, privately: `{"status", "data": {"resultType", "result"},
//! "errorType", "error", "warnings", "infos"}`. Tolerant of unknown fields (Thanos adds
//! `analysis`); sample values arrive as strings ("NaN", "+Inf" included).

use serde::Deserialize;

use super::Labels;

#[derive(Debug, Deserialize)]
pub(super) struct Envelope<T> {
    pub status: String,
    pub data: Option<T>,
    #[serde(rename = "errorType", default)]
    pub error_type: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub warnings: Vec<String>,
    #[serde(default)]
    pub infos: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
pub(super) enum Data {
    Vector(Vec<VectorSample>),
    Matrix(Vec<MatrixSeries>),
    Scalar(Point),
    String((f64, String)),
}

#[derive(Debug, Deserialize)]
pub(super) struct VectorSample {
    #[serde(default)]
    pub metric: Labels,
    pub value: Option<Point>,
}

#[derive(Debug, Deserialize)]
pub(super) struct MatrixSeries {
    #[serde(default)]
    pub metric: Labels,
    #[serde(default)]
    pub values: Vec<Point>,
}

/// `[1435781451.781, "1"]`
#[derive(Debug, Deserialize)]
pub(super) struct Point(pub f64, pub String);

#[derive(Debug, Deserialize)]
pub(super) struct BuildInfo {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub revision: String,
}

pub(super) fn parse_value(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}
