//! The one "now" of a run.
//!
//! Analysis never reads the system clock: `--at`, a replayed bundle's recorded time, or the wall
//! clock at start-up is resolved once in `settings` and handed down, so replays are exact.

use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    now: Timestamp,
}

impl Clock {
    pub fn fixed(now: Timestamp) -> Self {
        Clock { now }
    }

    /// The wall clock, read once. The only place that may call `Timestamp::now`.
    #[allow(clippy::disallowed_methods)]
    pub fn system() -> Self {
        Clock {
            now: Timestamp::now(),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }
}

/// Parse `--at`: RFC 3339 or unix seconds (integer or fractional).
pub fn parse_at(s: &str) -> Result<Timestamp, String> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<f64>() {
        let whole = secs.trunc() as i64;
        let nanos = ((secs - secs.trunc()) * 1e9).round() as i32;
        return Timestamp::new(whole, nanos).map_err(|e| format!("invalid unix time {s:?}: {e}"));
    }
    s.parse::<Timestamp>()
        .map_err(|e| format!("invalid time {s:?} (want RFC 3339 or unix seconds): {e}"))
}

/// Parse a Prometheus-style duration: `90s`, `5m`, `1h30m`, `7d`, `1w`, `250ms`.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    let mut total_ms: u128 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!(
                "invalid duration {s:?} (examples: 30s, 5m, 1h30m, 7d)"
            ));
        }
        let n: u128 = rest[..digits]
            .parse()
            .map_err(|_| format!("invalid duration {s:?}"))?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let ms = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "y" => 31_536_000_000,
            _ => {
                return Err(format!(
                    "invalid duration {s:?}: unknown unit {unit:?} (use ms, s, m, h, d, w, y)"
                ));
            }
        };
        total_ms = total_ms.saturating_add(n.saturating_mul(ms));
    }
    Ok(std::time::Duration::from_millis(
        total_ms.min(u64::MAX as u128) as u64,
    ))
}

/// A duration as Go's `time.ParseDuration` reads it, in the largest exact unit (`1500ms`, `2m`):
/// what Jaeger's `minDuration` and a TraceQL `duration` comparison take.
pub fn go_duration(d: std::time::Duration) -> String {
    let ns = d.as_nanos();
    if ns == 0 {
        return "0s".into();
    }
    for (unit, per) in [
        ("h", 3_600_000_000_000u128),
        ("m", 60_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
        ("us", 1_000),
    ] {
        if ns.is_multiple_of(per) {
            return format!("{}{unit}", ns / per);
        }
    }
    format!("{ns}ns")
}

/// Format a duration the way Prometheus writes it (`1h30m`, `5m`, `250ms`), for queries and reports.
pub fn format_duration(d: std::time::Duration) -> String {
    let mut ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [
        ("d", 86_400_000u128),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ] {
        if ms >= size {
            out.push_str(&format!("{}{}", ms / size, unit));
            ms %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_round_trip() {
        for (s, secs) in [("5m", 300), ("1h30m", 5400), ("7d", 604_800), ("90s", 90)] {
            assert_eq!(parse_duration(s).unwrap(), Duration::from_secs(secs));
        }
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn at_accepts_rfc3339_and_unix() {
        let a = parse_at("2026-11-25T10:00:00Z").unwrap();
        let b = parse_at("1795600800").unwrap();
        assert_eq!(a, b);
        assert!(parse_at("yesterday").is_err());
    }
}
