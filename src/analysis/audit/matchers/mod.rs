//! Hand-written matchers for sensitive values in span data (no regex crate): personal and
//! financial data in `personal.rs` (e-mail addresses, payment card numbers with Luhn and an issuer
//! prefix, IBANs with mod 97, US social security numbers without invalid areas, and when asked IP
//! addresses) and credentials in `credentials.rs` (JWTs with a decodable JSON header, bearer
//! tokens, AWS, GitHub, Stripe and Google keys); here, what they share: [`scan`], [`mask`] (the
//! one way a matched value is ever shown) and the `[REDACTED:kind:mask]` marker a recorded bundle
//! holds in a value's place.
//!
//! Each matcher is conservative: a value must pass the pattern's own check (a checksum, a decodable
//! header, an issuer prefix) and stand on its own (not inside a longer word or number), so an
//! order ID, a UUID, a trace ID or a float is not reported. Byte-level scanning on ASCII patterns
//! keeps every match on `char` boundaries. Not here: where values are looked for, or findings
//! (`sensitive.rs`). Tests: `tests/sensitive.rs`.

mod credentials;
mod personal;

pub use personal::{iban_valid, luhn};

/// What a sensitive value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SensitiveKind {
    Email,
    PaymentCard,
    Jwt,
    BearerToken,
    AwsAccessKey,
    GithubToken,
    StripeKey,
    GoogleApiKey,
    Iban,
    NationalId,
    /// The password of a URL's user info: `postgres://app:PASSWORD@db:5432/orders`.
    ConnectionPassword,
    IpAddress,
}

pub const ALL_KINDS: &[SensitiveKind] = &[
    SensitiveKind::Email,
    SensitiveKind::PaymentCard,
    SensitiveKind::Jwt,
    SensitiveKind::BearerToken,
    SensitiveKind::AwsAccessKey,
    SensitiveKind::GithubToken,
    SensitiveKind::StripeKey,
    SensitiveKind::GoogleApiKey,
    SensitiveKind::Iban,
    SensitiveKind::NationalId,
    SensitiveKind::ConnectionPassword,
    SensitiveKind::IpAddress,
];

impl SensitiveKind {
    pub fn name(self) -> &'static str {
        match self {
            SensitiveKind::Email => "email",
            SensitiveKind::PaymentCard => "payment_card",
            SensitiveKind::Jwt => "jwt",
            SensitiveKind::BearerToken => "bearer_token",
            SensitiveKind::AwsAccessKey => "aws_access_key",
            SensitiveKind::GithubToken => "github_token",
            SensitiveKind::StripeKey => "stripe_key",
            SensitiveKind::GoogleApiKey => "google_api_key",
            SensitiveKind::Iban => "iban",
            SensitiveKind::NationalId => "national_id",
            SensitiveKind::ConnectionPassword => "connection_password",
            SensitiveKind::IpAddress => "ip_address",
        }
    }

    pub fn from_name(s: &str) -> Option<SensitiveKind> {
        ALL_KINDS.iter().copied().find(|k| k.name() == s)
    }

    /// In words, plural: "payment card numbers".
    pub fn describe(self) -> &'static str {
        match self {
            SensitiveKind::Email => "e-mail addresses",
            SensitiveKind::PaymentCard => "payment card numbers",
            SensitiveKind::Jwt => "JSON Web Tokens",
            SensitiveKind::BearerToken => "bearer tokens",
            SensitiveKind::AwsAccessKey => "AWS access keys",
            SensitiveKind::GithubToken => "GitHub tokens",
            SensitiveKind::StripeKey => "Stripe live keys",
            SensitiveKind::GoogleApiKey => "Google API keys",
            SensitiveKind::Iban => "IBANs",
            SensitiveKind::NationalId => "US social security numbers",
            SensitiveKind::ConnectionPassword => "passwords in connection strings",
            SensitiveKind::IpAddress => "IP addresses",
        }
    }

    /// An RE2 pattern for the Collector's `replace_pattern` (OTTL), written for a YAML
    /// single-quoted OTTL string: backslashes are doubled for OTTL's own string escapes.
    pub fn collector_pattern(self) -> &'static str {
        match self {
            SensitiveKind::Email => r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
            SensitiveKind::PaymentCard => r"\\b(?:\\d[ -]?){12,18}\\d\\b",
            SensitiveKind::Jwt => r"eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*",
            SensitiveKind::BearerToken => r"(?i)(bearer\\s+)[A-Za-z0-9._~+/-]+=*",
            SensitiveKind::AwsAccessKey => r"\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b",
            SensitiveKind::GithubToken => {
                r"\\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})"
            }
            SensitiveKind::StripeKey => r"\\b[rs]k_live_[A-Za-z0-9]{16,}",
            SensitiveKind::GoogleApiKey => r"AIza[0-9A-Za-z_-]{35}",
            SensitiveKind::Iban => {
                r"\\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b"
            }
            SensitiveKind::NationalId => r"\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b",
            // The scheme and user are kept (group 1), the password replaced, `@` put back.
            SensitiveKind::ConnectionPassword => {
                r"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s]*:)[^@/\\s]+@"
            }
            SensitiveKind::IpAddress => r"\\b(?:[0-9]{1,3}\\.){3}[0-9]{1,3}\\b",
        }
    }
}

