//! Control over single calls: per-call options (timeout, deadline, headers, retries)
//! and interceptors that see each attempt before it is signed and each answer.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::RetryPolicy;

/// Sees every attempt of every call: before it is signed (to add, change or remove
/// headers, which are then signed with the rest) and after its answer arrives. Both
/// methods do nothing by default.
///
/// Set one for every call with `Config::interceptor`, or for some calls with
/// [`CallOptions::interceptor`].
pub trait Interceptor: fmt::Debug + Send + Sync {
    /// Called before each attempt is signed. An error ends the call with
    /// `Error::InvalidRequest` carrying the message.
    fn before_signing(&self, request: &mut OutgoingRequest<'_>) -> Result<(), String> {
        let _ = request;
        Ok(())
    }

    /// Called when an attempt's answer has been read, before it is decoded or retried.
    fn after_response(&self, response: &AttemptResponse<'_>) {
        let _ = response;
    }
}

/// An attempt about to be signed.
#[derive(Debug)]
pub struct OutgoingRequest<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) attempt: u32,
    pub(crate) headers: &'a mut Vec<(String, String)>,
}

impl OutgoingRequest<'_> {
    /// The operation's `operationId` (or the name given to a raw request).
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    pub fn method(&self) -> &Method {
        self.method
    }

    /// The path, base path of the endpoint included, percent-encoded.
    pub fn path(&self) -> &str {
        self.path
    }

    /// 0 for the first attempt, 1 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The headers so far (authentication is added after this).
    pub fn headers(&self) -> &[(String, String)] {
        self.headers
    }

    /// The value of a header, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets a header, replacing every value it had.
    pub fn set_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.remove_header(&name);
        self.headers.push((name, value.into()));
    }

    /// Removes a header.
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    }
}

/// The answer to one attempt.
#[derive(Debug)]
pub struct AttemptResponse<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) attempt: u32,
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a Bytes,
}

impl AttemptResponse<'_> {
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// 0 for the first attempt, 1 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    pub fn body(&self) -> &Bytes {
        self.body
    }
}

/// Settings for some calls only, over the client's configuration: a client's `with`
/// method returns a copy of the client that uses them, and every typed method of the
/// copy is called as usual, as in
/// `client.with(|o| o.timeout(Duration::from_secs(5)).max_retries(0)).update_flink_jar_job(148, &body).await?`.
///
/// ```
/// use std::time::Duration;
/// use apig_client_runtime::CallOptions;
///
/// let options = |o: CallOptions| {
///     o.timeout(Duration::from_secs(5))
///         .deadline(Duration::from_secs(20))
///         .header("X-Trace-Id", "abc")
///         .max_retries(0)
/// };
/// # let _ = options(CallOptions::default());
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
}

impl CallOptions {
    /// How long each attempt may take, instead of `Config::timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest a call may take in all, retries included, instead of
    /// `Config::deadline`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Adds a header to every request (signed with the others). A header the operation
    /// sets itself is sent as well; use an [`Interceptor`] to replace one.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Another retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Another number of retries (0 turns retrying off).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Adds an interceptor, run after the client's own.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }
}
