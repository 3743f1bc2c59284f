//! The critical path of one trace: which spans the request was actually waiting on, and for how
//! long each, in the manner of the Jaeger UI's critical path (jaeger-ui
//! `packages/jaeger-ui/src/components/TracePage/CriticalPath`).
//!
//! Walk back from a span's end: the child that finished last before the cursor is on the path
//! (its time is its own sub-path), the cursor jumps to that child's start, and repeat; time not
//! covered by a chosen child is the span's self time. Children that ran alongside a chosen one
//! are skipped, so parallel work counts once. Children are first clamped to their parent's
//! (clamped) interval, which handles children outliving their parent and clock skew; children
//! wholly outside it, and zero-length ones, cannot be waited on and are ignored. The walk uses an
//! explicit stack (deep traces must not overflow) over [`Tree`], which has no cycles. Each span
//! appears at most once, and self times sum to the root's duration. Tests: `tests.rs`.

use super::tree::Tree;
use crate::model::trace::Trace;

struct Frame {
    start: i64,
    cursor: i64,
    /// This span's clamped children in `kids[from..to]`, by end descending; `next` is the first
    /// not yet considered. The cursor only moves back, so a child ending after it never qualifies
    /// again and one pass suffices.
    from: usize,
    to: usize,
    next: usize,
    /// Its entry in the output.
    out: usize,
}

/// `(span index, self time µs)` along the main root's critical path, root first, then each
/// chosen child's own path before the parent's earlier children.
pub(super) fn path_times(trace: &Trace, tree: &Tree, out: &mut Vec<(u32, i64)>) {
    out.clear();
    let Some(root) = tree.main_root() else {
        return;
    };
    let spans = &trace.spans;
    let r = &spans[root];
    let (start, end) = (r.start_us, r.start_us.saturating_add(r.duration_us.max(0)));
    // (start, end, span) of clamped children, a stack of per-frame regions.
    let mut kids: Vec<(i64, i64, u32)> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    push_frame(
        trace,
        tree,
        root as u32,
        start,
        end,
        &mut kids,
        &mut stack,
        out,
    );
    while let Some(f) = stack.last_mut() {
        let mut chosen = None;
        while f.next < f.to {
            let k = kids[f.next];
            f.next += 1;
            if k.1 <= f.cursor {
                chosen = Some(k);
                break;
            }
        }
        match chosen {
            Some((cs, ce, c)) => {
                out[f.out].1 += f.cursor - ce;
                f.cursor = cs;
                push_frame(trace, tree, c, cs, ce, &mut kids, &mut stack, out);
            }
            None => {
                out[f.out].1 += f.cursor - f.start;
                let from = f.from;
                stack.pop();
                kids.truncate(from);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn push_frame(
    trace: &Trace,
    tree: &Tree,
    span: u32,
    start: i64,
    end: i64,
    kids: &mut Vec<(i64, i64, u32)>,
    stack: &mut Vec<Frame>,
    out: &mut Vec<(u32, i64)>,
) {
    let from = kids.len();
    for &c in tree.children(span as usize) {
        let s = &trace.spans[c as usize];
        let cs = s.start_us.max(start);
        let ce = s.start_us.saturating_add(s.duration_us.max(0)).min(end);
        if cs < ce {
            kids.push((cs, ce, c));
        }
    }
    // Latest end first; on a tie the longer child, which is the one the parent waited for.
    kids[from..].sort_unstable_by_key(|&(cs, ce, c)| (std::cmp::Reverse(ce), cs, c));
    out.push((span, 0));
    stack.push(Frame {
        start,
        cursor: end,
        from,
        to: kids.len(),
        next: from,
        out: out.len() - 1,
    });
}
