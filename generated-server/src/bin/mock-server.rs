//! `mock-server`: serves every service of the API on 127.0.0.1 with the spec's examples.
//!
//! `cargo run -p huaweicloud-api-server --features mock-server --bin mock-server -- --port 8080
//! [--verify-signatures AK:SK]... [--accept-token TOKEN]... [--body-limit BYTES]
//! [--header-read-timeout SECONDS] [--verbose]`
//!
//! Built only with the crate's `mock-server` feature, which brings the multi-threaded
//! tokio runtime, signal handling and `tracing-subscriber`; the library needs none of them.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use huaweicloud_api_server::runtime::{
    self, RouterOptions, ServeOptions, SignatureLayer, StaticKeys, SyncTokens, REQUEST_ID_HEADER,
};
use huaweicloud_api_server::{
    dli_router, function_graph_router, mock::Mock, spec, DLI_ERRORS, FUNCTION_GRAPH_ERRORS,
    ROUTE_ERRORS,
};

const USAGE: &str = "\
usage: mock-server [--port PORT] [--verify-signatures AK:SK]... [--accept-token TOKEN]...
                   [--body-limit BYTES] [--header-read-timeout SECONDS] [--verbose]

  --port PORT                 port on 127.0.0.1 (default 8080; 0 picks a free one)
  --verify-signatures AK:SK   accept only requests signed with SDK-HMAC-SHA256 by this key
                              pair (repeatable); others get 401
  --accept-token TOKEN        also accept this X-Auth-Token (repeatable)
  --body-limit BYTES          largest request body (default 1048576); larger ones get 413
  --header-read-timeout SECONDS
                              how long a client may take to send a request's line and
                              headers, also while a keep-alive connection waits for its
                              next request (default 10); the connection is then closed
  --verbose                   also log why requests were refused (debug level)";

/// What the command line asks for.
#[derive(Debug)]
struct Options {
    port: u16,
    keys: StaticKeys,
    tokens: Vec<String>,
    router: RouterOptions,
    serve: ServeOptions,
    verbose: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        port: 8080,
        keys: StaticKeys::default(),
        tokens: Vec::new(),
        router: RouterOptions::default(),
        serve: ServeOptions::default(),
        verbose: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_string(), Some(value)),
            _ => (arg.clone(), None),
        };
        if name == "--verbose" || name == "-v" {
            options.verbose = true;
            continue;
        }
        if name == "--help" || name == "-h" {
            return Err(String::new());
        }
        let value = match inline {
            Some(value) => value.to_string(),
            None => args
                .next()
                .ok_or_else(|| format!("`{name}` needs a value"))?,
        };
        match name.as_str() {
            "--port" => {
                options.port = value
                    .parse()
                    .map_err(|_| format!("--port: `{value}` is not a port number (0-65535)"))?
            }
            "--body-limit" => {
                options.router.body_limit = value
                    .parse()
                    .map_err(|_| format!("--body-limit: `{value}` is not a number of bytes"))?
            }
            "--header-read-timeout" => {
                let seconds: f64 = value
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
                    .ok_or_else(|| {
                        format!("--header-read-timeout: `{value}` is not a number of seconds between 0 and 86400")
                    })?;
                options.serve.header_read_timeout = Duration::from_secs_f64(seconds);
            }
            "--verify-signatures" => match value.split_once(':') {
                Some((ak, sk)) if !ak.is_empty() && !sk.is_empty() => options.keys.insert(ak, sk),
                _ => {
                    return Err(
                        "--verify-signatures: expected ACCESS_KEY:SECRET_KEY, both non-empty"
                            .to_string(),
                    )
                }
            },
            "--accept-token" if !value.is_empty() => options.tokens.push(value),
            "--accept-token" => return Err("--accept-token: the token is empty".to_string()),
            _ => return Err(format!("unknown argument `{name}`")),
        }
    }
    Ok(options)
}

