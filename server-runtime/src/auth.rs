//! Caller authentication: an optional tower layer that accepts a request signed with
//! `SDK-HMAC-SHA256` (checked with `apig_signer::verify_borrowed`) or carrying an
//! `X-Auth-Token` that a user-supplied verifier accepts, and answers every other request
//! with 401 in the spec's error format.
//!
//! ```
//! use std::sync::Arc;
//! use apig_server_runtime::{SignatureLayer, StaticKeys, ErrorFormat};
//!
//! let keys = StaticKeys::new([("AK_EXAMPLE", "SK_EXAMPLE")]);
//! let layer = SignatureLayer::new(&ErrorFormat::DEFAULT).secret_keys(keys);
//! let app: axum::Router = axum::Router::new().layer(layer);
//! # let _ = app;
//! ```

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::{Duration, SystemTime};

use apig_signer::{ReceivedRequest, SecretString, SigningKey, VerifyOptions};
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use tower::{Layer, Service};

use super::context::{ensure_request_id, REQUEST_ID};
use super::errors::{error_response, ErrorFormat};

/// A boxed future, so that the lookup traits can be used as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The header that carries an IAM token.
pub const AUTH_TOKEN_HEADER: &str = "x-auth-token";

/// [`AUTH_TOKEN_HEADER`] as a header name, so that looking it up parses nothing.
static AUTH_TOKEN: header::HeaderName = header::HeaderName::from_static(AUTH_TOKEN_HEADER);

/// Who sent a request, as established by [`SignatureLayer`]. It is put into the request's
/// extensions, so a handler finds it in `RequestContext::extensions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The request was signed with this access key.
    AccessKey(String),
    /// The request carried a token that the verifier accepted; the text is what the verifier
    /// returned to identify the caller (for example a user or project id).
    Token(String),
}

/// An answer a store may give at once, or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    /// The answer, without waiting.
    Now(T),
    /// The store must be asked asynchronously.
    Later,
}

/// Looks up the secret key of an access key; `None` when the access key is unknown.
///
/// Implement it for a store of your own; the lookup may be asynchronous. [`StaticKeys`] is a
/// fixed in-memory table and [`SyncKeys`] adapts a plain function.
pub trait SecretKeyLookup: Send + Sync + 'static {
    fn secret_key<'a>(&'a self, access_key: &'a str) -> BoxFuture<'a, Option<SecretString>>;

    /// The secret key made ready for signing. The layer calls this one; the default keys
    /// [`SecretKeyLookup::secret_key`]'s answer for each request, and a store that keeps a
    /// [`SigningKey`] per access key (as [`StaticKeys`] does) answers it without that work.
    fn signing_key<'a>(&'a self, access_key: &'a str) -> BoxFuture<'a, Option<SigningKey>> {
        Box::pin(async move {
            self.secret_key(access_key)
                .await
                .map(|secret_key| SigningKey::new(&secret_key))
        })
    }

    /// The signing key when the store can answer without waiting (an in-memory table
    /// can); the default is [`Answer::Later`], and the layer then awaits
    /// [`SecretKeyLookup::signing_key`]. Answering here saves a boxed future per request.
    fn signing_key_now(&self, access_key: &str) -> Answer<Option<SigningKey>> {
        let _ = access_key;
        Answer::Later
    }
}

/// Checks an `X-Auth-Token`; returns the caller's identity when the token is valid.
pub trait TokenVerifier: Send + Sync + 'static {
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Option<String>>;

    /// The check when it needs no waiting; the default is [`Answer::Later`], and the
    /// layer then awaits [`TokenVerifier::verify`].
    fn verify_now(&self, token: &str) -> Answer<Option<String>> {
        let _ = token;
        Answer::Later
    }
}

/// A fixed table of access keys and their secret keys, each keyed for HMAC once.
#[derive(Clone, Default)]
pub struct StaticKeys(HashMap<String, (SecretString, SigningKey)>);

