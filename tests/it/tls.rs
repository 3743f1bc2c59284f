//! TLS against a local HTTPS Prometheus stand-in, with certificates made by the test (rcgen): a
//! CA, a server certificate for 127.0.0.1 signed by it, and a client certificate for mTLS.
//!
//! What is proved, through the real binary and the context's backend block: verification is on
//! by default (a server whose CA is unknown fails its steps with a one-line reason naming TLS and
//! the certificate, and a hint at `ca_file`); `ca_file` makes it work; a server that requires a
//! client certificate fails without `cert_file`/`key_file` and works with them;
//! `insecure_skip_verify: true` works and warns on stderr.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;

use crate::faults::run_tracectl;

/// A test PKI: one CA, a server certificate and a client certificate it signed.
struct Pki {
    ca_pem: String,
    server_cert: CertificateDer<'static>,
    server_key: Vec<u8>,
    client_cert_pem: String,
    client_key_pem: String,
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "tracectl test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();

    let mut server = CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    server
        .distinguished_name
        .push(DnType::CommonName, "prometheus.test");
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_key = KeyPair::generate().unwrap();
    let server_cert = server.signed_by(&server_key, &ca).unwrap();

    let mut client = CertificateParams::new(Vec::<String>::new()).unwrap();
    client
        .distinguished_name
        .push(DnType::CommonName, "tracectl");
    client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_key = KeyPair::generate().unwrap();
    let client_cert = client.signed_by(&client_key, &ca).unwrap();

    Pki {
        ca_pem: ca.pem(),
        server_cert: server_cert.der().clone(),
        server_key: server_key.serialize_der(),
        client_cert_pem: client_cert.pem(),
        client_key_pem: client_key.serialize_pem(),
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The server's rustls config; with `client_ca`, a client certificate signed by it is required.
fn server_config(pki: &Pki, client_ca: Option<&str>) -> rustls::ServerConfig {
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        None => builder.with_no_client_auth(),
        Some(pem) => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in rustls::pki_types::pem::PemObject::pem_slice_iter(pem.as_bytes()) {
                roots.add(cert.unwrap()).unwrap();
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider(),
            )
            .build()
            .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
    };
    builder
        .with_single_cert(
            vec![pki.server_cert.clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key.clone())),
        )
        .unwrap()
}

/// An HTTPS server answering every request with an empty Prometheus vector.
struct TlsServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl TlsServer {
    fn start(config: rustls::ServerConfig) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (shutdown, mut rx) = oneshot::channel::<()>();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut rx => return,
                        accepted = listener.accept() => {
                            let Ok((tcp, _)) = accepted else { continue };
                            let acceptor = acceptor.clone();
                            tokio::spawn(async move {
                                // A failed handshake (the client rejected us, or we it) just ends.
                                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                                let mut buf = vec![0_u8; 16 * 1024];
                                let mut seen = Vec::new();
                                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                                    match tls.read(&mut buf).await {
                                        Ok(0) | Err(_) => return,
                                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                                    }
                                }
                                let body = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
                                let answer = format!(
                                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                                    body.len()
                                );
                                let _ = tls.write_all(answer.as_bytes()).await;
                                let _ = tls.shutdown().await;
                            });
                        }
                    }
                }
            });
        });
        TlsServer {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("https://{}", self.addr)
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Writes a config whose one context has a prometheus block: `url` plus `extra` keys.
fn config(dir: &Path, url: &str, extra: &str) -> PathBuf {
    let path = dir.join("config.yaml");
    std::fs::write(
        &path,
        format!(
            "current-context: t\ncontexts:\n  t:\n    prometheus:\n      url: \"{url}\"\n{extra}"
        ),
    )
    .unwrap();
    path
}

/// `investigate latency` with only Prometheus configured; returns (affected-services step, exit
/// code, stderr).
fn run(dir: &Path, config: &Path, quiet: bool) -> (Value, Option<i32>, String) {
    let mut args: Vec<String> = [
        "investigate",
        "latency",
        "--service",
        "checkout",
        "--config",
        &config.display().to_string(),
        "--at",
        "1795600800",
        "--timeout",
        "3s",
        "-o",
        "json",
    ]
    .map(String::from)
    .to_vec();
    if quiet {
        args.push("-q".into());
    }
    let run = run_tracectl(&args, &[], dir);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("no report ({e}): {}", run.stderr));
    let step = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "affected-services")
        .cloned()
        .unwrap();
    (step, run.code, run.stderr)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn verification_is_on_by_default_and_ca_file_makes_it_work() {
    let pki = pki();
    let server = TlsServer::start(server_config(&pki, None));
    let dir = tempfile::tempdir().unwrap();

    let cfg = config(dir.path(), &server.url(), "");
    let (step, code, _) = run(dir.path(), &cfg, true);
    assert_eq!(step["status"], "failed", "{step}");
    let error = step["error"].as_str().unwrap();
    assert!(!error.contains('\n'), "{error}");
    assert!(
        error.contains("TLS") && error.to_lowercase().contains("certificate"),
        "names TLS and the certificate: {error}"
    );
    assert!(
        error.contains("prometheus") && error.contains("ca_file"),
        "{error}"
    );
    assert_eq!(
        code,
        Some(3),
        "nothing else is configured, so nothing completed"
    );

    let ca = write(dir.path(), "ca.pem", &pki.ca_pem);
    let cfg = config(dir.path(), &server.url(), &format!("      ca_file: {ca}\n"));
    let (step, code, stderr) = run(dir.path(), &cfg, true);
    assert_eq!(step["status"], "ok", "{step}\n{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn mtls_needs_the_client_certificate() {
    let pki = pki();
    let server = TlsServer::start(server_config(&pki, Some(&pki.ca_pem)));
    let dir = tempfile::tempdir().unwrap();
    let ca = write(dir.path(), "ca.pem", &pki.ca_pem);

    let cfg = config(dir.path(), &server.url(), &format!("      ca_file: {ca}\n"));
    let (step, _, _) = run(dir.path(), &cfg, true);
    assert_eq!(
        step["status"], "failed",
        "without a client certificate: {step}"
    );
    let error = step["error"].as_str().unwrap();
    assert!(error.contains("TLS"), "{error}");

    let cert = write(dir.path(), "client.pem", &pki.client_cert_pem);
    let key = write(dir.path(), "client-key.pem", &pki.client_key_pem);
    let cfg = config(
        dir.path(),
        &server.url(),
        &format!("      ca_file: {ca}\n      cert_file: {cert}\n      key_file: {key}\n"),
    );
    let (step, code, stderr) = run(dir.path(), &cfg, true);
    assert_eq!(
        step["status"], "ok",
        "with cert_file/key_file: {step}\n{stderr}"
    );
    assert_eq!(code, Some(0));
}

#[test]
fn insecure_skip_verify_works_and_warns() {
    let pki = pki();
    let server = TlsServer::start(server_config(&pki, None));
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &server.url(),
        "      insecure_skip_verify: true\n",
    );
    let (step, code, stderr) = run(dir.path(), &cfg, false);
    assert_eq!(step["status"], "ok", "{step}\n{stderr}");
    assert_eq!(code, Some(0));
    assert!(
        stderr.contains("insecure_skip_verify") && stderr.contains("prometheus"),
        "a warning naming the backend and the key: {stderr}"
    );
}
