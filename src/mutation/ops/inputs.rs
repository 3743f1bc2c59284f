//! What to deploy: `deploy.yaml` and the flags, resolved once into [`Inputs`].
//!
//! Every value is flag > `deploy.yaml` > the runbook's default (namespace `monitoring`, releases
//! `otel-collector` and `jaeger` from the `open-telemetry` and `jaegertracing` repositories, the
//! Secret `jaeger-secret` with key `ES_PASSWORD`). Paths in `deploy.yaml` are relative to the
//! file; paths in flags to the working directory. Unknown keys are errors, with the line. The
//! namespace is `-n` or the file's, never the config context's (that one names the services'
//! namespace, not the tracing stack's). Not here: reading the password (`secret.rs`) or the
//! manifests (`manifests.rs`). Tests: below.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::backends::kubernetes::{valid_label, valid_name};
use crate::cli::DeployArgs;
use crate::error::UsageError;

/// `deploy.yaml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeployFile {
    pub namespace: Option<String>,
    /// Helm repositories [default: the OpenTelemetry and Jaeger ones].
    pub repositories: Option<Vec<RepoFile>>,
    pub collector: Option<ChartFile>,
    pub jaeger: Option<JaegerFile>,
    pub elasticsearch_secret: Option<SecretFile>,
    /// Manifest directories, applied in this order (CRDs first whatever the order).
    #[serde(default)]
    pub manifests: Vec<PathBuf>,
    pub verify: Option<VerifyFile>,
    pub timeouts: Option<TimeoutsFile>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RepoFile {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChartFile {
    pub release: Option<String>,
    /// `repo/chart`.
    pub chart: Option<String>,
    pub version: Option<String>,
    pub values: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JaegerFile {
    #[serde(flatten)]
    pub chart: ChartFile,
    /// `storage.elasticsearch.host`.
    pub elasticsearch_host: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SecretFile {
    pub name: Option<String>,
    pub key: Option<String>,
    pub from_file: Option<PathBuf>,
    pub from_env: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VerifyFile {
    /// Services that must exist [default: otel-collector, jaeger-query].
    pub services: Option<Vec<String>>,
    /// Where the OTLP/HTTP check goes without --collector-otlp-url [default: otel-collector:4318].
    pub collector_service: Option<String>,
    pub collector_port: Option<u16>,
    /// Where the Jaeger UI check goes without --jaeger-url [default: jaeger-query:16686].
    pub jaeger_service: Option<String>,
    pub jaeger_port: Option<u16>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TimeoutsFile {
    /// Waiting for the workloads to roll out [default: 5m].
    pub rollout: Option<String>,
    /// Each helm command [default: 5m].
    pub helm: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub release: String,
    pub chart: String,
    pub version: Option<String>,
    pub values: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    File(PathBuf),
    Env(String),
}

impl std::fmt::Display for PasswordSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasswordSource::File(p) => write!(f, "file {}", p.display()),
            PasswordSource::Env(v) => write!(f, "env {v}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretSpec {
    pub name: String,
    pub key: String,
    /// `None`: leave the Secret alone if it exists (and refuse to go on if it does not).
    pub source: Option<PasswordSource>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifySpec {
    pub services: Vec<String>,
    pub collector_service: (String, u16),
    pub jaeger_service: (String, u16),
}

/// Everything a deploy needs to know, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    pub namespace: String,
    pub repositories: Vec<Repo>,
    pub collector: Chart,
    pub jaeger: Chart,
    pub es_host: Option<String>,
    pub secret: SecretSpec,
    pub manifests: Vec<PathBuf>,
    pub verify: VerifySpec,
    pub rollout_timeout: Duration,
    pub helm_timeout: Duration,
    pub helm: PathBuf,
}

pub const DEFAULT_NAMESPACE: &str = "monitoring";
pub const DEFAULT_FILE: &str = "deploy.yaml";

/// Read `path` (or `./deploy.yaml` when it exists); the file and its directory.
pub fn load(path: Option<&Path>) -> Result<(DeployFile, PathBuf), UsageError> {
    let (path, explicit) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (PathBuf::from(DEFAULT_FILE), false),
    };
    if !explicit && !path.exists() {
        return Ok((DeployFile::default(), PathBuf::new()));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        UsageError::with_hint(
            format!("{}: cannot read: {e}", path.display()),
            "pass the inputs file with -f PATH",
        )
    })?;
    let file = parse(&text).map_err(|e| {
        UsageError::with_hint(
            format!("{}: {e}", path.display()),
            "see `tracectl deploy plan --help` for the keys of deploy.yaml",
        )
    })?;
    // `deploy.yaml` in the working directory: its paths are used as written.
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((file, dir))
}

pub fn parse(text: &str) -> Result<DeployFile, String> {
    if text.trim().is_empty() {
        return Ok(DeployFile::default());
    }
    serde_norway::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        match e.location() {
            Some(l) => format!("line {}: {message}", l.line()),
            None => message.to_string(),
        }
    })
}

fn relative(dir: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}

/// Flags over the file over the defaults. `namespace` is the global `-n`.
pub fn resolve(
    file: &DeployFile,
    dir: &Path,
    args: &DeployArgs,
    namespace: Option<&str>,
) -> Result<Inputs, UsageError> {
    let namespace = resolve_namespace(file, namespace)?;
    let repositories = match &file.repositories {
        Some(r) => r
            .iter()
            .map(|r| Repo {
                name: r.name.clone(),
                url: r.url.clone(),
            })
            .collect(),
        None => vec![
            Repo {
                name: "open-telemetry".into(),
                url: "https://open-telemetry.github.io/opentelemetry-helm-charts".into(),
            },
            Repo {
                name: "jaegertracing".into(),
                url: "https://jaegertracing.github.io/helm-charts".into(),
            },
        ],
    };
    for r in &repositories {
        if r.name.is_empty() || r.name.starts_with('-') || r.name.contains(['/', ' ']) {
            return Err(UsageError::new(format!(
                "helm repository name {:?} is not valid",
                r.name
            )));
        }
        match url::Url::parse(&r.url) {
            Ok(u) if matches!(u.scheme(), "http" | "https" | "oci") => {}
            _ => {
                return Err(UsageError::new(format!(
                    "helm repository {}: {:?} is not an http(s) URL",
                    r.name, r.url
                )));
            }
        }
    }
    let empty = ChartFile::default();
    let cf = file.collector.as_ref().unwrap_or(&empty);
    let jf = file.jaeger.clone().unwrap_or_default();
    let collector = chart(
        cf,
        dir,
        ("otel-collector", "open-telemetry/opentelemetry-collector"),
        args.collector_version.as_ref(),
        args.collector_values.as_ref(),
    );
    let jaeger = chart(
        &jf.chart,
        dir,
        ("jaeger", "jaegertracing/jaeger"),
        args.jaeger_version.as_ref(),
        args.jaeger_values.as_ref(),
    );
    for c in [&collector, &jaeger] {
        if !valid_label(&c.release) {
            return Err(UsageError::new(format!(
                "release name {:?} is not valid (lowercase letters, digits and '-')",
                c.release
            )));
        }
        if c.chart.starts_with('-') || c.chart.is_empty() {
            return Err(UsageError::new(format!("chart {:?} is not valid", c.chart)));
        }
        if let Some(repo) = c.chart.split_once('/').map(|(r, _)| r)
            && !c.chart.starts_with("oci://")
            && !c.chart.starts_with('.')
            && !c.chart.starts_with('/')
            && !repositories.iter().any(|r| r.name == repo)
        {
            return Err(UsageError::with_hint(
                format!(
                    "chart {} of release {} is from repository {repo:?}, which deploy.yaml does not list",
                    c.chart, c.release
                ),
                "add it under `repositories:` with its URL",
            ));
        }
        if let Some(v) = &c.version
            && (v.is_empty() || v.starts_with('-'))
        {
            return Err(UsageError::new(format!("chart version {v:?} is not valid")));
        }
        if let Some(v) = &c.values
            && !v.is_file()
        {
            return Err(UsageError::with_hint(
                format!("values file {} of {} not found", v.display(), c.release),
                "check --collector-values / --jaeger-values or the path in deploy.yaml",
            ));
        }
    }
    let sf = file.elasticsearch_secret.clone().unwrap_or_default();
    let source = match (
        &args.es_password_file,
        &args.es_password_env,
        &sf.from_file,
        &sf.from_env,
    ) {
        (Some(p), _, _, _) => Some(PasswordSource::File(p.clone())),
        (None, Some(v), _, _) => Some(PasswordSource::Env(v.clone())),
        (None, None, Some(_), Some(_)) => {
            return Err(UsageError::new(
                "elasticsearch_secret: from_file and from_env go one at a time",
            ));
        }
        (None, None, Some(p), None) => Some(PasswordSource::File(relative(dir, p))),
        (None, None, None, Some(v)) => Some(PasswordSource::Env(v.clone())),
        _ => None,
    };
    let secret = SecretSpec {
        name: sf.name.unwrap_or_else(|| "jaeger-secret".into()),
        key: sf.key.unwrap_or_else(|| "ES_PASSWORD".into()),
        source,
    };
    if !valid_name(&secret.name)
        || secret.key.is_empty()
        || !secret
            .key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(UsageError::new(format!(
            "elasticsearch_secret: {:?} / {:?} is not a valid Secret name / key",
            secret.name, secret.key
        )));
    }
    let manifests: Vec<PathBuf> = if args.manifests.is_empty() {
        file.manifests.iter().map(|p| relative(dir, p)).collect()
    } else {
        args.manifests.clone()
    };
    for m in &manifests {
        if !m.is_dir() {
            return Err(UsageError::with_hint(
                format!("manifest directory {} not found", m.display()),
                "check --manifests or `manifests:` in deploy.yaml",
            ));
        }
    }
    let verify = verify_spec(file)?;
    let tf = file.timeouts.clone().unwrap_or_default();
    let dur = |what: &str, v: Option<&String>, default: &str| {
        crate::clock::parse_duration(v.map(String::as_str).unwrap_or(default))
            .map_err(|e| UsageError::new(format!("{what}: {e}")))
    };
    Ok(Inputs {
        namespace,
        repositories,
        collector,
        jaeger,
        es_host: jf.elasticsearch_host.clone(),
        secret,
        manifests,
        verify,
        rollout_timeout: dur(
            "--wait-timeout",
            args.wait_timeout.as_ref().or(tf.rollout.as_ref()),
            "5m",
        )?,
        helm_timeout: dur("timeouts.helm", tf.helm.as_ref(), "5m")?,
        helm: args.helm.clone().unwrap_or_else(|| PathBuf::from("helm")),
    })
}

