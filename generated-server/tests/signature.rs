//! The signature layer against the official SDK's signing vectors
//! (`signer/tests/data/sdk-hmac-sha256.json`): each vector's request, replayed exactly as the
//! SDK sent it with the clock at the vector's date, must pass, and tampered, expired,
//! unknown or missing credentials must get 401 in the spec's error format. Also the
//! `X-Auth-Token` check and the either-or rule when both are configured.
//!
//! Every check runs three ways, which must answer alike: with the credentials given to the
//! router's finishing layer (`RouterOptions::authenticate` and `runtime::finish`), checked
//! by the handlers themselves as the generated router's do (`runtime::finished`), and with
//! `SignatureLayer` around a router.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::{to_bytes, Body};
use axum::http::{HeaderName, HeaderValue, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use huaweicloud_api_server::runtime::{
    self, Authentication, BoxFuture, Caller, ErrorFormat, RequestContext, RouterOptions,
    SecretKeyLookup, SecretString, SignatureLayer, StaticKeys, SyncKeys, SyncTokens, TokenVerifier,
};
use huaweicloud_api_server::{
    dli_router, function_graph_router, mock::Mock, router, DLI_ERRORS, FUNCTION_GRAPH_ERRORS,
};
use serde_json::Value;
use tower::ServiceExt;

const VECTORS_JSON: &str = include_str!("../../signer/tests/data/sdk-hmac-sha256.json");

/// One signing vector, as far as replaying it needs.
struct Vector {
    name: String,
    method: String,
    request_uri: String,
    headers: Vec<(String, String)>,
    body: String,
    date: SystemTime,
    ak: String,
    sk: String,
}

fn text(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("the vectors have no string at {pointer}"))
        .to_string()
}

fn vectors() -> Vec<Vector> {
    let all: Value = serde_json::from_str(VECTORS_JSON).expect("the vectors are JSON");
    let all = all.as_array().expect("the vectors are an array");
    assert_eq!(all.len(), 22, "the vector file has 22 cases");
    all.iter()
        .map(|case| {
            let date = text(case, "/sdk_date");
            Vector {
                name: text(case, "/name"),
                method: text(case, "/method"),
                request_uri: text(case, "/expected/request_uri"),
                headers: case["expected"]["sent_headers"]
                    .as_object()
                    .expect("sent_headers is an object")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().expect("header text").to_string()))
                    .collect(),
                body: text(case, "/body"),
                date: apig_date(&date),
                ak: text(case, "/ak"),
                sk: text(case, "/sk"),
            }
        })
        .collect()
}

/// `YYYYMMDDTHHMMSSZ` as a system time.
fn apig_date(date: &str) -> SystemTime {
    apig_signer::SdkDate::parse(date)
        .expect("vector dates are well-formed")
        .to_system_time()
}

impl Vector {
    /// The request exactly as the SDK sent it.
    fn request(&self) -> Request<Body> {
        let mut builder = Request::builder()
            .method(self.method.as_str())
            .uri(self.request_uri.as_str());
        for (name, value) in &self.headers {
            builder = builder.header(
                HeaderName::from_bytes(name.as_bytes()).expect("vector header names are valid"),
                HeaderValue::from_bytes(value.as_bytes()).expect("vector header values are valid"),
            );
        }
        builder
            .body(Body::from(self.body.clone()))
            .expect("vector requests are valid")
    }

    fn keys(&self) -> StaticKeys {
        StaticKeys::new([(self.ak.clone(), self.sk.clone())])
    }
}

/// Answers a request with the caller the handler sees in its `RequestContext` and the
/// body it received.
async fn echo(ctx: RequestContext, body: axum::body::Bytes) -> axum::Json<Value> {
    let caller = match ctx.extensions.get::<Caller>() {
        Some(Caller::AccessKey(ak)) => format!("ak:{ak}"),
        Some(Caller::Token(who)) => format!("token:{who}"),
        None => "none".to_string(),
    };
    axum::Json(serde_json::json!({
        "caller": caller,
        "body": String::from_utf8_lossy(&body),
    }))
}

