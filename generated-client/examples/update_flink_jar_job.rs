//! Calls `UpdateFlinkJarJob`: Updates a Flink Jar job (a PUT, so it is retried on 429/502/503/504).
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example update_flink_jar_job -- \
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
) -> Result<ResponseValue<types::FlinkJarJobUpdateResponse>, Error<types::ErrorResponse>> {
    let body = types::FlinkJarJobUpdateRequest {
        name: Some("test1".to_string()),
        desc: Some("job for test".to_string()),
        cu_number: Some(2),
        parallel_number: Some(1),
        ..Default::default()
    };
    client.update_flink_jar_job(148, &body).await
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::main(call).await
}
