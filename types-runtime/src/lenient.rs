//! Lenient decoders for fields an OpenAPI spec marks with `x-canonical`: the field's Rust
//! type is the canonical shape, and these functions also accept the other shapes the spec
//! lists, converting them. Encoding always writes the canonical shape.
//!
//! Generated types name these functions in
//! `#[serde(deserialize_with = "crate::runtime::lenient::…")]`.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A boolean, also accepted as the string `"true"` or `"false"` (any case).
pub fn boolean<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    to_boolean(Value::deserialize(deserializer)?).map_err(D::Error::custom)
}

/// An optional [`boolean`]; `null` reads as absent.
pub fn option_boolean<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    optional(deserializer, to_boolean)
}

/// An integer, also accepted as a string holding one.
pub fn integer<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
{
    to_parsed(Value::deserialize(deserializer)?).map_err(D::Error::custom)
}

/// An optional [`integer`]; `null` reads as absent.
pub fn option_integer<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
{
    optional(deserializer, to_parsed)
}

/// A number, also accepted as a string holding one.
pub fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
{
    to_parsed(Value::deserialize(deserializer)?).map_err(D::Error::custom)
}

/// An optional [`number`]; `null` reads as absent.
pub fn option_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
{
    optional(deserializer, to_parsed)
}

/// A list of strings, also accepted as one comma-separated string (`"a.jar,b.jar"`).
pub fn string_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    to_string_list(Value::deserialize(deserializer)?).map_err(D::Error::custom)
}

/// An optional [`string_list`]; `null` reads as absent.
pub fn option_string_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    optional(deserializer, to_string_list)
}

/// A string; any other JSON value is kept as its JSON text.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(to_string(Value::deserialize(deserializer)?))
}

/// An optional [`string`]; `null` reads as absent.
pub fn option_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    optional(deserializer, |value| Ok(to_string(value)))
}

fn optional<'de, D, T>(
    deserializer: D,
    convert: impl FnOnce(Value) -> Result<T, String>,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(value) => convert(value).map(Some).map_err(D::Error::custom),
    }
}

fn to_boolean(value: Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(format!(
            "expected a boolean or the string \"true\" or \"false\", found {}",
            kind(&other)
        )),
    }
}

fn to_parsed<T: DeserializeOwned + std::str::FromStr>(value: Value) -> Result<T, String> {
    match value {
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("expected a number, found the string {s:?}")),
        other => serde_json::from_value(other).map_err(|err| err.to_string()),
    }
}

fn to_string_list(value: Value) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(s
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect()),
        other => serde_json::from_value(other).map_err(|err| err.to_string()),
    }
}

fn to_string(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "another string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Lenient {
        #[serde(deserialize_with = "super::boolean")]
        flag: bool,
        #[serde(default, deserialize_with = "super::option_integer")]
        count: Option<u32>,
        #[serde(default, deserialize_with = "super::option_number")]
        ratio: Option<f64>,
        #[serde(default, deserialize_with = "super::option_string_list")]
        files: Option<Vec<String>>,
        #[serde(default, deserialize_with = "super::option_string")]
        note: Option<String>,
    }

    fn decode(json: &str) -> Result<Lenient, String> {
        serde_json::from_str(json).map_err(|err| err.to_string())
    }

    #[test]
    fn canonical_shapes_decode_as_they_are() {
        let value =
            decode(r#"{"flag": true, "count": 3, "ratio": 0.5, "files": ["a.jar"], "note": "n"}"#);
        assert_eq!(
            value,
            Ok(Lenient {
                flag: true,
                count: Some(3),
                ratio: Some(0.5),
                files: Some(vec!["a.jar".to_string()]),
                note: Some("n".to_string()),
            })
        );
    }

    #[test]
    fn other_shapes_are_converted() {
        let value = decode(
            r#"{"flag": "TRUE", "count": " 7 ", "ratio": "1.5", "files": "a.jar, ,b.jar", "note": 12}"#,
        );
        assert_eq!(
            value,
            Ok(Lenient {
                flag: true,
                count: Some(7),
                ratio: Some(1.5),
                files: Some(vec!["a.jar".to_string(), "b.jar".to_string()]),
                note: Some("12".to_string()),
            })
        );
    }

    #[test]
    fn null_is_absent_and_wrong_shapes_are_errors() {
        let value = decode(r#"{"flag": "false", "count": null, "files": null, "note": null}"#);
        assert_eq!(
            value,
            Ok(Lenient {
                flag: false,
                count: None,
                ratio: None,
                files: None,
                note: None,
            })
        );
        let err = decode(r#"{"flag": "yes"}"#).expect_err("not a boolean");
        assert!(err.contains("found another string"), "{err}");
        let err = decode(r#"{"flag": true, "count": "x"}"#).expect_err("not a number");
        assert!(err.contains("the string \"x\""), "{err}");
        let err = decode(r#"{"flag": true, "count": -1}"#).expect_err("not a u32");
        assert!(err.contains("-1"), "{err}");
    }
}