/// Routes that answer every request with [`echo`].
fn echo_routes() -> Router {
    Router::new()
        .route("/", axum::routing::any(echo))
        .route("/{*rest}", axum::routing::any(echo))
}

/// Credentials, the error format of refusals and the body limit: installed both ways by
/// [`send`].
#[derive(Clone)]
struct Setup {
    authentication: Authentication,
    format: &'static ErrorFormat,
    body_limit: usize,
}

fn setup(format: &'static ErrorFormat) -> Setup {
    Setup {
        authentication: Authentication::new(),
        format,
        body_limit: RouterOptions::default().body_limit,
    }
}

impl Setup {
    fn secret_keys(mut self, keys: impl SecretKeyLookup) -> Self {
        self.authentication = self.authentication.secret_keys(keys);
        self
    }

    fn tokens(mut self, tokens: impl TokenVerifier) -> Self {
        self.authentication = self.authentication.tokens(tokens);
        self
    }

    fn window(mut self, window: Duration) -> Self {
        self.authentication = self.authentication.window(window);
        self
    }

    fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.authentication = self.authentication.clock(clock);
        self
    }

    fn body_limit(mut self, body_limit: usize) -> Self {
        self.body_limit = body_limit;
        self
    }

    fn options(&self) -> RouterOptions {
        RouterOptions {
            body_limit: self.body_limit,
            ..RouterOptions::default()
        }
        .authenticate(self.authentication.clone())
    }

    /// The echo routes finished with the credentials in their options.
    fn in_options(&self) -> Router {
        runtime::finish(echo_routes(), self.format, &self.options())
    }

    /// The echo routes as the generated router builds its own: handlers that do the
    /// finishing work and check the caller themselves (`runtime::finished`), and the
    /// answer to an unknown route, which checks too.
    fn in_handlers(&self) -> Router {
        let options = self.options();
        let formats: &'static [(&'static str, &'static ErrorFormat)] =
            Box::leak(Box::new([("/", self.format)]));
        let finishing = runtime::Finishing::in_handlers(&options, formats);
        let format = self.format;
        let routes = Router::new()
            .route("/", axum::routing::any(runtime::finished(echo, &finishing)))
            .route(
                "/{*rest}",
                axum::routing::post(runtime::finished(echo, &finishing))
                    .get(runtime::finished(echo, &finishing))
                    .put(runtime::finished(echo, &finishing))
                    .fallback(runtime::finished(
                        move |ctx: RequestContext| async move {
                            runtime::method_not_allowed(format, &ctx, "GET, POST, PUT")
                        },
                        &finishing,
                    )),
            );
        runtime::finish_routes(routes, formats, &options, &finishing)
    }

    /// The echo routes behind a `SignatureLayer`, with nothing around it.
    fn as_layer(&self) -> Router {
        echo_routes().layer(
            self.authentication
                .clone()
                .layer(self.format)
                .body_limit(self.body_limit),
        )
    }
}

/// Sends `request` to one app: the status, the `X-Request-Id` and the JSON body.
async fn send_to(app: Router, request: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let response: Response = app.oneshot(request).await.expect("routers never fail");
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("bodies are readable");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, request_id, body)
}

/// Sends `request` with `setup` installed both ways; asserts they answer alike (a request
/// id each, the same status and body) and returns the first answer.
async fn send(setup: Setup, request: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, usize::MAX)
        .await
        .expect("test bodies are readable");
    let copy = || Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    let in_options = send_to(setup.in_options(), copy()).await;
    let as_layer = send_to(setup.as_layer(), copy()).await;
    let in_handlers = send_to(setup.in_handlers(), copy()).await;
    for (other, how) in [(&as_layer, "the layer"), (&in_handlers, "the handlers")] {
        assert_eq!(
            (in_options.0, &in_options.2),
            (other.0, &other.2),
            "the options and {how} answer {} {} alike",
            parts.method,
            parts.uri
        );
    }
    assert!(
        [&in_options, &as_layer, &in_handlers]
            .iter()
            .all(|answer| answer.1.is_some()),
        "no X-Request-Id"
    );
    in_options
}

