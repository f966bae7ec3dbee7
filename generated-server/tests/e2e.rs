//! End to end: the generated client calls the generated server over a real 127.0.0.1
//! socket, for all five operations.
//!
//! A recording implementation of both service traits checks that the server received
//! exactly what the client sent (client-level and path parameters, headers, typed bodies,
//! and a valid AK/SK signature) and answers with typed responses that the client must
//! decode. The mock answers every operation with the spec's seed example, and with its
//! documented 400 example when a layer adds `Prefer: code=400` (the client has no
//! per-call headers, so the layer stands in for a caller that sets one).

use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::HeaderValue;
use huaweicloud_api_client::runtime::Credentials;
use huaweicloud_api_client::{types as wire, Client, Error, Service};
use huaweicloud_api_server::mock::Mock;
use huaweicloud_api_server::runtime::{
    Caller, RequestContext, RouterOptions, SignatureLayer, StaticKeys,
};
use huaweicloud_api_server::{
    router, types, ChangeFlinkJobStatusReportInput, ChangeFlinkJobStatusReportResponse,
    CreateCallbackWorkflowInput, CreateCallbackWorkflowResponse, CreateFlinkJarJobInput,
    CreateFlinkJarJobResponse, Dli, FunctionGraph, RunIefJobActionCallBackInput,
    RunIefJobActionCallBackResponse, UpdateFlinkJarJobInput, UpdateFlinkJarJobResponse, DLI_ERRORS,
};
use serde::Serialize;
use serde_json::{json, Value};

const PROJECT_ID: &str = "p";
const AK: &str = "E2EACCESSKEY";
const SK: &str = "E2ESECRETKEY";

/// One call as the server's trait method received it.
#[derive(Debug, Clone, PartialEq)]
enum Received {
    RunIefJobActionCallBack {
        project_id: String,
        body: types::IefJobActionCallbackRequest,
    },
    ChangeFlinkJobStatusReport {
        project_id: String,
        body: types::FlinkJobStatusReportRequest,
    },
    CreateFlinkJarJob {
        project_id: String,
        body: types::FlinkJarJobCreateRequest,
    },
    UpdateFlinkJarJob {
        project_id: String,
        job_id: i64,
        body: types::FlinkJarJobUpdateRequest,
    },
    CreateCallbackWorkflow {
        project_id: String,
        workflow_id: String,
        run_id: String,
        state_id: String,
        body: types::WorkflowCallbackRequest,
    },
}

/// What the request carried besides its typed inputs.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    received: Received,
    project_header: Option<String>,
    caller: Option<Caller>,
}

/// Which answer the recorder gives.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Answer {
    Success,
    Error,
}

/// Records every call and answers with fixed typed responses.
struct Recorder {
    answer: Answer,
    seen: Mutex<Vec<Seen>>,
}

impl Recorder {
    fn new(answer: Answer) -> Arc<Recorder> {
        Arc::new(Recorder {
            answer,
            seen: Mutex::new(Vec::new()),
        })
    }

    fn record(&self, ctx: &RequestContext, received: Received) {
        let seen = Seen {
            received,
            project_header: ctx
                .headers
                .get("x-project-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            caller: ctx.extensions.get::<Caller>().cloned(),
        };
        self.seen
            .lock()
            .expect("no test thread panicked")
            .push(seen);
    }

    /// The one call recorded since the last take.
    fn take(&self) -> Seen {
        let mut seen = self.seen.lock().expect("no test thread panicked");
        assert_eq!(
            seen.len(),
            1,
            "exactly one call reached the service: {seen:?}"
        );
        seen.remove(0)
    }
}

fn error(code: &str, message: &str) -> types::ErrorResponse {
    types::ErrorResponse {
        error_code: code.to_string(),
        error_msg: message.to_string(),
    }
}

/// FunctionGraph's error body, which has its own schema (with FunctionGraph's length
/// limits, see spec/NOTES.md).
fn fg_error(code: &str, message: &str) -> types::FunctionGraphErrorResponse {
    types::FunctionGraphErrorResponse {
        error_code: code.to_string(),
        error_msg: message.to_string(),
    }
}

impl Dli for Recorder {
    fn run_ief_job_action_call_back(
        &self,
        ctx: RequestContext,
        input: RunIefJobActionCallBackInput,
    ) -> impl Future<Output = RunIefJobActionCallBackResponse> + Send {
        let RunIefJobActionCallBackInput {
            project_id, body, ..
        } = input;
        self.record(&ctx, Received::RunIefJobActionCallBack { project_id, body });
        let answer = match self.answer {
            Answer::Success => RunIefJobActionCallBackResponse::Ok(types::EdgeOperationResponse {
                is_success: Some(true),
                message: Some("callback processed".to_string()),
            }),
            Answer::Error => {
                RunIefJobActionCallBackResponse::BadRequest(error("DLI.0001", "bad callback"))
            }
        };
        async move { answer }
    }

