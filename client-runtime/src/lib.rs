//! The hand-written runtime of generated API clients: configuration, endpoints,
//! authentication (AK/SK signing or an IAM token), timeouts, retries, errors, and the
//! request bodies besides JSON (forms, multipart parts, bytes and streams).
//!
//! It never depends on a spec. A generated client crate re-exports it as its `runtime`
//! module and calls it: the generated code passes in what the spec says (server
//! templates, the security scheme, client-level headers, one request per call). Users of
//! a generated client meet [`Config`], [`Credentials`], [`Error`] and [`ResponseValue`];
//! the plumbing only generated code uses is hidden from this documentation.
//!
//! Beyond what the spec says, the runtime gives: a credentials chain with refresh
//! ([`credentials`]), the spec's servers as a region catalogue with the official SDK's
//! overrides, the application's own `reqwest::Client` ([`Config::http_client`]),
//! per-call options ([`CallOptions`]), [`Interceptor`]s, a deadline across retries
//! ([`Config::deadline`]), raw requests for operations not in the spec ([`RawRequest`]),
//! and, with the `test-util` feature, an in-process fake of the services (`fake`).

// Errors carry the status, headers and body of the answer by design; boxing them would
// cost an allocation per error and make them harder to match on.
#![allow(clippy::result_large_err)]

mod body;
mod config;
pub mod credentials;
mod error;
#[cfg(feature = "test-util")]
pub mod fake;
mod intercept;
mod ordered;
mod param;
mod region;
mod regions_file;
mod retry;
mod send;

pub use apig_signer::{Credentials, SecretString};
pub use apig_types_runtime::{media, Bytes};
pub use body::{Binary, FilePart, FormPart, MultipartError};
#[doc(hidden)]
pub use body::{MultipartForm, ToMultipart};
pub use config::{Auth, BuildError, Config, RetryPolicy};
pub use credentials::{env_var, CredentialsCache, DefaultChain, ProvideCredentials};
pub use error::{Error, ErrorInfo, ResponseValue, TimeoutKind};
pub use intercept::{AttemptResponse, CallOptions, Interceptor, OutgoingRequest};
#[doc(hidden)]
pub use param::{path_param, ParamFormat, Style};
#[doc(hidden)]
pub use region::{ServerTemplate, ServerVariable};
pub use reqwest::Method;
pub use retry::retry_after;
pub use send::RawRequest;
#[doc(hidden)]
pub use send::{RawResponse, Request, Runtime};

/// Lenient decoders for fields marked `x-canonical`, named by generated types.
#[doc(hidden)]
pub use apig_types_runtime::lenient;
#[doc(hidden)]
pub use apig_types_runtime::string_enum;
#[doc(hidden)]
pub use apig_types_runtime::{json_object, json_union};

/// The generated crate that calls the runtime, named in the default `User-Agent`
/// (`name/version`) and in build errors.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
}

/// The spec's request-signing scheme (`x-signing`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningSpec {
    pub algorithm: &'static str,
    pub authorization_header: &'static str,
    pub date_header: &'static str,
    pub content_sha256_header: Option<&'static str>,
    pub security_token_header: Option<&'static str>,
    pub access_key_env: Option<&'static str>,
    pub secret_key_env: Option<&'static str>,
}

/// How the spec says requests are authenticated.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecuritySpec {
    pub signing: Option<SigningSpec>,
    /// The header that carries a token, for token authentication.
    pub token_header: Option<&'static str>,
}

/// Percent-encodes a path parameter value as the official SDKs do (every byte but
/// `A-Z a-z 0-9 _ . - ~`), so that a `/` in a value cannot change the path.
#[doc(hidden)]
pub fn path_segment<T: std::fmt::Display + ?Sized>(value: &T) -> String {
    apig_signer::percent_encode(&value.to_string())
}
