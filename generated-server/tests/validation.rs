//! Request validation, driven by the spec: for every operation in `spec/openapi.yaml`, this
//! derives a valid request from the seed example and, from the schemas, one bad request per
//! rule (each required field removed, each field with a wrong type, each string one
//! character over its `maxLength`, each enum with an unknown value, each `int32` out of
//! range, each path parameter over its limit, each required header missing), plus malformed
//! JSON, a wrong content type and an oversized body. Every answer is checked for its status,
//! the spec's error body (`error_code` = the tag's `x-validation-error-code`, `error_msg`
//! naming the JSON pointer or parameter) and the echoed `X-Request-Id`.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use huaweicloud_api_server::{mock::Mock, router, runtime::RouterOptions};
use serde_json::{json, Map, Value};
use tower::ServiceExt;

const SPEC: &str = include_str!("../../spec/openapi.yaml");

fn spec() -> Value {
    serde_yaml::from_str(SPEC).expect("spec/openapi.yaml is YAML")
}

/// Follows `$ref`s and one-member `allOf` wrappers to the schema (or parameter) they name.
fn resolve<'a>(spec: &'a Value, mut node: &'a Value) -> &'a Value {
    loop {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local references are expected: {reference}"));
            node = spec
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} does not resolve"));
        } else if let Some([only]) = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            node = only;
        } else {
            return node;
        }
    }
}

/// The JSON types a schema accepts (`None`: any).
fn allowed_types(spec: &Value, schema: &Value) -> Option<Vec<String>> {
    let schema = resolve(spec, schema);
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return Some(vec![t.to_string()]);
    }
    let alternatives = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)?;
    let mut all = Vec::new();
    for alternative in alternatives {
        all.extend(allowed_types(spec, alternative)?);
    }
    Some(all)
}

/// A value of a type the schema does not accept, or `None` when it accepts every type.
fn wrong_value(spec: &Value, schema: &Value) -> Option<Value> {
    let allowed = allowed_types(spec, schema)?;
    let accepts = |t: &str| {
        allowed.iter().any(|a| {
            a == t || (a == "number" && t == "integer") || (a == "integer" && t == "integer")
        })
    };
    [
        (json!(true), "boolean"),
        (json!("text"), "string"),
        (json!(12345), "integer"),
        (json!([]), "array"),
        (json!({}), "object"),
    ]
    .into_iter()
    .find(|(_, t)| !accepts(t))
    .map(|(v, _)| v)
}

/// One operation, with everything needed to build a valid request.
#[derive(Debug, Clone)]
struct Operation {
    id: String,
    method: Method,
    template: String,
    error_code: String,
    /// Path parameters: name, example, resolved schema.
    path_params: Vec<(String, String, Value)>,
    /// Header parameters: name, example, required.
    headers: Vec<(String, String, bool)>,
    body_schema: Value,
    seed: Value,
}

fn operations(spec: &Value) -> Vec<Operation> {
    let codes: Map<String, Value> = spec["tags"]
        .as_array()
        .expect("the spec has tags")
        .iter()
        .map(|tag| (text(tag, "name"), tag["x-validation-error-code"].clone()))
        .collect();
    let mut out = Vec::new();
    for (template, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            if op.get("operationId").is_none() {
                continue;
            }
            let tag = op["tags"][0].as_str().expect("every operation has a tag");
            let mut path_params = Vec::new();
            let mut headers = Vec::new();
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                let parameter = resolve(spec, parameter);
                let name = text(parameter, "name");
                let example = match &parameter["example"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let schema = resolve(spec, &parameter["schema"]).clone();
                match parameter["in"].as_str() {
                    Some("path") => path_params.push((name, example, schema)),
                    Some("header") => headers.push((
                        name,
                        example,
                        parameter["required"].as_bool().unwrap_or(false),
                    )),
                    other => panic!("{template}: unexpected parameter location {other:?}"),
                }
            }
            let media = &op["requestBody"]["content"]["application/json"];
            out.push(Operation {
                id: text(op, "operationId"),
                method,
                template: template.clone(),
                error_code: codes[tag]
                    .as_str()
                    .expect("the tag has x-validation-error-code")
                    .to_string(),
                path_params,
                headers,
                body_schema: media["schema"].clone(),
                seed: media["examples"]["seed"]["value"].clone(),
            });
        }
    }
    assert_eq!(out.len(), 5, "the spec has five operations");
    out
}

