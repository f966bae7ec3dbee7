//! JSON pointers (RFC 6901): escaping, unescaping and joining, written once.
//!
//! A [`Pointer`] is kept without the leading `#`: the root is the empty string, and
//! `/paths/~1pets/get` names the `get` operation of the path `/pets`. Diagnostics print it
//! after the file as a URI fragment, `spec/openapi.yaml#/paths/~1pets/get`.

use std::fmt;

/// A JSON pointer into one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document.
    pub fn root() -> Pointer {
        Pointer(String::new())
    }

    /// A pointer from its text, with or without the leading `#`.
    pub fn parse(text: &str) -> Pointer {
        Pointer(text.strip_prefix('#').unwrap_or(text).to_string())
    }

    /// A pointer from unescaped reference tokens, e.g. `["paths", "/pets", "get"]`.
    pub fn from_tokens<'a>(tokens: impl IntoIterator<Item = &'a str>) -> Pointer {
        tokens
            .into_iter()
            .fold(Pointer::root(), |pointer, token| pointer.join(token))
    }

    /// This pointer with one more (unescaped) reference token.
    pub fn join(&self, token: &str) -> Pointer {
        Pointer(join(&self.0, token))
    }

    /// The escaped text, without `#`: `/paths/~1pets/get`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(unescape)
    }

    /// The pointer one level up; the root has none.
    pub fn parent(&self) -> Option<Pointer> {
        let cut = self.0.rfind('/')?;
        Some(Pointer(self.0[..cut].to_string()))
    }

    /// The value this pointer names in `document`.
    pub fn get<'v>(&self, document: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        document.pointer(&self.0)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> String {
        pointer.0
    }
}

impl AsRef<str> for Pointer {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Decodes one reference token (`~1` → `/`, `~0` → `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The text of a URI fragment with its percent-encoding decoded (`%7Bid%7D` → `{id}`), as
/// RFC 6901 §6 reads a JSON pointer written in a fragment; `None` when there is nothing to
/// decode, or when the decoded bytes are not UTF-8. A `%` not followed by two hex digits
/// stays as it is.
pub fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                changed = true;
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    if !changed {
        return None;
    }
    String::from_utf8(out).ok()
}

/// Appends one unescaped reference token to the text of a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_escaping() {
        let pointer = Pointer::from_tokens(["paths", "/a~b/{id}", "get"]);
        assert_eq!(pointer.as_str(), "/paths/~1a~0b~1{id}/get");
        assert_eq!(
            pointer.tokens().collect::<Vec<_>>(),
            ["paths", "/a~b/{id}", "get"]
        );
        assert_eq!(Pointer::parse("#/paths/~1a~0b~1{id}/get"), pointer);
        assert_eq!(
            pointer.parent().map(String::from).as_deref(),
            Some("/paths/~1a~0b~1{id}")
        );
        assert_eq!(Pointer::root().parent(), None);
    }

    #[test]
    fn unescaping_decodes_tilde_one_before_tilde_zero() {
        // `~01` is the token `~1`, not `/`.
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(escape("~1"), "~01");
    }

    #[test]
    fn fragments_are_percent_decoded() {
        assert_eq!(
            percent_decode("/paths/~1a~1%7Bid%7D/get").as_deref(),
            Some("/paths/~1a~1{id}/get")
        );
        assert_eq!(percent_decode("/a/%C3%BC").as_deref(), Some("/a/ü"));
        assert_eq!(percent_decode("/a/%25").as_deref(), Some("/a/%"));
        // Nothing to decode, a `%` without two hex digits, bytes that are not UTF-8.
        assert_eq!(percent_decode("/a/{id}"), None);
        assert_eq!(percent_decode("/a/100%"), None);
        assert_eq!(percent_decode("/a/%zz"), None);
        assert_eq!(percent_decode("/a/%FF"), None);
    }

    #[test]
    fn a_pointer_finds_its_value() {
        let doc = serde_json::json!({"paths": {"/a": {"get": {"x": 1}}}});
        let pointer = Pointer::from_tokens(["paths", "/a", "get", "x"]);
        assert_eq!(pointer.get(&doc), Some(&serde_json::json!(1)));
    }
}
