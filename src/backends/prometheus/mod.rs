//! Prometheus HTTP API (and compatible: Thanos Query, Mimir, VictoriaMetrics).
//!
//! Endpoints: `GET|POST /api/v1/query` and `/api/v1/query_range` (PromQL, see
//! <https://prometheus.io/docs/prometheus/latest/querying/api/>), `GET /-/ready`, `GET
//! /api/v1/status/buildinfo`. Long queries go as a POST form, which Prometheus accepts for the same
//! endpoints. Results are typed ([`Value`]); `warnings` (and Thanos' partial responses, which
//! arrive as warnings) are kept beside them; API errors keep Prometheus' `errorType`.
//!
//! Why not the `prometheus-http-query` crate: it owns its reqwest client, and every backend here
//! must sit on the one [`crate::transport`] so it can be recorded and replayed.
//! Tests: `client.rs` unit tests, and `tests/it/prometheus.rs` against a real Prometheus.

mod client;
mod wire;

use std::collections::BTreeMap;

pub use client::PrometheusClient;

pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub labels: Labels,
    /// Unix seconds.
    pub at: f64,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: Labels,
    /// (unix seconds, value), in time order.
    pub points: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Vector(Vec<Sample>),
    Matrix(Vec<Series>),
    Scalar { at: f64, value: f64 },
    String { at: f64, value: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    pub value: Value,
    pub warnings: Vec<String>,
}

impl QueryResult {
    /// The samples of a vector result (a scalar becomes one unlabelled sample).
    pub fn samples(&self) -> Vec<Sample> {
        match &self.value {
            Value::Vector(v) => v.clone(),
            Value::Scalar { at, value } => vec![Sample {
                labels: Labels::new(),
                at: *at,
                value: *value,
            }],
            _ => Vec::new(),
        }
    }

    pub fn series(&self) -> Vec<Series> {
        match &self.value {
            Value::Matrix(m) => m.clone(),
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BuildInfo {
    pub version: String,
    pub revision: String,
}
