//! Control over each call: per-call options that keep the typed method, an interceptor
//! that sees each attempt before it is signed and each answer, a deadline across
//! retries, and a raw request for an operation the spec does not have. Runs against the
//! in-memory fake (`test-util`), so nothing goes over the network.
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example http_control
//! ```

use std::time::Duration;

use huaweicloud_api_client::fake::Fake;
use huaweicloud_api_client::runtime::fake::FakeResponse;
use huaweicloud_api_client::runtime::{
    AttemptResponse, Interceptor, Method, OutgoingRequest, RawRequest,
};
use huaweicloud_api_client::{types, Service};

/// Adds a trace header to every attempt (signed with the rest) and logs each answer.
#[derive(Debug)]
struct Trace;

impl Interceptor for Trace {
    fn before_signing(&self, request: &mut OutgoingRequest<'_>) -> Result<(), String> {
        request.set_header("X-Trace-Id", format!("trace-{}", request.attempt()));
        Ok(())
    }

    fn after_response(&self, response: &AttemptResponse<'_>) {
        println!(
            "  {} attempt {}: HTTP {}",
            response.operation_id(),
            response.attempt(),
            response.status().as_u16()
        );
    }
}

pub async fn run() -> Result<String, Box<dyn std::error::Error>> {
    let fake = Fake::new();
    fake.update_flink_jar_job()
        .returns(&types::FlinkJarJobUpdateResponse::default());
    let client = fake
        .builder()
        .project_id("0123456789abcdef0123456789abcdef")
        .config(|c| c.interceptor(Trace).deadline(Duration::from_secs(30)))
        .build()?;

    // Per-call options: a copy of the client, used like the client.
    client
        .with(|o| {
            o.timeout(Duration::from_secs(5))
                .header("X-Request-Tag", "nightly")
                .max_retries(0)
        })
        .update_flink_jar_job(148, &types::FlinkJarJobUpdateRequest::default())
        .await?;
    let typed = fake
        .update_flink_jar_job()
        .last_request()
        .ok_or("the call was made")?;

    // A raw request: an operation the spec does not describe, signed and sent with the
    // same configuration.
    fake.transport().respond(
        "ListFlinkJobs",
        FakeResponse::json(200, &serde_json::json!({"count": 0, "jobs": []})),
    );
    let path = format!("/v1.0/{}/streaming/jobs", client.project_id());
    let reply = client
        .send_raw(
            Service::Dli,
            RawRequest::new(Method::GET, path)
                .operation_id("ListFlinkJobs")
                .query("limit", "10"),
        )
        .await?;
    Ok(format!(
        "typed call: X-Request-Tag {:?}, X-Trace-Id {:?}\nraw call: HTTP {} {}\n",
        typed.header("x-request-tag"),
        typed.header("x-trace-id"),
        reply.status.as_u16(),
        String::from_utf8_lossy(&reply.body)
    ))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(text) => {
            print!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
