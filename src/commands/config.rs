//! `tracectl config view|get-contexts|use-context|init`: the config file, kubectl-style. `view`
//! masks every secret; `init` writes a context from what discovery finds
//! ([`crate::investigate::discovery::for_config`]). Tests: `tests/it/config.rs`,
//! `tests/it/dataloss.rs` (`config init` round-trips).

use anyhow::{Context as _, Result};

use super::{Exit, print};
use crate::cli::{ConfigCmd, GlobalArgs};
use crate::error::{Backend, UsageError};
use crate::investigate::discovery::InCluster;
use crate::settings::{self, ConfigFile, file};

pub fn run(g: &GlobalArgs, cmd: &ConfigCmd) -> Result<Exit> {
    let (path, cfg, _) = settings::load_context(&crate::cli::GlobalArgs {
        // Viewing or switching must work even when the current context is broken.
        context: None,
        ..g.clone()
    })?;
    let shown = path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no config path)".into());
    match cmd {
        ConfigCmd::View => {
            let masked = ConfigFile {
                current_context: cfg.current_context.clone(),
                contexts: cfg
                    .contexts
                    .into_iter()
                    .map(|(k, c)| (k, file::masked(c)))
                    .collect(),
            };
            let text = serde_norway::to_string(&masked).context("cannot render the config")?;
            print(&format!("# {shown}\n{text}"))?;
        }
        ConfigCmd::GetContexts => {
            let mut out = format!("{:<9}{:<20}{}\n", "CURRENT", "NAME", "PROMETHEUS");
            for (name, c) in &cfg.contexts {
                let cur = if cfg.current_context.as_deref() == Some(name) {
                    "*"
                } else {
                    ""
                };
                let prom = c
                    .prometheus
                    .as_ref()
                    .and_then(|p| p.url.as_deref())
                    .map(crate::error::redact_url)
                    .unwrap_or_default();
                out.push_str(&format!("{cur:<9}{name:<20}{prom}\n"));
            }
            print(&out)?;
        }
        // Async (it discovers): `commands::run` calls `init` for it.
        ConfigCmd::Init { .. } => {
            return Err(anyhow::anyhow!("config init runs through commands::run"));
        }
        ConfigCmd::UseContext { name } => {
            let Some(path) = path.filter(|p| p.exists()) else {
                return Err(UsageError::with_hint(
                    format!("{shown}: no config file to switch contexts in"),
                    "create it with a `contexts:` map (see README, Configuration)",
                )
                .into());
            };
            if !cfg.contexts.contains_key(name) {
                return Err(UsageError::with_hint(
                    format!("context {name:?} is not in {}", path.display()),
                    format!(
                        "known: {}",
                        cfg.contexts.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
                .into());
            }
            let text = std::fs::read_to_string(&path)?;
            let new = file::set_current_context(&text, name);
            // Write beside and rename, so an interrupted write never leaves half a config.
            let tmp = path.with_extension("yaml.tmp");
            std::fs::write(&tmp, new)?;
            std::fs::rename(&tmp, &path)?;
            eprintln!("Switched to context {name:?}.");
        }
    }
    Ok(Exit::Ok)
}

/// `tracectl config init`: discover with the kubeconfig alone, write the context (the global
/// `--context`, default `kube`) into the config file, print it. Never replaces an existing
/// context without `--force`. The file is rewritten whole (its comments are not kept).
pub async fn init(g: &GlobalArgs, argv: &[String], force: bool, in_cluster: bool) -> Result<Exit> {
    // A file that does not exist yet is what init is for: start it empty (and take it away
    // again if nothing gets written).
    let fresh = settings::config_path(g.config.as_deref()).filter(|p| !p.exists());
    if let Some(p) = &fresh {
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(p, "contexts: {}\n")
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    let result = write_context(g, argv, force, in_cluster).await;
    if let (Err(_), Some(p)) = (&result, &fresh) {
        let _ = std::fs::remove_file(p);
    }
    result
}

async fn write_context(
    g: &GlobalArgs,
    argv: &[String],
    force: bool,
    in_cluster: bool,
) -> Result<Exit> {
    let name = g.context.clone().unwrap_or_else(|| "kube".to_string());
    let plain = GlobalArgs {
        context: None,
        ..g.clone()
    };
    let (path, mut cfg, _) = settings::load_context(&plain)?;
    let Some(path) = path else {
        return Err(UsageError::with_hint(
            "no config file path: neither --config, TRACECTL_CONFIG, XDG_CONFIG_HOME nor HOME is set",
            "pass --config PATH",
        )
        .into());
    };
    if cfg.contexts.contains_key(&name) && !force {
        return Err(UsageError::with_hint(
            format!("context {name:?} already exists in {}", path.display()),
            "pass --force to replace it, or --context OTHER to write another",
        )
        .into());
    }
    let settings = super::resolve(&plain, argv)?;
    if !settings.kube_available {
        return Err(UsageError::with_hint(
            "config init needs a kubeconfig: nothing to discover the tracing stack with",
            "pass --kubeconfig PATH (or set KUBECONFIG)",
        )
        .into());
    }
    let found = crate::investigate::discovery::for_config(&settings)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.one_line()))?;
    let kube = &settings.kubernetes;
    let mut context = settings::Context {
        kubernetes: Some(file::KubernetesBlock {
            kubeconfig: kube.kubeconfig.clone(),
            context: kube.context.clone(),
            // -n when given; else the kubeconfig context's applies when the context is used.
            namespace: kube.namespace.clone(),
            max_body_bytes: kube.max_body_bytes,
        }),
        stack: found.stack.namespace.clone().map(|ns| file::StackBlock {
            namespace: Some(ns),
        }),
        profile: found.profile.map(str::to_string),
        ..Default::default()
    };
    if in_cluster {
        set_in_cluster(&mut context, &found.in_cluster);
    }
    cfg.contexts.insert(name.clone(), context.clone());
    if cfg.current_context.is_none() {
        cfg.current_context = Some(name.clone());
    }
    let text = serde_norway::to_string(&cfg).context("cannot render the config")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // Write beside and rename, so an interrupted write never leaves half a config.
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path)?;
    let mut out = format!("# context {name:?} written to {}\n", path.display());
    for line in &found.lines {
        // In the cluster the backends are not reached through the API server: the lines that
        // say how this run reached them would mislead.
        if in_cluster && line.contains("reached through the API server's service proxy") {
            continue;
        }
        let line = line.strip_prefix("# ").unwrap_or(line);
        out.push_str(&format!("# {line}\n"));
    }
    if let Some(w) = &found.warning {
        out.push_str(&format!("# warning: {w}\n"));
    }
    if in_cluster {
        out.push_str(
            "# in-cluster: URLs by cluster DNS and no kubeconfig (the pod's service account); \
             use https and ca_file where a backend serves TLS (Elasticsearch 8's chart does)\n",
        );
    } else {
        for (b, prefix) in &found.reached {
            out.push_str(&format!(
                "# {b}: no URL here, reached through the API server at {prefix}\n"
            ));
        }
    }
    let mut shown = std::collections::BTreeMap::new();
    shown.insert(name, file::masked(context));
    out.push_str(&serde_norway::to_string(&shown).context("cannot render the context")?);
    print(&out)?;
    Ok(Exit::Ok)
}

/// A context for tracectl running inside the cluster: each backend discovery found at its cluster
/// DNS address, and no kubeconfig or kubeconfig context (the pod's service account answers there).
fn set_in_cluster(context: &mut settings::Context, found: &InCluster) {
    for (b, u) in &found.urls {
        let block = match b {
            Backend::Prometheus => &mut context.prometheus,
            Backend::Jaeger => &mut context.jaeger,
            Backend::Elasticsearch => &mut context.elasticsearch,
            Backend::Grafana => &mut context.grafana,
            Backend::Alertmanager => &mut context.alertmanager,
            _ => continue,
        };
        *block = Some(file::BackendBlock {
            url: Some(u.clone()),
            ..Default::default()
        });
    }
    if found.collector_metrics.is_some() || found.collector_otlp.is_some() {
        context.collector = Some(file::BackendBlock {
            metrics_url: found.collector_metrics.clone(),
            otlp_url: found.collector_otlp.clone(),
            ..Default::default()
        });
    }
    if let Some(k) = &mut context.kubernetes {
        k.kubeconfig = None;
        k.context = None;
    }
}
