//! The request context handed to every trait method, request ids, and the layers that
//! finish a router.

use std::convert::Infallible;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::handler::HandlerService;
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, Uri};
use axum::response::Response;
use axum::Router;

use super::auth::{checked, Authentication, Shared, SignatureFuture};
use super::errors::{reject, ErrorFormat, Rejection};

/// The header that carries the request id, in both directions.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// [`REQUEST_ID_HEADER`] as a header name, so that the lookups on every request and
/// response parse nothing.
pub(crate) static REQUEST_ID: HeaderName = HeaderName::from_static(REQUEST_ID_HEADER);

/// What a handler knows about the request besides its typed inputs.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The caller's `X-Request-Id`, or one made up for this request; it is echoed on
    /// the response.
    pub request_id: String,
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    /// Whatever layers attached (for example the verified caller of a signed request).
    pub extensions: Extensions,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestContext {
            request_id: request_id_of(&parts.headers),
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
            extensions: parts.extensions.clone(),
        })
    }
}

impl RequestContext {
    /// Which of `offered` (media types an answer can be sent as) the request's `Accept`
    /// prefers: the first when it has no `Accept`, `None` when it accepts none of them.
    pub fn preferred_media<'a>(&self, offered: &[&'a str]) -> Option<&'a str> {
        let accept = self
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok());
        apig_types_runtime::media::negotiate(accept, offered).and_then(|i| offered.get(i).copied())
    }

    /// The context of a request whose parts are no longer needed (nothing is copied).
    pub fn from_parts(parts: Parts) -> Self {
        RequestContext {
            request_id: request_id_of(&parts.headers),
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            extensions: parts.extensions,
        }
    }
}

fn request_id_of(headers: &HeaderMap) -> String {
    headers
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_default()
}

/// Settings of the finishing layers.
#[derive(Debug, Clone)]
pub struct RouterOptions {
    /// The largest request body accepted; larger ones get 413 (default 1 MiB).
    pub body_limit: usize,
    /// Who may call (default: anyone). Set with [`RouterOptions::authenticate`].
    pub authentication: Option<Authentication>,
}

impl Default for RouterOptions {
    fn default() -> Self {
        RouterOptions {
            body_limit: 1024 * 1024,
            authentication: None,
        }
    }
}

impl RouterOptions {
    /// Lets through only the callers `authentication` accepts; the others get 401. The
    /// check comes first, before validation and before the answer to an unknown route or
    /// method (which is 401 too, not 404 or 405), with the router's body limit, and
    /// answers in the error format of the service that owns the path. The generated
    /// handlers run it themselves, or the router's finishing layer does when a service
    /// negotiates media types.
    pub fn authenticate(mut self, authentication: Authentication) -> Self {
        self.authentication = Some(authentication);
        self
    }
}

/// Adds what every generated router needs: a 404 in the spec's error format for
/// unknown routes, the body size limit, and `X-Request-Id` on every request and response.
pub fn finish(routes: Router, errors: &'static ErrorFormat, options: &RouterOptions) -> Router {
    finish_with(routes, move |_| errors, options)
}

/// Like [`finish`] for several services: an unknown route is answered in the format of
/// the service whose paths share the longest literal prefix with it (`formats` holds
/// `(prefix, format)` pairs, such as the generated `ROUTE_ERRORS`), or the first one.
pub fn finish_services(
    routes: Router,
    formats: &'static [(&'static str, &'static ErrorFormat)],
    options: &RouterOptions,
) -> Router {
    finish_with(routes, move |path| format_for(formats, path), options)
}

/// The error format for `path` among `(prefix, format)` pairs.
pub fn format_for(
    formats: &'static [(&'static str, &'static ErrorFormat)],
    path: &str,
) -> &'static ErrorFormat {
    formats
        .iter()
        .filter(|(prefix, _)| path.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .or(formats.first())
        .map_or(&ErrorFormat::DEFAULT, |(_, format)| *format)
}

