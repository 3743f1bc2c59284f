//! `tracectl config view|get-contexts|use-context`: the config file, kubectl-style. `view` masks
//! every secret. Tests: `tests/it/config.rs`.

use anyhow::{Context as _, Result};

use super::{Exit, print};
use crate::cli::{ConfigCmd, GlobalArgs};
use crate::error::UsageError;
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
