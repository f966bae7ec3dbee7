//! Support for generated types that never depends on a spec, shared by the client and
//! the server runtimes (`apig-client-runtime`, `apig-server-runtime`) because the two
//! generated crates share one generated `types.rs`: the lenient decoders of fields marked
//! `x-canonical` (`lenient`), and the `string_enum!` macro that writes the impls of every
//! string enum. Both runtimes re-export them, so generated code names them as
//! `crate::runtime::lenient::…` and `crate::runtime::string_enum!`.

pub mod lenient;
mod string_enum;
