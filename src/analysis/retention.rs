//! Elasticsearch index retention for `tracectl maintain storage --retention-days N`: which of
//! Jaeger's indices a run deletes, and which of the kept ones are worth force-merging.
//!
//! Pure: [`plan`] takes the indices the cluster reported ([`IndexStat`], from
//! [`IndexInfo`] plus the rollover write alias), a [`Policy`] and the run's `now`, and returns a
//! [`Decision`] with a one-line reason for every index, deleted or kept, sorted by name;
//! [`deletion_totals`] sums what would go and [`forcemerge_candidates`] picks from what stays.
//! Not here: listing, deleting or merging anything, asking for confirmation, or printing the plan
//! (the storage command and the Elasticsearch client do those).
//!
//! Only names Jaeger itself writes for the policy's prefix and kinds can be deleted: daily
//! `[prefix-]jaeger-<kind>-YYYY-MM-DD` (judged by the date in the name, a UTC day, because that
//! is the day of the spans in it; a reindexed, shrunk or re-created index has a new creation
//! date) and rollover `[prefix-]jaeger-<kind>-NNNNNN` (no date in the name, so judged by its
//! creation date in UTC). Everything else (aliases, archive indices, other date layouts, system
//! indices, look-alikes) is kept, whatever its age. Deleted means strictly older than the cutoff,
//! today (UTC) minus `retention_days`; never today's index; never one of the newest `keep_last`
//! of its series, so a stopped writer or a wrong clock cannot empty a series; and never a rollover
//! series' write index, nor its highest generation (without alias information that one is where
//! Jaeger writes, and deleting a write alias's index makes the next bulk request auto-create a
//! plain index under the alias's name).
//!
//! Why not the runbook's one-liner (`curl -X DELETE …/jaeger-span-$(date -d '30 days ago'
//! +%Y-%m-%d)`): `date` reads the local time zone while Jaeger names indices by UTC day, it
//! deletes exactly one day (a skipped cron run keeps that day forever), and it ignores the
//! service and dependencies indices and any prefix; its `_forcemerge` on every index includes
//! the one being written. Jaeger's own `es-index-cleaner` (`cmd/es-index-cleaner`) judges every
//! index by creation date with a cutoff of tomorrow's midnight minus N days, and skips indices
//! behind a `*-write` alias; the cutoff here keeps one more day than that, on purpose, so that
//! `--retention-days 30` keeps 30 whole days besides today's partial one.
//!
//! Tests: below (a month of indices around a UTC midnight, look-alike names, rollover; property
//! tests that every deletion is allowed and every allowed deletion happens).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use serde::Serialize;

use crate::model::storage::{IndexInfo, JaegerIndex, jaeger_index_pattern, parse_jaeger_index};

/// One index as retention sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexStat {
    pub name: String,
    /// `None` for a closed index (Elasticsearch reports no count for it).
    pub docs: Option<u64>,
    pub size_bytes: Option<u64>,
    pub creation: Option<Timestamp>,
    /// A rollover write alias (`[prefix-]jaeger-<kind>-write`) points at this index.
    /// `From<&IndexInfo>` leaves it false: `_cat/indices` does not say; the caller sets it from
    /// the aliases.
    pub write_index: bool,
}

impl From<&IndexInfo> for IndexStat {
    fn from(info: &IndexInfo) -> Self {
        IndexStat {
            name: info.name.clone(),
            docs: info.docs_count,
            size_bytes: info.store_size_bytes,
            creation: info.creation_date,
            write_index: false,
        }
    }
}

/// What a run may delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Jaeger's `--es.index-prefix`; `None` and `Some("")` both mean none, `"prod"` and
    /// `"prod-"` are the same prefix (Jaeger adds the `-` only when it is missing).
    pub prefix: Option<String>,
    pub retention_days: u32,
    /// The newest this many indices of each series are kept, however old.
    pub keep_last: u32,
    pub kinds: Vec<JaegerIndex>,
}

impl Policy {
    /// Sampling indices hold adaptive-sampling state, not traces: only when asked.
    pub const DEFAULT_KINDS: [JaegerIndex; 3] = [
        JaegerIndex::Span,
        JaegerIndex::Service,
        JaegerIndex::Dependencies,
    ];

