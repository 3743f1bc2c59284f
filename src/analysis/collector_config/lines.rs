//! Finding the line of a config path in the YAML text, for findings that name the line to change.
//!
//! serde_norway's values carry no positions, so lines are found again in the text, following the
//! path through block-style indentation. Flow style (`{a: 1}`) is found down to the line that
//! holds it; that is the line to change anyway. Tests: `tests.rs`.

/// One step of a path: a mapping key, or the n-th item of a sequence.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Item(usize),
}

#[derive(Debug, Clone)]
pub(super) struct Line {
    /// Column of the content (after `- ` for a list item).
    col: usize,
    /// Column of the `-` for a list item.
    dash: Option<usize>,
    text: String,
}

pub(super) fn index_lines(text: &str) -> Vec<Line> {
    text.lines()
        .map(|raw| {
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let rest = &raw[indent..];
            if rest.trim().is_empty() || rest.starts_with('#') {
                // Not meaningful: a column no path can match.
                return Line {
                    col: usize::MAX,
                    dash: None,
                    text: String::new(),
                };
            }
            match rest.strip_prefix('-') {
                Some(after) if after.is_empty() || after.starts_with(' ') => {
                    let inner = after.trim_start_matches(' ');
                    Line {
                        col: indent + 1 + (after.len() - inner.len()),
                        dash: Some(indent),
                        text: inner.to_string(),
                    }
                }
                _ => Line {
                    col: indent,
                    dash: None,
                    text: rest.to_string(),
                },
            }
        })
        .collect()
}

fn key_matches(text: &str, key: &str) -> bool {
    let rest = [
        text.strip_prefix(key),
        text.strip_prefix('"')
            .and_then(|t| t.strip_prefix(key)?.strip_prefix('"')),
        text.strip_prefix('\'')
            .and_then(|t| t.strip_prefix(key)?.strip_prefix('\'')),
    ];
    rest.into_iter()
        .flatten()
        .any(|r| r.trim_start_matches(' ').starts_with(':'))
}

pub(super) fn locate(lines: &[Line], path: &[Seg]) -> usize {
    let (mut lo, mut hi) = (0, lines.len());
    // The column the scope's own key sits at; children sit to the right of it.
    let mut parent: Option<usize> = None;
    let mut best = 0;
    let right_of = |l: &Line, p: Option<usize>| l.col != usize::MAX && p.is_none_or(|p| l.col > p);
    for seg in path {
        let scope = &lines[lo..hi];
        match *seg {
            Seg::Key(key) => {
                let Some(child) = scope
                    .iter()
                    .filter(|l| right_of(l, parent))
                    .map(|l| l.col)
                    .min()
                else {
                    return best;
                };
                let Some(i) = scope
                    .iter()
                    .position(|l| l.col == child && key_matches(&l.text, key))
                else {
                    return best;
                };
                let i = lo + i;
                best = i + 1;
                let end = lines[i + 1..hi]
                    .iter()
                    .position(|l| l.col != usize::MAX && l.col <= child)
                    .map_or(hi, |p| i + 1 + p);
                (lo, hi, parent) = (i + 1, end, Some(child));
            }
            Seg::Item(n) => {
                let Some(first) = scope.iter().find(|l| l.col != usize::MAX) else {
                    return best;
                };
                let Some(dash) = first.dash else { return best };
                let items: Vec<usize> = scope
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.dash == Some(dash))
                    .map(|(i, _)| lo + i)
                    .collect();
                let Some(&i) = items.get(n) else { return best };
                best = i + 1;
                let end = lines[i + 1..hi]
                    .iter()
                    .position(|l| {
                        l.col != usize::MAX && (l.col <= dash + 1 || l.dash == Some(dash))
                    })
                    .map_or(hi, |p| i + 1 + p);
                (lo, hi, parent) = (i, end, Some(dash));
            }
        }
    }
    best
}
