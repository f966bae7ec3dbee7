//! The consistency test: the generated crates agree with `spec/openapi.yaml`.
//!
//! It is independent of the generator's IR. The spec is read with `openapiv3` and turned
//! into expectations by this test's own reading of OpenAPI (`consistency/expect.rs`); the
//! generated files are parsed with `syn` (`consistency/generated.rs`); the two are
//! compared per operation, parameter, status, schema and field (`consistency/check.rs`).
//! Every mismatch is collected and reported at once.
//!
//! A spec with a sixth operation, added here to a copy of the spec, is generated in memory
//! and passes the same checks: adding an operation needs no generator change.

#[path = "consistency/check.rs"]
mod check;
#[path = "consistency/expect.rs"]
mod expect;
#[path = "consistency/generated.rs"]
mod generated;

use std::fs;

use check::{Sources, CLIENT, CLIENT_TYPES, SERVER, SERVER_TYPES, SERVER_VALIDATE};
use xtask::{project_root, SPEC_PATH};

fn spec_text() -> String {
    let path = project_root().join(SPEC_PATH);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn sources_on_disk() -> Sources {
    let read = |relative: &str| {
        let path = project_root().join(relative);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    Sources {
        client: read(CLIENT),
        client_types: read(CLIENT_TYPES),
        server: read(SERVER),
        server_types: read(SERVER_TYPES),
        server_validate: read(SERVER_VALIDATE),
    }
}

fn sources_in_memory(files: &[generator::GeneratedFile]) -> Sources {
    let find = |relative: &str| {
        files
            .iter()
            .find(|f| f.path == relative)
            .unwrap_or_else(|| panic!("the generator produced no {relative}"))
            .contents
            .clone()
    };
    Sources {
        client: find(CLIENT),
        client_types: find(CLIENT_TYPES),
        server: find(SERVER),
        server_types: find(SERVER_TYPES),
        server_validate: find(SERVER_VALIDATE),
    }
}

fn assert_consistent(what: &str, spec: &expect::Expectations, sources: &Sources) {
    let mismatches = check::check(spec, sources);
    assert!(
        mismatches.is_empty(),
        "{what}: {} mismatch(es) between the spec and the generated code:\n  - {}",
        mismatches.len(),
        mismatches.join("\n  - ")
    );
}

#[test]
fn the_generated_crates_agree_with_the_spec() {
    let spec = expect::read(&spec_text()).expect("the spec reads");
    assert!(
        !spec.operations.is_empty() && !spec.schemas.is_empty(),
        "the spec has operations and schemas to check"
    );
    assert_consistent("the committed crates", &spec, &sources_on_disk());
}

/// The five operations and the component schemas: a summary of what was compared, so a
/// reader of the test output can see that nothing was skipped.
#[test]
fn every_operation_and_schema_of_the_spec_is_checked() {
    let spec = expect::read(&spec_text()).expect("the spec reads");
    let ids: Vec<&str> = spec.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "RunIefJobActionCallBack",
            "ChangeFlinkJobStatusReport",
            "CreateFlinkJarJob",
            "UpdateFlinkJarJob",
            "CreateCallbackWorkflow",
        ]
    );
    let text = spec_text();
    let api: openapiv3::OpenAPI = serde_yaml::from_str(&text).expect("the spec reads");
    let components = api.components.expect("the spec has components");
    assert_eq!(spec.schemas.len(), components.schemas.len());
    assert!(spec.problems.is_empty(), "{:?}", spec.problems);
}

/// The sixth operation: `GET` on the existing job path, with a path, a query array, an
/// optional query flag and a required header parameter, a 200 with new component schemas
/// (every field type, a keyword and a dashed property name, a nullable required field, a
/// string enum with a value that is not an identifier) and a 404.
const SIXTH_OPERATION: &str = r##"
operationId: ShowFlinkJarJob
tags: [DLI]
summary: Show a Flink Jar job
description: Shows the settings and the state of one Flink Jar job.
parameters:
  - $ref: '#/components/parameters/ProjectId'
  - name: job_id
    in: path
    required: true
    description: ID of the job.
    schema:
      type: integer
      format: int64
  - name: with_config
    in: query
    required: false
    description: Whether the job's configuration is included.
    schema:
      type: boolean
  - name: tag
    in: query
    required: false
    explode: true
    description: Only these tags.
    schema:
      type: array
      items:
        type: string
  - name: X-Language
    in: header
    required: true
    description: Language of the messages.
    schema:
      type: string