impl StaticKeys {
    pub fn new<A, S>(pairs: impl IntoIterator<Item = (A, S)>) -> Self
    where
        A: Into<String>,
        S: Into<SecretString>,
    {
        let mut keys = StaticKeys::default();
        for (access_key, secret_key) in pairs {
            keys.insert(access_key, secret_key);
        }
        keys
    }

    /// Adds or replaces one key pair.
    pub fn insert(&mut self, access_key: impl Into<String>, secret_key: impl Into<SecretString>) {
        let secret_key = secret_key.into();
        let signing_key = SigningKey::new(&secret_key);
        self.0.insert(access_key.into(), (secret_key, signing_key));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for StaticKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("StaticKeys")
            .field("access_keys", &names)
            .finish()
    }
}

impl SecretKeyLookup for StaticKeys {
    fn secret_key<'a>(&'a self, access_key: &'a str) -> BoxFuture<'a, Option<SecretString>> {
        let found = self
            .0
            .get(access_key)
            .map(|(secret_key, _)| secret_key.clone());
        Box::pin(std::future::ready(found))
    }

    fn signing_key<'a>(&'a self, access_key: &'a str) -> BoxFuture<'a, Option<SigningKey>> {
        let found = self
            .0
            .get(access_key)
            .map(|(_, signing_key)| signing_key.clone());
        Box::pin(std::future::ready(found))
    }

    fn signing_key_now(&self, access_key: &str) -> Answer<Option<SigningKey>> {
        Answer::Now(self.0.get(access_key).map(|(_, key)| key.clone()))
    }
}

/// A synchronous lookup function used as a [`SecretKeyLookup`].
pub struct SyncKeys<F>(pub F);

impl<F> SecretKeyLookup for SyncKeys<F>
where
    F: Fn(&str) -> Option<SecretString> + Send + Sync + 'static,
{
    fn secret_key<'a>(&'a self, access_key: &'a str) -> BoxFuture<'a, Option<SecretString>> {
        Box::pin(std::future::ready((self.0)(access_key)))
    }

    fn signing_key_now(&self, access_key: &str) -> Answer<Option<SigningKey>> {
        Answer::Now((self.0)(access_key).map(|secret_key| SigningKey::new(&secret_key)))
    }
}

/// A synchronous check function used as a [`TokenVerifier`].
pub struct SyncTokens<F>(pub F);

impl<F> TokenVerifier for SyncTokens<F>
where
    F: Fn(&str) -> Option<String> + Send + Sync + 'static,
{
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Option<String>> {
        Box::pin(std::future::ready((self.0)(token)))
    }

    fn verify_now(&self, token: &str) -> Answer<Option<String>> {
        Answer::Now((self.0)(token))
    }
}

/// The clock the layer checks `X-Sdk-Date` against.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// What accepts a caller: the credential stores and the date policy.
struct Credentials {
    keys: Option<Arc<dyn SecretKeyLookup>>,
    tokens: Option<Arc<dyn TokenVerifier>>,
    window: Duration,
    clock: Clock,
}

/// Who may call a server: requests with a valid AK/SK signature, a valid `X-Auth-Token`, or
/// either when both are configured; the rest get 401.
///
/// Give it to the generated router with [`RouterOptions::authenticate`]: it then runs
/// inside the router's own finishing layer, with the router's body limit, and its refusals
/// are in the error format of the service that owns the path (as for an unknown route).
/// [`Authentication::layer`] makes a [`SignatureLayer`] of it for any other router.
///
/// [`RouterOptions::authenticate`]: super::RouterOptions::authenticate
#[derive(Clone)]
pub struct Authentication {
    credentials: Arc<Credentials>,
}

impl Default for Authentication {
    fn default() -> Self {
        Authentication::new()
    }
}

impl fmt::Debug for Authentication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authentication")
            .field("signatures", &self.credentials.keys.is_some())
            .field("tokens", &self.credentials.tokens.is_some())
            .field("window", &self.credentials.window)
            .finish()
    }
}