fn text(value: &Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("expected a string at {key} in {value}"))
        .to_string()
}

/// What to change in an otherwise valid request.
#[derive(Debug, Clone, Default)]
struct Change {
    /// Path parameter overrides.
    path: Vec<(String, String)>,
    /// Header parameters to leave out.
    drop_headers: Vec<String>,
    content_type: Option<&'static str>,
    raw_body: Option<Vec<u8>>,
    body: Option<Value>,
    method: Option<Method>,
}

impl Operation {
    fn request(&self, change: &Change, request_id: &str) -> Request<Body> {
        let mut path = self.template.clone();
        for (name, example, _) in &self.path_params {
            let value = change
                .path
                .iter()
                .find(|(n, _)| n == name)
                .map_or(example.as_str(), |(_, v)| v.as_str());
            path = path.replace(&format!("{{{name}}}"), value);
        }
        let mut builder = Request::builder()
            .method(change.method.clone().unwrap_or(self.method.clone()))
            .uri(path)
            .header(
                "content-type",
                change.content_type.unwrap_or("application/json"),
            )
            .header("x-request-id", request_id);
        for (name, example, _) in &self.headers {
            if !change.drop_headers.contains(name) {
                builder = builder.header(name.as_str(), example.as_str());
            }
        }
        let body = match (&change.raw_body, &change.body) {
            (Some(raw), _) => raw.clone(),
            (None, Some(body)) => body.to_string().into_bytes(),
            (None, None) => self.seed.to_string().into_bytes(),
        };
        builder.body(Body::from(body)).expect("a valid request")
    }
}

fn app(options: &RouterOptions) -> Router {
    router(Arc::new(Mock), Arc::new(Mock), options)
}

/// Sends a request; returns the status, the error body and the `X-Request-Id`.
async fn send(app: Router, request: Request<Body>) -> (StatusCode, Value, Option<String>) {
    let response = app.oneshot(request).await.expect("routers never fail");
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("bodies are readable");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, body, request_id)
}

/// Sends `change` for `op` and checks a rejection: status, error format, message, id.
async fn expect_rejection(
    op: &Operation,
    what: &str,
    change: &Change,
    status: StatusCode,
    mentions: &[&str],
) {
    expect_rejection_any(op, what, change, status, &[mentions]).await
}

/// Like [`expect_rejection`], with several acceptable sets of mentions.
async fn expect_rejection_any(
    op: &Operation,
    what: &str,
    change: &Change,
    status: StatusCode,
    any_of: &[&[&str]],
) {
    let request_id = format!("validation-{}", op.id);
    let (got, body, echoed) = send(
        app(&RouterOptions::default()),
        op.request(change, &request_id),
    )
    .await;
    let context = format!("{} {what}: {body}", op.id);
    assert_eq!(got, status, "{context}");
    assert_eq!(echoed.as_deref(), Some(request_id.as_str()), "{context}");
    let object = body.as_object().expect("the error body is a JSON object");
    assert_eq!(object.len(), 2, "{context}: only error_code and error_msg");
    assert_eq!(body["error_code"], op.error_code, "{context}");
    let message = body["error_msg"].as_str().expect("error_msg is a string");
    assert!(
        (2..=512).contains(&message.chars().count()),
        "{context}: error_msg length outside the spec's 2..=512"
    );
    assert!(
        any_of
            .iter()
            .any(|mentions| mentions.iter().all(|m| message.contains(m))),
        "{context}: error_msg should mention one of {any_of:?}"
    );
}

/// A body mutation derived from the schema: set (or remove) the value at `pointer`.
#[derive(Debug)]
struct Mutation {
    what: &'static str,
    pointer: String,
    value: Option<Value>,
    mentions: Vec<Vec<String>>,
}

