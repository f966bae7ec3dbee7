//! The server under load and abuse, over 127.0.0.1: the `mock-server` binary and the
//! generated router served in this process by `runtime::serve`, each against many
//! concurrent keep-alive connections, slow and idle clients, bodies at and just above the
//! limit, JSON nested 10,000 deep, 10,000 query parameters, invalid UTF-8 in the path, the
//! query, a header and the body, and bodies cut off mid-stream.
//!
//! For every case: nothing panics (the mock's log and a panic hook in this process are
//! checked), resident memory stays bounded (`VmRSS` before and after, against a generous
//! bound), every rejection the router writes is in the spec's error format, and a
//! well-formed request is answered between every two cases and on a connection kept open
//! throughout. Request counts are fixed and every socket has a deadline, so the test
//! stops by itself; it asserts no timing (throughput is measured by `cargo xtask bench`).
//!
//! The generated router with credentials in its options (`RouterOptions::authenticate`)
//! gets the cases that reach the signature check: signed keep-alive connections at once,
//! missing, wrong, non-UTF-8 and 64 KiB credentials, bodies above the limit and cut off.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use apig_signer::{sign, Credentials, SdkDate, SigningRequest};
use huaweicloud_api_server::mock::Mock;
use huaweicloud_api_server::runtime::{
    self, Authentication, RouterOptions, ServeOptions, StaticKeys,
};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_mock-server");

/// The header-read timeout both servers run with here, shorter than the default so that
/// the slow-client cases end soon.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(1);

/// The body limit of both servers (the default).
const BODY_LIMIT: usize = 1024 * 1024;

/// The longest any socket operation of the test waits; far above what any case needs.
const DEADLINE: Duration = Duration::from_secs(20);

/// How much resident memory may grow over all the cases of one server: generous, since
/// allocators keep freed memory, but far below what an unbounded buffer would take
/// (the cases send well over 100 MiB in total).
const RSS_GROWTH_LIMIT_KIB: u64 = 96 * 1024;

const PATH: &str = "/v1.0/0123456789abcdef0123456789abcdef/streaming/flink-jobs";

/// Panics seen by the hook in this process (the in-process server's tasks included).
static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

/// The seed request body of `CreateFlinkJarJob`, read from the spec the server embeds.
fn seed_body() -> Vec<u8> {
    let spec: Value =
        serde_json::from_str(huaweicloud_api_server::spec::OPENAPI_JSON).expect("the spec");
    let pointer = "/paths/~1v1.0~1{project_id}~1streaming~1flink-jobs/post/requestBody/content/application~1json/examples/seed/value";
    serde_json::to_vec(spec.pointer(pointer).expect("the seed example")).expect("JSON")
}

/// `VmRSS` of a process, in KiB.
fn rss_kib(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc is readable");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/PID/status")
}

/// One answer read off a connection.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "answer {} is not JSON ({err}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts the status and that the body is the spec's error format.
    fn assert_rejection(&self, status: u16, what: &str) {
        assert_eq!(self.status, status, "{what}: {self:?}");
        let json = self.json();
        for field in ["error_code", "error_msg"] {
            assert!(
                json.get(field)
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.is_empty()),
                "{what}: no {field} in {json}"
            );
        }
        assert!(
            self.head.contains("x-request-id:"),
            "{what}: no request id in {}",
            self.head
        );
    }
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&address, DEADLINE).expect("the server accepts");
    stream
        .set_read_timeout(Some(DEADLINE))
        .expect("a read timeout");
    stream
        .set_write_timeout(Some(DEADLINE))
        .expect("a write timeout");
    stream.set_nodelay(true).expect("nodelay");
    stream
}