/// Asserts a 401 in `format`'s shape that does not say what was wrong.
fn assert_refused(
    (status, request_id, body): &(StatusCode, Option<String>, Value),
    code: &str,
    what: &str,
) {
    assert_eq!(*status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert!(request_id.is_some(), "{what}: no X-Request-Id");
    assert_eq!(body["error_code"], code, "{what}: {body}");
    let message = body["error_msg"].as_str().unwrap_or_default();
    assert!(message.contains("not authenticated"), "{what}: {message}");
    for detail in ["signature", "date", "expired", "unknown", "SK_"] {
        assert!(
            !message.contains(detail),
            "{what}: the message gives away `{detail}`: {message}"
        );
    }
}

fn at(date: SystemTime) -> impl Fn() -> SystemTime + Send + Sync + 'static {
    move || date
}

#[tokio::test]
async fn every_sdk_vector_is_accepted_and_the_caller_and_body_are_passed_on() {
    for vector in vectors() {
        let auth = setup(&DLI_ERRORS)
            .secret_keys(vector.keys())
            .clock(at(vector.date));
        let (status, request_id, body) = send(auth, vector.request()).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", vector.name);
        assert!(request_id.is_some(), "{}", vector.name);
        assert_eq!(
            body["caller"],
            format!("ak:{}", vector.ak),
            "{}",
            vector.name
        );
        assert_eq!(body["body"], vector.body, "{}", vector.name);
    }
}

#[tokio::test]
async fn the_date_window_is_enforced_both_ways_and_configurable() {
    for vector in vectors() {
        for offset in [Duration::from_secs(16 * 60), Duration::from_secs(3600)] {
            for now in [vector.date + offset, vector.date - offset] {
                let auth = setup(&DLI_ERRORS).secret_keys(vector.keys()).clock(at(now));
                let answer = send(auth, vector.request()).await;
                assert_refused(&answer, "DLI.0001", &vector.name);
            }
        }
        let near = vector.date + Duration::from_secs(14 * 60);
        let auth = setup(&DLI_ERRORS)
            .secret_keys(vector.keys())
            .clock(at(near));
        let (status, _, body) = send(auth, vector.request()).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{}: 14 minutes: {body}",
            vector.name
        );
        let auth = setup(&DLI_ERRORS)
            .secret_keys(vector.keys())
            .window(Duration::from_secs(2 * 3600))
            .clock(at(vector.date + Duration::from_secs(3600)));
        let (status, _, body) = send(auth, vector.request()).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{}: wide window: {body}",
            vector.name
        );
        let auth = setup(&DLI_ERRORS)
            .secret_keys(vector.keys())
            .window(Duration::from_secs(30))
            .clock(at(vector.date + Duration::from_secs(60)));
        let answer = send(auth, vector.request()).await;
        assert_refused(&answer, "DLI.0001", &vector.name);
    }
}

#[tokio::test]
async fn tampered_requests_and_wrong_keys_are_refused() {
    for vector in vectors() {
        let auth = || {
            setup(&FUNCTION_GRAPH_ERRORS)
                .secret_keys(vector.keys())
                .clock(at(vector.date))
        };
        // Another body (unless the SDK left the body out of the signature).
        let unsigned = vector.headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("x-sdk-content-sha256") && v == "UNSIGNED-PAYLOAD"
        });
        if !unsigned {
            let mut request = vector.request();
            *request.body_mut() = Body::from(format!("{} ", vector.body));
            let answer = send(auth(), request).await;
            assert_refused(&answer, "FSS.0400", &format!("{}: body", vector.name));
        }
        // Another path.
        let mut request = vector.request();
        let uri = format!("/x{}", vector.request_uri);
        *request.uri_mut() = uri.parse().expect("valid uri");
        let answer = send(auth(), request).await;
        assert_refused(&answer, "FSS.0400", &format!("{}: path", vector.name));
        // Another method.
        let mut request = vector.request();
        *request.method_mut() = axum::http::Method::DELETE;
        let answer = send(auth(), request).await;
        assert_refused(&answer, "FSS.0400", &format!("{}: method", vector.name));
        // A signed header changed.
        let mut request = vector.request();
        request
            .headers_mut()
            .insert("host", HeaderValue::from_static("other.example.test"));
        let answer = send(auth(), request).await;
        assert_refused(&answer, "FSS.0400", &format!("{}: host", vector.name));
        // The wrong secret key, an unknown access key, no Authorization at all.
        for keys in [
            StaticKeys::new([(vector.ak.clone(), format!("{}x", vector.sk))]),
            StaticKeys::new([("SOMEONE_ELSE", vector.sk.clone())]),
        ] {
            let auth = setup(&FUNCTION_GRAPH_ERRORS)
                .secret_keys(keys)
                .clock(at(vector.date));
            let answer = send(auth, vector.request()).await;
            assert_refused(&answer, "FSS.0400", &format!("{}: keys", vector.name));
        }
        let mut request = vector.request();
        request.headers_mut().remove("authorization");
        let answer = send(auth(), request).await;
        assert_refused(&answer, "FSS.0400", &format!("{}: unsigned", vector.name));
    }
}

