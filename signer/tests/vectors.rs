//! Checks `sign` and `verify` against the official SDK's 22 signing vectors in `tests/data/`.
//!
//! Every case gets two tests, `<case>::signs_byte_for_byte` and `<case>::verifies`. One more test
//! compares `tests/data/sdk-hmac-sha256.json` with the shared copy beside the repository
//! (`../shared/vectors/` from the workspace root); see `tests/data/README.md`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use apig_signer::{
    sign, verify, verify_borrowed, Credentials, ReceivedRequest, SdkDate, SecretString, SigningKey,
    SigningRequest, Verified, VerifyError, VerifyOptions, UNSIGNED_PAYLOAD,
};
use serde::Deserialize;

/// The in-repository copy of the vectors, embedded so the tests need no outside path.
const VECTORS_JSON: &str = include_str!("data/sdk-hmac-sha256.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[allow(dead_code, reason = "read by people, not by the tests")]
    description: String,
    method: String,
    host: String,
    path: String,
    query: Vec<(String, String)>,
    headers: serde_json::Map<String, serde_json::Value>,
    body: String,
    sdk_date: String,
    ak: String,
    sk: String,
    expected: Expected,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    signature: String,
    authorization: String,
    payload_hash: String,
    request_uri: String,
    sent_headers: serde_json::Map<String, serde_json::Value>,
}

fn cases() -> Vec<Case> {
    serde_json::from_str(VECTORS_JSON).expect("tests/data/sdk-hmac-sha256.json is valid JSON")
}

fn case(name: &str) -> Case {
    cases()
        .into_iter()
        .find(|case| case.name == name)
        .unwrap_or_else(|| panic!("no vector named {name:?} in tests/data/sdk-hmac-sha256.json"))
}

/// A JSON object of string values as an ordered list of pairs (the workspace enables
/// serde_json's `preserve_order`, so the file's order is kept).
fn string_pairs(map: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, String)> {
    map.iter()
        .map(|(name, value)| {
            let value = value
                .as_str()
                .unwrap_or_else(|| panic!("header {name:?} in the vectors is not a string"));
            (name.clone(), value.to_owned())
        })
        .collect()
}

fn sdk_date(case: &Case) -> SdkDate {
    SdkDate::parse(&case.sdk_date).expect("vector dates are well-formed")
}

fn signing_request(case: &Case) -> SigningRequest<'_> {
    SigningRequest {
        method: case.method.clone(),
        host: case.host.clone(),
        path: case.path.clone(),
        query: case.query.clone(),
        headers: string_pairs(&case.headers),
        payload: apig_signer::Payload::Bytes(case.body.as_bytes()),
        date: sdk_date(case),
    }
}

fn check_signing(name: &str) {
    let case = case(name);
    let credentials = Credentials::new(&case.ak, case.sk.as_str());
    let signed = sign(&credentials, &signing_request(&case))
        .unwrap_or_else(|error| panic!("{name}: signing failed: {error}"));
    let expected = &case.expected;
    assert_eq!(
        signed.canonical_request, expected.canonical_request,
        "{name}: canonical_request"
    );
    assert_eq!(
        signed.string_to_sign, expected.string_to_sign,
        "{name}: string_to_sign"
    );
    assert_eq!(
        signed.signed_headers, expected.signed_headers,
        "{name}: signed_headers"
    );
    assert_eq!(signed.signature, expected.signature, "{name}: signature");
    assert_eq!(
        signed.authorization, expected.authorization,
        "{name}: authorization"
    );
    assert_eq!(
        signed.payload_hash, expected.payload_hash,
        "{name}: payload_hash"
    );
    assert_eq!(
        signed.request_uri, expected.request_uri,
        "{name}: request_uri"
    );
    assert_eq!(
        signed.headers,
        string_pairs(&expected.sent_headers),
        "{name}: sent_headers (names, values and order)"
    );
}