/// `-n` over the file over `monitoring`.
pub fn resolve_namespace(file: &DeployFile, flag: Option<&str>) -> Result<String, UsageError> {
    let namespace = flag
        .map(str::to_string)
        .or_else(|| file.namespace.clone())
        .unwrap_or_else(|| DEFAULT_NAMESPACE.into());
    if !valid_label(&namespace) {
        return Err(UsageError::new(format!(
            "namespace {namespace:?} is not a valid Kubernetes namespace (lowercase letters, digits and '-')"
        )));
    }
    Ok(namespace)
}

/// What the post-deployment checks look for: all `deploy verify` needs of the file.
pub fn verify_spec(file: &DeployFile) -> Result<VerifySpec, UsageError> {
    let vf = file.verify.clone().unwrap_or_default();
    let verify = VerifySpec {
        services: vf
            .services
            .unwrap_or_else(|| vec!["otel-collector".into(), "jaeger-query".into()]),
        collector_service: (
            vf.collector_service
                .unwrap_or_else(|| "otel-collector".into()),
            vf.collector_port.unwrap_or(4318),
        ),
        jaeger_service: (
            vf.jaeger_service.unwrap_or_else(|| "jaeger-query".into()),
            vf.jaeger_port.unwrap_or(16686),
        ),
    };
    for s in verify
        .services
        .iter()
        .chain([&verify.collector_service.0, &verify.jaeger_service.0])
    {
        if !valid_label(s) {
            return Err(UsageError::new(format!(
                "verify: {s:?} is not a valid Service name"
            )));
        }
    }
    Ok(verify)
}

