//! Authentication on the wire: every operation's AK/SK signature verifies with the
//! signer's verifier, `X-Project-Id` is sent and signed, temporary credentials send a
//! signed `X-Security-Token`, and token authentication sends `X-Auth-Token` only.
//!
//! The signer itself is checked byte for byte against the official SDK's vectors in
//! `signer/tests/vectors.rs`.

mod common;

use common::{builder, calls, client, Recorded, Reply, TestServer, OK_BODY, PROJECT_ID};
use huaweicloud_api_client::runtime::{BuildError, Config, Credentials};
use huaweicloud_api_client::SECURITY;

fn signed_header_names(request: &Recorded) -> Vec<String> {
    request
        .verify()
        .unwrap_or_else(|err| panic!("{} {}: {err}", request.method, request.path))
        .signed_headers
}

#[tokio::test]
async fn every_operation_is_signed_and_verifies() {
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let client = client(&server.url);
    assert_eq!(calls::ief_callback(&client).await, Ok(200));
    assert_eq!(calls::status_report(&client).await, Ok(200));
    assert_eq!(calls::create_job(&client).await, Ok(200));
    assert_eq!(calls::update_job(&client).await, Ok(200));
    assert_eq!(calls::workflow_callback(&client).await, Ok(200));

    let requests = server.requests();
    let seen: Vec<(String, String)> = requests
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    let expected = [
        ("POST", format!("/v1/{PROJECT_ID}/edgesrv/messages")),
        ("POST", format!("/v1/{PROJECT_ID}/edgesrv/job-report")),
        ("POST", format!("/v1.0/{PROJECT_ID}/streaming/flink-jobs")),
        ("PUT", format!("/v1.0/{PROJECT_ID}/streaming/flink-jobs/42")),
        // A `/` in a path parameter is encoded, so it cannot change the path.
        (
            "POST",
            format!("/v2/{PROJECT_ID}/fgs/workflows/wf%2F1/callback"),
        ),
    ];
    assert_eq!(
        seen,
        expected
            .iter()
            .map(|(m, p)| (m.to_string(), p.clone()))
            .collect::<Vec<_>>()
    );
    for request in &requests {
        let verified = request
            .verify()
            .unwrap_or_else(|err| panic!("{} {}: {err}", request.method, request.path));
        assert_eq!(verified.access_key, common::AK);
        assert!(
            verified.payload_signed,
            "the JSON body is covered by the signature"
        );
        assert_eq!(request.header("x-project-id"), Some(PROJECT_ID));
        for name in ["host", "x-sdk-date", "x-project-id", "content-type"] {
            assert!(
                verified.signed_headers.iter().any(|h| h == name),
                "{name} is signed in {}: {:?}",
                request.path,
                verified.signed_headers
            );
        }
        assert!(request.header("x-security-token").is_none());
        assert!(request.header("x-auth-token").is_none());
    }
    let workflow = &requests[4];
    assert_eq!(workflow.header("x-workflow-run-id"), Some("run-1"));
    assert_eq!(workflow.header("x-workflow-state-id"), Some("state-1"));
    let signed = signed_header_names(workflow);
    assert!(signed.iter().any(|h| h == "x-workflow-run-id"));
    let create: serde_json::Value =
        serde_json::from_slice(&requests[2].body).expect("the client sends JSON");
    assert_eq!(create, serde_json::json!({"name": "job ü"}));
}

#[tokio::test]
async fn a_tampered_request_does_not_verify() {
    // The verification above can fail: change a signed header and it does.
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let client = client(&server.url);
    assert_eq!(calls::create_job(&client).await, Ok(200));
    let mut request = server.requests().remove(0);
    request.headers.insert(
        "x-project-id",
        "ffffffffffffffffffffffffffffffff"
            .parse()
            .expect("a valid value"),
    );
    assert_eq!(
        request.verify().map(|_| ()),
        Err(apig_signer::VerifyError::SignatureMismatch)
    );
}

#[tokio::test]
async fn temporary_credentials_send_a_signed_security_token() {
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let client = builder(&server.url)
        .config(|c| c.temporary_credentials(common::AK, common::SK, common::SECURITY_TOKEN))
        .build()
        .expect("a valid client");
    assert_eq!(calls::update_job(&client).await, Ok(200));
    let request = server.requests().remove(0);
    assert_eq!(
        request.header("x-security-token"),
        Some(common::SECURITY_TOKEN)
    );
    assert!(signed_header_names(&request)
        .iter()
        .any(|h| h == "x-security-token"));
}

#[tokio::test]
async fn token_authentication_sends_the_token_and_does_not_sign() {
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let client = builder(&server.url)
        .config(|c| c.token(common::IAM_TOKEN))
        .build()
        .expect("a valid client");
    assert_eq!(calls::workflow_callback(&client).await, Ok(200));
    let request = server.requests().remove(0);
    assert_eq!(request.header("x-auth-token"), Some(common::IAM_TOKEN));
    assert_eq!(request.header("x-project-id"), Some(PROJECT_ID));
    assert!(request.header("authorization").is_none());
    assert!(request.header("x-sdk-date").is_none());
}