    fn change_flink_job_status_report(
        &self,
        ctx: RequestContext,
        input: ChangeFlinkJobStatusReportInput,
    ) -> impl Future<Output = ChangeFlinkJobStatusReportResponse> + Send {
        let ChangeFlinkJobStatusReportInput {
            project_id, body, ..
        } = input;
        self.record(
            &ctx,
            Received::ChangeFlinkJobStatusReport { project_id, body },
        );
        let answer = match self.answer {
            Answer::Success => {
                ChangeFlinkJobStatusReportResponse::Ok(types::EdgeOperationResponse {
                    is_success: Some(false),
                    message: Some(String::new()),
                })
            }
            Answer::Error => {
                ChangeFlinkJobStatusReportResponse::BadRequest(error("DLI.0001", "bad report"))
            }
        };
        async move { answer }
    }

    fn create_flink_jar_job(
        &self,
        ctx: RequestContext,
        input: CreateFlinkJarJobInput,
    ) -> impl Future<Output = CreateFlinkJarJobResponse> + Send {
        let CreateFlinkJarJobInput {
            project_id, body, ..
        } = input;
        self.record(&ctx, Received::CreateFlinkJarJob { project_id, body });
        let answer = match self.answer {
            Answer::Success => CreateFlinkJarJobResponse::Ok(types::FlinkJarJobCreateResponse {
                is_success: Some(true),
                message: Some("created".to_string()),
                job: Some(types::FlinkJarJobStatus {
                    job_id: 4242,
                    status_name: Some("job_init".to_string()),
                    status_desc: None,
                }),
            }),
            Answer::Error => {
                CreateFlinkJarJobResponse::BadRequest(error("DLI.11016", "bucket not authorized"))
            }
        };
        async move { answer }
    }

    fn update_flink_jar_job(
        &self,
        ctx: RequestContext,
        input: UpdateFlinkJarJobInput,
    ) -> impl Future<Output = UpdateFlinkJarJobResponse> + Send {
        let UpdateFlinkJarJobInput {
            project_id,
            job_id,
            body,
            ..
        } = input;
        self.record(
            &ctx,
            Received::UpdateFlinkJarJob {
                project_id,
                job_id,
                body,
            },
        );
        let answer = match self.answer {
            Answer::Success => UpdateFlinkJarJobResponse::Ok(types::FlinkJarJobUpdateResponse {
                is_success: Some(true),
                message: None,
                job: Some(types::FlinkJarJobUpdateTime {
                    update_time: Some(1_716_000_000_123),
                }),
            }),
            Answer::Error => {
                UpdateFlinkJarJobResponse::BadRequest(error("DLI.12002", "update failed"))
            }
        };
        async move { answer }
    }
}

impl FunctionGraph for Recorder {
    fn create_callback_workflow(
        &self,
        ctx: RequestContext,
        input: CreateCallbackWorkflowInput,
    ) -> impl Future<Output = CreateCallbackWorkflowResponse> + Send {
        let CreateCallbackWorkflowInput {
            project_id,
            workflow_id,
            x_workflow_run_id,
            x_workflow_state_id,
            body,
            ..
        } = input;
        self.record(
            &ctx,
            Received::CreateCallbackWorkflow {
                project_id,
                workflow_id,
                run_id: x_workflow_run_id,
                state_id: x_workflow_state_id,
                body,
            },
        );
        let answer = match self.answer {
            Answer::Success => {
                CreateCallbackWorkflowResponse::Ok(types::WorkflowCallbackResponse {
                    execution_id: Some("exec-1".to_string()),
                })
            }
            Answer::Error => {
                CreateCallbackWorkflowResponse::NotFound(fg_error("FSS.0404", "no such run"))
            }
        };
        async move { answer }
    }
}

/// Serves `app` on 127.0.0.1 with an ephemeral port; returns its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port is free");
    let address = listener
        .local_addr()
        .expect("a bound socket has an address");
    tokio::spawn(async move {
        axum::serve(listener, app)
            .await
            .expect("the test server runs");
    });
    format!("http://{address}")
}

