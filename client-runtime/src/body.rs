//! Request bodies besides JSON: forms (`application/x-www-form-urlencoded`), multipart
//! bodies (`multipart/form-data`, encoded here so that they can be signed and retried
//! like any other), and bytes given in memory or as a stream.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ordered::Value;
use bytes::Bytes;
use serde::Serialize;

use apig_types_runtime::media;
pub use apig_types_runtime::{FilePart, FormPart};

/// The bytes of a binary request body: in memory (sent as they are, and again when the
/// request is retried) or a `reqwest::Body` (a stream is sent once, never retried, and
/// with AK/SK signing its content is not signed: `UNSIGNED-PAYLOAD`).
///
/// Converts from `Bytes`, `Vec<u8>`, `String`, static slices and `reqwest::Body` (with
/// reqwest's `stream` feature, `reqwest::Body::wrap_stream` sends a file or any stream
/// without holding it in memory).
pub struct Binary {
    pub(crate) data: BinaryData,
    pub(crate) content_type: Option<String>,
}

pub(crate) enum BinaryData {
    Bytes(Bytes),
    Body(reqwest::Body),
}

impl Binary {
    /// Bytes in memory.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Binary {
            data: BinaryData::Bytes(bytes.into()),
            content_type: None,
        }
    }

    /// The same body, sent with this `Content-Type` instead of the spec's (the spec's
    /// may be a range such as `image/*`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Binary");
        match &self.data {
            BinaryData::Bytes(bytes) => out.field("bytes", &bytes.len()),
            BinaryData::Body(_) => out.field("body", &"stream"),
        };
        out.field("content_type", &self.content_type).finish()
    }
}

impl From<Bytes> for Binary {
    fn from(bytes: Bytes) -> Self {
        Binary::new(bytes)
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary::new(text)
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Binary::new(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for Binary {
    fn from(text: &'static str) -> Self {
        Binary::new(Bytes::from_static(text.as_bytes()))
    }
}

impl From<reqwest::Body> for Binary {
    fn from(body: reqwest::Body) -> Self {
        Binary {
            data: BinaryData::Body(body),
            content_type: None,
        }
    }
}

/// A value that could not be written into a form or a multipart part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartError(pub String);

impl fmt::Display for MultipartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MultipartError {}

/// A struct of multipart parts the generated code declares: writes each of its fields.
pub trait ToMultipart {
    fn write(&self, form: &mut MultipartForm) -> Result<(), MultipartError>;
}

impl ToMultipart for [FormPart] {
    fn write(&self, form: &mut MultipartForm) -> Result<(), MultipartError> {
        for part in self {
            form.push(
                &part.name,
                part.file_name.as_deref(),
                part.content_type.as_deref(),
                part.bytes.clone(),
            );
        }
        Ok(())
    }
}

impl ToMultipart for Vec<FormPart> {
    fn write(&self, form: &mut MultipartForm) -> Result<(), MultipartError> {
        self.as_slice().write(form)
    }
}

/// The parts of a `multipart/form-data` body being written.
#[derive(Debug, Default)]
pub struct MultipartForm {
    parts: Vec<Encoded>,
}

#[derive(Debug)]
struct Encoded {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Bytes,
}

impl MultipartForm {
    fn push(
        &mut self,
        name: &str,
        file_name: Option<&str>,
        content_type: Option<&str>,
        bytes: Bytes,
    ) {
        self.parts.push(Encoded {
            name: name.to_string(),
            file_name: file_name.map(str::to_string),
            content_type: content_type.map(str::to_string),
            bytes,
        });
    }

    /// One part per file, named `name`, each sent with its own content type, else
    /// `content_type` (the spec's `encoding`), else `application/octet-stream`.
    pub fn files<'a>(
        &mut self,
        name: &str,
        files: impl IntoIterator<Item = &'a FilePart>,
        content_type: Option<&str>,
    ) {
        for file in files {
            let content_type = file
                .content_type
                .as_deref()
                .or(content_type)
                .unwrap_or("application/octet-stream");
            // A file part always has a file name, so that servers read it as a file.
            let file_name = file.file_name.as_deref().unwrap_or(name);
            self.push(
                name,
                Some(file_name),
                Some(content_type),
                file.bytes.clone(),
            );
        }
    }

    /// The part (or parts) of a value named `name`: nothing for `None`, one part per
    /// item of an array, JSON for an object or when `content_type` (the spec's
    /// `encoding`) is JSON, the text of a string, number or boolean otherwise.
    pub fn value<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<(), MultipartError> {
        let value = super::ordered::to_value(value)
            .map_err(|err| MultipartError(format!("part `{name}`: {err}")))?;
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items {
                    self.value_part(name, item, content_type);
                }
            }
            other => self.value_part(name, other, content_type),
        }
        Ok(())
    }

