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
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use apig_signer::{ReceivedRequest, SecretString, SigningKey, VerifyOptions};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, StatusCode};
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
}

/// Checks an `X-Auth-Token`; returns the caller's identity when the token is valid.
pub trait TokenVerifier: Send + Sync + 'static {
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Option<String>>;
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
}

/// The clock the layer checks `X-Sdk-Date` against.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

struct Config {
    format: &'static ErrorFormat,
    keys: Option<Arc<dyn SecretKeyLookup>>,
    tokens: Option<Arc<dyn TokenVerifier>>,
    window: Duration,
    body_limit: usize,
    clock: Clock,
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
#[derive(Clone)]
pub struct SignatureLayer {
    config: Arc<Config>,
}

impl fmt::Debug for SignatureLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureLayer")
            .field("signatures", &self.config.keys.is_some())
            .field("tokens", &self.config.tokens.is_some())
            .field("window", &self.config.window)
            .field("body_limit", &self.config.body_limit)
            .finish()
    }
}

impl SignatureLayer {
    /// A layer that answers refusals in `format` and has no credentials yet: add secret
    /// keys, a token verifier or both.
    pub fn new(format: &'static ErrorFormat) -> Self {
        SignatureLayer {
            config: Arc::new(Config {
                format,
                keys: None,
                tokens: None,
                window: Duration::from_secs(15 * 60),
                body_limit: super::RouterOptions::default().body_limit,
                clock: Arc::new(SystemTime::now),
            }),
        }
    }

    fn with(mut self, change: impl FnOnce(&mut Config)) -> Self {
        match Arc::get_mut(&mut self.config) {
            Some(config) => change(config),
            None => {
                let old = &self.config;
                let mut config = Config {
                    format: old.format,
                    keys: old.keys.clone(),
                    tokens: old.tokens.clone(),
                    window: old.window,
                    body_limit: old.body_limit,
                    clock: old.clock.clone(),
                };
                change(&mut config);
                self.config = Arc::new(config);
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

    /// The largest body the layer reads (default 1 MiB, as [`super::RouterOptions`]); use
    /// the router's limit.
    pub fn body_limit(self, body_limit: usize) -> Self {
        self.with(|c| c.body_limit = body_limit)
    }

    /// The clock `X-Sdk-Date` is checked against (default: the system clock).
    pub fn clock(self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        let clock: Clock = Arc::new(clock);
        self.with(|c| c.clock = clock)
    }
}

impl<S> Layer<S> for SignatureLayer {
    type Service = SignatureService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SignatureService {
            inner,
            config: self.config.clone(),
        }
    }
}

/// The service [`SignatureLayer`] wraps around the routes.
#[derive(Clone)]
pub struct SignatureService<S> {
    inner: S,
    config: Arc<Config>,
}

impl<S> Service<Request> for SignatureService<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The ready clone goes to this request; the fresh one waits for the next.
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        let config = self.config.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let request_id = ensure_request_id(&mut parts.headers);
            let answer = match authenticate(&config, parts, body).await {
                Ok(request) => inner.call(request).await?,
                Err(refusal) => refusal,
            };
            let mut answer = answer;
            answer.headers_mut().insert(REQUEST_ID.clone(), request_id);
            Ok(answer)
        })
    }
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

/// Reads the body, checks the credentials and rebuilds the request, or answers.
async fn authenticate(
    config: &Config,
    mut parts: axum::http::request::Parts,
    body: Body,
) -> Result<Request, Response> {
    let bytes = match read_body(body, config.body_limit).await {
        Ok(bytes) => bytes,
        Err(status) => {
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "the request body is larger than the server accepts"
            } else {
                "the request body could not be read"
            };
            return Err(error_response(config.format, status, message));
        }
    };
    let mut refusals = Vec::new();
    let mut caller = None;
    if let Some(tokens) = &config.tokens {
        if let Some(token) = single_text(&parts.headers, &AUTH_TOKEN) {
            match tokens.verify(token).await {
                Some(identity) => caller = Some(Caller::Token(identity)),
                None => refusals.push(Refusal::Token),
            }
        }
    }
    if caller.is_none() {
        if let Some(keys) = &config.keys {
            if parts.headers.contains_key(header::AUTHORIZATION) {
                match check_signature(config, keys.as_ref(), &parts, &bytes).await {
                    Ok(access_key) => caller = Some(Caller::AccessKey(access_key)),
                    Err(err) => refusals.push(Refusal::Signature(err)),
                }
            }
        }
    }
    match caller {
        Some(caller) => {
            parts.extensions.insert(caller);
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        None => {
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
            Err(error_response(
                config.format,
                StatusCode::UNAUTHORIZED,
                "the request is not authenticated: sign it with a valid AK/SK or send a valid X-Auth-Token",
            ))
        }
    }
}

/// The body, or 413 when it is longer than `limit`, or 400 when it cannot be read.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, StatusCode> {
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(bytes),
        Err(err) => {
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
            while let Some(current) = source {
                if current.is::<http_body_util::LengthLimitError>() {
                    return Err(StatusCode::PAYLOAD_TOO_LARGE);
                }
                source = current.source();
            }
            Err(StatusCode::BAD_REQUEST)
        }
    }
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

async fn check_signature(
    config: &Config,
    keys: &dyn SecretKeyLookup,
    parts: &axum::http::request::Parts,
    body: &[u8],
) -> Result<String, apig_signer::VerifyError> {
    let access_key = single_text(&parts.headers, header::AUTHORIZATION).and_then(access_key_of);
    let signing_key = match access_key {
        Some(access_key) => keys.signing_key(access_key).await,
        None => None,
    };
    let headers: Vec<(&str, &[u8])> = parts
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect();
    let received = ReceivedRequest {
        method: parts.method.as_str(),
        host: parts.uri.authority().map(|a| a.as_str()),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers: &headers,
        body,
    };
    let options = VerifyOptions {
        max_clock_skew: config.window,
        allow_unsigned_payload: true,
    };
    let verified =
        apig_signer::verify_borrowed(&received, (config.clock)(), &options, |candidate| {
            if access_key == Some(candidate) {
                signing_key
            } else {
                None
            }
        })?;
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

    #[test]
    fn debug_output_shows_no_secret() {
        let keys = StaticKeys::new([("AK_1", "very-secret")]);
        let text = format!("{keys:?}");
        assert!(text.contains("AK_1"));
        assert!(!text.contains("very-secret"));
    }
}
