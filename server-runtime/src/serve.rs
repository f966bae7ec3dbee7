//! Serving a router over HTTP/1.1 with a header-read timeout (feature `serve`).
//!
//! `axum::serve` installs no timer in hyper, so hyper's header-read timeout never fires
//! there: a client that opens a connection and sends its request head one byte at a time,
//! or not at all, holds the connection and its task for as long as it likes. [`serve`]
//! builds each connection with hyper's HTTP/1.1 server, a tokio timer and
//! [`ServeOptions::header_read_timeout`], and stops gracefully when asked.

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// The default of [`ServeOptions::header_read_timeout`]: 10 seconds.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How [`serve`] treats connections.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServeOptions {
    /// How long a client may take to send a complete request head (request line and
    /// headers), counted from when the connection is accepted or, on a keep-alive
    /// connection, from when the previous answer was sent; the connection is closed
    /// when it passes. Default [`DEFAULT_HEADER_READ_TIMEOUT`] (10 s). The body is bounded
    /// by the router's body limit, not by this timeout.
    pub header_read_timeout: Duration,
    /// The most headers a request may have; a request with more is answered 431 by hyper
    /// and the connection is closed. Default 100, hyper's own.
    pub max_headers: usize,
    /// How long [`serve`] waits, after the shutdown signal, for the requests in flight to
    /// finish before it returns (connections still busy then end with the runtime).
    /// Default 10 s.
    pub shutdown_grace: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            max_headers: 100,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

impl ServeOptions {
    /// These options with another header-read timeout.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// These options with another limit on the number of headers.
    pub fn max_headers(mut self, max_headers: usize) -> Self {
        self.max_headers = max_headers;
        self
    }

    /// These options with another grace period for shutting down.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }
}

/// Serves `router` on every connection `listener` accepts, over HTTP/1.1 with keep-alive,
/// until `shutdown` resolves; then stops accepting, asks every connection to close after
/// its current request, waits for them (for at most [`ServeOptions::shutdown_grace`]) and
/// returns.
///
/// A failed `accept` (for example when the process is out of file descriptors) is
/// logged and retried after a short pause instead of ending the server. Errors of a
/// single connection (a client that hangs up, a malformed request head, a timeout) end
/// that connection only and are logged at debug level.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .max_headers(options.max_headers)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(err) => {
                tracing::warn!("cannot accept a connection: {err}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Answers are small and written at once; do not wait to fill a segment.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!("connection ended: {err}");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(options.shutdown_grace) => {
            tracing::warn!("connections still busy after the shutdown grace period are left to the runtime");
        }
    }
    Ok(())
}
