//! Disk usage per node and the cluster's disk watermarks, with the one rule that decides whether a
//! node is past one: pure data and functions, filled by `client.rs`.
//!
//! A watermark is a share of the disk used (`85%`, or the ratio `0.85`) or an amount of disk left
//! free (`50gb`); since Elasticsearch 8.5 a share may be capped by a `max_headroom` (`100GB`), so a
//! large disk is not "full" with terabytes free. Past the flood stage, Elasticsearch puts
//! `index.blocks.read_only_allow_delete` on every index with a shard on that node, which is why
//! Jaeger's writes start failing. Semantics:
//! <https://www.elastic.co/guide/en/elasticsearch/reference/current/modules-cluster.html#disk-based-shard-allocation>
//! (OpenSearch: the same settings, without `max_headroom`). Tests: below.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One row of `_cat/allocation`: a data node's disk. Values the node did not report are `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeDisk {
    pub node: String,
    pub host: Option<String>,
    pub ip: Option<String>,
    pub shards: Option<u64>,
    /// Bytes taken by the node's shards.
    pub indices_bytes: Option<u64>,
    pub used_bytes: Option<u64>,
    pub available_bytes: Option<u64>,
    pub total_bytes: Option<u64>,
    /// Used share of the disk, 0–100, as Elasticsearch rounds it.
    pub percent: Option<f64>,
}

impl NodeDisk {
    /// Free bytes: what the watermarks are measured against (Elasticsearch uses the available
    /// space, which excludes the filesystem's reserved blocks, not `total - used`).
    pub fn free_bytes(&self) -> Option<u64> {
        self.available_bytes.or_else(|| {
            self.total_bytes
                .zip(self.used_bytes)
                .map(|(t, u)| t.saturating_sub(u))
        })
    }

