//! Signing: builds the canonical request and the headers to send, as the official SDK does.

use std::cmp::Ordering;
use std::fmt;

use crate::canonical::{
    self, header, push_ascii_lowercase, CanonicalRequest, EMPTY_PAYLOAD_HASH, UNSIGNED_PAYLOAD,
};
use crate::encode::python_strip;
use crate::{Credentials, SdkDate};

/// The body of a request to sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload<'a> {
    /// The body bytes; an empty slice means no body.
    Bytes(&'a [u8]),
    /// The lower-case hex SHA-256 of a body that is not in memory (a stream, a file).
    ///
    /// The hash of the empty string stands for an empty body, so the result is the same as with
    /// [`Payload::Bytes`] of that body.
    Sha256Hex(String),
}

/// What is signed: the request as it will be sent.
///
/// Build it with [`SigningRequest::new`] and the builder methods, or fill in the fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningRequest<'a> {
    /// The HTTP method; it is upper-cased in the canonical request.
    pub method: String,
    /// The `Host` header value (with the port when it is not the default one). The signer adds
    /// a `Host` header with this value unless `headers` already has one.
    pub host: String,
    /// The path as sent on the wire, already percent-encoded (the SDK encodes each path
    /// parameter with `quote(value, safe='')`), without the query.
    pub path: String,
    /// The query parameters, **decoded**, in sending order. A list-valued parameter is one pair
    /// per value; booleans are written `true` / `false` as the SDK does. The signer sorts them
    /// and the request must be sent with [`Signed::request_uri`].
    pub query: Vec<(String, String)>,
    /// The headers given to the signer, without `Host`, `X-Sdk-Date` and `Authorization`.
    /// Every header whose name has no `_` is signed, so headers that the HTTP library adds
    /// later (`Accept`, `Content-Length`) must not be listed here.
    pub headers: Vec<(String, String)>,
    /// The body or its hash.
    pub payload: Payload<'a>,
    /// The signing time, sent as `X-Sdk-Date`.
    pub date: SdkDate,
}

impl<'a> SigningRequest<'a> {
    /// A request without query, headers or body.
    pub fn new(
        method: impl Into<String>,
        host: impl Into<String>,
        path: impl Into<String>,
        date: SdkDate,
    ) -> Self {
        SigningRequest {
            method: method.into(),
            host: host.into(),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            payload: Payload::Bytes(&[]),
            date,
        }
    }

    /// Appends a decoded query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Appends a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: &'a [u8]) -> Self {
        self.payload = Payload::Bytes(body);
        self
    }

    /// Sets the hex SHA-256 of a body that is sent without being held in memory.
    pub fn payload_sha256_hex(mut self, hash: impl Into<String>) -> Self {
        self.payload = Payload::Sha256Hex(hash.into());
        self
    }
}

/// The result of signing: what to send and every intermediate string.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// `METHOD\nCanonicalURI\nCanonicalQuery\nCanonicalHeaders\nSignedHeaders\nPayloadHash`.
    pub canonical_request: String,
    /// `SDK-HMAC-SHA256\n<date>\n<hex SHA-256 of canonical_request>`.
    pub string_to_sign: String,
    /// The `;`-joined, lower-case, sorted names of the signed headers.
    pub signed_headers: String,
    /// Hex HMAC-SHA256 of `string_to_sign`.
    pub signature: String,
    /// The `Authorization` header value.
    pub authorization: String,
    /// The last line of `canonical_request`.
    pub payload_hash: String,
    /// The canonical query string, also the query that must be sent.
    pub canonical_query_string: String,
    /// The request target to send: the path, plus `?` and the canonical query string when there
    /// is a query.
    pub request_uri: String,
    /// Every header to send, in the official SDK's order: the given headers with trimmed values,
    /// then the ones the signer adds (`X-Sdk-Date`, `X-Security-Token`, `X-Sdk-Content-Sha256`,
    /// `Host`, `Authorization`). Values may be non-ASCII and go on the wire as raw UTF-8.
    ///
    /// HTTP clients usually derive `Host` from the URL; the signed value must match what is
    /// sent, so either send this header explicitly or make sure the URL gives the same value.
    pub headers: Vec<(String, String)>,
}