impl Authentication {
    /// No credentials yet, so every request is refused: add secret keys, a token verifier
    /// or both.
    pub fn new() -> Self {
        Authentication {
            credentials: Arc::new(Credentials {
                keys: None,
                tokens: None,
                window: Duration::from_secs(15 * 60),
                clock: Arc::new(SystemTime::now),
            }),
        }
    }

    fn with(mut self, change: impl FnOnce(&mut Credentials)) -> Self {
        match Arc::get_mut(&mut self.credentials) {
            Some(credentials) => change(credentials),
            None => {
                let old = &self.credentials;
                let mut credentials = Credentials {
                    keys: old.keys.clone(),
                    tokens: old.tokens.clone(),
                    window: old.window,
                    clock: old.clock.clone(),
                };
                change(&mut credentials);
                self.credentials = Arc::new(credentials);
            }
        }
        self
    }

    /// Accepts requests signed with SDK-HMAC-SHA256 by an access key that `keys` knows.
    pub fn secret_keys(self, keys: impl SecretKeyLookup) -> Self {
        let keys: Arc<dyn SecretKeyLookup> = Arc::new(keys);
        self.with(|c| c.keys = Some(keys))
    }

    /// Accepts requests whose `X-Auth-Token` `tokens` accepts.
    pub fn tokens(self, tokens: impl TokenVerifier) -> Self {
        let tokens: Arc<dyn TokenVerifier> = Arc::new(tokens);
        self.with(|c| c.tokens = Some(tokens))
    }

    /// How far `X-Sdk-Date` may be from the server's clock, either way (default 15 minutes).
    pub fn window(self, window: Duration) -> Self {
        self.with(|c| c.window = window)
    }

    /// The clock `X-Sdk-Date` is checked against (default: the system clock).
    pub fn clock(self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        let clock: Clock = Arc::new(clock);
        self.with(|c| c.clock = clock)
    }

    /// A tower layer that checks these credentials in front of any router and answers
    /// refusals in `format`.
    pub fn layer(self, format: &'static ErrorFormat) -> SignatureLayer {
        SignatureLayer {
            authentication: self,
            format: FormatChoice::Fixed(format),
            body_limit: super::RouterOptions::default().body_limit,
            request_ids: true,
        }
    }

    /// The layer the router's finishing stack installs: refusals in the format `pick`
    /// chooses for the path, the router's body limit, and no request ids of its own (the
    /// finishing stack sets them outside it).
    pub(crate) fn finishing_layer(
        self,
        pick: Arc<dyn Fn(&str) -> &'static ErrorFormat + Send + Sync>,
        body_limit: usize,
    ) -> SignatureLayer {
        SignatureLayer {
            authentication: self,
            format: FormatChoice::ByPath(pick),
            body_limit,
            request_ids: false,
        }
    }
}

impl Authentication {
    /// What the generated handlers check themselves (see `Finishing::in_handlers`):
    /// refusals in the format `pick` chooses for the path, the router's body limit, and
    /// request ids set by the check (no layer outside it does).
    pub(crate) fn in_handlers(
        self,
        pick: Arc<dyn Fn(&str) -> &'static ErrorFormat + Send + Sync>,
        body_limit: usize,
    ) -> Arc<Shared> {
        Arc::new(Shared {
            credentials: self.credentials,
            format: FormatChoice::ByPath(pick),
            body_limit,
            request_ids: true,
        })
    }
}