/// Reads one answer (head, then a `Content-Length` or chunked body); `None` when the
/// server closed the connection before an answer began.
fn read_answer(reader: &mut BufReader<TcpStream>) -> Option<Answer> {
    let mut head = String::new();
    loop {
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) if head.is_empty() => return None,
            Ok(0) => panic!("the connection closed inside an answer's head: {head:?}"),
            Ok(_) => {}
            Err(err) if head.is_empty() && err.kind() == ErrorKind::ConnectionReset => return None,
            Err(err) => panic!("cannot read an answer: {err}"),
        }
        let line = String::from_utf8_lossy(&line).to_ascii_lowercase();
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    let mut body = Vec::new();
    if let Some(length) = header("content-length:") {
        let length: usize = length.parse().expect("a Content-Length");
        body.resize(length, 0);
        reader.read_exact(&mut body).expect("the whole body");
    } else if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).expect("a chunk size");
            let size = usize::from_str_radix(size.trim(), 16).expect("a hexadecimal size");
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).expect("a chunk");
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
    Some(Answer { status, head, body })
}

/// A request head with `Host`, `Content-Type: application/json` (unless `extra` starts
/// with another), the given extra header lines and a `Content-Length`.
fn head(method: &str, target: &[u8], extra: &[u8], length: usize, close: bool) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(target);
    out.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if !extra.starts_with(b"Content-Type:") {
        out.extend_from_slice(b"Content-Type: application/json\r\n");
    }
    out.extend_from_slice(extra);
    out.extend_from_slice(format!("Content-Length: {length}\r\n").as_bytes());
    if close {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// Sends one request on a new connection and reads the answer.
fn send(address: SocketAddr, target: &[u8], extra: &[u8], body: &[u8]) -> Option<Answer> {
    let mut stream = connect(address);
    let mut request = head("POST", target, extra, body.len(), true);
    request.extend_from_slice(body);
    // The server may answer (413) and close before it has read everything.
    let _ = stream.write_all(&request);
    read_answer(&mut BufReader::new(stream))
}

/// A well-formed `CreateFlinkJarJob` is answered 200 with the mock's example.
fn assert_served(address: SocketAddr, body: &[u8], what: &str) {
    let answer = send(address, PATH.as_bytes(), b"", body)
        .unwrap_or_else(|| panic!("after {what}: the connection closed without an answer"));
    assert_eq!(answer.status, 200, "after {what}: {answer:?}");
    assert!(
        answer.json().get("job").is_some(),
        "after {what}: {answer:?}"
    );
}

/// Keeps one keep-alive connection busy with well-formed requests until `stop` is set;
/// returns how many were answered 200 (any other answer fails the test).
fn background(
    address: SocketAddr,
    body: Vec<u8>,
    stop: Arc<AtomicUsize>,
) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut served = 0;
        let stream = connect(address);
        let mut writer = stream.try_clone().expect("a second handle");
        let mut reader = BufReader::new(stream);
        while stop.load(Ordering::SeqCst) == 0 {
            let mut request = head("POST", PATH.as_bytes(), b"", body.len(), false);
            request.extend_from_slice(&body);
            writer
                .write_all(&request)
                .expect("the background request is sent");
            let answer = read_answer(&mut reader).expect("the background connection stays open");
            assert_eq!(answer.status, 200, "background request: {answer:?}");
            served += 1;
            // Some pause, so that the connection also sits idle for a while (shorter
            // than the header-read timeout).
            std::thread::sleep(Duration::from_millis(20));
        }
        served
    })
}

/// Many connections at once, each sending several requests over keep-alive.
fn concurrent_keep_alive(address: SocketAddr, body: &[u8]) {
    const CONNECTIONS: usize = 64;
    const REQUESTS: usize = 40;
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let body = body.to_vec();
            std::thread::spawn(move || {
                let stream = connect(address);
                let mut writer = stream.try_clone().expect("a second handle");
                let mut reader = BufReader::new(stream);
                for i in 0..REQUESTS {
                    let mut request = head("POST", PATH.as_bytes(), b"", body.len(), false);
                    request.extend_from_slice(&body);
                    writer.write_all(&request).expect("the request is sent");
                    let answer = read_answer(&mut reader)
                        .unwrap_or_else(|| panic!("request {i}: the connection closed"));
                    assert_eq!(answer.status, 200, "request {i}: {answer:?}");
                }
                REQUESTS
            })
        })
        .collect();
    let served: usize = threads
        .into_iter()
        .map(|t| t.join().expect("a connection thread"))
        .sum();
    assert_eq!(served, CONNECTIONS * REQUESTS);
}

