//! The contract's exit codes for a run that could not read anything (issue 20), as a table: every
//! read command × Prometheus and Jaeger each not configured, unreachable (a closed port) or timing
//! out (accepts, never answers; `--timeout 300ms`). Nothing configured is the user's to fix
//! (2, with a one-line error; for `data-loss`, Jaeger alone counts as nothing: it reads Jaeger
//! only beside Elasticsearch); anything configured that failed is 3, whether refused or timed
//! out, and a mix of the two is 3 too. `--timeout 0s` / `--command-timeout 0s` are refused as usage
//! errors (2) before anything is read: they used to fail every step as "timed out" and exit 3 as
//! if the backends were down.

use crate::support::faulty::{Fault, FaultyServer};
use crate::support::report::{self, Run};

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    Absent,
    Unreachable,
    TimesOut,
}

const STATES: [State; 3] = [State::Absent, State::Unreachable, State::TimesOut];

const COMMANDS: &[&[&str]] = &[
    &["investigate", "latency", "--service", "checkout"],
    &["investigate", "errors", "--service", "checkout"],
    &["investigate", "data-loss"],
    &["audit"],
    &["check"],
];

fn run(command: &[&str], extra: &[String]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut a: Vec<String> = command.iter().map(|s| s.to_string()).collect();
    a.extend(extra.iter().cloned());
    a.extend(["-o", "json", "-q"].map(String::from));
    report::tracectl(&a, &[], home.path())
}

#[test]
fn not_configured_unreachable_and_timed_out_follow_the_contract() {
    let refused = FaultyServer::start(Fault::Refuse);
    let silent = FaultyServer::start(Fault::NeverAnswer);
    let url = |s: State| match s {
        State::Absent => None,
        State::Unreachable => Some(refused.url()),
        State::TimesOut => Some(silent.url()),
    };
    let mut wrong = Vec::new();
    let mut table = String::new();
    for command in COMMANDS {
        for prom in STATES {
            for jaeger in STATES {
                let mut extra = vec!["--timeout".to_string(), "300ms".to_string()];
                if let Some(u) = url(prom) {
                    extra.extend(["--prometheus-url".into(), u]);
                }
                if let Some(u) = url(jaeger) {
                    extra.extend(["--jaeger-url".into(), u]);
                }
                // data-loss reads Jaeger only beside Elasticsearch (spans stored but not found):
                // alone, Jaeger is not a backend it needs.
                let jaeger_needed = !command.contains(&"data-loss");
                let expected =
                    if prom == State::Absent && (jaeger == State::Absent || !jaeger_needed) {
                        2
                    } else {
                        3
                    };
                let r = run(command, &extra);
                table.push_str(&format!(
                    "{:<36} prometheus {:<12} jaeger {:<12} exit {}\n",
                    command.join(" "),
                    format!("{prom:?}"),
                    format!("{jaeger:?}"),
                    r.code
                ));
                if r.code != expected {
                    wrong.push(format!(
                        "{} (prometheus {prom:?}, jaeger {jaeger:?}): exit {}, expected {expected}\n{}{}",
                        command.join(" "),
                        r.code,
                        r.stdout.chars().take(1500).collect::<String>(),
                        r.stderr
                    ));
                }
                if expected == 2 {
                    assert!(
                        r.stderr.starts_with("error: ")
                            && r.stderr.contains("\nhint: ")
                            && ["--prometheus-url", "config init"]
                                .iter()
                                .all(|w| r.stderr.contains(w))
                            // An investigation's hint also names the file and the demo.
                            && (command[0] != "investigate"
                                || ["config.yaml", "--replay"]
                                    .iter()
                                    .all(|w| r.stderr.contains(w))),
                        "{}: {}",
                        command.join(" "),
                        r.stderr
                    );
                }
            }
        }
        for flag in ["--timeout", "--command-timeout"] {
            let r = run(
                command,
                &[
                    flag.to_string(),
                    "0s".into(),
                    "--prometheus-url".into(),
                    silent.url(),
                ],
            );
            assert_eq!(r.code, 2, "{} {flag} 0s: {}", command.join(" "), r.stderr);
            assert!(
                r.stderr
                    .starts_with(&format!("error: {flag} must be more than 0s")),
                "{}",
                r.stderr
            );
            assert!(r.stdout.is_empty(), "nothing is read: {}", r.stdout);
        }
    }
    eprintln!("{table}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n---\n"));
}
