//! Temporary credentials: the security token is sent as `X-Security-Token` and signed.
//!
//! The expected strings were produced by `huaweicloudsdkcore` 3.1.219 (the same SDK as the
//! vectors in `tests/data/`): `BasicCredentials("AK_TEST_0001", "SK_TEST_0001")
//! .with_security_token("TOKEN_TEST_0001").sign_request(request)` for a GET with query
//! `[("limit", 10), ("name", "a b")]`, headers `Content-Type: application/json`,
//! `X-Project-Id: 0123456789abcdef0123456789abcdef` and `X-Sdk-Date: 20240106T070809Z`, and no
//! body. `sign_request` sets `X-Security-Token` before calling the signer, so the token header
//! is in `SignedHeaders`.

use std::time::SystemTime;

use apig_signer::{
    sign, verify, Credentials, ReceivedRequest, SdkDate, SecretString, Signed, SigningRequest,
    VerifyError, VerifyOptions,
};

const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
const HOST: &str = "dli.cn-north-4.myhuaweicloud.com";
const PATH: &str = "/v1.0/0123456789abcdef0123456789abcdef/streaming/jobs";
const EXPECTED_CANONICAL_REQUEST: &str = "GET\n\
/v1.0/0123456789abcdef0123456789abcdef/streaming/jobs/\n\
limit=10&name=a%20b\n\
content-type:application/json\n\
host:dli.cn-north-4.myhuaweicloud.com\n\
x-project-id:0123456789abcdef0123456789abcdef\n\
x-sdk-date:20240106T070809Z\n\
x-security-token:TOKEN_TEST_0001\n\
\n\
content-type;host;x-project-id;x-sdk-date;x-security-token\n\
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const EXPECTED_STRING_TO_SIGN: &str = "SDK-HMAC-SHA256\n20240106T070809Z\n\
8bff9eefc1b413b996d680801c48d988f335b4eea19bc398cc6dfd8d6cf6fd8d";
const EXPECTED_AUTHORIZATION: &str = "SDK-HMAC-SHA256 Access=AK_TEST_0001, \
SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, \
Signature=459e3fadba164c6584785911868cfd4be7f02f93cdd47c668e6d008876661590";

fn date() -> SdkDate {
    SdkDate::parse("20240106T070809Z").expect("valid date")
}

fn temporary_credentials() -> Credentials {
    Credentials::new("AK_TEST_0001", "SK_TEST_0001").with_security_token("TOKEN_TEST_0001")
}

fn request() -> SigningRequest<'static> {
    SigningRequest::new("GET", HOST, PATH, date())
        .query("limit", "10")
        .query("name", "a b")
        .header("Content-Type", "application/json")
        .header("X-Project-Id", PROJECT_ID)
}

fn verify_signed(signed: &Signed, extra_header: Option<(&str, &str)>) -> Result<(), VerifyError> {
    let mut headers = signed
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect::<Vec<_>>();
    if let Some((name, value)) = extra_header {
        headers.push((name, value.as_bytes()));
    }
    let (path, query) = signed
        .request_uri
        .split_once('?')
        .unwrap_or((&signed.request_uri, ""));
    let received = ReceivedRequest {
        method: "GET",
        host: None,
        path,
        query,
        headers: &headers,
        body: b"",
    };
    let now: SystemTime = date().to_system_time();
    verify(&received, now, &VerifyOptions::default(), |_| {
        Some(SecretString::new("SK_TEST_0001"))
    })
    .map(|_| ())
}

#[test]
fn the_security_token_is_sent_and_signed_like_the_sdk_does() {
    let signed = sign(&temporary_credentials(), &request()).expect("signable");
    assert_eq!(signed.canonical_request, EXPECTED_CANONICAL_REQUEST);
    assert_eq!(signed.string_to_sign, EXPECTED_STRING_TO_SIGN);
    assert_eq!(signed.authorization, EXPECTED_AUTHORIZATION);
    assert_eq!(
        signed.request_uri,
        "/v1.0/0123456789abcdef0123456789abcdef/streaming/jobs?limit=10&name=a%20b"
    );
    let expected_headers = [
        ("Content-Type", "application/json"),
        ("X-Project-Id", PROJECT_ID),
        ("X-Sdk-Date", "20240106T070809Z"),
        ("X-Security-Token", "TOKEN_TEST_0001"),
        ("Host", HOST),
        ("Authorization", EXPECTED_AUTHORIZATION),
    ]
    .map(|(name, value)| (name.to_owned(), value.to_owned()));
    assert_eq!(signed.headers, expected_headers);
}

#[test]
fn verify_accepts_a_request_signed_with_a_security_token() {
    let signed = sign(&temporary_credentials(), &request()).expect("signable");
    assert_eq!(verify_signed(&signed, None), Ok(()));
}

#[test]
fn verify_rejects_a_security_token_that_is_not_signed() {
    let signed = sign(
        &Credentials::new("AK_TEST_0001", "SK_TEST_0001"),
        &request(),
    )
    .expect("signable");
    assert_eq!(verify_signed(&signed, None), Ok(()));
    assert_eq!(
        verify_signed(&signed, Some(("X-Security-Token", "TOKEN_ADDED_LATER"))),
        Err(VerifyError::RequiredHeaderNotSigned {
            name: "x-security-token"
        })
    );
}
