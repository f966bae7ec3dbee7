//! The client's one error type and the value a successful call returns.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

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

    pub fn into_body(self) -> T {
        self.body
    }
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}

/// The error code and message of an error body, in any of the shapes the services use:
/// `{"error_code", "error_msg"}`, `{"code", "message"}`, or either nested in `"error"`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorInfo {
    pub code: Option<String>,
    pub message: Option<String>,
}

impl ErrorInfo {
    /// Reads the code and message from a raw body; fields it cannot find stay `None`.
    pub fn from_body(body: &[u8]) -> ErrorInfo {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return ErrorInfo::default();
        };
        let pick = |v: &serde_json::Value, keys: &[&str]| {
            keys.iter().find_map(|k| match v.get(*k) {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        };
        let read = |v: &serde_json::Value| ErrorInfo {
            code: pick(v, &["error_code", "code", "errorCode"]),
            message: pick(
                v,
                &["error_msg", "message", "error_message", "errorMsg", "msg"],
            ),
        };
        let top = read(&value);
        if top.code.is_some() || top.message.is_some() {
            return top;
        }
        value
            .get("error")
            .filter(|e| e.is_object())
            .map(read)
            .unwrap_or_default()
    }
}

/// Everything that can go wrong in a call. `E` is the operation's documented error body.
///
/// `Display` is one line a person can act on; neither it nor `Debug` ever contains
/// credentials or tokens (they are never part of an error).
#[derive(Debug)]
pub enum Error<E> {
    /// The service answered with a documented error status; `body` is typed.
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
    /// The body did not match the spec; `path` is where in the JSON it went wrong.
    Decode {
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        path: String,
        message: String,
        body: Vec<u8>,
        retries: u32,
    },
    /// No answer within the configured timeout.
    Timeout {
        operation_id: &'static str,
        retries: u32,
    },
    /// The request could not be sent or its answer not read (connection refused, reset).
    Transport {
        operation_id: &'static str,
        retries: u32,
        source: reqwest::Error,
    },
    /// The request could not be built: a value could not be serialized or signed.
    InvalidRequest {
        operation_id: &'static str,
        message: String,
    },
}

impl<E> Error<E> {
    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The service's request id (`X-Request-Id`), when it answered with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. } => request_id(headers),
            _ => None,
        }
    }

    /// How many times the request was retried before this error.
    pub fn retries(&self) -> u32 {
        match self {
            Error::Api { retries, .. }
            | Error::UnexpectedStatus { retries, .. }
            | Error::Decode { retries, .. }
            | Error::Timeout { retries, .. }
            | Error::Transport { retries, .. } => *retries,
            Error::InvalidRequest { .. } => 0,
        }
    }

    /// The typed error body of a documented error status.
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The error code the service sent, in whatever shape it sent it.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Error::Api { info, .. } | Error::UnexpectedStatus { info, .. } => info.code.as_deref(),
            _ => None,
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
                retries,
            } => Error::Timeout {
                operation_id,
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
        }
    }
}

fn describe_info(info: &ErrorInfo) -> String {
    match (&info.code, &info.message) {
        (Some(code), Some(message)) => format!(": {code}: {message}"),
        (Some(code), None) => format!(": {code}"),
        (None, Some(message)) => format!(": {message}"),
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
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
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
                "{operation_id} failed with HTTP {}{}{}{}",
                status.as_u16(),
                describe_info(info),
                retried(*retries),
                with_request_id(headers)
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
                "{operation_id} got HTTP {}, which the spec does not document{}{}{}",
                status.as_u16(),
                describe_info(info),
                retried(*retries),
                with_request_id(headers)
            ),
            Error::Decode {
                operation_id,
                status,
                headers,
                path,
                message,
                ..
            } => write!(
                f,
                "{operation_id}: the HTTP {} body does not match the spec at `{path}`: {message}{}",
                status.as_u16(),
                with_request_id(headers)
            ),
            Error::Timeout {
                operation_id,
                retries,
            } => {
                write!(f, "{operation_id} timed out{}; raise the timeout in the client config or check the endpoint", retried(*retries))
            }
            Error::Transport {
                operation_id,
                retries,
                source,
            } => {
                write!(
                    f,
                    "{operation_id} could not reach the service{}: {source}",
                    retried(*retries)
                )
            }
            Error::InvalidRequest {
                operation_id,
                message,
            } => write!(f, "{operation_id}: cannot build the request: {message}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}
