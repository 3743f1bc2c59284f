//! Templates: a record's message with what varies between occurrences masked, so that the same
//! error with other IDs, numbers or addresses counts once; and the literal to grep a template's
//! lines by. Pure; tests in `tests.rs`.

use super::level::logfmt_pairs;
use super::starts_with_date;

/// Longest message (in characters) that is templated; the rest of a huge line is cut first.
const MAX_MESSAGE_CHARS: usize = 500;

/// Keys whose value is the message of a structured line.
const MESSAGE_KEYS: &[&str] = &["msg", "message", "@m", "@mt", "log"];
/// Keys whose value describes the error of a structured line.
const ERROR_KEYS: &[&str] = &["error", "err", "exception", "error.message", "exc_info"];

/// The text a structured line is about: its message, then its error, each as text; `None` for a
/// line that is not structured.
fn structured_message(line: &str) -> Option<String> {
    let t = line.trim_start();
    let (msg, err) = if t.starts_with('{') {
        let serde_json::Value::Object(map) = serde_json::from_str(t).ok()? else {
            return None;
        };
        let text = |keys: &[&str]| {
            keys.iter().find_map(|k| match map.get(*k)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                v => Some(v.to_string()),
            })
        };
        (text(MESSAGE_KEYS), text(ERROR_KEYS))
    } else {
        // logfmt only when the line starts with a pair; `ERROR failed err=x` is plain text.
        let first = t.split(' ').next().unwrap_or("");
        if !first.contains('=') || first.starts_with('=') {
            return None;
        }
        let pairs = logfmt_pairs(t);
        let find = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone()))
        };
        let msg = find(MESSAGE_KEYS);
        let err = find(ERROR_KEYS);
        if msg.is_none() && err.is_none() {
            return None;
        }
        (msg, err)
    };
    match (msg, err) {
        (Some(m), Some(e)) => Some(format!("{m} error={e}")),
        (Some(m), None) => Some(m),
        (None, Some(e)) => Some(format!("error={e}")),
        (None, None) => None,
    }
}

/// The template of a record's message: for JSON and logfmt lines their message (and error)
/// fields, else the whole line, with what varies masked ([`mask`]).
pub fn template(message: &str) -> String {
    let text = structured_message(message).unwrap_or_else(|| message.to_string());
    let text: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    mask(text.trim())
}

/// Characters a masked token may contain: a token is a maximal run of them.
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || "._-:@+".contains(c)
}

/// Mask what varies between occurrences of one message:
///
/// | what | becomes |
/// | --- | --- |
/// | `"quoted"` or `'quoted'` text | `"<*>"`, `'<*>'` |
/// | `2026-11-25T09:58:01.123Z`, `2026-11-25 09:58:01,123`, `09:58:01` | `<ts>` |
/// | `123e4567-e89b-12d3-a456-426614174000` | `<uuid>` |
/// | `10.0.3.7`, `10.0.3.7:5432`, `fe80::1`, `2001:db8::8a2e:370:7334` | `<ip>` |
/// | `jane@example.com` | `<email>` |
/// | `0x7f3a`, `4bf92f3577b34da6` (8+ hex digits with a digit) | `<hex>` |
/// | `42`, `3.14`, `250ms` | `<num>`, `<num>ms` |
/// | `x2x7q` (letters and digits interleaved) | `<id>` |
///
/// Parts of a compound token are masked one by one: `checkout-7d9f8b6c5d-x2x7q` becomes
/// `checkout-<hex>-<id>`, `/orders/123` becomes `/orders/<num>`. Words are kept, as are short
/// digit suffixes (`http2`, `sha256`).
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let opens_quote = c == '"' || (c == '\'' && (i == 0 || !chars[i - 1].is_alphanumeric()));
        if opens_quote && let Some(end) = closing_quote(&chars, i) {
            out.push(c);
            out.push_str("<*>");
            out.push(c);
            i = end + 1;
            continue;
        }
        if is_token_char(c) {
            let start = i;
            while i < chars.len() && is_token_char(chars[i]) {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            let masked = mask_token(&token);
            // `09:58:01,123`: the milliseconds after a comma belong to the time.
            if masked.ends_with("<ts>")
                && i + 1 < chars.len()
                && chars[i] == ','
                && chars[i + 1].is_ascii_digit()
            {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            out.push_str(&masked);
            continue;
        }
        out.push(c);
        i += 1;
    }
    // A date and a time written apart are one timestamp.
    while out.contains("<ts> <ts>") {
        out = out.replace("<ts> <ts>", "<ts>");
    }
    out
}

