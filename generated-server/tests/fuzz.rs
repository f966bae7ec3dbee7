//! Property tests of the request path: arbitrary JSON bodies (whole, or one field of a valid
//! seed replaced), arbitrary bytes, path segments, header values, content types and methods,
//! sent to every operation of the router. Whatever comes in, the server must not panic, must
//! not answer 5xx, and must answer every rejection in the spec's error format with an
//! `X-Request-Id`. No `Prefer` header is sent, so the mock never picks a documented 5xx.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::http::{HeaderValue, Request};
use axum::Router;
use huaweicloud_api_server::{mock::Mock, router, runtime::RouterOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use tower::ServiceExt;

const SPEC: &str = include_str!("../../spec/openapi.yaml");

/// Cases per property: enough to reach every operation many times, small enough for CI.
const CASES: u32 = 300;

/// An operation: method, path template, header parameters and the seed body.
#[derive(Debug, Clone)]
struct Operation {
    method: String,
    template: String,
    headers: Vec<String>,
    seed: Value,
}

fn operations() -> Vec<Operation> {
    let spec: Value = serde_yaml::from_str(SPEC).expect("spec/openapi.yaml is YAML");
    let mut out = Vec::new();
    for (template, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if op.get("operationId").is_none() {
                continue;
            }
            let headers = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "header")
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect();
            out.push(Operation {
                method: method.to_uppercase(),
                template: template.clone(),
                headers,
                seed: op["requestBody"]["content"]["application/json"]["examples"]["seed"]["value"]
                    .clone(),
            });
        }
    }
    assert_eq!(out.len(), 5, "the spec has five operations");
    out
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,80}".prop_map(Value::String),
        prop_oneof![
            Just("true"),
            Just("false"),
            Just("success"),
            Just("fail"),
            Just("a,b"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,12}", inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Percent-encodes everything but unreserved characters, as a client would.
fn encode_segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn path_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,70}",
        any::<String>().prop_map(|s| encode_segment(&s)),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(|bytes| {
            bytes
                .iter()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        }),
        Just("%zz".to_string()),
        Just("..".to_string()),
        "[0-9]{1,25}",
        "-[0-9]{1,20}",
    ]
}

fn header_value() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        Just(None),
        "[ -~]{0,40}".prop_map(|s| Some(s.into_bytes())),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(Some),
    ]
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(Some("application/json".to_string())),
        Just(Some("application/json; charset=utf-8".to_string())),
        Just(Some("APPLICATION/JSON".to_string())),
        Just(Some("application/problem+json".to_string())),
        Just(Some("text/plain".to_string())),
        Just(None),
        "[ -~]{0,30}".prop_map(Some),
    ]
}

/// One request to one operation.
#[derive(Debug, Clone)]
struct Input {
    operation: usize,
    method: Option<String>,
    segments: Vec<String>,
    headers: Vec<Option<Vec<u8>>>,
    content_type: Option<String>,
    body: Vec<u8>,
}

fn build(op: &Operation, input: &Input) -> Option<Request<Body>> {
    let mut path = String::new();
    let mut segments = input.segments.iter();
    for part in op.template.split('/').skip(1) {
        path.push('/');
        if part.starts_with('{') {
            path.push_str(segments.next().map_or("x", String::as_str));
        } else {
            path.push_str(part);
        }
    }
    let method = input.method.as_deref().unwrap_or(&op.method);
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(content_type) = &input.content_type {
        builder = builder.header("content-type", HeaderValue::from_str(content_type).ok()?);
    }
    for (name, value) in op.headers.iter().zip(&input.headers) {
        if let Some(value) = value {
            // Bytes that no HTTP client could send are not a server input.
            builder = builder.header(name.as_str(), HeaderValue::from_bytes(value).ok()?);
        }
    }
    builder.body(Body::from(input.body.clone())).ok()
}

/// Sends the request and checks the answer.
async fn check(app: Router, request: Request<Body>) -> Result<(), TestCaseError> {
    let description = format!("{} {}", request.method(), request.uri());
    let response = app.oneshot(request).await.expect("routers never fail");
    let status = response.status();
    prop_assert!(
        response.headers().contains_key("x-request-id"),
        "{description}: no X-Request-Id"
    );
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("bodies are readable");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    prop_assert!(
        !status.is_server_error(),
        "{description}: answered {status}: {text}"
    );
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|_| TestCaseError::fail(format!("{description}: not JSON: {text}")))?;
    if status.is_client_error() {
        let code = body["error_code"].as_str().unwrap_or_default();
        let message = body["error_msg"].as_str().unwrap_or_default();
        prop_assert!(
            code == "DLI.0001" || code == "FSS.0400",
            "{description}: {status} with {text}"
        );
        prop_assert!((2..=512).contains(&message.chars().count()), "{text}");
    }
    Ok(())
}

fn run(strategy: impl Strategy<Value = Input>) {
    let operations = operations();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let app = router(Arc::new(Mock), Arc::new(Mock), &RouterOptions::default());
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |input| {
        let op = &operations[input.operation % operations.len()];
        let Some(request) = build(op, &input) else {
            return Ok(());
        };
        runtime.block_on(check(app.clone(), request))
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

fn input(body: impl Strategy<Value = Vec<u8>>) -> impl Strategy<Value = Input> {
    (
        0usize..5,
        prop_oneof![
            8 => Just(None),
            1 => prop_oneof![Just("GET"), Just("DELETE"), Just("PATCH"), Just("POST"), Just("PUT")]
                .prop_map(|m| Some(m.to_string())),
        ],
        prop::collection::vec(path_segment(), 2),
        prop::collection::vec(header_value(), 2),
        content_type(),
        body,
    )
        .prop_map(
            |(operation, method, segments, headers, content_type, body)| Input {
                operation,
                method,
                segments,
                headers,
                content_type,
                body,
            },
        )
}

#[test]
fn arbitrary_json_bodies_never_cause_a_5xx() {
    run(input(json_value().prop_map(|v| v.to_string().into_bytes())));
}

#[test]
fn a_valid_seed_with_one_field_replaced_never_causes_a_5xx() {
    let operations = operations();
    let strategy = (
        0usize..5,
        "[a-z_]{1,24}",
        json_value(),
        any::<prop::sample::Index>(),
    )
        .prop_flat_map(move |(operation, extra, value, pick)| {
            let seed = operations[operation].seed.clone();
            let mut body = seed.clone();
            if let Value::Object(map) = &mut body {
                // Replace an existing field, or add an unknown one.
                let keys: Vec<String> = map.keys().cloned().collect();
                let key = if keys.is_empty() || pick.index(keys.len() + 1) == keys.len() {
                    extra
                } else {
                    keys[pick.index(keys.len())].clone()
                };
                map.insert(key, value);
            }
            let bytes = body.to_string().into_bytes();
            input(Just(bytes)).prop_map(move |mut input| {
                // Everything but the body is valid, so that the body is the only problem.
                input.operation = operation;
                input.method = None;
                input.segments = vec!["0123456789abcdef".to_string(), "138".to_string()];
                input.headers = vec![Some(b"run-1".to_vec()), Some(b"state-1".to_vec())];
                input.content_type = Some("application/json".to_string());
                input
            })
        });
    run(strategy);
}

#[test]
fn arbitrary_bytes_never_cause_a_5xx() {
    run(input(prop::collection::vec(any::<u8>(), 0..200)));
}