fn finish_with(
    routes: Router,
    pick: impl Fn(&str) -> &'static ErrorFormat + Clone + Send + Sync + 'static,
    options: &RouterOptions,
) -> Router {
    let signatures = options.authentication.clone().map(|authentication| {
        authentication.finishing_layer(Arc::new(pick.clone()), options.body_limit)
    });
    let routes = routes.fallback(move |ctx: RequestContext| async move {
        reject(pick(ctx.uri.path()), &ctx, Rejection::NotFound)
    });
    // One `Router::layer` call for all: it wraps every route once per call, and each
    // wrapping costs a boxed clone and a boxed future per request. Two stacks rather than
    // an optional layer, so that a router without authentication does not carry the
    // signature check's state in every request's future.
    let body_limit = DefaultBodyLimit::max(options.body_limit);
    match signatures {
        Some(signatures) => routes.layer(
            tower::ServiceBuilder::new()
                .layer(RequestIdLayer)
                .layer(signatures)
                .layer(body_limit),
        ),
        None => routes.layer(
            tower::ServiceBuilder::new()
                .layer(RequestIdLayer)
                .layer(body_limit),
        ),
    }
}

/// Keeps a usable caller-supplied request id, or makes one, and echoes it back on the
/// response. A plain tower layer (no boxed future per request), because every request
/// passes through it.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestIdLayer;

impl<S> tower::Layer<S> for RequestIdLayer {
    type Service = RequestIdService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequestIdService { inner }
    }
}

/// The service [`RequestIdLayer`] wraps around a router.
#[derive(Debug, Clone)]
pub struct RequestIdService<S> {
    inner: S,
}

impl<S, B> tower::Service<axum::http::Request<B>> for RequestIdService<S>
where
    S: tower::Service<axum::http::Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = RequestIdFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: axum::http::Request<B>) -> Self::Future {
        let value = ensure_request_id(request.headers_mut());
        RequestIdFuture {
            inner: self.inner.call(request),
            value: Some(value),
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`RequestIdService`]: sets `X-Request-Id` when it is ready.
    pub struct RequestIdFuture<F> {
        #[pin]
        inner: F,
        value: Option<HeaderValue>,
    }
}

impl<F, E> Future for RequestIdFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = ready!(this.inner.poll(cx))?;
        Poll::Ready(Ok(with_request_id(response, this.value)))
    }
}

/// Sets `X-Request-Id` on `response`, when `value` still holds it and the handler did not
/// set one: a spec may document the header as an answer of its own.
fn with_request_id(mut response: Response, value: &mut Option<HeaderValue>) -> Response {
    if let Some(value) = value.take() {
        response.headers_mut().entry(&REQUEST_ID).or_insert(value);
    }
    response
}

/// Where a generated router's handlers do the finishing work themselves: request ids,
/// the body limit and authentication, which the finishing layer does otherwise. A handler
/// that does it costs no route level of its own (`Router::layer` boxes a clone of every
/// route and a future per request); the layer stays for routers that mix in routes of
/// their own, and for services that negotiate media types in a layer.
#[doc(hidden)]
#[derive(Clone)]
pub struct Finishing {
    /// The body limit, when the handlers finish their answers; `None` when a layer does.
    body_limit: Option<usize>,
    /// The credentials the handlers check, when the router authenticates callers and the
    /// handlers finish their answers.
    authentication: Option<Arc<Shared>>,
}

impl fmt::Debug for Finishing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finishing")
            .field("body_limit", &self.body_limit)
            .field("authenticates", &self.authentication.is_some())
            .finish()
    }
}

impl Finishing {
    /// The finishing layer does the work (around a router's routes, by [`finish`] or
    /// [`finish_services`]).
    pub const LAYER: Finishing = Finishing {
        body_limit: None,
        authentication: None,
    };

    /// The handlers do the work, for `options`. Each handler checks the caller before it
    /// reads anything else, and so does the answer to an unknown route or method: a
    /// refusal (401) comes before a 404 or 405, in the format `formats` gives the path
    /// (as [`finish_services`] chooses it).
    pub fn in_handlers(
        options: &RouterOptions,
        formats: &'static [(&'static str, &'static ErrorFormat)],
    ) -> Finishing {
        Finishing {
            body_limit: Some(options.body_limit),
            authentication: options.authentication.clone().map(|authentication| {
                authentication.in_handlers(
                    Arc::new(move |path| format_for(formats, path)),
                    options.body_limit,
                )
            }),
        }
    }
}

