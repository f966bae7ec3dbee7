//! Reading parameters written in an OpenAPI 3.0 style (the "Style Examples" table of the
//! specification), or as JSON text (`content`), into a JSON value that the walker then
//! checks against the parameter's rules and serde decodes into its typed value.
//!
//! The text is split where the style puts its delimiters before it is percent-decoded,
//! wherever the raw text is at hand (the query, cookies, and a path parameter that is a
//! whole segment of the route): a comma inside an item arrives as `%2C` and stays in
//! the item. Each piece is then converted by what the schema says it is (an integer
//! property becomes a JSON number, a scalar union takes the first alternative that
//! accepts the text). Headers carry no encoding: their lists are split on commas.

use std::borrow::Cow;

use axum::extract::RawPathParams;
use axum::http::HeaderMap;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::params::{convert, kind_of, Param, ParamLocation, Style};
use super::validate::{walk_value, At, Field, Rule, Schema, Violations};

/// Where a request's parameters are read from.
pub(crate) struct Sources<'a> {
    /// The raw query string.
    pub query: Option<&'a str>,
    /// The raw path.
    pub path: &'a str,
    /// The route's parameters, percent-decoded.
    pub path_params: Option<&'a RawPathParams>,
    pub headers: &'a HeaderMap,
}

/// How a piece of raw text is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    /// The query: percent-encoding, and `+` for a space.
    Form,
    /// Paths and cookies: percent-encoding.
    Percent,
    /// Already decoded (a header, or a path parameter axum decoded).
    Plain,
}

fn decode(text: &str, coding: Coding) -> Cow<'_, str> {
    match coding {
        Coding::Plain => Cow::Borrowed(text),
        Coding::Percent => percent_decode_str(text).decode_utf8_lossy(),
        Coding::Form if text.contains('+') => Cow::Owned(
            percent_decode_str(&text.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned(),
        ),
        Coding::Form => percent_decode_str(text).decode_utf8_lossy(),
    }
}

/// What a parameter's schema takes: one value, a list, or an object's properties.
enum Shape {
    Scalar,
    Array(&'static Schema),
    Object(Object),
}

#[derive(Clone, Copy)]
struct Object {
    fields: &'static [Field],
    additional: Option<&'static Schema>,
}

impl Object {
    /// Whether properties other than the declared ones are taken.
    fn is_open(self) -> bool {
        self.additional.is_some() || self.fields.is_empty()
    }

    /// The schema of property `key`: declared, the additional properties', or `None`
    /// for a property of an object that takes any (read as a string).
    fn property(self, key: &str) -> Option<&'static Schema> {
        self.fields
            .iter()
            .find(|f| f.name == key)
            .map(|f| &f.schema)
            .or(self.additional)
    }

    fn declares(self, key: &str) -> bool {
        self.fields.iter().any(|f| f.name == key)
    }
}

fn shape_of(schema: &Schema) -> Shape {
    match schema.rule {
        Rule::Ref(r) => shape_of(r.0),
        Rule::Array { items, .. } => Shape::Array(items),
        Rule::Object {
            fields, additional, ..
        } => Shape::Object(Object { fields, additional }),
        _ => Shape::Scalar,
    }
}

/// Whether the parameter is a scalar written as its location's default style, read by
/// the plain path of `Input::param` (no JSON value is built for it).
pub(crate) fn is_plain(spec: &Param) -> bool {
    // A parameter that shares its segment is read from its part of the raw segment.
    if !spec.within.is_empty() {
        return false;
    }
    let default = match spec.location {
        ParamLocation::Path | ParamLocation::Header => Style::Simple,
        ParamLocation::Query => Style::Form,
        ParamLocation::Cookie => return false,
    };
    spec.style == default && is_plain_scalar(&spec.schema)
}

fn is_plain_scalar(schema: &Schema) -> bool {
    match schema.rule {
        Rule::Ref(r) => is_plain_scalar(r.0),
        Rule::Array { .. } | Rule::Object { .. } | Rule::Union { .. } => false,
        _ => true,
    }
}