/// Walks the schema alongside the seed example and lists one mutation per rule.
fn mutations(
    spec: &Value,
    schema: &Value,
    example: &Value,
    pointer: &str,
    out: &mut Vec<Mutation>,
) {
    let schema = resolve(spec, schema);
    if let (Some(properties), Some(present)) = (
        schema.get("properties").and_then(Value::as_object),
        example.as_object(),
    ) {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, property) in properties {
            let at = format!("{pointer}/{name}");
            let property = resolve(spec, property);
            if required.contains(&name.as_str()) && present.contains_key(name) {
                out.push(Mutation {
                    what: "required field removed",
                    pointer: at.clone(),
                    value: None,
                    mentions: vec![vec![format!("{at}: required")]],
                });
            }
            if let Some(wrong) = wrong_value(spec, property) {
                out.push(Mutation {
                    what: "wrong type",
                    pointer: at.clone(),
                    value: Some(wrong),
                    mentions: vec![vec![format!("{at}: ")]],
                });
            }
            let is_enum = property.get("enum").is_some();
            if let Some(max) = property.get("maxLength").and_then(Value::as_u64) {
                let long = "a".repeat(max as usize + 1);
                let mut mentions = vec![vec![format!("{at}: longer than {max} characters")]];
                if is_enum {
                    // An enum already rules out every value that is not listed.
                    mentions.push(vec![format!("{at}: \"{long}\" is not one of")]);
                }
                out.push(Mutation {
                    what: "one character over maxLength",
                    pointer: at.clone(),
                    value: Some(Value::String(long)),
                    mentions,
                });
            }
            if is_enum {
                out.push(Mutation {
                    what: "unknown enum value",
                    pointer: at.clone(),
                    value: Some(json!("no-such-value")),
                    mentions: vec![vec![format!("{at}: \"no-such-value\" is not one of")]],
                });
            }
            if property["type"] == "integer" && property["format"] == "int32" {
                out.push(Mutation {
                    what: "int32 out of range",
                    pointer: at.clone(),
                    value: Some(json!(2_147_483_648_i64)),
                    mentions: vec![vec![format!("{at}: 2147483648 does not fit in int32")]],
                });
            }
            if let Some(value) = present.get(name) {
                mutations(spec, property, value, &at, out);
            }
        }
    }
    if let (Some(items), Some(first)) = (
        schema.get("items"),
        example.as_array().and_then(|a| a.first()),
    ) {
        mutations(spec, items, first, &format!("{pointer}/0"), out);
    }
}

/// The seed with `mutation` applied.
fn apply(seed: &Value, mutation: &Mutation) -> Value {
    let mut body = seed.clone();
    let (parent, name) = mutation
        .pointer
        .rsplit_once('/')
        .expect("mutation pointers are never the root");
    let parent = body
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .expect("the parent of a mutation is an object of the seed");
    match &mutation.value {
        Some(value) => {
            parent.insert(name.to_string(), value.clone());
        }
        None => {
            parent.remove(name);
        }
    }
    body
}

#[tokio::test]
async fn the_seed_example_of_every_operation_is_accepted() {
    let spec = spec();
    for op in operations(&spec) {
        let request_id = format!("valid-{}", op.id);
        let (status, body, echoed) = send(
            app(&RouterOptions::default()),
            op.request(&Change::default(), &request_id),
        )
        .await;
        assert!(status.is_success(), "{}: {status} {body}", op.id);
        assert_eq!(echoed.as_deref(), Some(request_id.as_str()), "{}", op.id);
    }
}

