//! Unit tests of log levels, records and templates on hand-made log text.

use super::*;

fn logs(pods: &[(&str, &str)]) -> Vec<(String, String)> {
    pods.iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------
// Masking
// ---------------------------------------------------------------------------

#[test]
fn masks_every_kind_of_variable_value() {
    for (input, want) in [
        ("order 123 failed", "order <num> failed"),
        ("took 250ms (limit 1.5s)", "took <num>ms (limit <num>s)"),
        ("retry in 1m30s", "retry in <num>"),
        (
            "user 123e4567-e89b-12d3-a456-426614174000 not found",
            "user <uuid> not found",
        ),
        (
            "dial tcp 10.0.3.7:5432: connect: connection refused",
            "dial tcp <ip>: connect: connection refused",
        ),
        ("peer 10.0.3.7 reset", "peer <ip> reset"),
        (
            "upstream [2001:db8::8a2e:370:7334]:8080 down",
            "upstream [<ip>]:<num> down",
        ),
        ("from fe80::1 and ::1", "from <ip> and <ip>"),
        ("mapped ::ffff:10.0.0.1", "mapped <ip>"),
        (
            "mail to jane.doe@example.com bounced",
            "mail to <email> bounced",
        ),
        ("trace 4bf92f3577b34da6a3ce929d0e0e4736", "trace <hex>"),
        ("addr 0x7f3a12", "addr <hex>"),
        ("goroutine +0x1d", "goroutine +<hex>"),
        ("pod checkout-7d9f8b6c5d-x2x7q", "pod checkout-<hex>-<id>"),
        ("GET /api/orders/123/items", "GET /api/orders/<num>/items"),
        ("user \"bob\" not allowed", "user \"<*>\" not allowed"),
        ("key 'a b c' missing", "key '<*>' missing"),
        ("it's down, don't retry", "it's down, don't retry"),
        (
            "at 2026-11-25T09:58:01.123456789Z retrying",
            "at <ts> retrying",
        ),
        ("2026-11-25 09:58:01,123 boom", "<ts> boom"),
        ("at 09:58:01.5 boom", "at <ts> boom"),
        ("Foo.java:12", "Foo.java:<num>"),
        ("user12345 http2 sha256 v1", "user<num> http2 sha256 v1"),
        (
            "words deadbeef accepted stay",
            "words deadbeef accepted stay",
        ),
        ("retries=3 status=503", "retries=<num> status=<num>"),
        ("-5 degrees", "-<num> degrees"),
    ] {
        assert_eq!(mask(input), want, "mask({input:?})");
    }
}

#[test]
fn masking_is_total_on_odd_input() {
    for s in [
        "",
        "\"",
        "'",
        "\"unclosed",
        "::",
        "....",
        "0x",
        "@",
        "a@b",
        "1.",
        "é 42 ü",
        "\\\"",
        "<ts>",
        "[]:",
        "10.0.0.256",
        "1.2.3.4.5",
    ] {
        let _ = mask(s);
        let _ = template(s);
        let _ = grep_literal(s, s);
    }
    assert_eq!(mask("10.0.0.256"), "<num>.<num>.<num>.<num>");
    assert_eq!(mask("v1.2.3"), "v1.<num>.<num>");
}

#[test]
fn the_same_error_with_other_values_has_one_template() {
    let a = template("ERROR payment 8812 for jane@example.com declined by 10.1.2.3 after 312ms");
    let b = template("ERROR payment 17 for bob@example.org declined by 10.9.9.9 after 5ms");
    assert_eq!(a, b);
    assert_eq!(
        a,
        "ERROR payment <num> for <email> declined by <ip> after <num>ms"
    );
}

#[test]
fn structured_lines_are_templated_by_their_message_and_error() {
    assert_eq!(
        template(
            r#"{"level":"error","ts":1795600000.12,"caller":"pay/charge.go:88","msg":"charge failed","order":"o-991","error":"card 4242 declined"}"#
        ),
        "charge failed error=card <num> declined"
    );
    assert_eq!(
        template(
            r#"level=error ts=2026-11-25T09:58:01Z msg="query failed" err="pq: relation \"orders\" does not exist" id=7"#
        ),
        "query failed error=pq: relation \"<*>\" does not exist"
    );
    assert_eq!(template("level=error msg=timeout after=30s"), "timeout");
    // Plain text that merely contains a pair is not logfmt.
    assert_eq!(
        template("ERROR charge failed err=timeout"),
        "ERROR charge failed err=timeout"
    );
}

#[test]
fn grep_literal_is_the_longest_stretch_the_raw_line_holds() {
    assert_eq!(
        grep_literal(
            "ERROR payment <num> for <email> declined by <ip>",
            "ERROR payment 8 for a@b.io declined by 10.0.0.1"
        )
        .as_deref(),
        Some("ERROR payment")
    );
    assert_eq!(
        grep_literal(
            "<ts> connection refused to <ip>",
            "09:58 connection refused to 10.0.0.1"
        )
        .as_deref(),
        Some("connection refused to")
    );
    // A JSON line's template joins its fields; only what the raw line holds is worth a grep.
    let raw =
        r#"{"level":"error","msg":"charge failed","error":"payment returned 503: card declined"}"#;
    let t = template(raw);
    assert_eq!(
        t,
        "charge failed error=payment returned <num>: card declined"
    );
    assert_eq!(grep_literal(&t, raw).as_deref(), Some("payment returned"));
    assert_eq!(grep_literal("<num> <ip>", "1 10.0.0.1"), None);
    assert_eq!(grep_literal("abcdef", "something else"), None);
}

// ---------------------------------------------------------------------------
// Levels
// ---------------------------------------------------------------------------

#[test]
fn error_level_is_read_from_every_common_format() {
    for line in [
        r#"{"level":"error","msg":"x"}"#,
        r#"{"severity":"ERROR","message":"x"}"#,
        r#"{"level":50,"msg":"pino error"}"#,
        r#"{"level":"fatal","msg":"x"}"#,
        "level=error msg=x",
        "ts=1 lvl=ERROR msg=x",
        "E1125 09:58:01.123456       1 controller.go:114] sync failed",
        "F1125 09:58:01.123456       1 main.go:9] cannot start",
        "2026-11-25 09:58:01.123 ERROR 1 --- [nio-8080-exec-1] c.e.Orders : boom",
        "2026-11-25 09:58:01,123 - app - CRITICAL - db gone",
        "[error] upstream timed out",
        "ERROR:root:payment failed",
        "error: could not connect",
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "Traceback (most recent call last):",
        "java.lang.IllegalStateException: pool exhausted",
        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
        "something FATAL happened",
    ] {
        assert!(is_error_line(line), "{line}");
    }
    for line in [
        r#"{"level":"info","msg":"an error was retried"}"#,
        r#"{"level":30,"msg":"pino info"}"#,
        "level=info msg=\"recovered from error\"",
        "level=warn msg=\"Exception ignored\"",
        "I1125 09:58:01.123456       1 controller.go:114] ERROR in name only",
        "2026-11-25 09:58:01.123  INFO 1 --- [main] c.e.App : started, 0 errors",
        "[info] error budget is fine",
        "GET /health 200 1ms",
        "retrying after error",
        "",
    ] {
        assert!(!is_error_line(line), "{line}");
    }
}

// ---------------------------------------------------------------------------
// Records and stack traces
// ---------------------------------------------------------------------------

#[test]
fn api_timestamps_are_split_off_and_parsed() {
    let (at, rest) = split_api_timestamp("2026-11-25T09:58:01.500000000Z ERROR boom");
    assert_eq!(rest, "ERROR boom");
    assert_eq!(at, Some(1_795_600_681.5));
    assert_eq!(split_api_timestamp("ERROR boom"), (None, "ERROR boom"));
    assert_eq!(
        split_api_timestamp("2026-11-25 09:58:01 ERROR boom"),
        (None, "2026-11-25 09:58:01 ERROR boom"),
        "a log's own date is not the API's prefix"
    );
}

#[test]
fn java_stack_traces_stay_with_their_error_line() {
    let text = "\
2026-11-25T09:58:01.000000000Z 2026-11-25 09:58:01.000 ERROR 1 --- [exec-1] c.e.Orders : Request failed
2026-11-25T09:58:01.000000000Z java.lang.IllegalStateException: pool exhausted after 30000ms
2026-11-25T09:58:01.000000000Z \tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)
2026-11-25T09:58:01.000000000Z \tat com.example.Orders.place(Orders.java:41)
2026-11-25T09:58:01.000000000Z Caused by: java.net.SocketTimeoutException: connect timed out
2026-11-25T09:58:01.000000000Z \t... 12 more
2026-11-25T09:58:02.000000000Z 2026-11-25 09:58:02.000  INFO 1 --- [exec-2] c.e.Orders : ok
";
    let r = records(text);
    assert_eq!(r.len(), 2, "{r:#?}");
    assert!(r[0].is_error());
    assert_eq!(r[0].continuation.len(), 5);
    assert_eq!(r[0].at, Some(1_795_600_681.0));
    assert!(!r[1].is_error());
    let s = summarize(&logs(&[("p", text)]), 10);
    assert_eq!((s.records, s.error_records), (2, 1));
    assert_eq!(s.templates.len(), 1);
    assert_eq!(
        s.templates[0].template,
        "<ts> ERROR <num> --- [exec-<num>] c.e.Orders : Request failed"
    );
    assert_eq!(s.templates[0].stack.len(), 5);
}

