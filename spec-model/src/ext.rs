//! The `x-` extensions the project defines, as typed values that reject unknown keys.
//!
//! Each extension is documented in `spec/NOTES.md` ("Extensions"). Reading one gives
//! either its typed value or one diagnostic at the extension's pointer that says what
//! was expected; a misspelt key is an error, never silently ignored.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::diag::Diagnostic;
use crate::load::Spec;
use crate::pointer::join;

/// `x-client-parameter` on a parameter: the client is given its value once, when it is
/// built, instead of on every call. `true`, or an object with these optional keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClientParameter {
    /// A header the client also sends the value in, on every request.
    pub header: Option<String>,
    /// An environment variable the client reads the value from when none is given.
    pub env: Option<String>,
}

/// `x-signing` on an `apiKey` security scheme: requests are signed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Signing {
    pub algorithm: String,
    pub date_header: String,
    pub content_sha256_header: Option<String>,
    pub security_token_header: Option<String>,
    pub access_key_env: Option<String>,
    pub secret_key_env: Option<String>,
}

/// `x-error-model` at the top level: how error bodies look.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ErrorModel {
    /// A `$ref` to the error schema in `#/components/schemas/`.
    pub schema: String,
    pub code_field: String,
    pub message_field: String,
}

/// `x-canonical` on a `oneOf`/`anyOf`: the index of the alternative that is the type;
/// the others are accepted on input and converted.
pub type Canonical = usize;

/// `x-validation-error-code` on a tag: the error code of the service's rejections.
pub type ValidationErrorCode = String;

/// What each extension looks like, for error messages.
fn expected(name: &str) -> &'static str {
    match name {
        "x-client-parameter" => "`true` or an object with optional `header` and `env`",
        "x-signing" => "an object with `algorithm` and `date-header`, and optional `content-sha256-header`, `security-token-header`, `access-key-env` and `secret-key-env`",
        "x-error-model" => "an object with `schema` (a $ref), `code-field` and `message-field`",
        "x-canonical" => "the index of one of the alternatives",
        "x-validation-error-code" => "a string",
        _ => "a value of the documented shape",
    }
}

impl Spec {
    /// Reads extension `name` from `extensions`, the extensions of the node at `at`.
    /// `None` when it is absent.
    pub fn extension<T: DeserializeOwned>(
        &self,
        extensions: &indexmap::IndexMap<String, Value>,
        name: &str,
        at: &str,
    ) -> Option<Result<T, Diagnostic>> {
        let value = extensions.get(name)?;
        Some(
            parse_extension(value, name)
                .map_err(|message| self.error(&join(at, name), "extension", message)),
        )
    }

    /// `x-client-parameter`, where `true` means an object with no keys.
    pub fn client_parameter(
        &self,
        extensions: &indexmap::IndexMap<String, Value>,
        at: &str,
    ) -> Option<Result<ClientParameter, Diagnostic>> {
        match extensions.get("x-client-parameter")? {
            Value::Bool(true) => Some(Ok(ClientParameter::default())),
            _ => self.extension(extensions, "x-client-parameter", at),
        }
    }
}

/// Reads one extension's value; the error says what was expected and what is wrong.
pub fn parse_extension<T: DeserializeOwned>(value: &Value, name: &str) -> Result<T, String> {
    T::deserialize(value).map_err(|err| format!("`{name}` must be {}: {err}", expected(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_keys_are_refused_with_what_was_expected() {
        let err = parse_extension::<Signing>(
            &json!({"algorithm": "A", "date-header": "D", "date_header": "x"}),
            "x-signing",
        )
        .unwrap_err();
        assert!(err.contains("unknown field `date_header`"), "{err}");
        assert!(err.contains("`x-signing` must be an object"), "{err}");
        let err =
            parse_extension::<ErrorModel>(&json!({"schema": "#/x"}), "x-error-model").unwrap_err();
        assert!(err.contains("missing field `code-field`"), "{err}");
    }

    #[test]
    fn well_formed_extensions_read() {
        let signing: Signing = parse_extension(
            &json!({"algorithm": "A", "date-header": "X-Date", "access-key-env": "AK"}),
            "x-signing",
        )
        .expect("valid");
        assert_eq!(signing.date_header, "X-Date");
        assert_eq!(signing.access_key_env.as_deref(), Some("AK"));
        let index: Canonical = parse_extension(&json!(1), "x-canonical").expect("valid");
        assert_eq!(index, 1);
        assert!(parse_extension::<Canonical>(&json!(-1), "x-canonical").is_err());
    }
}
