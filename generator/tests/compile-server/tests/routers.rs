//! The routers of the generated servers build (axum panics on a route it cannot take)
//! and route what the spec's paths name: for the `real-world` fixture, a route shared
//! by two services under two parameter names, a second operation on one route, and a
//! segment that mixes a parameter with text, which the server matches itself.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use tower::ServiceExt;

use generator_compile_server::real_world_spec::{mock::Mock, server};
use generator_compile_server::runtime::RouterOptions;

fn router() -> axum::Router {
    server::router(
        Arc::new(Mock),
        Arc::new(Mock),
        Arc::new(Mock),
        &RouterOptions::default(),
    )
}

async fn status(method: Method, uri: &str) -> StatusCode {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .expect("a valid request");
    router()
        .oneshot(request)
        .await
        .expect("the router answers")
        .status()
}

#[tokio::test]
async fn one_route_of_two_services_serves_both_methods() {
    assert_eq!(status(Method::GET, "/pets/7").await, StatusCode::OK);
    assert_eq!(
        status(Method::DELETE, "/pets/7").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        status(Method::PATCH, "/pets/7").await,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn a_segment_axum_cannot_take_is_routed_whole_and_matched_by_the_server() {
    assert_eq!(status(Method::GET, "/pets").await, StatusCode::OK);
    assert_eq!(status(Method::GET, "/files/a.json").await, StatusCode::OK);
    // The segment is captured whole by the route; one without the text is no operation.
    assert_eq!(
        status(Method::GET, "/files/a.txt").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(Method::GET, "/files/.json").await,
        StatusCode::NOT_FOUND
    );
}
