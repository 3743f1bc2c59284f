//! The layering of `src/`, enforced: each top-level module may name (`crate::X`) only the modules
//! its row below allows, and no command module may name another command module. A wrong arrow
//! fails here with its name and the line, rather than being hoped away in review (uv gets the same
//! from its crate boundaries; one crate needs a test). `ARCHITECTURE.md` draws the same table.
//!
//! What is read: every `.rs` file under `src/`, minus unit-test code (files named `tests.rs`,
//! files under a `tests/` folder, and everything after a file's `#[cfg(test)]` module), with
//! comments dropped. Only `crate::` paths count: `super::` stays inside a module by construction.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Who may name whom. Leaves (`clock`, `error`, `env_vars`, `promql`) name nothing but each other.
const ALLOWED: &[(&str, &[&str])] = &[
    ("main", &["cli", "commands", "settings", "lib"]),
    ("lib", &[]),
    (
        "commands",
        &[
            "cli",
            "settings",
            "investigate",
            "mcp",
            "mutation",
            "render",
            "report",
            "runbook",
            "analysis",
            "model",
            "backends",
            "transport",
            "promql",
            "clock",
            "error",
            "env_vars",
        ],
    ),
    // The MCP server reads, like the investigations it calls; of `mutation` it calls the deploy
    // and maintain plans only (tests/it/mcp/ proves no write reaches a backend).
    (
        "mcp",
        &[
            "settings",
            "cli",
            "investigate",
            "mutation",
            "runbook",
            "render",
            "report",
            "clock",
            "error",
        ],
    ),
    // clap only: the flags' value types come from below, never from what runs them.
    (
        "cli",
        &["render", "runbook", "report", "model", "clock", "env_vars"],
    ),
    (
        "settings",
        &[
            "cli",
            "backends",
            "transport",
            "runbook",
            "render",
            "model",
            "promql",
            "clock",
            "error",
            "env_vars",
        ],
    ),
    (
        "investigate",
        &[
            "settings",
            "traceql",
            "runbook",
            "analysis",
            "report",
            "render",
            "model",
            "backends",
            "transport",
            "promql",
            "clock",
            "error",
            "env_vars",
            "cli",
        ],
    ),
    // Plans and runs changes, as `investigate` runs runbooks: it reads settings and flags' value
    // structs, and plans with pure analysis (retention, the Collector config lint).
    (
        "mutation",
        &[
            "cli",
            "settings",
            "analysis",
            "runbook",
            "backends",
            "model",
            "report",
            "transport",
            "promql",
            "clock",
            "error",
            "env_vars",
        ],
    ),
    (
        "render",
        &["report", "runbook", "mutation", "model", "clock", "error"],
    ),
    ("report", &["model", "clock"]),
    ("runbook", &["report", "model", "promql", "clock", "error"]),
    (
        "analysis",
        &["model", "report", "runbook", "promql", "clock", "error"],
    ),
    (
        "backends",
        &[
            "model",
            "transport",
            "promql",
            "traceql",
            "clock",
            "error",
            "env_vars",
        ],
    ),
    ("transport", &["error", "promql", "clock", "env_vars"]),
    ("model", &["promql", "clock"]),
    ("promql", &["clock"]),
    ("traceql", &["model", "promql", "clock"]),
    ("clock", &[]),
    ("error", &[]),
    ("env_vars", &[]),
];

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The non-test code of a file, one entry per line, comments blanked.
fn code_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev_cfg_test = false;
    let mut pending: Option<String> = None;
    let mut open_lines = 0usize;
    for line in text.lines() {
        let t = line.trim_start();
        // A top-level `#[cfg(test)] mod ...` ends the code this test reads.
        if prev_cfg_test && !line.starts_with(' ') && t.starts_with("mod ") {
            break;
        }
        prev_cfg_test = line.starts_with("#[cfg(test)]");
        let code = match t.find("//") {
            Some(i) => &t[..i],
            None => t,
        };
        // A `use` spread over lines is read as one line (its first), so groups parse whole.
        if let Some(open) = pending.as_mut() {
            open.push_str(code);
            out.push(String::new());
            if code.contains(';') {
                let i = out.len() - 1 - open_lines;
                out[i] = pending.take().unwrap_or_default();
                open_lines = 0;
            } else {
                open_lines += 1;
            }
            continue;
        }
        let is_use =
            code.starts_with("use ") || code.contains(" use ") || code.starts_with("pub use ");
        if is_use && !code.contains(';') {
            pending = Some(code.to_string());
            open_lines = 1;
            out.push(String::new());
            continue;
        }
        out.push(code.to_string());
    }
    out
}