impl Signed {
    /// The value of a header to send, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl fmt::Debug for Signed {
    /// Shows everything except the value of `X-Security-Token`, which also appears in the
    /// canonical request when the credentials are temporary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token_line = "x-security-token:";
        let canonical_request = self
            .canonical_request
            .split('\n')
            .map(|line| {
                if line.starts_with(token_line) {
                    "x-security-token:<redacted>"
                } else {
                    line
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| {
                if name.eq_ignore_ascii_case(header::X_SECURITY_TOKEN) {
                    (name.as_str(), "<redacted>")
                } else {
                    (name.as_str(), value.as_str())
                }
            })
            .collect::<Vec<_>>();
        f.debug_struct("Signed")
            .field("canonical_request", &canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .field("authorization", &self.authorization)
            .field("payload_hash", &self.payload_hash)
            .field("canonical_query_string", &self.canonical_query_string)
            .field("request_uri", &self.request_uri)
            .field("headers", &headers)
            .finish()
    }
}

/// Why a request could not be signed. No variant carries a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The credentials have an empty access key.
    EmptyAccessKey,
    /// The credentials have an empty secret key.
    EmptySecretKey,
    /// The method is empty or not an HTTP token.
    InvalidMethod {
        /// The method that was given.
        method: String,
    },
    /// The path is empty, contains `?` or `#`, or has characters that cannot be sent unencoded.
    InvalidPath {
        /// The path that was given.
        path: String,
    },
    /// No `Host` header was given and the host is empty.
    EmptyHost,
    /// A header name is empty or not an HTTP token.
    InvalidHeaderName {
        /// The header name that was given.
        name: String,
    },
    /// A header value contains a line break or NUL, which cannot be sent.
    InvalidHeaderValue {
        /// The name of the header.
        name: String,
    },
    /// An `Authorization` header was given; the signer writes that header itself.
    AuthorizationAlreadySet,
    /// An `X-Sdk-Date` header was given that differs from the request's date.
    ConflictingDate {
        /// The header value that was given.
        header: String,
        /// The signing date of the request.
        date: SdkDate,
    },
    /// [`Payload::Sha256Hex`] is not 64 lower-case hex digits.
    InvalidPayloadHash,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::EmptyAccessKey => f.write_str("cannot sign: the access key (AK) is empty"),
            SignError::EmptySecretKey => f.write_str("cannot sign: the secret key (SK) is empty"),
            SignError::InvalidMethod { method } => write!(f, "cannot sign: HTTP method {method:?} is not a valid method name"),
            SignError::InvalidPath { path } => write!(f, "cannot sign: path {path:?} must be non-empty, percent-encoded printable ASCII without '?' or '#'"),
            SignError::EmptyHost => f.write_str("cannot sign: the host is empty and no Host header was given"),
            SignError::InvalidHeaderName { name } => write!(f, "cannot sign: header name {name:?} is not a valid HTTP header name"),
            SignError::InvalidHeaderValue { name } => write!(f, "cannot sign: the value of header {name:?} contains a line break or NUL"),
            SignError::AuthorizationAlreadySet => f.write_str("cannot sign: the request already has an Authorization header"),
            SignError::ConflictingDate { header, date } => write!(f, "cannot sign: the X-Sdk-Date header {header:?} differs from the signing date {date}"),
            SignError::InvalidPayloadHash => f.write_str("cannot sign: the precomputed payload hash is not 64 lower-case hex digits"),
        }
    }
}

impl std::error::Error for SignError {}

