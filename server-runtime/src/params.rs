//! Reading a request in a generated handler: its parameters (text from the path, query,
//! headers or cookies, in the spec's style, converted and checked against the spec's
//! rules; `styled` reads every style but a scalar's default one) and the context handed
//! to the service, which takes the request's parts without copying them. Its body is
//! read by the methods in `body.rs`.

use std::borrow::Cow;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::response::Response;
use axum::RequestExt;
use serde::de::value::{BoolDeserializer, F64Deserializer, I64Deserializer, StrDeserializer};
use serde::de::value::{Error as ValueError, U64Deserializer};
use serde::de::DeserializeOwned;

use super::auth::{identify, read_body};
use super::body::body_rejection;
use super::context::{HandlerFinishing, RequestContext};
use super::errors::{reject, ErrorFormat, Rejection};
use super::styled::{self, Sources};
use super::validate::{check_primitive, walk_value, At, Int, Primitive, Rule, Schema, Violations};

/// Where a parameter is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How a parameter is written: an OpenAPI 3.0 `style`, or JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name=value` (query and cookie default).
    Form,
    /// `value` (path and header default).
    Simple,
    /// `.value` (path).
    Label,
    /// `;name=value` (path).
    Matrix,
    /// Items separated by spaces (query).
    SpaceDelimited,
    /// Items separated by `|` (query).
    PipeDelimited,
    /// `name[key]=value` (query objects).
    DeepObject,
    /// The JSON text of the value (`content: {application/json: ..}`).
    Json,
}

/// One parameter as the spec describes it.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub location: ParamLocation,
    pub name: &'static str,
    pub required: bool,
    pub style: Style,
    /// Arrays and objects as one pair (or `;name=`) per item or property.
    pub explode: bool,
    /// For a path parameter that is a whole segment of the route, its index among the
    /// path's `/`-separated pieces: its raw text is split before it is decoded.
    pub segment: Option<usize>,
    /// For a path parameter that shares its segment with text or other parameters
    /// (`{name}.json`), the segment's pieces: its raw text is the part of the segment
    /// its place in them gives ([`crate::select::segment_param`]).
    pub within: &'static [crate::select::Piece],
    /// For an exploded object that takes properties it does not declare: the names of
    /// the operation's other parameters in the same location, which are not its
    /// properties.
    pub others: &'static [&'static str],
    pub schema: Schema,
}

impl Param {
    const fn new(
        location: ParamLocation,
        name: &'static str,
        style: Style,
        schema: Schema,
    ) -> Param {
        Param {
            location,
            name,
            required: false,
            style,
            explode: false,
            segment: None,
            within: &[],
            others: &[],
            schema,
        }
    }

    /// A path parameter (always required), in the simple style.
    pub const fn path(name: &'static str, schema: Schema) -> Param {
        Param::new(ParamLocation::Path, name, Style::Simple, schema).required()
    }

    /// An optional query parameter, in the form style; an array or object is one value
    /// unless [`exploded`](Param::exploded).
    pub const fn query(name: &'static str, schema: Schema) -> Param {
        Param::new(ParamLocation::Query, name, Style::Form, schema)
    }

    /// An optional header, in the simple style.
    pub const fn header(name: &'static str, schema: Schema) -> Param {
        Param::new(ParamLocation::Header, name, Style::Simple, schema)
    }

    /// An optional cookie, in the form style.
    pub const fn cookie(name: &'static str, schema: Schema) -> Param {
        Param::new(ParamLocation::Cookie, name, Style::Form, schema)
    }

    /// The parameter must be given.
    pub const fn required(mut self) -> Param {
        self.required = true;
        self
    }

    /// An array or object given as one pair (or `;name=`, `.`) per item or property:
    /// `a=1&a=2`, `R=100&G=200`.
    pub const fn exploded(mut self) -> Param {
        self.explode = true;
        self
    }

