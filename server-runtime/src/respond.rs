//! Answers in the spec's media types: JSON under any JSON media type, text, and bytes
//! that may be a stream; and the choice among several media types of one body by the
//! request's `Accept` (the generated response sets what it offers, the router's
//! [`negotiate`] layer picks).

use std::fmt;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;

use apig_types_runtime::media;

/// The body of a binary answer: bytes in memory, or a stream (a file, a proxied
/// download) that is sent as it is read.
pub struct BinaryBody(Inner);

enum Inner {
    Bytes(Bytes),
    Stream(Body),
}

impl BinaryBody {
    /// A body read from a stream of byte chunks.
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_util::TryStream + Send + 'static,
        S::Ok: Into<Bytes>,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        BinaryBody(Inner::Stream(Body::from_stream(stream)))
    }

    /// The bytes, when the body is in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.0 {
            Inner::Bytes(bytes) => Some(bytes),
            Inner::Stream(_) => None,
        }
    }

    /// The body to send.
    pub fn into_body(self) -> Body {
        match self.0 {
            Inner::Bytes(bytes) => Body::from(bytes),
            Inner::Stream(body) => body,
        }
    }
}

impl fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Inner::Bytes(bytes) => write!(f, "BinaryBody({} bytes)", bytes.len()),
            Inner::Stream(_) => f.write_str("BinaryBody(stream)"),
        }
    }
}

impl From<Bytes> for BinaryBody {
    fn from(bytes: Bytes) -> Self {
        BinaryBody(Inner::Bytes(bytes))
    }
}

impl From<Vec<u8>> for BinaryBody {
    fn from(bytes: Vec<u8>) -> Self {
        BinaryBody(Inner::Bytes(bytes.into()))
    }
}

impl From<&'static [u8]> for BinaryBody {
    fn from(bytes: &'static [u8]) -> Self {
        BinaryBody(Inner::Bytes(Bytes::from_static(bytes)))
    }
}

impl From<String> for BinaryBody {
    fn from(text: String) -> Self {
        BinaryBody(Inner::Bytes(text.into()))
    }
}

impl From<Body> for BinaryBody {
    fn from(body: Body) -> Self {
        BinaryBody(Inner::Stream(body))
    }
}

fn with_content_type(status: StatusCode, media_type: &str, body: Body) -> Response {
    let mut response = (status, body).into_response();
    if let Ok(value) = HeaderValue::from_str(media_type) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}

/// A JSON response with `status`, sent as `media_type` (a JSON type such as
/// `application/problem+json`).
pub fn json_response_as<T: Serialize>(
    status: StatusCode,
    media_type: &'static str,
    body: &T,
) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_content_type(status, media_type, Body::from(bytes)),
        Err(err) => {
            tracing::error!(error = %err, "a response body could not be serialized");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A text response with `status`, sent as `media_type`.
pub fn text_response(status: StatusCode, media_type: &'static str, body: String) -> Response {
    with_content_type(status, media_type, Body::from(body))
}

/// A binary response with `status`, sent as `media_type`.
pub fn binary_response(status: StatusCode, media_type: &'static str, body: BinaryBody) -> Response {
    with_content_type(status, media_type, body.into_body())
}

/// The media types an answer can equally be sent as, the one it is sent as first.
#[derive(Debug, Clone, Copy)]
struct Offer(&'static [&'static str]);

/// Marks an answer whose body reads the same in each of `media_types` (JSON under two
/// JSON types, say), so that the [`negotiate`] layer sends it as the one the request's
/// `Accept` prefers.
pub fn offer(mut response: Response, media_types: &'static [&'static str]) -> Response {
    response.extensions_mut().insert(Offer(media_types));
    response
}

/// A layer (`axum::middleware::from_fn(negotiate)`) that sends an answer offering
/// several media types (see [`offer`]) as the one the request's `Accept` prefers; when
/// it accepts none of them, the answer keeps its first.
pub async fn negotiate(request: Request, next: Next) -> Response {
    let accept = request
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut response = next.run(request).await;
    if let Some(Offer(offered)) = response.extensions_mut().remove::<Offer>() {
        if let Some(chosen) = media::negotiate(accept.as_deref(), offered)
            .and_then(|index| offered.get(index))
            .and_then(|m| HeaderValue::from_str(m).ok())
        {
            response.headers_mut().insert(CONTENT_TYPE, chosen);
        }
    }
    response
}
