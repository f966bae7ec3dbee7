//! The region catalogue: the spec's servers and their `region` enums give every region
//! of the official SDK its endpoint (checked against `spec/sdk-regions.tsv`), an
//! region no service serves fails the build with close matches, one that a service does
//! not serve fails that service's calls only, and the SDK's overrides apply.
#![cfg(any(feature = "rustls-tls", feature = "native-tls"))]

use huaweicloud_api_client::runtime::BuildError;
use huaweicloud_api_client::Error;
use huaweicloud_api_client::{Client, ClientBuilder, Service};

const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";

/// A builder that reads no variable of the process environment.
fn builder(env: &'static [(&'static str, &'static str)]) -> ClientBuilder {
    Client::builder().project_id(PROJECT_ID).config(move |c| {
        c.environment(move |name| {
            env.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    })
}

fn url(client: &Client, service: Service) -> String {
    client
        .runtime()
        .base_url(service.index())
        .expect("every service has a base URL")
        .as_str()
        .trim_end_matches('/')
        .to_string()
}

#[test]
fn every_region_of_the_sdk_gets_the_sdk_endpoint() {
    let table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/sdk-regions.tsv"
    ))
    .expect("spec/sdk-regions.tsv is readable");
    let mut checked = 0;
    for line in table.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [service, region, endpoint] = fields[..] else {
            panic!("a row of three fields: {line}");
        };
        let (service, other) = match service {
            "DLI" => (Service::Dli, Service::FunctionGraph),
            "FunctionGraph" => (Service::FunctionGraph, Service::Dli),
            other => panic!("unknown service {other}"),
        };
        // The other service may not have the region: give it an endpoint.
        let client = builder(&[])
            .region(region)
            .endpoint(other, "http://127.0.0.1:9")
            .build()
            .unwrap_or_else(|err| panic!("{region} builds: {err}"));
        assert_eq!(
            url(&client, service),
            endpoint,
            "{} {region}",
            service.name()
        );
        checked += 1;
    }
    assert!(checked > 50, "only {checked} rows");
}

#[test]
fn eu_west_101_is_served_from_the_eu_host_for_dli_only() {
    let client = builder(&[])
        .region("eu-west-101")
        .build()
        .expect("known to both");
    assert_eq!(
        url(&client, Service::Dli),
        "https://dli.eu-west-101.myhuaweicloud.eu"
    );
    assert_eq!(
        url(&client, Service::FunctionGraph),
        "https://functiongraph.eu-west-101.myhuaweicloud.com"
    );
}

#[test]
fn an_unknown_region_fails_the_build_with_close_matches() {
    let err = builder(&[])
        .region("cn-nort-4")
        .build()
        .expect_err("a typo");
    let text = err.to_string();
    assert!(
        text.starts_with("unknown region `cn-nort-4` for service `DLI`; did you mean `cn-north-4`"),
        "{text}"
    );
    match err {
        BuildError::UnknownServerVariable {
            service,
            variable,
            close,
            known,
            ..
        } => {
            assert_eq!(service, "DLI");
            assert_eq!(variable, "region");
            assert_eq!(close.first().map(String::as_str), Some("cn-north-4"));
            assert_eq!(known, 28);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_region_one_service_lacks_fails_that_service_s_calls_only() {
    // cn-north-11 is a FunctionGraph region only: the client builds, FunctionGraph is
    // served there, and a DLI call fails before anything is sent, saying why.
    let client = builder(&[])
        .region("cn-north-11")
        .build()
        .expect("FunctionGraph serves cn-north-11");
    assert_eq!(
        url(&client, Service::FunctionGraph),
        "https://functiongraph.cn-north-11.myhuaweicloud.com"
    );
    assert!(client.runtime().base_url(Service::Dli.index()).is_none());
    let err = client
        .update_flink_jar_job(1, &Default::default())
        .await
        .expect_err("DLI is not served in cn-north-11");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("UpdateFlinkJarJob: cannot build the request: unknown region `cn-north-11` for service `DLI`"),
        "{text}"
    );
    assert!(text.contains("ClientBuilder::endpoint"), "{text}");
    assert_eq!(err.retries(), 0);
    // An explicit endpoint serves it.
    let client = builder(&[])
        .region("cn-north-11")
        .endpoint(Service::Dli, "http://127.0.0.1:9")
        .build()
        .expect("DLI has an explicit endpoint");
    assert_eq!(url(&client, Service::Dli), "http://127.0.0.1:9");
}

#[test]
fn an_explicit_endpoint_accepts_any_region() {
    let client = builder(&[])
        .region("anything-1")
        .endpoint(Service::Dli, "http://127.0.0.1:9")
        .endpoint(Service::FunctionGraph, "http://127.0.0.1:9")
        .build()
        .expect("no catalogue look-up");
    assert_eq!(url(&client, Service::Dli), "http://127.0.0.1:9");
}

#[test]
fn the_environment_overrides_a_region_or_adds_one_as_the_sdk_does() {
    let client = builder(&[
        (
            "HUAWEICLOUD_SDK_REGION_DLI_CN_NORTH_4",
            "https://dli.internal.test,https://backup.test",
        ),
        (
            "HUAWEICLOUD_SDK_REGION_FUNCTIONGRAPH_CN_NORTH_4",
            "https://fgs.internal.test",
        ),
    ])
    .region("cn-north-4")
    .build()
    .expect("overridden");
    assert_eq!(url(&client, Service::Dli), "https://dli.internal.test");
    assert_eq!(
        url(&client, Service::FunctionGraph),
        "https://fgs.internal.test"
    );
    let client = builder(&[
        (
            "HUAWEICLOUD_SDK_REGION_DLI_XX_NEW_1",
            "https://dli.xx-new-1.test",
        ),
        (
            "HUAWEICLOUD_SDK_REGION_FUNCTIONGRAPH_XX_NEW_1",
            "https://fgs.xx-new-1.test",
        ),
    ])
    .region("xx-new-1")
    .build()
    .expect("a region the catalogue lacks, added by the environment");
    assert_eq!(url(&client, Service::Dli), "https://dli.xx-new-1.test");
}

#[test]
fn the_regions_file_overrides_after_the_environment() {
    let dir = std::env::temp_dir().join(format!("client-regions-{}", std::process::id()));
    let dot = dir.join(".huaweicloud");
    std::fs::create_dir_all(&dot).expect("a temp dir");
    std::fs::write(
        dot.join("regions.yaml"),
        "DLI:\n  - id: cn-north-4\n    endpoint: https://dli.from-file.test\nFunctionGraph:\n  - id: cn-north-4\n    endpoints:\n      - https://fgs.from-file.test\n",
    )
    .expect("written");
    let home: &'static str = Box::leak(dir.display().to_string().into_boxed_str());
    let env: &'static [(&'static str, &'static str)] = Box::leak(Box::new([
        ("HOME", home),
        (
            "HUAWEICLOUD_SDK_REGION_FUNCTIONGRAPH_CN_NORTH_4",
            "https://fgs.from-env.test",
        ),
    ]));
    let client = builder(env)
        .region("cn-north-4")
        .build()
        .expect("overridden");
    assert_eq!(url(&client, Service::Dli), "https://dli.from-file.test");
    assert_eq!(
        url(&client, Service::FunctionGraph),
        "https://fgs.from-env.test"
    );
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}
