//! The `connectivity` and `network` steps: an empty OTLP/HTTP export to the Collector's receiver
//! (through the transport, so recorded and replayed like any request), and TCP connects to the
//! ports spans travel through.
//!
//! Which ports: the OTLP URL's own, and 4317 (OTLP/gRPC) when that URL uses the conventional 4318
//! (another HTTP port says nothing about where gRPC listens); Jaeger's collector at
//! `--jaeger-collector-addr`, else the Jaeger URL's host on 14250 when that URL uses the query
//! service's conventional 16686. A TCP connect is not an HTTP exchange: a bundle cannot hold it, so
//! a replay skips this step and says so. Tests: `tests/it/dataloss.rs` and below.

use std::time::Duration;

use super::{Ctx, not_recorded, probe_error, warn};
use crate::analysis::dataloss::{ExportEvidence, TcpProbe, TcpTarget};
use crate::backends::collector::CollectorClient;
use crate::cli::DataLossArgs;
use crate::error::Backend;
use crate::investigate::StepError;
use crate::settings::Mode;

const EXPORT: &str = r#"POST /v1/traces {"resourceSpans":[]}"#;

pub(super) async fn export(ctx: &Ctx<'_>) -> Option<ExportEvidence> {
    let settings = ctx.settings;
    let ep = settings.collector_otlp.clone();
    let shown = match (&ep, &settings.mode) {
        (Some(_), Mode::Replay(_)) => vec![EXPORT.to_string()],
        (Some(e), _) => vec![format!(
            "POST {}/v1/traces {{\"resourceSpans\":[]}}",
            crate::error::redact_url(e.base.as_str()).trim_end_matches('/')
        )],
        (None, _) => Vec::new(),
    };
    ctx.step("connectivity", shown.clone(), async move {
        let Some(ep) = ep else {
            return Err(StepError::Skipped(
                "the Collector's OTLP receiver is not configured (--collector-otlp-url)".into(),
            ));
        };
        let request = shown.first().cloned().unwrap_or_default();
        match CollectorClient::new(None, Some(ep))
            .otlp_export_empty()
            .await
        {
            Err(e) if not_recorded(settings, &e) => Err(StepError::Skipped(
                "not in the bundle: the recorded run sent no OTLP export".into(),
            )),
            Err(e) => Ok((
                ExportEvidence {
                    request,
                    result: Err(probe_error(&e)),
                },
                Some(format!("the empty export failed: {}", e.one_line())),
            )),
            Ok(ack) => {
                let w = (ack.rejected_spans > 0 || ack.error_message.is_some())
                    .then(|| "the empty export got a partial success".to_string());
                Ok((
                    ExportEvidence {
                        request,
                        result: Ok(ack),
                    },
                    w,
                ))
            }
        }
    })
    .await
}

/// `host:port` from the user: a port is required, and the host may be a name or an address.
pub(super) fn valid_addr(s: &str) -> bool {
    let Some((host, port)) = s.rsplit_once(':') else {
        return false;
    };
    !host.is_empty()
        && !host.contains(['/', '?', '#', '@', ' '])
        && port.parse::<u16>().is_ok_and(|p| p > 0)
}

/// What to dial, from the configured URLs.
fn targets(ctx: &Ctx<'_>, args: &DataLossArgs) -> Vec<(TcpTarget, String, String)> {
    let settings = ctx.settings;
    let mut out = Vec::new();
    if let Some(ep) = &settings.collector_otlp
        && let (Some(host), Some(port)) = (ep.base.host_str(), ep.base.port_or_known_default())
    {
        out.push((
            TcpTarget::Collector,
            "OTLP/HTTP".to_string(),
            format!("{host}:{port}"),
        ));
        if port == 4318 {
            out.push((
                TcpTarget::Collector,
                "OTLP/gRPC".to_string(),
                format!("{host}:4317"),
            ));
        }
    }
    let jaeger = match &args.jaeger_collector_addr {
        Some(a) => Some(a.clone()),
        None => settings.endpoint(Backend::Jaeger).and_then(|ep| {
            let host = ep.base.host_str()?;
            (ep.base.port_or_known_default() == Some(16686)).then(|| format!("{host}:14250"))
        }),
    };
    if let Some(a) = jaeger {
        out.push((TcpTarget::Jaeger, "Jaeger collector gRPC".to_string(), a));
    }
    out
}

pub(super) async fn network(ctx: &Ctx<'_>, args: &DataLossArgs) -> Option<Vec<TcpProbe>> {
    let settings = ctx.settings;
    let replay = matches!(settings.mode, Mode::Replay(_));
    let targets = if replay {
        Vec::new()
    } else {
        targets(ctx, args)
    };
    let shown: Vec<String> = targets
        .iter()
        .map(|(_, what, a)| format!("tcp connect {a} ({what})"))
        .collect();
    let timeout = settings.timeout.min(Duration::from_secs(5));
    ctx.step("network", shown, async move {
        if replay {
            return Err(StepError::Skipped(
                "not recorded: TCP probes are live only".into(),
            ));
        }
        if let Some(a) = &args.jaeger_collector_addr
            && !valid_addr(a)
        {
            return Err(StepError::Failed(format!(
                "--jaeger-collector-addr {a:?} is not HOST:PORT"
            )));
        }
        if targets.is_empty() {
            return Err(StepError::Skipped(
                "nothing to dial: no --collector-otlp-url, and no --jaeger-collector-addr (or \
                 Jaeger URL on port 16686)"
                    .into(),
            ));
        }
        let results = futures::future::join_all(
            targets
                .iter()
                .map(|(_, _, a)| crate::backends::net::tcp_connect(a, timeout)),
        )
        .await;
        let probes: Vec<TcpProbe> = targets
            .into_iter()
            .zip(results)
            .map(|((target, what, addr), result)| TcpProbe {
                target,
                what,
                addr,
                result,
            })
            .collect();
        let failed: Vec<String> = probes
            .iter()
            .filter_map(|p| p.result.as_ref().err().map(|e| format!("{}: {e}", p.addr)))
            .collect();
        Ok((probes, warn(failed)))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_need_a_host_and_a_port() {
        assert!(valid_addr("jaeger-collector.observability:14250"));
        assert!(valid_addr("10.0.0.7:14250"));
        assert!(valid_addr("[::1]:14250"));
        for bad in [
            "jaeger",
            ":14250",
            "jaeger:0",
            "jaeger:99999",
            "http://j:1/x:2",
            "a b:1",
        ] {
            assert!(!valid_addr(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn a_closed_port_is_an_error_and_an_open_one_a_time() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let open = listener.local_addr().unwrap().to_string();
        assert!(
            crate::backends::net::tcp_connect(&open, Duration::from_secs(2))
                .await
                .is_ok()
        );
        drop(listener);
        let err = crate::backends::net::tcp_connect(&open, Duration::from_secs(2))
            .await
            .unwrap_err();
        assert!(!err.is_empty());
    }
}
