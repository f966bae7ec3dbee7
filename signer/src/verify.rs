//! Verification: recomputes the signature of a received request and checks its date.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::canonical::{
    self, header, CanonicalRequest, ALGORITHM, EMPTY_PAYLOAD_HASH, UNSIGNED_PAYLOAD,
};
use crate::encode::{percent_decode, python_strip};
use crate::sha256::{digests_equal, Sha256};
use crate::{SdkDate, SecretString, SigningKey};

/// A request as the server received it.
#[derive(Clone, Copy, Debug)]
pub struct ReceivedRequest<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The host the request was sent to (the `Host` header, or the HTTP/2 `:authority`). It is
    /// used for the signed `host` header only when `headers` has no `Host` entry.
    pub host: Option<&'a str>,
    /// The path exactly as received, still percent-encoded.
    pub path: &'a str,
    /// The raw query string after `?`, still percent-encoded; empty when there is none.
    pub query: &'a str,
    /// Every received header, including `Authorization` and `X-Sdk-Date`. Values are raw bytes
    /// because a signed value may be UTF-8 text.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The body bytes.
    pub body: &'a [u8],
}

/// Policy knobs for [`verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// How far `X-Sdk-Date` may be from "now", in either direction. Default: 15 minutes.
    pub max_clock_skew: Duration,
    /// Whether to accept `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, which leaves the body out of
    /// the signature. The official SDK sends it for every Content-Type other than
    /// `application/json` and `application/bson`, so the default is `true`; the result says
    /// whether the body was covered.
    pub allow_unsigned_payload: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            max_clock_skew: Duration::from_secs(15 * 60),
            allow_unsigned_payload: true,
        }
    }
}

/// What a successful verification established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The access key that signed the request.
    pub access_key: String,
    /// The `X-Sdk-Date` of the request.
    pub date: SdkDate,
    /// The lower-case names of the signed headers, as listed in `Authorization`.
    pub signed_headers: Vec<String>,
    /// `true` when the signature covers the body (always the case for an empty body).
    pub payload_signed: bool,
}

/// What a successful verification established, borrowed from the request: what
/// [`verify_borrowed`] answers, without an allocation. [`VerifiedRef::to_owned`] makes
/// the [`Verified`] that [`verify`] and [`verify_keyed`] answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifiedRef<'a> {
    /// The access key that signed the request.
    pub access_key: &'a str,
    /// The `X-Sdk-Date` of the request.
    pub date: SdkDate,
    /// `SignedHeaders` as listed in `Authorization`: lower-case names joined with `;`
    /// ([`VerifiedRef::signed_headers`] splits them).
    pub signed_headers_text: &'a str,
    /// `true` when the signature covers the body (always the case for an empty body).
    pub payload_signed: bool,
}

impl<'a> VerifiedRef<'a> {
    /// The lower-case names of the signed headers, in the order listed.
    pub fn signed_headers(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.signed_headers_text.split(';')
    }

    /// The owned form.
    pub fn to_owned(&self) -> Verified {
        Verified {
            access_key: self.access_key.to_owned(),
            date: self.date,
            signed_headers: self.signed_headers().map(str::to_owned).collect(),
            payload_signed: self.payload_signed,
        }
    }
}