responses:
  '200':
    description: The job.
    content:
      application/json:
        schema:
          $ref: '#/components/schemas/FlinkJarJobDetail'
        examples:
          running:
            summary: A running job
            value:
              job_id: 138
              name: test
              last_error: null
              state: running
              type: flink_jar_job
              created-at: '2024-05-01T10:00:00Z'
  '404':
    description: No job with this ID.
    content:
      application/json:
        schema:
          $ref: '#/components/schemas/ErrorResponse'
"##;

const SIXTH_SCHEMAS: &str = r##"
FlinkJarJobDetail:
  description: The settings and state of a Flink Jar job.
  type: object
  required: [job_id, name, last_error]
  properties:
    job_id:
      type: integer
      format: int64
    name:
      type: string
    state:
      description: The job's state.
      allOf:
        - $ref: '#/components/schemas/FlinkJarJobState'
    cu_number:
      type: integer
      format: int32
    retries:
      type: integer
    price:
      type: number
    load:
      type: number
      format: float
    tags:
      type: array
      items:
        type: string
    config:
      type: object
      additionalProperties: true
    labels:
      type: object
      additionalProperties:
        type: string
    last_error:
      type: string
      nullable: true
    type:
      type: string
    created-at:
      type: string
      format: date-time
    is_running:
      $ref: '#/components/schemas/LenientBoolean'
    dependency_jars:
      description: Lenient list.
      allOf:
        - $ref: '#/components/schemas/StringList'
    exceptions:
      type: array
      items:
        $ref: '#/components/schemas/FlinkJobExceptions'
    status:
      $ref: '#/components/schemas/FlinkJarJobStatus'
FlinkJarJobState:
  description: The state of a Flink Jar job.
  type: string
  enum: [running, 2fa-check, job_init]
"##;

/// The spec with the sixth operation and its schemas added (as YAML).
fn spec_with_sixth_operation() -> String {
    let mut spec: serde_yaml::Value = serde_yaml::from_str(&spec_text()).expect("the spec is YAML");
    let operation: serde_yaml::Value =
        serde_yaml::from_str(SIXTH_OPERATION).expect("the sixth operation is YAML");
    let schemas: serde_yaml::Mapping =
        serde_yaml::from_str(SIXTH_SCHEMAS).expect("the new schemas are YAML");
    let path_item = spec["paths"]["/v1.0/{project_id}/streaming/flink-jobs/{job_id}"]
        .as_mapping_mut()
        .expect("the job path exists in the spec");
    path_item.insert("get".into(), operation);
    let components = spec["components"]["schemas"]
        .as_mapping_mut()
        .expect("the spec has component schemas");
    for (name, schema) in schemas {
        components.insert(name, schema);
    }
    serde_yaml::to_string(&spec).expect("a YAML value serializes")
}

fn generate(text: &str) -> Vec<generator::GeneratedFile> {
    generator::generate(&xtask::codegen::config(), text)
        .unwrap_or_else(|diagnostics| panic!("the generator rejects the spec:\n{diagnostics}"))
}

