//! A misbehaving backend for the fault-injection suite (`tests/it/faults.rs`): one server per
//! [`Fault`], which it applies to every request whatever the path, so the same server stands in
//! for Prometheus, Jaeger, Elasticsearch, Kubernetes, Grafana, Alertmanager or the Collector.
//!
//! It is written on a raw `tokio::net::TcpListener`, not on the recording [`super::fixture`]
//! server, because most faults are below HTTP: a connection that is accepted and never answered,
//! an answer dribbled one byte at a time, a body cut off after its `Content-Length` was promised
//! (with an RST: `SO_LINGER` 0), a 200 MB body generated on the fly (never held in memory), and
//! plain-text bytes where the client expects a TLS handshake. Like the fixture server it runs its
//! own runtime on a background thread and stops on drop. Its self-test is in
//! `tests/it/faults.rs` (`faulty_server_misbehaves_as_told`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// 200 MB: far above the client's default 64 MiB cap.
pub const HUGE_BODY_BYTES: u64 = 200 * 1000 * 1000;

/// One way a backend (or what stands in front of it) misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Nothing listens on the port.
    Refuse,
    /// The connection is accepted and the request read, then nothing, ever.
    NeverAnswer,
    /// A valid answer, one byte every 100 ms.
    ByteByByte,
    /// A plain-text 500, 502 or 503, as a crashing backend or its proxy sends it.
    Status(u16),
    /// 429 with `Retry-After: 1`.
    TooManyRequests,
    /// `{"status": "succ` and then garbage: not JSON at all.
    MalformedJson,
    /// A JSON document cut short, with a matching `Content-Length` (the server thinks it is done).
    TruncatedJson,
    /// Valid JSON of a shape no backend API uses.
    WrongShape,
    /// A reverse proxy's HTML error page, with status 200.
    HtmlPage,
    /// Prometheus' error envelope, `{"status":"error",...}`, with status 200.
    PromStatusError,
    /// A 200 MB body declared in `Content-Length`.
    HugeWithLength,
    /// A 200 MB chunked body (no length known up front).
    HugeChunked,
    /// `Content-Length: 4096`, 100 bytes, then a TCP reset.
    ResetMidBody,
    /// Plain HTTP bytes answer a TLS ClientHello: the URL says `https://`.
    TlsHandshake,
}

impl Fault {
    pub const ALL: [Fault; 16] = [
        Fault::Refuse,
        Fault::NeverAnswer,
        Fault::ByteByByte,
        Fault::Status(500),
        Fault::Status(502),
        Fault::Status(503),
        Fault::TooManyRequests,
        Fault::MalformedJson,
        Fault::TruncatedJson,
        Fault::WrongShape,
        Fault::HtmlPage,
        Fault::PromStatusError,
        Fault::HugeWithLength,
        Fault::HugeChunked,
        Fault::ResetMidBody,
        Fault::TlsHandshake,
    ];

    /// The matrix row label.
    pub fn name(self) -> String {
        match self {
            Fault::Refuse => "connection refused".into(),
            Fault::NeverAnswer => "accepts, never answers".into(),
            Fault::ByteByByte => "answers byte by byte".into(),
            Fault::Status(code) => format!("HTTP {code}"),
            Fault::TooManyRequests => "HTTP 429 + Retry-After".into(),
            Fault::MalformedJson => "malformed JSON".into(),
            Fault::TruncatedJson => "truncated JSON".into(),
            Fault::WrongShape => "JSON of the wrong shape".into(),
            Fault::HtmlPage => "HTML page from a proxy".into(),
            Fault::PromStatusError => "200 + \"status\":\"error\"".into(),
            Fault::HugeWithLength => "200 MB body (Content-Length)".into(),
            Fault::HugeChunked => "200 MB body (chunked)".into(),
            Fault::ResetMidBody => "reset mid-body".into(),
            Fault::TlsHandshake => "TLS handshake fails".into(),
        }
    }
}