    /// Written in `style` rather than its location's default.
    pub const fn style(mut self, style: Style) -> Param {
        self.style = style;
        self
    }

    /// Given as the JSON text of its value.
    pub const fn json(self) -> Param {
        self.style(Style::Json)
    }

    /// A path parameter that is the whole piece `index` of the path (split on `/`).
    pub const fn segment(mut self, index: usize) -> Param {
        self.segment = Some(index);
        self
    }

    /// A path parameter that is part of piece `index` of the path, which has the form of
    /// `pieces` (`{name}.json`).
    pub const fn within(mut self, index: usize, pieces: &'static [crate::select::Piece]) -> Param {
        self.segment = Some(index);
        self.within = pieces;
        self
    }

    /// An exploded object that takes any property: `others` are the names of the other
    /// parameters in its location, whose pairs (and `deepObject` pairs, `other[key]`) are
    /// not its properties.
    pub const fn beside(mut self, others: &'static [&'static str]) -> Param {
        self.others = others;
        self
    }
}

/// A request being read by a generated handler. Problems are collected as the
/// parameters and the body are read; [`Input::finish`] then answers them all at once,
/// or hands back the request's context for the service.
#[derive(Debug)]
pub struct Input {
    pub(crate) parts: Parts,
    /// The body, until one of the body readers (`body.rs`) takes it.
    pub(crate) body: Option<Body>,
    /// The body limit, when the body is not wrapped in one (`body` is then read with it).
    pub(crate) body_limit: Option<usize>,
    /// The body's bytes, when they were read to check the caller.
    pub(crate) read: Option<Bytes>,
    path: Option<RawPathParams>,
    pub(crate) out: Violations,
    pub(crate) rejection: Option<Rejection>,
    /// The 401 answer to a caller the router does not accept; it comes before every
    /// other answer.
    refused: Option<Response>,
}

impl Input {
    /// Starts reading `request` (the body is read by [`Input::json_body`] or
    /// [`Input::body`], within the router's body limit). When the router authenticates
    /// and the handler was made with `finished_reader`, the body is read here and the
    /// caller checked first.
    pub fn read(request: Request) -> impl std::future::Future<Output = Input> + Send {
        // The work that does not wait is done before the future is made, so that the
        // future holds only what lives across the wait (an async function would keep its
        // argument, the whole request, to the end); it is part of every handler's future.
        let (mut input, authentication) = Input::start(request);
        async move {
            if let Some(shared) = authentication {
                input.authenticate(&shared).await;
            }
            input
        }
    }

    /// The request split into its parts, with its path parameters and body limit, and the
    /// credentials to check the caller against when the handler is to check them.
    fn start(request: Request) -> (Input, Option<std::sync::Arc<crate::auth::Shared>>) {
        // The limit a finishing handler gave, or the finishing layer's (`DefaultBodyLimit`).
        let (finishing, request) = match request.extensions().get::<HandlerFinishing>() {
            Some(finishing) => (Some(finishing.clone()), request),
            None => (None, request.with_limited_body()),
        };
        let (mut parts, body) = request.into_parts();
        // Path parameters that are not valid UTF-8 once decoded count as absent (and so
        // are reported as missing). The extractor reads the request's extensions and never
        // waits.
        let path = {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            let extract = RawPathParams::from_request_parts(&mut parts, &());
            match std::future::Future::poll(std::pin::pin!(extract), &mut cx) {
                std::task::Poll::Ready(path) => path.ok(),
                std::task::Poll::Pending => None,
            }
        };
        let (body_limit, authentication) = match finishing {
            Some(finishing) => (Some(finishing.body_limit), finishing.authentication),
            None => (None, None),
        };
        let input = Input {
            parts,
            body: Some(body),
            body_limit,
            read: None,
            path,
            out: Violations::new(),
            rejection: None,
            refused: None,
        };
        (input, authentication)
    }

