//! Log templates mined online with Drain (He, Zhu, Zheng, Lyu: "Drain: An Online Log Parsing
//! Approach with Fixed Depth Tree", ICWS 2017): a line is routed through a fixed-depth tree, first
//! by its token count, then by its first `depth` tokens (a node with `max_children` children
//! sends further new tokens to its `<*>` child), to a leaf holding a few clusters; it joins the
//! most similar one (share of positions with equal tokens, wildcards not counting, ties to the
//! cluster with more wildcards, then the older) when that share reaches `similarity`, and the
//! positions where it differs become `<*>`; otherwise it starts a new cluster.
//!
//! Hand-written rather than a crate: the two on crates.io did not fit. `drain-rs` pulls in grok
//! (the Oniguruma C library) and states no licence; `drain3` is young (0.3), pulls in six crates
//! (an interner, a builder macro, a random number generator) and does its own regex masking,
//! while here the masking is [`template`](super::template)'s, tested with the rest of `logs/`.
//!
//! Before mining, each line goes through [`template`](super::template): structured lines give their
//! message, and IDs, numbers, addresses and quoted values are masked, so they never split a
//! template; Drain only has to merge what masking cannot recognise (names, enum values). Error
//! lines and the others are mined apart (the error flag is the tree's first key): a changed
//! return value often differs from the normal line by one word, and `payment declined for <*>` at
//! error level must not disappear into `payment accepted for <*>`.
//!
//! Bounded: raw lines are cut at `max_line_chars` before templating (and templates at 500
//! characters), token lists at `max_tokens`, and a miner holds at most `max_templates` clusters;
//! a line that would start one more is counted in [`Miner::overflow`], not silently lost.
//! Deterministic: ordered maps only, ids in creation order; the same lines in the same order give
//! the same templates and ids. Pure; tests in `drain_tests.rs`.

use std::collections::{BTreeMap, BTreeSet};

use super::template::template;

/// What Drain writes for a position whose tokens differ.
pub const WILDCARD: &str = "<*>";

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrainParams {
    /// Leading tokens that route a line (the paper's depth minus the root and length layers).
    pub depth: usize,
    /// Least share of equal tokens for a line to join a cluster. Above Drain3's 0.4: masking
    /// already took the numbers and IDs, so what is left to merge is a word or two in a line,
    /// and merging too much hides the event that changed inside an older template (a changed
    /// return value is often one word). At 0.6, `user ann logged in` joins `user ben logged in`
    /// (0.75), but `status OK for <*>` does not take `status DECLINED for bob` (0.5: wildcards
    /// do not count); lines of two tokens differing in one stay apart (split, a stable event
    /// stays stable in each part, so the comparison loses little).
    pub similarity: f64,
    /// Children of a tree node before new tokens share its `<*>` child.
    pub max_children: usize,
    /// Clusters per miner (per service).
    pub max_templates: usize,
    /// Raw line length (characters) read; the rest is cut.
    pub max_line_chars: usize,
    /// Tokens of a template kept; the rest is cut.
    pub max_tokens: usize,
}

impl Default for DrainParams {
    fn default() -> Self {
        DrainParams {
            depth: 2,
            similarity: 0.6,
            max_children: 32,
            max_templates: 500,
            max_line_chars: 4096,
            max_tokens: 64,
        }
    }
}

/// One mined template.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub id: usize,
    /// Whether its lines are error lines.
    pub error: bool,
    pub tokens: Vec<String>,
    /// Lines that joined it.
    pub count: usize,
}

impl Cluster {
    pub fn text(&self) -> String {
        self.tokens.join(" ")
    }

    fn wildcards(&self) -> usize {
        self.tokens.iter().filter(|t| *t == WILDCARD).count()
    }
}

/// The tree's first layer: error flag and token count.
type Group = (bool, usize);

