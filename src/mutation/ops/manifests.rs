//! Step 6's inputs: every Kubernetes object in the manifest directories, as `kubectl apply -f DIR`
//! reads them.
//!
//! Each directory's `*.yaml`, `*.yml` and `*.json` files (not recursive, by name), each file's
//! documents (`---`), a `kind: List` expanded into its items, empty documents skipped. Every object
//! needs `apiVersion`, `kind` and a DNS-1123 `metadata.name`; the same object twice is an error.
//! [`order`] puts CustomResourceDefinitions first and Namespaces next, so custom resources and
//! namespaced objects find their type and namespace; [`crd_kind`] tells what a CRD will serve, so a
//! plan can include custom resources whose type does not exist yet. Not here: discovery and the
//! apply (`objects.rs`, `crate::mutation::exec`). Tests: below.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::backends::kubernetes::{safe_name, split_api_version, valid_label, valid_name};
use crate::error::UsageError;

/// One object from a manifest file.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// `dir/file.yaml` and, for the second document on, `#N`.
    pub source: String,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub body: Value,
}

impl Manifest {
    pub fn is_crd(&self) -> bool {
        self.kind == "CustomResourceDefinition"
            && split_api_version(&self.api_version).0 == "apiextensions.k8s.io"
    }
}

/// What a CRD serves: group, kind, plural, namespaced, versions served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrdKind {
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub versions: Vec<String>,
}

pub fn crd_kind(m: &Manifest) -> Option<CrdKind> {
    if !m.is_crd() {
        return None;
    }
    let spec = m.body.get("spec")?;
    let names = spec.get("names")?;
    Some(CrdKind {
        group: spec.get("group")?.as_str()?.to_string(),
        kind: names.get("kind")?.as_str()?.to_string(),
        plural: names.get("plural")?.as_str()?.to_string(),
        namespaced: spec.get("scope").and_then(Value::as_str) != Some("Cluster"),
        versions: spec
            .get("versions")
            .and_then(Value::as_array)
            .map(|vs| {
                vs.iter()
                    .filter(|v| v.get("served").and_then(Value::as_bool).unwrap_or(true))
                    .filter_map(|v| v.get("name")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Every object of `dirs`, in order (directories as given, files by name, documents in order).
pub fn load(dirs: &[PathBuf]) -> Result<Vec<Manifest>, UsageError> {
    let mut out: Vec<Manifest> = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| UsageError::new(format!("{}: cannot read: {e}", dir.display())))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .and_then(|x| x.to_str())
                        .is_some_and(|x| matches!(x, "yaml" | "yml" | "json"))
            })
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f)
                .map_err(|e| UsageError::new(format!("{}: cannot read: {e}", f.display())))?;
            for m in parse(&text, &f)? {
                if let Some(prev) = out.iter().find(|o| same_object(o, &m)) {
                    return Err(UsageError::new(format!(
                        "{}: {} {} is also in {}",
                        m.source, m.kind, m.name, prev.source
                    )));
                }
                out.push(m);
            }
        }
    }
    Ok(out)
}

fn same_object(a: &Manifest, b: &Manifest) -> bool {
    split_api_version(&a.api_version).0 == split_api_version(&b.api_version).0
        && a.kind == b.kind
        && a.name == b.name
        && a.namespace == b.namespace
}

/// The objects of one file's text.
pub fn parse(text: &str, file: &Path) -> Result<Vec<Manifest>, UsageError> {
    let mut out = Vec::new();
    for (i, doc) in serde_norway::Deserializer::from_str(text).enumerate() {
        let source = if i == 0 {
            file.display().to_string()
        } else {
            format!("{}#{}", file.display(), i + 1)
        };
        let value = Value::deserialize(doc)
            .map_err(|e| UsageError::new(format!("{source}: not YAML: {e}")))?;
        if value.is_null() {
            continue;
        }
        if value.get("kind").and_then(Value::as_str) == Some("List") {
            let items = value.get("items").and_then(Value::as_array);
            for (j, item) in items.into_iter().flatten().enumerate() {
                out.push(object(item.clone(), format!("{source} items[{j}]"))?);
            }
            continue;
        }
        out.push(object(value, source)?);
    }
    Ok(out)
}