/// What a finishing handler hands `Input::read` in the request's extensions: the body
/// limit, and the credentials to check the caller against when `Input::read` is to check
/// them (see [`finished_reader`]).
#[derive(Clone)]
pub(crate) struct HandlerFinishing {
    pub(crate) body_limit: usize,
    pub(crate) authentication: Option<Arc<Shared>>,
}

/// `handler`, doing the finishing work itself when `finishing` says so.
#[doc(hidden)]
pub fn finished<H>(handler: H, finishing: &Finishing) -> Finished<H> {
    Finished {
        handler,
        finishing: finishing.clone(),
        reads_input: false,
    }
}

/// [`finished`] for a generated operation handler, which reads its request with
/// `Input::read` before anything else: when the router authenticates, `Input::read`
/// checks the caller as it reads the body, so the body is read once and the request is
/// not rebuilt. Only for handlers that start with `Input::read`; any other handler would
/// go unchecked.
#[doc(hidden)]
pub fn finished_reader<H>(handler: H, finishing: &Finishing) -> Finished<H> {
    Finished {
        handler,
        finishing: finishing.clone(),
        reads_input: true,
    }
}

/// A handler that keeps or makes the request id, gives the request the body limit, checks
/// the caller when the router authenticates, and echoes the id on its answer, then runs
/// `handler` (see [`Finishing`]).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Finished<H> {
    handler: H,
    finishing: Finishing,
    /// Whether `handler` starts with `Input::read`, which then checks the caller.
    reads_input: bool,
}

