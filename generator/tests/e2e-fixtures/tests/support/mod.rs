//! What the end-to-end tests share: serving a generated router on 127.0.0.1.

/// Serves `app` on 127.0.0.1 with an ephemeral port; the base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a local port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("the server runs");
    });
    format!("http://{address}")
}

/// Serves the router `$app` and builds a client of `$client` whose service `$service`
/// points at it: `(base URL, client)`.
macro_rules! serve_with_client {
    ($app:expr, $client:ty, $service:expr) => {{
        let url = support::serve($app).await;
        let client = <$client>::builder()
            .endpoint($service, url.clone())
            .build()
            .expect("a client");
        (url, client)
    }};
}
