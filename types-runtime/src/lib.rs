//! Support for generated types that never depends on a spec, shared by the client and
//! the server runtimes (`apig-client-runtime`, `apig-server-runtime`) because the two
//! generated crates share one generated `types.rs`: the lenient decoders of fields marked
//! `x-canonical` (`lenient`), the `string_enum!` macro that writes the impls of every
//! string enum, the `json_object!` and `json_union!` macros that write the serde impls of
//! every object and untagged union (so that no generated crate needs `serde_derive`), the file and form parts of multipart bodies (`parts`), and how media
//! types are matched and negotiated (`media`). Both runtimes re-export them, so generated
//! code names them as `crate::runtime::lenient::…`, `crate::runtime::string_enum!` and
//! `crate::runtime::FilePart`.

pub mod lenient;
pub mod media;
#[doc(hidden)]
pub mod object;
mod parts;
mod string_enum;

pub use bytes::Bytes;
pub use parts::{FilePart, FormPart};
