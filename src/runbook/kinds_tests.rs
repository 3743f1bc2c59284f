//! Tests of the finding-kind registry (`kinds.rs`), among them the one that keeps the code's kinds
//! and the runbooks' `findings:` sections in step.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;

#[test]
fn built_in_runbooks_make_a_registry() {
    let reg = Registry::builtin();
    assert!(reg.get("slow_dependency").is_some());
    let throttling = reg.get("cpu_throttling").unwrap();
    let runbooks: Vec<&str> = throttling.docs.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(runbooks, ["errors", "latency"]);
}

#[test]
fn shared_kinds_keep_each_runbooks_text_and_merge_the_same() {
    let reg = Registry::builtin();
    // The two runbooks word `why` differently for throttling, the same for memory pressure.
    assert_eq!(reg.get("cpu_throttling").unwrap().texts().len(), 2);
    let memory = reg.get("memory_pressure").unwrap().texts();
    assert_eq!(memory.len(), 1);
    assert_eq!(memory[0].0, ["errors", "latency"]);
}

fn runbook(findings: &str) -> Runbook {
    let text =
        format!("name: x\ntitle: t\nsummary: s\ncommand: c\nsteps: []\nfindings:\n{findings}");
    Runbook::parse(&text, "x.yaml").unwrap()
}

const DOC: &str = "    summary: s\n    why: w\n    evidence: e\n    fix: f\n";

#[test]
fn remedies_render_with_the_kinds_safety_by_default() {
    let rb = runbook(&format!(
        "  k:\n{DOC}    safety: needs-care\n    remedies:\n      restart: {{ title: 'Restart {{{{svc}}}}', command: 'kubectl rollout restart deployment/{{{{svc|sh}}}}' }}\n      look: {{ title: 'Look', safety: safe }}\n"
    ));
    let reg = Registry::from_runbooks(&[rb]).unwrap();
    let r = reg.remediation("k", "restart", &[("svc", "a b")]).unwrap();
    assert_eq!(r.title, "Restart a b");
    assert_eq!(
        r.command.as_deref(),
        Some("kubectl rollout restart deployment/'a b'")
    );
    assert_eq!(r.safety, Safety::NeedsCare);
    assert_eq!(
        reg.remediation("k", "look", &[]).unwrap().safety,
        Safety::Safe
    );
    assert!(reg.remediation("k", "restart", &[]).is_err());
    assert!(reg.remediation("k", "nope", &[]).is_err());
}

#[test]
fn a_remedy_template_that_does_not_parse_is_an_error() {
    let rb = runbook(&format!(
        "  k:\n{DOC}    safety: safe\n    remedies:\n      look: {{ title: 'Look {{{{x|bogus}}}}' }}\n"
    ));
    assert!(Registry::from_runbooks(&[rb]).is_err());
}

/// The source files the binary is built from, without their tests.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            if name != "tests" {
                sources(&p, out);
            }
        } else if name.ends_with(".rs") && !name.ends_with("tests.rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            // Inline test modules are cut off; `#[cfg(test)] mod tests;` lines are harmless.
            let code = text
                .split("#[cfg(test)]\nmod tests {")
                .next()
                .unwrap_or("")
                .to_string();
            out.push((p.display().to_string(), code));
        }
    }
}

