//! The seed examples of the spec, read from the copy of the spec that the generated
//! server embeds, so that the benchmarks always use the current examples.

use serde_json::Value;

/// What can go wrong while reading the examples out of the embedded spec.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the embedded spec is not valid JSON: {0}")]
    Spec(#[from] serde_json::Error),
    #[error("the embedded spec has nothing at {0}")]
    Missing(String),
}

/// The JSON pointer of `CreateFlinkJarJob`'s seed request body in the spec.
pub const CREATE_FLINK_JAR_JOB_SEED: &str = "/paths/~1v1.0~1{project_id}~1streaming~1flink-jobs/post/requestBody/content/application~1json/examples/seed/value";

/// The path that `CreateFlinkJarJob` is sent to, for the project id used by the benches.
pub const CREATE_FLINK_JAR_JOB_PATH: &str =
    "/v1.0/0123456789abcdef0123456789abcdef/streaming/flink-jobs";

/// The project id in [`CREATE_FLINK_JAR_JOB_PATH`].
pub const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";

/// The spec as a JSON value.
pub fn spec() -> Result<Value, SeedError> {
    Ok(serde_json::from_str(
        huaweicloud_api_server::spec::OPENAPI_JSON,
    )?)
}

/// The seed request body of `CreateFlinkJarJob`, as compact JSON bytes.
pub fn create_flink_jar_job_body() -> Result<Vec<u8>, SeedError> {
    let spec = spec()?;
    let value = spec
        .pointer(CREATE_FLINK_JAR_JOB_SEED)
        .ok_or_else(|| SeedError::Missing(CREATE_FLINK_JAR_JOB_SEED.to_string()))?;
    Ok(serde_json::to_vec(value)?)
}

/// One response example of the spec.
#[derive(Debug, Clone)]
pub struct ResponseExample {
    pub operation_id: String,
    pub status: u16,
    pub name: String,
    /// Compact JSON text.
    pub json: Vec<u8>,
}

/// The response examples to decode, in spec order, with `$ref`ed responses resolved:
/// every success example named `seed` (the examples of the API reference) and every
/// error example.
pub fn seed_responses() -> Result<Vec<ResponseExample>, SeedError> {
    let spec = spec()?;
    let mut out = Vec::new();
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| SeedError::Missing("/paths".to_string()))?;
    for item in paths.values() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for operation in item.values() {
            let (Some(operation_id), Some(responses)) = (
                operation.get("operationId").and_then(Value::as_str),
                operation.get("responses").and_then(Value::as_object),
            ) else {
                continue;
            };
            for (status, response) in responses {
                let Ok(status) = status.parse::<u16>() else {
                    continue;
                };
                let response = resolve(&spec, response)?;
                let examples = response
                    .pointer("/content/application~1json/examples")
                    .and_then(Value::as_object);
                for (name, example) in examples.into_iter().flatten() {
                    if name != "seed" && status < 400 {
                        continue;
                    }
                    if let Some(value) = example.get("value") {
                        out.push(ResponseExample {
                            operation_id: operation_id.to_string(),
                            status,
                            name: name.clone(),
                            json: serde_json::to_vec(value)?,
                        });
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Follows a local `$ref` (one level, as the spec's responses use them).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> Result<&'a Value, SeedError> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            spec.pointer(pointer)
                .ok_or_else(|| SeedError::Missing(reference.to_string()))
        }
        None => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_seed_body_names_the_job() {
        let body = super::create_flink_jar_job_body().expect("the spec has the seed body");
        let value: serde_json::Value = serde_json::from_slice(&body).expect("compact JSON");
        assert_eq!(value["name"], "test");
    }

    #[test]
    fn every_operation_has_a_seed_success_response() {
        let seeds = super::seed_responses().expect("the spec has seed responses");
        let successes: Vec<&str> = seeds
            .iter()
            .filter(|s| s.status == 200)
            .map(|s| s.operation_id.as_str())
            .collect();
        assert_eq!(
            successes,
            [
                "RunIefJobActionCallBack",
                "ChangeFlinkJobStatusReport",
                "CreateFlinkJarJob",
                "UpdateFlinkJarJob",
                "CreateCallbackWorkflow"
            ]
        );
    }
}
