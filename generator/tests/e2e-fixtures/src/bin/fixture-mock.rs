//! Serves the generated mock of one fixture spec on 127.0.0.1, so that a tool nobody in
//! this project wrote (Schemathesis, in `scripts/schemathesis-fixtures.sh`) can test the
//! generated server of specs other than the project's own.
//!
//! Usage: `fixture-mock --fixture NAME [--port PORT]`; port 0 (the default) picks a free
//! one. Prints `mock-server listening on http://127.0.0.1:PORT` once it accepts
//! connections, and runs until it is stopped.

use std::process::ExitCode;
use std::sync::Arc;

use generator_compile_server as fixtures;
use generator_compile_server::runtime::RouterOptions;

/// The fixtures served: each one's name (its file in `generator/tests/fixtures/`) and
/// its router with the mock behind every service.
fn router(fixture: &str) -> Option<axum::Router> {
    let options = RouterOptions::default();
    Some(match fixture {
        "bodies-form" => fixtures::bodies_form_spec::server::router(
            Arc::new(fixtures::bodies_form_spec::mock::Mock),
            &options,
        ),
        "bodies-multi-media" => fixtures::bodies_multi_media_spec::server::router(
            Arc::new(fixtures::bodies_multi_media_spec::mock::Mock),
            &options,
        ),
        "lenient-params" => fixtures::lenient_params_spec::server::router(
            Arc::new(fixtures::lenient_params_spec::mock::Mock),
            &options,
        ),
        "params-styles" => fixtures::params_styles_spec::server::router(
            Arc::new(fixtures::params_styles_spec::mock::Mock),
            &options,
        ),
        "references" => fixtures::references_spec::server::router(
            Arc::new(fixtures::references_spec::mock::Mock),
            &options,
        ),
        "routes-by-query" => fixtures::routes_by_query_spec::server::router(
            Arc::new(fixtures::routes_by_query_spec::mock::Mock),
            &options,
        ),
        "routes-in-segments" => fixtures::routes_in_segments_spec::server::router(
            Arc::new(fixtures::routes_in_segments_spec::mock::Mock),
            &options,
        ),
        "status-ranges" => fixtures::status_ranges_spec::server::router(
            Arc::new(fixtures::status_ranges_spec::mock::Mock),
            &options,
        ),
        _ => return None,
    })
}

const FIXTURES: &str = "bodies-form, bodies-multi-media, lenient-params, params-styles, \
     references, routes-by-query, routes-in-segments, status-ranges";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut fixture, mut port) = (None, 0u16);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--fixture", Some(name)) => fixture = Some(name),
            ("--port", Some(value)) => match value.parse() {
                Ok(value) => port = value,
                Err(_) => return usage(&format!("`{value}` is not a port")),
            },
            (flag, _) => return usage(&format!("unknown or incomplete option `{flag}`")),
        }
    }
    let Some(fixture) = fixture else {
        return usage("--fixture is required");
    };
    let Some(app) = router(&fixture) else {
        return usage(&format!("`{fixture}` is not a served fixture"));
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("fixture-mock: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("fixture-mock: cannot listen on 127.0.0.1:{port}: {err}");
                return ExitCode::FAILURE;
            }
        };
        match listener.local_addr() {
            Ok(address) => println!("mock-server listening on http://{address}"),
            Err(err) => {
                eprintln!("fixture-mock: no local address: {err}");
                return ExitCode::FAILURE;
            }
        }
        match axum::serve(listener, app).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("fixture-mock: the server stopped: {err}");
                ExitCode::FAILURE
            }
        }
    })
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("fixture-mock: {problem}\nusage: fixture-mock --fixture NAME [--port PORT]\nfixtures: {FIXTURES}");
    ExitCode::from(2)
}
