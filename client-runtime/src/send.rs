//! Sending: one `Request` per call, built by generated code, sent with authentication,
//! timeouts and retries; the answer comes back as a `RawResponse` to decode.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use apig_signer::{SdkDate, SigningRequest};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use apig_types_runtime::media;
use bytes::Bytes;

use super::body::{form_encode, Binary, BinaryData, MultipartForm, ToMultipart};
use super::credentials::CredentialsError;
use super::error::{ErrorInfo, TimeoutKind};
use super::intercept::{AttemptResponse, CallOptions, OutgoingRequest};
use super::param::{self, ParamFormat, QueryPair};
use super::region::{RegionOverrides, ServerTemplate};
use super::retry::{backoff, is_retryable_status, retry_after};
use super::{Auth, BuildError, Config, Error, Package, ResponseValue, RetryPolicy, SecuritySpec};

/// What one call sends, described by the generated method.
#[derive(Debug)]
pub struct Request {
    operation_id: &'static str,
    service: usize,
    method: Method,
    path: String,
    /// In the order added: the order the URL has them in.
    query: Vec<QueryPair>,
    headers: Vec<(Cow<'static, str>, String)>,
    /// `name=value` pairs, already encoded, sent in one `Cookie` header.
    cookies: Vec<String>,
    /// The `Content-Type` and the body.
    body: Option<(String, Payload)>,
    idempotent: bool,
}

/// A request body as it is sent.
#[derive(Debug)]
enum Payload {
    /// In memory: sent again on a retry, signed.
    Bytes(Bytes),
    /// A stream: sent once (taken from here by the first attempt), its content not
    /// signed.
    Stream(Option<reqwest::Body>),
}

impl Payload {
    /// The body of one attempt; `None` once a stream has been sent.
    fn for_attempt(&mut self) -> Option<reqwest::Body> {
        match self {
            Payload::Bytes(bytes) => Some(reqwest::Body::from(bytes.clone())),
            Payload::Stream(body) => body.take(),
        }
    }

    /// The bytes, when they are in memory.
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Payload::Bytes(bytes) => Some(bytes),
            Payload::Stream(_) => None,
        }
    }

    /// Whether it can be sent more than once.
    fn repeatable(&self) -> bool {
        matches!(self, Payload::Bytes(_))
    }
}

/// `Request::get(..)`, `Request::post(..)`, ...: one constructor per HTTP method.
macro_rules! method_constructors {
    ($($name:ident => $method:ident),* $(,)?) => {$(
        #[doc = concat!("A `", stringify!($method), "` request; see [`Request::new`].")]
        pub fn $name(operation_id: &'static str, service: usize, path: String) -> Self {
            Self::new(operation_id, service, Method::$method, path)
        }
    )*};
}

impl Request {
    /// A request of operation `operation_id` to service number `service` (its position
    /// in the generated `Service::ALL`). `path` is already percent-encoded. It is not
    /// retried once it may have reached the server unless it is marked
    /// [`idempotent`](Request::idempotent).
    pub fn new(operation_id: &'static str, service: usize, method: Method, path: String) -> Self {
        Request {
            operation_id,
            service,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            idempotent: false,
        }
    }

    method_constructors!(
        get => GET,
        put => PUT,
        post => POST,
        delete => DELETE,
        options => OPTIONS,
        head => HEAD,
        patch => PATCH,
        trace => TRACE,
    );

    /// Whether repeating the request is harmless (RFC 9110 says so of every method but
    /// `POST` and `PATCH`), so that it may be retried after it may have reached the
    /// server.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Adds a query parameter (unencoded; repeated names are kept in order).
    pub fn query(&mut self, name: &'static str, value: String) {
        self.query
            .push(QueryPair::plain(name.to_string(), value, param::QUERY));
    }