/// Why a request failed verification.
///
/// The variants tell failures apart for logs and metrics. None of them carries a secret key or
/// a security token, so `Display` is safe to log; the access key and header names are not
/// secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// There is no `Authorization` header.
    MissingAuthorization,
    /// There is more than one `Authorization` header.
    DuplicateAuthorization,
    /// The `Authorization` header names another algorithm.
    UnsupportedAlgorithm,
    /// The `Authorization` header does not have the
    /// `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` shape.
    MalformedAuthorization {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A header that must be signed (`host`, `x-sdk-date`, or `x-security-token` when sent) is
    /// missing from `SignedHeaders`.
    RequiredHeaderNotSigned {
        /// The lower-case header name.
        name: &'static str,
    },
    /// A header listed in `SignedHeaders` was not received.
    SignedHeaderMissing {
        /// The lower-case header name.
        name: String,
    },
    /// A header listed in `SignedHeaders` was received more than once.
    SignedHeaderRepeated {
        /// The lower-case header name.
        name: String,
    },
    /// A signed header's value is not UTF-8 text.
    InvalidHeaderValue {
        /// The lower-case header name.
        name: String,
    },
    /// There is no `X-Sdk-Date` header.
    MissingDate,
    /// `X-Sdk-Date` is not `YYYYMMDDTHHMMSSZ`.
    MalformedDate,
    /// `X-Sdk-Date` is too far from the server's clock (expired or in the future).
    DateOutsideWindow {
        /// The request's date.
        date: SdkDate,
        /// The server's time.
        now: SdkDate,
        /// The distance between them, in seconds.
        skew_seconds: u64,
        /// The allowed distance, in seconds.
        allowed_seconds: u64,
    },
    /// The server clock is outside the range `X-Sdk-Date` can express.
    ServerTimeOutOfRange,
    /// The query string does not decode to UTF-8 text.
    MalformedQuery,
    /// The secret-key lookup does not know the access key.
    UnknownAccessKey {
        /// The access key from the `Authorization` header.
        access_key: String,
    },
    /// `X-Sdk-Content-Sha256` is `UNSIGNED-PAYLOAD` and the options forbid it.
    UnsignedPayloadNotAllowed,
    /// `X-Sdk-Content-Sha256` holds a hash that does not match the body.
    PayloadHashMismatch,
    /// The recomputed signature differs from the one in `Authorization`.
    SignatureMismatch,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingAuthorization => f.write_str("the request has no Authorization header"),
            VerifyError::DuplicateAuthorization => f.write_str("the request has more than one Authorization header"),
            VerifyError::UnsupportedAlgorithm => f.write_str("the Authorization header does not use SDK-HMAC-SHA256"),
            VerifyError::MalformedAuthorization { reason } => write!(f, "malformed Authorization header: {reason}"),
            VerifyError::RequiredHeaderNotSigned { name } => write!(f, "the {name} header is not in SignedHeaders, but it must be signed"),
            VerifyError::SignedHeaderMissing { name } => write!(f, "signed header {name:?} is missing from the request"),
            VerifyError::SignedHeaderRepeated { name } => write!(f, "signed header {name:?} appears more than once in the request"),
            VerifyError::InvalidHeaderValue { name } => write!(f, "the value of signed header {name:?} is not valid UTF-8"),
            VerifyError::MissingDate => f.write_str("the request has no X-Sdk-Date header"),
            VerifyError::MalformedDate => f.write_str("the X-Sdk-Date header is not a valid YYYYMMDDTHHMMSSZ time"),
            VerifyError::DateOutsideWindow { date, skew_seconds, now, allowed_seconds } => write!(f, "X-Sdk-Date {date} is {skew_seconds} s away from the server time {now}, more than the allowed {allowed_seconds} s"),
            VerifyError::ServerTimeOutOfRange => f.write_str("the server time cannot be expressed as an X-Sdk-Date"),
            VerifyError::MalformedQuery => f.write_str("the query string does not decode to UTF-8 text"),
            VerifyError::UnknownAccessKey { access_key } => write!(f, "unknown access key {access_key:?}"),
            VerifyError::UnsignedPayloadNotAllowed => f.write_str("X-Sdk-Content-Sha256 is UNSIGNED-PAYLOAD, which this server does not accept"),
            VerifyError::PayloadHashMismatch => f.write_str("X-Sdk-Content-Sha256 does not match the SHA-256 of the body"),
            VerifyError::SignatureMismatch => f.write_str("the signature does not match the request"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Verifies a request signed with SDK-HMAC-SHA256.
///
/// The canonical request is rebuilt from what was received exactly as the signer builds it: the
/// path is decoded and re-encoded per segment, the query string is split on `&` and `=`,
/// percent-decoded (a `+` stays a plus, as the signer never writes `+`), sorted and re-encoded,
/// and the headers listed in `SignedHeaders` are looked up case-insensitively and trimmed. The
/// signature is compared in constant time. `SignedHeaders` must include `host` and
/// `x-sdk-date` (the official SDK always signs both) and `x-security-token` when that header is
/// present, and `X-Sdk-Date` must lie within `options.max_clock_skew` of `now`.
///
/// `secret_key_for` maps an access key to its secret key, or `None` when the key is unknown.
/// A server that checks many requests of one key should keep a [`SigningKey`] per access key
/// and call [`verify_keyed`], which saves keying the HMAC for every request.
pub fn verify<F>(
    request: &ReceivedRequest<'_>,
    now: SystemTime,
    options: &VerifyOptions,
    secret_key_for: F,
) -> Result<Verified, VerifyError>
where
    F: FnOnce(&str) -> Option<SecretString>,
{
    verify_keyed(request, now, options, |access_key| {
        secret_key_for(access_key).map(|secret_key| SigningKey::new(&secret_key))
    })
}

/// [`verify`] with a lookup that answers the [`SigningKey`] of an access key (made once, for
/// example when a key store is loaded) instead of its secret key.
pub fn verify_keyed<F>(
    request: &ReceivedRequest<'_>,
    now: SystemTime,
    options: &VerifyOptions,
    signing_key_for: F,
) -> Result<Verified, VerifyError>
where
    F: FnOnce(&str) -> Option<SigningKey>,
{
    verify_borrowed(request, now, options, signing_key_for).map(|verified| verified.to_owned())
}

/// [`verify_keyed`] answering a [`VerifiedRef`] that borrows from `request`: the same
/// checks, without allocating the result (for a server's hot path).
pub fn verify_borrowed<'a, F>(
    request: &ReceivedRequest<'a>,
    now: SystemTime,
    options: &VerifyOptions,
    signing_key_for: F,
) -> Result<VerifiedRef<'a>, VerifyError>
where
    F: FnOnce(&str) -> Option<SigningKey>,
{
    let authorization = match single_header(request, header::AUTHORIZATION) {
        Lookup::Missing => return Err(VerifyError::MissingAuthorization),
        Lookup::Repeated => return Err(VerifyError::DuplicateAuthorization),
        Lookup::Found(value) => {
            std::str::from_utf8(value).map_err(|_| VerifyError::MalformedAuthorization {
                reason: "it is not UTF-8 text",
            })?
        }
    };
    let parsed = parse_authorization(authorization)?;
    for required in ["host", "x-sdk-date"] {
        if !parsed.signed_headers().contains(&required) {
            return Err(VerifyError::RequiredHeaderNotSigned { name: required });
        }
    }
    if !matches!(
        single_header(request, header::X_SECURITY_TOKEN),
        Lookup::Missing
    ) && !parsed.signed_headers().contains(&"x-security-token")
    {
        return Err(VerifyError::RequiredHeaderNotSigned {
            name: "x-security-token",
        });
    }

    // The parser takes exactly `YYYYMMDDTHHMMSSZ`, so the text that parsed is the date's
    // own spelling, which the string to sign holds.
    let (date, date_text) = match single_header(request, header::X_SDK_DATE) {
        Lookup::Missing => return Err(VerifyError::MissingDate),
        Lookup::Repeated => {
            return Err(VerifyError::SignedHeaderRepeated {
                name: "x-sdk-date".to_owned(),
            })
        }
        Lookup::Found(value) => std::str::from_utf8(value)
            .ok()
            .map(python_strip)
            .and_then(|text| Some((SdkDate::parse(text).ok()?, text)))
            .ok_or(VerifyError::MalformedDate)?,
    };
    let now = SdkDate::from_system_time(now).map_err(|_| VerifyError::ServerTimeOutOfRange)?;
    let skew = date.abs_diff(now);
    if skew > options.max_clock_skew {
        return Err(VerifyError::DateOutsideWindow {
            date,
            now,
            skew_seconds: skew.as_secs(),
            allowed_seconds: options.max_clock_skew.as_secs(),
        });
    }

    // Every signed header is looked up before the payload and the query are checked, so that
    // a request with several faults reports the same one whatever the order of the checks below.
    let mut header_values = List::new("");
    for &name in parsed.signed_headers() {
        let raw = match single_header(request, name) {
            Lookup::Found(value) => value,
            Lookup::Repeated => {
                return Err(VerifyError::SignedHeaderRepeated {
                    name: name.to_owned(),
                })
            }
            Lookup::Missing => match (name, request.host) {
                ("host", Some(host)) => host.as_bytes(),
                _ => {
                    return Err(VerifyError::SignedHeaderMissing {
                        name: name.to_owned(),
                    })
                }
            },
        };
        let value = std::str::from_utf8(raw).map_err(|_| VerifyError::InvalidHeaderValue {
            name: name.to_owned(),
        })?;
        header_values.push(python_strip(value));
    }

    let mut hex_buffer = [0; 64];
    let (payload_hash, payload_signed) = payload_hash(request, options, &mut hex_buffer)?;
    let canonical_query = if request.query.is_empty() {
        String::new()
    } else {
        canonical::canonical_query(&parse_query(request.query)?)
    };
    // The canonical request goes straight into its hash, without a buffer of its own. The
    // names were checked to be lower-case, and as they were checked one by one, the list as
    // received is their `;`-join.
    let mut canonical_request = CanonicalRequest::new(
        Sha256::new(),
        request.method,
        request.path,
        &canonical_query,
    );
    for (name, value) in parsed.signed_headers().iter().zip(header_values.as_slice()) {
        canonical_request.lower_case_header(name, value);
    }
    let canonical_hash = canonical_request
        .finish(parsed.signed_headers_text, payload_hash)
        .finish();

    let signing_key =
        signing_key_for(parsed.access_key).ok_or_else(|| VerifyError::UnknownAccessKey {
            access_key: parsed.access_key.to_owned(),
        })?;
    // The string to sign goes straight into the MAC, without a buffer of its own either.
    let canonical_hex = hex_digest(&canonical_hash, &mut hex_buffer);
    let mut mac = signing_key.hmac().start();
    for piece in [ALGORITHM, "\n", date_text, "\n", canonical_hex] {
        mac.update(piece.as_bytes());
    }
    let expected = mac.finish();
    // The received signature is 64 lower-case hex digits (checked while parsing), so it
    // equals the hex of the expected MAC exactly when its bytes equal the MAC's.
    let received = canonical::hex_bytes(parsed.signature);
    if !digests_equal(&expected, &received) {
        return Err(VerifyError::SignatureMismatch);
    }

    Ok(VerifiedRef {
        access_key: parsed.access_key,
        date,
        signed_headers_text: parsed.signed_headers_text,
        payload_signed,
    })
}

/// How many signed headers [`verify_borrowed`] lists without an allocation.
const LISTED: usize = 16;

/// A short list kept on the stack, spilling into a `Vec` past [`LISTED`] items.
struct List<T> {
    inline: [T; LISTED],
    len: usize,
    spilled: Vec<T>,
}

impl<T: Copy> List<T> {
    fn new(empty: T) -> Self {
        List {
            inline: [empty; LISTED],
            len: 0,
            spilled: Vec::new(),
        }
    }

    fn push(&mut self, item: T) {
        if self.len < LISTED {
            self.inline[self.len] = item;
        } else {
            if self.len == LISTED {
                self.spilled.extend_from_slice(&self.inline);
            }
            self.spilled.push(item);
        }
        self.len += 1;
    }

    fn as_slice(&self) -> &[T] {
        if self.len <= LISTED {
            &self.inline[..self.len]
        } else {
            &self.spilled
        }
    }
}

/// The three parts of an `Authorization` header.
struct ParsedAuthorization<'a> {
    access_key: &'a str,
    /// The lower-case names of `SignedHeaders`, in the order listed.
    signed_headers: List<&'a str>,
    /// `SignedHeaders` as received: the names joined with `;`.
    signed_headers_text: &'a str,
    signature: &'a str,
}

