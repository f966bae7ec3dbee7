//! The pieces of the canonical request, shared by the signer and the verifier.

use crate::encode::{hex_lower, push_hex_lower, quote_into, unquote, Sink};
use crate::sha256::{Digest, HmacSha256, Sha256};

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

/// Appends the canonical URI of `path` to `out`: the whole path percent-decoded, split on `/`,
/// each segment encoded with `quote(segment, safe='~')`, joined with `/`, and a trailing `/`
/// added when missing. An empty path (which the official signer cannot handle) gives `/`.
///
/// Encoding each segment and joining them with `/` is the same as encoding the whole decoded
/// path with `/` kept, which needs no list of segments; a path without `%` is its own decoding
/// and is not copied.
fn push_canonical_uri(out: &mut impl Sink, path: &str) {
    let decoded = unquote(path);
    quote_into(out, &decoded, true);
    // The encoded text ends with `/` exactly when the decoded one does.
    if !decoded.ends_with('/') {
        out.text("/");
    }
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
    // Unreserved text keeps its length; the `=` and `&` take one byte per pair.
    let capacity = sorted
        .iter()
        .map(|(key, value)| key.len() + value.len() + 2)
        .sum();
    let mut query = String::with_capacity(capacity);
    for (position, (key, value)) in sorted.iter().enumerate() {
        if position > 0 {
            query.push('&');
        }
        quote_into(&mut query, key, false);
        query.push('=');
        quote_into(&mut query, value, false);
    }
    query
}

/// Hex SHA-256 of a body.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex_lower(&Sha256::digest(data))
}

/// SHA-256 of a body.
pub(crate) fn sha256(data: &[u8]) -> Digest {
    Sha256::digest(data)
}

/// Returns `true` for 64 lower-case hex digits, the form of a SHA-256 `hexdigest()`.
pub(crate) fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Writes the canonical request
/// `METHOD\nCanonicalURI\nCanonicalQuery\nCanonicalHeaders\nSignedHeaders\nPayloadHash`
/// line by line into a [`Sink`] (a buffer, or the hash itself), where each canonical header
/// is a `name:value\n` line.
pub(crate) struct CanonicalRequest<S> {
    out: S,
}

impl<S: Sink> CanonicalRequest<S> {
    /// Starts `out` with the upper-cased method, the canonical URI of `path` and the
    /// canonical query.
    pub(crate) fn new(mut out: S, method: &str, path: &str, canonical_query: &str) -> Self {
        out.cased(method, true);
        out.text("\n");
        push_canonical_uri(&mut out, path);
        out.text("\n");
        out.text(canonical_query);
        out.text("\n");
        CanonicalRequest { out }
    }

    /// Appends the `name:value` line of one signed header, with the name lower-cased.
    pub(crate) fn header(&mut self, name: &str, value: &str) {
        self.out.cased(name, false);
        self.out.text(":");
        self.out.text(value);
        self.out.text("\n");
    }

    /// Appends the `name:value` line of one signed header whose name is lower-case already.
    pub(crate) fn lower_case_header(&mut self, name: &str, value: &str) {
        for piece in [name, ":", value, "\n"] {
            self.out.text(piece);
        }
    }

    /// Ends the headers and appends the signed header names and the payload hash.
    pub(crate) fn finish(mut self, signed_headers: &str, payload_hash: &str) -> S {
        for piece in ["\n", signed_headers, "\n", payload_hash] {
            self.out.text(piece);
        }
        self.out
    }
}

/// Appends `text` with its ASCII letters lower-cased, as `str::to_ascii_lowercase` returns it.
pub(crate) fn push_ascii_lowercase(out: &mut String, text: &str) {
    out.cased(text, false);
}

/// Appends `text` with its ASCII letters upper-cased, as `str::to_ascii_uppercase` returns it.
#[cfg(test)]
fn push_ascii_uppercase(out: &mut String, text: &str) {
    out.cased(text, true);
}

/// `SDK-HMAC-SHA256\n<date>\n<hex SHA-256 of the canonical request>`.
pub(crate) fn string_to_sign(date: &str, canonical_request: &str) -> String {
    let mut text = String::with_capacity(ALGORITHM.len() + 1 + date.len() + 1 + 64);
    text.push_str(ALGORITHM);
    text.push('\n');
    text.push_str(date);
    text.push('\n');
    push_hex_lower(&mut text, &Sha256::digest(canonical_request.as_bytes()));
    text
}

