//! The test double users get with the `test-util` feature: a typed fake of every service
//! whose answers are set per operation and whose requests are recorded, signed, as a
//! real service would receive them.

use huaweicloud_api_client::fake::Fake;
use huaweicloud_api_client::runtime::fake::FakeResponse;
use huaweicloud_api_client::runtime::{Error, Method, RawRequest};
use huaweicloud_api_client::{types, Client, Service};

/// Code under test: what an application might do with the client.
async fn rename(client: &Client, job_id: i64, name: &str) -> Result<String, String> {
    let body = types::FlinkJarJobUpdateRequest {
        name: Some(name.to_string()),
        ..Default::default()
    };
    match client.update_flink_jar_job(job_id, &body).await {
        Ok(reply) => Ok(reply.body.message.unwrap_or_default()),
        Err(Error::Api { body, .. }) => Err(body.error_code),
        Err(other) => Err(other.to_string()),
    }
}

#[tokio::test]
async fn a_typed_answer_is_given_and_the_typed_request_recorded() {
    let fake = Fake::new();
    fake.update_flink_jar_job()
        .returns(&types::FlinkJarJobUpdateResponse {
            is_success: Some(true),
            message: Some("renamed".to_string()),
            job: None,
        });
    let client = fake.client();
    assert_eq!(
        rename(&client, 148, "nightly").await,
        Ok("renamed".to_string())
    );

    let stub = fake.update_flink_jar_job();
    assert_eq!(stub.calls(), 1);
    let request = stub.last_request().expect("one call");
    assert_eq!(request.method(), Method::PUT);
    assert_eq!(
        request.path(),
        "/v1.0/fake-project_id/streaming/flink-jobs/148"
    );
    assert_eq!(request.header("x-project-id"), Some("fake-project_id"));
    let sent: types::FlinkJarJobUpdateRequest = request.json().expect("the typed body");
    assert_eq!(sent.name.as_deref(), Some("nightly"));
    // The request is signed as a real service would see it.
    assert!(request
        .header("authorization")
        .is_some_and(|a| a.starts_with("SDK-HMAC-SHA256 Access=FAKE-AK")));
    assert!(fake.create_flink_jar_job().requests().is_empty());
}

#[tokio::test]
async fn a_typed_error_and_one_time_answers() {
    let fake = Fake::new();
    let stub = fake.update_flink_jar_job();
    stub.fails_once(
        400,
        &types::ErrorResponse::new("DLI.0001".to_string(), "bad name".to_string()),
    )
    .returns(&types::FlinkJarJobUpdateResponse {
        message: Some("second time".to_string()),
        ..Default::default()
    });
    let client = fake.client();
    assert_eq!(rename(&client, 1, "x").await, Err("DLI.0001".to_string()));
    assert_eq!(rename(&client, 1, "y").await, Ok("second time".to_string()));
    assert_eq!(rename(&client, 1, "z").await, Ok("second time".to_string()));
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn an_operation_without_an_answer_fails_with_a_message_that_says_so() {
    let fake = Fake::new();
    let err = rename(&fake.client(), 1, "x")
        .await
        .expect_err("no answer set");
    assert!(err.contains("HTTP 501"), "{err}");
    assert!(
        err.contains("the fake has no answer set for UpdateFlinkJarJob"),
        "{err}"
    );
}

#[tokio::test]
async fn raw_answers_retries_and_reset() {
    let fake = Fake::new();
    let client = fake
        .builder()
        .project_id("p1")
        .config(|c| c.max_retries(2))
        .build()
        .expect("builds");
    fake.transport()
        .respond_once("ListJobs", FakeResponse::status(503));
    fake.transport().respond(
        "ListJobs",
        FakeResponse::json(200, &serde_json::json!({"count": 0})),
    );
    let reply = client
        .send_raw(
            Service::Dli,
            RawRequest::new(Method::GET, "/v1.0/p1/jobs").operation_id("ListJobs"),
        )
        .await
        .expect("answered");
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.retries, 1);
    assert_eq!(&reply.body[..], br#"{"count":0}"#);
    assert_eq!(fake.transport().requests_of("ListJobs").len(), 2);
    fake.reset();
    assert!(fake.requests().is_empty());
}
