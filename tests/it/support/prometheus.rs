//! Real Prometheus and Alertmanager processes for integration tests.
//!
//! [`PrometheusHarness::start`] backfills a [`Scenario`] with `promtool tsdb
//! create-blocks-from openmetrics` into a fresh TSDB in a temp dir, then runs
//! `prometheus` on a free loopback port with no scrape targets, so the only
//! data it holds is the scenario's. [`AlertmanagerHarness::start`] runs the
//! Debian `prometheus-alertmanager` (or upstream `alertmanager`) binary with a
//! one-route, no-integration config and clustering disabled. Both are killed
//! (and reaped) on drop; their stdout/stderr go to a log file whose tail is
//! printed when a test panics.
//!
//! This is not a way to install them: when a binary is missing, `start`
//! returns `Ok(None)` after a loud "SKIPPED" line, unless `CI=true`, where it
//! panics because `.ci/run` is supposed to install them. Queries must use an
//! explicit `time=` inside the scenario window (or within Prometheus's default
//! 5 m lookback after its end): "now" has no data for scenarios in the past.
//! Its tests are in `tests/it/harness_selftest.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

use super::openmetrics::Scenario;

const READY_TIMEOUT: Duration = Duration::from_secs(30);
const ALERTMANAGER_BINARIES: &[&str] = &["prometheus-alertmanager", "alertmanager"];

/// One route to one receiver without integrations: alerts are accepted and
/// kept, never sent anywhere.
pub const DEFAULT_ALERTMANAGER_CONFIG: &str = "\
route:
  receiver: blackhole
receivers:
  - name: blackhole
";

