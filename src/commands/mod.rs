//! One module per subcommand. Each turns [`Settings`] into a report, a document or a plan; only
//! the `print` helper here writes to stdout. Exit codes follow the contract ([`Exit`]).

pub mod audit;
pub mod check;
pub mod config;
pub mod deploy;
pub mod explain;
pub mod investigate;
pub mod maintain;
pub mod mcp;
pub mod runbooks;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command, ConfigCmd, FailOn};
use crate::error::UsageError;
use crate::report::{Report, Severity};
use crate::settings::{self, Interactive, Settings};

/// The contract's exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Findings = 1,
    Usage = 2,
    Incomplete = 3,
    NeedsHuman = 4,
}

/// A mutation's ending as the contract's exit code: 0; 3 nothing left changed; 4 changes left.
impl From<crate::mutation::session::Ending> for Exit {
    fn from(e: crate::mutation::session::Ending) -> Exit {
        use crate::mutation::session::Ending;
        match e {
            Ending::Succeeded => Exit::Ok,
            Ending::NothingLeft => Exit::Incomplete,
            Ending::ChangesLeft => Exit::NeedsHuman,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

pub fn exit_for_error(e: &anyhow::Error) -> Exit {
    if e.chain().any(|c| c.downcast_ref::<UsageError>().is_some()) {
        Exit::Usage
    } else {
        Exit::Incomplete
    }
}

/// Write to stdout; a closed pipe (`tracectl ... | head`) is not an error.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.into()),
    }
}

pub fn terminal() -> Interactive {
    Interactive {
        stdout_tty: std::io::stdout().is_terminal(),
        stderr_tty: std::io::stderr().is_terminal(),
    }
}

pub async fn run(cli: Cli, argv: Vec<String>) -> Result<Exit> {
    let g = &cli.global;
    match &cli.command {
        Command::Completions { shell } => {
            print(&completions(*shell))?;
            Ok(Exit::Ok)
        }
        Command::Config(ConfigCmd::Init { force, in_cluster }) => {
            config::init(g, &argv, *force, *in_cluster).await
        }
        Command::Config(c) => config::run(g, c),
        Command::Runbooks(r) => runbooks::run(g, r),
        Command::Explain { kind, list } => explain::run(g, kind.as_deref(), *list),
        Command::Investigate(i) => {
            let settings = resolve(g, &argv)?;
            investigate::run(&settings, i).await
        }
        Command::Audit(a) => {
            let settings = resolve(g, &argv)?;
            audit::run(&settings, a).await
        }
        Command::Check(a) => {
            let settings = resolve(g, &argv)?;
            check::run(&settings, g, a).await
        }
        Command::Mcp => mcp::run(g, &argv).await,
        Command::Deploy(d) => deploy::run(g, &argv, d).await,
        Command::Maintain(m) => maintain::run(g, &argv, m).await,
    }
}

/// What a newcomer with nothing configured is told (issue #17): the flags, the config file this
/// run read, `config init`, and the README's demo command, which needs nothing.
pub fn nothing_configured_hint(config_file: Option<&std::path::Path>) -> String {
    let file = config_file
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "~/.config/tracectl/config.yaml".into());
    format!(
        "pass --kubeconfig (or set KUBECONFIG), --prometheus-url or --jaeger-url, or set them in a \
         context of {file} (see README, Configuration; with a kubeconfig, `tracectl config init` \
         writes one from what it finds in the cluster); to see tracectl at work first, replay the \
         demo from a checkout: tracectl investigate latency --service checkout --replay \
         fixtures/demo/checkout-latency"
    )
}

/// [`settings::resolve`] for a command that reads, then the bundle's privacy: a `--record` bundle
/// masked (or raw, with a warning, under `--record-raw`), and a `--replay` saying on stderr what
/// its bundle holds.
pub fn resolve(g: &crate::cli::GlobalArgs, argv: &[String]) -> Result<Settings> {
    let settings = settings::resolve(g, argv, &terminal())?;
    match &settings.mode {
        settings::Mode::Record(_) if g.record_raw => {
            crate::investigate::bundle::keep_raw(&settings)?
        }
        settings::Mode::Record(_) => crate::investigate::bundle::mask(&settings, false)?,
        settings::Mode::Replay(r) if !g.quiet => eprintln!(
            "note: replaying {}: {}",
            g.replay
                .as_deref()
                .unwrap_or(std::path::Path::new("."))
                .display(),
            crate::transport::bundle::SensitiveValues::describe(&r.meta)
        ),
        settings::Mode::Replay(_) | settings::Mode::Live => {}
    }
    Ok(settings)
}

