//! One reader of OpenAPI 3.0 documents for everyone: the generator, lint, spec-diff and
//! the docs all read the spec through this crate.
//!
//! - [`load`]: YAML or JSON text into an `openapiv3` document and its raw JSON, with a
//!   JSON pointer → line map for diagnostics;
//! - [`pointer`](mod@pointer): JSON pointers, escaped and joined in one place;
//! - [`resolve`]: `$ref` resolution for every component kind and for raw JSON, with chains
//!   followed and cycles reported;
//! - [`all_of`]: the one-member `allOf` rule, and what a raw schema stands for once
//!   `$ref`s and wrappers are looked through;
//! - [`operations`]: the operations of a raw document, in order;
//! - [`repair`]: documents `openapiv3` cannot read, repaired where the meaning is clear
//!   and located at the failing node where it is not;
//! - [`inline`]: references of parameters, bodies, responses, headers, examples and path
//!   items to other places of the document than their components, read as what is
//!   written there;
//! - [`ext`]: the project's `x-` extensions, typed, rejecting unknown keys;
//! - [`diag`]: one `Diagnostic` type (file, pointer, line, severity, rule) and one rendering.
//!
//! The consistency test in `xtask/tests/` reads the spec on its own, on purpose.

pub mod all_of;
pub mod diag;
pub mod ext;
pub mod inline;
pub mod load;
pub mod operations;
pub mod pointer;
pub mod repair;
pub mod resolve;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use load::{LineMap, Spec};
pub use pointer::Pointer;
pub use resolve::{Component, RefOr, Resolved};
