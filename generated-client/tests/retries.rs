//! Retries happen only where they are safe, as many times as configured, honour
//! `Retry-After`, and are counted in responses and errors. The server counts attempts.

mod common;

use std::time::{Duration, Instant};

use common::{builder, calls, client, fast_retries, Reply, TestServer, OK_BODY};
use huaweicloud_api_client::runtime::{Error, RetryPolicy};
use huaweicloud_api_client::types;

const BUSY: &str = r#"{"error_code":"APIGW.0503","error_msg":"busy"}"#;

fn busy_then_ok(failures: usize, status: u16) -> impl Fn(&common::Recorded, usize) -> Reply {
    move |_, n| {
        if n < failures {
            Reply::json(status, BUSY)
        } else {
            Reply::json(200, OK_BODY)
        }
    }
}

#[tokio::test]
async fn put_is_retried_on_503_and_the_count_is_in_the_response() {
    let server = TestServer::start(busy_then_ok(2, 503)).await;
    let reply = client(&server.url)
        .update_flink_jar_job(7, &types::FlinkJarJobUpdateRequest::default())
        .await
        .expect("the third attempt succeeds");
    assert_eq!(reply.retries, 2);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn put_is_retried_on_429_502_and_504_but_not_on_500() {
    for status in [429, 502, 504] {
        let server = TestServer::start(busy_then_ok(1, status)).await;
        assert_eq!(calls::update_job(&client(&server.url)).await, Ok(200));
        assert_eq!(server.count(), 2, "HTTP {status} is retried");
    }
    let server = TestServer::start(busy_then_ok(1, 500)).await;
    let err = client(&server.url)
        .update_flink_jar_job(7, &types::FlinkJarJobUpdateRequest::default())
        .await
        .expect_err("500 is not retried");
    assert_eq!(server.count(), 1);
    assert_eq!(err.retries(), 0);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn retries_stop_at_the_configured_count_and_the_error_says_so() {
    let server = TestServer::start(|_, _| Reply::json(503, BUSY)).await;
    let client = builder(&server.url)
        .config(|c| c.retry(fast_retries(2)))
        .build()
        .expect("a valid client");
    let err = client
        .update_flink_jar_job(7, &types::FlinkJarJobUpdateRequest::default())
        .await
        .expect_err("always busy");
    assert_eq!(server.count(), 3, "one attempt and two retries");
    assert_eq!(err.retries(), 2);
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert!(err.to_string().contains("after 2 retries"), "{err}");
    assert_eq!(err.error_code(), Some("APIGW.0503"));

    let no_retries = builder(&server.url)
        .config(|c| c.max_retries(0))
        .build()
        .expect("a valid client");
    let before = server.count();
    let err = calls::update_job(&no_retries).await.expect_err("busy");
    assert_eq!(
        server.count() - before,
        1,
        "max_retries(0) turns retries off"
    );
    assert!(!err.contains("retr"), "{err}");
}

#[tokio::test]
async fn post_is_not_retried_on_503() {
    let server = TestServer::start(busy_then_ok(1, 503)).await;
    let err = client(&server.url)
        .create_flink_jar_job(&types::FlinkJarJobCreateRequest::new("j".to_string()))
        .await
        .expect_err("a POST that reached the server is not repeated");
    assert_eq!(server.count(), 1);
    assert_eq!(err.retries(), 0);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn post_is_retried_on_503_when_the_operation_is_opted_in() {
    let server = TestServer::start(busy_then_ok(1, 503)).await;
    let client = builder(&server.url)
        .config(|c| c.retry_operation("CreateFlinkJarJob"))
        .build()
        .expect("a valid client");
    let reply = client
        .create_flink_jar_job(&types::FlinkJarJobCreateRequest::new("j".to_string()))
        .await
        .expect("retried once");
    assert_eq!(reply.retries, 1);
    assert_eq!(server.count(), 2);
    // Another POST operation stays unretried.
    let before = server.count();
    let other = TestServer::start(busy_then_ok(1, 503)).await;
    let other_client = builder(&other.url)
        .config(|c| c.retry_operation("CreateFlinkJarJob"))
        .build()
        .expect("a valid client");
    calls::ief_callback(&other_client)
        .await
        .expect_err("not opted in");
    assert_eq!(other.count(), 1);
    assert_eq!(server.count(), before);
}

/// An address on which nothing listens: a port that was just free.
async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free local port");
    let address = listener.local_addr().expect("an address");
    drop(listener);
    format!("http://{address}")
}

#[tokio::test]
async fn post_is_retried_after_a_refused_connection() {
    // A refused connection never reached a server, so repeating a POST is safe.
    let url = refused_url().await;
    let client = builder(&url)
        .config(|c| c.retry(fast_retries(2)))
        .build()
        .expect("a valid client");
    let err = client
        .create_flink_jar_job(&types::FlinkJarJobCreateRequest::new("j".to_string()))
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.retries(), 2, "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with("CreateFlinkJarJob could not reach the service after 2 retries: "),
        "{text}"
    );
    assert!(text.to_lowercase().contains("refused"), "{text}");
}

/// A server that reads each request and closes the connection without answering.
async fn hang_up_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free local port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            drop(socket);
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_post_that_reached_the_server_is_not_retried_after_a_lost_connection() {
    use std::sync::atomic::Ordering;
    let (url, accepted) = hang_up_server().await;
    let err = calls::create_job(&client(&url))
        .await
        .expect_err("the connection is closed without an answer");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "{err}");

    let (url, accepted) = hang_up_server().await;
    let put = calls::update_job(&client(&url))
        .await
        .expect_err("the connection is closed without an answer");
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        4,
        "a PUT is retried three times: {put}"
    );
    assert!(put.contains("after 3 retries"), "{put}");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::json(429, BUSY).header("retry-after", "1")
        } else {
            Reply::json(200, OK_BODY)
        }
    })
    .await;
    let started = Instant::now();
    let reply = client(&server.url)
        .update_flink_jar_job(7, &types::FlinkJarJobUpdateRequest::default())
        .await
        .expect("retried after the pause");
    // Only a lower bound: the client must not come back before the service asked.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(reply.retries, 1);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_limit_ends_the_retries() {
    let server =
        TestServer::start(|_, _| Reply::json(503, BUSY).header("retry-after", "3600")).await;
    let client = builder(&server.url)
        .config(|c| {
            c.retry(RetryPolicy {
                max_retry_after: Duration::from_secs(30),
                ..fast_retries(3)
            })
        })
        .build()
        .expect("a valid client");
    let err = calls::update_job(&client)
        .await
        .expect_err("busy for an hour");
    assert_eq!(server.count(), 1, "{err}");
}

#[test]
fn retries_for_an_unknown_operation_id_are_refused_when_the_client_is_built() {
    let err = common::builder("http://127.0.0.1:9")
        .config(|c| c.retry_operation("CreateFlinkJarJobs"))
        .build()
        .expect_err("a misspelt operation id must not be ignored");
    let message = err.to_string();
    assert!(message.contains("`CreateFlinkJarJobs`"), "{message}");
    assert!(
        message.contains("CreateFlinkJarJob,"),
        "the known ids are listed: {message}"
    );
    // Every real operation id is accepted.
    for id in huaweicloud_api_client::OPERATION_IDS {
        common::builder("http://127.0.0.1:9")
            .config(|c| c.retry_operation(id))
            .build()
            .unwrap_or_else(|err| panic!("{id}: {err}"));
    }
}