#[tokio::test]
async fn every_body_rule_of_the_spec_is_enforced_with_its_pointer() {
    let spec = spec();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for op in operations(&spec) {
        let mut list = Vec::new();
        mutations(&spec, &op.body_schema, &op.seed, "", &mut list);
        assert!(!list.is_empty(), "{}: no rule found to test", op.id);
        for mutation in &list {
            *counts.entry(mutation.what).or_default() += 1;
            let change = Change {
                body: Some(apply(&op.seed, mutation)),
                ..Change::default()
            };
            let mentions: Vec<Vec<&str>> = mutation
                .mentions
                .iter()
                .map(|m| m.iter().map(String::as_str).collect())
                .collect();
            let mentions: Vec<&[&str]> = mentions.iter().map(Vec::as_slice).collect();
            let what = format!("{} at {}", mutation.what, mutation.pointer);
            expect_rejection_any(&op, &what, &change, StatusCode::BAD_REQUEST, &mentions).await;
        }
    }
    // Every kind of rule occurs in the spec, so each must have been exercised.
    for kind in [
        "required field removed",
        "wrong type",
        "one character over maxLength",
        "unknown enum value",
        "int32 out of range",
    ] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) > 0,
            "no case of {kind}: {counts:?}"
        );
    }
    // Nested required fields are found too (`/jobs/0/status`, `/state/phase`).
    assert!(counts["required field removed"] >= 6, "{counts:?}");
}

#[tokio::test]
async fn all_violations_of_a_request_are_reported_at_once() {
    let spec = spec();
    for op in operations(&spec) {
        let mut list = Vec::new();
        mutations(&spec, &op.body_schema, &op.seed, "", &mut list);
        let removals: Vec<&Mutation> = list.iter().filter(|m| m.value.is_none()).collect();
        let Some(first) = removals.first() else {
            continue;
        };
        // Remove every top-level required field and break one header at the same time.
        let mut body = op.seed.clone();
        let mut mentions = Vec::new();
        for m in removals
            .iter()
            .filter(|m| m.pointer.matches('/').count() == 1)
        {
            body = apply(&body, m);
            mentions.push(format!("{}: required", m.pointer));
        }
        let mut change = Change {
            body: Some(body),
            ..Change::default()
        };
        for (name, _, required) in &op.headers {
            if *required {
                change.drop_headers.push(name.clone());
                mentions.push(format!("header parameter `{name}`: required"));
            }
        }
        assert!(!mentions.is_empty(), "{}: {first:?}", op.id);
        let mentions: Vec<&str> = mentions.iter().map(String::as_str).collect();
        expect_rejection(
            &op,
            "everything at once",
            &change,
            StatusCode::BAD_REQUEST,
            &mentions,
        )
        .await;
    }
}

#[tokio::test]
async fn path_parameters_over_their_limits_or_of_the_wrong_type_are_rejected() {
    let spec = spec();
    let mut checked = 0;
    for op in operations(&spec) {
        for (name, _, schema) in &op.path_params {
            let (value, mention) = if let Some(max) = schema["maxLength"].as_u64() {
                (
                    "a".repeat(max as usize + 1),
                    format!("longer than {max} characters"),
                )
            } else if schema["type"] == "integer" {
                (
                    "not-a-number".to_string(),
                    "expected an integer".to_string(),
                )
            } else {
                continue;
            };
            let change = Change {
                path: vec![(name.clone(), value)],
                ..Change::default()
            };
            let parameter = format!("path parameter `{name}`");
            expect_rejection(
                &op,
                &parameter,
                &change,
                StatusCode::BAD_REQUEST,
                &[parameter.as_str(), mention.as_str()],
            )
            .await;
            checked += 1;
        }
    }
    // FunctionGraph's project_id (1 to 64 characters; DLI's has no upper limit, see
    // spec/NOTES.md), job_id and workflow_id.
    assert_eq!(checked, 3);
}

#[tokio::test]
async fn a_missing_required_header_is_named() {
    let spec = spec();
    let mut checked = 0;
    for op in operations(&spec) {
        for (name, _, required) in &op.headers {
            if !required {
                continue;
            }
            let change = Change {
                drop_headers: vec![name.clone()],
                ..Change::default()
            };
            let mention = format!("header parameter `{name}`: required");
            expect_rejection(
                &op,
                "missing header",
                &change,
                StatusCode::BAD_REQUEST,
                &[&mention],
            )
            .await;
            checked += 1;
        }
    }
    assert_eq!(checked, 2, "X-Workflow-Run-Id and X-Workflow-State-Id");
}