/// Clients that send part of a request head, or nothing, and then wait: the server
/// closes each connection once the header-read timeout passes.
fn slow_clients(address: SocketAddr) {
    let partial: [&[u8]; 3] = [
        b"",
        b"POST /v1.0/p/streaming/flink-jobs HTTP/1.1\r\nHo",
        b"POST /v1.0/p/streaming/flink-jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    ];
    let threads: Vec<_> = (0..24)
        .map(|i| {
            let sent = partial[i % partial.len()];
            std::thread::spawn(move || {
                let mut stream = connect(address);
                stream.write_all(sent).expect("the partial head is sent");
                let started = Instant::now();
                let mut rest = Vec::new();
                // The server closes the connection (perhaps after a 408); a client that is
                // never cut off runs into the test's own deadline and fails.
                match stream.read_to_end(&mut rest) {
                    Ok(_) => {}
                    Err(err) if err.kind() == ErrorKind::ConnectionReset => {}
                    Err(err) => panic!("a slow client was not cut off: {err}"),
                }
                let text = String::from_utf8_lossy(&rest);
                assert!(
                    rest.is_empty() || text.starts_with("HTTP/1.1 408"),
                    "a slow client got {text:?}"
                );
                started.elapsed()
            })
        })
        .collect();
    for thread in threads {
        let waited = thread.join().expect("a slow client thread");
        assert!(waited < DEADLINE, "closed only after {waited:?}");
    }
    // A head sent one byte at a time, slower than the timeout allows in total.
    let mut stream = connect(address);
    let request = head("POST", PATH.as_bytes(), b"", 2, true);
    let mut cut_off = false;
    for byte in request.iter().take(200) {
        if stream.write_all(std::slice::from_ref(byte)).is_err() {
            cut_off = true;
            break;
        }
        std::thread::sleep(HEADER_READ_TIMEOUT / 20);
    }
    if !cut_off {
        // The whole head went out before the server's close reached this side: the
        // connection must still end (a client never cut off runs into the deadline).
        let mut rest = Vec::new();
        match stream.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(err) if err.kind() == ErrorKind::ConnectionReset => {}
            Err(err) => panic!("a trickled head was not cut off: {err}"),
        }
        let text = String::from_utf8_lossy(&rest);
        assert!(
            rest.is_empty() || text.starts_with("HTTP/1.1 408"),
            "a trickled head got {text:?}"
        );
    }
}

/// A JSON body of exactly `size` bytes: the seed body padded with spaces.
fn padded(body: &[u8], size: usize) -> Vec<u8> {
    let mut out = body.to_vec();
    out.resize(size, b' ');
    out
}

fn body_limits(address: SocketAddr, body: &[u8]) {
    let at_limit = send(address, PATH.as_bytes(), b"", &padded(body, BODY_LIMIT))
        .expect("an answer at the limit");
    assert_eq!(
        at_limit.status, 200,
        "a body of exactly the limit: {at_limit:?}"
    );
    send(address, PATH.as_bytes(), b"", &padded(body, BODY_LIMIT + 1))
        .expect("an answer above the limit")
        .assert_rejection(413, "a body one byte above the limit");
    send(address, PATH.as_bytes(), b"", &padded(body, 8 * BODY_LIMIT))
        .expect("an answer far above the limit")
        .assert_rejection(413, "a body eight times the limit");
    // The same without a length: chunked.
    let mut stream = connect(address);
    let mut request = Vec::new();
    request.extend_from_slice(b"POST ");
    request.extend_from_slice(PATH.as_bytes());
    request.extend_from_slice(
        b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    );
    let big = padded(body, BODY_LIMIT + 1);
    for chunk in big.chunks(64 * 1024) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let _ = stream.write_all(&request);
    read_answer(&mut BufReader::new(stream))
        .expect("an answer to a chunked body above the limit")
        .assert_rejection(413, "a chunked body above the limit");
}

