//! Hand-written runtime support for the generated server: the request context and
//! request ids, reading parameters and bodies, the rules the generated validators are
//! written in and the walker that checks values against them, answers in the spec's
//! error format, the mock's example choice, and the optional caller authentication
//! layer.

mod auth;
mod context;
mod errors;
mod mock;
mod params;
pub mod validate;

pub use apig_signer::SecretString;
pub use auth::{
    BoxFuture, Caller, Clock, SecretKeyLookup, SignatureLayer, SignatureService, StaticKeys,
    SyncKeys, SyncTokens, TokenVerifier, AUTH_TOKEN_HEADER,
};
pub use context::{
    finish, finish_services, format_for, RequestContext, RouterOptions, REQUEST_ID_HEADER,
};
pub use errors::{
    insert_header, json_response, method_not_allowed, reject, ErrorFormat, Rejection,
};
pub use mock::{choose_example, example_json, example_value, MockExample};
pub use params::{Input, Param, ParamLocation};