#[tokio::test]
async fn malformed_json_wrong_content_types_and_missing_bodies_are_rejected() {
    let spec = spec();
    for op in operations(&spec) {
        for raw in [&b"{\"a\": "[..], b"not json", b"{\"a\":1}}", b"\xff\xfe"] {
            let change = Change {
                raw_body: Some(raw.to_vec()),
                ..Change::default()
            };
            expect_rejection(
                &op,
                "malformed JSON",
                &change,
                StatusCode::BAD_REQUEST,
                &["not valid JSON"],
            )
            .await;
        }
        for content_type in [
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
        ] {
            let change = Change {
                content_type: Some(content_type),
                ..Change::default()
            };
            expect_rejection(
                &op,
                "wrong content type",
                &change,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &["application/json", content_type],
            )
            .await;
        }
        let change = Change {
            raw_body: Some(Vec::new()),
            ..Change::default()
        };
        expect_rejection(
            &op,
            "no body",
            &change,
            StatusCode::BAD_REQUEST,
            &["request body: a request body is required"],
        )
        .await;
        // A body that is JSON but not an object.
        let change = Change {
            body: Some(json!([1, 2])),
            ..Change::default()
        };
        expect_rejection(
            &op,
            "array body",
            &change,
            StatusCode::BAD_REQUEST,
            &["expected an object"],
        )
        .await;
    }
}

/// A body that breaks no rule but does not decode into its type (a property given twice):
/// the rejection names the problem, found by the first pass over the body, without a third.
#[tokio::test]
async fn a_body_valid_by_the_rules_but_not_decodable_is_rejected() {
    let spec = spec();
    for op in operations(&spec) {
        let Some((name, value)) = op.seed.as_object().and_then(|seed| seed.iter().next()) else {
            continue;
        };
        let seed = op.seed.to_string();
        let twice = format!("{{{}:{value},{}", Value::from(name.as_str()), &seed[1..]);
        let change = Change {
            raw_body: Some(twice.into_bytes()),
            ..Change::default()
        };
        let mention = format!("request body: duplicate field `{name}`");
        expect_rejection(
            &op,
            "a duplicate property",
            &change,
            StatusCode::BAD_REQUEST,
            &[&mention],
        )
        .await;
    }
}

#[tokio::test]
async fn an_oversized_body_gets_413_and_the_limit_is_configurable() {
    let spec = spec();
    for op in operations(&spec) {
        // Over the default limit of 1 MiB.
        let mut body = op.seed.clone();
        body["padding"] = Value::String("a".repeat(1024 * 1024));
        let change = Change {
            body: Some(body),
            ..Change::default()
        };
        expect_rejection(
            &op,
            "oversized body",
            &change,
            StatusCode::PAYLOAD_TOO_LARGE,
            &["larger than"],
        )
        .await;
        // A configured limit: the seed fits exactly, one byte more does not.
        let seed_len = op.seed.to_string().len();
        let fits = app(&RouterOptions {
            body_limit: seed_len,
            ..RouterOptions::default()
        });
        let (status, body, _) = send(fits, op.request(&Change::default(), "fits")).await;
        assert!(status.is_success(), "{}: {status} {body}", op.id);
        let tight = app(&RouterOptions {
            body_limit: seed_len - 1,
            ..RouterOptions::default()
        });
        let (status, body, echoed) = send(tight, op.request(&Change::default(), "tight")).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{}: {body}", op.id);
        assert_eq!(body["error_code"], op.error_code, "{}", op.id);
        assert_eq!(echoed.as_deref(), Some("tight"));
    }
}

#[tokio::test]
async fn wrong_methods_get_405_in_the_services_format() {
    let spec = spec();
    for op in operations(&spec) {
        let change = Change {
            method: Some(Method::DELETE),
            ..Change::default()
        };
        expect_rejection(
            &op,
            "wrong method",
            &change,
            StatusCode::METHOD_NOT_ALLOWED,
            &["DELETE is not allowed", op.method.as_str()],
        )
        .await;
    }
}

