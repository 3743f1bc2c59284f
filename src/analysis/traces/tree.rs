//! The span tree of one trace, made safe to walk: every analysis here goes through it.
//!
//! Real traces are not trees. Spans arrive twice (a retried export), name parents that were
//! never collected (sampling, a crashed process, a span still open), or, through broken
//! instrumentation, form cycles. [`Tree::build`] keeps the first copy of a duplicated span ID,
//! makes spans with a missing (or self-) parent roots, and cuts each cycle at its earliest span,
//! so that walks always terminate. Children are stored flat (CSR) and sorted by start time.
//! Not here: any timing rule (critical path, N+1). Tests: `tests.rs`.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::trace::{Span, SpanId, Trace};

pub(super) struct Tree {
    /// `false` for a later copy of an already seen span ID; such spans are in no walk.
    pub included: Vec<bool>,
    pub parent: Vec<Option<u32>>,
    child_start: Vec<u32>,
    child_list: Vec<u32>,
    /// Main root first (see [`Tree::main_root`]), then the other roots by start time.
    pub roots: Vec<u32>,
}

impl Tree {
    pub fn build(trace: &Trace) -> Tree {
        let spans = &trace.spans;
        let n = spans.len();
        let mut included = vec![true; n];
        let mut index: HashMap<SpanId, u32, FxBuild> =
            HashMap::with_capacity_and_hasher(n, FxBuild::default());
        for (i, s) in spans.iter().enumerate() {
            match index.entry(s.span_id) {
                Entry::Vacant(v) => {
                    v.insert(i as u32);
                }
                Entry::Occupied(_) => included[i] = false,
            }
        }
        let mut parent: Vec<Option<u32>> = spans
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let p = *index.get(&s.parent_id?)?;
                (included[i] && p as usize != i).then_some(p)
            })
            .collect();

        let mut tree = Tree {
            included,
            parent: Vec::new(),
            child_start: Vec::new(),
            child_list: Vec::new(),
            roots: Vec::new(),
        };
        tree.link(spans, &parent);
        // Whatever no root reaches hangs off a cycle. Cutting at the earliest such span (the one
        // most likely to be the real entry point) and walking again reaches the rest.
        let mut seen = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        let roots: Vec<u32> = (0..n as u32)
            .filter(|&i| tree.included[i as usize] && parent[i as usize].is_none())
            .collect();
        for &r in &roots {
            tree.mark(r, &mut seen, &mut stack);
        }
        let mut unreached: Vec<u32> = (0..n as u32)
            .filter(|&i| tree.included[i as usize] && !seen[i as usize])
            .collect();
        if !unreached.is_empty() {
            unreached.sort_by_key(|&i| entry_key(&spans[i as usize], i));
            for i in unreached {
                if !seen[i as usize] {
                    parent[i as usize] = None;
                    tree.mark(i, &mut seen, &mut stack);
                }
            }
            tree.link(spans, &parent);
        }
        tree.parent = parent;
        let mut roots: Vec<u32> = (0..n as u32)
            .filter(|&i| tree.included[i as usize] && tree.parent[i as usize].is_none())
            .collect();
        // The longest root is the request; the others are orphaned fragments of it.
        roots.sort_by_key(|&i| {
            let s = &spans[i as usize];
            (std::cmp::Reverse(s.duration_us), s.start_us, i)
        });
        if roots.len() > 2 {
            roots[1..].sort_by_key(|&i| (spans[i as usize].start_us, i));
        }
        tree.roots = roots;
        tree
    }

    /// Children lists from a parent array, each sorted by start time then position.
    fn link(&mut self, spans: &[Span], parent: &[Option<u32>]) {
        let n = spans.len();
        let mut count = vec![0u32; n + 1];
        for p in parent.iter().flatten() {
            count[*p as usize + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        let mut list = vec![0u32; count[n] as usize];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                list[fill[*p as usize] as usize] = i as u32;
                fill[*p as usize] += 1;
            }
        }
        for p in 0..n {
            let kids = &mut list[count[p] as usize..count[p + 1] as usize];
            if kids.len() > 1 {
                kids.sort_unstable_by_key(|&c| (spans[c as usize].start_us, c));
            }
        }
        self.child_start = count;
        self.child_list = list;
    }

    fn mark(&self, from: u32, seen: &mut [bool], stack: &mut Vec<u32>) {
        if seen[from as usize] {
            return;
        }
        seen[from as usize] = true;
        stack.push(from);
        while let Some(i) = stack.pop() {
            for &c in self.children(i as usize) {
                if !seen[c as usize] {
                    seen[c as usize] = true;
                    stack.push(c);
                }
            }
        }
    }

    pub fn children(&self, i: usize) -> &[u32] {
        match (self.child_start.get(i), self.child_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.child_list[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The span without a parent that lasts longest (earliest, then first, on ties).
    pub fn main_root(&self) -> Option<usize> {
        self.roots.first().map(|&r| r as usize)
    }

    /// Spans in an order where every parent comes before its children (roots' trees in turn).
    pub fn preorder(&self) -> Vec<u32> {
        let mut order = Vec::with_capacity(self.parent.len());
        let mut stack: Vec<u32> = self.roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            order.push(i);
            stack.extend(self.children(i as usize).iter().rev());
        }
        order
    }
}

fn entry_key(s: &Span, i: u32) -> (i64, std::cmp::Reverse<i64>, u32) {
    (s.start_us, std::cmp::Reverse(s.duration_us), i)
}

/// The Fx hash (rustc's), plus a finalizer: span IDs and (service, operation) keys are hashed
/// once or more per span, and SipHash's flooding resistance buys little for data read from
/// one's own tracing backend.
#[derive(Default, Clone, Copy)]
pub(super) struct FxHasher(u64);

pub(super) type FxBuild = BuildHasherDefault<FxHasher>;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// A final xor-shift-multiply: the multiply leaves the low bits, which pick the bucket,
    /// depending only on the low bytes of the input; span IDs like `s1`, `s2` would collide.
    fn finish(&self) -> u64 {
        let h = (self.0 ^ (self.0 >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}
