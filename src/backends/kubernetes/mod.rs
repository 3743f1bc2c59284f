//! Kubernetes (being written).
