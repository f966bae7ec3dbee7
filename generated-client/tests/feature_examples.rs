//! Runs the examples of the client's own features (`examples/credentials_chain.rs`,
//! `regions.rs`, `http_control.rs`, `testing_with_the_fake.rs`) in-process and checks
//! what they print. They reach only 127.0.0.1 and the in-memory fake.

use huaweicloud_api_client::runtime::credentials::{EnvProvider, ProfileProvider};

// Each example's `main` is not called here.
#[allow(dead_code)]
#[path = "../examples/credentials_chain.rs"]
mod credentials_chain;
#[allow(dead_code)]
#[path = "../examples/http_control.rs"]
mod http_control;
#[allow(dead_code)]
#[path = "../examples/regions.rs"]
mod regions;
#[allow(dead_code)]
#[path = "../examples/testing_with_the_fake.rs"]
mod testing_with_the_fake;

#[tokio::test]
async fn the_credentials_chain_example_signs_and_explains_a_missing_key() {
    // No keys in the environment or a profile file: the metadata service provides them.
    let out = credentials_chain::run(
        EnvProvider::new().lookup(|_| None),
        ProfileProvider::new().file("/nonexistent/credentials"),
    )
    .await
    .expect("runs");
    assert!(
        out.contains("signed with SDK-HMAC-SHA256 Access=TEMPORARY-AK; security token sent: true"),
        "{out}"
    );
    assert!(out.contains("without keys: no credentials found; tried environment (HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set), profile (/nonexistent/.huaweicloud/credentials does not exist), metadata (http://127.0.0.1:9/meta-data/latest/api/token: cannot connect"), "{out}");
    assert!(
        !out.contains("TEMPORARY-SK") && !out.contains("TEMPORARY-TOKEN"),
        "{out}"
    );
}

#[cfg(any(feature = "rustls-tls", feature = "native-tls"))]
#[test]
fn the_regions_example_shows_the_eu_host_and_a_close_match() {
    let out = regions::run().expect("runs");
    assert!(
        out.contains("eu-west-101 DLI           https://dli.eu-west-101.myhuaweicloud.eu/"),
        "{out}"
    );
    assert!(out.contains("did you mean `cn-north-4`"), "{out}");
}

#[tokio::test]
async fn the_http_control_example_sends_per_call_and_raw_requests() {
    let out = http_control::run().await.expect("runs");
    assert!(
        out.contains(r#"typed call: X-Request-Tag Some("nightly"), X-Trace-Id Some("trace-0")"#),
        "{out}"
    );
    assert!(
        out.contains(r#"raw call: HTTP 200 {"count":0,"jobs":[]}"#),
        "{out}"
    );
}

#[tokio::test]
async fn the_fake_example_tests_application_code() {
    let out = testing_with_the_fake::run().await.expect("runs");
    assert!(out.contains("answer: the job is updated"), "{out}");
    assert!(out.contains(r#"request: PUT /v1.0/fake-project_id/streaming/flink-jobs/148 with name Some("nightly")"#), "{out}");
}