/// The top-level items of a `{a, b::{c, d}, e}` group (its opening brace already read).
fn group_items(group: &str) -> Vec<&str> {
    let (mut depth, mut start, mut items) = (0usize, 0usize, Vec::new());
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

/// `crate::X::Y…` paths named on a line, as (X, Y).
fn crate_paths(line: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        // `$crate::` in macros and `other_crate::` are not ours.
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let first = ident(rest);
        let after = &rest[first.len()..];
        if let Some(group) = after.strip_prefix("::{") {
            // `crate::commands::{Exit, check}`: one arrow per item.
            for item in group_items(group) {
                let m = ident(item.trim());
                found.push((first.clone(), (!m.is_empty()).then_some(m)));
            }
            continue;
        }
        let second = after
            .strip_prefix("::")
            .map(ident)
            .filter(|s| !s.is_empty());
        if first.is_empty() {
            // `crate::{a, b::c}`: each item of the group.
            if let Some(group) = rest.strip_prefix('{') {
                for item in group_items(group) {
                    let item = item.trim();
                    let m = ident(item);
                    if !m.is_empty() {
                        let s = item[m.len()..]
                            .strip_prefix("::")
                            .map(ident)
                            .filter(|s| !s.is_empty());
                        found.push((m, s));
                    }
                }
            }
            continue;
        }
        found.push((first, second));
    }
    found
}

fn module_of(src: &Path, file: &Path) -> (String, Option<String>) {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts = rel.iter().map(|p| p.to_string_lossy().into_owned());
    let top = parts.next().unwrap();
    let top = top.trim_end_matches(".rs").to_string();
    let sub = parts.next().map(|s| s.trim_end_matches(".rs").to_string());
    (top, sub)
}

#[test]
fn every_arrow_between_modules_is_an_allowed_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let is_test = rel.file_name().is_some_and(|n| n == "tests.rs")
            || rel.iter().any(|c| c == "tests" || c == "testkit.rs");
        if is_test {
            continue;
        }
        let (top, sub) = module_of(&src, file);
        let Some(ok) = allowed.get(top.as_str()) else {
            wrong.push(format!(
                "src/{}: module `{top}` has no row in tests/it/layers.rs ALLOWED (add it, and to ARCHITECTURE.md)",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in code_lines(&text).iter().enumerate() {
            for (to, to_sub) in crate_paths(line) {
                if to == top {
                    // Inside commands/, one command may not reach into another.
                    if top == "commands"
                        && let (Some(from), Some(target)) = (&sub, &to_sub)
                        && from != "mod"
                        && (src.join("commands").join(target).is_dir()
                            || src.join("commands").join(format!("{target}.rs")).is_file())
                        && target != from
                    {
                        wrong.push(format!(
                            "src/{}:{}: command `{from}` → command `{target}`",
                            rel.display(),
                            n + 1
                        ));
                    }
                    continue;
                }
                if !ok.contains(&to.as_str()) {
                    wrong.push(format!("src/{}:{}: {top} → {to}", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows the layering does not allow (ARCHITECTURE.md, tests/it/layers.rs):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_scanner_sees_groups_and_skips_comments_and_tests() {
    assert_eq!(
        crate_paths("use crate::{model::trace::Span, report};"),
        vec![
            ("model".to_string(), Some("trace".to_string())),
            ("report".to_string(), None)
        ]
    );
    assert_eq!(
        crate_paths("use crate::commands::{Exit, check};"),
        vec![
            ("commands".to_string(), Some("Exit".to_string())),
            ("commands".to_string(), Some("check".to_string()))
        ]
    );
    assert_eq!(
        crate_paths("x = $crate::a::b; y = other_crate::c;"),
        Vec::<(String, Option<String>)>::new()
    );
    let lines =
        code_lines("use crate::a; // crate::b\n#[cfg(test)]\nmod tests {\nuse crate::c;\n}");
    let named: Vec<_> = lines.iter().flat_map(|l| crate_paths(l)).collect();
    assert_eq!(named, vec![("a".to_string(), None)]);
    let lines = code_lines("use crate::{\n    a::{b, c},\n    d,\n};\nfn f() {}");
    assert_eq!(lines.len(), 5);
    let named: Vec<_> = lines.iter().flat_map(|l| crate_paths(l)).collect();
    assert_eq!(
        named,
        vec![("a".to_string(), None), ("d".to_string(), None)]
    );
}
