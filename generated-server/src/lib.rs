//! An axum server stub and local mock for the API described by `spec/openapi.yaml`.
//!
//! This file is hand-written. The service traits, response types, validators, routers
//! and the mock are generated into `src/generated/` by `cargo xtask codegen`; the
//! `runtime` module (request parsing, validation primitives, error answers, request ids)
//! is hand-written and does not depend on the spec.
//!
//! Implement a service trait and serve it:
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

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;
pub mod runtime;

pub use generated::server::*;
pub use generated::{mock, spec, types, validate};