fn deep_json(address: SocketAddr) {
    const DEPTH: usize = 10_000;
    let arrays = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let objects = format!("{}1{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH));
    let mut inside = b"{\"job_type\":".to_vec();
    inside.extend_from_slice(arrays.as_bytes());
    inside.push(b'}');
    for (what, body) in [
        ("arrays nested 10,000 deep", arrays.into_bytes()),
        ("objects nested 10,000 deep", objects.into_bytes()),
        ("a field nested 10,000 deep", inside),
    ] {
        send(address, PATH.as_bytes(), b"", &body)
            .unwrap_or_else(|| panic!("{what}: no answer"))
            .assert_rejection(400, what);
    }
}

fn many_query_parameters(address: SocketAddr, body: &[u8]) {
    // 10,000 distinct names, short enough to stay under the longest URI the HTTP parser
    // takes (64 KiB).
    let mut target = PATH.to_string();
    for i in 0..10_000 {
        target.push(if i == 0 { '?' } else { '&' });
        target.push_str(&format!("{i:x}="));
    }
    let answer = send(address, target.as_bytes(), b"", body).expect("an answer");
    // The operation has no query parameters; unknown ones are ignored.
    assert_eq!(answer.status, 200, "10,000 query parameters: {answer:?}");
    let target = format!("{PATH}?{}", vec!["s=%FF"; 10_000].join("&"));
    let answer = send(address, target.as_bytes(), b"", body).expect("an answer");
    assert_eq!(
        answer.status, 200,
        "10,000 repeats of one query parameter: {answer:?}"
    );
    // A longer URI is refused by the HTTP parser before any route is known: a bare 414
    // and a closed connection.
    let target = format!("{PATH}?{}", vec!["long=value"; 10_000].join("&"));
    let answer = send(address, target.as_bytes(), b"", body).expect("an answer");
    assert_eq!(answer.status, 414, "a URI over 64 KiB: {answer:?}");
}

fn invalid_utf8(address: SocketAddr, body: &[u8]) {
    // Percent-encoded in the path: reaches the router, which names the parameter.
    let answer = send(address, b"/v1.0/%FF%FE/streaming/flink-jobs", b"", body).expect("an answer");
    answer.assert_rejection(400, "invalid UTF-8 in a path parameter");
    // Raw bytes in the request line are refused by the HTTP parser before any route is
    // known: a bare 400 and a closed connection, as for any malformed request line.
    if let Some(answer) = send(address, b"/v1.0/\xFF\xFE/streaming/flink-jobs", b"", body) {
        assert_eq!(
            answer.status, 400,
            "raw invalid UTF-8 in the path: {answer:?}"
        );
    }
    let raw_query = [PATH.as_bytes(), b"?q=\xFF"].concat();
    if let Some(answer) = send(address, &raw_query, b"", body) {
        assert_eq!(
            answer.status, 400,
            "raw invalid UTF-8 in the query: {answer:?}"
        );
    }
    // Percent-encoded in the query: the operation has no query parameter to decode.
    let answer =
        send(address, format!("{PATH}?q=%FF%FE").as_bytes(), b"", body).expect("an answer");
    assert_eq!(
        answer.status, 200,
        "invalid UTF-8 in an unknown query parameter: {answer:?}"
    );
    // In header values: an unknown header is ignored, a header parameter is refused.
    let answer =
        send(address, PATH.as_bytes(), b"X-Anything: \xFF\xFE\r\n", body).expect("an answer");
    assert_eq!(
        answer.status, 200,
        "invalid UTF-8 in an unknown header: {answer:?}"
    );
    let answer = send(
        address,
        PATH.as_bytes(),
        b"X-Request-Id: \xFF\xFE\r\n",
        body,
    )
    .expect("an answer");
    assert_eq!(
        answer.status, 200,
        "invalid UTF-8 in X-Request-Id: {answer:?}"
    );
    let answer =
        send(address, PATH.as_bytes(), b"Content-Type: \xFF\r\n", body).expect("an answer");
    assert!(
        answer.status == 400 || answer.status == 415,
        "invalid UTF-8 in Content-Type: {answer:?}"
    );
    answer.assert_rejection(answer.status, "invalid UTF-8 in Content-Type");
    // In the body, inside a string and outside one.
    let mut bad = body.to_vec();
    let at = bad.iter().position(|b| *b == b'"').expect("a string") + 1;
    bad.splice(at..at, [0xFF, 0xFE]);
    send(address, PATH.as_bytes(), b"", &bad)
        .expect("an answer")
        .assert_rejection(400, "invalid UTF-8 in a body string");
    send(address, PATH.as_bytes(), b"", b"\xFF\xFE\xFD")
        .expect("an answer")
        .assert_rejection(400, "a body that is not UTF-8");
}

/// Bodies shorter than their `Content-Length`, the connection then half-closed or
/// dropped; and a chunked body that stops inside a chunk.
fn cut_off_bodies(address: SocketAddr, body: &[u8]) {
    for half_close in [true, false] {
        let mut stream = connect(address);
        let mut request = head("POST", PATH.as_bytes(), b"", body.len(), true);
        request.extend_from_slice(&body[..body.len() / 2]);
        stream.write_all(&request).expect("half a request is sent");
        if half_close {
            stream
                .shutdown(std::net::Shutdown::Write)
                .expect("the write side closes");
            // The server cannot answer a request whose body never arrives completely: it
            // answers 400 in the error format, or closes the connection.
            if let Some(answer) = read_answer(&mut BufReader::new(stream)) {
                answer.assert_rejection(400, "a body cut off mid-stream");
            }
        } else {
            drop(stream);
        }
    }
    let mut stream = connect(address);
    let mut request = Vec::new();
    request.extend_from_slice(b"POST ");
    request.extend_from_slice(PATH.as_bytes());
    request.extend_from_slice(
        b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n{\"a\":",
    );
    stream.write_all(&request).expect("a partial chunk is sent");
    stream
        .shutdown(std::net::Shutdown::Write)
        .expect("the write side closes");
    if let Some(answer) = read_answer(&mut BufReader::new(stream)) {
        answer.assert_rejection(400, "a chunked body cut off mid-chunk");
    }
}

/// Runs every case against `address`, whose server process is `pid`.
fn abuse(address: SocketAddr, pid: &str) {
    let body = seed_body();
    assert_served(address, &body, "start-up");
    let before = rss_kib(pid);
    let stop = Arc::new(AtomicUsize::new(0));
    let keeper = background(address, body.clone(), stop.clone());
    let cases: [(&str, &dyn Fn()); 7] = [
        ("concurrent keep-alive connections", &|| {
            concurrent_keep_alive(address, &body)
        }),
        ("slow clients", &|| slow_clients(address)),
        ("bodies at and above the limit", &|| {
            body_limits(address, &body)
        }),
        ("JSON nested 10,000 deep", &|| deep_json(address)),
        ("10,000 query parameters", &|| {
            many_query_parameters(address, &body)
        }),
        ("invalid UTF-8", &|| invalid_utf8(address, &body)),
        ("bodies cut off mid-stream", &|| {
            cut_off_bodies(address, &body)
        }),
    ];
    let mut growth = Vec::new();
    for (what, case) in cases {
        let at_start = rss_kib(pid);
        case();
        assert_served(address, &body, what);
        growth.push(format!(
            "{what}: {} KiB",
            rss_kib(pid) as i64 - at_start as i64
        ));
    }
    // Twice more, so that memory a case leaks would add up.
    for _ in 0..2 {
        body_limits(address, &body);
        deep_json(address);
        many_query_parameters(address, &body);
    }
    stop.store(1, Ordering::SeqCst);
    let served = keeper.join().expect("the background connection");
    assert!(served > 0, "the background connection was never answered");
    let after = rss_kib(pid);
    eprintln!(
        "VmRSS {before} KiB -> {after} KiB; per case: {growth:?}; background requests: {served}"
    );
    assert!(
        after < before + RSS_GROWTH_LIMIT_KIB,
        "resident memory grew from {before} KiB to {after} KiB ({growth:?})"
    );
}

/// The `mock-server` binary, killed when dropped.
struct MockServer(Child);

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_mock_server_holds_under_abuse() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--header-read-timeout", "1", "--verbose"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mock-server starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let server = MockServer(child);
    // The log is collected while the server runs, so that the pipe never fills.
    let log = Arc::new(Mutex::new(String::new()));
    let collector = {
        let log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = log.lock().expect("the log");
                log.push_str(&line);
                log.push('\n');
            }
        })
    };
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("mock-server prints its address");
    let address: SocketAddr = line
        .trim()
        .strip_prefix("mock-server listening on http://")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    abuse(address, &server.0.id().to_string());
    drop(server);
    collector.join().expect("the log collector");
    let log = log.lock().expect("the log");
    assert!(
        !log.contains("panicked"),
        "the mock server panicked:\n{log}"
    );
    assert!(
        log.contains(" 413 "),
        "the log records the refusals:\n{log}"
    );
}