fn chart(
    f: &ChartFile,
    dir: &Path,
    (release, chart): (&str, &str),
    version: Option<&String>,
    values: Option<&PathBuf>,
) -> Chart {
    Chart {
        release: f.release.clone().unwrap_or_else(|| release.into()),
        chart: f.chart.clone().unwrap_or_else(|| chart.into()),
        version: version.cloned().or_else(|| f.version.clone()),
        values: values
            .cloned()
            .or_else(|| f.values.as_ref().map(|p| relative(dir, p))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn args() -> DeployArgs {
        DeployArgs {
            file: None,
            collector_values: None,
            collector_version: None,
            jaeger_values: None,
            jaeger_version: None,
            manifests: vec![],
            es_password_file: None,
            es_password_env: None,
            wait_timeout: None,
            helm: None,
        }
    }

    #[test]
    fn defaults_are_the_runbooks() {
        let i = resolve(&DeployFile::default(), Path::new("."), &args(), None).unwrap();
        assert_eq!(i.namespace, "monitoring");
        assert_eq!(i.collector.release, "otel-collector");
        assert_eq!(i.collector.chart, "open-telemetry/opentelemetry-collector");
        assert_eq!(i.jaeger.chart, "jaegertracing/jaeger");
        assert_eq!(i.repositories.len(), 2);
        assert_eq!(i.secret.name, "jaeger-secret");
        assert_eq!(i.secret.key, "ES_PASSWORD");
        assert_eq!(i.secret.source, None);
        assert_eq!(i.rollout_timeout, Duration::from_secs(300));
        assert_eq!(i.verify.services, ["otel-collector", "jaeger-query"]);
        assert_eq!(i.helm, PathBuf::from("helm"));
    }

    #[test]
    fn flags_override_the_file_and_file_paths_are_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("monitoring/alerts")).unwrap();
        std::fs::create_dir_all(dir.path().join("other")).unwrap();
        std::fs::write(dir.path().join("collector.yaml"), "mode: deployment\n").unwrap();
        let f = parse(
            "namespace: tracing\n\
             collector: {version: 0.107.0, values: collector.yaml}\n\
             jaeger: {release: traces, version: 3.4.0, elasticsearch_host: es.example}\n\
             elasticsearch_secret: {name: es-creds, from_file: es-password}\n\
             manifests: [monitoring/alerts]\n\
             timeouts: {rollout: 90s}\n",
        )
        .unwrap();
        let i = resolve(&f, dir.path(), &args(), None).unwrap();
        assert_eq!(i.namespace, "tracing");
        assert_eq!(i.collector.version.as_deref(), Some("0.107.0"));
        assert_eq!(i.collector.values, Some(dir.path().join("collector.yaml")));
        assert_eq!(i.jaeger.release, "traces");
        assert_eq!(i.es_host.as_deref(), Some("es.example"));
        assert_eq!(
            i.secret.source,
            Some(PasswordSource::File(dir.path().join("es-password")))
        );
        assert_eq!(i.manifests, [dir.path().join("monitoring/alerts")]);
        assert_eq!(i.rollout_timeout, Duration::from_secs(90));

        let mut a = args();
        a.collector_version = Some("0.108.0".into());
        a.es_password_env = Some("ES_PW".into());
        a.manifests = vec![dir.path().join("other")];
        a.wait_timeout = Some("2m".into());
        let i = resolve(&f, dir.path(), &a, Some("obs")).unwrap();
        assert_eq!(i.namespace, "obs");
        assert_eq!(i.collector.version.as_deref(), Some("0.108.0"));
        assert_eq!(i.secret.source, Some(PasswordSource::Env("ES_PW".into())));
        assert_eq!(i.manifests, [dir.path().join("other")]);
        assert_eq!(i.rollout_timeout, Duration::from_secs(120));
    }

    #[test]
    fn the_example_in_the_help_parses() {
        let help = crate::cli::DEPLOY_FILE_HELP;
        let yaml: String = help
            .split("\n\nExamples:")
            .next()
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
            .collect();
        let f = parse(&yaml).unwrap();
        assert_eq!(f.namespace.as_deref(), Some("monitoring"));
        assert_eq!(f.manifests.len(), 4);
        assert_eq!(
            f.jaeger.unwrap().elasticsearch_host.as_deref(),
            Some("elasticsearch")
        );
    }

    #[test]
    fn bad_inputs_are_usage_errors() {
        let e = parse("namespce: x\n").unwrap_err();
        assert!(e.contains("namespce"), "{e}");
        assert!(e.contains("line 1"), "{e}");
        for (yaml, why) in [
            ("namespace: Mon\n", "not a valid Kubernetes namespace"),
            (
                "collector: {chart: bitnami/otel}\n",
                "which deploy.yaml does not list",
            ),
            ("manifests: [/nonexistent/x]\n", "not found"),
            (
                "elasticsearch_secret: {from_file: a, from_env: B}\n",
                "one at a time",
            ),
            ("jaeger: {version: --set=x}\n", "not valid"),
            ("timeouts: {rollout: soon}\n", "--wait-timeout"),
        ] {
            let f = parse(yaml).unwrap();
            let e = resolve(&f, Path::new("."), &args(), None).unwrap_err();
            assert!(e.message.contains(why), "{yaml}: {}", e.message);
        }
    }
}
