//! The client's one error type and the value a successful call returns.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::Value;

/// A decoded response: the typed body plus the status and headers it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: T,
    /// How many times the request was retried before this response.
    pub retries: u32,
}

impl<T> ResponseValue<T> {
    /// The service's request id (`X-Request-Id`), for support tickets and logs.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// Changes the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            retries: self.retries,
        }
    }

    /// The typed body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}

/// The code/message field pairs the official SDK's exception handler looks for, in its
/// order (`huaweicloudsdkcore.exceptions.exception_handler`).
const FIELD_PAIRS: [(&str, &str); 3] = [
    ("error_code", "error_msg"),
    ("errorCode", "errorMsg"),
    ("code", "message"),
];

/// The field that carries the encoded reason of an authorization failure (IAM).
const ENCODED_AUTHORIZATION_MESSAGE: &str = "encoded_authorization_message";

/// The error code and message of an error body, in any of the shapes Huawei Cloud
/// services send.
///
/// The shapes are the ones the official SDK's exception handler reads, tried in its
/// order: `{"error_code", "error_msg"}`, `{"errorCode", "errorMsg"}`, `{"code", "message"}`,
/// then the same pairs in nested objects (`{"error": {"code", "message"}}`). When no pair
/// is complete, a lone code or message field is taken, so that a body such as
/// `{"is_success": false, "message": "..."}` (some services answer so) still gives its
/// message (the SDK would show the raw text in that case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorInfo {
    pub code: Option<String>,
    pub message: Option<String>,
    /// IAM's `encoded_authorization_message`, which explains a denied permission.
    pub encoded_authorization_message: Option<String>,
}

impl ErrorInfo {
    /// Reads the code and message from a raw body; fields it cannot find stay `None`.
    pub fn from_body(body: &[u8]) -> ErrorInfo {
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => ErrorInfo::from_value(&value),
            Err(_) => ErrorInfo::default(),
        }
    }

    /// Reads the code and message from a JSON value.
    pub fn from_value(value: &Value) -> ErrorInfo {
        let mut info = ErrorInfo {
            encoded_authorization_message: find_text(value, ENCODED_AUTHORIZATION_MESSAGE),
            ..ErrorInfo::default()
        };
        if let Some((code, message)) = find_pair(value, 0) {
            info.code = code;
            info.message = message;
            return info;
        }
        if let Value::Object(_) = value {
            info.code = FIELD_PAIRS
                .iter()
                .find_map(|(code, _)| text(value.get(*code)));
            info.message = FIELD_PAIRS
                .iter()
                .find_map(|(_, message)| text(value.get(*message)));
        }
        info
    }

    /// Whether a code or a message was found.
    pub fn is_empty(&self) -> bool {
        self.code.is_none() && self.message.is_none()
    }

    /// The body with the code and message also under every field name of the known shapes,
    /// so that a typed error body can be read from whichever shape arrived. As in the
    /// official SDK, a missing code is the HTTP status and a missing message the raw body.
    /// `None` when the body has neither a code nor a message.
    pub(crate) fn normalised(&self, original: &Value, status: StatusCode) -> Option<Value> {
        if self.is_empty() {
            return None;
        }
        let code = self
            .code
            .clone()
            .unwrap_or_else(|| status.as_u16().to_string());
        let message = self.message.clone().unwrap_or_else(|| original.to_string());
        let mut object = match original {
            Value::Object(map) => map.clone(),
            _ => serde_json::Map::new(),
        };
        for (code_field, message_field) in FIELD_PAIRS {
            object
                .entry(code_field)
                .or_insert_with(|| Value::String(code.clone()));
            object
                .entry(message_field)
                .or_insert_with(|| Value::String(message.clone()));
        }
        Some(Value::Object(object))
    }
}

/// A string or a number, as text.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first complete code/message pair, at this level or in a nested object.
fn find_pair(value: &Value, depth: usize) -> Option<(Option<String>, Option<String>)> {
    // The SDK recurses without a limit; a limit keeps a hostile body from exhausting the
    // stack (serde_json already refuses nesting deeper than 128).
    if depth > 16 {
        return None;
    }
    let Value::Object(map) = value else {
        return None;
    };
    for (code, message) in FIELD_PAIRS {
        if map.contains_key(code) && map.contains_key(message) {
            return Some((text(map.get(code)), text(map.get(message))));
        }
    }
    map.values()
        .filter(|v| v.is_object())
        .find_map(|v| find_pair(v, depth + 1))
}

