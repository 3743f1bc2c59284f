//! Trace analysis (being written).
