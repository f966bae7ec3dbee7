//! The parts of a `multipart/form-data` body that are not plain values: files, and the
//! parts of a body whose schema does not list them.

use bytes::Bytes;

/// A file part: its bytes, and the file name and content type it is sent with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    pub bytes: Bytes,
    /// The `filename` of the part's `Content-Disposition`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`; when `None`, the client sends the spec's `encoding`
    /// content type or `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A part with these bytes, without a file name or content type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The same part, sent with this file name.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The same part, sent with this content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

/// One part of a multipart body whose schema lists no properties: its name, bytes, and
/// file name and content type, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    pub bytes: Bytes,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

impl FormPart {
    /// A part named `name` with these bytes.
    pub fn new(name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FormPart {
            name: name.into(),
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }
}
