//! Every example in the spec decodes into its generated type and encodes back to the
//! same JSON, except for the documented normalisations of lenient (`x-canonical`)
//! fields, which come back in their canonical form.
//!
//! The spec is read here with `serde_yaml` (which keeps its order). Examples are found
//! under request bodies, responses and component schemas (and parameters); a count of
//! every `example`/`examples` key in the document makes sure none is skipped. Each body
//! example is decoded through a table from schema name to generated type, in both the
//! server's and the client's types; a schema with an example that is missing from the
//! table fails the test.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use serde_yaml::Value as Yaml;

use huaweicloud_api_client::types as client;
use huaweicloud_api_server::types as server;

/// Decodes a JSON value into a generated type and encodes it back.
type RoundTrip = fn(&Value) -> Result<Value, String>;

/// Decodes into the server's type and the client's type; both must encode the same.
fn round_trip<S, C>(value: &Value) -> Result<Value, String>
where
    S: Serialize + DeserializeOwned,
    C: Serialize + DeserializeOwned,
{
    let server_value: S = serde_json::from_value(value.clone())
        .map_err(|e| format!("does not decode into the server's type: {e}"))?;
    let client_value: C = serde_json::from_value(value.clone())
        .map_err(|e| format!("does not decode into the client's type: {e}"))?;
    let from_server = serde_json::to_value(&server_value).map_err(|e| e.to_string())?;
    let from_client = serde_json::to_value(&client_value).map_err(|e| e.to_string())?;
    if from_server != from_client {
        return Err(format!(
            "the server's type encodes {from_server} but the client's encodes {from_client}"
        ));
    }
    Ok(from_server)
}

macro_rules! table {
    ($($name:ident),* $(,)?) => {
        BTreeMap::from([
            $((stringify!($name), round_trip::<server::$name, client::$name> as RoundTrip),)*
        ])
    };
}

/// Every component schema that may carry an example, by its name in the spec.
fn types_table() -> BTreeMap<&'static str, RoundTrip> {
    table![
        LenientBoolean,
        StringList,
        ErrorResponse,
        FunctionGraphErrorResponse,
        EdgeOperationResponse,
        IefJobActionCallbackRequest,
        IefJobState,
        FlinkJobStatusReportRequest,
        FlinkJobStatusReportJob,
        FlinkJobExceptions,
        JobException,
        FlinkJarJobCreateRequest,
        FlinkJarJobCreateResponse,
        FlinkJarJobStatus,
        FlinkJarJobUpdateRequest,
        FlinkJarJobUpdateResponse,
        FlinkJarJobUpdateTime,
        WorkflowCallbackRequest,
        WorkflowCallbackResult,
        WorkflowCallbackResponse,
    ]
}

/// The documented normalisations: (example, JSON pointer in its value, value in the
/// spec, value after the round trip). Lenient fields accept a non-canonical alternative
/// (`x-canonical`) and are always written in the canonical one.
fn normalisations() -> Vec<(&'static str, &'static str, Value, Value)> {
    vec![
        (
            "RunIefJobActionCallBack response 200 example `seed`",
            "/is_success",
            json!("true"),
            json!(true),
        ),
        (
            "ChangeFlinkJobStatusReport response 200 example `seed`",
            "/is_success",
            json!("true"),
            json!(true),
        ),
        (
            "CreateFlinkJarJob request example `comma_separated`",
            "/dependency_jars",
            json!("myGroup/test.jar,myGroup/test1.jar"),
            json!(["myGroup/test.jar", "myGroup/test1.jar"]),
        ),
        (
            "CreateFlinkJarJob request example `comma_separated`",
            "/dependency_files",
            json!("myGroup/test.csv,myGroup/test1.csv"),
            json!(["myGroup/test.csv", "myGroup/test1.csv"]),
        ),
    ]
}

/// One example found in the spec.
struct Example {
    label: String,
    /// What it must decode into.
    target: Target,
    value: Value,
}

#[derive(Clone)]
enum Target {
    /// A component schema, by name.
    Schema(String),
    /// A parameter's own (primitive) schema.
    Parameter(Value),
    /// Something the test cannot map to a generated type.
    Unknown(String),
}

fn spec() -> Yaml {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

fn to_json(value: &Yaml) -> Value {
    serde_json::to_value(value).expect("spec values are JSON-compatible")
}

fn entries(map: &Yaml) -> Vec<(String, &Yaml)> {
    map.as_mapping()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v))
                .collect()
        })
        .unwrap_or_default()
}

