//! Calls `CreateCallbackWorkflow`: Reports the result of a workflow state that waits for a callback.
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example create_callback_workflow -- \
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
pub async fn call(
    client: Client,
) -> Result<ResponseValue<types::WorkflowCallbackResponse>, Error<types::FunctionGraphErrorResponse>>
{
    let mut output = serde_json::Map::new();
    output.insert("key".to_string(), serde_json::Value::from("value"));
    let body = types::WorkflowCallbackRequest::new(types::WorkflowCallbackResult::Success, output);
    client
        .create_callback_workflow("workflow-id", "run-id", "state-id", &body)
        .await
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::main(call).await
}