impl<'a> ParsedAuthorization<'a> {
    /// The signed header names, in the order listed.
    fn signed_headers(&self) -> &[&'a str] {
        self.signed_headers.as_slice()
    }
}

/// Parses `SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<a;b;c>, Signature=<64 hex>`.
fn parse_authorization(value: &str) -> Result<ParsedAuthorization<'_>, VerifyError> {
    // The spelling the official SDK writes takes one pass; any other (spacing, order,
    // faults) goes through the general parser, which answers the same for the SDK's.
    match parse_sdk_authorization(value) {
        Some(parsed) => Ok(parsed),
        None => parse_any_authorization(value),
    }
}

/// [`parse_any_authorization`] of exactly the spelling the official SDK writes,
/// `SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<names>, Signature=<hex>`, read in one
/// pass; `None` for any other spelling and for every fault.
///
/// Where it answers, the general parser answers the same: the text has no white space at
/// either end to strip, splits on `,` into exactly these three parameters (neither the
/// names nor the hex can hold a `,`), and trimming them changes nothing else, as each
/// ends in printable ASCII other than a space (the access key is checked for it).
fn parse_sdk_authorization(value: &str) -> Option<ParsedAuthorization<'_>> {
    /// The text before the first `,`, and the text after it.
    fn split_at_comma(text: &str) -> Option<(&str, &str)> {
        let at = text.bytes().position(|byte| byte == b',')?;
        // A `,` is ASCII, so both sides of it are character boundaries.
        Some((&text[..at], &text[at + 1..]))
    }
    let rest = value.strip_prefix("SDK-HMAC-SHA256 Access=")?;
    let (access_key, rest) = split_at_comma(rest)?;
    let (signed_headers_text, rest) = split_at_comma(rest.strip_prefix(" SignedHeaders=")?)?;
    let signature = rest.strip_prefix(" Signature=")?;
    let last = *access_key.as_bytes().last()?;
    if !(b'!'..=b'~').contains(&last) || !canonical::is_sha256_hex(signature) {
        return None;
    }
    Some(ParsedAuthorization {
        access_key,
        signed_headers: header_list(signed_headers_text)?,
        signed_headers_text,
        signature,
    })
}

