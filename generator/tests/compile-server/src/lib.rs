//! Compiles the server code the generator produces for each fixture spec in
//! `generator/tests/fixtures/`, so that a snapshot that does not build (or that clippy
//! warns about) fails the build. Each fixture is a module; `runtime` is the real
//! server runtime, re-exported at the crate root as a generated server crate does.

/// The server runtime the generated code calls as `crate::runtime`.
pub use apig_server_runtime as runtime;

#[rustfmt::skip]
#[path = "../../snapshots/composition/server/src/generated/mod.rs"]
pub mod composition_spec;

#[rustfmt::skip]
#[path = "../../snapshots/enums/server/src/generated/mod.rs"]
pub mod enums_spec;

#[rustfmt::skip]
#[path = "../../snapshots/formats/server/src/generated/mod.rs"]
pub mod formats_spec;

#[rustfmt::skip]
#[path = "../../snapshots/keywords/server/src/generated/mod.rs"]
pub mod keywords_spec;

#[rustfmt::skip]
#[path = "../../snapshots/lenient/server/src/generated/mod.rs"]
pub mod lenient_spec;

#[rustfmt::skip]
#[path = "../../snapshots/maps/server/src/generated/mod.rs"]
pub mod maps_spec;

#[rustfmt::skip]
#[path = "../../snapshots/nullable/server/src/generated/mod.rs"]
pub mod nullable_spec;

#[rustfmt::skip]
#[path = "../../snapshots/params/server/src/generated/mod.rs"]
pub mod params_spec;

#[rustfmt::skip]
#[path = "../../snapshots/params-objects/server/src/generated/mod.rs"]
pub mod params_objects_spec;

#[rustfmt::skip]
#[path = "../../snapshots/params-styles/server/src/generated/mod.rs"]
pub mod params_styles_spec;

#[rustfmt::skip]
#[path = "../../snapshots/params-unions-content-cookies/server/src/generated/mod.rs"]
pub mod params_unions_content_cookies_spec;

#[rustfmt::skip]
#[path = "../../snapshots/recursive/server/src/generated/mod.rs"]
pub mod recursive_spec;

#[rustfmt::skip]
#[path = "../../snapshots/responses/server/src/generated/mod.rs"]
pub mod responses_spec;

#[rustfmt::skip]
#[path = "../../snapshots/collisions/server/src/generated/mod.rs"]
pub mod collisions_spec;

#[rustfmt::skip]
#[path = "../../snapshots/real-world/server/src/generated/mod.rs"]
pub mod real_world_spec;

#[rustfmt::skip]
#[path = "../../snapshots/bodies-binary-text/server/src/generated/mod.rs"]
pub mod bodies_binary_text_spec;

#[rustfmt::skip]
#[path = "../../snapshots/bodies-form/server/src/generated/mod.rs"]
pub mod bodies_form_spec;

#[rustfmt::skip]
#[path = "../../snapshots/bodies-multi-media/server/src/generated/mod.rs"]
pub mod bodies_multi_media_spec;

#[rustfmt::skip]
#[path = "../../snapshots/bodies-multipart/server/src/generated/mod.rs"]
pub mod bodies_multipart_spec;

#[rustfmt::skip]
#[path = "../../snapshots/status-ranges/server/src/generated/mod.rs"]
pub mod status_ranges_spec;

#[rustfmt::skip]
#[path = "../../snapshots/routes-by-query/server/src/generated/mod.rs"]
pub mod routes_by_query_spec;

#[rustfmt::skip]
#[path = "../../snapshots/routes-in-segments/server/src/generated/mod.rs"]
pub mod routes_in_segments_spec;

#[rustfmt::skip]
#[path = "../../snapshots/lenient-params/server/src/generated/mod.rs"]
pub mod lenient_params_spec;

#[rustfmt::skip]
#[path = "../../snapshots/references/server/src/generated/mod.rs"]
pub mod references_spec;
