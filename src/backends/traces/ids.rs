//! How an OTLP-JSON body writes trace and span IDs: [`HexIds`] (Jaeger's api_v3, which marshals
//! them as hex strings) or [`Base64Ids`] (Grafana Tempo, whose gogo `jsonpb` writes proto `bytes`
//! as standard base64: `"W47/95gDgQPSabYzgT/HAA=="` is `5b8efff798038103d269b633813fc700`).
//!
//! Both give hex, which the decoders then put in Jaeger's canonical form; a value that is not
//! valid base64 of 8 or 16 bytes is passed on as it is, since hex IDs (Tempo's search results,
//! a proxy that re-encodes) are then still read right. Not here: the canonical form itself
//! (`jaeger/mod.rs`). Tests: below.

use std::borrow::Cow;

/// An ID encoding, chosen by type so the serde visitors need no runtime state.
pub(crate) trait IdEncoding {
    /// The ID as hex digits (any case, any width), borrowing when it already is.
    fn to_hex(raw: &str) -> Cow<'_, str>;
}

/// Jaeger api_v3: hex already.
pub(crate) struct HexIds;

/// Tempo: base64 of the ID's bytes.
pub(crate) struct Base64Ids;

impl IdEncoding for HexIds {
    fn to_hex(raw: &str) -> Cow<'_, str> {
        Cow::Borrowed(raw)
    }
}

impl IdEncoding for Base64Ids {
    fn to_hex(raw: &str) -> Cow<'_, str> {
        match base64_bytes(raw) {
            Some(bytes) if bytes.len() == 8 || bytes.len() == 16 => {
                Cow::Owned(bytes.iter().map(|b| format!("{b:02x}")).collect())
            }
            _ => Cow::Borrowed(raw),
        }
    }
}

/// Standard or URL-safe base64, padded or not; `None` for anything else.
fn base64_bytes(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    if s.is_empty() || s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_ids_become_hex() {
        assert_eq!(
            Base64Ids::to_hex("W47/95gDgQPSabYzgT/HAA=="),
            "5b8efff798038103d269b633813fc700"
        );
        assert_eq!(Base64Ids::to_hex("7uGbfsPBsQA="), "eee19b7ec3c1b100");
        // Unpadded and URL-safe spellings of the same bytes.
        assert_eq!(Base64Ids::to_hex("7uGbfsPBsQA"), "eee19b7ec3c1b100");
        assert_eq!(
            Base64Ids::to_hex("W47_95gDgQPSabYzgT_HAA"),
            "5b8efff798038103d269b633813fc700"
        );
    }

    #[test]
    fn hex_and_garbage_pass_through() {
        // 32 hex digits are valid base64 too, but of 24 bytes: not an ID, so kept.
        assert_eq!(
            Base64Ids::to_hex("5b8efff798038103d269b633813fc700"),
            "5b8efff798038103d269b633813fc700"
        );
        assert_eq!(Base64Ids::to_hex("eee19b7ec3c1b100"), "eee19b7ec3c1b100");
        assert_eq!(Base64Ids::to_hex("not base64!"), "not base64!");
        assert_eq!(Base64Ids::to_hex(""), "");
        assert_eq!(HexIds::to_hex("AbC"), "AbC");
    }
}
