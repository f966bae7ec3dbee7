//! Lenient decoders for fields an OpenAPI spec marks with `x-canonical`: the field's Rust
//! type is the canonical shape, and these functions also accept the other shapes the spec
//! lists, converting them. Encoding always writes the canonical shape.
//!
//! Generated types name them in their `json_object!` invocations (`optional(option_boolean)`),
//! which read the field through [`by`]'s marker of the same name; the functions can also be
//! used as `#[serde(deserialize_with = "…")]`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeOwned, Error, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

// Each decoder is a visitor that takes the canonical shape and the other ones straight from
// the deserializer, so that a valid document is read once, with no `Value` in between.

/// A boolean, also accepted as the string `"true"` or `"false"` (any case).
pub fn boolean<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(Boolean)
}

/// An optional [`boolean`]; `null` reads as absent.
pub fn option_boolean<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    optional(deserializer, Boolean)
}

/// An integer, also accepted as a string holding one.
pub fn integer<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
{
    deserializer.deserialize_any(Parsed(PhantomData))
}

/// An optional [`integer`]; `null` reads as absent.
pub fn option_integer<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
{
    optional(deserializer, Parsed(PhantomData))
}

/// A number, also accepted as a string holding one.
pub fn number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
{
    deserializer.deserialize_any(Parsed(PhantomData))
}

/// An optional [`number`]; `null` reads as absent.
pub fn option_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + std::str::FromStr,
{
    optional(deserializer, Parsed(PhantomData))
}

/// A list of strings, also accepted as one comma-separated string (`"a.jar,b.jar"`).
pub fn string_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    deserializer.deserialize_any(StringList)
}

/// An optional [`string_list`]; `null` reads as absent.
pub fn option_string_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    optional(deserializer, StringList)
}

/// A string; any other JSON value is kept as its JSON text.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(Text)
}

/// An optional [`string`]; `null` reads as absent.
pub fn option_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    optional(deserializer, Text)
}

/// A decoder of values of type `T`, as a type: what `json_object!` names a lenient field's
/// decoder by, so that the field's type is inferred rather than spelled out.
#[doc(hidden)]
pub trait Decode<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// A `DeserializeSeed` that reads a `T` with the decoder `K`.
#[doc(hidden)]
pub struct Via<K, T>(PhantomData<(K, T)>);

impl<K, T> Via<K, T> {
    #[allow(clippy::new_without_default, reason = "made only by `json_object!`")]
    pub fn new() -> Self {
        Via(PhantomData)
    }
}

impl<'de, K: Decode<T>, T> serde::de::DeserializeSeed<'de> for Via<K, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        K::decode(deserializer)
    }
}

/// One marker type per decoder function, named as the function.
#[doc(hidden)]
#[allow(non_camel_case_types, reason = "named as the functions they stand for")]
pub mod by {
    use std::str::FromStr;

    use serde::de::DeserializeOwned;
    use serde::Deserializer;

    use super::Decode;

    macro_rules! markers {
        ($($name:ident: $value:ty),* $(,)?) => {
            $(
                pub struct $name;

                impl Decode<$value> for $name {
                    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$value, D::Error> {
                        super::$name(deserializer)
                    }
                }
            )*
        };
    }

    markers! {
        boolean: bool,
        option_boolean: Option<bool>,
        string_list: Vec<String>,
        option_string_list: Option<Vec<String>>,
        string: String,
        option_string: Option<String>,
    }

    pub struct integer;

    impl<T: DeserializeOwned + FromStr> Decode<T> for integer {
        fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
            super::integer(deserializer)
        }
    }

    pub struct option_integer;

    impl<T: DeserializeOwned + FromStr> Decode<Option<T>> for option_integer {
        fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
            super::option_integer(deserializer)
        }
    }

    pub struct number;

    impl<T: DeserializeOwned + FromStr> Decode<T> for number {
        fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
            super::number(deserializer)
        }
    }

    pub struct option_number;

    impl<T: DeserializeOwned + FromStr> Decode<Option<T>> for option_number {
        fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
            super::option_number(deserializer)
        }
    }
}

/// `null` or absent as `None`; anything else read by `shape`.
fn optional<'de, D, V>(deserializer: D, shape: V) -> Result<Option<V::Value>, D::Error>
where
    D: Deserializer<'de>,
    V: Visitor<'de>,
{
    deserializer.deserialize_option(Optional(shape))
}

