//! Tests of [`super::requests`]: span ids in lines, requests from traces, the skipped test.

use super::requests::ln_run_chance;
use super::requests::*;
use crate::analysis::logs::shift::{Kind, Line, ShiftParams, compare, compare_per_request};
use crate::model::name::Name;
use crate::model::trace::{Resource, Span, SpanId, SpanKind, Trace};

#[test]
fn span_ids_are_read_in_the_usual_spellings() {
    let id = SpanId::parse("f0eeed0bba5690f3");
    for line in [
        "19:18:10.233 INFO p.c.PriceController#46 TraceID: b13badfbb459aeb95064623d02caab5c SpanID: f0eeed0bba5690f3 [query]",
        "level=info trace_id=b13badfbb459aeb95064623d02caab5c span_id=f0eeed0bba5690f3 msg=ok",
        r#"{"msg":"ok","traceId":"b13badfbb459aeb95064623d02caab5c","spanId":"F0EEED0BBA5690F3"}"#,
        r#"{"span.id": "f0eeed0bba5690f3"}"#,
    ] {
        assert_eq!(span_id_in(line), Some(id), "{line}");
    }
    // A trace id alone, a short id, a word that merely contains the key: none.
    for line in [
        "trace_id=b13badfbb459aeb95064623d02caab5c",
        "span_id=f0eeed0b",
        "inspan_id=f0eeed0bba5690f3",
        "span_id=f0eeed0bba5690f3aa",
    ] {
        assert_eq!(span_id_in(line), None, "{line}");
    }
}

fn span(id: u64, parent: Option<u64>, service: &str, op: &str, kind: SpanKind, t: i64) -> Span {
    Span {
        span_id: SpanId(id),
        parent_id: parent.map(SpanId),
        service: Name::from(service),
        operation: Name::from(op),
        start_us: t,
        kind,
        ..Default::default()
    }
}

/// A trace: gateway → price `/prices` (server), price's own `query` span under it, and a
/// client span of price to db.
fn trace(n: u64, t: i64) -> Trace {
    let b = n * 10;
    Trace {
        trace_id: format!("{n:032x}"),
        spans: vec![
            span(b + 1, None, "gateway", "GET /", SpanKind::Server, t),
            span(
                b + 2,
                Some(b + 1),
                "price",
                "/prices",
                SpanKind::Server,
                t + 1,
            ),
            span(
                b + 3,
                Some(b + 2),
                "price",
                "query",
                SpanKind::Internal,
                t + 2,
            ),
            span(
                b + 4,
                Some(b + 3),
                "price",
                "SELECT",
                SpanKind::Client,
                t + 3,
            ),
        ],
        resources: vec![Resource::default()],
        warnings: vec![],
    }
}

#[test]
fn each_span_of_a_service_belongs_to_the_request_it_entered_by() {
    let r = Requests::of(&[trace(1, 100), trace(2, 50)], "price", |_, _| true);
    // Oldest first.
    assert_eq!(r.ops["/prices"], vec![SpanId(22), SpanId(12)]);
    assert_eq!(r.ops.len(), 1);
    for s in [12, 13, 14] {
        assert_eq!(r.request_of(SpanId(s)), Some(("/prices", SpanId(12))));
    }
    // Another service's span is not price's.
    assert_eq!(r.request_of(SpanId(11)), None);
    // An entry whose parent is elsewhere, without a kind: where the request entered.
    let mut t = trace(3, 10);
    t.spans[1].kind = SpanKind::Unspecified;
    let r = Requests::of(&[t], "price", |_, _| true);
    assert_eq!(r.request_of(SpanId(34)), Some(("/prices", SpanId(32))));
    // What `keep` refuses (another window, another pod) is not a request.
    let r = Requests::of(&[trace(1, 100), trace(2, 50)], "price", |s, _| {
        s.start_us > 60
    });
    assert_eq!(r.ops["/prices"], vec![SpanId(12)]);
    assert_eq!(r.request_of(SpanId(23)), None);
}

/// `n` requests of `/prices` from `first`, and the lines of template 7 written by those
/// `writes` says (by index), each from the request's inner span; template 9 on every one.
fn window(first: u64, n: u64, writes: impl Fn(u64) -> bool) -> (Requests, Vec<(usize, SpanId)>) {
    let traces: Vec<Trace> = (first..first + n).map(|i| trace(i, i as i64)).collect();
    let r = Requests::of(&traces, "price", |_, _| true);
    let mut lines = Vec::new();
    for i in first..first + n {
        if writes(i - first) {
            lines.push((7, SpanId(i * 10 + 3)));
        }
        lines.push((9, SpanId(i * 10 + 4)));
    }
    (r, lines)
}

