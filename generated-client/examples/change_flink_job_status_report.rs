//! Calls `ChangeFlinkJobStatusReport`: Reports the status of edge Flink jobs (deprecated by the API).
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example change_flink_job_status_report -- \
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
    let mut job =
        types::FlinkJobStatusReportJob::new("job_submit_fail".to_string(), 1_591_104_868_201);
    job.job_id = Some(1);
    job.exceptions = Some(types::FlinkJobExceptions::String(
        "agent_submit_job_exception_error".to_string(),
    ));
    let mut body = types::FlinkJobStatusReportRequest::new(vec![job], "uuid".to_string());
    body.msg_confirm_topic = Some("topic".to_string());
    client.change_flink_job_status_report(&body).await
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::main(call).await
}