/// The examples of one media-type object (`content/<type>`).
fn media_examples(label: &str, media: &Yaml, out: &mut Vec<Example>) {
    let schema = &media["schema"];
    let target = match schema["$ref"].as_str() {
        Some(reference) => match reference.strip_prefix("#/components/schemas/") {
            Some(name) => Target::Schema(name.to_string()),
            None => Target::Unknown(format!("unsupported $ref {reference}")),
        },
        None => Target::Unknown("an inline schema".to_string()),
    };
    for (name, example) in entries(&media["examples"]) {
        out.push(Example {
            label: format!("{label} example `{name}`"),
            target: target.clone(),
            value: to_json(&example["value"]),
        });
    }
    if !media["example"].is_null() {
        out.push(Example {
            label: format!("{label} example"),
            target: target.clone(),
            value: to_json(&media["example"]),
        });
    }
}

fn content_examples(label: &str, holder: &Yaml, out: &mut Vec<Example>) {
    for (media_type, media) in entries(&holder["content"]) {
        let label = if media_type == "application/json" {
            label.to_string()
        } else {
            format!("{label} ({media_type})")
        };
        media_examples(&label, media, out);
    }
}

fn parameter_examples(label: &str, parameter: &Yaml, out: &mut Vec<Example>) {
    let name = parameter["name"].as_str().unwrap_or("?");
    let schema = to_json(&parameter["schema"]);
    if !parameter["example"].is_null() {
        out.push(Example {
            label: format!("{label} parameter `{name}` example"),
            target: Target::Parameter(schema.clone()),
            value: to_json(&parameter["example"]),
        });
    }
    for (example_name, example) in entries(&parameter["examples"]) {
        out.push(Example {
            label: format!("{label} parameter `{name}` example `{example_name}`"),
            target: Target::Parameter(schema.clone()),
            value: to_json(&example["value"]),
        });
    }
}

/// Every example of the spec, with what it must decode into.
fn collect(spec: &Yaml) -> Vec<Example> {
    let mut out = Vec::new();
    for (_, item) in entries(&spec["paths"]) {
        for (key, op) in entries(item) {
            if key == "parameters" {
                for p in op.as_sequence().into_iter().flatten() {
                    parameter_examples("path item", p, &mut out);
                }
                continue;
            }
            let Some(id) = op["operationId"].as_str() else {
                continue;
            };
            for p in op["parameters"].as_sequence().into_iter().flatten() {
                parameter_examples(id, p, &mut out);
            }
            content_examples(&format!("{id} request"), &op["requestBody"], &mut out);
            for (status, response) in entries(&op["responses"]) {
                content_examples(&format!("{id} response {status}"), response, &mut out);
            }
        }
    }
    let components = &spec["components"];
    for (name, parameter) in entries(&components["parameters"]) {
        parameter_examples(&format!("parameter component {name}:"), parameter, &mut out);
    }
    for (name, body) in entries(&components["requestBodies"]) {
        content_examples(&format!("request body component {name}"), body, &mut out);
    }
    for (name, response) in entries(&components["responses"]) {
        content_examples(&format!("response component {name}"), response, &mut out);
    }
    for (name, schema) in entries(&components["schemas"]) {
        if !schema["example"].is_null() {
            out.push(Example {
                label: format!("schema {name} example"),
                target: Target::Schema(name.clone()),
                value: to_json(&schema["example"]),
            });
        }
    }
    out
}

/// How many examples the document holds: one per `example` key and one per entry of an
/// `examples` map, wherever they are (extensions and example values not searched).
fn count_examples(value: &Yaml) -> usize {
    match value {
        Yaml::Mapping(map) => map
            .iter()
            .map(|(key, value)| match key.as_str() {
                Some("example") => 1,
                Some("examples") => value.as_mapping().map_or(1, |m| m.len()),
                Some(key) if key.starts_with("x-") => 0,
                _ => count_examples(value),
            })
            .sum(),
        Yaml::Sequence(items) => items.iter().map(count_examples).sum(),
        _ => 0,
    }
}

/// Where two JSON values differ: (pointer, value before, value after); `None` is absent.
fn differences(
    at: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    out: &mut Vec<(String, Option<Value>, Option<Value>)>,
) {
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                differences(&pointer, a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{at}/{i}"), Some(x), Some(y), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push((at.to_string(), a.cloned(), b.cloned())),
    }
}

