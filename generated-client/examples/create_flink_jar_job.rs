//! Calls `CreateFlinkJarJob`: Creates a Flink Jar job.
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example create_flink_jar_job -- \
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
) -> Result<ResponseValue<types::FlinkJarJobCreateResponse>, Error<types::ErrorResponse>> {
    let mut body = types::FlinkJarJobCreateRequest::new("test".to_string());
    body.desc = Some("job for test".to_string());
    body.queue_name = Some("testQueue".to_string());
    body.manager_cu_number = Some(1);
    body.cu_number = Some(2);
    body.parallel_number = Some(1);
    body.log_enabled = Some(false);
    body.main_class = Some("org.apache.flink.examples.streaming.JavaQueueStream".to_string());
    body.entrypoint = Some("javaQueueStream.jar".to_string());
    body.dependency_jars = Some(vec!["myGroup/test.jar".to_string()]);
    // POST is not retried once it may have reached the service unless the client
    // opts in with `Config::retry_operation("CreateFlinkJarJob")`.
    client.create_flink_jar_job(&body).await
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::main(call).await
}
