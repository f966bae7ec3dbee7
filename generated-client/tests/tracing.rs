//! Every call runs in an `api_call` span with the operation id, method, path, status,
//! retry count and request id; nothing that is traced contains a credential.
//!
//! A small subscriber records every span field and event field as text. The test uses the
//! current-thread runtime, so the client, the test server and the subscriber share one
//! thread and `set_default` sees everything.

mod common;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::{builder, calls, Reply, TestServer, OK_BODY, PROJECT_ID};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// What was traced: each span's name and fields, and each event's fields.
#[derive(Default)]
struct Captured {
    span_names: HashMap<u64, String>,
    span_fields: HashMap<u64, Vec<(String, String)>>,
    events: Vec<Vec<(String, String)>>,
}

#[derive(Clone, Default)]
struct Capture {
    next_id: Arc<AtomicU64>,
    captured: Arc<Mutex<Captured>>,
}

struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_string(), value.to_string()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .push((field.name().to_string(), format!("{value:?}")));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = Fields(Vec::new());
        span.record(&mut fields);
        let mut captured = self.captured.lock().expect("the lock is not poisoned");
        captured
            .span_names
            .insert(id, span.metadata().name().to_string());
        captured.span_fields.insert(id, fields.0);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields(Vec::new());
        values.record(&mut fields);
        self.captured
            .lock()
            .expect("the lock is not poisoned")
            .span_fields
            .entry(span.into_u64())
            .or_default()
            .extend(fields.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        self.captured
            .lock()
            .expect("the lock is not poisoned")
            .events
            .push(fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl Capture {
    /// The fields of every `api_call` span, the last value of each field winning.
    fn api_calls(&self) -> Vec<HashMap<String, String>> {
        let captured = self.captured.lock().expect("the lock is not poisoned");
        let mut ids: Vec<u64> = captured
            .span_names
            .iter()
            .filter(|(_, name)| name.as_str() == "api_call")
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids.iter()
            .map(|id| {
                captured
                    .span_fields
                    .get(id)
                    .map(|fields| fields.iter().cloned().collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Everything that was traced, as one text.
    fn everything(&self) -> String {
        let captured = self.captured.lock().expect("the lock is not poisoned");
        let mut text = String::new();
        for fields in captured.span_fields.values().chain(captured.events.iter()) {
            for (name, value) in fields {
                text.push_str(&format!("{name}={value}\n"));
            }
        }
        text
    }
}

fn field<'a>(span: &'a HashMap<String, String>, name: &str) -> &'a str {
    span.get(name)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("no field `{name}` in {span:?}"))
}

#[tokio::test]
async fn calls_are_traced_with_their_facts_and_without_secrets() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::json(503, r#"{"error_code":"APIGW.0503","error_msg":"busy"}"#)
        } else {
            Reply::json(200, OK_BODY).header("x-request-id", "req-trace-1")
        }
    })
    .await;
    let signed = builder(&server.url)
        .config(|c| c.temporary_credentials(common::AK, common::SK, common::SECURITY_TOKEN))
        .build()
        .expect("a valid client");
    assert_eq!(calls::update_job(&signed).await, Ok(200));

    let with_token = builder(&server.url)
        .config(|c| c.token(common::IAM_TOKEN))
        .build()
        .expect("a valid client");
    assert_eq!(calls::workflow_callback(&with_token).await, Ok(200));

    let refused = builder("http://127.0.0.1:9")
        .config(|c| {
            c.credentials(huaweicloud_api_client::runtime::Credentials::new(
                common::AK,
                common::SK,
            ))
            .max_retries(0)
        })
        .build()
        .expect("a valid client");
    calls::ief_callback(&refused)
        .await
        .expect_err("nothing listens on port 9");

    let spans = capture.api_calls();
    assert_eq!(spans.len(), 3, "{spans:?}");
    let update = &spans[0];
    assert_eq!(field(update, "operation_id"), "UpdateFlinkJarJob");
    assert_eq!(field(update, "method"), "PUT");
    assert_eq!(
        field(update, "path"),
        format!("/v1.0/{PROJECT_ID}/streaming/flink-jobs/42")
    );
    assert_eq!(field(update, "status"), "200");
    assert_eq!(field(update, "retries"), "1");
    assert_eq!(field(update, "request_id"), "req-trace-1");

    let callback = &spans[1];
    assert_eq!(field(callback, "operation_id"), "CreateCallbackWorkflow");
    assert_eq!(field(callback, "method"), "POST");
    assert_eq!(field(callback, "retries"), "0");

    let failed = &spans[2];
    assert_eq!(field(failed, "operation_id"), "RunIefJobActionCallBack");
    assert_eq!(field(failed, "error"), "transport");
    assert!(!failed.contains_key("status"), "{failed:?}");

    let everything = capture.everything();
    assert!(
        everything.contains("status=503"),
        "the retry is logged with the status that caused it:\n{everything}"
    );
    for secret in [
        common::AK,
        common::SK,
        common::SECURITY_TOKEN,
        common::IAM_TOKEN,
    ] {
        assert!(
            !everything.contains(secret),
            "`{secret}` was traced:\n{everything}"
        );
    }
}