/// One sensitive value in a text: its byte range and how it may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: SensitiveKind,
    pub start: usize,
    pub end: usize,
    /// [`mask`] of the value (of its digits, for a card; of the token, for a bearer token).
    pub masked: String,
    /// True when the range is already a `[REDACTED:...]` marker, not a raw value.
    pub marker: bool,
}

/// The most characters a mask shows at each end.
const SHOWN: usize = 4;
/// The most `*` a mask writes, so a mask of a long token stays readable (and hides its length).
const MAX_STARS: usize = 12;

/// Mask a value for display: at most the first and last 4 characters, and at each end at most a
/// quarter of the value (so never more than half in all); short values are all stars.
/// `4111111111111111` → `4111********1111`.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let keep = (n / 4).min(SHOWN);
    let hidden = n - 2 * keep;
    let mut out: String = chars[..keep].iter().collect();
    out.extend(std::iter::repeat_n('*', hidden.clamp(1, MAX_STARS)));
    out.extend(chars[n - keep..].iter());
    out
}

/// What a recorded bundle holds instead of a sensitive value; [`scan`] reads it back as a hit of
/// the same kind and mask, so a replay reports what the recorded run did.
pub fn marker(kind: SensitiveKind, masked: &str) -> String {
    format!("{MARKER_OPEN}{}:{masked}]", kind.name())
}

/// [`marker`] with a pseudonym of the value after the mask (`[REDACTED:email:jane********.com:
/// 3f9a0c12e4b7]`): two values with the same mask stay apart, the same value gets the same marker
/// everywhere in a bundle. [`scan`] reads it back with the mask alone as the hit's `masked`.
pub fn tagged_marker(kind: SensitiveKind, masked: &str, tag: &str) -> String {
    format!("{MARKER_OPEN}{}:{masked}:{tag}]", kind.name())
}

/// The pseudonym part of a marker's inner text, when it has one: `:` and 8 to 32 hex digits.
fn split_tag(inner: &str) -> &str {
    match inner.rsplit_once(':') {
        Some((mask, tag))
            if !mask.is_empty()
                && (8..=32).contains(&tag.len())
                && tag.bytes().all(|c| c.is_ascii_hexdigit()) =>
        {
            mask
        }
        _ => inner,
    }
}

const MARKER_OPEN: &str = "[REDACTED:";

