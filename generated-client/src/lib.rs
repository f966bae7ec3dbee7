//! A typed async client for the API described by `spec/openapi.yaml`.
//!
//! This file is hand-written. The types and the client methods are generated into
//! `src/generated/` by `cargo xtask codegen`; the `runtime` module (configuration,
//! authentication, retries, errors) is hand-written and does not depend on the spec.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use huaweicloud_api_client::{runtime::Credentials, types, Client};
//!
//! let client = Client::builder()
//!     .region("cn-north-4")
//!     .project_id("0123456789abcdef0123456789abcdef")
//!     .config(|c| c.credentials(Credentials::new("my-ak", "my-sk")))
//!     .build()?;
//! let body = types::WorkflowCallbackRequest {
//!     result: types::WorkflowCallbackResult::Success,
//!     error: None,
//!     output: Default::default(),
//! };
//! let reply = client.create_callback_workflow("workflow-id", "run-id", "state-id", &body).await?;
//! println!("execution {:?}", reply.body.execution_id);
//! # Ok(())
//! # }
//! ```

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;
pub mod runtime;

pub use generated::client::{Client, ClientBuilder, Service, CLIENT_HEADERS, SECURITY};
pub use generated::{client, types};
pub use runtime::{Error, ResponseValue};
