//! Python's `quote(s, safe='~')`, `unquote(s)` and `str.strip()`, as the official signer uses
//! them, plus lower-case hex.
//!
//! Signing runs once per request, so these write into a caller's buffer instead of returning
//! fresh strings, and copy runs of bytes that need no escaping in one go.

use std::borrow::Cow;

/// Upper-case hex digits, as `quote` writes escapes.
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Lower-case hex digits, as `hexdigest()` writes them.
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Percent-encodes every byte of the UTF-8 text except `A-Z a-z 0-9 _ . - ~`, with upper-case hex.
///
/// This is `urllib.parse.quote(s, safe='~')`: a space becomes `%20`, `+` becomes `%2B`, `/`
/// becomes `%2F`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    quote_into(&mut out, text, false);
    out
}

/// Where canonical text is written: a `String` (the signer keeps the canonical request it
/// signed), or straight into a SHA-256 computation (the verifier only needs its hash, so it
/// writes no buffer).
pub(crate) trait Sink {
    /// Appends `text`.
    fn text(&mut self, text: &str);
    /// Appends `text` with its ASCII letters upper-cased (`upper`) or lower-cased.
    fn cased(&mut self, text: &str, upper: bool);
}

impl Sink for String {
    fn text(&mut self, text: &str) {
        self.push_str(text);
    }

    fn cased(&mut self, text: &str, upper: bool) {
        let start = self.len();
        self.push_str(text);
        if upper {
            self[start..].make_ascii_uppercase();
        } else {
            self[start..].make_ascii_lowercase();
        }
    }
}

impl Sink for crate::sha256::Sha256 {
    fn text(&mut self, text: &str) {
        self.update(text.as_bytes());
    }

    fn cased(&mut self, text: &str, upper: bool) {
        // Changing the case of ASCII letters maps bytes one to one, so the text can go
        // through a stack buffer in pieces.
        let mut buffer = [0u8; 64];
        for piece in text.as_bytes().chunks(buffer.len()) {
            let out = &mut buffer[..piece.len()];
            out.copy_from_slice(piece);
            if upper {
                out.make_ascii_uppercase();
            } else {
                out.make_ascii_lowercase();
            }
            self.update(out);
        }
    }
}

/// Appends `quote(text, safe='~')` to `out`, or `quote(text, safe='/~')` when `keep_slash` is
/// set (what quoting each `/`-separated segment and joining them with `/` gives).
pub(crate) fn quote_into(out: &mut impl Sink, text: &str, keep_slash: bool) {
    let keep = |byte: u8| is_unreserved(byte) || (keep_slash && byte == b'/');
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        if keep(byte) {
            continue;
        }
        push_run(out, text, run_start, index);
        let escape = [
            b'%',
            HEX_UPPER[usize::from(byte >> 4)],
            HEX_UPPER[usize::from(byte & 0x0f)],
        ];
        out.text(std::str::from_utf8(&escape).expect("an escape is ASCII"));
        run_start = index + 1;
    }
    push_run(out, text, run_start, bytes.len());
}

/// Appends `text[start..end]`, a run of bytes that `quote_into` keeps.
///
/// Kept bytes are ASCII, so a non-empty run starts and ends on character boundaries; an empty
/// run may sit inside a multi-byte character (between two escaped bytes) and is skipped, as
/// slicing there would panic.
fn push_run(out: &mut impl Sink, text: &str, start: usize, end: usize) {
    if start < end {
        out.text(&text[start..end]);
    }
}

/// The bytes `quote` leaves as they are: `A-Z a-z 0-9 _ . - ~`.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-' | b'~')
}

/// Replaces every `%XX` (two hex digits, either case) with its byte and leaves anything else,
/// including `+` and a `%` not followed by two hex digits, as it is.
pub(crate) fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let high = bytes.get(index + 1).copied().and_then(hex_value);
            let low = bytes.get(index + 2).copied().and_then(hex_value);
            if let (Some(high), Some(low)) = (high, low) {
                out.push(high << 4 | low);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    out
}

/// `urllib.parse.unquote(s)`: percent-decodes, then reads the bytes as UTF-8 and replaces invalid
/// sequences with U+FFFD.
///
/// Text without `%` decodes to itself, and is borrowed rather than copied.
pub(crate) fn unquote(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let decoded = match String::from_utf8(percent_decode(text)) {
        Ok(valid) => valid,
        Err(invalid) => String::from_utf8_lossy(invalid.as_bytes()).into_owned(),
    };
    Cow::Owned(decoded)
}