#[derive(Debug, Clone)]
pub struct Miner {
    params: DrainParams,
    clusters: Vec<Cluster>,
    /// Children of each node, by its path from the group's root.
    children: BTreeMap<(Group, Vec<String>), BTreeSet<String>>,
    /// Clusters in each leaf, oldest first.
    leaves: BTreeMap<(Group, Vec<String>), Vec<usize>>,
    overflow: usize,
    skipped: usize,
}

impl Miner {
    pub fn new(params: DrainParams) -> Self {
        Miner {
            params,
            clusters: Vec::new(),
            children: BTreeMap::new(),
            leaves: BTreeMap::new(),
            overflow: 0,
            skipped: 0,
        }
    }

    /// Add a raw log line (or a record's message); its cluster id, or `None` when it is empty
    /// ([`Miner::skipped`]) or would have started a cluster over the cap ([`Miner::overflow`]).
    pub fn add(&mut self, line: &str, error: bool) -> Option<usize> {
        let cut: String = line.chars().take(self.params.max_line_chars).collect();
        let masked = template(&cut);
        let tokens: Vec<String> = masked
            .split_whitespace()
            .take(self.params.max_tokens.max(1))
            .map(str::to_string)
            .collect();
        if tokens.is_empty() {
            self.skipped += 1;
            return None;
        }
        let group = (error, tokens.len());
        let path = self.route(group, &tokens);
        let leaf = (group, path);
        if let Some(id) = self.best(&leaf, &tokens) {
            let c = &mut self.clusters[id];
            for (t, new) in c.tokens.iter_mut().zip(&tokens) {
                if t != new {
                    *t = WILDCARD.to_string();
                }
            }
            c.count += 1;
            return Some(id);
        }
        if self.clusters.len() >= self.params.max_templates {
            self.overflow += 1;
            return None;
        }
        let id = self.clusters.len();
        self.clusters.push(Cluster {
            id,
            error,
            tokens,
            count: 1,
        });
        let (group, path) = leaf;
        for i in 0..path.len() {
            self.children
                .entry((group, path[..i].to_vec()))
                .or_default()
                .insert(path[i].clone());
        }
        self.leaves.entry((group, path)).or_default().push(id);
        Some(id)
    }

    /// The path of tree keys a line follows: its leading tokens, or `<*>` where a node is full.
    fn route(&self, group: Group, tokens: &[String]) -> Vec<String> {
        let mut path: Vec<String> = Vec::new();
        for t in tokens.iter().take(self.params.depth) {
            let key = match self.children.get(&(group, path.clone())) {
                Some(kids) if kids.contains(t) => t.clone(),
                Some(kids) if kids.len() >= self.params.max_children => WILDCARD.to_string(),
                _ => t.clone(),
            };
            path.push(key);
        }
        path
    }

    /// The most similar cluster of the leaf, when similar enough.
    fn best(&self, leaf: &(Group, Vec<String>), tokens: &[String]) -> Option<usize> {
        let ids = self.leaves.get(leaf)?;
        let mut best: Option<(f64, usize, usize)> = None;
        for &id in ids {
            let c = &self.clusters[id];
            let equal = c.tokens.iter().zip(tokens).filter(|(a, b)| a == b).count();
            let sim = equal as f64 / tokens.len() as f64;
            let wild = c.wildcards();
            let better = match best {
                None => true,
                // Older clusters come first, so only a strictly better one replaces.
                Some((s, w, _)) => sim > s || (sim == s && wild > w),
            };
            if better {
                best = Some((sim, wild, id));
            }
        }
        best.filter(|(s, _, _)| *s >= self.params.similarity)
            .map(|(_, _, id)| id)
    }

    pub fn cluster(&self, id: usize) -> Option<&Cluster> {
        self.clusters.get(id)
    }

    /// All clusters, by id (creation order).
    pub fn clusters(&self) -> &[Cluster] {
        &self.clusters
    }

    /// Lines that would have started a cluster over `max_templates`.
    pub fn overflow(&self) -> usize {
        self.overflow
    }

    /// Lines with nothing to template (blank).
    pub fn skipped(&self) -> usize {
        self.skipped
    }
}