/// The index of the quote closing the one at `open`; a `'` only closes before a non-letter
/// (so "it's" and "don't" are not quotes).
fn closing_quote(chars: &[char], open: usize) -> Option<usize> {
    let q = chars[open];
    let mut i = open + 1;
    while i < chars.len() {
        if chars[i] == '\\' {
            i += 2;
            continue;
        }
        if chars[i] == q && (q == '"' || chars.get(i + 1).is_none_or(|n| !n.is_alphanumeric())) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn mask_token(token: &str) -> String {
    const EDGE: &[char] = &['.', '-', '_', ':', '@', '+'];
    // `::1` starts with what is elsewhere punctuation.
    if is_ipv6(token) {
        return "<ip>".into();
    }
    let core = token.trim_matches(EDGE);
    if core.is_empty() {
        return token.to_string();
    }
    let start = token.len() - token.trim_start_matches(EDGE).len();
    let (prefix, suffix) = (&token[..start], &token[start + core.len()..]);
    format!("{prefix}{}{suffix}", mask_core(core))
}

fn mask_core(core: &str) -> String {
    if is_timestamp(core) {
        return "<ts>".into();
    }
    if is_uuid(core) {
        return "<uuid>".into();
    }
    if is_ipv4_port(core) || is_ipv6(core) {
        return "<ip>".into();
    }
    if is_email(core) {
        return "<email>".into();
    }
    if is_hex(core) {
        return "<hex>".into();
    }
    if let Some(unit) = number_unit(core) {
        return format!("<num>{unit}");
    }
    // A compound: mask its parts one by one, keeping the separators.
    let mut out = String::with_capacity(core.len());
    let mut part = String::new();
    for c in core.chars() {
        if "._-:@+".contains(c) {
            out.push_str(&mask_part(&part));
            part.clear();
            out.push(c);
        } else {
            part.push(c);
        }
    }
    out.push_str(&mask_part(&part));
    out
}

fn mask_part(part: &str) -> String {
    if part.is_empty() || !part.chars().any(|c| c.is_ascii_digit()) {
        return part.to_string();
    }
    if part.chars().all(|c| c.is_ascii_digit()) {
        return "<num>".into();
    }
    if is_hex(part) {
        return "<hex>".into();
    }
    if let Some(unit) = number_unit(part) {
        return format!("<num>{unit}");
    }
    // Letters then digits (`user12345`, `http2`): long digit runs are IDs, short ones names.
    let letters = part.trim_end_matches(|c: char| c.is_ascii_digit());
    if !letters.is_empty() && !letters.chars().any(|c| c.is_ascii_digit()) {
        let digits = part.len() - letters.len();
        return if digits >= 4 {
            format!("{letters}<num>")
        } else {
            part.to_string()
        };
    }
    "<id>".into()
}

/// `2026-11-25`, `2026-11-25T09:58:01.123456789Z`, `2026-11-25T09:58:01+01:00`, `09:58:01`,
/// `09:58:01.123`.
fn is_timestamp(s: &str) -> bool {
    if starts_with_date(s) {
        return s[10..]
            .chars()
            .all(|c| c.is_ascii_digit() || "T:.,Z+-".contains(c));
    }
    let b = s.as_bytes();
    b.len() >= 8
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b':'
        && b[3..5].iter().all(u8::is_ascii_digit)
        && b[5] == b':'
        && b[6..8].iter().all(u8::is_ascii_digit)
        && s[8..]
            .chars()
            .all(|c| c.is_ascii_digit() || ".Z".contains(c))
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.chars().all(|c| c.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn is_ipv4_port(s: &str) -> bool {
    match s.split_once(':') {
        Some((ip, port)) => {
            is_ipv4(ip)
                && !port.is_empty()
                && port.len() <= 5
                && port.chars().all(|c| c.is_ascii_digit())
        }
        None => is_ipv4(s),
    }
}

/// Eight groups of up to four hex digits, or fewer with one `::`; the last group may be an
/// IPv4 address (`::ffff:10.0.0.1`).
fn is_ipv6(s: &str) -> bool {
    let groups: Vec<&str> = s.split(':').collect();
    let compressed = s.contains("::");
    if groups.len() < 3 || groups.len() > 8 || (!compressed && groups.len() != 8) {
        return false;
    }
    if s.matches("::").count() > 1 {
        return false;
    }
    let n = groups.len();
    groups.iter().enumerate().all(|(i, g)| {
        (g.len() <= 4 && g.chars().all(|c| c.is_ascii_hexdigit())) || (i == n - 1 && is_ipv4(g))
    }) && groups.iter().any(|g| !g.is_empty())
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// `0x` and hex digits, or eight or more hex digits among which a digit (so that words such as
/// "deadbeef" or "accepted" stay words).
fn is_hex(s: &str) -> bool {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit());
    }
    s.len() >= 8
        && s.chars().all(|c| c.is_ascii_hexdigit())
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(|c| c.is_ascii_alphabetic())
}

/// A number, with an optional fraction and a unit of up to three letters (`250ms`, `1.5s`,
/// `10MB`), or a Go duration (`1m30s`): `Some(unit)`, the unit kept in the template.
fn number_unit(s: &str) -> Option<&str> {
    let digits_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let number = &s[..digits_end];
    if number.is_empty()
        || !number.starts_with(|c: char| c.is_ascii_digit())
        || number.ends_with('.')
        || number.matches('.').count() > 1
    {
        return None;
    }
    let unit = &s[digits_end..];
    if unit.is_empty() {
        return Some("");
    }
    if unit.len() <= 3 && unit.chars().all(|c| c.is_alphabetic()) {
        return Some(unit);
    }
    // A Go duration: number-unit pairs.
    let mut rest = s;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        if !matches!(&rest[..u], "h" | "m" | "s" | "ms" | "us" | "µs" | "ns") {
            return None;
        }
        rest = &rest[u..];
    }
    Some("")
}

/// The longest literal stretch of a template (between placeholders, and apart from the
/// ` error=` that joins a structured line's fields) that occurs as is in `example`, for
/// `grep -F`: a stretch of a JSON line's template is only worth grepping for if the raw line holds
/// it. `None` when no such stretch has four characters or more.
pub fn grep_literal(template: &str, example: &str) -> Option<String> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('<') {
        match rest[i..].find('>') {
            Some(j) => {
                pieces.push(&rest[..i]);
                rest = &rest[i + j + 1..];
            }
            None => break,
        }
    }
    pieces.push(rest);
    pieces
        .into_iter()
        .flat_map(|p| p.split(" error="))
        .map(|p| p.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\''))
        .filter(|p| p.chars().count() >= 4 && example.contains(p))
        .fold(None, |best: Option<&str>, p| match best {
            Some(b) if b.chars().count() >= p.chars().count() => Some(b),
            _ => Some(p),
        })
        .map(str::to_string)
}