/// The recorder behind the generated router, with AK/SK signatures verified.
async fn serve_recorder(recorder: &Arc<Recorder>) -> String {
    let app = router(
        recorder.clone(),
        recorder.clone(),
        &RouterOptions::default(),
    )
    .layer(SignatureLayer::new(&DLI_ERRORS).secret_keys(StaticKeys::new([(AK, SK)])));
    serve(app).await
}

fn client(url: &str) -> Client {
    Client::builder()
        .project_id(PROJECT_ID)
        .endpoint(Service::Dli, url)
        .endpoint(Service::FunctionGraph, url)
        .config(|c| c.credentials(Credentials::new(AK, SK)))
        .build()
        .expect("the client builds")
}

/// A value of one crate's type as the same value of the other crate's type: both
/// crates are generated from one spec, so their JSON forms must agree.
fn convert<A: Serialize, B: serde::de::DeserializeOwned>(value: &A) -> B {
    let json = serde_json::to_value(value).expect("generated types serialize");
    serde_json::from_value(json).expect("the client's and the server's types agree")
}

fn create_request() -> wire::FlinkJarJobCreateRequest {
    wire::FlinkJarJobCreateRequest {
        name: "e2e-job".to_string(),
        desc: Some("created by the end-to-end test".to_string()),
        queue_name: Some("queue1".to_string()),
        cu_number: Some(4),
        manager_cu_number: Some(1),
        parallel_number: Some(2),
        log_enabled: Some(true),
        obs_bucket: Some("bucket".to_string()),
        smn_topic: None,
        main_class: Some("org.example.Main".to_string()),
        entrypoint_args: Some("--mode fast".to_string()),
        restart_when_exception: Some(false),
        entrypoint: Some("main.jar".to_string()),
        dependency_jars: Some(vec!["a.jar".to_string(), "b.jar".to_string()]),
        dependency_files: Some(vec![]),
        checkpoint_enabled: Some(true),
        checkpoint_mode: Some(2),
        checkpoint_interval: Some(30),
        flink_version: Some("1.15".to_string()),
        image: None,
        tm_slot_num: Some(2),
        tm_cus: Some(1),
        feature: Some(wire::FlinkJobFeature::Basic),
        resume_checkpoint: Some(true),
        resume_max_num: Some(-1),
        checkpoint_path: Some("obs://bucket/checkpoints".to_string()),
        runtime_config: None,
        flink_log_config: Some("{\"root_logger_level\":\"INFO\"}".to_string()),
        execution_agency_urn: None,
        tags: Some(vec![wire::Tag::new("team".to_string(), "data".to_string())]),
        resource_config: Some(wire::ResourceConfig {
            max_slot: Some(2),
            parallel_number: Some(2),
            jobmanager_resource_spec: Some(wire::ResourceSpec {
                cpu: Some(1.0),
                memory: Some("4G".to_string()),
            }),
            taskmanager_resource_spec: None,
        }),
        resource_config_version: Some(wire::ResourceConfigVersion::V2),
    }
}

