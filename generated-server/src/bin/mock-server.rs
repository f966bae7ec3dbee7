//! `mock-server`: serves every service of the API on 127.0.0.1 with the spec's examples.
//!
//! `cargo run -p huaweicloud-api-server --bin mock-server -- --port 8080 [--body-limit BYTES]`

use std::process::ExitCode;
use std::sync::Arc;

use axum::routing::get;
use huaweicloud_api_server::{mock::Mock, router, runtime::RouterOptions, spec};

fn usage() -> &'static str {
    "usage: mock-server [--port PORT] [--body-limit BYTES]"
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut port: u16 = 8080;
    let mut options = RouterOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        let parsed = match (arg.as_str(), value.as_deref()) {
            ("--port", Some(v)) => v.parse().map(|p| port = p).is_ok(),
            ("--body-limit", Some(v)) => v.parse().map(|b| options.body_limit = b).is_ok(),
            _ => false,
        };
        if !parsed {
            eprintln!("error: cannot read `{arg}`\n{}", usage());
            return ExitCode::from(2);
        }
    }
    let app = router(Arc::new(Mock), Arc::new(Mock), &options)
        .route(
            "/openapi.yaml",
            get(|| async { ([("content-type", "application/yaml")], spec::OPENAPI_YAML) }),
        )
        .route(
            "/openapi.json",
            get(|| async { ([("content-type", "application/json")], spec::OPENAPI_JSON) }),
        );
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!("mock-server listening on http://{address}");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