#[test]
fn a_sixth_operation_is_generated_consistently_without_generator_changes() {
    let text = spec_with_sixth_operation();
    let spec = expect::read(&text).expect("the extended spec reads");
    assert!(spec.problems.is_empty(), "{:?}", spec.problems);
    let sixth = spec
        .operations
        .iter()
        .find(|o| o.id == "ShowFlinkJarJob")
        .expect("the sixth operation is read");
    assert_eq!(sixth.params.len(), 5);
    assert_eq!(sixth.responses.len(), 2);
    for name in ["FlinkJarJobDetail", "FlinkJarJobState"] {
        assert!(
            spec.schemas.iter().any(|s| s.name == name),
            "schema {name} is read"
        );
    }
    let sources = sources_in_memory(&generate(&text));
    assert_consistent("the spec with a sixth operation", &spec, &sources);

    // The checks did look at the new code: breaking its wire name or its query parameter
    // is noticed.
    let mut broken = sources_in_memory(&generate(&text));
    broken.server_types = replace_once(
        &broken.server_types,
        "created_at => \"created-at\"",
        "created_at => \"created_at\"",
    );
    broken.client = replace_once(
        &broken.client,
        "request.query(\"with_config\"",
        "request.header(\"with_config\"",
    );
    assert_eq!(
        check::check(&spec, &broken),
        [
            "operation ShowFlinkJarJob (client method `show_flink_jar_job`): query parameter `with_config`: argument `with_config` is sent as header `with_config`, expected query `with_config`",
            "schema FlinkJarJobDetail (server types.rs, type `FlinkJarJobDetail`): no field with wire name `created-at` (its `json_object!` entry names another)",
            "schema FlinkJarJobDetail (server types.rs, type `FlinkJarJobDetail`): field `created_at` (wire `created_at`) is not a property of the schema",
        ]
    );
}

