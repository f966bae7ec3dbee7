//! End to end for `routes-by-query.yaml`: operations that share a method and route, told
//! apart by the query their paths carry (`/#Action=SendMessage`, `/jobs?type=batch`).
//! Each server method answers with its own name, so a test sees which one ran.

use std::sync::Arc;

#[macro_use]
mod support;

use generator_compile_client::routes_by_query_spec::client::{Client, Service};
use generator_compile_client::routes_by_query_spec::types as wire;
use generator_compile_server::routes_by_query_spec::server::{self, *};
use generator_compile_server::routes_by_query_spec::types::Outcome;
use generator_compile_server::runtime::{RequestContext, RouterOptions};

struct Named;

fn named(operation: &str) -> Outcome {
    Outcome::new(operation.to_string())
}

impl server::Default for Named {
    async fn send_message(
        &self,
        _: RequestContext,
        input: SendMessageInput,
    ) -> SendMessageResponse {
        SendMessageResponse::Ok(named(&format!("sendMessage {}", input.body2)))
    }
    async fn receive_message(
        &self,
        _: RequestContext,
        input: ReceiveMessageInput,
    ) -> ReceiveMessageResponse {
        ReceiveMessageResponse::Ok(named(&format!("receiveMessage {:?}", input.max)))
    }
    async fn list_batch_jobs(
        &self,
        _: RequestContext,
        _: ListBatchJobsInput,
    ) -> ListBatchJobsResponse {
        ListBatchJobsResponse::Ok(named("listBatchJobs"))
    }
    async fn list_running_stream_jobs(
        &self,
        _: RequestContext,
        _: ListRunningStreamJobsInput,
    ) -> ListRunningStreamJobsResponse {
        ListRunningStreamJobsResponse::Ok(named("listRunningStreamJobs"))
    }
    async fn list_jobs(&self, _: RequestContext, _: ListJobsInput) -> ListJobsResponse {
        ListJobsResponse::Ok(named("listJobs"))
    }
    async fn list_jobs_again(
        &self,
        _: RequestContext,
        _: ListJobsAgainInput,
    ) -> ListJobsAgainResponse {
        ListJobsAgainResponse::Ok
    }
    async fn list_jobs_too(&self, _: RequestContext, _: ListJobsTooInput) -> ListJobsTooResponse {
        ListJobsTooResponse::Ok
    }
    async fn list_jobs_duplicate(
        &self,
        _: RequestContext,
        _: ListJobsDuplicateInput,
    ) -> ListJobsDuplicateResponse {
        ListJobsDuplicateResponse::Ok
    }
}

/// The router on 127.0.0.1 with an ephemeral port, and a client of it.
async fn start() -> (String, Client) {
    serve_with_client!(
        server::router(Arc::new(Named), &RouterOptions::default()),
        Client,
        Service::Default
    )
}

#[tokio::test]
async fn operations_named_by_a_fragment_are_told_apart_by_their_query() {
    let (_, client) = start().await;
    let sent = client
        .send_message(&wire::SendMessageAction::SendMessage, "hello")
        .await
        .expect("sendMessage answers");
    assert_eq!(sent.body.operation, "sendMessage hello");
    let received = client
        .receive_message(&wire::ReceiveMessageAction::ReceiveMessage, Some(3))
        .await
        .expect("receiveMessage answers");
    assert_eq!(received.body.operation, "receiveMessage Some(3)");
}

#[tokio::test]
async fn the_client_sends_the_query_of_the_path_and_the_most_specific_operation_answers() {
    let (_, client) = start().await;
    let batch = client
        .list_batch_jobs()
        .await
        .expect("listBatchJobs answers");
    assert_eq!(batch.body.operation, "listBatchJobs");
    let running = client
        .list_running_stream_jobs()
        .await
        .expect("listRunningStreamJobs answers");
    assert_eq!(running.body.operation, "listRunningStreamJobs");
    let all = client.list_jobs().await.expect("listJobs answers");
    assert_eq!(all.body.operation, "listJobs");
    client
        .list_jobs_again(true)
        .await
        .expect("listJobsAgain answers");
    client
        .list_jobs_duplicate()
        .await
        .expect("listJobsDuplicate answers");
}

#[tokio::test]
async fn raw_queries_pick_the_operation_or_fall_back_to_the_one_without_a_selector() {
    let (url, _) = start().await;
    let get = |query: &str| {
        let url = format!("{url}/jobs{query}");
        async move {
            let response = reqwest::get(url).await.expect("an answer");
            let status = response.status().as_u16();
            (status, response.text().await.expect("a body"))
        }
    };
    // `type=stream` alone is not `type=stream&state=running`: the fallback answers.
    assert_eq!(
        get("?type=stream").await,
        (200, r#"{"operation":"listJobs"}"#.to_string())
    );
    assert_eq!(
        get("?state=running&type=stream&x=1").await,
        (200, r#"{"operation":"listRunningStreamJobs"}"#.to_string())
    );
    assert_eq!(
        get("?type=batch").await.1,
        r#"{"operation":"listBatchJobs"}"#
    );
    // `again` selects its operation, whose own rules then apply to the value.
    assert_eq!(get("?again=true").await.0, 200);
    let (status, body) = get("?again=maybe").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("again"), "{body}");
}

#[tokio::test]
async fn a_query_that_selects_no_operation_is_a_400_naming_the_choices() {
    let (url, _) = start().await;
    let response = reqwest::Client::new()
        .post(format!("{url}/?Action=DeleteQueue"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
    let text = response.text().await.expect("a body");
    let body: serde_json::Value = serde_json::from_str(&text).expect("a JSON error");
    let message = body.to_string();
    assert!(
        message.contains("`Action=SendMessage`, `Action=ReceiveMessage`"),
        "{message}"
    );
}
