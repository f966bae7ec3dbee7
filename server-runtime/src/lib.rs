//! The hand-written runtime of generated axum servers: the request context and request
//! ids, reading parameters and bodies (JSON, forms, multipart, text, bytes), answers in
//! each media type and the choice among them by `Accept`, the rules the generated
//! validators are written in and the walker that checks values against them, answers in
//! the spec's error format, the mock's example choice, and the optional caller
//! authentication layer.
//!
//! It never depends on a spec. A generated server crate re-exports it as its `runtime`
//! module, and its generated handlers, routers and mock call it. Users of a generated
//! server meet [`RequestContext`], [`RouterOptions`], [`finish_services`],
//! [`SignatureLayer`] and the rejection types; the plumbing only generated code uses
//! (request reading, parameter tables, rule constructors, mock helpers) is hidden from
//! this documentation.

mod auth;
mod body;
mod context;
mod errors;
mod mock;
mod params;
mod respond;
mod select;
#[cfg(feature = "serve")]
mod serve;
mod styled;
#[doc(hidden)]
pub mod validate;

pub use apig_signer::SecretString;
pub use apig_types_runtime::{media, Bytes, FilePart, FormPart};
pub use auth::{
    Answer, Authentication, BoxFuture, Caller, Clock, SecretKeyLookup, SignatureFuture,
    SignatureLayer, SignatureService, StaticKeys, SyncKeys, SyncTokens, TokenVerifier,
    AUTH_TOKEN_HEADER,
};
#[doc(hidden)]
pub use body::{FromMultipart, MultipartFields};
pub use context::{
    finish, finish_services, format_for, RequestContext, RouterOptions, REQUEST_ID_HEADER,
};
#[doc(hidden)]
pub use context::{finish_routes, finished, finished_reader, Finished, FinishedFuture, Finishing};
#[doc(hidden)]
pub use errors::{insert_header, json_response, method_not_allowed};
pub use errors::{reject, ErrorFormat, Rejection};
#[doc(hidden)]
pub use mock::{
    choose_example, example_binary, example_json, example_text, example_value, MockExample,
};
#[doc(hidden)]
pub use params::{Input, Param, ParamLocation, Style};
#[doc(hidden)]
pub use respond::{binary_response, json_response_as, offer, text_response};
pub use respond::{negotiate, BinaryBody};
#[doc(hidden)]
pub use select::{
    no_operation_at, no_operation_selected, segment_param, select_by_query, select_operation,
    Candidate, Piece, QuerySelectors, Selected,
};
#[cfg(feature = "serve")]
pub use serve::{serve, ServeOptions, DEFAULT_HEADER_READ_TIMEOUT};
pub use validate::{Violation, Violations};

/// Lenient decoders for fields marked `x-canonical`, named by generated types.
#[doc(hidden)]
pub use apig_types_runtime::lenient;
#[doc(hidden)]
pub use apig_types_runtime::string_enum;
#[doc(hidden)]
pub use apig_types_runtime::{json_object, json_union};
