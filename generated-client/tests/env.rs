//! `ClientBuilder::from_env` reads the project id and the AK/SK from the environment
//! variables the spec names. This file holds a single test because it changes the process
//! environment, which the other tests of the same binary would otherwise race with.

mod common;

use common::{calls, Reply, TestServer, OK_BODY, PROJECT_ID};
use huaweicloud_api_client::{Client, Service};

#[tokio::test]
async fn from_env_reads_project_id_and_credentials() {
    std::env::set_var("HUAWEICLOUD_SDK_AK", common::AK);
    std::env::set_var("HUAWEICLOUD_SDK_SK", common::SK);
    std::env::set_var("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT_ID);

    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let client = Client::builder()
        .endpoint(Service::Dli, &server.url)
        .endpoint(Service::FunctionGraph, &server.url)
        .from_env()
        .build()
        .expect("everything comes from the environment");
    assert_eq!(client.project_id(), PROJECT_ID);
    assert_eq!(calls::ief_callback(&client).await, Ok(200));
    let request = server.requests().remove(0);
    let verified = request
        .verify()
        .expect("signed with the AK/SK of the environment");
    assert_eq!(verified.access_key, common::AK);
    assert_eq!(request.header("x-project-id"), Some(PROJECT_ID));

    // A project id given in code wins.
    let client = Client::builder()
        .project_id("fromcode")
        .endpoint(Service::Dli, &server.url)
        .endpoint(Service::FunctionGraph, &server.url)
        .from_env()
        .build()
        .expect("a valid client");
    assert_eq!(client.project_id(), "fromcode");

    std::env::remove_var("HUAWEICLOUD_SDK_SK");
    let err = Client::builder()
        .from_env()
        .build()
        .expect_err("only the AK is set");
    assert!(err.to_string().contains("HUAWEICLOUD_SDK_SK"), "{err}");
}
