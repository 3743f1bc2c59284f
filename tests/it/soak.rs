//! The soak (issue 20), short form: consecutive runs of the read commands against backends that
//! misbehave at random, from a fixed seed. Each run picks a command of the fault matrix
//! (`faults::COMMANDS`) and, for each backend it uses, a healthy fixture half the time and
//! otherwise one of the matrix's faults (refused, never answering, byte by byte, 5xx, 429 with
//! `Retry-After`, malformed, truncated or wrong-shape JSON, a proxy's HTML page, 200 MB bodies, a
//! reset mid-body, a failed TLS handshake). Every run must: not panic; end within its
//! `--command-timeout` (plus process start-up); print a valid `tracectl.report/v1` report; exit
//! with the code the contract gives for the steps it reports (3 when no step completed and one
//! failed, else 0 or 1 by `--fail-on`); and, when every backend was healthy, rank exactly as the
//! command's healthy baseline did (the same evidence gives the same ranking).
//!
//! Not here: misbehaviour that changes from one request to the next within a run (the faults are
//! per backend and per run). `SOAK_RUNS=N` (default 16) and `SOAK_SEED=S` change the length and
//! the seed; `benches/soak.sh` runs the long form (500 runs, release build) and reports memory.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use tracectl::error::Backend;

use crate::faults::{
    AT, COMMANDS, CommandSpec, ExitRule, SLACK, request_timeout, run_tracectl, start_backends,
};
use crate::support::faulty::Fault;

/// One run's outcome, for the summary line and the bench.
struct Outcome {
    command: &'static str,
    faults: Vec<(Backend, Option<Fault>)>,
    code: Option<i32>,
    elapsed: Duration,
    peak_rss: u64,
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `cmd` with each backend healthy (`None`) or misbehaving as told.
fn run(cmd: &CommandSpec, faults: &[(Backend, Option<Fault>)]) -> (crate::faults::Run, Duration) {
    let home = tempfile::Builder::new()
        .prefix("tracectl-soak-")
        .tempdir()
        .expect("tempdir");
    let timeout = faults
        .iter()
        .filter_map(|(_, f)| f.map(request_timeout))
        .max()
        .unwrap_or("1s");
    let (servers, mut args) = start_backends(cmd, home.path(), |b| {
        faults.iter().find(|(fb, _)| *fb == b).and_then(|(_, f)| *f)
    });
    args.extend(
        [
            "--at",
            AT,
            "--timeout",
            timeout,
            "--command-timeout",
            &format!("{}s", cmd.budget.as_secs()),
            "-o",
            "json",
            "-q",
        ]
        .map(String::from),
    );
    let r = run_tracectl(&args, &[], home.path());
    drop(servers);
    (r, cmd.budget)
}

/// What a report ranks: rank, kind, severity and subject of every finding.
fn ranking(report: &Value) -> Value {
    json!(
        report["findings"]
            .as_array()
            .map(|fs| fs
                .iter()
                .map(|f| json!([f["rank"], f["kind"], f["severity"], f["subject"]]))
                .collect::<Vec<_>>())
            .unwrap_or_default()
    )
}

/// The exit code the contract gives for this report: 3 when no step completed and one failed,
/// 2 when every step was skipped; else 1 with a finding at `--fail-on` (critical for `check`
/// and `deploy verify`, never otherwise), else 0.
fn contract_exit(cmd: &CommandSpec, report: &Value) -> i32 {
    let steps = report["steps"].as_array().cloned().unwrap_or_default();
    let status = |s: &Value| s["status"].as_str().unwrap_or("").to_string();
    if !steps.is_empty()
        && steps
            .iter()
            .all(|s| matches!(status(s).as_str(), "failed" | "skipped"))
    {
        return if steps.iter().all(|s| status(s) == "skipped") {
            2
        } else {
            3
        };
    }
    // A deploy gate fails closed: one of its required steps failed is exit 3 (the fault
    // matrix's rule; the long soak found this oracle without it).
    if let ExitRule::Gate(required) = cmd.exit
        && steps
            .iter()
            .any(|s| status(s) == "failed" && required.contains(&s["id"].as_str().unwrap_or("")))
    {
        return 3;
    }
    let fails_on_critical = matches!(cmd.exit, ExitRule::FailsOnCritical);
    let critical = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|f| f["severity"] == "critical");
    i32::from(fails_on_critical && critical)
}

