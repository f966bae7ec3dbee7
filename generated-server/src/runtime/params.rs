//! Reading parameters and bodies: raw text from the path, query or headers, converted to
//! JSON values, checked by the generated validators, then decoded into typed values.

use std::convert::Infallible;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::errors::Rejection;
use super::validate::{Pointer, Violations};

/// Where a parameter is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

/// How a parameter's text becomes a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    String,
    Integer,
    Number,
    Boolean,
}

/// One parameter as the spec describes it.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub location: ParamLocation,
    pub name: &'static str,
    pub required: bool,
    pub kind: ParamKind,
    pub array: bool,
    /// For query arrays: repeated names (`a=1&a=2`) instead of one comma-separated value.
    pub explode: bool,
}

/// The path parameters of the matched route, percent-decoded; a path that cannot be
/// decoded yields none (and the required parameters are then reported missing).
#[derive(Debug, Clone, Default)]
pub struct PathParams(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for PathParams {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(
            match Path::<Vec<(String, String)>>::from_request_parts(parts, state).await {
                Ok(Path(pairs)) => PathParams(pairs),
                Err(_) => PathParams::default(),
            },
        )
    }
}

/// The value of path parameter `name`.
pub fn path_values(params: &PathParams, name: &str) -> Vec<String> {
    params
        .0
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Every value of query parameter `name`, decoded, in order.
pub fn query_values(query: Option<&str>, name: &str) -> Vec<String> {
    let Some(query) = query else {
        return Vec::new();
    };
    form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// Every value of header `name` that is valid text.
pub fn header_values(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect()
}

/// Converts, checks and decodes one parameter. Problems go to `out`; the result is
/// `None` when the parameter is absent or has a problem.
pub fn param<T: DeserializeOwned>(
    spec: &ParamSpec,
    raw: Vec<String>,
    check: &dyn Fn(&Value, &mut Pointer, &mut Violations),
    out: &mut Violations,
) -> Option<T> {
    let before = out.len();
    out.set_param(spec.location.as_str(), spec.name);
    let result = (|| {
        let mut at = Pointer::new();
        if raw.is_empty() {
            if spec.required {
                out.push(&at, "required".to_string());
            }
            return None;
        }
        let value = if spec.array {
            let items: Vec<&str> = if spec.explode && spec.location == ParamLocation::Query {
                raw.iter().map(String::as_str).collect()
            } else {
                raw.iter().flat_map(|v| v.split(',')).collect()
            };
            let mut values = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                at.push_index(index);
                if let Some(value) = convert(item, spec.kind, &at, out) {
                    values.push(value);
                }
                at.pop();
            }
            Value::Array(values)
        } else {
            if raw.len() > 1 {
                out.push(&at, format!("given {} times; expected once", raw.len()));
            }
            convert(&raw[0], spec.kind, &at, out)?
        };
        check(&value, &mut at, out);
        if out.len() > before {
            return None;
        }
        match serde_json::from_value(value) {
            Ok(typed) => Some(typed),
            Err(err) => {
                out.push(&at, err.to_string());
                None
            }
        }
    })();
    out.clear_param();
    result
}

fn convert(text: &str, kind: ParamKind, at: &Pointer, out: &mut Violations) -> Option<Value> {
    let value = match kind {
        ParamKind::String => Some(Value::String(text.to_string())),
        ParamKind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .ok(),
        ParamKind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        ParamKind::Boolean => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
    };
    if value.is_none() {
        let expected = match kind {
            ParamKind::String => "a string",
            ParamKind::Integer => "an integer",
            ParamKind::Number => "a number",
            ParamKind::Boolean => "`true` or `false`",
        };
        out.push(at, format!("expected {expected}, found {text:?}"));
    }
    value
}

/// Reads a JSON body: checks the content type, parses, validates with `check`, decodes.
/// Violations go to `out` (and the result is `None`); a body that cannot be read at
/// all is an immediate rejection.
pub fn json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    required: bool,
    check: &dyn Fn(&Value, &mut Pointer, &mut Violations),
    out: &mut Violations,
) -> Result<Option<T>, Rejection> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Rejection::TooLarge
        } else {
            Rejection::BadBody(rejection.body_text())
        }
    })?;
    let mut at = Pointer::new();
    if bytes.is_empty() {
        if required {
            out.push(&at, "a request body is required".to_string());
        }
        return Ok(None);
    }
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != "application/json" && !essence.ends_with("+json") {
        let found = if content_type.is_empty() {
            "no content type".to_string()
        } else {
            content_type.to_string()
        };
        return Err(Rejection::UnsupportedMediaType(found));
    }
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|err| Rejection::MalformedJson(err.to_string()))?;
    let before = out.len();
    check(&value, &mut at, out);
    if out.len() > before {
        return Ok(None);
    }
    // The value passed validation, so decoding almost always succeeds: decode without
    // path tracking, and only on failure decode again from the bytes to say where.
    if let Ok(typed) = serde_json::from_value::<T>(value) {
        return Ok(Some(typed));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(typed) => Ok(Some(typed)),
        Err(err) => {
            let path = err.path().to_string();
            let pointer = if path == "." {
                String::new()
            } else {
                format!("/{}", path.replace('.', "/"))
            };
            out.push_at(pointer, err.into_inner().to_string());
            Ok(None)
        }
    }
}