#[test]
fn a_line_every_request_wrote_and_the_latest_ones_do_not_is_skipped() {
    let (b, bl) = window(1, 36, |i| i != 5);
    // Now: the first 10 requests still write it, the last 26 do not.
    let (n, nl) = window(100, 36, |i| i < 10);
    let s = skipped(&b, &bl, &n, &nl, 5);
    assert_eq!(s.len(), 1, "{s:?}");
    let s = &s[0];
    assert_eq!(
        (
            s.template,
            s.operation.as_str(),
            s.wrote,
            s.of,
            s.run,
            s.now
        ),
        (7, "/prices", 35, 36, 26, 36)
    );
    assert!(s.z > 6.0, "{s:?}");
    // The template every request still writes is not skipped.
    // Fewer misses in a row, less improbable; a shorter baseline, less certain.
    let (n2, nl2) = window(100, 36, |i| i < 30);
    let z6 = skipped(&b, &bl, &n2, &nl2, 5)[0].z;
    let (b7, bl7) = window(1, 7, |i| i != 5);
    let z_short = skipped(&b7, &bl7, &n, &nl, 5)[0].z;
    assert!(z6 < s.z && z_short < s.z, "{z6} {z_short} {}", s.z);
}

#[test]
fn a_line_written_in_another_shape_is_replaced_not_skipped() {
    // Every request still writes one line where template 7 was, but as template 8 (an answer
    // whose content changed): the request took the same path.
    let (b, bl) = window(1, 36, |_| true);
    let (n, mut nl) = window(100, 36, |i| i < 10);
    nl.extend((110..136u64).map(|i| (8, SpanId(i * 10 + 3))));
    assert!(skipped(&b, &bl, &n, &nl, 5).is_empty());
    // Without the replacement it is skipped.
    let (n, nl) = window(100, 36, |i| i < 10);
    assert_eq!(skipped(&b, &bl, &n, &nl, 5).len(), 1);
}

#[test]
fn a_rare_line_or_a_short_baseline_makes_no_case() {
    // Written on 1 request in 10: 6 misses in a row are usual.
    let (b, bl) = window(1, 100, |i| i % 10 == 0);
    let (n, nl) = window(200, 30, |i| i < 24);
    let s = skipped(&b, &bl, &n, &nl, 5);
    assert!(s.iter().all(|s| s.z < 2.0), "{s:?}");
    // Under `min_requests` baseline requests: not judged at all.
    let (b, bl) = window(1, 4, |_| true);
    let (n, nl) = window(200, 30, |_| false);
    assert!(skipped(&b, &bl, &n, &nl, 5).is_empty());
    // An operation with no request now says nothing either way.
    let (b, bl) = window(1, 30, |_| true);
    assert!(skipped(&b, &bl, &Requests::default(), &[], 5).is_empty());
}

#[test]
fn the_run_chance_is_the_beta_predictive() {
    // b = B: with the Jeffreys prior, one miss after 1 of 1 has chance ½ / 2 = 0.25.
    assert!((ln_run_chance(1, 1, 1).exp() - 0.25).abs() < 1e-9);
    // No run, no improbability.
    assert_eq!(ln_run_chance(5, 5, 0), 0.0);
    // Longer runs are less likely.
    assert!(ln_run_chance(35, 36, 26) < ln_run_chance(35, 36, 6));
}

/// The lines of `window`'s requests as a log shows them, each naming its span.
fn lines(first: u64, n: u64, writes: impl Fn(u64) -> bool) -> Vec<Line> {
    let mut out = Vec::new();
    for i in first..first + n {
        if writes(i - first) {
            out.push(Line::new(format!(
                "INFO p.c.PriceController#46 SpanID: {:016x} query price of route {i}",
                i * 10 + 3
            )));
        }
        out.push(Line::new(format!(
            "INFO p.r.PriceRepository#12 SpanID: {:016x} rows read {}",
            i * 10 + 4,
            i % 7
        )));
    }
    out
}

