//! Span names as templates: digit runs become `{id}`, UUIDs `{uuid}`, long hex `{hex}`, long
//! random tokens `{token}`, a query string `?{query}` and sensitive values their kind (`{email}`),
//! so a template never holds the value it replaced; which kinds of parts were replaced says how
//! sure the finding is (a UUID proves an ID in one name, digits take several). Tests:
//! `../tests/naming.rs`.

use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Id,
    Uuid,
    Hex,
    Token,
    Query,
    Sensitive,
}

impl Part {
    pub(super) fn strong(self) -> bool {
        !matches!(self, Part::Id)
    }

    /// The RE2 pattern the Collector can rewrite it with, and its placeholder.
    pub(super) fn rewrite(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Part::Uuid => (
                r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                "{uuid}",
            ),
            Part::Hex => (r"\\b[0-9a-fA-F]{8,}\\b", "{hex}"),
            Part::Id => (r"\\b[0-9]+\\b", "{id}"),
            Part::Token => (r"\\b[A-Za-z0-9_-]{20,}\\b", "{token}"),
            Part::Query => (r"\\?.*$", ""),
            Part::Sensitive => return None,
        })
    }
}

fn is_uuid(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn classify(part: &str) -> Option<Part> {
    let b = part.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let letters = b.len() - digits;
    if b.is_empty() {
        None
    } else if digits == b.len() {
        Some(Part::Id)
    } else if b.len() >= 8 && b.iter().all(u8::is_ascii_hexdigit) && digits > 0 && letters > 0 {
        Some(Part::Hex)
    } else if b.len() >= 20 && digits > 0 && b.iter().all(u8::is_ascii_alphanumeric) {
        Some(Part::Token)
    } else if b.len() >= 6 && digits >= 3 && b.iter().all(u8::is_ascii_alphanumeric) {
        Some(Part::Id)
    } else {
        None
    }
}

/// A name with its variable parts replaced, and which kinds of parts those were.
pub fn template(name: &str) -> (String, BTreeSet<Part>) {
    let mut parts = BTreeSet::new();
    let (path, query) = match name.split_once('?') {
        Some((p, _)) => (p, true),
        None => (name, false),
    };
    let path = match crate::analysis::audit::matchers::replace_hits(path, false, |h| {
        format!("{{{}}}", h.kind.name())
    }) {
        Some(s) => {
            parts.insert(Part::Sensitive);
            s
        }
        None => path.to_string(),
    };
    let mut out = String::with_capacity(path.len());
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut rest = path.as_str();
    while !rest.is_empty() {
        let end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
        if end == 0 {
            let c = rest.chars().next().unwrap_or(' ');
            // A placeholder we inserted is kept whole.
            if c == '{'
                && let Some(close) = rest.find('}')
            {
                out.push_str(&rest[..=close]);
                rest = &rest[close + 1..];
                continue;
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let word = &rest[..end];
        rest = &rest[end..];
        if is_uuid(word) {
            parts.insert(Part::Uuid);
            out.push_str("{uuid}");
            continue;
        }
        if let Some(p) = classify(word).filter(|p| *p != Part::Id) {
            parts.insert(p);
            out.push_str(placeholder(p));
            continue;
        }
        // Parts between `-` and `_`: `order-1234` → `order-{id}`.
        let mut piece = String::new();
        for c in word.chars() {
            if c == '-' || c == '_' {
                flush(&mut piece, &mut out, &mut parts);
                out.push(c);
            } else {
                piece.push(c);
            }
        }
        flush(&mut piece, &mut out, &mut parts);
    }
    if query {
        parts.insert(Part::Query);
        out.push_str("?{query}");
    }
    (out, parts)
}

fn placeholder(p: Part) -> &'static str {
    match p {
        Part::Id => "{id}",
        Part::Uuid => "{uuid}",
        Part::Hex => "{hex}",
        Part::Token => "{token}",
        Part::Query => "{query}",
        Part::Sensitive => "{redacted}",
    }
}

fn flush(piece: &mut String, out: &mut String, parts: &mut BTreeSet<Part>) {
    match classify(piece) {
        Some(p) => {
            parts.insert(p);
            out.push_str(placeholder(p));
        }
        None => out.push_str(piece),
    }
    piece.clear();
}
