//! A typed async client for the API described by `spec/openapi.yaml`.
//!
//! This file is hand-written. The types and the client methods are generated into
//! `src/generated/` by `cargo xtask codegen`; [`runtime`] (configuration,
//! authentication, retries, errors) is the hand-written crate `apig-client-runtime`,
//! which does not depend on the spec.
//!
//! The shortest correct call, with the project id from `HUAWEICLOUD_SDK_PROJECT_ID` and
//! the keys from the official SDK's credentials chain (the environment, then
//! `~/.huaweicloud/credentials`, then the ECS/CCE metadata service; see
//! [`runtime::credentials`] and `docs/CLIENT.md`):
//!
//! ```no_run
//! use huaweicloud_api_client::{types, Client};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = Client::builder()
//!         .region("cn-north-4")
//!         .from_env()
//!         .config(|c| c.default_credentials_chain())
//!         .build()?;
//!     let body = types::FlinkJarJobUpdateRequest {
//!         name: Some("renamed".to_string()),
//!         ..Default::default()
//!     };
//!     let reply = client.update_flink_jar_job(148, &body).await?;
//!     println!("{:?} (request id {:?})", reply.body, reply.request_id());
//!     Ok(())
//! }
//! ```
//!
//! Code that uses the client is tested with the in-memory fake of the `test-util`
//! feature: set a typed answer per operation, run the code, look at what it sent.
//!
//! ```
//! # #[cfg(feature = "test-util")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use huaweicloud_api_client::{fake::Fake, types};
//!
//! let fake = Fake::new();
//! fake.create_flink_jar_job().returns(&types::FlinkJarJobCreateResponse {
//!     is_success: Some(true),
//!     ..Default::default()
//! });
//! let client = fake.client();
//! let job = types::FlinkJarJobCreateRequest::new("nightly".to_string());
//! let reply = client.create_flink_jar_job(&job).await?;
//! assert_eq!(reply.body.is_success, Some(true));
//!
//! let sent: types::FlinkJarJobCreateRequest =
//!     fake.create_flink_jar_job().last_request().expect("one call").json()?;
//! assert_eq!(sent.name, "nightly");
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "test-util"))]
//! # fn main() {}
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
