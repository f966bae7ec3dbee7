//! The `mock-server` binary as a user runs it: `--port 0` prints the bound address, the spec
//! is served, every request is logged on one line with its request id, `--verify-signatures`
//! refuses unsigned requests, bad arguments exit with status 2, and SIGTERM shuts it down
//! cleanly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mock-server");

/// A running mock server, killed if a test fails before stopping it.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mock-server starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("mock-server prints its address");
        let address = line
            .trim()
            .strip_prefix("mock-server listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server { child, address }
    }

    /// Sends one HTTP/1.1 request and returns the status line, headers and body as text.
    fn request(&self, head: &str, body: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&self.address).expect("the server accepts");
        let request = format!(
            "{head}\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.address,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .expect("the request is sent");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("the answer is read");
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = answer
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        (status, head.to_ascii_lowercase(), body.to_string())
    }

    /// Sends SIGTERM and returns the exit status and everything logged.
    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let status = self.child.wait().expect("mock-server exits");
        let mut log = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            stderr.read_to_string(&mut log).expect("the log is text");
        }
        (status, log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serves_the_spec_and_the_mock_logs_each_request_and_stops_on_sigterm() {
    let server = Server::start(&[]);
    let (status, head, body) = server.request("GET /openapi.yaml HTTP/1.1", "");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/yaml"), "{head}");
    assert!(body.contains("openapi: 3.0.3"));
    let (status, _, body) = server.request("GET /openapi.json HTTP/1.1", "");
    assert_eq!(status, 200);
    let spec: serde_json::Value = serde_json::from_str(&body).expect("the JSON spec parses");
    assert_eq!(spec["openapi"], "3.0.3");
    let (status, head, body) = server.request(
        "POST /v1/p1/edgesrv/messages HTTP/1.1\r\nContent-Type: application/json\r\nX-Request-Id: logged-id-1",
        r#"{"message_id":"m"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("x-request-id: logged-id-1"), "{head}");
    let (status, _, body) = server.request("GET /nowhere HTTP/1.1", "");
    assert_eq!(status, 404);
    assert!(body.contains("error_code"), "{body}");

    let (exit, log) = server.terminate();
    assert!(exit.success(), "{exit:?}: {log}");
    let lines: Vec<&str> = log.lines().collect();
    let logged = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(logged("GET /openapi.yaml 200"), "{log}");
    assert!(logged("POST /v1/p1/edgesrv/messages 200"), "{log}");
    assert!(logged("request_id=logged-id-1"), "{log}");
    assert!(logged("GET /nowhere 404"), "{log}");
    assert!(logged("shutting down"), "{log}");
}

#[test]
fn with_verify_signatures_unsigned_requests_get_401_and_no_secret_is_logged() {
    let server = Server::start(&["--verify-signatures", "AK_T:SK_SECRET_T", "--verbose"]);
    let (status, head, body) = server.request(
        "POST /v2/p1/fgs/workflows/w1/callback HTTP/1.1\r\nContent-Type: application/json\r\nX-Workflow-Run-Id: r\r\nX-Workflow-State-Id: s\r\nAuthorization: SDK-HMAC-SHA256 Access=AK_T, SignedHeaders=host;x-sdk-date, Signature=0000000000000000000000000000000000000000000000000000000000000000\r\nX-Sdk-Date: 20200101T000000Z",
        r#"{"result":"success","output":{}}"#,
    );
    assert_eq!(status, 401, "{body}");
    assert!(head.contains("x-request-id: "), "{head}");
    let error: serde_json::Value = serde_json::from_str(&body).expect("a JSON error");
    assert_eq!(error["error_code"], "FSS.0400");
    // The spec stays readable without credentials.
    let (status, _, _) = server.request("GET /openapi.json HTTP/1.1", "");
    assert_eq!(status, 200);
    let (exit, log) = server.terminate();
    assert!(exit.success());
    assert!(log.contains("request refused"), "{log}");
    assert!(!log.contains("SK_SECRET_T"), "{log}");
}

#[test]
fn bad_arguments_exit_with_status_2_and_say_why() {
    for args in [
        &["--port", "x"][..],
        &["--verify-signatures", "no-colon"][..],
        &["--what"][..],
    ] {
        let output = Command::new(BIN)
            .args(args)
            .output()
            .expect("mock-server runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains("usage: mock-server"), "{args:?}: {stderr}");
    }
}
