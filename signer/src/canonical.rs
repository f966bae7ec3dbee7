//! The pieces of the canonical request, shared by the signer and the verifier.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::encode::{hex_lower, quote, unquote};

/// The algorithm name that starts the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// Hex SHA-256 of the empty string: the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_HASH: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The `X-Sdk-Content-Sha256` value that takes the body out of the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Header names the signer reads or writes, in the spelling the official SDK uses.
pub mod header {
    /// The signing time, `YYYYMMDDTHHMMSSZ`.
    pub const X_SDK_DATE: &str = "X-Sdk-Date";
    /// The request's host, with the port when it is not the default one.
    pub const HOST: &str = "Host";
    /// The `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` header.
    pub const AUTHORIZATION: &str = "Authorization";
    /// An explicit payload hash, or `UNSIGNED-PAYLOAD`.
    pub const X_SDK_CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";
    /// The security token of temporary credentials.
    pub const X_SECURITY_TOKEN: &str = "X-Security-Token";
    /// The content type, read to decide whether the payload is signed.
    pub const CONTENT_TYPE: &str = "Content-Type";
}

/// The canonical URI: the whole path percent-decoded, split on `/`, each segment encoded with
/// `quote(segment, safe='~')`, joined with `/`, and a trailing `/` added when missing.
///
/// An empty path (which the official signer cannot handle) gives `/`.
pub(crate) fn canonical_uri(path: &str) -> String {
    let decoded = unquote(path);
    let mut uri = decoded.split('/').map(quote).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The canonical query string: decoded `(key, value)` pairs sorted by key, then value (code point
/// order), each written as `quote(key)=quote(value)` and joined with `&`.
pub(crate) fn canonical_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut sorted = pairs
        .iter()
        .map(|(key, value)| (key.as_ref(), value.as_ref()))
        .collect::<Vec<_>>();
    // Byte order of UTF-8 is code point order, which is how Python compares strings.
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|(key, value)| format!("{}={}", quote(key), quote(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Hex SHA-256 of a body.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex_lower(&Sha256::digest(data))
}

/// Returns `true` for 64 lower-case hex digits, the form of a SHA-256 `hexdigest()`.
pub(crate) fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Joins the six parts of the canonical request. `canonical_headers` holds one
/// `name:value` line per signed header and each line ends with `\n`.
pub(crate) fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    format!(
        "{method}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}"
    )
}

/// `SDK-HMAC-SHA256\n<date>\n<hex SHA-256 of the canonical request>`.
pub(crate) fn string_to_sign(date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Hex HMAC-SHA256 of the string to sign, keyed with the UTF-8 bytes of the secret key.
pub(crate) fn signature(secret_key: &str, string_to_sign: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret_key.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    hex_lower(&mac.finalize().into_bytes())
}

/// `SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<names>, Signature=<hex>`.
pub(crate) fn authorization(access_key: &str, signed_headers: &str, signature: &str) -> String {
    format!(
        "{ALGORITHM} Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_uri_reencodes_each_decoded_segment() {
        assert_eq!(canonical_uri("/v1/p/jobs"), "/v1/p/jobs/");
        assert_eq!(canonical_uri("/v1/p/jobs/"), "/v1/p/jobs/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a%2Fb"), "/a/b/");
        assert_eq!(canonical_uri("/a%7Eb+c"), "/a~b%2Bc/");
        assert_eq!(canonical_uri("/a b"), "/a%20b/");
    }

    #[test]
    fn canonical_query_sorts_decoded_pairs_then_encodes() {
        let pairs = [
            ("é", "1"),
            ("z", "2"),
            ("a", "é"),
            ("a", "z"),
            ("B", "3"),
            ("a b", "4"),
        ];
        assert_eq!(
            canonical_query(&pairs),
            "B=3&a=z&a=%C3%A9&a%20b=4&z=2&%C3%A9=1"
        );
        assert_eq!(canonical_query::<&str, &str>(&[]), "");
    }

    #[test]
    fn empty_payload_hash_is_sha256_of_nothing() {
        assert_eq!(sha256_hex(b""), EMPTY_PAYLOAD_HASH);
        assert!(is_sha256_hex(EMPTY_PAYLOAD_HASH));
        assert!(!is_sha256_hex(&EMPTY_PAYLOAD_HASH.to_uppercase()));
        assert!(!is_sha256_hex(UNSIGNED_PAYLOAD));
    }

    #[test]
    fn signature_is_rfc_4231_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