    /// Reads the body and checks the caller: the caller goes into the context's
    /// extensions, or the refusal is kept for [`Input::finish`].
    async fn authenticate(&mut self, shared: &crate::auth::Shared) {
        let (Some(mut body), Some(limit)) = (self.body.take(), self.body_limit) else {
            return;
        };
        let bytes = match read_body(&mut body, limit).await {
            Ok(bytes) => bytes,
            Err(fault) => {
                self.rejection = Some(body_rejection(fault));
                return;
            }
        };
        match identify(shared, &self.parts, &bytes).await {
            Ok(caller) => {
                self.parts.extensions.insert(caller);
                self.read = Some(bytes);
            }
            Err(refusal) => self.refused = Some(refusal),
        }
    }

    /// The body's bytes, within the router's limit.
    pub(crate) async fn read_whole_body(&mut self) -> Option<Result<Bytes, Rejection>> {
        if let Some(bytes) = self.read.take() {
            return Some(Ok(bytes));
        }
        let mut body = self.body.take()?;
        let limit = self.body_limit.unwrap_or(usize::MAX);
        Some(read_body(&mut body, limit).await.map_err(body_rejection))
    }

    /// Converts, checks and decodes one parameter: `None` when it is absent or has a
    /// problem (which is recorded).
    pub fn param<T: DeserializeOwned>(&mut self, spec: &Param) -> Option<T> {
        self.out.set_param(spec.location.as_str(), spec.name);
        let value = if styled::is_plain(spec) {
            self.plain_param(spec)
        } else {
            self.styled_param(spec)
        };
        self.out.clear_param();
        value
    }

    /// A scalar in its location's default style, converted straight from its text.
    fn plain_param<T: DeserializeOwned>(&mut self, spec: &Param) -> Option<T> {
        // Most parameters are given once: no list for them.
        let raw: Values<'_> = match spec.location {
            ParamLocation::Path => Values::collect(
                self.path
                    .iter()
                    .flat_map(|params| params.iter())
                    .filter(|(name, _)| *name == spec.name)
                    .map(|(_, value)| Cow::Borrowed(value)),
            ),
            ParamLocation::Query => match self.parts.uri.query() {
                Some(query) => Values::collect(
                    form_urlencoded::parse(query.as_bytes())
                        .filter(|(name, _)| name == spec.name)
                        .map(|(_, value)| value),
                ),
                None => Values::default(),
            },
            ParamLocation::Header => Values::collect(
                self.parts
                    .headers
                    .get_all(spec.name)
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .map(Cow::Borrowed),
            ),
            // Cookies are never plain: they are read from the pairs of `Cookie`.
            ParamLocation::Cookie => Values::default(),
        };
        read_param(spec, &raw, &mut self.out)
    }

    /// Any other parameter: read into a JSON value as its style says, checked against
    /// its rules, then decoded.
    fn styled_param<T: DeserializeOwned>(&mut self, spec: &Param) -> Option<T> {
        let sources = Sources {
            query: self.parts.uri.query(),
            path: self.parts.uri.path(),
            path_params: self.path.as_ref(),
            headers: &self.parts.headers,
        };
        let at = At::ROOT;
        let before = self.out.len();
        let Some(value) = styled::read(spec, &sources, &mut self.out) else {
            if spec.required && self.out.len() == before {
                self.out.push(&at, "required".to_string());
            }
            return None;
        };
        walk_value(&spec.schema, &value, &at, &mut self.out);
        if self.out.len() > before {
            return None;
        }
        match serde_json::from_value(value) {
            Ok(typed) => Some(typed),
            Err(err) => {
                self.out.push(&at, err.to_string());
                None
            }
        }
    }

    /// The request's context for the service, or the answer to a request that was
    /// rejected (a body that could not be read comes first, then every violation).
    // Both sides are large (a request's parts, a response) and are moved once, straight
    // into the handler's return or the service call; boxing would only add an allocation.
    #[allow(clippy::result_large_err)]
    pub fn finish(self, errors: &ErrorFormat) -> Result<RequestContext, Response> {
        if let Some(refusal) = self.refused {
            return Err(refusal);
        }
        let ctx = RequestContext::from_parts(self.parts);
        if let Some(rejection) = self.rejection {
            return Err(reject(errors, &ctx, rejection));
        }
        if !self.out.is_empty() {
            return Err(reject(errors, &ctx, Rejection::Invalid(self.out)));
        }
        Ok(ctx)
    }
}