fn object(body: Value, source: String) -> Result<Manifest, UsageError> {
    let field = |path: &[&str]| -> Option<String> {
        let mut v = &body;
        for p in path {
            v = v.get(p)?;
        }
        v.as_str().map(str::to_string)
    };
    let (Some(api_version), Some(kind), Some(name)) = (
        field(&["apiVersion"]),
        field(&["kind"]),
        field(&["metadata", "name"]),
    ) else {
        return Err(UsageError::with_hint(
            format!(
                "{source}: not a Kubernetes object (apiVersion, kind and metadata.name are required)"
            ),
            "generateName is not supported: a deploy must know the names it creates, to undo them",
        ));
    };
    let namespace = field(&["metadata", "namespace"]);
    let api_ok = !api_version.is_empty()
        && api_version.split('/').count() <= 2
        && api_version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'/'));
    if !api_ok || kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(UsageError::new(format!(
            "{source}: {api_version:?} {kind:?} is not a valid apiVersion and kind"
        )));
    }
    // Some kinds allow ':' or upper case in names (RBAC); what tracectl must be sure of is that a
    // name cannot change the URL path.
    if !valid_name(&name) && !safe_name(&name) {
        return Err(UsageError::new(format!(
            "{source}: {name:?} is not a valid object name"
        )));
    }
    if let Some(ns) = &namespace
        && !valid_label(ns)
    {
        return Err(UsageError::new(format!(
            "{source}: {ns:?} is not a valid namespace"
        )));
    }
    Ok(Manifest {
        source,
        api_version,
        kind,
        name,
        namespace,
        body,
    })
}

/// CRDs first, then Namespaces, then everything else; stable within each.
pub fn order(mut ms: Vec<Manifest>) -> Vec<Manifest> {
    ms.sort_by_key(|m| {
        if m.is_crd() {
            0
        } else if m.kind == "Namespace" && m.api_version == "v1" {
            1
        } else {
            2
        }
    });
    ms
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: instrumentations.opentelemetry.io
spec:
  group: opentelemetry.io
  scope: Namespaced
  names: {kind: Instrumentation, plural: instrumentations, singular: instrumentation}
  versions:
  - {name: v1alpha1, served: true, storage: true}
";

    #[test]
    fn documents_lists_and_order() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("auto");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(
            a.join("b-instrumentation.yaml"),
            "apiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata: {name: default}\nspec: {}\n---\n---\n# only a comment\n",
        )
        .unwrap();
        std::fs::write(a.join("a-crd.yml"), CRD).unwrap();
        std::fs::write(a.join("notes.txt"), "not a manifest").unwrap();
        let s = dir.path().join("sampling");
        std::fs::create_dir(&s).unwrap();
        std::fs::write(
            s.join("list.json"),
            r#"{"apiVersion":"v1","kind":"List","items":[
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"sampling-config","namespace":"monitoring"},"data":{"a":"b"}},
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"apps"}}]}"#,
        )
        .unwrap();
        let ms = order(load(&[a.clone(), s]).unwrap());
        let kinds: Vec<&str> = ms.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "CustomResourceDefinition",
                "Namespace",
                "Instrumentation",
                "ConfigMap"
            ]
        );
        assert!(
            ms[3].source.ends_with("list.json items[0]"),
            "{}",
            ms[3].source
        );
        assert_eq!(ms[3].namespace.as_deref(), Some("monitoring"));
        assert_eq!(
            crd_kind(&ms[0]),
            Some(CrdKind {
                group: "opentelemetry.io".into(),
                kind: "Instrumentation".into(),
                plural: "instrumentations".into(),
                namespaced: true,
                versions: vec!["v1alpha1".into()]
            })
        );
        assert_eq!(crd_kind(&ms[2]), None);

        std::fs::write(a.join("c-dup.yaml"), CRD).unwrap();
        let e = load(&[a]).unwrap_err();
        assert!(e.message.contains("is also in"), "{}", e.message);
    }

    #[test]
    fn objects_need_identity_and_safe_names() {
        let f = Path::new("x.yaml");
        for (text, why) in [
            (
                "kind: ConfigMap\nmetadata: {name: a}\n",
                "not a Kubernetes object",
            ),
            (
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: a-}\n",
                "generateName",
            ),
            (
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ../secrets}\n",
                "not a valid object name",
            ),
            (
                "apiVersion: v1\nkind: Config/Map\nmetadata: {name: a}\n",
                "not a valid apiVersion",
            ),
            (
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: A_B}\n",
                "not a valid namespace",
            ),
            ("a: [unclosed\n", "not YAML"),
        ] {
            let e = parse(text, f).unwrap_err();
            let all = format!("{} {}", e.message, e.hint.unwrap_or_default());
            assert!(all.contains(why), "{text}: {all}");
        }
        let ok = parse(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: 'system:otel'}\n",
            f,
        )
        .unwrap();
        assert_eq!(ok[0].name, "system:otel");
    }
}
