//! Personal and financial data: e-mail addresses, payment card numbers (Luhn and an issuer
//! prefix), IBANs (ISO 13616 mod 97 and the country's length), US social security numbers (valid
//! areas, groups and serials only) and IP addresses (not loopback or unspecified). Tests:
//! `../tests/sensitive.rs`.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Hit, SensitiveKind, before, is_alnum, push, run_end, upper_or_digit};

// ---- e-mail ----

fn is_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"._%+-".contains(&c)
}

fn is_domain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
}

pub(super) fn emails(b: &[u8], hits: &mut Vec<Hit>) {
    for at in (0..b.len()).filter(|&i| b[i] == b'@') {
        let mut start = at;
        while start > 0 && is_local(b[start - 1]) && at - start < 64 {
            start -= 1;
        }
        while start < at && b[start] == b'.' {
            start += 1;
        }
        if start == at {
            continue;
        }
        let mut end = run_end(b, at + 1, is_domain);
        while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let domain = &b[at + 1..end];
        let Some(dot) = domain.iter().rposition(|&c| c == b'.') else {
            continue;
        };
        let tld = &domain[dot + 1..];
        let labels_ok = domain
            .split(|&c| c == b'.')
            .all(|l| !l.is_empty() && l[0] != b'-');
        if tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic) && labels_ok {
            let s = String::from_utf8_lossy(&b[start..end]);
            push(hits, SensitiveKind::Email, start, end, &s);
        }
    }
}

// ---- payment cards ----

/// The Luhn checksum over ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Whether an issuer uses this prefix at this length (Visa, Mastercard, Amex, Discover, JCB,
/// Diners, UnionPay, Maestro): a 16-digit number that passes Luhn by chance (one in ten do) still
/// has to look like a card.
fn card_issuer(d: &[u8]) -> bool {
    let n = d.len();
    let p = |k: usize| -> u32 {
        d[..k]
            .iter()
            .fold(0, |acc, &c| acc * 10 + u32::from(c - b'0'))
    };
    let visa = d[0] == b'4' && matches!(n, 13 | 16 | 19);
    let mastercard = n == 16 && ((51..=55).contains(&p(2)) || (2221..=2720).contains(&p(4)));
    let amex = n == 15 && matches!(p(2), 34 | 37);
    let discover =
        (16..=19).contains(&n) && (p(4) == 6011 || (644..=649).contains(&p(3)) || p(2) == 65);
    let jcb = (16..=19).contains(&n) && (3528..=3589).contains(&p(4));
    let diners =
        (14..=19).contains(&n) && ((300..=305).contains(&p(3)) || matches!(p(2), 36 | 38 | 39));
    let unionpay = (16..=19).contains(&n) && p(2) == 62;
    let maestro = matches!(p(4), 5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761..=6763);
    visa || mastercard || amex || discover || jcb || diners || unionpay || maestro
}

pub(super) fn cards(b: &[u8], hits: &mut Vec<Hit>) {
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        // Digits with single spaces or dashes between groups of at least three.
        let mut digits = Vec::with_capacity(19);
        let mut group = 0;
        let mut groups_ok = true;
        let mut separated = false;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                digits.push(b[i]);
                group += 1;
                i += 1;
            } else if matches!(b[i], b' ' | b'-') && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
                groups_ok &= group >= 3;
                separated = true;
                group = 0;
                i += 1;
            } else {
                break;
            }
        }
        let end = i;
        groups_ok &= !separated || group >= 3;
        let bounded_before = before(b, start).is_none_or(|c| !is_alnum(c) && c != b'.');
        // Not followed by a letter or digit, nor by a decimal point and more digits.
        let decimal = b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
        let bounded_after = !decimal && b.get(end).is_none_or(|&c| !is_alnum(c));
        if bounded_before
            && bounded_after
            && groups_ok
            && (13..=19).contains(&digits.len())
            && card_issuer(&digits)
            && luhn(&digits)
        {
            push(
                hits,
                SensitiveKind::PaymentCard,
                start,
                end,
                &String::from_utf8_lossy(&digits),
            );
        }
    }
}

// ---- IBAN ----

/// IBAN lengths of the countries most often seen; others must only be 15–34 long.
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AT", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"CH", 21),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DK", 18),
    (b"EE", 20),
    (b"ES", 24),
    (b"FI", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GR", 27),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IT", 27),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"MT", 31),
    (b"NL", 18),
    (b"NO", 15),
    (b"PL", 28),
    (b"PT", 25),
    (b"RO", 24),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
];