/// Each check fails when the generated code is wrong: a changed copy of the generated
/// text must produce exactly the expected complaint.
#[test]
fn the_checks_report_each_kind_of_mismatch_precisely() {
    let spec = expect::read(&spec_text()).expect("the spec reads");
    let original = sources_on_disk();
    assert!(check::check(&spec, &original).is_empty());

    let cases: Vec<(&str, Mutation, &[&str])> = vec![
        (
            "a required header read as optional",
            Box::new(|s| {
                s.server_validate = replace_once(
                    &s.server_validate,
                    "Param::header(\"X-Workflow-State-Id\", string().min_length(1)).required()",
                    "Param::header(\"X-Workflow-State-Id\", string().min_length(1))",
                )
            }),
            &["operation CreateCallbackWorkflow (server trait `FunctionGraph`, method `create_callback_workflow`): `handle_create_callback_workflow`: parameter `X-Workflow-State-Id` has required: false, the spec says true"],
        ),
        (
            "a required header optional in the server's input struct",
            Box::new(|s| {
                s.server = replace_once(
                    &s.server,
                    "pub x_workflow_state_id: String,",
                    "pub x_workflow_state_id: Option<String>,",
                )
            }),
            &["operation CreateCallbackWorkflow (server trait `FunctionGraph`, method `create_callback_workflow`): `CreateCallbackWorkflowInput.x_workflow_state_id` is `Option<String>`, expected `String`"],
        ),
        (
            "a trait method that takes the inputs one by one",
            Box::new(|s| {
                s.server = replace_once(
                    &s.server,
                    "input: CreateCallbackWorkflowInput,\n    ) -> impl Future",
                    "body: types::WorkflowCallbackRequest,\n    ) -> impl Future",
                )
            }),
            &["operation CreateCallbackWorkflow (server trait `FunctionGraph`, method `create_callback_workflow`): its arguments are [\"ctx\", \"body\"], expected [\"ctx\", \"input\"]"],
        ),
        (
            "a header sent under another name",
            Box::new(|s| {
                s.client = replace_once(
                    &s.client,
                    "request.header(\"X-Workflow-Run-Id\"",
                    "request.header(\"X-Workflow-Run\"",
                )
            }),
            &["operation CreateCallbackWorkflow (client method `create_callback_workflow`): header parameter `X-Workflow-Run-Id`: argument `x_workflow_run_id` is sent as header `X-Workflow-Run`, expected header `X-Workflow-Run-Id`"],
        ),
        (
            "a documented status without a match arm",
            Box::new(|s| {
                s.client = replace_once(&s.client, "400 | 404 | 500 => Err(response.api_error()),", "400 | 500 => Err(response.api_error()),")
            }),
            &["operation CreateCallbackWorkflow (client method `create_callback_workflow`): no match arm for documented status 404"],
        ),
        (
            "a route with the wrong HTTP method",
            Box::new(|s| {
                s.server = replace_once(
                    &s.server,
                    ".put(\n                    runtime::finished_reader(handle_update_flink_jar_job::<S>, finishing),",
                    ".post(\n                    runtime::finished_reader(handle_update_flink_jar_job::<S>, finishing),",
                )
            }),
            &["operation UpdateFlinkJarJob (server trait `Dli`, method `update_flink_jar_job`): `handle_update_flink_jar_job` is routed as `.post(..)` on \"/v1.0/{project_id}/streaming/flink-jobs/{job_id}\", expected `.put(..)` on \"/v1.0/{project_id}/streaming/flink-jobs/{job_id}\""],
        ),
        (
            "a missing response variant",
            Box::new(|s| {
                s.server = replace_once(
                    &s.server,
                    "    NotFound(types::FunctionGraphErrorResponse),\n",
                    "",
                )
            }),
            &["operation CreateCallbackWorkflow (server trait `FunctionGraph`, method `create_callback_workflow`): `CreateCallbackWorkflowResponse` has no variant `NotFound` for status 404"],
        ),
        (
            "a required field made optional",
            Box::new(|s| {
                s.client_types = replace_once(
                    &s.client_types,
                    "    pub job_id: i64,\n    /// Name of the current status",
                    "    pub job_id: Option<i64>,\n    /// Name of the current status",
                )
            }),
            &["schema FlinkJarJobStatus (client types.rs, type `FlinkJarJobStatus`): field `job_id` (wire `job_id`) is `Option<i64>`, expected `i64`"],
        ),
        (
            "an int64 field typed i32",
            Box::new(|s| {
                s.server_types = replace_once(
                    &s.server_types,
                    "pub create_time: i64,",
                    "pub create_time: i32,",
                )
            }),
            &["schema FlinkJobStatusReportJob (server types.rs, type `FlinkJobStatusReportJob`): field `create_time` (wire `create_time`) is `i32`, expected `i64`"],
        ),
        (
            "a field renamed on the wire",
            Box::new(|s| {
                s.server_types = replace_once(
                    &s.server_types,
                    "IefJobActionCallbackRequest,\n    message_id => \"message_id\" required,",
                    "IefJobActionCallbackRequest,\n    message_id => \"messageId\" required,",
                )
            }),
            &[
                "schema IefJobActionCallbackRequest (server types.rs, type `IefJobActionCallbackRequest`): no field with wire name `message_id` (its `json_object!` entry names another)",
                "schema IefJobActionCallbackRequest (server types.rs, type `IefJobActionCallbackRequest`): field `message_id` (wire `messageId`) is not a property of the schema",
            ],
        ),
        (
            "an enum value dropped",
            Box::new(|s| {
                s.client_types =
                    replace_once(&s.client_types, "&[\"success\", \"fail\"]", "&[\"success\"]")
            }),
            &["schema WorkflowCallbackResult (client types.rs, type `WorkflowCallbackResult`): the enum's wire values are [\"success\"], expected [\"success\", \"fail\"]"],
        ),
        (
            "a lenient field typed as its non-canonical alternative",
            Box::new(|s| {
                s.client_types = replace_once(
                    &s.client_types,
                    "pub type StringList = Vec<String>;",
                    "pub type StringList = String;",
                )
            }),
            &["schema StringList (client types.rs, type `StringList`): the alias is `String`, expected `Vec<String>`"],
        ),
    ];
    for (what, change, expected) in cases {
        let mut sources = Sources {
            client: original.client.clone(),
            client_types: original.client_types.clone(),
            server: original.server.clone(),
            server_types: original.server_types.clone(),
            server_validate: original.server_validate.clone(),
        };
        change(&mut sources);
        let mismatches = check::check(&spec, &sources);
        assert_eq!(
            mismatches, expected,
            "{what}: the checks should report exactly this"
        );
    }
}

/// A change to the generated text that one check must notice.
type Mutation = Box<dyn Fn(&mut Sources)>;

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the generated text no longer contains {from:?} exactly once; update this test case"
    );
    text.replacen(from, to, 1)
}