/// HMAC-SHA256 keyed with the UTF-8 bytes of the secret key, before any message.
///
/// Keying hashes two blocks (the inner and outer padded keys), so [`crate::SigningKey`] keeps a
/// keyed state and every signature starts from a copy of it.
pub(crate) fn signing_key(secret_key: &str) -> HmacSha256 {
    HmacSha256::new(secret_key.as_bytes())
}

/// Hex HMAC-SHA256 of the string to sign, keyed with the UTF-8 bytes of the secret key.
#[cfg(test)]
pub(crate) fn signature(secret_key: &str, string_to_sign: &str) -> String {
    signature_with(&signing_key(secret_key), string_to_sign)
}

/// Hex HMAC-SHA256 of the string to sign, from a state made by [`signing_key`].
pub(crate) fn signature_with(key: &HmacSha256, string_to_sign: &str) -> String {
    hex_lower(&signature_bytes(key, string_to_sign))
}

/// HMAC-SHA256 of the string to sign, from a state made by [`signing_key`], as bytes (the
/// verifier compares bytes and needs no hex).
pub(crate) fn signature_bytes(key: &HmacSha256, string_to_sign: &str) -> Digest {
    let mut mac = key.start();
    mac.update(string_to_sign.as_bytes());
    mac.finish()
}

/// The bytes of a hex text of 64 digits (upper- or lower-case); any other digit reads as 0,
/// so check the text with [`is_sha256_hex`] first.
pub(crate) fn hex_bytes(hex: &str) -> [u8; 32] {
    let digit = |b: u8| match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    };
    let mut out = [0; 32];
    for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        *byte = digit(pair[0]) << 4 | digit(pair[1]);
    }
    out
}

