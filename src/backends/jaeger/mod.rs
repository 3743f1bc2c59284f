//! Jaeger query API (being written).