/// The value of one parameter as JSON, `None` when it is absent or a piece of it could
/// not be converted (which is recorded in `out`).
pub(crate) fn read(spec: &Param, src: &Sources<'_>, out: &mut Violations) -> Option<Value> {
    if spec.style != Style::Json {
        if let Some(alternatives) = container_union(&spec.schema) {
            return read_union(spec, alternatives, src, out);
        }
    }
    let before = out.len();
    let value = match spec.location {
        ParamLocation::Query => {
            let pairs = query_pairs(src.query.unwrap_or(""));
            from_pairs(spec, &pairs, Coding::Form, out)
        }
        ParamLocation::Cookie => {
            let pairs = cookie_pairs(src.headers);
            from_pairs(spec, &pairs, Coding::Percent, out)
        }
        ParamLocation::Header => header(spec, src.headers, out),
        ParamLocation::Path => path(spec, src, out),
    };
    // A piece that did not convert has been reported; checking the rest would report
    // the same problem again (a required property missing, say).
    if out.len() > before {
        None
    } else {
        value
    }
}

/// The alternatives of a union (no discriminator) of which one at least is an array or
/// an object: each is read in its own shape. A union of scalars is one scalar.
fn container_union(schema: &Schema) -> Option<&'static [Schema]> {
    match schema.rule {
        Rule::Ref(r) => container_union(r.0),
        Rule::Union {
            alternatives,
            discriminator: None,
        } if alternatives
            .iter()
            .any(|a| !matches!(shape_of(a), Shape::Scalar)) =>
        {
            Some(alternatives)
        }
        _ => None,
    }
}

/// A union of shapes: the first alternative read without a problem, in order (a single
/// `a` is the string of `oneOf: [string, array]`, `a,b` its array).
fn read_union(
    spec: &Param,
    alternatives: &'static [Schema],
    src: &Sources<'_>,
    out: &mut Violations,
) -> Option<Value> {
    let mut given = false;
    for alternative in alternatives {
        let one = Param {
            schema: *alternative,
            ..*spec
        };
        let mut scratch = out.scratch();
        let value = read(&one, src, &mut scratch);
        given |= value.is_some() || !scratch.is_empty();
        if let Some(value) = value.filter(|_| scratch.is_empty()) {
            walk_value(alternative, &value, &At::ROOT, &mut scratch);
            if scratch.is_empty() {
                return Some(value);
            }
        }
    }
    if given {
        out.push(
            &At::ROOT,
            format!("matches none of the {} allowed shapes", alternatives.len()),
        );
    }
    None
}

/// `name=value` pairs of a raw query: names decoded, values raw.
fn query_pairs(query: &str) -> Vec<(Cow<'_, str>, &str)> {
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode(name, Coding::Form), value)
        })
        .collect()
}

/// `name=value` pairs of every `Cookie` header: names decoded, values raw.
fn cookie_pairs(headers: &HeaderMap) -> Vec<(Cow<'_, str>, &str)> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode(name.trim(), Coding::Percent), value.trim())
        })
        .collect()
}

/// The one value a parameter was given: `None` when it is absent; a repeated one is
/// reported.
fn one<'t>(values: &[&'t str], out: &mut Violations) -> Option<&'t str> {
    if values.len() > 1 {
        out.push(
            &At::ROOT,
            format!("given {} times; expected once", values.len()),
        );
    }
    values.first().copied()
}

/// Splits raw text on a style's delimiter.
fn split(raw: &str, style: Style) -> Vec<&str> {
    if raw.is_empty() {
        return Vec::new();
    }
    match style {
        Style::SpaceDelimited => raw.split(['+', ' ']).flat_map(|p| p.split("%20")).collect(),
        Style::PipeDelimited => raw.split('|').collect(),
        _ => raw.split(',').collect(),
    }
}

