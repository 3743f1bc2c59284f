//! The response-body cap under every Kubernetes call ([`BodyCapLayer`]), and the 429/503 errors
//! it reports as the API server sent them; why, in `connect.rs`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use kube::core::Status;
use tower::BoxError;

use crate::error::Backend;
use crate::transport::{BackendError, ErrorKind, Response};

/// Caps each response body at `limit` bytes (see the module doc). Errors are a [`BackendError`]
/// of kind [`ErrorKind::TooLarge`] inside kube's `Error::Service`, which
/// [`kind_of`](super::kind_of) finds.
#[derive(Debug, Clone, Copy)]
pub(super) struct BodyCapLayer {
    limit: u64,
}

impl BodyCapLayer {
    pub(super) fn new(limit: u64) -> Self {
        BodyCapLayer { limit }
    }
}

impl<S> tower::Layer<S> for BodyCapLayer {
    type Service = BodyCap<S>;

    fn layer(&self, inner: S) -> BodyCap<S> {
        BodyCap {
            inner,
            limit: self.limit,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct BodyCap<S> {
    inner: S,
    limit: u64,
}

fn too_large(path: &str, limit: u64) -> BoxError {
    Box::new(BackendError::new(
        Backend::Kubernetes,
        path,
        ErrorKind::TooLarge { limit },
    ))
}

type CapFuture<B> =
    Pin<Box<dyn Future<Output = Result<http::Response<CappedBody<B>>, BoxError>> + Send>>;

impl<S, Req, B> tower::Service<http::Request<Req>> for BodyCap<S>
where
    S: tower::Service<http::Request<Req>, Response = http::Response<B>>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: HttpBody<Data = Bytes> + Unpin + Send,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<CappedBody<B>>;
    type Error = BoxError;
    type Future = CapFuture<B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: http::Request<Req>) -> Self::Future {
        let (limit, path) = (self.limit, req.uri().path().to_string());
        let answer = self.inner.call(req);
        Box::pin(async move {
            let resp = answer.await.map_err(Into::into)?;
            if matches!(resp.status().as_u16(), 429 | 503) {
                return Err(busy(resp, &path, limit).await);
            }
            let declared = resp
                .headers()
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
            // Dropping the response unread closes the connection: nothing of it is downloaded.
            if declared.is_some_and(|n| n > limit) {
                return Err(too_large(&path, limit));
            }
            Ok(resp.map(|inner| CappedBody {
                inner,
                remaining: limit,
                limit,
                path,
            }))
        })
    }
}

/// A 429 or 503 as the error the user reads: the status, the API server's message (a `Status`
/// body's, else the body's first line) and its `Retry-After`, which says when to come back.
async fn busy<B>(resp: http::Response<B>, path: &str, limit: u64) -> BoxError
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    let code = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string());
    let mut body = resp.into_body();
    let mut bytes = Vec::new();
    // An error page is small; read at most 4 KiB of it (and never past the cap).
    let most = limit.min(4096) as usize;
    while bytes.len() < most {
        match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            Some(Ok(frame)) => {
                if let Some(d) = frame.data_ref() {
                    bytes.extend_from_slice(d);
                }
            }
            _ => break,
        }
    }
    let message = serde_json::from_slice::<Status>(&bytes)
        .ok()
        .map(|s| s.message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| {
            Response {
                status: code,
                headers: Vec::new(),
                body: Bytes::from(bytes),
            }
            .short_text()
        });
    let message = match retry_after {
        Some(after) if message.is_empty() => format!("Retry-After: {after}"),
        Some(after) => format!("{message} (Retry-After: {after})"),
        None => message,
    };
    Box::new(BackendError::new(
        Backend::Kubernetes,
        path,
        ErrorKind::Status { code, message },
    ))
}

/// A body that fails once more than `limit` bytes have come, for chunked answers (or a
/// `Content-Length` that lies).
pub(super) struct CappedBody<B> {
    inner: B,
    remaining: u64,
    limit: u64,
    /// For the error only.
    path: String,
}

impl<B> HttpBody for CappedBody<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        let frame = match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
            None => return Poll::Ready(None),
            Some(Err(e)) => return Poll::Ready(Some(Err(e.into()))),
            Some(Ok(frame)) => frame,
        };
        if let Some(data) = frame.data_ref() {
            let n = data.len() as u64;
            if n > this.remaining {
                this.remaining = 0;
                return Poll::Ready(Some(Err(too_large(&this.path, this.limit))));
            }
            this.remaining -= n;
        }
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
