//! Credentials: JWTs (three base64url segments whose header decodes to JSON naming its `alg`),
//! bearer tokens, AWS, GitHub, Stripe and Google keys by their fixed prefixes and lengths, and
//! the password of a URL's user info (a connection string in a ConfigMap, a `db.connection_string`
//! attribute).
//! Tests: `../tests/sensitive.rs`.

use super::{Hit, SensitiveKind, before, find, is_alnum, is_word, push, run_end, upper_or_digit};

// ---- JWT ----

/// Decode unpadded base64url; `None` on a character outside the alphabet.
fn base64url(s: &[u8]) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in s {
        acc = (acc << 6) | val(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

pub(super) fn jwts(b: &[u8], hits: &mut Vec<Hit>) {
    let mut from = 0;
    while let Some(off) = find(&b[from..], b"eyJ") {
        let start = from + off;
        from = start + 3;
        if before(b, start).is_some_and(is_word) {
            continue;
        }
        let h_end = run_end(b, start, is_word);
        if b.get(h_end) != Some(&b'.') {
            continue;
        }
        let p_end = run_end(b, h_end + 1, is_word);
        if p_end - (h_end + 1) < 2 || b.get(p_end) != Some(&b'.') {
            continue;
        }
        let end = run_end(b, p_end + 1, is_word);
        if b.get(end).is_some_and(|&c| c == b'.' || is_word(c)) || h_end - start < 10 {
            continue;
        }
        let header_ok = base64url(&b[start..h_end])
            .and_then(|h| String::from_utf8(h).ok())
            .is_some_and(|h| {
                let h = h.trim();
                h.starts_with('{') && h.contains("\"alg\"")
            });
        if header_ok {
            push(
                hits,
                SensitiveKind::Jwt,
                start,
                end,
                &String::from_utf8_lossy(&b[start..end]),
            );
            from = end;
        }
    }
}

// ---- bearer tokens ----

fn is_token(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"._~+/-".contains(&c)
}

pub(super) fn bearer(b: &[u8], hits: &mut Vec<Hit>) {
    let lower: Vec<u8> = b.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(off) = find(&lower[from..], b"bearer") {
        let word = from + off;
        from = word + 6;
        if before(b, word).is_some_and(is_alnum) {
            continue;
        }
        let start = run_end(b, word + 6, |c| c == b' ' || c == b'\t');
        if start == word + 6 {
            continue;
        }
        let mut end = run_end(b, start, is_token);
        end = run_end(b, end, |c| c == b'=');
        let token = &b[start..end];
        let has_digit = token.iter().any(u8::is_ascii_digit);
        let has_alpha = token.iter().any(u8::is_ascii_alphabetic);
        if token.len() >= 16 && has_digit && has_alpha {
            push(
                hits,
                SensitiveKind::BearerToken,
                start,
                end,
                &String::from_utf8_lossy(token),
            );
            from = end;
        }
    }
}

// ---- vendor keys ----

/// Fixed prefixes followed by a body of `len` (exact, or at least `min` when `exact` is false)
/// characters of `body`, standing alone.
struct KeyShape {
    kind: SensitiveKind,
    prefixes: &'static [&'static [u8]],
    body: fn(u8) -> bool,
    min: usize,
    exact: bool,
}

fn alnum_or_underscore(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

const KEY_SHAPES: &[KeyShape] = &[
    KeyShape {
        kind: SensitiveKind::AwsAccessKey,
        prefixes: &[b"AKIA", b"ASIA"],
        body: upper_or_digit,
        min: 16,
        exact: true,
    },
    KeyShape {
        kind: SensitiveKind::GithubToken,
        prefixes: &[b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_"],
        body: is_alnum,
        min: 36,
        exact: true,
    },
    KeyShape {
        kind: SensitiveKind::GithubToken,
        prefixes: &[b"github_pat_"],
        body: alnum_or_underscore,
        min: 22,
        exact: false,
    },
    KeyShape {
        kind: SensitiveKind::StripeKey,
        prefixes: &[b"sk_live_", b"rk_live_"],
        body: is_alnum,
        min: 16,
        exact: false,
    },
    KeyShape {
        kind: SensitiveKind::GoogleApiKey,
        prefixes: &[b"AIza"],
        body: is_word,
        min: 35,
        exact: true,
    },
];

pub(super) fn keys(b: &[u8], hits: &mut Vec<Hit>) {
    for shape in KEY_SHAPES {
        for prefix in shape.prefixes {
            let mut from = 0;
            while let Some(off) = find(&b[from..], prefix) {
                let start = from + off;
                from = start + prefix.len();
                if before(b, start).is_some_and(is_word) {
                    continue;
                }
                let body_end = run_end(b, from, shape.body);
                let len = body_end - from;
                let ok = if shape.exact {
                    len == shape.min
                } else {
                    len >= shape.min
                };
                if ok && !b.get(body_end).is_some_and(|&c| is_word(c)) {
                    push(
                        hits,
                        shape.kind,
                        start,
                        body_end,
                        &String::from_utf8_lossy(&b[start..body_end]),
                    );
                    from = body_end;
                }
            }
        }
    }
}

// ---- connection strings ----

/// What may stand in a URL's scheme after its first letter (RFC 3986).
fn scheme_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')
}

/// Where a URL's authority ends: a path, a query, a fragment, or what cannot be in a URL (so a
/// quote or a space ends it inside JSON or a log line).
fn ends_authority(c: u8) -> bool {
    matches!(
        c,
        b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\'
    ) || c.is_ascii_whitespace()
}

/// The password in `scheme://user:password@host`: the hit is the password alone, so the scheme,
/// the user and the host stay readable (`postgres://app:[REDACTED:...]@db:5432/orders`). The user
/// may be empty (`redis://:password@cache`); the last `@` of the authority ends the password, as
/// in a URL parser. Without a `:` in the user info, or with an empty password, there is none.
pub(super) fn connection_passwords(b: &[u8], hits: &mut Vec<Hit>) {
    let mut from = 0;
    while let Some(off) = find(&b[from..], b"://") {
        let sep = from + off;
        from = sep + 3;
        // A scheme before it: a letter, then scheme characters.
        let mut start = sep;
        while start > 0 && scheme_char(b[start - 1]) {
            start -= 1;
        }
        if start == sep || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let auth = sep + 3;
        let auth_end = run_end(b, auth, |c| !ends_authority(c));
        let Some(at) = b[auth..auth_end].iter().rposition(|&c| c == b'@') else {
            continue;
        };
        let at = auth + at;
        let Some(colon) = b[auth..at].iter().position(|&c| c == b':') else {
            continue;
        };
        let pw = auth + colon + 1;
        if pw < at {
            let shown = String::from_utf8_lossy(&b[pw..at]).into_owned();
            push(hits, SensitiveKind::ConnectionPassword, pw, at, &shown);
        }
        from = at;
    }
}