    /// A policy over [`Policy::DEFAULT_KINDS`].
    pub fn new(prefix: Option<String>, retention_days: u32, keep_last: u32) -> Policy {
        Policy {
            prefix,
            retention_days,
            keep_last,
            kinds: Policy::DEFAULT_KINDS.to_vec(),
        }
    }

    /// Of this policy's prefix and kinds. Compared through the pattern Jaeger's own naming
    /// gives, so `"prod"`/`"prod-"` and `None`/`""` agree, and a prefix that is not a valid name
    /// (`"Prod"`, `"prod*"`) matches nothing rather than more.
    pub fn covers(&self, name: &JaegerName) -> bool {
        self.kinds.contains(&name.kind)
            && jaeger_index_pattern(self.prefix.as_deref(), name.kind)
                == jaeger_index_pattern(name.prefix.as_deref(), name.kind)
    }
}

/// How a Jaeger index is named: by day, or by rollover generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "layout", rename_all = "snake_case")]
pub enum Layout {
    Daily { day: Date },
    Rollover { generation: u32 },
}

/// A name Jaeger writes: `[prefix-]jaeger-<kind>-YYYY-MM-DD` or `[prefix-]jaeger-<kind>-NNNNNN`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JaegerName {
    /// As [`parse_jaeger_index`] returns it: without the joining `-`.
    pub prefix: Option<String>,
    pub kind: JaegerIndex,
    #[serde(flatten)]
    pub layout: Layout,
}

impl JaegerName {
    /// `Some` only for a name Jaeger's naming gives exactly (a round trip, as in
    /// [`parse_jaeger_index`]); rollover generations are six digits, as Elasticsearch's rollover
    /// numbers them.
    pub fn parse(name: &str) -> Option<JaegerName> {
        if let Some((prefix, kind, day)) = parse_jaeger_index(name) {
            return Some(JaegerName {
                prefix,
                kind,
                layout: Layout::Daily { day },
            });
        }
        let (base, digits) = name.rsplit_once('-')?;
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let generation = digits.parse().ok()?;
        // The base is exactly a daily name without its date, so the daily parser, round trip
        // included, decides it; any day will do.
        let (prefix, kind, _) = parse_jaeger_index(&format!("{base}-2000-01-01"))?;
        Some(JaegerName {
            prefix,
            kind,
            layout: Layout::Rollover { generation },
        })
    }

    /// `prod-jaeger-span` for a daily series, `prod-jaeger-span-NNNNNN` for a rollover one: the
    /// two are separate series even with the same prefix and kind.
    pub fn series(&self) -> String {
        let pattern = jaeger_index_pattern(self.prefix.as_deref(), self.kind);
        let base = pattern.strip_suffix("-*").unwrap_or(&pattern);
        match self.layout {
            Layout::Daily { .. } => base.to_string(),
            Layout::Rollover { .. } => format!("{base}-NNNNNN"),
        }
    }
}

/// Delete or keep, and why, in one short line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Verdict {
    Delete { reason: String },
    Keep { reason: String },
}

impl Verdict {
    pub fn is_delete(&self) -> bool {
        matches!(self, Verdict::Delete { .. })
    }

    pub fn reason(&self) -> &str {
        match self {
            Verdict::Delete { reason } | Verdict::Keep { reason } => reason,
        }
    }
}

/// One input index and what happens to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub index: IndexStat,
    /// The name as Jaeger's, when it is one (of any prefix and kind).
    pub jaeger: Option<JaegerName>,
    /// Of the policy's prefix and kinds: only these are ever deleted.
    pub in_policy: bool,
    /// The day judged: the name's for a daily index, the creation day (UTC) for a rollover one.
    pub day: Option<Date>,
    /// Whole days from `day` to today (UTC); negative for a day in the future.
    pub age_days: Option<i64>,
    pub verdict: Verdict,
}

/// What the deletions of a plan add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub indices: usize,
    /// Sum of the known sizes; `unknown_size` more indices reported none (closed).
    pub bytes: u64,
    pub docs: u64,
    pub unknown_size: usize,
    pub unknown_docs: usize,
}

/// Today's date in UTC: the day Jaeger writes into.
pub fn utc_day(now: Timestamp) -> Date {
    TimeZone::UTC.to_datetime(now).date()
}

/// The first day kept for age: today (UTC) minus `retention_days`. `None` when that is before the
/// calendar's start, so that nothing is old enough.
pub fn cutoff_day(now: Timestamp, retention_days: u32) -> Option<Date> {
    let back = Span::new().try_days(i64::from(retention_days)).ok()?;
    utc_day(now).checked_sub(back).ok()
}