/// The first argument of every `Finding::new(` and `Issue::new(`: a string literal, or a `const`
/// whose value is one. (A kind passed in a variable is covered by the other direction: every
/// documented kind must be written somewhere in the code.)
fn kinds_in_code(files: &[(String, String)]) -> BTreeSet<(String, String)> {
    let consts: Vec<(String, String)> = files
        .iter()
        .flat_map(|(_, code)| {
            code.lines().filter_map(|l| {
                let l = l
                    .trim()
                    .trim_start_matches("pub(crate) ")
                    .trim_start_matches("pub ");
                let rest = l.strip_prefix("const ")?;
                let (name, value) = rest.split_once(": &str = \"")?;
                Some((name.to_string(), value.split('"').next()?.to_string()))
            })
        })
        .collect();
    let mut out = BTreeSet::new();
    for (path, code) in files {
        for call in ["Finding::new(", "Issue::new("] {
            for (i, _) in code.match_indices(call) {
                let arg = code[i + call.len()..].trim_start();
                let kind = if let Some(lit) = arg.strip_prefix('"') {
                    lit.split('"').next().map(String::from)
                } else {
                    let ident: String = arg
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    let ident = ident.rsplit("::").next().unwrap_or("").to_string();
                    consts
                        .iter()
                        .find(|(n, _)| *n == ident)
                        .map(|(_, v)| v.clone())
                };
                if let Some(kind) = kind {
                    out.insert((kind, path.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn every_kind_the_code_emits_is_documented_and_every_documented_kind_is_emitted() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let reg = Registry::builtin();
    let emitted = kinds_in_code(&files);
    assert!(
        emitted.len() > 30,
        "the scan found too few kinds: {emitted:?}"
    );
    for (kind, path) in &emitted {
        assert!(
            reg.get(kind).is_some(),
            "{path} emits finding kind {kind:?}, which no runbook documents: add it under \
             `findings:` in runbooks/*.yaml (what it checks, why, evidence, fix, safety)"
        );
    }
    for k in reg.kinds() {
        let quoted = format!("\"{}\"", k.name);
        assert!(
            files.iter().any(|(_, code)| code.contains(&quoted)),
            "runbook(s) {:?} document finding kind {:?}, which no code emits: remove the text or \
             emit the kind",
            k.docs.iter().map(|(r, _)| r).collect::<Vec<_>>(),
            k.name
        );
    }
}

#[test]
fn every_built_in_remedy_template_parses() {
    for k in Registry::builtin().kinds() {
        for (key, (_, r, _)) in &k.remedies {
            for t in std::iter::once(&r.title).chain(r.command.as_ref()) {
                text::variables(t).unwrap_or_else(|e| panic!("{}.{key}: {e}", k.name));
            }
        }
    }
}

/// The fields a `Remediation { ... }` literal starting at `code[i..]` sets (its text up to the
/// matching brace).
fn literal_body(code: &str, i: usize) -> &str {
    let body = &code[i + "Remediation {".len()..];
    let mut depth = 1;
    for (j, ch) in body.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &body[..j];
                }
            }
            _ => {}
        }
    }
    body
}

/// No analysis, investigate or mutation file writes a remediation text in Rust: neither a
/// `Remediation { title: ... }` literal (its fields in any order, shorthand included) nor a
/// `fix(title, ...)`-style helper that takes the title as a parameter. Each text is a
/// `remedies:` template of its kind in runbooks/*.yaml, rendered by `runbook::kinds::remedy`.
/// (`render`, `report` and `runbook` define and print the type.)
#[test]
fn analysis_remediation_texts_come_from_the_runbooks() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["analysis", "investigate", "mutation"] {
        sources(&src.join(dir), &mut files);
    }
    assert!(files.len() > 50, "the scan found too few files");
    for (path, code) in &files {
        let literal = code.match_indices("Remediation {").any(|(i, _)| {
            literal_body(code, i)
                .split([',', '{'])
                .any(|field| field.trim_start().starts_with("title"))
        });
        assert!(
            !literal,
            "{path} writes a remediation text in Rust: put it under its kind's `remedies:` in \
             runbooks/*.yaml and call runbook::kinds::remedy"
        );
        // A helper `fn fix(title: ..., ...) -> Remediation`: the signature before the arrow.
        let helper = code.match_indices("-> Remediation").any(|(i, _)| {
            let head = &code[..i];
            let sig = &head[head.rfind("fn ").unwrap_or(0)..];
            sig.contains("title")
        });
        assert!(
            !helper,
            "{path} has a function that takes a remediation's title and returns a Remediation: \
             the title belongs in runbooks/*.yaml (runbook::kinds::remedy)"
        );
    }
}

#[test]
fn an_override_may_not_change_a_remedy() {
    let builtin = runbook(&format!(
        "  k:\n{DOC}    safety: safe\n    remedies:\n      look: {{ title: 'Look' }}\n"
    ));
    check_override(&builtin, Some(&builtin)).unwrap();
    let docs_only = runbook(&format!("  k:\n{DOC}    safety: safe\n"));
    check_override(&docs_only, Some(&builtin)).unwrap();
    let changed = runbook(&format!(
        "  k:\n{DOC}    safety: safe\n    remedies:\n      look: {{ title: 'Look away' }}\n"
    ));
    let e = check_override(&changed, Some(&builtin)).unwrap_err();
    assert!(
        e.message.contains("finding k: its remedies differ"),
        "{}",
        e.message
    );
}