/// Python's `str.strip()` with no argument: removes leading and trailing characters for which
/// `str.isspace()` is true. That is Unicode `White_Space` plus U+001C to U+001F.
pub(crate) fn python_strip(text: &str) -> &str {
    // Printable ASCII at both ends (the usual case) is not space: nothing to strip.
    let printable = |byte: Option<&u8>| byte.is_some_and(|b| (b'!'..=b'~').contains(b));
    if printable(text.as_bytes().first()) && printable(text.as_bytes().last()) {
        return text;
    }
    text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// Lower-case hex of a byte string, as Python's `bytes.hex()` and `hexdigest()` write it.
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex_lower(&mut out, bytes);
    out
}

/// Appends the lower-case hex of a byte string to `out`.
pub(crate) fn push_hex_lower(out: &mut impl Sink, bytes: &[u8]) {
    // The digits of up to a SHA-256 digest at a time go into a stack buffer and are appended in
    // one go, which is faster than pushing two characters per byte.
    let mut digits = [0; 64];
    for chunk in bytes.chunks(digits.len() / 2) {
        for (pair, &byte) in digits.chunks_exact_mut(2).zip(chunk) {
            pair[0] = HEX_LOWER[usize::from(byte >> 4)];
            pair[1] = HEX_LOWER[usize::from(byte & 0x0f)];
        }
        let digits = &digits[..chunk.len() * 2];
        out.text(std::str::from_utf8(digits).expect("hex digits are ASCII"));
    }
}

/// The value of one ASCII hex digit.
fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_keeps_only_unreserved_characters() {
        assert_eq!(quote("aZ09_.-~"), "aZ09_.-~");
        assert_eq!(
            quote("a b+c/d?e#f&g=h,i"),
            "a%20b%2Bc%2Fd%3Fe%23f%26g%3Dh%2Ci"
        );
        assert_eq!(quote("测试"), "%E6%B5%8B%E8%AF%95");
        assert_eq!(quote("%"), "%25");
        assert_eq!(quote(""), "");
        // Escapes next to each other, at both ends, and around runs of kept bytes.
        assert_eq!(quote("é"), "%C3%A9");
        assert_eq!(quote("aé"), "a%C3%A9");
        assert_eq!(quote("éa"), "%C3%A9a");
        assert_eq!(quote("a测b c"), "a%E6%B5%8Bb%20c");
        assert_eq!(quote("\u{10348}~"), "%F0%90%8D%88~");
    }

    #[test]
    fn quote_into_appends_and_can_keep_slashes() {
        let mut out = String::from("x=");
        quote_into(&mut out, "/a b/é/", true);
        assert_eq!(out, "x=/a%20b/%C3%A9/");
        let mut out = String::new();
        quote_into(&mut out, "/a b/é/", false);
        assert_eq!(out, "%2Fa%20b%2F%C3%A9%2F");
        let mut out = String::new();
        quote_into(&mut out, "", true);
        assert_eq!(out, "");
    }

    #[test]
    fn unquote_decodes_valid_escapes_only() {
        assert_eq!(unquote("a%7Eb+c%2Bd%41"), "a~b+c+dA");
        assert_eq!(unquote("wf%201%2F%C3%A9"), "wf 1/é");
        assert_eq!(unquote("100%"), "100%");
        assert_eq!(unquote("%zz%4"), "%zz%4");
        assert_eq!(unquote("%e6%b5%8b"), "测");
        assert_eq!(unquote("%FF"), "\u{fffd}");
        assert_eq!(unquote("中%80"), "中\u{fffd}");
        assert_eq!(unquote("%C3"), "\u{fffd}");
        assert_eq!(unquote("%e6%b5"), "\u{fffd}");
    }

    #[test]
    fn unquote_borrows_text_without_escapes() {
        assert!(matches!(
            unquote("/v1/p/jobs+a"),
            Cow::Borrowed("/v1/p/jobs+a")
        ));
        assert!(matches!(unquote("/v1/%41"), Cow::Owned(ref decoded) if decoded == "/v1/A"));
    }

    #[test]
    fn python_strip_removes_python_whitespace() {
        assert_eq!(python_strip("  a  b \t"), "a  b");
        assert_eq!(python_strip("\u{1c}\u{a0}x\u{3000}\u{85}"), "x");
        assert_eq!(python_strip("\u{200b}x"), "\u{200b}x");
        assert_eq!(python_strip(" \n "), "");
    }

    #[test]
    fn hex_lower_writes_two_digits_per_byte() {
        assert_eq!(hex_lower(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(hex_lower(&[]), "");
        let every_byte = (0..=255).collect::<Vec<u8>>();
        let expected = every_byte
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>();
        assert_eq!(hex_lower(&every_byte), expected);
        assert_eq!(hex_lower(&every_byte[..33]), expected[..66]);
    }

    #[test]
    fn push_hex_lower_appends() {
        let mut out = String::from("sha=");
        push_hex_lower(&mut out, &[0xde, 0xad, 0x01]);
        assert_eq!(out, "sha=dead01");
    }
}
