//! The one set of unit formatters — percentages, durations, bytes and rates — that findings,
//! reports and renderers write numbers with, so one value reads the same in every runbook.
//!
//! Analysis may import it (it imports model, report and runbook only); renderers use it too. Not
//! here: PromQL number and duration literals (`crate::promql`, `crate::clock`), which must be what
//! Prometheus parses rather than what a human reads. Tests: below.

/// A share as a percentage: whole percents, one decimal below 1% so a small loss or a sampling
/// rate of 0.1% does not read as 0%. `0.25` → `25%`, `0.004` → `0.4%`, `0` → `0%`.
pub fn percent(v: f64) -> String {
    percent_fine(v, 0.01, 1)
}

/// A share as a percentage with `decimals` when it is non-zero and smaller than `fine_below`
/// (a share too): error ratios and rollout comparisons need more precision than `percent`.
pub fn percent_fine(v: f64, fine_below: f64, decimals: usize) -> String {
    if v != 0.0 && v.abs() < fine_below {
        format!("{:.*}%", decimals, v * 100.0)
    } else {
        format!("{:.0}%", v * 100.0)
    }
}

/// A share as a percentage with one decimal, zero included (`0.0%`, `12.5%`): rates compared
/// against thresholds given to a tenth of a percent.
pub fn percent_tenths(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// A share as the percentage number a config file writes (no `%`, at most three decimals):
/// `0.1` → `10`, `0.001` → `0.1`.
pub fn percent_number(v: f64) -> String {
    let p = (v * 100.0 * 1000.0).round() / 1000.0;
    format!("{p}")
}

/// Seconds at a glance: `12.3s`, `1.50s`, `250ms`.
pub fn seconds(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.1}s")
    } else if v >= 1.0 {
        format!("{v:.2}s")
    } else {
        format!("{:.0}ms", v * 1000.0)
    }
}

/// Milliseconds a step took: `120 ms`, `1.5 s`.
pub fn duration_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// A span of time in the flags' words (`5m`, `1h30m`), rounded up to the second.
pub fn duration_words(seconds: f64) -> String {
    crate::clock::format_duration(std::time::Duration::from_secs(
        seconds.max(0.0).ceil() as u64
    ))
}

/// Bytes in binary units: `512 B`, `1.5 KiB`, `2.0 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// A rate with two or three significant digits: `1234`, `12.3`, `0.12`, `0.004` (the caller
/// adds the unit: `spans/s`, `/s`).
pub fn rate(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 0.1 || v == 0.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// Replace control characters (other than newline and tab) with U+FFFD. Report text carries
/// strings from backends (error bodies, label values); printed raw, an ESC in one of them could
/// recolour or rewrite the operator's terminal, and it would break the "no escape codes without
/// colour" promise.
pub fn strip_controls(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(percent(0.25), "25%");
        assert_eq!(percent(0.004), "0.4%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent_fine(0.004, 0.1, 2), "0.40%");
        assert_eq!(percent_fine(0.5, 0.1, 2), "50%");
        assert_eq!(percent_number(0.1), "10");
        assert_eq!(percent_number(0.001), "0.1");
    }

    #[test]
    fn durations() {
        assert_eq!(seconds(12.34), "12.3s");
        assert_eq!(seconds(1.5), "1.50s");
        assert_eq!(seconds(0.25), "250ms");
        assert_eq!(duration_ms(120), "120 ms");
        assert_eq!(duration_ms(1500), "1.5 s");
        assert_eq!(duration_words(90.2), "1m31s");
    }

    #[test]
    fn bytes_and_rates() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(2 * 1024 * 1024 * 1024), "2.0 GiB");
        assert_eq!(rate(1234.5), "1234");
        assert_eq!(rate(12.34), "12.3");
        assert_eq!(rate(0.123), "0.12");
        assert_eq!(rate(0.0042), "0.004");
        assert_eq!(rate(0.0), "0.00");
    }
}
