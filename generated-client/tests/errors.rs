//! Answers and failures: every Huawei error shape decodes, undocumented statuses keep
//! status, headers and body, malformed bodies give a decode error with the serde path,
//! lenient fields and unknown values are accepted, timeouts fire, and no error shows a
//! secret.

mod common;

use std::time::Duration;

use common::{builder, calls, client, Reply, TestServer, OK_BODY};
use huaweicloud_api_client::runtime::{Error, TimeoutKind};
use huaweicloud_api_client::types;

async fn create_with_answer(
    reply: Reply,
) -> Result<types::FlinkJarJobCreateResponse, Error<types::ErrorResponse>> {
    let server = TestServer::start(move |_, _| reply.clone()).await;
    client(&server.url)
        .create_flink_jar_job(&types::FlinkJarJobCreateRequest::new("j".to_string()))
        .await
        .map(|r| r.body)
}

#[tokio::test]
async fn a_documented_error_has_a_typed_body_and_the_request_id() {
    let err = create_with_answer(
        Reply::json(
            400,
            r#"{"error_code":"DLI.11016","error_msg":"The OBS bucket is not authorized."}"#,
        )
        .header("x-request-id", "req-0001"),
    )
    .await
    .expect_err("400");
    let Error::Api { body, status, .. } = &err else {
        panic!("expected a documented error: {err:?}");
    };
    assert_eq!(status.as_u16(), 400);
    assert_eq!(
        body,
        &types::ErrorResponse::new(
            "DLI.11016".to_string(),
            "The OBS bucket is not authorized.".to_string()
        )
    );
    assert_eq!(err.request_id(), Some("req-0001"));
    assert_eq!(
        err.to_string(),
        "CreateFlinkJarJob failed with HTTP 400: DLI.11016: The OBS bucket is not authorized. (request id req-0001)"
    );
}

