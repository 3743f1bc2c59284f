//! `tracectl deploy plan|apply|verify|rollback`: the tracing-system deployment runbook (guide
//! section 3.2.1) as a plan that is data, applied with a journal and undone from it.
//!
//! The steps: (1) the namespace, created if missing; (2) the Helm repositories; (3) the
//! Elasticsearch credentials Secret, from a file or a variable, weak passwords refused; (4) the
//! Collector chart and (5) the Jaeger chart on Elasticsearch, `helm upgrade --install`; (6) the
//! manifest directories, server-side applied through the Kubernetes API, CRDs first; (7) wait for
//! every workload to roll out; (8) verify; (9) with a Grafana URL, an annotation of the deployment
//! and its outcome.
//!
//! `plan` prints what would change ([`plan::plan`]), computed from observed state, so a second
//! `apply` plans nothing. `apply` confirms (a terminal asks; `--yes`; otherwise exit 2), writes the
//! journal (`crate::mutation::journal`), runs the plan through [`crate::mutation::exec::Exec`],
//! and on a failure offers the rollback (`--rollback-on-failure` for scripts): exit 3 when it was
//! rolled back, 4 when changes are left (a failed rollback, a declined one, a signal), with the
//! journal named. `rollback` replays a journal backwards. `verify` runs the checks alone.
//!
//! `--record`/`--replay` are refused for `plan`, `apply` and `rollback`: a replay cannot change a
//! cluster, and a recording would hold the Secret's value (its `GET` and its apply); `verify`,
//! which reads nothing secret, records and replays like any other command. `-o junit` is refused
//! for `plan`, `apply` and `rollback` (exit 2, before anything is read): a plan has no JUnit form.
//!
//! This is the command's shell: arguments → settings → the plan
//! ([`crate::mutation::ops::deploy`]) → confirm and run ([`crate::mutation::session`],
//! [`crate::mutation::exec`]) → print ([`crate::render::plan`]) → exit code. Files: `apply.rs`,
//! `rollback.rs`. Tests: unit tests beside the code in `crate::mutation`;
//! `tests/it/deploy.rs` end to end (fixture API server, fake `helm`).

mod apply;
mod rollback;

use anyhow::Result;

use super::{Exit, print, terminal};
use crate::cli::{DeployArgs, DeployCmd, DeployVerifyArgs, FailOn, GlobalArgs};
use crate::error::{Backend, UsageError};
use crate::mutation::ops::deploy::note_grafana;
use crate::mutation::ops::deploy::{self as plan, Deploy};
use crate::mutation::ops::inputs;
use crate::mutation::ops::verify::{self, VerifyTarget, Via};
use crate::mutation::session::connect;
use crate::render::plan::{self as render, PlanFormat};
use crate::settings::{self, Settings};

pub async fn run(g: &GlobalArgs, argv: &[String], cmd: &DeployCmd) -> Result<Exit> {
    match cmd {
        DeployCmd::Plan(a) => plan_cmd(g, argv, a).await,
        DeployCmd::Apply(a) => apply::run(g, argv, a).await,
        DeployCmd::Verify(a) => verify_cmd(g, argv, a).await,
        DeployCmd::Rollback(a) => rollback::run(g, argv, a).await,
    }
}

/// `--record`/`--replay` and `-o junit` are refused before anything is read.
fn refuse_bundles(g: &GlobalArgs, sub: &str) -> Result<PlanFormat, UsageError> {
    let format = PlanFormat::from_output(
        g.output.unwrap_or(crate::render::OutputFormat::Table),
        &format!("deploy {sub}"),
    )?;
    if g.record.is_some() || g.replay.is_some() {
        return Err(UsageError::with_hint(
            format!(
                "deploy {sub} does not take --record or --replay: a replay cannot change a cluster, and a recording would hold the Elasticsearch Secret's value"
            ),
            "`tracectl deploy verify --record DIR` records the post-deployment checks",
        ));
    }
    Ok(format)
}

/// Inputs, the password (refused if weak: before any request), settings, the cluster.
async fn prepare(g: &GlobalArgs, argv: &[String], a: &DeployArgs) -> Result<(Settings, Deploy)> {
    let (inputs, password) = plan::inputs(a, g.namespace.as_deref())?;
    let mut settings = settings::resolve(g, argv, &terminal())?;
    let d = plan::deploy(&mut settings, inputs, password).await?;
    Ok((settings, d))
}

async fn plan_cmd(g: &GlobalArgs, argv: &[String], a: &DeployArgs) -> Result<Exit> {
    let format = refuse_bundles(g, "plan")?;
    let (settings, d) = prepare(g, argv, a).await?;
    let mut planned = plan::plan(&d).await?;
    note_grafana(&settings, &mut planned.plan);
    print(&render::plan(&planned.plan, format))?;
    Ok(Exit::Ok)
}

fn verify_target(settings: &Settings, namespace: &str, spec: &inputs::VerifySpec) -> VerifyTarget {
    let otlp = match &settings.collector_otlp {
        Some(e) => Via::Url(e.clone()),
        None => Via::Proxy {
            service: spec.collector_service.0.clone(),
            port: spec.collector_service.1,
        },
    };
    let jaeger = match settings.endpoint(Backend::Jaeger) {
        Some(e) => Via::Url(e.clone()),
        None => Via::Proxy {
            service: spec.jaeger_service.0.clone(),
            port: spec.jaeger_service.1,
        },
    };
    VerifyTarget {
        namespace: namespace.to_string(),
        services: spec.services.clone(),
        otlp,
        jaeger,
    }
}

async fn verify_cmd(g: &GlobalArgs, argv: &[String], a: &DeployVerifyArgs) -> Result<Exit> {
    let (file, _) = inputs::load(a.file.as_deref())?;
    let namespace = inputs::resolve_namespace(&file, g.namespace.as_deref())?;
    let spec = inputs::verify_spec(&file)?;
    let mut settings = super::resolve(g, argv)?;
    if g.fail_on.is_none() {
        // A verification that fails should fail the script that ran it.
        settings.fail_on = FailOn::Critical;
    }
    let kube = if settings.kube_available {
        Some(connect(&settings, "deploy").await?)
    } else {
        None
    };
    let target = verify_target(&settings, &namespace, &spec);
    let results = verify::run(kube.as_ref(), &target).await;
    let report = verify::report(&results, &namespace, settings.clock.now().to_string());
    super::finish_report(&settings, &report)
}