/// Every sensitive value in `text`, in order, without overlaps. IP addresses only when `ips`.
pub fn scan(text: &str, ips: bool) -> Vec<Hit> {
    let b = text.as_bytes();
    let mut hits = Vec::new();
    markers(text, &mut hits);
    if b.contains(&b'@') {
        personal::emails(b, &mut hits);
    }
    personal::cards(b, &mut hits);
    credentials::jwts(b, &mut hits);
    credentials::bearer(b, &mut hits);
    credentials::keys(b, &mut hits);
    personal::ibans(b, &mut hits);
    personal::ssns(b, &mut hits);
    if find(b, b"://").is_some() {
        let mut pw = Vec::new();
        credentials::connection_passwords(b, &mut pw);
        // `user:s3cret@db.example.com` reads as an e-mail address from the password on: the
        // password is what it is, and the host stays readable.
        hits.retain(|h| h.kind != SensitiveKind::Email || !pw.iter().any(|p| p.start == h.start));
        hits.extend(pw);
    }
    if ips {
        personal::ip_addresses(text, &mut hits);
    }
    // Earliest first, then the longest; a marker or a bearer token wins over what it contains.
    hits.sort_by(|a, c| {
        a.start
            .cmp(&c.start)
            .then(c.end.cmp(&a.end))
            .then(c.marker.cmp(&a.marker))
            .then(priority(a.kind).cmp(&priority(c.kind)))
    });
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        if out.last().is_none_or(|last| h.start >= last.end) {
            out.push(h);
        }
    }
    out
}

fn priority(k: SensitiveKind) -> u8 {
    match k {
        SensitiveKind::BearerToken => 0,
        SensitiveKind::Jwt => 1,
        _ => 2,
    }
}

/// `text` with every hit replaced by `with(hit)`; `None` when there is none.
pub fn replace_hits(text: &str, ips: bool, with: impl Fn(&Hit) -> String) -> Option<String> {
    let hits = scan(text, ips);
    (!hits.is_empty()).then(|| rewrite(text, &hits, with))
}

/// `text` with each of `hits` (from [`scan`] of it) replaced by `with(hit)`.
pub fn rewrite(text: &str, hits: &[Hit], with: impl Fn(&Hit) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for h in hits {
        out.push_str(&text[pos..h.start]);
        out.push_str(&with(h));
        pos = h.end;
    }
    out.push_str(&text[pos..]);
    out
}

// ---- helpers ----

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// A token character of base64url / identifiers.
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn before(b: &[u8], i: usize) -> Option<u8> {
    i.checked_sub(1).map(|j| b[j])
}

fn push(hits: &mut Vec<Hit>, kind: SensitiveKind, start: usize, end: usize, shown: &str) {
    hits.push(Hit {
        kind,
        start,
        end,
        masked: mask(shown),
        marker: false,
    });
}

/// Where the run of `pred` bytes starting at `i` ends.
fn run_end(b: &[u8], mut i: usize, pred: impl Fn(u8) -> bool) -> usize {
    while i < b.len() && pred(b[i]) {
        i += 1;
    }
    i
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn upper_or_digit(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

// ---- markers ----

fn markers(text: &str, hits: &mut Vec<Hit>) {
    let mut from = 0;
    while let Some(off) = text[from..].find(MARKER_OPEN) {
        let start = from + off;
        let rest = &text[start + MARKER_OPEN.len()..];
        from = start + MARKER_OPEN.len();
        let Some(close) = rest.find(']') else { break };
        let inner = &rest[..close];
        let Some((kind, masked)) = inner.split_once(':') else {
            continue;
        };
        let masked = split_tag(masked);
        let (Some(kind), true) = (
            SensitiveKind::from_name(kind),
            !masked.is_empty() && masked.len() <= 64 && !masked.contains(char::is_whitespace),
        ) else {
            continue;
        };
        let end = start + MARKER_OPEN.len() + close + 1;
        hits.push(Hit {
            kind,
            start,
            end,
            masked: masked.to_string(),
            marker: true,
        });
        from = end;
    }
}