/// A top-level text field.
fn find_text(value: &Value, name: &str) -> Option<String> {
    text(value.get(name))
}

/// Which limit a timeout hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// No connection within the connect timeout.
    Connect,
    /// No complete answer within the whole-request timeout.
    Request,
    /// The call's deadline (`Config::deadline`, `CallOptions::deadline`) passed, retries
    /// and their pauses included.
    Deadline,
}

/// Everything that can go wrong in a call. `E` is the operation's documented error body.
///
/// `Display` is one line a person can act on; neither it nor `Debug` ever contains
/// credentials or tokens (they are never part of an error).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with a documented error status; `body` is typed.
    ///
    /// When the body arrived in another of the Huawei error shapes (see [`ErrorInfo`]),
    /// the typed body is read from the code and message found in it.
    Api {
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        info: ErrorInfo,
        body: E,
        retries: u32,
    },
    /// The service answered with a status the spec does not document for the operation.
    UnexpectedStatus {
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        info: ErrorInfo,
        body: Vec<u8>,
        retries: u32,
    },
    /// The body did not match the spec; `path` is where in the JSON it went wrong
    /// (`.` for the whole body).
    Decode {
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        path: String,
        message: String,
        body: Vec<u8>,
        retries: u32,
    },
    /// No answer within a configured timeout.
    Timeout {
        operation_id: &'static str,
        kind: TimeoutKind,
        /// The limit that was reached.
        limit: Duration,
        retries: u32,
    },
    /// The request could not be sent or its answer not read (connection refused, reset,
    /// TLS failure).
    Transport {
        operation_id: &'static str,
        retries: u32,
        /// What the HTTP client reported. Boxed, so that the HTTP client's version is not
        /// part of this type; `downcast_ref::<reqwest::Error>()` reaches it.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The request could not be built: a value could not be serialized or signed.
    InvalidRequest {
        operation_id: &'static str,
        message: String,
    },
    /// No credentials to sign with: the provider (or each provider of a chain) says why.
    Credentials {
        operation_id: &'static str,
        source: crate::credentials::CredentialsError,
    },
}

impl<E> Error<E> {
    /// The operation id of the call that failed.
    pub fn operation_id(&self) -> &'static str {
        match self {
            Error::Api { operation_id, .. }
            | Error::UnexpectedStatus { operation_id, .. }
            | Error::Decode { operation_id, .. }
            | Error::Timeout { operation_id, .. }
            | Error::Transport { operation_id, .. }
            | Error::InvalidRequest { operation_id, .. }
            | Error::Credentials { operation_id, .. } => operation_id,
        }
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The response headers, when the service answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The service's request id (`X-Request-Id`), when it answered with one.
    pub fn request_id(&self) -> Option<&str> {
        self.headers().and_then(request_id)
    }

    /// How many times the request was retried before this error.
    pub fn retries(&self) -> u32 {
        match self {
            Error::Api { retries, .. }
            | Error::UnexpectedStatus { retries, .. }
            | Error::Decode { retries, .. }
            | Error::Timeout { retries, .. }
            | Error::Transport { retries, .. } => *retries,
            Error::InvalidRequest { .. } | Error::Credentials { .. } => 0,
        }
    }

    /// The typed error body of a documented error status.
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The code and message found in an error body, in whatever shape it came.
    pub fn info(&self) -> Option<&ErrorInfo> {
        match self {
            Error::Api { info, .. } | Error::UnexpectedStatus { info, .. } => Some(info),
            _ => None,
        }
    }

    /// The error code the service sent, in whatever shape it sent it.
    pub fn error_code(&self) -> Option<&str> {
        self.info().and_then(|info| info.code.as_deref())
    }

    /// The error message the service sent, in whatever shape it sent it.
    pub fn error_message(&self) -> Option<&str> {
        self.info().and_then(|info| info.message.as_deref())
    }

