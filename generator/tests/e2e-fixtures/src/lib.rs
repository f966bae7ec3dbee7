//! No library: the binary `fixture-mock` serves a fixture's mock (for Schemathesis),
//! and the tests in `tests/` run the generated client of a fixture spec against
//! its generated server, over 127.0.0.1 with an ephemeral port. The client and server
//! code are the snapshot modules that `generator-compile-client` and
//! `generator-compile-server` compile (each crate has its own `crate::runtime`, so the
//! two sides cannot live in one crate).