    /// Adds a header.
    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((Cow::Borrowed(name), value));
    }

    /// Adds query parameter `name` written as `format` says: one pair or several (an
    /// exploded array or object, `deepObject`).
    pub fn query_param<T: Serialize + ?Sized, E>(
        &mut self,
        name: &'static str,
        format: ParamFormat,
        value: &T,
    ) -> Result<(), Error<E>> {
        let pairs = param::query_pairs(name, format, value)
            .map_err(|message| self.invalid_param("query", name, message))?;
        self.query.extend(pairs);
        Ok(())
    }

    /// Adds header parameter `name` written as `format` says (the simple style, or JSON).
    pub fn header_param<T: Serialize + ?Sized, E>(
        &mut self,
        name: &'static str,
        format: ParamFormat,
        value: &T,
    ) -> Result<(), Error<E>> {
        let text = param::header_text(format, value)
            .map_err(|message| self.invalid_param("header", name, message))?;
        self.headers.push((Cow::Borrowed(name), text));
        Ok(())
    }

    /// Adds cookie parameter `name` written as `format` says; every cookie of the request
    /// goes in one `Cookie` header.
    pub fn cookie_param<T: Serialize + ?Sized, E>(
        &mut self,
        name: &'static str,
        format: ParamFormat,
        value: &T,
    ) -> Result<(), Error<E>> {
        let pairs = param::cookie_pairs(name, format, value)
            .map_err(|message| self.invalid_param("cookie", name, message))?;
        self.cookies.extend(pairs);
        Ok(())
    }

    fn invalid_param<E>(&self, location: &str, name: &str, message: String) -> Error<E> {
        Error::InvalidRequest {
            operation_id: self.operation_id,
            message: format!("{location} parameter `{name}`: {message}"),
        }
    }

    /// Sends `Accept` with the media types the operation's answers can come as.
    pub fn accept(&mut self, media_types: &'static str) {
        self.headers
            .push((Cow::Borrowed("Accept"), media_types.to_string()));
    }

    fn invalid<E>(&self, message: String) -> Error<E> {
        Error::InvalidRequest {
            operation_id: self.operation_id,
            message,
        }
    }

    /// Serializes `body` as JSON.
    pub fn json<T: Serialize + ?Sized, E>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(|err| self.invalid(err.to_string()))?;
        self.body = Some((content_type.to_string(), Payload::Bytes(bytes.into())));
        Ok(())
    }

    /// Serializes `body` (an object) as `application/x-www-form-urlencoded` fields.
    pub fn form<T: Serialize + ?Sized, E>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), Error<E>> {
        let text = form_encode(body).map_err(|message| self.invalid(message))?;
        self.body = Some((content_type.to_string(), Payload::Bytes(text.into())));
        Ok(())
    }

    /// Sends `body` as text.
    pub fn text(&mut self, content_type: &'static str, body: &str) {
        let bytes = Bytes::copy_from_slice(body.as_bytes());
        self.body = Some((content_type.to_string(), Payload::Bytes(bytes)));
    }

    /// Sends bytes, as `content_type` unless the body names its own.
    pub fn binary(&mut self, content_type: &'static str, body: impl Into<Binary>) {
        let Binary {
            data,
            content_type: own,
        } = body.into();
        let payload = match data {
            BinaryData::Bytes(bytes) => Payload::Bytes(bytes),
            // A body made from bytes is as good as bytes (copied once, to be signed and
            // retried); any other is a stream.
            BinaryData::Body(body) => match body.as_bytes() {
                Some(bytes) => Payload::Bytes(Bytes::copy_from_slice(bytes)),
                None => Payload::Stream(Some(body)),
            },
        };
        let content_type = own.unwrap_or_else(|| content_type.to_string());
        self.body = Some((content_type, payload));
    }

    /// Sends `body` as `multipart/form-data`.
    pub fn multipart<T: ToMultipart + ?Sized, E>(&mut self, body: &T) -> Result<(), Error<E>> {
        let mut form = MultipartForm::default();
        body.write(&mut form)
            .map_err(|err| self.invalid(err.to_string()))?;
        let (content_type, bytes) = form.finish();
        self.body = Some((content_type, Payload::Bytes(bytes)));
        Ok(())
    }
}

/// A request the spec does not describe, sent with the client's configuration: the
/// same endpoint, credentials, signing, client-level headers, timeouts, retries,
/// interceptors and per-call options as every typed call. A generated client's
/// `send_raw` sends it to one of its services and gives back the answer whatever its
/// status.
///
/// ```
/// use apig_client_runtime::{Method, RawRequest};
///
/// let request = RawRequest::new(Method::GET, "/v1.0/0123/streaming/jobs")
///     .query("limit", "10")
///     .header("X-Language", "en-us")
///     .operation_id("ListFlinkJobs");
/// # let _ = request;
/// ```
#[derive(Debug)]
pub struct RawRequest {
    inner: Request,
}

impl RawRequest {
    /// A request of `method` to `path`, relative to the service's endpoint and already
    /// percent-encoded (see `path_segment` for values). It may be retried after it may
    /// have reached the server only when the method is idempotent (not `POST` or
    /// `PATCH`), unless [`RawRequest::idempotent`] says otherwise.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = method != Method::POST && method != Method::PATCH;
        RawRequest {
            inner: Request::new("raw", 0, method, path.into()).idempotent(idempotent),
        }
    }

    /// The name the call has in errors, traces and interceptors (default `raw`).
    pub fn operation_id(mut self, name: &'static str) -> Self {
        self.inner.operation_id = name;
        self
    }

    /// Adds a query parameter (unencoded).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inner
            .query
            .push(QueryPair::plain(name.into(), value.into(), param::QUERY));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inner
            .headers
            .push((Cow::Owned(name.into()), value.into()));
        self
    }

    /// Sends `body` as `application/json`.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, serde_json::Error> {
        let bytes = serde_json::to_vec(body)?;
        self.inner.body = Some(("application/json".to_string(), Payload::Bytes(bytes.into())));
        Ok(self)
    }

    /// Sends these bytes as `content_type` (signed, and sent again on a retry).
    pub fn body(mut self, content_type: impl Into<String>, body: impl Into<Bytes>) -> Self {
        self.inner.body = Some((content_type.into(), Payload::Bytes(body.into())));
        self
    }

    /// Whether repeating the request is harmless, so that it may be retried after it
    /// may have reached the server.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.inner.idempotent = idempotent;
        self
    }
}

