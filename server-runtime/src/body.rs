//! Reading a request body in a generated handler: which of the operation's media types
//! its `Content-Type` names (anything else is answered 415), then the body in that media
//! type: JSON checked as it is parsed and decoded, a form or the text parts of a
//! multipart body converted by the schema's types and checked like JSON, text checked as
//! a string, bytes as they are. Every problem is recorded with its JSON pointer, as for
//! parameters.

use std::convert::Infallible;

use axum::http::header::CONTENT_TYPE;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use apig_types_runtime::{media, FilePart, FormPart};

use super::auth::BodyFault;
use super::errors::Rejection;
use super::params::Input;
use super::validate::{check_json, decode_checked, walk_value, At, Rule, Schema, Violations};

/// A struct of multipart parts the generated code declares: which of its parts are
/// files, and how to build it from the parts once they have been checked.
pub trait FromMultipart: Sized {
    /// The names of the parts that are files (bytes with a file name and content type)
    /// rather than values.
    const FILES: &'static [&'static str];

    /// Takes each field's part. `None` only when a required part is missing, which the
    /// check of the whole body has already reported.
    fn from_multipart(parts: &mut MultipartFields<'_>) -> Option<Self>;
}

/// The checked parts of a multipart body, handed to [`FromMultipart::from_multipart`].
#[derive(Debug)]
pub struct MultipartFields<'a> {
    values: Map<String, Value>,
    files: Vec<(String, FilePart)>,
    out: &'a mut Violations,
}

impl MultipartFields<'_> {
    /// The first file part named `name`.
    pub fn file(&mut self, name: &str) -> Option<FilePart> {
        let index = self.files.iter().position(|(n, _)| n == name)?;
        Some(self.files.remove(index).1)
    }

    /// Every file part named `name`, in order.
    pub fn files(&mut self, name: &str) -> Vec<FilePart> {
        let (taken, rest) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|(n, _)| n == name);
        self.files = rest;
        taken.into_iter().map(|(_, file)| file).collect()
    }

    /// The value of the part (or parts) named `name`, decoded into its type; `None`
    /// when it is absent or does not decode (which is recorded).
    pub fn value<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        let value = self.values.remove(name)?;
        match serde_json::from_value(value) {
            Ok(typed) => Some(typed),
            Err(err) => {
                self.out.push(&At::ROOT.key(name), err.to_string());
                None
            }
        }
    }
}

impl Input {
    /// Takes the body's bytes, within the router's limit: `None` when it is empty
    /// (recorded when it is `required`) or could not be read. An empty body is a body
    /// (no bytes, the empty text) when `empty_is_body` says so.
    async fn take_bytes(&mut self, required: bool, empty_is_body: bool) -> Option<Bytes> {
        let bytes = match self.read_whole_body().await? {
            Ok(bytes) => bytes,
            Err(rejection) => {
                self.rejection = Some(rejection);
                return None;
            }
        };
        if bytes.is_empty() && !empty_is_body {
            if required {
                self.out
                    .push(&At::ROOT, "a request body is required".to_string());
            }
            return None;
        }
        Some(bytes)
    }

