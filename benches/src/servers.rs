//! The servers under test: the generated router and a hand-written axum baseline that
//! parses the same body into a plain serde struct and sends the same answer.
//!
//! To benchmark another stack (for example the generated router behind the
//! signature-verification layer), add a [`Variant`] and build its router in
//! [`Variant::router`]; the load driver runs every variant of [`Variant::ALL`].

use std::future::Future;
use std::sync::Arc;

use axum::extract::Path;
use axum::routing::post;
use axum::{Json, Router};
use huaweicloud_api_server::mock::Mock;
use huaweicloud_api_server::runtime::{
    self, Authentication, RequestContext, RouterOptions, SignatureLayer, StaticKeys,
};
use huaweicloud_api_server::{
    types, ChangeFlinkJobStatusReportInput, ChangeFlinkJobStatusReportResponse,
    CreateFlinkJarJobInput, CreateFlinkJarJobResponse, Dli, RunIefJobActionCallBackInput,
    RunIefJobActionCallBackResponse, UpdateFlinkJarJobInput, UpdateFlinkJarJobResponse, DLI_ERRORS,
};

use crate::plain;

/// One server stack answering `POST /v1.0/{project_id}/streaming/flink-jobs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// A hand-written axum handler: `Path<String>` and `Json<plain struct>` extractors,
    /// a fixed plain answer.
    HandWritten,
    /// The generated router with full validation and a trait implementation that
    /// answers a fixed typed value.
    Generated,
    /// The generated router with the generated mock, which picks an example per request.
    GeneratedMock,
    /// The hand-written handler behind the generated crate's finishing layers (request
    /// ids, body limit, fallback in the spec's error format): separates their cost from
    /// the generated handler's.
    HandWrittenFinished,
    /// [`Variant::Generated`] checking signatures (`RouterOptions::authenticate`, inside
    /// the router's finishing layer); requests carry an `SDK-HMAC-SHA256` signature by
    /// [`ACCESS_KEY`].
    GeneratedSigned,
    /// [`Variant::Generated`] with `SignatureLayer` around it (`Router::layer`), as one
    /// would put it in front of any router; the same signed requests.
    GeneratedSignedLayer,
    /// [`Variant::Generated`], unchanged, sent the signed requests of
    /// [`Variant::GeneratedSigned`]: it reads the same bytes but checks nothing, which
    /// separates carrying `Authorization` and `X-Sdk-Date` from verifying them.
    GeneratedSignatureIgnored,
}

/// The access key the load generator signs with and the signed variant accepts.
pub const ACCESS_KEY: &str = "AK_BENCH_0123456789";
/// Its secret key.
pub const SECRET_KEY: &str = "SK_BENCH_abcdefghijklmnopqrstuvwxyz";

