//! Answers in the spec's own error format, for every request the server rejects.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::context::RequestContext;
use super::validate::Violations;

/// The error body's shape and the code rejections use (from the spec's `x-error-model`
/// and the tag's `x-validation-error-code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorFormat {
    pub code_field: &'static str,
    pub message_field: &'static str,
    pub validation_code: &'static str,
}

impl ErrorFormat {
    /// Used when the spec has no error model.
    pub const DEFAULT: ErrorFormat = ErrorFormat {
        code_field: "code",
        message_field: "message",
        validation_code: "InvalidRequest",
    };
}

/// Why a request was not handed to the service.
#[derive(Debug)]
pub enum Rejection {
    /// Parameters or body broke the spec's rules; every violation is listed.
    Invalid(Violations),
    /// The body is not JSON.
    MalformedJson(String),
    /// The body is not well-formed for its media type (a form or multipart body).
    MalformedBody(String),
    /// The body is sent as a media type the operation does not take.
    UnsupportedMediaType {
        /// The request's `Content-Type` (or a note that it had none).
        found: String,
        /// The media types the operation takes.
        accepted: Vec<&'static str>,
    },
    /// The body is larger than the configured limit.
    TooLarge,
    /// The body could not be read.
    BadBody(String),
    /// No route matches the path.
    NotFound,
}

/// A JSON response with `status`.
pub fn json_response<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            bytes,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "a response body could not be serialized");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Sets a header on a response, skipping names or values that are not valid header text.
pub fn insert_header(response: &mut Response, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        response.headers_mut().insert(name, value);
    }
}

/// The answer to a rejected request.
pub fn reject(format: &ErrorFormat, ctx: &RequestContext, rejection: Rejection) -> Response {
    let (status, message) = match rejection {
        Rejection::Invalid(violations) => (
            StatusCode::BAD_REQUEST,
            format!("invalid request: {violations}"),
        ),
        Rejection::MalformedJson(detail) => (
            StatusCode::BAD_REQUEST,
            format!("the request body is not valid JSON: {detail}"),
        ),
        Rejection::MalformedBody(detail) => (
            StatusCode::BAD_REQUEST,
            format!("the request body is malformed: {detail}"),
        ),
        Rejection::UnsupportedMediaType { found, accepted } => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            match accepted.as_slice() {
                [one] => format!("the request body must be sent as {one}, not {found}"),
                many => format!(
                    "the request body must be sent as one of {}, not {found}",
                    many.join(", ")
                ),
            },
        ),
        Rejection::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is larger than the server accepts".to_string(),
        ),
        Rejection::BadBody(detail) => (
            StatusCode::BAD_REQUEST,
            format!("the request body could not be read: {detail}"),
        ),
        Rejection::NotFound => (
            StatusCode::NOT_FOUND,
            format!("no operation at {} {}", ctx.method, ctx.uri.path()),
        ),
    };
    error_response(format, status, &message)
}

/// 405 for a known path with a method it does not serve.
pub fn method_not_allowed(format: &ErrorFormat, ctx: &RequestContext, allowed: &str) -> Response {
    let message = format!(
        "{} is not allowed on {}; allowed: {allowed}",
        ctx.method,
        ctx.uri.path()
    );
    let mut response = error_response(format, StatusCode::METHOD_NOT_ALLOWED, &message);
    if let Ok(value) = HeaderValue::from_str(allowed) {
        response
            .headers_mut()
            .insert(axum::http::header::ALLOW, value);
    }
    response
}

/// The longest message a rejection carries, in characters: the `maxLength` of the error
/// model's message in this project's spec, and a sane bound for any other.
pub const MAX_MESSAGE_CHARS: usize = 512;

pub(crate) fn error_response(format: &ErrorFormat, status: StatusCode, message: &str) -> Response {
    let mut body = serde_json::Map::new();
    body.insert(format.code_field.to_string(), format.validation_code.into());
    body.insert(
        format.message_field.to_string(),
        shorten(message, MAX_MESSAGE_CHARS).into(),
    );
    json_response(status, &body)
}

/// `message` cut to at most `max` characters, ending in `...` when it was cut.
fn shorten(message: &str, max: usize) -> String {
    if message.chars().count() <= max {
        return message.to_string();
    }
    let mut short: String = message.chars().take(max.saturating_sub(3)).collect();
    short.push_str("...");
    short
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn long_messages_are_cut_on_character_boundaries() {
        assert_eq!(shorten("short", 512), "short");
        let long = "é".repeat(600);
        let cut = shorten(&long, 512);
        assert_eq!(cut.chars().count(), 512);
        assert!(cut.ends_with("..."));
    }
}