impl<H, T, S> axum::handler::Handler<T, S> for Finished<H>
where
    H: axum::handler::Handler<T, S>,
    T: 'static,
    S: Clone + Send + Sync + 'static,
{
    type Future = FinishedFuture<H::Future, SignatureFuture<HandlerService<H, T, S>>>;

    fn call(self, mut request: axum::extract::Request, state: S) -> Self::Future {
        let Some(limit) = self.finishing.body_limit else {
            return FinishedFuture::Plain {
                inner: self.handler.call(request, state),
                value: None,
            };
        };
        match self.finishing.authentication {
            // The check keeps the request id itself.
            Some(shared) if !self.reads_input => {
                request.extensions_mut().insert(HandlerFinishing {
                    body_limit: limit,
                    authentication: None,
                });
                FinishedFuture::Checked {
                    inner: checked(shared, self.handler.with_state(state), request),
                }
            }
            authentication => {
                request.extensions_mut().insert(HandlerFinishing {
                    body_limit: limit,
                    authentication,
                });
                let value = ensure_request_id(request.headers_mut());
                FinishedFuture::Plain {
                    inner: self.handler.call(request, state),
                    value: Some(value),
                }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of a [`Finished`] handler: sets `X-Request-Id` when it is ready, or
    /// checks the caller first.
    #[doc(hidden)]
    #[project = FinishedProjection]
    pub enum FinishedFuture<F, C> {
        Plain {
            #[pin]
            inner: F,
            value: Option<HeaderValue>,
        },
        Checked {
            #[pin]
            inner: C,
        },
    }
}

impl<F, C> Future for FinishedFuture<F, C>
where
    F: Future<Output = Response>,
    C: Future<Output = Result<Response, Infallible>>,
{
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            FinishedProjection::Plain { inner, value } => {
                let response = ready!(inner.poll(cx));
                Poll::Ready(with_request_id(response, value))
            }
            FinishedProjection::Checked { inner } => match ready!(inner.poll(cx)) {
                Ok(response) => Poll::Ready(response),
                Err(never) => match never {},
            },
        }
    }
}

/// What [`finish_services`] adds, for routes whose handlers were made with `finishing`:
/// with [`Finishing::LAYER`] it is `finish_services`; otherwise the handlers do the rest,
/// and only the answer to unknown routes is added, itself a finishing handler.
#[doc(hidden)]
pub fn finish_routes(
    routes: Router,
    formats: &'static [(&'static str, &'static ErrorFormat)],
    options: &RouterOptions,
    finishing: &Finishing,
) -> Router {
    if finishing.body_limit.is_none() {
        return finish_services(routes, formats, options);
    }
    routes.fallback(finished(
        move |ctx: RequestContext| async move {
            reject(
                format_for(formats, ctx.uri.path()),
                &ctx,
                Rejection::NotFound,
            )
        },
        finishing,
    ))
}

/// The request's `X-Request-Id` when it is usable (1 to 128 visible ASCII characters),
/// or a new one; either way it is (re)set on `headers` and returned.
pub(crate) fn ensure_request_id(headers: &mut HeaderMap) -> HeaderValue {
    let supplied = headers.get(&REQUEST_ID).filter(|v| {
        let bytes = v.as_bytes();
        !bytes.is_empty() && bytes.len() <= 128 && bytes.iter().all(|b| b.is_ascii_graphic())
    });
    if let Some(supplied) = supplied {
        return supplied.clone();
    }
    let value = new_request_id();
    headers.insert(REQUEST_ID.clone(), value.clone());
    value
}

/// 32 hex digits: a random per-process key mixed with a counter.
fn new_request_id() -> HeaderValue {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    let key = KEY.get_or_init(std::collections::hash_map::RandomState::new);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut first = key.build_hasher();
    first.write_u64(n);
    let mut second = key.build_hasher();
    second.write_u64(!n);
    let digits = u128::from(first.finish()) << 64 | u128::from(second.finish());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = [0u8; 32];
    for (i, byte) in text.iter_mut().enumerate() {
        *byte = HEX[((digits >> (124 - 4 * i)) & 0xf) as usize];
    }
    // A buffer shared from the start, so that the copies on the request and the
    // response are reference counts, not allocations.
    HeaderValue::from_maybe_shared(axum::body::Bytes::from_owner(text))
        .expect("hex digits are a valid header value")
}

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_routes_take_the_format_of_the_longest_matching_prefix() {
        use super::{format_for, ErrorFormat};
        static A: ErrorFormat = ErrorFormat {
            code_field: "code",
            message_field: "message",
            validation_code: "A",
        };
        static B: ErrorFormat = ErrorFormat {
            code_field: "code",
            message_field: "message",
            validation_code: "B",
        };
        static FORMATS: &[(&str, &ErrorFormat)] = &[("/v1/", &A), ("/v1/b/", &B), ("/v2/", &B)];
        assert_eq!(format_for(FORMATS, "/v1/x").validation_code, "A");
        assert_eq!(format_for(FORMATS, "/v1/b/x").validation_code, "B");
        assert_eq!(format_for(FORMATS, "/v2/x").validation_code, "B");
        assert_eq!(
            format_for(FORMATS, "/elsewhere").validation_code,
            "A",
            "the first is the default"
        );
        assert_eq!(
            format_for(&[], "/x").validation_code,
            ErrorFormat::DEFAULT.validation_code
        );
    }

    #[test]
    fn a_request_id_the_handler_answers_with_is_kept() {
        use super::REQUEST_ID;
        use axum::body::Body;
        use axum::http::HeaderValue;
        use axum::response::Response;
        let echoed = || Some(HeaderValue::from_static("from-the-request"));
        let mut value = echoed();
        let answered = super::with_request_id(Response::new(Body::empty()), &mut value);
        assert_eq!(answered.headers()[&REQUEST_ID], "from-the-request");
        let mut own = Response::new(Body::empty());
        own.headers_mut()
            .insert(&REQUEST_ID, HeaderValue::from_static("the-handler's"));
        let mut value = echoed();
        let answered = super::with_request_id(own, &mut value);
        assert_eq!(answered.headers()[&REQUEST_ID], "the-handler's");
        assert_eq!(answered.headers().get_all(&REQUEST_ID).iter().count(), 1);
    }

    #[test]
    fn request_ids_differ() {
        let a = super::new_request_id();
        let b = super::new_request_id();
        assert_eq!(a.len(), 32);
        assert!(a.as_bytes().iter().all(u8::is_ascii_hexdigit), "{a:?}");
        assert_ne!(a, b);
    }
}