#[test]
fn a_stack_trace_after_an_info_line_is_not_an_error() {
    let text = "\
INFO retrying charge
\tat com.example.Pay.charge(Pay.java:10)
INFO done
";
    let s = summarize(&logs(&[("p", text)]), 10);
    assert_eq!((s.records, s.error_records), (2, 0));
}

#[test]
fn python_tracebacks_are_one_error_named_by_their_exception() {
    let text = "\
Traceback (most recent call last):
  File \"/app/worker.py\", line 12, in handle
    total = int(payload[\"qty\"])
ValueError: invalid literal for int() with base 10: 'abc'
INFO next job
ERROR:root:job 17 failed
Traceback (most recent call last):
  File \"/app/worker.py\", line 30, in run
KeyError: 'sku'
";
    let r = records(text);
    assert_eq!(r.len(), 3, "{r:#?}");
    assert_eq!(
        r[0].message,
        "ValueError: invalid literal for int() with base 10: 'abc'"
    );
    assert_eq!(r[0].continuation.len(), 3);
    // logger.exception: the logged line names the record, the traceback is its continuation.
    assert_eq!(r[2].message, "ERROR:root:job 17 failed");
    assert_eq!(r[2].continuation.len(), 3);
    let s = summarize(&logs(&[("p", text)]), 10);
    let templates: Vec<&str> = s.templates.iter().map(|t| t.template.as_str()).collect();
    assert_eq!(
        templates,
        [
            "ERROR:root:job <num> failed",
            "ValueError: invalid literal for int() with base <num>: '<*>'"
        ]
    );
}

#[test]
fn a_go_panic_and_its_goroutine_dump_are_one_error() {
    let text = "\
{\"level\":\"info\",\"msg\":\"serving\"}
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5f2c]

goroutine 1 [running]:
main.handle(0x0)
\t/app/main.go:42 +0x1c
created by net/http.(*Server).Serve
exit status 2
{\"level\":\"info\",\"msg\":\"starting\"}
";
    let r = records(text);
    let errors: Vec<&Record> = r.iter().filter(|r| r.is_error()).collect();
    assert_eq!(errors.len(), 1, "{r:#?}");
    assert_eq!(
        errors[0].line,
        "panic: runtime error: invalid memory address or nil pointer dereference"
    );
    // The blank line ends the panic block; the dump after it belongs to no error record.
    assert!(r.iter().filter(|r| r.is_error()).count() == 1);
}

#[test]
fn templates_are_counted_across_pods_most_frequent_first() {
    let a = "\
2026-11-25T09:50:00Z {\"level\":\"error\",\"msg\":\"charge failed\",\"error\":\"upstream 503 from 10.0.0.7\"}
2026-11-25T09:51:00Z {\"level\":\"error\",\"msg\":\"charge failed\",\"error\":\"upstream 503 from 10.0.0.8\"}
2026-11-25T09:52:00Z {\"level\":\"info\",\"msg\":\"ok\"}
2026-11-25T09:53:00Z {\"level\":\"error\",\"msg\":\"cache miss storm\"}
";
    let b = "\
2026-11-25T09:49:00Z {\"level\":\"error\",\"msg\":\"charge failed\",\"error\":\"upstream 503 from 10.0.0.9\"}
";
    let s = summarize(&logs(&[("pod-a", a), ("pod-b", b)]), 10);
    assert_eq!((s.pods, s.records, s.error_records), (2, 5, 4));
    let t = &s.templates[0];
    assert_eq!(t.template, "charge failed error=upstream <num> from <ip>");
    assert_eq!(t.count, 3);
    assert_eq!(t.pods, ["pod-a", "pod-b"]);
    assert_eq!(t.example_pod, "pod-a");
    assert!(t.example.contains("10.0.0.7"), "{}", t.example);
    assert_eq!(t.first_seen, Some(1_795_600_140.0));
    assert_eq!(t.last_seen, Some(1_795_600_260.0));
    assert_eq!(s.templates[1].template, "cache miss storm");
    // Top N cuts after ranking.
    assert_eq!(summarize(&logs(&[("pod-a", a)]), 1).templates.len(), 1);
}

#[test]
fn ties_are_ordered_by_template_text() {
    let s = summarize(&logs(&[("p", "ERROR b happened\nERROR a happened\n")]), 10);
    let t: Vec<&str> = s.templates.iter().map(|t| t.template.as_str()).collect();
    assert_eq!(t, ["ERROR a happened", "ERROR b happened"]);
}