#[tokio::test]
async fn every_retry_is_signed_again_with_a_fresh_date() {
    // The first answer asks for a one-second pause, so the second attempt is signed in a
    // later second: its X-Sdk-Date and signature must differ, and both must verify.
    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::json(503, r#"{"error_code":"APIGW.0503","error_msg":"busy"}"#)
                .header("retry-after", "1")
        } else {
            Reply::json(200, OK_BODY)
        }
    })
    .await;
    let client = client(&server.url);
    assert_eq!(calls::update_job(&client).await, Ok(200));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        request.verify().expect("every attempt verifies");
    }
    assert_ne!(
        requests[0].header("x-sdk-date"),
        requests[1].header("x-sdk-date")
    );
    assert_ne!(
        requests[0].header("authorization"),
        requests[1].header("authorization")
    );
}

#[test]
fn credentials_are_read_from_the_variables_the_spec_names() {
    let signing = SECURITY.signing.expect("the spec signs requests");
    assert_eq!(signing.access_key_env, Some("HUAWEICLOUD_SDK_AK"));
    assert_eq!(signing.secret_key_env, Some("HUAWEICLOUD_SDK_SK"));
    let env = |name: &str| match name {
        "HUAWEICLOUD_SDK_AK" => Some(common::AK.to_string()),
        "HUAWEICLOUD_SDK_SK" => Some(common::SK.to_string()),
        _ => None,
    };
    let config = Config::default().from_env_with(&SECURITY, env);
    let debug = format!("{config:?}");
    assert!(debug.contains(common::AK), "{debug}");
    assert!(!debug.contains(common::SK), "the SK never prints: {debug}");

    // Credentials given in code win over the environment.
    let config = Config::default()
        .credentials(Credentials::new("CODE_AK", "CODE_SK"))
        .from_env_with(&SECURITY, env);
    assert!(format!("{config:?}").contains("CODE_AK"));
}

#[test]
fn half_set_credentials_fail_the_build_and_say_what_is_missing() {
    let only_ak = |name: &str| (name == "HUAWEICLOUD_SDK_AK").then(|| "ak".to_string());
    let err = huaweicloud_api_client::Client::builder()
        .project_id(PROJECT_ID)
        .config(|c| c.from_env_with(&SECURITY, only_ak))
        .build()
        .expect_err("the SK is missing");
    assert!(matches!(err, BuildError::Environment(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the environment sets HUAWEICLOUD_SDK_AK but not HUAWEICLOUD_SDK_SK; set both or neither"
    );
}

#[test]
fn empty_secrets_and_missing_project_id_fail_the_build() {
    let empty_sk = builder("http://127.0.0.1:9")
        .config(|c| c.credentials(Credentials::new("ak", "")))
        .build()
        .expect_err("an empty SK cannot sign");
    assert_eq!(
        empty_sk.to_string(),
        "authentication: the secret key (SK) of the credentials is empty"
    );
    let empty_token = builder("http://127.0.0.1:9")
        .config(|c| c.token(""))
        .build()
        .expect_err("an empty token");
    assert!(empty_token.to_string().contains("token is empty"));
    let no_project = huaweicloud_api_client::Client::builder()
        .build()
        .expect_err("the project id is required");
    assert!(
        no_project
            .to_string()
            .contains("HUAWEICLOUD_SDK_PROJECT_ID"),
        "{no_project}"
    );
    let empty_project = builder("http://127.0.0.1:9")
        .project_id("")
        .build()
        .expect_err("an empty project id");
    assert!(
        empty_project.to_string().contains("X-Project-Id"),
        "{empty_project}"
    );
    let bad_endpoint = builder("not a url").build().expect_err("not a URL");
    assert!(
        bad_endpoint.to_string().contains("not a url"),
        "{bad_endpoint}"
    );
}

#[test]
#[cfg_attr(
    not(any(feature = "rustls-tls", feature = "native-tls")),
    ignore = "the spec's servers are https:// and this build has no TLS (see tests/tls.rs)"
)]
fn regions_pick_the_hosts_of_the_spec() {
    let client = huaweicloud_api_client::Client::builder()
        .project_id(PROJECT_ID)
        .region("ap-southeast-1")
        .build()
        .expect("a valid client");
    let dli = client
        .runtime()
        .base_url(huaweicloud_api_client::Service::Dli.index())
        .expect("a DLI URL");
    let fgs = client
        .runtime()
        .base_url(huaweicloud_api_client::Service::FunctionGraph.index())
        .expect("a FunctionGraph URL");
    assert_eq!(
        dli.as_str(),
        "https://dli.ap-southeast-1.myhuaweicloud.com/"
    );
    assert_eq!(
        fgs.as_str(),
        "https://functiongraph.ap-southeast-1.myhuaweicloud.com/"
    );
}