/// Parses an `Authorization` header of any spelling the signer's format allows: white
/// space around it and around each parameter, the parameters in any order.
fn parse_any_authorization(value: &str) -> Result<ParsedAuthorization<'_>, VerifyError> {
    let malformed = |reason| VerifyError::MalformedAuthorization { reason };
    let value = python_strip(value);
    let (algorithm, parameters) = value.split_once(' ').ok_or(malformed(
        "expected the algorithm, a space, then parameters",
    ))?;
    if algorithm != ALGORITHM {
        return Err(VerifyError::UnsupportedAlgorithm);
    }
    let mut access_key = None;
    let mut signed_headers = None;
    let mut signature = None;
    for parameter in parameters.split(',') {
        let (key, value) = trim(parameter)
            .split_once('=')
            .ok_or(malformed("a parameter is not key=value"))?;
        let slot = match key {
            "Access" => &mut access_key,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => {
                return Err(malformed(
                    "unknown parameter; expected Access, SignedHeaders and Signature",
                ))
            }
        };
        if slot.replace(value).is_some() {
            return Err(malformed("a parameter appears twice"));
        }
    }
    let access_key = access_key.ok_or(malformed("Access is missing"))?;
    let signed_headers_text = signed_headers.ok_or(malformed("SignedHeaders is missing"))?;
    let signature = signature.ok_or(malformed("Signature is missing"))?;
    if access_key.is_empty() {
        return Err(malformed("Access is empty"));
    }
    let signed_headers = header_list(signed_headers_text).ok_or(malformed(
        "SignedHeaders must list lower-case header names separated by ';'",
    ))?;
    if !canonical::is_sha256_hex(signature) {
        return Err(malformed("Signature is not 64 lower-case hex digits"));
    }
    Ok(ParsedAuthorization {
        access_key,
        signed_headers,
        signed_headers_text,
        signature,
    })
}

