//! Typed decoding that checks the rules on the way: a `serde::Deserializer` adapter that
//! sits between `serde_json` and a generated type's `Deserialize` and checks each value
//! against its rule as the type reads it. A valid request is then parsed once, not twice
//! (the walker, then the typed decode).
//!
//! The adapter sees only what the type reads, the way the type reads it. Whatever it
//! cannot check as it streams by (a union, a map of additional properties, a value a
//! custom decoder buffers, a shape chosen among several) marks the result incomplete,
//! and the caller runs the walker ([`super::check_json`]) too. So does any violation or
//! decoding error: the walker is what decides, and reports every problem of a request at
//! once. When the walker finds nothing but the typed decode failed (a duplicate property,
//! say), [`Found::error_at`] says where, so that the body need not be parsed a third time.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use super::{
    check_primitive, mismatch, target, At, Container, Field, Int, Primitive, Rule, Schema, Target,
    Violations,
};

/// What one decode found.
#[derive(Debug, Default)]
pub struct Found {
    pub violations: Violations,
    /// Something was not checked; only the walker can tell whether it is valid.
    pub incomplete: bool,
    /// Where the typed decode failed, if it did: the JSON pointer of the innermost value
    /// the error came out of (empty for the whole document).
    pub error_at: Option<String>,
}

impl Found {
    /// Nothing wrong was seen and everything was seen.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty() && !self.incomplete
    }
}

/// Decodes `T` from a JSON document, checking `schema` on the way.
pub fn decode<'de, T: de::Deserialize<'de>>(
    schema: &Schema,
    json: &'de [u8],
) -> (serde_json::Result<T>, Found) {
    let mut found = Found::default();
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let result = T::deserialize(Checked {
        de: &mut deserializer,
        schema,
        at: &At::ROOT,
        found: &mut found,
    })
    .and_then(|value| deserializer.end().map(|()| value));
    if result.is_err() {
        found.error_at.get_or_insert_with(String::new);
    }
    (result, found)
}

/// No rule: what an unknown property is checked against.
static ANY: Schema = super::any();

/// A deserializer whose values are checked against `schema`.
struct Checked<'s, 'a, D> {
    de: D,
    schema: &'s Schema,
    at: &'a At<'a>,
    found: &'a mut Found,
}

impl<'s, 'a, D> Checked<'s, 'a, D> {
    fn split<V>(self, visitor: V) -> (D, Visit<'s, 'a, V>) {
        let visit = Visit {
            inner: visitor,
            schema: self.schema,
            at: self.at,
            found: self.found,
        };
        (self.de, visit)
    }
}

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(
                self,
                $($arg: $ty,)*
                visitor: V,
            ) -> Result<V::Value, Self::Error> {
                let (de, visit) = self.split(visitor);
                de.$method($($arg,)* visit)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Checked<'_, '_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_identifier();
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.found.incomplete = true;
        self.de.deserialize_enum(name, variants, visitor)
    }

    /// A value the type skips: nothing to check when it has no rule; otherwise it is
    /// read (and checked) as any value.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if matches!(self.schema.rule, Rule::Any) && self.schema.lenient.is_empty() {
            return self.de.deserialize_ignored_any(visitor);
        }
        let (de, visit) = self.split(visitor);
        de.deserialize_any(visit)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// The visitor of a checked value: checks, then hands the value on.
struct Visit<'s, 'a, V> {
    inner: V,
    schema: &'s Schema,
    at: &'a At<'a>,
    found: &'a mut Found,
}