/// The parts of a vector's sent request that `ReceivedRequest` borrows.
struct Sent {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Sent {
    fn of(case: &Case) -> Self {
        let uri = &case.expected.request_uri;
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        Sent {
            method: case.method.clone(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers: string_pairs(&case.expected.sent_headers),
            body: case.body.clone(),
        }
    }

    fn set_header(&mut self, name: &str, value: &str) {
        let entry = self
            .headers
            .iter_mut()
            .find(|(existing, _)| existing.eq_ignore_ascii_case(name))
            .unwrap_or_else(|| panic!("the sent request has no {name} header"));
        entry.1 = value.to_owned();
    }

    fn remove_header(&mut self, name: &str) {
        self.headers
            .retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
    }

    fn verify_with(
        &self,
        now: SystemTime,
        options: &VerifyOptions,
        access_key: &str,
        secret_key: &str,
    ) -> Result<Verified, VerifyError> {
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect::<Vec<_>>();
        let received = ReceivedRequest {
            method: &self.method,
            host: None,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: self.body.as_bytes(),
        };
        verify(&received, now, options, |candidate| {
            (candidate == access_key).then(|| SecretString::new(secret_key))
        })
    }
}

impl Sent {
    /// [`verify_borrowed`] of the request at `now`, made owned, with its `SignedHeaders`
    /// text checked against the names it splits into.
    fn verify_borrowed(&self, now: SystemTime, access_key: &str, secret_key: &str) -> Verified {
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect::<Vec<_>>();
        let received = ReceivedRequest {
            method: &self.method,
            host: None,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: self.body.as_bytes(),
        };
        let key = SigningKey::new(&SecretString::new(secret_key));
        let verified = verify_borrowed(&received, now, &VerifyOptions::default(), |candidate| {
            (candidate == access_key).then_some(key)
        })
        .unwrap_or_else(|error| panic!("verify_borrowed rejected the request: {error}"));
        assert_eq!(
            verified.signed_headers().collect::<Vec<_>>().join(";"),
            verified.signed_headers_text
        );
        verified.to_owned()
    }
}

/// Verifies a (possibly tampered) sent request of `case` at its own date with its own keys.
fn verify_sent(case: &Case, sent: &Sent) -> Result<Verified, VerifyError> {
    sent.verify_with(
        sdk_date(case).to_system_time(),
        &VerifyOptions::default(),
        &case.ak,
        &case.sk,
    )
}

fn check_verification(name: &str) {
    let case = case(name);
    let verified = verify_sent(&case, &Sent::of(&case))
        .unwrap_or_else(|error| panic!("{name}: verify rejected the SDK's request: {error}"));
    assert_eq!(verified.access_key, case.ak, "{name}");
    assert_eq!(verified.date, sdk_date(&case), "{name}");
    assert_eq!(
        verified.signed_headers.join(";"),
        case.expected.signed_headers,
        "{name}"
    );
    assert_eq!(
        verified.payload_signed,
        case.expected.payload_hash != UNSIGNED_PAYLOAD,
        "{name}: payload_signed"
    );
    let borrowed =
        Sent::of(&case).verify_borrowed(sdk_date(&case).to_system_time(), &case.ak, &case.sk);
    assert_eq!(borrowed, verified, "{name}: verify_borrowed");
}

macro_rules! vector_tests {
    ($($module:ident => $name:literal,)*) => {
        /// Every case name that has generated tests.
        const TESTED_CASES: &[&str] = &[$($name),*];
        $(
            mod $module {
                #[test]
                fn signs_byte_for_byte() {
                    super::check_signing($name);
                }

                #[test]
                fn verifies() {
                    super::check_verification($name);
                }
            }
        )*
    };
}

vector_tests! {
    op_run_ief_job_action_call_back => "op-run-ief-job-action-call-back",
    op_change_flink_job_status_report => "op-change-flink-job-status-report",
    op_create_flink_jar_job => "op-create-flink-jar-job",
    op_update_flink_jar_job => "op-update-flink-jar-job",
    op_create_callback_workflow => "op-create-callback-workflow",
    query_unicode_and_reserved => "query-unicode-and-reserved",
    query_repeated_keys => "query-repeated-keys",
    query_sorted_before_encoding => "query-sorted-before-encoding",
    query_empty_values => "query-empty-values",
    empty_body_post => "empty-body-post",
    get_no_content_type => "get-no-content-type",
    unicode_body_utf8 => "unicode-body-utf8",
    non_json_content_type => "non-json-content-type",
    explicit_unsigned_payload => "explicit-unsigned-payload",
    path_percent_encoded_segment => "path-percent-encoded-segment",
    path_pre_encoded_characters => "path-pre-encoded-characters",
    path_trailing_slash => "path-trailing-slash",
    headers_case_and_whitespace => "headers-case-and-whitespace",
    header_with_underscore_not_signed => "header-with-underscore-not-signed",
    header_unicode_value => "header-unicode-value",
    host_with_port => "host-with-port",
    other_credentials => "other-credentials",
}

#[test]
fn every_vector_in_the_file_has_tests_and_there_are_22() {
    let names = cases()
        .into_iter()
        .map(|case| case.name)
        .collect::<Vec<_>>();
    assert_eq!(names.len(), 22, "the vectors file should hold 22 cases");
    assert_eq!(
        names, TESTED_CASES,
        "vector_tests! must list every case, in file order"
    );
}

// ---- The in-repository copy against the shared file ----

fn shared_vectors_path() -> PathBuf {
    // The workspace root is the parent of this crate; the shared data sits beside the repository.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/sdk-hmac-sha256.json")
}

/// Passes without comparing when the shared file is absent, unless `REQUIRE_SHARED_VECTORS=1`
/// (then it fails). Run with `--nocapture` to see which happened.
#[test]
fn tests_data_copy_is_identical_to_shared_vectors_file() {
    let shared_path = shared_vectors_path();
    match std::fs::read(&shared_path) {
        Ok(shared) => {
            assert!(
                shared == VECTORS_JSON.as_bytes(),
                "signer/tests/data/sdk-hmac-sha256.json differs from the shared copy {}; \
                 copy the shared file over it and re-run the tests",
                shared_path.display()
            );
            println!(
                "compared signer/tests/data/sdk-hmac-sha256.json with the shared copy {}: identical",
                shared_path.display()
            );
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let required = std::env::var("REQUIRE_SHARED_VECTORS").is_ok_and(|value| value == "1");
            assert!(
                !required,
                "REQUIRE_SHARED_VECTORS=1 but the shared vectors file {} does not exist",
                shared_path.display()
            );
            println!(
                "shared vectors file {} not found: compared NOTHING with the in-repository copy \
                 (set REQUIRE_SHARED_VECTORS=1 to make this a failure)",
                shared_path.display()
            );
        }
        Err(error) => panic!(
            "cannot read the shared vectors file {}: {error}",
            shared_path.display()
        ),
    }
}

// ---- verify() rejects what it must ----

const JSON_CASE: &str = "op-run-ief-job-action-call-back";

#[test]
fn verify_rejects_a_tampered_body() {
    let case = case(JSON_CASE);
    let mut sent = Sent::of(&case);
    sent.body = sent.body.replace("FAILED", "SUCCESS");
    assert_eq!(
        verify_sent(&case, &sent),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn verify_rejects_a_tampered_signed_header() {
    let case = case(JSON_CASE);
    let mut sent = Sent::of(&case);
    sent.set_header("X-Project-Id", "fedcba9876543210fedcba9876543210");
    assert_eq!(
        verify_sent(&case, &sent),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn verify_ignores_an_unsigned_header() {
    let case = case("header-with-underscore-not-signed");
    let mut sent = Sent::of(&case);
    sent.set_header("X_Custom_Token", "changed");
    sent.headers.push(("Accept".to_owned(), "*/*".to_owned()));
    assert!(verify_sent(&case, &sent).is_ok());
}

/// A change made to a sent request.
type Tamper = fn(&mut Sent);

#[test]
fn verify_rejects_a_tampered_method_path_or_query() {
    let case = case("query-repeated-keys");
    let tampers: [(&str, Tamper); 4] = [
        ("method", |sent| sent.method = "DELETE".to_owned()),
        ("path", |sent| sent.path.push_str("/x")),
        ("query value", |sent| {
            sent.query = sent.query.replace("limit=10", "limit=11")
        }),
        ("query pair removed", |sent| {
            sent.query = sent.query.replace("&offset=0", "")
        }),
    ];
    for (what, tamper) in tampers {
        let mut sent = Sent::of(&case);
        tamper(&mut sent);
        assert_eq!(
            verify_sent(&case, &sent),
            Err(VerifyError::SignatureMismatch),
            "{what}"
        );
    }
}

#[test]
fn verify_accepts_the_query_in_another_order() {
    let case = case("query-repeated-keys");
    let mut sent = Sent::of(&case);
    let mut pairs = sent.query.split('&').collect::<Vec<_>>();
    pairs.reverse();
    sent.query = pairs.join("&");
    assert!(verify_sent(&case, &sent).is_ok());
}

#[test]
fn verify_rejects_a_wrong_secret_key_and_an_unknown_access_key() {
    let case = case(JSON_CASE);
    let sent = Sent::of(&case);
    let at = sdk_date(&case).to_system_time();
    let options = VerifyOptions::default();
    assert_eq!(
        sent.verify_with(at, &options, &case.ak, "SK_TEST_WRONG"),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        sent.verify_with(at, &options, "AK_SOMEONE_ELSE", &case.sk),
        Err(VerifyError::UnknownAccessKey {
            access_key: case.ak.clone()
        })
    );
}

#[test]
fn verify_enforces_the_date_window_both_ways() {
    let case = case(JSON_CASE);
    let sent = Sent::of(&case);
    let date = sdk_date(&case).to_system_time();
    let options = VerifyOptions::default();
    let fifteen_minutes = Duration::from_secs(15 * 60);
    let one_second = Duration::from_secs(1);
    for now in [date + fifteen_minutes, date - fifteen_minutes] {
        assert!(sent.verify_with(now, &options, &case.ak, &case.sk).is_ok());
    }
    let expired = sent.verify_with(
        date + fifteen_minutes + one_second,
        &options,
        &case.ak,
        &case.sk,
    );
    assert!(
        matches!(
            expired,
            Err(VerifyError::DateOutsideWindow {
                skew_seconds: 901,
                allowed_seconds: 900,
                ..
            })
        ),
        "{expired:?}"
    );
    let future = sent.verify_with(
        date - fifteen_minutes - one_second,
        &options,
        &case.ak,
        &case.sk,
    );
    assert!(
        matches!(future, Err(VerifyError::DateOutsideWindow { .. })),
        "{future:?}"
    );

    let strict = VerifyOptions {
        max_clock_skew: Duration::from_secs(60),
        ..VerifyOptions::default()
    };
    let late = sent.verify_with(date + Duration::from_secs(61), &strict, &case.ak, &case.sk);
    assert!(
        matches!(late, Err(VerifyError::DateOutsideWindow { .. })),
        "{late:?}"
    );
}

#[test]
fn verify_rejects_a_missing_or_malformed_date() {
    let case = case(JSON_CASE);
    let mut sent = Sent::of(&case);
    sent.set_header("X-Sdk-Date", "2024-01-01T00:00:00Z");
    assert_eq!(verify_sent(&case, &sent), Err(VerifyError::MalformedDate));
    sent.remove_header("X-Sdk-Date");
    assert_eq!(verify_sent(&case, &sent), Err(VerifyError::MissingDate));
}

#[test]
fn verify_rejects_malformed_authorization_headers() {
    let case = case(JSON_CASE);
    let authorization = case.expected.authorization.clone();
    let signature = case.expected.signature.clone();
    let malformed = [
        "".to_owned(),
        "SDK-HMAC-SHA256".to_owned(),
        "Bearer abc".to_owned(),
        authorization.replace("Access=", "Acess="),
        authorization.replace(", Signature=", ", Sig="),
        authorization.replace("SignedHeaders=", "SignedHeaders=;"),
        authorization.replace(&signature, &signature[..63]),
        authorization.replace(&signature, &signature.to_uppercase()),
        authorization.replace(", SignedHeaders", " SignedHeaders"),
        format!("{authorization}, Signature={signature}"),
    ];
    for value in &malformed {
        let mut sent = Sent::of(&case);
        sent.set_header("Authorization", value);
        let result = verify_sent(&case, &sent);
        assert!(
            matches!(
                result,
                Err(VerifyError::MalformedAuthorization { .. } | VerifyError::UnsupportedAlgorithm)
            ),
            "{value:?}: {result:?}"
        );
    }
    let mut sent = Sent::of(&case);
    sent.remove_header("Authorization");
    assert_eq!(
        verify_sent(&case, &sent),
        Err(VerifyError::MissingAuthorization)
    );
}

#[test]
fn verify_requires_host_and_date_to_be_signed() {
    let case = case("get-no-content-type");
    let mut sent = Sent::of(&case);
    let authorization = case
        .expected
        .authorization
        .replace("SignedHeaders=host;", "SignedHeaders=");
    sent.set_header("Authorization", &authorization);
    assert_eq!(
        verify_sent(&case, &sent),
        Err(VerifyError::RequiredHeaderNotSigned { name: "host" })
    );
}

#[test]
fn verify_reports_a_missing_or_repeated_signed_header() {
    let case = case(JSON_CASE);
    let mut sent = Sent::of(&case);
    sent.headers
        .push(("x-project-id".to_owned(), "other".to_owned()));
    assert_eq!(
        verify_sent(&case, &sent),
        Err(VerifyError::SignedHeaderRepeated {
            name: "x-project-id".to_owned()
        })
    );
    let mut sent = Sent::of(&case);
    sent.remove_header("X-Project-Id");
    assert_eq!(
        verify_sent(&case, &sent),
        Err(VerifyError::SignedHeaderMissing {
            name: "x-project-id".to_owned()
        })
    );
}

#[test]
fn verify_takes_the_host_from_the_authority_when_there_is_no_host_header() {
    let case = case("host-with-port");
    let mut sent = Sent::of(&case);
    sent.remove_header("Host");
    let headers = sent
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect::<Vec<_>>();
    let mut received = ReceivedRequest {
        method: &sent.method,
        host: Some("127.0.0.1:8080"),
        path: &sent.path,
        query: &sent.query,
        headers: &headers,
        body: sent.body.as_bytes(),
    };
    let lookup = |_: &str| Some(SecretString::new(case.sk.as_str()));
    let at = sdk_date(&case).to_system_time();
    assert!(verify(&received, at, &VerifyOptions::default(), lookup).is_ok());
    received.host = Some("127.0.0.1:8081");
    assert_eq!(
        verify(&received, at, &VerifyOptions::default(), lookup),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn verify_applies_the_unsigned_payload_policy() {
    let case = case("non-json-content-type");
    let sent = Sent::of(&case);
    let at = sdk_date(&case).to_system_time();
    let forbid = VerifyOptions {
        allow_unsigned_payload: false,
        ..VerifyOptions::default()
    };
    assert_eq!(
        sent.verify_with(at, &forbid, &case.ak, &case.sk),
        Err(VerifyError::UnsignedPayloadNotAllowed)
    );
    // The body is outside the signature, so the default policy accepts a changed body and says so.
    let mut changed = Sent::of(&case);
    changed.body = "something else".to_owned();
    let verified = verify_sent(&case, &changed).expect("UNSIGNED-PAYLOAD leaves the body unsigned");
    assert!(!verified.payload_signed);
}

#[test]
fn verify_checks_an_explicit_payload_hash_against_the_body() {
    let case = case("explicit-unsigned-payload");
    let mut sent = Sent::of(&case);
    // A hash that is not the body's must not let a changed body through.
    sent.set_header("X-Sdk-Content-Sha256", &"0".repeat(64));
    assert_eq!(
        verify_sent(&case, &sent),
        Err(VerifyError::PayloadHashMismatch)
    );
}

#[test]
fn verify_error_messages_never_contain_the_secret_key() {
    let case = case(JSON_CASE);
    let secret = case.sk.clone();
    let sent = Sent::of(&case);
    let at = sdk_date(&case).to_system_time();
    let mut errors = vec![
        sent.verify_with(at, &VerifyOptions::default(), &case.ak, "SK_TEST_WRONG"),
        sent.verify_with(
            at + Duration::from_secs(3600),
            &VerifyOptions::default(),
            &case.ak,
            &secret,
        ),
        sent.verify_with(at, &VerifyOptions::default(), "AK_OTHER", &secret),
    ];
    let mut tampered = Sent::of(&case);
    tampered.body.push(' ');
    errors.push(verify_sent(&case, &tampered));
    for result in errors {
        let error = result.expect_err("every request above is invalid");
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(&secret), "{text}");
            assert!(!text.contains("SK_TEST_WRONG"), "{text}");
        }
    }
}

#[test]
fn credentials_debug_does_not_show_the_secret_key() {
    let case = case(JSON_CASE);
    let credentials = Credentials::new(&case.ak, case.sk.as_str());
    let debug = format!("{credentials:?}");
    assert!(debug.contains(&case.ak), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(!debug.contains(&case.sk), "{debug}");
}