    fn content_type(&self) -> &str {
        self.parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn unsupported(&mut self, accepted: Vec<&'static str>) {
        let content_type = self.content_type();
        let found = if content_type.is_empty() {
            "no content type".to_string()
        } else {
            content_type.to_string()
        };
        self.rejection = Some(Rejection::UnsupportedMediaType { found, accepted });
    }

    /// Reads a required JSON body: checks the content type (any JSON type), checks the
    /// document against `schema` as it is parsed, and decodes it. `None` when it is
    /// absent or has a problem (which is recorded).
    pub async fn json_body<T: DeserializeOwned>(&mut self, schema: &Schema) -> Option<T> {
        self.read_json_body(schema, true).await
    }

    /// Reads an optional JSON body, as [`Input::json_body`] does; its absence is no
    /// problem.
    pub async fn optional_json_body<T: DeserializeOwned>(&mut self, schema: &Schema) -> Option<T> {
        self.read_json_body(schema, false).await
    }

    async fn read_json_body<T: DeserializeOwned>(
        &mut self,
        schema: &Schema,
        required: bool,
    ) -> Option<T> {
        let bytes = self.take_bytes(required, false).await?;
        if !media::is_json(self.content_type()) {
            self.unsupported(vec!["application/json"]);
            return None;
        }
        self.json(schema, &bytes)
    }

    /// Reads the body of an operation that takes `contents`, each a list of media types
    /// read the same way: which one the `Content-Type` names, and the bytes. `None` when
    /// the body is empty (recorded when it is `required`), cannot be read, or is sent as
    /// another media type (answered 415). A body without a `Content-Type` is read as
    /// the only content, if there is one. An empty body sent as a media type that is
    /// not JSON is that type's empty value (the empty text, no bytes, a form without
    /// fields); empty JSON is no body.
    pub async fn body(
        &mut self,
        contents: &'static [&'static [&'static str]],
        required: bool,
    ) -> Option<(usize, Bytes)> {
        let content_type = self.content_type();
        let empty_is_body = !content_type.is_empty() && !media::is_json(content_type);
        let bytes = self.take_bytes(required, empty_is_body).await?;
        let declared: Vec<&'static str> = contents.iter().flat_map(|c| c.iter().copied()).collect();
        let content_type = self.content_type();
        let picked = match media::pick(&declared, content_type) {
            Some(index) => Some(index),
            None if content_type.is_empty() && contents.len() == 1 => Some(0),
            None => None,
        };
        let Some(picked) = picked else {
            self.unsupported(declared);
            return None;
        };
        // The position among all media types, back to the content that lists it.
        let mut seen = 0;
        for (index, content) in contents.iter().enumerate() {
            seen += content.len();
            if picked < seen {
                return Some((index, bytes));
            }
        }
        Some((0, bytes))
    }

    /// A JSON document, checked against `schema` as it is parsed and decoded.
    pub fn json<T: DeserializeOwned>(&mut self, schema: &Schema, bytes: &[u8]) -> Option<T> {
        // The body is parsed at most twice. First, the typed decode, checking the rules as
        // it goes: for a valid body, the only pass.
        let (decoded, found) = decode_checked::<T>(schema, bytes);
        if found.is_clean() {
            if let Ok(typed) = decoded {
                return Some(typed);
            }
        }
        // Otherwise the walker decides, and lists every problem at once.
        let before = self.out.len();
        if let Err(err) = check_json(schema, bytes, &mut self.out) {
            self.rejection = Some(Rejection::MalformedJson(err.to_string()));
            return None;
        }
        if self.out.len() > before {
            return None;
        }
        match decoded {
            Ok(typed) => Some(typed),
            // Valid by the rules but not decodable (a duplicate property, say): the first
            // pass noted where.
            Err(err) => {
                self.out
                    .push_at(found.error_at.unwrap_or_default(), err.to_string());
                None
            }
        }
    }

    /// An `application/x-www-form-urlencoded` body: each field converted to the type of
    /// its property in `schema` (repeated fields make an array), checked and decoded.
    pub fn form<T: DeserializeOwned>(&mut self, schema: &Schema, bytes: &[u8]) -> Option<T> {
        let mut fields: Vec<(String, Vec<Value>)> = Vec::new();
        for (name, text) in form_urlencoded::parse(bytes) {
            let rule = property(schema, &name);
            let value = from_text(rule.map(items_or_self), &text);
            match fields.iter_mut().find(|(n, _)| *n == name) {
                Some((_, values)) => values.push(value),
                None => fields.push((name.into_owned(), vec![value])),
            }
        }
        let object = object_of(schema, fields);
        self.checked_value(schema, object)
    }

    /// A text body, checked as a string against `schema`.
    pub fn text(&mut self, schema: &Schema, bytes: &[u8]) -> Option<String> {
        let Ok(text) = std::str::from_utf8(bytes) else {
            self.rejection = Some(Rejection::MalformedBody(
                "the text is not valid UTF-8".to_string(),
            ));
            return None;
        };
        let value = Value::String(text.to_string());
        let before = self.out.len();
        walk_value(schema, &value, &At::ROOT, &mut self.out);
        if self.out.len() > before {
            return None;
        }
        Some(text.to_string())
    }

    /// A `multipart/form-data` body whose parts are the properties of `schema`: the
    /// file parts (`T::FILES`) as bytes, the others converted like form fields (or read
    /// as JSON when the part says it is JSON), the whole checked against `schema`, then
    /// built into `T`.
    pub async fn multipart<T: FromMultipart>(
        &mut self,
        schema: &Schema,
        bytes: &Bytes,
    ) -> Option<T> {
        let parts = self.parts_of(bytes).await?;
        let mut fields: Vec<(String, Vec<Value>)> = Vec::new();
        let mut files = Vec::new();
        for part in parts {
            let value = if T::FILES.contains(&part.name.as_str()) {
                // A stand-in for the checks of presence and count; the bytes are kept
                // aside.
                files.push((
                    part.name.clone(),
                    FilePart {
                        bytes: part.bytes,
                        file_name: part.file_name,
                        content_type: part.content_type,
                    },
                ));
                Value::String(String::new())
            } else {
                let text = String::from_utf8_lossy(&part.bytes);
                if part.content_type.as_deref().is_some_and(media::is_json) {
                    match serde_json::from_str(&text) {
                        Ok(value) => value,
                        Err(err) => {
                            self.out.push(
                                &At::ROOT.key(&part.name),
                                format!("the part is not valid JSON: {err}"),
                            );
                            continue;
                        }
                    }
                } else {
                    let rule = property(schema, &part.name);
                    from_text(rule.map(items_or_self), &text)
                }
            };
            match fields.iter_mut().find(|(n, _)| *n == part.name) {
                Some((_, values)) => values.push(value),
                None => fields.push((part.name, vec![value])),
            }
        }
        let object = object_of(schema, fields);
        let before = self.out.len();
        walk_value(schema, &object, &At::ROOT, &mut self.out);
        if self.out.len() > before {
            return None;
        }
        let Value::Object(values) = object else {
            return None;
        };
        let mut fields = MultipartFields {
            values,
            files,
            out: &mut self.out,
        };
        T::from_multipart(&mut fields)
    }

    /// A `multipart/form-data` body whose schema lists no parts: every part as it came.
    pub async fn form_parts(&mut self, bytes: &Bytes) -> Option<Vec<FormPart>> {
        self.parts_of(bytes).await
    }

    async fn parts_of(&mut self, bytes: &Bytes) -> Option<Vec<FormPart>> {
        let boundary = match multer::parse_boundary(self.content_type()) {
            Ok(boundary) => boundary,
            Err(err) => {
                self.rejection = Some(Rejection::MalformedBody(err.to_string()));
                return None;
            }
        };
        let bytes = bytes.clone();
        let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(bytes) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        let mut parts = Vec::new();
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(err) => {
                    self.rejection = Some(Rejection::MalformedBody(err.to_string()));
                    return None;
                }
            };
            let Some(name) = field.name().map(str::to_string) else {
                continue;
            };
            let file_name = field.file_name().map(str::to_string);
            let content_type = field.content_type().map(|m| m.to_string());
            match field.bytes().await {
                Ok(bytes) => parts.push(FormPart {
                    name,
                    bytes,
                    file_name,
                    content_type,
                }),
                Err(err) => {
                    self.rejection = Some(Rejection::MalformedBody(err.to_string()));
                    return None;
                }
            }
        }
        Some(parts)
    }

