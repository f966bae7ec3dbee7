//! Control over the HTTP side: the application's own `reqwest::Client`, per-call options
//! that keep the typed methods, interceptors before signing and after each answer, a
//! deadline across retries, and raw requests signed like the typed ones.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{builder, client, fast_retries, Reply, TestServer, OK_BODY, PROJECT_ID};
use huaweicloud_api_client::runtime::{
    AttemptResponse, Error, Interceptor, Method, OutgoingRequest, RawRequest, TimeoutKind,
};
use huaweicloud_api_client::{types, Service};

const BUSY: &str = r#"{"error_code":"APIGW.0503","error_msg":"busy"}"#;

fn update() -> types::FlinkJarJobUpdateRequest {
    types::FlinkJarJobUpdateRequest::default()
}

#[tokio::test]
async fn the_applications_http_client_sends_the_requests() {
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    // With `rustls-tls` the runtime builds reqwest with `rustls-no-provider`: an
    // application that builds its own client on reqwest's rustls defaults installs a
    // crypto provider first (docs/CLIENT.md, "TLS: cargo features").
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-own-client", "yes".parse().expect("a header value"));
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a client");
    let client = builder(&server.url)
        .http_client(http)
        .build()
        .expect("builds");
    client
        .update_flink_jar_job(1, &update())
        .await
        .expect("answered");
    let request = &server.requests()[0];
    assert_eq!(request.header("x-from-own-client"), Some("yes"));
    // Signed all the same.
    request.verify().expect("a valid signature");
}

#[tokio::test]
async fn per_call_headers_are_signed_and_sent_only_on_that_copy() {
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let client = client(&server.url);
    client
        .with(|o| o.header("X-Trace-Id", "trace-1"))
        .update_flink_jar_job(1, &update())
        .await
        .expect("answered");
    client
        .update_flink_jar_job(2, &update())
        .await
        .expect("answered");
    let requests = server.requests();
    assert_eq!(requests[0].header("x-trace-id"), Some("trace-1"));
    let verified = requests[0].verify().expect("signed");
    assert!(verified.signed_headers.iter().any(|h| h == "x-trace-id"));
    assert_eq!(requests[1].header("x-trace-id"), None);
}

#[tokio::test]
async fn per_call_retries_replace_the_clients() {
    let server = TestServer::start(|_, _| Reply::json(503, BUSY)).await;
    let client = client(&server.url);
    let err = client
        .with(|o| o.max_retries(0))
        .update_flink_jar_job(1, &update())
        .await
        .expect_err("503");
    assert_eq!(err.retries(), 0);
    assert_eq!(server.count(), 1);
    let err = client
        .with(|o| o.retry(fast_retries(1)))
        .update_flink_jar_job(1, &update())
        .await
        .expect_err("503");
    assert_eq!(err.retries(), 1);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_per_call_timeout_limits_each_attempt() {
    let server =
        TestServer::start(|_, _| Reply::json(200, OK_BODY).delayed(Duration::from_secs(5))).await;
    let err = client(&server.url)
        .with(|o| o.timeout(Duration::from_millis(100)).max_retries(0))
        .update_flink_jar_job(1, &update())
        .await
        .expect_err("too slow");
    match err {
        Error::Timeout { kind, limit, .. } => {
            assert_eq!(kind, TimeoutKind::Request);
            assert_eq!(limit, Duration::from_millis(100));
        }
        other => panic!("not a timeout: {other:?}"),
    }
}

#[tokio::test]
async fn the_deadline_ends_the_retries() {
    // Every attempt is answered 503 after 150 ms; the retries alone would take longer
    // than the deadline.
    let server =
        TestServer::start(|_, _| Reply::json(503, BUSY).delayed(Duration::from_millis(150))).await;
    let client = builder(&server.url)
        .config(|c| {
            c.retry(fast_retries(50))
                .deadline(Duration::from_millis(400))
        })
        .build()
        .expect("builds");
    let err = client
        .update_flink_jar_job(1, &update())
        .await
        .expect_err("never succeeds");
    match &err {
        Error::Timeout {
            kind: TimeoutKind::Deadline,
            limit,
            retries,
            ..
        } => {
            assert_eq!(*limit, Duration::from_millis(400));
            assert!(*retries >= 1 && *retries < 50, "{retries}");
        }
        // The last answer came back just before the deadline and no retry could end in time.
        Error::Api { retries, .. } => assert!(*retries < 50, "{retries}"),
        other => panic!("unexpected {other:?}"),
    }
    assert!(server.count() < 10, "{} attempts", server.count());
    assert!(
        err.to_string().contains("deadline") || err.status().is_some(),
        "{err}"
    );
}

#[derive(Debug, Default)]
struct Recorder {
    seen: Mutex<Vec<String>>,
}

impl Interceptor for Recorder {
    fn before_signing(&self, request: &mut OutgoingRequest<'_>) -> Result<(), String> {
        self.seen.lock().expect("not poisoned").push(format!(
            "before {} {} {} attempt {}",
            request.operation_id(),
            request.method(),
            request.path(),
            request.attempt()
        ));
        request.set_header("X-Intercepted", format!("attempt-{}", request.attempt()));
        request.remove_header("User-Agent");
        Ok(())
    }

    fn after_response(&self, response: &AttemptResponse<'_>) {
        self.seen.lock().expect("not poisoned").push(format!(
            "after {} {} attempt {}",
            response.operation_id(),
            response.status().as_u16(),
            response.attempt()
        ));
    }
}

#[derive(Debug, Clone)]
struct Shared(Arc<Recorder>);

impl Interceptor for Shared {
    fn before_signing(&self, request: &mut OutgoingRequest<'_>) -> Result<(), String> {
        self.0.before_signing(request)
    }

    fn after_response(&self, response: &AttemptResponse<'_>) {
        self.0.after_response(response)
    }
}

#[tokio::test]
async fn interceptors_see_every_attempt_before_signing_and_every_answer() {
    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::json(503, BUSY)
        } else {
            Reply::json(200, OK_BODY)
        }
    })
    .await;
    let recorder = Arc::new(Recorder::default());
    let client = builder(&server.url)
        .config(|c| c.interceptor(Shared(recorder.clone())))
        .build()
        .expect("builds");
    client
        .update_flink_jar_job(7, &update())
        .await
        .expect("the retry succeeds");
    let path = format!("/v1.0/{PROJECT_ID}/streaming/flink-jobs/7");
    assert_eq!(
        *recorder.seen.lock().expect("not poisoned"),
        vec![
            format!("before UpdateFlinkJarJob PUT {path} attempt 0"),
            "after UpdateFlinkJarJob 503 attempt 0".to_string(),
            format!("before UpdateFlinkJarJob PUT {path} attempt 1"),
            "after UpdateFlinkJarJob 200 attempt 1".to_string(),
        ]
    );
    let requests = server.requests();
    assert_eq!(requests[1].header("x-intercepted"), Some("attempt-1"));
    assert_eq!(requests[1].header("user-agent"), None);
    // What the interceptor changed was signed.
    let verified = requests[1].verify().expect("signed");
    assert!(verified.signed_headers.iter().any(|h| h == "x-intercepted"));
}