/// The error format of refusals: one, or chosen by path.
#[derive(Clone)]
enum FormatChoice {
    Fixed(&'static ErrorFormat),
    ByPath(Arc<dyn Fn(&str) -> &'static ErrorFormat + Send + Sync>),
}

impl FormatChoice {
    fn pick(&self, path: &str) -> &'static ErrorFormat {
        match self {
            FormatChoice::Fixed(format) => format,
            FormatChoice::ByPath(pick) => pick(path),
        }
    }
}

/// A tower layer that lets through only requests with a valid AK/SK signature or a valid
/// `X-Auth-Token` (either is enough when both are configured). Everything else is answered
/// with 401 in `format`, with a message that does not say which part was wrong; the reason
/// is logged at debug level, without secrets.
///
/// The body is read (up to the body limit; larger bodies get 413) because the signature
/// covers it, and handed on unchanged. On success the [`Caller`] is put into the request's
/// extensions. With neither secret keys nor a token verifier configured, every request is
/// refused.
///
/// For a generated router, [`RouterOptions::authenticate`] does the same inside the
/// router's own finishing layer, which costs less per request than a layer around it.
///
/// [`RouterOptions::authenticate`]: super::RouterOptions::authenticate
#[derive(Clone)]
pub struct SignatureLayer {
    authentication: Authentication,
    format: FormatChoice,
    body_limit: usize,
    /// Whether the layer sets `X-Request-Id` itself (used alone, not inside the finishing
    /// stack that does).
    request_ids: bool,
}

impl fmt::Debug for SignatureLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = &self.authentication.credentials;
        f.debug_struct("SignatureLayer")
            .field("signatures", &credentials.keys.is_some())
            .field("tokens", &credentials.tokens.is_some())
            .field("window", &credentials.window)
            .field("body_limit", &self.body_limit)
            .finish()
    }
}

impl SignatureLayer {
    /// A layer that answers refusals in `format` and has no credentials yet: add secret
    /// keys, a token verifier or both. The same as `Authentication::new().layer(format)`.
    pub fn new(format: &'static ErrorFormat) -> Self {
        Authentication::new().layer(format)
    }

    fn with_authentication(
        mut self,
        change: impl FnOnce(Authentication) -> Authentication,
    ) -> Self {
        self.authentication = change(self.authentication);
        self
    }

    /// Accepts requests signed with SDK-HMAC-SHA256 by an access key that `keys` knows.
    pub fn secret_keys(self, keys: impl SecretKeyLookup) -> Self {
        self.with_authentication(|a| a.secret_keys(keys))
    }

    /// Accepts requests whose `X-Auth-Token` `tokens` accepts.
    pub fn tokens(self, tokens: impl TokenVerifier) -> Self {
        self.with_authentication(|a| a.tokens(tokens))
    }

    /// How far `X-Sdk-Date` may be from the server's clock, either way (default 15 minutes).
    pub fn window(self, window: Duration) -> Self {
        self.with_authentication(|a| a.window(window))
    }

    /// The largest body the layer reads (default 1 MiB, as [`super::RouterOptions`]); use
    /// the router's limit.
    pub fn body_limit(mut self, body_limit: usize) -> Self {
        self.body_limit = body_limit;
        self
    }

    /// The clock `X-Sdk-Date` is checked against (default: the system clock).
    pub fn clock(self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.with_authentication(|a| a.clock(clock))
    }
}

/// What every service of one layer (or every handler of one router) shares.
pub(crate) struct Shared {
    credentials: Arc<Credentials>,
    format: FormatChoice,
    body_limit: usize,
    request_ids: bool,
}

impl<S> Layer<S> for SignatureLayer {
    type Service = SignatureService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SignatureService {
            inner,
            shared: Arc::new(Shared {
                credentials: self.authentication.credentials.clone(),
                format: self.format.clone(),
                body_limit: self.body_limit,
                request_ids: self.request_ids,
            }),
        }
    }
}

/// The service [`SignatureLayer`] wraps around the routes.
#[derive(Clone)]
pub struct SignatureService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> Service<Request> for SignatureService<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = SignatureFuture<S>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The ready clone goes to this request; the fresh one waits for the next.
        let fresh = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, fresh);
        checked(self.shared.clone(), inner, request)
    }
}