#[tokio::test]
#[allow(deprecated, reason = "the test covers the deprecated operations too")]
async fn the_client_and_a_service_implementation_agree_on_all_five_operations() {
    let recorder = Recorder::new(Answer::Success);
    let url = serve_recorder(&recorder).await;
    let client = client(&url);
    let expect_headers = |seen: &Seen| {
        assert_eq!(seen.project_header.as_deref(), Some(PROJECT_ID));
        assert_eq!(seen.caller, Some(Caller::AccessKey(AK.to_string())));
    };

    // RunIefJobActionCallBack.
    let body = wire::IefJobActionCallbackRequest {
        message_id: "m-1".to_string(),
        state: Some(wire::IefJobState {
            phase: "FAILED".to_string(),
            reason: Some("submit failed, retry later".to_string()),
        }),
    };
    let reply = client
        .run_ief_job_action_call_back(&body)
        .await
        .expect("the call succeeds");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        wire::EdgeOperationResponse {
            is_success: Some(true),
            message: Some("callback processed".to_string()),
        }
    );
    let seen = recorder.take();
    expect_headers(&seen);
    assert_eq!(
        seen.received,
        Received::RunIefJobActionCallBack {
            project_id: PROJECT_ID.to_string(),
            body: convert(&body),
        }
    );

    // ChangeFlinkJobStatusReport, with both shapes of `exceptions`.
    let body = wire::FlinkJobStatusReportRequest {
        jobs: vec![
            wire::FlinkJobStatusReportJob {
                job_id: Some(99270),
                status: "job_submit_fail".to_string(),
                create_time: 1_591_104_868_201,
                exceptions: Some(wire::FlinkJobExceptions::String("text".to_string())),
                metrics: None,
                plan: Some("plan".to_string()),
            },
            wire::FlinkJobStatusReportJob {
                job_id: None,
                status: "running".to_string(),
                create_time: 1,
                exceptions: Some(wire::FlinkJobExceptions::JobException(wire::JobException {
                    error_id: Some("Agent.51000".to_string()),
                    exception: Some(String::new()),
                    ..Default::default()
                })),
                metrics: Some("{}".to_string()),
                plan: None,
            },
        ],
        msg_confirm_topic: None,
        message_id: "uuid".to_string(),
    };
    let reply = client
        .change_flink_job_status_report(&body)
        .await
        .expect("the call succeeds");
    assert_eq!(
        reply.body,
        wire::EdgeOperationResponse {
            is_success: Some(false),
            message: Some(String::new()),
        }
    );
    let seen = recorder.take();
    expect_headers(&seen);
    let Received::ChangeFlinkJobStatusReport {
        project_id,
        body: received,
    } = seen.received
    else {
        panic!("the wrong operation was called: {:?}", seen.received);
    };
    assert_eq!(project_id, PROJECT_ID);
    assert_eq!(received, convert(&body));
    assert!(matches!(
        received.jobs[1].exceptions,
        Some(types::FlinkJobExceptions::JobException(_))
    ));

    // CreateFlinkJarJob.
    let body = create_request();
    let reply = client
        .create_flink_jar_job(&body)
        .await
        .expect("the call succeeds");
    assert_eq!(
        reply.body,
        wire::FlinkJarJobCreateResponse {
            is_success: Some(true),
            message: Some("created".to_string()),
            job: Some(wire::FlinkJarJobStatus {
                job_id: 4242,
                status_name: Some("job_init".to_string()),
                status_desc: None,
            }),
        }
    );
    let seen = recorder.take();
    expect_headers(&seen);
    assert_eq!(
        seen.received,
        Received::CreateFlinkJarJob {
            project_id: PROJECT_ID.to_string(),
            body: convert(&body),
        }
    );

    // UpdateFlinkJarJob: a path parameter and a partial body.
    let body = wire::FlinkJarJobUpdateRequest {
        cu_number: Some(4),
        tm_cus: Some(2),
        dependency_files: Some(vec!["x.csv".to_string()]),
        ..Default::default()
    };
    let reply = client
        .update_flink_jar_job(138, &body)
        .await
        .expect("the call succeeds");
    assert_eq!(
        reply.body.job,
        Some(wire::FlinkJarJobUpdateTime {
            update_time: Some(1_716_000_000_123)
        })
    );
    let seen = recorder.take();
    expect_headers(&seen);
    assert_eq!(
        seen.received,
        Received::UpdateFlinkJarJob {
            project_id: PROJECT_ID.to_string(),
            job_id: 138,
            body: convert(&body),
        }
    );

    // CreateCallbackWorkflow: a path parameter that needs encoding, two headers, and a
    // free-form object.
    let mut output = serde_json::Map::new();
    output.insert("approved".to_string(), json!(true));
    output.insert("by".to_string(), json!({"name": "Zoë", "ids": [1, 2]}));
    let body = wire::WorkflowCallbackRequest {
        result: wire::WorkflowCallbackResult::Success,
        error: None,
        output,
    };
    let reply = client
        .create_callback_workflow("wf 1/ä", "run-7", "wait_for_approval", &body)
        .await
        .expect("the call succeeds");
    assert_eq!(reply.body.execution_id.as_deref(), Some("exec-1"));
    assert!(
        reply.request_id().is_some(),
        "the server's request id comes back"
    );
    let seen = recorder.take();
    expect_headers(&seen);
    assert_eq!(
        seen.received,
        Received::CreateCallbackWorkflow {
            project_id: PROJECT_ID.to_string(),
            workflow_id: "wf 1/ä".to_string(),
            run_id: "run-7".to_string(),
            state_id: "wait_for_approval".to_string(),
            body: convert(&body),
        }
    );
}

