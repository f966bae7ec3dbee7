//! A typed async client for the API described by `spec/openapi.yaml`.
//!
//! This file is hand-written. The types and the client methods are generated into
//! `src/generated/` by `cargo xtask codegen`; [`runtime`] (configuration,
//! authentication, retries, errors) is the hand-written crate `apig-client-runtime`,
//! which does not depend on the spec.
//!
//! The shortest correct call, with `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and
//! `HUAWEICLOUD_SDK_PROJECT_ID` taken from the environment (see `docs/CLIENT.md`):
//!
//! ```no_run
//! use huaweicloud_api_client::{types, Client};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = Client::builder().region("cn-north-4").from_env().build()?;
//!     let body = types::FlinkJarJobUpdateRequest {
//!         name: Some("renamed".to_string()),
//!         ..Default::default()
//!     };
//!     let reply = client.update_flink_jar_job(148, &body).await?;
//!     println!("{:?} (request id {:?})", reply.body, reply.request_id());
//!     Ok(())
//! }
//! ```

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;

/// The hand-written runtime the generated code calls: configuration, credentials,
/// timeouts, retries and the [`Error`] type.
pub use apig_client_runtime as runtime;

pub use generated::client::{Client, ClientBuilder, Service};
// What the spec says about authentication, client headers and operations, for the
// runtime; not part of the documented API.
/// An in-memory fake of every service, for tests of code that uses the client.
#[cfg(feature = "test-util")]
pub use generated::client::fake;
#[doc(hidden)]
pub use generated::client::{CLIENT_HEADERS, OPERATION_IDS, SECURITY};
pub use generated::{client, types};
pub use runtime::{Error, ResponseValue};
