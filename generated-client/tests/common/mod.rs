//! Shared test support: a scripted HTTP server on 127.0.0.1:0 that records every request,
//! and a client builder pointed at it.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Request, Response, StatusCode};
use huaweicloud_api_client::runtime::{Credentials, RetryPolicy};
use huaweicloud_api_client::{Client, ClientBuilder, Service};

pub const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
pub const AK: &str = "AKMARKERVISIBLE0001";
pub const SK: &str = "SKMARKERSECRET0001";
pub const SECURITY_TOKEN: &str = "TOKENMARKERSECRET0001";
pub const IAM_TOKEN: &str = "IAMTOKENMARKERSECRET0001";

/// A request as the test server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of a header, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Checks the AK/SK signature with the signer's verifier, as a real gateway would.
    pub fn verify(&self) -> Result<apig_signer::Verified, apig_signer::VerifyError> {
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect();
        let received = apig_signer::ReceivedRequest {
            method: &self.method,
            host: None,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        apig_signer::verify(
            &received,
            SystemTime::now(),
            &apig_signer::VerifyOptions::default(),
            |access_key| (access_key == AK).then(|| SK.into()),
        )
    }
}

/// A simple scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    /// How long to wait before answering.
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json".to_string())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.to_string()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Script = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A running test server.
pub struct TestServer {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Starts a server that answers request number `n` (0-based) with `script(request, n)`.
    pub async fn start(script: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static) -> Self {
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let script: Arc<Script> = Arc::new(script);
        let recorded = requests.clone();
        let app = axum::Router::new().fallback(move |request: Request<Body>| {
            let recorded = recorded.clone();
            let script = script.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = to_bytes(body, usize::MAX)
                    .await
                    .expect("the test body is readable");
                let request = Recorded {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_string(),
                    query: parts.uri.query().unwrap_or_default().to_string(),
                    headers: parts.headers,
                    body: body.to_vec(),
                };
                let reply = {
                    let mut all = recorded.lock().expect("the lock is not poisoned");
                    let reply = script(&request, all.len());
                    all.push(request);
                    reply
                };
                if !reply.delay.is_zero() {
                    tokio::time::sleep(reply.delay).await;
                }
                let mut response = Response::builder()
                    .status(StatusCode::from_u16(reply.status).expect("a valid test status"));
                for (name, value) in &reply.headers {
                    response = response.header(*name, value);
                }
                response
                    .body(Body::from(reply.body))
                    .expect("a valid test response")
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free local port");
        let url = format!(
            "http://{}",
            listener
                .local_addr()
                .expect("a bound listener has an address")
        );
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the test server runs");
        });
        TestServer { url, requests }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .expect("the lock is not poisoned")
            .clone()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.requests
            .lock()
            .expect("the lock is not poisoned")
            .len()
    }
}

/// A retry policy with tiny delays, so that tests do not wait.
pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

/// A builder for a client that sends every service to `url`, signing with AK/SK.
pub fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .region("cn-north-4")
        .project_id(PROJECT_ID)
        .endpoint(Service::Dli, url)
        .endpoint(Service::FunctionGraph, url)
        .config(|c| {
            c.credentials(Credentials::new(AK, SK))
                .retry(fast_retries(3))
        })
}

/// A client for `url`, signing with AK/SK.
pub fn client(url: &str) -> Client {
    builder(url).build().expect("a valid test client")
}

/// A JSON answer that fits every operation's 200 response.
pub const OK_BODY: &str = r#"{"is_success": true, "message": "ok"}"#;

/// The five operations, called with small valid bodies; each returns the HTTP status of a
/// successful call or the error's text.
pub mod calls {
    use huaweicloud_api_client::{types, Client};

    #[allow(deprecated, reason = "the tests cover the deprecated operations too")]
    pub async fn ief_callback(client: &Client) -> Result<u16, String> {
        let body = types::IefJobActionCallbackRequest::new("msg-1".to_string());
        client
            .run_ief_job_action_call_back(&body)
            .await
            .map(|r| r.status.as_u16())
            .map_err(|e| e.to_string())
    }

    #[allow(deprecated, reason = "the tests cover the deprecated operations too")]
    pub async fn status_report(client: &Client) -> Result<u16, String> {
        let body = types::FlinkJobStatusReportRequest::new(
            vec![types::FlinkJobStatusReportJob::new(
                "job_submit_fail".to_string(),
                1_591_104_868_201,
            )],
            "msg-2".to_string(),
        );
        client
            .change_flink_job_status_report(&body)
            .await
            .map(|r| r.status.as_u16())
            .map_err(|e| e.to_string())
    }

    pub async fn create_job(client: &Client) -> Result<u16, String> {
        let body = types::FlinkJarJobCreateRequest::new("job ü".to_string());
        client
            .create_flink_jar_job(&body)
            .await
            .map(|r| r.status.as_u16())
            .map_err(|e| e.to_string())
    }

    pub async fn update_job(client: &Client) -> Result<u16, String> {
        let body = types::FlinkJarJobUpdateRequest::default();
        client
            .update_flink_jar_job(42, &body)
            .await
            .map(|r| r.status.as_u16())
            .map_err(|e| e.to_string())
    }

    pub async fn workflow_callback(client: &Client) -> Result<u16, String> {
        let body = types::WorkflowCallbackRequest::new(
            types::WorkflowCallbackResult::Success,
            Default::default(),
        );
        client
            .create_callback_workflow("wf/1", "run-1", "state-1", &body)
            .await
            .map(|r| r.status.as_u16())
            .map_err(|e| e.to_string())
    }
}