#[test]
fn a_skipped_line_is_evidence_where_the_same_share_per_line_is_not() {
    let (b, _) = window(1, 36, |_| true);
    let (n, _) = window(100, 36, |i| i < 10);
    let base = lines(1, 36, |_| true);
    let now = lines(100, 36, |i| i < 10);
    let p = ShiftParams::default();
    let t = compare_per_request(&base, &now, (&b, &n), &p);
    let top = &t.changes[0];
    assert_eq!(top.kind, Kind::Skipped, "{t:?}");
    let r = top.requests.as_ref().unwrap();
    assert_eq!(
        (r.operation.as_str(), r.wrote, r.of, r.run),
        ("/prices", 36, 36, 26)
    );
    // Not also `vanished` or `dropped` per line.
    assert_eq!(
        t.changes
            .iter()
            .filter(|c| c.template == top.template)
            .count(),
        1
    );
    let shift = t
        .to_error_shift()
        .expect("a skipped line is error-runbook evidence");
    assert!(shift.strength >= 1.0, "{shift:?}");
    assert!(
        shift.summary.contains("by none of its last 26 of 36"),
        "{}",
        shift.summary
    );
    assert!(!shift.summary.contains("SpanID: 0"), "{}", shift.summary);
    // Per line alone the same logs are no error-runbook evidence.
    assert_eq!(compare(&base, &now, 0.0, 0.0, &p).to_error_shift(), None);
}

#[test]
fn a_new_operation_beside_an_unchanged_one_skips_nothing() {
    // A bystander whose callers now also call another operation: its old operation's
    // requests log as before, so per request nothing is skipped, though per line the old
    // template's share halved and a new one appeared.
    let (b, _) = window(1, 40, |_| true);
    let base = lines(1, 40, |_| true);
    let mut traces: Vec<Trace> = (100..140).map(|i| trace(i, i as i64)).collect();
    let mut now = lines(100, 40, |_| true);
    for i in 200..240u64 {
        let mut t = trace(i, i as i64);
        t.spans[1].operation = Name::from("/distribute");
        traces.push(t);
        now.push(Line::new(format!(
            "INFO s.s.SeatServiceImpl#114 SpanID: {:016x} distribute seat {i}",
            i * 10 + 3
        )));
    }
    let n = Requests::of(&traces, "price", |_, _| true);
    let t = compare_per_request(&base, &now, (&b, &n), &ShiftParams::default());
    assert!(t.changes.iter().all(|c| c.kind != Kind::Skipped), "{t:?}");
    assert_eq!(t.to_error_shift(), None);
    assert!(t.to_shift().is_some(), "per line the mix moved: {t:?}");
}

#[test]
fn an_error_line_an_operation_stopped_writing_is_not_skipped() {
    let (b, _) = window(1, 36, |_| true);
    let (n, _) = window(100, 36, |_| true);
    let err = |first: u64, n: u64, on: bool| -> Vec<Line> {
        (first..first + n)
            .map(|i| {
                Line::new(if on {
                    format!(
                        "ERROR p.c.PriceController#50 SpanID: {:016x} price missing",
                        i * 10 + 3
                    )
                } else {
                    format!(
                        "INFO p.c.PriceController#46 SpanID: {:016x} price found",
                        i * 10 + 3
                    )
                })
            })
            .collect()
    };
    let t = compare_per_request(
        &err(1, 36, true),
        &err(100, 36, false),
        (&b, &n),
        &ShiftParams::default(),
    );
    assert!(t.changes.iter().all(|c| c.kind != Kind::Skipped), "{t:?}");
}

#[test]
fn a_read_cut_short_covers_only_what_it_returned() {
    use crate::analysis::logs::shift::{covered, lines_between};
    let text = "2026-11-25T10:00:10Z a\n2026-11-25T10:00:20Z b\n2026-11-25T10:00:30Z c\n";
    let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_second() as f64;
    let (from, to) = (t("2026-11-25T10:00:00Z"), t("2026-11-25T10:01:00Z"));
    let read = lines_between(text, from, to).0;
    // Not cut: the whole window (a quiet pod still covered it).
    assert_eq!(covered(&read, from, to, false, false), (from, to));
    // The newest lines only: from the first returned. The byte limit: to the last.
    assert_eq!(
        covered(&read, from, to, true, true),
        (t("2026-11-25T10:00:10Z"), t("2026-11-25T10:00:30Z"))
    );
    // Cut, with nothing in the window: the window's bounds.
    assert_eq!(covered(&[], from, to, true, true), (from, to));
}

/// One line of `text` every `every` seconds over `[from, to)`, naming a span, at info level
/// unless `error`.
fn timed(text: &str, from: f64, to: f64, every: f64, error: bool) -> Vec<Line> {
    let mut out = Vec::new();
    let mut t = from;
    let mut n = 0u64;
    while t < to {
        out.push(Line {
            text: format!("{text} n={n}"),
            error,
            span: Some(SpanId(n + 1)),
            at: Some(t),
        });
        t += every;
        n += 1;
    }
    out
}