fn decode_parameter(schema: &Value, value: &Value) -> Result<Value, String> {
    let round = |result: Result<Value, serde_json::Error>| result.map_err(|e| e.to_string());
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("string"), _) => {
            round(serde_json::from_value::<String>(value.clone()).map(Value::from))
        }
        (Some("integer"), Some("int32")) => {
            round(serde_json::from_value::<i32>(value.clone()).map(Value::from))
        }
        (Some("integer"), _) => {
            round(serde_json::from_value::<i64>(value.clone()).map(Value::from))
        }
        (Some("boolean"), _) => {
            round(serde_json::from_value::<bool>(value.clone()).map(Value::from))
        }
        other => Err(format!(
            "parameter schema {other:?} is not modelled by this test"
        )),
    }
}

#[test]
fn every_example_round_trips_through_its_generated_type() {
    let spec = spec();
    let examples = collect(&spec);
    assert_eq!(
        examples.len(),
        count_examples(&spec),
        "the test found fewer examples than the spec has: teach `collect` the new place"
    );
    let table = types_table();
    let expected = normalisations();
    let mut failures = Vec::new();
    let mut normalised = Vec::new();
    let mut checked_schemas = Vec::new();
    for example in &examples {
        let result = match &example.target {
            Target::Schema(name) => match table.get(name.as_str()) {
                Some(round_trip) => {
                    checked_schemas.push(name.clone());
                    round_trip(&example.value)
                }
                None => Err(format!(
                    "schema {name} has an example but no entry in the round-trip table"
                )),
            },
            Target::Parameter(schema) => decode_parameter(schema, &example.value),
            Target::Unknown(why) => Err(format!("cannot tell its type: {why}")),
        };
        let after = match result {
            Ok(after) => after,
            Err(e) => {
                failures.push(format!("{}: {e}", example.label));
                continue;
            }
        };
        let mut found = Vec::new();
        differences("", Some(&example.value), Some(&after), &mut found);
        for (pointer, before, after) in found {
            let documented = expected.iter().any(|(label, p, b, a)| {
                *label == example.label
                    && *p == pointer
                    && Some(b) == before.as_ref()
                    && Some(a) == after.as_ref()
            });
            if documented {
                normalised.push((example.label.clone(), pointer));
            } else {
                failures.push(format!(
                    "{} at {pointer:?}: {} came back as {} (not a documented normalisation)",
                    example.label,
                    before.map_or("(absent)".to_string(), |v| v.to_string()),
                    after.map_or("(absent)".to_string(), |v| v.to_string()),
                ));
            }
        }
    }
    for (label, pointer, before, after) in &expected {
        if !normalised.iter().any(|(l, p)| l == label && p == pointer) {
            failures.push(format!(
                "{label} at {pointer:?}: the documented normalisation {before} → {after} did not happen"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} example problem(s):\n  - {}",
        failures.len(),
        failures.join("\n  - ")
    );
    // The body examples of every operation were decoded, not only the schema examples.
    for name in [
        "IefJobActionCallbackRequest",
        "FlinkJobStatusReportRequest",
        "FlinkJarJobCreateRequest",
        "FlinkJarJobUpdateRequest",
        "WorkflowCallbackRequest",
        "EdgeOperationResponse",
        "FlinkJarJobCreateResponse",
        "FlinkJarJobUpdateResponse",
        "WorkflowCallbackResponse",
        "ErrorResponse",
        "FunctionGraphErrorResponse",
    ] {
        assert!(
            checked_schemas.iter().any(|s| s == name),
            "no example of {name} was checked"
        );
    }
}

#[test]
fn the_round_trip_table_names_only_schemas_of_the_spec() {
    let spec = spec();
    let schemas: Vec<String> = entries(&spec["components"]["schemas"])
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    for name in types_table().keys() {
        assert!(
            schemas.iter().any(|s| s == name),
            "the table names {name}, which the spec does not define"
        );
    }
}

#[test]
fn an_undocumented_difference_is_reported() {
    // A value the types cannot keep as it is: a string where an integer is documented
    // fails to decode, and a lenient value is normalised.
    let table = types_table();
    let status = table["FlinkJarJobStatus"];
    assert!(status(&json!({"job_id": "138"})).is_err());
    let response = table["EdgeOperationResponse"];
    let before = json!({"is_success": "false", "message": "m"});
    let after = response(&before).expect("a lenient boolean decodes");
    let mut found = Vec::new();
    differences("", Some(&before), Some(&after), &mut found);
    assert_eq!(
        found,
        vec![(
            "/is_success".to_string(),
            Some(json!("false")),
            Some(json!(false))
        )]
    );
    // Unknown fields are ignored on decoding, so they are missing after the round trip.
    let before = json!({"message": "m", "extra": 1});
    let after = response(&before).expect("unknown fields are ignored");
    let mut found = Vec::new();
    differences("", Some(&before), Some(&after), &mut found);
    assert_eq!(found, vec![("/extra".to_string(), Some(json!(1)), None)]);
}
