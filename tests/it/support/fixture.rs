//! A small recording HTTP/1.1 fixture server for the backends tracectl talks
//! to in tests (Jaeger, Elasticsearch, Kubernetes, Grafana, Alertmanager, the
//! Collector's `/metrics`).
//!
//! Routes match method + path (exact, or a prefix when the pattern ends in
//! `*`) + required query parameters, and answer a canned [`Response`] or a
//! closure's (for stateful fixtures), optionally after a delay. Every request,
//! matched or not, is recorded so tests can assert on its shape; unmatched ones
//! get a 404 with `{"error":"no fixture route for GET /x?y"}`.
//!
//! It is deliberately written on `tokio::net::TcpListener` with a minimal
//! parser (request line, headers, Content-Length or chunked body, one request
//! per connection answered with `Connection: close`) instead of hyper: tests
//! want no HTTP server dependency, and fixtures need none of keep-alive, TLS
//! or HTTP/2. It runs its own runtime on a background thread so both sync
//! tests and `#[tokio::test]`s can use it, and stops on drop. Its tests are in
//! `tests/it/harness_selftest.rs`.

use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// A request as received; `path` is the raw (still percent-encoded) path,
/// `query` the raw text after `?` (empty if none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// Decoded query pairs, in order, repeats kept.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .into_owned()
            .collect()
    }

    /// First decoded value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// First value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Panics with the body text if it is not JSON.
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("request body is not JSON ({e}): {}", self.body_text()))
    }
}

/// What a route answers. `Content-Length` and `Connection` are always set by
/// the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::new(status)
            .header("content-type", "application/json")
            .body(value.to_string())
    }

    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self::new(status)
            .header("content-type", "text/plain; charset=utf-8")
            .body(body.into())
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }
}

type Handler = Arc<dyn Fn(&RecordedRequest) -> Response + Send + Sync>;

/// One fixture route; the first matching route in the list wins.
#[derive(Clone)]
pub struct Route {
    method: String,
    path: String,
    prefix: bool,
    query: Vec<(String, String)>,
    delay: Duration,
    handler: Handler,
}

impl Route {
    /// `method` `"*"` matches any method; a `path` ending in `*` matches by
    /// prefix. Answers `200` with an empty body until [`respond`](Self::respond).
    pub fn new(method: &str, path: &str) -> Self {
        let (path, prefix) = match path.strip_suffix('*') {
            Some(prefix) => (prefix, true),
            None => (path, false),
        };
        Self {
            method: method.to_string(),
            path: path.to_string(),
            prefix,
            query: Vec::new(),
            delay: Duration::ZERO,
            handler: Arc::new(|_| Response::new(200)),
        }
    }

    pub fn get(path: &str) -> Self {
        Self::new("GET", path)
    }

    pub fn post(path: &str) -> Self {
        Self::new("POST", path)
    }

    /// Requires query parameter `name` to be present with (decoded) `value`.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// Waits before answering, for timeout and slow-backend tests.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn respond(self, response: Response) -> Self {
        self.respond_with(move |_| response.clone())
    }

    /// Computes the answer per request; keep state in the closure (e.g. an
    /// `AtomicUsize` to fail the first N calls).
    pub fn respond_with(
        mut self,
        handler: impl Fn(&RecordedRequest) -> Response + Send + Sync + 'static,
    ) -> Self {
        self.handler = Arc::new(handler);
        self
    }

    fn matches(&self, request: &RecordedRequest) -> bool {
        let method_ok = self.method == "*" || self.method.eq_ignore_ascii_case(&request.method);
        let path_ok = if self.prefix {
            request.path.starts_with(&self.path)
        } else {
            request.path == self.path
        };
        method_ok && path_ok && {
            let pairs = request.query_pairs();
            self.query.iter().all(|wanted| pairs.contains(wanted))
        }
    }
}