/// Signs a request the way the official Huawei Cloud SDK (`huaweicloudsdkcore` `Signer`,
/// called through `Credentials.sign_request`) does, byte for byte.
///
/// The steps, in the SDK's order:
/// 1. `X-Sdk-Date` is added unless present (any case), as if the caller had given it;
/// 2. temporary credentials set `X-Security-Token`;
/// 3. a `Content-Type` (looked up with exactly that spelling) that is neither
///    `application/json…` nor `application/bson…` sets `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`;
///    then `Host` is added unless present (any case);
/// 4. every header whose name has no `_` is signed; names are lower-cased and sorted, values
///    trimmed with Python's `str.strip()`;
/// 5. the payload hash is the empty-string hash for an empty body, else the value of
///    `X-Sdk-Content-Sha256` when present and non-empty, else the body's SHA-256;
/// 6. `Authorization` is added and the request URI is the path plus the canonical query.
///
/// Inputs the SDK would let through but that cannot form a valid HTTP request (an empty path,
/// a header name that is not a token, a line break in a value) are errors here.
pub fn sign(credentials: &Credentials, request: &SigningRequest<'_>) -> Result<Signed, SignError> {
    if credentials.access_key().is_empty() {
        return Err(SignError::EmptyAccessKey);
    }
    if credentials.secret_key().is_empty() {
        return Err(SignError::EmptySecretKey);
    }
    if !is_token(&request.method) {
        return Err(SignError::InvalidMethod {
            method: request.method.clone(),
        });
    }
    if !is_valid_path(&request.path) {
        return Err(SignError::InvalidPath {
            path: request.path.clone(),
        });
    }

    // Room for the given headers and the five the signer may add, so the list that becomes
    // `Signed::headers` is allocated once.
    let mut headers = HeaderList(Vec::with_capacity(request.headers.len() + 5));
    for (name, value) in &request.headers {
        if !is_token(name) {
            return Err(SignError::InvalidHeaderName { name: name.clone() });
        }
        if name.eq_ignore_ascii_case(header::AUTHORIZATION) {
            return Err(SignError::AuthorizationAlreadySet);
        }
        headers.set_exact(name, value.clone());
    }

    // The date goes right after the given headers, as if the caller had set `X-Sdk-Date`
    // (the SDK then reads it instead of the clock). That is how the vectors were produced, and
    // the header order does not change the signature.
    let date = request.date.text();
    match headers.get_ignore_case(header::X_SDK_DATE) {
        None => headers.set_exact(header::X_SDK_DATE, date.as_str().to_owned()),
        Some(given) if given == date.as_str() => {}
        Some(given) => {
            return Err(SignError::ConflictingDate {
                header: given.to_owned(),
                date: request.date,
            })
        }
    }

    if let Some(token) = credentials.security_token() {
        headers.set_exact(header::X_SECURITY_TOKEN, token.expose().to_owned());
    }

    if let Some(content_type) = headers.get_exact(header::CONTENT_TYPE) {
        if !content_type.is_empty()
            && !content_type.starts_with("application/json")
            && !content_type.starts_with("application/bson")
        {
            headers.set_exact(header::X_SDK_CONTENT_SHA256, UNSIGNED_PAYLOAD.to_owned());
        }
    }

    if headers.get_ignore_case(header::HOST).is_none() {
        if request.host.is_empty() {
            return Err(SignError::EmptyHost);
        }
        headers.set_exact(header::HOST, request.host.clone());
    }

    // Trim every value, as the SDK does while building the canonical headers; the trimmed
    // values are also what is sent. Values rarely need trimming, so they are copied only then.
    for (name, value) in &mut headers.0 {
        let trimmed = python_strip(value);
        if trimmed
            .bytes()
            .any(|byte| matches!(byte, b'\r' | b'\n' | b'\0'))
        {
            return Err(SignError::InvalidHeaderValue { name: name.clone() });
        }
        if trimmed.len() != value.len() {
            *value = trimmed.to_owned();
        }
    }

    let signed = signed_header_order(&headers.0);
    let mut signed_headers = String::with_capacity(
        signed
            .iter()
            .map(|&index| headers.0[index].0.len() + 1)
            .sum(),
    );
    for (position, &index) in signed.iter().enumerate() {
        if position > 0 {
            signed_headers.push(';');
        }
        push_ascii_lowercase(&mut signed_headers, &headers.0[index].0);
    }

    let payload_hash = payload_hash(&request.payload, &headers)?;
    let canonical_query_string = canonical::canonical_query(&request.query);

    // The exact length when the path needs no escaping and gets one `/` appended (the usual
    // case), so that the canonical request is written into one allocation.
    let capacity = request.method.len()
        + request.path.len()
        + canonical_query_string.len()
        + signed
            .iter()
            .map(|&index| headers.0[index].0.len() + headers.0[index].1.len() + 2)
            .sum::<usize>()
        + signed_headers.len()
        + payload_hash.len()
        + 6;
    let mut canonical_request = CanonicalRequest::new(
        String::with_capacity(capacity),
        &request.method,
        &request.path,
        &canonical_query_string,
    );
    for (position, &index) in signed.iter().enumerate() {
        // The SDK keeps the trimmed values in a dict keyed on the lower-cased name, so names
        // that differ only in case all get the value of the last of them. The sort is stable,
        // so that one is the last of its run of equal names.
        let name = &headers.0[index].0;
        let last = signed[position + 1..]
            .iter()
            .take_while(|&&other| headers.0[other].0.eq_ignore_ascii_case(name))
            .last()
            .copied()
            .unwrap_or(index);
        canonical_request.header(name, &headers.0[last].1);
    }
    let canonical_request = canonical_request.finish(&signed_headers, &payload_hash);

    let string_to_sign = canonical::string_to_sign(date.as_str(), &canonical_request);
    let signature = canonical::signature_with(credentials.signing_key().hmac(), &string_to_sign);
    let authorization =
        canonical::authorization(credentials.access_key(), &signed_headers, &signature);
    headers.set_exact(header::AUTHORIZATION, authorization.clone());

    let request_uri = if canonical_query_string.is_empty() {
        request.path.clone()
    } else {
        let mut uri = String::with_capacity(request.path.len() + 1 + canonical_query_string.len());
        uri.push_str(&request.path);
        uri.push('?');
        uri.push_str(&canonical_query_string);
        uri
    };

    Ok(Signed {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
        payload_hash,
        canonical_query_string,
        request_uri,
        headers: headers.0,
    })
}