impl<V> Visit<'_, '_, V> {
    fn primitive(&mut self, value: Primitive<'_>) {
        check_primitive(self.schema, value, self.at, &mut self.found.violations);
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<V::Value, E> {
        self.primitive(Primitive::Bool(v));
        self.inner.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<V::Value, E> {
        self.primitive(Primitive::Int(Int::Signed(v)));
        self.inner.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<V::Value, E> {
        self.primitive(Primitive::Int(Int::Unsigned(v)));
        self.inner.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<V::Value, E> {
        self.primitive(Primitive::Float(v));
        self.inner.visit_f64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_u128(v)
    }

    fn visit_char<E: de::Error>(mut self, v: char) -> Result<V::Value, E> {
        self.primitive(Primitive::Str(v.encode_utf8(&mut [0; 4])));
        self.inner.visit_char(v)
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<V::Value, E> {
        self.primitive(Primitive::Str(v));
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<V::Value, E> {
        self.primitive(Primitive::Str(v));
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(mut self, v: String) -> Result<V::Value, E> {
        self.primitive(Primitive::Str(&v));
        self.inner.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(mut self) -> Result<V::Value, E> {
        self.primitive(Primitive::Null);
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<V::Value, E> {
        self.primitive(Primitive::Null);
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Checked {
            de: deserializer,
            schema: self.schema,
            at: self.at,
            found: self.found,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Checked {
            de: deserializer,
            schema: self.schema,
            at: self.at,
            found: self.found,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let Visit {
            inner,
            schema,
            at,
            found,
        } = self;
        match target(schema, Container::Array) {
            Target::One {
                rule: Rule::Array {
                    items, min, max, ..
                },
                alone,
            } => {
                let mark = found.violations.len();
                let mut count = 0;
                let value = inner.visit_seq(Items {
                    seq,
                    items,
                    at,
                    found: &mut *found,
                    count: &mut count,
                })?;
                if let Some(min) = min.filter(|min| count < *min) {
                    found
                        .violations
                        .insert(mark, at, format!("fewer than {min} items ({count})"));
                }
                if let Some(max) = max.filter(|max| count > *max) {
                    found
                        .violations
                        .insert(mark, at, format!("more than {max} items ({count})"));
                }
                if !alone {
                    one_of_several(schema, mark, at, found);
                }
                Ok(value)
            }
            Target::One {
                rule: Rule::Any,
                alone: true,
            } => inner.visit_seq(seq),
            Target::Nothing => {
                found.violations.push(at, mismatch(schema, "an array"));
                inner.visit_seq(seq)
            }
            _ => {
                found.incomplete = true;
                inner.visit_seq(seq)
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let Visit {
            inner,
            schema,
            at,
            found,
        } = self;
        match target(schema, Container::Object) {
            Target::One {
                rule:
                    Rule::Object {
                        fields,
                        additional: None,
                        min: None,
                        max: None,
                    },
                alone,
            } => {
                let mark = found.violations.len();
                let mut seen = super::Seen::new(fields.len());
                let value = inner.visit_map(Properties {
                    map,
                    fields,
                    at,
                    found: &mut *found,
                    seen: &mut seen,
                    current: None,
                    next: 0,
                })?;
                let mut own = mark;
                for (index, field) in fields.iter().enumerate() {
                    if field.required && !seen.get(index) {
                        found
                            .violations
                            .insert(own, &at.key(field.name), "required".to_string());
                        own += 1;
                    }
                }
                if !alone {
                    one_of_several(schema, mark, at, found);
                }
                Ok(value)
            }
            Target::One {
                rule: Rule::Any,
                alone: true,
            } => inner.visit_map(map),
            Target::Nothing => {
                found.violations.push(at, mismatch(schema, "an object"));
                inner.visit_map(map)
            }
            _ => {
                found.incomplete = true;
                inner.visit_map(map)
            }
        }
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.found.incomplete = true;
        self.inner.visit_enum(data)
    }
}

/// The value was walked with the one shape of several that takes its kind: that
/// shape's complaints become the schema's "matches none of the allowed shapes", as the
/// walker reports them.
fn one_of_several(schema: &Schema, mark: usize, at: &At<'_>, found: &mut Found) {
    if found.violations.len() > mark {
        found.violations.truncate(mark);
        found
            .violations
            .push(at, super::Shapes::of(schema).none_matches());
    }
}

/// The items of a checked array.
struct Items<'s, 'a, 'c, A> {
    seq: A,
    items: &'s Schema,
    at: &'a At<'a>,
    found: &'c mut Found,
    count: &'c mut usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Items<'_, '_, '_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let at = self.at.index(*self.count);
        let value = self.seq.next_element_seed(Seed {
            inner: seed,
            schema: self.items,
            at: &at,
            found: &mut *self.found,
        })?;
        if value.is_some() {
            *self.count += 1;
        }
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// The properties of a checked object.
struct Properties<'s, 'a, 'c, A> {
    map: A,
    fields: &'s [Field],
    at: &'a At<'a>,
    found: &'c mut Found,
    seen: &'c mut super::Seen,
    /// The field of the key just read, if it is one of the rule's.
    current: Option<usize>,
    /// Where the next key is looked for first: after the last one found, since bodies
    /// mostly list the properties in the schema's order.
    next: usize,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Properties<'_, '_, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.current = None;
        let key = self.map.next_key_seed(KeySeed {
            inner: seed,
            fields: self.fields,
            next: self.next,
            current: &mut self.current,
        });
        if let Some(index) = self.current {
            self.next = index + 1;
        }
        key
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        match self.current.take() {
            Some(index) => {
                self.seen.set(index);
                let field = &self.fields[index];
                let at = self.at.key(field.name);
                self.map.next_value_seed(Seed {
                    inner: seed,
                    schema: &field.schema,
                    at: &at,
                    found: &mut *self.found,
                })
            }
            None => self.map.next_value_seed(Seed {
                inner: seed,
                schema: &ANY,
                at: self.at,
                found: &mut *self.found,
            }),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A seed whose value is checked against `schema`.
struct Seed<'s, 'a, T> {
    inner: T,
    schema: &'s Schema,
    at: &'a At<'a>,
    found: &'a mut Found,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, '_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T::Value, D::Error> {
        let Seed {
            inner,
            schema,
            at,
            found,
        } = self;
        let result = inner.deserialize(Checked {
            de: deserializer,
            schema,
            at,
            found: &mut *found,
        });
        // The innermost value an error comes out of is where it happened.
        if result.is_err() && found.error_at.is_none() {
            found.error_at = Some(at.pointer());
        }
        result
    }
}

/// A property name: notes which of the rule's fields it is, and hands it on.
struct KeySeed<'s, 'c, K> {
    inner: K,
    fields: &'s [Field],
    /// The field tried first.
    next: usize,
    current: &'c mut Option<usize>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, '_, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
        self.inner.deserialize(Key {
            de: deserializer,
            fields: self.fields,
            next: self.next,
            current: self.current,
        })
    }
}

struct Key<'s, 'c, D> {
    de: D,
    fields: &'s [Field],
    next: usize,
    current: &'c mut Option<usize>,
}

impl<'s, 'c, D> Key<'s, 'c, D> {
    fn split<V>(self, visitor: V) -> (D, KeyVisit<'s, 'c, V>) {
        let visit = KeyVisit {
            inner: visitor,
            fields: self.fields,
            next: self.next,
            current: self.current,
        };
        (self.de, visit)
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Key<'_, '_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

struct KeyVisit<'s, 'c, V> {
    inner: V,
    fields: &'s [Field],
    next: usize,
    current: &'c mut Option<usize>,
}

impl<V> KeyVisit<'_, '_, V> {
    fn note(&mut self, key: &str) {
        *self.current = match self.fields.get(self.next) {
            Some(field) if field.name == key => Some(self.next),
            _ => self.fields.iter().position(|f| f.name == key),
        };
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisit<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<V::Value, E> {
        self.note(v);
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<V::Value, E> {
        self.note(v);
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(mut self, v: String) -> Result<V::Value, E> {
        self.note(&v);
        self.inner.visit_string(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.inner.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.inner.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.inner.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.inner.visit_f64(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    //! The one-pass decode against hand-written rules and types (the generated crates test
    //! it against their spec's too): what it checks on the way, where it says a decode
    //! failed, and, as a differential test, that it never calls a body clean that the
    //! walker rejects.

    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::super::*;
    use super::decode;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        name: String,
        #[serde(default)]
        count: Option<i32>,
    }

    /// A type as the generator writes them: optional fields, a lenient field, nested
    /// objects, a map and a free-form value.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        id: i64,
        #[serde(default)]
        word: Option<String>,
        #[serde(default)]
        mode: Option<String>,
        #[serde(
            default,
            deserialize_with = "apig_types_runtime::lenient::option_boolean"
        )]
        flag: Option<bool>,
        #[serde(
            default,
            deserialize_with = "apig_types_runtime::lenient::option_string_list"
        )]
        list: Option<Vec<String>>,
        #[serde(default)]
        items: Option<Vec<Item>>,
        #[serde(default)]
        labels: Option<BTreeMap<String, String>>,
        #[serde(default)]
        either: Option<serde_json::Value>,
        #[serde(default)]
        ratio: Option<f64>,
    }

    static ITEM: Schema = object(&[
        required("name", string().min_length(1).max_length(5)),
        optional("count", integer(IntFormat::I32).minimum(0.0)),
    ]);
    static WORD: Pattern = Pattern::new("^[a-z]+$");
    static BODY: Schema = object(&[
        required("id", integer(IntFormat::I64)),
        optional("word", string().pattern(&WORD)),
        optional("mode", enumeration(&["a", "b"])),
        optional("flag", boolean().or(&[enumeration(&["true", "false"])])),
        optional(
            "list",
            array(&string().max_length(3)).max_items(2).or(&[string()]),
        ),
        optional("items", array(&to(&ITEM)).min_items(1)),
        optional("labels", map(&string().max_length(2)).max_properties(2)),
        optional("either", union(&[string().max_length(3), to(&ITEM)])),
        optional("ratio", number(NumFormat::Double).maximum(1.0)),
    ]);

    /// A valid body with nothing the one pass leaves to the walker.
    const SEED: &str = r#"{"id": 1, "word": "abc", "mode": "a", "flag": "true",
        "list": "x,y", "items": [{"name": "n", "count": 3}], "ratio": 0.5}"#;

    #[test]
    fn a_valid_body_is_checked_in_one_pass_except_what_needs_the_walker() {
        let (decoded, found) = decode::<Body>(&BODY, SEED.as_bytes());
        assert!(decoded.is_ok(), "{decoded:?}");
        assert!(found.is_clean(), "{found:?}");
        // A primitive is checked against each shape of a union on the way, and an object
        // against the one shape that takes objects.
        for either in [r#""abc""#, r#"{"name": "n"}"#] {
            let text = format!(r#"{{"id": 1, "either": {either}}}"#);
            let (decoded, found) = decode::<Body>(&BODY, text.as_bytes());
            assert!(decoded.is_ok(), "{decoded:?}");
            assert!(found.is_clean(), "{text}: {found:?}");
        }
        // A map of additional properties is left to the walker.
        let text = r#"{"id": 1, "labels": {"k": "v"}}"#;
        let (decoded, found) = decode::<Body>(&BODY, text.as_bytes());
        assert!(decoded.is_ok(), "{decoded:?}");
        assert!(found.violations.is_empty(), "{found:?}");
        assert!(found.incomplete, "{text}: {found:?}");
    }

    #[test]
    fn what_serde_lets_through_is_seen_on_the_way() {
        let (decoded, found) = decode::<Item>(&ITEM, br#"{"name": "toolong", "count": null}"#);
        assert!(decoded.is_ok(), "serde alone accepts it: {decoded:?}");
        let found: Vec<String> = found.violations.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "/name: longer than 5 characters (7)",
                "/count: expected an integer, found null"
            ]
        );
    }

    #[test]
    fn a_failed_decode_says_where() {
        let (decoded, found) = decode::<Body>(
            &BODY,
            br#"{"id": 1, "items": [{"name": "a"}, {"name": "b", "name": "c"}]}"#,
        );
        let err = decoded.expect_err("a duplicate property does not decode");
        assert!(err.to_string().contains("duplicate field `name`"), "{err}");
        assert_eq!(found.error_at.as_deref(), Some("/items/1"));

        let (decoded, found) = decode::<Body>(&BODY, br#"{"id": 1, "id": 2}"#);
        assert!(decoded.is_err());
        assert_eq!(found.error_at.as_deref(), Some(""));

        let (decoded, found) = decode::<Body>(&BODY, SEED.as_bytes());
        assert!(decoded.is_ok());
        assert_eq!(found.error_at, None);
    }

    /// Differential check against the walker: whenever the one-pass decode calls a body
    /// clean, the walker finds nothing wrong with it either.
    #[test]
    fn a_clean_one_pass_decode_is_valid_by_the_walker() {
        use proptest::prelude::*;
        let seed: serde_json::Value = serde_json::from_str(SEED).expect("JSON");
        let keys: Vec<String> = seed
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .chain(["labels", "either", "unknown"].map(String::from))
            .collect();
        let replacement = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            (-1e6f64..1e6).prop_map(serde_json::Value::from),
            "[a-z,]{0,8}".prop_map(serde_json::Value::from),
            Just(serde_json::json!([])),
            Just(serde_json::json!(["a", 1])),
            Just(serde_json::json!([{"name": "n"}, {"name": ""}])),
            Just(serde_json::json!({})),
            Just(serde_json::json!({"name": "n", "count": -1})),
            Just(serde_json::json!({"a": "b", "c": "d", "e": "f"})),
        ];
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(
                &(proptest::sample::select(keys), replacement, any::<bool>()),
                |(key, value, remove)| {
                    let mut body = seed.clone();
                    let object = body.as_object_mut().expect("an object");
                    if remove {
                        object.remove(&key);
                    } else {
                        object.insert(key, value);
                    }
                    let text = body.to_string();
                    let (decoded, found) = decode::<Body>(&BODY, text.as_bytes());
                    if decoded.is_ok() && found.is_clean() {
                        let mut out = Violations::new();
                        check_json(&BODY, text.as_bytes(), &mut out).expect("valid JSON");
                        prop_assert!(out.is_empty(), "{text}: {out}");
                    }
                    Ok(())
                },
            )
            .expect("the one-pass decode agrees with the walker");
    }
}
