//! Hand-written runtime support for the generated client: configuration, endpoints,
//! authentication (AK/SK signing or an IAM token), timeouts, retries and errors.
//!
//! Nothing here knows the spec; the generated code passes in what it needs
//! (server templates, the security spec, client-level headers, one `Request` per call).

// Errors carry the status, headers and body of the answer by design; boxing them would
// cost an allocation per error and make them harder to match on.
#![allow(clippy::result_large_err)]

mod config;
mod error;
mod retry;
mod send;

pub use apig_signer::{Credentials, SecretString};
pub use config::{Auth, BuildError, Config, RetryPolicy};
pub use error::{Error, ErrorInfo, ResponseValue, TimeoutKind};
pub use retry::retry_after;
pub use send::{RawResponse, Request, Runtime};

/// A server URL template from the spec and the defaults of its variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerTemplate {
    pub url: &'static str,
    pub variables: &'static [(&'static str, &'static str)],
}

/// The spec's request-signing scheme (`x-signing`).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecuritySpec {
    pub signing: Option<SigningSpec>,
    /// The header that carries a token, for token authentication.
    pub token_header: Option<&'static str>,
}

/// Percent-encodes a path parameter value as the official SDKs do (every byte but
/// `A-Z a-z 0-9 _ . - ~`), so that a `/` in a value cannot change the path.
pub fn path_segment<T: std::fmt::Display + ?Sized>(value: &T) -> String {
    apig_signer::percent_encode(&value.to_string())
}