/// A parameter of the query or a cookie, from the pairs of its location.
fn from_pairs(
    spec: &Param,
    pairs: &[(Cow<'_, str>, &str)],
    coding: Coding,
    out: &mut Violations,
) -> Option<Value> {
    let named: Vec<&str> = pairs
        .iter()
        .filter(|(name, _)| name == spec.name)
        .map(|(_, value)| *value)
        .collect();
    if spec.style == Style::Json {
        let raw = one(&named, out)?;
        return json_text(&decode(raw, coding), out);
    }
    match shape_of(&spec.schema) {
        Shape::Scalar => {
            let raw = one(&named, out)?;
            scalar_value(&decode(raw, coding), &spec.schema, &At::ROOT, out)
        }
        Shape::Array(items) => {
            if named.is_empty() {
                return None;
            }
            let texts: Vec<Cow<'_, str>> = if spec.explode {
                named.iter().map(|raw| decode(raw, coding)).collect()
            } else {
                named
                    .iter()
                    .flat_map(|raw| split(raw, spec.style))
                    .map(|raw| decode(raw, coding))
                    .collect()
            };
            array_value(&texts, items, out)
        }
        Shape::Object(object) if spec.style == Style::DeepObject => {
            deep_object(spec.name, pairs, object, coding, out)
        }
        Shape::Object(object) if spec.explode => {
            // Pairs named after the object's properties, and, for an object that takes
            // any, every pair no other parameter names.
            let found: Vec<(Cow<'_, str>, Cow<'_, str>)> = pairs
                .iter()
                .filter(|(name, _)| {
                    object.declares(name)
                        || (object.is_open() && !name.is_empty() && !names_other(name, spec.others))
                })
                .map(|(name, raw)| (name.clone(), decode(raw, coding)))
                .collect();
            if found.is_empty() {
                return None;
            }
            Some(object_value(&found, object, &At::ROOT, out))
        }
        Shape::Object(object) => {
            let raw = one(&named, out)?;
            let pieces: Vec<Cow<'_, str>> = split(raw, spec.style)
                .into_iter()
                .map(|piece| decode(piece, coding))
                .collect();
            name_value_pairs(&pieces, object, out)
        }
    }
}

/// Whether a pair belongs to one of the `others` parameters: named after one, or one's
/// `deepObject` property (`other[key]`).
fn names_other(name: &str, others: &[&str]) -> bool {
    others.iter().any(|other| {
        name.strip_prefix(other)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
    })
}

/// `name[key]=value` pairs (and `name[key][inner]=value`) into an object.
fn deep_object(
    name: &str,
    pairs: &[(Cow<'_, str>, &str)],
    object: Object,
    coding: Coding,
    out: &mut Violations,
) -> Option<Value> {
    let mut root = Map::new();
    let mut found = false;
    for (key, raw) in pairs {
        let Some(rest) = key.strip_prefix(name).filter(|r| r.starts_with('[')) else {
            continue;
        };
        found = true;
        let Some(path) = brackets(rest) else {
            out.push(
                &At::ROOT,
                format!("`{key}` is not of the form `{name}[property]`"),
            );
            continue;
        };
        insert_deep(
            &mut root,
            &path,
            &decode(raw, coding),
            object,
            &At::ROOT,
            out,
        );
    }
    found.then_some(Value::Object(root))
}

/// `[a][b]` into `["a", "b"]`; `None` unless the text is only bracketed names.
fn brackets(mut text: &str) -> Option<Vec<&str>> {
    let mut path = Vec::new();
    while !text.is_empty() {
        let inner = text.strip_prefix('[')?;
        let end = inner.find(']')?;
        path.push(&inner[..end]);
        text = &inner[end + 1..];
    }
    Some(path)
}

fn insert_deep(
    map: &mut Map<String, Value>,
    path: &[&str],
    text: &str,
    object: Object,
    at: &At<'_>,
    out: &mut Violations,
) {
    let Some((key, rest)) = path.split_first() else {
        return;
    };
    let here = at.key(key);
    let schema = object.property(key);
    if rest.is_empty() {
        // An array property is repeated pairs: `name[key]=1&name[key]=2`.
        if let Some(Shape::Array(items)) = schema.map(shape_of) {
            let entry = map
                .entry(key.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                let index = list.len();
                if let Some(value) = scalar_value(text, items, &here.index(index), out) {
                    list.push(value);
                }
            }
            return;
        }
        if let Some(value) = property_value(text, schema, &here, out) {
            map.insert(key.to_string(), value);
        }
        return;
    }
    let inner = match schema.map(shape_of) {
        Some(Shape::Object(inner)) => inner,
        // A property that takes any value takes an object too.
        None => Object {
            fields: &[],
            additional: None,
        },
        Some(_) => {
            out.push(&here, "expected a value, found an object".to_string());
            return;
        }
    };
    let entry = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(nested) = entry {
        insert_deep(nested, rest, text, inner, &here, out);
    } else {
        out.push(&here, "given both as a value and as an object".to_string());
    }
}

/// A header parameter: the simple style on the header's values, or JSON text.
fn header(spec: &Param, headers: &HeaderMap, out: &mut Violations) -> Option<Value> {
    let values: Vec<&str> = headers
        .get_all(spec.name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    if spec.style == Style::Json {
        let text = one(&values, out)?;
        return json_text(text, out);
    }
    // A list is the header's values split on commas, without the spaces around items and
    // the empty items (RFC 9110, section 5.6.1).
    let items = || -> Vec<Cow<'_, str>> {
        values
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(Cow::Borrowed)
            .collect()
    };
    match shape_of(&spec.schema) {
        Shape::Scalar => {
            let text = one(&values, out)?;
            scalar_value(text, &spec.schema, &At::ROOT, out)
        }
        Shape::Array(schema) => {
            if values.is_empty() {
                return None;
            }
            array_value(&items(), schema, out)
        }
        Shape::Object(object) => {
            if values.is_empty() {
                return None;
            }
            let items = items();
            if spec.explode {
                let raw: Vec<&str> = items.iter().map(|item| item.as_ref()).collect();
                key_equals_value(&raw, Coding::Plain, object, out)
            } else {
                name_value_pairs(&items, object, out)
            }
        }
    }
}

/// A path parameter: its raw segment when the route gives it a whole one (or its part of
/// a segment it shares with text), otherwise the value axum decoded.
fn path(spec: &Param, src: &Sources<'_>, out: &mut Violations) -> Option<Value> {
    let raw = spec
        .segment
        .and_then(|index| src.path.split('/').nth(index))
        .and_then(|segment| match spec.within {
            [] => Some(segment),
            pieces => crate::select::segment_param(segment, pieces, spec.name),
        });
    let (text, coding): (Cow<'_, str>, Coding) = match raw {
        Some(raw) => (Cow::Borrowed(raw), Coding::Percent),
        None => {
            let decoded = src
                .path_params
                .into_iter()
                .flat_map(|params| params.iter())
                .find(|(name, _)| *name == spec.name)
                .map(|(_, value)| value)?;
            (Cow::Borrowed(decoded), Coding::Plain)
        }
    };
    if spec.style == Style::Json {
        return json_text(&decode(&text, coding), out);
    }
    let shape = shape_of(&spec.schema);
    match spec.style {
        Style::Label => {
            let Some(rest) = text.strip_prefix('.') else {
                out.push(
                    &At::ROOT,
                    format!("expected `.` and a value, found {text:?}"),
                );
                return None;
            };
            match shape {
                Shape::Scalar => scalar_value(&decode(rest, coding), &spec.schema, &At::ROOT, out),
                Shape::Array(items) => array_value(&pieces(rest, '.', coding), items, out),
                Shape::Object(object) if spec.explode => {
                    key_equals_value(&raw_pieces(rest, '.'), coding, object, out)
                }
                Shape::Object(object) => name_value_pairs(&pieces(rest, '.', coding), object, out),
            }
        }
        Style::Matrix => {
            let name = spec.name;
            // `;name=value` (or `;name` for an empty value): the text after `=`.
            let after_name = |piece: &str| -> Option<String> {
                let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
                (decode(key, coding) == name).then(|| value.to_string())
            };
            let Some(rest) = text.strip_prefix(';') else {
                out.push(
                    &At::ROOT,
                    format!("expected `;{name}=` and a value, found {text:?}"),
                );
                return None;
            };
            match shape {
                Shape::Array(items) if spec.explode => {
                    let mut texts = Vec::new();
                    for piece in rest.split(';') {
                        match after_name(piece) {
                            Some(value) => {
                                texts.push(Cow::Owned(decode(&value, coding).into_owned()))
                            }
                            None => out.push(
                                &At::ROOT,
                                format!("expected `;{name}=` before each item, found {piece:?}"),
                            ),
                        }
                    }
                    array_value(&texts, items, out)
                }
                Shape::Object(object) if spec.explode => {
                    key_equals_value(&raw_pieces(rest, ';'), coding, object, out)
                }
                _ => {
                    let Some(value) = after_name(rest) else {
                        out.push(
                            &At::ROOT,
                            format!("expected `;{name}=` and a value, found {text:?}"),
                        );
                        return None;
                    };
                    match shape {
                        Shape::Scalar => {
                            scalar_value(&decode(&value, coding), &spec.schema, &At::ROOT, out)
                        }
                        Shape::Array(items) => {
                            array_value(&pieces(&value, ',', coding), items, out)
                        }
                        Shape::Object(object) => {
                            name_value_pairs(&pieces(&value, ',', coding), object, out)
                        }
                    }
                }
            }
        }
        // Simple, and any other style a path cannot have.
        _ => match shape {
            Shape::Scalar => scalar_value(&decode(&text, coding), &spec.schema, &At::ROOT, out),
            Shape::Array(items) => array_value(&pieces(&text, ',', coding), items, out),
            Shape::Object(object) if spec.explode => {
                key_equals_value(&raw_pieces(&text, ','), coding, object, out)
            }
            Shape::Object(object) => name_value_pairs(&pieces(&text, ',', coding), object, out),
        },
    }
}

/// Raw text split on `delimiter`; nothing for an empty text.
fn raw_pieces(text: &str, delimiter: char) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split(delimiter).collect()
}

/// Raw text split on `delimiter`, each piece decoded; nothing for an empty text.
fn pieces(text: &str, delimiter: char, coding: Coding) -> Vec<Cow<'_, str>> {
    raw_pieces(text, delimiter)
        .into_iter()
        .map(|p| decode(p, coding))
        .collect()
}

/// JSON text (`content: {application/json: ..}`) as a value.
fn json_text(text: &str, out: &mut Violations) -> Option<Value> {
    match serde_json::from_str(text) {
        Ok(value) => Some(value),
        Err(err) => {
            out.push(&At::ROOT, format!("not valid JSON: {err}"));
            None
        }
    }
}

fn array_value(texts: &[Cow<'_, str>], items: &Schema, out: &mut Violations) -> Option<Value> {
    let at = At::ROOT;
    let values = texts
        .iter()
        .enumerate()
        .filter_map(|(index, text)| scalar_value(text, items, &at.index(index), out))
        .collect();
    Some(Value::Array(values))
}

/// `name,value,name,value` into an object.
fn name_value_pairs(
    pieces: &[Cow<'_, str>],
    object: Object,
    out: &mut Violations,
) -> Option<Value> {
    if !pieces.len().is_multiple_of(2) {
        out.push(
            &At::ROOT,
            format!(
                "expected property names and values in turn, found {} pieces",
                pieces.len()
            ),
        );
        return None;
    }
    let pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = pieces
        .chunks_exact(2)
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect();
    Some(object_value(&pairs, object, &At::ROOT, out))
}

/// Raw `name=value` pieces into an object.
fn key_equals_value(
    pieces: &[&str],
    coding: Coding,
    object: Object,
    out: &mut Violations,
) -> Option<Value> {
    let mut pairs = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match piece.split_once('=') {
            Some((key, value)) => pairs.push((decode(key, coding), decode(value, coding))),
            None => out.push(
                &At::ROOT,
                format!("expected `property=value`, found {piece:?}"),
            ),
        }
    }
    Some(object_value(&pairs, object, &At::ROOT, out))
}

fn object_value(
    pairs: &[(Cow<'_, str>, Cow<'_, str>)],
    object: Object,
    at: &At<'_>,
    out: &mut Violations,
) -> Value {
    let mut map = Map::new();
    for (key, text) in pairs {
        if !object.is_open() && !object.declares(key) {
            // Properties the schema does not declare are ignored, as in a body.
            continue;
        }
        if let Some(value) = property_value(text, object.property(key), &at.key(key), out) {
            map.insert(key.to_string(), value);
        }
    }
    Value::Object(map)
}

/// A property's text: by its schema, or a string for a property of an object that takes
/// any.
fn property_value(
    text: &str,
    schema: Option<&Schema>,
    at: &At<'_>,
    out: &mut Violations,
) -> Option<Value> {
    match schema {
        Some(schema) => scalar_value(text, schema, at, out),
        None => Some(Value::String(text.to_string())),
    }
}

/// The text of one scalar as the JSON value its schema reads: a number for an integer,
/// `true` or `false` for a boolean; for a union, as the first alternative that accepts
/// it (the walker reports the text when none does). A text that does not convert is
/// reported, and gives `None`.
pub(crate) fn scalar_value(
    text: &str,
    schema: &Schema,
    at: &At<'_>,
    out: &mut Violations,
) -> Option<Value> {
    match schema.rule {
        Rule::Ref(r) => scalar_value(text, r.0, at, out),
        Rule::Union {
            alternatives,
            discriminator: None,
        } => {
            for alternative in alternatives {
                let mut scratch = out.scratch();
                if let Some(value) = scalar_value(text, alternative, at, &mut scratch) {
                    if scratch.is_empty() {
                        walk_value(alternative, &value, at, &mut scratch);
                    }
                    if scratch.is_empty() {
                        return Some(value);
                    }
                }
            }
            Some(Value::String(text.to_string()))
        }
        Rule::Any | Rule::Array { .. } | Rule::Object { .. } | Rule::Union { .. } => {
            Some(Value::String(text.to_string()))
        }
        _ => {
            // Only the conversion counts here: the walker checks the value's rules.
            convert(text, kind_of(schema), at, out).map(|primitive| primitive.to_value())
        }
    }
}

#[cfg(test)]
mod tests {
    //! The "Style Examples" of OpenAPI 3.0.3 read back: a parameter `color` that is
    //! `"blue"`, `["blue", "black", "brown"]` or `{"R": 100, "G": 200, "B": 150}`.

    use axum::http::HeaderValue;
    use serde_json::json;

    use super::*;
    use crate::validate::{array, integer, object, optional, string, union, IntFormat};

    static STRING: Schema = string();
    static INTEGER: Schema = integer(IntFormat::I64);
    static ARRAY: Schema = array(&STRING);
    static OBJECT: Schema = object(&[
        optional("R", integer(IntFormat::I64)),
        optional("G", integer(IntFormat::I64)),
        optional("B", integer(IntFormat::I64)),
    ]);
    static NESTED: Schema = object(&[
        optional("rgb", crate::validate::to(&OBJECT)),
        optional("name", string()),
        optional("tags", array(&STRING)),
    ]);
    static ONE_OR_MORE: Schema = union(&[string(), array(&STRING)]);
    static ID_OR_COLOR: Schema = union(&[integer(IntFormat::I64), crate::validate::to(&OBJECT)]);
    static ID_OR_NAME: Schema = union(&[integer(IntFormat::I64), string()]);

    fn param(location: ParamLocation, style: Style, explode: bool, schema: Schema) -> Param {
        let mut param = match location {
            ParamLocation::Path => Param::path("color", schema).segment(2),
            ParamLocation::Query => Param::query("color", schema),
            ParamLocation::Header => Param::header("color", schema),
            ParamLocation::Cookie => Param::cookie("color", schema),
        };
        param = param.style(style);
        if explode {
            param = param.exploded();
        }
        param
    }

    fn read_with(
        spec: &Param,
        query: &str,
        path: &str,
        headers: &HeaderMap,
    ) -> Result<Value, String> {
        let sources = Sources {
            query: Some(query),
            path,
            path_params: None,
            headers,
        };
        let mut out = Violations::new();
        let value = read(spec, &sources, &mut out);
        match value {
            Some(value) if out.is_empty() => {
                walk_value(&spec.schema, &value, &At::ROOT, &mut out);
                if out.is_empty() {
                    Ok(value)
                } else {
                    Err(out.to_string())
                }
            }
            _ => Err(out.to_string()),
        }
    }

    fn path(style: Style, explode: bool, schema: Schema, segment: &str) -> Value {
        let spec = param(ParamLocation::Path, style, explode, schema);
        read_with(
            &spec,
            "",
            &format!("/colors/{segment}/x"),
            &HeaderMap::new(),
        )
        .unwrap_or_else(|err| panic!("{segment}: {err}"))
    }

    fn query(style: Style, explode: bool, schema: Schema, query: &str) -> Value {
        let spec = param(ParamLocation::Query, style, explode, schema);
        read_with(&spec, query, "/", &HeaderMap::new())
            .unwrap_or_else(|err| panic!("{query}: {err}"))
    }

    fn headers(name: &str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                HeaderValue::from_str(value).expect("a header value"),
            );
        }
        map
    }

    fn string_() -> Value {
        json!("blue")
    }

    fn array_() -> Value {
        json!(["blue", "black", "brown"])
    }

    fn object_() -> Value {
        json!({"R": 100, "G": 200, "B": 150})
    }

    #[test]
    fn matrix() {
        let m = |explode, schema, text| path(Style::Matrix, explode, schema, text);
        assert_eq!(m(false, STRING, ";color"), json!(""));
        assert_eq!(m(false, STRING, ";color=blue"), string_());
        assert_eq!(m(false, ARRAY, ";color=blue,black,brown"), array_());
        assert_eq!(m(false, OBJECT, ";color=R,100,G,200,B,150"), object_());
        assert_eq!(m(true, STRING, ";color=blue"), string_());
        assert_eq!(
            m(true, ARRAY, ";color=blue;color=black;color=brown"),
            array_()
        );
        assert_eq!(m(true, OBJECT, ";R=100;G=200;B=150"), object_());
    }

    #[test]
    fn label() {
        let l = |explode, schema, text| path(Style::Label, explode, schema, text);
        assert_eq!(l(false, STRING, "."), json!(""));
        assert_eq!(l(false, STRING, ".blue"), string_());
        assert_eq!(l(false, ARRAY, ".blue.black.brown"), array_());
        assert_eq!(l(false, OBJECT, ".R.100.G.200.B.150"), object_());
        assert_eq!(l(true, STRING, ".blue"), string_());
        assert_eq!(l(true, ARRAY, ".blue.black.brown"), array_());
        assert_eq!(l(true, OBJECT, ".R=100.G=200.B=150"), object_());
        assert_eq!(l(false, ARRAY, ".1%2E5.x"), json!(["1.5", "x"]));
    }

    #[test]
    fn form() {
        let f = |explode, schema, text| query(Style::Form, explode, schema, text);
        assert_eq!(f(false, STRING, "color="), json!(""));
        assert_eq!(f(false, STRING, "color=blue"), string_());
        assert_eq!(f(false, ARRAY, "color=blue,black,brown"), array_());
        assert_eq!(f(false, OBJECT, "color=R,100,G,200,B,150"), object_());
        assert_eq!(f(true, STRING, "color=blue"), string_());
        assert_eq!(
            f(true, ARRAY, "color=blue&color=black&color=brown"),
            array_()
        );
        assert_eq!(f(true, OBJECT, "R=100&G=200&B=150"), object_());
        // An item keeps its encoded comma; other parameters are not read.
        assert_eq!(
            f(false, ARRAY, "other=1&color=a%2Cb,c+d"),
            json!(["a,b", "c d"])
        );
    }

    #[test]
    fn simple() {
        let s = |explode, schema, text| path(Style::Simple, explode, schema, text);
        assert_eq!(s(false, STRING, "blue"), string_());
        assert_eq!(s(false, ARRAY, "blue,black,brown"), array_());
        assert_eq!(s(false, OBJECT, "R,100,G,200,B,150"), object_());
        assert_eq!(s(true, ARRAY, "blue,black,brown"), array_());
        assert_eq!(s(true, OBJECT, "R=100,G=200,B=150"), object_());
        let h = |explode, schema, values: &[&str]| {
            let spec = param(ParamLocation::Header, Style::Simple, explode, schema);
            read_with(&spec, "", "/", &headers("color", values)).expect("reads")
        };
        assert_eq!(h(false, ARRAY, &["blue,black,brown"]), array_());
        assert_eq!(h(false, ARRAY, &["blue, black", "brown"]), array_());
        assert_eq!(h(false, OBJECT, &["R,100,G,200,B,150"]), object_());
        assert_eq!(h(true, OBJECT, &["R=100,G=200,B=150"]), object_());
    }

    #[test]
    fn space_and_pipe_delimited() {
        assert_eq!(
            query(
                Style::SpaceDelimited,
                false,
                ARRAY,
                "color=blue%20black%20brown"
            ),
            array_()
        );
        assert_eq!(
            query(
                Style::SpaceDelimited,
                false,
                ARRAY,
                "color=blue+black+brown"
            ),
            array_()
        );
        assert_eq!(
            query(
                Style::SpaceDelimited,
                false,
                OBJECT,
                "color=R%20100%20G%20200%20B%20150"
            ),
            object_()
        );
        assert_eq!(
            query(Style::PipeDelimited, false, ARRAY, "color=blue|black|brown"),
            array_()
        );
        assert_eq!(
            query(
                Style::PipeDelimited,
                false,
                OBJECT,
                "color=R|100|G|200|B|150"
            ),
            object_()
        );
    }

    #[test]
    fn deep_object() {
        assert_eq!(
            query(
                Style::DeepObject,
                true,
                OBJECT,
                "color[R]=100&color[G]=200&color[B]=150"
            ),
            object_()
        );
        assert_eq!(
            query(
                Style::DeepObject,
                true,
                OBJECT,
                "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"
            ),
            object_()
        );
        assert_eq!(
            query(
                Style::DeepObject,
                true,
                NESTED,
                "color[rgb][R]=1&color[name]=x&colors[R]=2"
            ),
            json!({"rgb": {"R": 1}, "name": "x"})
        );
        assert_eq!(
            query(
                Style::DeepObject,
                true,
                NESTED,
                "color[tags]=a&color[name]=x&color[tags]=b"
            ),
            json!({"tags": ["a", "b"], "name": "x"}),
            "an array property is repeated pairs"
        );
    }

    #[test]
    fn cookies() {
        let c = |explode, schema, values: &[&str]| {
            let spec = param(ParamLocation::Cookie, Style::Form, explode, schema);
            read_with(&spec, "", "/", &headers("cookie", values))
        };
        assert_eq!(c(false, STRING, &["other=1; color=blue"]), Ok(string_()));
        assert_eq!(c(false, STRING, &["color=a%3B%20b"]), Ok(json!("a; b")));
        assert_eq!(c(false, ARRAY, &["color=blue,black,brown"]), Ok(array_()));
        assert_eq!(
            c(true, ARRAY, &["color=blue; color=black", "color=brown"]),
            Ok(array_())
        );
        assert_eq!(c(true, OBJECT, &["R=100; G=200; B=150"]), Ok(object_()));
        assert_eq!(
            c(false, STRING, &["other=1"]).map_err(|e| e.is_empty()),
            Err(true)
        );
    }

    #[test]
    fn json_content() {
        let spec = Param::query("color", OBJECT).json();
        assert_eq!(
            read_with(&spec, "color=%7B%22R%22%3A1%7D", "/", &HeaderMap::new()),
            Ok(json!({"R": 1}))
        );
        let spec = Param::header("color", ARRAY).json();
        assert_eq!(
            read_with(&spec, "", "/", &headers("color", &[r#"["a","b"]"#])),
            Ok(json!(["a", "b"]))
        );
        let err = read_with(&spec, "", "/", &headers("color", &["[a"])).expect_err("not JSON");
        assert!(err.contains("not valid JSON"), "{err}");
    }

    #[test]
    fn scalar_unions_take_the_first_alternative_that_accepts_the_text() {
        assert_eq!(query(Style::Form, true, ID_OR_NAME, "color=42"), json!(42));
        assert_eq!(
            query(Style::Form, true, ID_OR_NAME, "color=blue"),
            json!("blue")
        );
        assert_eq!(path(Style::Simple, false, ID_OR_NAME, "7"), json!(7));
    }

    #[test]
    fn an_open_exploded_object_takes_the_pairs_no_other_parameter_names() {
        static LABELS: Schema = crate::validate::map(&STRING);
        let spec = Param::query("labels", LABELS)
            .exploded()
            .beside(&["limit", "weights"]);
        assert_eq!(
            read_with(
                &spec,
                "colour=red&limit=3&weights[a]=1&size=s",
                "/",
                &HeaderMap::new()
            ),
            Ok(json!({"colour": "red", "size": "s"}))
        );
    }

    #[test]
    fn unions_of_shapes_take_the_first_alternative_that_reads() {
        assert_eq!(query(Style::Form, true, ONE_OR_MORE, "color=a"), json!("a"));
        assert_eq!(
            query(Style::Form, true, ONE_OR_MORE, "color=a&color=b"),
            json!(["a", "b"])
        );
        assert_eq!(
            query(Style::DeepObject, true, ID_OR_COLOR, "color=7"),
            json!(7)
        );
        assert_eq!(
            query(Style::DeepObject, true, ID_OR_COLOR, "color[R]=1"),
            json!({"R": 1})
        );
        let spec = param(ParamLocation::Query, Style::DeepObject, true, ID_OR_COLOR);
        let err = read_with(&spec, "color=x", "/", &HeaderMap::new()).expect_err("neither");
        assert_eq!(err, "request body: matches none of the 2 allowed shapes");
        assert_eq!(
            read_with(&spec, "other=x", "/", &HeaderMap::new()),
            Err(String::new()),
            "absent"
        );
    }

    #[test]
    fn problems_are_reported_where_they_are() {
        let spec = param(ParamLocation::Query, Style::Form, true, OBJECT);
        let err = read_with(&spec, "R=x&G=1", "/", &HeaderMap::new()).expect_err("not an integer");
        assert_eq!(err, "/R: expected an integer, found \"x\"");
        let err = read_with(&spec, "R=99999999999999999999&G=1", "/", &HeaderMap::new())
            .expect_err("beyond 64 bits");
        assert_eq!(
            err,
            "/R: 99999999999999999999 is an integer beyond the 64-bit range this server reads"
        );
        let err = read_with(&spec, "R=-99999999999999999999&G=1", "/", &HeaderMap::new())
            .expect_err("beyond 64 bits below");
        assert!(err.contains("beyond the 64-bit range"), "{err}");
        let err = read_with(&spec, "R=-&G=1", "/", &HeaderMap::new()).expect_err("a sign alone");
        assert_eq!(err, "/R: expected an integer, found \"-\"");
        let spec = param(ParamLocation::Path, Style::Matrix, false, STRING);
        let err = read_with(&spec, "", "/colors/blue/x", &HeaderMap::new()).expect_err("no `;`");
        assert!(err.contains("expected `;color=`"), "{err}");
        let spec = param(ParamLocation::Query, Style::Form, false, OBJECT);
        let err = read_with(&spec, "color=R,1,G", "/", &HeaderMap::new()).expect_err("odd");
        assert!(err.contains("names and values in turn"), "{err}");
        let spec = param(ParamLocation::Query, Style::Form, false, INTEGER);
        let err = read_with(&spec, "color=1&color=2", "/", &HeaderMap::new()).expect_err("twice");
        assert!(err.contains("given 2 times"), "{err}");
    }
}
