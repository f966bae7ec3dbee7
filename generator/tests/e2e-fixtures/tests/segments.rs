//! End to end for `routes-in-segments.yaml`: path segments that mix parameters and text
//! (`{name}.json`, `{name}-{version}.zip`, `{id}:cancel`, `docs('{key}')`) or that axum
//! would read as its old syntax (`:token`). The router takes each such segment whole and
//! the server matches it; each server method answers with its name and what it read.

use std::sync::Arc;

#[macro_use]
mod support;

use generator_compile_client::routes_in_segments_spec::client::{Client, Service};
use generator_compile_client::routes_in_segments_spec::types as wire;
use generator_compile_server::routes_in_segments_spec::server::{self, *};
use generator_compile_server::routes_in_segments_spec::types::Outcome;
use generator_compile_server::runtime::{RequestContext, RouterOptions};

struct Named;

fn named(operation: String) -> Outcome {
    Outcome::new(operation)
}

impl server::Default for Named {
    async fn get_json(&self, _: RequestContext, input: GetJsonInput) -> GetJsonResponse {
        GetJsonResponse::Ok(named(format!("getJson {}", input.name)))
    }
    async fn get_xml(&self, _: RequestContext, input: GetXmlInput) -> GetXmlResponse {
        GetXmlResponse::Ok(named(format!("getXml {}", input.name)))
    }
    async fn get_file(&self, _: RequestContext, input: GetFileInput) -> GetFileResponse {
        GetFileResponse::Ok(named(format!("getFile {}", input.id)))
    }
    async fn get_package(&self, _: RequestContext, input: GetPackageInput) -> GetPackageResponse {
        GetPackageResponse::Ok(named(format!(
            "getPackage {} {}",
            input.name, input.version
        )))
    }
    async fn cancel_job(&self, _: RequestContext, input: CancelJobInput) -> CancelJobResponse {
        CancelJobResponse::Ok(named(format!("cancelJob {}", input.id)))
    }
    async fn get_doc(&self, _: RequestContext, input: GetDocInput) -> GetDocResponse {
        GetDocResponse::Ok(named(format!("getDoc {}", input.key)))
    }
    async fn call_hook(&self, _: RequestContext, _: CallHookInput) -> CallHookResponse {
        CallHookResponse::Ok(named("callHook".to_string()))
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
async fn the_client_reaches_every_operation_and_the_server_reads_its_part_of_the_segment() {
    let (_, client) = start().await;
    let operation = |outcome: wire::Outcome| outcome.operation;
    assert_eq!(
        operation(client.get_json("report").await.expect("getJson").body),
        "getJson report"
    );
    assert_eq!(
        operation(client.get_xml("report").await.expect("getXml").body),
        "getXml report"
    );
    assert_eq!(
        operation(client.get_file("report").await.expect("getFile").body),
        "getFile report"
    );
    // Text of the segment inside a value: the earlier parameter takes the longest value,
    // and a value is decoded after the segment is split.
    assert_eq!(
        operation(
            client
                .get_package("my-app", "1.0")
                .await
                .expect("getPackage")
                .body
        ),
        "getPackage my-app 1.0"
    );
    assert_eq!(
        operation(client.get_json("a b.json").await.expect("getJson").body),
        "getJson a b.json"
    );
    assert_eq!(
        operation(client.cancel_job(42).await.expect("cancelJob").body),
        "cancelJob 42"
    );
    assert_eq!(
        operation(client.get_doc("it's").await.expect("getDoc").body),
        "getDoc it's"
    );
    assert_eq!(
        operation(client.call_hook().await.expect("callHook").body),
        "callHook"
    );
}

async fn send(method: reqwest::Method, url: String) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .request(method, url)
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON: {text}"));
    (status, body)
}

#[tokio::test]
async fn raw_paths_pick_the_most_specific_operation_or_none() {
    let (url, _) = start().await;
    let get = |path: &str| send(reqwest::Method::GET, format!("{url}{path}"));
    // A whole-segment parameter takes what no segment form matches.
    assert_eq!(get("/files/a.json").await.1["operation"], "getJson a");
    assert_eq!(
        get("/files/a.xml.json").await.1["operation"],
        "getJson a.xml"
    );
    assert_eq!(get("/files/a.txt").await.1["operation"], "getFile a.txt");
    assert_eq!(get("/files/.json").await.1["operation"], "getFile .json");
    assert_eq!(get("/docs('k%2F1')").await.1["operation"], "getDoc k/1");
    // A segment of no operation's form is a 404 in the spec's error format.
    for path in ["/packages/app.zip", "/packages/app-1.0.tar", "/docs(k)"] {
        let (status, body) = get(path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("no operation")),
            "{path}: {body}"
        );
    }
    let post = |path: &str| send(reqwest::Method::POST, format!("{url}{path}"));
    let (status, body) = post("/hooks/:other").await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(post("/hooks/:token").await.1["operation"], "callHook");
    let (status, body) = post("/jobs/7:pause").await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn a_value_read_from_part_of_a_segment_is_validated() {
    let (url, _) = start().await;
    let post = |path: &str| send(reqwest::Method::POST, format!("{url}{path}"));
    let (status, body) = post("/jobs/0:cancel").await;
    assert_eq!(status, 400, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("id"), "{body}");
    let (status, body) = post("/jobs/abc:cancel").await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = send(reqwest::Method::GET, format!("{url}/packages/app-one.zip")).await;
    assert_eq!(status, 400, "the version's pattern applies: {body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("version")),
        "{body}"
    );
}