    /// Whether the node is past `level`; `None` when it did not report its disk.
    pub fn exceeds(&self, level: &WatermarkLevel) -> Option<bool> {
        let total = self.total_bytes?;
        let free = self.free_bytes()?;
        Some(free < level.required_free_bytes(total))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiskUsage {
    /// Data nodes, sorted by name.
    pub nodes: Vec<NodeDisk>,
    /// Shards assigned to no node (`_cat/allocation`'s `UNASSIGNED` row).
    pub unassigned_shards: u64,
    pub watermarks: Watermarks,
}

/// The effective watermarks (transient over persistent over defaults). `None` when the cluster
/// did not report one or its value did not parse.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Watermarks {
    pub low: Option<WatermarkLevel>,
    pub high: Option<WatermarkLevel>,
    pub flood_stage: Option<WatermarkLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatermarkLevel {
    /// The setting as the cluster returned it (`85%`, `0.85`, `50gb`).
    pub raw: String,
    pub threshold: Watermark,
    /// The cap on the free space a [`Watermark::UsedRatio`] asks for (`max_headroom`, ES ≥ 8.5);
    /// `None` when unset (`-1`) or unknown.
    pub max_headroom_bytes: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Watermark {
    /// Share of the disk used, 0.0–1.0 (`85%` and `0.85` are both 0.85).
    UsedRatio(f64),
    /// Bytes that must stay free.
    FreeBytes(u64),
}

impl WatermarkLevel {
    /// The free space below which a disk of `total` bytes is past this watermark.
    pub fn required_free_bytes(&self, total: u64) -> u64 {
        match self.threshold {
            Watermark::FreeBytes(b) => b,
            Watermark::UsedRatio(r) => {
                let by_ratio = (total as f64 * (1.0 - r)).max(0.0).ceil() as u64;
                self.max_headroom_bytes
                    .map_or(by_ratio, |cap| by_ratio.min(cap))
            }
        }
    }
}

const WATERMARK: &str = "cluster.routing.allocation.disk.watermark";

impl Watermarks {
    /// From flattened cluster settings (`cluster.routing.allocation.disk.watermark.low` → `85%`).
    pub(crate) fn from_settings(settings: &BTreeMap<String, String>) -> Watermarks {
        let level = |name: &str| {
            let raw = settings.get(&format!("{WATERMARK}.{name}"))?;
            Some(WatermarkLevel {
                raw: raw.clone(),
                threshold: parse_watermark(raw)?,
                max_headroom_bytes: settings
                    .get(&format!("{WATERMARK}.{name}.max_headroom"))
                    .and_then(|h| parse_byte_size(h)),
            })
        };
        Watermarks {
            low: level("low"),
            high: level("high"),
            flood_stage: level("flood_stage"),
        }
    }
}

/// `85%`, `85.5%`, `0.85` (a ratio), or a byte size (`500mb`), as Elasticsearch's
/// `RelativeByteSizeValue` reads them: a ratio first, else bytes.
pub fn parse_watermark(raw: &str) -> Option<Watermark> {
    let s = raw.trim();
    if let Some(pct) = s.strip_suffix('%') {
        let p: f64 = pct.trim().parse().ok()?;
        return (0.0..=100.0)
            .contains(&p)
            .then_some(Watermark::UsedRatio(p / 100.0));
    }
    if let Ok(r) = s.parse::<f64>()
        && (0.0..=1.0).contains(&r)
    {
        return Some(Watermark::UsedRatio(r));
    }
    parse_byte_size(s).map(Watermark::FreeBytes)
}

/// An Elasticsearch byte size (`ByteSizeValue`): a number with a case-insensitive unit `b`, `k`/`kb`,
/// `m`/`mb`, `g`/`gb`, `t`/`tb` or `p`/`pb` (binary multiples), or a bare `0`. `-1` ("unbounded")
/// and anything else give `None`.
pub fn parse_byte_size(raw: &str) -> Option<u64> {
    let s = raw.trim().to_ascii_lowercase();
    if s == "0" {
        return Some(0);
    }
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = s.split_at(split);
    let shift = match unit {
        "b" => 0,
        "k" | "kb" => 10,
        "m" | "mb" => 20,
        "g" | "gb" => 30,
        "t" | "tb" => 40,
        "p" | "pb" => 50,
        _ => return None,
    };
    let n: f64 = number.trim().parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let bytes = n * (1u64 << shift) as f64;
    (bytes < u64::MAX as f64).then_some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GB: u64 = 1 << 30;

    #[test]
    fn watermark_values() {
        assert_eq!(parse_watermark("85%"), Some(Watermark::UsedRatio(0.85)));
        assert_eq!(parse_watermark("0.9"), Some(Watermark::UsedRatio(0.9)));
        assert_eq!(parse_watermark("97.5%"), Some(Watermark::UsedRatio(0.975)));
        assert_eq!(
            parse_watermark("500mb"),
            Some(Watermark::FreeBytes(500 << 20))
        );
        assert_eq!(
            parse_watermark("100GB"),
            Some(Watermark::FreeBytes(100 * GB))
        );
        assert_eq!(parse_watermark("0"), Some(Watermark::UsedRatio(0.0)));
        for bad in ["", "150%", "2", "-1", "ten", "5xb", "%"] {
            assert_eq!(parse_watermark(bad), None, "{bad:?}");
        }
        assert_eq!(parse_byte_size("1.5gb"), Some(GB + GB / 2));
        assert_eq!(parse_byte_size("20GB"), Some(20 * GB));
        assert_eq!(parse_byte_size("-1"), None);
        assert_eq!(parse_byte_size("12"), None);
    }

    fn node(total: u64, avail: u64) -> NodeDisk {
        NodeDisk {
            node: "es-data-0".into(),
            host: None,
            ip: None,
            shards: Some(3),
            indices_bytes: None,
            used_bytes: Some(total - avail),
            available_bytes: Some(avail),
            total_bytes: Some(total),
            percent: None,
        }
    }

    fn level(raw: &str, headroom: Option<u64>) -> WatermarkLevel {
        WatermarkLevel {
            raw: raw.into(),
            threshold: parse_watermark(raw).unwrap(),
            max_headroom_bytes: headroom,
        }
    }

    #[test]
    fn exceeding_a_watermark() {
        let flood = level("95%", None);
        assert_eq!(node(100 * GB, 4 * GB).exceeds(&flood), Some(true));
        assert_eq!(node(100 * GB, 6 * GB).exceeds(&flood), Some(false));
        // A 10 TiB disk at 96% still has 400 GiB free: under a 100 GiB headroom, not flooded.
        let capped = level("95%", Some(100 * GB));
        assert_eq!(node(10_240 * GB, 400 * GB).exceeds(&capped), Some(false));
        assert_eq!(node(10_240 * GB, 99 * GB).exceeds(&capped), Some(true));
        let bytes = level("10gb", None);
        assert_eq!(node(100 * GB, 9 * GB).exceeds(&bytes), Some(true));
        assert_eq!(node(100 * GB, 11 * GB).exceeds(&bytes), Some(false));
        let mut unknown = node(GB, GB);
        unknown.total_bytes = None;
        assert_eq!(unknown.exceeds(&bytes), None);
    }

    #[test]
    fn from_flattened_settings() {
        let s: BTreeMap<String, String> = [
            ("low", "85%"),
            ("low.max_headroom", "200GB"),
            ("high", "0.9"),
            ("high.max_headroom", "-1"),
            ("flood_stage", "not a size"),
        ]
        .into_iter()
        .map(|(k, v)| (format!("{WATERMARK}.{k}"), v.to_string()))
        .collect();
        let w = Watermarks::from_settings(&s);
        assert_eq!(w.low, Some(level("85%", Some(200 * GB))));
        assert_eq!(w.high, Some(level("0.9", None)));
        assert_eq!(w.flood_stage, None);
    }
}