#[derive(Debug)]
struct Refuse;

impl Interceptor for Refuse {
    fn before_signing(&self, _: &mut OutgoingRequest<'_>) -> Result<(), String> {
        Err("writes are frozen".to_string())
    }
}

#[tokio::test]
async fn an_interceptor_can_refuse_a_call() {
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let err = client(&server.url)
        .with(|o| o.interceptor(Refuse))
        .update_flink_jar_job(1, &update())
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(err.to_string().contains("writes are frozen"), "{err}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn a_raw_request_is_signed_and_sent_with_the_clients_configuration() {
    let server = TestServer::start(|_, _| {
        Reply::json(404, r#"{"error_code":"DLI.404","error_msg":"no such job"}"#)
    })
    .await;
    let client = builder(&server.url)
        .config(|c| c.interceptor(Shared(Arc::new(Recorder::default()))))
        .build()
        .expect("builds");
    let path = format!("/v1.0/{}/streaming/jobs", client.project_id());
    let reply = client
        .with(|o| o.header("X-Per-Call", "1"))
        .send_raw(
            Service::Dli,
            RawRequest::new(Method::POST, path.clone())
                .operation_id("ListFlinkJobs")
                .query("limit", "10")
                .query("name", "a b")
                .header("X-Language", "en-us")
                .json(&serde_json::json!({"job_ids": [1, 2]}))
                .expect("serializable"),
        )
        .await
        .expect("any status is an answer");
    assert_eq!(reply.status.as_u16(), 404);
    assert!(std::str::from_utf8(&reply.body)
        .expect("text")
        .contains("no such job"));
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, path);
    assert_eq!(request.query, "limit=10&name=a%20b");
    assert_eq!(request.header("x-language"), Some("en-us"));
    assert_eq!(request.header("x-per-call"), Some("1"));
    assert_eq!(request.header("x-project-id"), Some(PROJECT_ID));
    assert_eq!(request.header("x-intercepted"), Some("attempt-0"));
    assert_eq!(request.body, br#"{"job_ids":[1,2]}"#);
    let verified = request.verify().expect("signed as a typed call is");
    assert!(verified.payload_signed);
}

#[tokio::test]
async fn a_raw_get_is_retried_and_a_raw_post_is_not() {
    let server = TestServer::start(|_, _| Reply::json(503, BUSY)).await;
    let client = client(&server.url);
    let reply = client
        .send_raw(Service::Dli, RawRequest::new(Method::GET, "/v1/x"))
        .await
        .expect("answered");
    assert_eq!(reply.retries, 3);
    let reply = client
        .send_raw(Service::Dli, RawRequest::new(Method::POST, "/v1/x"))
        .await
        .expect("answered");
    assert_eq!(reply.retries, 0);
    let err = client
        .send_raw(Service::Dli, RawRequest::new(Method::GET, "v1/x"))
        .await
        .expect_err("a relative path");
    assert!(err.to_string().contains("does not start with `/`"), "{err}");
}
