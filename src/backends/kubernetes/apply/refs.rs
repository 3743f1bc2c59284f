//! Which object, and which names and selectors may reach a request: [`ObjectRef`] (enough to
//! build an object's URL without discovery), the patch kinds, and the label-selector grammar of
//! the API server ([`valid_label_selector`]). Pure; part of `apply.rs`. Tests: `tests.rs` beside
//! it.

use std::fmt;

use kube::api::ApiResource;
use kube::core::GroupVersionKind;
use serde::{Deserialize, Serialize};

/// Which object: enough to build its URL without discovery (a rollback may run when the CRD that
/// served it is already gone).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    /// The resource's plural name (`configmaps`), from discovery or from the CRD defining it.
    pub plural: String,
    /// `None`: cluster-scoped.
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

impl ObjectRef {
    /// `(group, version)` of the apiVersion; the core group is `""`.
    pub fn group_version(&self) -> (&str, &str) {
        split_api_version(&self.api_version)
    }

    pub(super) fn api_resource(&self) -> ApiResource {
        let (group, version) = self.group_version();
        ApiResource::from_gvk_with_plural(
            &GroupVersionKind::gvk(group, version, &self.kind),
            &self.plural,
        )
    }

    /// The object's API path, for messages.
    pub fn path(&self) -> String {
        let (group, version) = self.group_version();
        let root = if group.is_empty() {
            format!("/api/{version}")
        } else {
            format!("/apis/{group}/{version}")
        };
        match &self.namespace {
            Some(ns) => format!("{root}/namespaces/{ns}/{}/{}", self.plural, self.name),
            None => format!("{root}/{}/{}", self.plural, self.name),
        }
    }
}

/// A name that cannot add a path segment, a query or a fragment to a URL.
pub fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name != "."
        && name != ".."
        && !name
            .chars()
            .any(|c| matches!(c, '/' | '?' | '#' | '%' | ' ' | '\\') || c.is_control())
}

pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}

/// How [`Kube::patch_object`] merges its body into the object (the `Content-Type` of the PATCH).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatchKind {
    /// `application/strategic-merge-patch+json`: `kubectl patch`'s default. Lists of containers,
    /// env vars, ... merge by their key. Built-in kinds only: custom resources answer 415.
    Strategic,
    /// `application/merge-patch+json` (RFC 7386): maps merge, lists are replaced, `null` deletes.
    Merge,
    /// `application/json-patch+json` (RFC 6902): the body is a list of operations
    /// (`[{"op": "replace", "path": "/spec/replicas", "value": 2}]`).
    Json,
}

/// A label selector as the API server parses it (`k8s.io/apimachinery/pkg/labels`): requirements
/// joined by `,`, each `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`,
/// `key notin (a,b)`, `key>N` or `key<N`. A key is an optional DNS-1123 subdomain prefix and `/`,
/// then a name of at most 63 letters, digits, `-`, `_` and `.` that starts and ends
/// alphanumeric; a value is empty or a name. The empty selector is refused: it would select
/// everything, which a caller must ask for by passing no selector.
pub fn valid_label_selector(selector: &str) -> bool {
    let Some(tokens) = selector_tokens(selector) else {
        return false;
    };
    let mut it = tokens.into_iter().peekable();
    loop {
        let negated = it.next_if_eq(&Token::Not).is_some();
        match it.next() {
            Some(Token::Word(key)) if valid_label_key(key) => {}
            _ => return false,
        }
        if !negated {
            match it.peek() {
                None | Some(Token::Comma) => {}
                Some(Token::Eq | Token::NotEq) => {
                    it.next();
                    // `key=` selects the empty value.
                    if let Some(Token::Word(v)) = it.peek() {
                        if !valid_label_value(v) {
                            return false;
                        }
                        it.next();
                    }
                }
                Some(Token::Gt | Token::Lt) => {
                    it.next();
                    match it.next() {
                        Some(Token::Word(n)) if n.parse::<i64>().is_ok() => {}
                        _ => return false,
                    }
                }
                Some(Token::Word("in" | "notin")) => {
                    it.next();
                    if it.next() != Some(Token::Open) {
                        return false;
                    }
                    loop {
                        match it.next() {
                            Some(Token::Word(v)) if !v.is_empty() && valid_label_value(v) => {}
                            _ => return false,
                        }
                        match it.next() {
                            Some(Token::Comma) => continue,
                            Some(Token::Close) => break,
                            _ => return false,
                        }
                    }
                }
                _ => return false,
            }
        }
        match it.next() {
            None => return true,
            Some(Token::Comma) => continue,
            _ => return false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Not,
    Eq,
    NotEq,
    Gt,
    Lt,
    Open,
    Close,
    Comma,
}

/// The selector's tokens, as apimachinery's lexer splits them; `None` when it holds a character
/// no selector can (anything but letters, digits, `-_./`, the operators and spaces), or nothing.
fn selector_tokens(s: &str) -> Option<Vec<Token<'_>>> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches(' ');
    while let Some(c) = rest.chars().next() {
        let (token, len) = match c {
            '!' if rest.starts_with("!=") => (Token::NotEq, 2),
            '!' => (Token::Not, 1),
            '=' if rest.starts_with("==") => (Token::Eq, 2),
            '=' => (Token::Eq, 1),
            '>' => (Token::Gt, 1),
            '<' => (Token::Lt, 1),
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            ',' => (Token::Comma, 1),
            _ => {
                let len = rest
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
                    })
                    .unwrap_or(rest.len());
                if len == 0 {
                    return None;
                }
                (Token::Word(&rest[..len]), len)
            }
        };
        out.push(token);
        rest = rest[len..].trim_start_matches(' ');
    }
    (!out.is_empty()).then_some(out)
}

/// `[prefix/]name`: Kubernetes' qualified name, the rule for label keys.
fn valid_label_key(key: &str) -> bool {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    prefix.is_none_or(crate::model::cluster::valid_name)
        && !name.is_empty()
        && valid_label_value(name)
}

/// Empty, or at most 63 letters, digits, `-`, `_` and `.`, starting and ending alphanumeric.
fn valid_label_value(v: &str) -> bool {
    let b = v.as_bytes();
    b.is_empty()
        || (b.len() <= 63
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')))
}
