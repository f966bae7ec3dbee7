//! End-to-end tests of parameters: for each parameter fixture of
//! `generator/tests/fixtures/`, its generated client calls its generated server over
//! 127.0.0.1 (an ephemeral port), and the test checks that the server's trait method
//! received the same typed values. The generated code is the snapshots themselves, as
//! the `generator-compile-client` and `generator-compile-server` crates build them.
//!
//! This crate holds what the tests in `tests/` share: serving a router, recording
//! calls, converting a client value into the server crate's type of the same schema,
//! and sending a request by hand (for texts the generated client never writes).

use std::sync::Mutex;

use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `app` on an ephemeral port of 127.0.0.1 and returns its base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("can bind an ephemeral port");
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("the server runs");
    });
    format!("http://{address}")
}

/// The calls a service received, in order.
#[derive(Debug)]
pub struct Log<T>(Mutex<Vec<T>>);

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log(Mutex::new(Vec::new()))
    }
}

impl<T> Log<T> {
    pub fn push(&self, call: T) {
        self.0.lock().expect("no test thread panicked").push(call);
    }

    /// Every call so far, emptying the log.
    pub fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.0.lock().expect("no test thread panicked"))
    }
}

/// `value` as the other crate's type of the same schema (through its JSON): the client
/// and the server crate each have their own copy of the generated types.
pub fn same<A: Serialize, B: DeserializeOwned>(value: &A) -> B {
    let json = serde_json::to_value(value).expect("a generated value serializes");
    serde_json::from_value(json).expect("the other crate's type of the same schema reads it")
}

/// Sends `GET target` with `headers` (`Name: value` lines) to the server at `base` and
/// returns the status and the body: for requests the generated client cannot make.
pub async fn raw_get(base: &str, target: &str, headers: &[&str]) -> (u16, String) {
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("the server accepts connections");
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for header in headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("the request is sent");
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .expect("the answer is read");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    (status, body)
}
