//! `maintain ...` flags, and the window file's steps (which reuse them). Part of
//! [`crate::cli`]; tests: `tests/it/cli.rs` and `tests/it/maintain/`.
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::*;

#[derive(Debug, Subcommand)]
pub enum MaintainCmd {
    /// Back up the labelled ConfigMaps and Secrets, every Grafana dashboard, and an Elasticsearch
    /// snapshot, into a directory with a manifest of checksums
    #[command(
        after_help = "Examples:\n  tracectl maintain backup --dir ./backup --yes\n  tracectl maintain backup -l app=tracing --snapshot-repository backups --yes"
    )]
    Backup(BackupCmdArgs),
    /// Restore a backup directory: ConfigMaps, Secrets, dashboards (overwrite) and the snapshot's
    /// missing indices; refuses a backup whose checksums do not match
    #[command(
        after_help = "Examples:\n  tracectl maintain restore ./backup --dry-run\n  tracectl maintain restore ./backup --yes"
    )]
    Restore(RestoreCmdArgs),
    /// `helm upgrade` the Collector and Jaeger to a version with their values files, wait for
    /// the rollout; the previous revisions are journaled for the rollback
    #[command(
        after_help = "Examples:\n  tracectl maintain update --collector-version 0.109.0 --collector-values collector-values.yaml --yes"
    )]
    Update(UpdateCmdArgs),
    /// Create or replace the Collector and sampling ConfigMaps from files and apply the alert
    /// rules directory (server-side apply; the plan shows the diff)
    #[command(
        after_help = "Examples:\n  tracectl maintain config --collector-config collector-config.yaml --dry-run\n  tracectl maintain config --sampling sampling.json --rules monitoring/alerts --yes"
    )]
    Config(ConfigCmdArgs),
    /// Index retention for Jaeger's Elasticsearch indices (by the date in the name, UTC),
    /// force-merge of old indices, and the index template
    #[command(
        after_help = "Never deletes an index outside the pattern, today's, or one of the newest --keep-last.\n\nExamples:\n  tracectl maintain storage --retention-days 30 --snapshot-repository backups --dry-run\n  tracectl maintain storage --retention-days 14 --prefix prod --keep-last 3 --skip-snapshot --yes\n  tracectl maintain storage --forcemerge --template jaeger-template.json --yes"
    )]
    Storage(StorageCmdArgs),
    /// Replicas, resource limits and environment of the Collector and Jaeger workloads (a
    /// strategic-merge or JSON patch, shown as a diff)
    #[command(
        after_help = "Examples:\n  tracectl maintain scale --workload deployment/otel-collector --replicas 3 --yes\n  tracectl maintain scale --workload deployment/jaeger-collector --env JAVA_OPTS='-Xmx2g -Xms2g' --dry-run\n  tracectl maintain scale --workload deployment/otel-collector --limits cpu=2,memory=4Gi --yes"
    )]
    Scale(ScaleCmdArgs),
    /// The pre-maintenance checks (those of `tracectl check`): exit 1 when one fails
    #[command(
        after_help = "Examples:\n  tracectl maintain health\n  tracectl maintain health -o junit > health.xml"
    )]
    Health(CheckArgs),
    /// The post-maintenance validation (those of `tracectl check`, span processing p95 and
    /// dropped spans included): exit 1 when one fails
    #[command(
        after_help = "Examples:\n  tracectl maintain validate\n  tracectl maintain validate --only span-drop-rate,span-latency -o json"
    )]
    Validate(CheckArgs),
    /// Run a whole maintenance window from a file: health first, a backup before anything
    /// destructive, the steps in order, validation; on a failure, roll back from the journal.
    /// Alerts are silenced and the window is annotated in Grafana for its duration
    #[command(after_help = WINDOW_FILE_HELP)]
    Window(WindowCmdArgs),
    /// Undo a maintenance run from its journal (the newest by default)
    #[command(
        after_help = "Examples:\n  tracectl maintain rollback --yes\n  tracectl maintain rollback --journal ./storage.jsonl --yes"
    )]
    Rollback(DeployRollbackArgs),
}