/// ISO 13616 check: the first four characters moved to the end, letters as 10..35, mod 97 = 1.
pub fn iban_valid(iban: &[u8]) -> bool {
    if !(15..=34).contains(&iban.len()) {
        return false;
    }
    if let Some((_, len)) = IBAN_LENGTHS.iter().find(|(cc, _)| &iban[..2] == *cc)
        && iban.len() != *len
    {
        return false;
    }
    let mut rem = 0u32;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

pub(super) fn ibans(b: &[u8], hits: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 4 <= b.len() {
        let head = &b[i..i + 4];
        let plausible = head[0].is_ascii_uppercase()
            && head[1].is_ascii_uppercase()
            && head[2].is_ascii_digit()
            && head[3].is_ascii_digit()
            && before(b, i).is_none_or(|c| !is_alnum(c));
        if !plausible {
            i += 1;
            continue;
        }
        let start = i;
        let mut chars = Vec::with_capacity(34);
        // Where the value could end: before each group separator, and where the run stops.
        let mut cuts = Vec::new();
        let mut j = i;
        while j < b.len() && chars.len() < 34 {
            let c = b[j];
            if upper_or_digit(c) {
                chars.push(c);
                j += 1;
            } else if c == b' '
                && chars.len() % 4 == 0
                && b.get(j + 1).is_some_and(|&n| upper_or_digit(n))
            {
                cuts.push((chars.len(), j));
                j += 1;
            } else {
                break;
            }
        }
        cuts.push((chars.len(), j));
        let found = cuts
            .iter()
            .rev()
            .find(|&&(n, end)| b.get(end).is_none_or(|&c| !is_alnum(c)) && iban_valid(&chars[..n]));
        match found {
            Some(&(n, end)) => {
                push(
                    hits,
                    SensitiveKind::Iban,
                    start,
                    end,
                    &String::from_utf8_lossy(&chars[..n]),
                );
                i = end;
            }
            None => i += 1,
        }
    }
}

// ---- US social security numbers ----

/// `AAA-GG-SSSS` with a valid area (not 000, 666 or 9xx), group (not 00) and serial (not 0000).
pub(super) fn ssns(b: &[u8], hits: &mut Vec<Hit>) {
    if b.len() < 11 {
        return;
    }
    for i in 0..=b.len() - 11 {
        let w = &b[i..i + 11];
        let shape = w.iter().enumerate().all(|(k, &c)| match k {
            3 | 6 => c == b'-',
            _ => c.is_ascii_digit(),
        });
        if !shape
            || before(b, i).is_some_and(|c| is_alnum(c) || c == b'-')
            || b.get(i + 11).is_some_and(|&c| is_alnum(c) || c == b'-')
        {
            continue;
        }
        let area = &w[..3];
        let valid = area != b"000"
            && area != b"666"
            && area[0] != b'9'
            && &w[4..6] != b"00"
            && &w[7..] != b"0000";
        if valid {
            push(
                hits,
                SensitiveKind::NationalId,
                i,
                i + 11,
                &String::from_utf8_lossy(w),
            );
        }
    }
}

// ---- IP addresses ----

pub(super) fn ip_addresses(text: &str, hits: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !(c.is_ascii_hexdigit() || c == b':')
            || before(b, i).is_some_and(|p| is_alnum(p) || p == b'.' || p == b':')
        {
            i += 1;
            continue;
        }
        let end = run_end(b, i, |c| c.is_ascii_hexdigit() || c == b':' || c == b'.');
        let mut cand = &text[i..end];
        // A sentence's full stop is not part of the address.
        cand = cand.trim_end_matches('.');
        let cend = i + cand.len();
        let alone = b.get(cend).is_none_or(|&c| !is_alnum(c));
        // An address with a port (`10.0.0.5:8080`) is the address.
        let (cand, cend, alone) = match cand.rsplit_once(':') {
            Some((host, port))
                if host.parse::<Ipv4Addr>().is_ok()
                    && !port.is_empty()
                    && port.bytes().all(|c| c.is_ascii_digit()) =>
            {
                (host, i + host.len(), true)
            }
            _ => (cand, cend, alone),
        };
        if alone {
            if let Ok(v4) = cand.parse::<Ipv4Addr>() {
                if !(v4.is_loopback() || v4.is_unspecified() || v4.is_broadcast()) {
                    push(hits, SensitiveKind::IpAddress, i, cend, cand);
                }
            } else if cand.matches(':').count() >= 2
                && let Ok(v6) = cand.parse::<Ipv6Addr>()
                && !(v6.is_loopback() || v6.is_unspecified())
            {
                push(hits, SensitiveKind::IpAddress, i, cend, cand);
            }
        }
        i = end.max(i + 1);
    }
}