/// Decides every index in `indices`; the result has one [`Decision`] per input, sorted by name.
pub fn plan(indices: &[IndexStat], policy: &Policy, now: Timestamp) -> Vec<Decision> {
    let today = utc_day(now);
    let cutoff = cutoff_day(now, policy.retention_days);
    let parsed: Vec<(&IndexStat, Option<JaegerName>)> = indices
        .iter()
        .map(|ix| (ix, JaegerName::parse(&ix.name)))
        .collect();

    // Only days up to today count toward keep_last: an index dated in the future (a skewed
    // client clock) is kept anyway and must not push a real one out of the newest N.
    let mut days: BTreeMap<JaegerIndex, BTreeSet<Date>> = BTreeMap::new();
    let mut generations: BTreeMap<JaegerIndex, BTreeSet<u32>> = BTreeMap::new();
    for (_, name) in &parsed {
        let Some(name) = name.as_ref().filter(|n| policy.covers(n)) else {
            continue;
        };
        match name.layout {
            Layout::Daily { day } if day <= today => {
                days.entry(name.kind).or_default().insert(day);
            }
            Layout::Daily { .. } => {}
            Layout::Rollover { generation } => {
                generations.entry(name.kind).or_default().insert(generation);
            }
        }
    }
    let ctx = Judge {
        policy,
        today,
        cutoff,
        days,
        generations,
    };

    let mut out: Vec<Decision> = parsed
        .into_iter()
        .map(|(ix, jaeger)| ctx.decide(ix, jaeger))
        .collect();
    out.sort_by(|a, b| a.index.name.cmp(&b.index.name));
    out
}

struct Judge<'a> {
    policy: &'a Policy,
    today: Date,
    cutoff: Option<Date>,
    days: BTreeMap<JaegerIndex, BTreeSet<Date>>,
    generations: BTreeMap<JaegerIndex, BTreeSet<u32>>,
}

impl Judge<'_> {
    fn decide(&self, ix: &IndexStat, jaeger: Option<JaegerName>) -> Decision {
        let day = jaeger.as_ref().and_then(|j| match j.layout {
            Layout::Daily { day } => Some(day),
            Layout::Rollover { .. } => ix.creation.map(utc_day),
        });
        // Whole days between two dates always fit a span: the subtraction cannot fail.
        let age_days = day.map(|d| i64::from((self.today - d).get_days()));
        let in_policy = jaeger.as_ref().is_some_and(|j| self.policy.covers(j));
        let verdict = match &jaeger {
            None => keep("not a Jaeger index"),
            Some(j) if !in_policy => {
                if self.policy.kinds.contains(&j.kind) {
                    keep("not a Jaeger index of this prefix")
                } else {
                    keep(format!("{} indices not selected", j.kind.base()))
                }
            }
            Some(j) => match (j.layout, day.zip(age_days)) {
                (Layout::Daily { .. }, Some((day, age))) => self.daily(j, day, age),
                (Layout::Rollover { generation }, created) => {
                    self.rollover(ix, j, generation, created)
                }
                // A daily name always has its day.
                (Layout::Daily { .. }, None) => keep("no date"),
            },
        };
        Decision {
            index: ix.clone(),
            jaeger,
            in_policy,
            day,
            age_days,
            verdict,
        }
    }

    fn daily(&self, name: &JaegerName, day: Date, age: i64) -> Verdict {
        let aged = format!(
            "{day} is {} old, retention {}",
            days(age),
            days(self.policy.retention_days.into())
        );
        if day == self.today {
            keep("today's index")
        } else if day > self.today {
            keep(format!(
                "{day} is in the future (today is {} UTC)",
                self.today
            ))
        } else if !self.past_cutoff(day) {
            keep(aged)
        } else if newest(self.days.get(&name.kind), &day, self.policy.keep_last) {
            keep(self.newest_reason(name))
        } else {
            Verdict::Delete { reason: aged }
        }
    }

    fn rollover(
        &self,
        ix: &IndexStat,
        name: &JaegerName,
        generation: u32,
        created: Option<(Date, i64)>,
    ) -> Verdict {
        let series = self.generations.get(&name.kind);
        if ix.write_index {
            return keep("write index of the rollover alias");
        }
        if series.and_then(|s| s.last()) == Some(&generation) {
            return keep(format!(
                "newest of {}: the write alias's unless told otherwise",
                name.series()
            ));
        }
        let Some((day, age)) = created else {
            return keep("no creation date");
        };
        let aged = format!(
            "created {day}, {} old, retention {}",
            days(age),
            days(self.policy.retention_days.into())
        );
        if day == self.today {
            keep("created today")
        } else if day > self.today {
            keep(format!(
                "created in the future ({day}, today is {} UTC)",
                self.today
            ))
        } else if !self.past_cutoff(day) {
            keep(aged)
        } else if newest(series, &generation, self.policy.keep_last) {
            keep(self.newest_reason(name))
        } else {
            Verdict::Delete { reason: aged }
        }
    }

    /// Strictly older than the cutoff; with no cutoff (retention beyond the calendar), nothing is.
    fn past_cutoff(&self, day: Date) -> bool {
        self.cutoff.is_some_and(|c| day < c)
    }

    fn newest_reason(&self, name: &JaegerName) -> String {
        format!(
            "one of the newest {} of {}",
            self.policy.keep_last,
            name.series()
        )
    }
}

