//! What every investigation's Prometheus steps share: the runbook, its variables, the evaluation
//! time, and the calls that render a runbook query and read its answer. Each command adds its
//! own methods in its own `impl Ctx` block. Tests: through the investigations' integration tests.

use jiff::Timestamp;

use super::StepError;
use crate::backends::prometheus::{Labels, PrometheusClient};
use crate::error::{Backend, BackendError};
use crate::promql::{self, Value, Vars};
use crate::runbook::Runbook;
use crate::settings::Settings;

pub(crate) struct Ctx<'a> {
    pub settings: &'a Settings,
    pub rb: Runbook,
    pub prom: Option<PrometheusClient>,
    pub vars: Vars,
    pub at: Timestamp,
}

impl Ctx<'_> {
    /// The runbook's query `name` of `step` for the active profile, with the variables filled in.
    pub fn query(
        &self,
        step: &str,
        name: &str,
        extra: &[(&str, Value)],
    ) -> Result<String, StepError> {
        let t = self
            .rb
            .query(step, name, self.settings.profile)
            .ok_or_else(|| {
                StepError::Failed(format!("runbook has no query {name} for step {step}"))
            })?;
        let mut vars = self.vars.clone();
        for (k, v) in extra {
            vars.insert(k.to_string(), v.clone());
        }
        promql::render(t, &vars)
            .map_err(|e| StepError::Failed(format!("runbook query {step}/{name}: {e}")))
    }

    /// A step's title from the runbook.
    pub fn title(&self, id: &str) -> String {
        self.rb
            .step(id)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn prom(&self) -> Result<&PrometheusClient, StepError> {
        self.prom
            .as_ref()
            .ok_or_else(|| StepError::from(BackendError::not_configured(Backend::Prometheus)))
    }

    /// An instant query's finite samples as (labels, value), largest first, and its warnings.
    pub async fn samples(&self, q: &str) -> Result<(Vec<(Labels, f64)>, Vec<String>), StepError> {
        let r = self.prom()?.query(q, self.at).await?;
        let mut items: Vec<(Labels, f64)> = r
            .samples()
            .into_iter()
            .filter(|s| s.value.is_finite())
            .map(|s| (s.labels, s.value))
            .collect();
        items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok((items, r.warnings))
    }

    /// [`Ctx::samples`] named by one label: (label value, value), worst first.
    pub async fn list(
        &self,
        q: &str,
        label: &str,
    ) -> Result<(Vec<(String, f64)>, Vec<String>), StepError> {
        let (items, w) = self.samples(q).await?;
        Ok((
            items
                .into_iter()
                .map(|(l, v)| (l.get(label).cloned().unwrap_or_default(), v))
                .collect(),
            w,
        ))
    }

    /// The largest finite value of an instant query, if any.
    pub async fn scalar(&self, q: &str) -> Result<Option<f64>, StepError> {
        Ok(self.samples(q).await?.0.first().map(|s| s.1))
    }
}
