//! The `discovery` step: where the tracing stack runs, found from the kubeconfig alone (issue
//! #17), so a user with nothing but a kubeconfig is not read the wrong namespace. In order:
//! `--stack-namespace` / the context's `stack.namespace` (the Services there, for what is
//! where); else the Services labelled by the projects' charts or the guide (`app=tracing`),
//! across every namespace the credentials may list; else the well-known names in `monitoring`,
//! `observability`, `tracing`. All of these lists are asked at once and read in that order.
//! What each call found is shown beside it (as a shell comment, so
//! the line still runs), and in `-v`. Finding nothing, or being refused (RBAC), is a `warning`
//! with the hint to name the namespace or pass URLs, never a failure: the other steps go on in
//! the kubeconfig's namespace. Which component is which is pure ([`crate::analysis::stack`]).
//! Tests: `tests/it/dataloss.rs` (a stack in `monitoring`, applications in `shop`).

use super::ctx::Ctx;
use crate::analysis::stack::{self, GUIDE_SELECTOR, Stack, WELL_KNOWN_NAMESPACES};
use crate::backends::kubernetes::Kube;

/// What a user does when discovery cannot tell.
const HINT: &str = "pass --stack-namespace NS (or stack.namespace in the config context), or the \
                    backends' URLs and --collector-namespace";

/// Run the runbook's `discovery` step (when its YAML lists it) and return the stack: what it
/// found, or only the namespace the user named. `None` namespace: the kubeconfig's applies.
pub(crate) async fn step(ctx: &Ctx<'_>) -> Stack {
    let named = ctx.settings.stack_namespace.clone();
    let Some(order) = ctx.rb.steps.iter().position(|s| s.id == "discovery") else {
        return named_only(named);
    };
    let shown = match &named {
        Some(ns) => vec![format!("kubectl get services -n {ns}")],
        None => vec![format!(
            "kubectl get services -A -l '{}'",
            stack::name_selector()
        )],
    };
    let kube = ctx.kube.as_ref();
    let found = ctx
        .log
        .run_described(
            order,
            "discovery",
            ctx.title("discovery"),
            shown,
            async move {
                match kube {
                    Ok(k) => {
                        let (stack, warning, asked) = discover(k, named.as_deref()).await;
                        (Ok((stack, warning)), Some(asked))
                    }
                    Err(e) => (Err(e.clone()), None),
                }
            },
        )
        .await;
    match found {
        Some(s) => {
            tracing::info!(
                "tracing stack: namespace {}; {}",
                s.namespace.as_deref().unwrap_or("(none found)"),
                s.describe()
            );
            s
        }
        None => named_only(ctx.settings.stack_namespace.clone()),
    }
}

fn named_only(named: Option<String>) -> Stack {
    Stack {
        namespace: named,
        found: Vec::new(),
    }
}

/// The stack, a warning when nothing was found, and each call made with what it found.
async fn discover(kube: &Kube, named: Option<&str>) -> (Stack, Option<String>, Vec<String>) {
    let mut asked = Vec::new();
    if let Some(ns) = named {
        let cmd = format!("kubectl get services -n {ns}");
        return match kube.services(Some(ns), "").await {
            Ok(v) => {
                let s = stack::locate(&v, Some(ns));
                asked.push(format!("{cmd}  # found: {}", s.describe()));
                (s, None, asked)
            }
            Err(e) => {
                asked.push(cmd);
                let warning = format!(
                    "cannot list the Services of {ns}: {}; the stack namespace is still {ns}",
                    e.one_line()
                );
                (named_only(Some(ns.to_string())), Some(warning), asked)
            }
        };
    }
    // Every list at once (issue 19: one round trip, not up to five in a row), then read in the
    // order above, as if asked one after another: the report names the calls that order makes.
    let selectors = [stack::name_selector(), GUIDE_SELECTOR.to_string()];
    let (labelled, well_known) = futures::join!(
        futures::future::join_all(selectors.iter().map(|sel| kube.services(None, sel))),
        futures::future::join_all(
            WELL_KNOWN_NAMESPACES
                .iter()
                .map(|ns| kube.services(Some(ns), ""))
        ),
    );
    let mut refused = Vec::new();
    let mut services = Vec::new();
    for (selector, listed) in selectors.iter().zip(labelled) {
        let cmd = format!("kubectl get services -A -l '{selector}'");
        match listed {
            Ok(v) => {
                asked.push(format!("{cmd}  # {} Services", v.len()));
                services.extend(v);
            }
            Err(e) => {
                asked.push(format!("{cmd}  # refused"));
                refused.push(e.one_line());
            }
        }
    }
    let mut found = stack::locate(&services, None);
    if found.namespace.is_none() {
        for (ns, listed) in WELL_KNOWN_NAMESPACES.iter().zip(well_known) {
            let cmd = format!("kubectl get services -n {ns}");
            match listed {
                Ok(v) => {
                    let s = stack::locate(&v, None);
                    asked.push(format!("{cmd}  # found: {}", s.describe()));
                    if s.namespace.is_some() {
                        found = s;
                        break;
                    }
                }
                Err(e) => {
                    asked.push(format!("{cmd}  # refused"));
                    refused.push(e.one_line());
                }
            }
        }
    }
    if let Some(ns) = &found.namespace {
        asked.push(format!("# the stack is in {ns}: {}", found.describe()));
    }
    let warning = found.namespace.is_none().then(|| {
        let why = if refused.is_empty() {
            format!(
                "no Service labelled {} or {GUIDE_SELECTOR}, and none of the well-known names in {}",
                stack::name_selector(),
                WELL_KNOWN_NAMESPACES.join(", ")
            )
        } else {
            refused.join("; ")
        };
        format!("found no tracing stack ({why}); hint: {HINT}")
    });
    (found, warning, asked)
}