/// `request` checked against `shared`, then handed to `inner` (which must be ready).
pub(crate) fn checked<S>(shared: Arc<Shared>, inner: S, request: Request) -> SignatureFuture<S>
where
    S: Service<Request>,
{
    let (mut parts, body) = request.into_parts();
    let request_id = shared
        .request_ids
        .then(|| ensure_request_id(&mut parts.headers));
    SignatureFuture {
        shared,
        inner: Some(inner),
        request_id,
        state: State::Reading {
            parts: Some(parts),
            body,
            body_bytes: BodyBytes::default(),
        },
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`SignatureService`]: reads the body, checks the credentials
    /// (at once when the stores answer at once, as [`StaticKeys`] does), then runs the
    /// inner service. Only a store that must wait costs a boxed future.
    pub struct SignatureFuture<S>
    where
        S: Service<Request>,
    {
        shared: Arc<Shared>,
        inner: Option<S>,
        request_id: Option<HeaderValue>,
        #[pin]
        state: State<S::Future>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProjection]
    enum State<F> {
        Reading {
            parts: Option<Parts>,
            body: Body,
            body_bytes: BodyBytes,
        },
        Waiting {
            pending: BoxFuture<'static, Result<Request, Response>>,
        },
        Calling {
            #[pin]
            future: F,
        },
    }
}

/// The body read so far: the first chunk as it came (no copy in the usual one-chunk case),
/// then a buffer once a second one arrives.
#[derive(Default)]
pub(crate) struct BodyBytes {
    first: Option<Bytes>,
    more: Vec<u8>,
    length: usize,
}

impl BodyBytes {
    /// Adds a chunk; `false` when the body is now longer than `limit`.
    fn push(&mut self, chunk: Bytes, limit: usize) -> bool {
        self.length = self.length.saturating_add(chunk.len());
        if self.length > limit {
            return false;
        }
        match self.first.take() {
            None if self.more.is_empty() => self.first = Some(chunk),
            first => {
                if let Some(first) = first {
                    self.more.extend_from_slice(&first);
                }
                self.more.extend_from_slice(&chunk);
            }
        }
        true
    }

    fn finish(self) -> Bytes {
        match self.first {
            Some(first) => first,
            None => Bytes::from(self.more),
        }
    }
}

impl<S> Future for SignatureFuture<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            let request = match this.state.as_mut().project() {
                StateProjection::Reading {
                    parts,
                    body,
                    body_bytes,
                } => {
                    let read = ready!(poll_body(body, body_bytes, this.shared.body_limit, cx));
                    let parts = parts
                        .take()
                        .expect("a signature future polled after it ended");
                    let bytes = match read {
                        Ok(()) => std::mem::take(body_bytes).finish(),
                        Err(fault) => {
                            let format = this.shared.format.pick(parts.uri.path());
                            return Poll::Ready(Ok(finish_answer(
                                body_error(format, fault.status()),
                                this.request_id,
                            )));
                        }
                    };
                    match check_now(&this.shared.credentials, &parts, &bytes) {
                        Some(Ok(caller)) => accept(parts, bytes, caller),
                        Some(Err(refusals)) => {
                            let answer = refuse(&this.shared.format, &parts, refusals);
                            return Poll::Ready(Ok(finish_answer(answer, this.request_id)));
                        }
                        None => {
                            let pending = Box::pin(authenticate(this.shared.clone(), parts, bytes));
                            this.state.set(State::Waiting { pending });
                            continue;
                        }
                    }
                }
                StateProjection::Waiting { pending } => match ready!(pending.as_mut().poll(cx)) {
                    Ok(request) => request,
                    Err(answer) => return Poll::Ready(Ok(finish_answer(answer, this.request_id))),
                },
                StateProjection::Calling { future } => {
                    let answer = ready!(future.poll(cx))?;
                    return Poll::Ready(Ok(finish_answer(answer, this.request_id)));
                }
            };
            let mut inner = this
                .inner
                .take()
                .expect("a signature future calls its service once");
            this.state.set(State::Calling {
                future: inner.call(request),
            });
        }
    }
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyFault {
    /// It is longer than the limit (answered 413).
    TooLarge,
    /// It broke off, or its stream failed (answered 400).
    Broken(axum::Error),
}