/// The mock of every service, each behind the authentication layer (when asked for) that
/// answers in that service's error format, plus the spec itself.
fn app(options: &Options) -> Router {
    let auth = |format| {
        let mut layer = SignatureLayer::new(format).body_limit(options.router.body_limit);
        if !options.keys.is_empty() {
            layer = layer.secret_keys(options.keys.clone());
        }
        if !options.tokens.is_empty() {
            let tokens = options.tokens.clone();
            layer = layer.tokens(SyncTokens(move |token: &str| {
                tokens
                    .iter()
                    .any(|t| t == token)
                    .then(|| "token".to_string())
            }));
        }
        layer
    };
    let authenticate = !options.keys.is_empty() || !options.tokens.is_empty();
    let mut dli = dli_router(Arc::new(Mock));
    let mut function_graph = function_graph_router(Arc::new(Mock));
    if authenticate {
        dli = dli.layer(auth(&DLI_ERRORS));
        function_graph = function_graph.layer(auth(&FUNCTION_GRAPH_ERRORS));
    }
    // The route table: one line per group of routes.
    let routes = Router::new()
        .merge(dli)
        .merge(function_graph)
        .route(
            "/openapi.yaml",
            get(|| async { ([("content-type", "application/yaml")], spec::OPENAPI_YAML) }),
        )
        .route(
            "/openapi.json",
            get(|| async { ([("content-type", "application/json")], spec::OPENAPI_JSON) }),
        )
        .route(
            "/docs",
            get(|| async {
                (
                    [("content-type", "text/html; charset=utf-8")],
                    spec::API_DOCS_HTML,
                )
            }),
        );
    runtime::finish_services(routes, ROUTE_ERRORS, &options.router)
        .layer(axum::middleware::from_fn(log))
}

/// Logs one line per request: method, path, status, latency and request id.
async fn log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let request_id = response
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info!(
        "{method} {path} {} {:.1}ms request_id={request_id}",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {err}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!("cannot listen for SIGTERM: {err}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_max_level(if options.verbose {
            tracing::Level::DEBUG
        } else {
            tracing::Level::INFO
        })
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let app = app(&options);
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {err}", options.port);
            return ExitCode::FAILURE;
        }
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(err) => {
            eprintln!("error: cannot read the bound address: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!("mock-server listening on http://{address}");
    match runtime::serve(listener, app, options.serve.clone(), shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_are_read() {
        let options = parse_args(args(&[
            "--port",
            "0",
            "--verify-signatures",
            "AK:SK:with:colons",
            "--body-limit=10",
            "--header-read-timeout",
            "2.5",
            "--accept-token",
            "t",
            "-v",
        ]))
        .expect("valid arguments");
        assert_eq!(options.port, 0);
        assert_eq!(options.router.body_limit, 10);
        assert_eq!(
            options.serve.header_read_timeout,
            Duration::from_millis(2500)
        );
        assert_eq!(options.tokens, vec!["t".to_string()]);
        assert!(options.verbose);
        assert!(!options.keys.is_empty());
    }

    #[tokio::test]
    async fn the_spec_and_its_reference_are_served() {
        use tower::ServiceExt;
        let options = parse_args(args(&[])).expect("no arguments are valid");
        for (path, content_type, needle) in [
            (
                "/openapi.yaml",
                "application/yaml",
                "operationId: CreateFlinkJarJob",
            ),
            (
                "/openapi.json",
                "application/json",
                "\"operationId\": \"CreateFlinkJarJob\"",
            ),
            ("/docs", "text/html; charset=utf-8", "CreateFlinkJarJob"),
        ] {
            let request = axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .expect("a valid request");
            let response = app(&options)
                .oneshot(request)
                .await
                .expect("the router answers");
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["content-type"], content_type, "{path}");
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("a readable body");
            let text = String::from_utf8_lossy(&body);
            assert!(text.contains(needle), "{path} does not contain {needle}");
        }
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        for (list, expected) in [
            (&["--port", "x"][..], "--port: `x`"),
            (&["--port"][..], "`--port` needs a value"),
            (&["--verify-signatures", "AK"][..], "ACCESS_KEY:SECRET_KEY"),
            (&["--verify-signatures", ":SK"][..], "ACCESS_KEY:SECRET_KEY"),
            (&["--body-limit", "-1"][..], "--body-limit"),
            (
                &["--header-read-timeout", "0"][..],
                "--header-read-timeout: `0`",
            ),
            (
                &["--header-read-timeout", "x"][..],
                "--header-read-timeout: `x`",
            ),
            (&["--bogus", "1"][..], "unknown argument `--bogus`"),
        ] {
            let err = parse_args(args(list)).expect_err("invalid arguments");
            assert!(err.contains(expected), "{list:?}: {err}");
        }
    }
}
