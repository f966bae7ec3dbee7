//! Shared pieces of the benchmarks: the seed examples, plain serde twins of the generated
//! types, the servers under test and the statistics.
//!
//! `cargo xtask bench` runs the criterion benches in `benches/micro.rs` (signing and
//! decoding) and the `api-bench` binary (server and client over loopback), then prints
//! one table. Nothing here talks to anything but 127.0.0.1.

pub mod plain;
pub mod seeds;
pub mod servers;
pub mod stats;