impl BodyFault {
    fn status(&self) -> StatusCode {
        match self {
            BodyFault::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            BodyFault::Broken(_) => StatusCode::BAD_REQUEST,
        }
    }
}

/// Reads body chunks into `bytes` until the body ends, or it is longer than `limit` or
/// cannot be read.
pub(crate) fn poll_body(
    body: &mut Body,
    bytes: &mut BodyBytes,
    limit: usize,
    cx: &mut Context<'_>,
) -> Poll<Result<(), BodyFault>> {
    if bytes.length == 0 && body.size_hint().lower() > limit as u64 {
        return Poll::Ready(Err(BodyFault::TooLarge));
    }
    loop {
        match ready!(Pin::new(&mut *body).poll_frame(cx)) {
            None => return Poll::Ready(Ok(())),
            Some(Ok(frame)) => {
                if let Ok(chunk) = frame.into_data() {
                    if !bytes.push(chunk, limit) {
                        return Poll::Ready(Err(BodyFault::TooLarge));
                    }
                }
            }
            Some(Err(err)) => return Poll::Ready(Err(BodyFault::Broken(err))),
        }
    }
}

/// The whole body, within `limit`, without wrapping it (the one chunk of a small body is
/// not copied).
pub(crate) async fn read_body(body: &mut Body, limit: usize) -> Result<Bytes, BodyFault> {
    let mut bytes = BodyBytes::default();
    std::future::poll_fn(|cx| poll_body(body, &mut bytes, limit, cx)).await?;
    Ok(bytes.finish())
}

fn body_error(format: &'static ErrorFormat, status: StatusCode) -> Response {
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "the request body is larger than the server accepts"
    } else {
        "the request body could not be read"
    };
    error_response(format, status, message)
}

/// Sets the request id on an answer, when the layer keeps them itself.
fn finish_answer(mut answer: Response, request_id: &mut Option<HeaderValue>) -> Response {
    if let Some(request_id) = request_id.take() {
        answer.headers_mut().insert(REQUEST_ID.clone(), request_id);
    }
    answer
}

/// The request handed on, with the caller in its extensions and the body as read.
fn accept(mut parts: Parts, bytes: Bytes, caller: Caller) -> Request {
    parts.extensions.insert(caller);
    Request::from_parts(parts, Body::from(bytes))
}

/// Why a request was refused; only logged, never sent.
enum Refusal {
    NoCredentials,
    Signature(apig_signer::VerifyError),
    Token,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoCredentials => f.write_str("no accepted credential was sent"),
            Refusal::Signature(err) => write!(f, "signature rejected: {err}"),
            Refusal::Token => f.write_str("the X-Auth-Token was not accepted"),
        }
    }
}

/// The 401 answer, after logging why.
fn refuse(format: &FormatChoice, parts: &Parts, mut refusals: Vec<Refusal>) -> Response {
    if refusals.is_empty() {
        refusals.push(Refusal::NoCredentials);
    }
    for refusal in &refusals {
        tracing::debug!(
            method = %parts.method,
            path = parts.uri.path(),
            reason = %refusal,
            "request refused"
        );
    }
    error_response(
        format.pick(parts.uri.path()),
        StatusCode::UNAUTHORIZED,
        "the request is not authenticated: sign it with a valid AK/SK or send a valid X-Auth-Token",
    )
}

/// The credentials checked without waiting: the caller, the refusals, or `None` when a
/// store must be asked asynchronously ([`authenticate`] then does the whole check).
fn check_now(
    credentials: &Credentials,
    parts: &Parts,
    body: &[u8],
) -> Option<Result<Caller, Vec<Refusal>>> {
    let mut refusals = Vec::new();
    if let Some(tokens) = &credentials.tokens {
        if let Some(token) = single_text(&parts.headers, &AUTH_TOKEN) {
            match tokens.verify_now(token) {
                Answer::Now(Some(identity)) => return Some(Ok(Caller::Token(identity))),
                Answer::Now(None) => refusals.push(Refusal::Token),
                Answer::Later => return None,
            }
        }
    }
    if let Some(keys) = &credentials.keys {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            // The verifier asks for the key of the access key it parsed; a store that
            // cannot answer at once sends the whole check to `check_later`.
            let mut wait = false;
            let checked = check_signature(credentials, parts, body, |access_key| {
                match keys.signing_key_now(access_key) {
                    Answer::Now(key) => key,
                    Answer::Later => {
                        wait = true;
                        None
                    }
                }
            });
            if wait {
                return None;
            }
            match checked {
                Ok(access_key) => return Some(Ok(Caller::AccessKey(access_key))),
                Err(err) => refusals.push(Refusal::Signature(err)),
            }
        }
    }
    Some(Err(refusals))
}