impl Variant {
    /// Every variant, the baseline first.
    pub const ALL: [Variant; 7] = [
        Variant::HandWritten,
        Variant::HandWrittenFinished,
        Variant::Generated,
        Variant::GeneratedMock,
        Variant::GeneratedSigned,
        Variant::GeneratedSignedLayer,
        Variant::GeneratedSignatureIgnored,
    ];

    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Variant::HandWritten => "hand-written axum",
            Variant::Generated => "generated router",
            Variant::GeneratedMock => "generated router + mock",
            Variant::HandWrittenFinished => "hand-written + generated finishing layers",
            Variant::GeneratedSigned => "generated router + signature verification",
            Variant::GeneratedSignedLayer => "generated router + SignatureLayer around it",
            Variant::GeneratedSignatureIgnored => "generated router, signed requests unchecked",
        }
    }

    /// A name without spaces, for benchmark ids.
    pub fn short_name(self) -> &'static str {
        match self {
            Variant::HandWritten => "hand_written",
            Variant::Generated => "generated",
            Variant::GeneratedMock => "generated_mock",
            Variant::HandWrittenFinished => "hand_written_finished",
            Variant::GeneratedSigned => "generated_signed",
            Variant::GeneratedSignedLayer => "generated_signed_layer",
            Variant::GeneratedSignatureIgnored => "generated_signature_ignored",
        }
    }

    /// Whether requests to this variant must be signed.
    pub fn signed(self) -> bool {
        matches!(
            self,
            Variant::GeneratedSigned
                | Variant::GeneratedSignedLayer
                | Variant::GeneratedSignatureIgnored
        )
    }

    /// The router of this variant.
    pub fn router(self) -> Router {
        match self {
            Variant::HandWritten => hand_written_router(),
            Variant::Generated | Variant::GeneratedSignatureIgnored => {
                huaweicloud_api_server::router(Arc::new(Fixed), Arc::new(Mock), &options())
            }
            Variant::GeneratedMock => {
                huaweicloud_api_server::router(Arc::new(Mock), Arc::new(Mock), &options())
            }
            Variant::HandWrittenFinished => {
                runtime::finish(hand_written_router(), &DLI_ERRORS, &options())
            }
            Variant::GeneratedSigned => {
                let keys = StaticKeys::new([(ACCESS_KEY, SECRET_KEY)]);
                let options = options().authenticate(Authentication::new().secret_keys(keys));
                huaweicloud_api_server::router(Arc::new(Fixed), Arc::new(Mock), &options)
            }
            Variant::GeneratedSignedLayer => {
                let keys = StaticKeys::new([(ACCESS_KEY, SECRET_KEY)]);
                huaweicloud_api_server::router(Arc::new(Fixed), Arc::new(Mock), &options())
                    .layer(SignatureLayer::new(&DLI_ERRORS).secret_keys(keys))
            }
        }
    }
}

fn options() -> RouterOptions {
    RouterOptions::default()
}

/// The baseline: what one would write by hand for the same operation.
pub fn hand_written_router() -> Router {
    let answer = Arc::new(plain::create_flink_jar_job_response());
    Router::new().route(
        "/v1.0/{project_id}/streaming/flink-jobs",
        post(
            move |Path(project_id): Path<String>,
                  Json(body): Json<plain::FlinkJarJobCreateRequest>| {
                let answer = Arc::clone(&answer);
                async move {
                    std::hint::black_box((project_id, body));
                    Json(answer.as_ref().clone())
                }
            },
        ),
    )
}

/// A `Dli` implementation whose `CreateFlinkJarJob` answers the seed response, built
/// once; the other operations answer as the mock does.
#[derive(Debug, Clone)]
pub struct Fixed;

fn fixed_create_answer() -> types::FlinkJarJobCreateResponse {
    types::FlinkJarJobCreateResponse {
        is_success: Some(true),
        message: Some("新建flink作业成功".to_string()),
        job: Some(types::FlinkJarJobStatus {
            job_id: 138,
            status_name: Some("running".to_string()),
            status_desc: Some("正在运行".to_string()),
        }),
    }
}

impl Dli for Fixed {
    #[allow(deprecated, reason = "forwards the deprecated operation to the mock")]
    fn run_ief_job_action_call_back(
        &self,
        ctx: RequestContext,
        input: RunIefJobActionCallBackInput,
    ) -> impl Future<Output = RunIefJobActionCallBackResponse> + Send {
        Mock.run_ief_job_action_call_back(ctx, input)
    }

    #[allow(deprecated, reason = "forwards the deprecated operation to the mock")]
    fn change_flink_job_status_report(
        &self,
        ctx: RequestContext,
        input: ChangeFlinkJobStatusReportInput,
    ) -> impl Future<Output = ChangeFlinkJobStatusReportResponse> + Send {
        Mock.change_flink_job_status_report(ctx, input)
    }

    fn create_flink_jar_job(
        &self,
        _ctx: RequestContext,
        input: CreateFlinkJarJobInput,
    ) -> impl Future<Output = CreateFlinkJarJobResponse> + Send {
        std::hint::black_box(input);
        async { CreateFlinkJarJobResponse::Ok(fixed_create_answer()) }
    }

    fn update_flink_jar_job(
        &self,
        ctx: RequestContext,
        input: UpdateFlinkJarJobInput,
    ) -> impl Future<Output = UpdateFlinkJarJobResponse> + Send {
        Mock.update_flink_jar_job(ctx, input)
    }
}
