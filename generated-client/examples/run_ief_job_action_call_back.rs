//! Calls `RunIefJobActionCallBack`: Reports the result of an action on an edge Flink job (deprecated by the API).
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example run_ief_job_action_call_back -- \
//!     --endpoint http://127.0.0.1:8080 --project-id 0123456789abcdef0123456789abcdef
//! ```
//!
//! The endpoint, region, project id and credentials come from flags or the environment
//! (see `common/mod.rs`); there is no default endpoint.

#[path = "common/mod.rs"]
mod common;

use huaweicloud_api_client::runtime::{Error, ResponseValue};
use huaweicloud_api_client::{types, Client};

/// The call itself, with the example request of the spec.
#[allow(deprecated, reason = "this example shows the deprecated operation")]
pub async fn call(
    client: Client,
) -> Result<ResponseValue<types::EdgeOperationResponse>, Error<types::ErrorResponse>> {
    let mut body = types::IefJobActionCallbackRequest::new("mesage_id".to_string());
    body.state = Some(types::IefJobState {
        phase: "FAILED".to_string(),
        reason: Some("submit job failed".to_string()),
    });
    client.run_ief_job_action_call_back(&body).await
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::main(call).await
}
