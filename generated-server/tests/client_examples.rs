//! Runs the client's five examples (`generated-client/examples/`) against the generated
//! mock, in-process on 127.0.0.1:0, with AK/SK signatures checked by the server's
//! `SignatureLayer`.
//!
//! Each example file is included here as a module: its `call` function and the shared
//! `common::run` (flag parsing, client building, printing) are exactly what the example's
//! `main` runs, without spawning `cargo run` (which would wait for the build lock that
//! `cargo test` holds). The examples live in the client crate, while the mock lives in
//! this crate, which already has the client as a dev-dependency.

// Every example file includes `common/mod.rs` for itself, so the module is loaded once
// per example here; the copies are identical and only this file's own is used.
#![allow(clippy::duplicate_mod)]

use std::sync::Arc;

use huaweicloud_api_server::mock::Mock;
use huaweicloud_api_server::runtime::{RouterOptions, SignatureLayer, StaticKeys};
use huaweicloud_api_server::{router, DLI_ERRORS};

#[path = "../../generated-client/examples/run_ief_job_action_call_back.rs"]
#[allow(dead_code)]
mod run_ief_job_action_call_back;

#[path = "../../generated-client/examples/change_flink_job_status_report.rs"]
#[allow(dead_code)]
mod change_flink_job_status_report;

#[path = "../../generated-client/examples/create_flink_jar_job.rs"]
#[allow(dead_code)]
mod create_flink_jar_job;

#[path = "../../generated-client/examples/update_flink_jar_job.rs"]
#[allow(dead_code)]
mod update_flink_jar_job;

#[path = "../../generated-client/examples/create_callback_workflow.rs"]
#[allow(dead_code)]
mod create_callback_workflow;

#[path = "../../generated-client/examples/common/mod.rs"]
#[allow(dead_code)]
mod common;

use common::{run, Failure};

const AK: &str = "EXAMPLEACCESSKEY";
const SK: &str = "EXAMPLESECRETKEY";

/// Serves the mock on an ephemeral local port, requiring a valid signature.
async fn serve_mock() -> String {
    let app = router(Arc::new(Mock), Arc::new(Mock), &RouterOptions::default())
        .layer(SignatureLayer::new(&DLI_ERRORS).secret_keys(StaticKeys::new([(AK, SK)])));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free local port");
    let address = listener
        .local_addr()
        .expect("a bound socket has an address");
    tokio::spawn(async move {
        axum::serve(listener, app)
            .await
            .expect("the mock server runs");
    });
    format!("http://{address}")
}

fn args(url: &str) -> Vec<String> {
    [
        "--endpoint",
        url,
        "--region",
        "cn-north-4",
        "--project-id",
        "0123456789abcdef0123456789abcdef",
        "--ak",
        AK,
        "--sk",
        SK,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// No environment: the flags alone must be enough, and the host's variables must not
/// change what the test does.
fn no_env(_: &str) -> Option<String> {
    None
}

#[tokio::test]
async fn every_example_runs_against_the_mock_and_prints_the_typed_answer() {
    let url = serve_mock().await;
    let outputs = [
        (
            "run_ief_job_action_call_back",
            run(args(&url), no_env, run_ief_job_action_call_back::call).await,
            "EdgeOperationResponse",
        ),
        (
            "change_flink_job_status_report",
            run(args(&url), no_env, change_flink_job_status_report::call).await,
            "EdgeOperationResponse",
        ),
        (
            "create_flink_jar_job",
            run(args(&url), no_env, create_flink_jar_job::call).await,
            "FlinkJarJobCreateResponse",
        ),
        (
            "update_flink_jar_job",
            run(args(&url), no_env, update_flink_jar_job::call).await,
            "FlinkJarJobUpdateResponse",
        ),
        (
            "create_callback_workflow",
            run(args(&url), no_env, create_callback_workflow::call).await,
            "WorkflowCallbackResponse",
        ),
    ];
    for (example, output, type_name) in outputs {
        let text = output.unwrap_or_else(|failure| panic!("{example}: {failure:?}"));
        assert!(
            text.starts_with("HTTP 200 (request id "),
            "{example}: {text}"
        );
        assert!(text.contains(", 0 retries)\n"), "{example}: {text}");
        assert!(text.contains(type_name), "{example}: {text}");
    }
}

#[tokio::test]
async fn the_mock_refuses_an_example_with_the_wrong_secret_key() {
    let url = serve_mock().await;
    let mut bad = args(&url);
    let sk = bad
        .iter()
        .position(|a| a == "--sk")
        .expect("the flags have --sk")
        + 1;
    bad[sk] = "WRONGSECRETKEY".to_string();
    let failure = run(bad, no_env, update_flink_jar_job::call)
        .await
        .expect_err("the signature does not verify");
    let Failure::Call(message) = failure else {
        panic!("expected a failed call: {failure:?}");
    };
    assert!(
        message.starts_with("UpdateFlinkJarJob failed with HTTP 401")
            || message.starts_with("UpdateFlinkJarJob got HTTP 401"),
        "{message}"
    );
    assert!(!message.contains("WRONGSECRETKEY"), "{message}");
}

#[tokio::test]
async fn examples_need_an_endpoint_and_read_the_environment() {
    let failure = run(Vec::new(), no_env, create_flink_jar_job::call)
        .await
        .expect_err("no endpoint");
    assert_eq!(
        failure,
        Failure::Usage("no endpoint: give --endpoint URL or set HWC_ENDPOINT".to_string())
    );

    let url = serve_mock().await;
    let env = |name: &str| match name {
        "HWC_ENDPOINT" => Some(url.clone()),
        "HUAWEICLOUD_SDK_PROJECT_ID" => Some("0123456789abcdef0123456789abcdef".to_string()),
        "HUAWEICLOUD_SDK_AK" => Some(AK.to_string()),
        "HUAWEICLOUD_SDK_SK" => Some(SK.to_string()),
        _ => None,
    };
    let text = run(Vec::new(), env, create_callback_workflow::call)
        .await
        .expect("everything comes from the environment");
    assert!(text.starts_with("HTTP 200"), "{text}");

    let failure = run(
        vec!["--endpoint".to_string()],
        no_env,
        create_flink_jar_job::call,
    )
    .await
    .expect_err("a flag without its value");
    assert_eq!(
        failure,
        Failure::Usage("`--endpoint` needs a value".to_string())
    );
}
