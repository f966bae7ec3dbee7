//! TLS is a feature of the crate: `rustls-tls` (on by default) or `native-tls`. Without
//! either the client speaks plain HTTP only, and building a client with an https://
//! endpoint fails with an error that names the feature to enable.
//!
//! `cargo test` checks the default build; `cargo test -p huaweicloud-api-client
//! --no-default-features` (run by CI) checks the build without TLS.

mod common;

use common::{calls, Reply, TestServer, OK_BODY, PROJECT_ID};
use huaweicloud_api_client::runtime::BuildError;
use huaweicloud_api_client::{Client, Service};

const TLS: bool = cfg!(any(feature = "rustls-tls", feature = "native-tls"));

#[test]
fn https_endpoints_need_a_tls_feature() {
    // The spec's servers are https://.
    let built = Client::builder()
        .project_id(PROJECT_ID)
        .region("cn-north-4")
        .build();
    if TLS {
        built.expect("a client with TLS accepts the spec's https:// servers");
        return;
    }
    let err = built.expect_err("a client without TLS refuses https:// endpoints");
    assert!(matches!(err, BuildError::Endpoint { .. }), "{err:?}");
    let message = err.to_string();
    for needle in [
        "https://dli.cn-north-4.myhuaweicloud.com",
        "enable its `rustls-tls` feature",
        "`native-tls`",
    ] {
        assert!(
            message.contains(needle),
            "`{needle}` missing from: {message}"
        );
    }
    // An explicit https:// endpoint is refused the same way.
    let err = Client::builder()
        .project_id(PROJECT_ID)
        .endpoint(Service::Dli, "http://127.0.0.1:1")
        .endpoint(Service::FunctionGraph, "https://gateway.example")
        .build()
        .expect_err("one https:// endpoint is enough to refuse");
    assert!(err.to_string().contains("https://gateway.example"), "{err}");
}

#[tokio::test]
async fn plain_http_works_in_every_build() {
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let client = Client::builder()
        .project_id(PROJECT_ID)
        .endpoint(Service::Dli, &server.url)
        .endpoint(Service::FunctionGraph, &server.url)
        .build()
        .expect("http:// endpoints need no TLS");
    assert_eq!(calls::ief_callback(&client).await, Ok(200));
    assert_eq!(calls::workflow_callback(&client).await, Ok(200));
}