    /// Checks a value built from text fields against `schema` and decodes it.
    fn checked_value<T: DeserializeOwned>(&mut self, schema: &Schema, value: Value) -> Option<T> {
        let before = self.out.len();
        walk_value(schema, &value, &At::ROOT, &mut self.out);
        if self.out.len() > before {
            return None;
        }
        match serde_json::from_value(value) {
            Ok(typed) => Some(typed),
            Err(err) => {
                self.out.push(&At::ROOT, err.to_string());
                None
            }
        }
    }
}

/// The rejection of a body that could not be read.
pub(crate) fn body_rejection(fault: BodyFault) -> Rejection {
    match fault {
        BodyFault::TooLarge => Rejection::TooLarge,
        BodyFault::Broken(err) => body_error(err),
    }
}

/// A body that could not be read: too large for the limit (of a `Limited` body the
/// finishing layer gave it), or broken off.
fn body_error(err: axum::Error) -> Rejection {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return Rejection::TooLarge;
        }
        source = error.source();
    }
    Rejection::BadBody(format!("failed to read the request body: {err}"))
}

/// The schema a named schema stands for.
fn target(mut schema: &Schema) -> &Schema {
    // Chains of names are short; the bound only guards against a cycle of names.
    for _ in 0..64 {
        match schema.rule {
            Rule::Ref(r) => schema = r.0,
            _ => break,
        }
    }
    schema
}