#[tokio::test]
#[allow(deprecated, reason = "the test covers the deprecated operations too")]
async fn documented_error_statuses_reach_the_client_as_typed_errors() {
    let recorder = Recorder::new(Answer::Error);
    let url = serve_recorder(&recorder).await;
    let client = client(&url);

    let expect_api =
        |result: Result<u16, Error<wire::ErrorResponse>>, status: u16, code: &str| match result {
            Err(Error::Api {
                status: s, body, ..
            }) => {
                assert_eq!(s, status);
                assert_eq!(body.error_code, code);
            }
            other => panic!("expected a typed {status} error with {code}, got {other:?}"),
        };
    expect_api(
        client
            .run_ief_job_action_call_back(&wire::IefJobActionCallbackRequest {
                message_id: "m".to_string(),
                state: None,
            })
            .await
            .map(|r| r.status.as_u16()),
        400,
        "DLI.0001",
    );
    expect_api(
        client
            .change_flink_job_status_report(&wire::FlinkJobStatusReportRequest {
                jobs: vec![],
                msg_confirm_topic: None,
                message_id: "m".to_string(),
            })
            .await
            .map(|r| r.status.as_u16()),
        400,
        "DLI.0001",
    );
    expect_api(
        client
            .create_flink_jar_job(&create_request())
            .await
            .map(|r| r.status.as_u16()),
        400,
        "DLI.11016",
    );
    expect_api(
        client
            .update_flink_jar_job(1, &wire::FlinkJarJobUpdateRequest::default())
            .await
            .map(|r| r.status.as_u16()),
        400,
        "DLI.12002",
    );
    let result = client
        .create_callback_workflow(
            "wf",
            "run",
            "state",
            &wire::WorkflowCallbackRequest {
                result: wire::WorkflowCallbackResult::Fail,
                error: Some("rejected".to_string()),
                output: serde_json::Map::new(),
            },
        )
        .await;
    match &result {
        Err(error) => {
            assert_eq!(error.error_code(), Some("FSS.0404"));
            assert_eq!(
                error.body().map(|b| b.error_msg.as_str()),
                Some("no such run")
            );
        }
        Ok(reply) => panic!("expected a 404, got {reply:?}"),
    }
    match result {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status, 404);
            assert_eq!(body.error_code, "FSS.0404");
        }
        other => panic!("expected a typed 404 error with FSS.0404, got {other:?}"),
    }
    assert_eq!(
        recorder.seen.lock().expect("no test thread panicked").len(),
        5
    );
}

/// The spec, to compare the mock's answers with its examples. It is read as YAML values,
/// which keep the spec's order (the mock's "first example" is first in spec order).
fn spec() -> serde_yaml::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

/// The named (or first) example of one response of one operation, as JSON; `$ref`ed
/// responses are followed.
fn example(
    spec: &serde_yaml::Value,
    path: &str,
    method: &str,
    status: &str,
    name: Option<&str>,
) -> Value {
    let mut response = &spec["paths"][path][method]["responses"][status];
    if let Some(reference) = response["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/components/responses/")
            .expect("responses refer to components");
        response = &spec["components"]["responses"][name];
    }
    let examples = response["content"]["application/json"]["examples"]
        .as_mapping()
        .expect("the response has examples");
    let example = match name {
        Some(name) => &examples[name],
        None => examples.values().next().expect("at least one example"),
    };
    serde_json::to_value(&example["value"]).expect("a YAML example is JSON")
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("spec examples decode into their types")
}

const FLINK_JOBS: &str = "/v1.0/{project_id}/streaming/flink-jobs";
const FLINK_JOB: &str = "/v1.0/{project_id}/streaming/flink-jobs/{job_id}";
const MESSAGES: &str = "/v1/{project_id}/edgesrv/messages";
const JOB_REPORT: &str = "/v1/{project_id}/edgesrv/job-report";
const CALLBACK: &str = "/v2/{project_id}/fgs/workflows/{workflow_id}/callback";