/// The indices of the headers to sign (every name without `_`), ordered on the lower-cased
/// name as the SDK sorts them, equal names in list order.
///
/// Sorting indices with a case-insensitive comparison gives the order of sorting lower-cased
/// copies of the names without making those copies.
fn signed_header_order(headers: &[(String, String)]) -> Vec<usize> {
    let mut order = (0..headers.len())
        .filter(|&index| !headers[index].0.contains('_'))
        .collect::<Vec<_>>();
    order.sort_by(|&a, &b| cmp_ascii_lowercase(&headers[a].0, &headers[b].0));
    order
}

/// Compares two strings as their `to_ascii_lowercase` copies compare.
fn cmp_ascii_lowercase(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|byte| byte.to_ascii_lowercase())
        .cmp(b.bytes().map(|byte| byte.to_ascii_lowercase()))
}

/// The payload hash line of the canonical request.
fn payload_hash(payload: &Payload<'_>, headers: &HeaderList) -> Result<String, SignError> {
    let body_is_empty = match payload {
        Payload::Bytes(body) => body.is_empty(),
        Payload::Sha256Hex(hash) => {
            if !canonical::is_sha256_hex(hash) {
                return Err(SignError::InvalidPayloadHash);
            }
            hash == EMPTY_PAYLOAD_HASH
        }
    };
    if body_is_empty {
        return Ok(EMPTY_PAYLOAD_HASH.to_owned());
    }
    if let Some(explicit) = headers.get_ignore_case(header::X_SDK_CONTENT_SHA256) {
        if !explicit.is_empty() {
            return Ok(explicit.to_owned());
        }
    }
    Ok(match payload {
        Payload::Bytes(body) => canonical::sha256_hex(body),
        Payload::Sha256Hex(hash) => hash.clone(),
    })
}