/// `SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<names>, Signature=<hex>`.
pub(crate) fn authorization(access_key: &str, signed_headers: &str, signature: &str) -> String {
    const ACCESS: &str = " Access=";
    const SIGNED_HEADERS: &str = ", SignedHeaders=";
    const SIGNATURE: &str = ", Signature=";
    let mut value = String::with_capacity(
        ALGORITHM.len()
            + ACCESS.len()
            + access_key.len()
            + SIGNED_HEADERS.len()
            + signed_headers.len()
            + SIGNATURE.len()
            + signature.len(),
    );
    value.push_str(ALGORITHM);
    value.push_str(ACCESS);
    value.push_str(access_key);
    value.push_str(SIGNED_HEADERS);
    value.push_str(signed_headers);
    value.push_str(SIGNATURE);
    value.push_str(signature);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical_uri(path: &str) -> String {
        let mut uri = String::new();
        push_canonical_uri(&mut uri, path);
        uri
    }

    #[test]
    fn canonical_uri_reencodes_each_decoded_segment() {
        assert_eq!(canonical_uri("/v1/p/jobs"), "/v1/p/jobs/");
        assert_eq!(canonical_uri("/v1/p/jobs/"), "/v1/p/jobs/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a%2Fb"), "/a/b/");
        assert_eq!(canonical_uri("/a%7Eb+c"), "/a~b%2Bc/");
        assert_eq!(canonical_uri("/a b"), "/a%20b/");
        assert_eq!(canonical_uri("/a%2F"), "/a/");
        assert_eq!(canonical_uri("//"), "//");
        assert_eq!(canonical_uri("/%C3%A9/%e6%b5%8b"), "/%C3%A9/%E6%B5%8B/");
        // Invalid UTF-8 after decoding becomes U+FFFD, as Python's `unquote` does.
        assert_eq!(canonical_uri("/%FF%41"), "/%EF%BF%BDA/");
        assert_eq!(canonical_uri("/%zz%"), "/%25zz%25/");
        let mut appended = String::from("GET\n");
        push_canonical_uri(&mut appended, "/v1");
        assert_eq!(appended, "GET\n/v1/");
    }

    #[test]
    fn canonical_request_writes_the_six_parts() {
        let mut request = CanonicalRequest::new(String::new(), "post", "/v1/a b", "x=1");
        request.header("Content-Type", "application/json");
        request.header("X-Name", "Ünïcode");
        assert_eq!(
            request.finish("content-type;x-name", EMPTY_PAYLOAD_HASH),
            format!(
                "POST\n/v1/a%20b/\nx=1\ncontent-type:application/json\nx-name:Ünïcode\n\n\
                 content-type;x-name\n{EMPTY_PAYLOAD_HASH}"
            )
        );
        let request = CanonicalRequest::new(String::new(), "GET", "/", "");
        assert_eq!(request.finish("", "h"), "GET\n/\n\n\n\nh");
    }

    #[test]
    fn the_hashed_canonical_request_is_the_hash_of_its_text() {
        // Long enough pieces that the hash sink's case buffer and block buffer both wrap.
        let method = "patch-".repeat(20);
        let path = "/v1/a b/é/%2F/".repeat(10);
        let name = "X-Long-Name-".repeat(12);
        fn write<S: Sink>(out: S, method: &str, path: &str, name: &str) -> S {
            let mut request = CanonicalRequest::new(out, method, path, "a=1&b=%20");
            request.header(name, "value é");
            request.lower_case_header("host", "example.test");
            request.finish("host;x-long", EMPTY_PAYLOAD_HASH)
        }
        let text = write(String::new(), &method, &path, &name);
        assert!(text.starts_with("PATCH-PATCH-"), "{text}");
        assert!(text.contains("x-long-name-x-long-name-"), "{text}");
        let hashed = write(Sha256::new(), &method, &path, &name).finish();
        assert_eq!(hashed, Sha256::digest(text.as_bytes()));
    }

    #[test]
    fn push_ascii_case_changes_ascii_letters_only() {
        let mut out = String::from("Keep:");
        push_ascii_lowercase(&mut out, "X-Ab_É");
        assert_eq!(out, "Keep:x-ab_É");
        let mut out = String::from("keep:");
        push_ascii_uppercase(&mut out, "get-é");
        assert_eq!(out, "keep:GET-é");
    }

    #[test]
    fn string_to_sign_and_authorization_have_the_sdk_layout() {
        assert_eq!(
            string_to_sign("20240101T000000Z", ""),
            format!("SDK-HMAC-SHA256\n20240101T000000Z\n{EMPTY_PAYLOAD_HASH}")
        );
        assert_eq!(
            authorization("AK", "host;x-sdk-date", "00ff"),
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=00ff"
        );
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
        assert_eq!(canonical_query(&[("k", "")]), "k=");
        assert_eq!(
            canonical_query(&[("b", "1"), ("a", "2"), ("a", "1")]),
            "a=1&a=2&b=1"
        );
        assert_eq!(
            canonical_query(&[("a", "1"), ("a", "1")]),
            "a=1&a=1",
            "repeated pairs are kept"
        );
        assert_eq!(
            canonical_query(&[("q", "1 + 1 = 2 / é")]),
            "q=1%20%2B%201%20%3D%202%20%2F%20%C3%A9"
        );
    }

    #[test]
    fn empty_payload_hash_is_sha256_of_nothing() {
        assert_eq!(sha256_hex(b""), EMPTY_PAYLOAD_HASH);
        assert!(is_sha256_hex(EMPTY_PAYLOAD_HASH));
        assert!(!is_sha256_hex(&EMPTY_PAYLOAD_HASH.to_uppercase()));
        assert!(!is_sha256_hex(UNSIGNED_PAYLOAD));
    }

    #[test]
    fn the_verifier_compares_the_bytes_of_the_hex_signature() {
        let hex = signature("Jefe", "what do ya want for nothing?");
        let bytes = signature_bytes(&signing_key("Jefe"), "what do ya want for nothing?");
        assert_eq!(hex_bytes(&hex), bytes);
        assert_eq!(hex_bytes(&hex.to_uppercase()), bytes);
        assert_eq!(hex_lower(&bytes), hex);
        assert_ne!(hex_bytes(&hex.replace('5', "6")), bytes);
    }

    #[test]
    fn signature_is_rfc_4231_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // A copied keyed state gives the same result, however many times it is used.
        let key = signing_key("Jefe");
        for _ in 0..2 {
            assert_eq!(
                signature_with(&key, "what do ya want for nothing?"),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            );
        }
        // A key longer than the block size is hashed first (value from Python's `hmac`).
        assert_eq!(
            signature(
                &"K".repeat(100),
                "a key longer than the block size is hashed first"
            ),
            "93a91e14d033a23bd8cb6f73ac806a26c2ea076559e59d6a9c22081b49c9f11b"
        );
    }
}