/// The whole check with asynchronous lookups: the token first, then the signature, as
/// [`check_now`] does it.
async fn check_later(
    credentials: &Credentials,
    parts: &Parts,
    body: &[u8],
) -> Result<Caller, Vec<Refusal>> {
    let mut refusals = Vec::new();
    if let Some(tokens) = &credentials.tokens {
        if let Some(token) = single_text(&parts.headers, &AUTH_TOKEN) {
            match tokens.verify(token).await {
                Some(identity) => return Ok(Caller::Token(identity)),
                None => refusals.push(Refusal::Token),
            }
        }
    }
    if let Some(keys) = &credentials.keys {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let access_key = access_key_in(parts);
            let signing_key = match access_key {
                Some(access_key) => keys.signing_key(access_key).await,
                None => None,
            };
            let checked = check_signature(credentials, parts, body, |candidate| {
                signing_key.filter(|_| access_key == Some(candidate))
            });
            match checked {
                Ok(access_key) => return Ok(Caller::AccessKey(access_key)),
                Err(err) => refusals.push(Refusal::Signature(err)),
            }
        }
    }
    Err(refusals)
}

/// [`check_later`] for the layer: the request to hand on, or the 401 answer.
async fn authenticate(
    shared: Arc<Shared>,
    parts: Parts,
    bytes: Bytes,
) -> Result<Request, Response> {
    match check_later(&shared.credentials, &parts, &bytes).await {
        Ok(caller) => Ok(accept(parts, bytes, caller)),
        Err(refusals) => Err(refuse(&shared.format, &parts, refusals)),
    }
}

/// The caller of a request whose body has been read, or the 401 answer: at once when the
/// stores answer at once. This is the check of a generated handler (`Input::read`); it
/// does what [`SignatureFuture`] does between reading the body and calling the service.
pub(crate) async fn identify(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
) -> Result<Caller, Response> {
    let checked = match check_now(&shared.credentials, parts, body) {
        Some(checked) => checked,
        // Boxed: the wait is rare, and inline its state would enlarge every handler's
        // future (which `Input::read` is part of) by its size.
        None => Box::pin(check_later(&shared.credentials, parts, body)).await,
    };
    checked.map_err(|refusals| refuse(&shared.format, parts, refusals))
}

/// The value of a header that appears exactly once and is text.
fn single_text(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => value.to_str().ok(),
        _ => None,
    }
}

/// The access key named in an `Authorization` header, if it can be found.
fn access_key_of(authorization: &str) -> Option<&str> {
    let (_, parameters) = authorization.trim().split_once(' ')?;
    parameters.split(',').find_map(|parameter| {
        parameter
            .trim()
            .strip_prefix("Access=")
            .filter(|ak| !ak.is_empty())
    })
}

/// The access key named in the request's `Authorization` header, if it can be found.
fn access_key_in(parts: &Parts) -> Option<&str> {
    single_text(&parts.headers, header::AUTHORIZATION).and_then(access_key_of)
}

/// How many headers [`check_signature`] lists without an allocation.
const LISTED_HEADERS: usize = 32;