/// A server of `router` under `runtime::serve` on a thread of its own; stops when the
/// returned flag is set.
fn serve_in_process(
    router: axum::Router,
) -> (SocketAddr, Arc<AtomicUsize>, std::thread::JoinHandle<()>) {
    let (sender, receiver) = std::sync::mpsc::channel();
    let stop = Arc::new(AtomicUsize::new(0));
    let stopped = stop.clone();
    let server = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a port on 127.0.0.1");
            sender
                .send(listener.local_addr().expect("the bound address"))
                .expect("the test waits for the address");
            let options = ServeOptions::default()
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .shutdown_grace(Duration::from_secs(2));
            runtime::serve(listener, router, options, async move {
                while stopped.load(Ordering::SeqCst) == 0 {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
            .await
            .expect("the server runs");
        });
    });
    let address = receiver.recv().expect("the server's address");
    (address, stop, server)
}

#[test]
fn the_generated_router_holds_under_abuse() {
    count_panics();
    let app =
        huaweicloud_api_server::router(Arc::new(Mock), Arc::new(Mock), &RouterOptions::default());
    let (address, stop, server) = serve_in_process(app);
    abuse(address, "self");
    stop.store(1, Ordering::SeqCst);
    server
        .join()
        .expect("the server stops after the shutdown signal");
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "something panicked");
}

