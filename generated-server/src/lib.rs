//! An axum server stub and local mock for the API described by `spec/openapi.yaml`.
//!
//! This file is hand-written. The service traits, response types, validators, routers
//! and the mock are generated into `src/generated/` by `cargo xtask codegen`; [`runtime`]
//! (request parsing, validation primitives, error answers, request ids, caller
//! authentication) is the hand-written crate `apig-server-runtime`, which does not depend
//! on the spec.
//!
//! Serve the mock, or your own implementation of a service trait:
//!
//! ```no_run
//! use std::sync::Arc;
//! use huaweicloud_api_server::{mock::Mock, router, runtime::RouterOptions};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let app = router(Arc::new(Mock), Arc::new(Mock), &RouterOptions::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await
//! # }
//! ```
//!
//! Implementing a service, with AK/SK signatures checked before any route. The check runs
//! inside the router's own finishing layer, and a refusal is answered in the error format
//! of the service that owns the path (as an unknown route is):
//!
//! ```
//! use std::sync::Arc;
//! use huaweicloud_api_server::runtime::{
//!     Authentication, Caller, RequestContext, RouterOptions, StaticKeys,
//! };
//! use huaweicloud_api_server::{
//!     mock::Mock, router, types, CreateCallbackWorkflowInput, CreateCallbackWorkflowResponse,
//!     FunctionGraph,
//! };
//!
//! struct Workflows;
//!
//! impl FunctionGraph for Workflows {
//!     async fn create_callback_workflow(
//!         &self,
//!         ctx: RequestContext,
//!         input: CreateCallbackWorkflowInput,
//!     ) -> CreateCallbackWorkflowResponse {
//!         // The request is valid here and its caller verified. The input struct is
//!         // `#[non_exhaustive]`: `..` keeps this compiling when the spec adds a parameter.
//!         let CreateCallbackWorkflowInput { workflow_id, body, .. } = input;
//!         let caller = ctx.extensions.get::<Caller>();
//!         tracing::info!(?caller, %workflow_id, result = ?body.result, "callback");
//!         CreateCallbackWorkflowResponse::Ok(types::WorkflowCallbackResponse {
//!             execution_id: Some(ctx.request_id),
//!         })
//!     }
//! }
//!
//! let keys = StaticKeys::new([("MY_AK", "MY_SK")]);
//! let options = RouterOptions::default().authenticate(Authentication::new().secret_keys(keys));
//! let app: axum::Router = router(Arc::new(Mock), Arc::new(Workflows), &options);
//! # let _ = app;
//! ```
//!
//! To check only some services (and leave other routes open), put a
//! [`runtime::SignatureLayer`] on each service router instead, with that service's error
//! format:
//!
//! ```
//! use std::sync::Arc;
//! use huaweicloud_api_server::runtime::{self, Authentication, RouterOptions, StaticKeys};
//! use huaweicloud_api_server::{
//!     dli_router, function_graph_router, mock::Mock, DLI_ERRORS, FUNCTION_GRAPH_ERRORS,
//!     ROUTE_ERRORS,
//! };
//!
//! let options = RouterOptions::default();
//! let credentials = Authentication::new().secret_keys(StaticKeys::new([("MY_AK", "MY_SK")]));
//! let signed = |format| credentials.clone().layer(format).body_limit(options.body_limit);
//! let routes = axum::Router::new()
//!     .merge(dli_router(Arc::new(Mock)).layer(signed(&DLI_ERRORS)))
//!     .merge(function_graph_router(Arc::new(Mock)).layer(signed(&FUNCTION_GRAPH_ERRORS)))
//!     .route("/health", axum::routing::get(|| async { "ok" }));
//! // Unknown routes are answered in the format of the service that owns the path.
//! let app: axum::Router = runtime::finish_services(routes, ROUTE_ERRORS, &options);
//! # let _ = app;
//! ```

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;

/// The hand-written runtime the generated code calls: request context and ids, router
/// options, rejections in the spec's error format, and the optional signature layer.
pub use apig_server_runtime as runtime;

pub use generated::server::*;
pub use generated::{mock, spec, types};
// The spec's schemas as rules for the runtime's walker: what the generated handlers
// check requests against, not part of the documented API.
#[doc(hidden)]
pub use generated::validate;
