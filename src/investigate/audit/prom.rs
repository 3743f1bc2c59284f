//! The audit's Prometheus reads: a runbook query rendered with the run's variables, and an
//! instant query's samples as rows of label values (a row missing one is dropped), sorted, with
//! Prometheus' warnings. Tests: `tests/it/audit.rs`.

use jiff::Timestamp;

use crate::backends::prometheus::PrometheusClient;
use crate::error::Backend;
use crate::investigate::engine::StepError;
use crate::promql::Vars;
use crate::runbook::Runbook;
use crate::settings::Settings;

use super::not_configured;

pub(super) struct Prom<'a> {
    pub client: Option<PrometheusClient>,
    pub rb: &'a Runbook,
    pub settings: &'a Settings,
    pub vars: Vars,
    pub at: Timestamp,
}

impl Prom<'_> {
    pub fn query(&self, step: &str, name: &str) -> Result<String, StepError> {
        self.rb
            .render_query(step, name, self.settings.profile, &self.vars, &[])
            .map_err(StepError::Failed)
    }

    /// The samples of an instant query as (label values, value), and its warnings.
    pub async fn rows(
        &self,
        q: &str,
        labels: &[&str],
    ) -> Result<(Vec<(Vec<String>, f64)>, Vec<String>), StepError> {
        let client = self
            .client
            .as_ref()
            .ok_or_else(|| not_configured(Backend::Prometheus))?;
        let r = client.query(q, self.at).await?;
        let mut rows: Vec<(Vec<String>, f64)> = r
            .samples()
            .into_iter()
            .filter(|s| s.value.is_finite())
            .map(|s| {
                let key = labels
                    .iter()
                    .map(|l| s.labels.get(*l).cloned().unwrap_or_default())
                    .collect();
                (key, s.value)
            })
            .filter(|(k, _): &(Vec<String>, f64)| k.iter().all(|v| !v.is_empty()))
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Ok((rows, r.warnings))
    }
}