/// How a parameter's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Integer,
    Number,
    Boolean,
}

pub(crate) fn kind_of(schema: &Schema) -> Kind {
    match schema.rule {
        Rule::Ref(r) => kind_of(r.0),
        Rule::Integer { .. } => Kind::Integer,
        Rule::Number { .. } => Kind::Number,
        Rule::Boolean => Kind::Boolean,
        _ => Kind::String,
    }
}

/// The values a parameter was given, in order.
#[derive(Default)]
struct Values<'a> {
    first: Option<Cow<'a, str>>,
    rest: Vec<Cow<'a, str>>,
}

impl<'a> Values<'a> {
    fn collect(mut values: impl Iterator<Item = Cow<'a, str>>) -> Self {
        Values {
            first: values.next(),
            rest: values.collect(),
        }
    }

    fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }
}

fn read_param<T: DeserializeOwned>(
    spec: &Param,
    raw: &Values<'_>,
    out: &mut Violations,
) -> Option<T> {
    let at = At::ROOT;
    let Some(first) = raw.first.as_deref() else {
        if spec.required {
            out.push(&at, "required".to_string());
        }
        return None;
    };
    let before = out.len();
    if raw.len() > 1 {
        out.push(&at, format!("given {} times; expected once", raw.len()));
    }
    let value = convert(first, kind_of(&spec.schema), &at, out)?;
    check_primitive(&spec.schema, value, &at, out);
    if out.len() > before {
        return None;
    }
    let typed = match value {
        Primitive::Str(s) => T::deserialize(StrDeserializer::<ValueError>::new(s)),
        Primitive::Int(Int::Signed(v)) => T::deserialize(I64Deserializer::<ValueError>::new(v)),
        Primitive::Int(Int::Unsigned(v)) => T::deserialize(U64Deserializer::<ValueError>::new(v)),
        Primitive::Float(v) => T::deserialize(F64Deserializer::<ValueError>::new(v)),
        Primitive::Bool(v) => T::deserialize(BoolDeserializer::<ValueError>::new(v)),
        Primitive::Null => return None,
    };
    match typed {
        Ok(typed) => Some(typed),
        Err(err) => {
            out.push(&at, err.to_string());
            None
        }
    }
}

pub(crate) fn convert<'t>(
    text: &'t str,
    kind: Kind,
    at: &At<'_>,
    out: &mut Violations,
) -> Option<Primitive<'t>> {
    let value = match kind {
        Kind::String => Some(Primitive::Str(text)),
        Kind::Integer => text
            .parse::<i64>()
            .map(|v| Primitive::Int(Int::Signed(v)))
            .or_else(|_| {
                text.parse::<u64>()
                    .map(|v| Primitive::Int(Int::Unsigned(v)))
            })
            .ok(),
        Kind::Number => text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Primitive::Float),
        Kind::Boolean => match text {
            "true" => Some(Primitive::Bool(true)),
            "false" => Some(Primitive::Bool(false)),
            _ => None,
        },
    };
    if value.is_none() {
        if kind == Kind::Integer && is_integer_text(text) {
            out.push(
                at,
                format!("{text} is an integer beyond the 64-bit range this server reads"),
            );
            return None;
        }
        let expected = match kind {
            Kind::String => "a string",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::Boolean => "`true` or `false`",
        };
        out.push(at, format!("expected {expected}, found {text:?}"));
    }
    value
}

/// Whether `text` is written as an integer (an optional sign, then decimal digits), so
/// that a failed parse means it is out of range rather than not a number at all.
fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}