/// Whether `x` is among the newest `keep` distinct values of `series`.
fn newest<T: Ord>(series: Option<&BTreeSet<T>>, x: &T, keep: u32) -> bool {
    let Some(series) = series else {
        return keep > 0;
    };
    match (keep as usize).checked_sub(1) {
        None => false,
        Some(n) => series.iter().rev().nth(n).is_none_or(|floor| x >= floor),
    }
}

fn keep(reason: impl Into<String>) -> Verdict {
    Verdict::Keep {
        reason: reason.into(),
    }
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// Count, bytes and documents of the indices `decisions` delete.
pub fn deletion_totals(decisions: &[Decision]) -> Totals {
    decisions
        .iter()
        .filter(|d| d.verdict.is_delete())
        .fold(Totals::default(), |mut t, d| {
            t.indices += 1;
            match d.index.size_bytes {
                Some(b) => t.bytes = t.bytes.saturating_add(b),
                None => t.unknown_size += 1,
            }
            match d.index.docs {
                Some(n) => t.docs = t.docs.saturating_add(n),
                None => t.unknown_docs += 1,
            }
            t
        })
}

/// The minimum age [`forcemerge_candidates`] uses when given none: yesterday's index and older.
pub const DEFAULT_FORCEMERGE_MIN_AGE_DAYS: u32 = 1;

/// The kept indices of the policy that are no longer written, so merging them down to few
/// segments saves disk and heap once and stays merged: a daily index whose day (UTC) is at least
/// `min_age_days` (default 1, and never less) before today, since Jaeger picks the index by the
/// span's start time and so stops writing a day's index when the day ends, give or take spans
/// still in flight at midnight (a late document after a merge only makes a small new segment);
/// and a rollover index that is neither the write alias's index nor its series' highest
/// generation (rolled over, hence read-only in practice), created at least `min_age_days` ago.
/// Today's, future-dated, deleted and out-of-policy indices never are. Whether an index is open
/// is not known here: the caller skips closed ones (no doc count) or lets the call fail.
pub fn forcemerge_candidates(decisions: &[Decision], min_age_days: Option<u32>) -> Vec<&Decision> {
    let min_age = i64::from(
        min_age_days
            .unwrap_or(DEFAULT_FORCEMERGE_MIN_AGE_DAYS)
            .max(1),
    );
    let mut highest: BTreeMap<String, u32> = BTreeMap::new();
    for d in decisions {
        if let Some(j) = d.jaeger.as_ref().filter(|_| d.in_policy)
            && let Layout::Rollover { generation } = j.layout
        {
            let top = highest.entry(j.series()).or_insert(generation);
            *top = (*top).max(generation);
        }
    }
    decisions
        .iter()
        .filter(|d| d.in_policy && !d.verdict.is_delete())
        .filter(|d| d.age_days.is_some_and(|age| age >= min_age))
        .filter(|d| match d.jaeger.as_ref().map(|j| (j, j.layout)) {
            Some((_, Layout::Daily { .. })) => true,
            Some((j, Layout::Rollover { generation })) => {
                !d.index.write_index && highest.get(&j.series()) != Some(&generation)
            }
            None => false,
        })
        .collect()
}

#[cfg(test)]
mod tests;