    fn value_part(&mut self, name: &str, value: Value, content_type: Option<&str>) {
        let json = content_type.is_some_and(media::is_json)
            || matches!(value, Value::Object(_) | Value::Array(_));
        if json {
            let text = value.to_string();
            self.push(
                name,
                None,
                Some(content_type.unwrap_or("application/json")),
                text.into(),
            );
            return;
        }
        let text = match value {
            Value::String(text) => text,
            other => other.to_string(),
        };
        self.push(name, None, content_type, text.into());
    }

    /// The body and its `Content-Type` (with the boundary).
    pub(crate) fn finish(self) -> (String, Bytes) {
        let boundary = boundary(&self.parts);
        let mut out: Vec<u8> = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quoted(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                let clean: String = content_type.chars().filter(|c| !c.is_control()).collect();
                out.extend_from_slice(format!("Content-Type: {clean}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (
            format!("multipart/form-data; boundary={boundary}"),
            out.into(),
        )
    }
}

/// A name or file name inside the quotes of `Content-Disposition`, escaped as browsers
/// do (`"` as `%22`, line breaks as `%0A` and `%0D`).
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A boundary that occurs in none of the parts: random hex, drawn again in the unlikely
/// case that it does.
fn boundary(parts: &[Encoded]) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        let a = hasher.finish();
        hasher.write_u64(a);
        let candidate = format!("apig-{a:016x}{:016x}", hasher.finish());
        let needle = candidate.as_bytes();
        let found = parts
            .iter()
            .any(|p| p.bytes.windows(needle.len()).any(|w| w == needle));
        if !found {
            return candidate;
        }
    }
}

/// A form body: the fields of `value` (an object), each a `name=value` pair; an array
/// is one pair per item, an object inside is sent as its JSON, `null` is left out.
pub(crate) fn form_encode<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let value = super::ordered::to_value(value).map_err(|err| err.to_string())?;
    let Value::Object(fields) = value else {
        return Err("a form body must be an object".to_string());
    };
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            match item {
                Value::Null => {}
                Value::String(text) => {
                    out.append_pair(&name, &text);
                }
                other => {
                    out.append_pair(&name, &other.to_string());
                }
            }
        }
    }
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_repeat_array_fields_and_leave_out_nulls() {
        let body = serde_json::json!({"name": "a b", "tags": ["x", 2], "none": null, "ok": true});
        // Fields come in the order of the JSON map (sorted unless serde_json keeps the
        // order), the items of an array in theirs.
        let encoded = form_encode(&body).expect("an object");
        let mut pairs: Vec<&str> = encoded.split('&').collect();
        assert!(encoded.contains("tags=x&tags=2"), "{encoded}");
        pairs.sort();
        assert_eq!(pairs, ["name=a+b", "ok=true", "tags=2", "tags=x"]);
        assert!(form_encode(&serde_json::json!([1])).is_err());
    }

    #[test]
    fn multipart_bodies_have_one_part_per_value_and_file() {
        let mut form = MultipartForm::default();
        let file = FilePart::new(&b"PNG"[..]).file_name("a\"b.png");
        form.files("file", [&file], Some("image/png"));
        form.value("note", &Some("hi"), None).expect("a value");
        form.value("missing", &None::<String>, None)
            .expect("a value");
        form.value("meta", &serde_json::json!({"k": 1}), None)
            .expect("a value");
        let (content_type, body) = form.finish();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a boundary");
        let text = String::from_utf8(body.to_vec()).expect("text");
        assert_eq!(
            text,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":1}}\r\n\
                 --{boundary}--\r\n"
            )
        );
    }
}
