//! Placeholder until codegen writes this crate.