pub(crate) const WINDOW_FILE_HELP: &str = "\
window.yaml (steps run in order; each step's keys are its subcommand's flags, in snake_case):
  name: weekly-tracing
  duration: 2h                 # the silence expires by itself at the planned end
  silence:                     # default: the tracing alerts of runbooks/maintain.yaml
    matchers: ['severity=~\"warning|critical\"', 'team=\"observability\"']
  backup: {dir: ./backups, snapshot_repository: backups}
  steps:
    - storage: {retention_days: 30, keep_last: 2, snapshot_repository: backups}
    - config: {collector_config: collector-config.yaml}
    - scale: {workload: deployment/otel-collector, replicas: 3}
    - update: {collector_version: 0.109.0, collector_values: collector-values.yaml}
  validate: {skip: [jaeger-monitor]}

Examples:
  tracectl maintain window window.yaml --dry-run
  tracectl maintain window window.yaml --yes";

/// What every changing subcommand takes.
#[derive(Debug, Clone, Default, Args)]
pub struct ApplyFlags {
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Print the plan and stop; changes nothing
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// When a step fails, roll back what this run changed without asking
    #[arg(long)]
    pub rollback_on_failure: bool,
    /// Journal file [default: $XDG_STATE_HOME/tracectl/journal/<time>-maintain-<step>.jsonl]
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupArgs {
    /// The backup directory, created 0700; must be new or empty [default: ./tracectl-backup-<UTC time>]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Label selector of the ConfigMaps and Secrets to back up [default: app=tracing]
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Elasticsearch snapshot repository (registered already); without it, no snapshot
    #[arg(long, value_name = "REPO")]
    pub snapshot_repository: Option<String>,
    /// Index patterns in the snapshot, joined by `,` [default: Jaeger's, jaeger-*]
    #[arg(long, value_name = "PATTERN")]
    pub snapshot_indices: Option<String>,
    /// Leave the Secrets out (otherwise in secrets.yaml, mode 0600)
    #[arg(long)]
    pub no_secrets: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BackupCmdArgs {
    #[command(flatten)]
    pub backup: BackupArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RestoreArgs {
    /// The backup directory; every file is checked against manifest.json's sha256 first
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Leave the Secrets as they are
    #[arg(long)]
    pub skip_secrets: bool,
    /// Leave the dashboards as they are
    #[arg(long)]
    pub skip_dashboards: bool,
    /// Do not restore missing indices from the backup's snapshot
    #[arg(long)]
    pub skip_snapshot: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreCmdArgs {
    #[command(flatten)]
    pub restore: RestoreArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UpdateArgs {
    /// Inputs file of `deploy`: release and chart names, values files, namespace [default:
    /// ./deploy.yaml when it exists]
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Upgrade the Collector's release to this chart version (only releases given a version are
    /// upgraded; a release not installed is refused: `deploy apply` installs)
    #[arg(long, value_name = "VERSION")]
    pub collector_version: Option<String>,
    /// Values file of the Collector chart [default: deploy.yaml's; without one, the release's
    /// current values are kept]
    #[arg(long, value_name = "FILE")]
    pub collector_values: Option<PathBuf>,
    /// Upgrade the Jaeger release to this chart version
    #[arg(long, value_name = "VERSION")]
    pub jaeger_version: Option<String>,
    /// Values file of the Jaeger chart, under deploy's Elasticsearch overrides [default:
    /// deploy.yaml's; without one, the release's current values are kept]
    #[arg(long, value_name = "FILE")]
    pub jaeger_values: Option<PathBuf>,
    /// How long to wait for the workloads to roll out [default: 5m]
    #[arg(long, value_name = "DUR")]
    pub wait_timeout: Option<String>,
    /// The helm binary [default: helm on PATH]
    #[arg(long, value_name = "PATH")]
    pub helm: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct UpdateCmdArgs {
    #[command(flatten)]
    pub update: UpdateArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigArgs {
    /// The Collector's configuration file, for its ConfigMap under the file's base name (as
    /// `kubectl create configmap --from-file`); linted first: a config the Collector would not
    /// start with is refused
    #[arg(long, value_name = "FILE")]
    pub collector_config: Option<PathBuf>,
    /// The Collector's ConfigMap [default: otel-collector-config]
    #[arg(long, value_name = "NAME")]
    pub collector_configmap: Option<String>,
    /// A sampling configuration file, for the sampling ConfigMap (repeatable; one key per file,
    /// its base name; a .json file must be JSON, a .yaml file YAML)
    #[arg(long, value_name = "FILE")]
    pub sampling: Vec<PathBuf>,
    /// The sampling ConfigMap [default: sampling-config]
    #[arg(long, value_name = "NAME")]
    pub sampling_configmap: Option<String>,
    /// A directory of alert rule manifests (*.yaml, *.yml, *.json) to server-side apply, as
    /// `kubectl apply -f DIR`
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ConfigCmdArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageArgs {
    /// Delete Jaeger's span, service and dependencies indices whose day (the date in the name,
    /// UTC; a rollover index's creation day) is more than DAYS before today. Never today's, never
    /// a name outside the pattern, never a rollover write index. The plan lists every index with
    /// its size and doc count
    #[arg(long, value_name = "DAYS")]
    pub retention_days: Option<u32>,
    /// The index prefix Jaeger was given (`--es.index-prefix`), e.g. prod: only
    /// prod-jaeger-* indices are looked at
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Never delete the newest N indices of each kind, however old [default: 1]
    #[arg(long, value_name = "N")]
    pub keep_last: Option<u32>,
    /// Snapshot exactly the indices to delete into this repository (registered already) first;
    /// `tracectl maintain rollback` restores them from it. Deleting needs this or --skip-snapshot
    #[arg(long, value_name = "REPO")]
    pub snapshot_repository: Option<String>,
    /// Delete without a snapshot: the deleted indices cannot be restored by tracectl
    #[arg(long, conflicts_with = "snapshot_repository")]
    pub skip_snapshot: bool,
    /// Force-merge the kept indices no longer written to (yesterday's and older; rolled-over
    /// rollover indices), to fewer segments
    #[arg(long)]
    pub forcemerge: bool,
    /// Segments per shard after the force-merge [default: 1]
    #[arg(long, value_name = "N")]
    pub max_num_segments: Option<u32>,
    /// Put this index template: a JSON file, the body of PUT _index_template/NAME (or
    /// _template/NAME with --legacy-template); unchanged when the live one already matches
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// The template's name [default: jaeger-template]
    #[arg(long, value_name = "NAME")]
    pub template_name: Option<String>,
    /// The template is a legacy one (`_template`, not `_index_template`)
    #[arg(long)]
    pub legacy_template: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StorageCmdArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Default, Args, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScaleArgs {
    /// The workload in the namespace, KIND/NAME (deployment, statefulset or daemonset):
    /// deployment/otel-collector, statefulset/jaeger
    #[arg(long, value_name = "KIND/NAME")]
    pub workload: String,
    /// Replicas (not for a DaemonSet)
    #[arg(long, value_name = "N")]
    pub replicas: Option<u32>,
    /// Resource limits of the container, e.g. cpu=2,memory=4Gi (compared by value: 2000m is 2)
    #[arg(long, value_name = "RES=QTY,...")]
    pub limits: Option<String>,
    /// Resource requests of the container, e.g. cpu=500m,memory=1Gi
    #[arg(long, value_name = "RES=QTY,...")]
    pub requests: Option<String>,
    /// Set an environment variable of the container (repeatable; the others are kept), e.g.
    /// JAVA_OPTS='-Xmx2g -Xms2g'
    #[arg(long, value_name = "NAME=VALUE")]
    pub env: Vec<String>,
    /// The container to change [default: the pod template's first]
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,
    /// A patch file (JSON or YAML), sent in the same PATCH as the flags' changes, after them
    #[arg(long, value_name = "FILE")]
    pub patch: Option<PathBuf>,
    /// The patch file's type: strategic (containers and env merge by name), merge (RFC 7386)
    /// or json (RFC 6902 operations) [default: strategic]
    #[arg(long, value_name = "TYPE")]
    pub patch_type: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ScaleCmdArgs {
    #[command(flatten)]
    pub scale: ScaleArgs,
    #[command(flatten)]
    pub apply: ApplyFlags,
}

#[derive(Debug, Clone, Args)]
pub struct WindowCmdArgs {
    /// The window file
    #[arg(value_name = "FILE.yaml")]
    pub file: PathBuf,
    #[command(flatten)]
    pub apply: ApplyFlags,
}