    /// A short name of the variant, for logs and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Api { .. } => "api",
            Error::UnexpectedStatus { .. } => "unexpected_status",
            Error::Decode { .. } => "decode",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            Error::InvalidRequest { .. } => "invalid_request",
            Error::Credentials { .. } => "credentials",
        }
    }

    /// Turns an error with one body type into another (for example to `()` to store it).
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api {
                operation_id,
                status,
                headers,
                info,
                body,
                retries,
            } => Error::Api {
                operation_id,
                status,
                headers,
                info,
                body: f(body),
                retries,
            },
            Error::UnexpectedStatus {
                operation_id,
                status,
                headers,
                info,
                body,
                retries,
            } => Error::UnexpectedStatus {
                operation_id,
                status,
                headers,
                info,
                body,
                retries,
            },
            Error::Decode {
                operation_id,
                status,
                headers,
                path,
                message,
                body,
                retries,
            } => Error::Decode {
                operation_id,
                status,
                headers,
                path,
                message,
                body,
                retries,
            },
            Error::Timeout {
                operation_id,
                kind,
                limit,
                retries,
            } => Error::Timeout {
                operation_id,
                kind,
                limit,
                retries,
            },
            Error::Transport {
                operation_id,
                retries,
                source,
            } => Error::Transport {
                operation_id,
                retries,
                source,
            },
            Error::InvalidRequest {
                operation_id,
                message,
            } => Error::InvalidRequest {
                operation_id,
                message,
            },
            Error::Credentials {
                operation_id,
                source,
            } => Error::Credentials {
                operation_id,
                source,
            },
        }
    }
}

/// Text from the service, made safe for a one-line message: control characters become
/// spaces and very long texts are cut.
fn one_line(text: &str) -> String {
    const LIMIT: usize = 300;
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(LIMIT)
        .collect();
    if text.chars().count() > LIMIT {
        out.push('…');
    }
    out
}

fn describe_info(info: &ErrorInfo) -> String {
    match (&info.code, &info.message) {
        (Some(code), Some(message)) => format!(": {}: {}", one_line(code), one_line(message)),
        (Some(code), None) => format!(": {}", one_line(code)),
        (None, Some(message)) => format!(": {}", one_line(message)),
        (None, None) => String::new(),
    }
}

fn retried(retries: u32) -> String {
    match retries {
        0 => String::new(),
        1 => " after 1 retry".to_string(),
        n => format!(" after {n} retries"),
    }
}

fn with_request_id(headers: &HeaderMap) -> String {
    request_id(headers)
        .map(|id| format!(" (request id {})", one_line(id)))
        .unwrap_or_default()
}

/// A hint for the statuses whose cause is usually on the caller's side.
fn hint(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "; check the credentials (AK/SK or token) and the clock (X-Sdk-Date)",
        403 => "; check the permissions of the credentials and the project id",
        429 => "; the service is throttling: slow down or allow more retries",
        _ => "",
    }
}