/// The schema of property `name` of an object schema (a listed property, or the
/// schema of any other).
fn property<'s>(schema: &'s Schema, name: &str) -> Option<&'s Schema> {
    match target(schema).rule {
        Rule::Object {
            fields, additional, ..
        } => fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.schema)
            .or(additional),
        _ => None,
    }
}

/// The items' schema of an array schema, or the schema itself.
fn items_or_self(schema: &Schema) -> &Schema {
    match target(schema).rule {
        Rule::Array { items, .. } => items,
        _ => schema,
    }
}

fn is_array(schema: Option<&Schema>) -> bool {
    schema.is_some_and(|s| matches!(target(s).rule, Rule::Array { .. }))
}

/// The object of a form's or multipart body's fields: a field whose property is an
/// array holds all its values, any other its one value (or, given more than once, all
/// of them, which the check then reports).
fn object_of(schema: &Schema, fields: Vec<(String, Vec<Value>)>) -> Value {
    let mut object = Map::new();
    for (name, mut values) in fields {
        let value = if is_array(property(schema, &name)) || values.len() > 1 {
            Value::Array(values)
        } else {
            values.pop().unwrap_or(Value::Null)
        };
        object.insert(name, value);
    }
    Value::Object(object)
}

/// The value of a text field, converted to the type its schema gives (a string when it
/// does not convert, for the check to report).
fn from_text(schema: Option<&Schema>, text: &str) -> Value {
    let string = || Value::String(text.to_string());
    let Some(schema) = schema else {
        return string();
    };
    match target(schema).rule {
        Rule::Integer { .. } => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| string()),
        Rule::Number { .. } => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(string, Value::Number),
        Rule::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => string(),
        },
        Rule::Object { .. } | Rule::Array { .. } | Rule::Union { .. } | Rule::Any => {
            serde_json::from_str(text).unwrap_or_else(|_| string())
        }
        Rule::String { .. } | Rule::Enum(_) | Rule::Ref(_) => string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{array, integer, object, optional, required, string, IntFormat};

    static ITEMS: Schema = integer(IntFormat::I32);
    static FIELDS: [crate::validate::Field; 3] = [
        required("name", string().max_length(3)),
        optional("size", integer(IntFormat::I32)),
        optional("tags", array(&ITEMS)),
    ];
    static FORM: Schema = object(&FIELDS);

    #[test]
    fn form_fields_take_their_property_types() {
        let fields = vec![
            (
                "name".to_string(),
                vec![from_text(property(&FORM, "name"), "ab")],
            ),
            (
                "size".to_string(),
                vec![from_text(property(&FORM, "size"), "7")],
            ),
            (
                "tags".to_string(),
                vec![
                    from_text(property(&FORM, "tags").map(items_or_self), "1"),
                    from_text(property(&FORM, "tags").map(items_or_self), "x"),
                ],
            ),
        ];
        assert_eq!(
            object_of(&FORM, fields),
            serde_json::json!({"name": "ab", "size": 7, "tags": [1, "x"]})
        );
    }
}
