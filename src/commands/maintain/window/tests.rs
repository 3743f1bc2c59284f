//! Tests of `maintain window`: the file's parsing and the order of its plan.
use super::*;

const FILE: &str = r#"
name: weekly
duration: 2h
silence:
  matchers: ['team="observability"', 'severity=~"warning|critical"']
backup: {dir: backups/b1}
steps:
  - scale: {workload: deployment/otel-collector, replicas: 3}
  - storage: {retention_days: 30, skip_snapshot: true}
  - config: {collector_config: conf/collector.yaml}
validate: {skip: [jaeger-monitor]}
"#;

#[test]
fn a_backup_is_put_before_the_first_destructive_step() {
    let (w, d, m) = parse(FILE, Path::new("/etc/w")).unwrap();
    assert_eq!(d, Duration::from_secs(7200));
    let names: Vec<&str> = w.steps.iter().map(Step::name).collect();
    assert_eq!(names, ["backup", "scale", "storage", "config"]);
    match &w.steps[0] {
        Step::Backup(b) => assert_eq!(b.dir.as_deref(), Some(Path::new("/etc/w/backups/b1"))),
        s => panic!("{s:?}"),
    }
    match &w.steps[3] {
        Step::Config(c) => assert_eq!(
            c.collector_config.as_deref(),
            Some(Path::new("/etc/w/conf/collector.yaml"))
        ),
        s => panic!("{s:?}"),
    }
    assert_eq!(m.len(), 2);
    assert!(m[1].is_regex && m[1].is_equal);
    assert_eq!(m[1].value, "warning|critical");
}

#[test]
fn a_backup_after_a_destructive_step_is_refused() {
    let f = "name: w\nduration: 1h\nsteps:\n  - storage: {retention_days: 3, skip_snapshot: true}\n  - backup: {}\n";
    let e = parse(f, Path::new(".")).unwrap_err();
    assert!(e.contains("must come before"), "{e}");
}

#[test]
fn unknown_keys_steps_and_bad_durations_are_refused() {
    for (f, want) in [
        (
            "name: w\nduration: 1h\nsteps:\n  - reboot: {}\n",
            "unknown variant",
        ),
        (
            "name: w\nduration: 1h\nsteps:\n  - scale: {workload: deployment/x, replica: 3}\n",
            "unknown field",
        ),
        (
            "name: w\nduration: soon\nsteps:\n  - health: {}\n",
            "duration",
        ),
        ("name: w\nduration: 1h\nsteps: []\n", "no steps"),
        (
            "name: w\nduration: 1h\nsilence: {matchers: ['=x']}\nsteps:\n  - health: {}\n",
            "matcher",
        ),
    ] {
        let e = parse(f, Path::new(".")).unwrap_err();
        assert!(e.contains(want), "{f}: {e}");
    }
}

#[test]
fn two_steps_changing_one_object_are_refused() {
    use crate::mutation::tests::action;
    let mut p = Plan::new("maintain window", "monitoring");
    let mut a = action("deployment/monitoring/otel-collector", Change::Update, None);
    a.step = 3;
    let mut b = a.clone();
    b.step = 5;
    let unchanged = {
        let mut u = a.clone();
        u.change = Change::Unchanged;
        u
    };
    p.actions = vec![a.clone(), unchanged];
    assert!(
        refuse_overlaps(&p).is_ok(),
        "an unchanged one does not count"
    );
    p.actions.push(b);
    let e = refuse_overlaps(&p).unwrap_err().to_string();
    assert!(e.contains("steps 2") && e.contains("and 4"), "{e}");
}

#[test]
fn matchers_as_amtool_writes_them() {
    let m = parse_matcher("alertname!~\"Watchdog|Info.*\"").unwrap();
    assert_eq!(
        (m.name.as_str(), m.value.as_str(), m.is_regex, m.is_equal),
        ("alertname", "Watchdog|Info.*", true, false)
    );
    let m = parse_matcher("namespace=monitoring").unwrap();
    assert_eq!((m.is_regex, m.is_equal), (false, true));
    assert!(parse_matcher("namespace=").is_err());
    assert!(parse_matcher("1x=\"a\"").is_err());
    assert!(parse_matcher("no operator").is_err());
}