/// The completion script for a shell; `completions/` holds these, checked by a test.
pub fn completions(shell: clap_complete::Shell) -> String {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "tracectl", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// Print a report in the chosen format and decide the exit code from `--fail-on`.
pub fn finish_report(settings: &Settings, report: &Report) -> Result<Exit> {
    let opts = crate::render::RenderOptions {
        color: settings.color,
        width: None,
    };
    // The evidence says which way each backend was reached (direct URL or the API server's
    // service proxy, issue #17).
    let mut report = report.clone();
    crate::investigate::mark_reached(settings, &mut report);
    let report = &report;
    // Last guard: a secret that slipped into a finding or an error never reaches the screen.
    let text = crate::render::scrub(
        crate::render::render(report, settings.output, &opts),
        &settings.secrets,
    );
    print(&text)?;
    let mut exit = exit_code(settings.fail_on, report);
    // Nothing configured at all, yet a step counted its missing backend as a failure: still the
    // user's to fix (2), not an outage (3).
    if exit == Exit::Incomplete && !settings.any_backend() {
        exit = Exit::Usage;
    }
    if exit == Exit::Usage {
        eprintln!(
            "error: no backend this command needs is configured\nhint: {}",
            nothing_configured_hint(settings.config_file.as_deref())
        );
    }
    Ok(exit)
}

pub fn exit_code(fail_on: FailOn, report: &Report) -> Exit {
    let threshold = match fail_on {
        FailOn::Never => None,
        FailOn::Info => Some(Severity::Info),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Critical => Some(Severity::Critical),
    };
    use crate::report::StepStatus;
    let none_ran = !report.steps.is_empty()
        && report
            .steps
            .iter()
            .all(|s| matches!(s.status, StepStatus::Failed | StepStatus::Skipped));
    if none_ran {
        // Nothing configured is the user's to fix (2); configured but unreachable is 3.
        return if report.steps.iter().all(|s| s.status == StepStatus::Skipped) {
            Exit::Usage
        } else {
            Exit::Incomplete
        };
    }
    match (threshold, report.worst_severity()) {
        (Some(t), Some(w)) if w >= t => Exit::Findings,
        _ => Exit::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Finding, Step, StepStatus, Subject, Target};

    fn report(statuses: &[StepStatus], worst: Option<Severity>) -> Report {
        let mut r = Report::new(
            "investigate latency",
            Target {
                service: None,
                operation: None,
            },
            "t".into(),
            "1h".into(),
        );
        r.steps = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| Step {
                id: format!("s{i}"),
                title: String::new(),
                status: *s,
                duration_ms: 0,
                error: None,
                queries: vec![],
            })
            .collect();
        if let Some(sev) = worst {
            r.findings.push(Finding::new(
                "slow_service",
                sev,
                0.5,
                Subject::service("x"),
                "t",
            ));
        }
        r
    }

    #[test]
    fn exit_codes_follow_the_contract() {
        use StepStatus::*;
        let crit = Some(Severity::Critical);
        assert_eq!(
            exit_code(FailOn::Never, &report(&[Ok, Failed], crit)),
            Exit::Ok
        );
        assert_eq!(
            exit_code(FailOn::Critical, &report(&[Ok, Failed], crit)),
            Exit::Findings
        );
        assert_eq!(
            exit_code(FailOn::Critical, &report(&[Ok], Some(Severity::Warning))),
            Exit::Ok
        );
        assert_eq!(
            exit_code(FailOn::Warning, &report(&[Ok], Some(Severity::Warning))),
            Exit::Findings
        );
        assert_eq!(
            exit_code(FailOn::Never, &report(&[Failed, Skipped], None)),
            Exit::Incomplete
        );
        assert_eq!(
            exit_code(FailOn::Never, &report(&[Skipped, Skipped], None)),
            Exit::Usage
        );
    }
}