/// The names of `text` when it is header names (tokens) without upper-case letters, joined
/// with `;`; read in one pass.
fn header_list(text: &str) -> Option<List<&str>> {
    let mut names = List::new("");
    let mut start = 0;
    for (index, &byte) in text.as_bytes().iter().enumerate() {
        if byte == b';' {
            if index == start {
                return None;
            }
            // Every byte so far is ASCII, so both ends are character boundaries.
            names.push(&text[start..index]);
            start = index + 1;
        } else if !crate::sign::is_token_byte(byte) || byte.is_ascii_uppercase() {
            return None;
        }
    }
    if start == text.len() {
        return None;
    }
    names.push(&text[start..]);
    Some(names)
}

/// The lower-case hex of `digest`, written into `buffer`.
fn hex_digest<'a>(digest: &[u8; 32], buffer: &'a mut [u8; 64]) -> &'a str {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (pair, &byte) in buffer.chunks_exact_mut(2).zip(digest) {
        pair[0] = HEX[usize::from(byte >> 4)];
        pair[1] = HEX[usize::from(byte & 0x0f)];
    }
    std::str::from_utf8(buffer).expect("hex digits are ASCII")
}

/// `str::trim`, quicker in the usual case: once `trim_ascii` has run, ends that are printable
/// ASCII are not white space of any kind.
fn trim(text: &str) -> &str {
    let trimmed = text.trim_ascii();
    let printable = |byte: Option<&u8>| byte.is_some_and(|b| (b'!'..=b'~').contains(b));
    if printable(trimmed.as_bytes().first()) && printable(trimmed.as_bytes().last()) {
        trimmed
    } else {
        trimmed.trim()
    }
}