/// Verifies the request's signature with the key `signing_key_for` gives the access key
/// of its `Authorization` header (`None` when it is unknown); the access key on success.
fn check_signature(
    credentials: &Credentials,
    parts: &Parts,
    body: &[u8],
    signing_key_for: impl FnOnce(&str) -> Option<SigningKey>,
) -> Result<String, apig_signer::VerifyError> {
    let mut listed = [("", &[][..]); LISTED_HEADERS];
    let overflow: Vec<(&str, &[u8])>;
    let headers: &[(&str, &[u8])] = if parts.headers.len() <= LISTED_HEADERS {
        for (slot, (name, value)) in listed.iter_mut().zip(parts.headers.iter()) {
            *slot = (name.as_str(), value.as_bytes());
        }
        &listed[..parts.headers.len()]
    } else {
        overflow = parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
            .collect();
        &overflow
    };
    let received = ReceivedRequest {
        method: parts.method.as_str(),
        host: parts.uri.authority().map(|a| a.as_str()),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers,
        body,
    };
    let options = VerifyOptions {
        max_clock_skew: credentials.window,
        allow_unsigned_payload: true,
    };
    let verified =
        apig_signer::verify_borrowed(&received, (credentials.clock)(), &options, signing_key_for)?;
    Ok(verified.access_key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_key_is_found_in_the_authorization_header() {
        let header = "SDK-HMAC-SHA256 Access=AK_1, SignedHeaders=host;x-sdk-date, Signature=00";
        assert_eq!(access_key_of(header), Some("AK_1"));
        assert_eq!(access_key_of("SDK-HMAC-SHA256 Access=, Signature=00"), None);
        assert_eq!(access_key_of("Bearer abc"), None);
        assert_eq!(access_key_of(""), None);
    }

    /// Polls a future that never waits (every part of the test answers at once).
    fn at_once<F: Future>(future: F) -> F::Output {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("the future waited"),
        }
    }

    #[test]
    fn a_body_in_many_chunks_is_read_whole_and_its_limit_holds() {
        use apig_signer::{sign, Credentials, SdkDate, SigningRequest};

        let body = r#"{"name":"a body sent in chunks of three bytes","value":12345}"#;
        let date = SdkDate::parse("20240101T000000Z").expect("a valid date");
        let signing = SigningRequest::new("POST", "example.test", "/v1/things", date)
            .header("Content-Type", "application/json")
            .body(body.as_bytes());
        let signed = sign(&Credentials::new("AK_1", "SK_1"), &signing).expect("signs");
        let request = || {
            let mut builder = Request::builder().method("POST").uri("/v1/things");
            for (name, value) in &signed.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let chunks: Vec<Result<Bytes, Infallible>> = body
                .as_bytes()
                .chunks(3)
                .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
                .collect();
            builder
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .expect("a valid request")
        };
        let echo = tower::service_fn(|request: Request| async move {
            let caller = request.extensions().get::<Caller>().cloned();
            let bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
                .await
                .expect("a whole body");
            assert_eq!(caller, Some(Caller::AccessKey("AK_1".to_string())));
            Ok::<_, Infallible>(Response::new(Body::from(bytes)))
        });
        let layer = |limit: usize| {
            Authentication::new()
                .secret_keys(StaticKeys::new([("AK_1", "SK_1")]))
                .clock(move || date.to_system_time())
                .layer(&ErrorFormat::DEFAULT)
                .body_limit(limit)
        };
        let mut service = layer(body.len()).layer(echo);
        let answer = at_once(service.call(request())).expect("infallible");
        assert_eq!(answer.status(), StatusCode::OK);
        assert!(answer.headers().contains_key(&REQUEST_ID));
        let echoed = at_once(axum::body::to_bytes(answer.into_body(), usize::MAX));
        assert_eq!(echoed.expect("a body").as_ref(), body.as_bytes());

        let mut service = layer(body.len() - 1).layer(echo);
        let answer = at_once(service.call(request())).expect("infallible");
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let keys = StaticKeys::new([("AK_1", "very-secret")]);
        let text = format!("{keys:?}");
        assert!(text.contains("AK_1"));
        assert!(!text.contains("very-secret"));
    }
}
