//! The `diagnose` prompt: a service and a symptom in, the order of work out — triage (the
//! investigation itself, when no service is named), the one investigation the symptom calls for,
//! then `explain` on the top finding — so the assistant reasons over tracectl's ranked result
//! instead of guessing a culprit. Which investigation a symptom calls for is decided here, by
//! its words, so the same symptom always leads to the same tool. Tests: below, and
//! `tests/it/mcp/`.

use rmcp::ErrorData as McpError;
use rmcp::model::{
    GetPromptRequestParams, GetPromptResult, Prompt, PromptArgument, PromptMessage, Role,
};

pub(super) fn diagnose() -> Prompt {
    Prompt::new(
        "diagnose",
        Some(
            "Diagnose a production symptom with tracectl: triage, the right investigation, then \
             what the top finding means and how to fix it",
        ),
        Some(vec![
            PromptArgument::new("symptom")
                .with_description(
                    "What is wrong, in words: slow / latency, errors / 5xx, missing traces, \
                     after a deploy, an alert firing",
                )
                .with_required(true),
            PromptArgument::new("service")
                .with_description("The service it concerns; leave out to let triage pick it")
                .with_required(false),
        ]),
    )
}

/// The investigation a symptom calls for, and why. The first rule whose words the symptom holds
/// wins; a symptom none matches starts from what is firing.
pub(super) fn tool_for(symptom: &str) -> (&'static str, &'static str) {
    const RULES: &[(&[&str], &str, &str)] = &[
        (
            &["deploy", "rollout", "release", "roll out", "new version"],
            "investigate_rollout",
            "the symptom follows a rollout",
        ),
        (
            &[
                "missing",
                "lost",
                "drop",
                "no trace",
                "gap",
                "data loss",
                "data-loss",
            ],
            "investigate_data_loss",
            "spans or traces are missing",
        ),
        (
            &["error", "fail", "5xx", "500", "503", "exception", "crash"],
            "investigate_errors",
            "requests fail",
        ),
        (
            &["slow", "latency", "timeout", "p95", "p99", "lag", "delay"],
            "investigate_latency",
            "requests are slow",
        ),
        (
            &["alert", "firing", "paged", "page"],
            "investigate_alerts",
            "an alert is firing",
        ),
    ];
    let s = symptom.to_lowercase();
    RULES
        .iter()
        .find(|(words, _, _)| words.iter().any(|w| s.contains(w)))
        .map(|(_, tool, why)| (*tool, *why))
        .unwrap_or((
            "investigate_alerts",
            "the symptom names no runbook; start from what is firing",
        ))
}

pub(super) fn get(request: &GetPromptRequestParams) -> Result<GetPromptResult, McpError> {
    if request.name != "diagnose" {
        return Err(McpError::invalid_params(
            format!("unknown prompt {:?}; tracectl has `diagnose`", request.name),
            None,
        ));
    }
    let arg = |name: &str| {
        request
            .arguments
            .as_ref()
            .and_then(|a| a.get(name))
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let symptom = arg("symptom").ok_or_else(|| {
        McpError::invalid_params("diagnose needs a symptom (e.g. \"checkout is slow\")", None)
    })?;
    let service = arg("service");
    let (tool, why) = tool_for(symptom);
    let call = match (service, tool) {
        (_, "investigate_alerts") => format!("`{tool}` with no arguments"),
        (Some(s), _) => format!("`{tool}` with service {s:?}"),
        (None, "investigate_rollout") => {
            return Err(McpError::invalid_params(
                "a rollout is judged for one service: give diagnose a service",
                None,
            ));
        }
        (None, _) => {
            format!("`{tool}` with no service, so its triage picks the service that changed most")
        }
    };
    let text = format!(
        "Symptom: {symptom}{}.\n\n\
         1. Call {call} ({why}). It gathers and ranks the evidence itself; do not write queries.\n\
         2. Read its diagnosis and top findings. If steps failed, say which evidence is missing.\n\
         3. Call `explain` with the kind of the top finding (and of any other critical one).\n\
         4. Answer with the diagnosis, the evidence that supports it, and the remediation with \
         how safe it is. Name no cause the findings do not show: \"no problem found\" is an \
         answer. Run no fix yourself; a human decides.",
        service
            .map(|s| format!(" (service {s})"))
            .unwrap_or_default()
    );
    Ok(
        GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
            .with_description(format!("Diagnose: {symptom}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symptom_leads_to_one_investigation() {
        assert_eq!(tool_for("checkout is slow").0, "investigate_latency");
        assert_eq!(tool_for("p99 latency up").0, "investigate_latency");
        assert_eq!(tool_for("lots of 503 errors").0, "investigate_errors");
        assert_eq!(
            tool_for("traces missing since noon").0,
            "investigate_data_loss"
        );
        assert_eq!(tool_for("slower since the deploy").0, "investigate_rollout");
        assert_eq!(tool_for("something is off").0, "investigate_alerts");
    }
}
