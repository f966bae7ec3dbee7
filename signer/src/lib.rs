//! SDK-HMAC-SHA256 request signing and verification, byte-compatible with the official Huawei
//! Cloud SDK signer.
//!
//! Huawei Cloud APIs authenticate a request with an access key (AK) and a secret key (SK): the
//! client builds a *canonical request* from the method, path, query, chosen headers and body
//! hash, signs it with HMAC-SHA256 keyed with the SK, and sends the result in an
//! `Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` header next to an
//! `X-Sdk-Date` header. This crate does both halves:
//!
//! - [`sign`] turns a [`SigningRequest`] into [`Signed`]: the headers and request URI to send,
//!   plus every intermediate string, matching `huaweicloudsdkcore.signer.Signer` (3.1.219) byte
//!   for byte, including temporary credentials, whose security token is sent and signed as
//!   `X-Security-Token`;
//! - [`verify`] checks a [`ReceivedRequest`] on the server: it re-canonicalises what arrived the
//!   same way, compares the signature in constant time and checks that `X-Sdk-Date` is within a
//!   window of the server's clock, failing with a [`VerifyError`] that never shows a secret.
//!
//! The crate knows no HTTP library: plain strings and bytes go in and come out. [`SdkDate`]
//! formats and parses `YYYYMMDDTHHMMSSZ` without a date library.
//!
//! The rules the official signer follows (and the test vectors in `tests/data/` pin down):
//! the canonical URI is the path percent-decoded, split on `/`, each segment re-encoded with
//! Python's `quote(segment, safe='~')` and ending in `/`; the query pairs are sorted on their
//! decoded text and encoded the same way, and that string is also the query that is sent;
//! every header given to the signer is signed unless its name contains `_`; the payload hash
//! is the body's SHA-256, or `UNSIGNED-PAYLOAD` when the Content-Type is not JSON or BSON.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use apig_signer::{sign, verify, Credentials, ReceivedRequest, SdkDate, SigningRequest, VerifyOptions};
//!
//! let credentials = Credentials::new("AK_EXAMPLE", "SK_EXAMPLE");
//! let date = SdkDate::parse("20240101T000000Z")?;
//! let body = br#"{"message_id": "m-1"}"#;
//! let request = SigningRequest::new("POST", "dli.example.test", "/v1/project/edgesrv/messages", date)
//!     .query("limit", "10")
//!     .header("Content-Type", "application/json")
//!     .body(body);
//! let signed = sign(&credentials, &request)?;
//! assert_eq!(signed.request_uri, "/v1/project/edgesrv/messages?limit=10");
//! assert_eq!(signed.signed_headers, "content-type;host;x-sdk-date");
//! assert_eq!(signed.header("X-Sdk-Date"), Some("20240101T000000Z"));
//! assert!(signed.authorization.starts_with("SDK-HMAC-SHA256 Access=AK_EXAMPLE, "));
//!
//! // The server side: what arrived, a clock, and a secret-key lookup.
//! let headers: Vec<(&str, &[u8])> = signed
//!     .headers
//!     .iter()
//!     .map(|(name, value)| (name.as_str(), value.as_bytes()))
//!     .collect();
//! let (path, query) = signed.request_uri.split_once('?').unwrap_or((&signed.request_uri, ""));
//! let received = ReceivedRequest { method: "POST", host: None, path, query, headers: &headers, body };
//! let now = date.to_system_time() + Duration::from_secs(60);
//! let verified = verify(&received, now, &VerifyOptions::default(), |access_key| {
//!     (access_key == "AK_EXAMPLE").then(|| "SK_EXAMPLE".into())
//! })?;
//! assert_eq!(verified.access_key, "AK_EXAMPLE");
//! assert!(verified.payload_signed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod canonical;
mod credentials;
mod date;
mod encode;
mod sha256;
mod sign;
mod verify;

pub use canonical::{header, ALGORITHM, EMPTY_PAYLOAD_HASH, UNSIGNED_PAYLOAD};
pub use credentials::{Credentials, SecretString, SigningKey};
pub use date::{DateError, SdkDate};
/// Percent-encodes text the way the signer canonicalises paths and queries
/// (Python's `quote(text, safe='~')`); clients use it so that what they send is what
/// they signed.
pub use encode::quote as percent_encode;
pub use sign::{sign, Payload, SignError, Signed, SigningRequest};
pub use verify::{
    verify, verify_borrowed, verify_keyed, ReceivedRequest, Verified, VerifiedRef, VerifyError,
    VerifyOptions,
};