/// A running fixture server on `127.0.0.1:<ephemeral>`.
pub struct FixtureServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FixtureServer {
    /// Binds before returning, so `url()` is connectable immediately.
    pub fn start(routes: Vec<Route>) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind fixture server");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("fixture address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (shutdown, shutdown_rx) = oneshot::channel();
        let routes = Arc::new(routes);
        let recorded = Arc::clone(&requests);
        let thread = std::thread::Builder::new()
            .name(format!("fixture-{}", addr.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("fixture runtime");
                runtime.block_on(serve(listener, routes, recorded, shutdown_rx));
            })
            .expect("spawn fixture thread");
        Self {
            addr,
            requests,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    routes: Arc<Vec<Route>>,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(handle(stream, Arc::clone(&routes), Arc::clone(&requests)));
                }
                Err(e) => eprintln!("fixture server: accept failed: {e}"),
            },
        }
    }
}

async fn handle(
    mut stream: TcpStream,
    routes: Arc<Vec<Route>>,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
) {
    let request = match read_request(&mut stream).await {
        Ok(Some(request)) => request,
        Ok(None) => return,
        Err(e) => {
            let _ = write_response(&mut stream, &Response::text(400, e.to_string()), false).await;
            return;
        }
    };
    // Recorded before any delay, so a test whose client timed out still sees it.
    requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(request.clone());
    let response = match routes.iter().find(|route| route.matches(&request)) {
        Some(route) => {
            tokio::time::sleep(route.delay).await;
            catch_unwind(AssertUnwindSafe(|| (route.handler)(&request)))
                .unwrap_or_else(|_| Response::text(500, "fixture handler panicked"))
        }
        None => {
            let target = if request.query.is_empty() {
                request.path.clone()
            } else {
                format!("{}?{}", request.path, request.query)
            };
            let error = format!("no fixture route for {} {target}", request.method);
            Response::json(404, &serde_json::json!({ "error": error }))
        }
    };
    let _ = write_response(&mut stream, &response, request.method == "HEAD").await;
}

/// Buffered reads over the socket; only what the parser needs.
struct Reader<'a> {
    stream: &'a mut TcpStream,
    buf: Vec<u8>,
    head_bytes: usize,
}

impl Reader<'_> {
    async fn fill(&mut self) -> std::io::Result<usize> {
        let mut chunk = [0_u8; 8192];
        let n = self.stream.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// A line without its CRLF; `None` at EOF before any byte of it.
    async fn line(&mut self) -> std::io::Result<Option<String>> {
        loop {
            if let Some(end) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                self.buf.drain(..end + 2);
                self.head_bytes += end + 2;
                return Ok(Some(line));
            }
            if self.head_bytes + self.buf.len() > MAX_HEAD_BYTES {
                return Err(invalid("request head too large"));
            }
            if self.fill().await? == 0 {
                return if self.buf.is_empty() {
                    Ok(None)
                } else {
                    Err(invalid("truncated line"))
                };
            }
        }
    }

    async fn exact(&mut self, n: usize) -> std::io::Result<Vec<u8>> {
        if n > MAX_BODY_BYTES {
            return Err(invalid("body too large"));
        }
        while self.buf.len() < n {
            if self.fill().await? == 0 {
                return Err(invalid("truncated body"));
            }
        }
        Ok(self.buf.drain(..n).collect())
    }
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<RecordedRequest>> {
    let mut reader = Reader {
        stream,
        buf: Vec::new(),
        head_bytes: 0,
    };
    let Some(request_line) = reader.line().await? else {
        return Ok(None);
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("malformed request line"));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = Vec::new();
    loop {
        match reader.line().await? {
            Some(line) if line.is_empty() => break,
            Some(line) => {
                let (name, value) = line
                    .split_once(':')
                    .ok_or_else(|| invalid("malformed header"))?;
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
            None => return Err(invalid("truncated head")),
        }
    }
    let mut request = RecordedRequest {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
    };
    if request
        .header("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        reader
            .stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .await?;
    }
    if request
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        loop {
            let size_line = reader
                .line()
                .await?
                .ok_or_else(|| invalid("truncated chunk"))?;
            let size_hex = size_line.split(';').next().unwrap_or("").trim();
            let size =
                usize::from_str_radix(size_hex, 16).map_err(|_| invalid("bad chunk size"))?;
            if size == 0 {
                // Trailers are ignored; the head ends at an empty line.
                while reader.line().await?.is_some_and(|line| !line.is_empty()) {}
                break;
            }
            if request.body.len() + size > MAX_BODY_BYTES {
                return Err(invalid("body too large"));
            }
            request.body.extend(reader.exact(size).await?);
            reader.exact(2).await?;
        }
    } else if let Some(length) = request.header("content-length") {
        let length = length.parse().map_err(|_| invalid("bad content-length"))?;
        request.body = reader.exact(length).await?;
    }
    Ok(Some(request))
}

async fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        if !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("connection")
        {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    stream.write_all(head.as_bytes()).await?;
    if !head_only {
        stream.write_all(&response.body).await?;
    }
    stream.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn invalid(message: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_string())
}

/// The service-proxy path of [`prometheus_behind_service_proxy`]'s Prometheus.
pub const PROMETHEUS_PROXY: &str =
    "/api/v1/namespaces/monitoring/services/prometheus-server:80/proxy";

/// Prometheus's Service in `monitoring`, as its chart labels it (`prometheus-server:80`), listed
/// by the API server, and the API server's service proxy in front of it forwarding to
/// `prom_url`: a run with no `--prometheus-url` reaches Prometheus that way.
pub fn prometheus_behind_service_proxy(prom_url: String) -> Vec<Route> {
    let prometheus_service = serde_json::json!({
        "metadata": {"name": "prometheus-server", "namespace": "monitoring",
                     "labels": {"app.kubernetes.io/name": "prometheus",
                                "app.kubernetes.io/component": "server"}},
        "spec": {"ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 9090}]},
    });
    let prefix = PROMETHEUS_PROXY;
    vec![
        Route::get("/api/v1/services").respond(Response::json(
            200,
            &serde_json::json!({"apiVersion": "v1", "kind": "ServiceList",
                    "metadata": {"resourceVersion": "1"}, "items": [prometheus_service]}),
        )),
        Route::new("*", &format!("{prefix}*")).respond_with(move |req: &RecordedRequest| {
            let path = req.path.strip_prefix(prefix).unwrap_or("/");
            forward(req, &prom_url, path)
        }),
    ]
}

/// Forward `req` to `target` (`http://127.0.0.1:PORT`, plain HTTP) with `path` in place of its
/// own, as the Kubernetes API server's service proxy forwards `.../services/NAME:PORT/proxy/PATH`
/// to the Service: method, query, `Content-Type` and body kept; the answer's status, headers and
/// body returned as they came. HTTP/1.0 and `Connection: close`, so the body ends with the stream.
pub fn forward(req: &RecordedRequest, target: &str, path: &str) -> Response {
    use std::io::{Read, Write};
    let host = target.trim_start_matches("http://").trim_end_matches('/');
    let Ok(mut stream) = std::net::TcpStream::connect(host) else {
        return Response::new(503).body("no endpoints available for service");
    };
    let mut head = format!("{} {path}", req.method);
    if !req.query.is_empty() {
        head.push('?');
        head.push_str(&req.query);
    }
    head.push_str(&format!(
        " HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        req.body.len()
    ));
    for (k, v) in &req.headers {
        if k.eq_ignore_ascii_case("content-type") || k.eq_ignore_ascii_case("accept") {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str("\r\n");
    let mut raw = Vec::new();
    if stream.write_all(head.as_bytes()).is_err()
        || stream.write_all(&req.body).is_err()
        || stream.read_to_end(&mut raw).is_err()
    {
        return Response::new(502).body("error trying to reach service");
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(502);
    let mut resp = Response::new(status);
    for l in lines {
        if let Some((k, v)) = l.split_once(':')
            && !k.eq_ignore_ascii_case("content-length")
            && !k.eq_ignore_ascii_case("connection")
        {
            resp = resp.header(k.trim(), v.trim());
        }
    }
    resp.body(body)
}
