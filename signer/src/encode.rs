//! Python's `quote(s, safe='~')`, `unquote(s)` and `str.strip()`, as the official signer uses them.

use std::fmt::Write as _;

/// Percent-encodes every byte of the UTF-8 text except `A-Z a-z 0-9 _ . - ~`, with upper-case hex.
///
/// This is `urllib.parse.quote(s, safe='~')`: a space becomes `%20`, `+` becomes `%2B`, `/`
/// becomes `%2F`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-' | b'~') {
            out.push(char::from(byte));
        } else {
            write!(out, "%{byte:02X}").expect("writing to a String cannot fail");
        }
    }
    out
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
pub(crate) fn unquote(text: &str) -> String {
    String::from_utf8_lossy(&percent_decode(text)).into_owned()
}

/// Python's `str.strip()` with no argument: removes leading and trailing characters for which
/// `str.isspace()` is true. That is Unicode `White_Space` plus U+001C to U+001F.
pub(crate) fn python_strip(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// Lower-case hex of a byte string, as Python's `bytes.hex()` and `hexdigest()` write it.
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        write!(out, "{byte:02x}").expect("writing to a String cannot fail");
    }
    out
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
    }
}
