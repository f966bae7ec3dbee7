//! Compiles the client code the generator produces for each fixture spec in
//! `generator/tests/fixtures/`, so that a snapshot that does not build (or that clippy
//! warns about) fails the build. Each fixture is a module; `runtime` is the real
//! client runtime, re-exported at the crate root as a generated client crate does.

/// The client runtime the generated code calls as `crate::runtime`.
pub use apig_client_runtime as runtime;

#[rustfmt::skip]
#[path = "../../snapshots/composition/client/src/generated/mod.rs"]
pub mod composition_spec;

#[rustfmt::skip]
#[path = "../../snapshots/enums/client/src/generated/mod.rs"]
pub mod enums_spec;

#[rustfmt::skip]
#[path = "../../snapshots/formats/client/src/generated/mod.rs"]
pub mod formats_spec;

#[rustfmt::skip]
#[path = "../../snapshots/keywords/client/src/generated/mod.rs"]
pub mod keywords_spec;

#[rustfmt::skip]
#[path = "../../snapshots/lenient/client/src/generated/mod.rs"]
pub mod lenient_spec;

#[rustfmt::skip]
#[path = "../../snapshots/maps/client/src/generated/mod.rs"]
pub mod maps_spec;

#[rustfmt::skip]
#[path = "../../snapshots/nullable/client/src/generated/mod.rs"]
pub mod nullable_spec;

#[rustfmt::skip]
#[path = "../../snapshots/params/client/src/generated/mod.rs"]
pub mod params_spec;

#[rustfmt::skip]
#[path = "../../snapshots/params-objects/client/src/generated/mod.rs"]
pub mod params_objects_spec;

#[rustfmt::skip]
#[path = "../../snapshots/params-styles/client/src/generated/mod.rs"]
pub mod params_styles_spec;

#[rustfmt::skip]
#[path = "../../snapshots/params-unions-content-cookies/client/src/generated/mod.rs"]
pub mod params_unions_content_cookies_spec;

#[rustfmt::skip]
#[path = "../../snapshots/recursive/client/src/generated/mod.rs"]
pub mod recursive_spec;

#[rustfmt::skip]
#[path = "../../snapshots/responses/client/src/generated/mod.rs"]
pub mod responses_spec;

#[rustfmt::skip]
#[path = "../../snapshots/collisions/client/src/generated/mod.rs"]
pub mod collisions_spec;

#[rustfmt::skip]
#[path = "../../snapshots/real-world/client/src/generated/mod.rs"]
pub mod real_world_spec;

#[rustfmt::skip]
#[path = "../../snapshots/bodies-binary-text/client/src/generated/mod.rs"]
pub mod bodies_binary_text_spec;

#[rustfmt::skip]
#[path = "../../snapshots/bodies-form/client/src/generated/mod.rs"]
pub mod bodies_form_spec;

#[rustfmt::skip]
#[path = "../../snapshots/bodies-multi-media/client/src/generated/mod.rs"]
pub mod bodies_multi_media_spec;

#[rustfmt::skip]
#[path = "../../snapshots/bodies-multipart/client/src/generated/mod.rs"]
pub mod bodies_multipart_spec;

#[rustfmt::skip]
#[path = "../../snapshots/status-ranges/client/src/generated/mod.rs"]
pub mod status_ranges_spec;

#[rustfmt::skip]
#[path = "../../snapshots/routes-by-query/client/src/generated/mod.rs"]
pub mod routes_by_query_spec;

#[rustfmt::skip]
#[path = "../../snapshots/routes-in-segments/client/src/generated/mod.rs"]
pub mod routes_in_segments_spec;

#[rustfmt::skip]
#[path = "../../snapshots/lenient-params/client/src/generated/mod.rs"]
pub mod lenient_params_spec;

#[rustfmt::skip]
#[path = "../../snapshots/references/client/src/generated/mod.rs"]
pub mod references_spec;