#[tokio::test]
async fn unknown_routes_get_404_in_the_error_format_with_a_request_id() {
    let spec = spec();
    let first_code = operations(&spec)[0].error_code.clone();
    for path in [
        "/",
        "/v1",
        "/v1/p/edgesrv/unknown",
        "/v1.0/p/streaming/flink-jobs/1/x",
    ] {
        for request_id in [None, Some("caller-id-1")] {
            let mut builder = Request::builder().method("POST").uri(path);
            if let Some(id) = request_id {
                builder = builder.header("x-request-id", id);
            }
            let request = builder.body(Body::empty()).expect("a valid request");
            let (status, body, echoed) = send(app(&RouterOptions::default()), request).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
            assert_eq!(body["error_code"], first_code, "{path}");
            assert!(
                body["error_msg"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(path),
                "{path}: {body}"
            );
            let echoed = echoed.expect("every answer has an X-Request-Id");
            match request_id {
                Some(id) => assert_eq!(echoed, id),
                None => assert_eq!(echoed.len(), 32, "a new id: {echoed}"),
            }
        }
    }
}

#[tokio::test]
async fn an_unknown_route_answers_in_the_format_of_the_service_that_owns_its_prefix() {
    let spec = spec();
    for op in operations(&spec) {
        // The literal text before the first parameter is the service's path prefix.
        let prefix = op.template.split('{').next().unwrap_or_default();
        let path = format!("{prefix}p/no-such-operation");
        let request = Request::builder()
            .method("GET")
            .uri(&path)
            .body(Body::empty())
            .expect("a valid request");
        let (status, body, _) = send(app(&RouterOptions::default()), request).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["error_code"], op.error_code, "{} owns {path}", op.id);
    }
}

#[tokio::test]
async fn an_unusable_request_id_is_replaced() {
    let spec = spec();
    let op = &operations(&spec)[0];
    let long = "x".repeat(129);
    for bad in ["", "has space", long.as_str()] {
        let mut request = op.request(&Change::default(), "placeholder");
        request
            .headers_mut()
            .insert("x-request-id", bad.parse().expect("a valid header value"));
        let (status, _, echoed) = send(app(&RouterOptions::default()), request).await;
        assert!(status.is_success());
        let echoed = echoed.expect("an X-Request-Id");
        assert_ne!(echoed, bad);
        assert_eq!(echoed.len(), 32);
    }
}

// ---------------------------------------------------------------------------------------
// Requests that the spec's decisions (spec/NOTES.md) accept although a seed would not.

/// The operation named `id`.
fn operation(spec: &Value, id: &str) -> Operation {
    operations(spec)
        .into_iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("the spec has {id}"))
}

/// Sends `change` for `op` and expects it to be accepted.
async fn expect_accepted(op: &Operation, what: &str, change: &Change) {
    let (status, body, _) = send(
        app(&RouterOptions::default()),
        op.request(change, &format!("accepted-{}", op.id)),
    )
    .await;
    assert!(status.is_success(), "{} {what}: {status} {body}", op.id);
}

#[tokio::test]
async fn a_desc_as_long_as_either_source_allows_is_accepted_on_create_and_update() {
    // Seed 002 says 2048 on create, seed 003 says 512 on update, the official SDK says the
    // reverse: both operations accept 2048 (spec/NOTES.md, "desc limits").
    let spec = spec();
    for id in ["CreateFlinkJarJob", "UpdateFlinkJarJob"] {
        let op = operation(&spec, id);
        for length in [1000, 2048] {
            let mut body = op.seed.clone();
            body["desc"] = json!("d".repeat(length));
            let change = Change {
                body: Some(body),
                ..Change::default()
            };
            expect_accepted(&op, &format!("desc of {length} characters"), &change).await;
        }
    }
}

#[tokio::test]
async fn a_project_id_over_64_characters_is_accepted_by_dli_and_rejected_by_functiongraph() {
    // The 1-to-64 limit is FunctionGraph's (seed 004); the DLI seeds give none.
    let spec = spec();
    let long = "p".repeat(100);
    for op in operations(&spec) {
        let change = Change {
            path: vec![("project_id".to_string(), long.clone())],
            ..Change::default()
        };
        if op.error_code.starts_with("DLI.") {
            expect_accepted(&op, "a 100-character project_id", &change).await;
        } else {
            expect_rejection(
                &op,
                "a 100-character project_id",
                &change,
                StatusCode::BAD_REQUEST,
                &["path parameter `project_id`", "longer than 64 characters"],
            )
            .await;
        }
    }
}