const ACCESS_KEY: &str = "AK_LOAD_TEST";
const SECRET_KEY: &str = "SK_LOAD_TEST_0123456789";

/// The `X-Sdk-Date` and `Authorization` header lines of a `CreateFlinkJarJob` with `body`,
/// as `head` sends it, signed now.
fn signature_lines(body: &[u8]) -> Vec<u8> {
    let request = SigningRequest::new("POST", "127.0.0.1", PATH, SdkDate::now().expect("a date"))
        .header("Content-Type", "application/json")
        .body(body);
    let signed = sign(&Credentials::new(ACCESS_KEY, SECRET_KEY), &request).expect("signs");
    let mut lines = Vec::new();
    for (name, value) in &signed.headers {
        if ["x-sdk-date", "authorization"].contains(&name.to_ascii_lowercase().as_str()) {
            lines.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
    }
    lines
}

/// A signed `CreateFlinkJarJob` is answered 200 with the mock's example.
fn assert_signed_served(address: SocketAddr, body: &[u8], what: &str) {
    let answer = send(address, PATH.as_bytes(), &signature_lines(body), body)
        .unwrap_or_else(|| panic!("after {what}: the connection closed without an answer"));
    assert_eq!(answer.status, 200, "after {what}: {answer:?}");
}

#[test]
fn the_generated_router_with_credentials_holds_under_abuse() {
    count_panics();
    let options = RouterOptions::default().authenticate(
        Authentication::new().secret_keys(StaticKeys::new([(ACCESS_KEY, SECRET_KEY)])),
    );
    let app = huaweicloud_api_server::router(Arc::new(Mock), Arc::new(Mock), &options);
    let (address, stop, server) = serve_in_process(app);
    let body = seed_body();
    assert_signed_served(address, &body, "start-up");
    let before = rss_kib("self");

    // Signed requests over many keep-alive connections at once.
    let workers: Vec<_> = (0..32)
        .map(|_| {
            let body = body.clone();
            std::thread::spawn(move || {
                let stream = connect(address);
                let mut writer = stream.try_clone().expect("a second handle");
                let mut reader = BufReader::new(stream);
                for _ in 0..20 {
                    let mut request = head(
                        "POST",
                        PATH.as_bytes(),
                        &signature_lines(&body),
                        body.len(),
                        false,
                    );
                    request.extend_from_slice(&body);
                    writer.write_all(&request).expect("the request is sent");
                    let answer = read_answer(&mut reader).expect("an answer");
                    assert_eq!(
                        answer.status, 200,
                        "a signed keep-alive request: {answer:?}"
                    );
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a signed worker");
    }
    assert_signed_served(address, &body, "concurrent signed connections");

    for _ in 0..3 {
        // No credentials, a signature of another body, an Authorization that is not
        // UTF-8, and one of 64 KiB: 401 in the error format.
        send(address, PATH.as_bytes(), b"", &body)
            .expect("an answer without credentials")
            .assert_rejection(401, "no credentials");
        let mut other = body.clone();
        other.push(b' ');
        send(address, PATH.as_bytes(), &signature_lines(&body), &other)
            .expect("an answer to a changed body")
            .assert_rejection(401, "a body the signature does not cover");
        send(
            address,
            PATH.as_bytes(),
            b"Authorization: SDK-HMAC-SHA256 Access=\xff\xfe, SignedHeaders=host, Signature=00\r\n",
            &body,
        )
        .expect("an answer to a non-UTF-8 Authorization")
        .assert_rejection(401, "an Authorization that is not UTF-8");
        let long = format!(
            "Authorization: SDK-HMAC-SHA256 Access={}, SignedHeaders=host, Signature=00\r\n",
            "A".repeat(64 * 1024)
        );
        send(address, PATH.as_bytes(), long.as_bytes(), &body)
            .expect("an answer to a 64 KiB Authorization")
            .assert_rejection(401, "an Authorization of 64 KiB");
        assert_signed_served(address, &body, "refused credentials");

        // The body is read before the signature is checked: above the limit it is 413,
        // signed or not, and a cut-off body is 400 or a closed connection.
        let big = padded(&body, BODY_LIMIT + 1);
        send(address, PATH.as_bytes(), &signature_lines(&big), &big)
            .expect("an answer above the limit")
            .assert_rejection(413, "a signed body one byte above the limit");
        body_limits_unsigned_above(address, &body);
        cut_off_bodies(address, &body);
        assert_signed_served(address, &body, "bodies above the limit and cut off");
    }

    let after = rss_kib("self");
    eprintln!("VmRSS {before} KiB -> {after} KiB");
    assert!(
        after < before + RSS_GROWTH_LIMIT_KIB,
        "resident memory grew from {before} KiB to {after} KiB"
    );
    stop.store(1, Ordering::SeqCst);
    server
        .join()
        .expect("the server stops after the shutdown signal");
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "something panicked");
}

/// Unsigned bodies far above the limit, with a length and chunked: 413 before any
/// credential is looked at.
fn body_limits_unsigned_above(address: SocketAddr, body: &[u8]) {
    send(address, PATH.as_bytes(), b"", &padded(body, 8 * BODY_LIMIT))
        .expect("an answer far above the limit")
        .assert_rejection(413, "an unsigned body eight times the limit");
}