/// Splits a raw query string into decoded pairs: `a=1&b` gives `("a", "1")` and `("b", "")`;
/// empty pieces (`a=1&&b=2`, a trailing `&`) are skipped.
fn parse_query(raw: &str) -> Result<Vec<(String, String)>, VerifyError> {
    let decode = |text: &str| {
        String::from_utf8(percent_decode(text)).map_err(|_| VerifyError::MalformedQuery)
    };
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

/// The payload hash the signer used, and whether it covers the body. A computed hash is
/// written into `buffer`.
fn payload_hash<'a>(
    request: &ReceivedRequest<'a>,
    options: &VerifyOptions,
    buffer: &'a mut [u8; 64],
) -> Result<(&'a str, bool), VerifyError> {
    if request.body.is_empty() {
        return Ok((EMPTY_PAYLOAD_HASH, true));
    }
    // The signer reads the first header of this name, whatever its case.
    let explicit = request
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(header::X_SDK_CONTENT_SHA256))
        .map(|(_, value)| {
            std::str::from_utf8(value).map(python_strip).map_err(|_| {
                VerifyError::InvalidHeaderValue {
                    name: "x-sdk-content-sha256".to_owned(),
                }
            })
        })
        .transpose()?;
    match explicit {
        Some(value) if !value.is_empty() => {
            if value == UNSIGNED_PAYLOAD {
                if options.allow_unsigned_payload {
                    Ok((value, false))
                } else {
                    Err(VerifyError::UnsignedPayloadNotAllowed)
                }
            } else if value.len() == 64
                && value.bytes().all(|b| b.is_ascii_hexdigit())
                && canonical::hex_bytes(value) == canonical::sha256(request.body)
            {
                Ok((value, true))
            } else {
                Err(VerifyError::PayloadHashMismatch)
            }
        }
        _ => Ok((hex_digest(&canonical::sha256(request.body), buffer), true)),
    }
}

/// The outcome of looking up a header that must appear at most once.
enum Lookup<'a> {
    Missing,
    Found(&'a [u8]),
    Repeated,
}