#[tokio::test]
async fn every_huawei_error_shape_decodes_into_the_typed_body() {
    let cases = [
        (
            r#"{"error_code":"DLI.0001","error_msg":"Parameter check errors occur."}"#,
            "DLI.0001",
            "Parameter check errors occur.",
        ),
        (
            r#"{"code":"APIGW.0301","message":"Incorrect IAM authentication information."}"#,
            "APIGW.0301",
            "Incorrect IAM authentication information.",
        ),
        (
            r#"{"errorCode":"FSS.1001","errorMsg":"camel case"}"#,
            "FSS.1001",
            "camel case",
        ),
        (
            r#"{"error":{"code":"403","message":"Forbidden","title":"Forbidden"}}"#,
            "403",
            "Forbidden",
        ),
        (
            r#"{"error":{"error_code":"IAM.0001","error_msg":"nested"}}"#,
            "IAM.0001",
            "nested",
        ),
        // DLI answers some failures with its success shape; the status stands in for the
        // missing code, as in the official SDK.
        (
            r#"{"is_success":false,"message":"Queue does not exist."}"#,
            "400",
            "Queue does not exist.",
        ),
    ];
    for (answer, code, message) in cases {
        let err = create_with_answer(Reply::json(400, answer))
            .await
            .expect_err("400");
        let Error::Api { body, info, .. } = &err else {
            panic!("{answer}: expected a documented error: {err:?}");
        };
        assert_eq!(body.error_code, code, "{answer}");
        assert_eq!(body.error_msg, message, "{answer}");
        assert_eq!(info.message.as_deref(), Some(message), "{answer}");
        assert!(err.to_string().contains(message), "{err}");
    }
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_headers_and_raw_body() {
    let answer = r#"{"error":{"code":"APIGW.0101","message":"The API does not exist."}}"#;
    let err = create_with_answer(Reply::json(404, answer).header("x-request-id", "req-404"))
        .await
        .expect_err("404 is not documented for this operation");
    let Error::UnexpectedStatus {
        status,
        headers,
        body,
        info,
        ..
    } = &err
    else {
        panic!("expected an undocumented status: {err:?}");
    };
    assert_eq!(status.as_u16(), 404);
    assert_eq!(
        headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    assert_eq!(body.as_slice(), answer.as_bytes());
    assert_eq!(info.code.as_deref(), Some("APIGW.0101"));
    assert_eq!(
        err.to_string(),
        "CreateFlinkJarJob got HTTP 404, which the spec does not document for it: APIGW.0101: The API does not exist. (request id req-404)"
    );

    let html = create_with_answer(Reply::json(502, "<html>Bad Gateway</html>"))
        .await
        .expect_err("502");
    assert!(matches!(html, Error::UnexpectedStatus { .. }), "{html:?}");
    assert_eq!(html.error_code(), None);
}

#[tokio::test]
async fn malformed_bodies_give_a_decode_error_with_the_path() {
    let cases = [
        (
            r#"{"is_success":true,"job":{"job_id":"seven"}}"#,
            "job.job_id",
        ),
        (r#"{"is_success":"maybe"}"#, "is_success"),
        // Truncated: serde_path_to_error names the object it was reading, `?` for the key.
        (r#"{"is_success":true,"job":{"job_id":1"#, "job.?"),
        ("not json", "."),
        ("", "."),
        (r#""a string""#, "."),
        ("null", "."),
    ];
    for (answer, path) in cases {
        let err = create_with_answer(Reply::json(200, answer))
            .await
            .expect_err(answer);
        let Error::Decode {
            path: got,
            body,
            status,
            ..
        } = &err
        else {
            panic!("{answer}: expected a decode error: {err:?}");
        };
        assert_eq!(got, path, "{answer}: {err}");
        assert_eq!(body.as_slice(), answer.as_bytes());
        assert_eq!(status.as_u16(), 200);
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "CreateFlinkJarJob: the HTTP 200 body does not match the spec at `{path}`: "
            )),
            "{text}"
        );
        assert!(!text.contains('\n'), "{text}");
    }
    // A documented error status whose body has no error shape at all.
    let err = create_with_answer(Reply::json(400, r#"{"status":"bad"}"#))
        .await
        .expect_err("400");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_lenient_fields_decode() {
    let body = create_with_answer(Reply::json(
        200,
        r#"{"is_success":"true","message":"","job":{"job_id":148,"status_name":"job_init","later":[1,2]},"new_top_level":{"x":1}}"#,
    ))
    .await
    .expect("decodes");
    assert_eq!(body.is_success, Some(true));
    let job = body.job.expect("a job");
    assert_eq!(job.job_id, 148);
    assert_eq!(job.status_name.as_deref(), Some("job_init"));

    let body = create_with_answer(Reply::json(200, r#"{"is_success":"FALSE"}"#))
        .await
        .expect("decodes");
    assert_eq!(body.is_success, Some(false));
}

#[test]
fn comma_strings_and_unknown_enum_values_are_kept() {
    let request: types::FlinkJarJobCreateRequest = serde_json::from_str(
        r#"{"name":"j","dependency_jars":"myGroup/a.jar,myGroup/b.jar","dependency_files":["f.csv"]}"#,
    )
    .expect("decodes");
    assert_eq!(
        request.dependency_jars,
        Some(vec![
            "myGroup/a.jar".to_string(),
            "myGroup/b.jar".to_string()
        ])
    );
    assert_eq!(request.dependency_files, Some(vec!["f.csv".to_string()]));
    // The canonical form goes out.
    let sent = serde_json::to_value(&request).expect("encodes");
    assert_eq!(
        sent["dependency_jars"],
        serde_json::json!(["myGroup/a.jar", "myGroup/b.jar"])
    );

    let callback: types::WorkflowCallbackRequest =
        serde_json::from_str(r#"{"result":"paused","output":{}}"#).expect("decodes");
    assert_eq!(
        callback.result,
        types::WorkflowCallbackResult::Other("paused".to_string())
    );
    assert!(!callback.result.is_known());
    assert_eq!(
        serde_json::to_value(&callback).expect("encodes")["result"],
        "paused"
    );
}

#[tokio::test]
async fn an_unknown_enum_value_goes_on_the_wire_as_it_is() {
    let server = TestServer::start(|_, _| Reply::json(200, r#"{"execution_id":"e-1"}"#)).await;
    let body = types::WorkflowCallbackRequest::new(
        types::WorkflowCallbackResult::Other("paused".to_string()),
        Default::default(),
    );
    let reply = client(&server.url)
        .create_callback_workflow("wf", "run", "state", &body)
        .await
        .expect("200");
    assert_eq!(reply.body.execution_id.as_deref(), Some("e-1"));
    let sent: serde_json::Value = serde_json::from_slice(&server.requests()[0].body).expect("JSON");
    assert_eq!(sent, serde_json::json!({"result": "paused", "output": {}}));
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let server =
        TestServer::start(|_, _| Reply::json(200, OK_BODY).delayed(Duration::from_secs(30))).await;
    let client = builder(&server.url)
        .config(|c| c.timeout(Duration::from_millis(300)))
        .build()
        .expect("a valid client");
    let err = client
        .create_flink_jar_job(&types::FlinkJarJobCreateRequest::new("j".to_string()))
        .await
        .expect_err("the server is too slow");
    let Error::Timeout {
        kind,
        limit,
        retries,
        ..
    } = &err
    else {
        panic!("expected a timeout: {err:?}");
    };
    assert_eq!(*kind, TimeoutKind::Request);
    assert_eq!(*limit, Duration::from_millis(300));
    assert_eq!(*retries, 0, "a POST that may have arrived is not repeated");
    assert_eq!(server.count(), 1);
    assert_eq!(
        err.to_string(),
        "CreateFlinkJarJob got no complete answer within 300ms; raise Config::timeout or check the service"
    );
}

#[tokio::test]
async fn an_idempotent_call_that_times_out_is_retried() {
    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::json(200, OK_BODY).delayed(Duration::from_secs(30))
        } else {
            Reply::json(200, OK_BODY)
        }
    })
    .await;
    let client = builder(&server.url)
        .config(|c| c.timeout(Duration::from_millis(300)))
        .build()
        .expect("a valid client");
    assert_eq!(calls::update_job(&client).await, Ok(200));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_request_that_cannot_be_signed_is_an_invalid_request_and_is_not_sent() {
    let server = TestServer::start(|_, _| Reply::json(200, OK_BODY)).await;
    let body = types::WorkflowCallbackRequest::new(
        types::WorkflowCallbackResult::Success,
        Default::default(),
    );
    let err = client(&server.url)
        .create_callback_workflow("wf", "run\r\nX-Injected: 1", "state", &body)
        .await
        .expect_err("a line break cannot be sent in a header");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "CreateCallbackWorkflow: cannot build the request: cannot sign: the value of header \"X-Workflow-Run-Id\" contains a line break or NUL"
    );
    assert_eq!(server.count(), 0);
    assert_eq!(err.retries(), 0);
}

#[tokio::test]
async fn no_error_and_no_debug_output_shows_a_secret() {
    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::json(400, r#"{"error_code":"DLI.0001","error_msg":"bad"}"#)
        } else {
            Reply::json(200, OK_BODY).delayed(Duration::from_secs(30))
        }
    })
    .await;
    let client = builder(&server.url)
        .config(|c| {
            c.temporary_credentials(common::AK, common::SK, common::SECURITY_TOKEN)
                .timeout(Duration::from_millis(200))
        })
        .build()
        .expect("a valid client");
    let secrets = [common::SK, common::SECURITY_TOKEN, common::IAM_TOKEN];
    let check = |text: String| {
        for secret in secrets {
            assert!(!text.contains(secret), "{text}");
        }
    };
    check(format!("{client:?}"));

    let api = calls::create_job(&client).await.expect_err("400");
    let timeout = client
        .create_flink_jar_job(&types::FlinkJarJobCreateRequest::new("j".to_string()))
        .await
        .expect_err("too slow");
    check(format!("{api} {timeout} {timeout:?}"));
    assert!(matches!(timeout, Error::Timeout { .. }), "{timeout:?}");
    assert_eq!(
        server.requests()[0].header("x-security-token"),
        Some(common::SECURITY_TOKEN),
        "the token was sent, so it was there to leak"
    );

    let token_client = builder("http://127.0.0.1:9")
        .config(|c| c.token(common::IAM_TOKEN).max_retries(0))
        .build()
        .expect("a valid client");
    check(format!("{token_client:?}"));
    let transport = token_client
        .update_flink_jar_job(1, &types::FlinkJarJobUpdateRequest::default())
        .await
        .expect_err("nothing listens on port 9");
    assert!(
        matches!(transport, Error::Transport { .. }),
        "{transport:?}"
    );
    check(format!("{transport} {transport:?}"));
}