/// An error and its causes, joined with `: ` on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    one_line(&text)
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                operation_id,
                status,
                headers,
                info,
                retries,
                ..
            } => write!(
                f,
                "{operation_id} failed with HTTP {}{}{}{}{}",
                status.as_u16(),
                describe_info(info),
                retried(*retries),
                with_request_id(headers),
                hint(*status),
            ),
            Error::UnexpectedStatus {
                operation_id,
                status,
                headers,
                info,
                retries,
                ..
            } => write!(
                f,
                "{operation_id} got HTTP {}, which the spec does not document for it{}{}{}{}",
                status.as_u16(),
                describe_info(info),
                retried(*retries),
                with_request_id(headers),
                hint(*status),
            ),
            Error::Decode {
                operation_id,
                status,
                headers,
                path,
                message,
                retries,
                ..
            } => write!(
                f,
                "{operation_id}: the HTTP {} body does not match the spec at `{path}`: {}{}{}",
                status.as_u16(),
                one_line(message),
                retried(*retries),
                with_request_id(headers),
            ),
            Error::Timeout {
                operation_id,
                kind: TimeoutKind::Connect,
                limit,
                retries,
            } => write!(
                f,
                "{operation_id} could not connect within {limit:?}{}; check the endpoint or raise Config::connect_timeout",
                retried(*retries),
            ),
            Error::Timeout {
                operation_id,
                kind: TimeoutKind::Request,
                limit,
                retries,
            } => write!(
                f,
                "{operation_id} got no complete answer within {limit:?}{}; raise Config::timeout or check the service",
                retried(*retries),
            ),
            Error::Timeout {
                operation_id,
                kind: TimeoutKind::Deadline,
                limit,
                retries,
            } => write!(
                f,
                "{operation_id} did not finish within its deadline of {limit:?}{}; raise the deadline or check the service",
                retried(*retries),
            ),
            Error::Credentials {
                operation_id,
                source,
            } => write!(f, "{operation_id}: no credentials to sign with: {source}"),
            Error::Transport {
                operation_id,
                retries,
                source,
            } => write!(
                f,
                "{operation_id} could not reach the service{}: {}",
                retried(*retries),
                chain(&**source),
            ),
            Error::InvalidRequest {
                operation_id,
                message,
            } => write!(
                f,
                "{operation_id}: cannot build the request: {}",
                one_line(message)
            ),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(&**source),
            Error::Credentials { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(body: &str) -> ErrorInfo {
        ErrorInfo::from_body(body.as_bytes())
    }

    #[test]
    fn error_info_reads_every_shape() {
        let cases = [
            (
                r#"{"error_code":"DLI.0001","error_msg":"bad"}"#,
                "DLI.0001",
                "bad",
            ),
            (r#"{"errorCode":"E1","errorMsg":"camel"}"#, "E1", "camel"),
            (
                r#"{"code":"APIGW.0301","message":"token"}"#,
                "APIGW.0301",
                "token",
            ),
            (
                r#"{"error":{"code":"403","message":"denied"}}"#,
                "403",
                "denied",
            ),
            (r#"{"error":{"error_code":"X","error_msg":"y"}}"#, "X", "y"),
            (
                r#"{"outer":{"inner":{"code":404,"message":"deep"}}}"#,
                "404",
                "deep",
            ),
        ];
        for (body, code, message) in cases {
            let got = info(body);
            assert_eq!(got.code.as_deref(), Some(code), "{body}");
            assert_eq!(got.message.as_deref(), Some(message), "{body}");
        }
    }

    #[test]
    fn error_info_prefers_the_sdk_order_and_falls_back_to_lone_fields() {
        let both = info(r#"{"code":"c","message":"m","error_code":"ec","error_msg":"em"}"#);
        assert_eq!(both.code.as_deref(), Some("ec"));
        let dli = info(r#"{"is_success":false,"message":"job not found"}"#);
        assert_eq!(dli.code, None);
        assert_eq!(dli.message.as_deref(), Some("job not found"));
        let iam = info(
            r#"{"error":{"code":"403","message":"no","encoded_authorization_message":"x"},"encoded_authorization_message":"enc"}"#,
        );
        assert_eq!(iam.encoded_authorization_message.as_deref(), Some("enc"));
        assert!(info("<html>bad gateway</html>").is_empty());
        assert!(info("[1,2]").is_empty());
        assert!(info("").is_empty());
    }

    #[test]
    fn normalised_body_has_every_field_name() {
        let original: Value =
            serde_json::from_str(r#"{"error":{"code":"C","message":"M"}}"#).expect("json");
        let normalised = ErrorInfo::from_value(&original)
            .normalised(&original, StatusCode::BAD_REQUEST)
            .expect("found");
        assert_eq!(normalised["error_code"], "C");
        assert_eq!(normalised["error_msg"], "M");
        assert_eq!(normalised["code"], "C");
        assert_eq!(normalised["errorMsg"], "M");
        assert!(normalised.get("error").is_some());

        let dli: Value =
            serde_json::from_str(r#"{"is_success":false,"message":"no queue"}"#).expect("json");
        let normalised = ErrorInfo::from_value(&dli)
            .normalised(&dli, StatusCode::BAD_REQUEST)
            .expect("found");
        assert_eq!(
            normalised["error_code"], "400",
            "the status stands in for the code"
        );
        assert_eq!(normalised["error_msg"], "no queue");
        assert_eq!(normalised["is_success"], false, "the original fields stay");

        let nothing: Value = serde_json::from_str(r#"{"status":"bad"}"#).expect("json");
        assert_eq!(
            ErrorInfo::from_value(&nothing).normalised(&nothing, StatusCode::BAD_REQUEST),
            None
        );
    }

    #[test]
    fn display_is_one_line() {
        let error: Error<()> = Error::UnexpectedStatus {
            operation_id: "Op",
            status: StatusCode::FORBIDDEN,
            headers: HeaderMap::new(),
            info: ErrorInfo {
                code: Some("C".into()),
                message: Some("line one\nline two".into()),
                encoded_authorization_message: None,
            },
            body: Vec::new(),
            retries: 2,
        };
        let text = error.to_string();
        assert!(!text.contains('\n'), "{text}");
        assert!(text.contains("line one line two"), "{text}");
        assert!(text.contains("after 2 retries"), "{text}");
        assert!(text.contains("permissions"), "{text}");
    }
}
