//! The `sampling` step: each service's sampled ratio (mcp's `mcp_spans_sampled_total` over
//! `mcp_spans_total`), asked of Prometheus for the services off their policy only (issue 19:
//! the answer is the offenders, whatever the fleet's size).
//!
//! The policy is written into the query as bands ([`crate::analysis::dataloss::Bands`], the
//! judgement's own): per band of named services one comparison over
//! `service_name=~"a|b|c"` (`off_policy`), and the default tier's band over every other service,
//! `service_name!~"<every named service>"` (`off_policy_default`), joined by `or`. Matchers
//! rather than `unless`/`or` between whole-fleet vectors or a vector of expected ratios built
//! with `label_replace`: each service's ratio is then computed once per comparison, for its own
//! band only, and Prometheus selects the named services by its postings index. The bounds are
//! the judgement's `f64`s printed exactly, so the answer holds exactly the ratios
//! `sampling_misconfigured` flags and the findings are the ones a read of every service gave.
//! Per-operation strategies are judged on the service's overall ratio against the range of its
//! operations' rates, a band like any other: nothing here compares per operation.
//!
//! The policy comes from the `config` step (the sampling ConfigMap, the Collector's samplers or
//! the Deployments' SDK environment), so this step waits for it: a second round. A context's
//! `sampling:` block states it up front, and then nothing is waited for. A runbook file without
//! the two push-down queries (an override written before them) falls back to `sampled_ratio`,
//! every service's ratio, and the step's warning says so. Tests: `tests/it/dataloss/sampling.rs`.

use super::{Run, steps, warn};
use crate::analysis::dataloss::{Bands, Rates};
use crate::investigate::StepError;
use crate::promql::Value;
use crate::runbook::Profile;

/// The queries the push-down needs, both for the active profile.
const OFF_POLICY: [&str; 2] = ["off_policy", "off_policy_default"];

pub(super) async fn run(run: &Run<'_>) -> Option<Rates> {
    let ctx = &run.ctx;
    let settings = ctx.settings;
    let per_service = ctx.query("sampling", "sampled_ratio", &[]);
    if settings.profile != Profile::Mcp {
        let shown = per_service.iter().cloned().collect();
        return ctx
            .step("sampling", shown, async {
                Err(StepError::Skipped(format!(
                    "only the mcp profile counts sampled spans (mcp_spans_sampled_total); \
                     profile {} has no such counter",
                    settings.profile.name()
                )))
            })
            .await;
    }
    // Shown as is if the step runs out of time before the policy is known.
    let shown = per_service.iter().cloned().collect();
    ctx.step_described("sampling", shown, async {
        let found = match &settings.sampling {
            // Stated up front: the config step would return this very policy.
            Some(_) => None,
            None => steps::config_out(run).await.and_then(|(_, p)| p.as_ref()),
        };
        let policy = super::policy_of(settings, found);
        let bands = policy.bands(ctx.threshold("sampling_tolerance"));
        let pushed_down = OFF_POLICY
            .iter()
            .all(|n| ctx.rb.query("sampling", n, settings.profile).is_some());
        let (q, note) = if pushed_down {
            (off_policy(ctx, &bands), None)
        } else {
            (
                per_service,
                Some(format!(
                    "{}: no {} query in the sampling step, so every service's ratio was read; \
                     the built-in runbook has them",
                    ctx.rb.origin,
                    OFF_POLICY.join("/")
                )),
            )
        };
        let q = match q {
            Ok(q) => q,
            Err(e) => return (Err(e), None),
        };
        let r = ctx.by_label(&q, "service_name").await.map(|(values, w)| {
            let warnings: Vec<String> = note.into_iter().chain(w).collect();
            (
                Rates {
                    query: q.clone(),
                    values,
                },
                warn(warnings),
            )
        });
        (r, Some(vec![q]))
    })
    .await
}

/// One query for every band: `(named band) or ... or (default band)`. The bands' matchers are
/// disjoint (the default's leaves out every named service), so `or` only gathers.
fn off_policy(ctx: &super::Ctx<'_>, bands: &Bands) -> Result<String, StepError> {
    let bounds = |b: &crate::analysis::dataloss::Band| {
        [
            ("low", Value::Number(b.low)),
            ("high", Value::Number(b.high)),
        ]
    };
    let mut parts = Vec::with_capacity(bands.named.len() + 1);
    for (band, services) in &bands.named {
        let [low, high] = bounds(band);
        let set = ("services", Value::AnyOf(Some(services.clone())));
        parts.push(ctx.query("sampling", "off_policy", &[set, low, high])?);
    }
    let [low, high] = bounds(&bands.default);
    let rest = ("services", Value::AnyOf(Some(bands.named_services())));
    parts.push(ctx.query("sampling", "off_policy_default", &[rest, low, high])?);
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        parts
            .iter()
            .map(|p| format!("({p})"))
            .collect::<Vec<_>>()
            .join(" or ")
    })
}
