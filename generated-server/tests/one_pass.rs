//! The one-pass fast path of the server runtime (`runtime::validate::decode_checked`: the
//! typed decode that checks the rules on the way) against this spec's generated types and
//! rules: the seed requests are checked in one pass, what serde alone lets through is
//! still seen, and, as a differential test, whenever the fast path calls a body clean the
//! walker (`check_json`), which decides, finds nothing wrong with it either.

use huaweicloud_api_server::runtime::validate::{check_json, decode_checked as decode, Violations};
use huaweicloud_api_server::{spec, types, validate};

/// The request example of an operation, from the spec the crate embeds.
fn example(path: &str, method: &str) -> String {
    let spec: serde_json::Value =
        serde_json::from_str(spec::OPENAPI_JSON).expect("the spec is JSON");
    let examples =
        &spec["paths"][path][method]["requestBody"]["content"]["application/json"]["examples"];
    examples["seed"]["value"].to_string()
}

/// The seed requests decode in one pass: everything in them is checked on the way,
/// so a valid request is not parsed a second time.
#[test]
fn seed_requests_are_checked_in_one_pass() {
    let body = example("/v1.0/{project_id}/streaming/flink-jobs", "post");
    let (decoded, found) = decode::<types::FlinkJarJobCreateRequest>(
        &validate::FLINK_JAR_JOB_CREATE_REQUEST,
        body.as_bytes(),
    );
    assert!(decoded.is_ok(), "{decoded:?}");
    assert!(found.is_clean(), "{found:?}");

    let body = example("/v1.0/{project_id}/streaming/flink-jobs/{job_id}", "put");
    let (decoded, found) = decode::<types::FlinkJarJobUpdateRequest>(
        &validate::FLINK_JAR_JOB_UPDATE_REQUEST,
        body.as_bytes(),
    );
    assert!(decoded.is_ok(), "{decoded:?}");
    assert!(found.is_clean(), "{found:?}");
}

/// What the typed decode would let through is still a violation here.
#[test]
fn nulls_arrays_and_limits_are_seen_on_the_way() {
    let mut body: serde_json::Value =
        serde_json::from_str(&example("/v1.0/{project_id}/streaming/flink-jobs", "post"))
            .expect("JSON");
    body["desc"] = serde_json::Value::Null;
    body["name"] = serde_json::json!("x".repeat(100));
    let text = body.to_string();
    let (decoded, found) = decode::<types::FlinkJarJobCreateRequest>(
        &validate::FLINK_JAR_JOB_CREATE_REQUEST,
        text.as_bytes(),
    );
    assert!(decoded.is_ok(), "serde alone accepts it: {decoded:?}");
    let found: Vec<String> = found.violations.iter().map(ToString::to_string).collect();
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("/desc: expected a string, found null")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.starts_with("/name: longer than")),
        "{found:?}"
    );
}

/// Differential check against the walker: whenever the one-pass decode calls a
/// body clean, the walker finds nothing wrong with it either.
#[test]
fn a_clean_one_pass_decode_is_valid_by_the_walker() {
    use proptest::prelude::*;
    let seed: serde_json::Value =
        serde_json::from_str(&example("/v1.0/{project_id}/streaming/flink-jobs", "post"))
            .expect("JSON");
    let keys: Vec<String> = seed
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .chain(["unknown".to_string()])
        .collect();
    let replacement = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e6f64..1e6).prop_map(serde_json::Value::from),
        "[a-z,]{0,70}".prop_map(serde_json::Value::from),
        Just(serde_json::json!([])),
        Just(serde_json::json!(["a", 1])),
        Just(serde_json::json!({})),
        Just(serde_json::json!({"x": null})),
    ];
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(
            &(proptest::sample::select(keys), replacement, any::<bool>()),
            |(key, value, remove)| {
                let mut body = seed.clone();
                let object = body.as_object_mut().expect("an object");
                if remove {
                    object.remove(&key);
                } else {
                    object.insert(key, value);
                }
                let text = body.to_string();
                let (decoded, found) = decode::<types::FlinkJarJobCreateRequest>(
                    &validate::FLINK_JAR_JOB_CREATE_REQUEST,
                    text.as_bytes(),
                );
                if decoded.is_ok() && found.is_clean() {
                    let mut out = Violations::new();
                    check_json(
                        &validate::FLINK_JAR_JOB_CREATE_REQUEST,
                        text.as_bytes(),
                        &mut out,
                    )
                    .expect("valid JSON");
                    prop_assert!(out.is_empty(), "{text}: {out}");
                }
                Ok(())
            },
        )
        .expect("the one-pass decode agrees with the walker");
}
