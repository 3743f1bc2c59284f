//! The Elasticsearch password for Jaeger's Secret (step 3): read from a file or an environment
//! variable, refused when weak, never printed.
//!
//! The runbook creates the Secret with `--from-literal=ES_PASSWORD=changeme`; this refuses that,
//! any other well-known default, an empty value and anything shorter than 12 characters, before
//! anything changes (exit 2). Messages name the source and the rule, never the value. The value
//! lives in a [`Secret`] (whose `Debug` is `***`) and reaches only the API request that writes it:
//! it is not in the plan, the journal, the logs or an evidence bundle (`deploy` refuses
//! `--record`). Tests: below; the refusal end to end in `tests/it/deploy.rs`.

use std::collections::BTreeMap;

use super::inputs::PasswordSource;
use crate::error::UsageError;
use crate::transport::live::Secret;

pub const MIN_LEN: usize = 12;

/// Defaults that ship in charts, docs and runbooks (compared without case).
const DEFAULTS: &[&str] = &[
    "changeme",
    "change-me",
    "password",
    "elastic",
    "elasticsearch",
    "admin",
    "jaeger",
    "secret",
    "opensearch",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weakness {
    Empty,
    Default,
    TooShort(usize),
    OneCharacter,
}

impl std::fmt::Display for Weakness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Weakness::Empty => f.write_str("it is empty"),
            Weakness::Default => f.write_str("it is a well-known default password"),
            Weakness::TooShort(n) => write!(
                f,
                "it is {n} characters long; at least {MIN_LEN} are required"
            ),
            Weakness::OneCharacter => f.write_str("it repeats one character"),
        }
    }
}

/// Why `password` is refused, if it is. The value itself never appears in the answer.
pub fn weakness(password: &str) -> Option<Weakness> {
    let p = password.trim();
    if p.is_empty() {
        return Some(Weakness::Empty);
    }
    let lower = p.to_ascii_lowercase();
    if DEFAULTS
        .iter()
        .any(|d| lower == d.to_ascii_lowercase() || lower.starts_with("changeme"))
    {
        return Some(Weakness::Default);
    }
    let n = p.chars().count();
    if n < MIN_LEN {
        return Some(Weakness::TooShort(n));
    }
    let first = p.chars().next();
    if p.chars().all(|c| Some(c) == first) {
        return Some(Weakness::OneCharacter);
    }
    None
}

/// Read the password from its source (a file's trailing newline dropped) and check it.
pub fn read(source: &PasswordSource) -> Result<Secret, UsageError> {
    let value = match source {
        PasswordSource::File(path) => std::fs::read_to_string(path)
            .map_err(|e| {
                UsageError::with_hint(
                    format!(
                        "the Elasticsearch password file {}: cannot read: {e}",
                        path.display()
                    ),
                    "check --es-password-file or elasticsearch_secret.from_file",
                )
            })?
            .trim_end_matches(['\n', '\r'])
            .to_string(),
        PasswordSource::Env(var) => std::env::var(var).map_err(|_| {
            UsageError::with_hint(
                format!("the Elasticsearch password variable {var} is not set"),
                format!("export {var}=... (from your secret store), or use --es-password-file"),
            )
        })?,
    };
    if let Some(w) = weakness(&value) {
        return Err(UsageError::with_hint(
            format!("refusing the Elasticsearch password from {source}: {w}"),
            format!(
                "generate one, e.g. `openssl rand -base64 24`, set it in Elasticsearch and give it here (at least {MIN_LEN} characters)"
            ),
        ));
    }
    Ok(Secret::new(value))
}

/// The Secret's manifest for a server-side apply. `data` is base64 (k8s-openapi's `ByteString`),
/// so what is compared and what is sent are the same bytes.
pub fn manifest(namespace: &str, name: &str, key: &str, value: &Secret) -> serde_json::Value {
    use k8s_openapi::ByteString;
    use k8s_openapi::api::core::v1::Secret as K8sSecret;
    let s = K8sSecret {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(name.into()),
            namespace: Some(namespace.into()),
            labels: Some(BTreeMap::from([(
                "app.kubernetes.io/managed-by".to_string(),
                "tracectl".to_string(),
            )])),
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        data: Some(BTreeMap::from([(
            key.to_string(),
            ByteString(value.expose().as_bytes().to_vec()),
        )])),
        ..Default::default()
    };
    let mut v = serde_json::to_value(&s).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("apiVersion".into(), "v1".into());
        o.insert("kind".into(), "Secret".into());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_for_a_reason() {
        assert_eq!(weakness(""), Some(Weakness::Empty));
        assert_eq!(weakness("  \n"), Some(Weakness::Empty));
        assert_eq!(weakness("changeme"), Some(Weakness::Default));
        assert_eq!(weakness("ChangeMe"), Some(Weakness::Default));
        assert_eq!(weakness("changeme123456"), Some(Weakness::Default));
        assert_eq!(weakness("elastic"), Some(Weakness::Default));
        assert_eq!(weakness("s3cr3t-pw"), Some(Weakness::TooShort(9)));
        assert_eq!(weakness("ääääääääääää"), Some(Weakness::OneCharacter));
        assert_eq!(weakness("correct-horse-battery"), None);
        assert_eq!(weakness("Xk9#mP2$vL7q"), None);
    }

    #[test]
    fn refusals_never_show_the_value() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pw");
        std::fs::write(&p, "hunter2\n").unwrap();
        let e = read(&PasswordSource::File(p.clone())).unwrap_err();
        assert!(e.message.contains("7 characters"), "{}", e.message);
        assert!(!e.message.contains("hunter2"));
        assert!(!e.hint.unwrap().contains("hunter2"));
        std::fs::write(&p, "correct-horse-battery\n").unwrap();
        let s = read(&PasswordSource::File(p)).unwrap();
        assert_eq!(s.expose(), "correct-horse-battery");
        assert_eq!(format!("{s:?}"), "\"***\"");
        let e = read(&PasswordSource::Env(
            "TRACECTL_TEST_SURELY_UNSET_VAR".into(),
        ))
        .unwrap_err();
        assert!(e.message.contains("is not set"));
    }

    #[test]
    fn the_manifest_holds_base64_data() {
        let m = manifest(
            "monitoring",
            "jaeger-secret",
            "ES_PASSWORD",
            &Secret::new("correct-horse-battery"),
        );
        assert_eq!(m["kind"], "Secret");
        assert_eq!(m["metadata"]["namespace"], "monitoring");
        assert_eq!(m["data"]["ES_PASSWORD"], "Y29ycmVjdC1ob3JzZS1iYXR0ZXJ5");
        assert_eq!(m["type"], "Opaque");
    }
}
