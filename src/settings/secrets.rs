//! Which values count as secrets, beyond the credentials tracectl itself sends: the `Basic`
//! (base64) form of a username and password, which is what a server that echoes the
//! `Authorization` header shows, and the tokens and passwords in the kubeconfig, which kube-rs
//! sends on our behalf. Everything listed here is scrubbed from reports and bundles as a last
//! guard (`Settings::secrets`). Tests: below, and `secrets_never_reach_output_logs_or_bundles` in
//! `tests/it/faults.rs`.

use std::path::{Path, PathBuf};

/// Standard base64 with padding, as HTTP Basic authentication uses it.
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `Authorization: Basic ...` credential for a username and password.
pub fn basic_credential(username: &str, password: &str) -> String {
    base64(format!("{username}:{password}").as_bytes())
}

/// Tokens and passwords of the kubeconfig's users: `path`, else `$KUBECONFIG` (each file), else
/// `~/.kube/config`. A file that is missing or does not parse gives none (connecting reports it).
pub fn kubeconfig_secrets(path: Option<&Path>) -> Vec<String> {
    let files: Vec<PathBuf> = match path {
        Some(p) => vec![p.to_path_buf()],
        None => match std::env::var_os("KUBECONFIG") {
            Some(v) if !v.is_empty() => std::env::split_paths(&v).collect(),
            _ => std::env::var_os("HOME")
                .map(|h| vec![PathBuf::from(h).join(".kube/config")])
                .unwrap_or_default(),
        },
    };
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(doc) = serde_norway::from_str::<serde_norway::Value>(&text) else {
            continue;
        };
        let users = doc.get("users").and_then(|u| u.as_sequence());
        for user in users.into_iter().flatten() {
            let Some(u) = user.get("user") else { continue };
            for key in ["token", "password"] {
                if let Some(v) = u.get(key).and_then(|v| v.as_str()) {
                    out.push(v.to_string());
                }
            }
            if let (Some(name), Some(pw)) = (
                u.get("username").and_then(|v| v.as_str()),
                u.get("password").and_then(|v| v.as_str()),
            ) {
                out.push(basic_credential(name, pw));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
        assert_eq!(
            basic_credential("Aladdin", "open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn kubeconfig_users_tokens_and_passwords_are_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config");
        std::fs::write(
            &p,
            "apiVersion: v1\nkind: Config\nusers:\n- name: a\n  user:\n    token: tok-123456\n- name: b\n  user:\n    username: admin\n    password: pw-654321\n",
        )
        .unwrap();
        let s = kubeconfig_secrets(Some(&p));
        assert!(s.contains(&"tok-123456".to_string()));
        assert!(s.contains(&"pw-654321".to_string()));
        assert!(s.contains(&basic_credential("admin", "pw-654321")));
        assert!(kubeconfig_secrets(Some(&dir.path().join("missing"))).is_empty());
    }
}