/// Finds a header by case-insensitive name and reports whether it appears once, never, or more.
fn single_header<'a>(request: &ReceivedRequest<'a>, name: &str) -> Lookup<'a> {
    let mut matches = request
        .headers
        .iter()
        .filter(|(candidate, _)| candidate.eq_ignore_ascii_case(name));
    match (matches.next(), matches.next()) {
        (None, _) => Lookup::Missing,
        (Some((_, value)), None) => Lookup::Found(value),
        (Some(_), Some(_)) => Lookup::Repeated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_with_many_signed_headers_verifies_and_each_value_counts() {
        use crate::{sign, Credentials, SigningRequest};

        let date = SdkDate::parse("20240101T000000Z").expect("a valid date");
        let names: Vec<String> = (0..20).map(|i| format!("X-Extra-{i:02}")).collect();
        let mut request = SigningRequest::new("POST", "example.test", "/v1/a", date)
            .header("Content-Type", "application/json")
            .body(b"{}");
        for (i, name) in names.iter().enumerate() {
            request = request.header(name, format!("value {i}"));
        }
        let signed = sign(&Credentials::new("AK", "SK"), &request).expect("signs");
        let headers: Vec<(&str, &[u8])> = signed
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect();
        let received = ReceivedRequest {
            method: "POST",
            host: None,
            path: "/v1/a",
            query: "",
            headers: &headers,
            body: b"{}",
        };
        let key = SigningKey::new(&SecretString::from("SK"));
        let verified = verify_borrowed(
            &received,
            date.to_system_time(),
            &VerifyOptions::default(),
            |_| Some(key.clone()),
        )
        .expect("verifies");
        assert_eq!(verified.signed_headers().count(), 23);
        // One signed value changed: refused.
        let mut tampered = headers.clone();
        let last = tampered
            .iter()
            .position(|(name, _)| name.eq_ignore_ascii_case("x-extra-19"))
            .expect("the last extra header");
        tampered[last].1 = b"another value";
        let received = ReceivedRequest {
            headers: &tampered,
            ..received
        };
        assert_eq!(
            verify_borrowed(
                &received,
                date.to_system_time(),
                &VerifyOptions::default(),
                |_| Some(key.clone())
            ),
            Err(VerifyError::SignatureMismatch)
        );
    }

    #[test]
    fn trim_is_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a=b ",
            "\ta=b\r\n",
            "\u{b}a\u{b}",
            "\u{a0}a\u{2003}",
            " \u{85}a=é ",
            "é",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn parse_query_decodes_pairs() {
        let pairs = parse_query("b=2&a=%E6%B5%8B%20x&&flag&c=a+b&d=1=2&").expect("valid query");
        assert_eq!(
            pairs,
            vec![
                ("b".to_owned(), "2".to_owned()),
                ("a".to_owned(), "测 x".to_owned()),
                ("flag".to_owned(), String::new()),
                ("c".to_owned(), "a+b".to_owned()),
                ("d".to_owned(), "1=2".to_owned()),
            ]
        );
        assert_eq!(parse_query("").expect("empty query"), vec![]);
        assert_eq!(parse_query("a=%FF"), Err(VerifyError::MalformedQuery));
    }

    #[test]
    fn parse_authorization_accepts_the_sdk_format() {
        let signature = "0".repeat(64);
        let header = format!(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature={signature}"
        );
        let parsed = parse_authorization(&header).expect("well-formed");
        assert_eq!(parsed.access_key, "AK");
        assert_eq!(parsed.signed_headers(), vec!["host", "x-sdk-date"]);
        assert_eq!(parsed.signature, signature);
    }

    /// The one-pass reading of the SDK's spelling and the general parser agree wherever
    /// the former answers; it declines what it cannot read the same way, and the
    /// parser's answer is the general parser's for every input.
    #[test]
    fn the_sdk_spelling_reads_as_the_general_parser_reads_it() {
        type Summary<'a> = Result<(&'a str, Vec<&'a str>, &'a str, &'a str), VerifyError>;
        fn summary(parsed: Result<ParsedAuthorization<'_>, VerifyError>) -> Summary<'_> {
            parsed.map(|p| {
                let names = p.signed_headers().to_vec();
                (p.access_key, names, p.signed_headers_text, p.signature)
            })
        }
        let signature = "0123456789abcdef".repeat(4);
        let sdk = |access_key: &str, names: &str| {
            format!(
                "SDK-HMAC-SHA256 Access={access_key}, SignedHeaders={names}, Signature={signature}"
            )
        };
        let read = [
            sdk("AK", "host;x-sdk-date"),
            sdk("AK=with=equals", "content-type;host;x-sdk-date"),
            sdk("A K", "host"),
        ];
        for header in &read {
            let fast = parse_sdk_authorization(header).expect("the SDK's spelling");
            assert_eq!(summary(Ok(fast)), summary(parse_any_authorization(header)));
        }
        let declined = [
            sdk("AK ", "host"),
            sdk("AK\t", "host"),
            sdk("测试", "host"),
            sdk("", "host"),
            sdk("AK", "host "),
            sdk("AK", "Host"),
            sdk("AK", "host;"),
            format!(" SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature={signature}"),
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature={signature} "),
            format!("SDK-HMAC-SHA256 Access=AK,SignedHeaders=host, Signature={signature}"),
            format!("SDK-HMAC-SHA256 SignedHeaders=host, Access=AK, Signature={signature}"),
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature={signature}, X=1"),
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature={signature}0"),
            sdk("AK", "host").to_uppercase(),
        ];
        for header in &declined {
            assert!(parse_sdk_authorization(header).is_none(), "{header:?}");
        }
        let mut accepted = 0;
        for header in read.iter().chain(&declined) {
            let general = summary(parse_any_authorization(header));
            accepted += usize::from(general.is_ok());
            assert_eq!(summary(parse_authorization(header)), general, "{header:?}");
        }
        // Every header one edit away from the SDK's spelling (a character of an alphabet
        // that matters to either parser inserted, replaced or removed anywhere) reads the
        // same both ways.
        let base = sdk("AK", "host;x-sdk-date");
        let alphabet = [' ', '\t', ',', '=', ';', 'A', 'a', '0', 'G', '\u{85}', 'é'];
        let mut edits = vec![];
        for (at, _) in base.char_indices().chain([(base.len(), ' ')]) {
            let (head, tail) = base.split_at(at);
            let rest = tail.chars().skip(1).collect::<String>();
            edits.push(format!("{head}{rest}"));
            for c in alphabet {
                edits.push(format!("{head}{c}{tail}"));
                edits.push(format!("{head}{c}{rest}"));
            }
        }
        for header in &edits {
            assert_eq!(
                summary(parse_authorization(header)),
                summary(parse_any_authorization(header)),
                "{header:?}"
            );
        }

        // The three read, and the eight declined that the general parser still accepts:
        // white space at the ends of the key, the names or the whole, a non-ASCII key, a
        // `,` without a space, another order.
        assert_eq!(accepted, 3 + 8);
    }

    #[test]
    fn parse_authorization_rejects_other_shapes() {
        let signature = "0".repeat(64);
        let cases = [
            String::new(),
            "SDK-HMAC-SHA256".to_owned(),
            format!(
                "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature={signature}, Extra=1"
            ),
            format!(
                "SDK-HMAC-SHA256 Access=AK, Access=AK, SignedHeaders=host, Signature={signature}"
            ),
            format!("SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature={signature}"),
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature={signature}"),
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host, Signature={signature}"),
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x, Signature={signature}"),
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;, Signature={signature}"),
            format!("SDK-HMAC-SHA256 Access=AK, SignedHeaders=ho st, Signature={signature}"),
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abc".to_owned(),
            format!("SDK-HMAC-SHA256 Access=AK, Signature={signature}"),
            "SDK-HMAC-SHA256 Access=AK SignedHeaders=host".to_owned(),
        ];
        for case in &cases {
            assert!(
                matches!(
                    parse_authorization(case),
                    Err(VerifyError::MalformedAuthorization { .. })
                ),
                "{case:?}"
            );
        }
        assert!(matches!(
            parse_authorization(&format!(
                "SDK-HMAC-SM3 Access=AK, SignedHeaders=host, Signature={signature}"
            )),
            Err(VerifyError::UnsupportedAlgorithm)
        ));
    }
}