/// The `data.result` of `query` at `at`, asked of the Prometheus at `base` directly, over
/// HTTP/1.0 so the answer is not chunked: what a test uses to check what a query returns,
/// apart from tracectl. Panics on anything but a `success` answer.
pub fn instant_result(base: &str, query: &str, at: i64) -> Vec<serde_json::Value> {
    let addr = base.trim_start_matches("http://").trim_end_matches('/');
    let q: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("query", query)
        .append_pair("time", &at.to_string())
        .finish();
    let mut conn = TcpStream::connect(addr).expect("connect to Prometheus");
    write!(
        conn,
        "GET /api/v1/query?{q} HTTP/1.0\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    conn.read_to_string(&mut text).unwrap();
    let body = text.split_once("\r\n\r\n").expect("an HTTP answer").1;
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(v["status"], "success", "{query}: {body}");
    v["data"]["result"].as_array().cloned().unwrap_or_default()
}

pub fn prometheus_available() -> bool {
    find_binary(&["prometheus"]).is_some() && find_binary(&["promtool"]).is_some()
}

pub fn alertmanager_available() -> bool {
    find_binary(ALERTMANAGER_BINARIES).is_some()
}

/// A running Prometheus serving a backfilled scenario.
pub struct PrometheusHarness {
    // Declared before `dir` so the process is killed before its TSDB is deleted.
    process: ManagedProcess,
    dir: TempDir,
}

impl PrometheusHarness {
    /// `Ok(None)` means "skipped: prometheus/promtool not installed" (never on CI).
    pub fn start(scenario: &Scenario) -> Result<Option<Self>> {
        Self::start_with_args(scenario, &[])
    }

    /// Like [`start`](Self::start), with extra Prometheus flags
    /// (e.g. `--query.lookback-delta=1h`).
    pub fn start_with_args(scenario: &Scenario, extra_args: &[&str]) -> Result<Option<Self>> {
        let (Some(prometheus), Some(promtool)) =
            (find_binary(&["prometheus"]), find_binary(&["promtool"]))
        else {
            skip_or_panic("prometheus");
            return Ok(None);
        };
        let dir = tempfile::Builder::new()
            .prefix("tracectl-prometheus-")
            .tempdir()?;
        let data_dir = dir.path().join("data");
        fs::create_dir(&data_dir)?;
        let input = dir.path().join("scenario.om");
        fs::write(&input, scenario.to_openmetrics())?;
        let output = Command::new(&promtool)
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(&input)
            .arg(&data_dir)
            .output()
            .context("running promtool")?;
        if !output.status.success() {
            bail!(
                "promtool backfill failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let config = dir.path().join("prometheus.yml");
        fs::write(
            &config,
            "global:\n  scrape_interval: 15s\nscrape_configs: []\n",
        )?;
        let process = ManagedProcess::start("prometheus", &prometheus, dir.path(), |port| {
            let mut args = vec![
                format!("--config.file={}", config.display()),
                format!("--storage.tsdb.path={}", data_dir.display()),
                format!("--web.listen-address=127.0.0.1:{port}"),
                // Retention counts back from the newest block, not the clock;
                // the 15d default would still delete the start of long scenarios.
                "--storage.tsdb.retention.time=100y".to_string(),
            ];
            args.extend(extra_args.iter().map(|a| a.to_string()));
            args
        })?;
        Ok(Some(Self { process, dir }))
    }

    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.process.port)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn log_tail(&self) -> String {
        self.process.log_tail()
    }

    /// Instant query at `time` (unix seconds); returns each vector element's
    /// labels and value. Errors on non-vector results or a non-success status.
    pub async fn query(
        &self,
        promql: &str,
        time: i64,
    ) -> Result<Vec<(BTreeMap<String, String>, f64)>> {
        let url = url::Url::parse_with_params(
            &format!("{}/api/v1/query", self.url()),
            &[("query", promql), ("time", &time.to_string())],
        )?;
        let response = super::http_client().get(url).send().await?;
        let status = response.status();
        let body: serde_json::Value = serde_json::from_slice(&response.bytes().await?)?;
        if !status.is_success() || body["status"] != "success" {
            bail!("query `{promql}` failed ({status}): {body}");
        }
        if body["data"]["resultType"] != "vector" {
            bail!("query `{promql}` is not a vector: {body}");
        }
        let mut samples = Vec::new();
        for item in body["data"]["result"].as_array().into_iter().flatten() {
            let labels = serde_json::from_value(item["metric"].clone())?;
            let value = item["value"][1].as_str().context("sample value")?.parse()?;
            samples.push((labels, value));
        }
        Ok(samples)
    }
}

/// A running Alertmanager with an empty alert store.
pub struct AlertmanagerHarness {
    // Declared before `dir`: see `PrometheusHarness`.
    process: ManagedProcess,
    dir: TempDir,
}

impl AlertmanagerHarness {
    /// `Ok(None)` means "skipped: alertmanager not installed" (never on CI).
    pub fn start() -> Result<Option<Self>> {
        Self::start_with_config(DEFAULT_ALERTMANAGER_CONFIG)
    }

    pub fn start_with_config(config_yaml: &str) -> Result<Option<Self>> {
        let Some(binary) = find_binary(ALERTMANAGER_BINARIES) else {
            skip_or_panic("prometheus-alertmanager");
            return Ok(None);
        };
        let dir = tempfile::Builder::new()
            .prefix("tracectl-alertmanager-")
            .tempdir()?;
        let config = dir.path().join("alertmanager.yml");
        fs::write(&config, config_yaml)?;
        let storage = dir.path().join("data");
        let process = ManagedProcess::start("alertmanager", &binary, dir.path(), |port| {
            vec![
                format!("--config.file={}", config.display()),
                format!("--storage.path={}", storage.display()),
                format!("--web.listen-address=127.0.0.1:{port}"),
                // Empty disables gossip, which would otherwise bind 0.0.0.0:9094
                // and collide between parallel tests.
                "--cluster.listen-address=".to_string(),
            ]
        })?;
        Ok(Some(Self { process, dir }))
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.process.port)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn log_tail(&self) -> String {
        self.process.log_tail()
    }
}

/// A child process listening on a loopback port, with its output in a log file.
struct ManagedProcess {
    name: &'static str,
    child: Child,
    port: u16,
    log_path: PathBuf,
}

impl ManagedProcess {
    /// Spawns on a free port and waits for `/-/ready`. The port is found by
    /// binding :0 and releasing it, so another process can grab it in
    /// between; on "address already in use" we retry with a new port.
    fn start(
        name: &'static str,
        binary: &Path,
        dir: &Path,
        args: impl Fn(u16) -> Vec<String>,
    ) -> Result<Self> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = free_port()?;
            let log_path = dir.join(format!("{name}-{attempt}.log"));
            let log = fs::File::create(&log_path)?;
            let child = Command::new(binary)
                .args(args(port))
                .current_dir(dir)
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log)
                .spawn()
                .with_context(|| format!("spawning {}", binary.display()))?;
            let mut process = Self {
                name,
                child,
                port,
                log_path,
            };
            match process.wait_ready() {
                Ok(()) => return Ok(process),
                Err(e) if attempt < 3 && process.log_tail().contains("address already in use") => {
                    eprintln!("{name}: port {port} taken, retrying: {e:#}");
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "{} exited early ({status}); log tail:\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            if http_status(self.port, "/-/ready") == Some(200) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "{} not ready after {READY_TIMEOUT:?}; log tail:\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_tail(&self) -> String {
        let log = fs::read_to_string(&self.log_path).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for ManagedProcess {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "--- {} log tail ({}) ---\n{}",
                self.name,
                self.log_path.display(),
                self.log_tail()
            );
        }
        // SIGKILL: the data is throwaway, and a graceful shutdown only slows tests.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The missing-binary rule: CI must have everything, a laptop may not.
fn skip_or_panic(tool: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    if ci {
        panic!("{tool} not installed; .ci/run installs it");
    }
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("this test");
    // Not `eprintln!`: libtest captures that for passing tests, and a skip
    // must be visible; writes to the `stderr()` handle bypass the capture.
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED: {test} needs {tool} (not found on PATH) ***\n"
    );
}

fn find_binary(names: &[&str]) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| {
            fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Blocking probe so `start` works the same from sync and async tests.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = ([127, 0, 0, 1], port).into();
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.split_whitespace().nth(1)?.parse().ok()
}