/// A running misbehaving server; [`Fault::Refuse`] runs none and only holds a closed port.
pub struct FaultyServer {
    fault: Fault,
    addr: SocketAddr,
    hits: Arc<AtomicUsize>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FaultyServer {
    pub fn start(fault: Fault) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind faulty server");
        let addr = listener.local_addr().expect("faulty server address");
        let hits = Arc::new(AtomicUsize::new(0));
        if fault == Fault::Refuse {
            // Bound, then released: nothing listens there any more.
            drop(listener);
            return FaultyServer {
                fault,
                addr,
                hits,
                shutdown: None,
                thread: None,
            };
        }
        listener.set_nonblocking(true).expect("nonblocking");
        let (shutdown, shutdown_rx) = oneshot::channel();
        let counter = Arc::clone(&hits);
        let thread = std::thread::Builder::new()
            .name(format!("faulty-{}", addr.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("faulty runtime");
                runtime.block_on(serve(listener, fault, counter, shutdown_rx));
            })
            .expect("spawn faulty thread");
        FaultyServer {
            fault,
            addr,
            hits,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The URL a client should use: `https://` for [`Fault::TlsHandshake`], else `http://`.
    pub fn url(&self) -> String {
        let scheme = if self.fault == Fault::TlsHandshake {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    fault: Fault,
    hits: Arc<AtomicUsize>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    // Connections are tracked so that shutdown drops them all (a never-answered client then sees
    // its connection close, and the thread can end).
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => if let Ok((stream, _)) = accepted {
                hits.fetch_add(1, Ordering::SeqCst);
                tasks.spawn(misbehave(stream, fault));
            },
        }
    }
    tasks.abort_all();
}

/// Reads one request's head and body (enough for the client to be waiting for the answer).
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0_u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(buf);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() > 1 << 20 {
            return Ok(buf);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn head(status: u16, content_type: &str, length: Option<u64>, extra: &str) -> String {
    let reason = match status {
        200 => "OK",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let length = match length {
        Some(n) => format!("Content-Length: {n}\r\n"),
        None => "Transfer-Encoding: chunked\r\n".into(),
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n{length}{extra}Connection: close\r\n\r\n"
    )
}

async fn whole(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    extra: &str,
    body: &str,
) -> std::io::Result<()> {
    let mut out = head(status, content_type, Some(body.len() as u64), extra).into_bytes();
    out.extend_from_slice(body.as_bytes());
    stream.write_all(&out).await?;
    stream.shutdown().await
}

const HTML_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n";

async fn misbehave(mut stream: TcpStream, fault: Fault) {
    if fault == Fault::TlsHandshake {
        // A plain server answering a ClientHello: read what came, answer HTTP, hang up.
        let mut chunk = [0_u8; 4096];
        let _ = stream.read(&mut chunk).await;
        let _ = whole(
            &mut stream,
            400,
            "text/plain",
            "",
            "Client sent an HTTP request to an HTTPS server.\n",
        )
        .await;
        return;
    }
    if read_request(&mut stream).await.is_err() {
        return;
    }
    let _ = answer(&mut stream, fault).await;
}

async fn answer(stream: &mut TcpStream, fault: Fault) -> std::io::Result<()> {
    const JSON: &str = "application/json";
    match fault {
        Fault::Refuse | Fault::TlsHandshake => Ok(()),
        Fault::NeverAnswer => {
            // Until the client gives up (or the server is dropped).
            let mut chunk = [0_u8; 1024];
            while stream.read(&mut chunk).await? > 0 {}
            std::future::pending::<()>().await;
            Ok(())
        }
        Fault::ByteByByte => {
            let body = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
            let mut out = head(200, JSON, Some(body.len() as u64), "").into_bytes();
            out.extend_from_slice(body.as_bytes());
            for b in out {
                stream.write_all(&[b]).await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            stream.shutdown().await
        }
        Fault::Status(code) => {
            let text = match code {
                500 => "internal server error\n",
                502 => "upstream connect error or disconnect/reset before headers\n",
                _ => "service unavailable: too many queries in flight\n",
            };
            whole(stream, code, "text/plain; charset=utf-8", "", text).await
        }
        Fault::TooManyRequests => {
            whole(
                stream,
                429,
                "text/plain; charset=utf-8",
                "Retry-After: 1\r\n",
                "rate limit exceeded\n",
            )
            .await
        }
        Fault::MalformedJson => whole(stream, 200, JSON, "", "{\"status\": \"succ\u{1}ess}}]]").await,
        Fault::TruncatedJson => {
            whole(
                stream,
                200,
                JSON,
                "",
                r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"service_name":"chec"#,
            )
            .await
        }
        Fault::WrongShape => {
            whole(
                stream,
                200,
                JSON,
                "",
                r#"{"status":42,"data":{"unexpected":[1,2,3]},"kind":7,"apiVersion":false,"items":"none"}"#,
            )
            .await
        }
        Fault::HtmlPage => whole(stream, 200, "text/html", "", HTML_PAGE).await,
        Fault::PromStatusError => {
            whole(
                stream,
                200,
                JSON,
                "",
                r#"{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}"#,
            )
            .await
        }
        Fault::HugeWithLength | Fault::HugeChunked => {
            let chunked = fault == Fault::HugeChunked;
            let length = (!chunked).then_some(HUGE_BODY_BYTES);
            stream.write_all(head(200, JSON, length, "").as_bytes()).await?;
            // Generated as it goes: one 64 KiB block, sent again and again.
            let block = "0,".repeat(32 * 1024);
            let mut sent = 0_u64;
            while sent < HUGE_BODY_BYTES {
                let n = (HUGE_BODY_BYTES - sent).min(block.len() as u64) as usize;
                if chunked {
                    stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                }
                stream.write_all(&block.as_bytes()[..n]).await?;
                if chunked {
                    stream.write_all(b"\r\n").await?;
                }
                sent += n as u64;
            }
            if chunked {
                stream.write_all(b"0\r\n\r\n").await?;
            }
            stream.shutdown().await
        }
        Fault::ResetMidBody => {
            let mut out = head(200, JSON, Some(4096), "").into_bytes();
            out.extend_from_slice(&br#"{"status":"success","data":{"resultType":"vector","result":["#[..]);
            out.resize(out.len() + 40, b' ');
            stream.write_all(&out).await?;
            stream.flush().await?;
            tokio::time::sleep(Duration::from_millis(50)).await;
            // SO_LINGER 0: closing sends an RST instead of a FIN.
            stream.set_zero_linger()?;
            Ok(())
        }
    }
}
