//! An in-process stand-in for the services, for testing code that uses a generated
//! client (feature `test-util`): answers set per operation, every request recorded.
//!
//! A client built on a [`FakeTransport`] runs its whole pipeline (parameters, bodies,
//! interceptors, signing, retries, decoding) and hands the finished request to the fake
//! instead of the network. A generated client crate wraps this in a typed `Fake` with
//! one [`Stub`] per operation.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Mutex;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A request as the fake received it: after signing, as it would have gone on the wire.
#[derive(Debug, Clone)]
pub struct FakeRequest {
    operation_id: &'static str,
    method: Method,
    url: reqwest::Url,
    headers: HeaderMap,
    /// `None` for a streamed body, which the fake does not read.
    body: Option<Bytes>,
}

impl FakeRequest {
    pub(crate) fn new(
        operation_id: &'static str,
        method: Method,
        url: reqwest::Url,
        headers: HeaderMap,
        body: Option<reqwest::Body>,
    ) -> Self {
        let body = match body {
            None => Some(Bytes::new()),
            Some(body) => body.as_bytes().map(Bytes::copy_from_slice),
        };
        FakeRequest {
            operation_id,
            method,
            url,
            headers,
            body,
        }
    }

    /// The operation's `operationId` (or the name given to a raw request).
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, percent-encoded as sent.
    pub fn path(&self) -> &str {
        self.url.path()
    }

    /// The query string as sent, if any.
    pub fn query(&self) -> Option<&str> {
        self.url.query()
    }

    /// The query parameters, decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The headers, authentication included (their `Debug` hides secret values).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value of a header, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body; `None` for a streamed one.
    pub fn body(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }

    /// The body decoded from JSON as `T` (for example the operation's request type).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(self.body.as_deref().unwrap_or_default())
    }
}

/// An answer the fake gives.
#[derive(Debug, Clone)]
pub struct FakeResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl FakeResponse {
    /// An answer with this status and no body (a number that is not an HTTP status
    /// becomes 500).
    pub fn status(status: u16) -> Self {
        FakeResponse {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// An answer with this status and `body` as JSON (no body for `()`).
    pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> Self {
        let value = serde_json::to_vec(body).unwrap_or_default();
        if value == b"null" {
            return Self::status(status);
        }
        Self::status(status)
            .header("Content-Type", "application/json")
            .body(value)
    }

    /// Adds a header (an invalid name or value is left out).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.append(name, value);
        }
        self
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }
}

/// Answers per operation: a queue of one-time answers, then a standing one.
#[derive(Debug, Default)]
struct Script {
    once: VecDeque<FakeResponse>,
    always: Option<FakeResponse>,
}

#[derive(Debug, Default)]
struct State {
    scripts: HashMap<&'static str, Script>,
    requests: Vec<FakeRequest>,
}

/// The fake: what each operation answers, and every request received. Share it with
/// an `Arc`; a client built on it sends nothing over the network.
#[derive(Default)]
pub struct FakeTransport {
    state: Mutex<State>,
}

impl fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeTransport").finish_non_exhaustive()
    }
}

impl FakeTransport {
    pub fn new() -> Self {
        FakeTransport::default()
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        // A test that panicked while holding the lock leaves nothing half-written here.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        f(&mut state)
    }

    /// Answers every later call of `operation_id` with `response`.
    pub fn respond(&self, operation_id: &'static str, response: FakeResponse) {
        self.with_state(|state| {
            state.scripts.entry(operation_id).or_default().always = Some(response)
        });
    }

    /// Answers the next call of `operation_id` with `response`, before any standing
    /// answer; several are given in order.
    pub fn respond_once(&self, operation_id: &'static str, response: FakeResponse) {
        self.with_state(|state| {
            state
                .scripts
                .entry(operation_id)
                .or_default()
                .once
                .push_back(response)
        });
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<FakeRequest> {
        self.with_state(|state| state.requests.clone())
    }

    /// The requests of one operation, in order.
    pub fn requests_of(&self, operation_id: &str) -> Vec<FakeRequest> {
        self.with_state(|state| {
            state
                .requests
                .iter()
                .filter(|r| r.operation_id == operation_id)
                .cloned()
                .collect()
        })
    }

    /// Forgets the answers and the requests.
    pub fn reset(&self) {
        self.with_state(|state| *state = State::default());
    }

    /// Records `request` and answers it; an operation with no answer set gets a 501
    /// whose error message (in the error shape the runtime reads, [`crate::ErrorInfo`])
    /// says so.
    pub(crate) fn answer(&self, request: FakeRequest) -> FakeResponse {
        let operation_id = request.operation_id;
        self.with_state(|state| {
            state.requests.push(request);
            let script = state.scripts.get_mut(operation_id);
            match script.and_then(|s| s.once.pop_front().or_else(|| s.always.clone())) {
                Some(response) => response,
                None => FakeResponse::json(
                    501,
                    &serde_json::json!({
                        "error_code": "FAKE.0501",
                        "error_msg": format!("the fake has no answer set for {operation_id}"),
                    }),
                ),
            }
        })
    }
}

/// One operation of a fake, typed: `S` is the body of its first success answer, `E` its
/// documented error body. Made by a generated `Fake`'s method of the operation's name.
pub struct Stub<'a, S, E> {
    transport: &'a FakeTransport,
    operation_id: &'static str,
    status: u16,
    _types: PhantomData<fn(S, E)>,
}

impl<S, E> fmt::Debug for Stub<'_, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stub")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .finish()
    }
}

impl<'a, S: Serialize, E: Serialize> Stub<'a, S, E> {
    /// `status` is the operation's first documented success status.
    #[doc(hidden)]
    pub fn new(transport: &'a FakeTransport, operation_id: &'static str, status: u16) -> Self {
        Stub {
            transport,
            operation_id,
            status,
            _types: PhantomData,
        }
    }

    /// Answers every later call with the first success status and this body.
    pub fn returns(&self, body: &S) -> &Self {
        self.transport
            .respond(self.operation_id, FakeResponse::json(self.status, body));
        self
    }

    /// Answers the next call with the first success status and this body.
    pub fn returns_once(&self, body: &S) -> &Self {
        self.transport
            .respond_once(self.operation_id, FakeResponse::json(self.status, body));
        self
    }

    /// Answers every later call with an error status and this body.
    pub fn fails(&self, status: u16, body: &E) -> &Self {
        self.transport
            .respond(self.operation_id, FakeResponse::json(status, body));
        self
    }

    /// Answers the next call with an error status and this body.
    pub fn fails_once(&self, status: u16, body: &E) -> &Self {
        self.transport
            .respond_once(self.operation_id, FakeResponse::json(status, body));
        self
    }

    /// Answers every later call with `response` (any status, headers and bytes).
    pub fn responds(&self, response: FakeResponse) -> &Self {
        self.transport.respond(self.operation_id, response);
        self
    }

    /// Answers the next call with `response`.
    pub fn responds_once(&self, response: FakeResponse) -> &Self {
        self.transport.respond_once(self.operation_id, response);
        self
    }

    /// The requests of this operation so far, in order.
    pub fn requests(&self) -> Vec<FakeRequest> {
        self.transport.requests_of(self.operation_id)
    }

    /// How many times the operation was called.
    pub fn calls(&self) -> usize {
        self.requests().len()
    }

    /// The last request of this operation, if it was called.
    pub fn last_request(&self) -> Option<FakeRequest> {
        self.requests().pop()
    }
}