#[tokio::test]
#[allow(deprecated, reason = "the test covers the deprecated operations too")]
async fn the_mock_answers_every_operation_with_its_seed_example() {
    let spec = spec();
    let url = serve(router(
        Arc::new(Mock),
        Arc::new(Mock),
        &RouterOptions::default(),
    ))
    .await;
    let client = client(&url);

    let reply = client
        .run_ief_job_action_call_back(&decode(json!({"message_id": "m"})))
        .await
        .expect("the mock answers 200");
    assert_eq!(reply.status, 200);
    let seed: wire::EdgeOperationResponse =
        decode(example(&spec, MESSAGES, "post", "200", Some("seed")));
    assert_eq!(reply.body, seed);
    assert_eq!(
        seed.is_success,
        Some(true),
        "the seed's \"true\" is read as true"
    );

    let reply = client
        .change_flink_job_status_report(&decode(json!({"jobs": [], "message_id": "m"})))
        .await
        .expect("the mock answers 200");
    assert_eq!(
        reply.body,
        decode::<wire::EdgeOperationResponse>(example(
            &spec,
            JOB_REPORT,
            "post",
            "200",
            Some("seed")
        ))
    );

    let reply = client
        .create_flink_jar_job(&create_request())
        .await
        .expect("the mock answers 200");
    assert_eq!(
        reply.body,
        decode::<wire::FlinkJarJobCreateResponse>(example(
            &spec,
            FLINK_JOBS,
            "post",
            "200",
            Some("seed")
        ))
    );

    let reply = client
        .update_flink_jar_job(138, &wire::FlinkJarJobUpdateRequest::default())
        .await
        .expect("the mock answers 200");
    assert_eq!(
        reply.body,
        decode::<wire::FlinkJarJobUpdateResponse>(example(
            &spec,
            FLINK_JOB,
            "put",
            "200",
            Some("seed")
        ))
    );

    let reply = client
        .create_callback_workflow(
            "wf",
            "run",
            "state",
            &decode(json!({"result": "success", "output": {}})),
        )
        .await
        .expect("the mock answers 200");
    assert_eq!(
        reply.body,
        decode::<wire::WorkflowCallbackResponse>(example(
            &spec,
            CALLBACK,
            "post",
            "200",
            Some("seed")
        ))
    );
}

/// Adds `Prefer: code=400` to every request, as a caller of the mock would.
async fn prefer_400(mut request: Request) -> Request {
    request
        .headers_mut()
        .insert("prefer", HeaderValue::from_static("code=400"));
    request
}

#[tokio::test]
#[allow(deprecated, reason = "the test covers the deprecated operations too")]
async fn the_mock_answers_prefer_code_400_with_the_documented_error_example() {
    let spec = spec();
    let app = router(Arc::new(Mock), Arc::new(Mock), &RouterOptions::default())
        .layer(axum::middleware::map_request(prefer_400));
    let client = client(&serve(app).await);

    fn expect_in<E>(
        spec: &serde_yaml::Value,
        result: Result<(), Error<E>>,
        path: &str,
        method: &str,
    ) where
        E: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let documented: E = decode(example(spec, path, method, "400", None));
        match result {
            Err(Error::Api { status, body, .. }) => {
                assert_eq!(status, 400, "{method} {path}");
                assert_eq!(body, documented, "{method} {path}");
            }
            other => panic!("{method} {path}: expected the 400 example, got {other:?}"),
        }
    }
    let expect = |result: Result<(), Error<wire::ErrorResponse>>, path: &str, method: &str| {
        expect_in(&spec, result, path, method)
    };
    expect(
        client
            .run_ief_job_action_call_back(&decode(json!({"message_id": "m"})))
            .await
            .map(drop),
        MESSAGES,
        "post",
    );
    expect(
        client
            .change_flink_job_status_report(&decode(json!({"jobs": [], "message_id": "m"})))
            .await
            .map(drop),
        JOB_REPORT,
        "post",
    );
    expect(
        client
            .create_flink_jar_job(&create_request())
            .await
            .map(drop),
        FLINK_JOBS,
        "post",
    );
    expect(
        client
            .update_flink_jar_job(1, &wire::FlinkJarJobUpdateRequest::default())
            .await
            .map(drop),
        FLINK_JOB,
        "put",
    );
    expect_in(
        &spec,
        client
            .create_callback_workflow(
                "wf",
                "run",
                "state",
                &decode(json!({"result": "fail", "output": {}})),
            )
            .await
            .map(drop),
        CALLBACK,
        "post",
    );
}