#[tokio::test]
async fn the_sdk_only_fields_keep_the_constraints_the_sdk_documents() {
    // Fields taken from the official SDK carry its documented values and ranges
    // (spec/NOTES.md, "SDK-only request fields"), on create and update alike.
    let spec = spec();
    let cases = [
        (
            "checkpoint_mode",
            json!(7),
            "/checkpoint_mode: 7 is not one of",
        ),
        ("checkpoint_interval", json!(0), "/checkpoint_interval: "),
        ("checkpoint_interval", json!(3601), "/checkpoint_interval: "),
        ("resume_max_num", json!(-2), "/resume_max_num: "),
        (
            "resource_config_version",
            json!("v9"),
            "/resource_config_version: \"v9\" is not one of",
        ),
        ("feature", json!("gpu"), "/feature: \"gpu\" is not one of"),
    ];
    for id in ["CreateFlinkJarJob", "UpdateFlinkJarJob"] {
        let op = operation(&spec, id);
        for (field, value, mention) in &cases {
            let mut body = op.seed.clone();
            body[*field] = value.clone();
            let change = Change {
                body: Some(body),
                ..Change::default()
            };
            let what = format!("{field} = {value}");
            expect_rejection(&op, &what, &change, StatusCode::BAD_REQUEST, &[mention]).await;
        }
        let mut body = op.seed.clone();
        body["checkpoint_mode"] = json!(2);
        body["checkpoint_interval"] = json!(3600);
        body["resume_max_num"] = json!(-1);
        body["resource_config_version"] = json!("v2");
        body["feature"] = json!("custom");
        body["resource_config"] = json!({
            "max_slot": 2,
            "parallel_number": 4,
            "jobmanager_resource_spec": {"cpu": 1.5, "memory": "4G"},
            "taskmanager_resource_spec": {"cpu": 2, "memory": "8G"}
        });
        let change = Change {
            body: Some(body),
            ..Change::default()
        };
        expect_accepted(&op, "the SDK's documented values", &change).await;
    }

    // Tags are the create body's (the SDK's update body has none); each is a key and a value.
    let op = operation(&spec, "CreateFlinkJarJob");
    let mut body = op.seed.clone();
    body["tags"] = json!([{"key": "team", "value": "data"}]);
    let change = Change {
        body: Some(body.clone()),
        ..Change::default()
    };
    expect_accepted(&op, "tags", &change).await;
    body["tags"] = json!([{"key": "team"}]);
    let change = Change {
        body: Some(body),
        ..Change::default()
    };
    expect_rejection(
        &op,
        "a tag without a value",
        &change,
        StatusCode::BAD_REQUEST,
        &["/tags/0/value: required"],
    )
    .await;
}

#[tokio::test]
async fn an_empty_required_header_is_rejected() {
    // A required header that is present but empty names nothing: X-Workflow-Run-Id and
    // X-Workflow-State-Id are at least one character long (spec/NOTES.md).
    let spec = spec();
    let mut checked = 0;
    for op in operations(&spec) {
        for (name, _, required) in &op.headers {
            if !required {
                continue;
            }
            let change = Change {
                drop_headers: vec![name.clone()],
                ..Change::default()
            };
            let mut request = op.request(&change, "empty-header");
            request.headers_mut().insert(
                axum::http::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                axum::http::HeaderValue::from_static(""),
            );
            let (status, body, _) = send(app(&RouterOptions::default()), request).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {body}");
            assert_eq!(body["error_code"], op.error_code, "{name}: {body}");
            let message = body["error_msg"].as_str().unwrap_or_default();
            assert!(
                message.contains(&format!("header parameter `{name}`")),
                "{name}: {message}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2, "X-Workflow-Run-Id and X-Workflow-State-Id");
}
