//! The spec review tools, run through `cargo xtask` (which starts this crate's binary
//! with `cargo run -p spec-tools`, so that they are built only when used): `lint`,
//! `spec-diff`, `docs`, `bench` and `corpus`. A library so that tests can call them.
//!
//! Every reader here reads the spec through `spec-model`.

pub mod bench;
pub mod corpus;
pub mod docs;
pub mod lint;
pub mod spec_check;
pub mod spec_diff;
pub mod synth;

pub use xtask::{project_root, SPEC_PATH};