struct Optional<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self.0).map(Some)
    }
}

/// The error for a value of the wrong kind, naming what was found.
fn wrong<E: Error>(expected: &str, found: &str) -> E {
    E::custom(format!("expected {expected}, found {found}"))
}

const BOOLEAN: &str = "a boolean or the string \"true\" or \"false\"";

struct Boolean;

impl<'de> Visitor<'de> for Boolean {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(BOOLEAN)
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<bool, E> {
        if value.eq_ignore_ascii_case("true") {
            Ok(true)
        } else if value.eq_ignore_ascii_case("false") {
            Ok(false)
        } else {
            Err(wrong(BOOLEAN, "another string"))
        }
    }

    fn visit_unit<E: Error>(self) -> Result<bool, E> {
        Err(wrong(BOOLEAN, "null"))
    }

    fn visit_i64<E: Error>(self, _: i64) -> Result<bool, E> {
        Err(wrong(BOOLEAN, "a number"))
    }

    fn visit_u64<E: Error>(self, _: u64) -> Result<bool, E> {
        Err(wrong(BOOLEAN, "a number"))
    }

    fn visit_f64<E: Error>(self, _: f64) -> Result<bool, E> {
        Err(wrong(BOOLEAN, "a number"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<bool, A::Error> {
        Err(wrong(BOOLEAN, "an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<bool, A::Error> {
        Err(wrong(BOOLEAN, "an object"))
    }
}

/// A number of type `T`, or a string that parses as one.
struct Parsed<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned + std::str::FromStr> Visitor<'de> for Parsed<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding one")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        value
            .trim()
            .parse()
            .map_err(|_| E::custom(format!("expected a number, found the string {value:?}")))
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        T::deserialize(value.into_deserializer())
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        T::deserialize(value.into_deserializer())
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<T, E> {
        T::deserialize(value.into_deserializer())
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<T, E> {
        T::deserialize(value.into_deserializer())
    }

    fn visit_unit<E: Error>(self) -> Result<T, E> {
        T::deserialize(().into_deserializer())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

/// A list of strings, or one string of comma-separated items.
struct StringList;

impl<'de> Visitor<'de> for StringList {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of strings or a comma-separated string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Vec<String>, E> {
        Ok(value
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }
}

/// A string, or any other value as its JSON text.
struct Text;

impl<'de> Visitor<'de> for Text {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_string<E: Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<String, E> {
        Ok(Value::from(value).to_string())
    }

    fn visit_unit<E: Error>(self) -> Result<String, E> {
        Ok(Value::Null.to_string())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        Ok(Value::deserialize(SeqAccessDeserializer::new(seq))?.to_string())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        Ok(Value::deserialize(MapAccessDeserializer::new(map))?.to_string())
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

    #[test]
    fn every_other_shape_is_read_without_a_value_in_between() {
        let note = |json: &str| {
            decode(&format!(r#"{{"flag": true, "note": {json}}}"#)).map(|value| value.note)
        };
        assert_eq!(
            note(r#"{"a": [1, "x"]}"#),
            Ok(Some(r#"{"a":[1,"x"]}"#.to_string()))
        );
        assert_eq!(note("[1.5, true]"), Ok(Some("[1.5,true]".to_string())));
        assert_eq!(note("-3"), Ok(Some("-3".to_string())));
        assert_eq!(note("false"), Ok(Some("false".to_string())));
        let err = decode(r#"{"flag": 1}"#).expect_err("a number is no boolean");
        assert!(err.contains("found a number"), "{err}");
        let err = decode(r#"{"flag": [true]}"#).expect_err("an array is no boolean");
        assert!(err.contains("found an array"), "{err}");
        let err = decode(r#"{"flag": true, "files": ["a.jar", 1]}"#).expect_err("not strings");
        assert!(err.contains("expected a string"), "{err}");
        let err = decode(r#"{"flag": true, "count": {"n": 1}}"#).expect_err("not a number");
        assert!(err.contains("u32"), "{err}");
        let err = decode(r#"{"flag": true, "count": 4.5}"#).expect_err("not a whole number");
        assert!(
            err.contains("floating point") && err.contains("u32"),
            "{err}"
        );
    }
}