#[tokio::test]
async fn a_refusal_echoes_the_callers_request_id() {
    let vector = &vectors()[0];
    let auth = setup(&DLI_ERRORS)
        .secret_keys(StaticKeys::default())
        .clock(at(vector.date));
    let mut request = vector.request();
    request
        .headers_mut()
        .insert("x-request-id", HeaderValue::from_static("my-request-1"));
    let answer = send(auth, request).await;
    assert_refused(&answer, "DLI.0001", "no keys");
    assert_eq!(answer.1.as_deref(), Some("my-request-1"));
}

#[tokio::test]
async fn an_asynchronous_or_function_lookup_works_like_a_table() {
    let vector = &vectors()[2];
    let (ak, sk) = (vector.ak.clone(), vector.sk.clone());
    let auth = setup(&DLI_ERRORS)
        .secret_keys(SyncKeys(move |candidate: &str| {
            (candidate == ak).then(|| sk.as_str().into())
        }))
        .clock(at(vector.date));
    let (status, _, body) = send(auth, vector.request()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["caller"], format!("ak:{}", vector.ak));
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_in_the_error_format() {
    let vector = &vectors()[0];
    let auth = setup(&DLI_ERRORS)
        .secret_keys(vector.keys())
        .body_limit(vector.body.len() - 1)
        .clock(at(vector.date));
    let (status, request_id, body) = send(auth, vector.request()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(request_id.is_some());
    assert_eq!(body["error_code"], "DLI.0001");
    let auth = setup(&DLI_ERRORS)
        .secret_keys(vector.keys())
        .body_limit(vector.body.len())
        .clock(at(vector.date));
    let (status, _, body) = send(auth, vector.request()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

fn token_request(token: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder().method("POST").uri("/anything");
    if let Some(token) = token {
        builder = builder.header("x-auth-token", token);
    }
    builder.body(Body::empty()).expect("valid request")
}

fn tokens() -> SyncTokens<impl Fn(&str) -> Option<String> + Send + Sync + 'static> {
    SyncTokens(|token: &str| (token == "good-token").then(|| "user-1".to_string()))
}

#[tokio::test]
async fn tokens_are_checked_by_the_verifier() {
    let auth = setup(&DLI_ERRORS).tokens(tokens());
    let (status, _, body) = send(auth.clone(), token_request(Some("good-token"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["caller"], "token:user-1");
    for token in [Some("bad-token"), Some(""), None] {
        let answer = send(auth.clone(), token_request(token)).await;
        assert_refused(&answer, "DLI.0001", &format!("token {token:?}"));
    }
    // A signed request is refused when only tokens are configured.
    let vector = &vectors()[0];
    let answer = send(auth, vector.request()).await;
    assert_refused(&answer, "DLI.0001", "signature without keys");
}

#[tokio::test]
async fn with_both_configured_either_credential_is_enough() {
    let vector = &vectors()[0];
    let auth = setup(&DLI_ERRORS)
        .secret_keys(vector.keys())
        .tokens(tokens())
        .clock(at(vector.date));
    // A valid signature with a bad token.
    let mut request = vector.request();
    request
        .headers_mut()
        .insert("x-auth-token", HeaderValue::from_static("bad-token"));
    let (status, _, body) = send(auth.clone(), request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["caller"], format!("ak:{}", vector.ak));
    // A good token with a broken signature.
    let mut request = vector.request();
    *request.body_mut() = Body::from("{}");
    request
        .headers_mut()
        .insert("x-auth-token", HeaderValue::from_static("good-token"));
    let (status, _, body) = send(auth.clone(), request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["caller"], "token:user-1");
    // Both bad.
    let mut request = vector.request();
    *request.body_mut() = Body::from("{}");
    request
        .headers_mut()
        .insert("x-auth-token", HeaderValue::from_static("bad-token"));
    let answer = send(auth.clone(), request).await;
    assert_refused(&answer, "DLI.0001", "both bad");
    // Neither sent.
    let answer = send(auth, token_request(None)).await;
    assert_refused(&answer, "DLI.0001", "neither");
}

#[tokio::test]
async fn the_five_operations_pass_through_the_layer_to_the_mock() {
    let mut served = 0;
    for vector in vectors().into_iter().filter(|v| v.name.starts_with("op-")) {
        let layer = |format| {
            SignatureLayer::new(format)
                .secret_keys(vector.keys())
                .clock(at(vector.date))
        };
        let routes = Router::new()
            .merge(dli_router(Arc::new(Mock)).layer(layer(&DLI_ERRORS)))
            .merge(function_graph_router(Arc::new(Mock)).layer(layer(&FUNCTION_GRAPH_ERRORS)));
        let app = runtime::finish(routes, &DLI_ERRORS, &RouterOptions::default());
        let (status, request_id, body) = send_to(app.clone(), vector.request()).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", vector.name);
        assert!(request_id.is_some());
        // The same request with another secret key: 401 in the service's own format.
        let code = if vector.request_uri.starts_with("/v2/") {
            "FSS.0400"
        } else {
            "DLI.0001"
        };
        let mut request = vector.request();
        request
            .headers_mut()
            .insert("x-sdk-date", HeaderValue::from_static("20200101T000000Z"));
        let answer = send_to(app, request).await;
        assert_refused(&answer, code, &vector.name);
        served += 1;
    }
    assert_eq!(served, 5, "one vector per operation");
}

#[tokio::test]
async fn the_five_operations_pass_the_generated_router_with_credentials_in_its_options() {
    let mut served = 0;
    for vector in vectors().into_iter().filter(|v| v.name.starts_with("op-")) {
        let options = RouterOptions::default().authenticate(
            Authentication::new()
                .secret_keys(vector.keys())
                .clock(at(vector.date)),
        );
        let app = router(Arc::new(Mock), Arc::new(Mock), &options);
        let (status, request_id, body) = send_to(app.clone(), vector.request()).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", vector.name);
        assert!(request_id.is_some());
        // Refusals are in the format of the service that owns the path.
        let code = if vector.request_uri.starts_with("/v2/") {
            "FSS.0400"
        } else {
            "DLI.0001"
        };
        let mut request = vector.request();
        request
            .headers_mut()
            .insert("x-sdk-date", HeaderValue::from_static("20200101T000000Z"));
        let answer = send_to(app, request).await;
        assert_refused(&answer, code, &vector.name);
        served += 1;
    }
    assert_eq!(served, 5, "one vector per operation");
}

#[tokio::test]
async fn with_credentials_in_the_options_an_unknown_route_is_refused_before_it_is_looked_up() {
    let vector = vectors()
        .into_iter()
        .find(|v| !v.name.starts_with("op-"))
        .expect("a vector that is not one of the spec's operations");
    let options = RouterOptions::default().authenticate(
        Authentication::new()
            .secret_keys(vector.keys())
            .clock(at(vector.date)),
    );
    let app = router(Arc::new(Mock), Arc::new(Mock), &options);
    let request = Request::builder()
        .method("GET")
        .uri("/v1/nowhere")
        .body(Body::empty())
        .expect("valid request");
    let answer = send_to(app.clone(), request).await;
    assert_refused(&answer, "DLI.0001", "unknown route, unsigned");
    // The vector signs a path the spec does not have: signed, it gets the 404.
    let (status, request_id, body) = send_to(app, vector.request()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(request_id.is_some());
}

/// A key store that answers only after waiting, as a remote one would.
struct Remote(StaticKeys);

impl SecretKeyLookup for Remote {
    fn secret_key<'a>(&'a self, access_key: &'a str) -> BoxFuture<'a, Option<SecretString>> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            self.0.secret_key(access_key).await
        })
    }
}

/// A token check that answers only after waiting.
struct RemoteTokens;

impl TokenVerifier for RemoteTokens {
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Option<String>> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            (token == "good-token").then(|| "user-2".to_string())
        })
    }
}