/// An ordered header list that behaves like the Python `dict` the SDK keeps its headers in:
/// setting an existing name (exact spelling) replaces its value in place, any other name is
/// appended, so names that differ only in case are separate entries.
#[derive(Default)]
struct HeaderList(Vec<(String, String)>);

impl HeaderList {
    fn set_exact(&mut self, name: &str, value: String) {
        match self.0.iter_mut().find(|(existing, _)| existing == name) {
            Some((_, existing_value)) => *existing_value = value,
            None => self.0.push((name.to_owned(), value)),
        }
    }

    fn get_exact(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(existing, _)| existing == name)
            .map(|(_, value)| value.as_str())
    }

    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(existing, _)| existing.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Returns `true` for a non-empty RFC 9110 token (method and header-name syntax).
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(is_token_byte)
}

/// Whether `byte` may appear in an RFC 9110 token.
pub(crate) fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || is_token_symbol(byte)
}

/// The symbols RFC 9110 allows in a token: ``!#$%&'*+-.^_`|~``.
fn is_token_symbol(byte: u8) -> bool {
    matches!(
        byte,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
    )
}

/// Returns `true` for a path that can go on the wire as it is.
fn is_valid_path(path: &str) -> bool {
    !path.is_empty()
        && path
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && byte != b'?' && byte != b'#')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> SdkDate {
        SdkDate::parse("20240101T000000Z").expect("valid date")
    }

    fn credentials() -> Credentials {
        Credentials::new("AK_TEST_0001", "SK_TEST_0001")
    }

    #[test]
    fn rejects_empty_credentials() {
        let request = SigningRequest::new("GET", "h", "/", date());
        assert_eq!(
            sign(&Credentials::new("", "sk"), &request),
            Err(SignError::EmptyAccessKey)
        );
        assert_eq!(
            sign(&Credentials::new("ak", ""), &request),
            Err(SignError::EmptySecretKey)
        );
    }

    #[test]
    fn rejects_requests_that_cannot_be_sent() {
        let base = SigningRequest::new("GET", "h", "/v1", date());
        let cases = [
            (
                SigningRequest {
                    method: "GE T".into(),
                    ..base.clone()
                },
                "method",
            ),
            (
                SigningRequest {
                    path: String::new(),
                    ..base.clone()
                },
                "path",
            ),
            (
                SigningRequest {
                    path: "/v1?a=b".into(),
                    ..base.clone()
                },
                "path",
            ),
            (
                SigningRequest {
                    host: String::new(),
                    ..base.clone()
                },
                "host",
            ),
            (base.clone().header("Bad Name", "x"), "header name"),
            (base.clone().header("X-Bad", "a\r\nb"), "header value"),
            (base.clone().header("authorization", "x"), "Authorization"),
            (
                base.clone().header("x-sdk-date", "20240101T000001Z"),
                "X-Sdk-Date",
            ),
            (base.clone().payload_sha256_hex("ABC"), "payload hash"),
        ];
        for (request, what) in cases {
            let error = sign(&credentials(), &request).expect_err(what);
            assert!(
                error.to_string().starts_with("cannot sign:"),
                "{what}: {error}"
            );
        }
    }

    #[test]
    fn a_given_host_header_replaces_the_host_field() {
        let request = SigningRequest::new("GET", "", "/v1", date()).header("host", "example.test");
        let signed = sign(&credentials(), &request).expect("signable");
        assert_eq!(signed.header("Host"), Some("example.test"));
        assert_eq!(
            signed
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("host"))
                .count(),
            1
        );
    }

    #[test]
    fn an_equal_x_sdk_date_header_is_kept() {
        let request =
            SigningRequest::new("GET", "h", "/v1", date()).header("X-Sdk-Date", "20240101T000000Z");
        let signed = sign(&credentials(), &request).expect("signable");
        assert!(signed.signed_headers.contains("x-sdk-date"));
        assert_eq!(signed.headers[0].0, "X-Sdk-Date");
    }

    #[test]
    fn precomputed_hash_gives_the_same_signature_as_the_body() {
        let body = br#"{"a": 1}"#;
        let with_body = SigningRequest::new("POST", "h", "/v1", date())
            .header("Content-Type", "application/json")
            .body(body);
        let with_hash = with_body
            .clone()
            .payload_sha256_hex(canonical::sha256_hex(body));
        let empty_hash = with_body.clone().payload_sha256_hex(EMPTY_PAYLOAD_HASH);
        let empty_body = with_body.clone().body(b"");
        let signed_body = sign(&credentials(), &with_body).expect("signable");
        let signed_hash = sign(&credentials(), &with_hash).expect("signable");
        assert_eq!(signed_body, signed_hash);
        assert_eq!(
            sign(&credentials(), &empty_hash).expect("signable"),
            sign(&credentials(), &empty_body).expect("signable")
        );
    }

    #[test]
    fn debug_of_signed_hides_the_security_token() {
        let credentials = credentials().with_security_token("TOKEN_SECRET_VALUE");
        let signed = sign(
            &credentials,
            &SigningRequest::new("GET", "h", "/v1", date()),
        )
        .expect("signable");
        assert!(signed.canonical_request.contains("TOKEN_SECRET_VALUE"));
        let debug = format!("{signed:?}");
        assert!(!debug.contains("TOKEN_SECRET_VALUE"), "{debug}");
        assert!(debug.contains("x-security-token:<redacted>"), "{debug}");
    }

    #[test]
    fn headers_are_signed_in_lower_case_order_and_case_twins_share_the_last_value() {
        let request = SigningRequest::new("get", "h", "/v1", date())
            .header("X-b", " 1 ")
            .header("x-B", "2")
            .header("Z-last", "z")
            .header("a", "first")
            .header("x_unsigned", "u")
            .header("0-digit", "\u{a0}0\u{3000}");
        let signed = sign(&credentials(), &request).expect("signable");
        assert_eq!(
            signed.signed_headers,
            "0-digit;a;host;x-b;x-b;x-sdk-date;z-last"
        );
        let headers_part = signed
            .canonical_request
            .split('\n')
            .skip(3)
            .take(7)
            .collect::<Vec<_>>();
        assert_eq!(
            headers_part,
            [
                "0-digit:0",
                "a:first",
                "host:h",
                "x-b:2",
                "x-b:2",
                "x-sdk-date:20240101T000000Z",
                "z-last:z"
            ]
        );
        assert!(signed.canonical_request.starts_with("GET\n/v1/\n\n"));
        // What is sent keeps every header in the given order, trimmed.
        let sent = signed
            .headers
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>();
        assert_eq!(
            sent[..7],
            [
                "X-b=1",
                "x-B=2",
                "Z-last=z",
                "a=first",
                "x_unsigned=u",
                "0-digit=0",
                "X-Sdk-Date=20240101T000000Z"
            ]
        );
    }

    #[test]
    fn cmp_ascii_lowercase_orders_like_lowercased_copies() {
        let names = [
            "a", "A", "B", "a-b", "A_B", "Z", "z-", "0", "", "é", "É", "~",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    cmp_ascii_lowercase(a, b),
                    a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn is_token_accepts_header_names_only() {
        assert!(is_token("X_Custom_Token"));
        assert!(is_token("content-TYPE"));
        assert!(!is_token(""));
        assert!(!is_token("a b"));
        assert!(!is_token("a:b"));
        assert!(!is_token("é"));
    }
}