/// The payload hash given to the signer for a streamed body: any hash but the empty
/// body's, so that the signer reads the `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` it sets
/// for a body that is not JSON.
const STREAM_PLACEHOLDER_HASH: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether this build can connect over HTTPS: one of the crate's TLS features
/// (`rustls-tls`, on by default, or `native-tls`) is enabled.
const HTTPS_SUPPORTED: bool = cfg!(any(feature = "rustls-tls", feature = "native-tls"));

/// Why `url` cannot be used, or `None` when it can: an `https` URL needs TLS. `https`
/// says whether the build has TLS (`HTTPS_SUPPORTED`; a parameter so that tests cover
/// both cases in every build).
/// `package` is the client crate whose features the user sets.
fn tls_missing(url: &reqwest::Url, https: bool, package: &str) -> Option<String> {
    (url.scheme() == "https" && !https).then(|| {
        format!(
            "HTTPS needs TLS, and {package} was built without it: enable its `rustls-tls` \
             feature (on by default) or `native-tls`, or use an http:// endpoint"
        )
    })
}

/// Picks reqwest's TLS backend from this crate's features, so that another crate of the
/// application enabling a different reqwest backend does not change it: `native-tls`
/// when enabled, otherwise `rustls-tls`; without either, plain HTTP only. Every
/// `reqwest::Client` this crate builds goes through here.
pub(crate) fn tls_backend(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, BuildError> {
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_backend_native();
    #[cfg(all(feature = "rustls-tls", not(feature = "native-tls")))]
    let builder = builder.tls_backend_preconfigured(rustls_config()?);
    Ok(builder)
}

/// The rustls configuration of `rustls-tls`: the `ring` provider, TLS 1.2 and 1.3, the
/// Mozilla roots (webpki-roots), HTTP/1.1 offered by ALPN (the one protocol this build
/// speaks; reqwest sets ALPN only on configurations it builds itself).
///
/// `ring` is also installed as the process's default rustls provider when there is none
/// yet: reqwest 0.13 built with `rustls-no-provider` (which this feature enables) panics
/// building any other client of the application that takes reqwest's rustls defaults
/// while no provider is installed, and with reqwest 0.12's `rustls-tls` such clients
/// used `ring`.
#[cfg(all(feature = "rustls-tls", not(feature = "native-tls")))]
fn rustls_config() -> Result<rustls::ClientConfig, BuildError> {
    // An error only says that a provider is installed already; that one stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| BuildError::Http(Box::new(err)))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Sends requests: the HTTP client, the resolved base URL of each service, the
/// configuration and the options of the calls made through this copy.
#[derive(Debug, Clone)]
pub struct Runtime {
    http: reqwest::Client,
    /// Per service, its base URL, or why it has none (a region it does not serve).
    base_urls: Arc<[Result<reqwest::Url, String>]>,
    config: Arc<Config>,
    security: SecuritySpec,
    client_headers: Arc<[(&'static str, String)]>,
    call: Arc<CallOptions>,
}

impl Runtime {
    /// Resolves each service's base URL (an explicit endpoint, a region override, or
    /// the first of the spec's servers that takes the variables set) and creates the
    /// HTTP client. `package` is the generated crate: its `name/version` is the default
    /// `User-Agent`.
    pub fn new(
        mut config: Config,
        package: Package,
        servers: &[(&'static str, &'static [ServerTemplate])],
        security: SecuritySpec,
        client_headers: Vec<(&'static str, String)>,
    ) -> Result<Self, BuildError> {
        let mut base_urls = Vec::with_capacity(servers.len());
        let mut needs_tls = None;
        let mut overrides = RegionOverrides::new(config.lookup.clone());
        // A region (or other server variable) that one service does not take is that
        // service's problem only: its calls fail with the message, and the others work.
        // A value no service takes is most likely a typo, and fails the build.
        let mut unserved = Vec::new();
        for (service, templates) in servers {
            let url = match super::region::base_url(&config, &mut overrides, service, templates) {
                Ok(url) => url,
                Err(err @ BuildError::UnknownServerVariable { .. }) => {
                    base_urls.push(Err(err.to_string()));
                    unserved.push(err);
                    continue;
                }
                Err(err) => return Err(err),
            };
            let parsed = reqwest::Url::parse(&url).map_err(|err| BuildError::Endpoint {
                service: service.to_string(),
                url: url.clone(),
                reason: err.to_string(),
            })?;
            if parsed.cannot_be_a_base() || parsed.host_str().is_none() {
                return Err(BuildError::Endpoint {
                    service: service.to_string(),
                    url,
                    reason: "not an http(s) URL with a host".to_string(),
                });
            }
            if let Some(reason) = tls_missing(&parsed, HTTPS_SUPPORTED, package.name) {
                needs_tls.get_or_insert(BuildError::Endpoint {
                    service: service.to_string(),
                    url,
                    reason,
                });
            }
            base_urls.push(Ok(parsed));
        }
        if !servers.is_empty() && unserved.len() == servers.len() {
            return Err(unserved.swap_remove(0));
        }
        for (name, value) in &client_headers {
            if value.is_empty() {
                return Err(BuildError::InvalidHeader {
                    name: name.to_string(),
                    reason: "it is empty".to_string(),
                });
            }
            if HeaderValue::from_bytes(value.as_bytes()).is_err() || value.trim() != value {
                return Err(BuildError::InvalidHeader {
                    name: name.to_string(),
                    reason: "it has a control character or surrounding spaces".to_string(),
                });
            }
        }
        config.check(&security)?;
        config
            .user_agent
            .get_or_insert_with(|| format!("{}/{}", package.name, package.version));
        // Last, so that a build without TLS reports any other mistake as a build with
        // TLS does.
        if let Some(err) = needs_tls {
            return Err(err);
        }
        let http = match &config.http {
            Some(http) => http.clone(),
            None => tls_backend(reqwest::Client::builder())?
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(|err| BuildError::Http(Box::new(err)))?,
        };
        Ok(Runtime {
            http,
            base_urls: base_urls.into(),
            config: Arc::new(config),
            security,
            client_headers: client_headers.into(),
            call: Arc::new(CallOptions::default()),
        })
    }

    /// A copy that sends with these per-call options (replacing the copy's own).
    pub fn with_options(&self, options: CallOptions) -> Runtime {
        Runtime {
            call: Arc::new(options),
            ..self.clone()
        }
    }

    /// The per-call options of this copy.
    pub fn call_options(&self) -> &CallOptions {
        &self.call
    }

    /// The base URL requests of service number `service` go to; `None` when the
    /// service does not serve the region (or other server variables) configured.
    pub fn base_url(&self, service: usize) -> Option<&reqwest::Url> {
        self.base_urls.get(service)?.as_ref().ok()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends a raw request to service number `service`. Every answer is returned as it
    /// came, whatever its status; errors are only what keeps an answer from arriving
    /// (transport, timeouts, deadline, credentials, an invalid request).
    pub async fn send_raw(
        &self,
        service: usize,
        request: RawRequest,
    ) -> Result<ResponseValue<Bytes>, Error<Bytes>> {
        let mut request = request.inner;
        if !request.path.starts_with('/') {
            return Err(Error::InvalidRequest {
                operation_id: request.operation_id,
                message: format!("the path `{}` does not start with `/`", request.path),
            });
        }
        request.service = service;
        let response = self.send::<Bytes>(request).await?;
        response.bytes()
    }

    /// Sends `request`, retrying where the policy allows, and returns the final answer.
    ///
    /// Each call runs in an `api_call` span with the fields `operation_id`, `method`,
    /// `path`, `status`, `retries`, `request_id` and `error` (the kind of a failure). No
    /// header values, bodies or credentials are recorded.
    pub async fn send<E>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        let span = tracing::info_span!(
            "api_call",
            operation_id = request.operation_id,
            method = %request.method,
            path = %request.path,
            status = tracing::field::Empty,
            retries = tracing::field::Empty,
            request_id = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        // The span is passed in rather than looked up with `Span::current`, so that fields
        // are recorded even under subscribers that do not track the current span.
        self.send_with_retries(request, span.clone())
            .instrument(span)
            .await
    }

    async fn send_with_retries<E>(
        &self,
        request: Request,
        span: tracing::Span,
    ) -> Result<RawResponse, Error<E>> {
        let policy: Cow<'_, RetryPolicy> = match (&self.call.retry, self.call.max_retries) {
            (None, None) => Cow::Borrowed(&self.config.retry),
            (retry, max_retries) => {
                let mut policy = retry.clone().unwrap_or_else(|| self.config.retry.clone());
                if let Some(max_retries) = max_retries {
                    policy.max_retries = max_retries;
                }
                Cow::Owned(policy)
            }
        };
        let timeout = self.call.timeout.unwrap_or(self.config.timeout);
        let deadline = self
            .call
            .deadline
            .or(self.config.deadline)
            .map(|limit| (Instant::now() + limit, limit));
        let may_repeat =
            request.idempotent || policy.non_idempotent_allowed.contains(request.operation_id);
        // A streamed body is sent once.
        let repeatable = request.body.as_ref().is_none_or(|(_, p)| p.repeatable());
        let mut request = request;
        let mut retries = 0u32;
        loop {
            // Each attempt gets the timeout, or what is left of the deadline if less.
            let remaining = deadline.map(|(at, _)| at.saturating_duration_since(Instant::now()));
            let outcome = match remaining {
                Some(left) if left.is_zero() => Err(AttemptError::Deadline),
                Some(left) if left < timeout => {
                    match tokio::time::timeout(left, self.attempt(&mut request, retries, left))
                        .await
                    {
                        Ok(Err(AttemptError::Http(err))) if err.is_timeout() => {
                            Err(AttemptError::Deadline)
                        }
                        Ok(outcome) => outcome,
                        Err(_) => Err(AttemptError::Deadline),
                    }
                }
                _ => self.attempt(&mut request, retries, timeout).await,
            };
            if let Ok(response) = &outcome {
                span.record("status", response.status.as_u16());
                if let Some(id) = super::error::request_id(&response.headers) {
                    span.record("request_id", id);
                }
            }
            let retry_delay = if retries >= policy.max_retries || !repeatable {
                None
            } else {
                match &outcome {
                    Ok(response) if may_repeat && is_retryable_status(response.status) => {
                        match retry_after(&response.headers) {
                            // The service asks for a longer pause than we are willing to
                            // wait: give its answer back instead.
                            Some(wait) if wait > policy.max_retry_after => None,
                            Some(wait) => Some(wait.max(backoff(&policy, retries + 1))),
                            None => Some(backoff(&policy, retries + 1)),
                        }
                    }
                    Ok(_) => None,
                    // A request that could not be built fails the same way every time,
                    // and so do missing credentials; a passed deadline ends the call.
                    Err(AttemptError::Build(_) | AttemptError::Credentials(_))
                    | Err(AttemptError::Deadline) => None,
                    // A failed connection never reached the server, so even a POST is safe
                    // to repeat; anything later may have been received.
                    Err(err) if err.is_connect() || may_repeat => {
                        Some(backoff(&policy, retries + 1))
                    }
                    Err(_) => None,
                }
            };
            // No retry starts that could not end before the deadline.
            let retry_delay = retry_delay
                .filter(|delay| deadline.is_none_or(|(at, _)| Instant::now() + *delay < at));
            match retry_delay {
                Some(delay) => {
                    retries += 1;
                    span.record("retries", retries);
                    match &outcome {
                        Ok(response) => tracing::debug!(
                            retry = retries,
                            status = response.status.as_u16(),
                            delay_ms = delay.as_millis() as u64,
                            "retrying after a retryable status"
                        ),
                        Err(err) => tracing::debug!(
                            retry = retries,
                            failure = err.kind(),
                            delay_ms = delay.as_millis() as u64,
                            "retrying after a failed attempt"
                        ),
                    }
                    tokio::time::sleep(delay).await;
                }
                None => {
                    span.record("retries", retries);
                    let operation_id = request.operation_id;
                    let result = match outcome {
                        Ok(mut response) => {
                            response.retries = retries;
                            Ok(response)
                        }
                        Err(AttemptError::Build(message)) => Err(Error::InvalidRequest {
                            operation_id,
                            message,
                        }),
                        Err(AttemptError::Credentials(source)) => Err(Error::Credentials {
                            operation_id,
                            source,
                        }),
                        Err(AttemptError::Deadline) => Err(Error::Timeout {
                            operation_id,
                            kind: TimeoutKind::Deadline,
                            limit: deadline.map_or(timeout, |(_, limit)| limit),
                            retries,
                        }),
                        Err(AttemptError::Http(source)) if source.is_timeout() => {
                            let (kind, limit) = if source.is_connect() {
                                (TimeoutKind::Connect, self.config.connect_timeout)
                            } else {
                                (TimeoutKind::Request, timeout)
                            };
                            Err(Error::Timeout {
                                operation_id,
                                kind,
                                limit,
                                retries,
                            })
                        }
                        Err(AttemptError::Http(source)) => Err(Error::Transport {
                            operation_id,
                            retries,
                            source: Box::new(source),
                        }),
                    };
                    if let Err(err) = &result {
                        span.record("error", err.kind());
                        tracing::debug!(error = %err, "call failed");
                    }
                    return result;
                }
            }
        }
    }

    /// The headers of one attempt, before authentication: content type, client-level
    /// headers, the operation's headers, the per-call headers and the user agent.
    fn plain_headers(&self, request: &Request) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some((content_type, _)) = &request.body {
            headers.push(("Content-Type".to_string(), content_type.to_string()));
        }
        for (name, value) in self.client_headers.iter() {
            headers.push((name.to_string(), value.clone()));
        }
        for (name, value) in &request.headers {
            headers.push((name.to_string(), value.clone()));
        }
        if !request.cookies.is_empty() {
            headers.push(("Cookie".to_string(), request.cookies.join("; ")));
        }
        for (name, value) in &self.call.headers {
            headers.push((name.clone(), value.clone()));
        }
        let user_agent = self.config.user_agent.clone().unwrap_or_default();
        headers.push(("User-Agent".to_string(), user_agent));
        headers
    }

    /// Whether a header carries a secret and must be marked sensitive.
    fn is_secret_header(&self, name: &HeaderName) -> bool {
        let signing = self.security.signing;
        let secret_names = [
            signing.map(|s| s.authorization_header),
            signing.and_then(|s| s.security_token_header),
            self.security.token_header,
        ];
        secret_names
            .iter()
            .flatten()
            .any(|secret| name.as_str().eq_ignore_ascii_case(secret))
    }

    /// One attempt: runs the interceptors, authenticates afresh (a new `X-Sdk-Date` and
    /// signature each time), sends within `timeout`, and reads the whole answer.
    async fn attempt(
        &self,
        request: &mut Request,
        attempt: u32,
        timeout: Duration,
    ) -> Result<RawResponse, AttemptError> {
        let base = match self.base_urls.get(request.service) {
            Some(Ok(base)) => base,
            Some(Err(unserved)) => return Err(AttemptError::Build(unserved.clone())),
            None => {
                return Err(AttemptError::Build(format!(
                    "no base URL for service #{}",
                    request.service
                )))
            }
        };
        let base_path = base.path().trim_end_matches('/');
        let path = format!("{base_path}{}", request.path);
        let host_name = base
            .host_str()
            .ok_or_else(|| AttemptError::Build(format!("the endpoint `{base}` has no host")))?;
        let host = match base.port() {
            Some(port) => format!("{host_name}:{port}"),
            None => host_name.to_string(),
        };
        let mut headers = self.plain_headers(request);
        for interceptor in self
            .config
            .interceptors
            .iter()
            .chain(&self.call.interceptors)
        {
            let mut outgoing = OutgoingRequest {
                operation_id: request.operation_id,
                method: &request.method,
                path: &path,
                attempt,
                headers: &mut headers,
            };
            interceptor
                .before_signing(&mut outgoing)
                .map_err(|message| {
                    AttemptError::Build(format!("an interceptor refused the request: {message}"))
                })?;
        }
        // The bytes that are signed: none for a stream, whose content is not signed.
        let body_bytes: Option<&[u8]> = match &request.body {
            None => Some(&[]),
            Some((_, payload)) => payload.bytes(),
        };

        // The query is sent in the order the parameters were added, each pair encoded as
        // its style says; the signer signs the decoded pairs (sorted and encoded its own
        // way), which is what a verifier reads back from any encoding of them.
        let query_string = request
            .query
            .iter()
            .map(|pair| pair.wire.as_str())
            .collect::<Vec<_>>()
            .join("&");
        let provided;
        let credentials = match &self.config.auth {
            Auth::Signed(credentials) => Some(credentials),
            Auth::Provider(cache) => {
                provided = cache
                    .credentials()
                    .await
                    .map_err(AttemptError::Credentials)?;
                Some(&provided)
            }
            _ => None,
        };
        match (credentials, &self.config.auth, self.security.signing) {
            (Some(credentials), _, Some(_)) => {
                let date = SdkDate::now().map_err(|err| AttemptError::Build(err.to_string()))?;
                let signing =
                    SigningRequest::new(request.method.as_str(), host, path.clone(), date);
                let mut signing = match body_bytes {
                    Some(bytes) => signing.body(bytes),
                    None => {
                        let content_type = request.body.as_ref().map_or("", |(ct, _)| ct.as_str());
                        if content_type.starts_with("application/json")
                            || content_type.starts_with("application/bson")
                        {
                            return Err(AttemptError::Build(
                                "a streamed JSON body cannot be signed; give the bytes instead"
                                    .to_string(),
                            ));
                        }
                        // Any non-empty hash: the signer signs `UNSIGNED-PAYLOAD` for a
                        // body that is not JSON.
                        signing.payload_sha256_hex(STREAM_PLACEHOLDER_HASH)
                    }
                };
                for pair in &request.query {
                    signing = signing.query(pair.name.clone(), pair.value.clone());
                }
                for (k, v) in &headers {
                    signing = signing.header(k.clone(), v.clone());
                }
                let signed = apig_signer::sign(credentials, &signing)
                    .map_err(|err| AttemptError::Build(err.to_string()))?;
                // The HTTP client derives `Host` from the URL, which gives the signed value.
                headers = signed
                    .headers
                    .into_iter()
                    .filter(|(name, _)| !name.eq_ignore_ascii_case("host"))
                    .collect();
            }
            (Some(_), _, None) => {
                return Err(AttemptError::Build(
                    "credentials are set but the spec defines no signing scheme".to_string(),
                ))
            }
            (None, Auth::Token(token), _) => {
                let name = self.security.token_header.ok_or_else(|| {
                    AttemptError::Build(
                        "a token is set but the spec defines no token header".to_string(),
                    )
                })?;
                headers.push((name.to_string(), token.expose().to_string()));
            }
            (None, _, _) => {}
        }

        let mut url = base.clone();
        url.set_path(&path);
        url.set_query(if query_string.is_empty() {
            None
        } else {
            Some(&query_string)
        });
        let mut header_map = HeaderMap::with_capacity(headers.len());
        for (name, value) in &headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| AttemptError::Build(format!("`{name}` is not a valid header name")))?;
            // Values may be UTF-8 text: they go on the wire as the bytes that were signed.
            let mut value = HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
                AttemptError::Build(format!(
                    "the value of header `{name}` contains a character that cannot be sent"
                ))
            })?;
            if self.is_secret_header(&name) {
                value.set_sensitive(true);
            }
            header_map.append(name, value);
        }
        let body = match &mut request.body {
            Some((_, payload)) => Some(payload.for_attempt().ok_or_else(|| {
                AttemptError::Build("a streamed body cannot be sent twice".to_string())
            })?),
            None => None,
        };
        #[cfg(feature = "test-util")]
        let (status, headers, body) = match &self.config.transport {
            Some(transport) => {
                let answer = transport.answer(super::fake::FakeRequest::new(
                    request.operation_id,
                    request.method.clone(),
                    url,
                    header_map,
                    body,
                ));
                (answer.status, answer.headers, answer.body)
            }
            None => {
                self.over_http(&request.method, url, header_map, body, timeout)
                    .await?
            }
        };
        #[cfg(not(feature = "test-util"))]
        let (status, headers, body) = self
            .over_http(&request.method, url, header_map, body, timeout)
            .await?;
        for interceptor in self
            .config
            .interceptors
            .iter()
            .chain(&self.call.interceptors)
        {
            interceptor.after_response(&AttemptResponse {
                operation_id: request.operation_id,
                attempt,
                status,
                headers: &headers,
                body: &body,
            });
        }
        Ok(RawResponse {
            operation_id: request.operation_id,
            status,
            headers,
            body,
            retries: 0,
        })
    }

    /// Sends one attempt with the HTTP client and reads the whole answer.
    async fn over_http(
        &self,
        method: &Method,
        url: reqwest::Url,
        headers: HeaderMap,
        body: Option<reqwest::Body>,
        timeout: Duration,
    ) -> Result<(StatusCode, HeaderMap, Bytes), AttemptError> {
        let mut builder = self
            .http
            .request(method.clone(), url)
            .headers(headers)
            .timeout(timeout);
        if let Some(body) = body {
            builder = builder.body(body);
        }
        let response = builder.send().await.map_err(AttemptError::Http)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(AttemptError::Http)?;
        Ok((status, headers, body))
    }
}

