//! Testing code that uses the client with the `test-util` feature's fake: set a typed
//! answer per operation, run the code, look at the typed requests it sent. Nothing goes
//! over the network.
//!
//! ```text
//! cargo run -p huaweicloud-api-client --example testing_with_the_fake
//! ```
//!
//! In an application's `Cargo.toml`:
//!
//! ```toml
//! [dev-dependencies]
//! huaweicloud-api-client = { version = "0.1", features = ["test-util"] }
//! ```

use huaweicloud_api_client::fake::Fake;
use huaweicloud_api_client::{types, Client};

/// The application code under test: renames a job and reports the service's message.
async fn rename(client: &Client, job_id: i64, name: &str) -> Result<String, String> {
    let body = types::FlinkJarJobUpdateRequest {
        name: Some(name.to_string()),
        ..Default::default()
    };
    let reply = client
        .update_flink_jar_job(job_id, &body)
        .await
        .map_err(|err| err.to_string())?;
    Ok(reply.body.message.unwrap_or_default())
}

/// What a test of `rename` looks like.
pub async fn run() -> Result<String, Box<dyn std::error::Error>> {
    let fake = Fake::new();
    fake.update_flink_jar_job()
        .returns(&types::FlinkJarJobUpdateResponse {
            is_success: Some(true),
            message: Some("the job is updated".to_string()),
            job: None,
        });
    let message = rename(&fake.client(), 148, "nightly").await?;

    let request = fake
        .update_flink_jar_job()
        .last_request()
        .ok_or("the job was updated")?;
    let sent: types::FlinkJarJobUpdateRequest = request.json()?;
    if sent.name.as_deref() != Some("nightly") {
        return Err("the new name was not sent".into());
    }
    Ok(format!(
        "answer: {message}\nrequest: {} {} with name {:?}\n",
        request.method(),
        request.path(),
        sent.name
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
