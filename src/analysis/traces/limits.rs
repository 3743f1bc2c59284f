//! Bounds on what trace analysis takes in: a Jaeger search can return traces of hundreds of
//! thousands of spans (a batch job, a runaway loop), and the analysis builds a tree per trace.
//! [`bound`] keeps at most [`Limits::max_traces`] traces, at most [`Limits::max_spans_per_trace`]
//! spans of each (the earliest-starting, so the root and the start of the request stay) and at
//! most [`Limits::max_spans_total`] spans in all, and says what it dropped, for the step's
//! warning. The response body cap (`max_body_bytes`) bounds the bytes; this bounds the work.
//! Pure; tests below.

use crate::model::trace::Trace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_traces: usize,
    pub max_spans_per_trace: usize,
    pub max_spans_total: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_traces: 500,
            max_spans_per_trace: 20_000,
            max_spans_total: 500_000,
        }
    }
}

/// Truncate `traces` in place to `limits`; `Some(note)` says what was left out.
pub fn bound(traces: &mut Vec<Trace>, limits: Limits) -> Option<String> {
    let mut notes = Vec::new();
    if traces.len() > limits.max_traces {
        notes.push(format!(
            "analysed the first {} of {} traces",
            limits.max_traces,
            traces.len()
        ));
        traces.truncate(limits.max_traces);
    }
    let mut cut_traces = 0;
    for t in traces.iter_mut() {
        if t.spans.len() > limits.max_spans_per_trace {
            cut_traces += 1;
            // Earliest first, stable: the root and the start of the request stay.
            let mut order: Vec<usize> = (0..t.spans.len()).collect();
            order.sort_by_key(|&i| (t.spans[i].start_us, i));
            let mut keep = vec![false; t.spans.len()];
            for &i in order.iter().take(limits.max_spans_per_trace) {
                keep[i] = true;
            }
            let mut i = 0;
            t.spans.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
    }
    if cut_traces > 0 {
        notes.push(format!(
            "{cut_traces} trace(s) cut to their first {} spans",
            limits.max_spans_per_trace
        ));
    }
    let mut total = 0;
    let mut keep_traces = traces.len();
    for (i, t) in traces.iter().enumerate() {
        if total + t.spans.len() > limits.max_spans_total && i > 0 {
            keep_traces = i;
            break;
        }
        total += t.spans.len();
    }
    if keep_traces < traces.len() {
        notes.push(format!(
            "stopped at {keep_traces} traces ({} spans in all at most)",
            limits.max_spans_total
        ));
        traces.truncate(keep_traces);
    }
    (!notes.is_empty()).then(|| format!("trace analysis bounded: {}", notes.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trace::{Span, SpanId};

    fn trace(id: &str, spans: usize) -> Trace {
        Trace {
            trace_id: id.into(),
            spans: (0..spans)
                .map(|i| Span {
                    span_id: SpanId(i as u64),
                    // Reverse order: the earliest span is last in the list.
                    start_us: (spans - i) as i64,
                    ..Span::default()
                })
                .collect(),
            ..Trace::default()
        }
    }

    const SMALL: Limits = Limits {
        max_traces: 3,
        max_spans_per_trace: 5,
        max_spans_total: 9,
    };

    #[test]
    fn within_limits_nothing_changes() {
        let mut t = vec![trace("a", 2), trace("b", 5)];
        let before = t.clone();
        assert_eq!(bound(&mut t, SMALL), None);
        assert_eq!(t, before);
    }

    #[test]
    fn traces_spans_and_total_are_capped_with_a_note() {
        let mut t = vec![trace("a", 8), trace("b", 4), trace("c", 1), trace("d", 1)];
        let note = bound(&mut t, SMALL).unwrap();
        assert!(note.contains("first 3 of 4 traces"), "{note}");
        assert!(
            note.contains("1 trace(s) cut to their first 5 spans"),
            "{note}"
        );
        assert!(note.contains("stopped at 2 traces"), "{note}");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].spans.len(), 5);
        // The earliest-starting spans were kept, in their original order.
        let starts: Vec<i64> = t[0].spans.iter().map(|s| s.start_us).collect();
        assert_eq!(starts, vec![5, 4, 3, 2, 1]);
        assert!(t.iter().map(|x| x.spans.len()).sum::<usize>() <= SMALL.max_spans_total);
    }

    #[test]
    fn one_huge_trace_is_still_analysed() {
        let mut t = vec![trace("a", 50)];
        let note = bound(&mut t, SMALL).unwrap();
        assert_eq!(t.len(), 1, "{note}");
        assert_eq!(t[0].spans.len(), 5);
    }
}