#[derive(Debug)]
enum AttemptError {
    Build(String),
    Credentials(CredentialsError),
    /// The call's deadline passed.
    Deadline,
    Http(reqwest::Error),
}

impl AttemptError {
    fn is_connect(&self) -> bool {
        matches!(self, AttemptError::Http(err) if err.is_connect())
    }

    fn kind(&self) -> &'static str {
        match self {
            AttemptError::Build(_) => "invalid_request",
            AttemptError::Credentials(_) => "credentials",
            AttemptError::Deadline => "deadline",
            AttemptError::Http(err) if err.is_timeout() => "timeout",
            AttemptError::Http(err) if err.is_connect() => "connect",
            AttemptError::Http(_) => "transport",
        }
    }
}

/// An answer before decoding.
#[derive(Debug)]
pub struct RawResponse {
    operation_id: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    retries: u32,
}

impl RawResponse {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    fn decode<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        let body: &[u8] = if self.body.is_empty() {
            b"null"
        } else {
            &self.body
        };
        // Most bodies decode: do it without path tracking, and decode again with it only
        // to say where a bad body went wrong (path tracking costs about half again).
        if let Ok(value) = serde_json::from_slice(body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| Error::Decode {
            operation_id: self.operation_id,
            status: self.status,
            headers: self.headers.clone(),
            path: err.path().to_string(),
            message: err.inner().to_string(),
            body: self.body.to_vec(),
            retries: self.retries,
        })
    }

    fn value<T>(self, body: T) -> ResponseValue<T> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            body,
            retries: self.retries,
        }
    }

    /// A documented success status with a JSON body.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<ResponseValue<T>, Error<E>> {
        let body = self.decode()?;
        Ok(self.value(body))
    }

    /// A documented success status with a JSON body, wrapped into a variant.
    pub fn json_as<T: DeserializeOwned, S, E>(
        self,
        wrap: impl FnOnce(T) -> S,
    ) -> Result<ResponseValue<S>, Error<E>> {
        let body = self.decode()?;
        Ok(self.value(wrap(body)))
    }

    /// A documented success status with a text body.
    pub fn text<E>(self) -> Result<ResponseValue<String>, Error<E>> {
        self.text_as(|text| text)
    }

    /// A documented success status with a text body, wrapped into a variant. Bytes that
    /// are not UTF-8 are replaced with U+FFFD.
    pub fn text_as<S, E>(
        self,
        wrap: impl FnOnce(String) -> S,
    ) -> Result<ResponseValue<S>, Error<E>> {
        let text = self.text_body();
        Ok(self.value(wrap(text)))
    }

    /// A documented success status with a binary body.
    pub fn bytes<E>(self) -> Result<ResponseValue<Bytes>, Error<E>> {
        self.bytes_as(|bytes| bytes)
    }

    /// A documented success status with a binary body, wrapped into a variant.
    pub fn bytes_as<S, E>(
        self,
        wrap: impl FnOnce(Bytes) -> S,
    ) -> Result<ResponseValue<S>, Error<E>> {
        let bytes = self.body.clone();
        Ok(self.value(wrap(bytes)))
    }

    fn text_body(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Which of a response's contents (each a list of media types) the answer's
    /// `Content-Type` names; the first when it names none of them.
    pub fn content_index(&self, contents: &[&[&str]]) -> usize {
        let content_type = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let declared: Vec<&str> = contents.iter().flat_map(|c| c.iter().copied()).collect();
        let Some(picked) = media::pick(&declared, content_type) else {
            return 0;
        };
        let mut seen = 0;
        for (index, content) in contents.iter().enumerate() {
            seen += content.len();
            if picked < seen {
                return index;
            }
        }
        0
    }

    /// A documented error status with a text body, wrapped by `wrap`.
    pub fn api_error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        let text = self.text_body();
        self.api_error_as(wrap(text))
    }

    /// A documented error status with a binary body, wrapped by `wrap`.
    pub fn api_error_bytes<E>(self, wrap: impl FnOnce(Bytes) -> E) -> Error<E> {
        let bytes = self.body.clone();
        self.api_error_as(wrap(bytes))
    }

    /// A documented success status without a body.
    pub fn empty<E>(self) -> Result<ResponseValue<()>, Error<E>> {
        Ok(self.value(()))
    }

    /// A documented success status without a body, as a variant.
    pub fn empty_as<S, E>(self, variant: S) -> Result<ResponseValue<S>, Error<E>> {
        Ok(self.value(variant))
    }

    /// A documented error status with a JSON body.
    pub fn api_error<E: DeserializeOwned>(self) -> Error<E> {
        self.api_error_map(|body: E| body)
    }

    /// A documented error status with a JSON body, wrapped into a variant.
    ///
    /// Huawei Cloud services (and the API gateway in front of them) do not all use the
    /// documented error shape. When the body does not decode as documented but carries a
    /// code or message in another known shape (see [`ErrorInfo`]), the typed body is read
    /// from that code and message, as the official SDK reads every shape into one error.
    /// Otherwise the result is [`Error::Decode`] with the path of the first problem.
    pub fn api_error_map<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Error<E> {
        let err = match self.decode::<T, E>() {
            Ok(body) => return self.api_error_as(wrap(body)),
            Err(err) => err,
        };
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&self.body) else {
            return err;
        };
        let info = ErrorInfo::from_value(&value);
        let Some(normalised) = info.normalised(&value, self.status) else {
            return err;
        };
        match serde_json::from_value::<T>(normalised) {
            Ok(body) => Error::Api {
                operation_id: self.operation_id,
                status: self.status,
                info,
                headers: self.headers,
                body: wrap(body),
                retries: self.retries,
            },
            Err(_) => err,
        }
    }

    /// A documented error status without a body (or with `body` already decoded).
    pub fn api_error_as<E>(self, body: E) -> Error<E> {
        Error::Api {
            operation_id: self.operation_id,
            status: self.status,
            info: ErrorInfo::from_body(&self.body),
            headers: self.headers,
            body,
            retries: self.retries,
        }
    }

    /// A status the spec does not document for the operation.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            operation_id: self.operation_id,
            status: self.status,
            info: ErrorInfo::from_body(&self.body),
            headers: self.headers,
            body: self.body.to_vec(),
            retries: self.retries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> reqwest::Url {
        reqwest::Url::parse(text).expect("a valid URL")
    }

    #[test]
    fn without_tls_https_endpoints_name_the_feature_to_enable() {
        let reason = tls_missing(&url("https://api.example.com"), false, "some-client")
            .expect("refused without TLS");
        assert!(reason.contains("`rustls-tls`"), "{reason}");
        assert!(reason.contains("`native-tls`"), "{reason}");
        assert!(
            reason.contains("some-client was built without it"),
            "{reason}"
        );
        assert_eq!(
            tls_missing(&url("http://127.0.0.1:8080"), false, "some-client"),
            None
        );
    }

    #[test]
    fn with_tls_every_http_scheme_is_accepted() {
        assert_eq!(tls_missing(&url("https://example.com"), true, "c"), None);
        assert_eq!(tls_missing(&url("http://example.com"), true, "c"), None);
    }
}