#[test]
fn read_commands_survive_backends_misbehaving_at_random() {
    let _one_matrix_at_a_time = crate::support::matrix_lock();
    let runs = env_or("SOAK_RUNS", 16);
    let seed = env_or("SOAK_SEED", 20);
    let mut rng = fastrand::Rng::with_seed(seed);
    // The long form may leave the 200 MB bodies in; the short one keeps `cargo test` light.
    let heavy = runs > 100;
    let faults: Vec<Fault> = Fault::ALL
        .into_iter()
        .filter(|f| heavy || !matches!(f, Fault::HugeWithLength | Fault::HugeChunked))
        .collect();
    let mut baselines: BTreeMap<&str, Value> = BTreeMap::new();
    let mut outcomes = Vec::new();
    let mut problems = Vec::new();
    for i in 0..runs {
        let cmd = &COMMANDS[rng.usize(..COMMANDS.len())];
        let chosen: Vec<(Backend, Option<Fault>)> = cmd
            .backends
            .iter()
            .map(|(b, _)| (*b, rng.bool().then(|| faults[rng.usize(..faults.len())])))
            .collect();
        let (r, budget) = run(cmd, &chosen);
        let label = format!("run {i} (seed {seed}): {} with {chosen:?}", cmd.name);
        let mut wrong = |p: String| problems.push(format!("{label}: {p}"));
        if r.stderr.contains("panicked") || r.code == Some(101) {
            wrong(format!("panicked:\n{}", r.stderr));
        }
        if r.elapsed > budget + SLACK {
            wrong(format!("took {:?}, budget {budget:?}", r.elapsed));
        }
        match serde_json::from_str::<Value>(&r.stdout) {
            Err(e) => wrong(format!("stdout is not JSON ({e}): {}", r.stdout)),
            Ok(report) => {
                if report["schema"] != "tracectl.report/v1" {
                    wrong(format!("schema {}", report["schema"]));
                }
                let want = contract_exit(cmd, &report);
                if r.code != Some(want) {
                    wrong(format!(
                        "exit {:?}, the contract says {want} for these steps: {}",
                        r.code, report["steps"]
                    ));
                }
                if chosen.iter().all(|(_, f)| f.is_none()) {
                    let got = ranking(&report);
                    let base = baselines.entry(cmd.name).or_insert_with(|| got.clone());
                    if *base != got {
                        wrong(format!(
                            "ranking {got} differs from the same evidence's {base}"
                        ));
                    }
                }
            }
        }
        outcomes.push(Outcome {
            command: cmd.name,
            faults: chosen,
            code: r.code,
            elapsed: r.elapsed,
            peak_rss: r.peak_rss,
        });
    }
    // Every healthy command seen at least once must also have been compared against its own
    // healthy run: compute each baseline again, so a ranking that drifts is caught even when
    // the seed gave a command only one healthy run.
    for cmd in COMMANDS.iter().filter(|c| baselines.contains_key(c.name)) {
        let healthy: Vec<(Backend, Option<Fault>)> =
            cmd.backends.iter().map(|(b, _)| (*b, None)).collect();
        let (r, _) = run(cmd, &healthy);
        let got = serde_json::from_str::<Value>(&r.stdout)
            .map(|v| ranking(&v))
            .unwrap_or(Value::Null);
        if baselines[cmd.name] != got {
            problems.push(format!("{}: a healthy rerun ranks differently", cmd.name));
        }
    }
    if let Ok(path) = std::env::var("SOAK_REPORT") {
        let lines: Vec<String> = outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| {
                format!(
                    "{i}\t{}\t{:?}\t{}\t{}\t{:?}",
                    o.command,
                    o.code,
                    o.elapsed.as_millis(),
                    o.peak_rss,
                    o.faults
                )
            })
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").expect("write SOAK_REPORT");
    }
    let healthy = outcomes
        .iter()
        .filter(|o| o.faults.iter().all(|(_, f)| f.is_none()))
        .count();
    eprintln!(
        "soak: {runs} runs (seed {seed}), {healthy} all healthy, {} problems",
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