#[tokio::test]
async fn stores_that_must_wait_answer_like_the_ones_that_answer_at_once() {
    for vector in vectors() {
        let (status, _, body) = send(
            setup(&DLI_ERRORS)
                .secret_keys(Remote(vector.keys()))
                .clock(at(vector.date)),
            vector.request(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", vector.name);
        assert_eq!(body["caller"], format!("ak:{}", vector.ak));
        assert_eq!(body["body"], vector.body, "{}", vector.name);
        let answer = send(
            setup(&DLI_ERRORS)
                .secret_keys(Remote(StaticKeys::new([("SOMEONE_ELSE", "x")])))
                .clock(at(vector.date)),
            vector.request(),
        )
        .await;
        assert_refused(&answer, "DLI.0001", &vector.name);
    }
    let tokens = setup(&DLI_ERRORS).tokens(RemoteTokens);
    let (status, _, body) = send(tokens.clone(), token_request(Some("good-token"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["caller"], "token:user-2");
    let answer = send(tokens, token_request(Some("bad-token"))).await;
    assert_refused(&answer, "DLI.0001", "a bad token, checked later");
}

/// `method path` with `body`, signed now by `AK`/`SK` when `signed`.
fn request_now(method: &str, path: &str, body: &'static str, signed: bool) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "localhost")
        .header("content-type", "application/json");
    if signed {
        let date = apig_signer::SdkDate::now().expect("the clock is in range");
        let request = apig_signer::SigningRequest::new(method, "localhost", path, date)
            .header("Content-Type", "application/json")
            .body(body.as_bytes());
        let credentials = apig_signer::Credentials::new("AK", "SK");
        let signed = apig_signer::sign(&credentials, &request).expect("signs");
        for (name, value) in &signed.headers {
            if !name.eq_ignore_ascii_case("host") && !name.eq_ignore_ascii_case("content-type") {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
    }
    builder.body(Body::from(body)).expect("a valid request")
}

#[tokio::test]
async fn the_generated_router_checks_the_caller_before_it_validates_or_answers_405() {
    let options = RouterOptions::default()
        .authenticate(Authentication::new().secret_keys(StaticKeys::new([("AK", "SK")])));
    let app = router(Arc::new(Mock), Arc::new(Mock), &options);
    let jobs = "/v1.0/0123456789abcdef0123456789abcdef/streaming/flink-jobs";
    let invalid = r#"{"name": 5}"#;
    // Unsigned, neither the broken body nor the wrong method is looked at.
    let answer = send_to(app.clone(), request_now("POST", jobs, invalid, false)).await;
    assert_refused(&answer, "DLI.0001", "an unsigned invalid body");
    let answer = send_to(app.clone(), request_now("DELETE", jobs, "", false)).await;
    assert_refused(&answer, "DLI.0001", "an unsigned wrong method");
    // Signed, they get the answers they would get without authentication.
    let (status, request_id, body) =
        send_to(app.clone(), request_now("POST", jobs, invalid, true)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(request_id.is_some());
    assert!(
        body["error_msg"]
            .as_str()
            .unwrap_or_default()
            .contains("/name"),
        "{body}"
    );
    let (status, request_id, body) = send_to(app, request_now("DELETE", jobs, "", true)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert!(request_id.is_some());
}