#[test]
fn only_a_line_quiet_for_longer_than_its_rate_makes_likely_asks_for_requests() {
    // Two a minute over the baseline hour; now it stopped 10 minutes before the end.
    let base = timed("INFO posted entry", 0.0, 3600.0, 30.0, false);
    let mut now = timed("INFO posted entry", 4500.0, 4800.0, 30.0, false);
    now.extend(timed("INFO read entries", 4500.0, 5400.0, 30.0, false));
    assert!(gone_quiet(&base, &now, (3600.0, 5400.0), 5.0));
    // Quiet for the last minute only: 2 lines expected, not enough.
    let recent = timed("INFO posted entry", 4500.0, 5340.0, 30.0, false);
    assert!(!gone_quiet(&base, &recent, (3600.0, 5400.0), 5.0));
    // Lines that name no span cannot be tied to requests; error lines that stopped are a
    // failure that stopped.
    let unnamed: Vec<Line> = base
        .iter()
        .map(|l| Line {
            span: None,
            ..l.clone()
        })
        .collect();
    assert!(!gone_quiet(&unnamed, &now, (3600.0, 5400.0), 5.0));
    let errors = timed("ERROR posting failed", 0.0, 3600.0, 30.0, true);
    assert!(!gone_quiet(&errors, &now, (3600.0, 5400.0), 5.0));
    // Nothing at all now, over a covered stretch: the clearest case. No stretch: nothing to judge.
    assert!(gone_quiet(&base, &[], (3600.0, 5400.0), 5.0));
    assert!(!gone_quiet(&base, &[], (5400.0, 5400.0), 5.0));
}

#[test]
fn an_operations_name_is_shown_without_control_characters() {
    let rename = |first: u64, n: u64| -> Requests {
        let traces: Vec<Trace> = (first..first + n)
            .map(|i| {
                let mut t = trace(i, i as i64);
                t.spans[1].operation = Name::from("/prices\u{1b}[2J");
                t
            })
            .collect();
        Requests::of(&traces, "price", |_, _| true)
    };
    let (b, n) = (rename(1, 36), rename(100, 36));
    let t = compare_per_request(
        &lines(1, 36, |_| true),
        &lines(100, 36, |i| i < 10),
        (&b, &n),
        &ShiftParams::default(),
    );
    let summary = t.to_error_shift().expect("skipped").summary;
    assert!(summary.contains("/prices [2J"), "{summary}");
    assert!(!summary.contains('\u{1b}'), "{summary}");
}

/// Calibration: when nothing changed (each request writes the line with the same chance before
/// and now), a run as improbable as the bar (z ≥ 4, a chance of 3e-5) is as rare as the bar
/// says, over shares from rare to always and baselines from short to long. Fixed seed.
#[test]
fn with_nothing_changed_a_skip_is_as_rare_as_its_bar() {
    let mut rng = fastrand::Rng::with_seed(15);
    let (mut over_2, mut over_4) = (0, 0);
    let pairs = 4000;
    for _ in 0..pairs {
        let p = 0.05 + 0.95 * rng.f64();
        let (big_b, n) = (rng.usize(5..120), rng.usize(5..120));
        let before: Vec<bool> = (0..big_b).map(|_| rng.f64() < p).collect();
        let after: Vec<bool> = (0..n).map(|_| rng.f64() < p).collect();
        let (b, bl) = window(1, big_b as u64, |i| before[i as usize]);
        let (nr, nl) = window(1000, n as u64, |i| after[i as usize]);
        if let Some(s) = skipped(&b, &bl, &nr, &nl, 5).first() {
            over_2 += usize::from(s.z >= 2.0);
            over_4 += usize::from(s.z >= 4.0);
        }
    }
    eprintln!("calibration: {over_2} at z ≥ 2, {over_4} at z ≥ 4, of {pairs}");
    // P(z ≥ 2) = 2.3%: the z is no more eager than a normal one.
    assert!(over_2 * 100 <= pairs * 3, "{over_2} of {pairs} at z ≥ 2");
    assert!(over_4 <= 2, "{over_4} of {pairs} at z ≥ 4");
}

#[test]
fn requests_that_now_write_nothing_at_all_skip_their_lines() {
    let (b, _) = window(1, 36, |_| true);
    let (n, _) = window(100, 20, |_| true);
    let t = compare_per_request(
        &lines(1, 36, |_| true),
        &[],
        (&b, &n),
        &ShiftParams::default(),
    );
    let top = t.changes.first().expect("a change");
    assert_eq!(top.kind, Kind::Skipped, "{t:?}");
    assert_eq!(
        top.requests.as_ref().map(|r| (r.run, r.now)),
        Some((20, 20))
    );
}
